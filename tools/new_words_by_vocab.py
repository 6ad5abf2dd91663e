"""Does a larger training vocabulary make words outside it predictable? (issue 15)

Trains our frozen-tied vector LM and fastai's softmax LM (same encoder, same seconds) on the first N articles of gensim's
Wikipedia sample at several training vocabularies (fastai's `max_vocab`/`min_freq`), with fastText targets trained on
those articles; then grows the target table with the words of gensim's Lee news corpus and scores both on the news text.

Besides the library's metrics (`_seen`/`_new` split of `evaluate`), it reports for the positions whose word is new:
  - `pred_new_share`: how often the top-1 prediction is a new word at all;
  - `sem_new_trained`: the top-1 prediction is one of the 10 *training-vocabulary* words nearest the new word — whether the
    meaning is right when the word itself cannot be known (a softmax LM can score here too).

    python tools/new_words_by_vocab.py [--n-articles 30] [--budget 60] [--configs 2000:3,60000:3,0:1]
writes bench-results/openvocab/new_words_by_vocab.json and prints a table. One run, seed 42; this 2-core CPU took 9 min.
"""
import warnings; warnings.filterwarnings('ignore')
import argparse, json, time
from collections import Counter
from pathlib import Path
import torch
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.metrics import scorer_for

def top1_ids(learn, dl, scorer, to_unk:int|None=None):
    "Top-1 word ids and targets over `dl` (`to_unk`: inputs from this id on are read as xxunk, as a softmax LM must)."
    model = learn.model.eval(); model.reset(); preds, targs = [], []
    with torch.no_grad():
        for x, y in dl:
            if to_unk is not None: x = torch.where(x >= to_unk, 0, x)
            out = model(x)[0]
            p, t = scorer.select(out, y)
            preds.append(scorer.decode(p, 1)[:, 0]); targs.append(t)
    return torch.cat(preds), torch.cat(targs)

def trained_neighbours(big:TargetVectors, n:int, ids:torch.Tensor, k:int=10)->torch.Tensor:
    "The `k` words of the training vocabulary (rows < n, real words) nearest each of `ids`, by cosine."
    u = F.normalize(big.vectors.float(), dim=-1)
    s = u[ids] @ u[:n].T
    s[:, ~(big.is_word[:n] & big.target_mask[:n])] = -2
    return s.topk(k, dim=-1).indices

def main(n_articles=30, budget=60., configs='2000:3,60000:3,0:1', out='bench-results/openvocab/new_words_by_vocab.json'):
    texts = wiki_texts(n_articles)
    kv, desc = train_keyed_vectors(corpus_tokens(texts), method='fasttext', dim=100)
    news = load_corpus(gensim_data('lee_background.cor'))
    news_words = [w for w, _ in Counter(t for doc in corpus_tokens(news) for t in doc).most_common()]
    rows = []
    for c in configs.split(','):
        max_vocab, min_freq = map(int, c.split(':'))
        dls = lm_dls_from_texts(texts, bs=32, seq_len=48, max_vocab=max_vocab or None, min_freq=min_freq)
        tv = TargetVectors.from_gensim(kv, dls)
        config = awd_config('small', tv.dim)
        ours = embout_lm_learner(dls, vectors=tv, config=config, tie_weights='frozen')
        softmax = language_model_learner(dls, AWD_LSTM, config=config, pretrained=False)
        for name, learn in [('embout', ours), ('softmax', softmax)]:
            set_seed(42); fit_budget(learn, 5e-3, budget=budget, points=1, name=f'{c} {name:>8} ')
        big = extend_targets(tv, kv, words=news_words)
        n = len(tv)
        ours.set_targets(big)
        dl = ours.dls.test_dl(news, bs=32, seq_len=48)
        for name, learn, scorer, to_unk in [('embout', ours, scorer_for(big, ours.loss_func.bias_scores), None),
                                            ('softmax', softmax, scorer_for(big), n)]:
            p, t = top1_ids(learn, dl, scorer, to_unk)
            new = t >= n
            nb = trained_neighbours(big, n, t[new])
            r = dict(config=c, model=name, vocab=n, grown=len(big), positions=len(t), new_positions=int(new.sum()),
                     top1_seen=float((p[~new] == t[~new]).float().mean()), top1_new=float((p[new] == t[new]).float().mean()),
                     pred_new_share=float((p >= n).float().mean()),
                     sem_new_trained=float(((nb == p[new][:, None]).any(1) | (p[new] == t[new])).float().mean()))
            nb_seen = trained_neighbours(big, n, t[~new])
            r['sem_seen_trained'] = float(((nb_seen == p[~new][:, None]).any(1) | (p[~new] == t[~new])).float().mean())
            rows.append(r); print(json.dumps(r), flush=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(dict(machine=machine(), n_articles=n_articles, budget=budget, vectors=desc, rows=rows), indent=1))
    cols = ['vocab', 'new_positions', 'top1_seen', 'top1_new', 'pred_new_share', 'sem_seen_trained', 'sem_new_trained']
    print(f"{'config':>9} {'model':>8} " + ' '.join(f'{c:>16}' for c in cols))
    for r in rows: print(f"{r['config']:>9} {r['model']:>8} " + ' '.join(f'{r[c]:>16.4f}' if isinstance(r[c], float) else f'{r[c]:>16}' for c in cols))

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--n-articles', type=int, default=30); a.add_argument('--budget', type=float, default=60.)
    a.add_argument('--configs', default='2000:3,60000:3,0:1'); a.add_argument('--out', default='bench-results/openvocab/new_words_by_vocab.json')
    o = a.parse_args(); main(o.n_articles, o.budget, o.configs, o.out)
