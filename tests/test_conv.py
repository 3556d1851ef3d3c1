"""studykit.conv against torch: values, gradients, option sweeps, random configurations, errors."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import conv
from studykit.conv import conv_output_size
from tests.helpers import compare_with_torch, non_contiguous, randn

# torch warns that it copies the input for 'same' with an even kernel; so do we, silently.
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")


@given(
    st.integers(1, 20), st.integers(1, 5), st.integers(1, 4), st.integers(0, 3), st.integers(1, 3)
)
def test_conv_output_size_matches_a_real_convolution(
    size, kernel, stride, padding, dilation
) -> None:
    span = dilation * (kernel - 1) + 1
    if size + 2 * padding < span:
        with pytest.raises(ValueError, match="kernel spans"):
            conv_output_size(size, kernel, stride, padding, dilation)
        return
    x = torch.zeros(1, 1, size)
    w = torch.zeros(1, 1, kernel)
    expected = F.conv1d(x, w, stride=stride, padding=padding, dilation=dilation).shape[-1]
    assert conv_output_size(size, kernel, stride, padding, dilation) == expected


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"size": 5, "kernel_size": 0}, ValueError, "kernel_size must be >= 1"),
        ({"size": 5, "kernel_size": 3, "stride": 0}, ValueError, "stride must be >= 1"),
        ({"size": 5, "kernel_size": 3, "padding": -1}, ValueError, "padding must be >= 0"),
        ({"size": 5.0, "kernel_size": 3}, TypeError, "size must be an int"),
    ],
)
def test_conv_output_size_errors(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        conv_output_size(**kwargs)


# --- the tensors of a convolution case -------------------------------------------------------


def _conv_tensors(n, c_in, c_out, size, kernel, groups, bias, *, gen, dtype, device):
    x = randn(*((n,) if n is not None else ()), c_in, *size, gen=gen, dtype=dtype, device=device)
    w = randn(c_out, c_in // groups, *kernel, gen=gen, dtype=dtype, device=device)
    b = randn(c_out, gen=gen, dtype=dtype, device=device) if bias else None
    return x, w, b


def _check_conv(spatial, x, w, b, **kwargs) -> None:
    ours_fn = conv.conv1d if spatial == 1 else conv.conv2d
    torch_fn = F.conv1d if spatial == 1 else F.conv2d
    tensors = [x, w] if b is None else [x, w, b]
    compare_with_torch(lambda *t: ours_fn(*t, **kwargs), lambda *t: torch_fn(*t, **kwargs), tensors)


# (batch, C_in, C_out, H, W, kH, kW, groups, bias, kwargs)
CONV2D_CASES = [
    (2, 3, 4, 7, 6, 3, 3, 1, True, {}),
    (2, 3, 4, 7, 6, 3, 3, 1, False, {"padding": 1}),
    (1, 2, 5, 9, 8, 3, 2, 1, True, {"stride": 2, "padding": (1, 0)}),
    (2, 2, 3, 10, 11, 3, 3, 1, True, {"stride": (3, 2), "dilation": (2, 1)}),
    (1, 4, 6, 8, 8, 3, 3, 2, True, {"padding": 2, "dilation": 2}),
    (2, 4, 4, 6, 7, 3, 3, 4, True, {"padding": "same"}),  # depthwise
    (1, 3, 2, 6, 7, 4, 2, 1, True, {"padding": "same"}),  # even kernel: asymmetric padding
    (1, 3, 2, 9, 7, 2, 3, 1, False, {"padding": "same", "dilation": (3, 2)}),
    (2, 3, 2, 5, 6, 3, 3, 1, True, {"padding": "valid", "stride": (1, 2)}),
    (3, 6, 9, 5, 5, 1, 1, 3, True, {}),  # 1x1 kernels, 3 groups
    (1, 1, 1, 4, 4, 4, 4, 1, True, {}),  # kernel as large as the input
    (2, 2, 3, 1, 5, 1, 3, 1, True, {"stride": 2}),  # one-row images
    (1, 2, 2, 5, 5, 3, 3, 1, True, {"stride": 4, "padding": 1}),  # stride past the end
]


@pytest.mark.parametrize("case", CONV2D_CASES, ids=[str(c[-1]) for c in CONV2D_CASES])
def test_conv2d_values_and_gradients(case, device, dtype, gen) -> None:
    n, c_in, c_out, h, w_, kh, kw, groups, bias, kwargs = case
    x, w, b = _conv_tensors(
        n, c_in, c_out, (h, w_), (kh, kw), groups, bias, gen=gen, dtype=dtype, device=device
    )
    _check_conv(2, x, w, b, groups=groups, **kwargs)


# (batch, C_in, C_out, L, K, groups, bias, kwargs)
CONV1D_CASES = [
    (2, 3, 4, 9, 3, 1, True, {}),
    (2, 3, 4, 9, 3, 1, False, {"padding": 2, "stride": 2}),
    (1, 4, 2, 12, 3, 2, True, {"dilation": 3, "padding": (1,)}),
    (2, 2, 3, 8, 4, 1, True, {"padding": "same"}),
    (2, 2, 3, 8, 3, 1, True, {"padding": "same", "dilation": 2}),
    (1, 3, 3, 7, 2, 3, True, {"padding": "valid", "stride": (3,)}),
    (3, 1, 1, 1, 1, 1, True, {}),
]


@pytest.mark.parametrize("case", CONV1D_CASES, ids=[str(c[-1]) for c in CONV1D_CASES])
def test_conv1d_values_and_gradients(case, device, dtype, gen) -> None:
    n, c_in, c_out, length, k, groups, bias, kwargs = case
    x, w, b = _conv_tensors(
        n, c_in, c_out, (length,), (k,), groups, bias, gen=gen, dtype=dtype, device=device
    )
    _check_conv(1, x, w, b, groups=groups, **kwargs)


@pytest.mark.parametrize("spatial", [1, 2])
def test_conv_unbatched_input(spatial, device, dtype, gen) -> None:
    size = (7,) * spatial
    x, w, b = _conv_tensors(
        None, 4, 6, size, (3,) * spatial, 2, True, gen=gen, dtype=dtype, device=device
    )
    assert x.ndim == spatial + 1
    _check_conv(spatial, x, w, b, groups=2, padding=1, stride=2)


@pytest.mark.parametrize("spatial", [1, 2])
def test_conv_non_contiguous_inputs(spatial, device, gen) -> None:
    x, w, b = _conv_tensors(
        2, 4, 6, (6,) * spatial, (3,) * spatial, 2, True,
        gen=gen, dtype=torch.float64, device=device,
    )  # fmt: skip
    x, w, b = non_contiguous(x), non_contiguous(w), non_contiguous(b)
    assert not x.is_contiguous() and not w.is_contiguous()
    ours = (conv.conv1d if spatial == 1 else conv.conv2d)(x, w, b, padding="same", groups=2)
    theirs = (F.conv1d if spatial == 1 else F.conv2d)(x, w, b, padding="same", groups=2)
    torch.testing.assert_close(ours, theirs)
    # A channels-last image is a common non-contiguous layout too.
    if spatial == 2:
        x_last = x.contiguous(memory_format=torch.channels_last)
        torch.testing.assert_close(
            conv.conv2d(x_last, w, b, groups=2), F.conv2d(x_last, w, b, groups=2)
        )


def test_conv_empty_batch(device) -> None:
    x = torch.zeros(0, 2, 5, 5, device=device)
    w = torch.ones(3, 2, 3, 3, device=device)
    assert conv.conv2d(x, w).shape == F.conv2d(x, w).shape == (0, 3, 3, 3)
    assert conv.conv1d(x[:, :, 0], w[..., 0]).shape == F.conv1d(x[:, :, 0], w[..., 0]).shape


@st.composite
def conv_configs(draw, spatial: int):  # type: ignore[no-untyped-def]
    """A random convolution: shapes, stride, padding (int, tuple or a mode), dilation, groups."""
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    size = tuple(draw(st.integers(1, 9)) for _ in range(spatial))
    kernel = tuple(draw(st.integers(1, 4)) for _ in range(spatial))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(spatial))
    dilation = tuple(draw(st.integers(1, 3)) for _ in range(spatial))
    padding = draw(
        st.one_of(
            st.just("valid"),
            st.just("same"),
            st.integers(0, 3),
            st.tuples(*[st.integers(0, 3)] * spatial),
        )
    )
    if padding == "same":
        stride = (1,) * spatial
    kwargs = {
        "stride": stride if draw(st.booleans()) else stride[0],
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
    }
    batch = draw(st.sampled_from([None, 1, 2]))
    return batch, c_in, c_out, size, kernel, draw(st.booleans()), kwargs, draw(st.integers(0, 999))


def _conv_property(spatial, config) -> None:
    batch, c_in, c_out, size, kernel, bias, kwargs, seed = config
    gen = torch.Generator().manual_seed(seed)
    x, w, b = _conv_tensors(
        batch, c_in, c_out, size, kernel, kwargs["groups"], bias,
        gen=gen, dtype=torch.float64, device=torch.device("cpu"),
    )  # fmt: skip
    torch_fn = F.conv1d if spatial == 1 else F.conv2d
    try:
        torch_fn(x, w, b, **kwargs)
    except RuntimeError:  # torch refuses it (the kernel does not fit): so must we
        with pytest.raises(ValueError, match="kernel spans"):
            (conv.conv1d if spatial == 1 else conv.conv2d)(x, w, b, **kwargs)
        return
    _check_conv(spatial, x, w, b, **kwargs)


@settings(max_examples=40)
@given(conv_configs(2))
def test_conv2d_hypothesis_random_configurations(config) -> None:
    _conv_property(2, config)


@settings(max_examples=25)
@given(conv_configs(1))
def test_conv1d_hypothesis_random_configurations(config) -> None:
    _conv_property(1, config)


# --- conv2d_naive ----------------------------------------------------------------------------


def test_conv2d_naive_values_and_gradients(device, dtype, gen) -> None:
    image = randn(6, 7, gen=gen, dtype=dtype, device=device)
    kernel = randn(3, 2, gen=gen, dtype=dtype, device=device)
    compare_with_torch(
        lambda i, k: conv.conv2d_naive(i, k, stride=(2, 1), padding=1),
        lambda i, k: F.conv2d(i[None, None], k[None, None], stride=(2, 1), padding=1)[0, 0],
        [image, kernel],
    )


@settings(max_examples=40)
@given(
    st.integers(1, 7),
    st.integers(1, 7),
    st.integers(1, 4),
    st.integers(1, 4),
    st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))),
    st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2))),
    st.integers(0, 999),
)
def test_conv2d_naive_equals_conv2d(h, w, kh, kw, stride, padding, seed) -> None:
    gen = torch.Generator().manual_seed(seed)
    image = torch.randn(h, w, generator=gen, dtype=torch.float64)
    kernel = torch.randn(kh, kw, generator=gen, dtype=torch.float64)
    try:
        expected = F.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding)
    except RuntimeError:
        with pytest.raises(ValueError, match="kernel spans"):
            conv.conv2d_naive(image, kernel, stride, padding)
        return
    naive = conv.conv2d_naive(image, kernel, stride, padding)
    vectorized = conv.conv2d(image[None, None], kernel[None, None], None, stride, padding)
    torch.testing.assert_close(naive, expected[0, 0])
    torch.testing.assert_close(naive, vectorized[0, 0])


# --- errors ----------------------------------------------------------------------------------

X4 = torch.zeros(1, 4, 5, 5)
W = torch.zeros(6, 2, 3, 3)

CONV_ERRORS = [
    (
        (torch.zeros(5, 5), torch.zeros(1, 1, 3, 3)),
        {},
        ValueError,
        r"input must be 3-D \(C, H, W\) or 4-D",
    ),
    ((X4, torch.zeros(6, 4, 3)), {}, ValueError, r"weight must be 4-D"),
    ((X4, W), {}, ValueError, r"input has 4 channels but weight expects 2 \* groups\(1\) = 2"),
    (
        (X4, torch.zeros(5, 2, 3, 3)),
        {"groups": 2},
        ValueError,
        "groups=2 must divide out_channels=5",
    ),
    ((X4, torch.zeros(6, 1, 3, 3)), {"groups": 3}, ValueError, "input has 4 channels"),
    ((X4, W), {"groups": 0}, ValueError, "groups must be >= 1, got 0"),
    ((X4, W), {"groups": 2.0}, TypeError, "groups must be an int"),
    ((X4, W, torch.zeros(3)), {"groups": 2}, ValueError, r"bias must have shape \(6,\)"),
    ((X4, W), {"groups": 2, "stride": 0}, ValueError, "stride must be >= 1, got 0"),
    (
        (X4, W),
        {"groups": 2, "stride": (1, 2, 3)},
        ValueError,
        "stride must be an int or a tuple of 2",
    ),
    ((X4, W), {"groups": 2, "padding": -1}, ValueError, "padding must be >= 0, got -1"),
    ((X4, W), {"groups": 2, "padding": 1.5}, TypeError, "padding must be an int or a tuple"),
    ((X4, W), {"groups": 2, "padding": "full"}, ValueError, "padding must be one of .*'full'"),
    (
        (X4, W),
        {"groups": 2, "padding": "same", "stride": 2},
        ValueError,
        "padding='same' requires stride=1",
    ),
    ((X4, W), {"groups": 2, "dilation": 0}, ValueError, "dilation must be >= 1"),
    ((X4, W), {"groups": 2, "dilation": 3}, ValueError, "kernel spans 7 .* only 5 long"),
    ((X4, torch.zeros(6, 2, 7, 3)), {"groups": 2}, ValueError, "kernel spans 7"),
    ((X4, torch.zeros(0, 2, 3, 3)), {"groups": 2}, ValueError, "weight must have no zero-size"),
    ((X4, W.double()), {"groups": 2}, TypeError, "weight dtype torch.float64 must match input"),
    ((X4.long(), W), {"groups": 2}, TypeError, "input must be a floating-point tensor"),
    (([[1.0]], W), {"groups": 2}, TypeError, "input must be a torch.Tensor"),
]


@pytest.mark.parametrize(("args", "kwargs", "error", "message"), CONV_ERRORS)
def test_conv2d_errors(args, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        conv.conv2d(*args, **kwargs)


def test_conv1d_errors() -> None:
    with pytest.raises(ValueError, match=r"input must be 2-D \(C, L\) or 3-D \(N, C, L\)"):
        conv.conv1d(torch.zeros(1, 1, 1, 5), torch.zeros(1, 1, 3))
    with pytest.raises(
        ValueError, match=r"weight must be 3-D \(out_channels, in_channels/groups, kL\)"
    ):
        conv.conv1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3, 3))
    with pytest.raises(ValueError, match=r"kernel spans 6 .* only 5 long"):
        conv.conv1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 6))
    with pytest.raises(ValueError, match="stride must be an int or a tuple of 1 ints"):
        conv.conv1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3), stride=(1, 1))


NAIVE_ERRORS = [
    ((torch.zeros(1, 5, 5), torch.zeros(3, 3)), {}, ValueError, r"image must be 2-D \(H, W\)"),
    ((torch.zeros(5, 5), torch.zeros(1, 3, 3)), {}, ValueError, r"kernel must be 2-D"),
    ((torch.zeros(5, 5), torch.zeros(3, 3).double()), {}, TypeError, "kernel dtype"),
    ((torch.zeros(5, 5), torch.zeros(3, 3)), {"stride": 0}, ValueError, "stride must be >= 1"),
    (
        (torch.zeros(5, 5), torch.zeros(3, 3)),
        {"padding": (1, -1)},
        ValueError,
        "padding must be >= 0",
    ),
    (
        (torch.zeros(2, 5), torch.zeros(3, 3)),
        {},
        ValueError,
        "kernel spans 3 but the padded input is only 2",
    ),
]


@pytest.mark.parametrize(("args", "kwargs", "error", "message"), NAIVE_ERRORS)
def test_conv2d_naive_errors(args, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        conv.conv2d_naive(*args, **kwargs)
