"""Benchmark cases for ``studykit.losses``: each loss against its torch counterpart.

Element-wise losses run on about ``1_000_000 * scale`` elements; ``nll_loss`` and
``cross_entropy`` on ``10_000 * scale`` rows of 100 classes. The losses without a torch function
(``mean_error``, ``rmse_loss``, ``mnist_loss``) are timed against the plain torch expression
they stand for.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from benchmarks.common import Case
from studykit import losses

GROUP = "losses"
TARGET = 2.0
CLASSES = 100


def cases(device: torch.device, scale: float) -> list[Case]:
    n = max(int(1_000_000 * scale), 1)
    rows = max(int(10_000 * scale), 1)
    gen = torch.Generator().manual_seed(0)

    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=gen).to(device)

    x, y = randn(n), randn(n)
    probs = torch.sigmoid(randn(n))
    labels = torch.randint(0, 2, (n,), generator=gen).to(device=device, dtype=torch.float32)
    weight = torch.rand(n, generator=gen).to(device)
    pos_weight = torch.full((1,), 3.0, device=device)
    logits = randn(rows, CLASSES)
    log_probs = torch.log_softmax(logits, dim=1)
    classes = torch.randint(0, CLASSES, (rows,), generator=gen).to(device)
    class_weight = torch.rand(CLASSES, generator=gen).to(device)
    soft = torch.softmax(randn(rows, CLASSES), dim=1)

    pairs = [
        ("mean_error", lambda: losses.mean_error(x, y), lambda: (x - y).mean()),
        ("l1_loss", lambda: losses.l1_loss(x, y), lambda: F.l1_loss(x, y)),
        ("mse_loss", lambda: losses.mse_loss(x, y), lambda: F.mse_loss(x, y)),
        ("rmse_loss", lambda: losses.rmse_loss(x, y), lambda: torch.sqrt(F.mse_loss(x, y))),
        ("huber_loss", lambda: losses.huber_loss(x, y), lambda: F.huber_loss(x, y)),
        (
            "smooth_l1_loss(beta=0.5)",
            lambda: losses.smooth_l1_loss(x, y, beta=0.5),
            lambda: F.smooth_l1_loss(x, y, beta=0.5),
        ),
        (
            "binary_cross_entropy",
            lambda: losses.binary_cross_entropy(probs, labels),
            lambda: F.binary_cross_entropy(probs, labels),
        ),
        (
            "binary_cross_entropy(weight)",
            lambda: losses.binary_cross_entropy(probs, labels, weight),
            lambda: F.binary_cross_entropy(probs, labels, weight),
        ),
        (
            "binary_cross_entropy_with_logits",
            lambda: losses.binary_cross_entropy_with_logits(x, labels),
            lambda: F.binary_cross_entropy_with_logits(x, labels),
        ),
        (
            "binary_cross_entropy_with_logits(pos_weight)",
            lambda: losses.binary_cross_entropy_with_logits(x, labels, pos_weight=pos_weight),
            lambda: F.binary_cross_entropy_with_logits(x, labels, pos_weight=pos_weight),
        ),
        (
            "mnist_loss",
            lambda: losses.mnist_loss(probs, labels),
            lambda: torch.where(labels == 1, 1 - probs, probs).mean(),
        ),
        (
            "nll_loss",
            lambda: losses.nll_loss(log_probs, classes),
            lambda: F.nll_loss(log_probs, classes),
        ),
        (
            "cross_entropy",
            lambda: losses.cross_entropy(logits, classes),
            lambda: F.cross_entropy(logits, classes),
        ),
        (
            "cross_entropy(weight, label_smoothing)",
            lambda: losses.cross_entropy(logits, classes, class_weight, label_smoothing=0.1),
            lambda: F.cross_entropy(logits, classes, class_weight, label_smoothing=0.1),
        ),
        (
            "cross_entropy(probabilities)",
            lambda: losses.cross_entropy(logits, soft),
            lambda: F.cross_entropy(logits, soft),
        ),
    ]
    return [Case(GROUP, name, ours, theirs, TARGET) for name, ours, theirs in pairs]
