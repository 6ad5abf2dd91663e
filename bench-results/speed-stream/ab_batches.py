"""One process, interleaved: our default's training step (small encoder, tie 'shared') on the benchmark's old batches
(x and y two independent Zipf draws) and on the new ones (`speed_batch`: y = x shifted by one, as fastai's LM loader
makes them), with the encoder-only limit on each. Median of 4 steps × (rounds − 1) per case (the first round warms up).

    python bench-results/speed-stream/ab_batches.py [V] [rounds]
"""
import sys, time, statistics, torch
from fastai_embout.bench import speed_model, speed_batch, zipf_probs
V, rounds = (int(sys.argv[1]) if len(sys.argv) > 1 else 60000), (int(sys.argv[2]) if len(sys.argv) > 2 else 12)
torch.manual_seed(0)
old = [torch.multinomial(zipf_probs(V), 32 * 72, replacement=True).reshape(32, 72) for _ in range(2)]
new = speed_batch(V, 32, 72, dev='cpu')
cases = {}
for head in ('embout', 'encoder'):
    for name, (x, y) in (('independent', old), ('stream', new)):
        torch.manual_seed(0)
        m, l, o = speed_model(head, V, 'small', tie='shared', dev=torch.device('cpu'))
        m.train(); m.reset(); cases[(head, name)] = (m, l, o, x, y)
times = {k: [] for k in cases}
for r in range(rounds):
    for k, (m, l, o, x, y) in cases.items():
        for _ in range(4):
            t = time.perf_counter(); l(m(x)[0], y).backward(); o.step(); o.zero_grad(); dt = time.perf_counter() - t
            if r: times[k].append(dt)
med = {k: statistics.median(v) for k, v in times.items()}
for name in ('independent', 'stream'):
    print(f"V={V:,} {name:12s} default {1e3*med[('embout', name)]:6.2f} ms  encoder-only {1e3*med[('encoder', name)]:6.2f} ms  "
          f"default ÷ limit (speed) {med[('encoder', name)] / med[('embout', name)]:.3f}")
