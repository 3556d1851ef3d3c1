"""Run every benchmark case: studykit time / torch time, printed as a table and saved as JSON.

Usage::

    python -m benchmarks.run [--device cpu] [--scale 1.0] [--repeats 30] [--rounds 3] [--only GROUP]
        [--json benchmarks/results/latest.json]

``--scale`` shrinks every problem (0.01 makes a quick smoke run); the targets are meant for
``--scale 1``. Each case is measured in ``--rounds`` rounds (every case once per round) and the
median of the rounds' ratios is reported, with their range. The exit status is 0 even when a
target is missed: the table says which.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import platform
import statistics
import sys
from pathlib import Path

import torch

import benchmarks
from benchmarks.common import Case, best_times


def load_cases(device: torch.device, scale: float, only: str | None) -> list[Case]:
    """Collect ``cases(device, scale)`` from every ``benchmarks/cases_*.py`` module."""
    found: list[Case] = []
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda i: i.name):
        if not info.name.startswith("cases_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        found.extend(c for c in module.cases(device, scale) if only in (None, c.group))
    return found


def measure(
    cases: list[Case], device: torch.device, repeats: int, rounds: int
) -> list[dict[str, object]]:
    """Time every case ``rounds`` times (all cases per round) and return one row per case.

    A round's ratio is the best studykit time over the best torch time, the two timed
    alternately. The reported ratio is the median over rounds: on a shared machine a burst of
    load can spoil one round of one case, and the median does not let it decide the verdict.
    """
    ratios: list[list[float]] = [[] for _ in cases]
    times: list[tuple[float, float]] = [(float("inf"), float("inf"))] * len(cases)
    for _ in range(rounds):
        for i, case in enumerate(cases):
            with torch.no_grad():
                ours, theirs = best_times(case.studykit, case.torch, device, repeats, budget=5.0)
            ratios[i].append(ours / theirs)
            times[i] = (min(times[i][0], ours), min(times[i][1], theirs))
    rows: list[dict[str, object]] = []
    for case, case_ratios, (ours, theirs) in zip(cases, ratios, times, strict=True):
        ratio = statistics.median(case_ratios)
        ok = None if case.target is None else ratio <= case.target
        rows.append(
            {
                "group": case.group,
                "name": case.name,
                "studykit_s": ours,
                "torch_s": theirs,
                "ratio": ratio,
                "round_ratios": case_ratios,
                "target": case.target,
                "met": ok,
            }
        )
        status = "report" if ok is None else ("ok" if ok else "MISSED")
        target = "-" if case.target is None else f"<= {case.target:g}x"
        spread = f"{min(case_ratios):.2f}-{max(case_ratios):.2f}"
        print(
            f"{case.group:<14} {case.name:<44} {ratio:8.2f}x  {spread:>11}  {target:>8}  {status}",
            flush=True,
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the cases, print the table and write the JSON report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="run one group only")
    parser.add_argument("--json", default="benchmarks/results/latest.json")
    args = parser.parse_args(argv)
    device = torch.device(args.device)
    torch.manual_seed(0)
    cases = load_cases(device, args.scale, args.only)
    if not cases:
        print(f"no benchmark cases matched --only {args.only!r}", file=sys.stderr)
        return 2
    print(f"{'group':<14} {'case':<44} {'ratio':>9}  {'rounds':>11}  {'target':>8}  status")
    rows = measure(cases, device, args.repeats, args.rounds)
    report = {
        "device": str(device),
        "scale": args.scale,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        # The vector ISA torch's CPU kernels use (AVX2, AVX512, ...): ratios depend on it, because
        # torch's fused kernels and the primitives ours are built from do not speed up alike.
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "rounds": args.rounds,
        "rows": rows,
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    missed = [r["name"] for r in rows if r["met"] is False]
    print(f"\n{len(rows)} cases, {len(missed)} missed a target; JSON written to {out}")
    print(f"(torch {torch.__version__}, CPU kernels: {report['cpu_capability']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
