"""Line charts in question texts (``studykit.questions.charts``, through ``markup``).

A ``chart`` block must come out as a figure whose SVG really plots the numbers (read back from
the SVG and checked against the data), whose labels stay text, the same bytes every time, with
the same words in the terminal; a bad block is one line naming its line and key.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from studykit.cli import main
from studykit.questions import charts
from studykit.questions.charts import ChartError, chart_svg, check_charts, parse_chart
from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import ALLOWED_TAGS, RICH_THEME, to_html, to_plain, to_rich
from studykit.questions.render import RenderError
from studykit.questions.template import load_template
from studykit.questions.variant import make_variant, solve
from studykit.questions.verify import verify_templates
from studykit.site.quizpages import quiz_data

SVG = "{http://www.w3.org/2000/svg}"
TRAIN = [0.92, 0.61, 0.44, 0.35, 0.3, 0.27, 0.25]
VALID = [0.95, 0.7, 0.58, 0.55, 0.57, 0.62, 0.7]


def block(*lines: str) -> str:
    return "```chart\n" + "\n".join(lines) + "\n```"


def loss_chart(
    title: str = "Loss per epoch", names: tuple[str, str] = ("train", "validation")
) -> str:
    return block(
        f"title: {title}",
        "x: epoch",
        "y: loss",
        f"{names[0]}: " + ", ".join(map(str, TRAIN)),
        f"{names[1]}: " + ", ".join(map(str, VALID)),
    )


def terminal(text: str, width: int = 80) -> str:
    console = Console(width=width, no_color=True, theme=RICH_THEME, highlight=False)
    with console.capture() as capture:
        console.print(to_rich(text))
    return capture.get()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self._cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("td", "th"):
            self._cell = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        self._cell = self._cell and tag not in ("td", "th")

    def handle_data(self, data: str) -> None:
        if self._cell:
            self.cells[-1] += data


def read_html(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    return parser


def svg_of(markup: str) -> ET.Element:
    """The SVG inside the figure's image, parsed as XML (it must be well-formed)."""
    (src,) = [a["src"] for tag, a in read_html(markup).tags if tag == "img"]
    assert src is not None and src.startswith("data:image/svg+xml,")
    # printable ASCII, nothing that ends the attribute, the URL or starts a fragment
    assert all(" " <= c <= "~" for c in src) and not set('"<>#') & set(src)
    return ET.fromstring(unquote(src.partition(",")[2]))


def polyline_points(svg: ET.Element) -> list[np.ndarray]:
    lines = svg.findall(f"{SVG}polyline")
    return [np.array([[float(v) for v in p.split(",")] for p in line.get("points", "").split()])
            for line in lines]  # fmt: skip


# --- parsing -----------------------------------------------------------------------------------


def test_a_block_parses_to_its_labels_and_numbers() -> None:
    chart = parse_chart("title: 에포크별 손실\n\nx: 에포크\ny: 손실\nstart: 0\n훈련: 1, .5, 2e-1\n")
    assert (chart.title, chart.x_label, chart.y_label, chart.start) == (
        "에포크별 손실",
        "에포크",
        "손실",
        0,
    )
    assert chart.series == (charts.Series("훈련", (1.0, 0.5, 0.2)),)
    assert list(chart.xs) == [0, 1, 2]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("train: 0.9, abc, 0.5", "chart line 1 (train): value 2 is not a number: 'abc'"),
        ("train: 0.9, nan", "chart line 1 (train): value 2 is not a number: 'nan'"),
        ("train: 0.9, 0.5%", "chart line 1 (train): value 2 is not a number: '0.5%'"),
        ("train: 0.9, 1e400", "chart line 1 (train): value 2 is too large: '1e400'"),
        ("a: 1, 2, 3\nb: 1, 2", "chart: the series have different lengths (a: 3, b: 2)"),
        ("a: " + ", ".join(["1"] * 201), "chart line 1 (a): more than 200 values"),
        ("title: t\nx: epoch", "chart: no series"),
        ("titel: Loss\ntrain: 1, 2", "chart line 1: unknown key 'titel'"),
        ("train 1, 2", "chart line 1: expected \"key: value\", got 'train 1, 2'"),
        ("a: 1, 2\na: 3, 4", "chart line 2 (a): given twice"),
        ("start: 1.5\na: 1, 2", "chart line 1 (start): the first x value must be a whole number"),
        ("a:", "chart line 1 (a): no values"),
        ("a: 1", "chart (a): a line needs at least 2 values"),
        ("title: " + "x" * 81 + "\na: 1, 2", "chart line 1 (title): longer than 80 characters"),
        ("\n".join(f"s{i}: 1, 2" for i in range(7)), "chart: more than 6 series (7)"),
    ],
)
def test_a_bad_block_is_one_line_naming_its_line_and_key(body: str, message: str) -> None:
    with pytest.raises(ChartError) as error:
        parse_chart(body)
    text = str(error.value)
    assert text.startswith(message) and "\n" not in text
    # Every surface refuses it the same way, as the render error it is.
    for render in (to_html, to_rich, check_charts):
        with pytest.raises(RenderError, match=re.escape(message)):
            render("Look:\n\n" + block(body))


def plain_clean(text: str) -> str:
    """What ``charts._clean`` does, written out character by character (no shortcut)."""
    visible = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs", "Co"))
    return " ".join(visible.split())


@given(st.text(alphabet=st.characters(), max_size=30) | st.sampled_from(
    ["train\tloss", "a\x00b", "손실\u3000값", "x\ue000y", "\x85 end", " a  b ", "\u200bz"]
))  # fmt: skip
def test_labels_are_cleaned_as_character_by_character(text: str) -> None:
    assert charts._clean(text) == plain_clean(text)


@given(st.lists(st.floats(allow_nan=False, width=64) | st.sampled_from(["1e15", "-1e15", "1e16",
       "1e400", ".5", "+3", "1.", "x", "nan", "", " 2 "]), min_size=1, max_size=6))  # fmt: skip
def test_a_series_line_is_read_or_refused_value_by_value(items: list[object]) -> None:
    line = ", ".join(str(item) for item in items).strip()  # as parse_chart hands it over
    words = [str(item).strip() for item in items]
    numbers = [re.fullmatch(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", w) for w in words]
    refused = None if any(numbers) else "unknown key" if line else "no values"
    for index, (word, number) in enumerate(zip(words, numbers, strict=True), start=1):
        if refused is None and (number is None or not abs(float(word)) <= 1e15):
            refused = f"value {index} " + ("is too large" if number else "is not a number")
    if refused is None:
        assert charts._values(line, 1, "s") == tuple(float(w) for w in words)
    else:
        with pytest.raises(ChartError, match=refused):
            charts._values(line, 1, "s")


def test_only_a_chart_fence_is_a_chart() -> None:
    code = "```python\nx: 1, 2\n```"
    assert to_html(code) == "<pre><code>x: 1, 2\n</code></pre>"
    check_charts(code + "\n\nno chart here")  # a text without a chart block passes
    assert "<figure" in to_html(block("a: 1, 2").replace("chart", " Chart "))


# --- the site's figure -------------------------------------------------------------------------


def test_the_svg_plots_the_numbers() -> None:
    markup = to_html("The curves:\n\n" + loss_chart() + "\n\nWhich regime?")
    assert markup.startswith("<p>The curves:</p>\n<figure") and markup.endswith(
        "<p>Which regime?</p>"
    )
    svg = svg_of(markup)
    assert svg.get("role") == "img"
    assert svg.findtext(f"{SVG}title") == "Loss per epoch (loss; epoch 1–7; train, validation)"
    lines = polyline_points(svg)
    assert len(lines) == 2 and [len(points) for points in lines] == [7, 7]
    for points, values in zip(lines, (TRAIN, VALID), strict=True):
        # x: evenly spaced, increasing; y: an exact decreasing affine image of the values
        assert np.allclose(np.diff(points[:, 0]), np.diff(points[:, 0])[0], atol=0.11)
        assert np.all(np.diff(points[:, 0]) > 0)
        slope, offset = np.polyfit(values, points[:, 1], 1)
        assert slope < 0 and np.allclose(slope * np.array(values) + offset, points[:, 1], atol=0.1)
    # both series on one scale: the same affine map
    maps = [np.polyfit(v, p[:, 1], 1) for p, v in zip(lines, (TRAIN, VALID), strict=True)]
    assert np.allclose(maps[0], maps[1], rtol=1e-3, atol=0.2)
    # a dot at every point: each line's own marker, a circle of its colour
    for i, line in enumerate(svg.findall(f"{SVG}polyline")):
        assert {line.get(f"marker-{at}") for at in ("start", "mid", "end")} == {f"url(#m{i})"}
        marker = svg.find(f".//{SVG}marker[@id='m{i}']")
        assert marker is not None and marker[0].get("fill") == line.get("stroke")
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"epoch", "loss", "train", "validation"} <= set(texts)
    x_ticks = [t.text for t in svg.findall(f"{SVG}g[@text-anchor='middle']/{SVG}text")]
    assert x_ticks[:7] == [str(x) for x in range(1, 8)]


def test_the_figure_holds_a_caption_an_image_and_the_table_of_values() -> None:
    parsed = read_html(to_html(loss_chart()))
    assert [tag for tag, _ in parsed.tags][:3] == ["figure", "figcaption", "img"]
    image = dict(parsed.tags)["img"]
    assert image["alt"] == "Loss per epoch (loss; epoch 1–7; train, validation)"
    assert image["style"] == "max-width:100%;height:auto"
    rows = np.array(parsed.cells).reshape(-1, 3)
    assert list(rows[0]) == ["epoch", "train", "validation"]
    assert rows[1:, 0].astype(int).tolist() == list(range(1, 8))
    assert np.allclose(rows[1:, 1:].astype(float), np.array([TRAIN, VALID]).T)


def test_labels_are_text_never_markup() -> None:
    evil = '<script>alert("x")</script>'
    markup = to_html(loss_chart(title=evil, names=("<b>t</b>", "v & w")))
    assert "<script" not in markup and "<b>" not in markup
    src = re.search(r'src="data:image/svg\+xml,([^"]+)"', markup).group(1)  # type: ignore[union-attr]
    svg_text = unquote(src)
    assert "<script" not in svg_text and "<b>" not in svg_text
    svg = ET.fromstring(svg_text)  # well-formed, and the labels read back as written
    texts = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"<b>t</b>", "v & w"} <= texts
    assert svg.findtext(f"{SVG}title", "").startswith(evil)
    assert html.unescape(re.search(r"<figcaption>(.*?)</figcaption>", markup).group(1)) == evil  # type: ignore[union-attr]
    # No template can forge the placeholder the chart goes into.
    assert to_html("<p>x-0</p>") == "<p>&lt;p&gt;x-0&lt;/p&gt;</p>"


def test_the_same_chart_is_the_same_bytes() -> None:
    text = loss_chart() + "\n\n" + loss_chart(title="Again")
    first = to_html(text)
    to_html.cache_clear()
    assert to_html(text) == first and first.count("<figure") == 2
    assert chart_svg(parse_chart(loss_chart()[9:-4])) == chart_svg(parse_chart(loss_chart()[9:-4]))


def test_a_flat_series_and_long_runs_still_draw() -> None:
    flat = svg_of(to_html(block("a: 2, 2, 2")))
    ys = polyline_points(flat)[0][:, 1]
    assert np.ptp(ys) == 0 and 0 < ys[0] < 300
    long = svg_of(to_html(block("start: 0", "a: " + ", ".join(str(i * i) for i in range(200)))))
    assert len(polyline_points(long)[0]) == 200 and not long.findall(f".//{SVG}marker")
    x_ticks = [t.text for t in long.findall(f"{SVG}g[@text-anchor='middle']/{SVG}text")]
    assert x_ticks[:4] == ["0", "20", "40", "60"] and x_ticks[-1] == "180"  # a round step


# --- the terminal --------------------------------------------------------------------------------


def test_the_terminal_shows_the_title_and_every_value() -> None:
    shown = terminal("Look:\n\n" + loss_chart())
    assert "Loss per epoch" in shown
    rows = [line.split() for line in shown.splitlines() if re.match(r"\s*\d+\s", line)]
    assert [int(r[0]) for r in rows] == list(range(1, 8))
    assert np.allclose([[float(v) for v in r[1:]] for r in rows], np.array([TRAIN, VALID]).T)
    assert "0.70" in shown  # one number of decimals per column


def test_the_site_and_the_terminal_show_the_same_words() -> None:
    text = "Look:\n\n" + loss_chart(names=("훈련", "검증")) + "\n\nWhich?"
    assert to_plain(text).split() == terminal(text, width=200).split()


# --- the templates -------------------------------------------------------------------------------


def template_path(name: str) -> Path:
    return default_questions_dir() / "regularization" / f"{name}.yaml"


@pytest.mark.parametrize("name", ["fitting-curves", "fitting-curves-best-epoch"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_templates_draw_their_curves_in_both_languages(name: str, lang: str) -> None:
    template = load_template(template_path(name))
    for seed in range(4):
        variant = make_variant(template, seed)
        train, valid = variant.params["train"], variant.params["validation"]
        parsed = read_html(to_html(variant.prompt(lang)))
        rows = np.array(parsed.cells).reshape(-1, 3)
        heading = (
            ["epoch", "training", "validation"] if lang == "en" else ["에포크", "훈련", "검증"]
        )
        assert list(rows[0]) == heading
        assert np.allclose(rows[1:, 1:].astype(float), np.array([train, valid]).T)
        assert len(polyline_points(svg_of(to_html(variant.prompt(lang))))[0]) == len(train)
        assert all(w in terminal(variant.prompt(lang)) for w in heading)
        key = solve(variant).key.value
        if name == "fitting-curves":  # the drawn regime, as its choice letter
            assert key == "ABC"[variant.params["regime"]]
        else:  # the epoch (from 1) of the lowest validation loss, read off the table
            assert key == int(np.argmin(rows[1:, 2].astype(float))) + 1


@pytest.mark.parametrize("name", ["fitting-curves", "fitting-curves-best-epoch"])
def test_the_quiz_data_holds_only_sanitized_html_and_the_chart(name: str) -> None:
    data = quiz_data(load_template(template_path(name)), range(3))
    attributes = {("span", "class"), ("ol", "start"), ("th", "style"), ("td", "style")}
    for variant in data["variants"]:
        for texts in variant["texts"].values():
            fields = [texts["prompt"], texts["hint"], texts["solution"], texts["format"]]
            for markup in [*fields, *texts["choices"], *texts["feedback"]]:
                for tag, attrs in read_html(markup or "").tags:
                    assert tag in ALLOWED_TAGS | charts.CHART_TAGS, tag
                    assert {(tag, a) for a in attrs} <= attributes | charts.CHART_ATTRIBUTES
                    assert tag != "img" or (attrs["src"] or "").startswith("data:image/svg+xml,")
            assert texts["prompt"].count("<img") == 1


def test_a_template_with_a_bad_chart_is_one_line_in_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = template_path("fitting-curves").read_text(encoding="utf-8")
    broken = source.replace("validation: << validation", "validation: x, << validation", 1)
    assert broken != source
    folder = tmp_path / "regularization"
    folder.mkdir()
    (folder / "fitting-curves.yaml").write_text(broken, encoding="utf-8")
    argv = ["show", "regularization/fitting-curves", "--questions", str(tmp_path), "--seed", "1"]
    main(argv)
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if "chart" in line]
    assert lines == [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "fitting-curves.yaml (seed 1)" in lines[0]
    assert "chart line 5 (validation): value 1 is not a number: 'x'" in lines[0]
    assert "Traceback" not in captured.err + captured.out


def test_verify_finds_a_bad_chart_naming_file_seed_and_field(tmp_path: Path) -> None:
    source = template_path("fitting-curves").read_text(encoding="utf-8")
    path = tmp_path / "fitting-curves.yaml"
    path.write_text(source.replace("훈련: <<", "훈련: 0.5x, <<", 1), encoding="utf-8")
    report = verify_templates([load_template(path)], range(2))
    assert report.failures == [
        f"{path} (seed {seed}): text.ko.prompt: text does not render: ChartError: "
        "chart line 4 (훈련): value 1 is not a number: '0.5x'"
        for seed in range(2)
    ]
