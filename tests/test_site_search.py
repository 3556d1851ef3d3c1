"""Search on the study site finds every page that holds a term, in Korean and in English.

For each of 10 Korean and 10 English terms a student would look up, the expected pages are
worked out from the built HTML itself: the pages whose article prose (code listings, scripts
and the collapsed source of the API entries left out) has a word that starts with the term
(텐서 in 텐서를, gradient in gradients). Then the term is typed into Material's search box in
Chromium, the result list is scrolled to its end, and every expected page must be among the
results. Korean terms sit inside parentheses and after punctuation in the notes, "(소프트맥스)",
which the search plugin's separator must split off.
"""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest

from tests.site_build import BuiltSite
from tests.test_site_browser import page, search_for, server  # noqa: F401  (fixtures)

# A second group: its own worker builds its own site, beside the "site" group.
pytestmark = pytest.mark.xdist_group("site-2")

KOREAN = (
    "소프트맥스",
    "과적합",
    "브로드캐스팅",
    "기울기",
    "텐서",
    "손실",
    "합성곱",
    "정규화",
    "옵티마이저",
    "역전파",
)
ENGLISH = (
    "softmax",
    "overfitting",
    "broadcasting",
    "gradient",
    "tensor",
    "dropout",
    "convolution",
    "momentum",
    "perceptron",
    "normalization",
)

# Elements whose text is not prose a student searches: code, scripts, and the collapsed
# "Source code in ..." of each API entry (the search index leaves it out on purpose).
SKIPPED = {"pre", "script", "style", "svg", "button", "template"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area"}


class _ArticleText(html.parser.HTMLParser):
    """Collect the text of a page's ``<article>``, outside code listings and source blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, starts a skipped region)
        self._article = 0
        self._skipped = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        skip = tag in SKIPPED or (tag == "details" and "quote" in classes)
        self._stack.append((tag, skip))
        self._article += tag == "article"
        self._skipped += skip

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:  # <img ... />: HTMLParser reports an end tag for it too
            return
        while self._stack:
            open_tag, skip = self._stack.pop()
            self._article -= open_tag == "article"
            self._skipped -= skip
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._article and not self._skipped:
            self.parts.append(data)


def article_text(page_html: str) -> str:
    parser = _ArticleText()
    parser.feed(page_html)
    return " ".join(parser.parts)


def pages_with(site: Path, term: str, language: str = "en") -> set[str]:
    """The site paths ("notes/losses/") whose article has a word starting with ``term``.

    Only the pages of one language site: English at the root, Korean under ``ko/`` (each site
    has its own search index).
    """
    word = re.compile(rf"(?<![^\W_]){re.escape(term)}", re.IGNORECASE)
    found = set()
    for path in site.rglob("index.html"):
        where = path.parent.relative_to(site).as_posix().removeprefix(".") + "/"
        where = where.removeprefix("/")
        if where.startswith("ko/") != (language == "ko"):
            continue
        if word.search(article_text(path.read_text(encoding="utf-8"))):
            found.add(where)
    return found


def _search_all(tab, base: str, query: str, site: str = "") -> set[str]:  # type: ignore[no-untyped-def]
    """Type ``query`` into the search box of ``site``'s home and return every result's path."""
    tab.goto(f"{base}/{site}")
    search_for(tab, query)
    # Material renders ten pages of results, then four more each time the list is scrolled to
    # its end (it reacts to reaching the end, not to being there): scroll up and down again
    # until every page the "N matching documents" line counts is in the list.
    meta = tab.locator(".md-search-result__meta").inner_text()
    total = int(re.sub(r"\D", "", meta) or 1)
    items = tab.locator(".md-search-result__item")
    for _ in range(total):
        if items.count() >= total:
            break
        tab.eval_on_selector(".md-search__scrollwrap", "e => { e.scrollTop = 0; }")
        tab.wait_for_timeout(100)
        tab.eval_on_selector(".md-search__scrollwrap", "e => { e.scrollTop = e.scrollHeight; }")
        tab.wait_for_timeout(200)
    assert items.count() == total, f"{meta}, but {items.count()} results are listed"
    hrefs = tab.eval_on_selector_all(
        ".md-search-result__item a.md-search-result__link", "links => links.map(a => a.href)"
    )
    return {re.split("[?#]", href.removeprefix(base + "/"))[0] for href in hrefs}


def test_terms_are_on_the_pages_they_should_be(built_site: BuiltSite) -> None:
    # The expected sets are not trivially empty or everything: the test can fail both ways.
    softmax = pages_with(built_site.path, "소프트맥스")
    assert "notes/activations/" in softmax
    assert "notes/tensors/" in pages_with(built_site.path, "브로드캐스팅")
    assert "notes/convolution/" not in softmax
    assert all(pages_with(built_site.path, term) for term in KOREAN + ENGLISH)


@pytest.mark.parametrize("term", KOREAN + ENGLISH)
def test_search_finds_every_page_with_the_term(  # type: ignore[no-untyped-def]
    page,  # noqa: F811
    server: str,  # noqa: F811
    built_site: BuiltSite,
    term: str,
) -> None:
    expected = pages_with(built_site.path, term)
    found = _search_all(page, server, term)
    missing = sorted(expected - found)
    assert not missing, f"searching {term!r} misses {len(missing)} of {len(expected)}: {missing}"
    assert not any(p.startswith("ko/") for p in found), "the English site found Korean pages"


@pytest.mark.parametrize("term", KOREAN)
def test_the_korean_site_finds_every_korean_page_with_the_term(  # type: ignore[no-untyped-def]
    page,  # noqa: F811
    server: str,  # noqa: F811
    built_site: BuiltSite,
    term: str,
) -> None:
    expected = pages_with(built_site.path, term, "ko")
    assert any(p.startswith("ko/notes/") for p in expected), expected  # the notes say it
    found = _search_all(page, server, term, "ko/")
    missing = sorted(expected - found)
    assert not missing, f"searching {term!r} misses {len(missing)} of {len(expected)}: {missing}"
    assert all(p.startswith("ko/") for p in found), "the Korean site found English pages"
