r"""Sliding windows, shared by convolution and pooling (합성곱과 풀링이 함께 쓰는 창).

Both a convolution and a pooling layer look at the input through a window of \(K\) taps that
steps \(S\) at a time over a padded input, \(D\) apart when dilated. They differ only in what
they do with each window (a weighted sum, or its maximum or mean). These helpers are that shared
part:

- ``int_tuple``: a size given as ``3`` or ``(3, 2)`` becomes one int per spatial dimension;
- ``check_rank``: the input is ``(C, H, W)`` or ``(N, C, H, W)`` (``(C, L)``/``(N, C, L)`` in 1-D);
- ``pad``: a border of a given value (0 for a convolution, \(-\infty\) for max pooling);
- ``windows``: every window along one dimension as a view (``Tensor.unfold``), with no copy.

Common mistake: taking the windows of the unpadded input. Padding comes first, so the number of
windows is the output size of `studykit.conv.conv_output_size` with the padding counted in.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from studykit._checks import as_int_tuple


def int_tuple(name: str, value: int | Sequence[int], length: int, minimum: int) -> tuple[int, ...]:
    """``value`` as a ``length``-tuple of ints, each at least ``minimum``."""
    if isinstance(value, str) or not isinstance(value, int | Sequence):
        raise TypeError(
            f"{name} must be an int or a tuple of {length} ints, got {type(value).__name__}"
        )
    items = as_int_tuple(name, value, length)
    if any(v < minimum for v in items):
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return items


def check_rank(x: torch.Tensor, spatial: int) -> None:
    """Accept ``(C, *spatial)`` or ``(N, C, *spatial)`` input."""
    dims = ("L",) if spatial == 1 else ("H", "W")
    if x.ndim not in (spatial + 1, spatial + 2):
        unbatched = ", ".join(("C", *dims))
        raise ValueError(
            f"input must be {spatial + 1}-D ({unbatched}) or {spatial + 2}-D (N, {unbatched}), "
            f"got shape {tuple(x.shape)}"
        )


def pad(x: torch.Tensor, pads: Sequence[tuple[int, int]], value: float) -> torch.Tensor:
    """Surround the last ``len(pads)`` dims of ``x`` with ``value``: ``(before, after)`` each."""
    if all(before == after == 0 for before, after in pads):
        return x
    lead = x.ndim - len(pads)
    edges = list(zip(x.shape[lead:], pads, strict=True))
    sizes = [size + before + after for size, (before, after) in edges]
    out = x.new_full((*x.shape[:lead], *sizes), value)
    inside = [slice(None)] * lead + [slice(before, before + size) for size, (before, _) in edges]
    out[tuple(inside)] = x
    return out


def windows(x: torch.Tensor, dim: int, size: int, step: int, dilation: int) -> torch.Tensor:
    """Every window of ``size`` taps (``dilation`` apart, ``step`` apart) along ``dim``.

    A view, no copy: the windows become a new last dimension, as ``Tensor.unfold`` makes them.
    """
    span = dilation * (size - 1) + 1
    return x.unfold(dim, span, step)[..., ::dilation]
