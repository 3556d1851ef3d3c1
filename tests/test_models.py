"""studykit.models against torch: linear, the pixel-similarity baseline, accuracy, simple_net."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import models
from tests.helpers import grads, leaf_pair, non_contiguous, randn

# ---------------------------------------------------------------- linear


def _compare(ours_fn, torch_fn, *inputs: torch.Tensor) -> None:
    """Values and gradients (w.r.t. every tensor in ``inputs``) must agree with torch's."""
    pairs = [leaf_pair(t) for t in inputs]
    ours = ours_fn(*(a for a, _ in pairs))
    theirs = torch_fn(*(b for _, b in pairs))
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)
    if ours.numel() == 0:
        return
    for g_ours, g_theirs in zip(
        grads(ours, [a for a, _ in pairs]), grads(theirs, [b for _, b in pairs]), strict=True
    ):
        torch.testing.assert_close(g_ours, g_theirs)


# (input shape, weight shape, bias shape or None)
LINEAR_SHAPES = [
    ((3, 4), (5, 4), (5,)),
    ((3, 4), (5, 4), None),
    ((2, 3, 4), (5, 4), (5,)),
    ((4,), (5, 4), (5,)),
    ((3, 4), (5, 4), (3, 5)),  # a bias that broadcasts to the whole output
    ((3, 4), (5, 4), (1,)),
    ((3, 4), (5, 4), ()),
    ((3, 4), (4,), None),  # a 1-D weight: one output unit, its dimension dropped
    ((4,), (4,), ()),
    ((1, 1), (1, 1), (1,)),
    ((0, 4), (5, 4), (5,)),  # an empty batch
    ((3, 0), (5, 0), (5,)),  # no features: the output is the bias
]


@pytest.mark.parametrize(("x_shape", "w_shape", "b_shape"), LINEAR_SHAPES, ids=str)
def test_linear_matches_f_linear(x_shape, w_shape, b_shape, device, dtype, gen) -> None:
    x = randn(*x_shape, gen=gen, dtype=dtype, device=device)
    w = randn(*w_shape, gen=gen, dtype=dtype, device=device)
    if b_shape is None:
        _compare(models.linear, F.linear, x, w)
    else:
        b = randn(*b_shape, gen=gen, dtype=dtype, device=device)
        _compare(models.linear, F.linear, x, w, b)


def test_linear_non_contiguous(device, dtype, gen) -> None:
    x = non_contiguous(randn(6, 4, gen=gen, dtype=dtype, device=device))
    w = non_contiguous(randn(3, 4, gen=gen, dtype=dtype, device=device))
    b = non_contiguous(randn(6, 3, gen=gen, dtype=dtype, device=device))
    _compare(models.linear, F.linear, x, w, b)
    _compare(models.linear, F.linear, x, w, b[0])


def test_linear_equals_the_notes_x_at_w_plus_b(device) -> None:
    gen = torch.Generator().manual_seed(3)
    x = randn(4, 784, gen=gen, dtype=torch.float64, device=device)
    weights = randn(784, 1, gen=gen, dtype=torch.float64, device=device)
    bias = randn(1, gen=gen, dtype=torch.float64, device=device)
    torch.testing.assert_close(models.linear(x, weights.T, bias), x @ weights + bias)
    layer = torch.nn.Linear(784, 1, dtype=torch.float64, device=device)
    torch.testing.assert_close(models.linear(x, layer.weight, layer.bias), layer(x))


@settings(max_examples=40)
@given(
    batch=st.lists(st.integers(0, 3), max_size=2).map(tuple),
    features=st.integers(0, 5),
    out=st.integers(1, 5),
    with_bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_linear_hypothesis(batch, features, out, with_bias, seed) -> None:
    gen = torch.Generator().manual_seed(seed)
    cpu = torch.device("cpu")
    x = randn(*batch, features, gen=gen, dtype=torch.float64, device=cpu)
    w = randn(out, features, gen=gen, dtype=torch.float64, device=cpu)
    inputs = (x, w, randn(out, gen=gen, dtype=torch.float64, device=cpu)) if with_bias else (x, w)
    _compare(models.linear, F.linear, *inputs)


def test_linear_errors() -> None:
    x, w = torch.zeros(3, 4), torch.zeros(5, 4)
    with pytest.raises(ValueError, match="input must be at least 1-D"):
        models.linear(torch.tensor(1.0), w)
    with pytest.raises(ValueError, match="weight must be"):
        models.linear(x, torch.zeros(2, 5, 4))
    with pytest.raises(ValueError, match="input has 4 features"):
        models.linear(x, torch.zeros(5, 3))
    with pytest.raises(ValueError, match="bias shape"):
        models.linear(torch.zeros(4), w, torch.zeros(3, 5))
    with pytest.raises(TypeError, match="weight dtype"):
        models.linear(x, w.double())
    with pytest.raises(TypeError, match="bias dtype"):
        models.linear(x, w, torch.zeros(5, dtype=torch.float64))
    with pytest.raises(TypeError, match="input must be a floating-point tensor"):
        models.linear(torch.zeros(3, 4, dtype=torch.long), w)
    with pytest.raises(TypeError, match=r"weight must be a torch\.Tensor"):
        models.linear(x, [[1.0]])


# ---------------------------------------------------------------- init_params


def test_init_params_is_a_scaled_normal_leaf(device, dtype) -> None:
    ours = models.init_params(
        (784, 30), std=0.1, generator=torch.Generator().manual_seed(7), dtype=dtype
    )
    reference = torch.randn((784, 30), generator=torch.Generator().manual_seed(7), dtype=dtype)
    torch.testing.assert_close(ours.detach(), reference * 0.1)
    assert ours.requires_grad and ours.is_leaf and ours.grad is None
    bias = models.init_params(30, device=device, dtype=dtype)
    assert bias.shape == (30,) and bias.device.type == device.type and bias.dtype == dtype
    assert bias.requires_grad and bias.is_leaf
    # A leaf collects a gradient, which is the point of the notes' function.
    (bias * 2).sum().backward()
    torch.testing.assert_close(bias.grad, torch.full_like(bias, 2.0))


def test_init_params_std_and_errors() -> None:
    big = models.init_params(100_000, std=0.5, generator=torch.Generator().manual_seed(1))
    assert abs(big.detach().std().item() - 0.5) < 0.01
    assert abs(big.detach().mean().item()) < 0.01
    zeros = models.init_params((2, 3), std=0.0)
    assert torch.equal(zeros.detach(), torch.zeros(2, 3))
    with pytest.raises(ValueError, match="std must be a finite number >= 0"):
        models.init_params(3, std=-1.0)
    with pytest.raises(TypeError, match="std must be a number"):
        models.init_params(3, std="1")


# ---------------------------------------------------------------- the pixel-similarity baseline


def test_mean_image_matches_mean_over_dim_0(device, dtype, gen) -> None:
    for shape in [(5, 4, 3), (6, 3, 4, 4), (1, 2, 2)]:
        images = randn(*shape, gen=gen, dtype=dtype, device=device)
        _compare(models.mean_image, lambda t: t.mean(0), images)
    _compare(models.mean_image, lambda t: t.mean(0), non_contiguous(images))


def test_mean_image_errors() -> None:
    with pytest.raises(TypeError, match=r"images\.float\(\) / 255"):
        models.mean_image(torch.zeros(3, 2, 2, dtype=torch.uint8))
    with pytest.raises(ValueError, match="must be a stack"):
        models.mean_image(torch.zeros(28, 28))
    with pytest.raises(ValueError, match="holds no image"):
        models.mean_image(torch.zeros(0, 28, 28))


def _l1_reference(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (a - b).abs().mean((-1, -2))


def _rmse_reference(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    # ||a - b||_2 / sqrt(HW) = sqrt(mean((a - b)^2)), with vector_norm's gradient 0 at distance 0.
    size = a.shape[-1] * a.shape[-2]
    return torch.linalg.vector_norm(a - b, dim=(-1, -2)) / math.sqrt(size)


@pytest.mark.parametrize(
    ("a_shape", "b_shape"),
    [((7, 5, 4), (5, 4)), ((5, 4), (5, 4)), ((2, 1, 5, 4), (3, 5, 4)), ((1, 1), (3, 1, 1))],
    ids=str,
)
def test_pixel_distance_matches_explicit_torch(a_shape, b_shape, device, dtype, gen) -> None:
    a = randn(*a_shape, gen=gen, dtype=dtype, device=device)
    b = randn(*b_shape, gen=gen, dtype=dtype, device=device)
    _compare(lambda p, q: models.pixel_distance(p, q), _l1_reference, a, b)
    _compare(lambda p, q: models.pixel_distance(p, q, metric="rmse"), _rmse_reference, a, b)
    # The notes' literal formula for the values.
    torch.testing.assert_close(
        models.pixel_distance(a, b, "rmse"), ((a - b) ** 2).mean((-1, -2)).sqrt()
    )


def test_pixel_distance_one_pair_is_l1_loss_and_root_mse(device, dtype, gen) -> None:
    a = non_contiguous(randn(6, 5, gen=gen, dtype=dtype, device=device))
    b = non_contiguous(randn(6, 5, gen=gen, dtype=dtype, device=device))
    torch.testing.assert_close(models.pixel_distance(a, b), F.l1_loss(a, b))
    torch.testing.assert_close(models.pixel_distance(a, b, "rmse"), F.mse_loss(a, b).sqrt())


def test_pixel_distance_zero_distance_has_a_finite_gradient(device) -> None:
    a = randn(3, 4, 4, gen=torch.Generator().manual_seed(2), dtype=torch.float64, device=device)
    b = a[1].clone()  # image 1 is exactly the reference: its distance is 0
    _compare(lambda p, q: models.pixel_distance(p, q, "rmse"), _rmse_reference, a, b)
    _compare(lambda p, q: models.pixel_distance(p, q, "l1"), _l1_reference, a, b)


def test_pixel_distance_errors() -> None:
    a = torch.zeros(3, 4, 4)
    with pytest.raises(ValueError, match="metric must be one of"):
        models.pixel_distance(a, a[0], metric="l2")
    with pytest.raises(ValueError, match="b must have at least 2 dims"):
        models.pixel_distance(a, torch.zeros(4))
    with pytest.raises(ValueError, match="do not broadcast"):
        models.pixel_distance(a, torch.zeros(2, 4, 4))
    with pytest.raises(TypeError, match="b dtype"):
        models.pixel_distance(a, a.double())
    with pytest.raises(TypeError, match="a must be a floating-point tensor"):
        models.pixel_distance(a.long(), a)


@pytest.mark.parametrize("metric", ["l1", "rmse"])
def test_predict_by_similarity_is_the_closer_mean(metric, device, dtype, gen) -> None:
    threes = randn(20, 6, 6, gen=gen, dtype=dtype, device=device) + 1.0
    sevens = randn(20, 6, 6, gen=gen, dtype=dtype, device=device) - 1.0
    mean3, mean7 = threes[:10].mean(0), sevens[:10].mean(0)
    valid = torch.cat([threes[10:], sevens[10:]])
    if metric == "l1":
        expected = (valid - mean3).abs().mean((-1, -2)) < (valid - mean7).abs().mean((-1, -2))
    else:
        expected = ((valid - mean3) ** 2).mean((-1, -2)).sqrt() < ((valid - mean7) ** 2).mean(
            (-1, -2)
        ).sqrt()
    ours = models.predict_by_similarity(valid, models.mean_image(threes[:10]), mean7, metric)
    assert ours.dtype == torch.bool
    assert torch.equal(ours, expected)
    # Well-separated classes: the baseline gets them all right.
    assert torch.equal(ours, torch.arange(20, device=device) < 10)


def test_predict_by_similarity_ties_and_errors() -> None:
    image = torch.ones(1, 2, 2)
    assert not models.predict_by_similarity(image, torch.zeros(2, 2), torch.full((2, 2), 2.0))[0]
    with pytest.raises(ValueError, match="mean_b shape"):
        models.predict_by_similarity(image, torch.zeros(2, 2), torch.zeros(3, 3))
    with pytest.raises(ValueError, match="metric must be one of"):
        models.predict_by_similarity(image, torch.zeros(2, 2), torch.zeros(2, 2), "cosine")
    with pytest.raises(ValueError, match="images shape"):
        models.predict_by_similarity(torch.ones(2, 3, 3), torch.zeros(2, 2), torch.zeros(2, 2))
    with pytest.raises(TypeError, match="images must be a floating-point tensor"):
        models.predict_by_similarity(image.long(), torch.zeros(2, 2), torch.zeros(2, 2))


# ---------------------------------------------------------------- accuracy


def test_accuracy_with_threshold_matches_the_notes_batch_accuracy(device, dtype, gen) -> None:
    logits = randn(50, 1, gen=gen, dtype=dtype, device=device, scale=3.0)
    labels = torch.randint(0, 2, (50, 1), generator=gen).to(device)
    probs = torch.sigmoid(logits)
    expected = ((probs > 0.5) == labels).float().mean().to(dtype)
    ours = models.accuracy(probs, labels, threshold=0.5)
    assert ours.dtype == dtype and ours.device.type == device.type
    torch.testing.assert_close(ours, expected)
    # Logits are cut at 0 (sigmoid(x) > 0.5 exactly when x > 0; no logit is near 0 here).
    torch.testing.assert_close(models.accuracy(logits, labels, threshold=0.0), expected)
    for targets in (labels.bool(), labels.to(dtype)):
        torch.testing.assert_close(models.accuracy(probs, targets, threshold=0.5), expected)
    high = ((probs > 0.8) == labels).float().mean().to(dtype)
    torch.testing.assert_close(models.accuracy(non_contiguous(probs), labels, 0.8), high)


def test_accuracy_of_class_scores_uses_argmax(device, dtype, gen) -> None:
    scores = randn(40, 5, gen=gen, dtype=dtype, device=device)
    targets = torch.randint(0, 5, (40,), generator=gen).to(device)
    expected = (scores.argmax(1) == targets).float().mean().to(dtype)
    torch.testing.assert_close(models.accuracy(scores, targets), expected)
    torch.testing.assert_close(models.accuracy(non_contiguous(scores), targets), expected)
    # Extra dimensions after the class dimension, as cross_entropy takes them.
    maps = randn(4, 3, 2, 5, gen=gen, dtype=dtype, device=device)
    pixels = torch.randint(0, 3, (4, 2, 5), generator=gen).to(device)
    expected = (maps.argmax(1) == pixels).float().mean().to(dtype)
    torch.testing.assert_close(models.accuracy(maps, pixels), expected)
    # A perfect model and an always-wrong one.
    one_hot = F.one_hot(targets, 5).to(dtype)
    assert models.accuracy(one_hot, targets).item() == 1.0
    assert models.accuracy(-one_hot, targets).item() < 1.0


def test_accuracy_of_labels(device) -> None:
    predicted = torch.tensor([True, True, False, False, True], device=device)
    targets = torch.tensor([1, 0, 0, 1, 1], device=device)
    expected = (predicted == targets.bool()).float().mean()
    torch.testing.assert_close(models.accuracy(predicted, targets), expected)
    classes = torch.tensor([3, 7, 7, 3], device=device)
    truth = torch.tensor([3, 7, 3, 3], device=device)
    torch.testing.assert_close(models.accuracy(classes, truth), (classes == truth).float().mean())


def test_accuracy_edge_cases() -> None:
    assert models.accuracy(torch.zeros(0), torch.zeros(0), threshold=0.5).isnan()
    assert models.accuracy(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long)).isnan()
    single = models.accuracy(torch.tensor([0.7]), torch.tensor([1]), threshold=0.5)
    assert single.item() == 1.0
    # p == threshold is not above it.
    assert models.accuracy(torch.tensor([0.5]), torch.tensor([1]), threshold=0.5).item() == 0.0


def test_accuracy_errors() -> None:
    with pytest.raises(ValueError, match="pass threshold"):
        models.accuracy(torch.rand(4), torch.ones(4))
    with pytest.raises(ValueError, match="pass threshold"):
        models.accuracy(torch.rand(4, 1), torch.ones(4, 1))
    with pytest.raises(ValueError, match="targets shape"):
        models.accuracy(torch.rand(4, 1), torch.ones(4), threshold=0.5)
    with pytest.raises(ValueError, match="only 0 and 1"):
        models.accuracy(torch.rand(4), torch.tensor([3, 7, 3, 7]), threshold=0.5)
    with pytest.raises(ValueError, match="targets shape"):
        models.accuracy(torch.rand(4, 3), torch.ones(4, 1, dtype=torch.long))
    with pytest.raises(TypeError, match="integer class indices"):
        models.accuracy(torch.rand(4, 3), torch.ones(4))
    with pytest.raises(ValueError, match=r"class indices in \[0, 3\)"):
        models.accuracy(torch.rand(4, 3), torch.tensor([0, 1, 2, 3]))
    with pytest.raises(TypeError, match="threshold applies to floating-point"):
        models.accuracy(torch.tensor([True]), torch.tensor([1]), threshold=0.5)
    with pytest.raises(TypeError, match="threshold must be a number"):
        models.accuracy(torch.rand(3), torch.ones(3), threshold="0.5")
    with pytest.raises(TypeError, match=r"predictions must be a torch\.Tensor"):
        models.accuracy([0.3], torch.ones(1), threshold=0.5)


# ---------------------------------------------------------------- simple_net


def _torch_net(x, w1, b1, w2, b2):
    return F.relu(x @ w1 + b1) @ w2 + b2


def _net_inputs(x_shape, hidden, out, *, gen, dtype, device):
    d = x_shape[-1]
    return (
        randn(*x_shape, gen=gen, dtype=dtype, device=device),
        randn(d, hidden, gen=gen, dtype=dtype, device=device, scale=1 / math.sqrt(max(d, 1))),
        randn(hidden, gen=gen, dtype=dtype, device=device),
        randn(hidden, out, gen=gen, dtype=dtype, device=device),
        randn(out, gen=gen, dtype=dtype, device=device),
    )


def _check_backward_against_autograd(inputs, seed: int = 1) -> None:
    leaves = [t.detach().clone().requires_grad_() for t in inputs]
    out, cache = models.simple_net_forward(*inputs)
    theirs = _torch_net(*leaves)
    torch.testing.assert_close(out, theirs)
    g = torch.randn(theirs.shape, generator=torch.Generator().manual_seed(seed), dtype=out.dtype)
    g = g.to(out.device)
    expected = torch.autograd.grad(theirs, leaves, g)
    ours = models.simple_net_backward(cache, g)
    assert [t.shape for t in ours] == [t.shape for t in inputs]
    for name, mine, reference in zip(models.SimpleNetGrads._fields, ours, expected, strict=True):
        assert mine.grad_fn is None, name
        torch.testing.assert_close(mine, reference, msg=name)


def test_simple_net_with_the_notes_shapes(device, dtype, gen) -> None:
    inputs = _net_inputs((16, 784), 30, 1, gen=gen, dtype=dtype, device=device)
    _check_backward_against_autograd(inputs)
    # The same network as the notes' nn.Sequential, whose weights are the transposes.
    net = torch.nn.Sequential(torch.nn.Linear(784, 30), torch.nn.ReLU(), torch.nn.Linear(30, 1)).to(
        device=device, dtype=dtype
    )
    x, w1, b1, w2, b2 = inputs
    with torch.no_grad():
        net[0].weight.copy_(w1.T)
        net[0].bias.copy_(b1)
        net[2].weight.copy_(w2.T)
        net[2].bias.copy_(b2)
        torch.testing.assert_close(models.simple_net_forward(*inputs)[0], net(x))


@pytest.mark.parametrize("x_shape", [(5, 3), (3,), (2, 4, 3), (1, 3), (0, 3)], ids=str)
def test_simple_net_backward_matches_autograd(x_shape, device, dtype, gen) -> None:
    inputs = _net_inputs(x_shape, 6, 2, gen=gen, dtype=dtype, device=device)
    _check_backward_against_autograd(inputs)


def test_simple_net_relu_at_exactly_zero_and_non_contiguous(device, dtype, gen) -> None:
    x, w1, b1, w2, b2 = _net_inputs((5, 4), 6, 3, gen=gen, dtype=dtype, device=device)
    x[0] = 0.0
    b1[:3] = 0.0  # row 0 of Z is exactly 0 for the first three hidden units
    inputs = [non_contiguous(t) for t in (x, w1, b1, w2, b2)]
    _check_backward_against_autograd(inputs)


def test_simple_net_forward_gradients_through_autograd_too(device, dtype, gen) -> None:
    inputs = _net_inputs((4, 5), 3, 2, gen=gen, dtype=dtype, device=device)
    _compare(lambda *t: models.simple_net_forward(*t)[0], _torch_net, *inputs)


def test_simple_net_cache_is_detached(gen) -> None:
    cpu = torch.device("cpu")
    inputs = _net_inputs((3, 4), 5, 1, gen=gen, dtype=torch.float32, device=cpu)
    params = [t.requires_grad_() for t in inputs]
    out, cache = models.simple_net_forward(*params)
    assert out.requires_grad
    assert not any(t.requires_grad for t in cache)
    grads_by_hand = models.simple_net_backward(cache, torch.ones_like(out))
    expected = torch.autograd.grad(out.sum(), params)
    for mine, reference in zip(grads_by_hand, expected, strict=True):
        torch.testing.assert_close(mine, reference)


@settings(max_examples=30)
@given(
    batch=st.lists(st.integers(0, 3), max_size=2).map(tuple),
    features=st.integers(1, 6),
    hidden=st.integers(1, 6),
    out=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_simple_net_hypothesis(batch, features, hidden, out, seed) -> None:
    gen = torch.Generator().manual_seed(seed)
    inputs = _net_inputs(
        (*batch, features), hidden, out, gen=gen, dtype=torch.float64, device=torch.device("cpu")
    )
    _check_backward_against_autograd(inputs, seed=seed)


def test_simple_net_errors() -> None:
    x, w1, b1, w2, b2 = (
        torch.zeros(2, 4),
        torch.zeros(4, 3),
        torch.zeros(3),
        torch.zeros(3, 1),
        torch.zeros(1),
    )
    with pytest.raises(ValueError, match="w1 must have shape"):
        models.simple_net_forward(x, w1.T, b1, w2, b2)
    with pytest.raises(ValueError, match=r"b1 must have shape \(3,\)"):
        models.simple_net_forward(x, w1, torch.zeros(1, 3), w2, b2)
    with pytest.raises(ValueError, match="w2 must have shape"):
        models.simple_net_forward(x, w1, b1, w2.T, b2)
    with pytest.raises(ValueError, match=r"b2 must have shape \(1,\)"):
        models.simple_net_forward(x, w1, b1, w2, torch.zeros(()))
    with pytest.raises(ValueError, match="x must be at least 1-D"):
        models.simple_net_forward(torch.tensor(1.0), w1, b1, w2, b2)
    with pytest.raises(TypeError, match="w2 dtype"):
        models.simple_net_forward(x, w1, b1, w2.double(), b2)
    _, cache = models.simple_net_forward(x, w1, b1, w2, b2)
    with pytest.raises(ValueError, match="grad_output shape"):
        models.simple_net_backward(cache, torch.ones(2))
    with pytest.raises(TypeError, match="grad_output dtype"):
        models.simple_net_backward(cache, torch.ones(2, 1, dtype=torch.float64))
