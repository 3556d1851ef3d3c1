r"""How precisely an answer must be given (정밀도, precision), and the rule that grades it.

Every prompt states a precision under the question ("Give the answer to 3 significant
figures.", the format statement of `precision_format`), and the checker holds the answer to
exactly that: `close` decides whether a number is close enough to the key, `accepted_error` says
how far it may lie. A key states a `Precision` (3 significant figures for floats by default,
`DEFAULT_PRECISION`); a `Tolerance` is the older way, kept for comparisons that are not a
student's.

**Precision rules** (유효숫자 significant figures, 소수점 아래 자릿수 decimal places). The
*rounding unit* \(u\) of a key \(e\) is \(10^{-d}\) for \(d\) decimal places and
\(10^{\lfloor \log_{10}|e| \rfloor - n + 1}\) for \(n\) significant figures (the place of the
\(n\)-th significant digit of \(e\) itself; \(u = 0\) for a key of 0, which rounds to 0 only). An
answer \(g\) is right when

$$ |g - e| \le \tfrac12 u\,(1 + 10^{-9}) + 4\varepsilon|e| , \qquad \varepsilon = 2^{-52} , $$

that is when \(g\) is within half a unit of the key. So:

- the key correctly rounded to the stated precision always passes, and at a tie (the key is
  exactly halfway, like 0.8425 to 3 figures) *both* candidates pass (0.842 and 0.843): the
  slack \(10^{-9}u\) and the few units of float rounding \(4\varepsilon|e|\) cover a key that is
  the halfway point up to float error, so neither rounding rule (half up, half to even) is
  preferred;
- more digits pass as long as they are right to within half a unit (0.84249 for 0.8425);
- an answer off by more than half a unit fails (0.841 or 0.844 for 0.8425);
- the unit comes from the *key's* decade, so rounding across a power of 10 works both ways: 0.000992
  to 3 figures is 0.000992 (\(u = 10^{-6}\)), and 0.0009996 to 3 figures is 0.00100, which
  passes; a negative key behaves as its absolute value; very large and very small keys are the
  same relative problem (\(u\) is computed from the decade exactly, `_decade`);
- "exact" (integers, shapes, whole-number tensors and `precision: exact`) allows only float
  rounding (\(4\varepsilon|e|\)): `5`, `5.0` and `10/2` are all 5.

A misconception's value \(m\) is recognized by the same rule with \(m\) in the place of \(e\).

Keys built with an explicit `Tolerance` (허용 오차) and no precision (the oracle's float64
comparison in `studykit verify`, templates that still give `answer.tolerance`) are graded the
old way: \(|g - e| \le \text{abs} + \text{rel}\cdot|e|\), or with the tolerance's `sigfigs` by
the rule above.

Example:
    >>> close(0.843, 0.8425, Precision(sigfigs=3)), close(0.844, 0.8425, Precision(sigfigs=3))
    (True, False)
    >>> precision_format("number", Precision(sigfigs=3), "ko")
    '유효숫자 3자리로 답하십시오.'

Common mistakes:
    - Giving a key a tolerance of zero for a computed float: the student's correctly rounded
      answer is then wrong. Use a precision (`Precision(sigfigs=3)`, the default).
    - Stating more significant figures than the problem can tell apart, or fewer: a
      misconception whose value rounds like the key's is never reported (a correct answer wins)
      and `studykit verify` flags it; ask for more figures (or decimal places) then.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final, TypeAlias

from studykit.questions.answer_messages import _say, letter_range
from studykit.questions.answer_parser import FUNCTION_NAMES
from studykit.questions.answers import AnswerKind, number_options

__all__ = [
    "DEFAULT_PRECISION",
    "DEFAULT_TOLERANCE",
    "EXACT",
    "MAX_FIGURES",
    "Precision",
    "Rule",
    "Tolerance",
    "accepted_error",
    "close",
    "precision_format",
]

MAX_FIGURES: Final = 15
"""Most significant figures or decimal places a precision may ask for (a float holds ~16)."""
_EPSILON: Final = 2.0**-52
_TIE_SLACK: Final = 1e-9
"""Relative slack on half a rounding unit, so a key at a tie (up to float error) lets both
roundings pass."""
_WHOLE_SLACK: Final = 1e-6
"""How close \\(g/u\\) must be to a whole number for \\(g\\) to count as rounded to \\(u\\)."""


# --- tolerance and precision -------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerance:
    r"""How close a number must be to the key (허용 오차, tolerance), the way before precisions.

    A value \(g\) matches \(e\) when \(|g - e| \le \text{abs} + \text{rel}\cdot|e|\); with
    `sigfigs` set, when it agrees with \(e\) to that many significant figures instead (see
    `close`). All zero (the default) means exact. Keys now state a `Precision`; a tolerance is
    for comparisons that are not a student's (the oracle's float64 check in `studykit verify`)
    and for templates that still give `answer.tolerance`.

    Attributes:
        rel: Relative tolerance, a fraction of \(|e|\).
        abs: Absolute tolerance; with `sigfigs`, used only when the key is 0.
        sigfigs: Significant figures that must agree, or None.

    Raises:
        ValueError: A negative or non-finite tolerance, or `sigfigs` below 1.

    Examples:
        >>> close(0.2694, 0.26894, Tolerance(sigfigs=3))
        True
    """

    rel: float = 0.0
    abs: float = 0.0
    sigfigs: int | None = None

    def __post_init__(self) -> None:
        for name, value in (("rel", self.rel), ("abs", self.abs)):
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"tolerance {name} must be a finite number >= 0, got {value!r}")
        if self.sigfigs is not None and (
            isinstance(self.sigfigs, bool) or not isinstance(self.sigfigs, int) or self.sigfigs < 1
        ):
            raise ValueError(f"tolerance sigfigs must be an int >= 1, got {self.sigfigs!r}")


@dataclass(frozen=True)
class Precision:
    r"""How precisely an answer must be given (정밀도): what every prompt states.

    Significant figures (유효숫자) or decimal places (소수점 아래 자릿수), or, with neither,
    exactly. The module docstring has the grading rule: within half a rounding unit of the key.

    Attributes:
        sigfigs: Significant figures, 1 to `MAX_FIGURES`, or None.
        decimals: Decimal places, 0 to `MAX_FIGURES`, or None.
        fraction: Whether the statement offers a fraction too ("as a fraction (like 2/3) or as
            a decimal ..."), for keys such as \(k/n\); a fraction typed exactly is always right,
            so this changes only what the prompt says.

    Raises:
        ValueError: Both `sigfigs` and `decimals`, or one of them out of range.

    Examples:
        >>> close(0.843, 0.8425, Precision(sigfigs=3)), close(0.842, 0.8425, Precision(sigfigs=3))
        (True, True)
        >>> close(0.67, 2 / 3, Precision(sigfigs=3)), close(0.67, 2 / 3, Precision(decimals=2))
        (False, True)
        >>> Precision(decimals=2).unit(14.5585), Precision(sigfigs=3).unit(-0.000992)
        (0.01, 1e-06)
    """

    sigfigs: int | None = None
    decimals: int | None = None
    fraction: bool = False

    def __post_init__(self) -> None:
        for name, value, low in (("sigfigs", self.sigfigs, 1), ("decimals", self.decimals, 0)):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value:
                raise ValueError(f"precision {name} must be an int >= {low}, got {value!r}")
            if value > MAX_FIGURES:
                raise ValueError(f"precision {name} must be at most {MAX_FIGURES}, got {value}")
        if self.sigfigs is not None and self.decimals is not None:
            raise ValueError("a precision gives sigfigs or decimals, not both")
        if not isinstance(self.fraction, bool):
            raise ValueError(f"precision fraction must be true or false, got {self.fraction!r}")

    @property
    def exact(self) -> bool:
        """Whether only the exact value (up to float rounding) is right."""
        return self.sigfigs is None and self.decimals is None

    def unit(self, expected: float) -> float:
        r"""The rounding unit \(u\) at the key \(e\).

        \(10^{-d}\) for \(d\) decimal places; for \(n\) significant figures the place of the
        \(n\)-th significant digit of \(e\); 0 for \(e = 0\) there, and for an exact precision.
        """
        if self.decimals is not None:
            return _ten_to(-self.decimals)
        if self.sigfigs is None or expected == 0 or not math.isfinite(expected):
            return 0.0
        return _ten_to(_decade(abs(expected)) - self.sigfigs + 1)

    def coarser(self) -> tuple[Precision, ...]:
        """The precisions with fewer digits, nearest first (for "not precise enough")."""
        if self.sigfigs is not None:
            return tuple(Precision(sigfigs=n) for n in range(self.sigfigs - 1, 0, -1))
        if self.decimals is not None:
            return tuple(Precision(decimals=d) for d in range(self.decimals - 1, -1, -1))
        return ()

    def tolerance(self) -> Tolerance:
        """The nearest `Tolerance`, for readers of the old ``tolerance`` field."""
        return self._nearest_tolerance

    @cached_property
    def _nearest_tolerance(self) -> Tolerance:
        """`tolerance`, computed once per precision (a key is built for every variant)."""
        if self.decimals is not None:
            return Tolerance(abs=0.5 * _ten_to(-self.decimals))
        return Tolerance(sigfigs=self.sigfigs)

    def data(self) -> dict[str, Any]:
        """As JSON data: ``{"sigfigs": 3, "decimals": null, "fraction": false}``."""
        return {"sigfigs": self.sigfigs, "decimals": self.decimals, "fraction": self.fraction}


EXACT: Final = Precision()
"""The precision of integers, shapes and choices."""

DEFAULT_TOLERANCE: dict[AnswerKind, Tolerance] = {
    "number": Tolerance(rel=5e-3, abs=1e-6),
    "integer": Tolerance(),
    "tensor": Tolerance(rel=5e-3, abs=1e-6),
    "shape": Tolerance(),
    "choice": Tolerance(),
    # Expressions are compared as functions: this tolerance applies at the sample points only,
    # where it absorbs rounding between two equivalent ways of computing the same value.
    "expression": Tolerance(rel=1e-6, abs=1e-9),
}
"""The tolerance of a key built with neither precision nor tolerance, where it has no precision
(expressions), and what a template's ``answer.tolerance`` starts from."""

DEFAULT_PRECISION: dict[AnswerKind, Precision | None] = {
    "number": Precision(sigfigs=3),
    "integer": EXACT,
    "tensor": Precision(sigfigs=3),
    "shape": EXACT,
    "choice": EXACT,
    "expression": None,  # compared as a function at the sample points (DEFAULT_TOLERANCE)
}
"""The precision of a key that states none: 3 significant figures for floats, exact for the
rest; a template overrides it with ``answer.precision``."""

Rule: TypeAlias = Tolerance | Precision
"""What a comparison follows: the key's precision, or (without one) its tolerance."""


# --- the format statement ----------------------------------------------------------------------


def precision_format(
    kind: AnswerKind,
    precision: Precision | None,
    lang: str = "en",
    *,
    tolerance: Tolerance | None = None,
    options: Sequence[str] = (),
    variables: Sequence[str] = ("x",),
) -> str:
    r"""The format statement of `answer_format`, from its parts (no key needed).

    For a prompt shown before its key is computed (the terminal quiz shows the first prompt
    while torch loads): ``precision_format(template.kind, template.precision, lang,
    tolerance=template.tolerance, options=variant.choices("en"))`` (the options of fixed
    choices; auto choices need the key).

    Examples:
        >>> precision_format("tensor", Precision(decimals=2), "ko")
        '각 원소를 소수점 아래 2자리까지 답하십시오.'
        >>> precision_format("choice", Precision(), options=["yes", "no"])
        'Answer with the letter (A–B) or the number (1–2) of one option.'

    Args:
        kind: The answer kind.
        precision: The stated precision; None for a key graded by ``tolerance`` (or, without
            one, the kind's default), and for expressions.
        lang: `"en"` or `"ko"`.
        tolerance: The tolerance of a key without a precision.
        options: A choice question's option texts (their count bounds the letters).
        variables: An expression's variables.

    Returns:
        One sentence.
    """
    if kind in ("number", "tensor"):
        if precision is None and tolerance is None:
            precision = DEFAULT_PRECISION[kind]
        return _numeric_format(kind, precision, tolerance, lang)
    if kind == "integer":
        return _say(lang, "format_integer")
    if kind == "shape":
        return _say(lang, "format_shape")
    if kind == "choice":
        count = len(options)
        if not count:
            return _say(lang, "format_choice_any")
        letters = letter_range(count)
        if number_options(options) is not None:
            return _say(lang, "format_choice", letters=letters)
        numbers = "1" if count == 1 else f"1–{count}"
        return _say(lang, "format_choice_numbered", letters=letters, numbers=numbers)
    names = list(variables) or ["x"]
    joined = names[0]
    if len(names) > 1:
        joined = _say(lang, "variables_and", first=", ".join(names[:-1]), last=names[-1])
    return _say(lang, "format_expression", variables=joined, functions=FUNCTION_NAMES["expression"])


def _numeric_format(
    kind: AnswerKind, precision: Precision | None, tolerance: Tolerance | None, lang: str
) -> str:
    """The statement of a number or tensor key."""
    tensor = kind == "tensor"
    if precision is None and tolerance is not None:
        if tolerance.sigfigs is not None:
            precision = Precision(sigfigs=tolerance.sigfigs)
        elif tolerance.rel or tolerance.abs:
            within = f"{tolerance.rel * 100:g}%" if tolerance.rel else f"{tolerance.abs:g}"
            return _say(lang, f"format_{kind}_within", within=within)
    if precision is None:
        precision = EXACT
    start = (
        "format_tensor" if tensor else "format_fraction" if precision.fraction else "format_number"
    )
    if precision.sigfigs is not None:
        n = precision.sigfigs
        figures = "significant figure" if n == 1 else "significant figures"
        return _say(lang, f"{start}_sigfigs", n=n, figures=figures)
    if precision.decimals == 0:
        return _say(lang, f"{start}_whole")
    if precision.decimals is not None:
        n = precision.decimals
        places = "decimal place" if n == 1 else "decimal places"
        return _say(lang, f"{start}_decimals", n=n, places=places)
    return _say(lang, f"{start}_exact")


# --- comparing numbers -------------------------------------------------------------------------


def close(given: float, expected: float, tol: Rule) -> bool:
    r"""Whether a number is close enough to the expected one, by a precision or a tolerance.

    With a `Precision` (the keys' way): within half a rounding unit \(u\) of \(e\) (see
    `Precision.unit`), with a relative slack of \(10^{-9}\) on it and a few units of float
    rounding, so a correctly rounded answer passes, both of them at a tie:

    $$ |g - e| \le \tfrac12 u\,(1 + 10^{-9}) + 4\varepsilon|e| . $$

    An exact precision (\(u = 0\)) leaves only the float rounding.

    With a `Tolerance`: \(|g - e| \le \text{abs} + \text{rel}\cdot|e|\); with its `sigfigs`
    \(n\) (유효 숫자) and \(e \ne 0\), the rule above with \(u\) the place of the \(n\)-th
    significant digit of \(e\); with \(e = 0\), \(|g| \le \text{abs}\).

    Args:
        given: The student's value \(g\).
        expected: The key's value \(e\).
        tol: The precision or tolerance.

    Returns:
        True when \(g\) is close enough to \(e\); False for any non-finite input.

    Examples:
        >>> close(1.004, 1.0, Tolerance(rel=5e-3))
        True
        >>> close(1.239, 1.234, Tolerance(sigfigs=3)), close(1.2392, 1.234, Tolerance(sigfigs=3))
        (True, False)
        >>> close(14.6, 14.5585, Precision(sigfigs=3)), close(14.6, 14.5585, Precision(decimals=2))
        (True, False)

    Common mistakes:
        - Expecting the check to round both numbers and compare the roundings: the key alone
          fixes the interval, so for a key of 1.2351 at 2 figures anything in
          \([1.1851, 1.2851]\) counts, although 1.19 and 1.28 round differently from 1.2.
    """
    if not (math.isfinite(given) and math.isfinite(expected)):
        return False
    return abs(given - expected) <= accepted_error(expected, tol)


def accepted_error(expected: float, tol: Rule) -> float:
    r"""How far from \(e\) an answer may lie and still pass `close`: the half-width it accepts.

    The one number an exporter needs for a numeric answer with an absolute tolerance (a Moodle
    ``numerical`` answer, a QTI range): \(\tfrac12 u\,(1 + 10^{-9}) + 4\varepsilon|e|\) for a
    precision, \(\text{abs} + \text{rel}\cdot|e|\) for a plain tolerance.

    Examples:
        >>> accepted_error(0.8425, Precision(sigfigs=3)) > 0.0005
        True
        >>> accepted_error(2.0, Tolerance(rel=0.5, abs=0.25))
        1.25
    """
    float_error = 4 * _EPSILON * abs(expected)
    if isinstance(tol, Precision):
        return 0.5 * tol.unit(expected) * (1 + _TIE_SLACK) + float_error
    if tol.sigfigs is None:
        return tol.abs + tol.rel * abs(expected)
    if expected == 0:
        return tol.abs
    half_unit = 0.5 * _ten_to(_decade(abs(expected)) - tol.sigfigs + 1)
    return half_unit * (1 + _TIE_SLACK) + float_error


def _ten_to(k: int) -> float:
    """10 to the power k, correctly rounded (``10.0 ** 23`` is one unit off on glibc)."""
    return float(f"1e{k}")


def _decade(magnitude: float) -> int:
    r"""\(\lfloor \log_{10} m \rfloor\), corrected where `log10` rounds across a power of 10."""
    k = math.floor(math.log10(magnitude))
    if _ten_to(k) > magnitude:
        k -= 1
    elif k < 308 and _ten_to(k + 1) <= magnitude:
        k += 1
    return k


def _rounded_coarser(given: float, expected: float, precision: Precision) -> bool:
    r"""Whether `given` is `expected` correctly rounded to fewer digits than `precision` asks.

    `0.67` for \(2/3\) at 3 significant figures: a multiple of a coarser rounding unit, within
    half of it. Such an answer is "not precise enough" rather than wrong.
    """
    for coarse in precision.coarser():
        unit = coarse.unit(expected)
        if unit == 0:
            continue
        steps = given / unit
        if not math.isfinite(steps):
            continue
        if abs(steps - math.floor(steps + 0.5)) <= _WHOLE_SLACK and close(given, expected, coarse):
            return True
    return False
