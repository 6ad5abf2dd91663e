"""Whole-step A/B of the padded-shape fix: `python ab_old_new.py old|new V REPEATS` times the small encoder default (tie
`shared`) with `speed_case` in this process; `old` patches in the backward before the fix (`ds.T[:k] @ u`). Run as:
    for r in 1 2 3; do for V in 60000 250000; do for v in old new; do python ab_old_new.py $v $V 5; done; done; done
"""
import sys, torch
from fastai_embout import losses
from fastai_embout.bench import speed_case
if sys.argv[1] == 'old':
    def backward(ctx, g):
        u, keys, s, z, p_pos = ctx.saved_tensors
        w, k = g / z, ctx.k
        ds = s * w[:, None].to(s.dtype)
        need, f = ctx.needs_input_grad, (lambda t: t.to(g.dtype))
        return (f(ds @ keys) if need[0] else None, f(ds.T[:k] @ u) if need[1] else None, ds.sum(0, dtype=g.dtype)[:k] if need[2] else None,
                g * (p_pos / z - 1) if need[3] else None, None, None)
    losses._SampledCrossEntropy.backward = staticmethod(backward)
V = int(sys.argv[2])
r = speed_case('embout', V, 'small', 300, tie='shared', repeats=int(sys.argv[3]))
print(sys.argv[1], V, f"{r['tokens_per_s']:.0f}")
