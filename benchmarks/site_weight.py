"""Page weight of the study site: every byte a page makes the browser fetch, page by page.

Usage::

    python -m benchmarks.site_weight [--site DIR] [--json benchmarks/results/site_weight.json]

Without ``--site`` the site is built first, into a temporary folder (``studykit site build``).
Each page is opened in Chromium (Playwright, Debian's ``chromium``) at 1366 x 900 with an empty
cache, served from this machine. Once it has loaded, done its own work (formulas rendered, the
quizzes within reach loaded) and the network is idle, the bytes of every request it made are
added up, the search worker's included, at the size of the file served: the server sends files
uncompressed. The split by kind: HTML, CSS, scripts, fonts, the search index (Material's bundle
requests it on opening unless ``assets/js/search-on-demand.js`` holds it back), the quiz data
of the questions within reach, and the rest (the favicon, the sitemap).

Target (issue 16): every page, with everything it loads, under 1 MB (1,000,000 bytes); KaTeX
and the quiz scripts only on the pages that use them.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LIMIT = 1_000_000
# In the page: its own work is done. Every formula is rendered (KaTeX loaded), every quiz set
# up, and the quizzes within reach (on the screen or half a screen below: studykit-quiz.js)
# have fetched their variants. On a busy machine "the network is idle" can come too early.
SETTLED = """() => document.readyState === "complete"
  && [...document.querySelectorAll(".arithmatex")].every(e => e.querySelector(".katex"))
  && [...document.querySelectorAll(".sk-quiz")].every(q => q.getAttribute("data-loaded")
    || (q.getAttribute("data-ready") === "1"
        && q.getBoundingClientRect().top >= 1.5 * innerHeight))"""
KINDS = ("html", "css", "js", "font", "search index", "quiz data", "other")


@dataclass(frozen=True)
class PageWeight:
    """What one page fetched: each URL (relative to the site) with its uncompressed bytes."""

    page: str
    fetched: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """All the bytes the page fetched."""
        return sum(self.fetched.values())

    def by_kind(self) -> dict[str, int]:
        """The bytes per kind of file, every kind of ``KINDS`` present."""
        sums = dict.fromkeys(KINDS, 0)
        for url, size in self.fetched.items():
            sums[kind_of(url)] += size
        return sums

    def loads(self, part: str) -> bool:
        """Whether the page fetched a URL containing ``part``."""
        return any(part in url for url in self.fetched)


def kind_of(url: str) -> str:
    """The kind of file a site URL names, from its path."""
    path = url.split("?")[0]
    if path.endswith("search/search_index.json"):
        return "search index"
    if "quiz/data/" in path and path.endswith(".json"):
        return "quiz data"
    if path == "" or path.endswith("/") or path.endswith(".html"):
        return "html"
    suffix = path.rsplit(".", 1)[-1]
    kinds = {"css": "css", "js": "js", "woff2": "font", "woff": "font", "ttf": "font"}
    return kinds.get(suffix, "other")


def site_pages(site: Path) -> list[str]:
    """The URL path of every page of a built site (``notes/losses/``; ``""`` for the home)."""
    pages = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")]
    return sorted("" if p == "." else p + "/" for p in pages)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing."""


@contextmanager
def served(site: Path, port: int = 0) -> Iterator[str]:
    """Serve ``site`` on ``port`` (0: a free one); yield its base URL (ending with ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def page_weight(browser: Any, base: str, site: Path, page: str) -> PageWeight:
    """Open ``page`` with an empty cache and add up what it fetched until the network is idle.

    Every request that finished is counted, the search worker's too, at the size of the file
    served for it: the test server sends files as they are, uncompressed.
    """
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.route("**/*", lambda route: _local_only(route, base))
    urls: list[str] = []
    tab = context.new_page()
    tab.on("requestfinished", lambda request: urls.append(request.url))
    tab.goto(base + page, wait_until="load")
    tab.wait_for_function(SETTLED, polling=100, timeout=60_000)
    tab.evaluate("() => document.fonts.ready.then(() => true)")
    tab.wait_for_load_state("networkidle")
    tab.wait_for_timeout(300)  # what the idle page starts late (a worker's imports)
    context.close()
    fetched = {}
    for url in urls:
        path = served_file(site, url.removeprefix(base)) if url.startswith(base) else None
        if path is not None:
            fetched[url.removeprefix(base)] = path.stat().st_size
    return PageWeight(page, fetched)


def served_file(site: Path, url: str) -> Path | None:
    """The file of ``site`` that the server sends for ``url`` (relative to the site), if any."""
    path = site / unquote(url.split("#")[0].split("?")[0])
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def _local_only(route: Any, base: str) -> None:
    """Let requests to the served site through and refuse the rest: nothing leaves the machine."""
    if route.request.url.startswith(base):
        route.continue_()
    else:
        route.abort()


def measure(site: Path, pages: list[str] | None = None) -> list[PageWeight]:
    """The weight of each page of the built ``site`` (all of them unless ``pages`` is given)."""
    from playwright.sync_api import sync_playwright

    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            return [page_weight(browser, base, site, p) for p in pages or site_pages(site)]
        finally:
            browser.close()


def build(out: Path) -> None:
    """Build the study site into ``out`` with ``studykit site build`` (it must succeed)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "studykit", "site", "build", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def kb(size: int) -> str:
    """Bytes as kilobytes (1,000 bytes), right-aligned."""
    return f"{size / 1000:7.1f}"


def report(weights: list[PageWeight]) -> dict[str, Any]:
    """Print one line per page, the heaviest page and its split; return the JSON report."""
    print(f"{'page':34} {'total kB':>8} " + " ".join(f"{k[:7]:>7}" for k in KINDS))
    for weight in weights:
        split = weight.by_kind()
        print(
            f"{weight.page or '(home)':34} {kb(weight.total):>8} "
            + " ".join(kb(split[k]) for k in KINDS)
        )
    heaviest = max(weights, key=lambda w: w.total)
    verdict = "under" if heaviest.total < LIMIT else "OVER"
    print(
        f"\nheaviest page: {heaviest.page or '(home)'}  {kb(heaviest.total).strip()} kB  "
        f"({verdict} the 1 MB target)"
    )
    for kind, size in heaviest.by_kind().items():
        print(f"  {kind:14} {kb(size)} kB")
    return {
        "limit_bytes": LIMIT,
        "heaviest": {"page": heaviest.page, "bytes": heaviest.total, **heaviest.by_kind()},
        "pages": [{"page": w.page, "bytes": w.total, **w.by_kind()} for w in weights],
    }


def main(argv: list[str] | None = None) -> int:
    """Measure every page (building the site unless ``--site`` names one); write the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site_weight")
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--json", default="benchmarks/results/site_weight.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            build(site)
        result = report(measure(site))
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    return 0 if result["heaviest"]["bytes"] < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
