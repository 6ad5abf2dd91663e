"""Does averaging the weights at the end of training help at long budgets? One run of a curve model (`bench curve`'s
recipe: `fit_budget`, dropout scaled to the planned epochs, every model calibrated alike); every average is kept beside
the weights during that run and scored on the same validation text at the end:
- `emaH`: an exponential moving average whose horizon is a share H of the planned steps (1/(H·steps) a step);
- `tailT`: the plain mean of the weights over the last share T of training.

    python tools/weight_averages.py CORPUS MODEL SECONDS [OUT]     # e.g. usenet embout 600; OUT default /tmp
Writes OUT/weight_averages-<corpus>-<model>-<seconds>s.json (one row per set of weights) and prints the rows."""
import sys, json, time, torch
from fastai.text.all import *
from fastai_embout.curve import curve_data, curve_learner
from fastai_embout.fit import fit_budget

corpus, model, budget = sys.argv[1], sys.argv[2], float(sys.argv[3])
out = Path(sys.argv[4] if len(sys.argv) > 4 else '/tmp')
HOR = (0.01, 0.03, 0.1); TAILS = (0.1, 0.3)

class Shadows(Callback):
    order = 90
    def before_fit(self):
        self.ps = [p for p in self.learn.model.parameters() if p.requires_grad]
        self.N = self.learn.fit_plan['planned_epochs'] * len(self.learn.dls.train)
        self.ema = {h: [p.detach().clone() for p in self.ps] for h in HOR}
        self.tail = {t: None for t in TAILS}; self.cnt = {t: 0 for t in TAILS}
    def after_batch(self):
        if not self.training: return
        with torch.no_grad():
            for h, sh in self.ema.items():
                a = min(1., 1. / (h * self.N))
                torch._foreach_lerp_(sh, [p.detach() for p in self.ps], a)
            prog = self.learn.train_clock.progress
            for t in TAILS:
                if prog >= 1 - t:
                    if self.tail[t] is None: self.tail[t] = [p.detach().clone() for p in self.ps]; self.cnt[t] = 1
                    else:
                        self.cnt[t] += 1; torch._foreach_lerp_(self.tail[t], [p.detach() for p in self.ps], 1. / self.cnt[t])

dls, tv = curve_data(corpus, Path(__file__).parents[1]/'bench-results'/'curve'/corpus)   # the curve's split and cached targets
learn = curve_learner(model, dls, tv)   # `bench curve`'s defaults: small encoder, 100-d, seed 42, calibrated perplexity
sh = Shadows(); learn.add_cb(sh)
t0 = time.time()
with learn.no_bar(), learn.no_logging():
    final = fit_budget(learn, 5e-3, budget=budget, points=1, quiet=True)[-1]
print(f"trained {time.time()-t0:.0f}s epochs {final['epoch']:.1f}", flush=True)
learn.remove_cb(sh)
names = [m.name for m in learn.metrics]
def score(tag):
    with learn.no_bar(), learn.no_logging(): r = learn.validate()
    d = dict(zip(['valid_loss'] + names, r)); d['tag'] = tag
    print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in d.items() if k in ('tag','valid_loss','top1','sem_acc@10','word_ppl','word_ppl_cal')}), flush=True)
    return d
raw = [p.detach().clone() for p in sh.ps]
res = [score('raw')]
def load(ws):
    with torch.no_grad():
        for p, w in zip(sh.ps, ws): p.copy_(w)
for h in HOR: load(sh.ema[h]); res.append(score(f'ema{h}'))
for t in TAILS: load(sh.tail[t]); res.append(score(f'tail{t}'))
load(raw)
json.dump(dict(corpus=corpus, model=model, budget=budget, epochs=final['epoch'], res=res), open(out/f'weight_averages-{corpus}-{model}-{budget:g}s.json', 'w'), default=str)
