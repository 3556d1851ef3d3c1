"""The answer checker: scalars, shapes before entries, misconceptions, choices and messages."""

from __future__ import annotations

import pytest

from studykit.questions.answer_messages import AnswerError
from studykit.questions.checking import (
    Key,
    Misconception,
    Verdict,
    answer_format,
    check,
    matches,
)
from studykit.questions.precision import (
    Precision,
    Tolerance,
    close,
)

MATRIX = Key("tensor", [[1.0, 2.0], [3.0, 4.0]])

# --- scalars -------------------------------------------------------------------------------


def test_number() -> None:
    key = Key("number", 0.25)
    assert check("1/4", key) == Verdict(True, "correct")
    assert check("0.2504", key).correct
    assert not check("0.251", key).correct  # 3 significant figures: 0.250
    assert check("0.26", key) == Verdict(False, "incorrect")
    assert check("0.26", Key("number", 0.25, tolerance=Tolerance(abs=0.02))).correct
    assert check("0.25", Key("number", "1/4")).correct


def test_integer_is_exact() -> None:
    key = Key("integer", 12)
    assert check("12", key).correct
    assert check("24/2", key).correct
    assert not check("13", key).correct
    with pytest.raises(AnswerError, match=r"expected a whole number, got 12\.5"):
        check("12.5", key)


def test_choice() -> None:
    key = Key("choice", "b")
    assert key.expected.value == "B"
    assert check("(B)", key).correct
    assert check("b.", key).correct
    assert check("c", key) == Verdict(False, "incorrect")


def test_unparsable_text_raises_answer_error() -> None:
    with pytest.raises(AnswerError, match="unexpected"):
        check("1 +* 2", Key("number", 3.0))


# --- shapes first, then entries -------------------------------------------------------------


def test_shape_answers() -> None:
    key = Key("shape", (2, 3))
    assert key.shape == (2,)
    assert check("2x3", key).correct
    assert check("torch.Size([2, 3])", key).correct
    assert check("(3, 2)", key) == Verdict(False, "expected shape (2, 3), got (3, 2)")
    assert check("(2,)", key).message == "expected shape (2, 3), got (2,)"
    assert check("()", Key("shape", ())).correct


def test_tensor_shape_is_compared_before_values() -> None:
    assert check("[[1, 2], [3, 4]]", MATRIX).correct
    verdict = check("[[1, 2, 3]]", MATRIX)
    assert verdict == Verdict(False, "expected shape (2, 2), got (1, 3)")
    transposed = Key("tensor", [[1, 2, 3], [4, 5, 6]])
    assert check("[[1, 4], [2, 5], [3, 6]]", transposed).message == (
        "expected shape (2, 3), got (3, 2)"
    )


def test_a_number_is_not_a_one_element_tensor() -> None:
    verdict = check("2.5", Key("tensor", [2.5]))
    assert not verdict.correct
    assert verdict.message.startswith("expected shape (1,), got ()")
    assert "[2.5]" in verdict.message
    verdict = check("[2.5]", Key("tensor", 2.5))
    assert verdict.message.startswith("expected shape (), got (1,)")
    assert check("2.5", Key("tensor", 2.5)).correct
    assert check("[2.5]", Key("tensor", [2.5])).correct


def test_wrong_entries_are_listed() -> None:
    verdict = check("[[1, 9], [9, 4]]", MATRIX)
    assert verdict.message == "entries [0, 1] and [1, 0] are off"
    assert verdict.wrong == ((0, 1), (1, 0))
    assert check("[[1, 2], [3, 5]]", MATRIX).message == "entry [1, 1] is off"
    verdict = check("[[9, 9], [9, 9]]", MATRIX)
    assert verdict.message == "entries [0, 0], [0, 1], [1, 0] and 1 more are off"
    assert len(verdict.wrong) == 4
    verdict = check("[0, 2, 0, 4, 0]", Key("tensor", [1, 2, 3, 4, 5]))
    assert verdict.message == "entries [0], [2] and [4] are off"
    assert check("4", Key("tensor", 2.5)).message == "incorrect"


def test_tensor_entries_use_the_tolerance() -> None:
    assert check("[[1.004, 2], [3, 4]]", MATRIX).correct
    assert not check("[[1.006, 2], [3, 4]]", MATRIX).correct
    sig = Key("tensor", [0.12345, 678.9], tolerance=Tolerance(sigfigs=2))
    assert check("[0.12, 680]", sig).correct
    assert check("[0.13, 680]", sig).wrong == ((0,),)


def test_key_shape_is_checked_and_filled_in() -> None:
    assert Key("tensor", [[1, 2, 3]]).shape == (1, 3)
    assert Key("tensor", [[1, 2, 3]], (1, 3)).shape == (1, 3)
    assert Key("number", 1.0).shape == ()
    with pytest.raises(ValueError, match=r"key shape \(1,\) does not match the shape \(\)"):
        Key("tensor", 3.0, shape=(1,))
    with pytest.raises(ValueError, match="row 2 has 1 entry, expected 2"):
        Key("tensor", [[1, 2], [3]])


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("number", float("nan")),
        ("number", True),
        ("integer", 2.5),
        ("choice", "bb"),
        ("choice", 2),
        ("shape", (2, -1)),
        ("expression", "x +"),
        ("kind", 1.0),
    ],
)
def test_invalid_keys(kind: str, value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        Key(kind, value)  # type: ignore[arg-type]


# --- misconceptions ------------------------------------------------------------------------

SQUARE = Misconception("forgot-square", 0.5, "Square the error before averaging.")
HALF = Misconception("halved", 0.125, "The mean already divides by n.")


def test_misconception_is_recognized_at_the_keys_precision() -> None:
    key = Key("number", 0.25)
    verdict = check("1/2", key, [SQUARE, HALF])
    assert verdict == Verdict(False, "incorrect", SQUARE.name, SQUARE.feedback)
    assert check("0.5004", key, [SQUARE, HALF]).misconception == "forgot-square"
    assert check("0.501", key, [SQUARE, HALF]).misconception is None
    assert check("0.1255", key, [SQUARE, HALF]).misconception == "halved"
    assert check("0.13", key, [SQUARE, HALF]) == Verdict(False, "incorrect")


def test_the_first_matching_misconception_wins() -> None:
    twin = Misconception("twin", 0.5, "Same value, listed second.")
    assert check("0.5", Key("number", 0.25), [SQUARE, twin]).misconception == "forgot-square"
    assert check("0.5", Key("number", 0.25), [twin, SQUARE]).misconception == "twin"


def test_a_correct_answer_is_never_a_misconception() -> None:
    same = Misconception("same-as-key", 0.25, "This should never be shown.")
    near = Misconception("near-key", 0.2501, "Neither should this.")
    verdict = check("0.25", Key("number", 0.25), [same, near])
    assert verdict == Verdict(True, "correct")


def test_tensor_misconception_with_another_shape() -> None:
    key = Key("tensor", [[1, 2, 3], [4, 5, 6]])
    transposed = Misconception("transposed", [[1, 4], [2, 5], [3, 6]], "Check the order.")
    verdict = check("[[1, 4], [2, 5], [3, 6]]", key, [transposed])
    assert verdict.message == "expected shape (2, 3), got (3, 2)"
    assert verdict.misconception == "transposed"
    assert check("[[1, 2], [3, 4], [5, 6]]", key, [transposed]).misconception is None


def test_shape_and_choice_misconceptions() -> None:
    key = Key("shape", (2, 3))
    swapped = Misconception("swapped", (3, 2), "Rows come first.")
    assert check("3x2", key, [swapped]).misconception == "swapped"
    letter = Misconception("picked-a", "A", "A is the derivative of the wrong function.")
    assert check("(a)", Key("choice", "C"), [letter]).misconception == "picked-a"


def test_invalid_misconception_is_a_value_error_not_an_answer_error() -> None:
    broken = Misconception("broken", "1 +", "...")
    with pytest.raises(ValueError, match="misconception 'broken'") as info:
        check("0.3", Key("number", 0.25), [broken])
    assert not isinstance(info.value, AnswerError)


def test_matches_compares_raw_values_like_check() -> None:
    assert matches(0.2504, Key("number", 0.25))
    assert not matches(0.26, Key("number", 0.25))
    assert matches([[1.0, 2.001], [3.0, 4.0]], MATRIX)
    assert not matches([[1.0, 2.0, 3.0]], MATRIX)
    assert not matches([[1.0, 3.0], [2.0, 4.0]], MATRIX)
    assert matches((2, 3), Key("shape", (2, 3)))
    assert not matches((3, 2), Key("shape", (2, 3)))
    assert matches(12, Key("integer", 12))
    assert matches(12.0, Key("integer", 12))
    assert matches("x - x^2", Key("expression", "x*(1-x)"))
    assert matches(1.0, Key("number", 1.0 + 1e-9, tolerance=Tolerance(rel=1e-7)))


# --- number literals and large decades -------------------------------------------------------


def test_exponent_letters_of_number_literals_are_not_variables() -> None:
    from studykit.questions.checking import Key

    assert Key("expression", "1e5*y").variables == ("x", "y")
    assert Key("expression", "1E-3*x").variables == ("x",)
    assert Key("expression", "x2*3.5e2").variables == ("x", "x2")


def test_sigfigs_at_large_decades_and_must_be_whole() -> None:
    assert close(1.04e23, 1e23, Tolerance(sigfigs=2))  # 10.0**23 is one unit off on glibc
    with pytest.raises(ValueError, match="sigfigs must be an int"):
        Tolerance(sigfigs=2.5)  # type: ignore[arg-type]


# --- choices ---------------------------------------------------------------------------------


def test_choices_with_known_options() -> None:
    key = Key("choice", "B", options=("yes", "no", "maybe"))
    assert check("2", key).correct
    assert check("(b)", key).correct
    assert check("3", key) == Verdict(False, "incorrect")
    with pytest.raises(AnswerError, match=r"^not one of the options \(A–C\)$"):
        check("Z", key)
    with pytest.raises(AnswerError, match=r"^선택지에 없는 답입니다 \(A–C\)$"):
        check("4", key, lang="ko")
    picked = Misconception("picked-a", "A", "...")
    assert check("1", key, [picked]).misconception == "picked-a"
    numbers = Key("choice", "C", options=("0.5", "0.2838", "2"))
    assert check("2", numbers).correct  # the option whose value is 2, not option 2
    assert check("c", numbers).correct
    assert not check("0.2838", numbers).correct
    with pytest.raises(ValueError, match="only a choice key has options"):
        Key("number", 1.0, options=("a", "b"))
    with pytest.raises(ValueError, match="invalid key 'D'"):
        Key("choice", "D", options=("a", "b"))


def test_an_empty_answer_is_a_message_not_a_verdict() -> None:
    for text in ("", "  ", "\t\n"):
        for key in (Key("number", 1.0), Key("choice", "A"), Key("expression", "x")):
            with pytest.raises(AnswerError, match=r"^empty answer$"):
                check(text, key)
            with pytest.raises(AnswerError, match=r"^답이 비어 있습니다$"):
                check(text, key, lang="ko")


# --- the format statement and the messages in Korean ------------------------------------------


@pytest.mark.parametrize(
    ("key", "english", "korean"),
    [
        (
            Key("number", 0.5),
            "Give the answer to 3 significant figures.",
            "유효숫자 3자리로 답하십시오.",
        ),
        (
            Key("number", 0.5, precision=Precision(sigfigs=1)),
            "Give the answer to 1 significant figure.",
            "유효숫자 1자리로 답하십시오.",
        ),
        (
            Key("number", 0.5, precision=Precision(decimals=2)),
            "Give the answer to 2 decimal places.",
            "소수점 아래 2자리까지 답하십시오.",
        ),
        (
            Key("number", 0.5, precision=Precision(decimals=0)),
            "Give the answer rounded to a whole number.",
            "반올림해 정수로 답하십시오.",
        ),
        (
            Key("number", 0.5, precision=Precision()),
            "Give the exact value.",
            "정확한 값으로 답하십시오.",
        ),
        (
            Key("number", 0.5, precision=Precision(sigfigs=3, fraction=True)),
            "Give the answer as a fraction (like 2/3) or as a decimal to 3 significant figures.",
            "분수(예: 2/3)나 유효숫자 3자리 소수로 답하십시오.",
        ),
        (
            Key("number", 0.5, tolerance=Tolerance(rel=0.002, abs=0.0005)),
            "Give the answer to within 0.2% of the exact value.",
            "오차가 0.2% 이내가 되도록 답하십시오.",
        ),
        (
            Key("tensor", [0.5], precision=Precision(sigfigs=4)),
            "Give each entry to 4 significant figures.",
            "각 원소를 유효숫자 4자리로 답하십시오.",
        ),
        (
            Key("tensor", [1, 2], precision=Precision()),
            "Give each entry exactly.",
            "각 원소를 정확한 값으로 답하십시오.",
        ),
        (Key("integer", 3), "Give a whole number.", "정수로 답하십시오."),
        (
            Key("shape", (2, 3)),
            "Give the exact shape, like (2, 3).",
            "모양을 (2, 3)처럼 정확히 답하십시오.",
        ),
        (
            Key("choice", "A", options=("x", "y", "z")),
            "Answer with the letter (A–C) or the number (1–3) of one option.",
            "선택지의 글자(A–C)나 번호(1–3)로 답하십시오.",
        ),
        (
            Key("choice", "A", options=("3", "7")),
            "Answer with the letter of one option (A–B).",
            "선택지의 글자(A–B)로 답하십시오.",
        ),
        (
            Key("choice", "A"),
            "Answer with the letter of one option.",
            "선택지의 글자로 답하십시오.",
        ),
        (
            Key("expression", "w*(1-w)"),
            "Give a formula in x and w, like 2x(1 - x); you may use + - * / ^, sqrt, exp, "
            "log (ln), sin, cos, tanh, sinh, cosh, sech, sigmoid (σ), softplus, relu, abs, pi "
            "and e.",
            "x, w에 대한 식으로 답하십시오(예: 2x(1 - x)). + - * / ^, sqrt, exp, log (ln), sin, "
            "cos, tanh, sinh, cosh, sech, sigmoid (σ), softplus, relu, abs, pi, e를 쓸 수 "
            "있습니다.",
        ),
    ],
)
def test_answer_format(key: Key, english: str, korean: str) -> None:
    assert answer_format(key) == english == key.format("en")
    assert answer_format(key, "ko") == korean
    assert key.data()["format"] == {"en": english, "ko": korean}


def test_key_data() -> None:
    data = Key("number", 0.5, precision=Precision(decimals=2, fraction=True)).data()
    assert data["precision"] == {"sigfigs": None, "decimals": 2, "fraction": True}
    assert Key("choice", "A", options=("x", "y")).data()["options"] == ["x", "y"]
    expression = Key("expression", "w*x", domain=(0.0, 1.0)).data()
    assert expression["variables"] == ["x", "w"]
    assert expression["domain"] == [0.0, 1.0]
    assert expression["precision"] is None


@pytest.mark.parametrize(
    ("text", "key", "english", "korean"),
    [
        ("0.25", Key("number", 0.25), "correct", "정답입니다"),
        ("0.4", Key("number", 0.25), "incorrect", "틀렸습니다"),
        (
            "(2, 6)",
            Key("shape", (6, 2)),
            "expected shape (6, 2), got (2, 6)",
            "모양이 다릅니다: 정답은 (6, 2), 입력한 답은 (2, 6)입니다",
        ),
        (
            "2.5",
            Key("tensor", [2.5]),
            "expected shape (1,), got () (write a one-element tensor in brackets, like [2.5])",
            "모양이 다릅니다: 정답은 (1,), 입력한 답은 ()입니다 (원소가 하나인 텐서는 [2.5]처럼 "
            "대괄호로 씁니다)",
        ),
        ("[[1, 2], [3, 5]]", MATRIX, "entry [1, 1] is off", "인덱스 [1, 1]의 원소가 틀렸습니다"),
        (
            "[[9, 9], [9, 9]]",
            MATRIX,
            "entries [0, 0], [0, 1], [1, 0] and 1 more are off",
            "인덱스 [0, 0], [0, 1], [1, 0] 외 1개의 원소가 틀렸습니다",
        ),
        (
            "[0, 2, 0, 4, 0]",
            Key("tensor", [1, 2, 3, 4, 5]),
            "entries [0], [2] and [4] are off",
            "인덱스 [0], [2], [4]의 원소가 틀렸습니다",
        ),
        (
            "x^2",
            Key("expression", "x*(1-x)"),
            "not equivalent to the expected expression",
            "정답 식과 같지 않습니다",
        ),
        (
            "2*ln(x)",
            Key("expression", "log(x^2)"),
            "undefined at x = -4.84375 (log of a non-positive number in ln(x))",
            "x = -4.84375에서 정의되지 않습니다 (0 이하인 수의 로그입니다: ln(x))",
        ),
        (
            "x",
            Key("expression", "sqrt(x - 10)"),
            "cannot be checked: the expected expression is defined at fewer than 8 of the 32 "
            "sample points in [-5, 5]",
            "채점할 수 없습니다: 정답 식이 [-5, 5]의 표본점 32개 중 8개 미만에서만 정의됩니다",
        ),
    ],
)
def test_verdict_messages_in_both_languages(text: str, key: Key, english: str, korean: str) -> None:
    assert check(text, key).message == english
    assert check(text, key, lang="ko").message == korean


def test_the_tables_have_the_same_messages_in_both_languages() -> None:
    import string

    from studykit.questions.answer_messages import CHECK_MESSAGES as MESSAGES

    english = MESSAGES["en"]
    fields = {
        code: {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
        for code, pattern in english.items()
    }
    for lang, table in MESSAGES.items():
        assert set(table) == set(english), lang
        for code, pattern in table.items():
            mine = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
            assert mine >= fields[code] - {"figures", "places"}, (lang, code)


def test_show_in_korean_what_the_tester_saw() -> None:
    # "✗ 아쉽습니다: expected shape (6, 2), got (2, 6)": the checker's part is Korean now.
    verdict = check(
        "[[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]", Key("tensor", [[0.0] * 2] * 6), lang="ko"
    )
    assert verdict.message == "모양이 다릅니다: 정답은 (6, 2), 입력한 답은 (2, 6)입니다"
