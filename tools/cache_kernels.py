"Cache kernels for new words: unigram share vs cosine kernel, mixed with the model (throw-away experiment)."
import warnings; warnings.filterwarnings('ignore')
import sys, json, time, torch, torch.nn.functional as F
from collections import Counter
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.metrics import scorer_for
torch.manual_seed(0)
texts = wiki_texts()
tr, va = RandomSplitter(0.1, seed=42)(texts)
wiki_held = [texts[i] for i in va]
kv, desc = train_keyed_vectors(corpus_tokens([texts[i] for i in tr]), method='fasttext', dim=100)
news = load_corpus(gensim_data('lee_background.cor'))
dls = lm_dls_from_texts(texts, bs=32, seq_len=72)
tv = TargetVectors.from_gensim(kv, dls)
learn = embout_lm_learner(dls, vectors=tv, config=awd_config('small', tv.dim), tie_weights='frozen')
set_seed(42); fit_budget(learn, budget=float(sys.argv[1]) if len(sys.argv) > 1 else 120., points=1, name='train ')
n = len(tv)
W = 200
def run(corpus, held):
    words = [w for w, _ in Counter(t for doc in corpus_tokens(held) for t in doc).most_common()]
    learn.set_targets(extend_targets(tv, kv, words=words))
    big = learn.target_vectors
    dec = learn.model[1]; ws = learn.loss_func.bias_scores
    keys = F.normalize(big.vectors.float(), dim=-1) + (dec.word_shift.weight.detach() if dec.word_shift is not None else 0)
    off = ws() if ws is not None else torch.zeros(len(big))
    s = ws.logit_scale() if hasattr(ws, 'logit_scale') else float(learn.model[1].log_scale.exp()) if getattr(learn.model[1], 'log_scale', None) is not None else 20.
    s = float(dec.log_scale.detach().exp()) if getattr(dec, 'log_scale', None) is not None else 1 / learn.loss_func.temperature
    bad = ~big.target_mask
    sc = scorer_for(big); nbr = sc.neighbours(10)
    dl = learn.dls.test_dl(held, bs=32, seq_len=72)
    model = learn.model.eval(); model.reset()
    cfgs = [('model', None, 0.)] + [(k, th, lam) for k in ('unigram', 'cos') for th in ((None,) if k == 'unigram' else (s / 2, s, 2 * s)) for lam in (0.05, 0.1, 0.3)]
    acc = {c: torch.zeros(6) for c in cfgs}   # top1 seen, top5 seen, sem seen, top1 new, top5 new, sem new (counts)
    npos = torch.zeros(2)
    tail = None
    with torch.no_grad():
        for x, y in dl:
            out = model(x)[0]                                   # bs×T×d
            bs_, T = x.shape
            if tail is None or tail.shape[0] != bs_: tail = x.new_full((bs_, W - 1), -1)
            seq = torch.cat([tail, x], 1); cands = seq.unfold(1, W, 1); tail = seq[:, -(W - 1):]
            keep = sc.scored[y]
            q = F.normalize(out[keep].float(), dim=-1); t = y[keep]; c = cands[keep]   # N×d, N, N×W
            logits = s * (q @ keys.T + off); logits[:, bad] = -float('inf')
            lpm = logits.log_softmax(1)
            valid = (c >= 0) & ~bad[c.clamp_min(0)]
            cc = c.clamp_min(0)
            cosc = (q[:, None, :] * keys[cc]).sum(-1)           # N×W
            new = t >= n; npos += torch.tensor([float((~new).sum()), float(new.sum())])
            nb = nbr(t)[0]
            for cfg in cfgs:
                kind, th, lam = cfg
                if kind == 'model': lp = lpm
                else:
                    wgt = valid.float() if kind == 'unigram' else torch.where(valid, (th * cosc).exp(), torch.zeros_like(cosc))
                    wgt = wgt / wgt.sum(1, keepdim=True).clamp_min(1e-30)
                    pc = torch.zeros_like(lpm).scatter_add_(1, cc, wgt)
                    lp = torch.logaddexp(math.log1p(-lam) + lpm, (lam * pc).log())
                top = lp.topk(5, dim=1).indices
                h1 = top[:, 0] == t; h5 = (top == t[:, None]).any(1); sem = h1 | (nb == top[:, :1]).any(1)
                acc[cfg] += torch.tensor([float(h1[~new].sum()), float(h5[~new].sum()), float(sem[~new].sum()), float(h1[new].sum()), float(h5[new].sum()), float(sem[new].sum())])
    print(f"{corpus}: {int(npos[0])} seen / {int(npos[1])} new positions; logit scale {s:.1f}")
    for cfg, a in acc.items():
        r = torch.cat([a[:3] / npos[0], a[3:] / npos[1]])
        print(f"  {cfg[0]:>8} θ={cfg[1] or 0:6.1f} λ={cfg[2]:.2f}  seen top1 {r[0]:.4f} top5 {r[1]:.4f} sem {r[2]:.4f} | new top1 {r[3]:.4f} top5 {r[4]:.4f} sem {r[5]:.4f}", flush=True)
run('wiki', wiki_held); run('news', news)
