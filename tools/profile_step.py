"""Where a training step of the default vector head spends its time: phases timed with synchronisation, then torch.profiler.

`python tools/profile_step.py [V] [bs] [size]` — builds the model exactly as `fastai_embout.bench.speed_case` does
(default: tie 'init', contrastive loss with word bias, LazyAdam) and the encoder-only limit, times forward / loss /
backward / optimizer step separately (median of 20), and prints the profiler's top operators of the default step."""
import statistics, sys, time
import torch
from fastai.text.all import *
from fastai_embout.models import get_embout_language_model
from fastai_embout.losses import get_loss
from fastai_embout.core import unit
from fastai_embout.fit import awd_config
from fastai_embout.optim import LazyAdam

def build(head, V, size, dim=300):
    targets = unit(torch.randn(V, dim))
    if head == 'encoder': loss_fn = lambda out, y: out.float().pow(2).mean()
    else: loss_fn = get_loss('contrastive', targets)
    model = get_embout_language_model(AWD_LSTM, targets, config=awd_config(size, dim), tie_weights='frozen' if head == 'encoder' else 'init',
                                      word_bias=head != 'encoder')
    if head != 'encoder': loss_fn.use_word_bias(model[1].word_bias)
    dev = default_device()
    model = model.to(dev)
    if isinstance(loss_fn, nn.Module): loss_fn = loss_fn.to(dev)
    opt = (LazyAdam if head != 'encoder' else Adam)([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    model.train(); model.reset()
    return model, loss_fn, opt, dev

def phases(head, V, bs, size, n=20):
    model, loss_fn, opt, dev = build(head, V, size)
    x, y = torch.randint(0, V, (bs, 72), device=dev), torch.randint(0, V, (bs, 72), device=dev)
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
    phases('encoder', V, bs, size)
    model, loss_fn, opt, dev, x, y = phases('embout', V, bs, size)
    acts = [torch.profiler.ProfilerActivity.CPU] + ([torch.profiler.ProfilerActivity.CUDA] if dev.type == 'cuda' else [])
    with torch.profiler.profile(activities=acts) as prof:
        for _ in range(10):
            loss_fn(model(x)[0], y).backward(); opt.step(); opt.zero_grad()
        if dev.type == 'cuda': torch.cuda.synchronize()
    key = 'self_cuda_time_total' if dev.type == 'cuda' else 'self_cpu_time_total'
    print(prof.key_averages().table(sort_by=key, row_limit=25, max_name_column_width=45))
    if dev.type == 'cuda': print(prof.key_averages().table(sort_by='self_cpu_time_total', row_limit=15, max_name_column_width=45))
