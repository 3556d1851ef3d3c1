"""Benchmark cases for studykit.normalization (and dropout): about a million elements each.

Targets: ``batch_norm`` and ``layer_norm`` at most 2x torch; dropout is reported only (both sides
spend most of their time drawing the random mask).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from benchmarks.common import Case
from studykit import normalization as N
from studykit import regularization as R

GROUP = "normalization"


def cases(device: torch.device, scale: float) -> list[Case]:
    """batch_norm (training and eval) on (N, 32, 32, 32), layer_norm on (N, 1024), dropout."""
    n, c = max(2, int(32 * scale)), 32
    images = torch.randn(n, c, 32, 32, device=device)
    gamma, beta = torch.randn(c, device=device), torch.randn(c, device=device)
    mean, var = torch.randn(c, device=device), torch.rand(c, device=device) + 0.5

    rows = torch.randn(max(2, int(1024 * scale)), 1024, device=device) * 2 + 1
    weight, bias = torch.randn(1024, device=device), torch.randn(1024, device=device)
    flat = torch.randn(max(16, int(1_000_000 * scale)), device=device)
    target = 2.0
    # Training updates the running estimates in place: each call gets fresh copies, on both sides.
    return [
        Case(
            GROUP,
            f"batch_norm train ({n}, {c}, 32, 32)",
            lambda: N.batch_norm(images, mean.clone(), var.clone(), gamma, beta, training=True),
            lambda: F.batch_norm(images, mean.clone(), var.clone(), gamma, beta, training=True),
            target,
        ),
        Case(
            GROUP,
            f"batch_norm eval ({n}, {c}, 32, 32)",
            lambda: N.batch_norm(images, mean, var, gamma, beta, training=False),
            lambda: F.batch_norm(images, mean, var, gamma, beta, training=False),
            target,
        ),
        Case(
            GROUP,
            f"layer_norm ({rows.shape[0]}, 1024)",
            lambda: N.layer_norm(rows, (1024,), weight, bias),
            lambda: F.layer_norm(rows, (1024,), weight, bias),
            target,
        ),
        Case(
            GROUP,
            "dropout p=0.5 (report only)",
            lambda: R.dropout(flat, 0.5),
            lambda: F.dropout(flat, 0.5),
            None,
            deterministic=False,
        ),
    ]
