"""The answer checker: shapes first, entries within tolerance, misconceptions, expressions."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studykit.questions.answers import AnswerError, Node
from studykit.questions.checking import (
    DEFAULT_DOMAIN,
    DEFAULT_TOLERANCE,
    MIN_SAMPLE_POINTS,
    SAMPLE_COUNT,
    SAMPLE_POINTS,
    Key,
    Misconception,
    Tolerance,
    Verdict,
    check,
    close,
    matches,
    sample_points,
)

MATRIX = Key("tensor", [[1.0, 2.0], [3.0, 4.0]])

# --- close ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected", "tol", "ok"),
    [
        # exact by default
        (1.0, 1.0, Tolerance(), True),
        (1.0 + 2**-52, 1.0, Tolerance(), False),
        # abs: 0.25 and 1.25 are exact binary fractions, so the boundary is exact too
        (1.25, 1.0, Tolerance(abs=0.25), True),
        (0.75, 1.0, Tolerance(abs=0.25), True),
        (1.2500001, 1.0, Tolerance(abs=0.25), False),
        # rel: |3 - 2| = 0.5 * 2 exactly
        (3.0, 2.0, Tolerance(rel=0.5), True),
        (3.0000001, 2.0, Tolerance(rel=0.5), False),
        (-3.0, -2.0, Tolerance(rel=0.5), True),
        # abs + rel add up
        (3.5, 2.0, Tolerance(rel=0.5, abs=0.5), True),
        (3.5000001, 2.0, Tolerance(rel=0.5, abs=0.5), False),
        # the default float tolerance: 0.5% (plus 1e-6)
        (1.004, 1.0, DEFAULT_TOLERANCE["number"], True),
        (1.006, 1.0, DEFAULT_TOLERANCE["number"], False),
        (9e-7, 0.0, DEFAULT_TOLERANCE["number"], True),
        (2e-6, 0.0, DEFAULT_TOLERANCE["number"], False),
        # sigfigs: 1.234 to 3 figures is the interval 1.234 ± 0.005, boundaries included
        (1.234, 1.234, Tolerance(sigfigs=3), True),
        (1.2385, 1.234, Tolerance(sigfigs=3), True),
        (1.239, 1.234, Tolerance(sigfigs=3), True),
        (1.229, 1.234, Tolerance(sigfigs=3), True),
        (1.2391, 1.234, Tolerance(sigfigs=3), False),
        (1.2289, 1.234, Tolerance(sigfigs=3), False),
        # sigfigs ignore rel/abs when the key is not 0
        (1.3, 1.234, Tolerance(rel=1.0, abs=1.0, sigfigs=3), False),
        # a power of 10: 1000 to 2 figures is 1000 ± 50
        (1050.0, 1000.0, Tolerance(sigfigs=2), True),
        (1050.001, 1000.0, Tolerance(sigfigs=2), False),
        (0.00105, 0.001, Tolerance(sigfigs=2), True),
        (0.0010501, 0.001, Tolerance(sigfigs=2), False),
        # just below a power of 10: 999.9 to 2 figures is 999.9 ± 5
        (1004.9, 999.9, Tolerance(sigfigs=2), True),
        (1005.0, 999.9, Tolerance(sigfigs=2), False),
        # negative keys: -0.0123 to 2 figures is -0.0123 ± 0.0005
        (-0.0128, -0.0123, Tolerance(sigfigs=2), True),
        (-0.0129, -0.0123, Tolerance(sigfigs=2), False),
        (0.0123, -0.0123, Tolerance(sigfigs=2), False),
        # a key of 0 has no significant figures: abs decides
        (5e-7, 0.0, Tolerance(abs=1e-6, sigfigs=2), True),
        (2e-6, 0.0, Tolerance(abs=1e-6, sigfigs=2), False),
        (0.0, 0.0, Tolerance(sigfigs=2), True),
        (1e-300, 0.0, Tolerance(sigfigs=2), False),
        # nothing non-finite is ever close
        (float("nan"), 1.0, Tolerance(rel=1.0), False),
        (float("inf"), float("inf"), Tolerance(rel=1.0), False),
    ],
)
def test_close(given: float, expected: float, tol: Tolerance, ok: bool) -> None:
    assert close(given, expected, tol) is ok


@pytest.mark.parametrize(
    "kwargs", [{"rel": -1e-3}, {"abs": -1.0}, {"rel": float("nan")}, {"sigfigs": 0}]
)
def test_invalid_tolerance(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="tolerance"):
        Tolerance(**kwargs)  # type: ignore[arg-type]


def test_default_tolerances() -> None:
    assert DEFAULT_TOLERANCE["number"] == Tolerance(rel=5e-3, abs=1e-6)
    assert DEFAULT_TOLERANCE["tensor"] == Tolerance(rel=5e-3, abs=1e-6)
    for kind in ("integer", "shape", "choice"):
        assert DEFAULT_TOLERANCE[kind] == Tolerance()  # type: ignore[index]
    assert Key("number", 0.5).tolerance == DEFAULT_TOLERANCE["number"]


@given(
    expected=st.floats(min_value=-1e200, max_value=1e200).filter(lambda v: abs(v) > 1e-200),
    sigfigs=st.integers(1, 10),
)
def test_sigfigs_accept_the_key_rounded_to_that_many_figures(expected: float, sigfigs: int) -> None:
    rounded = float(f"{expected:.{sigfigs - 1}e}")  # Python's own rounding, not studykit's
    assert close(rounded, expected, Tolerance(sigfigs=sigfigs))


# --- scalars -------------------------------------------------------------------------------


def test_number() -> None:
    key = Key("number", 0.25)
    assert check("1/4", key) == Verdict(True, "correct")
    assert check("0.251", key).correct
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
    assert check("3", Key("tensor", 2.5)).message == "incorrect"


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


def test_misconception_is_recognized_within_the_keys_tolerance() -> None:
    key = Key("number", 0.25)
    verdict = check("1/2", key, [SQUARE, HALF])
    assert verdict == Verdict(False, "incorrect", SQUARE.name, SQUARE.feedback)
    assert check("0.5012", key, [SQUARE, HALF]).misconception == "forgot-square"
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


# --- expressions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "answer"),
    [
        ("x*(1-x)", "x - x**2"),
        ("x*(1-x)", "-(x^2 - x)"),
        ("1/(1+exp(-x)) * (1 - 1/(1+exp(-x)))", "exp(-x)/(1+exp(-x))^2"),
        ("1 - tanh(x)^2", "4/(exp(x) + exp(-x))^2"),
        ("tanh(x)", "(exp(x) - exp(-x))/(exp(x) + exp(-x))"),
        ("2*x", "x + x"),
        ("sin(x)^2 + cos(x)^2", "1"),
        ("2*ln(x)", "log(x^2)"),  # agree wherever the key is defined
        ("0.5*x", "x/2"),
        ("1/x", "x^-1"),  # no sample point is 0
    ],
)
def test_equivalent_expressions(key: str, answer: str) -> None:
    assert check(answer, Key("expression", key)).correct


@pytest.mark.parametrize(
    ("key", "answer"),
    [
        ("x*(1-x)", "x^2"),
        ("x*(1-x)", "x*(1+x)"),
        ("exp(-x)/(1+exp(-x))^2", "exp(-x)/(1+exp(-x))"),
        ("x/3", "0.333*x"),
        ("x", "x + 1e-6"),  # within the relative tolerance only where |x| >= 1
    ],
)
def test_different_expressions(key: str, answer: str) -> None:
    verdict = check(answer, Key("expression", key))
    assert verdict == Verdict(False, "not equivalent to the expected expression")


def test_a_function_equal_on_part_of_the_domain_only_is_wrong() -> None:
    # sqrt(x^2) is |x|: equal to x on half of [-5, 5] only.
    assert check("sqrt(x^2)", Key("expression", "x")).message == (
        "not equivalent to the expected expression"
    )
    # Equal on [0, 5]: right when the prompt says x >= 0.
    assert check("sqrt(x^2)", Key("expression", "x", domain=(0.0, 5.0))).correct


@pytest.mark.parametrize(
    ("key", "answer", "message"),
    [
        (
            "log(x^2)",
            "2*ln(x)",
            "undefined at x = -4.84375 (log of a non-positive number in ln(x))",
        ),
        (
            "x*(1-x)",
            "(x+1)^1000",
            "undefined at x = -4.84375 (number too large: (x+1)^1000 is over 1e300)",
        ),
        (
            "exp(-x)/(1 + exp(-x))**2",
            "sqrt(x-100)*(x+1)^1000",
            "undefined at x = -4.84375 (sqrt of a negative number in sqrt(x-100))",
        ),
        ("x", "log(x - 20)", "undefined at x = -4.84375 (log of a non-positive number in"),
        ("x", "x*(x - 0.15625)/(x - 0.15625)", "undefined at x = 0.15625 (division by zero in"),
        ("x", "x^(x*1000)", "undefined at x = -4.84375 (exponent too large: (x*1000) is over"),
    ],
)
def test_an_answer_undefined_where_the_key_is_defined_is_wrong(
    key: str, answer: str, message: str
) -> None:
    verdict = check(answer, Key("expression", key))
    assert not verdict.correct
    assert verdict.message.startswith(message)
    assert len(verdict.message.splitlines()) == 1


def test_the_original_stall_is_answered_in_milliseconds() -> None:
    # Issue #14: this took 113-222 s in sympy.simplify.
    key = Key("expression", "exp(-x)/(1 + exp(-x))**2")
    mistakes = [
        Misconception("function-not-derivative", "1/(1 + exp(-x))", "..."),
        Misconception("wrong-sign", "-(exp(-x)/(1 + exp(-x))**2)", "..."),
    ]
    best = min(_seconds(lambda: check("sqrt(x-100)*(x+1)^1000", key, mistakes)) for _ in range(3))
    assert best < 0.05


def _seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_a_key_undefined_on_most_of_its_domain_cannot_be_checked() -> None:
    # Every default sample point is below 10, where sqrt(x - 10) is undefined: a question
    # whose domain is wrong. It is reported, never handed to a symbolic simplifier.
    key = Key("expression", "sqrt(x - 10)")
    for answer in ("(x - 10)^(1/2)", "sqrt(x - 10) + 1", "x"):
        verdict = check(answer, key)
        assert not verdict.correct
        assert verdict.message == (
            "cannot be checked: the expected expression is defined at fewer than "
            f"{MIN_SAMPLE_POINTS} of the {SAMPLE_COUNT} sample points in [-5, 5]"
        )
    # With the domain the prompt states, the numbers decide.
    key = Key("expression", "sqrt(x - 10)", domain=(10.0, 20.0))
    assert check("(x - 10)^(1/2)", key).correct
    assert check("sqrt(x - 10) + 1", key).message == "not equivalent to the expected expression"


def test_a_misconception_that_cannot_be_checked_is_skipped() -> None:
    key = Key("expression", "x")
    odd = Misconception("odd", "sqrt(x - 10)", "...")
    plus = Misconception("plus-one", "x + 1", "Drop the constant.")
    assert check("x + 1", key, [odd, plus]).misconception == "plus-one"


def test_sample_points() -> None:
    points = sample_points()
    assert points == SAMPLE_POINTS
    assert len(points) == SAMPLE_COUNT
    assert points == tuple(sorted(points))
    lo, hi = DEFAULT_DOMAIN
    assert lo < points[0] and points[-1] < hi
    assert all(p != round(p) for p in points)  # never 0 or another integer
    assert sample_points((0.0, 1.0)) == tuple((2 * k + 1) / 64 for k in range(32))


def test_each_variable_gets_its_own_points() -> None:
    key = Key("expression", "x*y", variables=("x", "y"))
    assert check("y*x", key).correct
    assert not check("x*x", key).correct  # x and y never take the same value
    assert check("x + y", Key("expression", "y + x", domain=(1.0, 2.0))).correct


@pytest.mark.parametrize(
    "domain", [(1.0, 1.0), (2.0, 1.0), (0.0, math.inf), (math.nan, 1.0), (0.0,), "ab", None]
)
def test_invalid_domain(domain: object) -> None:
    with pytest.raises(ValueError, match="key domain must be"):
        Key("expression", "x", domain=domain)  # type: ignore[arg-type]


def test_the_answer_is_evaluated_once_for_the_key_and_every_misconception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from studykit.questions import checking

    walks: list[int] = []
    real = checking.evaluate_points

    def counting(node: Node, columns: dict[str, list[float]]) -> list[float]:
        walks.append(len(columns["x"]))
        return real(node, columns)

    monkeypatch.setattr(checking, "evaluate_points", counting)
    key = Key("expression", "x*(1-x)")
    mistakes = [Misconception(f"m{i}", f"x*(1-x) + {i + 1}", "...") for i in range(5)]
    check("5 + x - x^2", key, mistakes)
    # One walk of each tree over all the points: the answer, the key, five misconceptions.
    assert walks == [SAMPLE_COUNT] * 7


def test_expression_variables_come_from_the_key() -> None:
    key = Key("expression", "w*(1-w)")
    assert key.variables == ("x", "w")
    assert check("w - w^2", key).correct
    with pytest.raises(AnswerError, match="unknown name 'y'"):
        check("y", key)
    key = Key("expression", "x*y", variables=("x", "y"))
    assert check("y*x", key).correct
    assert not check("x*x", key).correct


def test_expression_misconception() -> None:
    key = Key("expression", "x*(1-x)")
    forgot = Misconception("forgot-inner-derivative", "1 - x", "Differentiate the inside too.")
    assert check("-x + 1", key, [forgot]).misconception == "forgot-inner-derivative"


# --- imports ---------------------------------------------------------------------------------


def _modules_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + "\nimport sys\nprint(' '.join(sys.modules))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_importing_and_checking_loads_neither_torch_nor_sympy() -> None:
    loaded = _modules_after(
        """
        import studykit.questions.answers
        import studykit.questions.checking
        from studykit.questions.checking import Key, check
        assert check("1/4", Key("number", 0.25)).correct
        assert check("[[1, 2]]", Key("tensor", [[1, 2]])).correct
        assert check("x - x^2", Key("expression", "x*(1-x)")).correct
        assert not check("x", Key("expression", "sqrt(x - 10)")).correct  # cannot be checked
        """
    )
    assert "torch" not in loaded
    assert "sympy" not in loaded


def test_exponent_letters_of_number_literals_are_not_variables() -> None:
    from studykit.questions.checking import Key

    assert Key("expression", "1e5*y").variables == ("x", "y")
    assert Key("expression", "1E-3*x").variables == ("x",)
    assert Key("expression", "x2*3.5e2").variables == ("x", "x2")


def test_sigfigs_at_large_decades_and_must_be_whole() -> None:
    from studykit.questions.checking import Tolerance, close

    assert close(1.04e23, 1e23, Tolerance(sigfigs=2))  # 10.0**23 is one unit off on glibc
    with pytest.raises(ValueError, match="sigfigs must be an int"):
        Tolerance(sigfigs=2.5)  # type: ignore[arg-type]
