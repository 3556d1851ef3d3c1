"""Benchmark cases for studykit.tensors (matmul only: the rest is pure-Python shape math)."""

from __future__ import annotations

import torch

from benchmarks.common import Case
from studykit import tensors


def cases(device: torch.device, scale: float) -> list[Case]:
    """``matmul`` on about a million output elements: report only (torch uses BLAS)."""
    side = max(8, int(1000 * scale**0.5))
    a = torch.randn(side, 64, device=device)
    b = torch.randn(64, side, device=device)
    batch_a = torch.randn(16, side // 4, 32, device=device)
    batch_b = torch.randn(32, side // 4, device=device)
    return [
        Case(
            "tensors",
            f"matmul ({side}x64 @ 64x{side})",
            lambda: tensors.matmul(a, b),
            lambda: torch.matmul(a, b),
            None,
        ),
        Case(
            "tensors",
            "matmul batched broadcast",
            lambda: tensors.matmul(batch_a, batch_b),
            lambda: torch.matmul(batch_a, batch_b),
            None,
        ),
    ]
