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

def test_eval_and_generate_with_a_grown_target_table(py, tmp_path):
    "A model trained on a 300-word vocabulary, evaluated and run from the command line with its vector file's other words."
    from fastai.text.all import awd_lstm_lm_config
    from fastai_embout.data import gensim_data, lm_dls_from_texts, load_corpus
    from fastai_embout.vectors import TargetVectors
    from fastai_embout.learner import embout_lm_learner
    news, vec = load_corpus(gensim_data('lee_background.cor')), gensim_data('lee_fasttext.vec')
    dls = lm_dls_from_texts(news[:150], bs=8, seq_len=24, max_vocab=300)
    learn = embout_lm_learner(dls, vectors=TargetVectors.from_gensim(vec, dls), tie_weights='frozen',
                              config=dict(awd_lstm_lm_config, emb_sz=10, n_hid=32, n_layers=1))
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-2)
    learn.save_embout(tmp_path/'model.pt')
    (tmp_path/'held_out.txt').write_text('\n\n'.join(news[150:190]))
    r = py('-m', 'fastai_embout', 'eval', 'model.pt', '--corpus', 'held_out.txt', '--vectors', str(vec), '--max-words', '100',
           '--bs', '8', '--seq-len', '24', '--cache-window', '200', '--cache-theta', 'auto', cwd=tmp_path)   # decoded with a context cache too, θ chosen as it reads
    assert r.returncode == 0, r.stderr
    assert 'top1_new' in r.stdout and 'sem_acc@10_seen' in r.stdout and 'targets: ' in r.stderr
    r = py('-m', 'fastai_embout', 'eval', 'model.pt', '--corpus', 'held_out.txt', '--cache-window', '200', '--cache-kernel', 'hidden', cwd=tmp_path)
    assert r.returncode == 2 and '--cache-kernel must be one of context, word' in r.stderr and 'Traceback' not in r.stderr
    r = py('-m', 'fastai_embout', 'eval', 'model.pt', '--corpus', 'held_out.txt', '--vectors', str(vec), '--max-words', '100',
           '--bs', '8', '--seq-len', '24', '--cache-window', 'all', '--cache-neighbours', '50', cwd=tmp_path)   # every word read
    assert r.returncode == 0 and 'top1_new' in r.stdout, r.stderr
    r = py('-m', 'fastai_embout', 'eval', 'model.pt', '--corpus', 'held_out.txt', '--cache-window', 'everything', cwd=tmp_path)
    assert r.returncode == 2 and "--cache-window must be 'all', 0 (no cache) or a number of tokens" in r.stderr and 'Traceback' not in r.stderr
    r = py('-m', 'fastai_embout', 'generate', 'model.pt', 'The fire', '--n-words', '5', '--vectors', str(vec), cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith('The fire'), r.stderr
    r = py('-m', 'fastai_embout', 'eval', 'model.pt', '--corpus', 'held_out.txt', '--vectors', str(gensim_data('test_glove.txt')), cwd=tmp_path)
    assert r.returncode == 2 and 'Dimension mismatch' in r.stderr and 'Traceback' not in r.stderr
