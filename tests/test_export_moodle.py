"""The Moodle XML export, read back by a strict reader that follows Moodle's importer.

Each test parses the export (`tests.moodle_format`) and compares what Moodle would grade with
what studykit's checker says: an answer just inside a numerical tolerance passes
``studykit check``, one just outside fails, and the feedback Moodle shows for a misconception's
value is the feedback studykit gives for it.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import torch

from studykit.exports.items import ExportItem, Selection, collect, flatten
from studykit.exports.moodle import number_text, quiz_xml
from studykit.exports.output import ExportSettings
from studykit.questions.checking import Key, Misconception, Precision, answer_format, check
from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import to_html
from studykit.questions.template import Bank, load_bank
from tests.export_support import KIND_TEMPLATES, export_twice, small_bank
from tests.moodle_format import (
    Blank,
    FormatError,
    Question,
    edges,
    parse_cloze,
    passes,
    read_moodle_xml,
    shape_of,
    with_entry,
)

Pairs = list[tuple[ExportItem, Question]]
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(default_questions_dir())


@pytest.fixture(scope="module", params=["en", "ko"])
def export(request: pytest.FixtureRequest, bank: Bank) -> tuple[list[ExportItem], bytes]:
    items = collect(bank, Selection(ids=KIND_TEMPLATES), variants=2, seed=3, lang=request.param)
    settings = ExportSettings(lang=request.param, variants=2, seed=3, command="studykit export")
    return items, quiz_xml(items, settings).encode("utf-8")


@pytest.fixture(scope="module")
def pairs(export: tuple[list[ExportItem], bytes]) -> Pairs:
    items, data = export
    questions = read_moodle_xml(data)
    assert len(questions) == len(items)
    return list(zip(items, questions, strict=True))


def _of_kind(pairs: Pairs, *kinds: str) -> Pairs:
    chosen = [(item, q) for item, q in pairs if item.kind in kinds]
    assert chosen, f"no {kinds} item in the sample"
    return chosen


def test_every_variant_is_one_question_with_its_ref(
    pairs: Pairs,
) -> None:
    for item, q in pairs:
        assert q.idnumber == item.ref
        assert q.name == f"{item.title} [{item.ref}]"
        assert q.category == f"$course$/top/studykit/{item.topic}/{item.id.split('/', 1)[1]}"
        assert {"studykit", item.topic, f"difficulty-{item.difficulty}"} <= set(q.tags)
        assert q.hints == ([to_html(item.hint)] if item.hint else [])
        assert to_html(item.solution) in q.general_feedback
        assert to_html(item.prompt) in q.text
        expected = {"number": "numerical", "integer": "numerical", "choice": "multichoice"}
        expected |= {"tensor": "cloze", "shape": "cloze", "expression": "essay"}
        assert q.qtype == expected[item.kind]


def test_a_numerical_tolerance_is_exactly_what_the_checker_accepts(
    pairs: Pairs,
) -> None:
    for item, q in _of_kind(pairs, "number", "integer"):
        right = q.answers[0]
        assert right.fraction == 1 and right.tolerance is not None
        [(key, _)] = item.entries()
        assert float(right.text) - right.tolerance <= key <= float(right.text) + right.tolerance
        inside, outside = edges(float(right.text), right.tolerance)
        for value in inside:
            assert q.grade(value) is right
            assert passes(number_text(value), item), (item.ref, value)
        for value in outside:
            assert q.grade(value) is not right
            assert not passes(number_text(value), item), (item.ref, value)


def test_a_misconception_value_gets_its_feedback_in_moodle_as_in_studykit(
    pairs: Pairs,
) -> None:
    shown = 0
    for item, q in _of_kind(pairs, "number", "integer"):
        for mistake in item.misconceptions:
            numbers = flatten(mistake.value)
            if len(numbers) != 1:
                continue
            verdict = check(number_text(numbers[0]), item.key, item.misconceptions)
            answer = q.grade(numbers[0])
            if verdict.correct:
                assert answer is q.answers[0]
                continue
            assert answer is not None and answer.fraction == 0
            assert answer.feedback == to_html(verdict.feedback or "")
            shown += 1
    assert shown >= 3


def test_a_choice_question_keeps_its_letters_and_gives_per_option_feedback(
    pairs: Pairs,
) -> None:
    for item, q in _of_kind(pairs, "choice"):
        assert q.single is True and q.shuffle is False and q.numbering == "ABCD"
        assert [a.text for a in q.answers] == [to_html(c, inline=True) for c in item.choices]
        assert [a.fraction for a in q.answers].index(1) == item.correct_choice
        assert sum(a.fraction for a in q.answers) == 1
        for index, answer in enumerate(q.answers):
            letter = "ABCDEFGH"[index]
            assert check(letter, item.key).correct == (answer.fraction == 1)
            verdict = check(letter, item.key, item.misconceptions)
            if verdict.feedback:
                assert answer.feedback == to_html(verdict.feedback)
            elif answer.fraction == 0:
                assert answer.feedback  # the generic line


def test_a_cloze_blank_per_entry_grades_like_the_checker(
    pairs: Pairs,
) -> None:
    for item, q in _of_kind(pairs, "tensor", "shape"):
        entries = item.entries()
        assert len(q.blanks) == len(entries) and all(b.weight == 1 for b in q.blanks)
        for flat, (blank, (key, _)) in enumerate(zip(q.blanks, entries, strict=True)):
            right = blank.answers[0]
            assert right.fraction == 1 and right.tolerance is not None
            assert abs(key - float(right.text)) <= right.tolerance
            inside, outside = edges(float(right.text), right.tolerance)
            for value in inside:
                assert blank.grade(value) is right
                assert passes(with_entry(item.key.value, flat, value), item)
            for value in outside:
                assert blank.grade(value) is not right
                assert not passes(with_entry(item.key.value, flat, value), item)


def _blank_feedback(blanks: list[Blank], value: Any) -> set[str]:
    return {
        answer.feedback
        for blank, entry in zip(blanks, flatten(value), strict=True)
        if (answer := blank.grade(entry)) is not None and answer.fraction == 0
    }


def test_cloze_misconceptions_are_per_blank_wrong_answers_or_listed(
    pairs: Pairs,
) -> None:
    per_blank = listed = 0
    for item, q in _of_kind(pairs, "tensor", "shape"):
        for mistake in item.misconceptions:
            text = with_entry(mistake.value, 0, flatten(mistake.value)[0])
            verdict = check(text, item.key, item.misconceptions)
            assert verdict.misconception is not None
            if shape_of(mistake.value) == shape_of(item.key.value):
                feedback = _blank_feedback(q.blanks, mistake.value)
                assert to_html(verdict.feedback or "") in feedback
                per_blank += 1
            else:
                assert to_html(mistake.feedback, inline=True) in q.general_feedback
                listed += 1
    assert per_blank and listed


def test_cloze_feedback_survives_every_special_character(
    pairs: Pairs,
) -> None:
    item = next(item for item, _ in _of_kind(pairs, "tensor"))
    wrong = (torch.tensor(item.key.value) + 100).tolist()
    hostile = r'Braces {a} and }, # ~ / " \ & <b>, math \(x^{2}\) ~%0%1:0#x'
    bad = replace(item, misconceptions=(Misconception("hostile", wrong, hostile),))
    [q] = read_moodle_xml(quiz_xml([bad], ExportSettings()).encode("utf-8"))
    assert len(q.blanks) == len(item.entries())
    for blank in q.blanks:
        assert [a.fraction for a in blank.answers] == [1, 0]
        assert blank.answers[1].feedback == to_html(hostile)


def test_the_reader_rejects_a_malformed_blank() -> None:
    with pytest.raises(FormatError, match="not number:tolerance"):
        parse_cloze("<p>{1:NUMERICAL:=1:0.5#fb~x}</p>")
    for text in ("<p>{1:NUMERICAL:}</p>", "<p>{1:NUMERIC:=1:0}</p>", "{1:NM:=1:0} {2:NM:}"):
        with pytest.raises(FormatError, match="unreadable blank"):
            parse_cloze(text)
    with pytest.raises(FormatError, match="no tolerance"):
        parse_cloze("<p>{1:NUMERICAL:=1}</p>")
    with pytest.raises(FormatError, match="no 100%"):
        parse_cloze("<p>{1:NUMERICAL:%50%1:0}</p>")


def test_a_key_offering_a_fraction_asks_moodle_for_a_decimal(pairs: Pairs) -> None:
    item, _ = _of_kind(pairs, "number")[0]
    key = Key("number", 1 / 3, precision=Precision(decimals=2, fraction=True))
    offered = replace(item, key=key, format=answer_format(key, item.lang))
    [q] = read_moodle_xml(quiz_xml([offered], ExportSettings()).encode("utf-8"))
    assert "2/3" in offered.format and "2/3" not in q.text
    assert (
        to_html(answer_format(replace(key, precision=Precision(decimals=2)), item.lang)) in q.text
    )
    assert passes("0.33", offered) and q.grade(0.33) is q.answers[0]
    assert passes("1/3", offered) and q.grade(0.34) is None


def test_an_expression_is_an_essay_with_the_key_for_the_grader(
    pairs: Pairs,
) -> None:
    for item, q in _of_kind(pairs, "expression"):
        assert q.response_format == "plain"
        assert f"<code>{html.escape(item.answer)}</code>" in q.graderinfo
        assert f"studykit check {item.id} --seed {item.seed}" in q.graderinfo
        for mistake in item.misconceptions:
            assert to_html(mistake.feedback, inline=True) in q.graderinfo
        assert html.escape(item.answer) in q.general_feedback


def test_korean_export_is_utf8_with_hangul(export: tuple[list[ExportItem], bytes]) -> None:
    items, data = export
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    questions = read_moodle_xml(data)
    with_hangul = [q for q in questions if HANGUL.search(q.text + q.general_feedback)]
    assert len(with_hangul) == (len(questions) if items[0].lang == "ko" else 0)


def test_the_command_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    options = ["--questions", str(small_bank(tmp_path / "questions")), "--variants", "2"]
    options += ["--seed", "7", "--lang", "ko"]
    _, first = export_twice(tmp_path, "moodle", options, ("a.xml", "b.xml"))
    refs = [q.idnumber or "" for q in read_moodle_xml(first)]
    assert sorted(refs) == sorted(f"{t}@{s}" for t in KIND_TEMPLATES for s in (7, 8))


def test_the_whole_bank_imports(bank: Bank) -> None:
    items = collect(bank, Selection(), variants=1, seed=0, lang="ko")
    questions = read_moodle_xml(quiz_xml(items, ExportSettings(lang="ko")).encode("utf-8"))
    assert [q.idnumber for q in questions] == [item.ref for item in items]
    for item, q in zip(items, questions, strict=True):
        if item.kind in ("number", "integer"):
            [(key, _)] = item.entries()
            assert q.grade(key) is q.answers[0]
        if item.kind in ("tensor", "shape"):
            keys = [key for key, _ in item.entries()]
            assert all(b.grade(k) is b.answers[0] for b, k in zip(q.blanks, keys, strict=True))
