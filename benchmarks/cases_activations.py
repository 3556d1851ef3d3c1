"""Benchmark cases for studykit.activations: about a million elements each, target 2x torch."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from benchmarks.common import Case
from studykit import activations as A


def cases(device: torch.device, scale: float) -> list[Case]:
    """One case per activation, forward only, on ``1e6 * scale`` elements."""
    n = max(16, int(1_000_000 * scale))
    x = torch.randn(n, device=device) * 3
    rows = x[: (n // 100) * 100].reshape(-1, 100)
    target = 2.0
    return [
        Case("activations", "sigmoid", lambda: A.sigmoid(x), lambda: torch.sigmoid(x), target),
        Case("activations", "tanh", lambda: A.tanh(x), lambda: torch.tanh(x), target),
        Case("activations", "relu", lambda: A.relu(x), lambda: F.relu(x), target),
        Case("activations", "leaky_relu", lambda: A.leaky_relu(x), lambda: F.leaky_relu(x), target),
        Case(
            "activations",
            "softmax (rows of 100)",
            lambda: A.softmax(rows, dim=1),
            lambda: F.softmax(rows, dim=1),
            target,
        ),
        Case(
            "activations",
            "log_softmax (rows of 100)",
            lambda: A.log_softmax(rows, dim=1),
            lambda: F.log_softmax(rows, dim=1),
            target,
        ),
    ]
