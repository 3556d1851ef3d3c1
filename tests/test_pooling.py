"""studykit.pooling against torch: values, gradients, options, random configurations, errors."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studykit import pooling
from tests.helpers import compare_with_torch, non_contiguous, randn

# (shape, kwargs): every option, odd sizes, windows that hang past the padded edge.
MAX_POOL_CASES = [
    ((2, 3, 8, 8), {"kernel_size": 2}),
    ((2, 3, 7, 9), {"kernel_size": 3, "stride": 2}),
    ((2, 3, 7, 9), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ((1, 2, 7, 8), {"kernel_size": (3, 2), "stride": (2, 3), "padding": (1, 1)}),
    ((1, 2, 9, 9), {"kernel_size": 3, "stride": 1, "dilation": 2}),
    ((1, 2, 10, 11), {"kernel_size": (2, 3), "dilation": (3, 2), "padding": 1}),
    ((2, 2, 5, 5), {"kernel_size": 2, "ceil_mode": True}),
    ((2, 2, 6, 7), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    ((1, 2, 9, 9), {"kernel_size": 2, "stride": 3, "padding": 1, "ceil_mode": True}),
    ((1, 1, 5, 6), {"kernel_size": 3, "stride": 3, "ceil_mode": True, "dilation": 2}),
    ((3, 5, 7), {"kernel_size": 2, "stride": 1}),  # unbatched
    ((1, 1, 3, 3), {"kernel_size": 1}),
    ((0, 2, 4, 4), {"kernel_size": 2}),  # empty batch
]


@pytest.mark.parametrize(
    ("shape", "kwargs"), MAX_POOL_CASES, ids=[str(c[1]) for c in MAX_POOL_CASES]
)
def test_max_pool2d_values_and_gradients(shape, kwargs, device, dtype, gen) -> None:
    x = randn(*shape, gen=gen, dtype=dtype, device=device)
    compare_with_torch(
        lambda t: pooling.max_pool2d(t, **kwargs), lambda t: F.max_pool2d(t, **kwargs), [x]
    )


def test_max_pool2d_ties_send_the_gradient_to_the_first_maximum(device, dtype, gen) -> None:
    # After a ReLU, many windows are all zeros: torch gives the whole gradient to the first
    # cell in row-major order, not a share to each tied cell.
    x = randn(2, 3, 9, 9, gen=gen, dtype=dtype, device=device).relu().round()
    for kw in [{"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1}]:
        compare_with_torch(
            lambda t, k=kw: pooling.max_pool2d(t, **k), lambda t, k=kw: F.max_pool2d(t, **k), [x]
        )
    x = torch.zeros(1, 1, 4, 4, dtype=dtype, device=device)
    compare_with_torch(lambda t: pooling.max_pool2d(t, 2), lambda t: F.max_pool2d(t, 2), [x])


def test_max_pool2d_propagates_nan_and_ignores_padding(device) -> None:
    x = -torch.ones(1, 1, 4, 4, device=device, dtype=torch.float64)
    x[0, 0, 1, 1] = float("nan")
    for kwargs in [{"kernel_size": 2}, {"kernel_size": 3, "stride": 1, "padding": 1}]:
        torch.testing.assert_close(
            pooling.max_pool2d(x, **kwargs), F.max_pool2d(x, **kwargs), equal_nan=True
        )


def test_max_pool2d_window_of_only_padding(device) -> None:
    # Width 1, padding 1, kernel 2 with dilation 2: the taps land on columns -1 and 1, both
    # padding. The max of nothing real is -inf, as in torch.
    x = torch.randn(1, 2, 3, 1, dtype=torch.float64, device=device)
    kwargs = {"kernel_size": 2, "padding": 1, "dilation": (1, 2)}
    ours, theirs = pooling.max_pool2d(x, **kwargs), F.max_pool2d(x, **kwargs)
    torch.testing.assert_close(ours, theirs)
    assert torch.isinf(ours).all()


AVG_POOL_CASES = [
    ((2, 3, 8, 8), {"kernel_size": 2}),
    ((2, 3, 7, 9), {"kernel_size": 3, "stride": 2}),
    ((2, 3, 7, 9), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ((2, 3, 7, 9), {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}),
    ((1, 2, 7, 8), {"kernel_size": (3, 2), "stride": (2, 3), "padding": (1, 1)}),
    ((2, 2, 5, 5), {"kernel_size": 2, "ceil_mode": True}),
    ((2, 2, 5, 5), {"kernel_size": 2, "ceil_mode": True, "count_include_pad": False}),
    # The last window hangs past the padded edge: torch divides by what is inside it.
    ((1, 2, 6, 7), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    ((1, 2, 6, 6), {"kernel_size": 4, "stride": 3, "padding": 2, "ceil_mode": True}),
    (
        (1, 2, 6, 6),
        {
            "kernel_size": 4,
            "stride": 3,
            "padding": 2,
            "ceil_mode": True,
            "count_include_pad": False,
        },
    ),
    ((1, 2, 9, 9), {"kernel_size": 2, "stride": 3, "padding": 1, "ceil_mode": True}),
    ((1, 1, 5, 6), {"kernel_size": (2, 3), "stride": (3, 2), "padding": (1, 1), "ceil_mode": True}),
    ((3, 5, 7), {"kernel_size": 2, "stride": 1}),  # unbatched
    ((2, 3, 7, 7), {"kernel_size": 3, "padding": 1, "divisor_override": 5}),
    ((2, 3, 7, 7), {"kernel_size": 2, "ceil_mode": True, "divisor_override": -2}),
    ((0, 2, 4, 4), {"kernel_size": 2}),  # empty batch
]


@pytest.mark.parametrize(
    ("shape", "kwargs"), AVG_POOL_CASES, ids=[str(c[1]) for c in AVG_POOL_CASES]
)
def test_avg_pool2d_values_and_gradients(shape, kwargs, device, dtype, gen) -> None:
    x = randn(*shape, gen=gen, dtype=dtype, device=device)
    compare_with_torch(
        lambda t: pooling.avg_pool2d(t, **kwargs), lambda t: F.avg_pool2d(t, **kwargs), [x]
    )


def test_avg_pool2d_divisor_of_a_window_past_the_padded_edge(device) -> None:
    # Width 5, kernel 4, stride 3, padding 2, ceil_mode: windows start at -2, 1 and 4 (the
    # padded row is -2..6). The first holds 2 padding + 2 real cells: 2/4. The last covers
    # 4..7 but is cut at 6, so its divisor is 3 (1 real + 2 padding), not 4: 1/3.
    x = torch.ones(1, 1, 1, 5, dtype=torch.float64, device=device)
    for include in [True, False]:
        kwargs = {"kernel_size": (1, 4), "stride": (1, 3), "padding": (0, 2), "ceil_mode": True}
        ours = pooling.avg_pool2d(x, **kwargs, count_include_pad=include)
        torch.testing.assert_close(ours, F.avg_pool2d(x, **kwargs, count_include_pad=include))
    expected = torch.tensor([2 / 4, 4 / 4, 1 / 3], dtype=torch.float64, device=device)
    torch.testing.assert_close(
        pooling.avg_pool2d(x, (1, 4), (1, 3), (0, 2), ceil_mode=True)[0, 0, 0], expected
    )


@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
def test_pool_non_contiguous_input(name, device, gen) -> None:
    x = non_contiguous(randn(2, 3, 7, 6, gen=gen, dtype=torch.float64, device=device))
    ours, theirs = getattr(pooling, name), getattr(F, name)
    kwargs = {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}
    torch.testing.assert_close(ours(x, **kwargs), theirs(x, **kwargs))
    x_last = x.contiguous(memory_format=torch.channels_last)
    torch.testing.assert_close(ours(x_last, 2), theirs(x_last, 2))


@st.composite
def pool_configs(draw, with_dilation: bool):  # type: ignore[no-untyped-def]
    """A random pooling call; some are invalid (torch refuses them) and must be refused here."""
    pair, side = st.tuples(st.integers(1, 4), st.integers(1, 4)), st.integers(1, 9)
    kernel = draw(pair)
    kwargs: dict[str, object] = {
        "kernel_size": kernel if draw(st.booleans()) else kernel[0],
        "stride": draw(st.one_of(st.none(), st.integers(1, 4), pair)),
        "padding": draw(
            st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)))
        ),
        "ceil_mode": draw(st.booleans()),
    }
    if with_dilation:
        kwargs["dilation"] = draw(st.one_of(st.integers(1, 3), pair))
    else:
        kwargs["count_include_pad"] = draw(st.booleans())
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *draw(st.tuples(*[side] * 2)))
    return shape, kwargs, draw(st.integers(0, 999))


def _some_window_is_all_padding(shape, kwargs) -> bool:
    """Whether a dilated window can skip every real cell (its taps all land in the padding).

    Torch's max_pool2d reads out of bounds there (a wrong gradient, sometimes a crash), so the
    random test stays away from it; ``test_max_pool2d_window_of_only_padding`` checks the value.
    """
    dilation = kwargs.get("dilation", 1)
    for axis, size in enumerate(shape[-2:]):
        k, s, p, d = (
            v if isinstance(v, int) else v[axis]
            for v in (kwargs["kernel_size"], kwargs["stride"] or kwargs["kernel_size"],
                      kwargs["padding"], dilation)
        )  # fmt: skip
        starts = range(-p, size, s)  # every window torch can make starts before the input ends
        if any(all(not 0 <= a + j * d < size for j in range(k)) for a in starts):
            return True
    return False


def _pool_property(name, config) -> None:
    shape, kwargs, seed = config
    assume(not _some_window_is_all_padding(shape, kwargs))
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    try:
        getattr(F, name)(x, **kwargs)
    except RuntimeError:
        with pytest.raises(ValueError, match=r"padding|output size"):
            getattr(pooling, name)(x, **kwargs)
        return
    compare_with_torch(
        lambda t: getattr(pooling, name)(t, **kwargs), lambda t: getattr(F, name)(t, **kwargs), [x]
    )


@settings(max_examples=50)
@given(pool_configs(with_dilation=True))
def test_max_pool2d_hypothesis_random_configurations(config) -> None:
    _pool_property("max_pool2d", config)


@settings(max_examples=50)
@given(pool_configs(with_dilation=False))
def test_avg_pool2d_hypothesis_random_configurations(config) -> None:
    _pool_property("avg_pool2d", config)


# --- errors ----------------------------------------------------------------------------------

X4 = torch.zeros(1, 4, 5, 5)

POOL_ERRORS = [
    ((torch.zeros(5, 5), 2), {}, ValueError, r"input must be 3-D \(C, H, W\) or 4-D"),
    ((X4, 0), {}, ValueError, "kernel_size must be >= 1, got 0"),
    ((X4, (2, 2, 2)), {}, ValueError, "kernel_size must be an int or a tuple of 2 ints"),
    ((X4, 2), {"stride": 0}, ValueError, "stride must be >= 1"),
    ((X4, 3), {"padding": 2}, ValueError, "padding=2 must be at most half of kernel_size=3"),
    ((X4, (3, 1)), {"padding": (1, 1)}, ValueError, r"padding=\(1, 1\) must be at most half"),
    ((X4, 6), {}, ValueError, "output size would be 0: the window spans 6 .* only 5 long"),
    ((X4, 2), {"ceil_mode": 1}, TypeError, "ceil_mode must be a bool"),
    ((X4.long(), 2), {}, TypeError, "input must be a floating-point tensor"),
]


@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
@pytest.mark.parametrize(("args", "kwargs", "error", "message"), POOL_ERRORS)
def test_pool_errors(name, args, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        getattr(pooling, name)(*args, **kwargs)


def test_pool_specific_errors() -> None:
    with pytest.raises(ValueError, match="dilation must be >= 1"):
        pooling.max_pool2d(X4, 2, dilation=0)
    with pytest.raises(ValueError, match="output size would be 0: the window spans 7"):
        pooling.max_pool2d(X4, 3, dilation=3)
    with pytest.raises(ValueError, match="divisor_override must not be 0"):
        pooling.avg_pool2d(X4, 2, divisor_override=0)
    with pytest.raises(TypeError, match="divisor_override must be an int"):
        pooling.avg_pool2d(X4, 2, divisor_override=2.0)
    with pytest.raises(TypeError, match="count_include_pad must be a bool"):
        pooling.avg_pool2d(X4, 2, count_include_pad=None)
