"""Ideas measured, not built (one process, interleaved, one run): our default with the shift's gradient from the input
lookup detached (`noin`), from the negatives' keys detached (`noneg`), both, against the default (`base`) and the
encoder-only limit. Run at 60k before this version's three step changes (with the new batches); output in ab_detach.txt.

    python bench-results/speed-stream/ab_detach.py [V] [variants]
"""
import sys, time, statistics, torch, torch.nn.functional as F, types
from fastai_embout.bench import speed_model, speed_batch
from fastai_embout.models import FrozenEmbedding
from fastai_embout.losses import ContrastiveLoss
V = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
variants = sys.argv[2].split(',') if len(sys.argv) > 2 else ['base','noin','noneg','both','encoder']
def fe_noin(self, words):
    out = F.embedding(words, self.weight, self.padding_idx) + F.embedding(words, self.shift.weight.detach())
    return out if self.proj is None else self.proj(out)
orig_keys = ContrastiveLoss._keys
def keys_noneg(self, ids, weight):
    n = self._n_t
    keys = self.targets.index_select(0, ids)
    d = self.word_shift(ids[:n]).float()
    dn = F.embedding(ids[n:], self.word_shift.weight.detach()).float()
    d = torch.cat([d, dn])
    return keys + d, self.pull * (d[:n].pow(2).sum(-1) * weight[:n]).sum() / weight[:n].sum().clamp_min(1)
orig_tl = ContrastiveLoss.token_loss
def tl(self, o, t): self._n_t = len(t); return orig_tl(self, o, t)
setups = {}
x, y = speed_batch(V, 32, 72, dev='cpu')
for v in variants:
    torch.manual_seed(0)
    m, l, o = speed_model('encoder' if v == 'encoder' else 'embout', V, 'small', tie='shared', dev=torch.device('cpu'))
    if v in ('noin', 'both'): m[0].encoder.forward = types.MethodType(fe_noin, m[0].encoder)
    if v in ('noneg', 'both'):
        l.token_loss = types.MethodType(tl, l); l._keys = types.MethodType(keys_noneg, l)
    m.train(); m.reset(); setups[v] = (m, l, o)
times = {v: [] for v in variants}
for r in range(8):
    for v in variants:
        m, l, o = setups[v]
        for i in range(4):
            t = time.perf_counter(); l(m(x)[0], y).backward(); o.step(); o.zero_grad(); dt = time.perf_counter() - t
            if r: times[v].append(dt)
enc = statistics.median(times['encoder']) if 'encoder' in times else None
for v in variants:
    med = statistics.median(times[v])
    print(f"{v:8s} {1e3*med:7.2f} ms" + (f"  ÷limit {enc/med:.3f}" if enc else ''))
