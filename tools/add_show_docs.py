#!/usr/bin/env python
"""Give every public name of every module notebook a `show_doc` cell right after the cell that exports it.

Idempotent: names that already have a `show_doc(...)` cell are skipped. Run after adding exported functions, then
`nbdev-export`/`nbdev-clean`. (nbdev's docs processor adds missing ones when rendering; the cells make the notebooks
document themselves in Jupyter too.)"""
import ast, json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

def public_names(src:str, all_names:set)->list[str]:
    try: tree = ast.parse(re.sub(r'^\s*[%!].*$', '', src, flags=re.M))
    except SyntaxError: return []
    out = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name.startswith('_'): continue
        patched = [d for d in node.decorator_list if 'patch' in ast.unparse(d)]
        if patched and node.args.args and node.args.args[0].annotation is not None:
            out.append(f"{ast.unparse(node.args.args[0].annotation)}.{node.name}")
        elif node.name in all_names: out.append(node.name)
    return out

def process(nb_path:Path)->int:
    nb = json.loads(nb_path.read_text())
    cells = nb['cells']
    if not any(_src(c).startswith('#| default_exp') for c in cells): return 0
    mod = next(re.search(r'default_exp\s+(\S+)', _src(c)).group(1) for c in cells if _src(c).startswith('#| default_exp'))
    if mod.startswith('_'): return 0
    text = (root/'fastai_embout'/f'{mod}.py').read_text()
    m = re.search(r'__all__ = \[(.*?)\]', text, re.S)
    all_names = set(re.findall(r"'([^']+)'", m.group(1))) if m else set()
    documented = set(re.findall(r'show_doc\(([\w.]+)', '\n'.join(_src(c) for c in cells)))
    new, added = [], 0
    for c in cells:
        new.append(c)
        if c['cell_type'] != 'code' or not _src(c).lstrip().startswith('#| export'): continue
        for name in public_names(_src(c), all_names):
            if name in documented: continue
            new.append(dict(cell_type='code', execution_count=None, id=f'sd{added:03d}{abs(hash(name)) % 10**6}',
                            metadata={}, outputs=[], source=f'show_doc({name})'))
            documented.add(name); added += 1
    if added and not any('from nbdev.showdoc import' in _src(c) for c in new):
        i = next(i for i, c in enumerate(new) if _src(c).startswith('#| default_exp'))
        new.insert(i + 1, dict(cell_type='code', execution_count=None, id='sdimport', metadata={}, outputs=[],
                               source='#| hide\nfrom nbdev.showdoc import show_doc'))
    nb['cells'] = new
    nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return added

if __name__ == '__main__':
    for p in sorted((root/'nbs').glob('[0-9]*.ipynb')): print(p.name, process(p))
