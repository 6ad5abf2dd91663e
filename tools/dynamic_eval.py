"""Dynamic evaluation: does adapting the model to the text as it is read make new words predictable? (issue 15)

Krause et al. (2018): after each batch has been scored, one gradient step on that batch's loss, so the model adapts to
the text already read — as a cache does, but in its parameters. For new words (outside the training vocabulary, grown
into the table by `set_targets`), the steps train their bias and shift, which otherwise stay at their starting values.
Trains our default head (small AWD-LSTM, `--budget` s, fastText targets) on 90% of gensim's Wikipedia sample as
`tools/context_cache.py` does, then scores each held-out text with and without the default cache (`use_context_cache()`),
with and without adaptation (Adam — `SparseAdam` on the word tables — or plain SGD, on every trained parameter or on the word bias and shift only).
Each set's optimizer and rate are chosen by top-1 on news without the cache (the tuning text here); film reviews and usenet confirm.

    python tools/dynamic_eval.py [--budget 120] [--grid PARAMS:OPT:LR,...] [--out FILE]   # 36 min at 120 s on 2 cores
"""
import warnings; warnings.filterwarnings('ignore')
import argparse, time
from types import SimpleNamespace
import torch
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.curve import curve_texts
from fastai_embout.data import rotten_tomatoes_df
from context_cache import trained_model, grown_table, write_result

KEYS = ('top1', 'top5', 'top1_seen', 'sem_acc@10_seen', 'top1_new', 'top5_new', 'sem_acc@10_new', 'ratio', 'word_ppl', 'eval_s')

def adapter(learn, params:str|None, lr:float, opt:str='adam'):
    "An optimizer for the parameters `params` names ('all', 'words': the word bias and shift; None: no adaptation): plain SGD, or Adam (`SparseAdam` on sparse tables)."
    if params is None: return None
    model, dec = learn.model, get_model(learn.model)[1]
    words = [m.weight for m in (dec.word_bias, dec.word_shift) if m is not None]
    ps = [p for p in model.parameters() if p.requires_grad] if params == 'all' else words
    if opt == 'sgd': return [torch.optim.SGD(ps, lr=lr)]
    sparse = [m.weight for m in (dec.word_bias, dec.word_shift) if m is not None and m.sparse]   # row-sparse gradients: `SparseAdam`
    dense = [p for p in ps if not any(p is q for q in sparse)]
    return [o for o in (torch.optim.Adam(dense, lr=lr, betas=(0.9, 0.99)) if dense else None,
                        torch.optim.SparseAdam(sparse, lr=lr, betas=(0.9, 0.99)) if sparse else None) if o is not None]

def adapted_evaluate(learn, dl, params:str|None=None, lr:float=0., opt:str='adam')->dict:
    "`evaluate`, but after each batch is scored, one optimizer step (`lr`) on its loss for `params` (see `adapter`). The model is restored afterwards."
    model = learn.model
    saved = {k: v.detach().clone() for k, v in model.state_dict().items()}
    opts = adapter(learn, params, lr, opt)
    for m in learn.metrics: m.reset()
    model.eval(); model.reset()
    sums, t0 = torch.zeros(2, dtype=torch.float64), time.time()
    try:
        for xb, yb in dl:
            with torch.set_grad_enabled(opts is not None):
                pred = model(xb)[0]
                loss = learn.loss_func(pred, yb)
            sums += torch.tensor([float(loss) * yb.numel(), yb.numel()], dtype=torch.float64)
            with torch.no_grad():
                batch = SimpleNamespace(pred=pred.detach(), y=yb, yb=(yb,), xb=(xb,), loss=loss.detach(), training=False, learn=learn, loss_func=learn.loss_func)
                for m in learn.metrics: m.accumulate(batch)
            if opts is not None:
                loss.backward()
                for o in opts: o.step(); o.zero_grad(set_to_none=True)
    finally: model.load_state_dict(saved)
    res = {'valid_loss': float(sums[0] / sums[1]), **{m.name: float(m.value) for m in learn.metrics}}
    res['eval_s'] = time.time() - t0
    res['ratio'] = res['sem_acc@10_new'] / max(res['sem_acc@10_seen'], 1e-9)
    return res

def main(budget=120., grid='words:adam:0.003,words:adam:0.01,words:adam:0.03,all:adam:0.0001,all:adam:0.0003,all:adam:0.001,words:sgd:0.1', out=None):
    t0, rows = time.time(), []
    out = out or f'bench-results/openvocab/dynamic_eval_{budget:g}s.json'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget)
    n, reviews = len(tv), rotten_tomatoes_df().text.tolist()[:4000]
    def run(corpus, held, cache, params=None, opt='adam', lr=0.):
        learn.use_context_cache(**({} if cache else dict(window=None)))
        r = adapted_evaluate(learn, learn.dls.test_dl(held, bs=32, seq_len=72), params, float(lr), opt)
        r.update(corpus=corpus, cache=cache, params=params, opt=opt, lr=float(lr)); rows.append(r)
        print(f"{corpus:>7} {'cache' if cache else 'none':>5} {str(params):>5} {opt:>4} lr {float(lr):<6g} " + '  '.join(f"{k} {r[k]:.4f}" for k in KEYS), flush=True)
        return r
    learn.set_targets(grown_table(learn, tv, kv, news))   # tuning: news, without the cache (fast)
    run('news', news, False)
    res = [run('news', news, False, *cell.split(':')) for cell in grid.split(',')]
    best = {}
    for r in res: best[r['params']] = max(best.get(r['params'], r), r, key=lambda o: o['top1'])
    best = {k: (r['opt'], r['lr']) for k, r in best.items()}
    print(f"chosen on news (top-1, no cache): {best}", flush=True)
    run('news', news, True)
    for params, (opt, lr) in best.items(): run('news', news, True, params, opt, lr)
    for corpus, held in [('reviews', reviews), ('usenet', curve_texts('usenet'))]:
        learn.set_targets(grown_table(learn, tv, kv, held))
        for cache in (False, True):
            run(corpus, held, cache)
            for params, (opt, lr) in best.items(): run(corpus, held, cache, params, opt, lr)
    learn.use_context_cache(None)
    write_result(dict(machine=machine(), budget=budget, vectors=desc, training_vocab=n, chosen=best, rows=rows), out, t0)

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--budget', type=float, default=120.); a.add_argument('--grid', default=main.__defaults__[1]); a.add_argument('--out', default=None)
    main(**vars(a.parse_args()))
