"""Train the vector head to name the words outside its vocabulary (issue 15): `xxunk` positions also score their own word.

While a model trains, every word outside its vocabulary is `xxunk`; after training, the library's decoding lets the words
new to it share the probability it gives `xxunk`, each ∝ exp(s·cos(ê, e_w + δ̂_w)). That split was never trained: the
head learned *that* an unknown word comes, not *which*. Here the training text's own rare words (outside the vocabulary,
each with its fastText vector: subwords give every word one) are kept, and at their positions the loss adds
−log p(word | xxunk) = cross-entropy of s·cos(ê, e_r) over every rare word of the training text: the factorisation
p(word) = p(xxunk)·p(word | xxunk) that decoding uses, with two differences: the term scores the bare vectors e_r (decoding
adds the shift δ̂_w regressed after training) and normalises over the training text's rare words (decoding: over the
new words of the grown table). The input still reads them as `xxunk`.

Two models, the same budget and seed: our default head (`default`) and the same with that term (`rare`). Each held-out
text grows the table with its words (`context_cache.grown_table`), and is evaluated with and without the default context
cache. Texts: wiki's held-out 10% (tuning), the Lee news corpus and its 200 Usenet posts (never used to choose anything).

    python tools/rare_word_targets.py [--budget 120] [--out bench-results/openvocab/rare_word_targets_<budget>s.json]
One run per arm, seed 42. Result (bench-results/openvocab/README.md): no gain for new words, a small loss on the trained
ones; not built into the library.
"""
import warnings; warnings.filterwarnings('ignore')
import sys, time
from collections import Counter, defaultdict
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from context_cache import trained_model, grown_table, evaluate_on, write_result, budget_cli
import torch, torch.nn.functional as F
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.core import unit
from fastai_embout.curve import curve_texts

KEYS = ('top1', 'top1_seen', 'top5_seen', 'sem_acc@10_seen', 'top1_new', 'top5_new', 'sem_acc@10_new', 'word_ppl', 'word_ppl_seen', 'word_ppl_new', 'pred_new_share')

class RareWordTargets(Callback):
    "Batches of `dls` read ids from `n` on as `unk` (inputs and loss targets); at those targets the loss adds −log p(word | xxunk) over `keys` (row r of `keys` is id n + r)."
    def __init__(self, dls, n:int, unk:int, keys:torch.Tensor, weight:float=1.):
        store_attr('n,unk,keys,weight')
        self.dls, self.rare = dls, None
        self.own = [dl.after_batch for dl in dls.loaders]
        for dl, own in zip(dls.loaders, self.own): dl.after_batch = partial(self.clamp, own)   # also the batches `fit_budget` times
    def clamp(self, after_batch, b):
        "The batch (after the loader's own `after_batch`) with rare ids read as `unk`; their own ids kept for the loss."
        x, y = after_batch(b)
        self.rare = y - self.n
        return x.masked_fill(x >= self.n, self.unk), y.masked_fill(y >= self.n, self.unk)
    def after_loss(self):
        if not self.training: return
        r = self.rare.reshape(-1)
        m = r >= 0
        if not m.any(): return
        lf = self.learn.loss_func
        o = self.pred.float().reshape(-1, lf.dim)[m]
        z = unit(o, scale=lf.scale()) @ self.keys.T
        aux = F.cross_entropy(z, r[m], reduction='sum') / m.numel()
        self.learn.loss_grad = self.learn.loss_grad + self.weight * aux
    def restore(self):
        for dl, own in zip(self.dls.loaders, self.own): dl.after_batch = own

def keep_rare_words(info:dict):
    "A `trained_model` `prepare` hook: training batches carry the training split's rare words (with a vector) as ids n + r, read through `RareWordTargets`; `info` gets their counts."
    def prepare(learn, dls, tv, kv):
        n, counts = len(tv), Counter(t for doc in dls.train.dataset.items['text'] for t in doc)   # the training split's tokens
        words = [w for w, _ in counts.most_common() if w not in tv.stoi and not is_special(w)]
        ext = extend_targets(tv, kv, words=words)                # the rows a grown table would give them (words without a vector left out)
        words, keys = list(ext.vocab[n:]), ext.vectors[n:]
        def use(vocab):
            num = dls.numericalize
            num.vocab, num.o2i = list(vocab), defaultdict(int, {w: i for i, w in enumerate(vocab) if w != 'xxfake'})
            for dl in dls.loaders: dl.items.cache_clear()        # documents numericalised with the other vocabulary
        use(list(tv.vocab) + words)
        cb = RareWordTargets(dls, n, tv.stoi['xxunk'], keys)
        learn.add_cb(cb)
        info.update(rare_types=len(words), rare_positions=sum(counts[w] for w in words), train_positions=sum(counts.values()))
        print(f"rare words: {len(words):,} types, {info['rare_positions']:,} of {info['train_positions']:,} training positions", flush=True)
        def done(): cb.restore(); learn.remove_cb(cb); use(tv.vocab)
        return done
    return prepare

def main(budget=120., out=None):
    t0 = time.time()
    out = out or f'bench-results/openvocab/rare_word_targets_{budget:g}s.json'
    rows, infos = [], {}
    for arm in ('default', 'rare'):
        infos[arm] = {}
        learn, tv, kv, desc, wiki_held, news = trained_model(budget, prepare=keep_rare_words(infos[arm]) if arm == 'rare' else None)
        n = len(tv)
        for corpus, texts in [('wiki', wiki_held), ('news', news), ('usenet', curve_texts('usenet'))]:
            learn.set_targets(grown_table(learn, tv, kv, texts))
            for window in (None, 1000):
                learn.use_context_cache(window)
                r = dict(arm=arm, corpus=corpus, cache=window, **evaluate_on(learn, texts, n))
                r['sem_ratio'] = r['sem_acc@10_new'] / r['sem_acc@10_seen']
                rows.append(r)
                print(f"{arm:>7} {corpus:>6} {'cache' if window else 'no cache':>8}  " + '  '.join(f"{k} {r[k]:.4f}" for k in KEYS + ('sem_ratio',)), flush=True)
    write_result(dict(machine=machine(), budget=budget, vectors=desc, training_vocab=n, rare=infos, cache=dict(window=1000, weight=0.7, theta=10.), rows=rows), out, t0)

if __name__ == '__main__': budget_cli(main, __doc__, 'rare_word_targets')
