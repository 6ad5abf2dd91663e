"""Is the vector head's perplexity gap a calibration gap, and can training data alone fix it?

`python tools/calibration_check.py CORPUS BUDGET [MODEL] [VECTORS]` trains MODEL (a curve model: embout, softmax,
adaptive, embout:OPTS; default embout) on a curve corpus for BUDGET seconds as `embout bench curve` does (targets:
VECTORS, e.g. the curve's cached `OUT/curve/CORPUS/vectors-100d.pt`, else trained as the curve trains them). Then, with
one factor α on every logit (`fastai_embout.metrics.temperature_nll`: ours α·(s·cos(ê, e_w + δ_w) + b_w), a softmax LM
α·logits), over the positions whose word has a target vector, it fits α on 40 training batches (eval mode) and on the
first half of the validation positions, and reads the second half's perplexity at α = 1, at the training α and at the
validation α. A diagnostic, not part of the package."""
import sys, math, torch
from pathlib import Path
from fastai.text.all import *
from fastai_embout.curve import curve_texts, _curve_learner
from fastai_embout.data import lm_dls_from_texts
from fastai_embout.vectors import TargetVectors
from fastai_embout.fit import fit_budget
from fastai_embout.metrics import scorer_for, temperature_nll, _logits_fn, CALIBRATION_GRID as grid
corpus, budget, model = sys.argv[1], float(sys.argv[2]), (sys.argv[3] if len(sys.argv) > 3 else 'embout')
dls = lm_dls_from_texts(curve_texts(corpus), bs=32, seq_len=72, seed=42)
vpath = Path(sys.argv[4]) if len(sys.argv) > 4 else None
tv = TargetVectors.load(vpath, dls) if vpath and vpath.exists() else TargetVectors.train(dls, dim=100, seed=42)
set_seed(42)
learn = _curve_learner(model, dls, tv, 'small', 100, 1., None)
with learn.no_bar(), learn.no_logging():
    final = fit_budget(learn, 5e-3, budget=budget, points=1, quiet=True)[-1]
print(model, {k: round(final[k], 4) for k in ('top1', 'word_ppl', 'epoch')}, flush=True)

def positions(dl, n_batches=None):
    "The model's eval-mode predictions and targets at the positions whose word has a target vector."
    m = learn.model; m.eval(); m.reset(); ps, ts = [], []
    with torch.no_grad():
        for i, (xb, yb) in enumerate(dl):
            if n_batches and i >= n_batches: break
            p, t = scorer_for(tv).select(m(xb)[0].float(), yb); ps.append(p); ts.append(t)
    return torch.cat(ps), torch.cat(ts)

pt, yt = positions(dls.train, 40)
pv, yv = positions(dls.valid)
f = _logits_fn(pv, tv, learn.loss_func)
n = len(yv) // 2
train, first, second = (temperature_nll(f, p, y) / len(y) for p, y in ((pt, yt), (pv[:n], yv[:n]), (pv[n:], yv[n:])))
a_train, a_valid, one = grid[int(train.argmin())], grid[int(first.argmin())], grid.index(1.0)
ppl = lambda a: math.exp(second[grid.index(a)])
print(f"{len(yt)} training positions: alpha* {a_train} (their perplexity at alpha 1: {math.exp(train[one]):.1f}); "
      f"first half of validation ({n} positions): alpha* {a_valid}")
print(f"second half of validation, perplexity: alpha 1 {ppl(1.0):.1f}; training alpha {ppl(a_train):.1f}; validation alpha {ppl(a_valid):.1f}", flush=True)
