"""Is `theta='auto'`'s grid (10–60) too short? Its θ ended at 60, the grid's top, in two runs (issue 15; prints, writes no JSON)

Runs `theta='auto'` with its grid (10, 20, 30, 40, 60) and with 80 and 100 added on (1) the library's default head,
60 s on 90% of gensim's Wikipedia sample (as `tools/auto_theta.py`), scored on the first 4,000 Rotten Tomatoes snippets
and the Lee news corpus; (2) the open-vocabulary tutorial's model (all 106 articles, a 2,000-word vocabulary, tie
'frozen', 300 s), scored on the news corpus in 48-token batches. Prints each run's figures, the θ it ended with and its
hits per θ. Committed output: bench-results/openvocab/auto_theta_edge.log.

    python tools/auto_theta_edge.py
"""
import warnings; warnings.filterwarnings('ignore')
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.data import rotten_tomatoes_df
from context_cache import trained_model, grown_table, evaluate_on
GRIDS = {'auto ≤60': (10., 20., 30., 40., 60.), 'auto ≤100': (10., 20., 30., 40., 60., 80., 100.)}
def run(learn, n, corpus, held, seq_len=72):
    for name, grid in GRIDS.items():
        learn.use_context_cache('all', theta='auto'); c = learn.context_cache; c.auto_thetas = grid
        r = evaluate_on(learn, held, n, seq_len=seq_len)
        print(f"{corpus:>8} {name:>9} top1 {r['top1']:.4f} top5 {r['top5']:.4f} sem_seen {r['sem_acc@10_seen']:.4f} sem_new {r['sem_acc@10_new']:.4f} ratio {r['sem_acc@10_new']/r['sem_acc@10_seen']:.3f} top5_new {r['top5_new']:.4f} ppl {r['word_ppl']:.1f} eval_s {r['eval_s']:.0f} θ_end {c.theta:g} hits {[int(h) for h in c._hits.tolist()]}", flush=True)
    learn.use_context_cache(None)
# 1. the library's default head, 60 s, as auto_theta.md
learn, tv, kv, desc, wiki_held, news = trained_model(60.)
n = len(tv)
for corpus, held in [('reviews', rotten_tomatoes_df().text.tolist()[:4000]), ('news', news)]:
    learn.set_targets(grown_table(learn, tv, kv, held)); run(learn, n, corpus, held)
# 2. the open-vocabulary tutorial's setting: all articles, 2,000-word vocabulary, tie 'frozen', 300 s, news read in 48-token batches
texts = wiki_texts()
kv, desc = train_keyed_vectors(corpus_tokens(texts), method='fasttext', dim=100)
dls = lm_dls_from_texts(texts, bs=32, seq_len=48, max_vocab=2000)
tv = TargetVectors.from_gensim(kv, dls)
ours = embout_lm_learner(dls, vectors=tv, config=awd_config('small', tv.dim), tie_weights='frozen')
set_seed(42); fit_budget(ours, 5e-3, budget=300, points=1, name='tutorial ')
news_words = [w for w, _ in Counter(t for doc in corpus_tokens(news) for t in doc).most_common()]
ours.set_targets(extend_targets(extend_targets(tv, kv, words=news_words), kv))
run(ours, len(tv), 'tut-news', news, seq_len=48)
