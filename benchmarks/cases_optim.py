"""Benchmark cases for studykit.optim: one ``step()`` over ~10M parameters, against torch.optim.

Each optimizer is timed twice against torch: once against ``foreach=False`` (torch's one tensor at
a time loop, the same algorithm shape as studykit; target 3x) and once against torch's default
(``foreach``/``fused`` kernels where torch picks them, e.g. on CUDA; report only).
"""

from __future__ import annotations

from typing import Any

import torch

from benchmarks.common import Case
from studykit import optim

N_TENSORS = 10

CONFIGS: list[tuple[str, type[optim.Optimizer], type[torch.optim.Optimizer], dict[str, Any]]] = [
    ("SGD momentum", optim.SGD, torch.optim.SGD, {"lr": 0.01, "momentum": 0.9}),
    ("Adagrad", optim.Adagrad, torch.optim.Adagrad, {}),
    ("RMSprop", optim.RMSprop, torch.optim.RMSprop, {}),
    ("Adam", optim.Adam, torch.optim.Adam, {}),
    ("AdamW", optim.AdamW, torch.optim.AdamW, {}),
    ("Adam amsgrad", optim.Adam, torch.optim.Adam, {"amsgrad": True}),
]


def _leaves(values: list[torch.Tensor], grads: list[torch.Tensor]) -> list[torch.Tensor]:
    """Fresh leaf copies of ``values`` whose ``.grad`` is already filled.

    The gradient tensors are shared between the copies: none of the configurations above writes
    into a gradient (only ``maximize`` or an L2 ``weight_decay`` would make a new one anyway).
    """
    params = [v.clone().requires_grad_(True) for v in values]
    for p, g in zip(params, grads, strict=True):
        p.grad = g
    return params


def cases(device: torch.device, scale: float) -> list[Case]:
    size = max(int(10_000_000 * scale) // N_TENSORS, 1)
    gen = torch.Generator().manual_seed(0)
    found: list[Case] = []
    for name, ours_cls, torch_cls, kwargs in CONFIGS:
        values = [torch.randn(size, generator=gen).to(device) for _ in range(N_TENSORS)]
        grads = [torch.randn(size, generator=gen).to(device) for _ in range(N_TENSORS)]
        ours = ours_cls(_leaves(values, grads), **kwargs)
        loop = torch_cls(_leaves(values, grads), foreach=False, **kwargs)
        default = torch_cls(_leaves(values, grads), **kwargs)
        found.append(
            Case("optim", f"{name} vs torch foreach=False", ours.step, loop.step, target=3.0)
        )
        found.append(
            Case("optim", f"{name} vs torch foreach=None (default)", ours.step, default.step, None)
        )
    return found
