"""The study site in a real browser (Debian's Chromium driven by Playwright, no network).

Serves the built site on 127.0.0.1 and checks what a student would: math rendered by the
vendored KaTeX, a quiz answered right and then wrong with a misconception's targeted feedback,
and search in English and in Korean (a word with a particle attached, 텐서를, found by 텐서).
A screenshot is saved when a step fails.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from studykit.questions.verify import answer_text
from tests.site_build import BuiltSite

pytestmark = pytest.mark.xdist_group("site")

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


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = "Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail(message)  # CI installs it: missing there is a real failure
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(built_site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(built_site.path)
    )
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", built_site.port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def page(server: str, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        # Nothing may leave this machine: any request to another host fails the test.
        outside: list[str] = []
        context.route(
            re.compile(r"^(?!http://127\.0\.0\.1)"),
            lambda route: (outside.append(route.request.url), route.abort()),
        )
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        yield tab
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            shot = tmp_path / "failure.png"
            tab.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failing page: {shot}")
        browser.close()
        assert outside == [], f"requests left the machine: {outside}"
        assert errors == [], f"JavaScript errors: {errors}"


def test_math_is_rendered_by_katex(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/notes/losses/")
    page.wait_for_selector(".arithmatex .katex")
    raw = page.evaluate(
        "() => [...document.querySelectorAll('.arithmatex')]"
        ".filter(e => !e.querySelector('.katex')).map(e => e.textContent)"
    )
    assert raw == []
    assert "\\(" not in page.inner_text("article")


def _first_quiz(page, url: str):  # type: ignore[no-untyped-def]
    """Open ``url``, wait for its first quiz to be set up; return it and its variants' data."""
    page.goto(url)
    quiz = page.locator(".sk-quiz").first
    quiz.locator(".sk-answer").wait_for()
    text = page.eval_on_selector(".sk-quiz", "e => e.getAttribute('data-quiz')")
    return quiz, json.loads(text)


def _answer_wrong(quiz, text: str) -> str:  # type: ignore[no-untyped-def]
    """Type a wrong answer and return the feedback shown for it."""
    quiz.locator(".sk-answer").fill(text)
    quiz.locator(".sk-check").click()
    quiz.locator(".sk-feedback").wait_for()
    return str(quiz.locator(".sk-feedback").inner_text().strip())


def test_quiz_right_then_wrong_with_misconception_feedback(page, server: str) -> None:  # type: ignore[no-untyped-def]
    quiz, data = _first_quiz(page, f"{server}/quiz/losses/")

    first = data["variants"][0]
    quiz.locator(".sk-answer").fill(answer_text(data["kind"], first["answer"]["value"]))
    quiz.locator(".sk-check").click()
    quiz.locator(".sk-correct").wait_for()
    assert "Correct" in quiz.locator(".sk-verdict").inner_text()

    quiz.locator(".sk-next").click()
    second = data["variants"][1]
    mistake = second["misconceptions"][0]
    shown = _answer_wrong(quiz, answer_text(data["kind"], mistake["value"]))
    assert shown == mistake["feedback"].strip()
    assert quiz.locator(".sk-solution").get_attribute("open") is not None

    quiz.locator(".sk-answer").fill("__import__('os')")
    quiz.locator(".sk-check").click()
    quiz.locator(".sk-not-understood").wait_for()

    stored = page.evaluate("() => JSON.parse(localStorage.getItem('studykit.progress.v1'))")
    assert stored[data["id"]]["asked"] == 2
    assert stored[data["id"]]["right"] == 1


def test_quiz_switches_to_korean_and_remembers_it(page, server: str) -> None:  # type: ignore[no-untyped-def]
    quiz, data = _first_quiz(page, f"{server}/quiz/losses/")
    first = data["variants"][0]
    korean = first["translations"]["ko"]
    assert quiz.locator(".sk-prompt").inner_text() == first["prompt"]

    quiz.locator(".sk-language").click()
    assert quiz.locator(".sk-prompt").inner_text() == korean["prompt"]
    assert quiz.locator(".sk-check").inner_text() == "확인"
    # Every quiz of the page follows, and the wrong answer gets the Korean feedback.
    assert page.locator(".sk-quiz[lang='ko']").count() == page.locator(".sk-quiz").count()
    shown = _answer_wrong(quiz, answer_text(data["kind"], first["misconceptions"][0]["value"]))
    assert shown == korean["feedback"][0].strip()
    assert quiz.locator(".sk-solution-text").inner_text() == korean["solution"]

    quiz, _ = _first_quiz(page, f"{server}/quiz/losses/")  # a new visit keeps the choice
    assert quiz.locator(".sk-prompt").inner_text() == korean["prompt"]
    quiz.locator(".sk-language").click()
    assert quiz.locator(".sk-prompt").inner_text() == first["prompt"]
    assert quiz.locator(".sk-language").inner_text() == "한국어"


def _search(page, server: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/")
    box = page.locator("input.md-search__input")
    box.click()
    # The index is built by a web worker; typing before it is ready is not searched again.
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text="Type to start searching").wait_for(timeout=60000)
    box.fill(query)
    box.press("End")  # a key event: Material searches on keyup
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    return page.locator(".md-search-result__item").all_inner_texts()


def test_search_english(page, server: str) -> None:  # type: ignore[no-untyped-def]
    results = _search(page, server, "softmax")
    assert results
    assert any("softmax" in r.lower() for r in results)


def test_search_korean_word_with_particle(page, server: str) -> None:  # type: ignore[no-untyped-def]
    results = _search(page, server, "텐서")
    # The pages say 텐서를, 텐서는, 텐서의 ...: the bare noun must find them.
    assert any(re.search("텐서[를은는의이가을]", r) for r in results), results


def test_instant_navigation_sets_up_math_and_quizzes(page, server: str) -> None:  # type: ignore[no-untyped-def]
    # Start on the home page, then follow links in the pages: Material's instant navigation
    # swaps the content without a reload, and the quiz and KaTeX set-up must still run.
    page.goto(f"{server}/")
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator("article a[href*='quiz/']").first.click()  # home -> quiz index
    page.locator("article a[href*='losses/']").first.click()  # quiz index -> losses quiz
    page.locator(".sk-quiz .sk-answer").first.wait_for()
    assert page.locator(".sk-quiz[data-ready='1']").count() >= 4
    page.locator("article a[href*='notes/losses/']").first.click()  # -> the notes page
    page.wait_for_selector(".arithmatex .katex")
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
