"""The study site: it builds strictly, references no external host, and every page is there."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlparse

import pytest

from studykit.questions.charts import CHART_ATTRIBUTES, CHART_TAGS
from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import ALLOWED_TAGS
from studykit.questions.template import load_bank
from studykit.topics import TOPICS
from tests.site_build import BuiltSite

pytestmark = pytest.mark.xdist_group("site")  # one worker builds the site once

LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}
# Attribute values and CSS urls that load or link something.
REFERENCE = re.compile(
    r"""(?:src|href|srcset|action|poster|data)\s*=\s*["']([^"']+)["']"""
    r"""|url\(\s*["']?([^"')]+)"""
)


def test_build_is_strict_and_warning_free(built_site: BuiltSite) -> None:
    assert "WARNING" not in built_site.build_log
    assert (built_site.path / "index.html").exists()


def test_every_topic_has_notes_quiz_and_reference(built_site: BuiltSite) -> None:
    for topic in TOPICS:
        assert (built_site.path / "notes" / topic.id / "index.html").exists(), topic.id
        assert (built_site.path / "quiz" / topic.id / "index.html").exists(), topic.id
    for module in ["tensors", "losses", "optim", "conv", "pooling", "normalization", "rnn"]:
        page = (built_site.path / "reference" / module / "index.html").read_text(encoding="utf-8")
        assert "Torch counterpart" in page
        assert "arithmatex" in page  # the docstrings' LaTeX reached the page for KaTeX


def test_no_external_host_is_referenced(built_site: BuiltSite) -> None:
    offenders = []
    for path in built_site.path.rglob("*"):
        if path.suffix not in {".html", ".css", ".xml", ".json", ".webmanifest"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in REFERENCE.finditer(text):
            target = match.group(1) or match.group(2)
            host = urlparse(target.strip()).hostname or ""
            if target.strip().startswith(("http:", "https:", "//")) and host not in LOCAL_HOSTS:
                offenders.append(f"{path.relative_to(built_site.path)}: {target}")
    assert offenders == []


def _quizzes(built_site: BuiltSite, topic: str) -> list[dict[str, Any]]:
    """The quiz sections of a topic's page: each one's data-quiz and its data file's content."""
    page = (built_site.path / "quiz" / topic / "index.html").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r'data-quiz="([^"]*)"', page):
        meta = json.loads(html.unescape(block))
        data = json.loads((built_site.path / meta["src"]).read_text(encoding="utf-8"))
        out.append({**meta, **data})
    return out


def test_quiz_pages_are_light_and_each_question_ships_fifty_variants(
    built_site: BuiltSite,
) -> None:
    page = built_site.path / "quiz" / "losses" / "index.html"
    assert page.stat().st_size < 100_000  # the variants are in their own files
    assert "Each question comes with 50 prepared variants" in page.read_text(encoding="utf-8")
    quizzes = _quizzes(built_site, "losses")
    assert len(quizzes) >= 4
    for data in quizzes:
        assert data["count"] == len(data["variants"]) >= 50
        assert [v["seed"] for v in data["variants"]] == list(range(data["count"]))
        first = data["variants"][0]
        assert {"answer", "shown", "misconceptions", "texts"} <= set(first)
        assert {"prompt", "choices", "hint", "format", "solution", "feedback"} <= set(
            first["texts"]["en"]
        )
        for variant in data["variants"]:  # every losses question is written in Korean too
            korean = variant["texts"]["ko"]
            assert re.search(r"[\uac00-\ud7a3]", korean["prompt"] + korean["solution"])
            assert len(korean["feedback"]) == len(variant["misconceptions"])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_quiz_texts_are_sanitized_html(built_site: BuiltSite) -> None:
    allowed_attributes = {("span", "class"), ("ol", "start"), ("th", "style"), ("td", "style")}
    allowed_attributes |= CHART_ATTRIBUTES  # a chart block's figure, drawn by studykit
    files = list((built_site.path / "quiz" / "data").rglob("*.json"))
    assert len(files) == len(load_bank(default_questions_dir()).templates)
    for path in files:
        for variant in json.loads(path.read_text(encoding="utf-8"))["variants"]:
            for texts in variant["texts"].values():
                parser = _Tags()
                for text in [
                    texts["prompt"],
                    texts["hint"] or "",
                    texts["solution"],
                    texts["format"],
                ]:
                    parser.feed(text)
                for text in [*texts["choices"], *texts["feedback"]]:
                    parser.feed(text)
                for tag, attributes in parser.tags:
                    assert tag in ALLOWED_TAGS | CHART_TAGS, (path, tag)
                    assert {(tag, name) for name, _ in attributes} <= allowed_attributes, path
                    if tag == "img":
                        assert dict(attributes)["src"].startswith("data:image/svg+xml,"), path
                plain = re.sub(r"<code>.*?</code>", "", texts["prompt"], flags=re.DOTALL)
                assert "`" not in plain, path


def test_the_site_promises_what_it_does(built_site: BuiltSite) -> None:
    home = (built_site.path / "index.html").read_text(encoding="utf-8")
    assert "fresh numbers every time" not in home
    index = (built_site.path / "quiz" / "index.html").read_text(encoding="utf-8")
    assert "50 prepared variants" in index


def test_quiz_headings_read_as_the_titles(built_site: BuiltSite) -> None:
    # The headings are escaped character by character (tests/test_site_hostile.py): the real
    # titles must still read exactly as written, underscores and parentheses included.
    bank = load_bank(default_questions_dir())
    for topic in TOPICS:
        page = (built_site.path / "quiz" / topic.id / "index.html").read_text(encoding="utf-8")
        headings = re.findall(r"<h2 id=[^>]*>(.*?)</h2>", page, re.DOTALL)
        shown = [html.unescape(re.sub(r"<[^>]*>", "", h)).removesuffix("¶") for h in headings]
        expected = [
            " · ".join([t.title, *(x for _, x in t.titles)]) for t in bank.by_topic(topic.id)
        ]
        assert shown == expected, topic.id
        for block in re.findall(r'data-quiz="([^"]*)"', page):
            assert not set("<>&") & set(html.unescape(block))  # JSON escapes, \u003c and so on


def test_the_korean_site_has_korean_quiz_pages(built_site: BuiltSite) -> None:
    """Each quiz page and the index have a Korean twin: Korean words first, the quizzes the same."""
    bank = load_bank(default_questions_dir())
    for topic in TOPICS:
        english = (built_site.path / "quiz" / topic.id / "index.html").read_text(encoding="utf-8")
        page = (built_site.path / "ko" / "quiz" / topic.id / "index.html").read_text(
            encoding="utf-8"
        )
        text = html.unescape(re.sub(r"<[^>]*>", "", page))  # Korean runs sit in <span lang="ko">
        assert f"퀴즈: {topic.korean} ({topic.title})" in text, topic.id
        assert "변형 문제가 50개씩" in page and "Each question comes with" not in page
        assert "변형 문제가 50개씩" not in english  # each page speaks its own language
        headings = re.findall(r"<h2 id=[^>]*>(.*?)</h2>", page, re.DOTALL)
        shown = [html.unescape(re.sub(r"<[^>]*>", "", h)).removesuffix("¶") for h in headings]
        templates = bank.by_topic(topic.id)
        expected = [" · ".join([dict(t.titles)["ko"], t.title]) for t in templates]
        assert shown == expected, topic.id
        # the same quizzes, reading the same data files
        same = re.findall(r'data-quiz="([^"]*)"', english)
        assert re.findall(r'data-quiz="([^"]*)"', page) == same
    index = (built_site.path / "ko" / "quiz" / "index.html").read_text(encoding="utf-8")
    assert "변형 문제가 50개씩" in index and "맞힌 문제" in index
    assert "answered correctly" not in index
    text = html.unescape(re.sub(r"<[^>]*>", "", index))
    for topic in TOPICS:
        assert f"{topic.korean} · {topic.title}" in text, topic.id


def test_vendored_katex_is_served(built_site: BuiltSite) -> None:
    katex = built_site.path / "assets" / "vendor" / "katex"
    assert (katex / "katex.min.js").exists()
    fonts = list((katex / "fonts").glob("*.woff2"))
    assert fonts
    css = (katex / "katex.min.css").read_text(encoding="utf-8")
    for name in re.findall(r"url\((fonts/[^)]+)\)", css):
        assert (katex / name).exists(), name


@pytest.mark.parametrize("topic", [t.id for t in TOPICS])
def test_notes_pages_show_a_computed_example(built_site: BuiltSite, topic: str) -> None:
    page = (built_site.path / "notes" / topic / "index.html").read_text(encoding="utf-8")
    assert "--8<--" not in page
    assert re.search(r"[\uac00-\ud7a3]", page), "the Korean terms are missing"
