"""Run every benchmark case: studykit time / torch time, printed as a table and saved as JSON.

Usage::

    python -m benchmarks.run [--device cpu] [--scale 1.0] [--repeats 30] [--rounds 3] [--only GROUP]
        [--json benchmarks/results/latest.json] [--all-isas | --isas default,avx2] [--list-isas]
        [--history benchmarks/history.jsonl | --no-history]

``--scale`` shrinks every problem (0.01 makes a quick smoke run); the targets are meant for
``--scale 1``. Each case is measured in ``--rounds`` rounds (every case once per round) and the
median of the rounds' ratios is reported, with their range. The exit status is 0 even when a
target is missed: the table says which.

``--all-isas`` runs the cases once per vector ISA torch can use on this CPU (``default``,
``avx2``, ``avx512``: see ``benchmarks/isas.py``), each in its own process with
``ATEN_CPU_CAPABILITY`` set, then prints every case's ratio per ISA and its worst; a case meets
its target only if it does under every ISA. ``--isas`` picks the ISAs by name. Its JSON holds
each ISA's own report under ``runs`` and, under ``rows``, every case's ratio per ISA and worst.

Every run at ``--scale 1`` appends one JSON line (date, torch, ISAs, ratios, verdict) to
``--history`` (the tracked ``benchmarks/history.jsonl``), so a regression shows as a diff;
``--no-history`` skips it (tests use it: they must not write into the tree).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import torch

import benchmarks
from benchmarks import isas as isa_list
from benchmarks.common import Case, append_history, best_times
from benchmarks.summary import format_table, history_line, verdict, worst_rows

HISTORY = Path(__file__).resolve().parent / "history.jsonl"


def load_cases(device: torch.device, scale: float, only: str | None) -> list[Case]:
    """Collect ``cases(device, scale)`` from every ``benchmarks/cases_*.py`` module."""
    found: list[Case] = []
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda i: i.name):
        if not info.name.startswith("cases_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        found.extend(c for c in module.cases(device, scale) if only in (None, c.group))
    return found


def floor_ratio(
    ratio: float, rounds: list[float], floor_rounds: list[float] | None
) -> float | None:
    """The floor case's ratio as seen beside ``ratio``: paired round by round.

    A case and its floor are timed one after the other in every round, so within a round they
    see the same machine load; the median over rounds of their quotient is what the load does
    not move. Returns ``ratio`` divided by that quotient (None without a floor case).
    """
    if not floor_rounds:
        return None
    return ratio / statistics.median(c / f for c, f in zip(rounds, floor_rounds, strict=True))


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
    isa = torch.backends.cpu.get_cpu_capability() if device.type == "cpu" else None
    by_name = {case.name: r for case, r in zip(cases, ratios, strict=True)}
    rows: list[dict[str, object]] = []
    for case, case_ratios, (ours, theirs) in zip(cases, ratios, times, strict=True):
        ratio = statistics.median(case_ratios)
        goal = case.target_for(isa, floor_ratio(ratio, case_ratios, by_name.get(case.floor_case)))
        ok = None if goal is None else ratio <= goal
        rows.append(
            {
                "group": case.group,
                "name": case.name,
                "studykit_s": ours,
                "torch_s": theirs,
                "ratio": ratio,
                "round_ratios": case_ratios,
                "target": goal,
                "met": ok,
            }
        )
        status = "report" if ok is None else ("ok" if ok else "MISSED")
        target = "-" if goal is None else f"<= {goal:.3g}x"
        spread = f"{min(case_ratios):.2f}-{max(case_ratios):.2f}"
        print(
            f"{case.group:<14} {case.name:<44} {ratio:8.2f}x  {spread:>11}  {target:>8}  {status}",
            flush=True,
        )
    return rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; ``--isas`` comes back as a list of names (or None)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="run one group only")
    parser.add_argument("--json", default="benchmarks/results/latest.json")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--all-isas", action="store_true", help="run once per ISA torch can use")
    which.add_argument("--isas", help="comma-separated ISAs to run, e.g. default,avx2")
    parser.add_argument("--list-isas", action="store_true", help="print the ISAs and exit")
    parser.add_argument("--history", default=str(HISTORY), help="the JSON-lines history file")
    parser.add_argument("--no-history", action="store_true", help="do not append to it")
    args = parser.parse_args(argv)
    if args.isas is not None:
        try:
            args.isas = isa_list.parse_isa_list(args.isas)
        except ValueError as error:
            parser.error(str(error))
    return args


def run_here(args: argparse.Namespace) -> dict[str, Any] | None:
    """Measure the cases in this process; the report, or None when no case matched."""
    device = torch.device(args.device)
    torch.manual_seed(0)
    cases = load_cases(device, args.scale, args.only)
    if not cases:
        print(f"no benchmark cases matched --only {args.only!r}", file=sys.stderr)
        return None
    print(f"{'group':<14} {'case':<44} {'ratio':>9}  {'rounds':>11}  {'target':>8}  status")
    rows = measure(cases, device, args.repeats, args.rounds)
    return {
        "device": str(device),
        "scale": args.scale,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        # The vector ISA torch's CPU kernels use (AVX2, AVX512, ...): ratios depend on it, because
        # torch's fused kernels and the primitives ours are built from do not speed up alike.
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        # What the ratios were measured on: the CPU ISA, or the device type for a GPU run.
        "isa": torch.backends.cpu.get_cpu_capability() if device.type == "cpu" else device.type,
        "rounds": args.rounds,
        "repeats": args.repeats,
        "only": args.only,
        "rows": rows,
    }


def child_command(args: argparse.Namespace, json_path: Path) -> list[str]:
    """The command that measures one ISA: these options, its own JSON, no history."""
    command = [sys.executable, "-m", "benchmarks.run", "--device", args.device]
    command += ["--scale", str(args.scale), "--repeats", str(args.repeats)]
    command += ["--rounds", str(args.rounds), "--json", str(json_path), "--no-history"]
    return command + (["--only", args.only] if args.only else [])


def run_isas(args: argparse.Namespace, isas: list[str]) -> list[dict[str, Any]] | None:
    """One child process per ISA; their reports, or None (with a message) if one failed."""
    reports: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="studykit-bench-") as folder:
        for isa in isas:
            print(f"\n== {isa_list.ENV}={isa}", flush=True)
            out = Path(folder) / f"{isa}.json"
            env = {**os.environ, isa_list.ENV: isa}
            done = subprocess.run(child_command(args, out), env=env, check=False)
            if done.returncode != 0 or not out.exists():
                print(f"benchmark under {isa_list.ENV}={isa} failed (exit {done.returncode})")
                return None
            report = json.loads(out.read_text())
            if str(report["cpu_capability"]).lower() != isa:
                print(f"asked torch for {isa}, it ran {report['cpu_capability']}: not counted")
                return None
            reports.append(report)
    return reports


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the cases (per ISA if asked), print, write the JSON and history."""
    args = parse_args(argv)
    several = args.all_isas or args.isas is not None
    if (several or args.list_isas) and torch.device(args.device).type != "cpu":
        print("--all-isas, --isas and --list-isas are about CPU kernels: use --device cpu")
        return 2
    if args.list_isas or several:
        try:
            offered = isa_list.machine_isas()
        except (OSError, subprocess.SubprocessError) as error:
            print(f"could not ask torch which ISAs this CPU offers: {error}")
            return 2
        if args.list_isas:
            print(" ".join(offered))
            return 0
        chosen = offered if args.all_isas else args.isas
        refused = [isa for isa in chosen if isa not in offered]
        if refused:
            print(f"--isas: this CPU cannot run {refused[0]} (it offers {', '.join(offered)})")
            return 2
        reports = run_isas(args, chosen)
    else:
        report = run_here(args)
        reports = None if report is None else [report]
    if reports is None:
        return 2 if not several else 1
    rows = worst_rows(reports)
    names = [str(r.get("isa", r["cpu_capability"])) for r in reports]
    first = reports[0]
    keys = ("device", "scale", "torch", "python", "threads", "rounds", "repeats")
    meta = {key: first[key] for key in keys}
    combined = {**meta, "only": args.only, "isas": names, "verdict": verdict(rows), "rows": rows}
    if several:
        print("\nworst ratio per case across " + ", ".join(names) + ":")
        print("\n".join(format_table(rows, names)))
        combined["runs"] = reports
    else:
        combined = {**first, "verdict": verdict(rows)}
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(combined, indent=2))
    missed = [r["name"] for r in rows if r["met"] is False]
    print(f"\n{len(rows)} cases, {len(missed)} missed a target; JSON written to {out}")
    print(f"(torch {torch.__version__}, kernels: {', '.join(names)})")
    if args.no_history:
        return 0
    if args.scale != 1:
        print("history: not recorded (--scale is not 1; the targets are meant for scale 1)")
        return 0
    append_history(Path(args.history), history_line(rows, names, {**meta, "only": args.only}))
    print(f"history: appended to {args.history}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
