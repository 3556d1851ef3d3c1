"""The study site: it builds strictly, references no external host, and every page is there."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlparse

import pytest

from studykit.questions.commands import default_questions_dir
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
    for module in ["tensors", "losses", "optim", "conv", "normalization", "rnn"]:
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


def test_quiz_pages_carry_at_least_ten_variants_per_question(built_site: BuiltSite) -> None:
    page = (built_site.path / "quiz" / "losses" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'data-quiz="([^"]*)"', page)
    assert len(blocks) >= 4
    for block in blocks:
        data = json.loads(html.unescape(block))
        assert len(data["variants"]) >= 10
        assert {"prompt", "answer", "solution", "misconceptions"} <= set(data["variants"][0])
        for variant in data["variants"]:  # every losses question is written in Korean too
            korean = variant["translations"]["ko"]
            assert re.search(r"[\uac00-\ud7a3]", korean["prompt"] + korean["solution"])
            assert len(korean["feedback"]) == len(variant["misconceptions"])


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
