"""Time to build the study site: ``studykit site-pages`` plus ``mkdocs build --strict``.

Usage::

    python -m benchmarks.site [--json benchmarks/results/site.json]

Target (issue 7): at most 60 s for both on the 2-core build machine. Reported next to a
reference measured in the same run, a fresh ``python -c "import torch"``, so that numbers from
machines of different speed can be compared.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str]) -> float:
    """Run a command from the repository root and return its wall time (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Build the site once, time each step, and write the JSON report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site")
    parser.add_argument("--json", default="benchmarks/results/site.json")
    args = parser.parse_args(argv)
    reference = timed([sys.executable, "-c", "import torch"])
    pages = timed([sys.executable, "-m", "studykit", "site-pages"])
    with tempfile.TemporaryDirectory() as out:
        build = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", out])
    total = pages + build
    report = {
        "site_pages_s": pages,
        "mkdocs_build_s": build,
        "total_s": total,
        "import_torch_s": reference,
        "total_in_torch_imports": total / reference,
        "target_s": 60,
    }
    print(f"studykit site-pages        {pages:6.1f} s")
    print(f"mkdocs build --strict      {build:6.1f} s")
    print(f"total                      {total:6.1f} s   target <= 60 s")
    ratio = total / reference
    print(f"(python -c 'import torch'  {reference:6.1f} s: the total is {ratio:.1f}x that)")
    out_path = Path(args.json)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
