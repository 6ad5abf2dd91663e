"""Does a hybrid head close the perplexity gap? (issue 13; an experiment, not a library feature)

The default head scores word w as s·cos(o, e_w + δ_w) + b_w. The hybrid adds a free part: the decoder's projection
gets R more outputs g, every word (or the K most frequent) a free R-dim output vector r_w, and the logit becomes
s·cos(o, e_w + δ_w) + b_w + g·r_w — a low-rank softmax LM's output layer beside the vector head, trained by the same
contrastive loss (sampled negatives or every word, as the default picks). Top-1 and word perplexity are computed from
these full logits (`htop1`, `hppl`; with R = 0 they equal the library's `top1` and `word_ppl`, which the run checks).
Same data, targets, encoder, schedule and dropout rule as `embout bench curve` (its point files' vectors are reused).

    python tools/hybrid_head.py CORPUS BUDGET R K [PULL]     # e.g. wiki 180 32 0
appends one JSON line to bench-results/hybrid/hybrid_head.jsonl. One run, seed 42.
"""
import sys, json, math, time, warnings; warnings.filterwarnings('ignore')
import torch, torch.nn as nn, torch.nn.functional as F
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.curve import curve_texts, shift_drift
from fastai_embout.losses import ContrastiveLoss, sampled_cross_entropy
from fastai_embout.core import unit

corpus, budget, R, K = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
pull = float(sys.argv[5]) if len(sys.argv) > 5 else 30.

class HybLoss(ContrastiveLoss):
    resid, rmask = None, None
    def forward(self, out, targ):
        with torch.autocast(out.device.type, enabled=False):
            o, t = out.float().reshape(-1, out.shape[-1]), targ.long().reshape(-1)
            keep = self.valid[t]
            return self.token_loss(o, t).masked_fill(~keep, 0.).sum() / keep.sum().clamp_min(1)
    def _qk(self, o, grad=True):
        d = self.word_shift.weight.float(); keys = self.targets + d
        u = unit(o[:, :self.dim]) * self.scale()
        if self.resid is not None:
            Rw = self.resid.weight.float() * self.rmask[:, None]
            u, keys = torch.cat([u, o[:, self.dim:]], 1), torch.cat([keys, Rw], 1)
        return u, keys, d
    def token_loss(self, o, t):
        if self.mode == 'sampled': return self._sampled(o, t)
        u, keys, d = self._qk(o)
        b = self.word_bias.weight[:, 0].float()
        pos = (u * keys[t]).sum(-1) + b[t]
        col = b.masked_fill(~self.valid, -float('inf'))
        return sampled_cross_entropy(u, keys, col, pos, t) + self.pull * d.pow(2).sum(-1).mean()
    def _sampled(self, o, t):
        neg, count = self.sample(t).unique(return_counts=True); count = count.float()
        ids = torch.cat([t, neg])
        keys, penalty = self._keys(ids, torch.cat([self.valid[t].float(), count]))
        u = unit(o[:, :self.dim]) * self.scale()
        if self.resid is not None:
            keys = torch.cat([keys, self.resid(ids).float() * self.rmask[ids][:, None]], 1); u = torch.cat([u, o[:, self.dim:]], 1)
        b = self.word_bias(ids)[:, 0].float()
        pos, col = (u * keys[:len(t)]).sum(-1) + b[:len(t)], count.log() + b[len(t):]
        col, pos = col - self.log_q[neg], pos - self.log_q[t]
        j = torch.searchsorted(neg, t).clamp_max_(len(neg) - 1)
        hit = torch.where(neg[j] == t, j, -1)
        return sampled_cross_entropy(u, keys[len(t):], col, pos, hit) + penalty
    @torch.no_grad()
    def logits(self, o):
        u, keys, _ = self._qk(o.float().reshape(-1, o.shape[-1]))
        return (u @ keys.T + self.word_bias.weight[:, 0].float()).masked_fill(~self.valid, -float('inf'))

class HybMetric(Metric):
    def __init__(self, loss, scored): self.loss, self.scored = loss, scored
    def reset(self): self.hit, self.nll, self.n = 0., 0., 0
    def accumulate(self, learn):
        p, t = learn.pred, learn.yb[0].reshape(-1)
        keep = self.scored.to(t.device)[t]
        lg = self.loss.logits(p)[keep]; t = t[keep]
        lp = lg.log_softmax(1)
        self.hit += float((lg.argmax(1) == t).sum()); self.nll += float(-lp.gather(1, t[:, None]).sum()); self.n += len(t)
class HTop1(HybMetric):
    @property
    def value(self): return self.hit / max(self.n, 1)
    @property
    def name(self): return 'htop1'
class HPpl(HybMetric):
    @property
    def value(self): return math.exp(self.nll / max(self.n, 1))
    @property
    def name(self): return 'hppl'

dls = lm_dls_from_texts(curve_texts(corpus), bs=32, seq_len=72, seed=42)
folder = Path('bench-results/curve')/corpus
vpath = folder/'vectors-100d.pt'                 # the curve's targets for this corpus (built as `bench_curve` builds them)
if vpath.exists(): tv = TargetVectors.load(vpath, dls)
else: tv = TargetVectors.train(dls, dim=100, seed=42); vpath.parent.mkdir(parents=True, exist_ok=True); tv.save(vpath)
set_seed(42)
loss = HybLoss(tv)
scored = tv.is_word & tv.target_mask
mets = [HTop1(loss, scored), HPpl(loss, scored)]
learn = embout_lm_learner(dls, vectors=tv, loss=loss, config=awd_config('small', 100), shift_pull=pull, metrics=mets)
if R == 0: learn.metrics = L(semantic_metrics(tv, perplexity=True, offset=loss.bias_scores)) + L(mets)   # the check: equal values
dec = learn.model[1]
if R:
    n_hid = dec.proj.in_features
    dec.proj = nn.Linear(n_hid, tv.dim + R)
    dec.resid = nn.Embedding(len(tv), R)
    nn.init.normal_(dec.resid.weight, std=0.1)
    loss.resid = dec.resid
    order = torch.tensor([float(tv.counts.get(w, 0)) for w in tv.vocab]).argsort(descending=True)
    m = torch.zeros(len(tv)); m[order[:K] if K else order] = 1.
    loss.rmask = m
t0 = time.time()
with learn.no_bar(), learn.no_logging():
    final = fit_budget(learn, 5e-3, budget=budget, points=1, quiet=True, dropout_for_epochs=True)[-1]
rec = dict(corpus=corpus, budget=budget, R=R, K=K, pull=pull, negatives=loss.mode, machine=machine(),
           **{k: v for k, v in final.items() if isinstance(v, (int, float))}, **shift_drift(learn), wall=time.time() - t0)
if R == 0: assert abs(rec['htop1'] - rec['top1']) < 1e-9 and abs(rec['hppl'] / rec['word_ppl'] - 1) < 1e-4, rec
print(json.dumps(rec))
out = Path('bench-results/hybrid/hybrid_head.jsonl'); out.parent.mkdir(parents=True, exist_ok=True)
with out.open('a') as f: f.write(json.dumps(rec) + '\n')
