"""The study site served from a sub-path, as GitHub Pages serves a project site.

Two builds, each served by a file server under ``/studykit/`` (the server answers a missing
address with the site's ``404.html``, as GitHub Pages does):

- with ``--site-url http://127.0.0.1:PORT/studykit/`` (what the Pages workflow does): Material's
  instant navigation is on, and the 404 page links back at any depth;
- with no ``--site-url`` at all: every link relative, no host named.

In both, a student walks home → a note (math rendered) → its quiz (a variant fetched and
answered right) → search, and nothing is requested outside ``/studykit/``.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from studykit.questions.verify import answer_text
from tests.site_build import build_relative_site, free_port
from tests.test_site_browser import ARGS, CHROMIUM, _require_chromium, search_for

pytestmark = pytest.mark.xdist_group("site-2")

PREFIX = "/studykit/"


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """A quiet file server that answers a missing page with the site's 404.html, like Pages."""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / PREFIX.strip("/") / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass(frozen=True)
class Served:
    """A site served under ``/studykit/``: its URL, and whether it was built for that URL."""

    url: str
    with_site_url: bool


@pytest.fixture(scope="module", params=["site-url", "relative"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """A site built for (or simply put under) ``/studykit/`` and served there."""
    root = tmp_path_factory.mktemp(request.param)
    port = free_port()
    url = f"http://127.0.0.1:{port}{PREFIX}"
    with_site_url = request.param == "site-url"
    build_relative_site(root / PREFIX.strip("/"), url if with_site_url else None)
    handler = functools.partial(_PagesHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield Served(url, with_site_url)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(served: Served) -> str:
    return served.url


@pytest.fixture
def tab(base: str, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        outside: list[str] = []
        context.route(  # only this site, under its sub-path
            re.compile(rf"^(?!{re.escape(base)})"),
            lambda route: (outside.append(route.request.url), route.abort()),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            print(f"screenshot of the failing page: {tmp_path / 'failure.png'}")
        browser.close()
        assert outside == [], f"requests outside {base}: {outside}"
        assert errors == [], f"JavaScript errors: {errors}"


def test_a_student_walks_the_site_under_a_sub_path(tab, base: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(base)
    assert tab.locator(".md-tabs").count() == 1
    tab.locator("article a[href*='notes/losses/']").first.click()
    tab.wait_for_url(f"{base}notes/losses/")
    tab.wait_for_selector(".arithmatex .katex")
    unrendered = tab.evaluate(
        "() => [...document.querySelectorAll('.arithmatex')]"
        ".filter(e => !e.querySelector('.katex')).length"
    )
    assert unrendered == 0
    tab.locator("article a[href*='quiz/losses/']").first.click()  # the note's next steps
    tab.wait_for_url(f"{base}quiz/losses/")
    quiz = tab.locator(".sk-quiz").first
    quiz.scroll_into_view_if_needed()
    tab.locator(".sk-quiz[data-ready='1']").first.wait_for()
    meta = json.loads(quiz.get_attribute("data-quiz") or "{}")
    with urllib.request.urlopen(base + meta["src"]) as reply:  # the site-relative data file
        data = json.loads(reply.read())
    quiz.locator(".sk-answer").fill(
        answer_text(data["kind"], data["variants"][0]["answer"]["value"])
    )
    quiz.locator(".sk-check").click()
    quiz.locator(".sk-correct").wait_for()


def test_search_works_under_a_sub_path(tab, base: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(f"{base}notes/tensors/")
    search_for(tab, "소프트맥스")
    hrefs = tab.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    assert any(href.startswith(f"{base}notes/activations/") for href in hrefs), hrefs


def test_a_missing_page_gets_the_styled_404_that_links_home(tab, served: Served) -> None:  # type: ignore[no-untyped-def]
    if not served.with_site_url:
        pytest.skip("without --site-url a 404 page cannot know where the site starts")
    base = served.url
    response = tab.goto(f"{base}notes/no-such-note/deeper/")
    assert response is not None and response.status == 404
    assert "페이지를 찾을 수 없습니다" in tab.inner_text("article")
    # Material's stylesheet applied: the header bar has its colour, not the browser default.
    header = tab.locator(".md-header").evaluate("e => getComputedStyle(e).position")
    assert header == "sticky"
    tab.locator("article a", has_text="Quizzes").first.click()
    tab.wait_for_url(f"{base}quiz/")
