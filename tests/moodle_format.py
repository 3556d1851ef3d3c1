r"""A strict reader of Moodle XML and Cloze, written from Moodle's own importers.

It follows ``question/format/xml`` (``qformat_xml``: the elements each question type reads),
``question/type/multianswer`` (the Cloze grammar: ``qtype_multianswer_extract_question`` and
its regular expressions, and ``qtype_multianswer_validate_question``); the GIFT reader, from
``qformat_gift``, is in ``tests/test_export_gift.py``. Where Moodle would accept a file
but only by guessing (an unknown element, a missing tolerance, a text format it does not
know, a fraction that is not a Moodle grade, a number PHP's ``is_numeric`` rejects) the reader
raises `FormatError` naming the question, so a test that reads an export proves Moodle
imports it as meant.

Grading follows Moodle too: a numerical response matches an answer when it lies in
``[answer - tolerance, answer + tolerance]`` and the first matching answer (in file order)
counts (`Question.grade`).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import torch

from studykit.exports.items import ExportItem, flatten
from studykit.exports.moodle import number_text
from studykit.questions.checking import check

__all__ = [
    "Answer",
    "Blank",
    "FormatError",
    "Question",
    "edges",
    "grade_fraction",
    "parse_cloze",
    "passes",
    "php_number",
    "read_moodle_xml",
    "shape_of",
    "with_entry",
]


class FormatError(AssertionError):
    """The file is not what Moodle imports as meant (the message names the question)."""


@dataclass
class Answer:
    """One answer: its grade (0 to 1), text, feedback and (numerical) tolerance."""

    fraction: float
    text: str
    feedback: str = ""
    tolerance: float | None = None

    def holds(self, value: float) -> bool:
        """Whether a numerical response ``value`` lies in this answer's interval."""
        if self.text == "*":
            return True
        assert self.tolerance is not None
        return abs(value - float(self.text)) <= self.tolerance


@dataclass
class Blank:
    """One Cloze blank (a sub-question): its mark, type and answers in order."""

    weight: int
    qtype: str
    answers: list[Answer]

    def grade(self, value: float) -> Answer | None:
        """The first answer holding ``value`` (Moodle's ``get_matching_answer``), or None."""
        return next((a for a in self.answers if a.holds(value)), None)


@dataclass
class Question:
    """A question as Moodle stores it after import (the fields studykit writes)."""

    qtype: str
    name: str
    category: str
    text: str = ""
    text_format: str = "html"
    general_feedback: str = ""
    idnumber: str | None = None
    hints: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    blanks: list[Blank] = field(default_factory=list)
    single: bool | None = None
    shuffle: bool | None = None
    numbering: str | None = None
    graderinfo: str = ""
    response_format: str | None = None

    def grade(self, value: float) -> Answer | None:
        """The first numerical answer holding ``value``, or None."""
        return Blank(1, self.qtype, self.answers).grade(value)


# --- shared rules --------------------------------------------------------------------------------

TEXT_FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown"}
GRADES = {
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
    14.28571, 12.5, 11.11111, 10, 5, 0,
}  # fmt: skip
"""Moodle's grade options in percent (``question_bank::fraction_options_full``); ± each."""

_PHP_NUMERIC = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")


def grade_fraction(text: str, where: str) -> float:
    try:
        percent = float(text)
    except ValueError:
        raise FormatError(f"{where}: fraction {text!r} is not a number") from None
    if not any(abs(abs(percent) - g) < 1e-4 for g in GRADES):
        raise FormatError(f"{where}: fraction {text!r} is not a Moodle grade")
    return percent / 100


def php_number(text: str, where: str, negative: bool = True) -> float:
    if not _PHP_NUMERIC.match(text):
        raise FormatError(f"{where}: {text!r} is not a number (PHP is_numeric)")
    value = float(text)
    if not negative and value < 0:
        raise FormatError(f"{where}: {text!r} must not be negative")
    return value


# --- Moodle XML ----------------------------------------------------------------------------------

_COMMON = {
    "name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber",
    "hint", "tags",
}  # fmt: skip
_NUMERICAL = _COMMON | {
    "answer", "units", "unitgradingtype", "unitpenalty", "showunits", "unitsleft",
}  # fmt: skip
_MULTICHOICE = _COMMON | {
    "single", "shuffleanswers", "answernumbering", "showstandardinstruction", "correctfeedback",
    "partiallycorrectfeedback", "incorrectfeedback", "shownumcorrect", "answer",
}  # fmt: skip
_ESSAY = _COMMON | {
    "responseformat", "responserequired", "responsefieldlines", "minwordlimit", "maxwordlimit",
    "attachments", "attachmentsrequired", "maxbytes", "filetypeslist", "graderinfo",
    "responsetemplate",
}  # fmt: skip
_ALLOWED = {
    "numerical": _NUMERICAL,
    "multichoice": _MULTICHOICE,
    "cloze": _COMMON - {"defaultgrade"},
    "essay": _ESSAY,
}
_NUMBERINGS = {"abc", "ABCD", "123", "iii", "IIII", "none"}
_RESPONSE_FORMATS = {"editor", "editorfilepicker", "plain", "monospaced", "noinline"}


def read_moodle_xml(data: bytes) -> list[Question]:
    """The questions of a Moodle XML file, checked strictly; categories set on each.

    Raises:
        FormatError: Anything Moodle would reject or read differently from what was meant.
    """
    if not data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'):
        raise FormatError("the file must start with an XML declaration of UTF-8")
    data.decode("utf-8")  # strict: raises on bad UTF-8
    root = ET.fromstring(data)
    if root.tag != "quiz":
        raise FormatError(f"root element is <{root.tag}>, not <quiz>")
    category = ""
    found: list[Question] = []
    seen_ids: set[tuple[str, str]] = set()
    for element in root:
        if element.tag != "question":
            raise FormatError(f"<quiz> holds a <{element.tag}>")
        kind = element.get("type", "")
        if kind == "category":
            category = _category(element)
            continue
        if not category:
            raise FormatError("a question comes before any category")
        question = _question(element, kind, category)
        if question.idnumber is not None:
            if (category, question.idnumber) in seen_ids:
                raise FormatError(f"{question.name}: ID number repeats in {category}")
            seen_ids.add((category, question.idnumber))
        found.append(question)
    return found


def _category(element: ET.Element) -> str:
    path = _text(element, "category", "category", required=True)
    if not path.startswith("$course$/"):
        raise FormatError(f"category {path!r} must start with $course$/")
    if "///" in path or path.endswith("/"):
        raise FormatError(f"category {path!r} has an empty part")
    return path


def _question(element: ET.Element, kind: str, category: str) -> Question:
    if kind not in _ALLOWED:
        raise FormatError(f"question type {kind!r} is not one studykit writes")
    name = _text(element, "name", kind, required=True)
    if len(name) > 255:
        raise FormatError(f"{name[:40]}...: name longer than 255 characters")
    for child in element:
        if child.tag not in _ALLOWED[kind]:
            raise FormatError(f"{name}: unknown element <{child.tag}> in a {kind} question")
    question = Question(kind, name, category)
    question.text, question.text_format = _formatted(element, "questiontext", name, True)
    question.general_feedback, _ = _formatted(element, "generalfeedback", name)
    idnumber = element.find("idnumber")
    if idnumber is not None:
        question.idnumber = (idnumber.text or "").strip()
        if not question.idnumber or len(question.idnumber) > 100:
            raise FormatError(f"{name}: ID number empty or longer than 100 characters")
    for tag in ("defaultgrade", "penalty"):
        value = element.findtext(tag)
        if value is not None and not 0 <= php_number(value, f"{name}: <{tag}>") <= 100:
            raise FormatError(f"{name}: <{tag}> out of range")
    question.hints = [_formatted_node(h, f"{name}: <hint>")[0] for h in element.findall("hint")]
    question.tags = [_tag(t, name) for t in element.findall("tags/tag")]
    {"numerical": _numerical, "multichoice": _multichoice, "cloze": _cloze, "essay": _essay}[kind](
        element, question
    )
    return question


def _tag(tag: ET.Element, name: str) -> str:
    text = (tag.findtext("text") or "").strip()
    if not text or "," in text:
        raise FormatError(f"{name}: tag {text!r} is empty or has a comma")
    return text


def _text(element: ET.Element, tag: str, where: str, required: bool = False) -> str:
    node = element.find(tag)
    text = "" if node is None else (node.findtext("text") or "").strip()
    if required and not text:
        raise FormatError(f"{where}: <{tag}><text> is missing or empty")
    return text


def _formatted(
    element: ET.Element, tag: str, where: str, required: bool = False
) -> tuple[str, str]:
    node = element.find(tag)
    if node is None:
        if required:
            raise FormatError(f"{where}: <{tag}> is missing")
        return "", "html"
    text, fmt = _formatted_node(node, f"{where}: <{tag}>")
    if required and not text:
        raise FormatError(f"{where}: <{tag}> is empty")
    return text, fmt


def _formatted_node(node: ET.Element, where: str) -> tuple[str, str]:
    fmt = node.get("format", "")
    if fmt not in TEXT_FORMATS:
        raise FormatError(f"{where}: format {fmt!r} is not one Moodle knows")
    if node.find("text") is None:
        raise FormatError(f"{where}: has no <text>")
    return (node.findtext("text") or "").strip(), fmt


def _answers(element: ET.Element, name: str) -> list[tuple[ET.Element, Answer]]:
    found = []
    for i, node in enumerate(element.findall("answer")):
        where = f"{name}: answer {i + 1}"
        if "fraction" not in node.attrib:
            raise FormatError(f"{where}: no fraction attribute")
        fraction = grade_fraction(node.get("fraction", ""), where)
        feedback = node.find("feedback")
        text = (node.findtext("text") or "").strip()
        fb = _formatted_node(feedback, f"{where} feedback")[0] if feedback is not None else ""
        found.append((node, Answer(fraction, text, fb)))
    return found


def _numerical(element: ET.Element, question: Question) -> None:
    answers = _answers(element, question.name)
    if not answers:
        raise FormatError(f"{question.name}: a numerical question without answers")
    for i, (node, answer) in enumerate(answers):
        where = f"{question.name}: answer {i + 1}"
        if answer.text != "*":
            php_number(answer.text, where)
        tolerance = node.findtext("tolerance")
        if tolerance is None:
            raise FormatError(f"{where}: no <tolerance>")
        answer.tolerance = php_number(tolerance, f"{where} tolerance", negative=False)
        question.answers.append(answer)
    if not any(a.fraction == 1 for a in question.answers):
        raise FormatError(f"{question.name}: no answer is worth 100%")


def _multichoice(element: ET.Element, question: Question) -> None:
    flags = {}
    for tag in ("single", "shuffleanswers"):
        value = (element.findtext(tag) or "").strip()
        if value not in ("true", "false", "1", "0"):
            raise FormatError(f"{question.name}: <{tag}> is {value!r}, not true or false")
        flags[tag] = value in ("true", "1")
    question.single, question.shuffle = flags["single"], flags["shuffleanswers"]
    question.numbering = (element.findtext("answernumbering") or "").strip()
    if question.numbering not in _NUMBERINGS:
        raise FormatError(f"{question.name}: answer numbering {question.numbering!r}")
    question.answers = [answer for _, answer in _answers(element, question.name)]
    if len(question.answers) < 2:
        raise FormatError(f"{question.name}: a multichoice question needs 2 answers")
    if any(not a.text for a in question.answers):
        raise FormatError(f"{question.name}: an empty answer")
    full = [a for a in question.answers if a.fraction == 1]
    if question.single and (len(full) != 1 or any(a.fraction < 0 for a in question.answers)):
        raise FormatError(f"{question.name}: a single-answer question needs one 100% answer")


def _cloze(element: ET.Element, question: Question) -> None:
    question.text, question.blanks = parse_cloze(question.text, question.name)


def _essay(element: ET.Element, question: Question) -> None:
    question.response_format = (element.findtext("responseformat") or "editor").strip()
    if question.response_format not in _RESPONSE_FORMATS:
        raise FormatError(f"{question.name}: response format {question.response_format!r}")
    for tag in ("responserequired", "responsefieldlines", "attachments", "attachmentsrequired"):
        value = element.findtext(tag)
        if value is not None and not re.fullmatch(r"-?\d+", value.strip()):
            raise FormatError(f"{question.name}: <{tag}> is not a whole number")
    info = element.find("graderinfo")
    question.graderinfo = _formatted_node(info, question.name)[0] if info is not None else ""


# --- Cloze (qtype_multianswer) -------------------------------------------------------------------

_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ALT_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"  # PHP: (?<!\\|&|&amp;)
_ALT_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ALT_ANSWER})(#({_ALT_FEEDBACK}))?"
_NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
_NUMERICAL_ALTERNATIVE = re.compile(f"^({_NUMBER})(:{_NUMBER})?$", re.S)
_TYPES = (
    "(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|"
    "(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)|"
    "(MULTICHOICE_S|MCS)|(MULTICHOICE_VS|MCVS)|(MULTICHOICE_HS|MCHS)|"
    "(MULTIRESPONSE|MR)|(MULTIRESPONSE_H|MRH)|(MULTIRESPONSE_S|MRS)|(MULTIRESPONSE_HS|MRHS)"
)
_ANSWER = re.compile(
    r"\{([0-9]*):(" + _TYPES + "):(" + _ALTERNATIVE + "(~" + _ALTERNATIVE + r")*)\}", re.S
)
_ALTERNATIVE_AT = re.compile("~?" + _ALTERNATIVE, re.S)
_LOOKS_LIKE_BLANK = re.compile(r"\{[0-9]*:[A-Z_]+:")


def parse_cloze(text: str, where: str = "cloze") -> tuple[str, list[Blank]]:
    """The text with each blank replaced by ``{#n}``, and the blanks, as Moodle reads them.

    Moodle's loop: find the first blank, read its alternatives one by one (fraction, answer,
    ``#feedback``), decode the feedback (HTML character references, then ``\\}`` and ``\\#``),
    replace the blank by ``{#n}``; then validate each blank (numbers, a 100% answer). Strict
    additions: only NUMERICAL blanks (what studykit writes), a tolerance on every answer, and
    nothing left in the text that looks like a blank Moodle failed to read.
    """
    blanks: list[Blank] = []
    while match := _ANSWER.search(text):
        if not match.group(3):
            raise FormatError(
                f"{where}: blank {len(blanks) + 1} is {match.group(2)}, not NUMERICAL"
            )
        weight = int(match.group(1) or "1")
        blanks.append(Blank(weight, "numerical", _alternatives(match.group(16), where)))
        text = text.replace(match.group(0), f"{{#{len(blanks)}}}", 1)
    if leftover := _LOOKS_LIKE_BLANK.search(text):
        raise FormatError(f"{where}: unreadable blank near {text[leftover.start() :][:40]!r}")
    if not blanks:
        raise FormatError(f"{where}: a Cloze question without blanks")
    for i, blank in enumerate(blanks, 1):
        if not any(a.fraction == 1 for a in blank.answers):
            raise FormatError(f"{where}: blank {i} has no 100% answer")
    return text, blanks


def _alternatives(remaining: str, where: str) -> list[Answer]:
    answers = []
    while match := _ALTERNATIVE_AT.search(remaining):
        if match.group(1) == "=":
            fraction = 1.0
        elif match.group(2):
            fraction = float(match.group(2).replace(",", ".")) / 100
        else:
            fraction = 0.0
        feedback = ""
        if match.group(5) is not None:
            feedback = html.unescape(match.group(5)).replace("\\}", "}").replace("\\#", "#")
        number = _NUMERICAL_ALTERNATIVE.match(match.group(3))
        if number is None:
            raise FormatError(f"{where}: {match.group(3)!r} is not number:tolerance")
        if number.group(5) is None:
            raise FormatError(f"{where}: {match.group(3)!r} has no tolerance")
        answers.append(Answer(fraction, number.group(1), feedback, float(number.group(6))))
        remaining = remaining.split(match.group(0), 1)[1]
    return answers


def shape_of(value: Any) -> tuple[int, ...]:
    """A tensor's shape (torch's), or a shape's length."""
    if isinstance(value, tuple):
        return (len(value),)
    return tuple(torch.tensor(value).shape)


def passes(text: str, item: ExportItem) -> bool:
    """Whether ``studykit check`` accepts ``text`` for the item (unreadable text fails)."""
    try:
        return check(text, item.key).correct
    except ValueError:  # an AnswerError: "2.5" for an integer key is not even an answer
        return False


def edges(value: float, tolerance: float) -> tuple[list[float], list[float]]:
    """Values just inside and just outside ``value ± tolerance``."""
    if tolerance == 0:
        return [value], [value - 1, value + 1]
    step = tolerance * 1e-6
    return (
        [value - tolerance + step, value + tolerance - step],
        [value - tolerance - step, value + tolerance + step],
    )


def with_entry(value: Any, flat: int, new: float) -> str:
    """``value`` (a nested list or a shape) as answer text, entry ``flat`` set to ``new``."""
    numbers = flatten(value)
    numbers[flat] = new
    texts = iter(number_text(x) for x in numbers)

    def build(part: Any) -> str:
        if isinstance(part, tuple):
            return (
                "(" + ", ".join(next(texts) for _ in part) + ("," if len(part) == 1 else "") + ")"
            )
        if isinstance(part, list):
            return "[" + ", ".join(build(p) for p in part) + "]"
        return next(texts)

    return build(value)
