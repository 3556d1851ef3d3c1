"""Benchmark: the scalar ``Value`` engine against torch autograd on 0-d float64 tensors.

Both sides build the same graph of about ``10_000 * scale`` scalar nodes, a chain of small
neurons ``h = tanh(h * w_k + 0.1)`` over eight shared weights, and run ``backward()`` through it.
Both are scalar-at-a-time engines, so the ratio shows per-node overhead (Python objects versus
torch's dispatcher and autograd nodes), not arithmetic speed; it is report-only. The torch side
runs on the CPU whatever ``--device`` says: a graph of scalars is not GPU work, and 0-d float64 is
unsupported on MPS.
"""

from __future__ import annotations

import torch

from benchmarks.common import Case
from studykit.autograd import Value

_WEIGHTS = (0.9, -1.1, 0.7, 1.3, -0.8, 1.05, 0.95, -1.2)
_NODES_PER_STEP = 3  # mul, add, tanh


def _value_graph(steps: int) -> float:
    weights = [Value(w) for w in _WEIGHTS]
    h = Value(0.5)
    for k in range(steps):
        h = (h * weights[k % len(weights)] + 0.1).tanh()
    h.backward()
    return weights[0].grad


def _torch_graph(steps: int) -> float:
    # The runner times inside torch.no_grad(); autograd must be switched back on to record.
    with torch.enable_grad():
        weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in _WEIGHTS]
        h = torch.tensor(0.5, dtype=torch.float64)
        for k in range(steps):
            h = (h * weights[k % len(weights)] + 0.1).tanh()
        h.backward()
    grad = weights[0].grad
    assert grad is not None
    return float(grad)


def cases(device: torch.device, scale: float) -> list[Case]:
    """One report-only case: forward + backward of a ~10,000-node scalar graph."""
    del device  # scalar graphs run on the CPU on both sides
    steps = max(1, int(10_000 * scale) // _NODES_PER_STEP)
    nodes = steps * _NODES_PER_STEP + len(_WEIGHTS) + 1
    return [
        Case(
            group="autograd",
            name=f"Value fwd+bwd, {nodes}-node scalar graph",
            studykit=lambda: _value_graph(steps),
            torch=lambda: _torch_graph(steps),
            target=None,
        )
    ]
