"""Question-engine throughput: variants generated, keyed and rendered per second, and verify time.

Usage::

    python -m benchmarks.questions [--seeds 50] [--json benchmarks/results/questions.json]

Runs on one core (``torch.set_num_threads(1)``). Besides the absolute rates it reports a ratio to
a reference run in the same process, so numbers from different machines can be compared: one
"torch call" is the time of ``F.mse_loss`` on two 3-element float64 tensors, a typical small
operation of a key, and each variant's cost is given in those units.

Targets (issue 4, restated by issue 15): at least 2,500 variants/s across the bank on one
core; ``verify`` of the whole bank at 50 seeds in under 60 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

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


PHASES = ("draw", "prompt", "key", "solution")


def phase_seconds(templates: list[Template], seeds: range) -> dict[str, float]:
    """Seconds per variant in each phase of generating, keying and rendering it.

    The phases: drawing the parameters, rendering the prompt, computing the key (with its
    intermediate values) and rendering the worked solution. Their sum is the time one variant
    costs; every template runs for every seed. A prompt with computed options
    (``choices: auto``) needs the key, so those variants pay for it there.
    """
    for template in templates:  # warm-up: imports and first-call costs
        solve(make_variant(template, 0)).solution()
    clock = time.perf_counter
    totals = dict.fromkeys(PHASES, 0.0)
    count = 0
    for seed in seeds:
        for template in templates:
            start = clock()
            variant = make_variant(template, seed)
            drawn = clock()
            variant.prompt()
            prompted = clock()
            solved = solve(variant)
            keyed = clock()
            solved.solution()
            done = clock()
            totals["draw"] += drawn - start
            totals["prompt"] += prompted - drawn
            totals["key"] += keyed - prompted
            totals["solution"] += done - keyed
            count += 1
    return {phase: seconds / count for phase, seconds in totals.items()}


def main(argv: list[str] | None = None) -> int:
    """Measure, print a short table and write the JSON report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.questions")
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--json", default="benchmarks/results/questions.json")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    bank = load_bank(default_questions_dir())
    templates = bank.by_topic()
    unit = reference_call_seconds()
    phases = phase_seconds(templates, range(1000, 1000 + args.seeds))
    rate = 1 / sum(phases.values())
    start = time.perf_counter()
    report = verify_templates(templates, range(args.seeds))
    verify_seconds = time.perf_counter() - start
    rows = {
        "templates": len(templates),
        "variants_per_second": rate,
        "variant_cost_in_torch_calls": (1 / rate) / unit,
        "reference_torch_call_us": unit * 1e6,
        "phase_us": {phase: seconds * 1e6 for phase, seconds in phases.items()},
        "verify_seconds": verify_seconds,
        "verify_variants": report.variants,
        "verify_failures": report.failed_variants,
        "targets": {"variants_per_second": 2500, "verify_seconds": 60},
    }
    print(f"templates                     {len(templates)}")
    print(f"variants/s (one core)         {rate:,.0f}   target >= 2,500")
    print(f"variant cost                  {rows['variant_cost_in_torch_calls']:.1f} torch calls")
    split = ", ".join(f"{phase} {seconds * 1e6:.0f}" for phase, seconds in phases.items())
    print(f"  per variant (us)            {split}")
    print(f"verify, {args.seeds} seeds            {verify_seconds:.1f} s   target < 60 s")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
