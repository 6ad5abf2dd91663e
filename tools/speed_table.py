"""MEASUREMENTS.md's speed table (the README quotes its first run) from two runs of `embout bench speed` (each run: a
folder holding `small/speed.json` and `fastai/speed.json`). Prints the markdown table (tokens/s of run 1; every ratio as run 1 / run 2) and writes run 1's two
JSON files merged to OUT/speed.json, with OUT/speed.txt (one line per case) and OUT/speed.png.

    python tools/speed_table.py bench-results/speed-auto/run1 bench-results/speed-auto/run2 --out bench-results
"""
import argparse, json
from pathlib import Path
from fastai_embout.bench import plot_speed, speed_line
from fastai_embout.report import write_json

SIZES = {'small': 'small (2×256)', 'fastai': 'fastai (3×1152)'}
GOAL_CELLS = {('small', 60000, 'adaptive'), ('small', 250000, 'adaptive'), ('fastai', 250000, 'softmax')}   # issue 14's goals, in bold

def load(run:Path)->dict:
    "{size: the JSON `embout bench speed` wrote} for the sizes `run` holds."
    return {s: json.loads((run/s/'speed.json').read_text()) for s in SIZES if (run/s/'speed.json').exists()}

def case(rows, V, head, tie=None)->dict: return next(r for r in rows if r['V'] == V and r['head'] == head and r['tie'] == tie)

def ratio(x:float, unit:str='×')->str:
    "A ratio as the table prints it: 2 decimals below 10, 1 below 20, none above."
    return f"{x:.2f}{unit}" if x < 10 else f"{x:.1f}{unit}" if x < 20 else f"{x:.0f}{unit}"

def table(a:dict, b:dict)->str:
    "Markdown: run `a`'s tokens/s, `a` / `b` for every ratio."
    lines = ["| encoder | V | fastai softmax LM | adaptive softmax | **ours (default, tie `shared`)** | ours, tie `init` | ours, tie `frozen` | encoder-only "
             "| default ÷ softmax | default ÷ adaptive | default ÷ encoder-only | encoder-only ÷ adaptive | peak memory ÷ softmax (default / init / frozen) |",
             "|" + "---|" * 13]
    for size, label in SIZES.items():
        if size not in a: continue
        ra, rb = a[size]['rows'], b[size]['rows']
        for V in sorted({r['V'] for r in ra}):
            c = {k: case(ra, V, *k) for k in [('softmax',), ('adaptive',), ('embout', 'shared'), ('embout', 'init'), ('embout', 'frozen'), ('encoder',)]}
            both = lambda f, unit='×': ' / '.join(ratio(f(rows), unit) for rows in (ra, rb))
            d = lambda rows: case(rows, V, 'embout', 'shared')
            cells = [label, f"{V:,}", *(f"{c[k]['tokens_per_s']:,.0f}" for k in c)]
            cells[4] = f"**{cells[4]}**"
            for name, f, unit in [('softmax', lambda rows: d(rows)['vs_softmax'], '×'), ('adaptive', lambda rows: d(rows)['vs_adaptive'], '×'),
                                  ('encoder', lambda rows: d(rows)['vs_encoder'], ''), ('limit', lambda rows: case(rows, V, 'encoder')['vs_adaptive'], '×')]:
                cell = both(f, unit)
                cells.append(f"**{cell}**" if (size, V, name) in GOAL_CELLS else cell)
            cells.append(' / '.join(f"{c[k]['memory_vs_softmax']:.2f}" for k in [('embout', 'shared'), ('embout', 'init'), ('embout', 'frozen')]))
            lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('run1', type=Path); p.add_argument('run2', type=Path)
    p.add_argument('--out', type=Path, default=None, help="where to write run 1 merged (speed.json, speed.txt, speed.png); none: print only")
    args = p.parse_args()
    a, b = load(args.run1), load(args.run2)
    if set(a) != set(b) or not a: raise SystemExit(f"Both runs need the same sizes' speed.json: {args.run1} has {sorted(a)}, {args.run2} has {sorted(b)}.")
    print(table(a, b))
    if args.out:
        first = next(iter(a.values()))
        merged = dict(first, repeats={s: a[s]['repeats'] for s in a}, rounds={s: a[s]['rounds'] for s in a},
                      runs=[str(args.run1/s/'speed.json') for s in a], rows=[r for s in a for r in a[s]['rows']])
        write_json(args.out/'speed.json', merged)
        (args.out/'speed.txt').write_text('\n'.join(speed_line(r) for r in merged['rows']) + '\n')
        plot_speed(merged['rows'], args.out/'speed.png')
