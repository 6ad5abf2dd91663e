"""GPU smoke check: the library's training paths on a CUDA device, with no spaCy, gensim or network.

Run on a machine with a GPU: `python tools/gpu_check.py` (exit status 1 on any failure). It checks what CI, which has no
GPU, cannot: every loss trains in mixed precision on the GPU, the default learner learns a synthetic language (a
first-order Markov chain over a Zipf vocabulary) better than chance, `LazyAdam`'s row-sparse step on CUDA equals a dense
Adam step on the rows it touches and leaves the others untouched, and `export`/`load_learner` round-trips on the GPU.
The notebook cells marked `#| cuda` check the same on real text; this script needs only fastai and torch."""
import math, sys, tempfile, time
from pathlib import Path
import torch
from fastai.text.all import *
from fastai_embout.learner import embout_lm_learner
from fastai_embout.vectors import TargetVectors
from fastai_embout.losses import LOSSES
from fastai_embout.optim import LazyAdam
from fastai_embout.search import NeighbourSearch, WordScores
from fastai_embout.cache import cache_topk
import fastai_embout.openvocab   # learn.use_context_cache

def markov_dls(n_words=2000, n_docs=400, doc_len=200, bs=32, seq_len=72, seed=0, device=None):
    "LM DataLoaders over synthetic text: each word's successor is one of 4 fixed words (Zipf-weighted), so there is something to learn."
    g = torch.Generator().manual_seed(seed)
    vocab = defaults.text_spec_tok + [f'w{i}' for i in range(n_words)]
    n_spec = len(defaults.text_spec_tok)
    succ = torch.randint(0, n_words, (n_words, 4), generator=g)
    zipf = 1 / torch.arange(1, n_words + 1).float()
    docs = []
    for _ in range(n_docs):
        w = int(torch.multinomial(zipf, 1, generator=g)); doc = [w]
        for _ in range(doc_len - 1):
            w = int(succ[w, torch.randint(0, 4, (1,), generator=g)]) if torch.rand(1, generator=g) < 0.8 else int(torch.multinomial(zipf, 1, generator=g))
            doc.append(w)
        docs.append(['xxbos'] + [vocab[n_spec + i] for i in doc])
    splits = [list(range(int(0.9 * n_docs))), list(range(int(0.9 * n_docs), n_docs))]
    dsets = Datasets(docs, [Numericalize(vocab=vocab, min_freq=1)], splits=splits, dl_type=LMDataLoader)
    return dsets.dataloaders(bs=bs, seq_len=seq_len, device=device)

def check(name, ok, detail=''):
    print(f"{'PASS' if ok else 'FAIL'}  {name}  {detail}", flush=True)
    return bool(ok)

def main():
    dev = default_device()
    print(f"device: {torch.cuda.get_device_name(0) if dev.type == 'cuda' else dev}; torch {torch.__version__}", flush=True)
    results = [check('a CUDA device is used', dev.type == 'cuda', str(dev))]
    dls = markov_dls(device=dev)
    tv = TargetVectors.random(dls, dim=64)
    cfg = dict(awd_lstm_lm_config, emb_sz=64, n_hid=256, n_layers=2)
    for name in LOSSES:   # every loss trains in mixed precision on the device
        learn = embout_lm_learner(dls, vectors=tv, loss=name, config=cfg).to_fp16()
        with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3)
        vals = learn.recorder.values[-1]
        results.append(check(f'{name}: one fp16 epoch, finite', all(math.isfinite(v) for v in vals) and next(learn.model.parameters()).is_cuda,
                             ' '.join(f'{v:.4f}' for v in vals)))
    learn = embout_lm_learner(dls, vectors=tv, config=cfg)   # the default: contrastive, tie 'init', LazyAdam
    t = time.perf_counter()
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(4, 5e-3)
    secs = time.perf_counter() - t
    names = ['train_loss', 'valid_loss'] + [m.name for m in learn.metrics]
    res = dict(zip(names, learn.recorder.values[-1]))
    chance = 1 / len(dls.vocab)   # a uniform guess; the Markov chain allows about 0.8/4 = 0.2 from the previous word alone
    results.append(check('default learner beats chance 20x on a Markov language', res['top1'] > 20 * chance,
                         f"top-1 {res['top1']:.3f} (chance {chance:.4f}), {secs:.1f}s for 4 epochs"))
    with tempfile.TemporaryDirectory() as d:   # export and load on the device
        learn.path = Path(d); learn.export('m.pkl')
        l2 = load_learner(Path(d)/'m.pkl', cpu=False)
        x = dls.one_batch()[0][:2]
        l2.model.eval(); learn.model.eval(); l2.model.reset(); learn.model.reset()
        with torch.no_grad(): same = torch.allclose(l2.model(x)[0], learn.model(x)[0], atol=1e-5)
        results.append(check('export/load_learner round-trip on the device', same))
    def valid(window=None, weight=0.):   # the context cache decodes the metrics on the device
        learn.use_context_cache(window, weight=weight)
        with learn.no_bar(): return dict(zip(['valid_loss'] + [m.name for m in learn.metrics], learn.validate()))
    plain, cached, zero = valid(), valid(50, 0.3), valid(50, 0.)
    learn.use_context_cache(None)
    results.append(check('context cache decodes on the device (λ = 0 equals no cache; λ = 0.3 changes top-5, finite)',
                         all(math.isfinite(v) for v in cached.values()) and cached['top5'] != plain['top5'] and zero == plain,
                         f"top-1 {plain['top1']:.4f} -> {cached['top1']:.4f}, top-5 {plain['top5']:.4f} -> {cached['top5']:.4f}"))
    g = torch.Generator().manual_seed(0)   # the exact mixture gives the same words on the GPU as on the CPU
    keys, qs = torch.randn(5000, 64, generator=g), torch.randn(200, 64, generator=g)
    keys = keys / keys.norm(dim=1, keepdim=True)
    table, shift = torch.nn.Embedding(5000, 1), torch.nn.Embedding(5000, 64)
    torch.nn.init.normal_(table.weight, generator=g); torch.nn.init.normal_(shift.weight, std=.2, generator=g)
    cands = torch.randint(-1, 5000, (200, 100), generator=g)
    out = []
    for d in ('cpu', dev):
        ns = NeighbourSearch(keys.to(d), offset=WordScores(table.to(d), 0.05, shift.to(d)))
        out.append(cache_topk(ns, qs.to(d), 5, cands.to(d), 0.3, 20., 40.))
    results.append(check('cache_topk on CUDA = on CPU', torch.equal(out[0][1], out[1][1].cpu()) and torch.allclose(out[0][0], out[1][0].cpu(), atol=1e-4)))
    emb = torch.nn.Embedding(1000, 32, sparse=True).to(dev)   # a sparse step equals a dense one on the rows it touches
    dense = torch.nn.Embedding(1000, 32).to(dev); dense.weight.data.copy_(emb.weight.data)
    before = emb.weight.detach().clone()
    ids = torch.randint(0, 1000, (64,), device=dev)
    opts = [LazyAdam([m.weight], lr=1e-2, wd=0.) for m in (emb, dense)]
    for m, o in zip((emb, dense), opts): m(ids).pow(2).sum().backward(); o.step(); o.zero_grad()
    used = torch.zeros(1000, dtype=torch.bool, device=dev); used[ids] = True
    results.append(check('LazyAdam on CUDA: sparse step = dense step on touched rows, others untouched',
                         torch.allclose(emb.weight[used], dense.weight[used], atol=1e-6) and torch.equal(emb.weight[~used], before[~used])
                         and not torch.equal(emb.weight[used], before[used])))
    print(f"{sum(results)}/{len(results)} checks passed", flush=True)
    return 0 if all(results) else 1

if __name__ == '__main__': sys.exit(main())
