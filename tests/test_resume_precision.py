"Checkpoint/resume with fastai's SaveModelCallback, and mixed precision (CPU bf16 autocast) with every loss."
import hashlib, math
import pytest, torch
from fastai.text.all import Callback, SaveModelCallback, get_model
from fastai_embout.data import wiki_lm_dls
from fastai_embout.vectors import TargetVectors
from fastai_embout.learner import embout_lm_learner
from fastai_embout.losses import LOSSES
from fastai_embout.fit import awd_config

@pytest.fixture(scope='module')
def dls(): return wiki_lm_dls(12, bs=16, seq_len=24)

def digest(t): return hashlib.sha1(t.detach().cpu().contiguous().numpy().tobytes()).hexdigest()

@pytest.mark.parametrize('tie', ['init', 'frozen', 'shared'])
def test_save_model_callback_resume_keeps_targets(dls, tmp_path, tie):
    tv = TargetVectors.random(dls, dim=16)
    config = awd_config('small', 16) | dict(n_hid=32)
    def make():
        return embout_lm_learner(dls, vectors=tv, config=config, tie_weights=tie, path=tmp_path)
    learn = make()
    ref = digest(tv.vectors)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(2, 3e-3, cbs=SaveModelCallback(every_epoch=True, with_opt=True))
    assert (tmp_path/'models'/'model_1.pth').exists()
    resumed = make()
    resumed.create_opt()
    resumed.load('model_1', with_opt=True)
    for a, b in zip(learn.model.parameters(), resumed.model.parameters()): assert torch.equal(a, b)
    resumed.unfreeze()  # fastai sets requires_grad on every parameter: the callback must re-freeze the targets
    with resumed.no_bar(), resumed.no_logging(): resumed.fit_one_cycle(1, 3e-3)
    head = get_model(resumed.model)[1]
    assert digest(head.targets) == digest(get_model(learn.model)[1].targets)
    assert torch.allclose(head.targets.float(), tv.vectors)  # identical to the vectors it was built with
    if tie == 'frozen':
        emb = get_model(resumed.model)[0].encoder
        assert not any(p.requires_grad for n, p in emb.named_parameters() if 'projection' not in n)
    if tie == 'shared':   # the input reads the head's shift table: the same parameter after a resume
        assert get_model(resumed.model)[0].encoder.shift is head.word_shift and head.word_shift.weight.requires_grad
    assert math.isfinite(resumed.recorder.values[-1][1])

class CPUAutocast(Callback):
    "bf16 autocast of the forward pass on CPU (fastai's `to_bf16` only autocasts on CUDA: on CPU it warns and runs fp32)."
    def before_batch(self): self._ctx = torch.autocast('cpu', dtype=torch.bfloat16); self._ctx.__enter__()
    def after_pred(self):
        self.seen = (self.pred[0] if isinstance(self.pred, tuple) else self.pred).dtype
        self._ctx.__exit__(None, None, None)

@pytest.mark.parametrize('loss', list(LOSSES))
def test_bf16_autocast_every_loss(dls, loss):
    "Under bf16 autocast the model outputs bf16; the losses compute in fp32, so losses and metrics stay finite."
    tv = TargetVectors.random(dls, dim=16)
    cb = CPUAutocast()
    learn = embout_lm_learner(dls, vectors=tv, loss=loss, config=awd_config('small', 16) | dict(n_hid=32), cbs=cb)
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3)
    assert cb.seen == torch.bfloat16  # autocast really was on
    train_loss, valid_loss, *metrics = learn.recorder.values[-1]
    assert all(math.isfinite(v) for v in [train_loss, valid_loss, *metrics]), (loss, learn.recorder.values[-1])
