"""studykit.regularization against torch: lp_norm, L1/L2 penalties (and weight_decay), dropout."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import regularization as R
from tests.helpers import grads, leaf_pair, non_contiguous, randn
from tests.strategies import shapes

# ----------------------------------------------------------------------------- lp_norm

DIMS = [None, 0, 1, -1, (0, 2), (2, 0), (-1, -2), (0, 1, 2), ()]


def _compare_norm(x, p, **kwargs):
    a, b = leaf_pair(x)
    ours = R.lp_norm(a, p, **kwargs)
    theirs = torch.linalg.vector_norm(b, ord=p, **kwargs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(grads(ours, [a])[0], grads(theirs, [b])[0])


@pytest.mark.parametrize("p", [1, 2, 1.0, 2.0])
@pytest.mark.parametrize("dim", DIMS, ids=str)
@pytest.mark.parametrize("keepdim", [False, True])
def test_lp_norm_matches_vector_norm(p, dim, keepdim, device, dtype, gen):
    x = randn(3, 4, 5, gen=gen, dtype=dtype, device=device)
    x[0, 1, :] = 0.0  # a zero row: the L2 gradient must be 0 there, not nan
    x[1, 2, 3] = 0.0  # a zero entry: sign(0) = 0 for L1
    _compare_norm(x, p, dim=dim, keepdim=keepdim)


def test_lp_norm_edge_shapes_and_non_contiguous(device):
    gen = torch.Generator().manual_seed(1)
    x = non_contiguous(randn(4, 3, gen=gen, dtype=torch.float64, device=device))
    for p in (1, 2):
        _compare_norm(x, p)
        _compare_norm(x, p, dim=0)
        _compare_norm(torch.zeros(3, 2, dtype=torch.float64, device=device), p)  # all zero
        for shape in [(), (1,), (0,), (2, 0)]:
            t = torch.randn(shape, generator=gen, dtype=torch.float64).to(device)
            _compare_norm(t, p)


def test_lp_norm_follows_torch_on_overflow():
    x = torch.tensor([1e20, 1e20])  # float32: the squares overflow, in torch as well
    assert R.lp_norm(x, 2) == torch.linalg.vector_norm(x, 2) == math.inf
    torch.testing.assert_close(R.lp_norm(x, 1), torch.linalg.vector_norm(x, 1))


@settings(max_examples=40)
@given(shapes(0, 3, 1, 4), st.sampled_from([1, 2]), st.booleans(), st.integers(0, 2**16))
def test_lp_norm_hypothesis(shape, p, keepdim, seed):
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 3
    _compare_norm(x, p)
    if x.ndim:
        _compare_norm(x, p, dim=x.ndim - 1, keepdim=keepdim)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((3,), {}, ValueError, "p must be 1 or 2, got 3"),
        ((float("inf"),), {}, ValueError, "p must be 1 or 2, got inf"),
        ((True,), {}, TypeError, "p must be 1 or 2, got bool"),
        (("fro",), {}, TypeError, "p must be 1 or 2, got str"),
        ((2,), {"dim": 3}, ValueError, "dim=3 is out of range"),
        ((2,), {"dim": (0, -3)}, ValueError, "dim must not repeat a dimension"),
        ((2,), {"dim": 1.0}, TypeError, "dim must be None, an int or a tuple of ints"),
        ((2,), {"keepdim": 1}, TypeError, "keepdim must be a bool"),
    ],
)
def test_lp_norm_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        R.lp_norm(torch.randn(3, 4, 2), *args, **kwargs)
    with pytest.raises(TypeError, match="x must be a floating-point tensor"):
        R.lp_norm(torch.tensor([1, 2]), 2)


# ----------------------------------------------------------------------------- penalties

PENALTIES = [
    ("l1_penalty", lambda ps, lam: lam * sum(p.abs().sum() for p in ps)),
    ("l2_penalty", lambda ps, lam: lam * sum((p * p).sum() for p in ps)),
]


@pytest.mark.parametrize(("name", "reference"), PENALTIES, ids=[n for n, _ in PENALTIES])
@pytest.mark.parametrize("lam", [0.0, 0.01, 2.5])
def test_penalties_value_and_gradient(name, reference, lam, device, dtype, gen):
    shapes_ = [(4, 3), (3,), (2, 2, 2), ()]
    params = [randn(*s, gen=gen, dtype=dtype, device=device) for s in shapes_]
    params[0][1, 1] = 0.0  # |w| has a corner at 0: the gradient is taken as 0
    ours_params = [leaf_pair(p)[0] for p in params]
    theirs_params = [leaf_pair(p)[0] for p in params]
    ours = getattr(R, name)(ours_params, lam)
    theirs = reference(theirs_params, lam)
    assert ours.shape == () and ours.dtype == dtype and ours.device.type == device.type
    torch.testing.assert_close(ours, theirs)
    ours_grads = torch.autograd.grad(ours, ours_params)
    theirs_grads = torch.autograd.grad(theirs, theirs_params)
    for g_ours, g_theirs in zip(ours_grads, theirs_grads, strict=True):
        torch.testing.assert_close(g_ours, g_theirs)


@pytest.mark.parametrize(("name", "reference"), PENALTIES, ids=[n for n, _ in PENALTIES])
def test_penalties_accept_one_tensor_a_generator_and_model_parameters(name, reference):
    fn = getattr(R, name)
    w = torch.randn(3, 4, dtype=torch.float64)
    torch.testing.assert_close(fn(w, 0.5), reference([w], 0.5))
    torch.testing.assert_close(fn((t for t in [w, w]), 0.5), reference([w, w], 0.5))
    model = torch.nn.Linear(4, 2)
    torch.testing.assert_close(
        fn(model.parameters(), 0.1), reference(list(model.parameters()), 0.1)
    )


@pytest.mark.parametrize("name", ["l1_penalty", "l2_penalty"])
@pytest.mark.parametrize(
    ("params", "lam", "error", "match"),
    [
        ([torch.ones(2)], -0.1, ValueError, "lam must be a finite number >= 0, got -0.1"),
        ([torch.ones(2)], float("inf"), ValueError, "lam must be a finite number >= 0"),
        ([torch.ones(2)], "0.1", TypeError, "lam must be a number"),
        ([], 0.1, ValueError, "params must contain at least one tensor"),
        (iter([]), 0.1, ValueError, "params must contain at least one tensor"),
        ([torch.ones(2), 3.0], 0.1, TypeError, r"params\[1\] must be a torch.Tensor, got float"),
        ([torch.ones(2, dtype=torch.long)], 0.1, TypeError, r"params\[0\] must be a floating"),
        (5, 0.1, TypeError, "params must be a tensor or an iterable of tensors, got int"),
    ],
)
def test_penalty_errors(name, params, lam, error, match):
    with pytest.raises(error, match=match):
        getattr(R, name)(params, lam)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_weight_decay_equals_l2_penalty_with_half_the_coefficient(momentum, device, dtype):
    gen = torch.Generator().manual_seed(5)
    inputs = randn(16, 4, gen=gen, dtype=dtype, device=device)
    targets = randn(16, 1, gen=gen, dtype=dtype, device=device)
    start = [randn(1, 4, gen=gen, dtype=dtype, device=device), torch.zeros(1, dtype=dtype)]
    wd, lr = 0.3, 0.05

    def train(weight_decay: float, lam: float | None) -> list[torch.Tensor]:
        params = [p.detach().clone().to(device).requires_grad_(True) for p in start]
        opt = torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
        for _ in range(5):
            opt.zero_grad()
            weight, bias = params
            loss = ((inputs @ weight.T + bias - targets) ** 2).mean()
            if lam is not None:
                loss = loss + R.l2_penalty(params, lam=lam)
            loss.backward()
            opt.step()
        return params

    decayed = train(weight_decay=wd, lam=None)
    for a, b in zip(decayed, train(weight_decay=0.0, lam=wd / 2), strict=True):
        torch.testing.assert_close(a, b)
    # lam = wd (a common slip) decays twice as hard and ends somewhere else.
    assert not torch.allclose(decayed[0], train(weight_decay=0.0, lam=wd)[0])


def test_l2_penalty_with_lam_equal_to_weight_decay_decays_twice_as_hard():
    w = torch.tensor([2.0, -4.0], requires_grad=True)
    (grad,) = torch.autograd.grad(R.l2_penalty([w], lam=0.1), [w])
    torch.testing.assert_close(grad, 2 * 0.1 * w.detach())  # = weight_decay 0.2, not 0.1


# ----------------------------------------------------------------------------- dropout


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_dropout_identity_in_evaluation(p, device, dtype, gen):
    x = randn(5, 4, gen=gen, dtype=dtype, device=device)
    out = R.dropout(x, p, training=False)
    assert out is x  # torch returns the input itself too
    torch.testing.assert_close(out, F.dropout(x, p, training=False))


def test_dropout_p_zero_is_identity_and_p_one_is_zero(device, dtype, gen):
    x = randn(5, 4, gen=gen, dtype=dtype, device=device, requires_grad=True)
    assert R.dropout(x, 0.0) is x
    a, b = leaf_pair(x)
    ours, theirs = R.dropout(a, 1.0), F.dropout(b, 1.0)
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(ours, torch.zeros_like(ours))
    torch.testing.assert_close(grads(ours, [a])[0], grads(theirs, [b])[0])
    nan = torch.tensor([float("nan"), 1.0], dtype=dtype, device=device)
    torch.testing.assert_close(R.dropout(nan, 1.0), F.dropout(nan, 1.0), equal_nan=True)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_dropout_keeps_exactly_x_over_one_minus_p(p, device, dtype):
    gen = torch.Generator(device=device).manual_seed(0)
    x = torch.rand(1000, dtype=dtype, device=device) + 0.5  # never 0, so kept means nonzero
    out = R.dropout(x, p, generator=gen)
    kept = out != 0
    assert 0 < int(kept.sum()) < 1000
    # torch scales by 1 / (1 - p) computed in the input's dtype; compare bit for bit.
    scale = torch.ones((), dtype=dtype, device=device) / (1 - p)
    assert torch.equal(out[kept], x[kept] * scale)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_dropout_keep_rate_within_five_sigma(p, device):
    n = 200_000
    gen = torch.Generator(device=device).manual_seed(1)
    out = R.dropout(torch.ones(n, device=device), p, generator=gen)
    kept = int((out != 0).sum())
    sigma = math.sqrt(n * p * (1 - p))
    assert abs(kept - n * (1 - p)) < 5 * sigma, (kept, n * (1 - p), sigma)
    reference = int((F.dropout(torch.ones(n, device=device), p) != 0).sum())
    assert abs(reference - n * (1 - p)) < 5 * sigma  # torch draws the same distribution
    assert abs(float(out.mean()) - 1.0) < 5 * sigma / n / (1 - p)  # inverted: mean stays 1


def test_dropout_same_seed_same_mask(device):
    x = torch.randn(64, 8, device=device)
    first = R.dropout(x, 0.4, generator=torch.Generator(device=device).manual_seed(7))
    again = R.dropout(x, 0.4, generator=torch.Generator(device=device).manual_seed(7))
    other = R.dropout(x, 0.4, generator=torch.Generator(device=device).manual_seed(8))
    assert torch.equal(first, again)
    assert not torch.equal(first != 0, other != 0)


def test_dropout_mask_equals_torch_on_cpu_with_the_same_global_seed():
    x = torch.randn(7, 9, dtype=torch.float64)
    for p in (0.2, 0.5, 0.75):
        torch.manual_seed(123)
        ours = R.dropout(x, p)
        torch.manual_seed(123)
        theirs = F.dropout(x, p)
        assert torch.equal(ours, theirs)
    torch.manual_seed(123)
    permuted = x.T  # dense but transposed: the mask follows the memory layout, as in torch
    ours = R.dropout(permuted, 0.5)
    torch.manual_seed(123)
    assert torch.equal(ours, F.dropout(permuted, 0.5))


@pytest.mark.parametrize("p", [0.25, 0.5])
def test_dropout_gradient_is_mask_times_scale(p, device, dtype, gen):
    base = randn(6, 5, gen=gen, dtype=dtype, device=device).abs() + 0.1  # never 0
    for x in (base.requires_grad_(True), non_contiguous(base).requires_grad_(True)):
        out = R.dropout(x, p, generator=torch.Generator(device=device).manual_seed(3))
        (grad,) = torch.autograd.grad(out.sum(), [x])
        mask = (out != 0).to(dtype)
        torch.testing.assert_close(grad, mask / (1 - p))


@settings(max_examples=30)
@given(shapes(0, 3, 1, 5), st.floats(0.0, 1.0), st.integers(0, 2**16))
def test_dropout_hypothesis_each_entry_is_zero_or_scaled(shape, p, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=gen, dtype=torch.float64)
    out = R.dropout(x, p, generator=gen)
    assert out.shape == x.shape
    if p == 1:
        assert torch.equal(out, torch.zeros_like(x))
        return
    scaled = x * (torch.ones((), dtype=torch.float64) / (1 - p))
    assert bool(((out == 0) | (out == scaled)).all())


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"p": -0.1}, ValueError, r"p must be in \[0, 1\] .*got -0.1"),
        ({"p": 1.5}, ValueError, r"p must be in \[0, 1\] .*got 1.5"),
        ({"p": float("nan")}, ValueError, r"p must be in \[0, 1\]"),
        ({"p": "0.5"}, TypeError, "p must be a number in"),
        ({"p": True}, TypeError, "p must be a number in"),
        ({"training": "yes"}, TypeError, "training must be a bool, got str"),
        ({"generator": 0}, TypeError, "generator must be a torch.Generator, got int"),
    ],
)
def test_dropout_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        R.dropout(torch.randn(3), **kwargs)
    with pytest.raises(TypeError, match="input must be a floating"):
        R.dropout(torch.ones(3, dtype=torch.long))


def test_dropout_generator_on_another_device_is_refused():
    x = torch.randn(4, device="meta")  # any input not on the CPU will do
    with pytest.raises(ValueError, match="generator must be on the input's device meta"):
        R.dropout(x, 0.5, generator=torch.Generator())
