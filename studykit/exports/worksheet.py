r"""Printable worksheets (학습지): one version per seed, an answer key, and a PDF through Chromium.

``studykit export worksheet --variants 3 -o sheet.html`` writes three files beside each other:

- ``sheet.html``: one self-contained page (no network, no other file) holding every version of
  the sheet, each starting on a new printed page: a header (title, version number, lines for
  the name and the date), the numbered questions with their lettered choices and the line
  saying how to answer, and a box of space to answer in, sized by the kind of answer (a tensor
  gets more room than a letter, whatever its shape, so the box gives nothing away). After the
  versions come the answer keys (정답과 풀이), one per version and each on its own page: the
  key as a student writes it, the worked solution, the misconceptions the question knows and
  the ref (``id@seed``) that rebuilds the variant. Math is rendered by KaTeX, whose CSS, fonts
  (as data URIs) and script are inlined from the copy the study site vendors, so the page
  prints the same offline; a sheet without math carries none of it. Korean sheets declare
  ``lang="ko"`` and ask for Noto Sans CJK KR first. Hints are left out (a printed sheet is
  a test); the keys carry the worked solutions.
- ``sheet.key.json``: the key for `studykit.exports.grade` (``studykit grade sheet.key.json
  answers.csv``): per version its number and seed, per question its number, ref, kind and
  `ExportItem.data` (key, precision, misconceptions with feedback), so a class can be graded
  without the question folder.
- ``sheet.pdf``: the page printed by headless Chromium (``chromium`` or ``/usr/bin/chromium``),
  unless ``--no-pdf``. Where Chromium is not installed the PDF is skipped with a note on stderr
  (the HTML prints from any browser); where it fails or hangs, the export fails with one line.

Version ``v`` (1, 2, ...) is the sheet of seed ``settings.seed + v - 1``: every template's
variant of that seed, in the export's template order, so question ``k`` is the same template
on every version and only its numbers differ.

The HTML and the key are byte-identical for the same command (no dates, no random ids). The
PDF is not: Chromium stamps its creation date and a document id into it.

Example:
    ``studykit export worksheet --topic losses --variants 30 --seed 100 --lang ko -o sheet.html``
    prints 30 versions for a class of 30; ``studykit grade sheet.key.json answers.csv`` grades
    them.

Common mistakes:
    - Handing out the last pages: the answer keys follow the versions in the same file; print
      only the versions' pages for the class (each version starts a page, so they separate).
    - Numbering versions from 0 in the class's CSV: the version is the number printed on the
      sheet (1, 2, ...), not the seed.
    - Comparing PDFs byte for byte to check that an export is reproducible: compare the HTML
      or the key file (the PDF carries Chromium's date).
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studykit.exports.items import ExportError, ExportItem
from studykit.exports.output import ExportSettings, atomic_write
from studykit.exports.sections import mistakes_list, section_title
from studykit.questions.markup import to_html

__all__ = [
    "KEY_FORMAT",
    "PDF_TIMEOUT",
    "Version",
    "find_chromium",
    "key_path",
    "page",
    "print_pdf",
    "versions",
    "write",
]

KEY_FORMAT = "studykit-worksheet-key/1"
"""The ``format`` field of a worksheet's key file (what `studykit.exports.grade` reads)."""
PDF_TIMEOUT = 120
"""Seconds Chromium may take to print a short sheet ..."""
PDF_SECONDS_PER_QUESTION = 0.25
"""... and more for each question of a long one (it prints about 30 a second)."""
LETTERS = "ABCDEFGH"

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "version": "Version {number}",
        "seed": "seed {seed}",
        "name": "Name",
        "date": "Date",
        "answer": "Answer",
        "key": "Answer key: version {number}",
        "ref": "ref",
    },
    "ko": {
        "version": "버전 {number}",
        "seed": "시드 {seed}",
        "name": "이름",
        "date": "날짜",
        "answer": "답",
        "key": "정답과 풀이: 버전 {number}",
        "ref": "ref",
    },
}

BOX_HEIGHTS = {
    "choice": 2.4,
    "integer": 4.0,
    "shape": 3.0,
    "number": 5.0,
    "expression": 5.0,
    "tensor": 7.5,
}
"""Height of the answer box by kind of answer, in em (room to work included)."""

CSS = """\
@page { size: A4; margin: 15mm 16mm; }
html { font-size: 11pt; }
body {
  font-family: "Noto Sans", "DejaVu Sans", "Noto Sans CJK KR", "Noto Sans KR",
    "Apple SD Gothic Neo", "Malgun Gothic", sans-serif;
  line-height: 1.45; color: #000; background: #fff; margin: 0 auto; max-width: 178mm;
}
html:lang(ko) body {
  font-family: "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic",
    "Noto Sans", "DejaVu Sans", sans-serif;
  word-break: keep-all;
}
section.sheet, section.key { break-before: page; }
header { border-bottom: 1.5px solid #000; margin-bottom: 1.2em; padding-bottom: .4em; }
h1 { font-size: 1.35em; margin: 0 0 .2em; }
h2 { font-size: 1.2em; margin: 0 0 .8em; }
.version { font-weight: bold; margin: 0; }
.seed, .ref { color: #555; font-size: .85em; font-weight: normal; }
.fields { display: flex; gap: 2em; margin: .6em 0 0; }
.fields span { flex: 1; border-bottom: 1px solid #000; padding-bottom: .1em; }
.question, .key-question { display: flex; gap: .6em; break-inside: avoid; margin: 0 0 1.1em; }
.number { font-weight: bold; min-width: 1.8em; }
.body { flex: 1; min-width: 0; }
.body > p:first-child { margin-top: 0; }
.choices { list-style: none; padding: 0; margin: .4em 0; }
.choices li { margin: .15em 0; }
.letter { font-weight: bold; margin-right: .4em; }
.format { font-size: .9em; color: #333; margin: .3em 0; }
.box { border: 1px solid #444; border-radius: 3px; margin-top: .3em; padding: .2em .5em; }
.box span { font-size: .8em; color: #555; }
pre {
  white-space: pre-wrap; background: #f3f3f3; padding: .4em .6em; font-size: .9em;
  border-radius: 3px; break-inside: avoid;
}
code { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK KR", monospace; }
.key-answer pre { background: none; padding: 0; margin: .2em 0; font-weight: bold; }
.solution, .mistakes { font-size: .95em; }
.mistakes ul { margin: .2em 0; padding-left: 1.2em; }
.label { font-weight: bold; }
@media screen { section.sheet, section.key { border-top: 2px dashed #aaa; padding-top: 1em; } }
"""

RENDER_MATH = r"""
(function () {
  "use strict";
  // Each formula is "\(tex\)" (inline) or "\[tex\]" (display) inside an .arithmatex element.
  var FORMULA = /^\s*\\([(\[])([\s\S]*)\\([)\]])\s*$/;
  var nodes = document.querySelectorAll(".arithmatex");
  for (var i = 0; i < nodes.length; i++) {
    var parts = FORMULA.exec(nodes[i].textContent);
    if (!parts || (parts[1] === "(") !== (parts[3] === ")")) continue;
    window.katex.render(parts[2], nodes[i], {
      displayMode: parts[1] === "[",
      throwOnError: false,
    });
  }
  document.documentElement.setAttribute("data-math", "rendered");
})();
"""


@dataclass(frozen=True)
class Version:
    """One version of the sheet: its number as printed (from 1), its seed and its questions."""

    number: int
    seed: int
    items: tuple[ExportItem, ...]


def write(items: Sequence[ExportItem], out: Path, settings: ExportSettings) -> list[Path]:
    """Write the sheet (``out``), its key (``.key.json``) and, with Chromium, its PDF.

    The PDF is skipped, with a note on stderr, where Chromium is not installed or
    ``settings.pdf`` is false; it is not byte-identical from run to run (Chromium dates it).

    Returns:
        The paths written: the HTML, the key and, where printed, the PDF.

    Raises:
        ExportError: ``out`` names a PDF or JSON file, the versions differ in their questions,
            a file cannot be written, or Chromium fails to print (one line).
    """
    if out.suffix.lower() in (".pdf", ".json"):
        raise ExportError(f"-o {out}: name the HTML file to write, like sheet.html")
    sheets = versions(items)
    atomic_write(out, page(sheets, settings).encode("utf-8"))
    key = key_path(out)
    atomic_write(key, key_data(sheets, settings))
    written = [out, key]
    if settings.pdf:
        timeout = PDF_TIMEOUT + PDF_SECONDS_PER_QUESTION * len(items)
        pdf = print_pdf(out, out.with_suffix(".pdf"), timeout)
        if pdf is not None:
            written.append(pdf)
    return written


def key_path(out: Path) -> Path:
    """The key file beside the sheet: ``sheet.html`` -> ``sheet.key.json``."""
    return out.with_suffix(".key.json")


def versions(items: Sequence[ExportItem]) -> list[Version]:
    """The items regrouped by seed, seeds in order: version 1 is the smallest seed.

    Raises:
        ExportError: No items, or two versions that do not ask the same templates in order.
    """
    by_seed: dict[int, list[ExportItem]] = {}
    for one in items:
        by_seed.setdefault(one.seed, []).append(one)
    if not by_seed:
        raise ExportError("the worksheet has no questions")
    sheets = [
        Version(number, seed, tuple(by_seed[seed]))
        for number, seed in enumerate(sorted(by_seed), start=1)
    ]
    first = [one.id for one in sheets[0].items]
    for sheet in sheets[1:]:
        if [one.id for one in sheet.items] != first:
            raise ExportError(
                f"seed {sheet.seed}: its questions differ from seed {sheets[0].seed}'s; "
                "every version must ask the same templates"
            )
    return sheets


# --- the page ----------------------------------------------------------------------------


def page(sheets: Sequence[Version], settings: ExportSettings) -> str:
    """The whole sheet as one HTML document: every version, then every answer key."""
    lang = settings.lang if settings.lang in TEXTS else "en"
    words = TEXTS[lang]
    body = [_sheet(sheet, settings.title, words) for sheet in sheets]
    body += [_key(sheet, settings.title, words) for sheet in sheets]
    content = "\n".join(body)
    math = 'class="arithmatex' in content
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="generator" content="studykit">',
    ]
    if settings.command:
        head.append(f'<meta name="studykit-command" content="{_attr(settings.command)}">')
    head += [f"<title>{_text(settings.title)}</title>", f"<style>\n{CSS}</style>"]
    katex = _katex() if math else None
    if katex is not None:
        head.append(f"<style>\n{katex[0]}\n</style>")
    parts = [*head, "</head>", "<body>", content]
    if katex is not None:
        parts += [f"<script>\n{katex[1]}\n</script>", f"<script>{RENDER_MATH}</script>"]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _sheet(sheet: Version, title: str, words: dict[str, str]) -> str:
    version = words["version"].format(number=sheet.number)
    seed = words["seed"].format(seed=sheet.seed)
    lines = [
        f'<section class="sheet" id="version-{sheet.number}" data-version="{sheet.number}" '
        f'data-seed="{sheet.seed}">',
        "<header>",
        f"<h1>{_text(title)}</h1>",
        f'<p class="version">{version} <span class="seed">({seed})</span></p>',
        f'<p class="fields"><span>{words["name"]}:</span><span>{words["date"]}:</span></p>',
        "</header>",
    ]
    for number, one in enumerate(sheet.items, start=1):
        lines.append(_question(sheet.number, number, one, words))
    lines.append("</section>")
    return "\n".join(lines)


def _question(version: int, number: int, one: ExportItem, words: dict[str, str]) -> str:
    parts = [
        f'<div class="question" id="v{version}-q{number}" data-ref="{_attr(one.ref)}" '
        f'data-kind="{one.kind}">',
        f'<div class="number">{number}.</div>',
        '<div class="body">',
        to_html(one.prompt),
    ]
    if one.choices:
        parts.append(_choices(one.choices))
    parts.append(f'<p class="format">{to_html(one.format, inline=True)}</p>')
    height = BOX_HEIGHTS.get(one.kind, 4.0)
    parts.append(
        f'<div class="box" style="min-height: {height}em"><span>{words["answer"]}</span></div>'
    )
    parts += ["</div>", "</div>"]
    return "\n".join(parts)


def _choices(choices: Sequence[str]) -> str:
    rows = [
        f'<li><span class="letter">{LETTERS[i]}.</span>{to_html(text, inline=True)}</li>'
        for i, text in enumerate(choices)
    ]
    return '<ol class="choices">\n' + "\n".join(rows) + "\n</ol>"


def _key(sheet: Version, title: str, words: dict[str, str]) -> str:
    heading = words["key"].format(number=sheet.number)
    seed = words["seed"].format(seed=sheet.seed)
    lines = [
        f'<section class="key" id="key-{sheet.number}" data-version="{sheet.number}" '
        f'data-seed="{sheet.seed}">',
        "<header>",
        f"<h1>{_text(title)}</h1>",
        f'<h2>{heading} <span class="seed">({seed})</span></h2>',
        "</header>",
    ]
    for number, one in enumerate(sheet.items, start=1):
        lines.append(_key_question(number, one, words))
    lines.append("</section>")
    return "\n".join(lines)


def _key_question(number: int, one: ExportItem, words: dict[str, str]) -> str:
    answer = _text(one.answer)
    if one.kind == "choice":
        option = to_html(one.choices[one.correct_choice], inline=True) if one.choices else ""
        answer_html = f"<p><strong>{answer}</strong> {option}</p>"
    else:
        answer_html = f"<pre>{answer}</pre>"
    parts = [
        f'<div class="key-question" data-ref="{_attr(one.ref)}" data-kind="{one.kind}">',
        f'<div class="number">{number}.</div>',
        '<div class="body">',
        f'<div class="key-answer">{answer_html}</div>',
        f'<div class="solution"><p class="label">{section_title(one.lang, "solution")}</p>'
        f"{to_html(one.solution)}</div>",
    ]
    if one.misconceptions:
        parts.append(
            f'<div class="mistakes"><p class="label">{section_title(one.lang, "mistakes")}</p>'
            f"{mistakes_list(one.kind, one.misconceptions, inline=True)}</div>"
        )
    parts.append(f'<p class="ref">{words["ref"]}: <code>{_text(one.ref)}</code></p>')
    parts += ["</div>", "</div>"]
    return "\n".join(parts)


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


# --- KaTeX, inlined ----------------------------------------------------------------------

_FONT_URL = re.compile(r"url\((fonts/[A-Za-z0-9_-]+\.woff2)\)")


def katex_folder() -> Path | None:
    """The vendored KaTeX of the study site: in the installed package or in the checkout."""
    package = Path(__file__).resolve().parent.parent
    for root in (package / "sitesrc" / "docs", package.parent / "docs"):
        folder = root / "assets" / "vendor" / "katex"
        if (folder / "katex.min.js").is_file() and (folder / "katex.min.css").is_file():
            return folder
    return None


def _katex() -> tuple[str, str] | None:
    """KaTeX's CSS (its fonts as data URIs) and script, or None (math is left as TeX)."""
    folder = katex_folder()
    if folder is None:
        print("note: KaTeX not found; the sheet shows math as TeX", file=sys.stderr)
        return None

    def inline_font(match: re.Match[str]) -> str:
        font = folder / match.group(1)
        if not font.is_file():
            return match.group(0)
        data = base64.b64encode(font.read_bytes()).decode("ascii")
        return f"url(data:font/woff2;base64,{data})"

    css = _FONT_URL.sub(inline_font, (folder / "katex.min.css").read_text(encoding="utf-8"))
    script = (folder / "katex.min.js").read_text(encoding="utf-8")
    if "</script" in script.lower():
        return None
    return css, script


# --- the key -----------------------------------------------------------------------------


def key_data(sheets: Sequence[Version], settings: ExportSettings) -> bytes:
    """The key file: what `studykit.exports.grade` needs to grade every version.

    JSON laid out one question a line (``"format"``, ``"title"``, ``"lang"``, ``"command"``,
    then ``"versions"``: each with ``"version"``, ``"seed"`` and ``"questions"``), so an error
    the grader reports by line is easy to find, and the fast compact encoder does the work.
    """
    head = {
        "format": KEY_FORMAT,
        "title": settings.title,
        "lang": settings.lang,
        "command": settings.command,
    }
    lines = ["{"] + [f"{_json(name)}: {_json(value)}," for name, value in head.items()]
    lines.append('"versions": [')
    for index, sheet in enumerate(sheets):
        lines.append(f'{{"version": {sheet.number}, "seed": {sheet.seed}, "questions": [')
        questions = [_question_line(number, one) for number, one in enumerate(sheet.items, 1)]
        lines.append(",\n".join(questions))
        lines.append("]}" + ("," if index < len(sheets) - 1 else ""))
    lines += ["]", "}", ""]
    return "\n".join(lines).encode("utf-8")


def _question_line(number: int, one: ExportItem) -> str:
    try:
        return _json(_key_question_data(number, one))
    except (TypeError, ValueError) as error:  # a value JSON cannot hold (inf, an object)
        raise ExportError(f"{one.ref}: its key cannot be written as JSON ({error})") from None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _key_question_data(number: int, one: ExportItem) -> dict[str, Any]:
    tolerance = one.key.tolerance
    return {
        "number": number,
        "ref": one.ref,
        "kind": one.kind,
        "data": one.data(),
        # Key.data() leaves out the tolerance: a key without a precision is graded by it.
        "tolerance": None
        if tolerance is None
        else {"rel": tolerance.rel, "abs": tolerance.abs, "sigfigs": tolerance.sigfigs},
    }


# --- the PDF -----------------------------------------------------------------------------


def find_chromium() -> str | None:
    """The Chromium to print with, or None where there is none.

    ``chromium`` (or ``chromium-browser``) on PATH, else ``/usr/bin/chromium``.
    """
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    fallback = Path("/usr/bin/chromium")
    return str(fallback) if fallback.is_file() else None


def print_pdf(sheet: Path, pdf: Path, timeout: float = PDF_TIMEOUT) -> Path | None:
    """Print ``sheet`` to ``pdf`` with headless Chromium; None (and a note) without Chromium.

    Chromium prints into a fresh temporary profile folder (so several prints can run at once),
    waiting for KaTeX to render; the PDF is then written with `atomic_write`.

    Raises:
        ExportError: Chromium fails, hangs past ``timeout`` seconds or prints no PDF.
    """
    chromium = find_chromium()
    if chromium is None:
        print(
            f"note: Chromium is not installed; no PDF ({sheet} prints from a browser)",
            file=sys.stderr,
        )
        return None
    with tempfile.TemporaryDirectory(prefix="studykit-chromium-") as folder:
        printed = Path(folder) / "sheet.pdf"
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--no-pdf-header-footer",
            "--virtual-time-budget=10000",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={printed}",
            sheet.resolve().as_uri(),
        ]
        try:
            with _uncapped():
                result = subprocess.run(
                    command, capture_output=True, timeout=timeout, check=False, cwd=folder
                )
        except subprocess.TimeoutExpired:
            raise ExportError(f"{pdf}: Chromium did not print within {timeout:.0f} s") from None
        except OSError as error:
            raise ExportError(f"{pdf}: cannot run {chromium}: {error.strerror or error}") from None
        data = printed.read_bytes() if printed.is_file() else b""
    if result.returncode != 0 or not data.startswith(b"%PDF"):
        why = _last_line(result.stderr) or f"exit status {result.returncode}"
        raise ExportError(f"{pdf}: Chromium printed no PDF ({why})")
    atomic_write(pdf, data)
    return pdf


@contextlib.contextmanager
def _uncapped() -> Iterator[None]:
    """Lift the command line's memory cap (`studykit.questions.limits.memory_cap`) for a child.

    The cap guards against templates; Chromium inherits it and needs more for a long sheet.
    """
    try:
        import resource
    except ImportError:  # not Unix: there is no cap
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    return lines[-1][:200] if lines else ""
