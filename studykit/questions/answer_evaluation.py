r"""Evaluating a parsed answer (값 계산, evaluation): a syntax tree to a float, under guards.

A number answer is evaluated once, as it is parsed; an expression answer is evaluated by the
checker at many sample points, never simplified symbolically. Everything is a float, with guards
(가드) checked as the value is computed:

- an exponent \(|y| \le 1000\) (`MAX_EXPONENT`), checked before computing, from the top of a
  power tower down, so `9**9**9` stops at `9**9`;
- every intermediate value \(|v| \le 10^{300}\) (`MAX_MAGNITUDE`);
- no division by zero, no `log` of \(v \le 0\), no `sqrt` of \(v < 0\), no negative number to a
  fractional power.

All in floats: `(x+1)^1000` overflows to "number too large", never to a big integer, so one
evaluation costs time in proportion to the size of the tree and nothing more. `evaluate_points`
evaluates a tree at many points in one walk (NaN where `evaluate` raises), which keeps checking
an expression answer of 1000 tokens at dozens of points within a few milliseconds. The parts of
an expression without a variable are evaluated when it is parsed (`_guard_constants`), so
`x + 1/0` is refused like `1/0`.

Example:
    >>> from studykit.questions.answers import parse_answer
    >>> tree = parse_answer("2x(1 - x)", "expression").value
    >>> evaluate(tree, {"x": 0.25}), evaluate_points(tree, {"x": [0.0, 0.5, 1.0]})
    (0.375, [0.0, 0.5, 0.0])

Common mistakes:
    - Expecting `evaluate` to simplify: `x/x` at \(x = 0\) is a division by zero, not 1.
    - Reading a NaN of `evaluate_points` as a value: it marks a point where the expression is
      undefined or too large; `evaluate` at that point gives the reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final

from studykit.questions.answer_messages import _error
from studykit.questions.answer_tokens import MAX_MAGNITUDE, _show
from studykit.questions.answer_tree import (
    Call,
    Constant,
    Negate,
    Node,
    Number,
    Power,
    Product,
    Sum,
    Variable,
)

__all__ = ["MAX_EXPONENT", "evaluate", "evaluate_points"]

MAX_EXPONENT: Final = 1000.0
"""Largest \\(|y|\\) allowed in \\(x^y\\)."""


def evaluate(node: Node, env: Mapping[str, float], *, source: str = "") -> float:
    r"""Evaluate an expression tree to a float, with the same guards as the parser.

    The checker compares expression answers by evaluating the student's tree and the key's tree
    at many sample points (수치 검사, numeric checks). Everything is a float: a huge power such
    as \((x+1)^{1000}\) overflows to "number too large", never to a big integer, so one
    evaluation costs time in proportion to the size of the tree and nothing more.

    The functions beyond `math`'s: \(\mathrm{sigmoid}(x) = 1/(1 + e^{-x})\),
    \(\mathrm{softplus}(x) = \log(1 + e^x)\), \(\mathrm{relu}(x) = \max(0, x)\) and
    \(\mathrm{sech}(x) = 1/\cosh x\), each computed without overflow for any \(x\).

    Args:
        node: A tree from an expression (or number) answer.
        env: A value for every variable in the tree, e.g. `{"x": 0.3}`.
        source: The text the tree was parsed from (`Answer.text`), quoted in error messages
            ("log of a non-positive number in log(x - 20)"); without it they say "the
            expression".

    Returns:
        The value, finite and at most \(10^{300}\) in magnitude.

    Raises:
        AnswerError: The value is undefined or too large at this point (`log` of a value
            \(\le 0\), division by zero, an exponent over 1000, ...).
        ValueError: `env` has no value for a variable of the tree.

    Examples:
        >>> from studykit.questions.answers import parse_answer
        >>> tree = parse_answer("x*(1-x)", "expression").value
        >>> evaluate(tree, {"x": 0.25})
        0.1875
        >>> evaluate(parse_answer("σ(x)(1 - σ(x))", "expression").value, {"x": 0.0})
        0.25
        >>> answer = parse_answer("log(x - 20)", "expression")
        >>> evaluate(answer.value, {"x": 1.5}, source=answer.text)
        Traceback (most recent call last):
        ...
        studykit.questions.answer_messages.AnswerError: log of a non-positive number in log(x - 20)
    """
    return _evaluate(node, env, source)


def _evaluate(node: Node, env: Mapping[str, float], source: str) -> float:
    """Evaluate `node`; `source` (the parsed text, or "") is quoted in error messages."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Constant):
        return math.pi if node.name == "pi" else math.e
    if isinstance(node, Variable):
        if node.name not in env:
            raise ValueError(f"no value given for variable {node.name!r}")
        return _bounded(float(env[node.name]), node, source)
    if isinstance(node, Negate):
        return -_evaluate(node.operand, env, source)
    if isinstance(node, Call):
        return _call(node, _evaluate(node.argument, env, source), source)
    if isinstance(node, Power):
        return _power(node, env, source)
    if isinstance(node, Sum):
        total = _evaluate(node.first, env, source)
        for op, term in node.rest:
            value = _evaluate(term, env, source)
            total = total + value if op == "+" else total - value
            _bounded(total, node, source)
        return total
    result = _evaluate(node.first, env, source)
    for mul, factor in node.rest:
        value = _evaluate(factor, env, source)
        if mul == "/" and value == 0:
            raise _error("division_by_zero", what=_quote(node, source))
        result = result * value if mul == "*" else result / value
        _bounded(result, node, source)
    return result


def _quote(node: Node, source: str, fallback: str = "the expression") -> str:
    """The text of `node` for a message, or `fallback` when the text is unknown."""
    return _show(source[node.start : node.end]) if source else fallback


def _bounded(value: float, node: Node, source: str) -> float:
    """Return `value` if it is finite and at most `MAX_MAGNITUDE` in size, else raise."""
    if not (math.isfinite(value) and abs(value) <= MAX_MAGNITUDE):
        raise _error("too_large", what=_quote(node, source))
    return value


def _call(node: Call, x: float, source: str) -> float:
    if node.function == "sqrt":
        if x < 0:
            raise _error("sqrt_negative", what=_quote(node, source))
        return math.sqrt(x)
    if node.function == "log":
        if x <= 0:
            raise _error("log_nonpositive", what=_quote(node, source))
        return math.log(x)
    if node.function in ("exp", "sinh", "cosh"):
        return _bounded(_growing(node.function, x), node, source)
    return _smooth(node.function, x)


def _growing(function: str, x: float) -> float:
    """exp, sinh or cosh of `x`; inf where the value is past any float (never an exception)."""
    if abs(x) > 709:  # past ln(1e300) ~ 690.8 the value is too large anyway
        return -math.inf if function == "sinh" and x < 0 else math.inf
    if function == "exp":
        return math.exp(x)
    return math.sinh(x) if function == "sinh" else math.cosh(x)


def _smooth(function: str, x: float) -> float:
    """A function that is finite and small wherever `x` is: sin, cos, tanh, sech, sigmoid, ..."""
    if function == "sin":
        return math.sin(x)
    if function == "cos":
        return math.cos(x)
    if function == "tanh":
        return math.tanh(x)
    if function == "sech":
        t = math.exp(-abs(x))
        return 2 * t / (1 + t * t)
    if function == "sigmoid":
        if x >= 0:
            return 1 / (1 + math.exp(-x))
        t = math.exp(x)
        return t / (1 + t)
    if function == "softplus":
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))
    if function == "relu":
        return x if x > 0 else 0.0
    return abs(x)


def _power(node: Power, env: Mapping[str, float], source: str) -> float:
    # The exponent first: a tower is evaluated from the top and stops at the first huge value.
    y = _evaluate(node.exponent, env, source)
    if abs(y) > MAX_EXPONENT:
        shown = _quote(node.exponent, source, repr(y))
        raise _error("exponent_too_large", what=shown, limit=f"{MAX_EXPONENT:g}")
    x = _evaluate(node.base, env, source)
    if x == 0 and y < 0:
        raise _error("zero_negative_power", what=_quote(node, source))
    if x < 0 and y != math.floor(y):
        raise _error("negative_fractional_power", what=_quote(node, source))
    try:
        value = math.pow(x, y)
    except OverflowError:
        value = math.inf
    return _bounded(value, node, source)


def evaluate_points(node: Node, columns: Mapping[str, Sequence[float]]) -> list[float]:
    r"""Evaluate an expression tree at many points at once: `evaluate` at each, in one walk.

    Point \(k\) gives each variable the value `columns[name][k]`. The result at a point is
    exactly `evaluate`'s (the same float operations in the same order), or NaN where `evaluate`
    raises `AnswerError`; call `evaluate` at such a point for the message. One walk of the tree
    for all points costs far less than one walk per point, which keeps checking an expression
    answer of 1000 tokens at dozens of points within a few milliseconds.

    Args:
        node: A tree from an expression (or number) answer.
        columns: The values of every variable of the tree, one sequence per variable, all of
            the same length (the number of points). Without variables there is one point.

    Returns:
        One float per point: the value, or NaN where the tree is undefined or too large.

    Raises:
        ValueError: A variable of the tree has no column, or the columns differ in length.

    Examples:
        >>> from studykit.questions.answers import parse_answer
        >>> tree = parse_answer("log(x) + 1", "expression").value
        >>> evaluate_points(tree, {"x": [1.0, -1.0, math.e]})
        [1.0, nan, 2.0]
    """
    lengths = {len(column) for column in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"the columns of the variables differ in length: {sorted(lengths)}")
    n = lengths.pop() if lengths else 1
    return _points(node, columns, n)


_NAN: Final = math.nan


def _points(node: Node, columns: Mapping[str, Sequence[float]], n: int) -> list[float]:
    """`_evaluate` at `n` points at once, NaN where it raises (NaN stays NaN upwards)."""
    big = MAX_MAGNITUDE
    if isinstance(node, Number):
        return [node.value] * n
    if isinstance(node, Constant):
        return [math.pi if node.name == "pi" else math.e] * n
    if isinstance(node, Variable):
        if node.name not in columns:
            raise ValueError(f"no value given for variable {node.name!r}")
        return [v if -big <= v <= big else _NAN for v in map(float, columns[node.name])]
    if isinstance(node, Negate):
        return [-a for a in _points(node.operand, columns, n)]
    if isinstance(node, Call):
        args = _points(node.argument, columns, n)
        function = node.function
        if function == "sqrt":
            return [math.sqrt(a) if a >= 0 else _NAN for a in args]
        if function == "log":
            return [math.log(a) if a > 0 else _NAN for a in args]
        if function in ("exp", "sinh", "cosh"):
            return [_growing_point(function, a) for a in args]
        return [_smooth(function, a) if a == a else _NAN for a in args]
    if isinstance(node, Power):
        exponents = _points(node.exponent, columns, n)
        bases = _points(node.base, columns, n)
        return [_pow_point(x, y) for x, y in zip(bases, exponents, strict=True)]
    if isinstance(node, Sum):
        total = _points(node.first, columns, n)
        for op, term in node.rest:
            values = _points(term, columns, n)
            pairs = zip(total, values, strict=True)
            total = [a + b for a, b in pairs] if op == "+" else [a - b for a, b in pairs]
            total = [t if -big <= t <= big else _NAN for t in total]
        return total
    result = _points(node.first, columns, n)
    for mul, factor in node.rest:
        values = _points(factor, columns, n)
        pairs = zip(result, values, strict=True)
        if mul == "*":
            result = [a * b for a, b in pairs]
        else:
            result = [a / b if b != 0 else _NAN for a, b in pairs]
        result = [r if -big <= r <= big else _NAN for r in result]
    return result


def _growing_point(function: str, x: float) -> float:
    """exp, sinh or cosh as `_call` computes it, NaN where that raises (or `x` is NaN)."""
    if x != x:
        return _NAN
    value = _growing(function, x)
    return value if -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE else _NAN


def _pow_point(x: float, y: float) -> float:
    """A power as `_power` computes it, NaN where that raises (or either side is NaN)."""
    if not abs(y) <= MAX_EXPONENT or x != x:
        return _NAN
    if (x == 0 and y < 0) or (x < 0 and y != math.floor(y)):
        return _NAN
    try:
        value = math.pow(x, y)
    except OverflowError:
        return _NAN
    return value if -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE else _NAN


def _children(node: Node) -> tuple[Node, ...]:
    """The direct sub-trees of `node`."""
    if isinstance(node, Call):
        return (node.argument,)
    if isinstance(node, Negate):
        return (node.operand,)
    if isinstance(node, Power):
        return (node.base, node.exponent)
    if isinstance(node, Sum | Product):
        return (node.first, *(child for _, child in node.rest))
    return ()


def _guard_constants(node: Node, source: str) -> None:
    """Evaluate every variable-free part of an expression so the number guards apply there too.

    `x + 1/0` and `x^(9^9)` are rejected like the numbers `1/0` and `2^(9^9)`. Which sub-trees
    hold a variable is found in one pass first, so the walk costs time linear in the tree.
    """
    _guard(node, source, _with_variables(node))


def _with_variables(node: Node) -> set[int]:
    """The ids of the nodes of `node`'s tree that contain a variable (one post-order pass)."""
    found: set[int] = set()
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, visited = stack.pop()
        children = _children(current)
        if not visited:
            stack.append((current, True))
            stack.extend((child, False) for child in children)
        elif isinstance(current, Variable) or any(id(child) in found for child in children):
            found.add(id(current))
    return found


def _guard(node: Node, source: str, variable: set[int]) -> None:
    if id(node) not in variable:
        _evaluate(node, {}, source)
        return
    for child in _children(node):
        _guard(child, source, variable)
    if isinstance(node, Power) and id(node.exponent) not in variable:
        y = _evaluate(node.exponent, {}, source)
        if abs(y) > MAX_EXPONENT:
            shown = _quote(node.exponent, source)
            raise _error("exponent_too_large", what=shown, limit=f"{MAX_EXPONENT:g}")
