r"""Line charts in question texts: a ``chart`` block of numbers, drawn by studykit itself.

A question about training curves (학습 곡선) needs a plot: "the validation loss turns up after
epoch 6: overfitting (과적합)". A text asks for one with a fenced block whose info string is
``chart`` and whose body is plain data, one ``key: value`` per line:

    ```chart
    title: Loss per epoch
    x: epoch
    y: loss
    train: 0.92, 0.61, 0.44, 0.35
    validation: 0.95, 0.70, 0.58, 0.61
    ```

``title``, ``x`` and ``y`` are the chart's title and axis labels, ``start`` the first x value
(a whole number, 1 by default: epochs are counted from 1); every other line is a series (계열):
its name, then its values at x = start, start + 1, ... The names are the text's own words, so a
Korean text labels its curves 훈련 and 검증. Jinja writes the values
(``train: << train | join(', ') >>``).

`markup` turns the block into, on the site (`chart_html`), a figure: the title as its
caption, an SVG line chart drawn here from the parsed numbers only (`chart_svg`: axes with
ticks, one line per series in the Okabe-Ito colours and its own dash pattern, a dot per x, a
legend, mid-grey ink that reads on light and dark pages; the same numbers give the same
bytes) and the table of the values; in the terminal (`chart_rich`), the title and the same
table. Both show the same words (`markup.to_plain` reads the site's).

The SVG rides in an ``<img>`` as a ``data:`` URI: an image cannot run anything, it keeps its
own colours inside the page, and it survives where HTML is copied into another tool (an LMS
question, a flash card, a printed worksheet) that drops inline ``<svg>``. The URI is
percent-encoded rather than base64 (a third smaller, and it compresses: a quiz ships one chart
per variant and language). Its ``alt`` text names the title, the axes and the series; the
table beside it holds every value, for a screen reader and for reading values exactly.

Nothing of the block reaches the HTML unparsed: the values are numbers, and every label is
escaped. A block that is not a chart is one line naming the line and the key
(`ChartError`, a `RenderError`), never a half-drawn figure::

    >>> parse_chart("title: t\ntrain: 0.9, 0.5x").series
    Traceback (most recent call last):
    ...
    studykit.questions.charts.ChartError: chart line 2 (train): value 2 is not a number: '0.5x'

Common mistakes: series of different lengths (every series has one value per x); a value
written with a unit or a percent sign (``0.5%``); more than `MAX_POINTS` points.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import MarkdownElement
from rich.table import Table

from studykit.questions.render import RenderError, fmt_num

__all__ = [
    "CHART_ATTRIBUTES",
    "CHART_TAGS",
    "MAX_LABEL",
    "MAX_POINTS",
    "MAX_SERIES",
    "Chart",
    "ChartElement",
    "ChartError",
    "Series",
    "alt_text",
    "chart_html",
    "chart_rich",
    "chart_svg",
    "check_charts",
    "check_tokens",
    "is_chart",
    "parse_chart",
]

MAX_POINTS = 200  # values of one series
MAX_SERIES = 6  # lines in one chart (the Okabe-Ito colours, less the pale yellow)
MAX_LABEL = 80  # characters of a title, an axis label or a series name
MAX_START = 1_000_000  # size of the first x value

CHART_TAGS = frozenset({"figure", "figcaption", "img"})
"""The tags a chart adds to a text's sanitized HTML (its table's tags are allowed anyway)."""
CHART_ATTRIBUTES = frozenset(
    {("figure", "class"), *(("img", name) for name in ("src", "alt", "width", "height", "style"))}
)
"""The attributes on them; an image's ``src`` is always a ``data:image/svg+xml,`` URI."""

# The Okabe-Ito colours of `studykit.plots.style` (not imported: that module is matplotlib's)
# and the mid grey that reads on the site's light and dark pages alike.
COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
INK = "#808080"
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")  # told apart without colour too

_TEXT_KEYS = ("title", "x", "y")
_CHART_FENCE = re.compile(r"^[ \t>*+\-\d.)]*(?:`{3,}|~{3,})[ \t]*chart[ \t]*$", re.I | re.M)
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


class ChartError(RenderError):
    """A ``chart`` block that is not a chart (one line: the block's line and key)."""


@dataclass(frozen=True)
class Series:
    """One line of the chart: its name and its values at x = start, start + 1, ..."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A parsed ``chart`` block."""

    title: str
    x_label: str
    y_label: str
    start: int
    series: tuple[Series, ...]

    @property
    def xs(self) -> range:
        """The x values: ``start``, ``start + 1``, ... (one per value of a series)."""
        return range(self.start, self.start + len(self.series[0].values))

    @property
    def x_heading(self) -> str:
        """The x axis label, or ``x`` where the block gives none (the table's first heading)."""
        return self.x_label or "x"


def check_charts(text: str) -> None:
    """Parse every ``chart`` block of a Markdown text (raises `ChartError` for a bad one).

    For the renderer of template texts: a bad chart is then the template's error, found by
    ``studykit verify``, rather than the site's or the terminal's.
    """
    if _CHART_FENCE.search(text):
        from studykit.questions.markup import parse

        check_tokens(parse(text))


def check_tokens(tokens: Sequence[Token]) -> None:
    """Parse every ``chart`` block among markdown-it's block tokens (`ChartError` if bad)."""
    for token in tokens:
        if token.type == "fence" and is_chart(token.info):
            parse_chart(token.content)


def is_chart(info: str) -> bool:
    """Whether a fence's info string asks for a chart (``chart``, any case, nothing after)."""
    return info.strip().lower() == "chart"


def parse_chart(body: str) -> Chart:
    """The chart a ``chart`` block's body describes.

    Raises:
        ChartError: A line is not ``key: value``, a key is given twice, a label is too long, a
            value is not a finite number, the series differ in length, or there are no series,
            too many of them or too many points.
    """
    texts: dict[str, str] = {}
    start = 1
    series: list[Series] = []
    seen: set[str] = set()
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key, value = _clean(key), value.strip()
        if not colon or not key:
            raise ChartError(f'chart line {number}: expected "key: value", got {_quote(line)}')
        if key in seen:
            raise ChartError(f"chart line {number} ({key}): given twice")
        seen.add(key)
        if key in _TEXT_KEYS:
            texts[key] = _label(value, number, key)
        elif key == "start":
            start = _start(value, number)
        else:
            series.append(Series(_label(key, number, "series name"), _values(value, number, key)))
    _check_series(series)
    return Chart(
        texts.get("title", ""), texts.get("x", ""), texts.get("y", ""), start, tuple(series)
    )


def _clean(text: str) -> str:
    """``text`` with control characters dropped and runs of whitespace as one space."""
    if text.isprintable():  # no control character (Cc, Cs, Co are all unprintable): the usual
        return " ".join(text.split())
    visible = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs", "Co"))
    return " ".join(visible.split())


def _quote(text: str, limit: int = 40) -> str:
    text = _clean(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _label(value: str, number: int, key: str) -> str:
    label = _clean(value)
    if len(label) > MAX_LABEL:
        raise ChartError(f"chart line {number} ({key}): longer than {MAX_LABEL} characters")
    return label


def _start(value: str, number: int) -> int:
    if not re.fullmatch(r"[-+]?\d{1,7}", value) or abs(int(value)) > MAX_START:
        raise ChartError(
            f"chart line {number} (start): the first x value must be a whole number "
            f"from {-MAX_START} to {MAX_START}, got {_quote(value)}"
        )
    return int(value)


def _values(text: str, number: int, key: str) -> tuple[float, ...]:
    """The comma-separated numbers of a series line (the line's key names it in errors)."""
    if not text:
        raise ChartError(f"chart line {number} ({key}): no values")
    items = [item.strip() for item in text.split(",")]
    if len(items) > MAX_POINTS:
        raise ChartError(f"chart line {number} ({key}): more than {MAX_POINTS} values")
    numbers = [_NUMBER.fullmatch(item) is not None for item in items]
    if not any(numbers):
        raise ChartError(
            f"chart line {number}: unknown key {_quote(key)} (the keys are title, x, y and "
            "start; any other line is a series: a name, then numbers separated by commas)"
        )
    if all(numbers):  # the usual line: every value a number, none too large
        values = [float(item) for item in items]
        if max(map(abs, values)) <= 1e15:  # no nan from the pattern; inf is over
            return tuple(values)
    values = []
    for index, (item, is_number) in enumerate(zip(items, numbers, strict=True), start=1):
        value = float(item) if is_number else math.nan
        if not math.isfinite(value) or abs(value) > 1e15:
            problem = "is not a number" if not is_number else "is too large"
            raise ChartError(
                f"chart line {number} ({key}): value {index} {problem}: {_quote(item)}"
            )
        values.append(value)
    return tuple(values)


def _check_series(series: list[Series]) -> None:
    if not series:
        raise ChartError(
            'chart: no series (add a line such as "train: 0.9, 0.7, 0.5", a name and its values)'
        )
    if len(series) > MAX_SERIES:
        raise ChartError(f"chart: more than {MAX_SERIES} series ({len(series)})")
    lengths = {s.name: len(s.values) for s in series}
    if len(set(lengths.values())) > 1:
        counts = ", ".join(f"{name}: {count}" for name, count in lengths.items())
        raise ChartError(f"chart: the series have different lengths ({_clean(counts)[:200]})")
    if len(series[0].values) < 2:
        raise ChartError(f"chart ({series[0].name}): a line needs at least 2 values")


# --- what a reader sees ---------------------------------------------------------------------


def alt_text(chart: Chart) -> str:
    """What the image shows, in the chart's own words: title, axes, x range, series."""
    first, last = chart.xs[0], chart.xs[-1]
    axes = "; ".join(part for part in (chart.y_label, f"{chart.x_heading} {first}–{last}") if part)
    names = ", ".join(s.name for s in chart.series)
    return f"{chart.title} ({axes}; {names})" if chart.title else f"{axes}; {names}"


def _column(values: tuple[float, ...]) -> list[str]:
    """A series' values for the table: 4 significant digits, with as many decimals in each."""
    texts = [fmt_num(v) for v in values]
    if any("e" in t or "n" in t for t in texts):
        return texts
    decimals = max(len(t.partition(".")[2]) for t in texts)
    return [f"{v:.{decimals}f}" for v in values]


def _rows(chart: Chart) -> list[list[str]]:
    """The table: one row per x, its value in each series (as the terminal shows it too)."""
    columns = [_column(s.values) for s in chart.series]
    return [[str(x), *(c[i] for c in columns)] for i, x in enumerate(chart.xs)]


def chart_html(chart: Chart) -> str:
    """The chart as a figure: title, image (SVG in a ``data:`` URI) and table of values."""
    esc = html.escape
    svg = _data_uri(chart_svg(chart))
    width, height = _SIZE
    parts = ['<figure class="sk-chart">']
    if chart.title:
        parts.append(f"<figcaption>{esc(chart.title)}</figcaption>")
    parts.append(
        f'<img src="{svg}" alt="{esc(alt_text(chart))}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto">'
    )
    head = "".join(f"<th>{esc(h)}</th>" for h in [chart.x_heading, *(s.name for s in chart.series)])
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in _rows(chart)
    )
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</figure>")
    return "".join(parts)


# What a data: URI must encode of the SVG (which quotes its attributes with '): the URL's own
# delimiters, the HTML attribute's, and anything not printable ASCII (as UTF-8 bytes).
_URI_UNSAFE = re.compile(r'[%#"<>&\x00-\x1f\x7f-\U0010ffff]')


def _data_uri(svg: str) -> str:
    """``svg`` as a ``data:`` URI, percent-encoded where needed (a third smaller than base64)."""

    def encode(match: re.Match[str]) -> str:
        return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))

    # The SVG's only double quotes delimit attributes (its labels are escaped): single quotes
    # need no encoding inside the HTML attribute's double quotes.
    return "data:image/svg+xml," + _URI_UNSAFE.sub(encode, svg.replace('"', "'"))


def chart_rich(chart: Chart) -> Table:
    """The chart in the terminal: its title over the table of values (the site's words)."""
    table = Table(
        title=chart.title or None,
        box=None,  # no rules: a line of ─ would be a "word" the site does not show
        header_style="bold underline",
        title_style="italic",
        pad_edge=False,
    )
    table.add_column(chart.x_heading, justify="right")
    for series in chart.series:
        table.add_column(series.name, justify="right")
    for row in _rows(chart):
        table.add_row(*row)
    return table


class ChartElement(MarkdownElement):
    """A ``chart`` block among rich's Markdown elements: its title and table of values."""

    def __init__(self, chart: Chart) -> None:
        self.chart = chart

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield chart_rich(self.chart)


# --- the SVG ---------------------------------------------------------------------------------

_SIZE = (480, 300)
_LEFT, _RIGHT, _BOTTOM = 58, 14, 46  # margins around the plot area
_FONT = 'font-family="DejaVu Sans, Noto Sans CJK KR, sans-serif"'


def _nice_step(span: float, ticks: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of 10) giving about ``ticks`` intervals."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)


def _y_axis(values: list[float]) -> tuple[float, float, list[float]]:
    """The y range and its ticks: round numbers just covering the values."""
    low, high = min(values), max(values)
    if high - low < 1e-12 * max(1.0, abs(high)):
        pad = max(abs(high) * 0.1, 0.5)
        low, high = low - pad, high + pad
    step = _nice_step(high - low, 5)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    ticks = [k * step for k in range(first, last + 1)]
    return ticks[0], ticks[-1], ticks


def _x_ticks(xs: range) -> list[int]:
    """Every x up to 20 of them, else about 10 whole x values on a round step."""
    step = 1 if len(xs) <= 20 else math.ceil(_nice_step(len(xs) - 1, 10))
    return [x for x in xs if x % step == 0] or [xs[0]]


def _tick_text(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if round(step * 10**decimals, 6) % 1:
        decimals += 1
    text = f"{value:.{decimals}f}"
    return "0" if float(text) == 0 else text


def _legend(chart: Chart, width: int) -> tuple[list[str], int]:
    """The legend's items (line sample and name), wrapped into rows; and its height."""
    items, x, y = [], _LEFT, 16
    for i, series in enumerate(chart.series):
        size = 28 + sum(12 if unicodedata.east_asian_width(c) in "WF" else 7 for c in series.name)
        if x + size > width - _RIGHT and x > _LEFT:
            x, y = _LEFT, y + 18
        items.append(
            f'<path d="M{x} {y - 4}h20" {_stroke(i)}/>'
            f'<text x="{x + 25}" y="{y}" font-size="12">{_esc(series.name)}</text>'
        )
        x += size + 14
    return items, y + 12


def _stroke(i: int) -> str:
    dash = f' stroke-dasharray="{DASHES[i]}"' if DASHES[i] else ""
    return f'stroke="{COLORS[i]}" stroke-width="2" fill="none"{dash}'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _f(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text == "-0.0" else text.removesuffix(".0")


def chart_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document: axes, ticks, grid, one polyline per series.

    Drawn from the parsed numbers and the escaped labels only, the same bytes every time, and
    small (shared attributes on groups, one path per set of rules, a marker for the dots): a
    quiz ships it in every variant.
    """
    width, height = _SIZE
    legend, top = _legend(chart, width)
    left, right, bottom = _LEFT, width - _RIGHT, height - _BOTTOM
    low, high, y_ticks = _y_axis([v for s in chart.series for v in s.values])
    xs = chart.xs
    x_span = max(xs[-1] - xs[0], 1)

    def px(x: float) -> float:  # 8 pixels in from the axes: no dot sits on one
        return left + 8 + (x - xs[0]) / x_span * (right - left - 16)

    def py(y: float) -> float:
        return bottom - (y - low) / (high - low) * (bottom - top)

    label = _esc(alt_text(chart))
    step = y_ticks[1] - y_ticks[0]
    x_ticks = _x_ticks(xs)
    dots = len(xs) <= 40  # a dot per x where there is room: values are read per epoch
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" {_FONT} '
        f'font-size="11" fill="{INK}"><title>{label}</title>'
    ]
    if dots:
        out.append("<defs>")
        out.extend(
            f'<marker id="m{i}" viewBox="0 0 6 6" refX="3" refY="3" markerWidth="5" '
            f'markerHeight="5" markerUnits="userSpaceOnUse"><circle cx="3" cy="3" r="3" '
            f'fill="{COLORS[i]}"/></marker>'
            for i in range(len(chart.series))
        )
        out.append("</defs>")
    grid = "".join(f"M{left} {_f(py(t))}H{right}" for t in y_ticks)
    marks = "".join(f"M{_f(px(t))} {bottom}v4" for t in x_ticks)
    out.append(
        f'<path d="{grid}" stroke="{INK}" stroke-opacity=".25"/>'
        f'<path d="M{left} {top}V{bottom}H{right}{marks}" stroke="{INK}" fill="none"/>'
        '<g text-anchor="end">'
        + "".join(
            f'<text x="{left - 6}" y="{_f(py(t))}" dy=".35em">{_tick_text(t, step)}</text>'
            for t in y_ticks
        )
        + '</g><g text-anchor="middle">'
        + "".join(f'<text x="{_f(px(t))}" y="{bottom + 16}">{t}</text>' for t in x_ticks)
    )
    if chart.x_label:
        out.append(
            f'<text x="{_f((left + right) / 2)}" y="{height - 8}" font-size="12">'
            f"{_esc(chart.x_label)}</text>"
        )
    if chart.y_label:
        out.append(_y_label(chart.y_label, (top + bottom) / 2))
    out.append("</g>")
    for i, series in enumerate(chart.series):
        points = " ".join(
            f"{_f(px(x))},{_f(py(v))}" for x, v in zip(xs, series.values, strict=True)
        )
        marker = "".join(f' marker-{at}="url(#m{i})"' for at in ("start", "mid", "end"))
        out.append(
            f'<polyline points="{points}" {_stroke(i)} stroke-linejoin="round"'
            f"{marker if dots else ''}/>"
        )
    out.extend(legend)
    out.append("</svg>")
    return "".join(out)


def _y_label(text: str, middle: float) -> str:
    """The y axis's label beside it, centred on the axis.

    Turned a quarter left, as usual in Latin script; in Hangul or CJK script written top to
    bottom with upright characters (손실 turned sideways reads poorly).
    """
    if any(ord(c) >= 0x1100 for c in text):
        return (
            f'<text x="16" y="{_f(middle)}" font-size="12" text-anchor="middle" '
            f'style="writing-mode:vertical-rl;text-orientation:upright">{_esc(text)}</text>'
        )
    return (
        f'<text transform="translate(14 {_f(middle)}) rotate(-90)" '
        f'font-size="12">{_esc(text)}</text>'
    )
