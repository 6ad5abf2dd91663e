"""Where a training step of the default vector head spends its time: phases timed with synchronisation, then torch.profiler.

`python tools/profile_step.py [V] [bs] [size] [tie]` — builds the model with `fastai_embout.bench.speed_model`, as the speed benchmark does
(default: tie 'shared', what `tie_weights='auto'` picks, contrastive loss with word bias and shift, LazyAdam; Zipf-distributed tokens) and the encoder-only limit, times forward / loss /
backward / optimizer step separately (median of 20), and prints the profiler's top operators of the default step."""
import statistics, sys, time
import torch
from fastai.text.all import *
from fastai_embout.bench import speed_model, speed_batch

def phases(head, V, bs, size, n=20, tie='shared'):
    dev = default_device()
    model, loss_fn, opt = speed_model(head, V, size, tie=tie, dev=dev)   # the default head, as the speed benchmark builds it
    model.train(); model.reset()
    x, y = speed_batch(V, bs, 72, dev=dev)   # text's Zipf law, y = x shifted by one: as the benchmark
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    rec = {k: [] for k in ('forward', 'loss', 'backward', 'opt.step', 'zero_grad', 'total')}
    for i in range(n + 3):
        sync(); t0 = time.perf_counter()
        out = model(x)[0]; sync(); t1 = time.perf_counter()
        loss = loss_fn(out, y); sync(); t2 = time.perf_counter()
        loss.backward(); sync(); t3 = time.perf_counter()
        opt.step(); sync(); t4 = time.perf_counter()
        opt.zero_grad(); sync(); t5 = time.perf_counter()
        if i >= 3:
            for k, v in zip(rec, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0)): rec[k].append(v)
    ms = {k: 1e3 * statistics.median(v) for k, v in rec.items()}
    print(f"{head:>8} V={V:,} bs={bs} {size}: " + '  '.join(f"{k} {v:.2f} ms" for k, v in ms.items()), flush=True)
    return model, loss_fn, opt, dev, x, y

if __name__ == '__main__':
    V, bs, size = (int(sys.argv[1]) if len(sys.argv) > 1 else 60000), (int(sys.argv[2]) if len(sys.argv) > 2 else 128), (sys.argv[3] if len(sys.argv) > 3 else 'small')
    tie = sys.argv[4] if len(sys.argv) > 4 else 'shared'
    phases('encoder', V, bs, size)
    model, loss_fn, opt, dev, x, y = phases('embout', V, bs, size, tie=tie)
    acts = [torch.profiler.ProfilerActivity.CPU] + ([torch.profiler.ProfilerActivity.CUDA] if dev.type == 'cuda' else [])
    with torch.profiler.profile(activities=acts) as prof:
        for _ in range(10):
            loss_fn(model(x)[0], y).backward(); opt.step(); opt.zero_grad()
        if dev.type == 'cuda': torch.cuda.synchronize()
    key = 'self_cuda_time_total' if dev.type == 'cuda' else 'self_cpu_time_total'
    print(prof.key_averages().table(sort_by=key, row_limit=25, max_name_column_width=45))
    if dev.type == 'cuda': print(prof.key_averages().table(sort_by='self_cpu_time_total', row_limit=15, max_name_column_width=45))
