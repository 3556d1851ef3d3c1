"""Build the study site once per test session (quiz pages, examples, ``mkdocs build --strict``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class BuiltSite:
    """Where the site was built and how long each step took."""

    path: Path
    pages_seconds: float
    build_seconds: float
    build_log: str


def build_site(out: Path) -> BuiltSite:
    """Run the two documented commands; raise with their output if either fails."""
    started = time.perf_counter()
    pages = subprocess.run(
        [sys.executable, "-m", "studykit", "site-pages"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pages.returncode == 0, pages.stdout + pages.stderr
    middle = time.perf_counter()
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return BuiltSite(out, middle - started, time.perf_counter() - middle, build.stderr)
