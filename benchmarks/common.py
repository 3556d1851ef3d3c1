"""The benchmark case type and the timing loop shared by every case file.

A case pairs a studykit call with the torch call it mirrors, on the same inputs, in the same
process. The runner reports ``time(studykit) / time(torch)``: a ratio, never an absolute time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    # A timing reference, not a re-implementation: the part of the work that no implementation
    # from tensor primitives can skip, timed against the same torch call (not compared with it).
    floor: bool = False
    # A different target under some CPU ISAs, as (torch's capability name, target) pairs, for a
    # case whose primitives are measurably slower there (the case file says why).
    isa_targets: tuple[tuple[str, float | None], ...] = ()
    # Under some ISAs, (name, factor) pairs: the target is the ratio measured for the floor case
    # named ``floor_case`` (same run) times the factor, or the plain target if that is larger.
    # For a case whose one unavoidable primitive is itself slower than torch's whole kernel on
    # some machines, by a factor that varies with the CPU and its load (so no fixed target
    # would be honest).
    isa_floor_factors: tuple[tuple[str, float], ...] = ()
    floor_case: str = ""

    def target_for(self, isa: str | None, floor_ratio: float | None = None) -> float | None:
        """The target under ``isa`` (torch's capability name; None: not a CPU run).

        ``floor_ratio`` is the ratio measured for ``floor_case``; without it a floor factor
        cannot apply and the plain target does. A floor only relaxes a target: where the floor
        is cheap, the plain target stands.
        """
        if not isa:
            return self.target
        plain = dict(self.isa_targets).get(isa.upper(), self.target)
        factor = dict(self.isa_floor_factors).get(isa.upper())
        if factor is not None and floor_ratio is not None:
            return floor_ratio * factor if plain is None else max(plain, floor_ratio * factor)
        return plain


def append_history(path: Path, line: str) -> None:
    """Add ``line`` to the history file (created if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as history:
        history.write(line + "\n")


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
