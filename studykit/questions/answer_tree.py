r"""The syntax tree of an answer (구문 트리, syntax tree): what a parsed formula is made of.

An expression answer such as `2x(1-x)` is parsed into a small tree of frozen dataclasses, one
class per construct: `Number`, `Constant` (\(\pi\) and \(e\)), `Variable`, `Call` (a function of
one argument), `Negate`, `Power`, `Sum` and `Product`. A number answer is parsed into the same
nodes and evaluated at once (`studykit.questions.answer_evaluation`); the checker evaluates an
expression's tree at sample points. Every node records where it came from (``start`` and
``end``: 0-based, end exclusive, in the normalized text) for error messages; positions take no
part in equality.

A chain is one node, evaluated left to right: `1 - x + 2` is one `Sum` with the rest
`(("-", x), ("+", 2))`. `ln` is stored as `log` and `σ` as `sigmoid`; an even number of signs
(`--x`) leaves no node at all.

Example:
    >>> from studykit.questions.answers import parse_answer
    >>> two_x = Product(Number(2.0), (("*", Variable("x")),))
    >>> parse_answer("2x - 1", "expression").value == Sum(two_x, (("-", Number(1.0)),))
    True

Common mistakes:
    - Comparing two trees to decide whether two answers agree: `x + 1` and `1 + x` are different
      trees. The checker compares them as functions, at sample points.
    - Reading `-2^2` as \((-2)^2\): it is `Negate(Power(2, 2))`, that is \(-4\), as in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

__all__ = [
    "Call",
    "Constant",
    "Function",
    "Negate",
    "Nested",
    "Node",
    "Number",
    "Power",
    "Product",
    "Sum",
    "Variable",
]

Function: TypeAlias = Literal[
    "sqrt", "exp", "log", "sin", "cos", "tanh", "sinh", "cosh", "sech", "sigmoid", "softplus",
    "relu", "abs",
]  # fmt: skip
"""The functions of a `Call`, by their stored names."""


@dataclass(frozen=True)
class Number:
    r"""A number literal such as `2`, `.5` or `1e-3`.

    Attributes:
        value: The literal as a float.
        text: The literal as typed.
    """

    value: float
    text: str = field(default="", compare=False)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Constant:
    r"""The constant \(\pi\) (`pi`, `π`) or Euler's number \(e\) (`e`)."""

    name: Literal["pi", "e"]
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Variable:
    r"""A variable such as `x`, allowed only in expression answers."""

    name: str
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    r"""A function applied to one argument: `sqrt`, `exp`, `sigmoid`, ...

    `ln` is stored as `log` and `σ` as `sigmoid`.
    """

    function: Function
    argument: Node
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Negate:
    r"""Unary minus, \(-a\). An even number of signs (`--a`) leaves no node at all."""

    operand: Node
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Power:
    r"""A power \(a^b\), written `a**b` or `a^b`."""

    base: Node
    exponent: Node
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Sum:
    r"""A chain `a + b - c`, evaluated left to right: `first` then each `(operator, term)`."""

    first: Node
    rest: tuple[tuple[Literal["+", "-"], Node], ...]
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Product:
    r"""A chain `a * b / c`, evaluated left to right: `first` then each `(operator, factor)`.

    Implicit multiplication (`2x`) and a percentage (`50%` is `50 / 100`) are products too.
    """

    first: Node
    rest: tuple[tuple[Literal["*", "/"], Node], ...]
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


Node: TypeAlias = Number | Constant | Variable | Call | Negate | Power | Sum | Product
Nested: TypeAlias = float | list["Nested"]
"""The value of a tensor answer: one float, or nested lists of floats."""
