"""The benchmark case type and the timing loop shared by every case file.

A case pairs a studykit call with the torch call it mirrors, on the same inputs, in the same
process. The runner reports ``time(studykit) / time(torch)``: a ratio, never an absolute time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Case:
    """One studykit-versus-torch comparison."""

    group: str
    name: str
    studykit: Callable[[], object]
    torch: Callable[[], object]
    target: float | None  # the largest acceptable ratio, or None for "report only"
    deterministic: bool = True  # False for random outputs (dropout): not compared with torch


def synchronize(device: torch.device) -> None:
    """Wait for queued kernels so wall-clock time measures the work."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def _timed(fn: Callable[[], object], device: torch.device) -> float:
    start = time.perf_counter()
    fn()
    synchronize(device)
    return time.perf_counter() - start


def best_times(
    ours: Callable[[], object],
    theirs: Callable[[], object],
    device: torch.device,
    repeats: int,
    budget: float,
) -> tuple[float, float]:
    """The fastest run of each function, alternating them so both see the same machine load.

    One warm-up run each first; stops early once ``budget`` seconds have been spent.
    """
    _timed(ours, device)
    _timed(theirs, device)
    best_ours = best_theirs = float("inf")
    spent = 0.0
    for _ in range(repeats):
        a, b = _timed(ours, device), _timed(theirs, device)
        best_ours, best_theirs = min(best_ours, a), min(best_theirs, b)
        spent += a + b
        if spent > budget:
            break
    return best_ours, best_theirs
