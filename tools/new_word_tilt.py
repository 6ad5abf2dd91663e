"""Can decoding favour words outside the training vocabulary without costing the trained ones? (issue 15)

Trains our vector LM (default head, loss and ties, small AWD-LSTM) for `--budget` seconds on 90% of gensim's Wikipedia
sample (fastText targets trained on those articles), grows the target table with the words of held-out text, and decodes
it with the default context cache (window 1,000, λ 0.7, θ 10) tilted three ways towards the new words (ids ≥ the
training vocabulary's size) that the window holds:
  - `boost B`: a cached new word's kernel weight × B (the same B everywhere);
  - `prior β`: every cached word's kernel weight × (1 + its training count)^−β (rare words up, frequent words down);
  - `gate r`: P(w) = (1 − g)·M(w) + g·N(w), M the default mixture, N the kernel's shares among the new words in the
    window, and g = P(next word outside the training vocabulary | this prediction): a logistic regression on the
    prediction's features (unit vector, norm, top-2 scores, top-1 log-probability), fitted on training text where the
    target is `xxunk`, its odds × r (new text has more new words than training text has `xxunk`).
Texts: the 10% of Wikipedia articles held out from training (tuning) and gensim's Lee news corpus (never tuned on).
Reports top-1 (all / seen / new), new words' top-5, semantic accuracy@10 (all / seen / new, and new ÷ seen: issue 15's
ratio) and word perplexity (all / new) for every setting.

    python tools/new_word_tilt.py [--budget 120] [--out bench-results/openvocab/new_word_tilt_<budget>s.json]
One run, seed 42.
"""
import warnings; warnings.filterwarnings('ignore')
import math, sys, time
from pathlib import Path
import torch, torch.nn.functional as F
sys.path.insert(0, str(Path(__file__).parent))
from context_cache import trained_model, grown_table, write_result, budget_cli
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.cache import CacheWindow, _cache_merge, _cache_shares, _mixed_log_prob
from fastai_embout.metrics import SemanticAccuracy, scorer_for

WINDOW, LAM, THETA = 1000, 0.7, 10.
SETTINGS = [('no cache', None), ('cache (default)', None)] + [(f'boost {b:g}', b) for b in (1.5, 3., 8.)] + \
           [(f'prior {b:g}', b) for b in (0.1, 0.25, 0.5)] + [(f'gate {r:g}', r) for r in (0.5, 1., 2., 4.)]

def scorer(learn):
    m = next(m for m in learn.metrics if isinstance(m, SemanticAccuracy))
    return scorer_for(m.vectors, m.offset)

def gate_features(q, top, lse, scale):
    "Per prediction `q`: unit vector, norm, top-2 scores, top-1 log-probability, and a constant; `top` [n, ≥2] the search's best scores, `lse` [n, 1] its normaliser (computed once by the caller)."
    return torch.cat([unit(q), q.norm(dim=1, keepdim=True), top[:, :2], scale * top[:, :1] - lse, torch.ones(len(q), 1)], 1)

def auc(z, y):
    "Area under the ROC curve of scores `z` for labels `y` (ties broken by order)."
    r = torch.empty_like(z); r[z.argsort()] = torch.arange(1, len(z) + 1, dtype=z.dtype)
    npos = y.sum(); return float((r[y > 0].sum() - npos * (npos + 1) / 2) / (npos * (len(y) - npos)))

def fit_gate(learn, n_batches=150):
    "A logistic regression for 'the target is `xxunk`' on `n_batches` of training text; returns (features → logit, train AUC, xxunk rate)."
    sc, model = scorer(learn), learn.model
    scale = learn.context_cache.scale(sc.search)
    unk = learn.dls.vocab.index('xxunk')
    model.eval(); model.reset()
    X, Y = [], []
    with torch.no_grad():
        for b, (xb, yb) in enumerate(learn.dls.train):
            if b >= n_batches: break
            p = model(xb)[0]
            q = p.reshape(-1, p.shape[-1]).float()
            X.append(gate_features(q, sc.search(q, 2)[0], sc.search.logsumexp(q, scale)[:, None], scale)); Y.append((yb.reshape(-1) == unk).float())
    X, Y = torch.cat(X).as_subclass(torch.Tensor), torch.cat(Y).as_subclass(torch.Tensor)
    mu, sd = X[:, :-1].mean(0), X[:, :-1].std(0).clamp_min(1e-6)
    norm = lambda f: torch.cat([(f[:, :-1] - mu) / sd, f[:, -1:]], 1)
    w = torch.zeros(X.shape[1], requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=200, line_search_fn='strong_wolfe')
    def closure():
        opt.zero_grad(); l = F.binary_cross_entropy_with_logits(norm(X) @ w, Y) + 1e-4 * w[:-1].pow(2).sum(); l.backward(); return l
    opt.step(closure)
    w = w.detach()
    return (lambda f: norm(f) @ w), auc(norm(X) @ w, Y), float(Y.mean())

def tilted(c:CacheWindow, extra:torch.Tensor)->CacheWindow:
    "The window with each entry's kernel weight × exp(`extra`[id]): exp(θ·cos + a) = exp(θ·(cos + a/θ))."
    return CacheWindow(c.ids, c.cos + extra[c.ids.clamp_min(0)] / THETA)

def gated(s5, i5, lse, sh, q, c, search, scale, n, g, mlp, t):
    "Top-5 ids and log P(t) of (1 − g)·M + g·N (see the module's docstring)."
    top_lp, top = _cache_merge(s5, i5, lse, sh, LAM, scale, 5)
    ids = c.ids.reshape(len(q), -1)
    shn = _cache_shares(search, q, CacheWindow(torch.where(ids >= n, ids, -1), c.cos.reshape(len(q), -1)), THETA)
    cn, csn, vn, fn, sharen = shn
    cc, _, _, _, share = sh
    g = g * vn.any(1).float()                                           # no new word read: the default mixture alone
    lg, l1g = g.clamp_min(1e-30).log()[:, None], torch.log1p(-g)[:, None]
    pos = torch.searchsorted(cc, cn.clamp_min(0)).clamp_max(cc.shape[1] - 1)
    m_new = torch.logaddexp(math.log1p(-LAM) + scale * csn - lse, math.log(LAM) + torch.where(vn, share.gather(1, pos), 0.).clamp_min(1e-30).log())
    cand_new = torch.logaddexp(l1g + m_new, lg + sharen.clamp_min(1e-30).log()).masked_fill(~(fn & vn), -float('inf'))
    k = torch.searchsorted(cn, top).clamp_max(cn.shape[1] - 1)
    cand_m = (l1g + top_lp).masked_fill((cn.gather(1, k) == top) & vn.gather(1, k), -float('inf'))   # new cached words: their entry in cand_new
    j = torch.cat([cand_m, cand_new], 1).topk(5, dim=1).indices
    ids5 = torch.cat([top, cn], 1).gather(1, j)
    pt = torch.searchsorted(cn, t[:, None]).clamp_max(cn.shape[1] - 1)
    n_t = torch.where((cn.gather(1, pt) == t[:, None]) & vn.gather(1, pt), sharen.gather(1, pt), 0.)
    return ids5, torch.logaddexp(l1g + _mixed_log_prob(mlp, t, sh, LAM)[:, None], lg + n_t.clamp_min(1e-30).log())[:, 0]

def evaluate_tilts(learn, texts, n, gate, counts):
    "Every setting's counts on `texts` (table grown with their words), in one pass: the search, normaliser and window once per batch."
    learn.use_context_cache(WINDOW, weight=LAM, theta=THETA)
    cache, sc = learn.context_cache, scorer(learn)
    search, words, nbrs = sc.search, sc.tv.is_word, sc.neighbours(10)
    scale = cache.scale(search)
    new_row = (torch.arange(len(sc.tv)) >= n).float()
    log_count = torch.log1p(torch.tensor([float(counts.get(w, 0)) if i < n else 0. for i, w in enumerate(sc.tv.vocab)]))
    dl = learn.dls.test_dl(texts, bs=32, seq_len=72)
    model = learn.model; model.eval(); model.reset(); cache.reset()
    acc = {name: torch.zeros(9, dtype=torch.float64) for name, _ in SETTINGS}
    n_pos = torch.zeros(2, dtype=torch.float64)
    with torch.no_grad():
        for xb, yb in dl:
            preds = model(xb)[0]
            p, t, c = sc.select(preds, yb, cache.candidates(xb, preds))
            if not len(t): continue
            c = cache._window(c, words)
            q = p.reshape(-1, p.shape[-1]).float()
            s5, i5 = search(q, 5)
            lse = search.logsumexp(q, scale)[:, None]
            mlp = scale * search.score(q, t[:, None])[:, 0] - lse[:, 0]
            nb, new = nbrs(t)[0], t >= n
            n_pos += torch.tensor([len(t), float(new.sum())], dtype=torch.float64)
            sh = _cache_shares(search, q, c, THETA)
            g = torch.sigmoid(gate(gate_features(q, s5, lse, scale)))   # the search and normaliser above, not two more full-table scans
            for name, v in SETTINGS:
                kind = name.split()[0]
                if kind == 'no': ids5, lp = i5, mlp
                elif kind == 'gate':
                    ids5, lp = gated(s5, i5, lse, sh, q, c, search, scale, n, torch.sigmoid(torch.logit(g.clamp(1e-6, 1 - 1e-6)) + math.log(v)), mlp, t)
                else:
                    shares = sh if kind == 'cache' else _cache_shares(search, q, tilted(c, math.log(v) * new_row if kind == 'boost' else -v * log_count), THETA)
                    ids5, lp = _cache_merge(s5, i5, lse, shares, LAM, scale, 5)[1], _mixed_log_prob(mlp, t, shares, LAM)
                top1 = ids5[:, 0] == t
                sem = top1 | (nb == ids5[:, :1]).any(1)
                acc[name] += torch.tensor([float(x) for x in (top1.sum(), top1[~new].sum(), top1[new].sum(), (ids5 == t[:, None]).any(1)[new].sum(),
                                           sem.sum(), sem[~new].sum(), sem[new].sum(), -lp.double().sum(), -lp[new].double().sum())], dtype=torch.float64)
    N, Nn = n_pos.tolist()
    rows = []
    for name, _ in SETTINGS:
        a = acc[name].tolist()
        r = dict(setting=name, top1=a[0] / N, top1_seen=a[1] / (N - Nn), top1_new=a[2] / Nn, top5_new=a[3] / Nn, sem_acc=a[4] / N,
                 sem_acc_seen=a[5] / (N - Nn), sem_acc_new=a[6] / Nn, word_ppl=math.exp(min(a[7] / N, 700)), word_ppl_new=math.exp(min(a[8] / Nn, 700)))
        r['new_over_seen'] = r['sem_acc_new'] / r['sem_acc_seen']
        rows.append(r)
    return dict(positions=int(N), new_positions=int(Nn), rows=rows)

def main(budget=120., out=None):
    t0 = time.time()
    out = out or f'bench-results/openvocab/new_word_tilt_{budget:g}s.json'
    learn, tv, kv, desc, wiki_held, news = trained_model(budget)
    n = len(tv)
    learn.use_context_cache(WINDOW, weight=LAM, theta=THETA)
    gate, gate_auc, unk_rate = fit_gate(learn)
    print(f"gate: fitted on training text ('xxunk' targets: {unk_rate:.4f} of positions), AUC there {gate_auc:.3f}", flush=True)
    res = dict(machine=machine(), budget=budget, vectors=desc, training_vocab=n, window=WINDOW, weight=LAM, theta=THETA,
               gate=dict(train_auc=gate_auc, train_unk_rate=unk_rate), texts={})
    for corpus, texts in [('wiki', wiki_held), ('news', news)]:
        learn.set_targets(grown_table(learn, tv, kv, texts))
        r = res['texts'][corpus] = evaluate_tilts(learn, texts, n, gate, tv.counts or {})
        print(f"== {corpus}: {r['positions']:,} positions, {r['new_positions']:,} new", flush=True)
        for row in r['rows']:
            print(f"{corpus:>5} {row['setting']:>16}  " + '  '.join(f"{k} {v:.4f}" if v < 100 else f"{k} {v:,.0f}" for k, v in row.items() if k != 'setting'), flush=True)
    write_result(res, out, t0)

if __name__ == '__main__': budget_cli(main, __doc__, 'new_word_tilt')
