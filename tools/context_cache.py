"""Does a context cache make words outside the training vocabulary predictable? (issue 15)

Trains our vector LM (default head and loss, ties `--tie`, small AWD-LSTM) for `--budget` seconds on gensim's Wikipedia
sample (90% of its articles, fastText targets trained on those articles only), then grows the target table with the
words of held-out text and decodes it with and without a `ContextCache` over a grid of kernels, windows, mixture
weights λ and kernel sharpness θ:
  - tuning text: the 10% of Wikipedia articles held out from training (the grid is chosen here);
  - confirming text: gensim's Lee news corpus, never used to choose anything.
Reports every metric of `evaluate` on the training table (before growing) and, after growing, on seen (`_seen`) and new
(`_new`) words (word perplexity too, read under the cache's mixture), plus how often a prediction is a new word at all, and how often a new word's position has the word
in the window (what any cache could hand back).

    python tools/context_cache.py [--budget 120] [--kernels context] [--windows 1000] [--weights 0.3,0.7] [--thetas 10,15,20] [--tie auto] [--compare-markers] [--out FILE]
writes `--out` (default bench-results/openvocab/context_cache_<budget>s.json: a run at another budget never overwrites it) and prints a table. One run, seed 42.
"""
import warnings; warnings.filterwarnings('ignore')
import argparse, json, time
from collections import Counter
from pathlib import Path
import torch
from fastai.text.all import *
from fastai_embout.all import *

class NewPredictions(Metric):
    "Share of scored positions whose top-1 prediction is a word added after training (ids ≥ `n`)."
    def __init__(self, n, hub): self.n, self.hub = n, hub
    def reset(self): pass
    def accumulate(self, learn): pass
    @property
    def value(self):
        c = self.hub.counts
        return float(c[self.n:].sum() / c.sum()) if c is not None else float('nan')
    @property
    def name(self): return 'pred_new_share'

def in_window(dl, n, windows)->dict:
    "Per window size: the share of new-word positions (target id ≥ `n`) whose word was read in the last `window` tokens."
    caches, hit, new = {w: ContextCache(w, kernel='word') for w in windows}, {w: 0 for w in windows}, 0
    for x, y in dl:
        m = y >= n; new += int(m.sum())
        for w, c in caches.items(): hit[w] += int((c.candidates(x).ids[m] == y[m][:, None]).any(1).sum())
    return {w: hit[w] / max(new, 1) for w in windows}

def evaluate_on(learn, texts, n, bs=32, seq_len=72):
    dl = learn.dls.test_dl(texts, bs=bs, seq_len=seq_len)
    hub = next(m for m in learn.metrics if isinstance(m, HubShare))
    t0 = time.time(); res = evaluate(learn, dl); res['eval_s'] = time.time() - t0
    res['pred_new_share'] = NewPredictions(n, hub).value
    res['new_positions'] = sum(int((t >= n).sum()) for t in dl.items)
    return res

def untrained_model(tie:str='auto',
                    vector_texts=() # more texts the fastText vectors learn from (the LM never reads them)
                   )->tuple:
    "`(learn, dls, tv, kv, desc, wiki_held, news)`: our LM, untrained, on 90% of the Wikipedia sample with fastText targets of those articles and `vector_texts`, and the two held-out texts."
    texts = wiki_texts()
    train_idx, valid_idx = RandomSplitter(0.1, seed=42)(texts)
    wiki_held = [texts[i] for i in valid_idx]
    kv, desc = train_keyed_vectors(corpus_tokens([texts[i] for i in train_idx] + list(vector_texts)), method='fasttext', dim=100)
    news = load_corpus(gensim_data('lee_background.cor'))
    dls = lm_dls_from_texts(texts, bs=32, seq_len=72)       # the same 90/10 split (seed 42)
    tv = TargetVectors.from_gensim(kv, dls)
    learn = embout_lm_learner(dls, vectors=tv, config=awd_config('small', tv.dim), tie_weights=tie)
    return learn, dls, tv, kv, desc, wiki_held, news

def trained_model(budget:float, tie:str='auto',
                  prepare=None, # `prepare(learn, dls, tv, kv)` before training, returning a function to call after it (or None)
                  vector_texts=() # more texts the fastText vectors learn from (the LM never reads them)
                 )->tuple:
    "`(learn, tv, kv, desc, wiki_held, news)`: `untrained_model`'s LM trained `budget` s."
    learn, dls, tv, kv, desc, wiki_held, news = untrained_model(tie, vector_texts)
    done = prepare(learn, dls, tv, kv) if prepare else None
    set_seed(42); fit_budget(learn, budget=budget, points=1, name=f'embout ({tie} ties) ')
    if done: done()
    return learn, tv, kv, desc, wiki_held, news

def grown_table(learn, tv, kv, texts):
    "The training table (`learn`'s while it is still `tv`'s size, else `tv`) grown with every word of `texts` (most frequent first), for `set_targets`."
    words = [w for w, _ in Counter(t for doc in corpus_tokens(texts) for t in doc).most_common()]
    return extend_targets(learn.target_vectors if len(learn.target_vectors) == len(tv) else tv, kv, words=words)

def write_result(res:dict, out, t0:float):
    "Add the run's `seconds` (since `t0`) to `res` and write it as JSON to `out`, making its folder."
    res['seconds'] = time.time() - t0
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(res, indent=1, default=float))

def budget_cli(main, doc:str, name:str):
    "Run `main(budget, out)` from the command line: `--budget` seconds (default 120) and `--out` (default bench-results/openvocab/<name>_<budget>s.json)."
    a = argparse.ArgumentParser(description=doc.split('\n')[0])
    a.add_argument('--budget', type=float, default=120.); a.add_argument('--out', default=None, help=f'default: bench-results/openvocab/{name}_<budget>s.json')
    main(**vars(a.parse_args()))

def main(budget=120., kernels='context', windows='1000', weights='0.3,0.7', thetas='10,15,20', tie='auto', compare_markers=False, out=None):
    t0 = time.time()
    out = out or f'bench-results/openvocab/context_cache_{budget:g}s.json'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget, tie)
    n = len(tv)
    rows, ceiling = [], {}
    def record(corpus, table, window, weight, res):
        r = dict(corpus=corpus, table=table, window=window, weight=weight, **res); rows.append(r)
        keys = [k for k in ('top1', 'top5', 'sem_acc@10', 'top1_seen', 'top1_new', 'top5_new', 'sem_acc@10_seen', 'sem_acc@10_new', 'word_ppl', 'word_ppl_seen', 'word_ppl_new', 'pred_new_share', 'eval_s') if k in r]
        print(f"{corpus:>5} {table:>18} w={window or '-':>5} λ={weight or '-':>5}  " + '  '.join(f"{k} {r[k]:.4f}" for k in keys), flush=True)
    base = {c: evaluate_on(learn, t, n) for c, t in [('wiki', wiki_held), ('news', news)]}
    for c, res in base.items(): record(c, 'training', None, None, res)
    for corpus, held in [('wiki', wiki_held), ('news', news)]:
        learn.set_targets(grown_table(learn, tv, kv, held))
        learn.use_context_cache(None)
        ceiling[corpus] = in_window(learn.dls.test_dl(held, bs=32, seq_len=72), n, list(map(int, windows.split(','))))
        print(f"{corpus}: share of new-word positions whose word is in the window: " + ', '.join(f'{w}: {v:.3f}' for w, v in ceiling[corpus].items()), flush=True)
        record(corpus, 'grown', None, None, evaluate_on(learn, held, n))
        for kernel in kernels.split(','):
            for w in map(int, windows.split(',')):
                for b in map(float, weights.split(',')):
                    for th in map(float, thetas.split(',')):
                        for words_only in ((True, False) if compare_markers else (True,)):
                            learn.use_context_cache(w, weight=b, theta=th, words_only=words_only, kernel=kernel)
                            record(corpus, f'{kernel} θ={th:g}' + ('' if words_only else ' +markers'), w, b, evaluate_on(learn, held, n))
        if 'word' not in kernels.split(','):   # the word kernel's earlier default, for reference (not part of the choice)
            learn.use_context_cache(200, weight=0.1, theta=40., kernel='word')
            record(corpus, 'word θ=40 (ref)', 200, 0.1, evaluate_on(learn, held, n))
        learn.use_context_cache(None)
    # chosen on the tuning text (wiki: best overall top-1 after growing), then read off the confirming text (news)
    grid = [r for r in rows if r['corpus'] == 'wiki' and r['window'] and 'markers' not in r['table'] and '(ref)' not in r['table']]   # every θ, window and λ (words only)
    best = max(grid, key=lambda r: r['top1'])
    print(f"chosen on wiki: {best['table']}, window {best['window']}, λ {best['weight']}")
    keys = ('top1', 'top5', 'sem_acc@10', 'top1_seen', 'sem_acc@10_seen', 'top1_new', 'top5_new', 'sem_acc@10_new', 'word_ppl', 'word_ppl_seen', 'word_ppl_new', 'pred_new_share')
    for r in [r for r in rows if (r['table'], r['window'], r['weight']) in (('grown', None, None), (best['table'], best['window'], best['weight']))]:
        print(f"{r['corpus']:>5} {'cache' if r['window'] else 'no cache':>8}  " + '  '.join(f"{k} {r[k]:.4f}" for k in keys if k in r), flush=True)
    write_result(dict(machine=machine(), budget=budget, tie=tie, in_window=ceiling, chosen=dict(kernel=best['table'], window=best['window'], weight=best['weight']), vectors=desc, training_vocab=n, rows=rows), out, t0)

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--budget', type=float, default=120.); a.add_argument('--kernels', default='context'); a.add_argument('--windows', default='1000')
    a.add_argument('--weights', default='0.3,0.7'); a.add_argument('--thetas', default='10,15,20'); a.add_argument('--tie', default='auto', help="tie mode of the trained LM ('auto': the library's default)")
    a.add_argument('--compare-markers', action='store_true', help="also decode every cache setting with fastai's markers and xxunk cached (words_only=False)"); a.add_argument('--out', default=None, help='default: bench-results/openvocab/context_cache_<budget>s.json')
    main(**vars(a.parse_args()))
