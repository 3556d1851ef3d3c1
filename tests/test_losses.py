"""studykit.losses against torch: values, gradients, every option, edge cases and errors."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import losses
from tests.helpers import grads, leaf_pair, non_contiguous, randn

REDUCTIONS = ["mean", "sum", "none"]


def _compare(ours_fn, torch_fn, *inputs: torch.Tensor, equal_nan: bool = False) -> None:
    """Values and gradients (w.r.t. every tensor in ``inputs``) of two losses must agree."""
    pairs = [leaf_pair(t) for t in inputs]
    ours = ours_fn(*(a for a, _ in pairs))
    theirs = torch_fn(*(b for _, b in pairs))
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs, equal_nan=equal_nan)
    ours_grads = grads(ours, [a for a, _ in pairs])
    theirs_grads = grads(theirs, [b for _, b in pairs])
    for g_ours, g_theirs in zip(ours_grads, theirs_grads, strict=True):
        torch.testing.assert_close(g_ours, g_theirs, equal_nan=equal_nan)


def _torch_reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    return {"mean": loss.mean, "sum": loss.sum, "none": lambda: loss}[reduction]()


def _rmse_reference(a: torch.Tensor, b: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return torch.sqrt(F.mse_loss(a, b))
    if reduction == "sum":
        return torch.linalg.vector_norm(a - b)
    return (a - b).abs()  # sqrt(e^2) = |e|, whose gradient at e = 0 is 0 (sqrt's would be nan)


# (name, keyword arguments, torch reference taking (input, target, reduction))
REGRESSION = [
    ("mean_error", {}, lambda a, b, r: _torch_reduce(a - b, r)),
    ("l1_loss", {}, lambda a, b, r: F.l1_loss(a, b, reduction=r)),
    ("mse_loss", {}, lambda a, b, r: F.mse_loss(a, b, reduction=r)),
    ("rmse_loss", {}, _rmse_reference),
    ("huber_loss", {}, lambda a, b, r: F.huber_loss(a, b, reduction=r)),
    ("huber_loss", {"delta": 0.5}, lambda a, b, r: F.huber_loss(a, b, reduction=r, delta=0.5)),
    ("huber_loss", {"delta": 2.5}, lambda a, b, r: F.huber_loss(a, b, reduction=r, delta=2.5)),
    ("smooth_l1_loss", {}, lambda a, b, r: F.smooth_l1_loss(a, b, reduction=r)),
    (
        "smooth_l1_loss",
        {"beta": 0.5},
        lambda a, b, r: F.smooth_l1_loss(a, b, reduction=r, beta=0.5),
    ),
    ("smooth_l1_loss", {"beta": 0}, lambda a, b, r: F.smooth_l1_loss(a, b, reduction=r, beta=0.0)),
]
REGRESSION_IDS = [f"{name}{kw}" for name, kw, _ in REGRESSION]


def _regression(name: str, kwargs: dict, reduction: str):
    return lambda a, b: getattr(losses, name)(a, b, reduction=reduction, **kwargs)


# ---------------------------------------------------------------- regression losses


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("name", "kwargs", "reference"), REGRESSION, ids=REGRESSION_IDS)
def test_regression_values_and_gradients(
    name, kwargs, reference, reduction, device, dtype, gen
) -> None:
    x = randn(4, 3, 5, gen=gen, dtype=dtype, device=device, scale=2.0)
    y = randn(4, 3, 5, gen=gen, dtype=dtype, device=device)
    # Exact kinks: zero error, and errors of exactly +-0.5, +-1, +-2.5 (the deltas and betas).
    y[0, 0] = x[0, 0].detach() - torch.tensor([0.0, 0.5, -0.5, 1.0, -1.0])
    y[0, 1, :2] = x[0, 1, :2].detach() - torch.tensor([2.5, -2.5])
    _compare(_regression(name, kwargs, reduction), lambda a, b: reference(a, b, reduction), x, y)


@pytest.mark.parametrize(("name", "kwargs", "reference"), REGRESSION, ids=REGRESSION_IDS)
def test_regression_non_contiguous_and_edge_shapes(name, kwargs, reference, device) -> None:
    gen = torch.Generator().manual_seed(5)
    x = non_contiguous(randn(3, 4, gen=gen, dtype=torch.float64, device=device))
    y = non_contiguous(randn(3, 4, gen=gen, dtype=torch.float64, device=device))
    for reduction in REDUCTIONS:
        _compare(
            _regression(name, kwargs, reduction),
            lambda a, b, r=reduction: reference(a, b, r),
            x,
            y,
        )
    for shape in [(), (1,), (2, 1, 3)]:
        a = randn(*shape, gen=gen, dtype=torch.float64, device=device)
        b = randn(*shape, gen=gen, dtype=torch.float64, device=device)
        for reduction in REDUCTIONS:
            _compare(
                _regression(name, kwargs, reduction),
                lambda p, q, r=reduction: reference(p, q, r),
                a,
                b,
            )
    empty = torch.zeros(0, 3, dtype=torch.float64, device=device)
    for reduction in REDUCTIONS:
        torch.testing.assert_close(
            _regression(name, kwargs, reduction)(empty, empty),
            reference(empty, empty, reduction),
            equal_nan=True,  # the mean of nothing is nan, in torch too
        )


@settings(max_examples=30, deadline=None)
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple),
    scale=st.sampled_from([0.01, 1.0, 10.0, 1000.0]),
    width=st.floats(0.05, 5.0),
    seed=st.integers(0, 2**16),
)
def test_regression_hypothesis(shape, scale, width, seed) -> None:
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=gen, dtype=torch.float64) * scale
    y = torch.randn(shape, generator=gen, dtype=torch.float64) * scale
    for reduction in REDUCTIONS:
        cases = [
            (_regression("huber_loss", {"delta": width}, reduction), "huber", {"delta": width}),
            (_regression("smooth_l1_loss", {"beta": width}, reduction), "smooth", {"beta": width}),
        ]
        for ours, kind, kw in cases:
            fn = F.huber_loss if kind == "huber" else F.smooth_l1_loss
            _compare(ours, lambda a, b, f=fn, k=kw, r=reduction: f(a, b, reduction=r, **k), x, y)
        _compare(
            _regression("mse_loss", {}, reduction),
            lambda a, b, r=reduction: F.mse_loss(a, b, reduction=r),
            x,
            y,
        )
        _compare(
            _regression("rmse_loss", {}, reduction),
            lambda a, b, r=reduction: _rmse_reference(a, b, r),
            x,
            y,
        )


def test_mean_error_sign_convention_and_cancellation(device) -> None:
    prediction = torch.tensor([3.0, 1.0, 5.0], device=device)
    target = torch.tensor([1.0, 3.0, 2.0], device=device)
    # prediction - target = [2, -2, 3]: the +-2 cancel, leaving a bias of +3 / 3 = +1.
    torch.testing.assert_close(
        losses.mean_error(prediction, target), torch.tensor(1.0, device=device)
    )
    torch.testing.assert_close(
        losses.mean_error(prediction, target, reduction="none"), prediction - target
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_rmse_gradient_is_zero_not_nan_at_zero_error(reduction, device, dtype) -> None:
    x = torch.tensor([[0.5, -1.0], [2.0, 0.0]], dtype=dtype, device=device)
    a, b = leaf_pair(x)
    ours = losses.rmse_loss(a, x.detach().clone(), reduction=reduction)
    (grad,) = grads(ours, [a])
    assert torch.isfinite(grad).all()
    torch.testing.assert_close(grad, torch.zeros_like(x))
    # torch's L2 norm takes the same convention at zero; sqrt(mse) does not (its gradient is nan).
    if reduction == "sum":
        theirs = torch.linalg.vector_norm(b - x)
        torch.testing.assert_close(ours, theirs)
        torch.testing.assert_close(grad, grads(theirs, [b])[0])
    if reduction == "mean":
        c = x.clone().requires_grad_(True)
        assert torch.isnan(grads(torch.sqrt(F.mse_loss(c, x)), [c])[0]).all()


def test_huber_is_beta_times_smooth_l1_and_beta_zero_is_l1(gen) -> None:
    x = randn(20, gen=gen, dtype=torch.float64, device=torch.device("cpu"), scale=3)
    y = randn(20, gen=gen, dtype=torch.float64, device=torch.device("cpu"))
    for beta in [0.3, 1.0, 4.0]:
        torch.testing.assert_close(
            losses.huber_loss(x, y, delta=beta), beta * F.smooth_l1_loss(x, y, beta=beta)
        )
    torch.testing.assert_close(losses.smooth_l1_loss(x, y, beta=0.0), F.l1_loss(x, y))


def test_regression_target_may_be_an_integer_tensor(device) -> None:
    x = torch.tensor([0.5, 2.0, -1.0], dtype=torch.float64, device=device)
    y = torch.tensor([1, 2, 3], device=device)
    for name, kwargs, reference in REGRESSION:
        if name in ("l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss"):
            a, b = leaf_pair(x)
            ours = getattr(losses, name)(a, y, **kwargs)
            # torch's huber_loss cannot back-propagate with an int64 target (a dtype error).
            theirs = reference(b, y.to(x.dtype) if name == "huber_loss" else y, "mean")
            torch.testing.assert_close(ours, theirs)
            torch.testing.assert_close(grads(ours, [a]), grads(theirs, [b]))


# ---------------------------------------------------------------- binary cross-entropy


def _probabilities(*shape: int, gen: torch.Generator, dtype, device) -> torch.Tensor:
    return torch.sigmoid(randn(*shape, gen=gen, dtype=dtype, device=device, scale=2.0))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, (4, 5), (5,), (1, 5), (4, 1), ()])
def test_bce_values_and_gradients(reduction, weight_shape, device, dtype, gen) -> None:
    p = _probabilities(4, 5, gen=gen, dtype=dtype, device=device)
    y = torch.rand(4, 5, generator=gen, dtype=torch.float64).to(dtype=dtype, device=device)
    y[0] = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5])
    weight = None
    if weight_shape is not None:
        weight = torch.rand(weight_shape, generator=gen, dtype=torch.float64).to(dtype).to(device)

    def ours(a, b):
        return losses.binary_cross_entropy(a, b, weight=weight, reduction=reduction)

    def theirs(a, b):
        return F.binary_cross_entropy(a, b, weight=weight, reduction=reduction)

    _compare(ours, theirs, p, y)  # gradients w.r.t. the probabilities and the labels


def test_bce_saturated_probabilities_match_torch(device, dtype) -> None:
    # p exactly 0 or 1 (a float32 sigmoid reaches it): the clamped log and torch's gradient.
    p = torch.tensor([0.0, 0.0, 1.0, 1.0, 1e-30, 1 - 1e-7], dtype=dtype, device=device)
    y = torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0, 0.0], dtype=dtype, device=device)
    for reduction in REDUCTIONS:
        a, b = leaf_pair(p)
        ours = losses.binary_cross_entropy(a, y, reduction=reduction)
        theirs = F.binary_cross_entropy(b, y, reduction=reduction)
        torch.testing.assert_close(ours, theirs)
        (g_ours,), (g_theirs,) = grads(ours, [a]), grads(theirs, [b])
        assert torch.isfinite(g_ours).all()
        torch.testing.assert_close(g_ours, g_theirs)
    assert losses.binary_cross_entropy(p[:2], y[:2], reduction="none")[1].item() == 100.0


def test_bce_non_contiguous_and_edge_shapes(device, gen) -> None:
    p = non_contiguous(_probabilities(3, 4, gen=gen, dtype=torch.float64, device=device))
    y = non_contiguous(torch.rand(3, 4, generator=gen, dtype=torch.float64).to(device))
    w = non_contiguous(torch.rand(3, 4, generator=gen, dtype=torch.float64).to(device))
    for reduction in REDUCTIONS:
        _compare(
            lambda a, b, r=reduction: losses.binary_cross_entropy(a, b, w, r),
            lambda a, b, r=reduction: F.binary_cross_entropy(a, b, w, reduction=r),
            p,
            y,
        )
    for shape in [(), (1,), (2, 3, 4, 5), (0,)]:
        a = _probabilities(*shape, gen=gen, dtype=torch.float64, device=device)
        b = torch.rand(shape, generator=gen, dtype=torch.float64).to(device)
        for reduction in REDUCTIONS:
            torch.testing.assert_close(
                losses.binary_cross_entropy(a, b, reduction=reduction),
                F.binary_cross_entropy(a, b, reduction=reduction),
                equal_nan=True,
            )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    ("shape", "weight_shape", "pos_weight_shape"),
    [
        ((4, 5), None, None),
        ((4, 5), (4, 5), None),
        ((4, 5), None, (5,)),
        ((4, 5), (5,), (5,)),
        ((4, 5), (4, 1), (1,)),
        ((2, 3, 4, 5), None, (3, 1, 1)),
        ((7,), (), (7,)),
    ],
)
def test_bce_with_logits_values_and_gradients(
    reduction, shape, weight_shape, pos_weight_shape, device, dtype, gen
) -> None:
    x = randn(*shape, gen=gen, dtype=dtype, device=device, scale=3.0)
    x.view(-1)[:3] = torch.tensor([0.0, 30.0, -30.0])  # the kink of |x| and saturated logits
    y = torch.rand(shape, generator=gen, dtype=torch.float64).to(dtype=dtype, device=device)

    def extra(s):
        if s is None:
            return None
        return (torch.rand(s, generator=gen, dtype=torch.float64) * 3).to(
            dtype=dtype, device=device
        )

    weight, pos_weight = extra(weight_shape), extra(pos_weight_shape)

    def ours(a, b):
        return losses.binary_cross_entropy_with_logits(a, b, weight, reduction, pos_weight)

    def theirs(a, b):
        return F.binary_cross_entropy_with_logits(
            a, b, weight, reduction=reduction, pos_weight=pos_weight
        )

    _compare(ours, theirs, x, y)  # gradients w.r.t. the logits and the labels


@pytest.mark.parametrize("pos_weight", [None, 2.5])
def test_bce_with_logits_is_stable_at_plus_minus_1000(pos_weight, device, dtype) -> None:
    x = torch.tensor([-1000.0, -1000.0, 1000.0, 1000.0, -1e4, 1e4], dtype=dtype, device=device)
    y = torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0, 0.0], dtype=dtype, device=device)
    pw = None if pos_weight is None else torch.tensor([pos_weight], dtype=dtype, device=device)
    for reduction in REDUCTIONS:
        _compare(
            lambda a, b, r=reduction: losses.binary_cross_entropy_with_logits(
                a, b, reduction=r, pos_weight=pw
            ),
            lambda a, b, r=reduction: F.binary_cross_entropy_with_logits(
                a, b, reduction=r, pos_weight=pw
            ),
            x,
            y,
        )
    out = losses.binary_cross_entropy_with_logits(x, y, reduction="none", pos_weight=pw)
    assert torch.isfinite(out).all()
    expected = torch.tensor([0.0, 1000.0, 1000.0, 0.0, 1e4, 1e4], dtype=dtype, device=device)
    if pw is not None:
        expected = expected * torch.tensor([1, pos_weight, 1, 1, pos_weight, 1], device=device)
    torch.testing.assert_close(out, expected.to(dtype))


@settings(max_examples=30, deadline=None)
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple),
    scale=st.sampled_from([0.1, 3.0, 50.0]),
    use_weight=st.booleans(),
    use_pos_weight=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_binary_hypothesis(shape, scale, use_weight, use_pos_weight, seed) -> None:
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=gen, dtype=torch.float64) * scale
    y = torch.randint(0, 2, shape, generator=gen).to(torch.float64)
    w = torch.rand(shape[-1:], generator=gen, dtype=torch.float64) if use_weight else None
    pw = torch.rand(shape[-1:], generator=gen, dtype=torch.float64) * 4 if use_pos_weight else None
    for r in REDUCTIONS:
        _compare(
            lambda a, b, r=r: losses.binary_cross_entropy_with_logits(a, b, w, r, pw),
            lambda a, b, r=r: F.binary_cross_entropy_with_logits(
                a, b, w, reduction=r, pos_weight=pw
            ),
            x,
            y,
        )
        p = torch.sigmoid(x).clamp(1e-6, 1 - 1e-6)  # away from 0 and 1, where 1e-12 kicks in
        _compare(
            lambda a, b, r=r: losses.binary_cross_entropy(a, b, w, r),
            lambda a, b, r=r: F.binary_cross_entropy(a, b, w, reduction=r),
            p,
            y,
        )


# ---------------------------------------------------------------- mnist_loss


def test_mnist_loss_notes_example() -> None:
    out = losses.mnist_loss(torch.tensor([0.9, 0.4, 0.2]), torch.tensor([1, 0, 1]))
    torch.testing.assert_close(out, torch.tensor((0.1 + 0.4 + 0.8) / 3))


@pytest.mark.parametrize(
    ("pred_shape", "target_shape"), [((6, 1), (6, 1)), ((6,), (6,)), ((6,), (6, 1)), ((1,), (6,))]
)
def test_mnist_loss_matches_the_notes_expression(pred_shape, target_shape, device, dtype, gen):
    p = _probabilities(*pred_shape, gen=gen, dtype=dtype, device=device)
    t = torch.randint(0, 2, target_shape, generator=gen).to(device)
    _compare(
        lambda a: losses.mnist_loss(a, t),
        lambda a: torch.where(t == 1, 1 - a, a).mean(),
        p,
    )
    _compare(
        lambda a: losses.mnist_loss(a, t.bool()),
        lambda a: torch.where(t == 1, 1 - a, a).mean(),
        non_contiguous(p),
    )


def test_mnist_loss_is_smooth_where_accuracy_is_flat(gen) -> None:
    # Nudging predictions changes the loss (a useful gradient) but not the accuracy.
    p = torch.tensor([0.7, 0.3, 0.6], requires_grad=True)
    t = torch.tensor([1, 0, 1])
    losses.mnist_loss(p, t).backward()
    torch.testing.assert_close(p.grad, torch.tensor([-1.0, 1.0, -1.0]) / 3)
    accuracy = ((p > 0.5) == t.bool()).float().mean()
    assert accuracy.grad_fn is None  # accuracy is not differentiable at all


# ---------------------------------------------------------------- nll_loss and cross_entropy


def _class_targets(shape, classes, gen, device, ignore_index=-100, n_ignored=0):
    target = torch.randint(0, classes, shape, generator=gen)
    if n_ignored:
        target.view(-1)[torch.randperm(target.numel(), generator=gen)[:n_ignored]] = ignore_index
    return target.to(device)


INPUT_SHAPES = [(6, 5), (5,), (3, 5, 4), (2, 5, 4, 3)]


def _target_shape(shape):
    return () if len(shape) == 1 else (shape[0], *shape[2:])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("use_weight", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 2])
@pytest.mark.parametrize("shape", INPUT_SHAPES, ids=str)
def test_nll_loss_values_and_gradients(
    reduction, use_weight, ignore_index, shape, device, dtype, gen
) -> None:
    log_p = torch.log_softmax(randn(*shape, gen=gen, dtype=dtype, device=device, scale=2), -1)
    # One unbatched example that is ignored is the all-ignored case, tested on its own below.
    n_ignored = 0 if len(shape) == 1 else 2
    target = _class_targets(_target_shape(shape), 5, gen, device, ignore_index, n_ignored)
    weight = torch.rand(5, generator=gen, dtype=torch.float64).to(dtype=dtype, device=device)
    weight = weight if use_weight else None
    _compare(
        lambda a: losses.nll_loss(a, target, weight, ignore_index, reduction),
        lambda a: F.nll_loss(a, target, weight, ignore_index=ignore_index, reduction=reduction),
        log_p,
    )


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("shape", INPUT_SHAPES, ids=str)
def test_nll_loss_with_no_target_ignored(reduction, shape, device, dtype, gen) -> None:
    """The common case, where no target is ignored and ``gather`` alone checks the range."""
    log_p = torch.log_softmax(randn(*shape, gen=gen, dtype=dtype, device=device, scale=2), -1)
    target = _class_targets(_target_shape(shape), 5, gen, device)
    _compare(
        lambda a: losses.nll_loss(a, target, reduction=reduction),
        lambda a: F.nll_loss(a, target, reduction=reduction),
        log_p,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("use_weight", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("shape", INPUT_SHAPES, ids=str)
def test_cross_entropy_class_targets(
    reduction, use_weight, label_smoothing, shape, device, dtype, gen
) -> None:
    x = randn(*shape, gen=gen, dtype=dtype, device=device, scale=3)
    n_ignored = 0 if len(shape) == 1 else 2
    target = _class_targets(_target_shape(shape), 5, gen, device, n_ignored=n_ignored)
    weight = torch.rand(5, generator=gen, dtype=torch.float64).to(dtype=dtype, device=device)
    weight = weight if use_weight else None
    kwargs = {"weight": weight, "reduction": reduction, "label_smoothing": label_smoothing}
    _compare(
        lambda a: losses.cross_entropy(a, target, **kwargs),
        lambda a: F.cross_entropy(a, target, **kwargs),
        x,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("use_weight", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.25])
@pytest.mark.parametrize("shape", INPUT_SHAPES, ids=str)
def test_cross_entropy_probability_targets(
    reduction, use_weight, label_smoothing, shape, device, dtype, gen
) -> None:
    x = randn(*shape, gen=gen, dtype=dtype, device=device, scale=3)
    class_dim = 0 if len(shape) == 1 else 1
    q = torch.softmax(randn(*shape, gen=gen, dtype=dtype, device=device), class_dim)
    weight = torch.rand(5, generator=gen, dtype=torch.float64).to(dtype=dtype, device=device)
    weight = weight if use_weight else None
    kwargs = {"weight": weight, "reduction": reduction, "label_smoothing": label_smoothing}
    _compare(  # gradients w.r.t. both the logits and the target distribution
        lambda a, b: losses.cross_entropy(a, b, **kwargs),
        lambda a, b: F.cross_entropy(a, b, **kwargs),
        x,
        q,
    )


def test_weighted_smoothing_mean_divides_by_the_target_weights(gen) -> None:
    # The surprising part of torch's formula, written out by hand for one small case.
    x = torch.randn(3, 4, generator=gen, dtype=torch.float64)
    target = torch.tensor([0, 3, -100])
    w = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    eps = 0.2
    log_p = torch.log_softmax(x, 1)[:2]
    nll = -(w[target[:2]] * log_p[[0, 1], target[:2]]).sum()
    uniform = -(log_p * w).sum()
    expected = ((1 - eps) * nll + eps / 4 * uniform) / w[target[:2]].sum()
    ours = losses.cross_entropy(x, target, w, label_smoothing=eps)
    torch.testing.assert_close(ours, expected)
    torch.testing.assert_close(ours, F.cross_entropy(x, target, w, label_smoothing=eps))


@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("use_weight", [False, True])
def test_all_ignored_and_empty_batches(label_smoothing, use_weight, device, dtype) -> None:
    x = torch.randn(4, 3, dtype=dtype, device=device)
    weight = torch.rand(3, dtype=dtype, device=device) if use_weight else None
    everything_ignored = torch.full((4,), -100, device=device)
    empty_x = torch.randn(0, 3, dtype=dtype, device=device)
    empty_target = torch.zeros(0, dtype=torch.long, device=device)
    kwargs = {"weight": weight, "label_smoothing": label_smoothing}
    for reduction in REDUCTIONS:
        kwargs["reduction"] = reduction
        _compare(  # mean is 0/0 = nan, like torch; sum is 0; the gradient is all zeros
            lambda a: losses.cross_entropy(a, everything_ignored, **kwargs),
            lambda a: F.cross_entropy(a, everything_ignored, **kwargs),
            x,
            equal_nan=True,
        )
        _compare(
            lambda a, r=reduction: losses.nll_loss(a, everything_ignored, weight, reduction=r),
            lambda a, r=reduction: F.nll_loss(a, everything_ignored, weight, reduction=r),
            x,
            equal_nan=True,
        )
        for target in (empty_target, torch.zeros(0, 3, dtype=dtype, device=device)):
            torch.testing.assert_close(
                losses.cross_entropy(empty_x, target, **kwargs),
                F.cross_entropy(empty_x, target, **kwargs),
                equal_nan=True,
            )
        _compare(  # one unbatched example whose target is ignored
            lambda a: losses.cross_entropy(a[0], everything_ignored[0], **kwargs),
            lambda a: F.cross_entropy(a[0], everything_ignored[0], **kwargs),
            x,
            equal_nan=True,
        )
    assert torch.isnan(losses.nll_loss(x, everything_ignored))


def test_uint8_targets_and_ignore_index_that_is_a_class(device, gen) -> None:
    x = randn(6, 4, gen=gen, dtype=torch.float64, device=device)
    target = torch.tensor([0, 1, 2, 3, 2, 0], dtype=torch.uint8, device=device)
    for ignore_index in (-100, 2, 0):
        for fn, ref in ((losses.cross_entropy, F.cross_entropy), (losses.nll_loss, F.nll_loss)):
            _compare(
                lambda a, f=fn, i=ignore_index: f(a, target, ignore_index=i),
                lambda a, f=ref, i=ignore_index: f(a, target, ignore_index=i),
                x,
            )


def test_categorical_non_contiguous(device, gen) -> None:
    x = non_contiguous(randn(5, 4, 3, gen=gen, dtype=torch.float64, device=device))
    target = non_contiguous(_class_targets((5, 3), 4, gen, device, n_ignored=3))
    q = non_contiguous(
        torch.softmax(randn(5, 4, 3, gen=gen, dtype=torch.float64, device=device), 1)
    )
    w = non_contiguous(torch.rand(4, generator=gen, dtype=torch.float64).to(device))
    for reduction in REDUCTIONS:
        for tgt in (target, q):
            _compare(
                lambda a, t=tgt, r=reduction: losses.cross_entropy(
                    a, t, w, reduction=r, label_smoothing=0.1
                ),
                lambda a, t=tgt, r=reduction: F.cross_entropy(
                    a, t, w, reduction=r, label_smoothing=0.1
                ),
                x,
            )
        _compare(
            lambda a, r=reduction: losses.nll_loss(a, target, w, reduction=r),
            lambda a, r=reduction: F.nll_loss(a, target, w, reduction=r),
            x,
        )


def test_cross_entropy_is_stable_for_huge_logits(device, dtype) -> None:
    x = torch.tensor(
        [[1000.0, 0.0, -1000.0], [1e4, 1e4, 1e4], [-1e4, 1e4, 0.0]], dtype=dtype, device=device
    )
    target = torch.tensor([2, 1, 0], device=device)
    for label_smoothing in (0.0, 0.1):
        for reduction in REDUCTIONS:
            _compare(
                lambda a, r=reduction, s=label_smoothing: losses.cross_entropy(
                    a, target, reduction=r, label_smoothing=s
                ),
                lambda a, r=reduction, s=label_smoothing: F.cross_entropy(
                    a, target, reduction=r, label_smoothing=s
                ),
                x,
            )
    assert torch.isfinite(losses.cross_entropy(x, target, reduction="none")).all()


@settings(max_examples=40, deadline=None)
@given(
    batch=st.integers(1, 4),
    classes=st.integers(1, 6),
    extra=st.lists(st.integers(1, 3), max_size=2),
    use_weight=st.booleans(),
    label_smoothing=st.sampled_from([0.0, 0.05, 0.5, 1.0]),
    ignored=st.integers(0, 3),
    probabilities=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_categorical_hypothesis(
    batch, classes, extra, use_weight, label_smoothing, ignored, probabilities, seed
) -> None:
    gen = torch.Generator().manual_seed(seed)
    shape = (batch, classes, *extra)
    x = torch.randn(shape, generator=gen, dtype=torch.float64) * 5
    weight = torch.rand(classes, generator=gen, dtype=torch.float64) if use_weight else None
    if probabilities:
        target = torch.softmax(torch.randn(shape, generator=gen, dtype=torch.float64), 1)
    else:
        target = torch.randint(0, classes, (batch, *extra), generator=gen)
        target.view(-1)[: min(ignored, target.numel() - 1)] = -100
    for reduction in REDUCTIONS:
        kwargs = {"weight": weight, "reduction": reduction, "label_smoothing": label_smoothing}
        _compare(
            lambda a, k=kwargs: losses.cross_entropy(a, target, **k),
            lambda a, k=kwargs: F.cross_entropy(a, target, **k),
            x,
        )
        if not probabilities:
            log_p = torch.log_softmax(x, 1)
            _compare(
                lambda a, r=reduction: losses.nll_loss(a, target, weight, reduction=r),
                lambda a, r=reduction: F.nll_loss(a, target, weight, reduction=r),
                log_p,
            )


# ---------------------------------------------------------------- argument errors

X = torch.rand(3, 4)
P = torch.rand(3, 4)
T = torch.randint(0, 4, (3,))
NAMES = ["mean_error", "l1_loss", "mse_loss", "rmse_loss", "huber_loss", "smooth_l1_loss"]


@pytest.mark.parametrize("name", NAMES)
def test_regression_errors(name) -> None:
    fn = getattr(losses, name)
    with pytest.raises(ValueError, match=r"reduction must be one of .* got 'avg'"):
        fn(X, X, reduction="avg")
    with pytest.raises(ValueError, match=r"target shape \(3, 1\) must match input shape \(3,\)"):
        fn(torch.ones(3), torch.ones(3, 1))
    with pytest.raises(TypeError, match="input must be a floating-point tensor, got dtype"):
        fn(torch.tensor([1, 2]), torch.tensor([1, 2]))
    with pytest.raises(TypeError, match=r"target must be a torch\.Tensor, got list"):
        fn(torch.ones(2), [1.0, 2.0])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: losses.huber_loss(X, X, delta=0.0), ValueError, "delta must be > 0, got 0.0"),
        (lambda: losses.huber_loss(X, X, delta=-1.0), ValueError, "delta must be a finite"),
        (lambda: losses.huber_loss(X, X, delta="1"), TypeError, "delta must be a number"),
        (lambda: losses.smooth_l1_loss(X, X, beta=-0.5), ValueError, "beta must be a finite"),
        (lambda: losses.smooth_l1_loss(X, X, beta=None), TypeError, "beta must be a number"),
        # binary_cross_entropy
        (
            lambda: losses.binary_cross_entropy(X * 3 - 1, P),
            ValueError,
            r"input must hold probabilities in \[0, 1\].*binary_cross_entropy_with_logits",
        ),
        (
            lambda: losses.binary_cross_entropy(torch.tensor([float("nan")]), torch.ones(1)),
            ValueError,
            r"input must hold probabilities in \[0, 1\], got values in \[nan, nan\]",
        ),
        (
            lambda: losses.binary_cross_entropy(P, P + 1),
            ValueError,
            r"target must hold probabilities in \[0, 1\]",
        ),
        (
            lambda: losses.binary_cross_entropy(P, P.view(4, 3)),
            ValueError,
            r"target shape \(4, 3\) must match input shape \(3, 4\)",
        ),
        (
            lambda: losses.binary_cross_entropy(P, P.long()),
            TypeError,
            "target must be a floating-point tensor",
        ),
        (
            lambda: losses.binary_cross_entropy(P, P.double()),
            TypeError,
            "target dtype torch.float64 must match input dtype torch.float32",
        ),
        (
            lambda: losses.binary_cross_entropy(P, P, weight=torch.ones(2, 3, 4)),
            ValueError,
            r"weight shape \(2, 3, 4\) must broadcast to input shape \(3, 4\)",
        ),
        (
            lambda: losses.binary_cross_entropy(P, P, reduction="batchmean"),
            ValueError,
            "reduction must be one of",
        ),
        # binary_cross_entropy_with_logits
        (
            lambda: losses.binary_cross_entropy_with_logits(X, P, pos_weight=torch.ones(3)),
            ValueError,
            r"pos_weight shape \(3,\) must broadcast to input shape \(3, 4\)",
        ),
        (
            lambda: losses.binary_cross_entropy_with_logits(X, P, weight=torch.ones(4).long()),
            TypeError,
            "weight must be a floating-point tensor",
        ),
        (
            lambda: losses.binary_cross_entropy_with_logits(X, P[:2]),
            ValueError,
            r"target shape \(2, 4\) must match input shape \(3, 4\)",
        ),
        # mnist_loss
        (
            lambda: losses.mnist_loss(torch.tensor([2.0, 0.5]), torch.tensor([1, 0])),
            ValueError,
            r"predictions must hold probabilities in \[0, 1\].*apply sigmoid first",
        ),
        (
            lambda: losses.mnist_loss(torch.rand(3), torch.ones(4)),
            ValueError,
            r"targets shape \(4,\) does not broadcast with predictions shape \(3,\)",
        ),
        (
            lambda: losses.mnist_loss(torch.tensor([1, 0]), torch.tensor([1, 0])),
            TypeError,
            "predictions must be a floating-point tensor",
        ),
        # nll_loss
        (
            lambda: losses.nll_loss(X, torch.tensor([0, 4, 1])),
            ValueError,
            r"target contains class index 4, outside \[0, 3\] \(and not ignore_index=-100\)",
        ),
        (
            lambda: losses.nll_loss(X, torch.tensor([0, -1, 1])),
            ValueError,
            "target contains class index -1",
        ),
        (
            lambda: losses.nll_loss(X, torch.tensor([0, -100, 7]), ignore_index=-100),
            ValueError,
            "class index 7",
        ),
        (
            lambda: losses.nll_loss(X, torch.tensor([0.0, 1.0, 2.0])),
            TypeError,
            r"target must hold class indices of dtype int64 \(or uint8\), got dtype torch.float32",
        ),
        (
            lambda: losses.nll_loss(X, T.int()),
            TypeError,
            "got dtype torch.int32",
        ),
        (
            lambda: losses.nll_loss(X, T[:2]),
            ValueError,
            r"target shape \(2,\) must be \(3,\) for input shape \(3, 4\)",
        ),
        (
            lambda: losses.nll_loss(torch.rand(2, 4, 5), torch.zeros(2, 3, dtype=torch.long)),
            ValueError,
            r"target shape \(2, 3\) must be \(2, 5\)",
        ),
        (
            lambda: losses.nll_loss(torch.tensor(1.0), torch.tensor(0)),
            ValueError,
            "input must have a class dimension",
        ),
        (
            lambda: losses.nll_loss(X, T, weight=torch.ones(3)),
            ValueError,
            r"weight shape \(3,\) must be \(4,\), one per class",
        ),
        (
            lambda: losses.nll_loss(X, T, weight=torch.ones(4, dtype=torch.float64)),
            TypeError,
            "weight dtype torch.float64 must match input dtype torch.float32",
        ),
        (
            lambda: losses.nll_loss(X, T, ignore_index=1.5),
            TypeError,
            "ignore_index must be an int, got float",
        ),
        (lambda: losses.nll_loss(X, T, reduction="all"), ValueError, "reduction must be one of"),
        # cross_entropy
        (
            lambda: losses.cross_entropy(X, T, label_smoothing=1.5),
            ValueError,
            r"label_smoothing must be in \[0, 1\], got 1.5",
        ),
        (
            lambda: losses.cross_entropy(X, T, label_smoothing=-0.1),
            ValueError,
            "label_smoothing must be a finite number >= 0, got -0.1",
        ),
        (
            lambda: losses.cross_entropy(X, torch.zeros(3, 4, dtype=torch.long)),
            TypeError,
            r"target of input's shape \(3, 4\) holds class probabilities and must be floating",
        ),
        (
            lambda: losses.cross_entropy(X, P, ignore_index=0),
            ValueError,
            "ignore_index must be negative for probability targets, got 0",
        ),
        (
            lambda: losses.cross_entropy(X, T.float()),
            TypeError,
            "target must hold class indices of dtype int64",
        ),
        (
            lambda: losses.cross_entropy(X, torch.tensor([0, 9, 1])),
            ValueError,
            r"target contains class index 9, outside \[0, 3\]",
        ),
        (
            lambda: losses.cross_entropy(torch.zeros(3, 0), torch.zeros(3, dtype=torch.long)),
            ValueError,
            r"input shape \(3, 0\) has no classes",
        ),
        (
            lambda: losses.cross_entropy(X.long(), T),
            TypeError,
            "input must be a floating-point tensor",
        ),
    ],
)
def test_argument_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
