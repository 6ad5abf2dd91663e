"Packaging checks a notebook cannot make about itself: sync with notebooks, README, metadata, entry points."
import os, configparser, shutil, subprocess, sys, filecmp
from importlib.metadata import version, entry_points
from pathlib import Path
from conftest import ROOT

def _settings(): 
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini'); return cfg['DEFAULT']

def test_modules_match_notebooks(tmp_path):
    "Exporting the notebooks in a scratch copy reproduces every committed module byte for byte."
    for name in ['nbs', 'fastai_embout']: shutil.copytree(ROOT/name, tmp_path/name, ignore=shutil.ignore_patterns('__pycache__'))
    shutil.copy(ROOT/'pyproject.toml', tmp_path)
    for p in (tmp_path/'fastai_embout').glob('*.py'):
        if p.name != '__init__.py': p.unlink()
    nbdev_export = Path(sys.executable).parent/'nbdev-export'
    subprocess.run([str(nbdev_export)], cwd=tmp_path, check=True, capture_output=True)
    committed = sorted(p.name for p in (ROOT/'fastai_embout').glob('*.py'))
    exported = sorted(p.name for p in (tmp_path/'fastai_embout').glob('*.py'))
    assert exported == committed, f"modules without a notebook, or notebooks not exported: {set(exported) ^ set(committed)}"
    stale = [n for n in committed if not filecmp.cmp(ROOT/'fastai_embout'/n, tmp_path/'fastai_embout'/n, shallow=False)]
    assert not stale, f"{stale} differ from their notebooks: edit the notebook, run nbdev-export, commit both"

def test_readme_is_current():
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'make_readme.py'), '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

def test_readme_check_names_each_stale_page(tmp_path):
    "`make_readme.py --check` fails, naming the page, when README.md or MEASUREMENTS.md differs from its notebook."
    (tmp_path/'tools').mkdir(); (tmp_path/'nbs').mkdir()
    shutil.copy(ROOT/'tools'/'make_readme.py', tmp_path/'tools')
    for nb in ('index.ipynb', 'measurements.ipynb'): shutil.copy(ROOT/'nbs'/nb, tmp_path/'nbs')
    run = lambda *a: subprocess.run([sys.executable, str(tmp_path/'tools'/'make_readme.py'), *a], capture_output=True, text=True)
    assert run().returncode == 0 and run('--check').returncode == 0
    assert (tmp_path/'MEASUREMENTS.md').read_text().startswith('<!-- Generated from nbs/measurements.ipynb')
    with open(tmp_path/'MEASUREMENTS.md', 'a') as f: f.write('edited by hand\n')
    r = run('--check')
    assert r.returncode == 1 and 'MEASUREMENTS.md' in r.stderr and 'README.md' not in r.stderr, r.stderr

def test_readme_quick_start_has_two_commands():
    text = (ROOT/'README.md').read_text()
    block = text.split('## Quick start')[1].split('```sh')[1].split('```')[0]
    cmds = [l for l in block.splitlines() if l.strip()]
    assert len(cmds) == 2 and 'nbdev-test' in cmds[1] and 'pytest tests' in cmds[1]

def test_metadata_single_source():
    import fastai_embout
    cfg = _settings()
    assert version(cfg['dist_name']) == cfg['version'] == fastai_embout.__version__
    scripts = {e.name: e.value for e in entry_points(group='console_scripts')}
    assert scripts.get('embout') == 'fastai_embout.__main__:run'
    assert shutil.which('embout', path=str(Path(sys.executable).parent)), 'console script `embout` was not installed'

def test_commands_start_without_torch_noise():
    "The console script and `python -m fastai_embout` print no `torch.jit.script` deprecation notice (with default warnings)."
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONWARNINGS'}
    for cmd in ([shutil.which('embout', path=str(Path(sys.executable).parent))], [sys.executable, '-m', 'fastai_embout']):
        r = subprocess.run([*cmd, 'generate', '--help'], capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0 and 'usage: embout generate' in r.stdout, r.stderr[-2000:]
        assert 'jit.script' not in r.stderr and 'Warning' not in r.stderr, r.stderr[-2000:]

def test_docs_site_config_is_current(tmp_path):
    "nbs/_quarto.yml, nbdev.yml and sidebar.yml are what nbdev-docs would generate (quarto itself is not needed here)."
    shutil.copytree(ROOT/'nbs', tmp_path/'nbs', ignore=shutil.ignore_patterns('*.ipynb_checkpoints', 'models'))
    shutil.copy(ROOT/'pyproject.toml', tmp_path)
    (tmp_path/'fastai_embout').mkdir()
    code = "from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar; refresh_quarto_yml(); nbdev_sidebar(force=True)"
    r = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for f in ('_quarto.yml', 'nbdev.yml', 'sidebar.yml'):
        assert (tmp_path/'nbs'/f).read_text() == (ROOT/'nbs'/f).read_text(), f'nbs/{f} is stale: regenerate it (see pyproject.toml)'
    assert (ROOT/'nbs'/'styles.css').exists()  # _quarto.yml refers to it

def _imported_modules(src:str)->set:
    "Package modules a module imports: `from .x import ...` and `from . import (x, y)`."
    import re
    deps = set(re.findall(r'^\s*from \.(\w+) import', src, re.M))   # lazy imports in functions too
    for names in re.findall(r'^from \. import \(?([\w, ]+)\)?', src, re.M): deps |= {n.strip() for n in names.split(',') if n.strip()}
    return deps

def test_notebooks_in_import_order():
    "Each module imports only modules whose notebooks sort before its own, and the README's documentation list names every module notebook once."
    import re
    nb_of = {}
    for nb in sorted((ROOT/'nbs').glob('[0-9]*.ipynb')):
        m = re.search(r'#\|\s*default_exp\s+(\w+)', nb.read_text())
        if m: nb_of[m.group(1)] = nb.name
    late = [f'{nb} imports {dep} ({nb_of[dep]})' for mod, nb in nb_of.items()
            for dep in _imported_modules((ROOT/'fastai_embout'/f'{mod}.py').read_text()) if dep in nb_of and nb_of[dep] >= nb]
    assert not late, late
    readme = (ROOT/'README.md').read_text().split('## Documentation')[1].split('\n## ')[0]
    listed = re.findall(r'^- `(\w+)`', readme, re.M)
    assert sorted(listed) == sorted(n[:-len('.ipynb')] for n in nb_of.values())
