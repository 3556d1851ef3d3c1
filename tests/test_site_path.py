"""The study path through the site: home page, navigation, quiz progress and the 404 page.

Static checks read the built pages: the home page links every topic in the notes' order, the
overview comes first, the tabs are there, the previous / next links at the foot of the pages
chain every page of the navigation in one order (notes, quizzes, then the API reference in the
order the notes teach its modules), and the 404 page links back at any depth.

Browser checks (Debian's Chromium, as in tests/test_site_browser.py) follow a student: home,
the first note, its quiz, its reference page, then the next note; a question answered right
shows on the quiz index; a phone-sized screen can open the navigation drawer and never scrolls
sideways; a missing address shows the site's 404 page, whose links lead back.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import re
import threading
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from studykit.questions.verify import answer_text
from studykit.site.quizpages import study_order
from studykit.topics import TOPICS
from tests.site_build import ROOT, BuiltSite
from tests.test_site_browser import _first_quiz, page  # noqa: F401  (page: the browser fixture)

pytestmark = pytest.mark.xdist_group("site")

NOTES = [topic.id for topic in study_order()]
# Each API reference page and the topic whose note teaches its module.
REFERENCE_TOPICS = {
    "landscape": "landscape",
    "tensors": "tensors",
    "losses": "losses",
    "autograd": "gradients",
    "symbolic": "gradients",
    "optim": "optimizers",
    "activations": "activations",
    "models": "models",
    "conv": "convolution",
    "pooling": "convolution",
    "regularization": "regularization",
    "normalization": "normalization",
    "preprocessing": "preprocessing",
    "data": "data",
    "rnn": "sequences",
    "embeddings": "sequences",
}
TABS = ["Home", "Notes", "Quizzes", "Drills", "API reference", "Contributing"]
NOT_STARTED = "not started · 시작 전"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}  # wide enough for Material's tabs (1220 px and up)


# Elements with no end tag: they open nothing.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class _Links(HTMLParser):
    """The links of a page: (href, text, class) for each ``<a>``, by where they are."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article: list[tuple[str, str, str]] = []
        self.other: list[tuple[str, str, str]] = []
        self._depth = 0  # open elements inside <article>, 0 outside
        self._open: list[str] | None = None  # href, text and class of the open <a>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if (tag == "article" or self._depth) and tag not in VOID:
            self._depth += 1
        if tag == "a":
            values = dict(attrs)
            self._open = [values.get("href") or "", "", values.get("class") or ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            href, text, cls = self._open
            (self.article if self._depth else self.other).append((href, text.strip(), cls))
            self._open = None
        if self._depth and tag not in VOID:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1] += data


def _links(site: Path, url: str) -> _Links:
    """The links of the page at ``url`` (a path such as ``/notes/losses/``)."""
    parser = _Links()
    parser.feed(_file(site, url).read_text(encoding="utf-8"))
    return parser


def _file(site: Path, url: str) -> Path:
    """The built file served at ``url`` (a folder's ``index.html``)."""
    path = site / urlsplit(url).path.lstrip("/")
    return path / "index.html" if url.endswith("/") or path.is_dir() else path


def _resolve(url: str, href: str) -> str:
    """``href`` on the page at ``url`` as a path from the site's root (``/quiz/``)."""
    path = urlsplit(urljoin(f"http://site{url}", href)).path
    return path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"


def _footer(site: Path, url: str, kind: str) -> str | None:
    """Where the page's previous or next footer link leads, or None without one."""
    for href, _, cls in _links(site, url).other:
        if f"md-footer__link--{kind}" in cls.split():
            return _resolve(url, href)
    return None


@functools.cache
def _chain(site: Path) -> tuple[str, ...]:
    """Every page in navigation order, found by following the next links from the home page."""
    pages = ["/"]
    while (following := _footer(site, pages[-1], "next")) is not None:
        assert following not in pages, f"the next links loop back to {following}"
        pages.append(following)
    return tuple(pages)


def test_the_overview_is_the_first_note_then_the_course() -> None:
    assert NOTES[0] == "landscape"
    assert NOTES[1:] == [topic.id for topic in TOPICS if topic.id != "landscape"]


def test_the_home_page_links_every_topic_in_the_notes_order(built_site: BuiltSite) -> None:
    notes = [_resolve("/", href) for href, _, _ in _links(built_site.path, "/").article]
    firsts = list(dict.fromkeys(url for url in notes if url.startswith("/notes/")))
    assert firsts == [f"/notes/{topic}/" for topic in NOTES]
    home = _file(built_site.path, "/").read_text(encoding="utf-8")
    items = re.findall(r"<li>(.*?)</li>", home[home.index("<article") :], re.DOTALL)
    for topic in TOPICS:  # the topic's line names it in Korean too
        lines = [
            unescape(re.sub(r"<[^>]+>", "", item)) for item in items if _links_to(item, topic.id)
        ]
        assert any(topic.korean in line for line in lines), topic.id


def _links_to(item: str, topic: str) -> bool:
    """Whether a list item of the home page links the topic's note."""
    return f'href="notes/{topic}/"' in item


def test_the_developer_material_moved_to_contributing(built_site: BuiltSite) -> None:
    home, contributing = (_text(built_site.path, url) for url in ["/", "/contributing/"])
    for text in ["pip install", "studykit verify", "Add a question", "site-pages"]:
        assert text not in home, text
        assert text in contributing, text
    for command in ["studykit review", "studykit quiz"]:  # the study flow stays on the home page
        assert command in home, command


def _text(site: Path, url: str) -> str:
    """What the article of the page at ``url`` reads (tags dropped: code is highlighted)."""
    source = _file(site, url).read_text(encoding="utf-8")
    article = source[source.index("<article") : source.index("</article>")]
    return unescape(re.sub(r"<[^>]+>", "", article))


def test_the_tabs_are_the_sections(built_site: BuiltSite) -> None:
    for url in ["/", "/notes/landscape/", "/quiz/", "/reference/optim/", "/contributing/"]:
        tabs = [(h, t) for h, t, c in _links(built_site.path, url).other if "md-tabs__link" in c]
        assert [text for _, text in tabs] == TABS, url
        for href, _ in tabs:
            assert _file(built_site.path, _resolve(url, href)).exists(), (url, href)


def test_every_page_links_its_neighbours_in_the_footer(built_site: BuiltSite) -> None:
    pages = _chain(built_site.path)
    assert len(pages) >= 1 + 2 * len(NOTES) + 1 + len(REFERENCE_TOPICS) + 1
    assert _footer(built_site.path, pages[0], "prev") is None
    for before, after in itertools.pairwise(pages):
        assert _footer(built_site.path, after, "prev") == before, after
    built = {p.parent for p in built_site.path.rglob("index.html")}
    built = {p for p in built if p.relative_to(built_site.path).parts[:1] != ("ko",)}  # English
    for folder in ["notes", "quiz", "reference"]:  # every built page of a section is chained
        shown = {_file(built_site.path, url).parent for url in pages}
        assert {p for p in built if p.parent.name == folder} <= shown, folder


def test_the_navigation_follows_the_notes_order(built_site: BuiltSite) -> None:
    pages = _chain(built_site.path)
    sections = [url.split("/")[1] for url in pages]
    assert list(dict.fromkeys(sections)) == [
        "",
        "notes",
        "quiz",
        "drills",
        "reference",
        "contributing",
        "questions",
    ]
    assert [u for u in pages if u.startswith("/notes/")] == [f"/notes/{t}/" for t in NOTES]
    assert [u for u in pages if u.startswith("/quiz/")] == ["/quiz/"] + [
        f"/quiz/{t}/" for t in NOTES
    ]
    coded = [t for t in NOTES if t != "landscape"]  # the overview has no code to write
    assert [u for u in pages if u.startswith("/drills/")] == ["/drills/"] + [
        f"/drills/{t}/" for t in coded
    ]
    modules = [u.split("/")[2] for u in pages if u.startswith("/reference/")]
    assert sorted(modules) == sorted(p.stem for p in (ROOT / "docs" / "reference").glob("*.md"))
    taught = [NOTES.index(REFERENCE_TOPICS[module]) for module in modules]
    assert taught == sorted(taught), modules


def test_the_quiz_index_lists_every_quiz_with_a_progress_cell(built_site: BuiltSite) -> None:
    index = _file(built_site.path, "/quiz/").read_text(encoding="utf-8")
    quizzes = [_resolve("/quiz/", href) for href, _, _ in _links(built_site.path, "/quiz/").article]
    assert [u for u in quizzes if u != "/quiz/"] == [f"/quiz/{topic}/" for topic in NOTES]
    cells = re.findall(r'class="sk-progress" data-topic="([^"]+)"', index)
    assert cells == NOTES
    # The generated page holds no script (its text comes from untrusted templates); the site's
    # loader fetches quiz-progress.js where progress cells are.
    assert "<script" not in index.split('<div class="md-content"')[1].split("</article>")[0]
    assert (built_site.path / "assets" / "js" / "quiz-progress.js").exists()


def test_the_404_page_links_back_from_any_depth(built_site: BuiltSite) -> None:
    missing = "/notes/no-such-topic/deeper/"
    text = (built_site.path / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in text and "페이지를 찾을 수 없습니다" in text
    parser = _Links()
    parser.feed(text)
    hrefs = [href for href, _, _ in parser.article]
    assert all(href.startswith("/") for href in hrefs), hrefs  # the same from every depth
    targets = [_resolve(missing, href) for href in hrefs]
    assert targets == ["/", "/notes/landscape/", "/quiz/"]
    for url in targets:
        assert _file(built_site.path, url).exists(), url
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assert styles and all(href.startswith("/") for href in styles)  # styled at any depth too


# --- in the browser ------------------------------------------------------------------------


class _Pages(http.server.SimpleHTTPRequestHandler):
    """A static server that answers a missing address with the site's 404.html, as hosts do."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page_404 = Path(str(self.directory)) / "404.html"
        if code != 404 or not page_404.exists():
            super().send_error(code, message, explain)
            return
        body = page_404.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(built_site: BuiltSite) -> Iterator[str]:
    """The built site on its site_url's port."""
    handler = functools.partial(_Pages, directory=str(built_site.path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", built_site.port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _follow(page, selector: str, path: str, heading: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Click the first link matching ``selector``; wait for the page at ``path`` to show.

    The wait is for the new page's heading, not only its address.
    """
    page.locator(selector).first.click()
    _shown(page, path, heading)


def _shown(page, path: str, heading: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Wait until the page at ``path`` is on screen, its first heading holding ``heading``."""
    page.wait_for_function(
        "([path, heading]) => location.pathname === path &&"
        " ((document.querySelector('article h1') || {}).textContent || '').includes(heading)",
        arg=[path, heading],
    )


def test_a_student_goes_from_home_to_the_next_note(page, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    first, following = NOTES[0], NOTES[1]
    title = "The landscape of machine learning"
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server}/")
    # The links are relative: match their ends.
    _follow(page, f"article a[href$='notes/{first}/']", f"/notes/{first}/", title)

    _follow(page, f"article a[href$='quiz/{first}/']", f"/quiz/{first}/", f"Quiz: {title}")
    page.locator(".sk-quiz[data-ready='1']").first.wait_for()  # the quiz is set up

    page.go_back()
    _shown(page, f"/notes/{first}/", title)
    reference = f"/reference/{first}/"
    _follow(page, f"article a[href$='{reference[1:]}']", reference, f"studykit.{first}")

    page.go_back()
    _shown(page, f"/notes/{first}/", title)
    _follow(page, ".md-footer__link--next", f"/notes/{following}/", "Tensors")
    assert title in page.inner_text(".md-footer__link--prev")


def _progress(page) -> dict[str, str]:  # type: ignore[no-untyped-def]  # noqa: F811
    """Each topic's progress cell on the quiz index, once the script has filled them."""
    page.wait_for_function(
        "n => document.querySelectorAll('.sk-progress[data-state]').length === n", arg=len(NOTES)
    )
    cells = page.locator(".sk-progress")
    return {
        cells.nth(n).get_attribute("data-topic"): cells.nth(n).inner_text().strip()
        for n in range(cells.count())
    }


def test_the_quiz_index_shows_a_right_answer(page, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server}/quiz/")
    assert _progress(page) == {topic: NOT_STARTED for topic in NOTES}

    quiz, data = _first_quiz(page, f"{server}/quiz/losses/")
    quiz.locator(".sk-answer").fill(
        answer_text(data["kind"], data["variants"][0]["answer"]["value"])
    )
    quiz.locator(".sk-check").click()
    quiz.locator(".sk-correct").wait_for()

    page.locator(".md-tabs__link", has_text="Quizzes").click()  # Material's instant navigation
    page.wait_for_url(f"{server}/quiz/")
    shown = _progress(page)
    total = page.locator(".sk-progress[data-topic='losses']").evaluate(
        "cell => JSON.parse(cell.dataset.progress).questions.length"
    )
    assert shown.pop("losses") == f"1 / {total}"
    assert shown == {topic: NOT_STARTED for topic in NOTES if topic != "losses"}
    bar = page.locator(".sk-progress[data-topic='losses'] progress")
    assert bar.evaluate("bar => [bar.value, bar.max]") == [1, total]

    page.evaluate("() => localStorage.setItem('studykit.progress.v1', '{not json')")
    page.reload()
    assert _progress(page) == {topic: NOT_STARTED for topic in NOTES}


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The page is no wider than the screen and cannot be scrolled sideways."""
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    scrolled = page.evaluate(
        "() => { window.scrollTo(500, window.scrollY); return window.scrollX; }"
    )
    assert width <= PHONE["width"] and scrolled == 0, width


def test_a_phone_can_read_and_open_the_navigation(page, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size(PHONE)
    for path in ["/", f"/notes/{NOTES[2]}/"]:
        page.goto(f"{server}{path}")
        page.wait_for_selector("article h1")
        _no_sideways_scroll(page)
        drawer = page.locator(".md-sidebar--primary")
        assert not _inside(drawer)  # closed: off the screen
        page.locator("label.md-header__button[for='__drawer']").click()
        page.wait_for_function(
            "() => { const r = document.querySelector('.md-sidebar--primary')"
            ".getBoundingClientRect(); return r.left >= 0 && r.width > 0; }"
        )
        assert _inside(drawer), path
        links = page.locator(".md-sidebar--primary a.md-nav__link")
        assert any(_inside(links.nth(n)) for n in range(links.count())), path
        _no_sideways_scroll(page)


def _inside(locator) -> bool:  # type: ignore[no-untyped-def]
    """Whether the element's box lies on the phone's screen (left edge within it)."""
    box = locator.bounding_box()
    return box is not None and 0 <= box["x"] < PHONE["width"] and box["width"] > 0


def test_a_missing_page_shows_the_site_404_with_links_back(page, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size(DESKTOP)
    response = page.goto(f"{server}/notes/no-such-topic/deeper/")
    assert response is not None and response.status == 404
    assert "Page not found" in page.inner_text("article h1")
    position = page.evaluate(
        "() => getComputedStyle(document.querySelector('.md-header')).position"
    )
    assert position == "sticky"  # Material's stylesheet loaded at this depth
    page.locator("article a", has_text="Quizzes").click()
    page.wait_for_url(f"{server}/quiz/")
    assert _progress(page) == {topic: NOT_STARTED for topic in NOTES}
