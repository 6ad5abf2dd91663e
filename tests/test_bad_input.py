"Every public entry point, fed bad input: a clear exception type and message, and nothing half-written on disk."
import gzip, math
from pathlib import Path
import numpy as np, pandas as pd, pytest, torch
from fastai.text.all import AWD_LSTM
from fastai_embout.data import read_text, read_texts, load_corpus, lm_dls_from_texts
from fastai_embout.sources import load_keyed_vectors, sniff_vector_format, vocab_and_counts
from fastai_embout.vectors import TargetVectors, atomic_torch_save, safe_torch_load
from fastai_embout.search import topk_search, NeighbourSearch
from fastai_embout.losses import CosineLoss, ContrastiveLoss, VMFLoss, get_loss, vmf_log_normalizer
from fastai_embout.metrics import nn_accuracy, semantic_metrics
from fastai_embout.models import get_embout_language_model
from fastai_embout.learner import embout_lm_learner, load_embout
from fastai_embout.fit import awd_config, fit_budget
from fastai_embout.report import atomic_write

VOCAB = ['xxunk', 'xxpad', 'xxbos', 'the', 'cat', 'sat', 'mat', 'xxfake']

def tv(dim=4): return TargetVectors.random(VOCAB, dim=dim)

@pytest.fixture
def w2v(tmp_path):
    p = tmp_path/'v.txt'
    p.write_text('3 4\nthe 0.1 0.2 0.3 0.4\ncat 0.5 0.1 0.0 0.2\nsat 0.3 0.3 0.1 0.9\n')
    return p

def leftovers(d:Path): return sorted(p.name for p in d.iterdir() if p.name.startswith('.') or p.suffix == '.tmp')

CASES = [
    # (call, exception type, message fragment)
    (lambda d: read_text(d/'missing.txt'), FileNotFoundError, 'No text file at'),
    (lambda d: read_text(d), IsADirectoryError, 'is a folder'),
    (lambda d: read_texts(d/'nothing'), FileNotFoundError, 'No corpus at'),
    (lambda d: load_corpus(d/'missing.csv'), FileNotFoundError, 'No corpus at'),
    (lambda d: lm_dls_from_texts(['only one']), ValueError, 'at least 2'),
    (lambda d: lm_dls_from_texts([]), ValueError, 'at least 2'),
    (lambda d: vocab_and_counts([]), ValueError, 'vocab is empty'),
    (lambda d: vocab_and_counts([1, 2, 3]), TypeError, 'must be strings'),
    (lambda d: vocab_and_counts('the cat'), TypeError, 'must be a fastai vocab'),
    (lambda d: TargetVectors(torch.zeros(3, 4), VOCAB), ValueError, 'Dimension mismatch'),
    (lambda d: TargetVectors(torch.zeros(8), VOCAB), ValueError, 'V×d matrix'),
    (lambda d: TargetVectors(torch.full((8, 4), float('nan')), VOCAB), ValueError, 'NaN or inf'),
    (lambda d: TargetVectors(torch.full((8, 4), float('inf')), VOCAB), ValueError, 'NaN or inf'),
    (lambda d: TargetVectors.from_gensim(d/'missing.vec', VOCAB), FileNotFoundError, 'No vector file'),
    (lambda d: TargetVectors.from_gensim(42, VOCAB), TypeError, 'from_gensim'),
    (lambda d: TargetVectors.from_gensim(d/'v.txt', ['xxunk', 'xxpad', 'zebra', 'okapi']), ValueError, 'No vocab word has a vector'),
    (lambda d: TargetVectors.from_gensim(d/'v.txt', VOCAB, oov='mean'), ValueError, "'random' or 'zero'"),
    (lambda d: TargetVectors.from_gensim(d/'nan.txt', VOCAB), ValueError, 'NaN, inf or all-zero'),
    (lambda d: TargetVectors.from_gensim(d/'truncated.bin', VOCAB), ValueError, 'truncated or corrupt'),
    (lambda d: TargetVectors.from_gensim(d/'empty.vec', VOCAB), ValueError, 'empty (0 bytes)'),
    (lambda d: TargetVectors.from_gensim(d/'garbage.vec', VOCAB), ValueError, 'truncated or corrupt'),
    (lambda d: TargetVectors.from_spacy(3.5, VOCAB), TypeError, 'spaCy'),
    (lambda d: TargetVectors.load(d/'missing.pt'), FileNotFoundError, 'No '),
    (lambda d: TargetVectors.load(d/'garbage.vec'), ValueError, 'not a readable'),
    (lambda d: tv()['zebra'], KeyError, 'not in the vocab'),
    (lambda d: tv().check_vocab(VOCAB[:-1] + ['dog']), ValueError, 'Vocab mismatch'),
    (lambda d: topk_search(torch.randn(2, 3), torch.randn(5, 4)), ValueError, 'Dimension mismatch'),
    (lambda d: topk_search(torch.randn(2, 4), torch.randn(5, 4), metric='l1'), ValueError, "'cosine' or 'dot'"),
    (lambda d: CosineLoss(tv())(torch.randn(2, 3, 5), torch.zeros(2, 3, dtype=torch.long)), ValueError, 'Dimension mismatch'),
    (lambda d: CosineLoss(tv())(torch.randn(2, 3, 4), torch.zeros(2, 4, dtype=torch.long)), ValueError, 'Shape mismatch'),
    (lambda d: CosineLoss(tv(), reduction='max'), ValueError, "'mean', 'sum' or 'none'"),
    (lambda d: ContrastiveLoss(tv(), negatives='every'), ValueError, "'sampled', 'batch' or 'all'"),
    (lambda d: vmf_log_normalizer(torch.ones(2), 0), ValueError, 'positive integer'),
    (lambda d: get_loss('softmax', tv()), ValueError, 'Unknown loss'),
    (lambda d: get_loss(CosineLoss(tv(8)), tv()), ValueError, 'build it with the same vectors'),
    (lambda d: get_embout_language_model(AWD_LSTM, tv(), tie_weights='sometimes'), ValueError, 'tie_weights'),
    (lambda d: get_embout_language_model('lstm', tv()), ValueError, 'Unknown architecture'),
    (lambda d: get_embout_language_model(AWD_LSTM, tv(4), config=awd_config('small', 8)), ValueError, "tie_weights='init'"),
    (lambda d: awd_config('giant'), ValueError, 'use one of'),
    (lambda d: load_embout(d/'missing.pt'), FileNotFoundError, 'No '),
    (lambda d: load_embout(d/'garbage.vec'), ValueError, 'not a readable'),
    (lambda d: load_embout(d/'tv.pt'), ValueError, 'not a fastai_embout model'),
]

@pytest.fixture
def files(tmp_path, w2v):
    (tmp_path/'nan.txt').write_text('2 4\nthe nan 0.2 0.3 0.4\ncat 0.5 0.1 0.0 0.2\n')
    full = tmp_path/'full.bin'
    from gensim.models import KeyedVectors
    kv = KeyedVectors(4); kv.add_vectors(['the', 'cat', 'sat'], np.ones((3, 4), np.float32)); kv.save_word2vec_format(str(full), binary=True)
    (tmp_path/'truncated.bin').write_bytes(full.read_bytes()[:-10])
    (tmp_path/'empty.vec').write_bytes(b'')
    (tmp_path/'garbage.vec').write_bytes(bytes(range(256)) * 4)
    tv().save(tmp_path/'tv.pt')
    return tmp_path

@pytest.mark.parametrize('i', range(len(CASES)))
def test_bad_input_fails_clearly(files, i):
    call, exc, msg = CASES[i]
    before = sorted(p.name for p in files.iterdir())
    with pytest.raises(exc, match=None) as e: call(files)
    assert msg in str(e.value), f'{type(e.value).__name__}: {e.value}'
    assert len(str(e.value)) < 600, 'a message, not a dump'
    assert sorted(p.name for p in files.iterdir()) == before, 'a failing call wrote files'

def test_empty_predictions_give_nan_not_a_crash():
    t = tv()
    assert math.isnan(nn_accuracy(torch.zeros(0, 4), torch.zeros(0, dtype=torch.long), t))

def test_interrupted_writes_leave_the_old_file(tmp_path):
    "A save that dies half-way (here: an object torch cannot pickle, or a write that raises) leaves the old file and no temporary."
    p = tmp_path/'tv.pt'
    tv().save(p)
    old = p.read_bytes()
    with pytest.raises(Exception): atomic_torch_save({'f': lambda: 0}, p)
    assert p.read_bytes() == old and leftovers(tmp_path) == []
    class Boom:
        def encode(self): raise KeyboardInterrupt
    with pytest.raises(BaseException): atomic_write(p, Boom())
    assert p.read_bytes() == old and leftovers(tmp_path) == []

def test_fit_budget_arguments():
    from fastai_embout.data import wiki_lm_dls
    dls = wiki_lm_dls(12, bs=8, seq_len=24)
    learn = embout_lm_learner(dls, vectors=TargetVectors.random(dls, dim=8), config=awd_config('small', 8) | dict(n_hid=16))
    for kw, msg in [({}, 'Pass `epochs`'), (dict(epochs=-1), 'must be positive'), (dict(budget=0), 'must be positive'),
                    (dict(budget=1e-5), 'shorter than one training batch')]:
        with pytest.raises(ValueError, match=None) as e: fit_budget(learn, **kw)
        assert msg in str(e.value), str(e.value)
