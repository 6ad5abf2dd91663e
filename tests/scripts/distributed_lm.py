"Launched by tests/test_distributed.py under torchrun: train a vector-output LM on 2 processes, then report."
import hashlib, json, sys, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
from fastai.text.all import *
from fastai_embout.data import wiki_lm_dls
from fastai_embout.vectors import TargetVectors
from fastai_embout.learner import embout_lm_learner
from fastai_embout.fit import awd_config, fit_budget, evaluate
from fastai_embout.distributed import lm_distrib_ctx

out = Path(sys.argv[1])
def digest(t): return hashlib.sha1(t.detach().cpu().contiguous().numpy().tobytes()).hexdigest()

dls = wiki_lm_dls(12, bs=8, seq_len=24)
tv = TargetVectors.random(dls, dim=16)
set_seed(0)
learn = embout_lm_learner(dls, vectors=tv, loss='cosine', config=awd_config('small', 16) | dict(n_hid=32))  # a deterministic loss: values comparable exactly
before = digest(get_model(learn.model)[1].targets)
with lm_distrib_ctx(learn):
    hist = fit_budget(learn, 3e-3, epochs=1, points=2, quiet=True)
    world = torch.distributed.get_world_size()
single = evaluate(learn)  # now unwrapped: the full validation set in this process alone
rank = rank_distrib()
weights = digest(torch.cat([p.detach().flatten() for p in learn.model.parameters()]))
(out/f'rank{rank}.json').write_text(json.dumps(dict(rank=rank, world=world, distributed=hist[-1], single=single,
    targets_before=before, targets_after=digest(get_model(learn.model)[1].targets), weights=weights,
    n_train_batches=len(dls.train))))
learn.save_embout(out/'model.pt')  # rank 0 writes, the others return
# leave the process group cleanly: exiting with gloo's threads alive can abort ("terminate called without an active exception")
torch.distributed.barrier()
torch.distributed.destroy_process_group()
