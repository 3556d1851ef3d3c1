"""Every formula of the built study site renders, and no TeX is left over as text.

The formulas are read from the built pages (every element of class ``arithmatex``, as
pymdownx.arithmatex writes them: ``\\(...\\)`` inline, ``\\[...\\]`` display) and from the quiz
texts (``quiz/data/**.json``, HTML made by ``studykit.questions.markup``). All of them are
rendered in ONE ``node`` process (tests/js/katex_check.js) by the vendored KaTeX with
``throwOnError``, as docs/assets/js/loader.js renders them in the browser; a failure names the
page and the formula. The prose around them must hold no stray ``$``: a ``$$`` inside a
paragraph once became inline math of the wrong extent. And the API reference's "Returns"
tables have one row per function: ``returns_multiple_items: false`` in mkdocs.yml keeps a
wrapped description from being split into "items" such as ``dimension.``.

Node.js is required: without ``node`` on the PATH these tests fail, they do not skip.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.site_build import BuiltSite

pytestmark = pytest.mark.xdist_group("site")

ROOT = Path(__file__).resolve().parents[1]
KATEX = ROOT / "docs" / "assets" / "vendor" / "katex" / "katex.min.js"
HARNESS = ROOT / "tests" / "js" / "katex_check.js"

# The loader's pattern (docs/assets/js/loader.js): \( \) inline, \[ \] display.
FORMULA = re.compile(r"\s*\\([(\[])(.*)\\([)\]])\s*", re.DOTALL)
SKIPPED = {"code", "pre", "script", "style", "kbd", "samp"}
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class _Frame:
    tag: str
    role: str  # "math", "skip", "article" or ""
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Splits HTML into its formulas and its prose (the text outside code, pre and math).

    With ``whole=False`` (a site page) only the text inside ``<article>`` counts as prose: the
    navigation and the header repeat titles. A quiz text is read whole.
    """

    def __init__(self, whole: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.whole = whole
        self.stack: list[_Frame] = []
        self.formulas: list[str] = []
        self.prose: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        role = "math" if "arithmatex" in classes else ""
        role = role or ("skip" if tag in SKIPPED else "article" if tag == "article" else "")
        self.stack.append(_Frame(tag, role))

    def handle_endtag(self, tag: str) -> None:
        if not any(frame.tag == tag for frame in self.stack):
            return
        while self.stack:
            frame = self.stack.pop()
            if frame.role == "math":
                self.formulas.append("".join(frame.text))
            if frame.tag == tag:
                return

    def handle_data(self, data: str) -> None:
        roles = {frame.role for frame in self.stack}
        if "math" in roles:
            next(f for f in reversed(self.stack) if f.role == "math").text.append(data)
        elif "skip" not in roles and (self.whole or "article" in roles):
            self.prose.append(data)


def read(markup: str, whole: bool) -> _Reader:
    """The formulas and the prose of ``markup``."""
    reader = _Reader(whole)
    reader.feed(markup)
    reader.close()
    return reader


def site_pages(site: Path) -> Iterator[tuple[str, str]]:
    """(the page's path in the site, its HTML) for every built page."""
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), path.read_text(encoding="utf-8")


def quiz_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(where, HTML) for every quiz text that may hold math or a ``$``."""
    for path in sorted((site / "quiz" / "data").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        name = path.relative_to(site).as_posix()
        for variant in data["variants"]:
            for lang, texts in variant["texts"].items():
                for key, value in texts.items():
                    for n, markup in enumerate(value if isinstance(value, list) else [value]):
                        if markup and ("arithmatex" in markup or "$" in markup):
                            yield f"{name} seed {variant['seed']} {lang} {key}[{n}]", markup


def all_formulas(site: Path) -> list[dict[str, object]]:
    """Every formula of the pages and the quiz texts, as the Node harness reads them."""
    found: list[dict[str, object]] = []
    sources = [(w, m, False) for w, m in site_pages(site)]
    sources += [(w, m, True) for w, m in quiz_texts(site)]
    for where, markup, whole in sources:
        for raw in read(markup, whole).formulas:
            parts = FORMULA.fullmatch(raw)
            tex, display = (parts.group(2), parts.group(1) == "[") if parts else (raw, False)
            found.append({"where": where, "raw": raw, "tex": tex, "display": display})
    return found


def test_every_formula_renders_with_katex(built_site: BuiltSite, tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is required for the KaTeX check (install nodejs)"
    formulas = all_formulas(built_site.path)
    assert len(formulas) > 300  # the notes and the reference are full of math
    assert any(f["display"] for f in formulas if str(f["where"]).startswith("notes/losses/"))
    undelimited = [(f["where"], f["raw"]) for f in formulas if not FORMULA.fullmatch(str(f["raw"]))]
    assert undelimited == [], "math the loader cannot read (no \\( \\) or \\[ \\])"

    cases, results = tmp_path / "formulas.json", tmp_path / "results.json"
    cases.write_text(json.dumps(formulas), encoding="utf-8")
    completed = subprocess.run(
        [node, str(HARNESS), str(KATEX), str(cases), str(results)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, f"node failed:\n{completed.stdout}\n{completed.stderr}"
    output = json.loads(results.read_text(encoding="utf-8"))
    assert output["rendered"] == len(formulas)
    failures = [f"{e['where']}: {e['tex']!r}: {e['error']}" for e in output["errors"]]
    assert failures == [], "\n".join(failures)


def _stray_dollars(prose: list[str]) -> list[str]:
    """Each ``$`` of the prose, with a little of the text around it."""
    text = " ".join(" ".join(prose).split())
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in re.finditer(r"\$", text)]


def test_no_stray_dollar_signs_in_the_prose(built_site: BuiltSite) -> None:
    stray = {}
    for where, markup in site_pages(built_site.path):
        found = _stray_dollars(read(markup, whole=False).prose)
        if found:
            stray[where] = found
    for where, markup in quiz_texts(built_site.path):
        found = _stray_dollars(read(markup, whole=True).prose)
        if found:
            stray[where] = found
    assert stray == {}, "a $ left in the text (math that was not recognised?)"


def test_the_reader_splits_math_code_and_prose() -> None:
    page = (
        "<nav>$ nav</nav><article><p>Cost $5, <code>$x</code> and "
        '<span class="arithmatex">\\(a_{<b>1</b>}\\)</span>.</p><pre>$$</pre><br></article>'
    )
    reader = read(page, whole=False)
    assert reader.formulas == ["\\(a_{1}\\)"]
    assert _stray_dollars(reader.prose) == ["Cost $5, and ."]


def test_quiz_texts_formulas_are_read(tmp_path: Path) -> None:
    # No quiz text holds math yet: this keeps the quiz half of the check honest.
    texts = {
        "prompt": '<p>Find <span class="arithmatex">\\(\\sigma(0)\\)</span>.</p>',
        "choices": ['<span class="arithmatex sk-display">\\[x^2\\]</span>', "<p>1</p>"],
        "hint": None,
        "format": "Cost: $5",
    }
    data = {"variants": [{"seed": 3, "texts": {"en": texts}}]}
    folder = tmp_path / "quiz" / "data" / "losses"
    folder.mkdir(parents=True)
    (folder / "q.json").write_text(json.dumps(data), encoding="utf-8")
    found = [(f["where"], f["tex"], f["display"]) for f in all_formulas(tmp_path)]
    assert found == [
        ("quiz/data/losses/q.json seed 3 en prompt[0]", "\\sigma(0)", False),
        ("quiz/data/losses/q.json seed 3 en choices[0]", "x^2", True),
    ]
    stray = [w for w, m in quiz_texts(tmp_path) if _stray_dollars(read(m, whole=True).prose)]
    assert stray == ["quiz/data/losses/q.json seed 3 en format[0]"]


RETURNS = re.compile(
    r'doc-section-title">Returns:</span></p>\s*<table>.*?<tbody>(.*?)</tbody>', re.DOTALL
)


def _returns_rows(page: str) -> dict[str, list[str]]:
    """Each API entry's "Returns" rows: their descriptions as text, by the entry's id."""
    rows: dict[str, list[str]] = {}
    entries = re.split(r'<div class="doc doc-object doc-(?:function|class)">', page)
    for entry in entries[1:]:
        name = re.search(r'id="(studykit\.[\w.]+)"', entry)
        body = RETURNS.search(entry.split('<div class="doc doc-object', 1)[0])
        if not name or not body:
            continue
        cells = re.findall(r'<div class="doc-md-description">(.*?)</div>', body.group(1), re.S)
        rows[name.group(1)] = [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in cells]
    return rows


def test_returns_tables_have_one_row_per_function(built_site: BuiltSite) -> None:
    rows: dict[str, list[str]] = {}
    for page in sorted((built_site.path / "reference").glob("*/index.html")):
        rows.update(_returns_rows(page.read_text(encoding="utf-8")))
    assert len(rows) > 30
    for name in ("losses.cross_entropy", "conv.conv2d", "regularization.dropout"):
        assert f"studykit.{name}" in rows, name
    split = {name: found for name, found in rows.items() if len(found) != 1}
    assert split == {}, "a Returns section cut into items"
    fragments = {name: found[0] for name, found in rows.items() if found[0][:1].islower()}
    assert fragments == {}, "a Returns row that starts mid-sentence"


RENDERED = (
    "() => [...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex'))"
)
# Each display formula of the page: its sizes and how it overflows (docs/assets/css/math.css).
DISPLAY_BOXES = """() => [...document.querySelectorAll("div.arithmatex")].map(e => {
  const style = getComputedStyle(e);
  return {
    tex: e.querySelector("annotation").textContent.trim().slice(0, 50),
    wide: e.scrollWidth > e.clientWidth,
    clipped: e.scrollHeight > e.clientHeight + 1,
    x: style.overflowX, y: style.overflowY,
    cue: style.backgroundImage.includes("radial-gradient") && style.scrollbarWidth === "thin",
  };
})"""


@pytest.mark.parametrize("width", [375, 1366])
def test_wide_formulas_scroll_sideways_with_a_cue(built_site: BuiltSite, width: int) -> None:
    from benchmarks.site_weight import ARGS, CHROMIUM, served
    from tests.test_site_weight import _require_chromium

    _require_chromium()
    from playwright.sync_api import sync_playwright

    with served(built_site.path) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page(viewport={"width": width, "height": 800})
        tab.goto(base + "notes/losses/")
        tab.wait_for_function(RENDERED)
        tab.evaluate("() => document.fonts.ready.then(() => true)")
        boxes = tab.evaluate(DISPLAY_BOXES)
        browser.close()
    assert any(box["wide"] for box in boxes), "no formula wider than the page here"
    for box in boxes:
        assert (box["x"], box["y"], box["cue"]) == ("auto", "hidden", True), box
        assert not box["clipped"], box  # no vertical scrolling: nothing may be cut off
