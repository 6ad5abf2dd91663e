"""Choosing the context cache's λ and θ on held-out text with `tune_context_cache` (issue 15): does tuning on the text you
will read beat the defaults, and what does tuning for perplexity rather than top-1 give?

Trains our default LM for `--budget` seconds as `tools/context_cache.py` does (90% of gensim's Wikipedia sample, fastText
targets of those articles), then, with the table grown by each text's words:
  - Wikipedia's held-out articles: the whole grid, one pass (the defaults were chosen on this text);
  - the Lee news corpus, never used to choose anything before: its first half of documents tunes (by top-1 and by word
    perplexity), its second half reports the defaults, the Wikipedia-tuned cell and the cells tuned on the first half.

    python tools/context_cache.py is the older grid; this one: python tools/cache_tuning.py [--budget 120] [--out FILE]
writes `--out` (default bench-results/openvocab/cache_tuning_<budget>s.json) and prints the tables. One run, seed 42.
"""
import warnings; warnings.filterwarnings('ignore')
import time
from fastai.text.all import *
from fastai_embout.all import *
from context_cache import trained_model, grown_table, write_result, budget_cli

WEIGHTS, THETAS = (0.1, 0.3, 0.5, 0.7, 0.9), (5., 10., 20.)
KEYS = ('top1', 'top5', 'sem_acc@10', 'word_ppl', 'top1_new', 'top5_new', 'sem_acc@10_new', 'word_ppl_new', 'sem_acc@10_seen')

def report(learn, texts, label, rows, **setting):
    "Evaluate `learn` on `texts` with its current cache; print and keep the row."
    t0 = time.time(); res = evaluate(learn, learn.dls.test_dl(texts, bs=32, seq_len=72))
    cache = learn.context_cache
    r = dict(text=label, weight=None if cache is None else cache.weight, theta=None if cache is None else cache.theta, eval_s=time.time() - t0, **setting, **res)
    rows.append(r)
    print(f"{label:>22} {setting.get('cache', ''):>26} λ={r['weight']} θ={r['theta']}  " + '  '.join(f"{k} {r[k]:.4f}" for k in KEYS if k in r) + f"  ({r['eval_s']:.0f} s)", flush=True)

def tuned(learn, texts, by):
    "The grid on `texts` (one pass); the learner decodes with the best cell by `by` afterwards."
    t0 = time.time(); df = learn.tune_context_cache(learn.dls.test_dl(texts, bs=32, seq_len=72), 1000, WEIGHTS, THETAS, by=by)
    return df.assign(by=by, seconds=time.time() - t0)

def main(budget=120., out=None):
    t0 = time.time()
    out = out or f'bench-results/openvocab/cache_tuning_{budget:g}s.json'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget)
    rows, grids = [], {}
    learn.set_targets(grown_table(learn, tv, kv, wiki_held))
    grids['wiki'] = tuned(learn, wiki_held, 'top1')
    print(grids['wiki'].to_string(index=False), flush=True)
    wiki_top1 = grids['wiki'].loc[grids['wiki'].top1.idxmax()]
    wiki_ppl = grids['wiki'].loc[grids['wiki'].word_ppl.idxmin()]
    learn.use_context_cache(1000); report(learn, wiki_held, 'wiki (one evaluation)', rows, cache='default')   # the cost of one cell, for the grid's
    first, second = news[:len(news) // 2], news[len(news) // 2:]
    learn.set_targets(grown_table(learn, tv, kv, news))
    for by in ('top1', 'word_ppl'):
        grids[f'news-first-half-{by}'] = tuned(learn, first, by)
        print(grids[f'news-first-half-{by}'].to_string(index=False), flush=True)
    news_top1 = grids['news-first-half-top1'].loc[grids['news-first-half-top1'].top1.idxmax()]
    news_ppl = grids['news-first-half-word_ppl'].loc[grids['news-first-half-word_ppl'].word_ppl.idxmin()]
    learn.use_context_cache(None); report(learn, second, 'news, second half', rows, cache='none')
    for name, w, th in [('default', 0.7, 10.), ('wiki-tuned (top-1)', wiki_top1.weight, wiki_top1.theta), ('wiki-tuned (perplexity)', wiki_ppl.weight, wiki_ppl.theta),
                        ('first-half-tuned (top-1)', news_top1.weight, news_top1.theta), ('first-half-tuned (perplexity)', news_ppl.weight, news_ppl.theta)]:
        learn.use_context_cache(1000, weight=float(w), theta=float(th)); report(learn, second, 'news, second half', rows, cache=name)
    write_result(dict(machine=machine(), budget=budget, vectors=desc, training_vocab=len(tv),
                      grids={k: v.to_dict('records') for k, v in grids.items()}, rows=rows), out, t0)

if __name__ == '__main__': budget_cli(main, __doc__, 'cache_tuning')
