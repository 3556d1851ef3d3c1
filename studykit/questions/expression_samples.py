r"""Comparing formulas as functions (함수로 비교): their values at sample points (표본점).

An expression answer is right when it is the same function as the key, so both are evaluated at
\(N = 32\) sample points spread evenly over the key's domain (정의역) \([a, b]\), by default
\([-5, 5]\) (the variable ranges over the real line unless the question says otherwise):

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

Example:
    >>> sample_points((0.0, 1.0))[:2]
    (0.015625, 0.046875)
    >>> _names_in("w*(1 - w) + 2.5e-3*x")
    ('w', 'x')

Common mistakes:
    - An expression key defined on part of the real line only, such as `log(x - 10)`, without
      the domain the prompt states (`Key(..., domain=(10.0, 20.0))`): the default sample points
      miss where it is defined, and every answer "cannot be checked".
    - Expecting two formulas that agree only at the integers (`x` and `x + sin(pi x)`) to be
      told apart at integer points: the sample points are never integers on the default domain.
"""

from __future__ import annotations

import math
import re
from typing import Final

from studykit.questions.answer_evaluation import evaluate, evaluate_points
from studykit.questions.answer_messages import CHECK_MESSAGES, AnswerError, _say
from studykit.questions.answer_tree import Node
from studykit.questions.answers import Answer
from studykit.questions.precision import Rule, close

__all__ = [
    "DEFAULT_DOMAIN",
    "MAX_DOMAIN",
    "MIN_SAMPLE_POINTS",
    "NOT_EQUIVALENT",
    "SAMPLE_COUNT",
    "SAMPLE_POINTS",
    "SAMPLE_STRIDE",
    "sample_points",
]

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

NOT_EQUIVALENT: Final = CHECK_MESSAGES["en"]["not_equivalent"]


class _Samples:
    """An expression's values at the sample points of one key, computed on first use.

    All points at once (`evaluate_points`), NaN where the expression is undefined. The student's
    answer is compared with the key and then with each misconception: its values are computed
    once for all of them. ``variables`` and ``domain`` are the key's (`Key.variables`,
    `Key.domain`).
    """

    def __init__(
        self, answer: Answer, variables: tuple[str, ...], domain: tuple[float, float]
    ) -> None:
        self.node = _node(answer.value)
        self.text = answer.text
        self.variables = variables
        points = sample_points(domain)
        n = len(points)
        self.columns = {
            name: [points[(k + SAMPLE_STRIDE * j) % n] for k in range(n)]
            for j, name in enumerate(variables)
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


def _too_few_message(domain: tuple[float, float], lang: str) -> str:
    """Why an expression on ``domain`` cannot be checked: too few points where it is defined."""
    lo, hi = domain
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
    if type(domain) is tuple and len(domain) == 2:
        lo, hi = domain
        if type(lo) is float and type(hi) is float and -MAX_DOMAIN <= lo < hi <= MAX_DOMAIN:
            return lo, hi  # two floats in range already: the usual case
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


def _node(value: object) -> Node:
    if isinstance(value, Node):
        return value
    raise TypeError(f"expected an expression tree, got {type(value).__name__}")
