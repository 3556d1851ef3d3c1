"""studykit.normalization against torch: batch_norm and layer_norm values, gradients, running
statistics and argument errors."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import normalization as N
from tests.helpers import grads, leaf_pair, non_contiguous, randn

BN_SHAPES = [(8, 3), (4, 3, 5), (2, 3, 4, 5)]
AFFINE = [(True, True), (True, False), (False, True), (False, False)]


def _per_channel(c: int, gen, dtype, device, requires_grad=False):
    w = randn(c, gen=gen, dtype=dtype, device=device, requires_grad=requires_grad)
    b = randn(c, gen=gen, dtype=dtype, device=device, requires_grad=requires_grad)
    return w, b


def _running(c: int, gen, dtype, device):
    mean = randn(c, gen=gen, dtype=dtype, device=device)
    var = torch.rand(c, generator=gen, dtype=torch.float64).to(dtype=dtype, device=device) + 0.5
    return mean, var


def _compare_batch_norm(x, running, weight, bias, training, **kwargs):
    """Run studykit and torch on leaf copies; compare outputs, running stats and gradients."""
    a, b = leaf_pair(x)
    params = [t for t in (weight, bias) if t is not None]
    ours_params = [leaf_pair(t)[0] for t in params]
    theirs_params = [leaf_pair(t)[0] for t in params]

    def pick(ps):
        it = iter(ps)
        return (next(it) if weight is not None else None), (next(it) if bias is not None else None)

    mine = [None, None] if running is None else [t.clone() for t in running]
    ref = [None, None] if running is None else [t.clone() for t in running]
    ours = N.batch_norm(a, *mine, *pick(ours_params), training=training, **kwargs)
    theirs = F.batch_norm(b, *ref, *pick(theirs_params), training=training, **kwargs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)
    if running is not None:
        torch.testing.assert_close(mine[0], ref[0])
        torch.testing.assert_close(mine[1], ref[1])
    for g_ours, g_theirs in zip(
        grads(ours, [a, *ours_params]), grads(theirs, [b, *theirs_params]), strict=True
    ):
        torch.testing.assert_close(g_ours, g_theirs)


@pytest.mark.parametrize("shape", BN_SHAPES, ids=str)
@pytest.mark.parametrize(("use_weight", "use_bias"), AFFINE)
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_matches_torch(shape, use_weight, use_bias, training, device, dtype, gen):
    x = randn(*shape, gen=gen, dtype=dtype, device=device, scale=2.0) + 0.5
    weight, bias = _per_channel(shape[1], gen, dtype, device)
    running = _running(shape[1], gen, dtype, device)
    _compare_batch_norm(
        x,
        running,
        weight if use_weight else None,
        bias if use_bias else None,
        training,
        momentum=0.3,
        eps=1e-3,
    )


@pytest.mark.parametrize("shape", BN_SHAPES, ids=str)
def test_batch_norm_without_running_stats_uses_batch_statistics(shape, device, dtype, gen):
    x = randn(*shape, gen=gen, dtype=dtype, device=device)
    weight, bias = _per_channel(shape[1], gen, dtype, device)
    _compare_batch_norm(x, None, weight, bias, training=True)


def test_batch_norm_non_contiguous_and_channels_last(device, gen):
    x = non_contiguous(randn(4, 3, 5, 6, gen=gen, dtype=torch.float64, device=device))
    weight, bias = _per_channel(3, gen, torch.float64, device)
    running = _running(3, gen, torch.float64, device)
    for training in (True, False):
        _compare_batch_norm(x, running, weight, bias, training)
        channels_last = x.contiguous(memory_format=torch.channels_last)
        _compare_batch_norm(channels_last, running, weight, bias, training)


def test_batch_norm_running_stats_use_unbiased_variance(device, dtype):
    x = torch.tensor([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]], dtype=dtype, device=device)
    mean, var = (
        torch.zeros(2, dtype=dtype, device=device),
        torch.ones(2, dtype=dtype, device=device),
    )
    N.batch_norm(x, mean, var, training=True, momentum=1.0)
    torch.testing.assert_close(mean, x.mean(0))
    torch.testing.assert_close(var, x.var(0, correction=1))  # divide by n - 1
    mean.zero_()
    var.fill_(1.0)
    N.batch_norm(x, mean, var, training=True, momentum=0.0)
    torch.testing.assert_close(mean, torch.zeros_like(mean))
    torch.testing.assert_close(var, torch.ones_like(var))


@pytest.mark.parametrize(
    ("module", "shape"),
    [
        (torch.nn.BatchNorm1d, (6, 4)),
        (torch.nn.BatchNorm1d, (3, 4, 5)),
        (torch.nn.BatchNorm2d, (2, 4, 3, 5)),
    ],
    ids=["1d-NC", "1d-NCL", "2d"],
)
@pytest.mark.parametrize("momentum", [0.1, 0.7, None], ids=["m0.1", "m0.7", "cumulative"])
def test_batch_norm_several_steps_match_nn_batchnorm(module, shape, momentum, device, dtype, gen):
    layer = module(shape[1], momentum=momentum).to(device=device, dtype=dtype)
    with torch.no_grad():  # non-trivial affine parameters
        layer.weight.copy_(randn(shape[1], gen=gen, dtype=dtype, device=device))
        layer.bias.copy_(randn(shape[1], gen=gen, dtype=dtype, device=device))
    weight, bias = layer.weight.detach().clone(), layer.bias.detach().clone()
    mean = torch.zeros(shape[1], dtype=dtype, device=device)
    var = torch.ones(shape[1], dtype=dtype, device=device)
    layer.train()
    for step in range(1, 6):
        x = randn(*shape, gen=gen, dtype=dtype, device=device, scale=step) + step
        ours = N.batch_norm(
            x, mean, var, weight, bias, training=True, momentum=momentum, num_batches_tracked=step
        )
        torch.testing.assert_close(ours, layer(x).detach())
        torch.testing.assert_close(mean, layer.running_mean)
        torch.testing.assert_close(var, layer.running_var)
    assert int(layer.num_batches_tracked) == 5
    layer.eval()
    x = randn(*shape, gen=gen, dtype=dtype, device=device)
    # momentum and num_batches_tracked are not needed in evaluation.
    ours = N.batch_norm(x, mean, var, weight, bias, training=False, momentum=None)
    torch.testing.assert_close(ours, layer(x).detach())
    torch.testing.assert_close(mean, layer.running_mean)  # evaluation leaves them alone


def test_batch_norm_cumulative_average_is_the_plain_mean_of_batch_statistics(gen):
    batches = [randn(5, 2, gen=gen, dtype=torch.float64, device=torch.device("cpu")) for _ in "abc"]
    mean, var = torch.zeros(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64)
    for k, x in enumerate(batches, start=1):
        N.batch_norm(x, mean, var, training=True, momentum=None, num_batches_tracked=k)
    torch.testing.assert_close(mean, torch.stack([x.mean(0) for x in batches]).mean(0))
    torch.testing.assert_close(var, torch.stack([x.var(0) for x in batches]).mean(0))


def test_batch_norm_empty_batch(device):
    x = torch.randn(0, 3, 4, device=device)
    for training in (True, False):
        mean, var = torch.full((3,), 2.0, device=device), torch.full((3,), 3.0, device=device)
        out = N.batch_norm(x, mean, var, training=training)
        expected = F.batch_norm(x, mean.clone(), var.clone(), training=training)
        assert out.shape == expected.shape == (0, 3, 4)
        torch.testing.assert_close(mean, torch.full((3,), 2.0, device=device))
        torch.testing.assert_close(var, torch.full((3,), 3.0, device=device))


def test_batch_norm_does_not_track_running_stats_in_autograd(gen):
    x = randn(6, 3, gen=gen, dtype=torch.float64, device=torch.device("cpu"), requires_grad=True)
    mean, var = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    N.batch_norm(x, mean, var, training=True)
    assert mean.grad_fn is None and var.grad_fn is None and not mean.requires_grad


@settings(max_examples=40)
@given(
    n=st.integers(1, 4),
    c=st.integers(1, 3),
    spatial=st.lists(st.integers(1, 3), max_size=2),
    momentum=st.floats(0.0, 1.0),
    training=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_batch_norm_hypothesis(n, c, spatial, momentum, training, seed):
    shape = (n, c, *spatial)
    per_channel_values = n * int(torch.tensor(spatial, dtype=torch.long).prod())
    if training and per_channel_values == 1:
        return  # refused, tested below
    gen = torch.Generator().manual_seed(seed)
    cpu = torch.device("cpu")
    x = randn(*shape, gen=gen, dtype=torch.float64, device=cpu, scale=3.0)
    weight, bias = _per_channel(c, gen, torch.float64, cpu)
    running = _running(c, gen, torch.float64, cpu)
    _compare_batch_norm(x, running, weight, bias, training, momentum=momentum)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input": torch.randn(5)}, ValueError, r"at least 2 dimensions, got \(5,\)"),
        ({"input": torch.ones(4, 3, dtype=torch.long)}, TypeError, "input must be a floating"),
        ({"running_mean": torch.zeros(4)}, ValueError, r"running_mean must have shape \(3,\)"),
        ({"running_var": torch.ones(3, 1)}, ValueError, r"running_var must have shape \(3,\)"),
        ({"weight": torch.ones(4)}, ValueError, r"weight must have shape \(3,\).*C = 3.*\(4,\)"),
        ({"bias": torch.ones(2)}, ValueError, r"bias must have shape \(3,\)"),
        ({"running_var": None}, ValueError, "both be tensors or both be None"),
        ({"running_mean": None, "running_var": None}, ValueError, "needed when training=False"),
        (
            {"input": torch.randn(1, 3), "training": True},
            ValueError,
            "Expected more than 1 value per channel when training",
        ),
        (
            {"input": torch.randn(1, 3, 1, 1), "training": True},
            ValueError,
            "Expected more than 1 value per channel when training",
        ),
        ({"training": 1}, TypeError, "training must be a bool"),
        ({"momentum": 1.5}, ValueError, r"momentum must be in \[0, 1\], got 1.5"),
        ({"momentum": "0.1"}, TypeError, "momentum must be a number or None"),
        ({"eps": -1e-5}, ValueError, "eps must be a finite number >= 0"),
        ({"momentum": None, "training": True}, TypeError, "needs num_batches_tracked"),
        (
            {"momentum": None, "training": True, "num_batches_tracked": 0},
            ValueError,
            "num_batches_tracked must be >= 1, got 0",
        ),
    ],
)
def test_batch_norm_errors(kwargs, error, match):
    args = {
        "input": torch.randn(4, 3),
        "running_mean": torch.zeros(3),
        "running_var": torch.ones(3),
        **kwargs,
    }
    with pytest.raises(error, match=match):
        N.batch_norm(**args)


def test_batch_norm_single_value_per_channel_is_fine_in_evaluation():
    x = torch.randn(1, 3)
    mean, var = torch.randn(3), torch.rand(3) + 0.5
    torch.testing.assert_close(N.batch_norm(x, mean, var), F.batch_norm(x, mean, var))


# ----------------------------------------------------------------------------- layer_norm

LN_SHAPE = (2, 3, 4, 5)
SUFFIXES = [LN_SHAPE[k:] for k in range(len(LN_SHAPE))]


def _compare_layer_norm(x, normalized_shape, weight, bias, eps=1e-5):
    a, b = leaf_pair(x)
    params = [t for t in (weight, bias) if t is not None]
    ours_params = [leaf_pair(t)[0] for t in params]
    theirs_params = [leaf_pair(t)[0] for t in params]

    def pick(ps):
        it = iter(ps)
        return (next(it) if weight is not None else None), (next(it) if bias is not None else None)

    ours = N.layer_norm(a, normalized_shape, *pick(ours_params), eps=eps)
    theirs = F.layer_norm(b, tuple(normalized_shape), *pick(theirs_params), eps=eps)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)
    for g_ours, g_theirs in zip(
        grads(ours, [a, *ours_params]), grads(theirs, [b, *theirs_params]), strict=True
    ):
        torch.testing.assert_close(g_ours, g_theirs)


@pytest.mark.parametrize("normalized_shape", SUFFIXES, ids=str)
@pytest.mark.parametrize(("use_weight", "use_bias"), AFFINE)
def test_layer_norm_every_suffix(normalized_shape, use_weight, use_bias, device, dtype, gen):
    x = randn(*LN_SHAPE, gen=gen, dtype=dtype, device=device, scale=2.0) + 1.0
    weight = randn(*normalized_shape, gen=gen, dtype=dtype, device=device) if use_weight else None
    bias = randn(*normalized_shape, gen=gen, dtype=dtype, device=device) if use_bias else None
    _compare_layer_norm(x, normalized_shape, weight, bias, eps=1e-4)


def test_layer_norm_int_shape_non_contiguous_and_edge_shapes(device, gen):
    x = non_contiguous(randn(4, 6, gen=gen, dtype=torch.float64, device=device))
    w, b = (randn(6, gen=gen, dtype=torch.float64, device=device) for _ in "wb")
    torch.testing.assert_close(N.layer_norm(x, 6, w, b), F.layer_norm(x, (6,), w, b))
    _compare_layer_norm(x, (6,), w, b)
    _compare_layer_norm(x, (4, 6), None, None)
    one = randn(1, gen=gen, dtype=torch.float64, device=device)  # one feature: output is bias
    torch.testing.assert_close(N.layer_norm(one, (1,)), F.layer_norm(one, (1,)))
    for shape, normalized in [((0, 3), (3,)), ((2, 0), (0,)), ((3,), (3,))]:
        t = torch.randn(shape, dtype=torch.float64, device=device)
        torch.testing.assert_close(N.layer_norm(t, normalized), F.layer_norm(t, normalized))


def test_layer_norm_large_offset_stays_accurate_in_float32(gen):
    # Rows with mean 1e4 and standard deviation 1: E[x^2] - E[x]^2 would lose every digit (nan
    # or garbage in float32). The centred two-pass variance is as accurate as torch's kernel.
    cpu = torch.device("cpu")
    x = (randn(8, 256, gen=gen, dtype=torch.float64, device=cpu) + 1e4).float()
    exact = F.layer_norm(x.double(), (256,))
    ours_error = (N.layer_norm(x, (256,)).double() - exact).abs().max()
    torch_error = (F.layer_norm(x, (256,)).double() - exact).abs().max()
    assert ours_error <= 2 * torch_error + 1e-6, (ours_error, torch_error)
    assert ours_error < 5e-3


def test_layer_norm_batch_of_one_and_eval_independence(gen):
    cpu = torch.device("cpu")
    x = randn(5, 7, gen=gen, dtype=torch.float64, device=cpu)
    whole = N.layer_norm(x, (7,))
    alone = torch.cat([N.layer_norm(x[i : i + 1], (7,)) for i in range(5)])
    torch.testing.assert_close(whole, alone)  # each example is normalized on its own
    torch.testing.assert_close(whole, F.layer_norm(x, (7,)))


@settings(max_examples=40)
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    data=st.data(),
    seed=st.integers(0, 2**16),
)
def test_layer_norm_hypothesis(shape, data, seed):
    k = data.draw(st.integers(1, len(shape)))
    normalized = tuple(shape[len(shape) - k :])
    gen = torch.Generator().manual_seed(seed)
    cpu = torch.device("cpu")
    x = randn(*shape, gen=gen, dtype=torch.float64, device=cpu, scale=3.0)
    weight = randn(*normalized, gen=gen, dtype=torch.float64, device=cpu)
    bias = randn(*normalized, gen=gen, dtype=torch.float64, device=cpu)
    _compare_layer_norm(x, normalized, weight, bias)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (((),), {}, ValueError, "at least one dimension"),
        (((5,),), {}, ValueError, r"normalized_shape \(5,\) must match the last 1 .*\(2, 3, 4\)"),
        (((2, 3, 4, 1),), {}, ValueError, "must match the last 4"),
        (((3,),), {}, ValueError, "must match the last 1"),
        (("4",), {}, TypeError, "normalized_shape must be an int or a tuple of ints"),
        (((4.0,),), {}, TypeError, "normalized_shape must be an int or a tuple of ints"),
        (((4,),), {"weight": torch.ones(3)}, ValueError, r"weight must have shape \(4,\)"),
        (((3, 4),), {"bias": torch.ones(4)}, ValueError, r"bias must have shape \(3, 4\)"),
        (((4,),), {"eps": -1.0}, ValueError, "eps must be a finite number >= 0"),
    ],
)
def test_layer_norm_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        N.layer_norm(torch.randn(2, 3, 4), *args, **kwargs)
    with pytest.raises(TypeError, match="input must be a floating"):
        N.layer_norm(torch.ones(2, 3, dtype=torch.long), (3,))
