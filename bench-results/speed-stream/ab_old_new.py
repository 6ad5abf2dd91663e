"""One process, interleaved: our default's training step (small encoder, tie 'shared', `speed_batch`) with this
version's code (`new`) and with the previous version's shift penalty (`pow(2)`), keys add (out of place) and LazyAdam
sparse path (`coalesce`) patched in (`old`), beside the encoder-only limit. Median of 4 steps × (rounds − 1).

    python bench-results/speed-stream/ab_old_new.py [V] [rounds]
"""
import sys, time, statistics, torch, types
from functools import partial
from fastai_embout.bench import speed_model, speed_batch
from fastai_embout import optim as O
V = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
x, y = speed_batch(V, 32, 72, dev='cpu')
def keys_old(self, ids, weight):
    keys = self.targets.index_select(0, ids)
    d = self.word_shift(ids).float()
    return keys + d, self.pull * (d.pow(2).sum(-1) * weight).sum() / weight.sum().clamp_min(1)
def old_step(p, lr, mom, sqr_mom, eps, wd, decouple_wd=True, do_wd=True, grad_avg=None, sqr_avg=None, step=0, **kwargs):
    wd, step = (wd if do_wd else 0.), step + 1
    if grad_avg is None: grad_avg, sqr_avg = torch.zeros_like(p.data), torch.zeros_like(p.data)
    if not p.grad.is_sparse:
        O._adam_rows(p.data, p.grad.data, grad_avg, sqr_avg, lr, mom, sqr_mom, eps, wd, decouple_wd, step)
        return dict(grad_avg=grad_avg, sqr_avg=sqr_avg, step=step)
    g = p.grad.coalesce(); rows, grad = g.indices()[0], g.values()
    w, ga, sa = (t.index_select(0, rows) for t in (p.data, grad_avg, sqr_avg))
    O._adam_rows(w, grad, ga, sa, lr, mom, sqr_mom, eps, wd, decouple_wd, step)
    for t, r in ((grad_avg, ga), (sqr_avg, sa), (p.data, w)): t.index_copy_(0, rows, r)
    return dict(grad_avg=grad_avg, sqr_avg=sqr_avg, step=step)
setups = {}
for v in ['new', 'old', 'encoder']:
    torch.manual_seed(0)
    m, l, o = speed_model('encoder' if v == 'encoder' else 'embout', V, 'small', tie='shared', dev=torch.device('cpu'))
    if v == 'old': l._keys = types.MethodType(keys_old, l); o.cbs = [partial(old_step, decouple_wd=True)]
    m.train(); m.reset(); setups[v] = (m, l, o)
times = {v: [] for v in setups}
for r in range(int(sys.argv[2]) if len(sys.argv) > 2 else 12):
    for v, (m, l, o) in setups.items():
        for i in range(4):
            t = time.perf_counter(); l(m(x)[0], y).backward(); o.step(); o.zero_grad(); dt = time.perf_counter() - t
            if r: times[v].append(dt)
med = {v: statistics.median(t) for v, t in times.items()}
for v in med: print(f"V={V} {v:9s} {1e3*med[v]:7.2f} ms   limit ÷ this {med['encoder']/med[v]:.3f}")
