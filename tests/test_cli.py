"The `embout` command as a user runs it: a separate process, exit codes, messages, files."
import torch

def test_vectors_command_trains_and_saves(py, tmp_path):
    out = tmp_path/'tv.pt'
    r = py('-m', 'fastai_embout', 'vectors', '--n-articles', '8', '--dim', '24', '--epochs', '2', '--out', str(out))
    assert r.returncode == 0, r.stderr
    assert 'coverage' in r.stdout and 'wordsim353: Spearman rho' in r.stdout
    from fastai_embout.vectors import TargetVectors
    tv = TargetVectors.load(out)
    assert tv.dim == 24 and tv.coverage['vocab'] > 0.9

def test_bad_input_exits_2_without_traceback(py, tmp_path):
    r = py('-m', 'fastai_embout', 'vectors', '--n-articles', '4', '--method', 'glove')
    assert r.returncode == 2 and "'word2vec' or 'fasttext'" in r.stderr and 'Traceback' not in r.stderr
    r = py('-m', 'fastai_embout', 'frobnicate')
    assert r.returncode == 2 and 'unknown command' in r.stderr

def test_training_is_reproducible_across_processes(py, tmp_path):
    "gensim seeds word vectors with Python's salted `hash` unless told otherwise: two processes must still agree."
    outs = []
    for seed in ['1', '2']:
        out = tmp_path/f'tv{seed}.pt'
        r = py('-m', 'fastai_embout', 'vectors', '--n-articles', '6', '--dim', '16', '--epochs', '1', '--out', str(out),
               env={'PYTHONHASHSEED': seed})
        assert r.returncode == 0, r.stderr
        outs.append(torch.load(out, weights_only=True)['vectors'])
    assert torch.equal(*outs)
