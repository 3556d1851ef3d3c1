"""How long a student waits for ``studykit drill check``: from the command line, and in ``--watch``.

Usage::

    python -m benchmarks.drills [--rounds 5] [--json benchmarks/results/drills.json]

- **cold**: ``studykit drill check softmax --file F`` as a fresh command (Python, torch imported
  by the checking process, every case of the drill), median of ``--rounds`` runs;
- **warm**: ``--watch`` is started once; then the file is saved ``--rounds`` times (alternately a
  right and a wrong solution) and the time from each save to the verdict on the screen is
  measured, median and worst.

Reported beside a reference measured in the same run, a fresh ``python -c "import torch"``
(cold ratio), and against the issue's target for warm: a verdict within 1 s of saving.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RIGHT = """import torch

def softmax(x, dim):
    e = (x - x.max(dim=dim, keepdim=True).values).exp()
    return e / e.sum(dim=dim, keepdim=True)
"""
WRONG = RIGHT.replace("(x - x.max(dim=dim, keepdim=True).values)", "x")
WARM_TARGET_S = 1.0


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, timeout=300)
    return time.perf_counter() - start


def cold(folder: Path, rounds: int) -> list[float]:
    """Seconds of each fresh ``drill check`` of a right solution."""
    path = folder / "cold.py"
    path.write_text(RIGHT, encoding="utf-8")
    db = str(folder / "p.sqlite3")
    command = [sys.executable, "-m", "studykit", "drill", "check", "softmax"]
    return [_timed([*command, "--file", str(path), "--db", db]) for _ in range(rounds)]


def warm(folder: Path, rounds: int) -> list[float]:
    """Seconds from each save to its verdict under ``--watch``."""
    path = folder / "softmax.py"
    path.write_text(WRONG, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "studykit", "drill", "check", "softmax", "--file", str(path),
         "--db", str(folder / "p.sqlite3"), "--watch", "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    waits = []
    try:
        _until(process.stdout, "✗ softmax")
        time.sleep(1.0)  # the watcher is set up
        for i in range(rounds):
            text, verdict = (RIGHT, "✓ softmax") if i % 2 == 0 else (WRONG, "✗ softmax")
            saved = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            _until(process.stdout, verdict)
            waits.append(time.perf_counter() - saved)
            time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return waits


def _until(stream, marker: str) -> None:  # type: ignore[no-untyped-def]
    while True:
        line = stream.readline()
        if not line:
            raise RuntimeError(f"the watch ended before {marker!r}")
        if marker in line:
            return


def main(argv: list[str] | None = None) -> int:
    """Measure, print and write the JSON report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.drills")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", default="benchmarks/results/drills.json")
    args = parser.parse_args(argv)
    reference = statistics.median(_timed([sys.executable, "-c", "import torch"]) for _ in range(3))
    with tempfile.TemporaryDirectory() as folder:
        cold_s = cold(Path(folder), args.rounds)
        warm_s = warm(Path(folder), args.rounds)
    report = {
        "import_torch_s": reference,
        "cold_check_s": statistics.median(cold_s),
        "cold_in_torch_imports": statistics.median(cold_s) / reference,
        "warm_verdict_s": statistics.median(warm_s),
        "warm_worst_s": max(warm_s),
        "warm_target_s": WARM_TARGET_S,
        "warm_within_target": max(warm_s) <= WARM_TARGET_S,
        "rounds": args.rounds,
    }
    print(f"import torch (reference)   {reference:6.2f} s")
    print(f"drill check, cold          {report['cold_check_s']:6.2f} s "
          f"({report['cold_in_torch_imports']:.1f}x import torch)")  # fmt: skip
    print(f"drill check --watch, warm  {report['warm_verdict_s']:6.2f} s median, "
          f"{report['warm_worst_s']:.2f} s worst (target {WARM_TARGET_S:g} s)")  # fmt: skip
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0 if report["warm_within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
