"Two-process data-parallel training on CPU (gloo) through fastai's distributed path, launched with torchrun."
import json, math, os, subprocess, sys
from pathlib import Path
import pytest
from conftest import ROOT, run_py

pytest.importorskip('accelerate')

def torchrun(*args, cwd, timeout=600):
    env = {**os.environ, 'PYTHONWARNINGS': 'ignore', 'OMP_NUM_THREADS': '1'}
    return subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)

def test_two_processes_train_like_one(tmp_path):
    r = torchrun(str(ROOT/'tests'/'scripts'/'distributed_lm.py'), str(tmp_path), cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-4000:]
    ranks = [json.loads((tmp_path/f'rank{i}.json').read_text()) for i in (0, 1)]
    assert [o['world'] for o in ranks] == [2, 2]
    assert ranks[0]['weights'] == ranks[1]['weights']  # DDP kept the replicas identical
    for o in ranks:
        assert o['targets_before'] == o['targets_after']  # the target vectors never trained
        for k in ('valid_loss', 'top1', 'top5', 'sem_acc@10', 'mean_cos'):
            # each process evaluated half the rows; the summed counts equal one process on the full validation set
            assert math.isclose(o['distributed'][k], o['single'][k], rel_tol=1e-4, abs_tol=1e-6), (k, o['distributed'][k], o['single'][k])
        assert o['distributed']['iters'] == o['n_train_batches']  # every process did every step (its rows of each batch)
    code = ("from fastai_embout.learner import load_embout; l = load_embout(r'%s'); print(l.predict('The history of', 4, no_bar=True))"
            % (tmp_path/'model.pt'))
    p = run_py('-c', code)
    assert p.returncode == 0 and p.stdout.lower().startswith('the history of'), p.stderr[-2000:]

def test_cli_train_under_torchrun(tmp_path):
    r = torchrun('-m', 'fastai_embout', 'train', '--n-articles', '12', '--dim', '16', '--bs', '8', '--seq-len', '24',
                 '--epochs', '1', '--points', '1', '--json', '--out', 'run', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-4000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])  # one JSON document, from rank 0 only
    assert res['status'] == 'complete' and res['models']['embout']['final']['top1'] >= 0
    assert res['distributed'] == 2
    assert (tmp_path/'run'/'model.pt').exists() and (tmp_path/'run'/'report.md').exists()
