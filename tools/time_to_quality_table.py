#!/usr/bin/env python
"""The time-to-quality table of MEASUREMENTS.md from the points of several `embout bench curve` folders:

    python tools/time_to_quality_table.py DIR [DIR ...]

(MEASUREMENTS.md's: `python tools/time_to_quality_table.py bench-results/calibrated-30min bench-results/reviews-30min`).
Each DIR is a `--out` folder of `embout bench curve` (its `curve.json`). One row per corpus and seed (the default recipe
and its other seeds): the epochs each model trained and what it reached at the baselines' longest budget, and the
fraction of each baseline's time ours needs to reach its top-1 and calibrated perplexity (`time_to_quality`; '≤' marks
a fraction reached at our shortest budget, an upper bound; 'never': not reached by our longest budget; '–': not run).
"""
import json, sys
from pathlib import Path
from fastai_embout.curve import time_to_quality, series, CURVE_MODELS

ORDER = ['wiki', 'reviews', 'news', 'usenet']   # the larger vocabularies first

def _ratio(r:dict|None)->str:
    if r is None: return '–'
    if r['ratio'] is None: return 'never'
    return f"{'≤ ' if r['upper_bound'] else ''}{r['ratio']:.2f}×"

def _value(p:dict|None, m:str, fmt:str)->str: return '–' if p is None or m not in p else format(p[m], fmt)

def table(points:list)->str:
    "Markdown rows: per corpus and recipe, epochs / top-1 / calibrated perplexity of ours and each baseline at the baselines' longest budget, and the time-to-quality fractions."
    pts = [p for p in points if p['model'] in CURVE_MODELS and (not p.get('recipe') or '-seed' in p['recipe'])]
    ttq = time_to_quality(pts, metrics=('top1', 'word_ppl', 'word_ppl_cal'))
    rows = ['| corpus | seed | epochs: ours / softmax LM / adaptive | top-1 | calibrated perplexity | uncalibrated perplexity '
            '| time to the softmax LM\'s top-1 / calibrated / uncalibrated perplexity | time to the adaptive softmax\'s |',
            '|---|---|---|---|---|---|---|---|']
    keys = sorted({(p['corpus'], p.get('recipe', '')) for p in pts}, key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else len(ORDER), k))
    for corpus, recipe in keys:
        same = [p for p in pts if p['corpus'] == corpus and p.get('recipe', '') == recipe]
        at = max((p['budget'] for p in same if p['model'] != 'embout'), default=None)   # the baselines' longest budget
        if at is None: continue                                    # no baseline of this recipe
        trio = [next((p for p in same if p['model'] == m and p['budget'] == at), None) for m in ('embout', 'softmax', 'adaptive')]
        cell = lambda m, fmt: ' / '.join(_value(p, m, fmt) for p in trio)
        got = ttq.get(corpus, {})
        vs = lambda b: ' / '.join(_ratio(got.get(series(dict(model=b, recipe=recipe)), {}).get(m)) for m in ('top1', 'word_ppl_cal', 'word_ppl'))
        seed = recipe.replace('-seed', '') or '42'
        rows.append(f"| {corpus} | {seed} | {cell('epochs', '.1f')} | {cell('top1', '.4f')} | {cell('word_ppl_cal', '.1f')} | {cell('word_ppl', '.1f')} "
                    f"| {vs('softmax')} | {vs('adaptive')} |")
    return '\n'.join(rows)

def main(argv):
    if not argv: sys.exit(__doc__)
    print(table([p for d in argv for p in json.loads((Path(d)/'curve.json').read_text())['points']]))

if __name__ == '__main__': main(sys.argv[1:])
