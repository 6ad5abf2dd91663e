"""What the default vector head adds to a training step, operator by operator: torch.profiler on the encoder-only limit and
on the default head (as `embout bench speed` builds them, `profile_step.phases`), then the difference per operator and
input shape, largest first, in ms per step.

    python tools/profile_diff.py [V] [bs] [size] [rows]      # defaults: 60000 32 small 40
One process, 10 profiled steps per head after `phases`' 13 timed ones.
"""
import collections, sys
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from profile_step import phases

def per_op(head, V, bs, size, steps=10)->dict:
    "(operator, input shapes) → [self CPU ms per step, calls per step] over `steps` profiled training steps of `head`."
    model, loss_fn, opt, dev, x, y = phases(head, V, bs, size, n=10)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True) as prof:
        for _ in range(steps): loss_fn(model(x)[0], y).backward(); opt.step(); opt.zero_grad()
    out = collections.defaultdict(lambda: [0., 0.])
    for e in prof.key_averages(group_by_input_shape=True):
        k = (e.key, str(e.input_shapes)[:90])
        out[k][0] += e.self_cpu_time_total / steps / 1000; out[k][1] += e.count / steps
    return out

if __name__ == '__main__':
    args = sys.argv[1:5] + ['60000', '32', 'small', '40'][len(sys.argv[1:5]):]
    V, bs, size, rows = int(args[0]), int(args[1]), args[2], int(args[3])
    enc, emb = per_op('encoder', V, bs, size), per_op('embout', V, bs, size)
    diff = lambda k: emb.get(k, [0, 0])[0] - enc.get(k, [0, 0])[0]
    print(f"self CPU ms per step: default {sum(v[0] for v in emb.values()):.1f}, encoder-only {sum(v[0] for v in enc.values()):.1f}")
    print(f"{'extra':>8}  {'default (calls)':>16}  {'encoder (calls)':>16}  operator, input shapes")
    for k in sorted(set(enc) | set(emb), key=diff, reverse=True)[:rows]:
        a, b = emb.get(k, [0, 0]), enc.get(k, [0, 0])
        print(f"{diff(k):6.2f} ms  {a[0]:7.2f} ({a[1]:4.1f})  {b[0]:7.2f} ({b[1]:4.1f})  {k[0][:40]:40s} {k[1]}")
