"Property tests for the losses: finiteness, invariances and decoding, over random dimensions, scales and vocabularies."
import math
import torch
from hypothesis import given, settings, strategies as st
from fastai_embout.vectors import TargetVectors
from fastai_embout.search import unit
from fastai_embout.losses import LOSSES, get_loss, vmf_log_normalizer, vmf_log_normalizer_approx

def _tv(V, d, seed):
    g = torch.Generator().manual_seed(seed)
    return TargetVectors(unit(torch.randn(V, d, generator=g)), [f'w{i}' for i in range(V)]), g

@settings(max_examples=30, deadline=None)
@given(V=st.integers(3, 40), d=st.integers(2, 64), log_scale=st.floats(-6, 4), seed=st.integers(0, 10_000),
       name=st.sampled_from(sorted(LOSSES)))
def test_finite_loss_and_gradient(V, d, log_scale, seed, name):
    tv, g = _tv(V, d, seed)
    kw = dict(n_negatives=5, exact_max_words=20) if name == 'contrastive' else {}   # sampled past 20 words, exact below
    loss = get_loss(name, tv, **kw)
    out = (torch.randn(2, 3, d, generator=g) * 10 ** log_scale).requires_grad_()
    l = loss(out, torch.randint(0, V, (2, 3), generator=g))
    l.backward()
    assert torch.isfinite(l) and torch.isfinite(out.grad).all()

@settings(max_examples=30, deadline=None)
@given(V=st.integers(2, 40), d=st.integers(2, 64), seed=st.integers(0, 10_000), c=st.floats(1e-3, 1e3))
def test_cosine_is_scale_invariant_and_decodes_targets(V, d, seed, c):
    tv, g = _tv(V, d, seed)
    loss = get_loss('cosine', tv)
    t = torch.randint(0, V, (1, 7), generator=g)
    out = torch.randn(1, 7, d, generator=g)
    assert math.isclose(loss(out, t).item(), loss(out * c, t).item(), rel_tol=1e-4, abs_tol=1e-5)
    exact = tv.vectors[t]
    assert torch.equal(loss.decodes(loss.activation(exact * c)), t)

@settings(max_examples=30, deadline=None)
@given(m=st.integers(3, 1200), k1=st.floats(0, 1e4), k2=st.floats(0, 1e4))
def test_vmf_normaliser_is_decreasing_in_kappa(m, k1, k2):
    "log C_m(κ) decreases in κ (its derivative is −I_{m/2}/I_{m/2−1} < 0); the approximation agrees closely for large m."
    lo, hi = sorted([k1, k2])
    vals = vmf_log_normalizer(torch.tensor([lo, hi], dtype=torch.float64), m)
    assert vals[1] <= vals[0] + 1e-9
    if m >= 100:
        approx = vmf_log_normalizer_approx(torch.tensor([lo, hi], dtype=torch.float64), m)
        assert (approx - vals).abs().max() < 1e-3
