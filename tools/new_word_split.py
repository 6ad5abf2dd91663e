"""Words new since training share the probability the model gives `xxunk` (issue 15): the library's decoding against the previous one.

Trains our vector LM (default head, loss and ties, small AWD-LSTM) for `--budget` seconds on 90% of gensim's Wikipedia
sample (fastText targets trained on those articles: `context_cache.trained_model`), grows the target table with every
word of a held-out text (`context_cache.grown_table`) and evaluates it with the library's metrics (`evaluate`), without
and with the default context cache (window 1,000, λ 0.7, θ 10), two ways:
  - `split` (the library's decoding): the new words share the probability the head gives `xxunk`, each in proportion to
    exp(its logit) under the mean trained bias and the regressed shift; `xxunk` itself is not predicted;
  - `compete` (the decoding before it): each new word is a word of its own in one softmax with the trained ones, and
    `xxunk` keeps its probability and can be the top-1 prediction (always a miss: the positions scored are words).
Texts: the 10% of Wikipedia articles held out from training, gensim's Lee news corpus and its 200 Usenet posts. The split
has no parameter to tune; news and usenet were never used to choose anything in the open-vocabulary work.

    python tools/new_word_split.py [--budget 120] [--out bench-results/openvocab/new_word_split_<budget>s.json]
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
from fastai_embout.metrics import scorer_for

KEYS = ('top1', 'top1_seen', 'top5_seen', 'sem_acc@10_seen', 'top1_new', 'top5_new', 'sem_acc@10_new', 'word_ppl', 'word_ppl_seen', 'word_ppl_new', 'pred_new_share', 'pred_unk_share')

def compete(learn):
    "Switch the split off in the loss (perplexity) and in the metrics' shared search (decoding): the previous decoding, for comparison."
    learn.loss_func.unknown, learn.loss_func._search = None, None
    for m in learn.metrics:
        m = getattr(m, 'metric', m)
        if getattr(m, 'offset', None) is not None:
            sc = scorer_for(m.vectors, m.offset)
            sc.search.unknown, sc.search._memo, sc._last = None, None, None

def main(budget=120., out=None):
    t0 = time.time()
    out = out or f'bench-results/openvocab/new_word_split_{budget:g}s.json'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget)
    n, rows, unk = len(tv), [], list(tv.vocab).index('xxunk')
    for corpus, texts in [('wiki', wiki_held), ('news', news), ('usenet', curve_texts('usenet'))]:
        for decoding in ('compete', 'split'):
            learn.set_targets(grown_table(learn, tv, kv, texts))
            if decoding == 'compete': compete(learn)
            for window in (None, 1000):
                learn.use_context_cache(window)
                r = dict(corpus=corpus, decoding=decoding, cache=window, **evaluate_on(learn, texts, n))
                hub = next(m for m in learn.metrics if isinstance(m, HubShare)).counts
                r['pred_unk_share'] = float(hub[unk] / hub.sum())   # top-1 predictions that are `xxunk`: a sure miss
                r['sem_ratio'] = r['sem_acc@10_new'] / r['sem_acc@10_seen']
                rows.append(r)
                print(f"{corpus:>6} {decoding:>7} {'cache' if window else 'no cache':>8}  " + '  '.join(f"{k} {r[k]:.4f}" for k in KEYS + ('sem_ratio',)), flush=True)
    write_result(dict(machine=machine(), budget=budget, vectors=desc, training_vocab=n, cache=dict(window=1000, weight=0.7, theta=10.), rows=rows), out, t0)

if __name__ == '__main__': budget_cli(main, __doc__, 'new_word_split')
