"""Benchmark cases for studykit.conv (conv2d 3x, the naive loop) and studykit.pooling (2x)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from benchmarks.common import Case
from studykit import conv, pooling


def cases(device: torch.device, scale: float) -> list[Case]:
    """conv2d N x 16 -> 32 on 32x32 with 3x3 kernels, 2x2 pools, and one 32x32 naive loop."""
    n = max(1, int(32 * scale))
    x = torch.randn(n, 16, 32, 32, device=device)
    w = torch.randn(32, 16, 3, 3, device=device) / 12
    b = torch.randn(32, device=device)
    maps = torch.randn(n, 32, 32, 32, device=device)
    image = torch.randn(32, 32, device=device)
    kernel = torch.randn(3, 3, device=device)
    return [
        Case(
            "conv",
            f"conv2d ({n},16,32,32) -> 32, 3x3, padding 1",
            lambda: conv.conv2d(x, w, b, padding=1),
            lambda: F.conv2d(x, w, b, padding=1),
            3.0,
        ),
        Case(
            "conv",
            f"max_pool2d 2x2 on ({n},32,32,32)",
            lambda: pooling.max_pool2d(maps, 2),
            lambda: F.max_pool2d(maps, 2),
            2.0,
        ),
        Case(
            "conv",
            f"avg_pool2d 2x2 on ({n},32,32,32)",
            lambda: pooling.avg_pool2d(maps, 2),
            lambda: F.avg_pool2d(maps, 2),
            2.0,
        ),
        Case(
            "conv",
            "conv2d_naive one 32x32 image, 3x3 (the loop)",
            lambda: conv.conv2d_naive(image, kernel),
            lambda: F.conv2d(image[None, None], kernel[None, None])[0, 0],
            None,
        ),
    ]
