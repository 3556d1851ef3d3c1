"""Hostile templates: whatever a template's texts say, nothing of it runs on the study site.

A small bank made from two real templates (a number question and a multiple-choice one, both
in Korean too) whose titles, tags, prompts, hints, solutions, choices and misconception
feedback are script injections: tags, event handlers, ``javascript:`` links in HTML and in
Markdown, a ``</script>`` break-out, attribute break-outs, a Markdown attribute list, a
pre-escaped tag and a title with a line break. Titles are shown as text; the other texts are
Markdown, rendered to HTML without raw HTML, links or images and then sanitized with an
allow-list (`studykit.questions.markup`). The quiz pages' Markdown is checked as written and
as Python-Markdown renders it, and the data files' HTML tag by tag; then the site is built
from the bank and every quiz is used in Chromium (hints, wrong and right answers, the
solution, both languages, the site search), and nothing may have run or turned into markup.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from studykit.questions.markup import ALLOWED_TAGS
from studykit.questions.template import Bank, load_bank
from studykit.questions.verify import answer_text
from studykit.site.quizpages import write_quiz_pages
from tests import test_site_browser
from tests.site_build import ROOT, BuiltSite, build_site
from tests.test_site_browser import html_text, shown_text

# The browser fixture of the site's browser tests (Chromium, no network, no JavaScript errors):
# the `server` it asks for is this module's, which serves the hostile site.
page = test_site_browser.page

MARK = "window.__pwned=1"
HOSTILE = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f"[link](javascript:{MARK})",
    f"![image](javascript:{MARK})",
    f'<a href="javascript:{MARK}">link</a>',
    f'<svg onload="{MARK}">',
    f"</script><script>{MARK}</script>",
    f'" onmouseover="{MARK}" x="',
    f"' onfocus='{MARK}' autofocus x='",
    f"&lt;img src=x onerror={MARK}&gt;",
    f"<iframe src='javascript:{MARK}'></iframe>",
    f"`code` **bold** $x$ \\(y\\) <b>{MARK}</b>",
]
ATTRIBUTE_LIST = f'{{: onclick="{MARK}" }}'  # Markdown's attr_list, at the end of a heading


def _hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def write_hostile_bank(folder: Path) -> Path:
    """Copy two real templates into ``folder``, every text made hostile; return ``folder``."""
    number = _template("losses/binary-cross-entropy.yaml")
    number["title"] = {
        "en": "BCE " + " ".join(HOSTILE) + " " + ATTRIBUTE_LIST,
        "ko": f"이진\n# 새 제목 <script>{MARK}</script>\n\n{ATTRIBUTE_LIST}",
    }
    choice = _template("landscape/component-role.yaml")
    # Python-Markdown's placeholder for the raw HTML it set aside (the quiz's <div>): text too.
    placeholder = "\x02wzxhzdk:0\x03"
    choice["title"] = {
        "en": f"Role {_hostile(7)} {_hostile(1)}",
        "ko": f"역할 {_hostile(2)} {placeholder}",
    }
    choice["choices"] = [
        {"en": f"<< comps[{i}] >> {_hostile(i)}", "ko": f"<< comps[{i}] >> 한 {_hostile(i + 5)}"}
        for i in range(5)
    ]
    for n, data in enumerate([number, choice]):
        data["tags"] = [_hostile(n), _hostile(n + 4), ATTRIBUTE_LIST]
        for i, mistake in enumerate(data["misconceptions"]):
            mistake["feedback"] = {
                "en": f"wrong {_hostile(n + i)}",
                "ko": f"틀림 {_hostile(i + 6)}",
            }
        for lang, texts in data["text"].items():
            for i, field in enumerate(["prompt", "hint", "solution"]):
                texts[field] = texts.get(field, "") + f"\n{lang} {_hostile(n * 3 + i + 1)}\n"
        path = folder / data["topic"] / f"{data['id'].partition('/')[2]}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


def _template(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "questions" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    loaded = load_bank(write_hostile_bank(tmp_path_factory.mktemp("hostile-bank")))
    assert loaded.errors == []
    assert len(loaded.by_topic()) == 2
    return loaded


@pytest.fixture(scope="module")
def pages_dir(bank: Bank, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quiz folder written from the hostile bank: pages and data files."""
    out = tmp_path_factory.mktemp("hostile-pages") / "quiz"
    write_quiz_pages(bank, out, seeds=10)
    return out


@pytest.fixture(scope="module")
def pages(bank: Bank, pages_dir: Path) -> dict[str, str]:
    """The quiz pages' Markdown written from the hostile bank, by topic."""
    return {t.topic: (pages_dir / f"{t.topic}.md").read_text("utf-8") for t in bank.by_topic()}


DATA = re.compile(r'data-quiz="([^"]*)"')
# What may not appear in a page outside the escaped data: tags, handlers, schemes, attr lists.
MARKUP = re.compile(
    r"<\s*/?\s*(?:script|img|svg|iframe|a\s|b>)|\bon\w+\s*=|javascript\s*:|\{:", re.IGNORECASE
)


def _titles(bank: Bank) -> dict[str, str]:
    """Each template's heading as it must read: its titles on one line, joined."""
    return {
        t.id: " · ".join(map(_line, [t.title, *(x for _, x in t.titles)])) for t in bank.by_topic()
    }


def _line(text: str) -> str:
    """``text`` without control characters, its whitespace runs made single spaces."""
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())


@pytest.fixture(scope="module")
def korean_pages(bank: Bank, pages_dir: Path) -> dict[str, str]:
    """The Korean site's twins of the quiz pages (``<topic>.ko.md``), by topic."""
    return {t.topic: (pages_dir / f"{t.topic}.ko.md").read_text("utf-8") for t in bank.by_topic()}


def test_pages_carry_template_text_only_in_escaped_form(
    pages: dict[str, str], korean_pages: dict[str, str]
) -> None:
    both = [*pages.items(), *((f"{topic} (ko)", text) for topic, text in korean_pages.items())]
    for topic, text in both:
        assert MARKUP.findall(DATA.sub("", text)) == [], topic
        headings = [line for line in text.splitlines() if line.startswith("## ")]
        assert len(headings) == 1
        for heading in headings:  # ASCII punctuation only as character references
            assert re.findall(r"[!-/:-@\[-`{-~]", re.sub(r"&#\d+;", "", heading[3:])) == []
        for block in DATA.findall(text):
            assert not set("<>") & set(block)
            json_text = html.unescape(block)
            assert not set("<>&") & set(json_text)  # cannot close a <script> if moved into one
            data = json.loads(json_text)
            assert data["title"].startswith(("BCE <script>", 'Role " onmouseover'))


class _Text(HTMLParser):
    """The text of HTML (character references resolved), and its start tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _read(markup: str) -> _Text:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser


def _text(markup: str) -> str:
    return " ".join("".join(_read(markup).parts).split())


def test_data_round_trips_the_hostile_texts(
    bank: Bank, pages: dict[str, str], pages_dir: Path
) -> None:
    number = bank.templates["losses/binary-cross-entropy"]
    (block,) = DATA.findall(pages["losses"])
    meta = json.loads(html.unescape(block))
    assert meta["title"] == number.title
    data = json.loads((pages_dir.parent / meta["src"]).read_text(encoding="utf-8"))
    texts = data["variants"][0]["texts"]
    assert _text(texts["en"]["hint"]).endswith(f"en {_hostile(2)}")  # as text, not a link
    assert _text(texts["ko"]["feedback"][0]) == f"틀림 {_hostile(6)}"


def test_data_files_hold_only_allowed_html(pages_dir: Path) -> None:
    files = list((pages_dir / "data").rglob("*.json"))
    assert len(files) == 2
    for path in files:
        for variant in json.loads(path.read_text(encoding="utf-8"))["variants"]:
            for texts in variant["texts"].values():
                fields = [texts["prompt"], texts["hint"], texts["solution"], texts["format"]]
                for markup in [*fields, *texts["choices"], *texts["feedback"]]:
                    for tag, attributes in _read(markup or "").tags:
                        assert tag in ALLOWED_TAGS, (path, tag)
                        for name, value in attributes:
                            assert (tag, name) in {("span", "class"), ("ol", "start")}, name
                            assert "javascript" not in (value or "").lower()


class _Elements(HTMLParser):
    """Every start tag with its attributes; the text and the tags of each ``<h2>``."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.headings: list[str] = []
        self.in_headings: list[str] = []
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "h2":
            self.headings.append("")
            self._heading = True
        elif self._heading and ("class", "headerlink") in attrs:
            self._heading = False  # the permalink the toc extension appends
        elif self._heading:
            self.in_headings.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._heading = False

    def handle_data(self, data: str) -> None:
        if self._heading:
            self.headings[-1] += data


def _site_markdown() -> markdown.Markdown:
    """Python-Markdown with the site's extensions (``mkdocs.yml``), snippets left out."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name != "pymdownx.snippets":
            names.append(name)
            configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


def test_rendered_pages_hold_no_markup_from_templates(bank: Bank, pages: dict[str, str]) -> None:
    titles = _titles(bank)
    for topic, text in pages.items():
        parser = _Elements()
        parser.feed(_site_markdown().convert(text))
        for tag, attrs in parser.tags:
            assert tag not in {"script", "img", "svg", "iframe", "b"}, topic
            for name, value in attrs:
                assert not name.startswith("on"), (topic, tag, name)
                assert not (value or "").strip().lower().startswith("javascript"), (topic, tag)
        assert parser.in_headings == []
        # Shown as written, on one line (a line break in a title would end the heading).
        assert parser.headings == [titles[t.id] for t in bank.by_topic(topic)]


# The browser part: the site built from the hostile bank, served on its site_url's port.


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    folder = tmp_path_factory.mktemp("hostile-site")
    questions = write_hostile_bank(folder / "questions")
    return build_site(folder / "site", questions=questions)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(hostile_site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(hostile_site.path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", hostile_site.port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


# Handlers, javascript: URLs and scripts anywhere in the document (no element of Material's
# has an inline handler), and the text of the headings and quizzes, as the reader sees it.
FIND_MARKUP = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      if (attribute.name.toLowerCase().startsWith("on") || value.startsWith("javascript:")) {
        found.push(element.tagName + " " + attribute.name + "=" + attribute.value);
      }
    }
  }
  for (const script of document.querySelectorAll("script")) {
    if (script.textContent.includes("__pwned")) found.push("script " + script.textContent);
  }
  for (const tag of ["img", "svg", "iframe", "b"]) {
    if (document.querySelector("article " + tag)) found.push("<" + tag + "> in the article");
  }
  return found;
}"""


def _clean(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab.evaluate("() => window.__pwned") is None, "a template's script ran"
    assert tab.evaluate(FIND_MARKUP) == []


def _give(quiz, kind: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    """Answer: click the choice's button, or type the answer and press Check."""
    if kind == "choice":
        quiz.locator(f".sk-choice[data-letter='{answer}']").click()
    else:
        quiz.locator(".sk-answer").fill(answer)
        quiz.locator(".sk-check").click()


def _use_quiz(page, quiz, data: dict[str, Any], index: int, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Show the hint, answer every misconception and then right, show the solution."""
    while quiz.get_attribute("lang") != lang:
        quiz.locator(".sk-language").click()
    variant = data["variants"][index]
    texts = variant["texts"][lang]
    assert shown_text(quiz.locator(".sk-prompt")) == html_text(page, texts["prompt"])
    for i, choice in enumerate(texts["choices"]):
        shown = quiz.locator(".sk-choice-text").nth(i)
        assert shown_text(shown) == html_text(page, choice)
    quiz.locator(".sk-hint-button").click()
    assert shown_text(quiz.locator(".sk-hint")) == html_text(page, texts["hint"])
    kind = data["kind"]
    for i, mistake in enumerate(variant["misconceptions"]):
        _give(quiz, kind, answer_text(kind, mistake["value"]))
        expected = html_text(page, texts["feedback"][i])
        assert shown_text(quiz.locator(".sk-feedback")) == expected
    _give(quiz, kind, answer_text(kind, variant["answer"]["value"]))
    quiz.locator(".sk-correct").wait_for()
    quiz.locator(".sk-solution-button").click()
    expected = html_text(page, texts["solution"])
    assert shown_text(quiz.locator(".sk-solution-text")) == expected
    quiz.locator(".sk-solution summary").hover()


@pytest.mark.xdist_group("site")  # one worker runs the browser tests, one Chromium at a time
def test_hostile_quizzes_run_nothing_in_the_browser(page, server: str, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    titles = _titles(bank)
    for topic in sorted({t.topic for t in bank.by_topic()}):
        page.goto(f"{server}/quiz/")
        page.locator(f"article a[href='{topic}/']").first.click()  # the index's link
        page.locator(".sk-quiz[data-ready='1']").first.wait_for()
        assert page.evaluate("() => location.pathname") == f"/quiz/{topic}/"
        _clean(page)
        shown = page.locator("article h2").all_inner_texts()
        headings = [" ".join(h.split()).removesuffix("¶") for h in shown]  # less the permalink
        assert headings == [titles[t.id] for t in bank.by_topic(topic)]
        page.locator("article h2").first.hover()
        for n in range(page.locator(".sk-quiz").count()):
            quiz = page.locator(".sk-quiz").nth(n)
            test_site_browser._load(page, quiz)
            data = test_site_browser._variants(page, quiz)
            assert data["title"] == bank.templates[data["id"]].title
            _use_quiz(page, quiz, data, 0, "en")
            quiz.locator(".sk-next").click()
            _use_quiz(page, quiz, data, 1, "ko")
            _clean(page)

    # The site search shows the quiz sections' headings, as HTML: still only text.
    test_site_browser.search_for(page, "onerror")
    results = page.locator(".md-search-result__item")
    assert any("<img src=x onerror=" in text for text in results.all_inner_texts())
    results.first.hover()
    _clean(page)
