"""Launch to first prompt of ``studykit quiz``, as a ratio to ``python -c "import torch"``.

Usage::

    python -m benchmarks.startup [--runs 9] [--json benchmarks/results/startup.json]

Both are measured in the same run, alternating, as the median wall time of fresh processes; the
quiz is read through a pipe until its first ``answer>`` prompt appears, then closed. Target
(issue 6): at most 0.3 s median on the 2-core build machine, where importing torch takes about
1.3 s, i.e. a ratio of about 0.23.
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


def first_prompt_seconds(home: str) -> float:
    """Start ``studykit quiz`` and time until the first ``answer>`` prompt is printed."""
    env = {**os.environ, "STUDYKIT_HOME": home}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "studykit", "quiz", "--seed", "1", "-n", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdout is not None
    seen = b""
    while b"answer> " not in seen:
        chunk = proc.stdout.read1(4096)
        if not chunk:
            raise RuntimeError("the quiz ended before showing a prompt")
        seen += chunk
    elapsed = time.perf_counter() - start
    proc.communicate(b"quit\n", timeout=60)
    return elapsed


def import_torch_seconds() -> float:
    """Time a fresh ``python -c "import torch"``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Measure both, alternating, and report medians and their ratio."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", default="benchmarks/results/startup.json")
    args = parser.parse_args(argv)
    quiz: list[float] = []
    torch_import: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        first_prompt_seconds(home)  # warm the file cache once
        for _ in range(args.runs):
            quiz.append(first_prompt_seconds(home))
            torch_import.append(import_torch_seconds())
    q, t = statistics.median(quiz), statistics.median(torch_import)
    report = {
        "first_prompt_median_s": q,
        "import_torch_median_s": t,
        "ratio": q / t,
        "target_s": 0.3,
        "runs": args.runs,
    }
    print(f"launch to first prompt   {q:.3f} s (median of {args.runs})   target <= 0.3 s")
    print(f"python -c 'import torch' {t:.3f} s")
    print(f"ratio                    {q / t:.2f}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
