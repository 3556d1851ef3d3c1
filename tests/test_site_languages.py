"""The study site in two languages: English at the root, Korean under ``ko/`` (issue 17).

In Chromium, as a student would: switch a note to Korean with the header's language switch
and land on the same note; follow the Korean note's link to its quiz, whose questions speak
Korean; search the Korean site in Korean and get Korean pages only; switch back and get the
English quiz. A first visit from a browser set to Korean lands on the Korean page it asked for.
"""

from __future__ import annotations

import re

import pytest

from tests.site_build import BuiltSite
from tests.test_site_browser import (  # noqa: F401  (fixtures)
    ARGS,
    CHROMIUM,
    _require_chromium,
    page,
    search_for,
    server,
)

pytestmark = pytest.mark.xdist_group("site")


def _switch(tab, language: str) -> None:  # type: ignore[no-untyped-def]
    """Use the header's language switch (its menu opens on hover; the link is what counts)."""
    tab.locator(".md-header .md-select").hover()
    tab.locator(f".md-select__link[hreflang='{language}']").click()


def test_every_note_and_the_home_page_exist_in_korean(built_site: BuiltSite) -> None:
    assert (built_site.path / "ko" / "index.html").is_file()
    notes = sorted(p.name for p in (built_site.path / "notes").iterdir() if p.is_dir())
    for note in notes:
        korean = (built_site.path / "ko" / "notes" / note / "index.html").read_text("utf-8")
        assert '<html lang="ko"' in korean, note
        assert "다음 단계" in korean, note  # the generated next steps, in Korean


def test_a_note_switches_to_korean_and_its_quiz_follows(page, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"{server}/notes/losses/")
    assert page.locator("html").get_attribute("lang") == "en"
    _switch(page, "ko")
    page.wait_for_url(f"{server}/ko/notes/losses/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "손실 함수" in page.locator("article h1").inner_text()
    page.wait_for_selector(".arithmatex .katex")  # the formulas render on the Korean page

    page.locator("article a", has_text="손실 함수 퀴즈").click()  # the note's next steps
    page.wait_for_url(f"{server}/ko/quiz/losses/")
    quiz = page.locator(".sk-quiz").first
    quiz.scroll_into_view_if_needed()
    page.locator(".sk-quiz[data-ready='1']").first.wait_for()
    assert quiz.get_attribute("lang") == "ko"  # the quiz follows the page's language
    assert re.search("[가-힣]", quiz.locator(".sk-prompt").inner_text())

    _switch(page, "en")
    page.wait_for_url(f"{server}/quiz/losses/")
    page.locator(".sk-quiz[data-ready='1']").first.wait_for()
    assert page.locator(".sk-quiz").first.get_attribute("lang") == "en"


def test_the_korean_site_searches_korean_pages(page, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"{server}/ko/")
    search_for(page, "과적합")
    hrefs = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    assert any(h.startswith(f"{server}/ko/notes/regularization/") for h in hrefs), hrefs
    assert all(h.startswith(f"{server}/ko/") for h in hrefs), hrefs
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url(re.compile(rf"^{re.escape(server)}/ko/"))


@pytest.mark.parametrize(
    ("locale", "lands"), [("ko-KR", "/ko/notes/losses/"), ("en-US", "/notes/losses/")]
)
def test_a_first_visit_lands_in_the_browsers_language(
    server: str,  # noqa: F811
    locale: str,
    lands: str,
) -> None:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale=locale)
        tab = context.new_page()
        tab.goto(f"{server}/notes/losses/")
        tab.wait_for_url(f"{server}{lands}")
        tab.wait_for_load_state("load")
        # A reader's own choice wins from then on: back to English, and it stays English.
        if locale.startswith("ko"):
            _switch(tab, "en")
            tab.wait_for_url(f"{server}/notes/losses/")
            tab.goto(f"{server}/notes/tensors/")
            tab.wait_for_load_state("load")
            assert tab.url == f"{server}/notes/tensors/"
        browser.close()
