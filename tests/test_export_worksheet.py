"""Printable worksheets: versions, page breaks, the key file, and the PDF Chromium prints.

The HTML is read back with `html.parser`; the PDF is printed by Debian's Chromium (present here
and in CI) and its pages counted; math is rendered by the inlined KaTeX in Chromium's DOM.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from studykit.cli import main
from studykit.exports import worksheet
from studykit.exports.grade import key_from_data
from studykit.exports.items import ExportError, ExportItem, Selection, collect
from studykit.exports.output import ExportSettings
from studykit.exports.sections import shown_value
from studykit.questions.commands import default_questions_dir
from studykit.questions.template import Bank, load_bank
from tests.export_support import KIND_TEMPLATES

IDS = KIND_TEMPLATES
SEED = 5
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed")
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(default_questions_dir())


@pytest.fixture(scope="module")
def items(bank: Bank) -> list[ExportItem]:
    return collect(bank, Selection(ids=IDS), variants=2, seed=SEED, lang="en")


def _export(out: Path, *options: str) -> int:
    return main(
        [
            "export",
            "worksheet",
            "--ids",
            *IDS,
            "--variants",
            "2",
            "--seed",
            str(SEED),
            "-o",
            str(out),
            *options,
        ]
    )


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English sheet, with its PDF, written by the real command."""
    out = tmp_path_factory.mktemp("sheet") / "sheet.html"
    assert _export(out, "--lang", "en") == 0
    return out


class _Sheet(HTMLParser):
    """Sections (sheet or key, with version), their questions, choices and boxes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.sections: list[dict[str, Any]] = []
        self.style = ""
        self.scripts: list[str] = []
        self._in: list[str] = []
        self._text_of: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        self._in.append(tag)
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "section":
            self.sections.append(
                {
                    "class": classes[0],
                    "version": int(a["data-version"]),
                    "seed": int(a["data-seed"]),
                }
                | {"questions": [], "text": ""}
            )
        if tag == "div" and {"question", "key-question"} & set(classes):
            self.sections[-1]["questions"].append(
                {"ref": a["data-ref"], "kind": a["data-kind"], "number": "", "choices": []}
                | {"box": False, "format": ""}
            )
        if tag == "div" and "number" in classes:
            self._text_of = "number"
        if tag == "p" and "format" in classes:
            self._text_of = "format"
        if tag == "span" and "letter" in classes:
            self._text_of = "letter"
        if tag == "div" and "box" in classes:
            self.sections[-1]["questions"][-1]["box"] = "min-height" in a.get("style", "")
        for attr in ("src", "href"):  # self-contained: nothing fetched from elsewhere
            assert a.get(attr, "data:").startswith(("data:", "#")), f"{tag} {attr}={a[attr]}"

    def handle_endtag(self, tag: str) -> None:
        self._in.pop()
        if tag in ("div", "p", "span"):
            self._text_of = None

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.style += data
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        if self.sections and self._in and self._in[-1] not in ("style", "script"):
            self.sections[-1]["text"] += data
        if self._text_of is not None and self.sections[-1]["questions"]:
            question = self.sections[-1]["questions"][-1]
            if self._text_of == "letter":
                question["choices"].append(data)
            else:
                question[self._text_of] += data


def _parse(path: Path) -> _Sheet:
    parser = _Sheet()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _by_seed(items: list[ExportItem]) -> dict[int, list[ExportItem]]:
    groups: dict[int, list[ExportItem]] = {}
    for one in items:
        groups.setdefault(one.seed, []).append(one)
    return groups


def test_versions_questions_and_keys(sheet: Path, items: list[ExportItem]) -> None:
    parsed = _parse(sheet)
    groups = _by_seed(items)
    assert parsed.lang == "en"
    kinds = [s["class"] for s in parsed.sections]
    assert kinds == ["sheet", "sheet", "key", "key"]  # every version, then every key
    for section in parsed.sections:
        version = section["version"]
        assert section["seed"] == SEED + version - 1
        expected = groups[section["seed"]]
        assert [q["ref"] for q in section["questions"]] == [f"{i}@{section['seed']}" for i in IDS]
        assert [q["kind"] for q in section["questions"]] == [one.kind for one in expected]
        numbers = [q["number"].strip() for q in section["questions"]]
        assert numbers == [f"{k}." for k in range(1, len(IDS) + 1)]
        if section["class"] == "sheet":
            assert f"Version {version}" in section["text"]
            assert "Name:" in section["text"] and "Date:" in section["text"]
            for question, one in zip(section["questions"], expected, strict=True):
                assert question["box"], one.ref
                assert question["choices"] == [f"{'ABCDEFGH'[i]}." for i in range(len(one.choices))]
                assert question["format"].split()[:2] == one.format.split()[:2]
        else:
            assert f"Answer key: version {version}" in section["text"]
            for one in expected:  # the key shows the answer as a student writes it
                assert one.answer.split()[0] in section["text"], one.ref
                for mistake in one.misconceptions:  # and each known wrong answer the same way
                    assert shown_value(one.kind, mistake.value) in section["text"], one.ref
    # Each version and each key starts a printed page.
    assert re.search(r"section\.sheet,\s*section\.key\s*\{\s*break-before:\s*page;", parsed.style)


def test_key_file_matches_the_items(sheet: Path, items: list[ExportItem]) -> None:
    data = json.loads(worksheet.key_path(sheet).read_text(encoding="utf-8"))
    assert data["format"] == worksheet.KEY_FORMAT
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert [v["seed"] for v in data["versions"]] == [SEED, SEED + 1]
    groups = _by_seed(items)
    for version in data["versions"]:
        expected = groups[version["seed"]]
        assert [q["number"] for q in version["questions"]] == list(range(1, len(IDS) + 1))
        for question, one in zip(version["questions"], expected, strict=True):
            assert question["ref"] == one.ref and question["kind"] == one.kind
            assert question["data"] == json.loads(json.dumps(one.data()))
            assert key_from_data(question["data"]["key"], question["tolerance"]) == one.key


def test_same_command_same_bytes(tmp_path: Path, sheet: Path) -> None:
    again = tmp_path / "again.html"
    assert _export(again, "--lang", "en", "--no-pdf") == 0
    assert again.read_bytes() == sheet.read_bytes()
    assert worksheet.key_path(again).read_bytes() == worksheet.key_path(sheet).read_bytes()
    assert not again.with_suffix(".pdf").exists()


def _pages(pdf: bytes) -> int:
    """Page objects of a PDF (``/Type /Page``, not the ``/Pages`` tree nodes)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


@needs_chromium
def test_pdf_pages(sheet: Path) -> None:
    pdf = sheet.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) >= 2 * 2  # each of 2 versions and 2 keys starts a page


@needs_chromium
def test_korean_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "시험지.html"
    assert _export(out, "--lang", "ko", "--title", "딥러닝 기초 퀴즈") == 0
    written = capsys.readouterr().out.split()
    assert written == [str(out), str(out.with_suffix(".key.json")), str(out.with_suffix(".pdf"))]
    parsed = _parse(out)
    assert parsed.lang == "ko"
    assert "버전 1" in parsed.sections[0]["text"] and "이름:" in parsed.sections[0]["text"]
    assert "정답과 풀이: 버전 2" in parsed.sections[3]["text"]
    assert len(HANGUL.findall(parsed.sections[0]["text"])) > 100
    assert '"Noto Sans CJK KR"' in parsed.style
    pdf = out.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and _pages(pdf) >= 4
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+NotoSansCJKkr-", pdf)  # Hangul in Noto CJK


@needs_chromium
def test_math_rendered_by_inlined_katex(tmp_path: Path, items: list[ExportItem]) -> None:
    formula = dataclasses.replace(items[0], prompt=r"Compute \(x^2 + \frac{1}{2}\) and \[y\]")
    out = tmp_path / "math.html"
    written = worksheet.write([formula], out, ExportSettings(pdf=False))
    assert written == [out, out.with_suffix(".key.json")]
    parsed = _parse(out)
    assert any("katex" in script for script in parsed.scripts)
    assert "data:font/woff2;base64," in parsed.style  # fonts inlined: works offline
    dom = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
         f"--user-data-dir={tmp_path / 'profile'}", out.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert 'data-math="rendered"' in dom
    # One inline formula, one display formula (KaTeX wraps the latter in katex-display).
    assert dom.count('class="katex"') == 2 and dom.count('class="katex-display"') == 1
    assert 'class="katex-error"' not in dom


def test_no_math_no_katex(sheet: Path) -> None:
    text = sheet.read_text(encoding="utf-8")
    assert "arithmatex" not in text and "katex" not in text.lower()


def test_without_chromium_no_pdf(
    tmp_path: Path, items: list[ExportItem], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setattr(worksheet, "find_chromium", lambda: None)
    out = tmp_path / "sheet.html"
    assert worksheet.write(items, out, ExportSettings()) == [out, out.with_suffix(".key.json")]
    assert not out.with_suffix(".pdf").exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Chromium is not installed" in err


def test_chromium_failing_or_hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = tmp_path / "s.html"
    sheet.write_text("<p>x</p>", encoding="utf-8")
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'fatal: no display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(worksheet, "find_chromium", lambda: str(fake))
    with pytest.raises(ExportError, match=r"s\.pdf: Chromium printed no PDF \(fatal: no display\)"):
        worksheet.print_pdf(sheet, tmp_path / "s.pdf")
    fake.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"did not print within 1 s"):
        worksheet.print_pdf(sheet, tmp_path / "s.pdf", timeout=1)
    assert not (tmp_path / "s.pdf").exists()


def test_bad_output_name(tmp_path: Path, items: list[ExportItem]) -> None:
    for name in ("sheet.pdf", "sheet.key.json"):
        with pytest.raises(ExportError, match=r"name the HTML file to write, like sheet\.html"):
            worksheet.write(items, tmp_path / name, ExportSettings(pdf=False))
    assert list(tmp_path.iterdir()) == []


def test_whole_bank_one_version(bank: Bank, tmp_path: Path) -> None:
    everything = collect(bank, Selection(), variants=1, seed=0, lang="ko")
    out = tmp_path / "all.html"
    worksheet.write(everything, out, ExportSettings(lang="ko", pdf=False))
    parsed = _parse(out)
    assert [len(s["questions"]) for s in parsed.sections] == [len(everything)] * 2
    data = json.loads(worksheet.key_path(out).read_text(encoding="utf-8"))
    for question, one in zip(data["versions"][0]["questions"], everything, strict=True):
        assert key_from_data(question["data"]["key"], question["tolerance"]) == one.key, one.ref
