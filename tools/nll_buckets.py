"""Where does one model's held-out perplexity lose to another's? Mean NLL by the target word's training count.

`python tools/nll_buckets.py CORPUS BASE.pt OTHER.pt ...` reads the per-position log-probabilities that
`tools/overfit_check.py` saved (the same validation positions for every file) and prints, per training-count bucket of
the target word, its share of positions and each model's mean NLL (nats), then how much each bucket adds to each
model's mean-NLL gap to BASE. A diagnostic, not part of the package."""
import sys, math, torch
from fastai_embout.curve import curve_texts
from fastai_embout.data import lm_dls_from_texts
from fastai_embout.vectors import TargetVectors
corpus, files = sys.argv[1], sys.argv[2:]
dls = lm_dls_from_texts(curve_texts(corpus), bs=32, seq_len=72, seed=42)
tv = TargetVectors.load(f'/tmp/overfit_check/{corpus}-100d.pt', dls)
count = torch.tensor([float(tv.counts.get(w, 0)) for w in tv.vocab])
ds = [{k: v.as_subclass(torch.Tensor) for k, v in torch.load(f, weights_only=False).items()} for f in files]   # plain tensors (fastai's subclasses pickled by older dumps)
t = ds[0]['t']
assert all(torch.equal(d['t'], t) for d in ds), 'the files score different positions: same corpus, split and targets?'
c, edges = count[t], [0, 10, 100, 1000, 10000, float('inf')]
names = [f.rsplit('/', 1)[-1][4:-3].split('-', 2)[-1] for f in files]   # nll-CORPUS-BUDGET-MODEL... → MODEL...
print(f"{len(t):,} validation word positions; training count of the target word → share of positions, mean NLL per model")
print(f"{'bucket':>14} {'share':>6} " + ' '.join(f'{n[:30]:>30}' for n in names))
for lo, hi in zip(edges, edges[1:]):
    m = (c >= lo) & (c < hi)
    print(f"{f'[{lo:g}, {hi:g})':>14} {m.float().mean():6.3f} " + ' '.join(f"{-d['lp'][m].mean():30.3f}" for d in ds))
print(f"{'perplexity':>14} {'':6} " + ' '.join(f"{math.exp(-d['lp'].mean()):30.1f}" for d in ds))
for n, d in zip(names[1:], ds[1:]):
    gap = (ds[0]['lp'] - d['lp']) / len(t)
    print(f"{n} − {names[0]}: mean-NLL gap {float(gap.sum()):+.3f} = " + ' + '.join(f"{float(gap[(c >= lo) & (c < hi)].sum()):+.3f} [{lo:g}, {hi:g})" for lo, hi in zip(edges, edges[1:])))
