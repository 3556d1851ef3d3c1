r"""Pooling (풀링): one number for each window of a feature map.

A pooling layer (풀링 층) slides a window of \(K_H \times K_W\) cells over each channel of a
feature map, with a stride \(S\), just like a convolution (`studykit.conv`), but it has **no
weights**: it replaces each window by one summary number.

- **Max pooling (최대 풀링)** keeps the largest value of the window ("was the feature anywhere
  here?").
- **Average pooling (평균 풀링)** keeps the mean of the window ("how much of it was here, on
  average?").

For the window \(W_{ij}\) of output position \((i, j)\), which starts at \((iS_H, jS_W)\):

$$y^{\max}_{c,i,j} = \max_{(h, w) \in W_{ij}} x_{c,h,w} \qquad
  y^{\text{avg}}_{c,i,j} = \frac{1}{|W_{ij}|} \sum_{(h, w) \in W_{ij}} x_{c,h,w}$$

Each channel is pooled on its own, so the number of channels never changes. The output size is
the convolution's formula (`studykit.conv.conv_output_size`), with one difference in the
defaults: the stride is the window size unless given, so the windows do not overlap.

$$H_{out} = \left\lfloor \frac{H + 2P - D(K-1) - 1}{S} \right\rfloor + 1, \qquad S = K
  \text{ by default}$$

With ``ceil_mode=True`` the floor becomes a ceiling (a last, partial window is kept), as long
as that window still starts inside the input or the left padding.

Why pool? It shrinks the feature map (a 2x2 window with stride 2 keeps a quarter of the
numbers), so later layers are cheaper and see a larger receptive field (수용 영역), and a
feature that moves by a pixel usually gives the same max, a small translation invariance (이동
불변성). Max pooling pads with \(-\infty\) (a padded cell never wins); average pooling pads with
zeros and, by default, counts them in the divisor.

Example: a 4x4 map, 2x2 windows, stride 2: \((4 - 2) /\!/ 2 + 1 = 2\), a 2x2 output.

    >>> x = torch.tensor([[[1.0, 3.0, 2.0, 0.0],
    ...                    [4.0, 2.0, 1.0, 5.0],
    ...                    [0.0, 1.0, 3.0, 2.0],
    ...                    [2.0, 6.0, 1.0, 1.0]]])
    >>> max_pool2d(x, 2)
    tensor([[[4., 5.],
             [6., 3.]]])
    >>> avg_pool2d(x, 2)
    tensor([[[2.5000, 2.0000],
             [2.2500, 1.7500]]])

Torch counterparts: ``torch.nn.functional.max_pool2d`` and ``torch.nn.functional.avg_pool2d``
(``F.max_pool2d``, ``F.avg_pool2d``; as layers, ``nn.MaxPool2d`` and ``nn.AvgPool2d``).

Common mistakes:
    - Forgetting that ``stride`` defaults to ``kernel_size``, not to 1.
    - Rounding up: a window that would hang over the edge is dropped (floor), unless
      ``ceil_mode=True`` is asked for.
    - Thinking pooling has weights to learn: it has none, only a window size and a stride.
    - Expecting pooling to mix or reduce the channels: ``(N, C, H, W)`` stays ``C`` channels.
    - Padding a max pool with zeros by hand: a window of negative numbers would then return 0.
    - Expecting an average-pooled border to keep its values: with the default
      ``count_include_pad=True`` the padding zeros pull the edge averages down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch

from studykit._checks import check_floating
from studykit._windows import check_rank, int_tuple, pad, windows

__all__ = ["avg_pool2d", "max_pool2d"]


class _PoolAxis(NamedTuple):
    """One spatial axis of a pooling call: sizes, window settings and the output length."""

    size: int
    kernel: int
    stride: int
    padding: int
    dilation: int
    out: int

    @property
    def pads(self) -> tuple[int, int]:
        """Cells to add ``(before, after)``; ``after`` reaches as far as the last window does.

        With ``ceil_mode`` the last window can hang past the ``padding`` cells on the right.
        """
        reach = (self.out - 1) * self.stride + self.dilation * (self.kernel - 1) + 1
        return self.padding, max(0, reach - self.padding - self.size)


def _pool_output_size(
    size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool
) -> int:
    """The pooling output length as torch computes it (floor or ceil, then the ceil_mode rule)."""
    span = dilation * (kernel - 1) + 1
    out = (size + 2 * padding - span + (stride - 1 if ceil_mode else 0)) // stride + 1
    # With ceil_mode the last window must start inside the input or the left padding.
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _pool_setup(
    input: torch.Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None,
    padding: int | Sequence[int],
    dilation: int | Sequence[int],
    ceil_mode: bool,
) -> tuple[torch.Tensor, list[_PoolAxis]]:
    """Check a pooling call; return the input and its H and W axes."""
    x = check_floating("input", input)
    check_rank(x, 2)
    kernel = int_tuple("kernel_size", kernel_size, 2, 1)
    strides = kernel if stride is None else int_tuple("stride", stride, 2, 1)
    pads = int_tuple("padding", padding, 2, 0)
    dilations = int_tuple("dilation", dilation, 2, 1)
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode must be a bool, got {type(ceil_mode).__name__}")
    if any(p > k // 2 for p, k in zip(pads, kernel, strict=True)):
        raise ValueError(f"padding={padding!r} must be at most half of kernel_size={kernel_size!r}")
    axes = []
    for size, k, s, p, d in zip(x.shape[-2:], kernel, strides, pads, dilations, strict=True):
        out = _pool_output_size(size, k, s, p, d, ceil_mode)
        if out < 1:
            raise ValueError(
                f"output size would be {out}: the window spans {d * (k - 1) + 1} but the padded "
                f"input is only {size + 2 * p} long"
            )
        axes.append(_PoolAxis(size, k, s, p, d, out))
    return x, axes


def max_pool2d(
    input: torch.Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
) -> torch.Tensor:
    r"""2-D max pooling (최대 풀링): the largest value in each window.

    $$y_{n,c,i,j} = \max_{0 \le u < K_H,\; 0 \le v < K_W}
      \tilde x_{n,c,\; iS_H + uD_H,\; jS_W + vD_W}$$

    where \(\tilde x\) is the input padded with \(-\infty\) (so padding never wins). The
    gradient flows only to the winning cell (the first one, row by row, on a tie).

    How: windows are ``Tensor.unfold`` views, and the max is taken in two cheap passes, first
    along each row of the window, then down the column of row maxima; a max of maxes is the
    max, and picking the first on ties in each pass picks the first cell in row-major order,
    like torch.

    Args:
        input: ``(N, C, H, W)`` or unbatched ``(C, H, W)``, floating point.
        kernel_size: The window size: int or ``(K_H, K_W)``.
        stride: The step between windows; ``None`` (default) means ``kernel_size``, i.e.
            windows that do not overlap.
        padding: \(-\infty\) cells added on each side, at most ``kernel_size // 2``.
        dilation: The spacing between the window's taps.
        ceil_mode: Round the output size up (keep a last, partial window) instead of down; the
            last window must still start inside the input or the left padding.

    Returns:
        ``(N, C, H_out, W_out)`` (or ``(C, H_out, W_out)``).

    Raises:
        TypeError: If ``input`` is not floating point or an argument has the wrong type.
        ValueError: On a wrong rank, an out-of-range size, ``padding`` above half the kernel,
            or an output size below 1.

    Examples:
        >>> x = torch.tensor([[[1.0, 3.0, 2.0, 0.0],
        ...                    [4.0, 2.0, 1.0, 5.0],
        ...                    [0.0, 1.0, 3.0, 2.0],
        ...                    [2.0, 6.0, 1.0, 1.0]]])
        >>> max_pool2d(x, 2)  # four 2x2 windows, stride 2
        tensor([[[4., 5.],
                 [6., 3.]]])
        >>> corner = x[:, :3, :3]
        >>> max_pool2d(corner, 2)  # floor: only one whole 2x2 window fits in 3x3
        tensor([[[4.]]])
        >>> max_pool2d(corner, 2, ceil_mode=True)  # ceil: keep the partial windows too
        tensor([[[4., 2.],
                 [1., 3.]]])

    Torch counterpart:
        ``torch.nn.functional.max_pool2d`` (``return_indices`` is not offered here).

    Common mistakes:
        - Forgetting that ``stride`` defaults to ``kernel_size``, not to 1.
        - Padding a max pool with zeros by hand: a window of negative numbers would then
          return 0.
        - Combining ``dilation`` with ``padding`` so that a window's taps all land in the
          padding: its output is \(-\infty\) (torch's too).
    """
    x, (h, w) = _pool_setup(input, kernel_size, stride, padding, dilation, ceil_mode)
    padded = pad(x, [h.pads, w.pads], -math.inf)
    # Pass 1, along W: the max of each row piece. Pass 2, along H: the max of those maxima.
    row_max = windows(padded, x.ndim - 1, w.kernel, w.stride, w.dilation).max(dim=-1).values
    return windows(row_max, x.ndim - 2, h.kernel, h.stride, h.dilation).max(dim=-1).values


def _window_counts(axis: _PoolAxis, count_include_pad: bool, like: torch.Tensor) -> torch.Tensor:
    """How many cells each window covers along one axis: torch's divisor, one factor of it."""
    start = torch.arange(axis.out, device=like.device, dtype=like.dtype) * axis.stride
    start = start - axis.padding
    end = (start + axis.kernel).clamp(max=axis.size + axis.padding)  # cut at the padded edge
    if not count_include_pad:
        start, end = start.clamp(min=0), end.clamp(max=axis.size)  # only real input cells
    return end - start


def avg_pool2d(
    input: torch.Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> torch.Tensor:
    r"""2-D average pooling (평균 풀링): the mean of each window.

    $$y_{n,c,i,j} = \frac{1}{|W_{ij}|} \sum_{(h, w) \in W_{ij}} \tilde x_{n,c,h,w}$$

    where \(\tilde x\) is the input padded with zeros and \(W_{ij}\) the window starting at
    \((iS_H - P_H,\; jS_W - P_W)\). The divisor \(|W_{ij}|\) follows torch exactly: the window
    is first cut at the padded edge (with ``ceil_mode`` the last window can hang past it, and
    that part never counts); ``count_include_pad=True`` then counts the padding cells left
    inside it, ``count_include_pad=False`` only the real input cells; ``divisor_override``
    replaces it with a fixed number.

    Args:
        input: ``(N, C, H, W)`` or unbatched ``(C, H, W)``, floating point.
        kernel_size: The window size: int or ``(K_H, K_W)``.
        stride: The step between windows; ``None`` (default) means ``kernel_size``.
        padding: Zeros added on each side, at most ``kernel_size // 2``.
        ceil_mode: Round the output size up (keep a last, partial window) instead of down.
        count_include_pad: Whether padding zeros count in the divisor.
        divisor_override: If given, divide every window's sum by this instead.

    Returns:
        ``(N, C, H_out, W_out)`` (or ``(C, H_out, W_out)``).

    Raises:
        TypeError: If ``input`` is not floating point or an argument has the wrong type.
        ValueError: On a wrong rank, an out-of-range size, ``padding`` above half the kernel,
            an output size below 1, or ``divisor_override=0``.

    Examples:
        >>> x = torch.tensor([[[1.0, 3.0, 2.0, 0.0],
        ...                    [4.0, 2.0, 1.0, 5.0],
        ...                    [0.0, 1.0, 3.0, 2.0],
        ...                    [2.0, 6.0, 1.0, 1.0]]])
        >>> avg_pool2d(x, 2)
        tensor([[[2.5000, 2.0000],
                 [2.2500, 1.7500]]])
        >>> ones = torch.ones(1, 3, 3)
        >>> avg_pool2d(ones, 2, padding=1)  # the padding zeros count: corners are 1/4
        tensor([[[0.2500, 0.5000],
                 [0.5000, 1.0000]]])
        >>> avg_pool2d(ones, 2, padding=1, count_include_pad=False)
        tensor([[[1., 1.],
                 [1., 1.]]])

    Torch counterpart:
        ``torch.nn.functional.avg_pool2d``.

    Common mistakes:
        - Expecting a padded border to keep its values: with the default
          ``count_include_pad=True`` the zeros pull the edge averages down.
        - Dividing every window by \(K_H K_W\): a ``ceil_mode`` window that hangs past the
          padded edge is divided by the cells it actually covers.
    """
    x, (h, w) = _pool_setup(input, kernel_size, stride, padding, 1, ceil_mode)
    if not isinstance(count_include_pad, bool):
        raise TypeError(f"count_include_pad must be a bool, got {type(count_include_pad).__name__}")
    if divisor_override is not None:
        if isinstance(divisor_override, bool) or not isinstance(divisor_override, int):
            raise TypeError(
                f"divisor_override must be an int or None, got {type(divisor_override).__name__}"
            )
        if divisor_override == 0:
            raise ValueError("divisor_override must not be 0")
    padded = pad(x, [h.pads, w.pads], 0.0)
    # Two passes again (a sum of sums is the sum): down H first, then along W.
    column_sums = windows(padded, x.ndim - 2, h.kernel, h.stride, 1).sum(dim=-1)
    sums = windows(column_sums, x.ndim - 1, w.kernel, w.stride, 1).sum(dim=-1)
    if divisor_override is not None:
        return sums / divisor_override
    # A window's cell count is (rows it covers) x (columns it covers): an outer product.
    rows = _window_counts(h, count_include_pad, sums)
    columns = _window_counts(w, count_include_pad, sums)
    return sums / (rows[:, None] * columns)
