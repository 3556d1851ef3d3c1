r"""Moodle XML (무들 XML): studykit's variants as a Moodle question bank file.

``studykit export moodle -o quiz.xml`` writes one ``<quiz>`` that Moodle imports through
*Question bank > Import > Moodle XML format*. What each answer kind becomes:

- **number, integer** (수치형): a ``numerical`` question. The right answer carries an absolute
  tolerance equal to the half-width studykit's checker accepts at the stated precision
  (`studykit.exports.items.ExportItem.entries`), so Moodle and ``studykit check`` agree on
  every typed number; an integer's tolerance is 0. Each misconception whose value is one
  number follows as a 0% answer with its feedback (Moodle takes the first answer whose
  interval holds the response, and the right answer is first, as in studykit).
- **choice** (선택형): a ``multichoice`` question, one answer allowed, options in their
  order and lettered A, B, ... (``shuffleanswers`` off: the worked solution names the right
  letter). Each option's feedback is the misconception whose value is that letter, else a
  short generic line.
- **tensor, shape** (텐서, 모양): a Cloze (``cloze``, Moodle's *multianswer*) question with one
  ``{1:NUMERICAL:=value:tolerance}`` blank per entry, laid out like the tensor (one row per
  line, ``[[..], [..]]``; a shape as ``(.., ..)``). A misconception of the same shape adds a
  wrong answer to each blank where it differs, ``~%0%value:tolerance#feedback``; one of
  another shape (a transposed or flattened result) cannot sit in a blank, so it is listed
  under "Common mistakes" in the general feedback.
- **expression** (식): an ``essay`` question the teacher grades. studykit compares formulas
  as functions (``2*x*(1-x)`` and ``2*x - 2*x**2`` are both right), and no core Moodle type
  does: a ``shortanswer`` on the key's exact text would fail most right answers. The key, the
  misconceptions and the ``studykit check`` command that grades a formula exactly are in the
  grader information; the worked solution is the general feedback.

Every question is named "title [id@seed]" and has the ref as its ID number (``idnumber``),
so any variant can be rebuilt and regraded (`studykit.exports.items.regrade`). Texts are HTML
from `studykit.questions.markup.to_html` in CDATA, math kept as ``\(...\)`` for Moodle's
MathJax filter. The prompt is followed by the format line (`format_line`: none for a choice,
which is clicked; no fraction offered, as a numerical field reads decimals only), the hint
is a ``<hint>``, the worked solution is the general feedback. Questions sit in a category
per topic, ``$course$/top/studykit/<topic>``, and with ``--variants`` above 1 in a
subcategory per template, so that a quiz can draw one random variant per student ("Add a
random question" from that category). The file is UTF-8 and the same command writes the same
bytes; numbers are written with ``repr`` (the shortest text that reads back as the same
float).

Example:
    >>> from studykit.exports.moodle import number_text
    >>> number_text(1.5701769005486392), number_text(6.0), number_text(5e-07)
    ('1.5701769005486392', '6', '5e-07')

Common mistakes:
    - Giving a numerical answer a relative tolerance ("1%"): studykit's precision is absolute
      at the key's decade, which is exactly what Moodle's nominal tolerance is.
    - Turning shuffling on for a choice question: the worked solution says "option A".
    - Escaping Cloze feedback with backslashes only: Moodle reads ``\}`` and ``\#`` but keeps
      ``\~``, ``\"`` and ``\\`` as typed; this writer uses HTML character references
      (``&#126;``), which Moodle decodes in every version.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from collections.abc import Iterator, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from studykit.exports.items import ExportItem, by_topic, flatten
from studykit.exports.output import ExportSettings, atomic_write
from studykit.exports.sections import mistakes_section, section_title
from studykit.questions.checking import Misconception, answer_format
from studykit.questions.markup import to_html

__all__ = [
    "CATEGORY_ROOT",
    "Alternative",
    "blank_alternatives",
    "category_paths",
    "cloze_blank",
    "cloze_escape",
    "format_line",
    "number_text",
    "numeric_alternatives",
    "other_shape_misconceptions",
    "question_name",
    "question_tags",
    "say",
    "write",
]

CATEGORY_ROOT = "$course$/top/studykit"
"""The category every export goes under (``top`` is the course's top category)."""

Alternative = tuple[float, float, str]
"""A wrong answer an LMS can grade: (value, half-width, feedback Markdown)."""

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "wrong_choice": "Not this one; see the worked solution.",
        "grade_by_hand": (
            "Grade by hand: any formula equal to the key as a function is right, whatever "
            "its form. To check one exactly, run:"
        ),
        "entry": "Give only the entry at index {index} of the answer (indices start at 0).",
        "size": "Give only the size at index {index} of the shape (indices start at 0).",
        "made_by": (
            "Made by studykit: {command}. A question's ID number is its variant, id@seed; "
            "studykit show ID --seed SEED shows it again."
        ),
        "made_by_gift": (
            "Made by studykit: {command}. The [id@seed] in a question's name is its variant; "
            "studykit show ID --seed SEED shows it again."
        ),
    },
    "ko": {
        "wrong_choice": "이 선택지는 정답이 아닙니다. 풀이를 참고하십시오.",
        "grade_by_hand": (
            "직접 채점하십시오. 정답과 같은 함수를 나타내는 식이면 형태가 달라도 정답입니다. "
            "정확히 확인하려면 다음 명령을 실행하십시오."
        ),
        "entry": "답에서 인덱스 {index}의 원소만 쓰십시오(인덱스는 0부터 셉니다).",
        "size": "모양에서 인덱스 {index}의 크기만 쓰십시오(인덱스는 0부터 셉니다).",
        "made_by": (
            "studykit으로 만들었습니다: {command}. 문항의 ID 번호(id@seed)가 변형을 "
            "가리킵니다. studykit show ID --seed SEED로 같은 변형을 다시 볼 수 있습니다."
        ),
        "made_by_gift": (
            "studykit으로 만들었습니다: {command}. 문항 이름의 [id@seed]가 변형을 "
            "가리킵니다. studykit show ID --seed SEED로 같은 변형을 다시 볼 수 있습니다."
        ),
    },
}
"""The few lines an export adds around a question's own texts, per language."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CLOZE_REFERENCES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: f"&#{ord(c)};" for c in "\"'{}#~/\\"}
)


def say(lang: str, phrase: str, **fields: object) -> str:
    """One of `PHRASES` in ``lang`` (English where not translated), fields filled in."""
    return PHRASES.get(lang, PHRASES["en"])[phrase].format(**fields)


# --- what both Moodle formats share (GIFT reuses these) ----------------------------------------


def number_text(x: float) -> str:
    """``x`` as the shortest text that reads back as the same float (whole numbers bare).

    Both Moodle and GIFT read ``1e-05`` and ``-2.5``; a whole number is written without
    ``.0`` (``6``), so integers and shapes read naturally.
    """
    if math.isfinite(x) and x == int(x) and abs(x) < 2**53:
        return str(int(x))
    return repr(float(x))


def format_line(item: ExportItem) -> str:
    """The line saying how to answer, as an LMS's number field reads it (Markdown).

    A key whose precision also offers a fraction ("as a fraction (like 2/3) or as a decimal to
    2 decimal places") is stated without the fraction: Moodle's numerical field reads a
    decimal only, and ``2/3`` there would be marked wrong.
    """
    precision = item.key.precision
    if item.kind != "number" or precision is None or not precision.fraction:
        return item.format
    decimal = dataclasses.replace(
        item.key, precision=dataclasses.replace(precision, fraction=False)
    )
    return answer_format(decimal, item.lang)


def question_name(item: ExportItem) -> str:
    """The name a teacher sees in the question bank: ``title [id@seed]``."""
    return f"{item.title} [{item.ref}]"


def question_tags(item: ExportItem) -> list[str]:
    """The tags of a question: studykit, its topic, its difficulty, then the template's own."""
    tags = ["studykit", item.topic, f"difficulty-{item.difficulty}", *item.tags]
    cleaned = [tag.replace(",", " ").strip() for tag in tags]
    return list(dict.fromkeys(tag for tag in cleaned if tag))


def category_paths(
    items: Sequence[ExportItem], variants: int
) -> Iterator[tuple[str, list[ExportItem]]]:
    """(category path, its items): one per topic, or one per template when there are variants.

    A template's variants in a category of their own let a quiz draw one at random.
    """
    for topic, group in by_topic(items).items():
        topic_path = f"{CATEGORY_ROOT}/{_path_part(topic)}"
        if variants <= 1:
            yield topic_path, group
            continue
        for template_id, same in groupby(group, key=lambda item: item.id):
            name = template_id.removeprefix(f"{topic}/")
            yield f"{topic_path}/{_path_part(name)}", list(same)


def _path_part(name: str) -> str:
    """A category name inside a path (a ``/`` in a name is written ``//``)."""
    return name.replace("/", "//")


def numeric_alternatives(item: ExportItem) -> list[Alternative]:
    """The misconceptions of a number or integer question that are one number, as answers.

    A misconception of another form, or one the right answer's interval already holds (the
    checker would call it right), is left out; so is a repeat of an earlier value.
    """
    [(value, width)] = item.entries()
    found: list[Alternative] = []
    for mistake in item.misconceptions:
        numbers = _entries_or_none(item, mistake)
        if numbers is None or len(numbers) != 1:
            continue
        wrong, wrong_width = numbers[0]
        if not _usable(wrong, value, width, found):
            continue
        found.append((wrong, wrong_width, mistake.feedback))
    return found


def blank_alternatives(item: ExportItem) -> list[list[Alternative]]:
    """For each entry of a tensor or shape key, the wrong answers its blank carries.

    Each misconception of the key's shape contributes its entry where it differs from the
    key's (beyond the key's half-width), once per value; the first misconception wins, as in
    the checker.
    """
    keys = item.entries()
    blanks: list[list[Alternative]] = [[] for _ in keys]
    for mistake in _same_shape(item):
        numbers = item.entries(mistake.value)
        for blank, (value, width), (wrong, wrong_width) in zip(blanks, keys, numbers, strict=True):
            if not _usable(wrong, value, width, blank):
                continue
            blank.append((wrong, wrong_width, mistake.feedback))
    return blanks


def _usable(wrong: float, value: float, width: float, found: Sequence[Alternative]) -> bool:
    """A wrong value an LMS can tell from the key, and not one already given."""
    return (
        math.isfinite(wrong)
        and abs(wrong - value) > width
        and all(wrong != seen for seen, _, _ in found)
    )


def other_shape_misconceptions(item: ExportItem) -> list[Misconception]:
    """The misconceptions of a tensor or shape question that no blank can carry."""
    same = {id(m) for m in _same_shape(item)}
    return [m for m in item.misconceptions if id(m) not in same]


def _same_shape(item: ExportItem) -> list[Misconception]:
    shape = _dims(item.key.value)
    return [
        m
        for m in item.misconceptions
        if _dims(m.value) == shape and _entries_or_none(item, m) is not None
    ]


def _dims(value: Any) -> tuple[int, ...] | None:
    """The nested-list shape of ``value`` (None when ragged)."""
    if not isinstance(value, list | tuple):
        return ()
    inner = {_dims(part) for part in value}
    below = inner.pop() if len(inner) == 1 else () if not inner else None
    return None if below is None else (len(value), *below)


def _entries_or_none(item: ExportItem, mistake: Misconception) -> list[tuple[float, float]] | None:
    try:
        return item.entries(mistake.value)
    except (TypeError, ValueError):  # a text value (an expression) has no numeric entries
        return None


# --- XML ----------------------------------------------------------------------------------------


def write(items: Sequence[ExportItem], out: Path, settings: ExportSettings) -> list[Path]:
    """Write the items to ``out`` as one Moodle XML quiz; the path written."""
    atomic_write(out, quiz_xml(items, settings).encode("utf-8"))
    return [out]


def quiz_xml(items: Sequence[ExportItem], settings: ExportSettings) -> str:
    """The whole ``<quiz>`` document: a category, then its questions, for each category."""
    made_by = say(settings.lang, "made_by", command=settings.command or "studykit export moodle")
    info = f"<p>{html.escape(settings.title)}</p>\n{to_html(made_by)}"
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for path, group in category_paths(items, settings.variants):
        parts += [
            '<question type="category">',
            f"  <category><text>{_escape(path)}</text></category>",
            f'  <info format="html"><text>{_cdata(info)}</text></info>',
            "</question>",
        ]
        parts += [question_xml(item) for item in group]
    parts.append("</quiz>")
    return "\n".join(parts) + "\n"


def question_xml(item: ExportItem) -> str:
    """One ``<question>`` element for the item, by its kind."""
    if item.kind in ("number", "integer"):
        kind, body = "numerical", _numerical(item)
    elif item.kind == "choice":
        kind, body = "multichoice", _multichoice(item)
    elif item.kind in ("tensor", "shape"):
        kind, body = "cloze", []
    else:
        kind, body = "essay", _essay(item)
    lines = [
        f'<question type="{kind}">',
        f"  <name><text>{_escape(question_name(item))}</text></name>",
        _html_field("questiontext", _question_html(item)),
        _html_field("generalfeedback", _general_feedback(item)),
    ]
    if kind != "cloze":  # a Cloze question's mark is the sum of its blanks' marks
        lines.append("  <defaultgrade>1</defaultgrade>")
    lines += [
        "  <penalty>0.3333333</penalty>",
        "  <hidden>0</hidden>",
        f"  <idnumber>{_escape(item.ref)}</idnumber>",
        *body,
    ]
    if item.hint:
        lines.append(_html_field("hint", to_html(item.hint)))
    lines.append("  <tags>")
    lines += [f"    <tag><text>{_escape(tag)}</text></tag>" for tag in question_tags(item)]
    lines += ["  </tags>", "</question>"]
    return "\n".join(lines)


def _question_html(item: ExportItem) -> str:
    parts = [to_html(item.prompt)]
    if item.kind != "choice":  # a choice is clicked, not typed
        parts.append(f"<p>{to_html(format_line(item), inline=True)}</p>")
    if item.kind in ("tensor", "shape"):
        parts.append(cloze_answer_html(item))
    return "\n".join(parts)


def _general_feedback(item: ExportItem) -> str:
    parts = [to_html(item.solution)]
    if item.kind == "expression":
        parts.insert(0, _key_html(item))
    if item.kind in ("tensor", "shape"):
        parts.append(mistakes_section(item.kind, item.lang, other_shape_misconceptions(item), True))
    return "\n".join(part for part in parts if part)


def _key_html(item: ExportItem) -> str:
    title = section_title(item.lang, "answer")
    return f"<p>{html.escape(title)}: <code>{html.escape(item.answer)}</code></p>"


def _numerical(item: ExportItem) -> list[str]:
    [(value, width)] = item.entries()
    lines = _numerical_answer(100, value, width, "")
    for wrong, wrong_width, feedback in numeric_alternatives(item):
        lines += _numerical_answer(0, wrong, wrong_width, to_html(feedback))
    return [
        *lines,
        "  <unitgradingtype>0</unitgradingtype>",
        "  <unitpenalty>0.1000000</unitpenalty>",
        "  <showunits>3</showunits>",
        "  <unitsleft>0</unitsleft>",
    ]


def _numerical_answer(fraction: int, value: float, width: float, feedback: str) -> list[str]:
    return [
        f'  <answer fraction="{fraction}" format="moodle_auto_format">',
        f"    <text>{number_text(value)}</text>",
        f"    <tolerance>{number_text(width)}</tolerance>",
        _html_field("feedback", feedback, indent="    "),
        "  </answer>",
    ]


def _multichoice(item: ExportItem) -> list[str]:
    letters = "ABCDEFGH"
    chosen: dict[str, str] = {}
    for mistake in item.misconceptions:
        chosen.setdefault(str(mistake.value).strip().upper(), mistake.feedback)
    lines = [
        "  <single>true</single>",
        "  <shuffleanswers>false</shuffleanswers>",
        "  <answernumbering>ABCD</answernumbering>",
        "  <showstandardinstruction>0</showstandardinstruction>",
    ]
    for index, choice in enumerate(item.choices):
        right = index == item.correct_choice
        feedback = chosen.get(letters[index]) or ("" if right else say(item.lang, "wrong_choice"))
        lines += [
            f'  <answer fraction="{100 if right else 0}" format="html">',
            f"    <text>{_cdata(to_html(choice, inline=True))}</text>",
            _html_field("feedback", to_html(feedback) if feedback else "", indent="    "),
            "  </answer>",
        ]
    return lines


def _essay(item: ExportItem) -> list[str]:
    command = f"studykit check {item.id} --seed {item.seed} --lang {item.lang} --answer '...'"
    info = "\n".join(
        [
            _key_html(item),
            f"<p>{say(item.lang, 'grade_by_hand')}</p>",
            f"<pre><code>{html.escape(command)}</code></pre>",
            mistakes_section(item.kind, item.lang, item.misconceptions, inline=True),
        ]
    )
    return [
        "  <responseformat>plain</responseformat>",
        "  <responserequired>1</responserequired>",
        "  <responsefieldlines>5</responsefieldlines>",
        "  <attachments>0</attachments>",
        "  <attachmentsrequired>0</attachmentsrequired>",
        _html_field("graderinfo", info.strip()),
        _html_field("responsetemplate", ""),
    ]


# --- Cloze ---------------------------------------------------------------------------------------


def cloze_answer_html(item: ExportItem) -> str:
    """The answer blanks of a tensor or shape question, laid out like the value."""
    alternatives = blank_alternatives(item)
    blanks = iter(
        cloze_blank(value, width, wrongs)
        for (value, width), wrongs in zip(item.entries(), alternatives, strict=True)
    )
    value = item.key.value
    if item.kind == "shape":
        inside = ", ".join(next(blanks) for _ in flatten(value))
        return f"<p>({inside}{',' if len(flatten(value)) == 1 else ''})</p>"
    return f"<p>{_nested(value, blanks, 0)}</p>"


def _nested(value: Any, blanks: Iterator[str], depth: int) -> str:
    """Blanks in brackets like torch prints a tensor: rows on lines, blocks apart."""
    if not isinstance(value, list | tuple):
        return next(blanks)
    inner = [_nested(part, blanks, depth + 1) for part in value]
    below = len(_dims(value[0]) or ()) if value else 0
    if below == 0:
        return "[" + ", ".join(inner) + "]"
    separator = "," + "<br>" * below + "\n" + "&nbsp;" * (depth + 1)
    return "[" + separator.join(inner) + "]"


def cloze_blank(value: float, width: float, wrongs: Sequence[Alternative] = ()) -> str:
    """One ``{1:NUMERICAL:=value:tolerance~%0%wrong:tolerance#feedback}`` blank."""
    parts = [f"{{1:NUMERICAL:={number_text(value)}:{number_text(width)}"]
    for wrong, wrong_width, feedback in wrongs:
        text = cloze_escape(to_html(feedback))
        parts.append(f"~%0%{number_text(wrong)}:{number_text(wrong_width)}#{text}")
    return "".join(parts) + "}"


def cloze_escape(text: str) -> str:
    r"""``text`` (HTML) as Cloze feedback inside the question text.

    Moodle decodes HTML character references in a blank's feedback (``html_entity_decode``)
    and ends the feedback at an unescaped ``~`` or ``}``; so the HTML is escaped once more
    (``<p>`` becomes ``&lt;p&gt;``) and the Cloze specials ``} # ~ / " \`` become character
    references, which read back as themselves in every Moodle version.
    """
    return text.translate(_CLOZE_REFERENCES)


# --- XML text ------------------------------------------------------------------------------------


def _html_field(tag: str, text: str, indent: str = "  ") -> str:
    return f'{indent}<{tag} format="html"><text>{_cdata(text)}</text></{tag}>'


def _cdata(text: str) -> str:
    if not text:
        return ""
    clean = _CONTROL.sub("", text)
    return "<![CDATA[" + clean.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _escape(text: str) -> str:
    return html.escape(_CONTROL.sub("", text), quote=False)
