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

from studykit.questions.answer_messages import AnswerError
from studykit.questions.answer_tree import Node
from studykit.questions.checking import (
    Key,
    Misconception,
    Verdict,
    answer_format,
    check,
    matches,
)
from studykit.questions.expression_samples import (
    DEFAULT_DOMAIN,
    MIN_SAMPLE_POINTS,
    SAMPLE_COUNT,
    SAMPLE_POINTS,
    sample_points,
)
from studykit.questions.precision import (
    DEFAULT_PRECISION,
    DEFAULT_TOLERANCE,
    Precision,
    Tolerance,
    close,
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


def test_default_tolerances_and_precisions() -> None:
    assert DEFAULT_TOLERANCE["number"] == Tolerance(rel=5e-3, abs=1e-6)
    assert DEFAULT_TOLERANCE["tensor"] == Tolerance(rel=5e-3, abs=1e-6)
    for kind in ("integer", "shape", "choice"):
        assert DEFAULT_TOLERANCE[kind] == Tolerance()
        assert DEFAULT_PRECISION[kind] == Precision()
    assert DEFAULT_PRECISION["number"] == DEFAULT_PRECISION["tensor"] == Precision(sigfigs=3)
    assert DEFAULT_PRECISION["expression"] is None
    # A key without either states the kind's precision (and the nearest tolerance);
    # a key with a tolerance only is graded by it and states none.
    assert Key("number", 0.5).precision == Precision(sigfigs=3)
    assert Key("number", 0.5).tolerance == Tolerance(sigfigs=3)
    assert Key("number", 0.5, tolerance=Tolerance(rel=0.01)).precision is None
    assert Key("expression", "x").tolerance == DEFAULT_TOLERANCE["expression"]


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
    from studykit.questions import expression_samples
    from studykit.questions.answer_evaluation import evaluate_points

    walks: list[int] = []

    def counting(node: Node, columns: dict[str, list[float]]) -> list[float]:
        walks.append(len(columns["x"]))
        return evaluate_points(node, columns)

    monkeypatch.setattr(expression_samples, "evaluate_points", counting)
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
    assert close(1.04e23, 1e23, Tolerance(sigfigs=2))  # 10.0**23 is one unit off on glibc
    with pytest.raises(ValueError, match="sigfigs must be an int"):
        Tolerance(sigfigs=2.5)  # type: ignore[arg-type]


# --- precision -------------------------------------------------------------------------------

SIG3 = Precision(sigfigs=3)


@pytest.mark.parametrize(
    ("given", "expected", "precision", "ok"),
    [
        # a tie: 0.8425 to 3 figures is 0.842 or 0.843, and both pass
        (0.843, 0.8425, SIG3, True),
        (0.842, 0.8425, SIG3, True),
        (0.8425, 0.8425, SIG3, True),
        (0.84249, 0.8425, SIG3, True),  # more digits, right to within half a unit
        (0.844, 0.8425, SIG3, False),
        (0.841, 0.8425, SIG3, False),
        (0.84, 0.8425, SIG3, False),  # fewer digits than asked
        # the key's own decade fixes the unit, so rounding across a power of 10 works
        (0.000992, 0.000992, SIG3, True),
        (0.0010, 0.000992, SIG3, False),
        (0.00100, 0.0009996, SIG3, True),
        (0.000999, 0.0009996, SIG3, False),
        (1.00, 0.99951, SIG3, True),
        (10.0, 9.9996, SIG3, True),
        # negative keys behave as their absolute value
        (-14.6, -14.5585, SIG3, True),
        (-14.5, -14.5585, SIG3, False),
        (14.6, -14.5585, SIG3, False),
        # a key of 0 has no significant figures: only 0 is 0 to 3 figures
        (0.0, 0.0, SIG3, True),
        (-0.0, 0.0, SIG3, True),
        (1e-300, 0.0, SIG3, False),
        # very large and very small keys
        (1.23e23, 1.2345e23, SIG3, True),
        (1.24e23, 1.2345e23, SIG3, False),
        (1.23e-200, 1.2345e-200, SIG3, True),
        (-4.57e-9, -4.5678e-9, SIG3, True),
        # decimal places: a fixed unit, whatever the key's size
        (14.56, 14.5585, Precision(decimals=2), True),
        (14.6, 14.5585, Precision(decimals=2), False),
        (0.0, 0.004, Precision(decimals=2), True),
        (0.01, 0.005, Precision(decimals=2), True),  # a tie
        (0.0, 0.005, Precision(decimals=2), True),
        (3.0, 2.5, Precision(decimals=0), True),
        (2.0, 2.5, Precision(decimals=0), True),
        (1e20, 1e20 + 1e4, Precision(decimals=2), True),  # float spacing there is 16384
        # exact: only float rounding
        (5.0, 5.0, Precision(), True),
        (0.1 + 0.2, 0.3, Precision(), True),
        (5.000001, 5.0, Precision(), False),
        (math.inf, math.inf, SIG3, False),
        (math.nan, 1.0, SIG3, False),
    ],
)
def test_precision(given: float, expected: float, precision: Precision, ok: bool) -> None:
    assert close(given, expected, precision) is ok


def _rounded(value: float, places: int, rounding: str) -> float:
    from decimal import Decimal

    return float(Decimal(repr(value)).quantize(Decimal(f"1e{places}"), rounding=rounding))


@given(
    expected=st.floats(min_value=-1e200, max_value=1e200).filter(lambda v: abs(v) > 1e-200),
    sigfigs=st.integers(1, 10),
    rounding=st.sampled_from(["ROUND_HALF_UP", "ROUND_HALF_DOWN", "ROUND_HALF_EVEN"]),
)
def test_a_correctly_rounded_key_always_passes(
    expected: float, sigfigs: int, rounding: str
) -> None:
    from decimal import Decimal

    places = Decimal(repr(expected)).adjusted() - sigfigs + 1
    assert close(_rounded(expected, places, rounding), expected, Precision(sigfigs=sigfigs))


@given(
    expected=st.floats(min_value=-1e6, max_value=1e6),
    decimals=st.integers(0, 6),
    rounding=st.sampled_from(["ROUND_HALF_UP", "ROUND_HALF_DOWN"]),
)
def test_a_key_rounded_to_decimal_places_always_passes(
    expected: float, decimals: int, rounding: str
) -> None:
    assert close(_rounded(expected, -decimals, rounding), expected, Precision(decimals=decimals))


@given(
    expected=st.floats(min_value=-1e6, max_value=1e6).filter(lambda v: abs(v) > 1e-6),
    sigfigs=st.integers(1, 6),
    steps=st.sampled_from([-1.0, 1.0, -0.6, 0.6, 3.0]),
)
def test_an_answer_off_by_more_than_half_a_unit_fails(
    expected: float, sigfigs: int, steps: float
) -> None:
    precision = Precision(sigfigs=sigfigs)
    assert not close(expected + steps * precision.unit(expected), expected, precision)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sigfigs": 0},
        {"sigfigs": 16},
        {"decimals": -1},
        {"sigfigs": 2.5},
        {"sigfigs": True},
        {"sigfigs": 2, "decimals": 2},
        {"fraction": "yes"},
    ],
)
def test_invalid_precision(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="precision"):
        Precision(**kwargs)  # type: ignore[arg-type]


def test_a_precision_must_fit_the_kind() -> None:
    with pytest.raises(ValueError, match="exact"):
        Key("integer", 12, precision=SIG3)
    with pytest.raises(ValueError, match="no precision"):
        Key("expression", "x", precision=Precision())
    assert Key("integer", 12, precision=Precision()).precision == Precision()


def test_not_precise_enough() -> None:
    key = Key("number", 2 / 3)
    verdict = check("0.67", key)
    assert verdict == Verdict(
        False, "not precise enough. Give the answer to 3 significant figures."
    )
    assert check("0.7", key).message.startswith("not precise enough")
    assert check("0.68", key).message == "incorrect"  # not a rounding of the key
    assert check("0.6", key).message == "incorrect"
    # A misconception wins over "not precise enough" (its match is at the full precision).
    halved = Misconception("halved", 0.67, "...")
    assert check("0.67", key, [halved]).misconception == "halved"
    tensor = Key("tensor", [[2 / 3, 0.5], [1.25, 14.5585]])
    verdict = check("[[0.67, 0.5], [1.25, 15]]", tensor)
    assert verdict.message == (
        "entries [0, 0] and [1, 1] are not precise enough. Give each entry to 3 significant "
        "figures."
    )
    assert verdict.wrong == ((0, 0), (1, 1))
    assert check("[[0.667, 0.5], [1.3, 14.6]]", tensor).message == (
        "entry [1, 0] is not precise enough. Give each entry to 3 significant figures."
    )
    assert check("[[0.6, 0.5], [1.3, 14.6]]", tensor).message == (
        "entries [0, 0] and [1, 0] are off"
    )
    decimals = Key("number", 14.5585, precision=Precision(decimals=2))
    assert check("14.6", decimals, lang="ko").message == (
        "정밀도가 부족합니다. 소수점 아래 2자리까지 답하십시오."
    )


def test_whole_number_entries() -> None:
    sizes = Key("tensor", [21, 5, 4], precision=Precision())
    assert check("[21, 5, 4]", sizes).correct
    assert check("(21, 5, 4)", sizes).correct
    verdict = check("[21.1, 2, 2]", sizes)
    assert verdict.message == "entry [0] must be a whole number, got 21.1"
    assert verdict.wrong == ((0,), (1,), (2,))
    assert check("[21.1, 2, 2]", sizes, lang="ko").message == (
        "인덱스 [0]의 원소는 정수여야 합니다: 21.1"
    )
    assert check("[21, 2, 2]", sizes).message == "entries [1] and [2] are off"
    # A misconception that is not whole is recognized first.
    unrounded = Misconception("did-not-round", [21.1, 4.6, 4.3], "Round down.")
    assert check("[21.1, 4.6, 4.3]", sizes, [unrounded]).misconception == "did-not-round"
    # 12 is "12.0" too; a key of 0.5 is exact but not whole.
    assert check("12.0", Key("integer", 12)).correct
    assert check("[0.5]", Key("tensor", [0.5], precision=Precision())).correct
    assert check("[0.4]", Key("tensor", [0.5], precision=Precision())).message == (
        "entry [0] is off"
    )


def test_percentages_where_a_fraction_is_asked() -> None:
    key = Key("number", 5 / 6)
    assert check("83.33%", key).correct
    assert check("83.3%", key).correct
    assert check("[83.3%, 50%]", Key("tensor", [5 / 6, 0.5])).correct


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


# --- the modules of the checker, and keys built without the parser ------------------------------

CHECKER_MODULES = (
    "answer_messages",
    "answer_tokens",
    "answer_tree",
    "answer_evaluation",
    "answer_parser",
    "answers",
    "precision",
    "expression_samples",
    "key_values",
    "checking",
)
# The names importers used before the checker was split into those modules.
ANSWERS_NAMES = (
    *("FUNCTION_NAMES", "KINDS", "LANGUAGES", "MESSAGES", "Answer", "AnswerError", "AnswerKind"),
    *("AnswerValue", "Call", "Constant", "Negate", "Nested", "Node", "Number", "Power"),
    *("Product", "Sum", "Variable", "evaluate", "evaluate_points", "letter_range", "normalize"),
    *("number_options", "parse_answer", "tensor_shape"),
)
CHECKING_NAMES = (
    *("DEFAULT_DOMAIN", "DEFAULT_PRECISION", "DEFAULT_TOLERANCE", "EXACT", "MAX_FIGURES"),
    *("MESSAGES", "SAMPLE_COUNT", "SAMPLE_POINTS", "Key", "KeyValue", "Misconception"),
    *("Precision", "Tolerance", "Verdict", "accepted_error", "answer_format", "check", "close"),
    *("key_rule", "matches", "precision_format", "sample_points"),
)


@pytest.mark.parametrize("name", CHECKER_MODULES)
def test_each_module_of_the_checker_imports_on_its_own(name: str) -> None:
    # A fresh interpreter per module: an import cycle fails whichever module comes first.
    loaded = _modules_after(f"import studykit.questions.{name}")
    assert "torch" not in loaded
    assert "sympy" not in loaded


def test_the_names_importers_use_are_still_exported() -> None:
    from studykit.questions import answers, checking

    for module, names in ((answers, ANSWERS_NAMES), (checking, CHECKING_NAMES)):
        assert set(names) <= set(module.__all__), module.__name__
        for name in names:
            assert getattr(module, name) is not None, (module.__name__, name)
    assert answers.MESSAGES["en"]["empty"] == "empty answer"
    assert checking.MESSAGES["en"]["correct"] == "correct"


FINITE = st.floats(allow_nan=False, allow_infinity=False)
PLAIN_VALUES = st.one_of(
    st.floats(),
    st.floats(min_value=-1e301, max_value=1e301),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.booleans(),
    st.text(alphabet="abcHIZ( ).12", max_size=3),
    st.lists(st.floats(), max_size=3),
    st.lists(st.lists(FINITE, max_size=3), max_size=3),
    st.lists(st.one_of(FINITE, st.integers(-3, 3), st.lists(FINITE, max_size=2)), max_size=3),
    st.lists(st.integers(-2, 5), max_size=3),
    st.tuples(st.integers(0, 5), st.booleans()),
)


@given(
    value=PLAIN_VALUES,
    kind=st.sampled_from(["number", "integer", "tensor", "shape", "choice"]),
    options=st.sampled_from([(), ("yes", "no", "maybe"), tuple("abcdefgh")]),
    variables=st.sampled_from([("x",), ("x", "y")]),
)
def test_a_key_value_read_quickly_is_read_as_the_checked_way_reads_it(
    value: object, kind: str, options: tuple[str, ...], variables: tuple[str, ...]
) -> None:
    from studykit.questions.key_values import _checked_answer, _quick_answer

    options = options if kind == "choice" else ()
    quick = _quick_answer(value, kind, variables, options)  # type: ignore[arg-type]
    if quick is None:
        return
    checked = _checked_answer(value, kind, variables, "key", options)  # type: ignore[arg-type]
    # repr tells 1 from 1.0, (2,) from [2] and -0.0 from 0.0, which == does not.
    assert repr(quick) == repr(checked)


def test_the_usual_keys_take_the_quick_way() -> None:
    from studykit.questions.key_values import _quick_answer

    assert _quick_answer(0.25, "number", ("x",), ()) is not None
    assert _quick_answer(12, "integer", ("x",), ()) is not None
    assert _quick_answer("b", "choice", ("x",), ("yes", "no")) is not None
    assert _quick_answer([[1.0, 2.0], [3.0, 4.0]], "tensor", ("x",), ()) is not None
    assert _quick_answer([2, 3], "shape", ("x",), ()) is not None
    assert _quick_answer("c", "choice", ("x",), ("yes", "no")) is None  # the parser says why
    assert _quick_answer(2**53 + 1, "integer", ("x",), ()) is None  # a float cannot hold it
    assert Key("number", 0.25).tolerance == Tolerance(sigfigs=3)
    assert Key("number", 0.25, precision=Precision(decimals=2)).tolerance == Tolerance(abs=0.005)
