"`embout train` as a user runs it: the no-argument default, the side-by-side JSON run, Ctrl-C and --resume."
import json, os, re, shlex, shutil, signal, subprocess, sys, time
from pathlib import Path
import matplotlib.image
from conftest import ROOT

TINY = ['--n-articles', '12', '--dim', '16', '--bs', '16', '--seq-len', '24']   # bs 16: half the steps of bs 8 (a tiny model's step is fastai's per-batch overhead)

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

def start_train(*args, cwd):
    return subprocess.Popen([sys.executable, '-m', 'fastai_embout', 'train', *TINY, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, env={**os.environ, 'PYTHONWARNINGS': 'ignore'})

def wait_for(path, p, timeout=300):
    "Wait until `path` exists (a checkpoint's JSON is written after its .pth, and both atomically)."
    deadline = time.time() + timeout
    while not path.exists():
        assert p.poll() is None and time.time() < deadline, f'{path.name} was never written'
        time.sleep(0.2)

def snapshot(folder): return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob('*')) if p.is_file()}

def test_ctrl_c_then_the_printed_command_resumes(tmp_path):
    "As the README tells it: the default (relative) run folder, Ctrl-C after a checkpoint, paste the printed command."
    p = start_train('--epochs', '6', '--points', '6', cwd=tmp_path)
    wait_for(tmp_path/'embout-runs', p)
    [run] = (tmp_path/'embout-runs').iterdir()
    wait_for(run/'checkpoints'/'embout.json', p)
    p.send_signal(signal.SIGINT)   # at once: on an idle machine the tiny run's remaining points take only seconds
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, err[-3000:]
    assert 'Traceback' not in err
    command = re.search(r'continue with: (embout train --resume \S+)', err).group(1)
    assert command == f'embout train --resume embout-runs/{run.name}', command  # relative, as the user's folder names it
    assert not (tmp_path/'models').exists(), 'fastai joined a path under models/'
    report = (run/'report.md').read_text()
    assert 'PARTIAL' in report
    m = json.loads((run/'metrics.json').read_text())
    done = len(m['models']['embout']['history'])
    assert m['status'] == 'interrupted' and 1 <= done < 6
    assert not list(run.rglob('.*.tmp')), 'half-written files left'
    r = embout(*shlex.split(command)[1:], cwd=tmp_path, timeout=600)  # exactly what was printed, from the same folder
    assert r.returncode == 0, r.stderr[-3000:]
    m = json.loads((run/'metrics.json').read_text())
    hist = m['models']['embout']['history']
    assert m['status'] == 'complete' and [h['point'] for h in hist] == [1, 2, 3, 4, 5, 6]
    assert hist[-1]['progress'] == 1 and 'PARTIAL' not in (run/'report.md').read_text()
    assert not (tmp_path/'models').exists()
    before = snapshot(run)
    r = embout(*shlex.split(command)[1:], cwd=tmp_path, timeout=600)  # a finished run: said so, nothing trained
    assert r.returncode == 0 and 'already complete' in r.stdout, (r.stdout, r.stderr[-2000:])
    assert snapshot(run) == before

def test_kill_9_resumes_elsewhere_and_damaged_files_fail_cleanly(tmp_path):
    "SIGKILL mid-training; damaged copies of the folder are refused untouched; the original resumes from another folder."
    (tmp_path/'a').mkdir(); (tmp_path/'b').mkdir()
    p = start_train('--epochs', '6', '--points', '6', '--out', 'run', cwd=tmp_path/'a')
    run = tmp_path/'a'/'run'
    wait_for(run/'checkpoints'/'embout.json', p)
    time.sleep(1)
    p.kill(); p.communicate(timeout=60)
    first = json.loads((run/'checkpoints'/'embout.json').read_text())['records'][0]
    n_batches = round(first['iters'] / first['epoch'])
    bad = {'checkpoints/embout.pth': lambda b: b[:len(b) // 2], 'run.json': lambda b: b[:-5], 'vectors.pt': lambda b: b[:100]}
    for name, cut in bad.items():
        copy = tmp_path/f'damaged-{name.replace("/", "-")}'
        shutil.copytree(run, copy)
        (copy/name).write_bytes(cut((copy/name).read_bytes()))
        before = snapshot(copy)
        r = embout('train', '--resume', copy.name, cwd=tmp_path, timeout=300)
        assert r.returncode == 2, (name, r.stderr[-3000:])
        assert 'Traceback' not in r.stderr and name in r.stderr and 'damaged' in r.stderr, r.stderr
        assert '--out NEW_FOLDER' in r.stderr and 'Nothing in the folder was changed' in r.stderr, r.stderr
        assert snapshot(copy) == before, name
    r = embout('train', '--resume', str(run), cwd=tmp_path/'b', timeout=600)  # absolute path, another working folder
    assert r.returncode == 0, r.stderr[-3000:]
    m = json.loads((run/'metrics.json').read_text())
    final = m['models']['embout']['final']
    assert m['status'] == 'complete' and final['progress'] == 1
    assert final['iters'] == 6 * n_batches, (final['iters'], n_batches)  # the step count of an uninterrupted run
    assert not (tmp_path/'b'/'models').exists() and not (tmp_path/'a'/'models').exists()

def pseudo_words(n:int)->list[str]:
    "`n` distinct lower-case pronounceable non-words (three consonant–vowel syllables and a final consonant)."
    cons, vows = 'bdfgklmnprstvz', 'aeiou'
    syl = [c + v for c in cons for v in vows]                      # 70 syllables
    return [a + b + c + cons[i % len(cons)] for i, (a, b, c) in
            enumerate((a, b, c) for a in syl for b in syl for c in syl)][:n]

def test_frozen_ties_train_past_fastais_vocab_cap(tmp_path):
    "`--max-vocab 0` with `--tie-weights frozen`: a vocabulary past fastai's 60k cap trains, and every word is its own id."
    import random
    words = pseudo_words(64_000) * 2                               # twice each: in training text whatever the split
    random.Random(0).shuffle(words)
    docs = [' '.join(words[i:i + 12]) + '.' for i in range(0, len(words), 12)]
    (tmp_path/'words.txt').write_text('\n\n'.join(' '.join(docs[i:i + 40]) for i in range(0, len(docs), 40)))
    r = embout('train', '--corpus', 'words.txt', '--max-vocab', '0', '--min-freq', '1', '--tie-weights', 'frozen',
               '--vectors', 'random', '--dim', '16', '--bs', '8', '--seq-len', '24', '--time-budget', '8', '--points', '1',
               '--json', '--out', 'big', cwd=tmp_path, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    m = json.loads(r.stdout)
    assert m['data']['vocab'] > 60_000 and m['settings']['max_vocab'] == 0, m['data']
    assert m['models']['embout']['tokens'] > 0 and 'top1' in m['models']['embout']['final']
    r = embout('train', '--max-vocab', '-1', '--out', 'bad', cwd=tmp_path)
    assert r.returncode == 2 and '--max-vocab must be 0 (no cap) or positive' in r.stderr and 'Traceback' not in r.stderr
    assert not (tmp_path/'bad').exists()
