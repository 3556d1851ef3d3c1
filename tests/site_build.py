"""Build the study site once per test session (quiz pages, examples, ``mkdocs build --strict``).

Material's instant navigation only works when the site is served at its ``site_url``, so the
test build inherits ``mkdocs.yml`` with ``site_url`` set to a free local port, and the browser
tests serve it there.

A test with its own question bank (``questions=``) builds from a copy of ``docs/`` next to the
site, so the repository's ``docs/quiz/`` is left to the other tests.
"""

from __future__ import annotations

import os
import shutil
import socket
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
    port: int
    pages_seconds: float
    build_seconds: float
    build_log: str


def build_site(out: Path, questions: Path | None = None) -> BuiltSite:
    """Run the two documented commands; raise with their output if either fails.

    With ``questions``, the quiz pages come from that bank, written into a copy of ``docs/``
    (next to ``out``, without the generated folders) that the site is built from.
    """
    started = time.perf_counter()
    work, options = ROOT, list[str]()
    if questions is not None:
        work = out.parent / f"{out.name}-sources"
        shutil.copytree(ROOT / "docs", work / "docs", ignore=_generated)
        options = ["--questions", str(questions), "--docs", str(work / "docs")]
    pages = subprocess.run(
        [sys.executable, "-m", "studykit", "site-pages", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pages.returncode == 0, pages.stdout + pages.stderr
    middle = time.perf_counter()
    port = _free_port()
    config = out.parent / f"mkdocs-test-{port}.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {work / 'docs'}\n"
        f"site_url: http://127.0.0.1:{port}/\n",
        encoding="utf-8",
    )
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "--site-dir",
            str(out),
        ],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=work,  # the snippets' base_path, docs/, is relative to it
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return BuiltSite(out, port, middle - started, time.perf_counter() - middle, build.stderr)


def _generated(folder: str, names: list[str]) -> set[str]:
    """``shutil.copytree``'s filter: leave out what ``site-pages`` writes into ``docs/``."""
    return {"quiz", "generated"} & set(names) if Path(folder) == ROOT / "docs" else set()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
