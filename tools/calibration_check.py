"""Is the vector head's perplexity gap a calibration gap? `python tools/calibration_check.py CORPUS BUDGET [embout|softmax] [VECTORS]`

Trains a model on a curve corpus for BUDGET seconds as `embout bench curve` does (its targets: VECTORS, e.g. the curve's
cached `OUT/curve/CORPUS/vectors-100d.pt`, else trained as the curve trains them), then over the validation positions
whose word has a target vector fits one factor α on every logit (ours: α·(s·cos(ê, e_w + δ_w) + b_w); the softmax LM:
α·logits) on the first half and reads the perplexity of the second half with α = 1 and with the fitted α; for ours also
two factors (α on s·cos, β on the bias). Every word is scored exactly (for small V). A diagnostic, not part of the package."""
import sys, math, torch, torch.nn.functional as F
from pathlib import Path
from fastai.text.all import *
from fastai_embout.curve import curve_texts, _curve_learner
from fastai_embout.data import lm_dls_from_texts
from fastai_embout.vectors import TargetVectors
from fastai_embout.fit import fit_budget
from fastai_embout.core import unit
corpus, budget, model = sys.argv[1], float(sys.argv[2]), (sys.argv[3] if len(sys.argv) > 3 else 'embout')
dls = lm_dls_from_texts(curve_texts(corpus), bs=32, seq_len=72, seed=42)
vpath = Path(sys.argv[4]) if len(sys.argv) > 4 else None
tv = TargetVectors.load(vpath, dls) if vpath and vpath.exists() else TargetVectors.train(dls, dim=100, seed=42)
set_seed(42)
learn = _curve_learner(model, dls, tv, 'small', 100, 1., None)
with learn.no_bar(), learn.no_logging():
    final = fit_budget(learn, 5e-3, budget=budget, points=1, quiet=True)[-1]
print({k: final[k] for k in ('top1', 'word_ppl', 'epoch')}, flush=True)
m, loss = learn.model, learn.loss_func
m.eval(); m.reset()
outs, ys = [], []
with torch.no_grad():
    for xb, yb in dls.valid:
        r = m(xb)[0]; outs.append(r.reshape(-1, r.shape[-1]).float()); ys.append(yb.reshape(-1))
o, y = torch.cat(outs), torch.cat(ys)
if model == 'softmax':   # fastai's LM: logits over V; the same positions (targets with a vector) as for ours
    from fastai_embout.losses import ContrastiveLoss
    valid = ContrastiveLoss(tv).valid
    keep = valid[y]; o, y = o[keep], y[keep]
    def nll(alpha, beta, idx):
        return float(-(alpha * o[idx]).log_softmax(-1).gather(1, y[idx, None]).sum()) / len(idx)
    n = len(y); first, second = torch.arange(0, n // 2), torch.arange(n // 2, n)
    base = nll(1, 1, second)
    best = min(((nll(a, a, first), a) for a in [0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2]))
    print(f"softmax positions {n}: α*={best[1]}; second half ppl {math.exp(base):.1f} -> {math.exp(nll(best[1], best[1], second)):.1f}", flush=True)
    sys.exit()
dec = m[1]
keys = loss.targets + dec.word_shift.weight.detach().float()
b = dec.word_bias.weight.detach()[:, 0].float()
valid = loss.valid
keep = valid[y]
o, y = o[keep], y[keep]
s = float(loss.scale(grad=False))
cos = lambda q: unit(q) @ keys.T
def nll(alpha, beta, idx):
    tot = 0.
    for a in range(0, len(idx), 4096):
        j = idx[a:a+4096]
        L = alpha * s * cos(o[j]) + beta * b
        L = L.masked_fill(~valid, -float('inf'))
        tot += float(-(L.log_softmax(-1).gather(1, y[j, None])).sum())
    return tot / len(idx)
n = len(y); first, second = torch.arange(0, n // 2), torch.arange(n // 2, n)
print(f"positions {n}, s={s}", flush=True)
base = nll(1, 1, second)
best = min(((nll(a, a, first), a) for a in [0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2]))
print(f"one factor: α*={best[1]} (fit on first half); second half ppl {math.exp(base):.1f} -> {math.exp(nll(best[1], best[1], second)):.1f}", flush=True)
best2 = min(((nll(a, bb, first), a, bb) for a in [0.7, 0.8, 0.9, 1.0, 1.1] for bb in [0.6, 0.8, 1.0, 1.2, 1.4]))
print(f"two factors: α*={best2[1]} β*={best2[2]}; second half ppl {math.exp(base):.1f} -> {math.exp(nll(best2[1], best2[2], second)):.1f}", flush=True)
