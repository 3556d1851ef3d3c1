"""Which vector ISAs (instruction sets) torch's CPU kernels can be told to use on this machine.

torch compiles most CPU kernels several times (plain C++, AVX2, AVX-512 on x86) and picks one at
start-up; the environment variable ``ATEN_CPU_CAPABILITY`` (``default``, ``avx2``, ``avx512``)
lowers that choice. The benchmark ratios depend on it, because torch's fused kernels and the
primitives studykit builds on do not speed up alike, so ``python -m benchmarks.run --all-isas``
runs the cases once per ISA, each in a fresh process.

torch does not check the hardware when told: ``ATEN_CPU_CAPABILITY=avx512`` on a CPU without
AVX-512 dies with "Illegal instruction" at the first such kernel. So the ISAs offered are the
ones at or below what torch picks by itself (``detect_capability``), and, on Linux, only those
whose instructions ``/proc/cpuinfo`` lists.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = [
    "ENV",
    "KNOWN",
    "detect_capability",
    "machine_isas",
    "parse_cpu_flags",
    "parse_isa_list",
    "supported_isas",
]

ENV = "ATEN_CPU_CAPABILITY"
X86_ORDER = ("default", "avx2", "avx512")  # each level runs only where the next lower one does
KNOWN = (*X86_ORDER, "sve256", "vsx", "zvector")  # the values torch reads from ENV
# The CPU flags torch's own check requires before it picks each x86 level.
REQUIRED_FLAGS = {
    "avx2": frozenset({"avx2", "fma"}),
    "avx512": frozenset({"avx512f", "avx512bw", "avx512vl", "avx512dq", "fma"}),
}
CPUINFO = Path("/proc/cpuinfo")


def parse_isa_list(text: str) -> list[str]:
    """``"default, AVX2"`` as ``["default", "avx2"]``: torch's names, lower case, in order.

    Raises:
        ValueError: One line naming the empty, unknown or repeated entry.
    """
    names = [part.strip().lower() for part in text.split(",")]
    if not text.strip() or any(not name for name in names):
        raise ValueError(f"--isas: empty entry in {text!r}; give names like default,avx2")
    for name in names:
        if name not in KNOWN:
            raise ValueError(f"--isas: unknown ISA {name!r}; torch knows {', '.join(KNOWN)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"--isas: {repeated[0]!r} is listed twice")
    return names


def parse_cpu_flags(cpuinfo: str) -> frozenset[str]:
    """The feature flags of the first CPU in ``/proc/cpuinfo`` text (``flags`` or ``Features``)."""
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("flags", "Features"):
            return frozenset(value.lower().split())
    return frozenset()


def supported_isas(detected: str, flags: frozenset[str] | None) -> list[str]:
    """The ISAs to run, lowest first, given torch's own pick and the CPU flags (None: unknown).

    On x86 that is every level up to torch's pick whose flags the CPU has; elsewhere the plain
    kernels and torch's pick.

    Examples:
        >>> supported_isas("AVX2", frozenset({"avx2", "fma"}))
        ['default', 'avx2']
    """
    pick = detected.strip().lower()
    if pick not in X86_ORDER:
        return ["default"] if pick in ("", "default") else ["default", pick]
    levels = list(X86_ORDER[: X86_ORDER.index(pick) + 1])
    if flags is None:
        return levels
    return [isa for isa in levels if REQUIRED_FLAGS.get(isa, frozenset()) <= flags]


def detect_capability(python: str = sys.executable) -> str:
    """The ISA torch picks by itself, asked in a child without ``ATEN_CPU_CAPABILITY`` set."""
    env = {key: value for key, value in os.environ.items() if key != ENV}
    code = "import torch; print(torch.backends.cpu.get_cpu_capability())"
    done = subprocess.run(
        [python, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def machine_isas() -> list[str]:
    """``supported_isas`` for this machine: torch's pick and, where readable, ``/proc/cpuinfo``."""
    try:
        flags: frozenset[str] | None = parse_cpu_flags(CPUINFO.read_text())
    except OSError:
        flags = None
    return supported_isas(detect_capability(), flags or None)
