"`embout train` as a user runs it: the no-argument default, the side-by-side JSON run, Ctrl-C and --resume."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import matplotlib.image
from conftest import ROOT

TINY = ['--n-articles', '12', '--dim', '16', '--bs', '8', '--bptt', '24']

def embout(*args, cwd, **kw):
    env = {**os.environ, 'PYTHONWARNINGS': 'ignore'}
    return subprocess.run([sys.executable, '-m', 'fastai_embout', *args], capture_output=True, text=True, cwd=cwd, env=env, **kw)

def check_pngs(run):
    for name in ('loss.png', 'metrics.png'):
        img = matplotlib.image.imread(run/name)
        assert img.shape[0] > 200 and img.shape[1] > 400 and img[..., :3].std() > 0.05, name

def test_default_train_runs_end_to_end_in_under_10_minutes(tmp_path):
    "The README's main command, exactly: no arguments, the bundled corpus, the default model and report folder."
    t = time.time()
    r = embout('train', cwd=tmp_path, timeout=900)
    took = time.time() - t
    assert r.returncode == 0, r.stderr[-3000:]
    assert took < 600, f'the default run took {took:.0f}s'
    [run] = (tmp_path/'embout-runs').iterdir()
    m = json.loads((run/'metrics.json').read_text())
    assert m['status'] == 'complete' and m['data']['documents'] > 100
    e = m['models']['embout']
    assert len(e['history']) == 4 and e['final']['top1'] > 0.1, e['final']  # measured 0.174 on this machine
    assert {'model.pt', 'model.pkl', 'vectors.pt', 'report.md'} <= {p.name for p in run.iterdir()}
    check_pngs(run)
    assert 'sem_acc@10' in r.stdout and f'{run.name}/report.md' in r.stdout

def test_compare_softmax_with_budget_prints_json(tmp_path):
    "Small setting of `embout train --compare-softmax --time-budget 120 --json`: stdout is only the JSON."
    r = embout('train', *TINY, '--compare-softmax', '--time-budget', '10', '--json', '--out', 'cmp', cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    m = json.loads(r.stdout)
    assert set(m['models']) == {'embout', 'softmax'}
    for k, v in m['models'].items():
        assert 10 <= v['seconds'] < 12, (k, v['seconds'])
        assert {'top1', 'top5', 'sem_acc@10', 'mean_cos', 'hub_share'} <= set(v['final'])
    assert all(v['tokens'] > 0 for v in m['models'].values())  # (at this tiny vocab the softmax is not the bottleneck)
    check_pngs(tmp_path/'cmp')
    assert '| softmax |' in (tmp_path/'cmp'/'report.md').read_text()

def test_ctrl_c_leaves_partial_report_and_resume_finishes(tmp_path):
    run = tmp_path/'run'
    p = subprocess.Popen([sys.executable, '-m', 'fastai_embout', 'train', *TINY, '--epochs', '6', '--points', '6',
                          '--out', str(run)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, 'PYTHONWARNINGS': 'ignore'})
    deadline = time.time() + 300
    while not (run/'checkpoints'/'embout.json').exists():
        assert p.poll() is None and time.time() < deadline, 'no checkpoint was written'
        time.sleep(0.2)
    time.sleep(1)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, err[-3000:]
    assert f'--resume {run}' in err and 'Traceback' not in err
    report = (run/'report.md').read_text()
    assert 'PARTIAL' in report
    m = json.loads((run/'metrics.json').read_text())
    done = len(m['models']['embout']['history'])
    assert m['status'] == 'interrupted' and 1 <= done < 6
    assert not list(run.rglob('.*.tmp')), 'half-written files left'
    r = embout('train', '--resume', str(run), cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    m = json.loads((run/'metrics.json').read_text())
    hist = m['models']['embout']['history']
    assert m['status'] == 'complete' and [h['point'] for h in hist] == [1, 2, 3, 4, 5, 6]
    assert hist[-1]['progress'] == 1 and 'PARTIAL' not in (run/'report.md').read_text()
