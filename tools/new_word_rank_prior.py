"""Does a frequency prior make film reviews' new words predictable at their first use? (issue 15; prints, writes no JSON)

Vector files are sorted by frequency (fastText's and word2vec's .vec files, and gensim's own models), so a word's rank
in the file says how common it is in the text the vectors read. On our default head (tie 'auto', `budget` seconds on 90%
of gensim's Wikipedia sample) with fastText targets trained on the training articles and the Rotten Tomatoes snippets
after the first 4,000 (`tools/domain_vectors.py`'s `wiki+reviews` arm), the trained words' learned bias is fitted as
a + c·log(1 + rank in the vector file); words new to the grown table start either at the trained words' mean bias (the
library's rule, `mean`) or at that fit (`rank`; a word the file does not hold — a subword-only vector — ranks last).
Scored on the first 4,000 snippets and on Wikipedia's held-out articles, without a cache and with `use_context_cache()`.

    python tools/new_word_rank_prior.py [budget]      # default 120 s; bench-results/openvocab/new_word_rank_prior_120s.log
"""
import sys
import warnings; warnings.filterwarnings('ignore')
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.data import rotten_tomatoes_df
from context_cache import trained_model, grown_table, evaluate_on
budget = float(sys.argv[1]) if len(sys.argv) > 1 else 120.
snips = rotten_tomatoes_df().text.tolist(); reviews, other = snips[:4000], snips[4000:]
learn, tv, kv, desc, wiki_held, news = trained_model(budget, vector_texts=other)
n = len(tv); print(desc, flush=True)
def rank_of(w): return kv.key_to_index.get(w, len(kv.key_to_index))
dec = get_model(learn.model)[1]
for corpus, held in [('reviews', reviews), ('wiki', wiki_held)]:
    big = grown_table(learn, tv, kv, held)
    learn.set_targets(big)
    b = dec.word_bias.weight.detach()[:, 0]
    m = tv.is_word[:n] & tv.target_mask[:n]
    x = torch.tensor([math.log1p(rank_of(w)) for w in big.vocab], dtype=torch.float)
    X = torch.stack([x[:n][m], torch.ones(int(m.sum()))], 1); yb = b[:n][m].cpu()
    coef = torch.linalg.lstsq(X, yb[:, None]).solution[:, 0]
    r = torch.corrcoef(torch.stack([x[:n][m], yb]))[0, 1]
    print(corpus, 'fit bias = %.3f·log(1+rank) + %.3f, corr %.3f; in kv: %d of %d new' % (coef[0], coef[1], r, sum(w in kv.key_to_index for w in big.vocab[n:]), len(big) - n), flush=True)
    mean_b = float(b[n:].mean()) if len(big) > n else 0.
    for rule in ('mean', 'rank'):
        with torch.no_grad():
            dec.word_bias.weight[n:, 0] = mean_b if rule == 'mean' else (coef[0] * x[n:] + coef[1]).to(b.device)
        for cache in (None, 'all'):
            learn.use_context_cache(cache)
            res = evaluate_on(learn, held, n)
            print(f"{corpus:>7} {rule:>5} {'none' if cache is None else 'auto':>5} top1 {res['top1']:.4f} top5 {res['top5']:.4f} sem_seen {res['sem_acc@10_seen']:.4f} sem_new {res['sem_acc@10_new']:.4f} ratio {res['sem_acc@10_new']/res['sem_acc@10_seen']:.3f} top1_new {res['top1_new']:.4f} top5_new {res['top5_new']:.4f} ppl {res['word_ppl']:.1f}", flush=True)
        learn.use_context_cache(None)
