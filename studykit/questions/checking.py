r"""Checking an answer (채점, grading) against the key, and naming the mistake when we can.

`check` parses the student's text with `studykit.questions.answers` and compares it with the key
of the question, in an order that gives the most useful message first:

1. **Shape** (tensor and shape kinds): a tensor of the wrong shape is wrong whatever its
   numbers, so the message is the shapes, e.g. "expected shape (2, 3), got (3, 2)". A plain
   number `2.5` (shape `()`) and the one-element tensor `[2.5]` (shape `(1,)`) are different.
2. **Values**, entry by entry, at the key's stated **precision** (정밀도, `Precision`): the
   precision every prompt states ("Give the answer to 3 significant figures.", `answer_format`).
   Integers, shapes and choices are exact; an expression is compared as a function (below).
   The message lists the first few wrong positions ("entries [0, 1] and [1, 0] are off").
3. **Misconceptions** (오개념): only when the answer is wrong, each known wrong answer is
   compared with it in order, at the same precision (a misconception's value rounded the way
   the prompt asks is recognized); the first that matches names the mistake and carries its
   feedback. A correct answer is never a misconception.
4. **Why else it is wrong**, when no misconception matched: "not precise enough" for an answer
   that is the key correctly rounded to fewer digits than asked (`0.67` for \(2/3\) at 3
   significant figures), "must be a whole number" for a non-whole entry where the key's entries
   are whole numbers (`[21.1, 2, 2]` for split sizes).

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

Keys built with an explicit `Tolerance` and no precision (the oracle's float64 comparison in
`studykit verify`, templates that still give `answer.tolerance`) are graded the old way:
\(|g - e| \le \text{abs} + \text{rel}\cdot|e|\), or with the tolerance's `sigfigs` by the rule
above.

Expressions are compared as functions, by evaluating both at \(N = 32\) sample points spread
evenly over the key's domain (정의역) \([a, b]\), by default \([-5, 5]\) (the variable ranges
over the real line unless the question says otherwise):

$$ x_k = a + (b - a)\,\frac{2k + 1}{2N}, \qquad k = 0, \dots, N - 1 , $$

which never hits \(a\), \(b\), \(0\) or an integer on the default domain (variable \(j\) of
point \(k\) takes \(x_{(k + 13j) \bmod N}\)). Where the key is undefined (a `log` of a
negative number, division by zero, a value over \(10^{300}\), ...) the point is skipped; the key
must be defined at `MIN_SAMPLE_POINTS` of them, or the answer "cannot be checked" (a question
error: its domain is wrong). An answer undefined where the key is defined is wrong ("undefined at
x = -4.84375 (log of a non-positive number in log(x))"); one that agrees within the tolerance
at every point where the key is defined is right. Everything is float arithmetic under the
parser's budgets (at most 2000 characters and 1000 tokens, exponents up to 1000, values up to
\(10^{300}\)), one walk of each tree for all \(N\) points (`evaluate_points`): a check takes
milliseconds whatever was typed (`python -m benchmarks.checks` measures the worst case on a
corpus of hostile answers). There is no symbolic simplification, and sympy is never imported.

Every message is given in English or Korean (`check(..., lang="ko")`, the table `MESSAGES`); the
browser's checker carries the same tables.

Common mistakes:
    - Giving a key a tolerance of zero for a computed float: the student's correctly rounded
      answer is then wrong. Use a precision (`Precision(sigfigs=3)`, the default).
    - Stating more significant figures than the problem can tell apart, or fewer: a
      misconception whose value rounds like the key's is never reported (a correct answer wins)
      and `studykit verify` flags it; ask for more figures (or decimal places) then.
    - An expression key defined on part of the real line only, such as `log(x - 10)`, without
      the domain the prompt states (`Key(..., domain=(10.0, 20.0))`): the default sample points
      miss where it is defined, and every answer "cannot be checked".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, TypeAlias

from studykit.questions.answers import (
    FUNCTION_NAMES,
    KINDS,
    LANGUAGES,
    Answer,
    AnswerError,
    AnswerKind,
    Nested,
    Node,
    evaluate,
    evaluate_points,
    letter_range,
    number_options,
    parse_answer,
    tensor_shape,
)

__all__ = [
    "DEFAULT_DOMAIN",
    "DEFAULT_PRECISION",
    "DEFAULT_TOLERANCE",
    "EXACT",
    "MAX_FIGURES",
    "MESSAGES",
    "SAMPLE_COUNT",
    "SAMPLE_POINTS",
    "Key",
    "KeyValue",
    "Misconception",
    "Precision",
    "Tolerance",
    "Verdict",
    "accepted_error",
    "answer_format",
    "check",
    "close",
    "key_rule",
    "matches",
    "precision_format",
    "sample_points",
]

KeyValue: TypeAlias = float | int | str | tuple[int, ...] | Sequence[Any] | Node
"""A key or misconception value: a number, nested lists, a shape, a letter or expression text
(any text is also read with the answer parser, so `"1/3"` works for a number key)."""

DEFAULT_DOMAIN: Final = (-5.0, 5.0)
"""Where an expression's variables range when the question names no domain."""
SAMPLE_COUNT: Final = 32
"""How many points expressions are compared at."""
SAMPLE_STRIDE: Final = 13
"""Variable `j` of point `k` takes the sample `(k + SAMPLE_STRIDE * j) % SAMPLE_COUNT`."""
MIN_SAMPLE_POINTS: Final = 8
"""Fewest sample points where the key's expression must be defined for a check to decide."""
MAX_DOMAIN: Final = 1e300
"""Largest \\(|a|\\) and \\(|b|\\) of a domain \\([a, b]\\)."""
MAX_FIGURES: Final = 15
"""Most significant figures or decimal places a precision may ask for (a float holds ~16)."""


def sample_points(domain: tuple[float, float] = DEFAULT_DOMAIN) -> tuple[float, ...]:
    r"""The points where expressions are compared: `SAMPLE_COUNT` points spread over `domain`.

    $$ x_k = a + (b - a)\,\frac{2k + 1}{2N}, \qquad k = 0, \dots, N - 1 $$

    the midpoints of \(N\) equal cells, so the ends of the domain (often where a function
    stops being defined) are never sampled.

    Args:
        domain: The interval \((a, b)\), \(a < b\).

    Returns:
        The points, increasing.

    Examples:
        >>> sample_points()[:3]
        (-4.84375, -4.53125, -4.21875)
        >>> sample_points((0.0, 1.0))[0]
        0.015625
    """
    lo, hi = domain
    n = SAMPLE_COUNT
    return tuple(lo + (hi - lo) * (2 * k + 1) / (2 * n) for k in range(n))


SAMPLE_POINTS: Final = sample_points()
"""The sample points of `DEFAULT_DOMAIN` (what `studykit verify` hands an expression oracle)."""
_MAX_LISTED: Final = 3
_EPSILON: Final = 2.0**-52
_TIE_SLACK: Final = 1e-9
"""Relative slack on half a rounding unit, so a key at a tie (up to float error) lets both
roundings pass."""
_WHOLE_SLACK: Final = 1e-6
"""How close \\(g/u\\) must be to a whole number for \\(g\\) to count as rounded to \\(u\\)."""


# --- messages ----------------------------------------------------------------------------------

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "correct": "correct",
        "incorrect": "incorrect",
        "shape": "expected shape {want}, got {got}",
        "one_element": " (write a one-element tensor in brackets, like [2.5])",
        "no_brackets": " (write a single number without brackets)",
        "entry_off": "entry {index} is off",
        "entries_off": "entries {indices} are off",
        "positions": "{first} and {last}",
        "positions_more": "{listed} and {count} more",
        "imprecise": "not precise enough. {format}",
        "entry_imprecise": "entry {index} is not precise enough. {format}",
        "entries_imprecise": "entries {indices} are not precise enough. {format}",
        "not_whole_entry": "entry {index} must be a whole number, got {value}",
        "not_equivalent": "not equivalent to the expected expression",
        "undefined_at": "undefined at {where} ({reason})",
        "cannot_check": (
            "cannot be checked: the expected expression is defined at fewer than {minimum} of "
            "the {count} sample points in [{lo}, {hi}]"
        ),
        "undecided": (
            "cannot be checked here: too few sample points where both expressions are defined"
        ),
        "format_number_sigfigs": "Give the answer to {n} {figures}.",
        "format_number_decimals": "Give the answer to {n} {places}.",
        "format_number_whole": "Give the answer rounded to a whole number.",
        "format_number_exact": "Give the exact value.",
        "format_number_within": "Give the answer to within {within} of the exact value.",
        "format_fraction_sigfigs": (
            "Give the answer as a fraction (like 2/3) or as a decimal to {n} {figures}."
        ),
        "format_fraction_decimals": (
            "Give the answer as a fraction (like 2/3) or as a decimal to {n} {places}."
        ),
        "format_fraction_whole": (
            "Give the answer as a fraction (like 2/3) or rounded to a whole number."
        ),
        "format_fraction_exact": "Give the exact value, as a fraction (like 2/3) or a decimal.",
        "format_tensor_sigfigs": "Give each entry to {n} {figures}.",
        "format_tensor_decimals": "Give each entry to {n} {places}.",
        "format_tensor_whole": "Give each entry rounded to a whole number.",
        "format_tensor_exact": "Give each entry exactly.",
        "format_tensor_within": "Give each entry to within {within} of the exact value.",
        "format_integer": "Give a whole number.",
        "format_shape": "Give the exact shape, like (2, 3).",
        "format_choice": "Answer with the letter of one option ({letters}).",
        "format_choice_numbered": (
            "Answer with the letter ({letters}) or the number ({numbers}) of one option."
        ),
        "format_choice_any": "Answer with the letter of one option.",
        "format_expression": (
            "Give a formula in {variables}, like 2x(1 - x); you may use + - * / ^, "
            "{functions}, pi and e."
        ),
        "variables_and": "{first} and {last}",
    },
    "ko": {
        "correct": "정답입니다",
        "incorrect": "틀렸습니다",
        "shape": "모양이 다릅니다: 정답은 {want}, 입력한 답은 {got}입니다",
        "one_element": " (원소가 하나인 텐서는 [2.5]처럼 대괄호로 씁니다)",
        "no_brackets": " (수 하나는 대괄호 없이 씁니다)",
        "entry_off": "인덱스 {index}의 원소가 틀렸습니다",
        "entries_off": "인덱스 {indices}의 원소가 틀렸습니다",
        "positions": "{first}, {last}",
        "positions_more": "{listed} 외 {count}개",
        "imprecise": "정밀도가 부족합니다. {format}",
        "entry_imprecise": "인덱스 {index} 원소의 정밀도가 부족합니다. {format}",
        "entries_imprecise": "인덱스 {indices} 원소의 정밀도가 부족합니다. {format}",
        "not_whole_entry": "인덱스 {index}의 원소는 정수여야 합니다: {value}",
        "not_equivalent": "정답 식과 같지 않습니다",
        "undefined_at": "{where}에서 정의되지 않습니다 ({reason})",
        "cannot_check": (
            "채점할 수 없습니다: 정답 식이 [{lo}, {hi}]의 표본점 {count}개 중 {minimum}개 "
            "미만에서만 정의됩니다"
        ),
        "undecided": "여기서는 채점할 수 없습니다: 두 식이 모두 정의되는 표본점이 너무 적습니다",
        "format_number_sigfigs": "유효숫자 {n}자리로 답하십시오.",
        "format_number_decimals": "소수점 아래 {n}자리까지 답하십시오.",
        "format_number_whole": "반올림해 정수로 답하십시오.",
        "format_number_exact": "정확한 값으로 답하십시오.",
        "format_number_within": "오차가 {within} 이내가 되도록 답하십시오.",
        "format_fraction_sigfigs": "분수(예: 2/3)나 유효숫자 {n}자리 소수로 답하십시오.",
        "format_fraction_decimals": (
            "분수(예: 2/3)나 소수점 아래 {n}자리까지의 소수로 답하십시오."
        ),
        "format_fraction_whole": "분수(예: 2/3)나 반올림한 정수로 답하십시오.",
        "format_fraction_exact": "분수(예: 2/3)나 소수로 정확한 값을 답하십시오.",
        "format_tensor_sigfigs": "각 원소를 유효숫자 {n}자리로 답하십시오.",
        "format_tensor_decimals": "각 원소를 소수점 아래 {n}자리까지 답하십시오.",
        "format_tensor_whole": "각 원소를 반올림해 정수로 답하십시오.",
        "format_tensor_exact": "각 원소를 정확한 값으로 답하십시오.",
        "format_tensor_within": "각 원소의 오차가 {within} 이내가 되도록 답하십시오.",
        "format_integer": "정수로 답하십시오.",
        "format_shape": "모양을 (2, 3)처럼 정확히 답하십시오.",
        "format_choice": "선택지의 글자({letters})로 답하십시오.",
        "format_choice_numbered": "선택지의 글자({letters})나 번호({numbers})로 답하십시오.",
        "format_choice_any": "선택지의 글자로 답하십시오.",
        "format_expression": (
            "{variables}에 대한 식으로 답하십시오(예: 2x(1 - x)). + - * / ^, {functions}, pi, "
            "e를 쓸 수 있습니다."
        ),
        "variables_and": "{first}, {last}",
    },
}
"""The checker's messages and format statements, per language (``str.format`` patterns).

The browser's checker carries the same table (tests/test_js_checker.py compares them)."""


def _say(lang: str, code: str, **fields: object) -> str:
    """Message ``code`` in ``lang`` (English for a language without messages)."""
    table = MESSAGES.get(lang, MESSAGES["en"])
    return table[code].format(**fields)


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


# --- keys and verdicts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    r"""The answer key (정답) of one question variant.

    Attributes:
        kind: The answer kind (see `studykit.questions.answers.parse_answer`).
        value: The correct value as plain Python: a float, an int, nested lists (use
            `tensor.tolist()`), a tuple of sizes, a letter, or expression text. Text is read
            with the same parser as answers, so `Key("number", "1/3")` works too.
        shape: The shape of `value` (as `Answer.shape`); computed when left as `()`, checked
            against the value otherwise.
        tolerance: An explicit tolerance (허용 오차) to grade by instead of a precision, or None.
            Left None, it is filled in: the precision's nearest tolerance, or
            `DEFAULT_TOLERANCE[kind]` (expressions).
        variables: The names an expression answer may use; empty (the default) means `x` and
            every other name in the key's expression.
        domain: The interval \\([a, b]\\) every variable of an expression ranges over, where the
            sample points lie: the domain the prompt states (e.g. `(0.0, 5.0)` for a formula
            in \\(\\log x\\)), `DEFAULT_DOMAIN` otherwise. Ignored by the other kinds.
        precision: The precision the prompt states (`answer_format`), or None for
            `DEFAULT_PRECISION[kind]` (filled in) when no tolerance is given. A key with a
            tolerance and no precision is graded by the tolerance and has none.
        options: The option texts of a choice question, as shown (in English): they bound the
            letters and let an option's number (or value) select it. Empty: any letter.
        expected: The key's value in the form a parsed answer has (filled in).

    Raises:
        ValueError: The value is not of the kind (ragged lists, `nan`, a bad letter, ...) or
            does not have the given shape, the domain is not an interval, or the precision does
            not fit the kind (integers, shapes and choices are exact; expressions have none).
        TypeError: The value has the wrong Python type.

    Examples:
        >>> Key("tensor", [[1, 2, 3], [4, 5, 6]]).shape
        (2, 3)
        >>> Key("expression", "w*(1-w)").variables
        ('x', 'w')
        >>> Key("number", 0.25).precision
        Precision(sigfigs=3, decimals=None, fraction=False)
    """

    kind: AnswerKind
    value: KeyValue
    shape: tuple[int, ...] = ()
    tolerance: Tolerance | None = None
    variables: tuple[str, ...] = ()
    domain: tuple[float, float] = DEFAULT_DOMAIN
    precision: Precision | None = None
    options: tuple[str, ...] = ()
    expected: Answer = field(init=False, repr=False, compare=False)

    def data(self) -> dict[str, Any]:
        """The key as JSON data for the site and ``show --json``.

        Kind, value and shape; the precision and the one-line ``format`` statement per language
        (`answer_format`); the options of a choice question; the domain and variables of an
        expression.
        """
        data: dict[str, Any] = {"kind": self.kind, "value": self.value, "shape": list(self.shape)}
        data["precision"] = None if self.precision is None else self.precision.data()
        data["format"] = {lang: answer_format(self, lang) for lang in LANGUAGES}
        if self.kind == "choice" and self.options:
            data["options"] = list(self.options)
        if self.kind == "expression":
            data["domain"] = list(self.domain)
            data["variables"] = list(self.variables)
        return data

    def format(self, lang: str = "en") -> str:
        """The one-line statement of how to answer (`answer_format`)."""
        return answer_format(self, lang)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"key kind must be one of {KINDS}, got {self.kind!r}")
        object.__setattr__(self, "domain", _domain(self.domain))
        object.__setattr__(self, "options", _options(self.options, self.kind))
        precision = self.precision
        if precision is None and self.tolerance is None:
            precision = DEFAULT_PRECISION[self.kind]
        _check_precision(precision, self.kind)
        object.__setattr__(self, "precision", precision)
        if self.tolerance is None:
            default = DEFAULT_TOLERANCE[self.kind]
            object.__setattr__(
                self, "tolerance", default if precision is None else precision.tolerance()
            )
        if not self.variables:
            found = _names_in(self.value) if self.kind == "expression" else ()
            object.__setattr__(self, "variables", ("x", *(n for n in found if n != "x")))
        expected = _as_answer(self.value, self.kind, self.variables, "key", self.options)
        if self.shape and tuple(self.shape) != expected.shape:
            raise ValueError(
                f"key shape {_shape_text(tuple(self.shape))} does not match the shape "
                f"{_shape_text(expected.shape)} of its value"
            )
        object.__setattr__(self, "shape", expected.shape)
        object.__setattr__(self, "expected", expected)


def _check_precision(precision: Precision | None, kind: AnswerKind) -> None:
    if precision is not None and not isinstance(precision, Precision):
        raise TypeError(f"key precision must be a Precision, got {type(precision).__name__}")
    if kind == "expression" and precision is not None:
        raise ValueError("an expression key has no precision (it is compared as a function)")
    if kind in ("integer", "shape", "choice") and precision is not None and not precision.exact:
        raise ValueError(f"a key of kind {kind!r} is exact: it takes no sigfigs or decimals")


def _options(options: object, kind: AnswerKind) -> tuple[str, ...]:
    if not options:
        return ()
    if kind != "choice":
        raise ValueError(f"only a choice key has options, not a key of kind {kind!r}")
    if not isinstance(options, tuple | list) or not all(isinstance(o, str) for o in options):
        raise TypeError(f"key options must be a sequence of texts, got {options!r}")
    if len(options) > 8:
        raise ValueError(f"a choice key has at most 8 options, got {len(options)}")
    return tuple(options)


@dataclass(frozen=True)
class Misconception:
    r"""A known wrong answer (오개념, misconception) and what to tell a student who gives it.

    Attributes:
        name: A short id such as `"forgot-mean"`.
        value: The wrong answer, in the same form as `Key.value` (its shape may differ from the
            key's: a transposed matrix is a typical misconception).
        feedback: One or two sentences explaining the mistake.
    """

    name: str
    value: KeyValue
    feedback: str


@dataclass(frozen=True)
class Verdict:
    r"""The result of `check`.

    Attributes:
        correct: Whether the answer matches the key.
        message: `"correct"`, or what is wrong ("expected shape (2, 3), got (3, 2)",
            "entries [0, 1] and [1, 0] are off", "incorrect", "not precise enough. ...", ...),
            in the language `check` was asked for.
        misconception: The name of the recognised misconception, if any.
        feedback: Its feedback, if any.
        wrong: For a tensor of the right shape, every wrong position (0-based index tuples).
    """

    correct: bool
    message: str
    misconception: str | None = None
    feedback: str | None = None
    wrong: tuple[tuple[int, ...], ...] = ()


# --- the format statement ----------------------------------------------------------------------


def answer_format(key: Key, lang: str = "en") -> str:
    r"""The one line that tells a student how to write the answer (답 쓰는 법), in ``lang``.

    Shown under every prompt (terminal and site; `Key.data` carries it per language as
    ``format``), so a student knows the precision the checker holds them to.

    Args:
        key: The key.
        lang: `"en"` or `"ko"` (English for any other).

    Returns:
        One sentence, such as "Give the answer to 3 significant figures." or
        "유효숫자 3자리로 답하십시오.".

    Examples:
        >>> answer_format(Key("number", 0.8425))
        'Give the answer to 3 significant figures.'
        >>> answer_format(Key("number", 0.8425), "ko")
        '유효숫자 3자리로 답하십시오.'
        >>> answer_format(Key("choice", "B", options=("yes", "no", "maybe")), "ko")
        '선택지의 글자(A–C)나 번호(1–3)로 답하십시오.'
    """
    return precision_format(
        key.kind,
        key.precision,
        lang,
        tolerance=key.tolerance,
        options=key.options,
        variables=key.variables,
    )


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
    ``numerical`` answer, a QTI range): \(	frac12 u\,(1 + 10^{-9}) + 4arepsilon|e|\) for a
    precision, \(	ext{abs} + 	ext{rel}\cdot|e|\) for a plain tolerance.

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


def key_rule(key: Key) -> Rule:
    """The precision (or, for older keys, the tolerance) a key is graded by."""
    return _rule(key)


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


def matches(value: KeyValue, key: Key) -> bool:
    r"""Whether a computed value (not text) would be accepted as the key.

    The comparison is the one `check` makes, shape first and at the key's precision (or
    tolerance); use it to compare a misconception's value or an oracle's result with the key.

    Args:
        value: A value in the form of `Key.value`.
        key: The key.

    Returns:
        True when `value` matches the key.

    Examples:
        >>> matches([[1.0, 2.001]], Key("tensor", [[1, 2]]))
        True
        >>> matches((3, 2), Key("shape", (2, 3)))
        False
    """
    given = _as_answer(value, key.kind, key.variables, "value", key.options)
    return _compare(given, key.expected, _rule(key), key, "en").correct


def check(
    text: str, key: Key, misconceptions: Sequence[Misconception] = (), lang: str = "en"
) -> Verdict:
    r"""Check a typed answer against the key (채점).

    Args:
        text: What the student typed.
        key: The answer key.
        misconceptions: Known wrong answers, in order; the first that the answer matches (at
            the key's precision, around the misconception's own value) is reported.
        lang: The language of the messages (`"en"` or `"ko"`; English for any other): the
            verdict's message and the `AnswerError`'s `str()`.

    Returns:
        The verdict: correct, or the message, the wrong positions and any misconception.

    Raises:
        AnswerError: `text` cannot be read as an answer of `key.kind` (show the message to the
            student and let them try again), and an empty answer.
        ValueError: A misconception's value is invalid for the key's kind (a question bug).

    Examples:
        >>> key = Key("number", 0.25)
        >>> check("1/4", key).message
        'correct'
        >>> mistake = Misconception("forgot-square", 0.5, "Square the error before averaging.")
        >>> check("0.5", key, [mistake]).misconception
        'forgot-square'
        >>> check("0.67", Key("number", 2 / 3), lang="ko").message
        '정밀도가 부족합니다. 유효숫자 3자리로 답하십시오.'
    """
    given = parse_answer(text, key.kind, variables=key.variables, options=key.options, lang=lang)
    rule = _rule(key)
    # An expression's values are computed once, for the key and every misconception.
    samples = _Samples(given, key) if key.kind == "expression" else None
    verdict = _compare(given, key.expected, rule, key, lang, samples)
    if verdict.correct:
        return verdict
    for mistake in misconceptions:
        wrong = _as_answer(
            mistake.value, key.kind, key.variables, f"misconception {mistake.name!r}", key.options
        )
        if _compare(given, wrong, rule, key, lang, samples).correct:
            return replace(verdict, misconception=mistake.name, feedback=mistake.feedback)
    return _explain(given, key, verdict, lang)


def _explain(given: Answer, key: Key, verdict: Verdict, lang: str) -> Verdict:
    """Say why a number or tensor answer of the right shape is wrong, where we can tell.

    A non-whole entry where the key's entries are whole numbers (exact tensors), and an answer
    whose every wrong entry is the key's entry correctly rounded to fewer digits than asked.
    """
    precision = key.precision
    expected = key.expected
    if precision is None or key.kind not in ("number", "tensor") or given.shape != expected.shape:
        return verdict
    g, e = _flatten(given.value), _flatten(expected.value)
    shape = expected.shape
    if precision.exact:
        if key.kind == "tensor" and all(v == math.floor(v) for v in e):
            for i, v in enumerate(g):
                if v != math.floor(v):
                    index = _index_text(_unravel(i, shape))
                    message = _say(lang, "not_whole_entry", index=index, value=repr(v))
                    return replace(verdict, message=message)
        return verdict
    wrong = [i for i in range(len(e)) if not close(g[i], e[i], precision)]
    if not wrong or not all(_rounded_coarser(g[i], e[i], precision) for i in wrong):
        return verdict
    stated = answer_format(key, lang)
    if not shape:
        return replace(verdict, message=_say(lang, "imprecise", format=stated))
    positions = [_unravel(i, shape) for i in wrong]
    if len(positions) == 1:
        message = _say(lang, "entry_imprecise", index=_index_text(positions[0]), format=stated)
    else:
        message = _say(
            lang, "entries_imprecise", indices=_positions(positions, lang), format=stated
        )
    return replace(verdict, message=message)


# --- comparison, shared by check and matches -------------------------------------------------


def _rule(key: Key) -> Rule:
    if key.precision is not None:
        return key.precision
    return key.tolerance if key.tolerance is not None else DEFAULT_TOLERANCE[key.kind]


def _compare(
    given: Answer,
    expected: Answer,
    rule: Rule,
    key: Key,
    lang: str,
    samples: _Samples | None = None,
) -> Verdict:
    """Compare two parsed values of the same kind; `samples` are `given`'s, if computed before."""
    kind = expected.kind
    if kind in ("tensor", "shape") and given.shape != expected.shape:
        return Verdict(False, _shape_message(given, expected, lang))
    if kind == "tensor":
        return _compare_tensors(given.value, expected.value, expected.shape, rule, lang)
    if kind == "expression":
        return _compare_expressions(given, expected, rule, key, lang, samples)
    if kind in ("number", "integer"):
        same = close(_number(given.value), _number(expected.value), rule)
    else:
        same = given.value == expected.value
    if same:
        return Verdict(True, _say(lang, "correct"))
    if kind == "shape":
        return Verdict(False, _shape_message(given, expected, lang))
    return Verdict(False, _say(lang, "incorrect"))


def _shape_message(given: Answer, expected: Answer, lang: str) -> str:
    if expected.kind == "shape":
        want, got = _number_tuple(expected.value), _number_tuple(given.value)
    else:
        want, got = expected.shape, given.shape
    message = _say(lang, "shape", want=_shape_text(want), got=_shape_text(got))
    if expected.kind == "tensor" and want == (1,) and got == ():
        message += _say(lang, "one_element")
    elif expected.kind == "tensor" and want == () and got == (1,):
        message += _say(lang, "no_brackets")
    return message


def _compare_tensors(
    given: object, expected: object, shape: tuple[int, ...], rule: Rule, lang: str
) -> Verdict:
    g, e = _flatten(given), _flatten(expected)
    wrong = tuple(_unravel(i, shape) for i in range(len(e)) if not close(g[i], e[i], rule))
    if not wrong:
        return Verdict(True, _say(lang, "correct"))
    if not shape:
        return Verdict(False, _say(lang, "incorrect"), wrong=wrong)
    if len(wrong) == 1:
        return Verdict(False, _say(lang, "entry_off", index=_index_text(wrong[0])), wrong=wrong)
    return Verdict(False, _say(lang, "entries_off", indices=_positions(wrong, lang)), wrong=wrong)


def _positions(wrong: Sequence[tuple[int, ...]], lang: str) -> str:
    """Two or more positions for a message: `[0], [2] and [4]`, `[0, 0], ... and 2 more`."""
    listed = [_index_text(index) for index in wrong[:_MAX_LISTED]]
    if len(wrong) > _MAX_LISTED:
        count = len(wrong) - _MAX_LISTED
        return _say(lang, "positions_more", listed=", ".join(listed), count=count)
    return _say(lang, "positions", first=", ".join(listed[:-1]), last=listed[-1])


# --- expressions -------------------------------------------------------------------------------


NOT_EQUIVALENT: Final = MESSAGES["en"]["not_equivalent"]


class _Samples:
    """An expression's values at the sample points of one key, computed on first use.

    All points at once (`evaluate_points`), NaN where the expression is undefined. The student's
    answer is compared with the key and then with each misconception: its values are computed
    once for all of them.
    """

    def __init__(self, answer: Answer, key: Key) -> None:
        self.node = _node(answer.value)
        self.text = answer.text
        self.variables = key.variables
        points = sample_points(key.domain)
        n = len(points)
        self.columns = {
            name: [points[(k + SAMPLE_STRIDE * j) % n] for k in range(n)]
            for j, name in enumerate(key.variables)
        }
        self._values: list[float] | None = None

    @property
    def values(self) -> list[float]:
        """The value at each point, NaN where there is none."""
        if self._values is None:
            self._values = evaluate_points(self.node, self.columns)
        return self._values

    def where(self, k: int) -> str:
        """Point `k` for a message: `x = -4.84375` (`x = 0.15625, w = -0.78125`, ...)."""
        return ", ".join(f"{name} = {self.columns[name][k]!r}" for name in self.variables)

    def why_undefined(self, k: int, lang: str) -> str:
        """The message of `evaluate` at point `k`, where the value is NaN, in ``lang``."""
        env = {name: column[k] for name, column in self.columns.items()}
        try:
            evaluate(self.node, env, source=self.text)
        except AnswerError as error:
            return error.in_language(lang)
        return "not a number"  # unreachable: evaluate_points is NaN exactly where this raises


def _compare_expressions(
    given: Answer, expected: Answer, rule: Rule, key: Key, lang: str, samples: _Samples | None
) -> Verdict:
    """Compare an expression answer with the key's (or a misconception's) at the sample points."""
    if samples is None:
        samples = _Samples(given, key)
    wanted = _Samples(expected, key)
    agree = _agree_at_samples(samples, wanted, rule)
    if agree is None:
        return Verdict(False, _too_few_message(key, lang))
    if agree:
        return Verdict(True, _say(lang, "correct"))
    return Verdict(False, _disagreement(samples, wanted, rule, lang))


def _agree_at_samples(given: _Samples, expected: _Samples, rule: Rule) -> bool | None:
    """Whether the answer agrees with the expected side wherever that is defined.

    None when the expected side is defined at fewer than `MIN_SAMPLE_POINTS` points: nothing
    can be concluded then (the question's domain is wrong). tests/test_js_checker.py watches
    this function: where it gives None, the browser's checker must say "cannot be checked".
    """
    wanted = expected.values
    defined = [k for k, value in enumerate(wanted) if not math.isnan(value)]
    if len(defined) < MIN_SAMPLE_POINTS:
        return None
    values = given.values
    return all(close(values[k], wanted[k], rule) for k in defined)  # NaN is never close


def _disagreement(given: _Samples, expected: _Samples, rule: Rule, lang: str) -> str:
    """What is wrong at the first point where the answer and the expected side disagree."""
    values, wanted = given.values, expected.values
    for k, want in enumerate(wanted):
        if math.isnan(want):
            continue
        if math.isnan(values[k]):
            reason = given.why_undefined(k, lang)
            return _say(lang, "undefined_at", where=given.where(k), reason=reason)
        if not close(values[k], want, rule):
            break
    return _say(lang, "not_equivalent")


def _too_few_message(key: Key, lang: str) -> str:
    lo, hi = key.domain
    return _say(
        lang,
        "cannot_check",
        minimum=MIN_SAMPLE_POINTS,
        count=SAMPLE_COUNT,
        lo=f"{lo:g}",
        hi=f"{hi:g}",
    )


def _domain(domain: object) -> tuple[float, float]:
    """Check a key's domain and return it as two floats."""
    try:
        lo, hi = (float(end) for end in domain)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise ValueError(f"key domain must be two numbers (a, b), got {domain!r}") from None
    if not (-MAX_DOMAIN <= lo < hi <= MAX_DOMAIN):
        raise ValueError(
            f"key domain must be an interval (a, b) with a < b, both finite and at most "
            f"{MAX_DOMAIN:g} in size, got {domain!r}"
        )
    return lo, hi


# --- plain values ----------------------------------------------------------------------------


def _as_answer(
    value: object,
    kind: AnswerKind,
    variables: tuple[str, ...],
    what: str,
    options: tuple[str, ...] = (),
) -> Answer:
    """Turn a key or misconception value into the `Answer` a parse of its text would give."""
    if isinstance(value, str):
        try:
            return parse_answer(value, kind, variables=variables, options=options)
        except AnswerError as error:
            raise ValueError(f"invalid {what} {value!r} for kind {kind!r}: {error}") from error
    if kind == "expression" and isinstance(value, Node):
        return Answer(kind, value, (), "")
    if kind in ("choice", "expression"):
        raise TypeError(f"{what} of kind {kind!r} must be text, got {type(value).__name__}")
    if kind == "shape":
        if not isinstance(value, tuple | list) or not all(_is_size(v) for v in value):
            raise TypeError(f"{what} of kind 'shape' must be a tuple of sizes, got {value!r}")
        dims = tuple(int(v) for v in value)
        return Answer(kind, dims, (len(dims),), "")
    if kind == "tensor":
        nested = _to_nested(value, what)
        try:
            return Answer(kind, nested, tensor_shape(nested), "")
        except AnswerError as error:
            raise ValueError(f"{what} is not a rectangular tensor: {error}") from error
    number = _to_float(value, what)
    if kind == "number":
        return Answer(kind, number, (), "")
    if number != math.floor(number):
        raise ValueError(f"{what} of kind 'integer' must be a whole number, got {value!r}")
    return Answer(kind, int(number), (), "")


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _to_float(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number, got {type(value).__name__}")
    number = float(value)
    if not (math.isfinite(number) and abs(number) <= 1e300):
        raise ValueError(f"{what} must be finite and at most 1e300 in size, got {value!r}")
    return number


def _to_nested(value: object, what: str) -> Nested:
    if isinstance(value, list | tuple):
        if all(type(item) is float and -1e300 <= item <= 1e300 for item in value):
            return list(value)  # a row of finite floats: the usual case, checked in one pass
        return [_to_nested(item, what) for item in value]
    return _to_float(value, what)


def _names_in(value: object) -> tuple[str, ...]:
    """The variable names of an expression key (names that are not functions or constants)."""
    if not isinstance(value, str):
        return ()
    # Number literals first: the e in 1e5 or 2.5E-3 is not a variable.
    text = _NUMBER_LITERAL.sub(" ", value)
    found: list[str] = []
    word = ""
    for ch in text + " ":
        if ch.isascii() and (ch.isalnum() or ch == "_") and (word or not ch.isdigit()):
            word += ch
            continue
        if word and word not in found and word not in _NOT_VARIABLES:
            found.append(word)
        word = ""
    return tuple(found)


_NUMBER_LITERAL: Final = re.compile(
    r"(?<![A-Za-z0-9_.])(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)
_NOT_VARIABLES: Final = (
    *("sqrt", "exp", "log", "ln", "sin", "cos", "tanh", "sinh", "cosh", "sech", "sigmoid"),
    *("softplus", "relu", "abs", "pi", "e"),
)


def _number(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _node(value: object) -> Node:
    if isinstance(value, Node):
        return value
    raise TypeError(f"expected an expression tree, got {type(value).__name__}")


def _number_tuple(value: object) -> tuple[int, ...]:
    if isinstance(value, tuple):
        return tuple(int(v) for v in value)
    raise TypeError(f"expected a tuple of sizes, got {type(value).__name__}")


def _flatten(value: object) -> list[float]:
    """Entries in row-major order (the order of `tensor.flatten()`)."""
    if isinstance(value, list):
        return [x for item in value for x in _flatten(item)]
    return [_number(value)]


def _unravel(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The index tuple of the `flat`-th entry in row-major order."""
    index: list[int] = []
    for size in reversed(shape):
        index.append(flat % size)
        flat //= size
    return tuple(reversed(index))


def _index_text(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _shape_text(shape: tuple[int, ...]) -> str:
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(size) for size in shape) + ")"
