"A model saved with `save_embout` loads in a fresh process, without pickle and without the training data."
import json

TRAIN = '''
import sys, warnings; warnings.filterwarnings('ignore')
from fastai.text.all import *
from fastai_embout.data import wiki_lm_dls
from fastai_embout.vectors import TargetVectors
from fastai_embout.learner import embout_lm_learner
dls = wiki_lm_dls(12, bs=8, seq_len=24)
tv = TargetVectors.train(dls, dim=16, epochs=1)
learn = embout_lm_learner(dls, vectors=tv, config=dict(awd_lstm_lm_config, emb_sz=16, n_hid=32, n_layers=1))
with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-2)
learn.save_embout(sys.argv[1])
print(learn.predict('The history of', 6, no_bar=True))
'''
LOAD = '''
import sys, warnings, torch; warnings.filterwarnings('ignore')
calls, _load = [], torch.load
def spy(*a, **k): calls.append(k.get('weights_only')); return _load(*a, **k)
torch.load = spy                           # every torch.load must be weights-only (no pickled objects)
from fastai_embout.learner import load_embout
print(load_embout(sys.argv[1]).predict('The history of', 6, no_bar=True))
assert calls and all(w is True for w in calls), calls
'''

def test_save_embout_loads_in_a_fresh_process_without_pickle(py, tmp_path):
    fn = str(tmp_path/'model.pt')
    a = py('-c', TRAIN, fn)
    assert a.returncode == 0, a.stderr[-2000:]
    b = py('-c', LOAD, fn)
    assert b.returncode == 0, b.stderr[-2000:]
    assert a.stdout.strip().splitlines()[-1] == b.stdout.strip().splitlines()[-1]
    assert a.stdout.strip().splitlines()[-1].startswith('The history of')
