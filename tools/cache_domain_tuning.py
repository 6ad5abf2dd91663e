"""Tune the context cache on some of the user's own text (`tune_context_cache`), score it on the rest (issue 15).

The default cache (window 1,000, λ 0.7, θ 10) was chosen on held-out Wikipedia articles. A user can instead tune λ and θ
on a held-out part of the text they will read. This measures what that gives, two-fold, on each text never used to
choose the default: the documents are split into even and odd halves; the cache is tuned (by top-1, the criterion of the
default) on one half with the table grown by the whole text, and scored on the other, then the halves swap.

Trains our vector LM (default head, loss and ties, small AWD-LSTM) for `--budget` seconds on 90% of gensim's Wikipedia
sample (fastText targets trained on those articles: `context_cache.trained_model`). Texts: gensim's Lee news corpus and
its 200 Usenet posts. Reports, on each scored half: no cache, the default cache and the tuned cache — top-1, seen and new
words' top-1 / semantic accuracy@10, new words' top-5, word perplexity, and issue 15's ratio (new words' semantic
accuracy ÷ seen words'), and every tuning grid (`grids`: top-1 and word perplexity of each cell).

    python tools/cache_domain_tuning.py [--budget 120] [--out bench-results/openvocab/cache_domain_tuning_<budget>s.json]
One run, seed 42.
"""
import warnings; warnings.filterwarnings('ignore')
import sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from context_cache import trained_model, grown_table, evaluate_on, write_result, budget_cli
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.curve import curve_texts

KEYS = ('top1', 'top1_seen', 'sem_acc@10_seen', 'top1_new', 'top5_new', 'sem_acc@10_new', 'word_ppl')
WEIGHTS, THETAS = (0.3, 0.5, 0.7, 0.9), (5., 10., 20.)

def main(budget=120., out=None):
    t0 = time.time()
    out = out or f'bench-results/openvocab/cache_domain_tuning_{budget:g}s.json'
    learn, tv, kv, desc, _, news = trained_model(budget)
    n, rows, grids = len(tv), [], {}
    for corpus, docs in [('news', news), ('usenet', curve_texts('usenet'))]:
        learn.set_targets(grown_table(learn, tv, kv, docs))
        halves = {'even': docs[0::2], 'odd': docs[1::2]}
        for tune_on, score_on in [('even', 'odd'), ('odd', 'even')]:
            held = halves[score_on]
            grid = learn.tune_context_cache(learn.dls.test_dl(halves[tune_on], bs=32, seq_len=72), weights=WEIGHTS, thetas=THETAS, by='top1')
            grids[f'{corpus}-{tune_on}'] = grid.to_dict('records')
            tuned, scored = learn.context_cache, {}
            for cache, (weight, theta) in [('none', (None, None)), ('default', (0.7, 10.)), ('tuned', (tuned.weight, tuned.theta))]:
                if (weight, theta) not in scored:   # the tuned cell is often the default: score each setting once
                    learn.use_context_cache(None if weight is None else 1000, weight=ifnone(weight, 0.7), theta=theta)
                    scored[weight, theta] = evaluate_on(learn, held, n)
                r = dict(corpus=corpus, tuned_on=tune_on, scored_on=score_on, cache=cache, weight=weight, theta=theta, **scored[weight, theta])
                r['sem_ratio'] = r['sem_acc@10_new'] / r['sem_acc@10_seen']
                rows.append(r)
                print(f"{corpus:>6} tuned on {tune_on:>4}, scored on {score_on:>4}  {cache:>7} λ {weight or '-'} θ {theta or '-'}  "
                      + '  '.join(f"{k} {r[k]:.4f}" for k in KEYS + ('sem_ratio',)), flush=True)
        learn.use_context_cache(None)
    write_result(dict(machine=machine(), budget=budget, vectors=desc, training_vocab=n, grid=dict(weights=WEIGHTS, thetas=THETAS, window=1000, by='top1'), grids=grids, rows=rows), out, t0)

if __name__ == '__main__': budget_cli(main, __doc__, 'cache_domain_tuning')
