"""The study site in a real browser (Debian's Chromium driven by Playwright, no network).

Serves the built site on 127.0.0.1 and checks what a student would: math rendered by the
vendored KaTeX; a quiz answered right, then wrong twice (the misconception's feedback and a
second try, then the answer and the worked solution, hidden until then); the empty answer;
choices as buttons used from the keyboard; the contrast of the verdict and hint colours in
both palettes; 50 variants per question, fetched when a question comes near the screen; the
texts shown as rendered Markdown; the language switch; and search in English and in Korean (a
word with a particle attached, 텐서를, found by 텐서). A screenshot is saved when a step fails.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.site_weight import ARGS, CHROMIUM  # Debian's Chromium, its offline flags
from studykit.questions.verify import answer_text
from tests.site_build import BuiltSite

pytestmark = pytest.mark.xdist_group("site")


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


def _first_quiz(page, url: str, nth: int = 0):  # type: ignore[no-untyped-def]
    """Open ``url``, wait for its ``nth`` quiz to load its variants; return it and them."""
    page.goto(url)
    quiz = page.locator(".sk-quiz").nth(nth)
    _load(page, quiz)
    return quiz, _variants(page, quiz)


def _load(page, quiz) -> None:  # type: ignore[no-untyped-def]
    """Bring ``quiz`` near the screen and wait until it has loaded its variants."""
    quiz.scroll_into_view_if_needed()
    page.wait_for_function(
        "quiz => quiz.getAttribute('data-loaded') === '1'", arg=quiz.element_handle()
    )


def _variants(page, quiz) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The data file of ``quiz`` (where its data-quiz attribute says it is)."""
    meta = json.loads(quiz.get_attribute("data-quiz"))
    data: dict[str, Any] = page.evaluate(
        "src => fetch(new URL(src, location.origin + '/')).then(r => r.json())", meta["src"]
    )
    assert len(data["variants"]) == meta["count"]
    return {**meta, **data}


# The text of sanitized HTML as the browser reads it, whitespace runs made single spaces.
HTML_TEXT = """markup => {
  const box = document.createElement("div");
  box.innerHTML = markup;
  return box.textContent.replace(/\\s+/g, " ").trim();
}"""
# The text an element shows, with KaTeX's rendering turned back into the TeX it was given.
SHOWN_TEXT = """element => {
  const copy = element.cloneNode(true);
  for (const math of copy.querySelectorAll(".arithmatex")) {
    const tex = math.querySelector("annotation");
    if (!tex) continue;
    const display = math.classList.contains("sk-display");
    math.textContent = (display ? "\\[" : "\\(") + tex.textContent + (display ? "\\]" : "\\)");
  }
  return copy.textContent.replace(/\\s+/g, " ").trim();
}"""


def html_text(page, markup: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.evaluate(HTML_TEXT, markup))


def shown_text(locator) -> str:  # type: ignore[no-untyped-def]
    return str(locator.evaluate(SHOWN_TEXT))


def _answer(quiz, text: str) -> None:  # type: ignore[no-untyped-def]
    quiz.locator(".sk-answer").fill(text)
    quiz.locator(".sk-check").click()


def _answer_wrong(quiz, text: str) -> str:  # type: ignore[no-untyped-def]
    """Type a wrong answer and return the misconception feedback shown for it."""
    _answer(quiz, text)
    quiz.locator(".sk-feedback").wait_for()
    return shown_text(quiz.locator(".sk-feedback"))


def _hidden(locator) -> bool:  # type: ignore[no-untyped-def]
    """Not shown: no box on the page, whatever Material's CSS says about its element."""
    return bool(locator.evaluate("e => getComputedStyle(e).display === 'none'")) and (
        locator.bounding_box() is None
    )


def test_quiz_right_then_two_wrong_tries_with_feedback(page, server: str) -> None:  # type: ignore[no-untyped-def]
    quiz, data = _first_quiz(page, f"{server}/quiz/losses/")
    solution = quiz.locator(".sk-solution")
    assert _hidden(solution)
    assert quiz.locator(".sk-solution-text").inner_text() == ""  # not even in the page

    first = data["variants"][0]
    _answer(quiz, answer_text(data["kind"], first["answer"]["value"]))
    quiz.locator(".sk-correct").wait_for()
    assert "Correct" in quiz.locator(".sk-verdict").inner_text()
    assert solution.is_visible() and solution.get_attribute("open") is None  # there, closed

    quiz.locator(".sk-next").click()
    second = data["variants"][1]
    assert _hidden(solution)
    mistake = second["misconceptions"][0]
    shown = _answer_wrong(quiz, answer_text(data["kind"], mistake["value"]))
    assert shown == html_text(page, second["texts"]["en"]["feedback"][0])
    assert "Not quite" in quiz.locator(".sk-wrong-line").inner_text()
    assert "another try" in quiz.locator(".sk-try-again").inner_text()
    assert _hidden(solution)  # one wrong try: the solution stays hidden

    _answer(quiz, "123456")  # the second try: wrong again
    quiz.locator(".sk-answer-line").wait_for()
    assert quiz.locator(".sk-shown").inner_text() == second["shown"]
    assert quiz.locator(".sk-try-again").count() == 0
    assert solution.is_visible() and solution.get_attribute("open") is not None
    expected = html_text(page, second["texts"]["en"]["solution"])
    assert shown_text(quiz.locator(".sk-solution-text")) == expected

    _answer(quiz, "__import__('os')")
    quiz.locator(".sk-not-understood").wait_for()

    stored = page.evaluate("() => JSON.parse(localStorage.getItem('studykit.progress.v1'))")
    assert stored[data["id"]]["asked"] == 2
    assert stored[data["id"]]["right"] == 1


def test_solutions_stay_hidden_until_asked_for(page, server: str) -> None:  # type: ignore[no-untyped-def]
    # Material styles details as `display: flow-root`, which beat the `hidden` attribute and
    # showed every worked solution before any answer.
    quiz, data = _first_quiz(page, f"{server}/quiz/tensors/")
    for n in range(page.locator(".sk-quiz").count()):
        assert _hidden(page.locator(".sk-quiz").nth(n).locator(".sk-solution")), n
    quiz.locator(".sk-solution-button").click()
    solution = quiz.locator(".sk-solution")
    assert solution.is_visible() and solution.get_attribute("open") is not None
    expected = html_text(page, data["variants"][0]["texts"]["en"]["solution"])
    assert shown_text(quiz.locator(".sk-solution-text")) == expected


def test_an_empty_answer_gets_a_message(page, server: str) -> None:  # type: ignore[no-untyped-def]
    quiz, _ = _first_quiz(page, f"{server}/quiz/losses/")
    quiz.locator(".sk-check").click()
    assert quiz.locator(".sk-empty").inner_text() == "Type an answer first, then press Check."
    quiz.locator(".sk-answer").fill("   ")
    quiz.locator(".sk-answer").press("Enter")
    assert quiz.locator(".sk-empty").is_visible()
    quiz.locator(".sk-language").click()
    assert quiz.locator(".sk-empty").inner_text() == "답을 먼저 입력한 뒤 확인을 누르십시오."
    stored = page.evaluate("() => localStorage.getItem('studykit.progress.v1')")
    assert stored is None  # nothing was answered


def test_texts_are_rendered_markdown(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/quiz/losses/")
    for quiz in page.locator(".sk-quiz").all():
        _load(page, quiz)
        texts = _variants(page, quiz)["variants"][0]["texts"]["en"]
        prompt = quiz.locator(".sk-prompt")
        assert shown_text(prompt) == html_text(page, texts["prompt"])
        prose = prompt.evaluate(
            "e => { const c = e.cloneNode(true);"
            " c.querySelectorAll('code, pre').forEach(x => x.remove()); return c.textContent; }"
        )
        assert "`" not in prose and "**" not in prose
        assert quiz.locator(".sk-format").inner_text().strip()
    mnist = page.locator(".sk-quiz[data-id='losses/mnist-loss']")
    assert mnist.locator(".sk-prompt code").count() >= 1  # code spans as <code>
    assert mnist.locator(".sk-prompt pre").count() == 1  # and its code block


def test_choices_are_buttons_that_work_from_the_keyboard(page, server: str) -> None:  # type: ignore[no-untyped-def]
    quiz, data = _first_quiz(page, f"{server}/quiz/landscape/")
    assert data["kind"] == "choice"
    assert (
        not quiz.locator(".sk-answer").is_visible() and not quiz.locator(".sk-check").is_visible()
    )
    first = data["variants"][0]
    buttons = quiz.locator(".sk-choice")
    assert buttons.count() == len(first["texts"]["en"]["choices"])
    for i, markup in enumerate(first["texts"]["en"]["choices"]):
        assert shown_text(buttons.nth(i).locator(".sk-choice-text")) == html_text(page, markup)

    right = "ABCDEFGH".index(first["answer"]["value"])
    buttons.first.focus()
    for _ in range(right):
        page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.getAttribute('data-letter'), e.matches(':focus-visible'),"
        " s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert focused[:3] != [None, False, "none"]
    assert focused[0] == first["answer"]["value"] and focused[1] and focused[2] != "none"
    assert focused[3] >= 2  # a ring that shows
    page.keyboard.press("Enter")
    quiz.locator(".sk-correct").wait_for()
    assert "sk-picked-right" in (buttons.nth(right).get_attribute("class") or "")

    quiz.locator(".sk-next").click()
    second = data["variants"][1]
    wrong = next(c for c in "ABCDEFGH"[: buttons.count()] if c != second["answer"]["value"])
    quiz.locator(f".sk-choice[data-letter='{wrong}']").focus()
    page.keyboard.press("Space")
    quiz.locator(".sk-wrong").wait_for()
    assert quiz.locator(".sk-choice.sk-picked-wrong").get_attribute("data-letter") == wrong


CONTRAST = """element => {
  const parse = c => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const layers = [];
  for (let e = element; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c.a > 0) layers.push(c);
    if (c.a >= 1) break;
  }
  let back = { r: 255, g: 255, b: 255, a: 1 };
  for (let i = layers.length - 1; i >= 0; i--) back = over(layers[i], back);
  const fore = over(parse(getComputedStyle(element).color), back);
  const lum = c => {
    const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const [a, b] = [lum(fore), lum(back)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_verdict_and_hint_colours_contrast(page, server: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    quiz, data = _first_quiz(page, f"{server}/quiz/losses/")
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    first = data["variants"][0]
    quiz.locator(".sk-hint-button").click()
    _answer_wrong(quiz, answer_text(data["kind"], first["misconceptions"][0]["value"]))
    ratios = {
        name: quiz.locator(selector).evaluate(CONTRAST)
        for name, selector in [
            ("hint", ".sk-hint"),
            ("wrong", ".sk-wrong-line"),
            ("format", ".sk-format"),
            ("feedback", ".sk-feedback"),
        ]
    }
    _answer(quiz, answer_text(data["kind"], first["answer"]["value"]))
    quiz.locator(".sk-correct").wait_for()
    ratios["correct"] = quiz.locator(".sk-correct-line").evaluate(CONTRAST)
    quiz.locator(".sk-next").click()
    quiz.locator(".sk-check").click()
    ratios["empty"] = quiz.locator(".sk-empty-line").evaluate(CONTRAST)
    assert min(ratios.values()) >= 4.5, ratios


def test_fifty_variants_fetched_on_demand(page, server: str) -> None:  # type: ignore[no-untyped-def]
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if "/quiz/data/" in r.url else None)
    quiz, data = _first_quiz(page, f"{server}/quiz/losses/")
    assert "Each question comes with 50 prepared variants" in page.inner_text("article")
    assert "fresh numbers" not in page.inner_text("article")
    quizzes = page.locator(".sk-quiz")
    count = quizzes.count()
    assert count >= 6
    # Only the questions near the screen were fetched; the last one is not, until it is near.
    last = quizzes.nth(count - 1)
    assert last.get_attribute("data-loaded") is None
    assert 1 <= len(set(requested)) < count
    meta = json.loads(last.get_attribute("data-quiz"))
    assert not any(url.endswith(meta["src"]) for url in requested)
    _load(page, last)
    assert any(url.endswith(meta["src"]) for url in requested)

    assert len(data["variants"]) == data["count"] >= 50
    assert quiz.locator(".sk-score").inner_text().startswith("Variant 1 of 50 ")
    quiz.locator(".sk-next").click()
    assert quiz.locator(".sk-score").inner_text().startswith("Variant 2 of 50 ")
    expected = html_text(page, data["variants"][1]["texts"]["en"]["prompt"])
    assert shown_text(quiz.locator(".sk-prompt")) == expected


def test_each_kind_has_its_own_placeholder(page, server: str) -> None:  # type: ignore[no-untyped-def]
    placeholders: dict[str, set[str]] = {}
    for topic in ["tensors", "gradients", "data"]:
        page.goto(f"{server}/quiz/{topic}/")
        page.locator(".sk-quiz[data-ready='1']").first.wait_for()
        for quiz in page.locator(".sk-quiz").all():
            kind = json.loads(quiz.get_attribute("data-quiz"))["kind"]
            placeholder = quiz.locator(".sk-answer").get_attribute("placeholder") or ""
            placeholders.setdefault(kind, set()).add(placeholder)
    assert {"number", "integer", "tensor", "shape", "expression"} <= set(placeholders)
    assert all(len(shown) == 1 and "" not in shown for shown in placeholders.values())
    assert len({next(iter(shown)) for shown in placeholders.values()}) == len(placeholders)


def test_quiz_switches_to_korean_and_remembers_it(page, server: str) -> None:  # type: ignore[no-untyped-def]
    quiz, data = _first_quiz(page, f"{server}/quiz/losses/")
    first = data["variants"][0]
    english, korean = first["texts"]["en"], first["texts"]["ko"]
    assert shown_text(quiz.locator(".sk-prompt")) == html_text(page, english["prompt"])

    quiz.locator(".sk-language").click()
    assert shown_text(quiz.locator(".sk-prompt")) == html_text(page, korean["prompt"])
    assert quiz.locator(".sk-check").inner_text() == "확인"
    assert shown_text(quiz.locator(".sk-format")) == html_text(page, korean["format"])
    # Every quiz of the page follows, and the wrong answer gets the Korean feedback.
    assert page.locator(".sk-quiz[lang='ko']").count() == page.locator(".sk-quiz").count()
    shown = _answer_wrong(quiz, answer_text(data["kind"], first["misconceptions"][0]["value"]))
    assert shown == html_text(page, korean["feedback"][0])
    quiz.locator(".sk-solution-button").click()
    expected = html_text(page, korean["solution"])
    assert shown_text(quiz.locator(".sk-solution-text")) == expected

    quiz, _ = _first_quiz(page, f"{server}/quiz/losses/")  # a new visit keeps the choice
    assert shown_text(quiz.locator(".sk-prompt")) == html_text(page, korean["prompt"])
    quiz.locator(".sk-language").click()
    assert shown_text(quiz.locator(".sk-prompt")) == html_text(page, english["prompt"])
    assert quiz.locator(".sk-language").inner_text() == "한국어"


# The search box's line once the index is ready, in either language's interface.
SEARCH_READY = re.compile("Type to start searching|검색어를 입력하세요")


def search_for(page, query: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``query`` into the search box of the page shown; wait for the first results."""
    box = page.locator("input.md-search__input")
    box.click()
    # The index is built by a web worker; typing before it is ready is not searched again.
    page.locator(".md-search-result__meta").filter(has_text=SEARCH_READY).wait_for(timeout=60000)
    box.fill(query)
    box.press("End")  # a key event: Material searches on keyup
    page.wait_for_selector(".md-search-result__item", timeout=30000)


def _search(page, server: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/")
    search_for(page, query)
    return page.locator(".md-search-result__item").all_inner_texts()


def test_search_english(page, server: str) -> None:  # type: ignore[no-untyped-def]
    results = _search(page, server, "softmax")
    assert results
    assert any("softmax" in r.lower() for r in results)


def test_search_korean_word_with_particle(page, server: str) -> None:  # type: ignore[no-untyped-def]
    results = _search(page, server, "텐서")
    # The pages say 텐서를, 텐서는, 텐서의 ...: the bare noun must find them.
    assert any(re.search("텐서[를은는의이가을]", r) for r in results), results


def test_links_between_pages_set_up_math_and_quizzes(page, server: str) -> None:  # type: ignore[no-untyped-def]
    # Start on the home page, then follow links in the pages: the loader sets KaTeX and the
    # quizzes up on every page it arrives at.
    page.goto(f"{server}/")
    page.locator("article a[href*='quiz/']").first.click()  # home -> quiz index
    page.locator("article .sk-progress").first.wait_for()
    page.locator("article a[href*='losses/']").first.click()  # quiz index -> losses quiz
    page.locator(".sk-quiz .sk-answer").first.wait_for()
    assert page.locator(".sk-quiz[data-ready='1']").count() >= 4
    page.locator("article a[href*='notes/losses/']").first.click()  # -> the notes page
    page.wait_for_selector(".arithmatex .katex")
