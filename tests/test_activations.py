"""studykit.activations against torch: values, gradients, stability and argument errors."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import activations
from tests.helpers import grads, leaf_pair, non_contiguous, randn
from tests.strategies import shapes

ELEMENTWISE = [
    ("sigmoid", {}, torch.sigmoid),
    ("tanh", {}, torch.tanh),
    ("relu", {}, F.relu),
    ("leaky_relu", {}, F.leaky_relu),
    ("leaky_relu", {"negative_slope": 0.2}, lambda x: F.leaky_relu(x, 0.2)),
    ("leaky_relu", {"negative_slope": -0.5}, lambda x: F.leaky_relu(x, -0.5)),
    ("leaky_relu", {"negative_slope": 2.5}, lambda x: F.leaky_relu(x, 2.5)),
    ("leaky_relu", {"negative_slope": 1}, lambda x: F.leaky_relu(x, 1.0)),
    ("leaky_relu", {"negative_slope": 0}, lambda x: F.leaky_relu(x, 0.0)),
]
IDS = [f"{name}{kw}" for name, kw, _ in ELEMENTWISE]


def _compare(ours_fn, torch_fn, x: torch.Tensor) -> None:
    a, b = leaf_pair(x)
    ours, theirs = ours_fn(a), torch_fn(b)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(grads(ours, [a])[0], grads(theirs, [b])[0])


@pytest.mark.parametrize(("name", "kwargs", "reference"), ELEMENTWISE, ids=IDS)
def test_elementwise_values_and_gradients(name, kwargs, reference, device, dtype, gen) -> None:
    x = randn(4, 5, 3, gen=gen, dtype=dtype, device=device, scale=3.0)
    x[0, 0, :] = torch.tensor([0.0, -0.0, 1e-8], dtype=dtype)  # the kink and tiny values
    _compare(lambda t: getattr(activations, name)(t, **kwargs), reference, x)


@pytest.mark.parametrize(("name", "kwargs", "reference"), ELEMENTWISE, ids=IDS)
def test_elementwise_extreme_inputs_stay_finite(name, kwargs, reference, device, dtype) -> None:
    x = torch.tensor([-1e4, -800.0, -90.0, -20.0, 20.0, 90.0, 800.0, 1e4], dtype=dtype)
    x = x.to(device)
    _compare(lambda t: getattr(activations, name)(t, **kwargs), reference, x)


@pytest.mark.parametrize(("name", "kwargs", "reference"), ELEMENTWISE, ids=IDS)
def test_elementwise_non_contiguous_and_edge_shapes(name, kwargs, reference, device) -> None:
    fn = getattr(activations, name)
    gen = torch.Generator().manual_seed(3)
    x = non_contiguous(randn(3, 4, gen=gen, dtype=torch.float64, device=device))
    torch.testing.assert_close(fn(x, **kwargs), reference(x))
    for shape in [(), (1,), (0,), (2, 0, 3)]:
        t = torch.randn(shape, generator=gen, dtype=torch.float64).to(device)
        torch.testing.assert_close(fn(t, **kwargs), reference(t))


@settings(max_examples=40)
@given(shapes(0, 3, 1, 4), st.integers(0, 2**16))
def test_elementwise_hypothesis_shapes(shape, seed) -> None:
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 5
    for name, kwargs, reference in ELEMENTWISE:
        _compare(lambda t, n=name, k=kwargs: getattr(activations, n)(t, **k), reference, x)


SOFTMAXES = [("softmax", torch.softmax), ("log_softmax", torch.log_softmax)]


@pytest.mark.parametrize(("name", "reference"), SOFTMAXES)
@pytest.mark.parametrize("dim", [0, 1, 2, -1, -3])
def test_softmax_family_every_dim(name, reference, dim, device, dtype, gen) -> None:
    x = randn(3, 4, 5, gen=gen, dtype=dtype, device=device, scale=4.0)
    _compare(lambda t: getattr(activations, name)(t, dim=dim), lambda t: reference(t, dim), x)


@pytest.mark.parametrize(("name", "reference"), SOFTMAXES)
def test_softmax_family_is_stable_for_huge_logits(name, reference, device, dtype) -> None:
    x = torch.tensor([[1000.0, 0.0, -1000.0], [1e4, 1e4, 1e4]], dtype=dtype, device=device)
    _compare(lambda t: getattr(activations, name)(t, dim=1), lambda t: reference(t, 1), x)
    out = getattr(activations, name)(x, dim=1)
    assert torch.isfinite(out).all()


@pytest.mark.parametrize(("name", "reference"), SOFTMAXES)
def test_softmax_family_dtype_argument_and_edge_shapes(name, reference, device) -> None:
    fn = getattr(activations, name)
    x = torch.randn(2, 3, dtype=torch.float32, device=device)
    ours = fn(x, dim=1, dtype=torch.float64)
    assert ours.dtype == torch.float64
    torch.testing.assert_close(ours, reference(x, 1, dtype=torch.float64))
    for shape, dim in [((), 0), ((), -1), ((1,), 0), ((0, 3), 1), ((3, 0), 1), ((2, 1, 4), 1)]:
        t = torch.randn(shape, dtype=torch.float64, device=device)
        torch.testing.assert_close(fn(t, dim=dim), reference(t, dim))
    y = non_contiguous(torch.randn(4, 5, dtype=torch.float64, device=device))
    torch.testing.assert_close(fn(y, dim=0), reference(y, 0))


@settings(max_examples=40)
@given(shapes(1, 4, 1, 5), st.data())
def test_softmax_hypothesis_shapes_and_dims(shape, data) -> None:
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    seed = data.draw(st.integers(0, 2**16))
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 10
    for name, reference in SOFTMAXES:
        _compare(
            lambda t, n=name: getattr(activations, n)(t, dim=dim),
            lambda t, r=reference: r(t, dim),
            x,
        )


def test_softmax_rows_sum_to_one_and_log_softmax_is_its_log(gen) -> None:
    x = torch.randn(6, 7, generator=gen, dtype=torch.float64)
    probs = activations.softmax(x, dim=1)
    torch.testing.assert_close(probs.sum(1), torch.ones(6, dtype=torch.float64))
    torch.testing.assert_close(activations.log_softmax(x, dim=1).exp(), probs)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: activations.sigmoid([1.0]), TypeError, "input must be a torch.Tensor"),
        (lambda: activations.relu(torch.tensor([1, 2])), TypeError, "floating-point"),
        (lambda: activations.leaky_relu(torch.ones(2), "0.1"), TypeError, "negative_slope"),
        (lambda: activations.softmax(torch.ones(2, 3), dim=2), ValueError, "dim=2 is out of range"),
        (lambda: activations.log_softmax(torch.ones(2), dim=None), TypeError, "needs dim"),
        (lambda: activations.softmax(torch.ones(2), dim=0.5), TypeError, "dim must be an int"),
    ],
)
def test_argument_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
