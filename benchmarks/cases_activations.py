"""Benchmark cases for studykit.activations: about a million elements each, target 2x torch.

Two targets differ, each with a report-only "floor" case beside it that times the part of the
work no implementation from tensor primitives can skip, against the same torch call:

- ``leaky_relu``, at most 2.5x: torch's kernel makes one pass (read x, write the output), ours
  two (``a * x`` into the output, then the ``maximum`` of x and it): no single primitive picks
  between x and ``a * x``. That is five units of memory traffic against two; with the AVX2
  kernels the floor, one such pass alone, runs at 0.97-1.00x torch, so two passes sit at about
  2x before any overhead (measured 1.9-2.1x; the issue saw 2.02x with AVX-512).
- ``tanh``: keeping every digit near 0 needs ``expm1`` (see ``studykit.activations.tanh``),
  and on some CPUs ``expm1`` alone costs several times torch's whole ``tanh``. Under the plain
  (DEFAULT, non-vector) kernels it costs 3x to 14x on a 2-vCPU AMD EPYC (the factor grows with
  machine load) and 24x on a 2-vCPU Intel Xeon with AVX-512; with the vector kernels it is
  below 1x on that EPYC but 6.0x (AVX2) and 4.5x (AVX-512) on that Xeon, whose ``tanh`` is
  about two plain passes over memory. One in-place arithmetic pass costs 0.1x to 0.4x. Routes
  around ``expm1`` cost as much or lose the digits: ``exp`` and ``log`` with Kahan's
  correction, 5.2x; ``(1 - e^{-2|x|}) / (1 + e^{-2|x|})``, seven passes (3.5x and more) and
  wrong near 0. So the target is a multiple of the floor's ratio in the same run (paired
  round by round: ``run.floor_ratio``), and never below the plain 2x. The four in-place passes
  after ``expm1`` cost 12% to 40% more under the plain kernels (factor 1.5); with the vector
  kernels, where ``expm1`` is cheaper, each pass weighs more: 1.29 to 1.42 times the floor
  with AVX2 and 1.38 to 1.64 with AVX-512 in three runs on the Xeon (factor 1.75). Where
  ``expm1`` is fast the 2x target is what applies.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from benchmarks.common import Case
from studykit import activations as A

TARGET = 2.0
LEAKY_RELU_TARGET = 2.5  # two passes over memory against torch's one (see above)
TANH_FLOOR = "tanh floor: expm1(2x) alone (report only)"
# expm1 alone is several times torch.tanh under these kernels on some CPUs (see above)
TANH_FLOOR_FACTORS = (("DEFAULT", 1.5), ("AVX2", 1.75), ("AVX512", 1.75))


def cases(device: torch.device, scale: float) -> list[Case]:
    """One case per activation, forward only, on ``1e6 * scale`` elements, and the floors."""
    n = max(16, int(1_000_000 * scale))
    x = torch.randn(n, device=device) * 3
    rows = x[: (n // 100) * 100].reshape(-1, 100)
    group = "activations"
    return [
        Case(group, "sigmoid", lambda: A.sigmoid(x), lambda: torch.sigmoid(x), TARGET),
        Case(
            group,
            "tanh",
            lambda: A.tanh(x),
            lambda: torch.tanh(x),
            TARGET,
            isa_floor_factors=TANH_FLOOR_FACTORS,
            floor_case=TANH_FLOOR,
        ),
        Case(
            group,
            TANH_FLOOR,
            lambda: torch.mul(x, 2).expm1_(),
            lambda: torch.tanh(x),
            None,
            floor=True,
        ),
        Case(group, "relu", lambda: A.relu(x), lambda: F.relu(x), TARGET),
        Case(
            group,
            "leaky_relu",
            lambda: A.leaky_relu(x),
            lambda: F.leaky_relu(x),
            LEAKY_RELU_TARGET,
        ),
        Case(
            group,
            "leaky_relu floor: one pass x*a (report only)",
            lambda: torch.mul(x, 0.01),
            lambda: F.leaky_relu(x),
            None,
            floor=True,
        ),
        Case(
            group,
            "softmax (rows of 100)",
            lambda: A.softmax(rows, dim=1),
            lambda: F.softmax(rows, dim=1),
            TARGET,
        ),
        Case(
            group,
            "log_softmax (rows of 100)",
            lambda: A.log_softmax(rows, dim=1),
            lambda: F.log_softmax(rows, dim=1),
            TARGET,
        ),
    ]
