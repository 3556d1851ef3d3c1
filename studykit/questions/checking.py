r"""Checking an answer (채점, grading) against the key, and naming the mistake when we can.

`check` parses the student's text with `studykit.questions.answers` and compares it with the key
of the question, in an order that gives the most useful message first:

1. **Shape** (tensor and shape kinds): a tensor of the wrong shape is wrong whatever its
   numbers, so the message is the shapes, e.g. "expected shape (2, 3), got (3, 2)". A plain
   number `2.5` (shape `()`) and the one-element tensor `[2.5]` (shape `(1,)`) are different.
2. **Values**, entry by entry, within the key's tolerance (허용 오차):
   $$ |g - e| \le \text{abs} + \text{rel}\cdot|e| , $$
   or, with `sigfigs` \(n\), agreement to \(n\) significant figures (유효 숫자):
   $$ |g - e| \le \tfrac12 \cdot 10^{\lfloor \log_{10} |e| \rfloor - n + 1}\,(1 + 10^{-9})
      + 4\varepsilon|e| , $$
   where \(\varepsilon = 2^{-52}\) (float rounding, so a value typed exactly on the boundary
   counts even at 9 or more figures). The message lists the first few wrong positions
   ("entries [0, 1] and [1, 0] are off"). Integers, shapes and choices are exact; an
   expression is compared as a function (below).
3. **Misconceptions** (오개념): only when the answer is wrong, each known wrong answer is
   compared with it in order, with the same code and the key's tolerance; the first that
   matches names the mistake and carries its feedback. A correct answer is never a
   misconception.

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

Common mistakes:
    - Giving a key a tolerance of zero for a computed float: the student's correctly rounded
      answer is then wrong. Use the default, or `sigfigs` when the prompt asks for a rounding.
    - Listing a misconception whose value is within tolerance of the key: it can never be
      reported (a correct answer wins) and `studykit verify` flags it.
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
    KINDS,
    Answer,
    AnswerError,
    AnswerKind,
    Nested,
    Node,
    evaluate,
    evaluate_points,
    parse_answer,
    tensor_shape,
)

__all__ = [
    "DEFAULT_DOMAIN",
    "DEFAULT_TOLERANCE",
    "SAMPLE_COUNT",
    "SAMPLE_POINTS",
    "Key",
    "KeyValue",
    "Misconception",
    "Tolerance",
    "Verdict",
    "check",
    "close",
    "matches",
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


@dataclass(frozen=True)
class Tolerance:
    r"""How close a number must be to the key (허용 오차, tolerance).

    A value \(g\) matches \(e\) when \(|g - e| \le \text{abs} + \text{rel}\cdot|e|\); with
    `sigfigs` set, when it agrees with \(e\) to that many significant figures instead (see
    `close`). All zero (the default) means exact.

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
"""The tolerance of a key that names none: 0.5% for floats, exact for the rest."""


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
        tolerance: The tolerance, or None for `DEFAULT_TOLERANCE[kind]` (filled in).
        variables: The names an expression answer may use; empty (the default) means `x` and
            every other name in the key's expression.
        domain: The interval \\([a, b]\\) every variable of an expression ranges over, where the
            sample points lie: the domain the prompt states (e.g. `(0.0, 5.0)` for a formula
            in \\(\\log x\\)), `DEFAULT_DOMAIN` otherwise. Ignored by the other kinds.
        expected: The key's value in the form a parsed answer has (filled in).

    Raises:
        ValueError: The value is not of the kind (ragged lists, `nan`, a bad letter, ...) or
            does not have the given shape, or the domain is not an interval.
        TypeError: The value has the wrong Python type.

    Examples:
        >>> Key("tensor", [[1, 2, 3], [4, 5, 6]]).shape
        (2, 3)
        >>> Key("expression", "w*(1-w)").variables
        ('x', 'w')
    """

    kind: AnswerKind
    value: KeyValue
    shape: tuple[int, ...] = ()
    tolerance: Tolerance | None = None
    variables: tuple[str, ...] = ()
    domain: tuple[float, float] = DEFAULT_DOMAIN
    expected: Answer = field(init=False, repr=False, compare=False)

    def data(self) -> dict[str, Any]:
        """The key as JSON data for the site and ``show --json``.

        Kind, value and shape, and the domain of an expression.
        """
        data: dict[str, Any] = {"kind": self.kind, "value": self.value, "shape": list(self.shape)}
        if self.kind == "expression":
            data["domain"] = list(self.domain)
        return data

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"key kind must be one of {KINDS}, got {self.kind!r}")
        object.__setattr__(self, "domain", _domain(self.domain))
        if self.tolerance is None:
            object.__setattr__(self, "tolerance", DEFAULT_TOLERANCE[self.kind])
        if not self.variables:
            found = _names_in(self.value) if self.kind == "expression" else ()
            object.__setattr__(self, "variables", ("x", *(n for n in found if n != "x")))
        expected = _as_answer(self.value, self.kind, self.variables, "key")
        if self.shape and tuple(self.shape) != expected.shape:
            raise ValueError(
                f"key shape {_shape_text(tuple(self.shape))} does not match the shape "
                f"{_shape_text(expected.shape)} of its value"
            )
        object.__setattr__(self, "shape", expected.shape)
        object.__setattr__(self, "expected", expected)


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
            "entries [0, 1] and [1, 0] are off", "incorrect", ...).
        misconception: The name of the recognised misconception, if any.
        feedback: Its feedback, if any.
        wrong: For a tensor of the right shape, every wrong position (0-based index tuples).
    """

    correct: bool
    message: str
    misconception: str | None = None
    feedback: str | None = None
    wrong: tuple[tuple[int, ...], ...] = ()


def close(given: float, expected: float, tol: Tolerance) -> bool:
    r"""Whether a number is within tolerance of the expected one.

    $$ |g - e| \le \text{abs} + \text{rel}\cdot|e| $$

    With `sigfigs` \(n\) (유효 숫자, significant figures) and \(e \ne 0\) the test is agreement
    to \(n\) significant figures instead: within half a unit of the \(n\)-th significant digit
    of \(e\). A relative slack of \(10^{-9}\) and a few units of float rounding
    (\(\varepsilon = 2^{-52}\)) make a value typed exactly on the boundary count:
    $$ |g - e| \le \tfrac12 \cdot 10^{\lfloor \log_{10} |e| \rfloor - n + 1}\,(1 + 10^{-9})
       + 4\varepsilon|e| . $$
    With \(e = 0\) there is no first significant digit, so `abs` is used: \(|g| \le
    \text{abs}\).

    Args:
        given: The student's value \(g\).
        expected: The key's value \(e\).
        tol: The tolerance.

    Returns:
        True when \(g\) is close enough to \(e\); False for any non-finite input.

    Examples:
        >>> close(1.004, 1.0, Tolerance(rel=5e-3))
        True
        >>> close(1.239, 1.234, Tolerance(sigfigs=3)), close(1.2392, 1.234, Tolerance(sigfigs=3))
        (True, False)

    Common mistakes:
        - Expecting `sigfigs` to round both numbers and compare the roundings: the key alone
          fixes the interval, so for a key of 1.2351 at 2 figures anything in
          \([1.1851, 1.2851]\) counts, although 1.19 and 1.28 round differently from 1.2.
    """
    if not (math.isfinite(given) and math.isfinite(expected)):
        return False
    diff = abs(given - expected)
    if tol.sigfigs is None:
        return diff <= tol.abs + tol.rel * abs(expected)
    if expected == 0:
        return diff <= tol.abs
    half_unit = 0.5 * _ten_to(_decade(abs(expected)) - tol.sigfigs + 1)
    return diff <= half_unit * (1 + 1e-9) + 4 * _EPSILON * abs(expected)


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


def matches(value: KeyValue, key: Key) -> bool:
    r"""Whether a computed value (not text) would be accepted as the key.

    The comparison is the one `check` makes, shape first and within the key's tolerance; use it
    to compare a misconception's value or an oracle's result with the key.

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
    given = _as_answer(value, key.kind, key.variables, "value")
    return _compare(given, key.expected, _tolerance(key), key).correct


def check(text: str, key: Key, misconceptions: Sequence[Misconception] = ()) -> Verdict:
    r"""Check a typed answer against the key (채점).

    Args:
        text: What the student typed.
        key: The answer key.
        misconceptions: Known wrong answers, in order; the first within the key's tolerance of a
            wrong answer is reported.

    Returns:
        The verdict: correct, or the message, the wrong positions and any misconception.

    Raises:
        AnswerError: `text` cannot be read as an answer of `key.kind` (show the message to the
            student and let them try again).
        ValueError: A misconception's value is invalid for the key's kind (a question bug).

    Examples:
        >>> key = Key("number", 0.25)
        >>> check("1/4", key).message
        'correct'
        >>> mistake = Misconception("forgot-square", 0.5, "Square the error before averaging.")
        >>> check("0.5", key, [mistake]).misconception
        'forgot-square'
    """
    given = parse_answer(text, key.kind, variables=key.variables)
    tol = _tolerance(key)
    # An expression's values are computed once, for the key and every misconception.
    samples = _Samples(given, key) if key.kind == "expression" else None
    verdict = _compare(given, key.expected, tol, key, samples)
    if verdict.correct:
        return verdict
    for mistake in misconceptions:
        wrong = _as_answer(
            mistake.value, key.kind, key.variables, f"misconception {mistake.name!r}"
        )
        if _compare(given, wrong, tol, key, samples).correct:
            return replace(verdict, misconception=mistake.name, feedback=mistake.feedback)
    return verdict


# --- comparison, shared by check and matches -------------------------------------------------


def _tolerance(key: Key) -> Tolerance:
    return key.tolerance if key.tolerance is not None else DEFAULT_TOLERANCE[key.kind]


def _compare(
    given: Answer, expected: Answer, tol: Tolerance, key: Key, samples: _Samples | None = None
) -> Verdict:
    """Compare two parsed values of the same kind; `samples` are `given`'s, if computed before."""
    kind = expected.kind
    if kind in ("tensor", "shape") and given.shape != expected.shape:
        return Verdict(False, _shape_message(given, expected))
    if kind == "tensor":
        return _compare_tensors(given.value, expected.value, expected.shape, tol)
    if kind == "expression":
        return _compare_expressions(given, expected, tol, key, samples)
    if kind in ("number", "integer"):
        same = close(_number(given.value), _number(expected.value), tol)
    else:
        same = given.value == expected.value
    if same:
        return Verdict(True, "correct")
    if kind == "shape":
        return Verdict(False, _shape_message(given, expected))
    return Verdict(False, "incorrect")


def _shape_message(given: Answer, expected: Answer) -> str:
    if expected.kind == "shape":
        want, got = _number_tuple(expected.value), _number_tuple(given.value)
    else:
        want, got = expected.shape, given.shape
    message = f"expected shape {_shape_text(want)}, got {_shape_text(got)}"
    if expected.kind == "tensor" and want == (1,) and got == ():
        message += " (write a one-element tensor in brackets, like [2.5])"
    elif expected.kind == "tensor" and want == () and got == (1,):
        message += " (write a single number without brackets)"
    return message


def _compare_tensors(
    given: object, expected: object, shape: tuple[int, ...], tol: Tolerance
) -> Verdict:
    g, e = _flatten(given), _flatten(expected)
    wrong = tuple(_unravel(i, shape) for i in range(len(e)) if not close(g[i], e[i], tol))
    if not wrong:
        return Verdict(True, "correct")
    if not shape:
        return Verdict(False, "incorrect", wrong=wrong)
    listed = [_index_text(index) for index in wrong[:_MAX_LISTED]]
    if len(wrong) == 1:
        return Verdict(False, f"entry {listed[0]} is off", wrong=wrong)
    if len(wrong) > _MAX_LISTED:
        listed.append(f"{len(wrong) - _MAX_LISTED} more")
    text = ", ".join(listed[:-1]) + " and " + listed[-1]
    return Verdict(False, f"entries {text} are off", wrong=wrong)


# --- expressions -------------------------------------------------------------------------------


NOT_EQUIVALENT: Final = "not equivalent to the expected expression"


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

    def why_undefined(self, k: int) -> str:
        """The message of `evaluate` at point `k`, where the value is NaN."""
        env = {name: column[k] for name, column in self.columns.items()}
        try:
            evaluate(self.node, env, source=self.text)
        except AnswerError as error:
            return str(error)
        return "not a number"  # unreachable: evaluate_points is NaN exactly where this raises


def _compare_expressions(
    given: Answer, expected: Answer, tol: Tolerance, key: Key, samples: _Samples | None
) -> Verdict:
    """Compare an expression answer with the key's (or a misconception's) at the sample points."""
    if samples is None:
        samples = _Samples(given, key)
    wanted = _Samples(expected, key)
    agree = _agree_at_samples(samples, wanted, tol)
    if agree is None:
        return Verdict(False, _too_few_message(key))
    if agree:
        return Verdict(True, "correct")
    return Verdict(False, _disagreement(samples, wanted, tol))


def _agree_at_samples(given: _Samples, expected: _Samples, tol: Tolerance) -> bool | None:
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
    return all(close(values[k], wanted[k], tol) for k in defined)  # NaN is never close


def _disagreement(given: _Samples, expected: _Samples, tol: Tolerance) -> str:
    """What is wrong at the first point where the answer and the expected side disagree."""
    values, wanted = given.values, expected.values
    for k, want in enumerate(wanted):
        if math.isnan(want):
            continue
        if math.isnan(values[k]):
            return f"undefined at {given.where(k)} ({given.why_undefined(k)})"
        if not close(values[k], want, tol):
            break
    return NOT_EQUIVALENT


def _too_few_message(key: Key) -> str:
    lo, hi = key.domain
    return (
        f"cannot be checked: the expected expression is defined at fewer than "
        f"{MIN_SAMPLE_POINTS} of the {SAMPLE_COUNT} sample points in [{lo:g}, {hi:g}]"
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


def _as_answer(value: object, kind: AnswerKind, variables: tuple[str, ...], what: str) -> Answer:
    """Turn a key or misconception value into the `Answer` a parse of its text would give."""
    if isinstance(value, str):
        try:
            return parse_answer(value, kind, variables=variables)
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
_NOT_VARIABLES: Final = ("sqrt", "exp", "log", "ln", "sin", "cos", "tanh", "pi", "e")


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
