"""The rounding rules of the checker: tolerances, significant figures and decimal places."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studykit.questions.checking import (
    Key,
    Misconception,
    Verdict,
    check,
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
