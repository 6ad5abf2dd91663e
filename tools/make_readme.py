#!/usr/bin/env python
"""Render README.md from nbs/index.ipynb (nbdev's own `nbdev-readme` needs quarto, which is not installable offline).

Markdown cells are copied as they are; code cells become ```python blocks followed by their saved text outputs;
cells marked `#| hide` are dropped and directive lines (`#| ...`) removed. `--check` exits 1 when README.md is stale.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
HEADER = '<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n'

def _src(cell): return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']

def _outputs(cell):
    texts = []
    for o in cell.get('outputs', []):
        t = o.get('text') or o.get('data', {}).get('text/plain')
        if t: texts.append(''.join(t).rstrip('\n'))
    return texts

def render(nb_path=root/'nbs'/'index.ipynb')->str:
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    parts = []
    for cell in nb['cells']:
        src = _src(cell)
        lines = src.splitlines()
        if any(l.strip().replace(' ', '') in ('#|hide', '#|hide_input') for l in lines): continue
        if cell['cell_type'] == 'markdown': parts.append(src.strip('\n'))
        elif cell['cell_type'] == 'code':
            code = '\n'.join(l for l in lines if not l.lstrip().startswith('#|')).strip('\n')
            if code: parts.append(f'```python\n{code}\n```')
            parts += [f'```\n{t}\n```' for t in _outputs(cell)]
    return HEADER + '\n\n'.join(parts) + '\n'

def main(argv):
    text, readme = render(), root/'README.md'
    if '--check' in argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            print('README.md is stale: run `python tools/make_readme.py` and commit the result.', file=sys.stderr)
            return 1
        return 0
    readme.write_text(text, encoding='utf-8')
    return 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
