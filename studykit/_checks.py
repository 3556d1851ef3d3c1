"""Argument checks shared by every reference implementation.

Each check raises a one-line ``ValueError`` or ``TypeError`` that names the argument and the
value it got, so a student who passes ``reduction="avg"`` learns what went wrong and what is
allowed instead of reading a traceback from deep inside a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import torch

Reduction = Literal["none", "mean", "sum"]
REDUCTIONS: tuple[str, ...] = ("none", "mean", "sum")


def check_tensor(name: str, value: object) -> torch.Tensor:
    """Return ``value`` if it is a tensor, else raise ``TypeError`` naming ``name``."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(value).__name__}")
    return value


def check_floating(name: str, value: object) -> torch.Tensor:
    """Return ``value`` if it is a floating-point tensor, else raise ``TypeError``."""
    tensor = check_tensor(name, value)
    if not tensor.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {tensor.dtype}")
    return tensor


def check_reduction(reduction: str) -> Reduction:
    """Return ``reduction`` if it is ``'none'``, ``'mean'`` or ``'sum'``, else raise."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    return reduction  # type: ignore[return-value]


def check_same_shape(
    input_name: str, input: torch.Tensor, target_name: str, target: torch.Tensor
) -> None:
    """Raise ``ValueError`` unless two tensors have exactly the same shape."""
    if input.shape != target.shape:
        raise ValueError(
            f"{target_name} shape {tuple(target.shape)} must match "
            f"{input_name} shape {tuple(input.shape)}"
        )


def check_non_negative(name: str, value: float) -> float:
    """Return ``value`` if it is a finite number ``>= 0``, else raise ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return float(value)


def check_positive(name: str, value: float) -> float:
    """Return ``value`` if it is a finite number ``> 0``, else raise ``ValueError``."""
    number = check_non_negative(name, value)
    if number == 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return number


def check_in_range(name: str, value: float, low: float, high: float) -> float:
    """Return ``value`` if ``low <= value < high``, else raise ``ValueError``."""
    number = check_non_negative(name, value) if low >= 0 else float(value)
    if not low <= number < high:
        raise ValueError(f"{name} must be in [{low}, {high}), got {value}")
    return number


def check_dim(name: str, dim: int, ndim: int) -> int:
    """Return ``dim`` normalized to ``[0, ndim)``; negative values count from the end."""
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{name} must be an int, got {type(dim).__name__}")
    size = max(ndim, 1)
    if not -size <= dim < size:
        raise ValueError(f"{name}={dim} is out of range for a tensor with {ndim} dimensions")
    return dim % size


def reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    r"""Apply a loss reduction: keep every element, average them, or add them up.

    ``'mean'`` divides by the number of elements, \(\frac{1}{N}\sum_i \ell_i\); ``'sum'`` is
    \(\sum_i \ell_i\); ``'none'`` returns the per-element losses unchanged.
    """
    mode = check_reduction(reduction)
    if mode == "mean":
        return loss.mean()
    if mode == "sum":
        return loss.sum()
    return loss


def as_int_tuple(name: str, value: int | Sequence[int], length: int) -> tuple[int, ...]:
    """Expand an int to a ``length``-tuple, or check that a sequence has ``length`` ints."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int or a tuple of {length} ints, got bool")
    if isinstance(value, int):
        return (value,) * length
    if not isinstance(value, list | tuple):
        raise TypeError(
            f"{name} must be an int or a tuple of {length} ints, got {type(value).__name__}"
        )
    items = tuple(value)
    if len(items) != length or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in items
    ):
        raise ValueError(f"{name} must be an int or a tuple of {length} ints, got {value!r}")
    return items


def check_shape(name: str, value: object, shape: tuple[int, ...], hint: str = "") -> torch.Tensor:
    """Return ``value`` if it is a tensor of exactly ``shape``, else raise (``hint`` says why)."""
    tensor = check_tensor(name, value)
    if tuple(tensor.shape) != shape:
        why = f" ({hint})" if hint else ""
        raise ValueError(f"{name} must have shape {shape}{why}, got {tuple(tensor.shape)}")
    return tensor
