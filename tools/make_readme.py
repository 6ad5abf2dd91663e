#!/usr/bin/env python
"""Render README.md from nbs/index.ipynb, and MEASUREMENTS.md (every table behind the README's summary) from
nbs/measurements.ipynb (nbdev's own `nbdev-readme` needs quarto, which is not installable offline).

Markdown cells are copied as they are; code cells become ```python blocks followed by their saved outputs (printed
text and plain results in code blocks, fit's results table as a markdown table; stderr and progress bars left out);
cells marked `#| hide` are dropped and directive lines (`#| ...`) removed. `--check` exits 1 when either file is stale.
"""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
PAGES = {'README.md': 'index.ipynb', 'MEASUREMENTS.md': 'measurements.ipynb'}   # rendered file → its notebook in nbs/

def _header(nb_name): return f'<!-- Generated from nbs/{nb_name} by tools/make_readme.py: edit the notebook, not this file. -->\n\n'

def _src(cell): return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']

def _html_table(html:str)->str|None:
    "A fastprogress results table (what `fit` shows in a notebook) as a markdown table; None for anything else."
    if 'class="fastprogress"' not in html or '<table' not in html: return None
    head = re.findall(r'<th>(.*?)</th>', html)
    rows = [re.findall(r'<td>(.*?)</td>', r) for r in re.findall(r'<tr>(.*?)</tr>', html, flags=re.S)[1:]]
    return '\n'.join(['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)] + ['| ' + ' | '.join(r) + ' |' for r in rows if r])

def _outputs(cell):
    "Printed text and plain results in code blocks, fit's results table as markdown; not stderr, not progress bars."
    parts = []
    for o in cell.get('outputs', []):
        data = o.get('data', {})
        if o.get('output_type') == 'stream':
            if o.get('name') == 'stdout': parts.append(f"```\n{''.join(o['text']).rstrip()}\n```")
        elif 'text/html' in data:
            table = _html_table(''.join(data['text/html']))
            if table: parts.append(table)
        elif 'text/plain' in data: parts.append(f"```\n{''.join(data['text/plain']).rstrip()}\n```")
    return parts

def render(nb_path=root/'nbs'/'index.ipynb')->str:
    "The markdown page of notebook `nb_path`, with a header naming it as the source."
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
            parts += _outputs(cell)
    return _header(Path(nb_path).name) + '\n\n'.join(parts) + '\n'

def main(argv):
    stale = []
    for page, nb_name in PAGES.items():
        text, out = render(root/'nbs'/nb_name), root/page
        if '--check' not in argv: out.write_text(text, encoding='utf-8')
        elif not out.exists() or out.read_text(encoding='utf-8') != text: stale.append(page)
    if stale: print(f"{', '.join(stale)} stale: run `python tools/make_readme.py` and commit the result.", file=sys.stderr)
    return 1 if stale else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
