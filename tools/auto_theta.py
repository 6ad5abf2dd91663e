"""Does `theta='auto'` (θ chosen as the text is read) match the best fixed θ of each text? (issue 15)

Trains our default head (small AWD-LSTM, `--budget` seconds, fastText targets) on 90% of gensim's Wikipedia sample as
`tools/context_cache.py` does, grows the target table with each held-out text's words, and decodes with the unbounded
cache at θ 20 (chosen on held-out Wikipedia), θ 40 (what news and usenet preferred in `unbounded_cache_grid_120s.csv`)
and `theta='auto'`. Texts: 4,000 Rotten Tomatoes review snippets in the file's order (166 films, each film's snippets
together; never used to choose anything), 200 usenet posts, the Lee news corpus, Wikipedia's held-out 10% (θ 20 and
auto only). Prints and writes, per text and cache: top-1, top-5, semantic accuracy@10 on seen and new words, issue 15's
ratio, word perplexity, evaluation seconds, the θ auto ended with and the hits of each θ it counted.

    python tools/auto_theta.py [--budget 120] [--out bench-results/openvocab/auto_theta_120s.json]
"""
import warnings; warnings.filterwarnings('ignore')
import argparse, time
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.curve import curve_texts
from fastai_embout.data import rotten_tomatoes_df
from context_cache import trained_model, grown_table, evaluate_on, write_result

CACHES = {'θ20': dict(window='all', theta=20.), 'θ40': dict(window='all', theta=40.), 'auto': dict(window='all', theta='auto')}
KEYS = ('top1', 'top5', 'sem_acc@10_seen', 'sem_acc@10_new', 'ratio', 'word_ppl', 'eval_s')

def main(budget=120., out=None):
    t0, rows = time.time(), []
    out = out or f'bench-results/openvocab/auto_theta_{budget:g}s.json'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget)
    n, reviews = len(tv), rotten_tomatoes_df().text.tolist()[:4000]
    for corpus, held, names in [('reviews', reviews, CACHES), ('usenet', curve_texts('usenet'), CACHES), ('news', news, CACHES), ('wiki', wiki_held, ('θ20', 'auto'))]:
        learn.set_targets(grown_table(learn, tv, kv, held))
        for name in names:
            learn.use_context_cache(**CACHES[name])
            r = evaluate_on(learn, held, n); r['ratio'] = r['sem_acc@10_new'] / r['sem_acc@10_seen']
            cache = learn.context_cache
            r.update(corpus=corpus, cache=name, theta_end=cache.theta, hits=None if cache._hits is None else cache._hits.tolist()); rows.append(r)
            print(f"{corpus:>7} {name:>4}  " + '  '.join(f"{k} {r[k]:.4f}" for k in KEYS) + f"  θ at the end {r['theta_end']:g}  hits {r['hits']}", flush=True)
        learn.use_context_cache(None)
    write_result(dict(machine=machine(), budget=budget, vectors=desc, training_vocab=n, caches=CACHES, rows=rows), out, t0)

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--budget', type=float, default=120.); a.add_argument('--out', default=None)
    main(**vars(a.parse_args()))
