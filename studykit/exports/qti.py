r"""QTI export for Canvas (QTI 내보내기): one QTI 1.2 quiz package, a question per variant.

``studykit export qti -o quiz.zip`` writes the zip that Canvas imports (Settings > Import
Course Content > QTI .zip file) as a classic quiz. text2qti (by Geoffrey Poore) writes the
package from its Markdown-like quiz text; this module writes that text, one question per
variant, with the question's ref (``id@seed``) leading its title, so any answer can be
regraded or reproduced with ``studykit``.

How each key kind becomes a Canvas question:

- number, integer, and a tensor with one entry: a numerical question, the key with the
  half-width studykit's checker accepts at the stated precision (``ExportItem.entries``), so
  Canvas and ``studykit check`` agree. An integer is exact.
- choice: multiple choice, the options lettered A, B, ... as in the solution's text, and each
  misconception's feedback on the option it names.
- shape, and a tensor with several entries: a fill-in-the-blank (short answer) question that
  accepts the written forms studykit's checker accepts: ``(2, 3)``, ``(2,3)``, ``2, 3``,
  ``[2, 3]``, ``torch.Size([2, 3])`` for a shape; a tensor's nested list as studykit prints
  it and at the stated precision, with and without spaces. Canvas compares the text
  (ignoring case), so other roundings of a float tensor are marked wrong: regrade those
  with the ref.
- expression: an essay question graded by the teacher (Canvas cannot compare formulas); the
  general feedback shows a correct formula.

Every question's general feedback holds the answer (정답), the worked solution (풀이 과정)
and, except for choices, the common mistakes (흔한 실수). The texts in the quiz text are
studykit's own sanitized HTML (`to_html`), and text2qti parses them with a renderer that
keeps HTML as it is instead of its Markdown step: math stays ``\(...\)`` for Canvas's
MathJax (text2qti's ``$...$`` would become images from Canvas's equation service), nothing
runs code, reads an image file or calls pandoc, and 10,000 questions parse in seconds
(Python-Markdown, once per text, took a minute).

The same command gives the same bytes: text2qti's identifiers are hashes of the texts, and
this module fixes the manifest's date and the zip entries' times.

Example:
    ``studykit export qti --topic losses --variants 2 --lang ko -o losses-qti.zip``

Common mistakes:
    - Expecting text2qti's own numerical syntax to hold a key like 0.000992 ± 5e-7: it rounds
      bounds to 4 decimals and refuses magnitudes under 1e-4, so this module writes the bounds
      onto the parsed questions in full precision.
    - Parsing two quizzes at once in threads: the renderer is swapped into ``text2qti.quiz``
      while one quiz parses (and put back after).
    - Showing the export's command to students: the refs (and so the answers) follow from it.
      It is left out of the quiz; the refs sit only in question names.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import text2qti.quiz
from text2qti.config import Config
from text2qti.err import Text2qtiError
from text2qti.markdown import Markdown
from text2qti.qti import QTI
from text2qti.quiz import Question, Quiz
from text2qti.xml_imsmanifest import imsmanifest

from studykit.exports.items import ExportError, ExportItem, flatten
from studykit.exports.output import ExportSettings, atomic_write
from studykit.exports.sections import mistakes_section, section_title
from studykit.questions.markup import to_html
from studykit.questions.render import fmt_shape

__all__ = ["accepted_texts", "entry_html", "quiz_text", "write"]

MANIFEST_DATE = "2024-01-01"
"""The date in the manifest's metadata (text2qti writes today's)."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The zip entries' date (the earliest a zip file can hold)."""
LETTERS = "abcdefgh"
PLACEHOLDER_RANGE = "= 2 +- 1"
"""What text2qti parses for a numerical answer; the real bounds replace it (see the module)."""

ONE_ENTRY = {
    "en": "Type the single entry as a number.",
    "ko": "원소 하나의 값을 숫자로 입력하십시오.",
}
"""What a one-entry tensor question adds (Canvas grades it as a number)."""


@dataclass(frozen=True)
class _Bounds:
    """A numerical answer: the key and what the checker accepts around it."""

    value: float
    low: float
    high: float


def write(items: Sequence[ExportItem], out: Path, settings: ExportSettings) -> list[Path]:
    """Write ``items`` as the QTI 1.2 package ``out`` (a zip Canvas imports).

    Raises:
        ExportError: text2qti refuses a question (the message names its ref), or ``out``
            cannot be written.
    """
    if not items:
        raise ExportError("qti: no questions to export")
    quiz = _parse(items, settings.title)
    questions = [q for q in quiz.questions_and_delims if isinstance(q, Question)]
    for item, question in zip(items, questions, strict=True):
        bounds = _bounds(item)
        if bounds is not None:
            _set_bounds(question, bounds)
    atomic_write(out, _package(quiz))
    return [out]


def quiz_text(items: Sequence[ExportItem], title: str) -> str:
    """text2qti's quiz text for ``items``: a question per item, in order."""
    lines = [f"Quiz title: {_one_line(title) or 'studykit'}", ""]
    for number, item in enumerate(items, start=1):
        lines += [*_question_lines(number, item), ""]
    return "\n".join(lines)


def _question_lines(number: int, item: ExportItem) -> list[str]:
    lines = [f"Title: {_one_line(item.ref + ' · ' + item.title)[:250]}"]
    lines += _entry(f"{number}. ", _question_html(item))
    lines += _entry("... ", _feedback_html(item))
    if item.kind == "choice":
        lines += _choice_lines(item)
    elif item.kind == "expression":
        lines.append("____")
    elif _bounds(item) is not None:
        lines.append(PLACEHOLDER_RANGE)
    else:
        lines += [f"* {text}" for text in accepted_texts(item)]
    return lines


def _question_html(item: ExportItem) -> str:
    parts = [to_html(item.prompt)]
    if item.kind == "tensor" and _bounds(item) is not None:
        parts.append(f"<p>{html.escape(ONE_ENTRY.get(item.lang, ONE_ENTRY['en']))}</p>")
    parts.append(f"<p><em>{to_html(item.format, inline=True)}</em></p>")
    # Canvas names a question by a hash of its text: two variants with the same prompt (their
    # choices differ) still need two names, so a mark of the variant closes the text.
    mark = hashlib.sha256(f"{item.ref} {item.lang}".encode()).hexdigest()[:16]
    parts.append(f'<span class="studykit-variant" data-variant="{mark}"></span>')
    return "\n".join(parts)


def _feedback_html(item: ExportItem) -> str:
    answer, solution = (html.escape(section_title(item.lang, p)) for p in ("answer", "solution"))
    parts = [
        f"<p><strong>{answer}:</strong> {_answer_html(item)}</p>",
        f"<p><strong>{solution}</strong></p>",
        to_html(item.solution),
    ]
    if item.kind != "choice":
        parts.append(mistakes_section(item.kind, item.lang, item.misconceptions))
    return "\n".join(part for part in parts if part)


def _answer_html(item: ExportItem) -> str:
    if item.kind == "choice":
        option = to_html(item.choices[item.correct_choice], inline=True)
        return f"{html.escape(item.answer)}. {option}"
    if item.kind == "tensor":
        return f"<code>{html.escape(_list_line(item.answer))}</code>"
    return f"<code>{html.escape(item.answer)}</code>"


def _choice_lines(item: ExportItem) -> list[str]:
    feedback: dict[str, list[str]] = {}
    for misconception in item.misconceptions:
        feedback.setdefault(str(misconception.value), []).append(to_html(misconception.feedback))
    lines = []
    for index, option in enumerate(item.choices):
        letter = "ABCDEFGH"[index]
        marker = f"{'*' if index == item.correct_choice else ''}{LETTERS[index]}) "
        lines += _entry(marker, f"{letter}. {to_html(option, inline=True)}")
        if letter in feedback:
            lines += _entry("... ", "\n".join(feedback[letter]))
    return lines


def accepted_texts(item: ExportItem) -> list[str]:
    """The answers a fill-in question accepts: a shape's or a tensor's written forms.

    Raises:
        ExportError: ``item`` is not a shape or tensor question.
    """
    if item.kind == "shape":
        dims = [str(int(d)) for d in flatten(item.key.value)]
        forms = [fmt_shape(dims), f"[{', '.join(dims)}]", f"torch.Size([{', '.join(dims)}])"]
        if dims:
            forms.append(", ".join(dims))
    elif item.kind == "tensor":
        forms = [_list_line(item.answer), _layout(item.key.value, iter(_stated(item)))]
    else:
        raise ExportError(f"{item.ref}: a {item.kind} key has no fill-in forms")
    compact = [form.replace(" ", "") for form in forms]
    return list(dict.fromkeys(f for pair in zip(forms, compact, strict=True) for f in pair))


def _stated(item: ExportItem) -> list[str]:
    """Each entry written at the key's stated precision (trailing zeros kept)."""
    precision = item.key.precision
    sigfigs = getattr(precision, "sigfigs", None)
    decimals = getattr(precision, "decimals", None)
    texts = []
    for value, half in item.entries():
        if half == 0 and value.is_integer():
            texts.append(str(int(value)))
        elif decimals is not None:
            texts.append(f"{value:.{decimals}f}")
        elif sigfigs is not None:
            texts.append(f"{value:#.{sigfigs}g}".rstrip(".").replace("e+", "e"))
        else:
            texts.append(repr(value))
    return texts


def _layout(value: Any, texts: Iterator[str]) -> str:
    """``texts`` laid out in ``value``'s nesting, as a nested list."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_layout(part, texts) for part in value) + "]"
    return next(texts)


def _bounds(item: ExportItem) -> _Bounds | None:
    """The numerical answer of a number, integer or one-entry tensor question, else None."""
    if item.kind not in ("number", "integer", "tensor"):
        return None
    entries = item.entries()
    if len(entries) != 1:
        return None
    value, half = entries[0]
    return _Bounds(value, value - half, value + half)


def _set_bounds(question: Question, bounds: _Bounds) -> None:
    """Give a parsed numerical question its real bounds, in full precision."""
    question.numerical_exact = bounds.value
    question.numerical_min = bounds.low
    question.numerical_max = bounds.high
    question.numerical_exact_html_xml = _decimal(bounds.value)
    question.numerical_min_html_xml = _decimal(bounds.low)
    question.numerical_max_html_xml = _decimal(bounds.high)


def _decimal(value: float) -> str:
    """``value`` in positional notation, every digit of its shortest repr (no exponent)."""
    if value == 0:
        return "0"
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _entry(marker: str, markup: str) -> list[str]:
    """A text2qti entry: ``marker`` and the first line, the others indented under it.

    text2qti drops trailing spaces (they would be Markdown line breaks); they go here first,
    so the HTML it keeps is exactly `entry_html` of ``markup``.
    """
    first, *rest = entry_html(markup).split("\n")
    pad = " " * len(marker)
    return [marker + first, *(pad + line if line else "" for line in rest)]


def entry_html(markup: str) -> str:
    """``markup`` as a question, choice or feedback holds it: no trailing spaces on a line."""
    return "\n".join(line.rstrip() for line in markup.split("\n"))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _list_line(text: str) -> str:
    """A tensor printed over lines, on one: ``[[ 8,  7]]`` becomes ``[[8, 7]]``."""
    return re.sub(r"\[ ", "[", _one_line(text))


class _HtmlTexts(Markdown):  # type: ignore[misc]
    r"""text2qti's renderer for texts that are HTML already.

    studykit renders its Markdown itself (`to_html`: sanitized, math as ``\(...\)``), so
    text2qti's Markdown step is left out, and with it its ``$...$`` to equation-image
    conversion, its siunitx macros and its image files. text2qti still escapes the HTML for
    the XML.
    """

    def md_to_html(self, markdown_string: str, strip_p_tags: bool = False) -> str:
        return markdown_string


@contextmanager
def _html_texts() -> Iterator[None]:
    """While parsing, text2qti's quizzes render with `_HtmlTexts` (restored after)."""
    saved = text2qti.quiz.Markdown
    text2qti.quiz.Markdown = _HtmlTexts
    try:
        yield
    finally:
        text2qti.quiz.Markdown = saved


def _parse(items: Sequence[ExportItem], title: str) -> Quiz:
    """The quiz text parsed by text2qti (no config file, no LaTeX service, no code runs).

    Raises:
        ExportError: text2qti refuses a question (the first such item's ref is named).
    """
    try:
        return _quiz(quiz_text(items, title))
    except Text2qtiError as error:
        culprit = next((item for item in items if _refused(item)), None)
        where = f"{culprit.ref}: " if culprit else ""
        message = _one_line(str(error).splitlines()[-1])
        raise ExportError(f"qti: {where}text2qti refused the question: {message}") from None


def _quiz(text: str) -> Quiz:
    config = Config({"pandoc_mathml": False, "run_code_blocks": False})
    with _html_texts():
        return Quiz(text, config=config, source_name="studykit")


def _refused(item: ExportItem) -> bool:
    """Whether text2qti refuses ``item``'s question alone (to name it in an error)."""
    try:
        _quiz(quiz_text([item], "studykit"))
    except Text2qtiError:
        return True
    return False


def _package(quiz: Quiz) -> bytes:
    """text2qti's package, with a fixed manifest date and fixed zip entry times."""
    qti = QTI(quiz)
    manifest = imsmanifest(
        manifest_identifier=qti.manifest_identifier,
        assessment_identifier=qti.assessment_identifier,
        dependency_identifier=qti.dependency_identifier,
        images={},
        date=MANIFEST_DATE,
    )
    folder = qti.assessment_identifier
    entries = [
        ("imsmanifest.xml", manifest),
        ("non_cc_assessments/", ""),
        (f"{folder}/assessment_meta.xml", qti.assessment_meta),
        (f"{folder}/{folder}.xml", qti.assessment),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            if not name.endswith("/"):
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
            archive.writestr(info, data.encode("utf-8"))
    return buffer.getvalue()
