"""The question engine of the working tree against a git revision, measured in turns.

Usage::

    python -m benchmarks.questions_against REV [--rounds 100] [--seeds 2] [--json FILE]

(``FILE`` defaults to ``benchmarks/results/questions_against.json``.)

This virtual machine's speed drifts by a factor of two over an afternoon and by a quarter from
one second to the next, so two runs of `benchmarks.questions` taken minutes apart cannot tell a
5% change from the weather. This runs both versions at once, in two worker processes on one core
each (``torch.set_num_threads(1)``) that take turns: in every round one of them draws, renders,
keys and renders the solution of ``--seeds`` seeds of its whole bank, then the other does the
same seeds; which one goes first alternates. Both see the same machine within a fraction of a
second, so each round gives a fair ratio (the working tree's time over the revision's), and the
report is the median of those ratios with its quartiles, and each phase's median time.

The revision is checked out in a temporary git worktree, removed afterwards; each worker imports
studykit and loads the question bank from its own tree. The workers use only the engine's public
calls (``load_bank``, ``make_variant``, ``solve``, ``prompt``, ``solution``), so any revision
that has them can be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from benchmarks.phases import PHASES

ROOT = Path(__file__).resolve().parent.parent

# What each worker runs, in its own tree: warm up, say "ready", then time one round per line of
# input (the first seed of the round) and answer with the seconds per variant of each phase.
# The timed loop is this tree's `benchmarks.phases`, loaded by its path (the other tree's
# ``benchmarks`` package may differ), so both versions run the very same loop.
WORKER = """
import importlib.util, sys
import torch
torch.set_num_threads(1)
from studykit.questions.commands import default_questions_dir
from studykit.questions.template import load_bank
spec = importlib.util.spec_from_file_location("studykit_benchmark_phases", sys.argv[2])
phases = importlib.util.module_from_spec(spec)
spec.loader.exec_module(phases)
templates = load_bank(default_questions_dir()).by_topic()
count = int(sys.argv[1])
for first in range(1000, 1020, count):
    phases.phase_seconds(templates, range(first, first + count))
print("ready", flush=True)
for line in sys.stdin:
    first = int(line)
    times = phases.phase_seconds(templates, range(first, first + count)).values()
    print(" ".join(repr(t) for t in times), flush=True)
"""


class Worker:
    """One version's worker process, started in ``tree``."""

    def __init__(self, tree: Path, seeds: int) -> None:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(seeds), str(Path(__file__).with_name("phases.py"))],
            cwd=tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        return self.process.stdin, self.process.stdout

    def ready(self) -> None:
        """Wait for the warm-up (raises if the worker could not start)."""
        line = self._pipes()[1].readline().strip()
        if line != "ready":
            raise RuntimeError("a worker did not start (see its error above)")

    def round(self, first: int) -> list[float]:
        """Seconds per variant of each phase, over the seeds from ``first``."""
        stdin, stdout = self._pipes()
        stdin.write(f"{first}\n")
        stdin.flush()
        return [float(t) for t in stdout.readline().split()]

    def close(self) -> None:
        """End the worker (it stops at the end of its input)."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def compare(base: Path, head: Path, rounds: int, seeds: int) -> dict[str, Any]:
    """Alternate rounds between the two trees; the per-round ratios and the phase medians."""
    workers = [Worker(base, seeds), Worker(head, seeds)]
    try:
        for worker in workers:
            worker.ready()
        times: list[list[list[float]]] = [[], []]
        for turn in range(rounds):
            first = 1000 + (turn * seeds) % 20
            order = (0, 1) if turn % 2 == 0 else (1, 0)
            for index in order:
                times[index].append(workers[index].round(first))
    finally:
        for worker in workers:
            worker.close()
    ratios = [sum(h) / sum(b) for b, h in zip(times[0], times[1], strict=True)]
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
    return {
        "rounds": rounds,
        "seeds_per_round": seeds,
        "ratio_median": statistics.median(ratios),
        "ratio_quartiles": [quartiles[0], quartiles[-1]],
        "phase_us": {
            side: {
                phase: statistics.median(r[i] for r in runs) * 1e6 for i, phase in enumerate(PHASES)
            }
            for side, runs in zip(("revision", "working tree"), times, strict=True)
        },
    }


def _worktree(revision: str, where: Path) -> None:
    """Check ``revision`` out at ``where`` (a one-line error if git cannot)."""
    done = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), revision],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        problem = (done.stderr.strip().splitlines() or ["git failed"])[-1]
        raise SystemExit(f"benchmarks.questions_against: {revision}: {problem}")


def main(argv: list[str] | None = None) -> int:
    """Compare, print a short table and write the JSON report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.questions_against")
    parser.add_argument("revision", help="the git revision to compare against (HEAD, a sha)")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=2, help="seeds of the whole bank per round")
    parser.add_argument("--json", default="benchmarks/results/questions_against.json")
    args = parser.parse_args(argv)
    if args.rounds < 1 or not 1 <= args.seeds <= 20:
        parser.error("--rounds must be at least 1 and --seeds from 1 to 20")
    with tempfile.TemporaryDirectory(prefix="studykit-against-") as scratch:
        tree = Path(scratch) / "tree"
        _worktree(args.revision, tree)
        try:
            report = compare(tree, ROOT, args.rounds, args.seeds)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                capture_output=True,
            )
    report["revision"] = args.revision
    low, high = report["ratio_quartiles"]
    print(f"working tree / {args.revision}: {report['ratio_median']:.3f} of the time per variant")
    print(f"  quartiles of the {args.rounds} paired rounds: {low:.3f} to {high:.3f}")
    for side, phases in report["phase_us"].items():
        row = ", ".join(f"{phase} {us:.0f}" for phase, us in phases.items())
        print(f"  {side:12} µs per variant (medians): {row}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
