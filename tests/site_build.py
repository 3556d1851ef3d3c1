"""Build the study site the way a user does: ``studykit site build``, once per test session.

Material's instant navigation only works when the site is served at its ``site_url``, so the
session's site is built with ``--site-url`` on a free local port, and the browser tests serve it
there. `build_relative_site` builds the other kind, with no ``--site-url``: no host anywhere and
every link relative, for any file server or sub-path.

A test with its own question bank (``questions=``) passes it as ``--questions``: the command
builds from its own copy of the sources, so nothing in the checkout changes.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The command's last line: "built N pages in T s (quiz pages and examples P s, MkDocs M s) into X"
SUMMARY = re.compile(
    r"built (?P<count>\d+) pages in [\d.]+ s "
    r"\(quiz pages and examples (?P<pages>[\d.]+) s, MkDocs (?P<mkdocs>[\d.]+) s\) into "
)


@dataclass(frozen=True)
class BuiltSite:
    """Where the site was built and how long each step took (as the command reported)."""

    path: Path
    port: int
    pages_seconds: float
    build_seconds: float
    build_log: str


def run_site_build(out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m studykit site build --out OUT *options`` next to ``out``."""
    return subprocess.run(
        [sys.executable, "-m", "studykit", "site", "build", "--out", str(out), *options],
        cwd=out.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _built(out: Path, port: int, options: list[str]) -> BuiltSite:
    started = time.perf_counter()
    done = run_site_build(out, *options)
    assert done.returncode == 0, done.stdout + done.stderr
    seconds = time.perf_counter() - started
    found = SUMMARY.search(done.stdout)
    assert found, done.stdout
    pages, mkdocs = float(found["pages"]), float(found["mkdocs"])
    # The command's own timings leave out starting Python and importing torch: count that too.
    return BuiltSite(out, port, pages + max(seconds - pages - mkdocs, 0.0), mkdocs, done.stderr)


def build_site(out: Path, questions: Path | None = None) -> BuiltSite:
    """Build with ``--site-url http://127.0.0.1:PORT/`` (a free port); raise if it fails.

    With ``questions``, the quiz pages come from that bank (``--questions``).
    """
    port = free_port()
    options = ["--site-url", f"http://127.0.0.1:{port}/"]
    if questions is not None:
        options += ["--questions", str(questions)]
    return _built(out, port, options)


def build_relative_site(out: Path, site_url: str | None = None) -> BuiltSite:
    """Build with no ``--site-url`` (or the given one, e.g. a sub-path); raise if it fails.

    The returned ``port`` is 0: the site names no port (or not this machine's).
    """
    options = [] if site_url is None else ["--site-url", site_url]
    return _built(out, 0, options)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
