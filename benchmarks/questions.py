"""Question-engine throughput: variants generated, keyed and rendered per second, and verify time.

Usage::

    python -m benchmarks.questions [--seeds 50] [--rounds 3] [--json FILE]
        [--history benchmarks/questions_history.jsonl | --no-history]

(``FILE`` defaults to ``benchmarks/results/questions.json``.) Each run also appends one line to
the tracked history (the date, the revision, the CPU, the rates, the cost in both reference
units and whether the targets held), so readings taken on different days and machines sit side
by side; ``--no-history`` skips it (tests use it: they must not write into the tree).

Runs on one core (``torch.set_num_threads(1)``). Besides the absolute rates it reports a ratio to
a reference run in the same process, so numbers from different machines (or from one virtual
machine at different times: this one's speed varies by a factor of two over an afternoon) can be
compared: one "torch call" is the time of ``F.mse_loss`` on two 3-element float64 tensors, a
typical small operation of a key, read around every round, and each variant's cost is given in
those units (the lowest of the rounds).

The bank runs ``--rounds`` times and the fastest round is reported, with the slowest beside it:
on a shared virtual machine a round can be slowed by a neighbour by a quarter or more, and the
fastest round is the closest reading of what the code itself costs (the convention of
``timeit``). Each round runs every template for every seed.

Targets (issue 4, restated by issue 15): at least 2,500 variants/s across the bank on one
core; ``verify`` of the whole bank at 50 seeds in under 60 s.

It also splits each variant's time in two: the time spent inside the functions a key calls
(the reference implementations, torch, the procedures: the *computation*, which no engine can
skip) and the rest (drawing, guards, rendering, building the key: the *engine*). The first
bounds the rate from above: even an engine that cost nothing would not exceed
``1 / computation`` variants/s.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from benchmarks.common import append_history
from benchmarks.phases import phase_seconds
from studykit.questions import compute
from studykit.questions.commands import default_questions_dir
from studykit.questions.template import Template, load_bank
from studykit.questions.variant import make_variant, solve
from studykit.questions.verify import verify_templates


def reference_call_seconds(repeats: int = 20000) -> float:
    """Seconds per ``F.mse_loss`` on tiny tensors: the unit the variant cost is reported in."""
    a = torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64)
    b = torch.tensor([0.0, 1.0, 1.0], dtype=torch.float64)
    start = time.perf_counter()
    for _ in range(repeats):
        F.mse_loss(a, b)
    return (time.perf_counter() - start) / repeats


def reference_python_seconds(repeats: int = 20000) -> float:
    """Seconds per ``sum(i * i for i in range(100))``: the unit of pure Python work.

    Most of a variant's engine is Python, not torch, and this virtual machine's Python speed
    drifts on its own (by a factor of about 1.7 over an afternoon), so the cost is also given
    in this unit, read around every round like the torch call.
    """
    start = time.perf_counter()
    for _ in range(repeats):
        sum(i * i for i in range(100))
    return (time.perf_counter() - start) / repeats


# The guards every call of an expression goes through (``_call1``: one argument, no keyword).
CALL_GUARDS = ("_call", "_call1")


def fastest_round(
    templates: list[Template], seeds: range, rounds: int
) -> tuple[dict[str, float], list[float], list[float], list[float]]:
    """The fastest round's phases; each round's seconds per variant, torch call and Python loop.

    The reference call is read around each round (the mean of one reading before it and one
    after it): a machine that slows down or speeds up during the run slows both alike, so each
    round's cost in reference calls stays comparable when its seconds do not.
    """
    for template in templates:  # warm-up: imports (charts, on a first fence) and first calls
        for seed in seeds[:3]:
            variant = make_variant(template, seed)
            variant.prompt()
            solve(variant).solution()
    readings, units, loops = [], [], []
    for _ in range(max(rounds, 1)):
        before, loop_before = reference_call_seconds(5000), reference_python_seconds(5000)
        readings.append(phase_seconds(templates, seeds))
        units.append((before + reference_call_seconds(5000)) / 2)
        loops.append((loop_before + reference_python_seconds(5000)) / 2)
    totals = [sum(reading.values()) for reading in readings]
    return readings[totals.index(min(totals))], totals, units, loops


def computation_seconds(templates: list[Template], seeds: range) -> float:
    """Seconds per variant spent inside the functions that the keys' expressions call.

    Every call an expression makes goes through a call guard of its scope (``CALL_GUARDS``); for
    the length of this measurement the studykit scope's guards are wrapped so that the outermost
    call of each expression is timed (the function itself, not the guard around it). Nested
    calls are inside it. Operators between tensors (``a * b``) are not counted, so this is a
    lower bound.
    """
    compute.prepare()
    scope = compute._SCOPES["studykit"]  # the scope every key is evaluated in
    guards = {name: scope[name] for name in CALL_GUARDS}
    clock = time.perf_counter
    inside = [0.0]
    depth = [0]

    def timed(function: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            depth[0] += 1
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    inside[0] += clock() - start

        return call

    def counting(guard: Any) -> Any:
        def counting_guard(function: Any, /, *args: Any, **kwargs: Any) -> Any:
            return guard(timed(function) if callable(function) else function, *args, **kwargs)

        return counting_guard

    count = 0
    scope.update({name: counting(guard) for name, guard in guards.items()})
    try:
        for seed in seeds:
            for template in templates:
                solve(make_variant(template, seed))
                count += 1
    finally:
        scope.update(guards)
    return inside[0] / count


HISTORY = Path(__file__).resolve().parent / "questions_history.jsonl"
_HISTORY_KEYS = (
    "templates", "seeds", "rounds", "variants_per_second", "slowest_round_variants_per_second",
    "variant_cost_in_python_loops", "variant_cost_in_torch_calls", "reference_python_loop_us",
    "computation_us", "engine_us", "verify_seconds", "targets_met",
)  # fmt: skip


def revision() -> str:
    """The checkout's commit (short), with ``+changes`` when the tree differs from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.strip()  # fmt: skip
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+changes" if changed else "")


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux), else what `platform` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def history_line(rows: dict[str, Any], now: datetime | None = None) -> str:
    """One JSON line (keys sorted, numbers rounded) for the history of this benchmark."""
    record: dict[str, Any] = {key: rows[key] for key in _HISTORY_KEYS}
    for key, value in record.items():
        if isinstance(value, float):
            record[key] = round(value, 1 if value >= 10 else 3)
    record["reference_python_loop_us"] = [round(v, 2) for v in rows["reference_python_loop_us"]]
    record["date"] = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    record.update(revision=revision(), cpu=cpu_model(), torch=torch.__version__)
    record["python"] = platform.python_version()
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def main(argv: list[str] | None = None) -> int:
    """Measure, print a short table, write the JSON report and append to the history."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.questions")
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="report the fastest of these")
    parser.add_argument("--json", default="benchmarks/results/questions.json")
    parser.add_argument("--history", default=str(HISTORY), help="the JSON-lines history file")
    parser.add_argument("--no-history", action="store_true", help="do not append to it")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    bank = load_bank(default_questions_dir())
    templates = bank.by_topic()
    seeds = range(1000, 1000 + args.seeds)
    phases, rounds, units, loops = fastest_round(templates, seeds, args.rounds)
    rate = 1 / sum(phases.values())
    costs = [seconds / unit for seconds, unit in zip(rounds, units, strict=True)]
    unit = units[rounds.index(min(rounds))]
    in_loops = [seconds / loop for seconds, loop in zip(rounds, loops, strict=True)]
    computation = min(computation_seconds(templates, seeds) for _ in range(max(args.rounds, 1)))
    engine = sum(phases.values()) - computation
    start = time.perf_counter()
    report = verify_templates(templates, range(args.seeds))
    verify_seconds = time.perf_counter() - start
    slowest = 1 / max(rounds)
    rows = {
        "templates": len(templates),
        "seeds": args.seeds,
        "rounds": len(rounds),
        "variants_per_second": rate,
        "slowest_round_variants_per_second": slowest,
        "rounds_variants_per_second": [1 / seconds for seconds in rounds],
        "variant_cost_in_torch_calls": min(costs),
        "rounds_cost_in_torch_calls": costs,
        "variant_cost_in_python_loops": min(in_loops),
        "rounds_cost_in_python_loops": in_loops,
        "reference_python_loop_us": [loop * 1e6 for loop in loops],
        "reference_torch_call_us": unit * 1e6,
        "phase_us": {phase: seconds * 1e6 for phase, seconds in phases.items()},
        "computation_us": computation * 1e6,
        "engine_us": engine * 1e6,
        "rate_with_a_free_engine": 1 / computation,
        "engine_budget_us_at_target": 1e6 / 2500 - computation * 1e6,
        "verify_seconds": verify_seconds,
        "verify_variants": report.variants,
        "verify_failures": report.failed_variants,
        "targets": {"variants_per_second": 2500, "verify_seconds": 60},
        "targets_met": rate >= 2500 and verify_seconds < 60 and report.failed_variants == 0,
    }
    print(f"templates                     {len(templates)}")
    print(f"variants/s (one core)         {rate:,.0f}   target >= 2,500")
    print(f"  fastest of {len(rounds)} rounds; the slowest {slowest:,.0f}")
    print(
        f"variant cost                  {min(costs):.1f} torch calls (reference call "
        f"{unit * 1e6:.1f} us; rounds {', '.join(f'{c:.1f}' for c in costs)})"
    )
    print(
        f"                              {min(in_loops):.1f} Python loops (loop "
        f"{min(loops) * 1e6:.2f}-{max(loops) * 1e6:.2f} us; rounds "
        f"{', '.join(f'{c:.1f}' for c in in_loops)})"
    )
    split = ", ".join(f"{phase} {seconds * 1e6:.0f}" for phase, seconds in phases.items())
    print(f"  per variant (us)            {split}")
    print(
        f"  computation {computation * 1e6:.0f} us (at most {1 / computation:,.0f}/s with a free "
        f"engine), engine {engine * 1e6:.0f} us; at 2,500/s the engine may take "
        f"{1e6 / 2500 - computation * 1e6:.0f} us"
    )
    print(f"verify, {args.seeds} seeds            {verify_seconds:.1f} s   target < 60 s")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    if not args.no_history:
        append_history(Path(args.history), history_line(rows))
        print(f"history: appended to {args.history}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
