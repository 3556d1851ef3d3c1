"""The one text pipeline (studykit.questions.markup): Markdown with math, for every surface."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pytest
from rich.console import Console

from studykit.questions import checking, markup
from studykit.questions.checking import Key, check
from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import (
    ALLOWED_TAGS,
    RICH_THEME,
    format_line,
    kind_format,
    sanitize,
    shown_answer,
    template_format_line,
    to_html,
    to_plain,
    to_rich,
    variant_texts,
)
from studykit.questions.template import load_bank
from studykit.questions.variant import make_variant, solve
from tests.test_site_hostile import HOSTILE, MARK


def terminal(text: str, width: int = 60, inline: bool = False) -> str:
    """What the terminal shows of ``text`` (no colours), trailing spaces trimmed."""
    console = Console(width=width, no_color=True, theme=RICH_THEME, highlight=False)
    with console.capture() as capture:
        console.print(to_rich(text, inline=inline))
    return "\n".join(line.rstrip() for line in capture.get().splitlines()).strip("\n")


def words(text: str) -> list[str]:
    """The words of a rendering: bullets, list numbers and math delimiters left out."""
    text = re.sub(r"\\[()\[\]]", " ", text)
    return [w for w in text.split() if w != "•"]


class Elements(HTMLParser):
    """Every start tag and its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


# --- Markdown ------------------------------------------------------------------------------------


def test_line_breaks_inside_a_paragraph_are_soft() -> None:
    text = "A binary classifier outputs probabilities whose true class\nis 2, as the notes\nsay."
    html = to_html(text)
    assert html.count("<p>") == 1 and "<br" not in html
    assert to_plain(text) == " ".join(text.split())
    shown = terminal(text, width=100)
    assert shown == " ".join(text.split())  # one line: the hard wraps are gone
    narrow = terminal(text, width=30)
    assert all(len(line) <= 30 for line in narrow.splitlines())
    assert words(narrow) == text.split()


def test_blank_lines_make_paragraphs() -> None:
    html = to_html("one\n\ntwo")
    assert html == "<p>one</p>\n<p>two</p>"
    assert terminal("one\n\ntwo") == "one\n\ntwo"


def test_code_blocks_keep_their_lines() -> None:
    text = "The notes:\n\n    def f(x):\n        return x * 2\n\n```python\nprint(f(3))\n```"
    html = to_html(text)
    assert "<pre><code>def f(x):\n    return x * 2\n</code></pre>" in html
    assert "<pre><code>print(f(3))\n</code></pre>" in html  # no class: none is allowed
    shown = terminal(text)
    assert "def f(x):\n" in shown and "      return x * 2" in shown
    assert "```" not in shown
    assert to_plain(text).splitlines() == [
        "The notes:",
        "def f(x):",
        "    return x * 2",
        "print(f(3))",
    ]


def test_inline_code_bold_and_emphasis() -> None:
    text = "Compute `a * b` for **bold** and *soft* values."
    assert to_html(text) == (
        "<p>Compute <code>a * b</code> for <strong>bold</strong> and <em>soft</em> values.</p>"
    )
    shown = terminal(text)
    assert shown == "Compute a * b for bold and soft values."
    assert "`" not in shown and "*" not in shown.replace("a * b", "")


def test_korean_particles_may_follow_emphasis() -> None:
    assert to_html("작은 *음수*를 **마지막**의 값") == (
        "<p>작은 <em>음수</em>를 <strong>마지막</strong>의 값</p>"
    )


@pytest.mark.parametrize(
    "formula",
    [
        "f(x) = x*tanh(log(1 + exp(x))) and f'(x) = x*(1 - t)**2)*exp(x)",
        "(a)*(b) + (c)*(d)",
        "x**2 + y**2",
        "2*3*4",
        "mnist_loss and x_i - m_j",
    ],
)
def test_operators_in_formulas_are_not_emphasis(formula: str) -> None:
    # Jinja puts formulas computed by sympy into the texts: a * after a letter, a digit or a
    # closing bracket is multiplication, never the start of emphasis.
    html = to_html(formula)
    assert "<em>" not in html and "<strong>" not in html
    assert to_plain(formula) == formula


def test_lists_and_tables_keep_their_form() -> None:
    text = "Steps:\n\n- first\n- second *one*\n\n1. one\n2. two\n\n| a | b |\n|--:|---|\n| 1 | 2 |"
    html = to_html(text)
    assert "<ul>\n<li>first</li>\n<li>second <em>one</em></li>\n</ul>" in html
    assert "<ol>\n<li>one</li>\n<li>two</li>\n</ol>" in html
    assert '<th style="text-align:right">a</th>' in html
    shown = terminal(text)
    assert " • first\n • second one" in shown
    assert re.search(r"1 one\n +2 two", shown)


def test_a_tensor_on_its_own_lines_keeps_its_rows() -> None:
    text = (
        "Take\nw1 =\n[[-0.2, -0.7],\n [ 0.5, -0.2]]\nand b = [1, 2]; a = [[1, 2],\n [3, 4]] flows."
    )
    html = to_html(text)
    assert "<p>Take\nw1 =</p>\n<pre><code>[[-0.2, -0.7],\n [ 0.5, -0.2]]\n</code></pre>" in html
    assert "<p>and b = [1, 2]; a = [[1, 2],\n[3, 4]] flows.</p>" in html  # starts mid-line
    assert "[[-0.2, -0.7],\n   [ 0.5, -0.2]]" in terminal(text)


def test_headings_links_images_and_references_stay_text() -> None:
    text = "# not a heading\n\n[link](http://example.com) ![i](x.png) <http://a.b>\n\n[a]: b"
    html = to_html(text)
    assert elements(html) == [("p", []), ("p", []), ("p", [])]
    assert to_plain(text).splitlines() == [
        "# not a heading",
        "[link](http://example.com) ![i](x.png) <http://a.b>",
        "[a]: b",
    ]


# --- math ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("so \\(a<b * c*\\) holds", 'so <span class="arithmatex">\\(a&lt;b * c*\\)</span> holds'),
        (
            "so $x_1 * y_2 * z$ holds",
            'so <span class="arithmatex">\\(x_1 * y_2 * z\\)</span> holds',
        ),
        ("\\[ \\frac{1}{n} \\]", '<span class="arithmatex sk-display">\\[\\frac{1}{n}\\]</span>'),
        ("$$\n\\sum_i x_i\n$$", '<span class="arithmatex sk-display">\\[\\sum_i x_i\\]</span>'),
        ("costs $5 and $10 in `$x$`", "costs $5 and $10 in <code>$x$</code>"),
        ("an escaped \\$x$ sign", "an escaped $x$ sign"),
    ],
)
def test_math_is_left_untouched_for_katex(text: str, html: str) -> None:
    assert to_html(text) == f"<p>{html}</p>"


def test_math_in_the_terminal_is_its_tex() -> None:
    assert (
        terminal("so \\(x^2 * y\\) holds and $$\\frac{1}{n}$$")
        == "so x^2 * y holds and \\frac{1}{n}"
    )


# --- hostile text --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*HOSTILE, "\n\n".join(HOSTILE), "- " + "\n- ".join(HOSTILE)])
@pytest.mark.parametrize("inline", [False, True])
def test_no_markup_from_a_template_survives(text: str, inline: bool) -> None:
    html = to_html(text, inline=inline)
    for tag, attributes in elements(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes:
            assert (tag, name) in {("span", "class"), ("ol", "start"), ("th", "style")}, name
            assert "javascript" not in (value or "").lower()
    # The template's characters are all shown: as text.
    assert MARK in to_plain(text, inline=inline) or "$x$" in text


def test_the_sanitizer_alone_strips_what_markdown_could_let_through() -> None:
    dirty = (
        f'<p onclick="{MARK}">x<script>{MARK}</script><img src=x onerror="{MARK}">'
        f'<a href="javascript:{MARK}">a</a><span class="arithmatex evil" style="color:red">m</span>'
        f'<td style="text-align:right;background:url(javascript:{MARK})">t</td></p>'
    )
    clean = sanitize(dirty)
    assert "onclick" not in clean and "<script" not in clean and "<img" not in clean
    assert "<a" not in clean and "javascript" not in clean and "evil" not in clean
    assert '<span class="arithmatex">m</span>' in clean


# --- one text, every surface ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank_texts() -> list[str]:
    bank = load_bank(default_questions_dir())
    texts = []
    for template in bank.templates.values():
        variant = make_variant(template, 1)
        solved = solve(variant)
        for lang in template.texts:
            shown = variant_texts(variant, lang, solved.key)
            texts += [shown.prompt, shown.hint or "", solved.solution(lang), *shown.choices]
            texts += [m.feedback for m in solved.misconceptions_in(lang)]
    return [t for t in texts if t]


def test_the_site_and_the_terminal_show_the_same_words(bank_texts: list[str]) -> None:
    for text in bank_texts:
        assert words(to_plain(text)) == words(terminal(text, width=400)), text


def test_no_backticks_reach_a_reader(bank_texts: list[str]) -> None:
    for text in bank_texts:
        html = to_html(text)
        assert "`" not in re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL), text


# --- what surfaces show around the texts -------------------------------------------------------


def test_shown_answer_rounds_for_reading() -> None:
    assert shown_answer(Key("number", 0.1 + 0.2)) == "0.3"
    assert shown_answer(Key("number", 2 / 3)) == "0.6667"
    assert (
        shown_answer(Key("tensor", [[1.0, 2.5], [3.0, 1 / 3]]))
        == "[[     1,    2.5],\n [     3, 0.3333]]"
    )
    assert shown_answer(Key("shape", (2, 3))) == "(2, 3)"
    assert shown_answer(Key("integer", 12)) == "12"


def test_the_shown_answer_is_accepted_by_the_checker() -> None:
    bank = load_bank(default_questions_dir())
    for template in bank.templates.values():
        for seed in range(3):
            key = solve(make_variant(template, seed)).key
            shown = " ".join(shown_answer(key).split())
            assert check(shown, key).correct, (template.id, seed, shown)


class StubKey:
    """A key as `format_line` reads it: its kind, and ``data()`` (with or without a format)."""

    def __init__(self, kind: str, data: dict[str, object]) -> None:
        self.kind = kind
        self._data = data

    def data(self) -> dict[str, object]:
        return self._data


def test_format_line_without_the_grading_side(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checking, "answer_format", lambda key, lang: "", raising=False)
    key = StubKey("shape", {"kind": "shape"})
    assert format_line(key, "en") == kind_format("shape", "en")  # type: ignore[arg-type]
    assert format_line(key, "en") == markup.KIND_FORMATS["en"]["shape"]  # type: ignore[arg-type]
    assert format_line(key, "ko") == "모양(shape)은 튜플로 쓰십시오. 예: (2, 3)"  # type: ignore[arg-type]
    assert format_line(key, "fr") == kind_format("shape", "en")  # type: ignore[arg-type]
    stated = StubKey("number", {"format": {"en": "Three  figures.", "ko": "세 자리."}})
    assert format_line(stated, "ko") == "세 자리."  # type: ignore[arg-type]
    assert format_line(stated, "fr") == "Three figures."  # type: ignore[arg-type]


def test_format_line_before_the_key_is_the_same() -> None:
    bank = load_bank(default_questions_dir())
    for template in bank.templates.values():
        variant = make_variant(template, 0)
        key = solve(variant).key
        for lang in template.texts:
            choices = variant.choices(lang) if template.kind == "choice" else []
            assert template_format_line(template, lang, choices) == format_line(key, lang)


@pytest.mark.parametrize(
    "text",
    ["$1 " * 16000, "$$ x " * 10000, "\\( " * 16000, "[[1],\n" * 8000, "a*b " * 12000],
    ids=["dollars", "double-dollars", "parens", "tensor-rows", "stars"],
)
def test_texts_at_the_size_limit_render_quickly(text: str) -> None:
    # MAX_TEXT characters of what the math and tensor rules look for: no quadratic search.
    started = time.process_time()
    to_html(text)
    terminal(text, width=100)
    assert time.process_time() - started < 5
