"""How much the softmax baselines gain from the optimizer our head uses: fastai's `Adam` against `LazyAdam` (fastai's Adam
arithmetic in torch's fused kernel), small encoder, V = 60k and 250k, two interleaved rounds of fresh processes.

`python tools/baseline_optimizer.py OUT.json` — the speed benchmark's `speed_case` with `baseline_opt='fastai'` and `'lazy'`.
(`bench-results/fused/baselines_optimizer.json` was made by this script's first version, which swapped `bench.Adam` for
`LazyAdam` by hand before `baseline_opt` existed: the same two optimizers.)"""
import json, sys
from fastai_embout.bench import _in_fresh_process

if __name__ == '__main__':
    rows = []
    for V in (60000, 250000):
        for rnd in range(2):
            for head in ('adaptive', 'softmax'):
                for opt in ('fastai', 'lazy'):
                    r = _in_fresh_process('speed_case', dict(head=head, V=V, size='small', baseline_opt=opt))
                    rows.append(dict(head=head, V=V, opt=opt, round=rnd, tokens_per_s=r['tokens_per_s'])); print(rows[-1], flush=True)
    json.dump(rows, open(sys.argv[1], 'w'), indent=1)
