#!/usr/bin/env python
"""The README's time-to-quality chart from the points of several `embout bench curve` folders, their corpora side by side:

    python tools/time_to_quality_chart.py OUT.png DIR [DIR ...]

(the README's: `python tools/time_to_quality_chart.py bench-results/time_to_quality.png bench-results/calibrated-30min
bench-results/reviews-30min`). Each DIR is a `--out` folder of `embout bench curve` (its `curve.json`); the chart is `time_to_quality_figure`'s
(top-1 and calibrated perplexity; the default recipe and its other seeds).
"""
import json, sys
from pathlib import Path
from fastai_embout.curve import plot_time_to_quality

def main(argv):
    if len(argv) < 2: sys.exit(__doc__)
    points = [p for d in argv[1:] for p in json.loads((Path(d)/'curve.json').read_text())['points']]
    order = ['wiki', 'reviews', 'news', 'usenet']   # the larger vocabularies first
    corpora = sorted(dict.fromkeys(p['corpus'] for p in points), key=lambda c: order.index(c) if c in order else len(order))
    print(plot_time_to_quality(points, argv[0], corpora=corpora))

if __name__ == '__main__': main(sys.argv[1:])
