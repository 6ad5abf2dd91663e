"""Does hubness grow with the target table, and do CSLS or the learned word bias fix it? (issue 15)

Trains our vector LM (default head, loss and ties, small AWD-LSTM) for `--budget` seconds on 90% of gensim's Wikipedia
sample (fastText targets trained on those articles: `context_cache.trained_model`), then decodes held-out text with the
training table and with the table grown by every word of that text (`context_cache.grown_table`), four ways over the same
predictions:
  - `nearest`: the library's decoding (cosine + the learned bias, against the shifted targets), what the metrics read;
  - `CSLS`: the same, hubness-corrected (`NeighbourSearch.fit_csls`, k 10, from 16 validation batches' predictions, as
    `EmboutLMLearner.fit_csls` estimates it; refitted on every table);
  - `no bias`: the learned per-word bias left out (the shift kept);
  - `CSLS, no bias`.
Texts: the 10% of Wikipedia articles held out from training (tuning) and gensim's Lee news corpus (never tuned on).
Reports top-1 (all / seen / new), new words' top-5, semantic accuracy@10 (seen / new, and new ÷ seen: issue 15's ratio),
hub share (the most-predicted word's share of top-1 predictions, and which word it is), the share of the ten
most-predicted words, and the share of predictions that are new words. No context cache (see `context_cache.py`).

    python tools/csls_grown.py [--budget 120] [--out bench-results/openvocab/csls_grown_<budget>s.json]
One run, seed 42.
"""
import warnings; warnings.filterwarnings('ignore')
import sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from context_cache import trained_model, grown_table, write_result, budget_cli
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.metrics import SemanticAccuracy, scorer_for
from fastai_embout.search import WordScores

DECODINGS = ('nearest', 'CSLS', 'no bias', 'CSLS, no bias')

def predictions(learn, dl, n_batches=None):
    "Model outputs [N, d] (float) and target ids [N] over `dl`'s batches (all positions; the scorer selects)."
    model = learn.model; model.eval(); model.reset()
    P, T = [], []
    with torch.no_grad():
        for i, (xb, yb) in enumerate(dl):
            if n_batches is not None and i >= n_batches: break
            p = model(xb)[0]
            P.append(p.reshape(-1, p.shape[-1]).float()); T.append(yb.reshape(-1))
    model.reset()
    return torch.cat(P).as_subclass(torch.Tensor), torch.cat(T).as_subclass(torch.Tensor)

def searches(learn, sample):
    "The four decodings' searches over the learner's current table; CSLS fitted on `sample` predictions."
    m = next(m for m in learn.metrics if isinstance(m, SemanticAccuracy))
    sc, loss = scorer_for(m.vectors, m.offset), learn.loss_func
    tv = sc.tv
    no_bias = WordScores(None, loss.bias_scale, loss.word_shift, getattr(loss, 'log_scale', None))
    out = {'nearest': sc.search, 'no bias': NeighbourSearch(tv.vectors, exclude=~tv.target_mask, offset=no_bias)}
    for name, off in (('CSLS', m.offset), ('CSLS, no bias', no_bias)):
        out[name] = NeighbourSearch(tv.vectors, exclude=~tv.target_mask, offset=off).fit_csls(sample, k=10)
    return sc, out

def scores(sc, search, P, T, n, chunk=4096):
    "Top-1, new words' top-5 and semantic accuracy (seen and new: ids ≥ `n`) of `search` on the scored positions, and the concentration of its top-1 predictions (hub share, top-10 share, share of new words)."
    p, t = sc.select(P, T)
    nbrs = sc.neighbours(10)
    ids5 = torch.cat([search(p[i:i + chunk], 5)[1] for i in range(0, len(p), chunk)])
    top1, new = ids5[:, 0], t >= n
    hit1 = top1 == t
    sem = hit1 | torch.cat([(nbrs(t[i:i + chunk])[0] == top1[i:i + chunk, None]).any(1) for i in range(0, len(t), chunk)])
    counts = torch.bincount(top1, minlength=len(sc.tv)).double()
    top = counts.topk(10)
    f = lambda x, m: float(x[m].float().mean()) if m.any() else float('nan')
    r = dict(positions=len(t), new_positions=int(new.sum()), top1=float(hit1.float().mean()), top1_seen=f(hit1, ~new), top1_new=f(hit1, new),
             top5_new=f((ids5 == t[:, None]).any(1), new), sem_acc_seen=f(sem, ~new), sem_acc_new=f(sem, new),
             hub_share=float(top.values[0] / counts.sum()), hub_word=sc.tv.vocab[int(top.indices[0])], top10_share=float(top.values.sum() / counts.sum()),
             pred_new_share=float(counts[n:].sum() / counts.sum()))
    r['new_over_seen'] = r['sem_acc_new'] / r['sem_acc_seen'] if r['sem_acc_seen'] else float('nan')
    return r

def main(budget=120., out=None):
    t0 = time.time()
    out = out or f'bench-results/openvocab/csls_grown_{budget:g}s.json'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget)
    n = len(tv)
    sample, _ = predictions(learn, learn.dls.valid, n_batches=16)   # what `fit_csls` reads
    res = dict(machine=machine(), budget=budget, vectors=desc, training_vocab=n, csls=dict(k=10, sample=len(sample)), rows=[])
    for corpus, texts in [('wiki', wiki_held), ('news', news)]:
        for table in ('training', 'grown'):
            learn.set_targets(tv if table == 'training' else grown_table(learn, tv, kv, texts))
            P, T = predictions(learn, learn.dls.test_dl(texts, bs=32, seq_len=72))
            sc, found = searches(learn, sample)
            for name in DECODINGS:
                r = dict(corpus=corpus, table=f'{table} ({len(sc.tv):,})', decoding=name, **scores(sc, found[name], P, T, n)); res['rows'].append(r)
                print(f"{corpus:>5} {r['table']:>16} {name:>14}  " + '  '.join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in r.items() if k not in ('corpus', 'table', 'decoding')), flush=True)
    write_result(res, out, t0)

if __name__ == '__main__': budget_cli(main, __doc__, 'csls_grown')
