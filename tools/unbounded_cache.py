"""Does a cache of every word read (`UnboundedCache`) beat the 1,000-token window? (issue 15)

Trains our default head (small AWD-LSTM, `--budget` seconds, fastText targets) on 90% of gensim's Wikipedia sample as
`tools/context_cache.py` does, grows the target table with each held-out text's words, and scores three decodings —
no cache, the window (`ContextCache`: 1,000 tokens of the row, λ 0.7, θ 10) and the unbounded cache (`UnboundedCache`:
every word read in every row, the 1,000 nearest by context, λ 0.8, θ 20) — on the tuning text (Wikipedia's held-out
10%) and two texts never used to choose anything (the Lee news corpus, 200 usenet posts). fastai's batches read each
text as 32 streams at once, so the unbounded cache also reads the other streams' text read before; `--order` adds
both caches read in the text's own order (one stream), where only earlier text can be read. Also prints, per text, the
share of new-word positions whose word was read before: in the last 1,000 tokens, or anywhere earlier.

    python tools/unbounded_cache.py [--budget 120] [--order] [--out FILE]
    python tools/unbounded_cache.py --grid [--budget 120]    # how λ, θ and `neighbours` were chosen: top-1 and word
                                                             # perplexity of every cell, per text (chosen on wiki's)
"""
import warnings; warnings.filterwarnings('ignore')
import argparse, time
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.curve import curve_texts
from context_cache import trained_model, grown_table, evaluate_on, write_result

CACHES = {'none': None, 'window': dict(window=1000, weight=0.7, theta=10.), 'unbounded': dict(window='all', theta=20.)}
KEYS = ('top1', 'top5', 'sem_acc@10', 'sem_acc@10_seen', 'top1_new', 'top5_new', 'sem_acc@10_new', 'word_ppl', 'word_ppl_new', 'ratio', 'eval_s')

def read_before(dl, n)->dict:
    "Share of new-word positions (target id ≥ `n`) whose word was read in the last 1,000 tokens of the text, or anywhere earlier (the text's own order)."
    seq = torch.cat(list(dl.items)).tolist()
    last, new, near, ever = {}, 0, 0, 0
    for i, t in enumerate(seq):
        if t >= n:
            new += 1
            if t in last: ever += 1; near += i - last[t] <= 1000
        last[t] = i
    return dict(window_1000=near / max(new, 1), anywhere=ever / max(new, 1), new_positions=new)

def grid(budget=120., out=None):
    "Top-1 and word perplexity of the unbounded cache at neighbours 300/1,000/3,000 × λ × θ, and of the window, on each text (`CacheGrid`: one pass per text and cache)."
    t0, frames = time.time(), []
    out = out or f'bench-results/openvocab/unbounded_cache_grid_{budget:g}s.csv'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget)
    for corpus, held in [('wiki', wiki_held), ('news', news), ('usenet', curve_texts('usenet'))]:
        learn.set_targets(grown_table(learn, tv, kv, held)); learn.use_context_cache(None)
        dl = learn.dls.test_dl(held, bs=32, seq_len=72)
        for L in (300, 1000, 3000, 'window'):
            g = CacheGrid(learn.target_vectors, learn.loss_func.bias_scores, 1000, (0.5, 0.7, 0.8, 0.9), (10., 20., 30.) if L == 'window' else (20., 30., 40., 60.))
            if L != 'window': g.cache = UnboundedCache(L, 0., theta=1.)   # reads the memory once for every cell, as `CacheGrid` reads a window
            metrics = learn.metrics
            try:
                learn.metrics = [g]
                with learn.no_bar(): learn.validate(dl=dl)
            finally: learn.metrics = metrics
            df = g.table(); df['neighbours'] = 'window 1000' if L == 'window' else L; df['corpus'] = corpus; frames.append(df)
            print(corpus, L, f'{time.time() - t0:.0f} s'); print(df.to_string(), flush=True)
    pd.concat(frames).to_csv(out)

def main(budget=120., order=False, out=None):
    t0 = time.time()
    out = out or f'bench-results/openvocab/unbounded_cache_{budget:g}s.json'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget)
    n, rows, seen = len(tv), [], {}
    for corpus, held in [('wiki', wiki_held), ('news', news), ('usenet', curve_texts('usenet'))]:
        learn.set_targets(grown_table(learn, tv, kv, held))
        seen[corpus] = read_before(learn.dls.test_dl(held, bs=1, seq_len=72), n)
        print(corpus, 'new-word positions whose word was read before:', seen[corpus], flush=True)
        for reading, bs, seq_len in [('32 streams', 32, 72)] + ([('text order', 1, 576)] if order and corpus != 'wiki' else []):
            for name, kw in CACHES.items():
                if reading == 'text order' and name == 'none': continue
                learn.use_context_cache(None) if kw is None else learn.use_context_cache(**kw)
                r = dict(corpus=corpus, cache=name, reading=reading, **evaluate_on(learn, held, n, bs=bs, seq_len=seq_len))
                r['ratio'] = r['sem_acc@10_new'] / r['sem_acc@10_seen']; rows.append(r)
                print(f"{corpus:>6} {reading:>10} {name:>9}  " + '  '.join(f"{k} {r[k]:.4f}" for k in KEYS if k in r), flush=True)
        learn.use_context_cache(None)
    write_result(dict(machine=machine(), budget=budget, vectors=desc, training_vocab=n, read_before=seen, caches=CACHES, rows=rows), out, t0)

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--budget', type=float, default=120.); a.add_argument('--order', action='store_true', help="also read each confirming text as one stream, in its own order")
    a.add_argument('--grid', action='store_true', help='score the grid λ, θ and neighbours were chosen from instead')
    a.add_argument('--out', default=None, help='default: bench-results/openvocab/unbounded_cache_<budget>s.json (with --grid: unbounded_cache_grid_<budget>s.csv)')
    args = vars(a.parse_args())
    if args.pop('grid'): args.pop('order'); grid(**args)
    else: main(**args)
