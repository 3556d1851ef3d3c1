r"""Convolution (합성곱): sliding a small kernel over an image.

A convolution layer slides a kernel (커널, also called a filter 필터) of size \(K\) over its
input with a step called the **stride** (스트라이드, \(S\)), after surrounding the input with
\(P\) rows/columns of zeros (**zero padding**, 제로 패딩). At each position it multiplies the
overlapping numbers, sums them and adds a bias; the grid of results is the **feature map**
(특성 맵).

How many positions fit? The kernel's first cell can sit at \(0, S, 2S, \dots\) as long as the
kernel (spread by the dilation \(D\) to an effective width \(D(K-1)+1\)) stays inside the padded
input:

$$H_{out} = \left\lfloor \frac{H + 2P - D(K-1) - 1}{S} \right\rfloor + 1$$

With no padding and no dilation this is the notes' \((H-K)/\!/S+1\).

**What a deep-learning "convolution" computes.** For one output channel \(o\) at position
\((i, j)\), with input channels \(c\) and kernel offsets \((u, v)\):

$$y_{o,i,j} = b_o + \sum_{c} \sum_{u=0}^{K_H-1} \sum_{v=0}^{K_W-1}
  w_{o,c,u,v}\; x_{c,\; iS + uD,\; jS + vD}$$

The kernel is *not* flipped, so strictly this is cross-correlation (교차 상관); every deep-learning
library calls it convolution anyway, and since the kernel is learned the flip would not matter.
A kernel has shape ``(out_channels, in_channels, K_H, K_W)``: each output channel has its own
stack of \(K_H \times K_W\) filters, one per input channel, plus one bias (편향) \(b_o\), so a
layer has \(C_{out}(C_{in} K_H K_W + 1)\) parameters no matter how large the image is. The
same kernel is reused at every position (weight sharing, 가중치 공유), which is why a cat
detector works wherever the cat is.

- **Receptive field (수용 영역)**: the input pixels that can influence one output pixel. One
  3x3 layer sees 3x3; two stacked 3x3 layers see 5x5; \(L\) of them see \((2L+1)^2\). Strides,
  dilation and pooling grow it faster.
- **Groups (그룹 합성곱)**: ``groups=G`` splits the channels into \(G\) independent
  convolutions (input channels \(C_{in}/G\) each); ``groups = C_in`` is a depthwise
  convolution.
- **im2col**: the fast version copies every kernel-sized patch into a column of a matrix
  (shape \(C_{in}K_HK_W \times H_{out}W_{out}\)) and multiplies by the kernel matrix
  \(C_{out} \times C_{in}K_HK_W\): one big matrix product instead of a loop per position.
  ``conv2d_naive`` is the loop; ``conv2d`` is im2col built from ``Tensor.unfold`` views.

Pooling (풀링), the weightless window that usually follows a convolution layer, has its own
module: `studykit.pooling`.

Common mistakes:
    - Forgetting the padding is added on *both* sides: \(2P\), not \(P\).
    - Rounding up: a kernel position that would hang over the edge is dropped (floor).
    - Forgetting the ``+ 1``: the first position counts too.
    - Mixing up the layouts: torch is channels-first, ``(N, C, H, W)``; an image loaded as
      ``(H, W, C)`` must be permuted first.
    - Expecting the kernel to be flipped (textbook convolution): torch's is cross-correlation.
    - Counting parameters without the input channels: a 3x3 kernel from 16 to 32 channels has
      \(32 \cdot 16 \cdot 9 + 32 = 4640\) parameters, not \(32 \cdot 9\).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from studykit._checks import check_floating, check_tensor
from studykit._windows import check_rank, int_tuple, pad, windows

__all__ = [
    "conv1d",
    "conv2d",
    "conv2d_naive",
    "conv_output_size",
]

_PADDING_MODES = ("same", "valid")


def _check_size(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def conv_output_size(
    size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    r"""The output length of a convolution or pooling along one dimension (출력 크기).

    $$\text{out} = \left\lfloor \frac{\text{size} + 2\,\text{padding}
      - \text{dilation}\,(\text{kernel\_size} - 1) - 1}{\text{stride}} \right\rfloor + 1$$

    Args:
        size: The input length \(H\) (or width \(W\)).
        kernel_size: The kernel length \(K\).
        stride: The step between kernel positions \(S\).
        padding: Zeros added on *each* side \(P\).
        dilation: The spacing between kernel taps \(D\).

    Returns:
        The number of kernel positions, at least 1.

    Raises:
        TypeError: If an argument is not an int.
        ValueError: If an argument is out of range or the kernel does not fit the padded input.

    Examples:
        >>> conv_output_size(28, kernel_size=3, stride=2, padding=1)
        14
        >>> conv_output_size(5, kernel_size=3)  # the notes' (H - K) // S + 1
        3

    Torch counterpart:
        The ``H_out`` formula in the ``torch.nn.Conv2d`` documentation; the same as
        ``F.conv2d(x, w, stride=..., padding=..., dilation=...).shape[-1]``.

    Common mistakes:
        - Using \(P\) instead of \(2P\), or forgetting the final \(+1\).
    """
    _check_size("size", size, 0)
    _check_size("kernel_size", kernel_size, 1)
    _check_size("stride", stride, 1)
    _check_size("padding", padding, 0)
    _check_size("dilation", dilation, 1)
    span = dilation * (kernel_size - 1) + 1
    if size + 2 * padding < span:
        raise ValueError(
            f"kernel spans {span} but the padded input is only {size + 2 * padding} long"
        )
    return (size + 2 * padding - span) // stride + 1


# --- convolution ---------------------------------------------------------------------------------


def _conv_padding(
    padding: int | Sequence[int] | str,
    kernel: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int],
) -> list[tuple[int, int]]:
    """The zeros to add ``(before, after)`` each spatial dim, from an int, a tuple or a mode."""
    if isinstance(padding, str):
        if padding == "valid":
            return [(0, 0)] * len(kernel)
        if padding != "same":
            raise ValueError(
                f"padding must be one of {_PADDING_MODES}, an int or a tuple of ints, "
                f"got {padding!r}"
            )
        if any(s != 1 for s in stride):
            raise ValueError(f"padding='same' requires stride=1, got stride={tuple(stride)}")
        # The kernel spans D(K-1)+1 cells, so D(K-1) zeros keep the size; an odd total puts
        # the extra zero after (right/bottom), as torch does.
        totals = [d * (k - 1) for k, d in zip(kernel, dilation, strict=True)]
        return [(total // 2, total - total // 2) for total in totals]
    return [(p, p) for p in int_tuple("padding", padding, len(kernel), 0)]


def _check_conv_tensors(
    x: torch.Tensor, w: torch.Tensor, bias: torch.Tensor | None, groups: int, spatial: int
) -> None:
    """Check a batched ``input`` against ``weight``, ``bias`` and ``groups``."""
    if w.ndim != spatial + 2:
        kernel_dims = "kL" if spatial == 1 else "kH, kW"
        raise ValueError(
            f"weight must be {spatial + 2}-D (out_channels, in_channels/groups, {kernel_dims}), "
            f"got shape {tuple(w.shape)}"
        )
    if w.dtype != x.dtype:
        raise TypeError(f"weight dtype {w.dtype} must match input dtype {x.dtype}")
    in_channels = x.shape[1]
    out_channels, group_channels = w.shape[:2]
    if out_channels == 0 or min(w.shape[2:]) == 0:
        raise ValueError(f"weight must have no zero-size dimension, got shape {tuple(w.shape)}")
    if out_channels % groups:
        raise ValueError(f"groups={groups} must divide out_channels={out_channels}")
    if group_channels * groups != in_channels:
        raise ValueError(
            f"input has {in_channels} channels but weight expects "
            f"{group_channels} * groups({groups}) = {group_channels * groups}"
        )
    if bias is not None:
        b = check_tensor("bias", bias)
        if b.shape != (out_channels,):
            raise ValueError(
                f"bias must have shape ({out_channels},) (out_channels), got {tuple(b.shape)}"
            )
        if b.dtype != x.dtype:
            raise TypeError(f"bias dtype {b.dtype} must match input dtype {x.dtype}")


def _convolution(
    input: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    stride: int | Sequence[int],
    padding: int | Sequence[int] | str,
    dilation: int | Sequence[int],
    groups: int,
    spatial: int,
) -> torch.Tensor:
    """``conv1d`` (``spatial=1``) and ``conv2d`` (``spatial=2``): checks, then im2col + matmul."""
    x = check_floating("input", input)
    w = check_floating("weight", weight)
    check_rank(x, spatial)
    groups = _check_size("groups", groups, 1)
    unbatched = x.ndim == spatial + 1
    if unbatched:
        x = x.unsqueeze(0)
    _check_conv_tensors(x, w, bias, groups, spatial)
    strides = int_tuple("stride", stride, spatial, 1)
    dilations = int_tuple("dilation", dilation, spatial, 1)
    kernel = tuple(w.shape[2:])
    pads = _conv_padding(padding, kernel, strides, dilations)
    for size, k, d, (before, after) in zip(x.shape[2:], kernel, dilations, pads, strict=True):
        if d * (k - 1) + 1 > size + before + after:
            raise ValueError(
                f"kernel spans {d * (k - 1) + 1} (kernel_size={k}, dilation={d}) but the padded "
                f"input is only {size + before + after} long"
            )

    # im2col. Each unfold adds a window dimension: (N, C, *out_sizes, *kernel), still a view.
    patches = pad(x, pads, 0.0)
    for axis in range(spatial):
        patches = windows(patches, 2 + axis, kernel[axis], strides[axis], dilations[axis])
    batch, out_channels = x.shape[0], w.shape[0]
    out_sizes = patches.shape[2 : 2 + spatial]
    # Put each patch's (C, *kernel) numbers together: this reshape is the one real copy.
    order = (0, 1, *range(2 + spatial, 2 + 2 * spatial), *range(2, 2 + spatial))
    columns = patches.permute(order).reshape(batch, groups, w[0].numel(), math.prod(out_sizes))
    # (G, C_out/G, C_in/G * K) @ (N, G, C_in/G * K, L) -> (N, G, C_out/G, L): one matmul per group.
    out = w.reshape(groups, out_channels // groups, -1) @ columns
    out = out.reshape(batch, out_channels, *out_sizes)
    if bias is not None:
        out = out + bias.reshape(out_channels, *[1] * spatial)
    return out.squeeze(0) if unbatched else out


def conv1d(
    input: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> torch.Tensor:
    r"""1-D convolution (1차원 합성곱) over a sequence, e.g. a signal or a sentence's embeddings.

    $$y_{n,o,i} = b_o + \sum_{c=0}^{C_{in}/G-1} \sum_{u=0}^{K-1}
      w_{o,c,u}\; x_{n,\; g C_{in}/G + c,\; iS + uD - P}$$

    where \(g = \lfloor o\,G / C_{out} \rfloor\) is the group of output channel \(o\) and
    \(x\) is zero outside \([0, L)\). Computed as im2col + one matrix product; see ``conv2d``.

    Args:
        input: ``(N, C_in, L)`` or unbatched ``(C_in, L)``, floating point.
        weight: ``(C_out, C_in / groups, K)``, same dtype as ``input``.
        bias: Optional ``(C_out,)``, added to every position of its channel.
        stride: The step \(S\) between kernel positions (int or 1-tuple).
        padding: Zeros \(P\) added at both ends (int or 1-tuple), ``'valid'`` (no padding) or
            ``'same'`` (output length = input length; needs ``stride=1``; an odd total puts the
            extra zero at the end).
        dilation: The spacing \(D\) between kernel taps (팽창).
        groups: Split the channels into this many independent convolutions.

    Returns:
        ``(N, C_out, L_out)`` (or ``(C_out, L_out)``), with \(L_{out}\) from
        ``conv_output_size``.

    Raises:
        TypeError: If a tensor is not floating point or the dtypes differ, or an argument has the
            wrong type.
        ValueError: On a wrong rank, a channel mismatch, ``groups`` not dividing the channels, a
            bad ``padding`` string, ``'same'`` with a stride, or a kernel longer than the padded
            input.

    Examples:
        >>> x = torch.tensor([[[1.0, 2.0, 3.0, 4.0]]])
        >>> w = torch.tensor([[[1.0, 0.0, -1.0]]])  # x[i] - x[i + 2]: a difference detector
        >>> conv1d(x, w)
        tensor([[[-2., -2.]]])
        >>> conv1d(x, w, padding="same")  # zeros outside: the last value sees 3 - 0
        tensor([[[-2., -2., -2.,  3.]]])

    Torch counterpart:
        ``torch.nn.functional.conv1d`` (and the layer ``torch.nn.Conv1d``).

    Common mistakes:
        - Passing ``(N, L, C)`` (features last, as an embedding layer returns them): conv1d
          wants channels first, so ``x.transpose(1, 2)``.
        - Expecting ``'same'`` to work with ``stride=2``: it cannot keep the length, so torch
          refuses it.
    """
    return _convolution(input, weight, bias, stride, padding, dilation, groups, spatial=1)


def conv2d(
    input: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> torch.Tensor:
    r"""2-D convolution (2차원 합성곱) of a batch of images, vectorized with im2col.

    $$y_{n,o,i,j} = b_o + \sum_{c=0}^{C_{in}/G-1} \sum_{u=0}^{K_H-1} \sum_{v=0}^{K_W-1}
      w_{o,c,u,v}\; x_{n,\; gC_{in}/G + c,\; iS_H + uD_H - P_H,\; jS_W + vD_W - P_W}$$

    with \(g\) the group of output channel \(o\) and \(x = 0\) in the padding. No flip of the
    kernel: this is cross-correlation (교차 상관), as in every deep-learning library.

    How: pad with zeros, then ``Tensor.unfold`` along H and W makes a *view* of every
    \(K_H \times K_W\) patch, shape ``(N, C, H_out, W_out, K_H, K_W)``. Reshaping it to the
    im2col matrix ``(N, G, C/G * K_H * K_W, H_out * W_out)`` is the one copy; the kernel,
    reshaped to ``(G, C_out/G, C/G * K_H * K_W)``, multiplies it in a single ``@``.

    Args:
        input: ``(N, C_in, H, W)`` or unbatched ``(C_in, H, W)``, floating point.
        weight: ``(C_out, C_in / groups, K_H, K_W)``, same dtype as ``input``.
        bias: Optional ``(C_out,)`` bias (편향), one number per output channel.
        stride: The step (스트라이드) between kernel positions: int or ``(S_H, S_W)``.
        padding: Zeros (제로 패딩) added on each side: int, ``(P_H, P_W)``, ``'valid'`` (none)
            or ``'same'`` (output size = input size; needs ``stride=1``; an odd total puts the
            extra zero at the bottom/right, as torch does).
        dilation: The spacing (팽창) between kernel taps: int or ``(D_H, D_W)``.
        groups: Split the channels into this many independent convolutions (그룹 합성곱).

    Returns:
        The feature map (특성 맵), ``(N, C_out, H_out, W_out)`` (or ``(C_out, H_out, W_out)``),
        with each output size from ``conv_output_size``.

    Raises:
        TypeError: If a tensor is not floating point or the dtypes differ, or an argument has the
            wrong type.
        ValueError: On a wrong rank, a channel mismatch, ``groups`` not dividing the channels, a
            bad ``padding`` string, ``'same'`` with a stride, or a kernel larger than the padded
            input.

    Examples:
        >>> x = torch.arange(16.0).reshape(1, 1, 4, 4)
        >>> w = torch.ones(1, 1, 2, 2)  # adds up each 2x2 patch
        >>> conv2d(x, w, stride=2)
        tensor([[[[10., 18.],
                  [42., 50.]]]])
        >>> conv2d(x, w, padding=1).shape  # (4 + 2*1 - 2) // 1 + 1 = 5
        torch.Size([1, 1, 5, 5])

    Torch counterpart:
        ``torch.nn.functional.conv2d`` (and the layer ``torch.nn.Conv2d``, which owns the
        weight and bias).

    Common mistakes:
        - A weight of shape ``(C_out, K, K)`` without the input-channel dimension: each output
          channel has one \(K \times K\) filter *per input channel*.
        - ``in_channels`` of the weight with ``groups``: it is ``C_in / groups``, not ``C_in``.
        - Feeding ``(H, W, C)`` images: permute to ``(C, H, W)`` first.
    """
    return _convolution(input, weight, bias, stride, padding, dilation, groups, spatial=2)


def conv2d_naive(
    image: torch.Tensor,
    kernel: torch.Tensor,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
) -> torch.Tensor:
    r"""The notes' convolution of one 2-D image with one 2-D kernel, as an explicit loop.

    $$y_{i,j} = \sum_{u=0}^{K_H-1} \sum_{v=0}^{K_W-1} k_{u,v}\; \tilde x_{iS_H + u,\; jS_W + v}$$

    where \(\tilde x\) is the image with \(P\) rows/columns of zeros on each side (제로 패딩).
    Like torch's, this is cross-correlation (교차 상관): the kernel is not flipped. One
    multiply-and-sum per output pixel, so it is easy to read and very slow: use ``conv2d``
    (the same numbers, as ``conv2d(image[None, None], kernel[None, None])[0, 0]``) for real work.

    Args:
        image: ``(H, W)``, floating point: one channel, no batch.
        kernel: ``(K_H, K_W)``, same dtype as ``image``.
        stride: The step between kernel positions: int or ``(S_H, S_W)``.
        padding: Zeros added on each side: int or ``(P_H, P_W)``.

    Returns:
        The feature map (특성 맵), ``(H_out, W_out)``.

    Raises:
        TypeError: If a tensor is not floating point or the dtypes differ.
        ValueError: If ``image`` or ``kernel`` is not 2-D, an argument is out of range, or the
            kernel is larger than the padded image.

    Examples:
        >>> image = torch.tensor([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 0.0, 1.0]])
        >>> kernel = torch.tensor([[1.0, 0.0], [0.0, 1.0]])  # x[i, j] + x[i+1, j+1]
        >>> conv2d_naive(image, kernel)
        tensor([[2., 5.],
                [0., 2.]])

    Torch counterpart:
        ``torch.nn.functional.conv2d(image[None, None], kernel[None, None])[0, 0]``.

    Common mistakes:
        - Looping to ``H - K`` instead of ``H - K + 1`` positions (the last one is missed).
        - Moving the window by 1 when ``stride`` is larger: the top-left corner of output
          \((i, j)\) is at \((iS, jS)\) in the padded image.
    """
    x = check_floating("image", image)
    k = check_floating("kernel", kernel)
    if x.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), got shape {tuple(x.shape)}")
    if k.ndim != 2:
        raise ValueError(f"kernel must be 2-D (kH, kW), got shape {tuple(k.shape)}")
    if k.dtype != x.dtype:
        raise TypeError(f"kernel dtype {k.dtype} must match image dtype {x.dtype}")
    stride_h, stride_w = int_tuple("stride", stride, 2, 1)
    pad_h, pad_w = int_tuple("padding", padding, 2, 0)
    kernel_h, kernel_w = k.shape
    out_h = conv_output_size(x.shape[0], kernel_h, stride_h, pad_h)
    out_w = conv_output_size(x.shape[1], kernel_w, stride_w, pad_w)

    padded = x.new_zeros(x.shape[0] + 2 * pad_h, x.shape[1] + 2 * pad_w)
    padded[pad_h : pad_h + x.shape[0], pad_w : pad_w + x.shape[1]] = x
    out = x.new_zeros(out_h, out_w)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride_h, j * stride_w
            patch = padded[top : top + kernel_h, left : left + kernel_w]
            out[i, j] = (patch * k).sum()
    return out
