r"""Convolution (합성곱) and pooling (풀링): sliding a small kernel over an image.

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

Common mistakes:
    - Forgetting the padding is added on *both* sides: \(2P\), not \(P\).
    - Rounding up: a kernel position that would hang over the edge is dropped (floor), unless
      pooling is asked for ``ceil_mode=True``.
    - Forgetting the ``+ 1``: the first position counts too.
"""

from __future__ import annotations

__all__ = ["conv_output_size"]


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

    Example:
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
