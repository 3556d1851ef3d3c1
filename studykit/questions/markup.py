r"""Question texts on every surface: one Markdown parser, rendered as HTML, rich or plain text.

A template's texts (prompt, hint, solution, choices, misconception feedback) are Markdown with
math, rendered by Jinja first (`studykit.questions.render`). This module reads them once, with
markdown-it-py, and renders the one token stream for each surface:

- `to_html`: sanitized HTML for the study site. Raw HTML, links, images, headings and link
  reference definitions are not Markdown here (they stay text), and the HTML then goes through
  nh3 with a short allow-list of tags and attributes: a template is untrusted, and nothing it
  writes may run or link anywhere.
- `to_rich`: a rich renderable for the terminal (rich's own Markdown, fed these tokens),
  which reflows paragraphs to the width it is given.
- `to_plain`: the words a reader sees, for exports and tests.

Line breaks inside a paragraph are soft (the YAML's hard wraps are not the reader's); code
blocks, lists and tables keep their form. Math is ``\(...\)`` or ``$...$`` inline and
``\[...\]`` or ``$$...$$`` displayed (a ``$`` opens math only when followed by a non-space
and closes it only after one, not before a digit, so "$5 and $10" stays text); it is left
untouched: on the site as ``<span class="arithmatex">\(...\)</span>`` for KaTeX, in the
terminal as its TeX source. A fenced block with the info string ``chart`` is a line chart of
the numbers in it (`studykit.questions.charts`): a figure with an SVG image and the table of
values on the site, the same table in the terminal.

The second half says what every surface shows around the texts of one variant: the answer
rounded for display (`shown_answer`), the line saying how to write the answer (`format_line`),
and the variant's texts in one language (`variant_texts`).
"""

from __future__ import annotations

import bisect
import html
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, ClassVar

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.markdown import CodeBlock, Markdown, MarkdownElement
from rich.style import StyleType
from rich.syntax import Syntax
from rich.theme import Theme

from studykit.questions import charts

if TYPE_CHECKING:
    from studykit.questions.checking import Key
    from studykit.questions.template import Template
    from studykit.questions.variant import Solved, Variant

__all__ = [
    "ALLOWED_TAGS",
    "RICH_THEME",
    "VariantTexts",
    "format_line",
    "kind_format",
    "parse",
    "sanitize",
    "shown_answer",
    "template_format_line",
    "to_html",
    "to_plain",
    "to_rich",
    "variant_texts",
]

# Markdown rules that are off: raw HTML, links and images (no template may link or load
# anything), headings (a quiz text sits under the page's own heading) and reference
# definitions (which would silently swallow a line such as "[a]: b").
_OFF = [
    *("html_block", "html_inline", "link", "image", "autolink"),
    *("reference", "heading", "lheading"),
]


MAX_MATH = 2000  # characters in one math span: a longer one is not math (and bounds the search)


def _math(state: StateInline, silent: bool) -> bool:
    r"""The inline rule for ``\(..\)``, ``\[..\]``, ``$$..$$`` and ``$..$``: one ``math`` token."""
    src, start = state.src, state.pos
    if src.startswith(("\\(", "\\["), start):
        closer = "\\)" if src[start + 1] == "(" else "\\]"
        end = src.find(closer, start + 2, start + 2 + MAX_MATH)
        display, inner = src[start + 1] == "[", start + 2
    elif src.startswith("$$", start):
        end = src.find("$$", start + 2, start + 2 + MAX_MATH)
        closer, display, inner = "$$", True, start + 2
    elif src.startswith("$", start):
        end = _dollar_end(state, start + 1)
        closer, display, inner = "$", False, start + 1
    else:
        return False
    if end < 0 or not src[inner:end].strip():
        return False
    if not silent:
        token = state.push("math", "math", 0)
        token.content = src[inner:end].strip()
        token.markup = "display" if display else "inline"
    state.pos = end + len(closer)
    return True


# A ``$`` that may close inline math: not escaped, after a non-space, not before a digit.
_DOLLAR_CLOSER = re.compile(r"(?<=[^\\\s])\$(?!\d)")


def _dollar_end(state: StateInline, inner: int) -> int:
    """Where the ``$`` closing an inline ``$...$`` opened just before ``inner`` is, or -1.

    The opener is followed by a non-space; the closer is the first ``$`` after it that may
    close (see ``_DOLLAR_CLOSER``), with no backtick between them (a code span comes first).
    The candidates are found once per text, so a text full of ``$`` stays linear.
    """
    src = state.src
    if inner >= len(src) or src[inner].isspace():
        return -1
    marks = state.env.get("studykit.dollars")
    if not isinstance(marks, tuple) or marks[0] is not src:
        found = [m.start() for m in _DOLLAR_CLOSER.finditer(src)]
        marks = state.env["studykit.dollars"] = (
            src,
            found,
            [i for i, c in enumerate(src) if c == "`"],
        )
    closers: list[int] = marks[1]
    ticks: list[int] = marks[2]
    at = bisect.bisect_right(closers, inner)
    if at == len(closers):
        return -1
    end = closers[at]
    tick = bisect.bisect_right(ticks, inner)
    if (tick < len(ticks) and ticks[tick] < end) or end - inner > MAX_MATH:
        return -1
    return end


# What may stand right before an emphasis opener: besides the start of the text and
# whitespace, opening brackets and quotes. A ``*`` right after a letter, a digit or a closing
# bracket is an operator (``x*tanh(x)``, ``(a)*(b)``, ``x**2``: formulas that Jinja put in
# the text), never emphasis; Korean particles may still follow a closer (``*음수*를``).
_BEFORE_EMPHASIS = frozenset("([{\"'“‘«「『")


def _emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis rule, except that an opener must start a word (see above)."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    scanned = state.scanDelims(start, marker == "*")
    before = state.src[start - 1] if start > 0 else " "
    can_open = scanned.can_open and (before.isspace() or before in _BEFORE_EMPHASIS)
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _render_math(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A math token as the span KaTeX renders (the TeX escaped, with its delimiters)."""
    token = tokens[idx]
    tex = html.escape(token.content, quote=False)
    if token.markup == "display":
        return f'<span class="arithmatex sk-display">\\[{tex}\\]</span>'
    return f'<span class="arithmatex">\\({tex}\\)</span>'


def _render_fence(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A code block as markdown-it renders it; a ``chart`` block as a placeholder paragraph.

    The placeholder holds a nonce of this rendering, which no template can know; `to_html`
    puts the chart's figure there after sanitizing (the figure is drawn from parsed numbers
    and escaped labels only).
    """
    token = tokens[idx]
    if not charts.is_chart(token.info):
        return renderer.fence(tokens, idx, options, env)
    found: list[charts.Chart] = env.setdefault("studykit.charts", [])
    found.append(charts.parse_chart(token.content))
    return f"<p>{env['studykit.nonce']}-{len(found) - 1}</p>\n"


# A tensor printed over several lines (Jinja's ``tensor`` filter lays out one row per line, as
# torch does) keeps its rows where it starts a line of a paragraph: those lines become a code
# block between the paragraph's other lines ("w1 =" above it, say). A tensor that starts
# inside a line ("Let a = [[1, 2],") flows with the sentence.
_TENSOR_LINE = re.compile(r"(?:[\[\]\d\s.,eE+\-]|nan|inf)*[.,;:]?")
MAX_ROWS = 100  # lines of one tensor kept as a block (and the bound of the search)


def _tensor_rows(lines: list[str], fits: list[bool], start: int) -> int:
    """The end (exclusive) of the multi-line tensor starting at ``lines[start]``, or 0.

    ``fits[i]`` says whether line ``i`` holds only what a printed tensor does.
    """
    if not (fits[start] and lines[start].lstrip().startswith("[[")):
        return 0
    depth = 0
    for end in range(start, min(len(lines), start + MAX_ROWS)):
        if not fits[end]:
            return 0
        depth += lines[end].count("[") - lines[end].count("]")
        if depth <= 0:
            return end + 1 if depth == 0 and end > start else 0
    return 0


def _tensor_blocks(state: StateCore) -> None:
    """The core rule that turns the multi-line tensors starting a paragraph's lines into code."""
    tokens, out = state.tokens, []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != "paragraph_open" or "[[" not in tokens[i + 1].content:
            out.append(token)
            i += 1
            continue
        lines, start = tokens[i + 1].content.split("\n"), 0
        fits = [bool(_TENSOR_LINE.fullmatch(line)) for line in lines]
        text: list[str] = []
        pieces: list[tuple[str, str]] = []
        while start < len(lines):
            end = _tensor_rows(lines, fits, start)
            if end:
                if text:
                    pieces.append(("text", "\n".join(text)))
                    text = []
                pieces.append(("code", "\n".join(lines[start:end]).rstrip() + "\n"))
                start = end
            else:
                text.append(lines[start])
                start += 1
        if text:
            pieces.append(("text", "\n".join(text)))
        for kind, content in pieces:
            out.extend(_block(kind, content.strip() if kind == "text" else content, token))
        i += 3
    state.tokens = out


def _block(kind: str, content: str, paragraph: Token) -> list[Token]:
    """A code block, or a paragraph of ``content``, where ``paragraph`` was."""
    if kind == "code":
        code = Token("code_block", "code", 0, content=content, block=True)
        code.map, code.level = paragraph.map, paragraph.level
        return [code]
    opening = Token("paragraph_open", "p", 1, block=True, map=paragraph.map)
    inline = Token("inline", "", 0, content=content, children=[], map=paragraph.map)
    closing = Token("paragraph_close", "p", -1, block=True)
    opening.level = closing.level = paragraph.level
    inline.level = paragraph.level + 1
    opening.hidden = closing.hidden = paragraph.hidden
    return [opening, inline, closing]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(_OFF)
    parser.enable("table")
    parser.inline.ruler.at("emphasis", _emphasis)
    parser.inline.ruler.before("escape", "math", _math)
    parser.add_render_rule("math", _render_math)
    parser.add_render_rule("fence", _render_fence)
    parser.core.ruler.after("block", "tensor_blocks", _tensor_blocks)
    return parser


def parse(text: str, inline: bool = False) -> list[Token]:
    """The block tokens of ``text`` (``inline``: one paragraph, no block syntax at all).

    Inline texts are the short ones that sit inside a line: a choice, a format line. There
    "1. x" or "- x" are just text.
    """
    parser = _parser()
    if not inline:
        return parser.parse(text)
    return [
        Token("paragraph_open", "p", 1, block=True),
        *parser.parseInline(text),
        Token("paragraph_close", "p", -1, block=True),
    ]


# The HTML a text may become. Everything else is dropped by nh3 (the tag; its text stays).
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "hr",
        "table", "thead", "tbody", "tr", "th", "td", "span",
    }
)  # fmt: skip
_ATTRIBUTES = {"ol": {"start"}, "th": {"style"}, "td": {"style"}}
_CLASSES = {"span": {"arithmatex", "sk-display"}}


def sanitize(markup: str) -> str:
    """``markup`` with only the allowed tags, attributes, classes and styles (nh3)."""
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        filter_style_properties={"text-align"},
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


@lru_cache(maxsize=8192)  # a hint, a choice or a feedback line often repeats across variants
def to_html(text: str, inline: bool = False) -> str:
    r"""``text`` as sanitized HTML (``inline``: phrasing content only, for a button or a line).

    >>> to_html("Compute `a * b`\nfor **a** = 2.")
    '<p>Compute <code>a * b</code>\nfor <strong>a</strong> = 2.</p>'
    >>> to_html("<script>x()</script> \\(x^2\\)", inline=True)
    '&lt;script&gt;x()&lt;/script&gt; <span class="arithmatex">\\(x^2\\)</span>'
    """
    parser = _parser()
    if inline:
        rendered = parser.renderer.render(parser.parseInline(text), parser.options, {})
        return sanitize(rendered).strip()
    env: dict[str, Any] = {"studykit.nonce": secrets.token_hex(16)}
    clean = sanitize(parser.renderer.render(parser.parse(text), parser.options, env))
    for i, chart in enumerate(env.get("studykit.charts", [])):
        clean = clean.replace(f"<p>{env['studykit.nonce']}-{i}</p>", charts.chart_html(chart), 1)
    return clean.strip()


# Styles of the terminal rendering that rich does not define: math, and inline code without
# rich's black background (unreadable on light terminals).
RICH_THEME = Theme({"markdown.math": "italic", "markdown.code": "bold cyan"})


class _CodeBlock(CodeBlock):
    """A code block indented by two columns, with no blank rows of padding around it."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        code = str(self.text).rstrip()
        yield Syntax(code, self.lexer_name, theme=self.theme, word_wrap=True, padding=(0, 2))


class _Fence(MarkdownElement):
    """A fenced block: a chart where its info string says ``chart``, else code."""

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> MarkdownElement:
        if charts.is_chart(token.info):
            return charts.ChartElement(charts.parse_chart(token.content))
        return _CodeBlock.create(markdown, token)


class _TokenMarkdown(Markdown):
    """rich's Markdown, rendering tokens parsed here (so the terminal reads what the site does)."""

    inlines: ClassVar[set[str]] = {*Markdown.inlines, "math"}  # type: ignore[misc]
    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "fence": _Fence,
        "code_block": _CodeBlock,
    }

    def __init__(self, tokens: list[Token], source: str, style: StyleType) -> None:
        super().__init__("", style=style, hyperlinks=False, code_theme="ansi_dark")
        self.markup = source
        self.parsed = tokens


def to_rich(text: str, inline: bool = False, style: StyleType = "none") -> RenderableType:
    """``text`` as a rich renderable: paragraphs reflowed to the width rich gives it.

    Use a console with `RICH_THEME` (``console.push_theme``) for the styles of math and code.
    A bad ``chart`` block raises `charts.ChartError` here, not while the console prints.
    """
    tokens = parse(text, inline)
    charts.check_tokens(tokens)
    return _TokenMarkdown(tokens, text, style)


def to_plain(text: str, inline: bool = False) -> str:
    r"""The words a reader sees: the HTML's text, each block on its own line, code as written.

    >>> to_plain("A *soft*\nbreak, `code` and \\(x\\).\n\n    if x:\n        y\n\n- one\n- two")
    'A soft break, code and \\(x\\).\nif x:\n    y\none\ntwo'
    """
    reader = _TextReader()
    reader.feed(to_html(text, inline))
    reader.close()
    lines = []
    for line in "".join(reader.parts).split("\n"):
        code = line.startswith(_CODE_LINE)
        line = line.replace(_CODE_LINE, "").rstrip() if code else line.strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


_CODE_LINE = "\x01"  # marks a line of a code block, whose spaces are kept


class _TextReader(HTMLParser):
    """The text of sanitized HTML: a soft break is a space; blocks end lines; ``pre`` keeps them."""

    _BLOCKS = frozenset(
        {"p", "li", "pre", "tr", "blockquote", "hr", "br", "ul", "ol", "table", "figcaption"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" ")
        if tag == "pre":
            self._pre += 1
            self.parts.append(_CODE_LINE)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._pre -= 1
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._pre:
            self.parts.append(data.replace("\n", "\n" + _CODE_LINE))
        else:
            self.parts.append(re.sub(r"\s+", " ", data))


# What every surface shows around the texts of one variant.


def shown_answer(key: Key) -> str:
    """The key as a student reads it: numbers to 4 significant digits, shapes as ``(2, 3)``.

    Where the key's precision or tolerance wants other digits, the first of 3, 2, 1, 5, 6, ...
    that the checker accepts. A tensor is laid out one row per line, as torch prints it.
    """
    from studykit.questions.checking import check
    from studykit.questions.render import fmt_shape, fmt_tensor

    value: Any = key.value
    if key.kind == "shape":
        return fmt_shape(value)
    if key.kind not in ("number", "tensor"):
        return str(value)
    for digits in (4, 3, 2, 1, *range(5, 18)):
        text = fmt_tensor(value, digits)
        try:
            if check(" ".join(text.split()), key).correct:
                return text
        except ValueError:
            continue
    return fmt_tensor(value, 17)


# How to write an answer of each kind, where the key does not say (the grading side's
# `answer_format`, when there is one, says it more precisely: significant figures and so on).
KIND_FORMATS: dict[str, dict[str, str]] = {
    "en": {
        "number": "Give a number: 0.25, 1/3, 2.5e-3 and sqrt(2)/2 all work.",
        "integer": "Give a whole number, e.g. 12.",
        "tensor": "Write the tensor as nested lists, e.g. [[1, 2], [3, 4]].",
        "shape": "Write the shape as a tuple, e.g. (2, 3).",
        "expression": "Write a formula, e.g. 2*x*(1 - x).",
        "choice": "Pick one of the choices.",
    },
    "ko": {
        "number": "숫자로 답하십시오. 0.25, 1/3, 2.5e-3, sqrt(2)/2 모두 쓸 수 있습니다.",
        "integer": "정수로 답하십시오. 예: 12",
        "tensor": "텐서는 중첩 리스트로 쓰십시오. 예: [[1, 2], [3, 4]]",
        "shape": "모양(shape)은 튜플로 쓰십시오. 예: (2, 3)",
        "expression": "식으로 답하십시오. 예: 2*x*(1 - x)",
        "choice": "선택지 중 하나를 고르십시오.",
    },
}


def kind_format(kind: str, lang: str) -> str:
    """The generic line of an answer kind, in ``lang`` (English where not translated)."""
    return KIND_FORMATS.get(lang, KIND_FORMATS["en"])[kind]


def format_line(key: Key, lang: str) -> str:
    """One line saying how to write the answer, in ``lang`` (English where not translated).

    The grading side's statement where it has one (``answer_format(key, lang)`` in
    `studykit.questions.checking`, or a ``format`` entry in ``Key.data()``, a string or one
    per language), else the generic line of the key's kind.
    """
    from studykit.questions import checking

    stated: Any = None
    answer_format = getattr(checking, "answer_format", None)
    if callable(answer_format):
        stated = answer_format(key, lang)
    if not stated:
        stated = key.data().get("format")
        if isinstance(stated, dict):
            stated = stated.get(lang) or stated.get("en")
    return _one_line(stated) or kind_format(key.kind, lang)


def template_format_line(template: Template, lang: str, choices: Sequence[str] = ()) -> str:
    """`format_line` before the key is computed (no torch needed).

    From the template's kind and precision (``precision_format`` in
    `studykit.questions.precision`) and a choice question's options.
    """
    from studykit.questions.precision import precision_format

    stated: Any = None
    kind: Any = template.kind  # one of the answer kinds, checked when the template was loaded
    options = {"options": tuple(choices)} if choices else {}
    try:
        stated = precision_format(
            kind,
            getattr(template, "precision", None),
            lang,
            tolerance=None if getattr(template, "precision", None) else template.tolerance,
            **options,
        )
    except (TypeError, ValueError):
        stated = None
    return _one_line(stated) or kind_format(template.kind, lang)


def _one_line(text: Any) -> str:
    return " ".join(text.split()) if isinstance(text, str) else ""


@dataclass(frozen=True)
class VariantTexts:
    """The Markdown texts of one variant in one language, choices apart from the prompt."""

    lang: str
    prompt: str
    choices: list[str]
    hint: str | None
    format: str


def variant_texts(variant: Variant, lang: str, key: Key | None = None) -> VariantTexts:
    """The texts a student sees before answering (``key`` for the format line; solved if None).

    The prompt comes without the lettered choices that `Variant.prompt` appends: each surface
    lays out the choices itself (buttons on the site, a lettered list in the terminal).
    """
    from studykit.questions.render import render_text
    from studykit.questions.variant import solve

    lang = variant.language(lang)
    template = variant.template
    prompt = render_text(template.texts[lang].prompt, variant.params, variant.where)
    has_choices = bool(template.choices or template.auto_choices)
    choices = variant.choices(lang) if has_choices else []
    if key is None:
        key = solve(variant).key
    return VariantTexts(lang, prompt, choices, variant.hint(lang), format_line(key, lang))


def solved_texts(solved: Solved, lang: str) -> tuple[str, list[str]]:
    """The worked solution and the misconceptions' feedback (in their order), in ``lang``."""
    return solved.solution(lang), [m.feedback for m in solved.misconceptions_in(lang)]
