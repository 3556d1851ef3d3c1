"""The sections every export shows after a question: titles, and wrong answers as written."""

from __future__ import annotations

import ast

import torch

from studykit.exports.sections import (
    SECTION_TITLES,
    mistakes_list,
    mistakes_section,
    section_title,
    shown_value,
)
from studykit.questions.checking import Key, Misconception, check


def test_titles_exist_in_every_language_and_fall_back_to_english() -> None:
    assert (
        set(SECTION_TITLES["en"])
        == set(SECTION_TITLES["ko"])
        == {
            "answer",
            "solution",
            "mistakes",
        }
    )
    assert section_title("ko", "solution") == "풀이 과정"
    assert section_title("fr", "solution") == "Worked solution"


def test_a_wrong_value_is_shown_rounded_and_on_one_line() -> None:
    assert shown_value("number", 0.1 + 0.2) == "0.3"
    tensor = [[1.0 / 3, 2.0], [-0.5, 10.25]]
    shown = shown_value("tensor", tensor)
    assert "\n" not in shown and "0.3333" in shown and "0.33333" not in shown
    torch.testing.assert_close(
        torch.tensor(ast.literal_eval(shown), dtype=torch.float64),
        torch.tensor(tensor, dtype=torch.float64),
        rtol=0,
        atol=5e-5,
    )
    assert shown_value("shape", [2, 3]) == "(2, 3)"
    assert shown_value("shape", [4]) == "(4,)"
    assert shown_value("choice", "B") == "B"


def test_a_shown_misconception_is_recognized_by_the_checker() -> None:
    """What a teacher reads in the list is what a student who made the mistake would type."""
    key = Key("number", 0.2755)
    wrong = Misconception("no-bias-correction", 0.28377483443708606, "Forgot the bias correction.")
    verdict = check(shown_value("number", wrong.value), key, [wrong])
    assert not verdict.correct and verdict.misconception == "no-bias-correction"


def test_the_list_escapes_values_and_renders_feedback() -> None:
    wrong = Misconception("x", "<b>", "Use **two** passes.")
    listed = mistakes_list("choice", [wrong], inline=True)
    assert listed == "<ul><li><code>&lt;b&gt;</code>: Use <strong>two</strong> passes.</li></ul>"
    assert mistakes_list("number", []) == ""


def test_the_section_has_its_title_only_when_there_are_mistakes() -> None:
    wrong = Misconception("transposed", [[1.0, 3.0], [2.0, 4.0]], "Rows and columns swapped.")
    section = mistakes_section("tensor", "ko", [wrong], inline=True)
    assert section.startswith("<p><strong>흔한 실수</strong></p><ul><li><code>[[1, 3], [2, 4]]")
    assert mistakes_section("tensor", "ko", []) == ""
