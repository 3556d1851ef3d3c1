"""Checks the model modules share: one dtype for every input, and shapes that broadcast."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from studykit.tensors import broadcast_shapes


def _check_same_dtype(name: str, value: torch.Tensor, reference: torch.Tensor) -> None:
    """Raise ``TypeError`` unless ``value`` has the dtype of ``reference`` (the input)."""
    if value.dtype != reference.dtype:
        raise TypeError(f"{name} dtype {value.dtype} must match input dtype {reference.dtype}")


def _broadcasts(a: Sequence[int], b: Sequence[int]) -> torch.Size | None:
    """The shape ``a`` and ``b`` broadcast to, or ``None`` if they do not broadcast."""
    try:
        return broadcast_shapes(a, b)
    except ValueError:
        return None
