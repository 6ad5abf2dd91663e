"""Does training with bfloat16 products (`ContrastiveLoss(product_dtype='bfloat16')`) cost quality? Equal steps, not equal time.

Trains the default vector LM (`embout_lm_learner`, tie 'auto', small AWD-LSTM) with 300-d word2vec targets trained on the
corpus, for a fixed number of epochs with each product dtype (same split; each seed trains every dtype), and prints one
JSON line per run: fit seconds, validation loss and the library's metrics.

    python tools/bf16_quality.py wiki 3 float32,bfloat16 [DIM] [SEEDS] > bench-results/bf16/wiki.jsonl
    python tools/bf16_quality.py usenet 8 float32,bfloat16 300 42,43 > bench-results/bf16/usenet.jsonl
    python tools/bf16_quality.py usenet 70 float32,bfloat16 300 42 fit_budget > bench-results/bf16/amx/long/usenet.jsonl
DIM defaults to 300, SEEDS (comma-separated) to 42. FIT (6th): 'one_cycle' (the default: `fit_one_cycle`, the model's
dropout as built) or 'fit_budget' (`fit_budget(epochs=...)`, as `embout train` and `embout bench curve` train: every
dropout scaled for the planned epochs, `epoch_drop_mult`; for long runs). With 'fit_budget', EPOCHS may be a time
instead, `389s`: every run trains for that many seconds (equal time, not equal steps).
"""
import sys, time, json, warnings; warnings.filterwarnings('ignore')
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.curve import curve_texts

if __name__ == '__main__':
    corpus, epochs, dtypes = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
    budget = float(epochs[:-1]) if epochs.endswith('s') else None
    epochs = None if budget else int(epochs)
    dls = lm_dls_from_texts(curve_texts(corpus), bs=32, seq_len=72, seed=42)
    tv = TargetVectors.from_spec('train:word2vec', dls, dim=int(sys.argv[4]) if len(sys.argv) > 4 else 300)
    seeds = [int(x) for x in sys.argv[5].split(',')] if len(sys.argv) > 5 else [42]
    fit = sys.argv[6] if len(sys.argv) > 6 else 'one_cycle'
    if fit not in ('one_cycle', 'fit_budget'): raise SystemExit(f"FIT must be 'one_cycle' or 'fit_budget', got {fit!r}.")
    if budget and fit != 'fit_budget': raise SystemExit("A time (EPOCHS given as `Ns`) needs FIT 'fit_budget'.")
    for seed, dt in [(s, d) for s in seeds for d in dtypes]:
        set_seed(seed)
        loss = ContrastiveLoss(tv, product_dtype=dt)
        learn = embout_lm_learner(dls, vectors=tv, loss=loss, config=awd_config('small', tv.dim))
        t = time.perf_counter()
        with learn.no_logging(), learn.no_bar():
            if fit == 'one_cycle': learn.fit_one_cycle(epochs, 5e-3)
            else: rec = fit_budget(learn, 5e-3, epochs=epochs, budget=budget, points=1, quiet=True)[-1]
        secs = time.perf_counter() - t
        with learn.no_bar(): vals = learn.validate()
        print(json.dumps(dict(corpus=corpus, epochs=epochs if epochs else round(rec['epoch'], 2), budget=budget, fit=fit, seed=seed, product_dtype=dt, mode=loss.mode, seconds=round(secs, 1), valid_loss=float(vals[0]),
                              **{m.name: float(v) for m, v in zip(learn.metrics, vals[1:])}, machine=machine())), flush=True)
