"""Where should words new to the table start — their bias and learned shift? (issue 15)

Trains our default head (small AWD-LSTM, `BUDGET` seconds, default 120) on 90% of gensim's Wikipedia sample with fastText
targets trained on those articles, then grows a clean copy of the trained table with the words of each held-out text —
wiki's held-out articles (tuning), usenet and the second half of the Lee news corpus (confirming) — and scores five
starts for the new rows: the bias of the rarest tenth of the trained words (the old rule), the mean trained bias, a
ridge regression of the bias on the vector, and each with the shift regressed on the vector too (the rule `set_targets`
uses now: mean bias + regressed shift). Prints new words' median rank and NLL, in-vocabulary rank/NLL/top-1/semantic
accuracy, and the NLL over all positions. The variants overwrite the rows `set_targets` made, so the numbers do not
depend on which rule the library uses.

    python tools/new_word_start.py [BUDGET]      # one run, seed 42; ~8 min on this 2-core CPU
"""
import sys, json; sys.path.insert(0, str(__import__('pathlib').Path(__file__).parent))
from new_words_by_count import *
from fastai_embout.openvocab import _new_word_shift, _trained_words   # the regression `set_targets` uses
from collections import Counter
budget = float(sys.argv[1]) if len(sys.argv) > 1 else 120
texts = wiki_texts(); train_idx, valid_idx = RandomSplitter(0.1, seed=42)(texts)
train_toks = corpus_tokens([texts[i] for i in train_idx]); count_of = Counter(w for d in train_toks for w in d)
news = load_corpus(gensim_data('lee_background.cor'))
helds = {'wiki-valid': [texts[i] for i in valid_idx], 'usenet': usenet_df().text.tolist(), 'news': news[len(news)//2:]}
kv, desc = train_keyed_vectors(train_toks, method='fasttext', dim=100)
dls = lm_dls_from_texts(texts, bs=32, seq_len=72); tv = TargetVectors.from_gensim(kv, dls)
ours = embout_lm_learner(dls, vectors=tv, config=awd_config('small', tv.dim))
set_seed(42); fit_budget(ours, budget=budget, points=1, name='embout ')
n = len(tv)
for name, held in helds.items():
    words = [w for w, _ in Counter(w for d in corpus_tokens(held) for w in d).most_common()]
    big = extend_targets(tv, kv, words=words); ours.set_targets(tv).set_targets(big)   # back to the trained table first: each grown table starts clean
    count = torch.tensor([float(count_of.get(w, 0)) for w in big.vocab])
    dl = ours.dls.test_dl(held, bs=32, seq_len=72)
    dec = get_model(ours.model)[1]
    E = big.vectors.float(); sh0 = dec.word_shift.weight.detach().clone(); b0 = dec.word_bias.weight.detach().clone()
    tr = F.pad(_trained_words(big, n), (0, len(big) - n))            # the trained rows that are words with a target
    def run(label):
        ours.loss_func.use_word_bias(dec.word_bias); ours.loss_func.use_word_shift(dec.word_shift, ours.loss_func.pull)
        sc = scorer_for(big, ours.loss_func.bias_scores)
        p = predictions(ours, dl, sc, ours.loss_func.logits)
        r = bucket_rows(p, count, n, sc); allnll = float(-p['lp'].mean())
        print(f"{name:>10} {label:>22} grown {len(big):>6} new pos {r['new']['positions']:>5} | new rank {r['new']['median_rank']:>6.0f} nll {r['new']['nll']:.2f} top100 {r['new']['top100']:.4f} | in-vocab rank {r['in_vocab']['median_rank']:.0f} nll {r['in_vocab']['nll']:.3f} top1 {r['in_vocab']['top1']:.4f} sem {r['in_vocab']['sem']:.4f} | all nll {allnll:.3f}", flush=True)
    counts = big.counts or {}
    rare = sorted(tr.nonzero()[:, 0].tolist(), key=lambda i: (counts.get(big.vocab[i], 0), float(b0[i])))[:max(1, int(tr.sum()) // 10)]
    with torch.no_grad(): dec.word_bias.weight[n:] = b0[rare].mean(); dec.word_shift.weight[n:] = 0.   # the old rule: no shift
    run('rarest-tenth bias')
    with torch.no_grad(): dec.word_bias.weight[n:] = b0[tr].mean()
    run('mean trained bias')
    with torch.no_grad(): dec.word_bias.weight[n:] = _new_word_shift(b0, big, n)(E[n:])
    run('bias map')
    with torch.no_grad(): dec.word_shift.weight[n:] = _new_word_shift(sh0, big, n)(E[n:])
    run('bias+shift map')
    with torch.no_grad(): dec.word_bias.weight[n:] = b0[tr].mean()
    run('mean bias+shift map')
