"""The GIFT export, read back the way Moodle's GIFT importer reads it.

`read_gift` below follows ``qformat_gift::readquestion`` step by step: blank lines end a
question, ``//`` lines are comments, escapes become placeholders first (``\\`` is a
backslash, ``\n`` a newline), then the name, the first ``{`` and ``}``, the last ``####``
(general feedback), the type by the answer block's first character, and the numerical or
multiple-choice answers with their ``%weight%`` and ``#feedback``. Where Moodle would guess it
raises `FormatError` (a question with no name, a short answer, a number PHP rejects). The
Moodle XML reader and the shared helpers are in `tests.moodle_format`.

A tensor or shape variant becomes one numerical question per entry (GIFT has no Cloze); every
other kind is one question. Grading is compared with ``studykit check`` as for Moodle XML.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from studykit.exports.gift import gift_escape, gift_text
from studykit.exports.items import ExportItem, Selection, collect, flatten
from studykit.exports.moodle import number_text
from studykit.exports.output import ExportSettings
from studykit.questions.checking import check
from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import to_html
from studykit.questions.template import Bank, load_bank
from tests.export_support import KIND_TEMPLATES, export_twice, small_bank
from tests.moodle_format import (
    Answer,
    FormatError,
    Question,
    edges,
    grade_fraction,
    passes,
    php_number,
    shape_of,
    with_entry,
)

# --- a strict GIFT reader (Moodle's qformat_gift::readquestion) ----------------------------

_ESCAPES = {"\\:": "&&058;", "\\#": "&&035;", "\\=": "&&061;", "\\{": "&&123;", "\\}": "&&125;",
            "\\~": "&&126;", "\\n": "&&010"}  # fmt: skip
_UNESCAPES = {":": "&&058;", "#": "&&035;", "=": "&&061;", "{": "&&123;", "}": "&&125;",
              "~": "&&126;", "\n": "&&010"}  # fmt: skip
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = {"moodle": "moodle_auto_format", "html": "html", "plain": "plain_text",
            "markdown": "markdown"}  # fmt: skip


def read_gift(text: str) -> list[Question]:
    """The questions of a GIFT file, read as Moodle does, checked strictly.

    Blocks are apart by blank lines; ``//`` lines are comments; ``$CATEGORY:`` switches the
    category. Strict additions: every question has a name and an ``[html]`` text ending with
    its answer block, and is numerical, multiple choice (one right answer) or an essay.
    """
    category = ""
    found: list[Question] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            block.append(line.strip())
            continue
        if block:
            question = _gift_question(block, category)
            if isinstance(question, str):
                category = question
            elif question is not None:
                found.append(question)
            block = []
    return found


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escape, placeholder in _ESCAPES.items():
        text = text.replace(escape, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for char, placeholder in _UNESCAPES.items():
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str) -> tuple[str, str]:
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if text[1:end] in _FORMATS:
            fmt, text = _FORMATS[text[1:end]], text[end + 1 :]
    return _post(text).strip(), fmt


def _gift_question(lines: list[str], category: str) -> Question | str | None:
    text = "\n".join(" " if line.startswith("//") else line for line in lines).strip()
    if not text:
        return None
    text = _pre(text)
    if text.startswith("$CATEGORY:"):
        path = text[10:].strip()
        if not path.startswith("$course$/"):
            raise FormatError(f"category {path!r} must start with $course$/")
        return path
    if not category:
        raise FormatError("a question comes before any $CATEGORY")
    if not text.startswith("::") or "::" not in text[2:]:
        raise FormatError(f"a question without a name: {text[:60]!r}")
    end = text.index("::", 2)
    name, text = _post(text[2:end]).strip(), text[end + 2 :].strip()
    start, finish = text.find("{"), text.find("}")
    if (
        start < 0
        or finish < 0
        or finish < start
        or not text.endswith("}")
        or finish != len(text) - 1
    ):
        raise FormatError(f"{name}: the text must end with one answer block {{...}}")
    answer_text = text[start + 1 : finish].strip()
    question_text, fmt = _with_format(text[:start], "moodle_auto_format")
    if fmt != "html" or not question_text:
        raise FormatError(f"{name}: the question text must be [html] and not empty")
    general = ""
    if (split := answer_text.rfind("####")) >= 0:
        general = _with_format(answer_text[split + 4 :], fmt)[0]
        answer_text = answer_text[:split].strip()
    question = Question("", name, category, question_text, fmt, general)
    if answer_text == "":
        question.qtype = "essay"
    elif answer_text.startswith("#"):
        question.qtype = "numerical"
        _gift_numerical(answer_text[1:], question)
    elif "~" in answer_text:
        question.qtype = "multichoice"
        _gift_multichoice(answer_text, question)
    else:
        raise FormatError(f"{name}: reads as a short-answer, true/false or matching question")
    return question


def _gift_numerical(answer_text: str, question: Question) -> None:
    wrong = ""
    if (tilde := answer_text.find("~")) >= 0:
        answer_text, wrong = answer_text[:tilde], answer_text[tilde:]
    parts = answer_text.split("=")
    if parts and not parts[0].strip():
        parts = parts[1:]
    if not parts:
        raise FormatError(f"{question.name}: a numerical question without answers")
    for part in parts:
        part = part.strip()
        fraction = 1.0
        if _WEIGHT.match(part):
            fraction = grade_fraction(part[1 : part.index("%", 1)], question.name)
            part = part[part.index("%", 1) + 1 :]
        value, _, feedback = part.partition("#")
        value = _post(value).strip()
        if ".." in value or ":" not in value:
            raise FormatError(f"{question.name}: {value!r} is not number:tolerance")
        number, tolerance = value.split(":", 1)
        php_number(number, question.name)
        tol = php_number(tolerance, question.name, negative=False)
        fb = _with_format(feedback, question.text_format)[0]
        question.answers.append(Answer(fraction, number.strip(), fb, tol))
    if wrong:
        question.answers.append(
            Answer(0, "*", _with_format(wrong[1:].partition("#")[2], "html")[0])
        )
    if not any(a.fraction == 1 for a in question.answers):
        raise FormatError(f"{question.name}: no answer is worth 100%")


def _gift_multichoice(answer_text: str, question: Question) -> None:
    parts = answer_text.replace("=", "~=").split("~")
    if parts and not parts[0].strip():
        parts = parts[1:]
    if len(parts) < 2:
        raise FormatError(f"{question.name}: a multiple-choice question needs 2 answers")
    for part in parts:
        part = part.strip()
        if part.startswith("="):
            fraction, part = 1.0, part[1:]
        elif _WEIGHT.match(part):
            fraction = grade_fraction(part[1 : part.index("%", 1)], question.name)
            part = part[part.index("%", 1) + 1 :]
        else:
            fraction = 0.0
        answer, _, feedback = part.partition("#")
        text = _with_format(answer.strip(), question.text_format)[0]
        if not text:
            raise FormatError(f"{question.name}: an empty answer")
        fb = _with_format(feedback.strip(), question.text_format)[0]
        question.answers.append(Answer(fraction, text, fb))
    question.single = True
    if sum(a.fraction == 1 for a in question.answers) != 1:
        raise FormatError(f"{question.name}: a single-answer question needs one 100% answer")


HANGUL = re.compile("[\uac00-\ud7a3]")
Groups = list[tuple[ExportItem, list[Question]]]


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(default_questions_dir())


@pytest.fixture(scope="module", params=["en", "ko"])
def export(request: pytest.FixtureRequest, bank: Bank) -> tuple[list[ExportItem], str]:
    items = collect(bank, Selection(ids=KIND_TEMPLATES), variants=2, seed=3, lang=request.param)
    settings = ExportSettings(lang=request.param, variants=2, seed=3, command="studykit export")
    return items, gift_text(items, settings)


@pytest.fixture(scope="module")
def groups(export: tuple[list[ExportItem], str]) -> Groups:
    """Each item with its questions (several for a tensor or a shape)."""
    items, text = export
    questions = iter(read_gift(text))
    found = []
    for item in items:
        count = len(item.entries()) if item.kind in ("tensor", "shape") else 1
        found.append((item, [next(questions) for _ in range(count)]))
    assert next(questions, None) is None
    return found


def _of_kind(groups: Groups, *kinds: str) -> Groups:
    chosen = [(item, qs) for item, qs in groups if item.kind in kinds]
    assert chosen, f"no {kinds} item in the sample"
    return chosen


def test_every_question_names_its_variant(
    groups: Groups, export: tuple[list[ExportItem], str]
) -> None:
    for item, questions in groups:
        template = item.id.split("/", 1)[1]
        for q in questions:
            assert q.name.startswith(f"{item.title} [{item.ref}]")
            assert q.category == f"$course$/top/studykit/{item.topic}/{template}"
            assert to_html(item.prompt) in q.text and q.text_format == "html"
            assert to_html(item.solution) in q.general_feedback
    blocks = export[1].split("\n\n")
    question_blocks = [b for b in blocks if "\n::" in b]
    assert [b.split("\n", 1)[0] for b in question_blocks] == [
        f"// {item.ref}" for item, qs in groups for _ in qs
    ]


def test_kinds_become_numerical_multiple_choice_or_essay(groups: Groups) -> None:
    expected = {"choice": "multichoice", "expression": "essay"}
    for item, questions in groups:
        assert {q.qtype for q in questions} == {expected.get(item.kind, "numerical")}


def test_a_numerical_tolerance_is_exactly_what_the_checker_accepts(groups: Groups) -> None:
    for item, [q] in _of_kind(groups, "number", "integer"):
        right = q.answers[0]
        assert right.fraction == 1 and right.tolerance is not None
        [(key, _)] = item.entries()
        assert abs(key - float(right.text)) <= right.tolerance
        inside, outside = edges(float(right.text), right.tolerance)
        for value in inside:
            assert q.grade(value) is right and passes(number_text(value), item)
        for value in outside:
            assert q.grade(value) is not right and not passes(number_text(value), item)


def test_a_misconception_value_gets_the_feedback_studykit_gives(groups: Groups) -> None:
    shown = 0
    for item, [q] in _of_kind(groups, "number", "integer"):
        for mistake in item.misconceptions:
            [value] = flatten(mistake.value)
            verdict = check(number_text(value), item.key, item.misconceptions)
            answer = q.grade(value)
            assert answer is not None
            if verdict.correct:
                assert answer is q.answers[0]
                continue
            assert answer.fraction == 0 and answer.feedback == to_html(verdict.feedback or "")
            shown += 1
    assert shown >= 3


def test_an_entry_question_grades_its_entry_like_the_checker(groups: Groups) -> None:
    per_entry = 0
    for item, questions in _of_kind(groups, "tensor", "shape"):
        for flat, (q, (key, _)) in enumerate(zip(questions, item.entries(), strict=True)):
            right = q.answers[0]
            assert right.fraction == 1 and right.tolerance is not None
            assert abs(key - float(right.text)) <= right.tolerance
            inside, outside = edges(float(right.text), right.tolerance)
            for value in inside:
                assert q.grade(value) is right
                assert passes(with_entry(item.key.value, flat, value), item)
            for value in outside:
                assert q.grade(value) is not right
                assert not passes(with_entry(item.key.value, flat, value), item)
        for mistake in item.misconceptions:
            if shape_of(mistake.value) != shape_of(item.key.value):
                assert to_html(mistake.feedback, inline=True) in questions[0].general_feedback
                continue
            verdict = check(with_entry(mistake.value, 0, flatten(mistake.value)[0]), item.key)
            assert not verdict.correct
            wrong = [
                answer.feedback
                for q, value in zip(questions, flatten(mistake.value), strict=True)
                if (answer := q.grade(value)) is not None and answer.fraction == 0
            ]
            assert to_html(mistake.feedback) in wrong
            per_entry += 1
    assert per_entry


def test_an_entry_question_says_which_entry(groups: Groups) -> None:
    item, questions = _of_kind(groups, "tensor")[0]
    rows, columns = shape_of(item.key.value)
    names = [q.name.removeprefix(f"{item.title} [{item.ref}] ") for q in questions]
    assert names == [f"[{i}, {j}]" for i in range(rows) for j in range(columns)]
    assert all(
        f"[{i}, {j}]" in q.text for q, (i, j) in zip(questions, _pairs(rows, columns), strict=True)
    )


def _pairs(rows: int, columns: int) -> list[tuple[int, int]]:
    return [(i, j) for i in range(rows) for j in range(columns)]


def test_a_choice_question_has_lettered_options_and_per_option_feedback(groups: Groups) -> None:
    for item, [q] in _of_kind(groups, "choice"):
        letters = "ABCDEFGH"
        assert [a.text for a in q.answers] == [
            to_html(f"{letters[i]}. {choice}", inline=True) for i, choice in enumerate(item.choices)
        ]
        assert [a.fraction for a in q.answers].index(1) == item.correct_choice
        for letter, answer in zip(letters, q.answers, strict=False):
            verdict = check(letter, item.key, item.misconceptions)
            assert verdict.correct == (answer.fraction == 1)
            if verdict.feedback:
                assert answer.feedback == to_html(verdict.feedback)


def test_an_expression_is_an_essay_with_the_key_as_feedback(groups: Groups) -> None:
    for item, [q] in _of_kind(groups, "expression"):
        assert not q.answers
        assert item.answer.replace("<", "&lt;") in q.general_feedback
        for mistake in item.misconceptions:
            assert to_html(mistake.feedback, inline=True) in q.general_feedback


def test_every_special_character_survives_the_escapes(groups: Groups) -> None:
    hostile = "\n".join(
        [
            r"Escapes: \n and \nabla, \\ and \{ \: \# \= \~ \}, a lone \ at the end \\",
            r"specials { } # = ~ : and // at a line start, math \(x^{2}\) & <b>",
            "",
            "// a paragraph that starts like a comment, then ```",
            "```",
            "code",
            "",
            "more code",
            "```",
        ]
    )
    item, _ = _of_kind(groups, "number")[0]
    bad = replace(item, prompt=hostile, solution=hostile, title=r"Title: {x} \n #1")
    [q] = read_gift(gift_text([bad], ExportSettings()))
    assert q.name == f"{bad.title} [{bad.ref}]"
    assert q.text.startswith(to_html(hostile))
    assert q.general_feedback == to_html(hostile)
    assert "\n" not in gift_escape(hostile)


def test_the_reader_rejects_what_moodle_would_misread() -> None:
    head = "$CATEGORY: $course$/top/x\n\n"
    for text, error in [
        ("::n::[html]<p>a {b} c</p>{#=%100%1:0.5}", "end with one answer block"),
        ("::n::[html]<p>q</p>{#=%100%1:x}", "not a number"),
        ("::n::[html]<p>q</p>{#=%100%1}", "number:tolerance"),
        ("::n::[html]<p>q</p>{=a =b ~c}", "one 100% answer"),
        ("::n::[html]<p>q</p>{=yes}", "short-answer"),
        ("::n::<p>q</p>{#=%100%1:0}", "must be \\[html\\]"),
    ]:
        with pytest.raises(FormatError, match=error):
            read_gift(head + text)


def test_korean_export_is_utf8_with_hangul(export: tuple[list[ExportItem], str]) -> None:
    items, text = export
    assert text.startswith("// studykit GIFT export (UTF-8)\n")
    questions = read_gift(text)
    with_hangul = [q for q in questions if HANGUL.search(q.text + q.general_feedback)]
    assert len(with_hangul) == (len(questions) if items[0].lang == "ko" else 0)


def test_the_command_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    options = ["--questions", str(small_bank(tmp_path / "questions")), "--variants", "2"]
    options += ["--seed", "11", "--lang", "ko"]
    _, first = export_twice(tmp_path, "gift", options, ("a.gift.txt", "b.gift.txt"))
    refs = {line[3:] for line in first.decode("utf-8").splitlines() if line.startswith("// ")}
    assert {f"{t}@{s}" for t in KIND_TEMPLATES for s in (11, 12)} <= refs


def test_the_whole_bank_imports(bank: Bank) -> None:
    items = collect(bank, Selection(), variants=1, seed=0, lang="en")
    questions = iter(read_gift(gift_text(items, ExportSettings())))
    for item in items:
        count = len(item.entries()) if item.kind in ("tensor", "shape") else 1
        for flat, q in zip(range(count), questions, strict=False):
            assert q.name.startswith(f"{item.title} [{item.ref}]")
            if item.kind in ("number", "integer", "tensor", "shape"):
                assert q.grade(item.entries()[flat][0]) is q.answers[0]
    assert next(questions, None) is None
