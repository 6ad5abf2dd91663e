"""Are film reviews' new words out of reach because of the model or because of their vectors? (issue 15)

The film reviews' words outside the 13k Wikipedia vocabulary are mostly everyday words — *funny*, *boring*, *thriller*,
*entertaining* (`new_word_ceiling.json`) — and fastText trained on the Wikipedia articles alone gives them vectors from
subwords only. A user's pretrained fastText vectors have read such words. This trains our default head
(small AWD-LSTM, tie 'auto', `--budget` seconds on 90% of gensim's Wikipedia sample, as `tools/context_cache.py`) twice,
with fastText targets trained on
  - `wiki`: the training articles only (every table in `bench-results/openvocab/` so far);
  - `wiki+reviews`: the training articles and the Rotten Tomatoes snippets after the first 4,000 (other films'
    reviews; the LM never reads them),
and scores both on the first 4,000 snippets (the film reviews of `auto_theta.md`, never used to choose anything) and on
Wikipedia's held-out articles, with the table grown by each text's words, without a cache and with the default
`use_context_cache()` (unbounded, θ 'auto'). Cells: top-1 / top-5 / semantic accuracy@10 on seen words / on new words,
issue 15's ratio, new words' top-5, word perplexity.

    python tools/domain_vectors.py [--budget 120] [--out bench-results/openvocab/domain_vectors_120s.json]
"""
import warnings; warnings.filterwarnings('ignore')
import argparse, time
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.data import rotten_tomatoes_df
from context_cache import trained_model, grown_table, evaluate_on, write_result

KEYS = ('top1', 'top5', 'sem_acc@10_seen', 'sem_acc@10_new', 'ratio', 'top5_new', 'word_ppl', 'eval_s')

def main(budget=120., out=None):
    t0, rows = time.time(), []
    out = out or f'bench-results/openvocab/domain_vectors_{budget:g}s.json'
    snippets = rotten_tomatoes_df().text.tolist()
    reviews, other_reviews = snippets[:4000], snippets[4000:]
    for arm, extra in [('wiki', []), ('wiki+reviews', other_reviews)]:
        learn, tv, kv, desc, wiki_held, _ = trained_model(budget, vector_texts=extra)
        n = len(tv)
        for corpus, held in [('reviews', reviews), ('wiki', wiki_held)]:
            learn.set_targets(grown_table(learn, tv, kv, held))
            for cache in (None, 'all'):
                learn.use_context_cache(cache)
                r = evaluate_on(learn, held, n); r['ratio'] = r['sem_acc@10_new'] / r['sem_acc@10_seen']
                r.update(arm=arm, vectors=desc, corpus=corpus, cache='none' if cache is None else 'unbounded, auto'); rows.append(r)
                print(f"{arm:>12} {corpus:>7} {r['cache']:>15}  " + '  '.join(f"{k} {r[k]:.4f}" for k in KEYS), flush=True)
        learn.use_context_cache(None)
    write_result(dict(machine=machine(), budget=budget, rows=rows), out, t0)

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--budget', type=float, default=120.); a.add_argument('--out', default=None)
    main(**vars(a.parse_args()))
