"""Which part of training sets the vector head's held-out temperature? A diagnostic, not part of the package.

`python tools/overfit_check.py CORPUS BUDGET MODEL DROP_MULT WD [LR]` trains MODEL on a curve corpus for BUDGET seconds as
`embout bench curve` does (targets cached in /tmp/overfit_check/CORPUS-100d.pt, trained as the curve trains them), with
dropout multiplier DROP_MULT, weight decay WD and peak learning rate LR (default 5e-3), and prints one `RESULT` line:
top-1, semantic accuracy, word perplexity, the cross-fitted calibrated perplexity (`word_ppl_cal`), the α fitted on all
validation positions, and the perplexity on 40 training batches in eval mode (how much the model memorised). It also
saves every validation word position's log-probability (for `tools/nll_buckets.py`).

MODEL is a curve model (softmax, adaptive, embout, embout:OPTS) or one of three variants that are not in the package:
`ls:EPS:K` (the default head plus semantic label smoothing: EPS of each target's mass on its K nearest target words,
q ∝ exp(cos/0.1)) and `norm:R0` (the default head with queries scaled by 1/max(‖ê‖, R0) instead of 1/‖ê‖, so a short
output vector gives a flatter distribution), and `fixbias` (the default head with its per-word bias held at its start, the
log unigram prior of the training text: a frequency prior that is not learned)."""
import sys, math, torch, torch.nn.functional as F
from pathlib import Path
from fastai.text.all import *
from fastai_embout.curve import curve_texts, _curve_learner
from fastai_embout.data import lm_dls_from_texts
from fastai_embout.vectors import TargetVectors, as_target_vectors
from fastai_embout.fit import fit_budget, awd_config
from fastai_embout.losses import ContrastiveLoss, unit
from fastai_embout.search import TargetNeighbours
from fastai_embout.learner import embout_lm_learner
from fastai_embout.metrics import CalibratedPerplexity, scorer_for, temperature_nll, _logits_fn, CALIBRATION_GRID as grid

class SmoothedContrastive(ContrastiveLoss):
    "The contrastive loss with EPS of each target's mass moved to its K nearest target words: (1-ε)·CE(t) + ε·Σ q_j CE(j) = CE(t) + ε·(z_t − Σ q_j z_j)."
    def __init__(self, vectors, eps=0.1, k=10, tq=0.1, **kw):
        super().__init__(vectors, **kw)
        tv = as_target_vectors(vectors)
        self.eps, self.tq = eps, tq
        self.nbrs = TargetNeighbours(tv.vectors, k=k, allowed=tv.is_word & tv.target_mask)
        self.register_buffer('smooth', (tv.is_word & tv.target_mask).float())
    def token_loss(self, o, t):
        u = unit(o) * self.scale()
        def z(ids):   # each row's logit of words `ids` ([N] or [N, K]), corrected as the training loss corrects them
            keys = self.targets[ids] + (0. if self.word_shift is None else self.word_shift(ids).float())
            s = (u.view(len(u), *([1] * (ids.dim() - 1)), -1) * keys).sum(-1)
            if self.word_bias is not None: s = s + self.word_bias(ids)[..., 0].float()
            return s - self.log_q[ids] if self.subtract_log_q and self.mode == 'sampled' else s
        n, sims = self.nbrs(t)
        return super().token_loss(o, t) + self.eps * self.smooth[t] * (z(t) - (F.softmax(sims / self.tq, -1) * z(n)).sum(-1))

corpus, budget, model, dm, wd = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
lr = float(sys.argv[6]) if len(sys.argv) > 6 else 5e-3
out = Path('/tmp/overfit_check'); out.mkdir(exist_ok=True)
dls = lm_dls_from_texts(curve_texts(corpus), bs=32, seq_len=72, seed=42)
vpath = out/f'{corpus}-100d.pt'
if vpath.exists(): tv = TargetVectors.load(vpath, dls)
else: tv = TargetVectors.train(dls, dim=100, seed=42); tv.save(vpath)
set_seed(42)
if model.startswith('ls:'):
    _, eps, k = model.split(':')
    learn = embout_lm_learner(dls, vectors=tv, loss=SmoothedContrastive(tv, eps=float(eps), k=int(k)), config=awd_config('small', 100), drop_mult=dm)
elif model.startswith('norm:'):
    import fastai_embout.losses as L
    learn, r0 = _curve_learner('embout', dls, tv, 'small', 100, dm, None), float(model.split(':')[1])
    L.unit = lambda x, eps=1e-12: x / x.norm(dim=-1, keepdim=True).clamp_min(r0)   # every query the loss scores (training, log_prob, logits)
elif model == 'fixbias':
    learn = _curve_learner('embout', dls, tv, 'small', 100, dm, None)
    get_model(learn.model)[1].word_bias.weight.requires_grad_(False)   # no gradient: the optimizer never moves it
else: learn = _curve_learner(model, dls, tv, 'small', 100, dm, None)
learn.wd = wd
learn.metrics = list(learn.metrics) + [CalibratedPerplexity(tv)]   # its α comes back in the record (`extra_values`)
with learn.no_bar(), learn.no_logging():
    final = fit_budget(learn, lr, budget=budget, points=1, quiet=True)[-1]
if model == 'fixbias':
    from fastai_embout.models import unigram_log_prior
    moved = (get_model(learn.model)[1].word_bias.weight[:, 0].detach().cpu() - unigram_log_prior(tv)).abs().max()
    assert moved < 1e-6, f'the fixed bias moved by {moved}'
sc, m = scorer_for(tv), learn.model
def positions(dl, n_batches=None):
    "Eval-mode predictions and targets at the word positions (those `WordPerplexity` reads)."
    m.eval(); m.reset(); ps, ts = [], []
    with torch.no_grad():
        for i, (xb, yb) in enumerate(dl):
            if n_batches and i >= n_batches: break
            p, t = sc.select(m(xb)[0].float(), yb)
            if len(t): ps.append(p); ts.append(t)
    return ps, ts
ps, ts = positions(dls.train, 40)
train_nll = sum(temperature_nll(_logits_fn(p, tv, learn.loss_func), p, t, grid=(1.,))[0] for p, t in zip(ps, ts)) / sum(len(t) for t in ts)
ps, ts = positions(dls.valid)
lp = [F.log_softmax(sc._full_logits(p), -1).gather(-1, t[:, None])[:, 0] if sc.is_logits(p) else learn.loss_func.log_prob(p, t) for p, t in zip(ps, ts)]
dump = out/f"nll-{corpus}-{int(budget)}s-{model.replace(':', '_')}-drop{dm:g}-wd{wd:g}-lr{lr:g}.pt"
torch.save(dict(lp=torch.cat(lp).as_subclass(torch.Tensor), t=torch.cat(ts).as_subclass(torch.Tensor)), dump)
print('RESULT', corpus, budget, model, 'drop', dm, 'wd', wd, 'lr', lr, {k: round(final[k], 4) for k in ('top1', 'sem_acc@10', 'word_ppl', 'word_ppl_cal', 'hub_share', 'epoch')},
      'alpha', final['calibration'], 'train_ppl', round(math.exp(train_nll), 1), 'nll', dump, flush=True)
