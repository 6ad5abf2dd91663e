"""How many new-word positions can a cache reach at all? (issue 15)

No model is trained: the Wikipedia sample's 90% split gives the training vocabulary (`tools/context_cache.py`'s `untrained_model`), and
each held-out text is read as fastai's test batches (32 streams, 72 tokens) and in its own order (one stream). A
position whose true word is outside the training vocabulary (*new*) is *reachable* when the word was read before it:
by any stream in an earlier batch or by its own stream earlier in this batch (what `UnboundedCache` holds), or earlier
in the text (one stream). A first use is out of every cache's reach; only the model's own prediction — or the credit
semantic accuracy gives a near neighbour — can score there. Also printed: the share of new-word positions that follow
fastai's `xxmaj` (a capitalised word: mostly names) and each text's most frequent new words.

    python tools/new_word_ceiling.py [--out bench-results/openvocab/new_word_ceiling.json]
"""
import warnings; warnings.filterwarnings('ignore')
import argparse, time
from fastai.text.all import *
from fastai_embout.all import *
from fastai_embout.curve import curve_texts
from fastai_embout.data import rotten_tomatoes_df
from context_cache import untrained_model, grown_table, write_result

def reachable(dl, n:int)->tuple:
    "`(new, reached, counts)` over `dl`'s batches: new-word positions (target id ≥ `n`), those whose word was read before them (any stream's earlier batch, or earlier in their own stream), and each new id's count."
    seen, new, hit, counts = set(), 0, 0, Counter()
    for x, y in dl:
        x, y = x.cpu(), y.cpu()
        for r in range(x.shape[0]):
            row = set()
            for t in range(x.shape[1]):
                row.add(int(x[r, t])); w = int(y[r, t])
                if w < n: continue
                new += 1; counts[w] += 1; hit += w in seen or w in row
        seen.update(x.flatten().tolist())
    return new, hit, counts

def text_order(items, n:int, maj:int)->tuple:
    "`(new, reached, after_xxmaj)`: the texts' numericalised tokens read one after another."
    seen, new, hit, after, prev = set(), 0, 0, 0, None
    for doc in items:
        for w in doc.tolist():
            if w >= n:
                new += 1; hit += w in seen; after += prev == maj
            seen.add(w); prev = w
    return new, hit, after

def main(out='bench-results/openvocab/new_word_ceiling.json'):
    t0, rows = time.time(), []
    learn, _, tv, kv, desc, wiki_held, news = untrained_model()
    n = len(tv)
    held_texts = [('reviews', rotten_tomatoes_df().text.tolist()[:4000]), ('usenet', curve_texts('usenet')),
                  ('news', news), ('wiki', wiki_held)]
    for corpus, held in held_texts:
        learn.set_targets(grown_table(learn, tv, kv, held))
        dl = learn.dls.test_dl(held, bs=32, seq_len=72)
        vocab = learn.dls.vocab
        new, hit, counts = reachable(dl, n)
        new_t, hit_t, after = text_order(dl.items, n, vocab.index('xxmaj'))
        top = [(vocab[w], c) for w, c in counts.most_common(25)]
        r = dict(corpus=corpus, tokens=sum(len(t) for t in dl.items), new_positions=new, new_words=len(counts),
                 reachable_streams=hit / new, reachable_text_order=hit_t / new_t, after_xxmaj=after / new_t,
                 used_once=sum(c == 1 for c in counts.values()) / max(len(counts), 1), top_new=top)
        rows.append(r)
        print(f"{corpus:>7}: {r['tokens']:,} tokens, {new:,} new-word positions ({r['new_words']:,} words, {r['used_once']:.0%} of them used once); "
              f"reachable {r['reachable_streams']:.3f} (32 streams) / {r['reachable_text_order']:.3f} (text order); after xxmaj {r['after_xxmaj']:.3f}", flush=True)
        print('         most frequent new words:', ', '.join(f'{w} {c}' for w, c in top), flush=True)
    write_result(dict(machine=machine(), vectors=desc, training_vocab=n, rows=rows), out, t0)

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--out', default='bench-results/openvocab/new_word_ceiling.json')
    main(**vars(a.parse_args()))
