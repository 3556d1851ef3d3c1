"""Helpers for comparing studykit against torch."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch


def _devices() -> list[str]:
    found = ["cpu"]
    if torch.cuda.is_available():
        found.append("cuda")
    if torch.backends.mps.is_available():
        found.append("mps")
    return found


DEVICES = _devices()
DTYPES = [torch.float32, torch.float64]


def randn(
    *shape: int,
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
    requires_grad: bool = False,
    scale: float = 1.0,
) -> torch.Tensor:
    """Seeded normal values, drawn on the CPU (same numbers on every device), then moved."""
    t = torch.randn(shape, generator=gen, dtype=torch.float64) * scale
    return t.to(dtype=dtype, device=device).requires_grad_(requires_grad)


def non_contiguous(t: torch.Tensor) -> torch.Tensor:
    """Return a non-contiguous view with the same values (and shape) as ``t``.

    The values are stored transposed with a gap between elements, then viewed back, so any code
    that assumes a row-major, gap-free layout reads the wrong numbers. When ``t`` requires grad the
    view does too (it is part of the graph, so ``torch.autograd.grad`` can be taken with respect
    to it).
    """
    base = torch.zeros(*reversed(t.shape), 2, dtype=t.dtype, device=t.device)
    base[..., 0] = t.detach().permute(*reversed(range(t.ndim)))
    base.requires_grad_(t.requires_grad)
    view = base[..., 0].permute(*reversed(range(t.ndim)))
    assert t.numel() <= 1 or not view.is_contiguous()
    return view


def grads(out: torch.Tensor, inputs: Sequence[torch.Tensor], seed: int = 1) -> list[torch.Tensor]:
    """Gradients of ``sum(out * w)`` for a fixed random ``w``, so every output element counts."""
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(out.shape, generator=g, dtype=torch.float64).to(out.dtype).to(out.device)
    return list(torch.autograd.grad((out * w).sum(), list(inputs), allow_unused=False))


def leaf_pair(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Two independent leaf copies of ``t`` (one for studykit, one for torch)."""
    a = t.detach().clone().requires_grad_(True)
    b = t.detach().clone().requires_grad_(True)
    return a, b


def compare_with_torch(
    ours_fn: Callable[..., torch.Tensor],
    torch_fn: Callable[..., torch.Tensor],
    tensors: Sequence[torch.Tensor],
) -> None:
    """Values and gradients (with respect to every tensor) of studykit and torch agree."""
    ours_leaves = [t.detach().clone().requires_grad_(True) for t in tensors]
    torch_leaves = [t.detach().clone().requires_grad_(True) for t in tensors]
    ours, theirs = ours_fn(*ours_leaves), torch_fn(*torch_leaves)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)
    for mine, expected in zip(grads(ours, ours_leaves), grads(theirs, torch_leaves), strict=True):
        torch.testing.assert_close(mine, expected)
