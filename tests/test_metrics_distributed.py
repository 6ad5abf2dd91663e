"Metrics under torch.distributed (gloo, 2 CPU processes): each rank sees half the batches, `.value` is the global one."
import socket
import pytest
import torch, torch.distributed as dist, torch.multiprocessing as mp
from fastai_embout.vectors import TargetVectors
from fastai_embout.metrics import semantic_metrics

class _Learn:
    def __init__(self, pred, y): self.pred, self.y = pred, y

def _data():
    g = torch.Generator().manual_seed(0)
    vocab = ['xxunk', 'xxpad'] + [f'w{i}' for i in range(62)]
    tv = TargetVectors(torch.randn(64, 8, generator=g), vocab, kind=torch.tensor([2, 2] + [0] * 62, dtype=torch.uint8))
    batches = [(torch.randn(3, 5, 8, generator=g), torch.randint(0, 64, (3, 5), generator=g)) for _ in range(4)]
    return tv, batches

def _values(tv, batches):
    ms = semantic_metrics(tv)
    for m in ms: m.reset()
    for p, y in batches:
        for m in ms: m.accumulate(_Learn(p, y))
    return {m.name: m.value for m in ms}

def _worker(rank, port, out):
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank, world_size=2)
    try:
        tv, batches = _data()
        out[rank] = _values(tv, batches[rank::2])      # this rank's shard only
    finally: dist.destroy_process_group()

def test_metrics_sum_over_ranks():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    out = mp.Manager().dict()
    mp.spawn(_worker, args=(port, out), nprocs=2, join=True)
    tv, batches = _data()
    single = _values(tv, batches)                       # one process, all batches
    shard = _values(tv, batches[0::2])
    assert out[0] == pytest.approx(single, rel=1e-9) and out[1] == pytest.approx(single, rel=1e-9), (dict(out), single)
    assert shard != pytest.approx(single)                             # the test would notice rank-local values
