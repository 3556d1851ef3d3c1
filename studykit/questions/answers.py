r"""Reading a typed answer (답안 구문 분석, answer parsing): text in, a comparable value out.

A student types `1/3`, `[[1, 2], [3, 4.5]]`, `torch.Size([2, 3])`, `(b)` or `x*(1-x)`. This module
turns that text into a plain value: a float, an int, nested lists of floats with their shape, a
tuple of ints, one capital letter, or a small expression tree (구문 트리, syntax tree). It never
hands the text to Python: a small tokenizer (토큰 분리기) and a recursive-descent parser (재귀
하강 파서) written here accept exactly the grammar below, so the same rules can be ported line by
line to JavaScript for the static site and give the same verdicts.

Steps, in order:

1. **Normalize.** Superscript runs become powers (`10⁻³` → `10^(-3)`), vulgar fractions get
   parentheses (`½` → `(1/2)`, so `1½` is an error instead of `11/2`), then Unicode NFKC folds
   full-width characters (`１２３` → `123`), dashes and the minus sign become `-`, `×`/`·` become
   `*`, `÷` and the fraction slash become `/`, and surrounding whitespace is stripped.
2. **Caps, before any parsing**, so hostile input is rejected in microseconds: at most 2000
   characters, bracket nesting at most 6 deep (a character scan), at most 1000 tokens.
3. **Tokenize and parse** with the grammar of the answer's kind.
4. **Evaluate** numbers with guards: an exponent \(|y| \le 1000\) (checked before computing, from
   the top of a power tower down, so `9**9**9` stops at `9**9`), every intermediate value
   \(|v| \le 10^{300}\), no division by zero, no `log` of \(v \le 0\), no `sqrt` of \(v < 0\).
   All in floats: `(x+1)^1000` overflows to "number too large", never to a big integer. An
   expression answer is evaluated the same way at many points (`evaluate_points`, for the
   checker), never simplified symbolically.

Grammar (EBNF; `{ }` repeats, `[ ]` is optional; spaces between tokens are ignored):

```text
expr      = term { ("+" | "-") term } ;
term      = unary { ("*" | "/") unary } ;
unary     = { "+" | "-" } power ;
power     = atom [ ("**" | "^") unary ] ;             (* right-associative, at most 8 in a row *)
atom      = NUMBER | constant | variable | function "(" expr ")" | "(" expr ")" ;
function  = "sqrt" | "exp" | "log" | "ln" | "sin" | "cos" | "tanh" ;  (* sin/cos/tanh: expression *)
constant  = "pi" | "π" | "e" ;
NUMBER    = DIGITS [ "." [ DIGITS ] ] [ EXP ] | "." DIGITS [ EXP ] ;
EXP       = ("e" | "E") [ "+" | "-" ] DIGITS ;        (* at most 30 digits before EXP *)

number     = expr ;
integer    = expr ;                                   (* its value must be whole *)
tensor     = [ [ "torch" "." ] "tensor" "(" ] item [ ")" ] ;   (* the wrapper's ")" is required *)
item       = "[" [ item { "," item } [ "," ] ] "]" | expr ;     (* rectangular *)
shape      = [ [ "torch" "." ] "Size" "(" ] dims [ ")" ] | INT { ("x" | "X" | "*") INT } ;
dims       = "(" ints ")" | "[" ints "]" | ints ;
ints       = [ INT { "," INT } [ "," ] ] ;            (* INT: plain digits, so never negative *)
choice     = LETTER | "(" LETTER ")" | LETTER ")" | LETTER "." ;
expression = expr ;                                   (* names: the given variables *)
```

So `-2^2` is \(-(2^2) = -4\), `2^-1` is \(0.5\), `2^3^2` is \(2^9\), and `2x` is an error
("missing operator"): multiplication is always written `*`. Error messages are one line and count
character positions from 1 in the normalized text.

Common mistakes:
    - Typing a comma as the decimal point (`1,5`): it is read as two items, so a number answer is
      rejected with "unexpected ','".
    - Writing `e-3` for \(10^{-3}\): `e` alone is Euler's number; write `1e-3`.
    - Expecting `(2)` to be a number in a shape answer: it means the shape `(2,)`, as students
      usually intend; in a tensor answer write `[2]` for a one-element tensor.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Literal, TypeAlias

__all__ = [
    "KINDS",
    "Answer",
    "AnswerError",
    "AnswerKind",
    "AnswerValue",
    "Call",
    "Constant",
    "Negate",
    "Nested",
    "Node",
    "Number",
    "Power",
    "Product",
    "Sum",
    "Variable",
    "evaluate",
    "evaluate_points",
    "normalize",
    "parse_answer",
    "tensor_shape",
]

AnswerKind = Literal["number", "integer", "tensor", "shape", "choice", "expression"]
KINDS: Final[tuple[AnswerKind, ...]] = (
    "number",
    "integer",
    "tensor",
    "shape",
    "choice",
    "expression",
)

MAX_LENGTH: Final = 2000
"""Most characters an answer may have after normalization."""
MAX_RAW_LENGTH: Final = 4 * MAX_LENGTH
"""Longer raw text is rejected before it is normalized (NFKC composes at most ~3 into 1)."""
MAX_DEPTH: Final = 6
"""Deepest nesting of ``(`` and ``[``."""
MAX_TOKENS: Final = 1000
"""Most tokens (numbers, names, operators, brackets)."""
MAX_DIGITS: Final = 30
"""Most digits in one number literal, not counting its exponent."""
MAX_EXPONENT: Final = 1000.0
"""Largest \\(|y|\\) allowed in \\(x^y\\)."""
MAX_MAGNITUDE: Final = 1e300
"""Largest \\(|v|\\) allowed for any value, literal or intermediate."""
MAX_POWERS: Final = 8
"""Most ``^`` in a row (a power tower), which keeps the syntax tree shallow."""

_SPACE: Final = " \t\n\r\f\v"
_DIGITS: Final = "0123456789"
_NAME_START: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_NAME_REST: Final = _NAME_START + _DIGITS
_OPERATORS: Final = "+-*/^()[],."
_SUPERSCRIPTS: Final = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻"
_VULGAR_FRACTIONS: Final = "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞⅟↉"
_REPLACEMENTS: Final[dict[str, str]] = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("×·⋅∗", "*"),
    **dict.fromkeys("÷⁄∕", "/"),
}
_NUMBER_FUNCTIONS: Final = ("sqrt", "exp", "log", "ln")
_EXPRESSION_FUNCTIONS: Final = ("sqrt", "exp", "log", "ln", "sin", "cos", "tanh")
_CONSTANTS: Final = ("pi", "e")
_RESERVED: Final = (*_EXPRESSION_FUNCTIONS, *_CONSTANTS, "torch", "tensor", "Size")
_NAME_PATTERN: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIMS_PATTERN: Final = re.compile(r"[0-9]+(?:[ \t]*[xX*][ \t]*[0-9]+)+")
_CHOICE_PATTERN: Final = re.compile(r"\(([A-Za-z])\)|([A-Za-z])[).]?")


class AnswerError(ValueError):
    r"""An answer that cannot be read; the message is one line saying what and where.

    Examples:
        >>> try:
        ...     parse_answer("1 + )", "number")
        ... except AnswerError as error:
        ...     print(error)
        unexpected ')' at position 5
    """


# --- the syntax tree -------------------------------------------------------------------------
# Every node records where it came from (``start``/``end``: 0-based, end exclusive, in the
# normalized text) for error messages; positions take no part in equality.


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
    r"""A function applied to one argument: `sqrt`, `exp`, `log` (`ln` is stored as `log`), ..."""

    function: Literal["sqrt", "exp", "log", "sin", "cos", "tanh"]
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
    r"""A chain `a * b / c`, evaluated left to right: `first` then each `(operator, factor)`."""

    first: Node
    rest: tuple[tuple[Literal["*", "/"], Node], ...]
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


Node: TypeAlias = Number | Constant | Variable | Call | Negate | Power | Sum | Product
Nested: TypeAlias = float | list["Nested"]
AnswerValue: TypeAlias = int | Nested | tuple[int, ...] | str | Node


@dataclass(frozen=True)
class Answer:
    r"""A parsed answer.

    Attributes:
        kind: The kind it was parsed as.
        value: `float` (number), `int` (integer), nested lists of floats or one float (tensor),
            `tuple[int, ...]` (shape), one capital letter (choice) or a `Node` (expression).
        shape: The shape of `value` as a tensor: the tensor's shape, `(n,)` for a shape answer
            of `n` sizes, `()` for the other kinds.
        text: The normalized text that was parsed.
    """

    kind: AnswerKind
    value: AnswerValue
    shape: tuple[int, ...]
    text: str


# --- normalization and caps ------------------------------------------------------------------


def normalize(text: str) -> str:
    r"""Fold the many ways to type the same symbol into one ASCII spelling.

    Superscript runs become a power in parentheses (`x²` → `x^(2)`, `10⁻³` → `10^(-3)`), each
    vulgar fraction is wrapped in parentheses (`½` → `(1/2)`), then Unicode NFKC (유니코드 정규화)
    folds full-width and other compatibility characters, every dash and the minus sign U+2212
    become `-`, `×`, `·`, `⋅`, `∗` become `*`, `÷`, `⁄`, `∕` become `/`, and leading and trailing
    whitespace is removed.

    Args:
        text: What the student typed.

    Returns:
        The normalized text; positions in error messages refer to it.

    Examples:
        >>> normalize(" −１２³ × ½ ")
        '-12^(3) * (1/2)'
    """
    pieces: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _SUPERSCRIPTS:
            j = i
            while j < len(text) and text[j] in _SUPERSCRIPTS:
                j += 1
            pieces.append("^(" + text[i:j] + ")")
            i = j
            continue
        pieces.append("(" + ch + ")" if ch in _VULGAR_FRACTIONS else ch)
        i += 1
    folded = unicodedata.normalize("NFKC", "".join(pieces))
    return "".join(_REPLACEMENTS.get(ch, ch) for ch in folded).strip(_SPACE)


def _check_caps(text: str) -> None:
    """Reject empty, over-long and over-nested text before tokenizing it."""
    if not text:
        raise AnswerError("empty answer")
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"answer longer than {MAX_LENGTH} characters")
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
            if depth > MAX_DEPTH:
                raise AnswerError(f"nesting deeper than {MAX_DEPTH} levels")
        elif ch in ")]":
            depth = max(depth - 1, 0)


def _show(text: str, limit: int = 30) -> str:
    """A piece of the answer fit for a one-line message: spaces squeezed, controls spelled out."""
    shown = ""
    for ch in text:
        if ch in _SPACE:
            shown += "" if shown.endswith(" ") else " "
        else:
            shown += ch if ch.isprintable() else f"U+{ord(ch):04X}"
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


# --- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: Literal["number", "name", "op", "end"]
    text: str
    start: int


def _tokenize(text: str) -> list[_Token]:
    """Split normalized text into numbers, names and operators; at most `MAX_TOKENS` of them."""
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _SPACE:
            i += 1
            continue
        if len(tokens) == MAX_TOKENS:
            raise AnswerError(f"answer has more than {MAX_TOKENS} numbers and symbols")
        if ch in _DIGITS or (ch == "." and i + 1 < len(text) and text[i + 1] in _DIGITS):
            end = _number_end(text, i)
            tokens.append(_Token("number", text[i:end], i))
        elif ch in _NAME_START or ch == "π":
            end = i + 1
            while ch != "π" and end < len(text) and text[end] in _NAME_REST:
                end += 1
            tokens.append(_Token("name", text[i:end], i))
        elif text.startswith("**", i):
            end = i + 2
            tokens.append(_Token("op", "**", i))
        elif ch in _OPERATORS:
            end = i + 1
            tokens.append(_Token("op", ch, i))
        else:
            quote = '"' if ch == "'" else "'"
            raise AnswerError(f"unexpected character {quote}{_show(ch)}{quote} at position {i + 1}")
        i = end
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _number_end(text: str, start: int) -> int:
    """Scan one number literal starting at `start`, check its size, and return where it ends."""
    i = start
    while i < len(text) and text[i] in _DIGITS:
        i += 1
    if i < len(text) and text[i] == ".":
        i += 1
        while i < len(text) and text[i] in _DIGITS:
            i += 1
    mantissa = text[start:i]
    exponent = ""
    if i < len(text) and text[i] in "eE":
        j = i + 1
        if j < len(text) and text[j] in "+-":
            j += 1
        if j < len(text) and text[j] in _DIGITS:
            k = j
            while k < len(text) and text[k] in _DIGITS:
                k += 1
            exponent = text[j:k].lstrip("0")
            i = k
    literal = text[start:i]
    if len(mantissa.replace(".", "")) > MAX_DIGITS:
        raise AnswerError(f"number {_show(literal)} has more than {MAX_DIGITS} digits")
    if len(exponent) > 3:
        raise AnswerError(f"number {_show(literal)} is out of range")
    if abs(float(literal)) > MAX_MAGNITUDE:
        raise AnswerError(f"number too large: {_show(literal)} is over 1e300")
    return i


# --- the parser ------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the token list: one method per grammar rule."""

    def __init__(
        self,
        text: str,
        tokens: list[_Token],
        functions: tuple[str, ...],
        variables: tuple[str, ...],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.functions = functions
        self.variables = variables

    # helpers

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def at(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def close(self, bracket: str, opened: _Token) -> _Token:
        if self.at(bracket):
            return self.advance()
        token = self.peek()
        if token.kind == "end":
            raise AnswerError(
                f"missing '{bracket}' for the '{opened.text}' at position {opened.start + 1}"
            )
        raise AnswerError(
            f"expected '{bracket}' at position {token.start + 1}, found '{_show(token.text)}'"
        )

    def finish(self, hint: str = "") -> None:
        token = self.peek()
        if token.kind == "end":
            return
        where = f"'{_show(token.text)}' at position {token.start + 1}"
        if token.kind in ("number", "name") or token.text == "(":
            raise AnswerError(f"missing operator before {where} (multiply with *, like 2*x)")
        raise AnswerError(f"unexpected {where}{hint}")

    def unexpected(self, token: _Token) -> AnswerError:
        if token.kind == "end":
            return AnswerError("unexpected end of answer (expected a number or '(')")
        return AnswerError(f"unexpected '{_show(token.text)}' at position {token.start + 1}")

    # grammar rules

    def expr(self) -> Node:
        first = self.term()
        rest: list[tuple[Literal["+", "-"], Node]] = []
        while self.at("+", "-"):
            op: Literal["+", "-"] = "+" if self.advance().text == "+" else "-"
            rest.append((op, self.term()))
        if not rest:
            return first
        return Sum(first, tuple(rest), first.start, rest[-1][1].end)

    def term(self) -> Node:
        first = self.unary()
        rest: list[tuple[Literal["*", "/"], Node]] = []
        while self.at("*", "/"):
            op: Literal["*", "/"] = "*" if self.advance().text == "*" else "/"
            rest.append((op, self.unary()))
        if not rest:
            return first
        return Product(first, tuple(rest), first.start, rest[-1][1].end)

    def signs(self) -> bool:
        """Consume any run of `+`/`-`; True when the run negates."""
        negative = False
        while self.at("+", "-"):
            if self.advance().text == "-":
                negative = not negative
        return negative

    def unary(self) -> Node:
        start = self.peek().start
        negative = self.signs()
        node = self.power()
        return Negate(node, start, node.end) if negative else node

    def power(self) -> Node:
        # Collect `atom ^ [signs] atom ^ ...` in a loop, then fold from the right, so a long
        # tower never recurses deeper than the folding.
        base = self.atom()
        parts: list[tuple[Node, bool, int]] = [(base, False, base.start)]
        while self.at("**", "^"):
            op = self.advance()
            if len(parts) > MAX_POWERS:
                raise AnswerError(
                    f"more than {MAX_POWERS} powers in a row (at position {op.start + 1})"
                )
            start = self.peek().start
            negative = self.signs()
            parts.append((self.atom(), negative, start))
        top, negative, start = parts[-1]
        node: Node = Negate(top, start, top.end) if negative else top
        for atom, negative, start in reversed(parts[:-1]):
            node = Power(atom, node, atom.start, node.end)
            if negative:
                node = Negate(node, start, node.end)
        return node

    def atom(self) -> Node:
        token = self.peek()
        if token.kind == "number":
            self.advance()
            return Number(float(token.text), token.text, token.start, token.start + len(token.text))
        if token.kind == "name":
            self.advance()
            return self.name(token)
        if self.at("("):
            opened = self.advance()
            inner = self.expr()
            closed = self.close(")", opened)
            return replace(inner, start=opened.start, end=closed.start + 1)
        raise self.unexpected(token)

    def name(self, token: _Token) -> Node:
        name = token.text
        end = token.start + len(name)
        if name in self.functions:
            if not self.at("("):
                raise AnswerError(
                    f"'{name}' needs parentheses, like {name}(2) (at position {token.start + 1})"
                )
            opened = self.advance()
            argument = self.expr()
            closed = self.close(")", opened)
            function = _canonical_function(name)
            return Call(function, argument, token.start, closed.start + 1)
        if name in ("pi", "π"):
            return Constant("pi", token.start, end)
        if name == "e":
            return Constant("e", token.start, end)
        if name in self.variables:
            return Variable(name, token.start, end)
        allowed = ", ".join((*self.variables, *self.functions, *_CONSTANTS))
        raise AnswerError(f"unknown name '{_show(name)}' (allowed: {allowed})")

    def item(self) -> Nested:
        """A tensor item: a bracketed list of items, or one numeric expression (evaluated)."""
        if not self.at("["):
            return _evaluate(self.expr(), {}, self.text)
        opened = self.advance()
        items: list[Nested] = []
        while not self.at("]"):
            items.append(self.item())
            if self.at(","):
                self.advance()
                continue
            if self.at("]"):
                break
            token = self.peek()
            if token.kind == "end":
                raise AnswerError(f"missing ']' for the '[' at position {opened.start + 1}")
            where = f"'{_show(token.text)}' at position {token.start + 1}"
            if token.kind in ("number", "name") or token.text in ("(", "["):
                raise AnswerError(f"missing ',' before {where}")
            raise AnswerError(f"expected ',' or ']' at position {token.start + 1}, found {where}")
        self.advance()
        return items


def _canonical_function(name: str) -> Literal["sqrt", "exp", "log", "sin", "cos", "tanh"]:
    """The stored name of a function (`ln` is `log`)."""
    if name == "sqrt":
        return "sqrt"
    if name == "exp":
        return "exp"
    if name in ("log", "ln"):
        return "log"
    if name == "sin":
        return "sin"
    if name == "cos":
        return "cos"
    return "tanh"


# --- evaluation ------------------------------------------------------------------------------


def evaluate(node: Node, env: Mapping[str, float], *, source: str = "") -> float:
    r"""Evaluate an expression tree to a float, with the same guards as the parser.

    The checker compares expression answers by evaluating the student's tree and the key's tree
    at many sample points (수치 검사, numeric checks). Everything is a float: a huge power such
    as \((x+1)^{1000}\) overflows to "number too large", never to a big integer, so one
    evaluation costs time in proportion to the size of the tree and nothing more.

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
        >>> tree = parse_answer("x*(1-x)", "expression").value
        >>> evaluate(tree, {"x": 0.25})
        0.1875
        >>> answer = parse_answer("log(x - 20)", "expression")
        >>> evaluate(answer.value, {"x": 1.5}, source=answer.text)
        Traceback (most recent call last):
        ...
        studykit.questions.answers.AnswerError: log of a non-positive number in log(x - 20)
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
            raise AnswerError(f"division by zero in {_quote(node, source)}")
        result = result * value if mul == "*" else result / value
        _bounded(result, node, source)
    return result


def _quote(node: Node, source: str, fallback: str = "the expression") -> str:
    """The text of `node` for a message, or `fallback` when the text is unknown."""
    return _show(source[node.start : node.end]) if source else fallback


def _bounded(value: float, node: Node, source: str) -> float:
    """Return `value` if it is finite and at most `MAX_MAGNITUDE` in size, else raise."""
    if not (math.isfinite(value) and abs(value) <= MAX_MAGNITUDE):
        raise AnswerError(f"number too large: {_quote(node, source)} is over 1e300")
    return value


def _call(node: Call, x: float, source: str) -> float:
    if node.function == "sqrt":
        if x < 0:
            raise AnswerError(f"sqrt of a negative number in {_quote(node, source)}")
        return math.sqrt(x)
    if node.function == "log":
        if x <= 0:
            raise AnswerError(f"log of a non-positive number in {_quote(node, source)}")
        return math.log(x)
    if node.function == "exp":
        try:
            value = math.exp(x)
        except OverflowError:
            value = math.inf
        return _bounded(value, node, source)
    if node.function == "sin":
        return math.sin(x)
    if node.function == "cos":
        return math.cos(x)
    return math.tanh(x)


def _power(node: Power, env: Mapping[str, float], source: str) -> float:
    # The exponent first: a tower is evaluated from the top and stops at the first huge value.
    y = _evaluate(node.exponent, env, source)
    if abs(y) > MAX_EXPONENT:
        shown = _quote(node.exponent, source, repr(y))
        raise AnswerError(f"exponent too large: {shown} is over the limit of {MAX_EXPONENT:g}")
    x = _evaluate(node.base, env, source)
    if x == 0 and y < 0:
        raise AnswerError(f"division by zero: 0 to a negative power in {_quote(node, source)}")
    if x < 0 and y != math.floor(y):
        raise AnswerError(f"negative number to a fractional power in {_quote(node, source)}")
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
        if node.function == "sqrt":
            return [math.sqrt(a) if a >= 0 else _NAN for a in args]
        if node.function == "log":
            return [math.log(a) if a > 0 else _NAN for a in args]
        if node.function == "exp":
            return [_exp_point(a) for a in args]
        function = {"sin": math.sin, "cos": math.cos, "tanh": math.tanh}[node.function]
        return [function(a) for a in args]
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


def _exp_point(x: float) -> float:
    """`exp` as `_call` computes it, NaN where that raises."""
    if x > 700:  # past ln(1e300) ~ 690.8 the value is too large; past ~709.8 exp overflows
        return _NAN
    value = math.exp(x)
    return value if value <= MAX_MAGNITUDE else _NAN


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
            raise AnswerError(f"exponent too large: {shown} is over the limit of {MAX_EXPONENT:g}")


# --- shapes of nested lists ------------------------------------------------------------------


def tensor_shape(value: Nested) -> tuple[int, ...]:
    r"""The shape (모양) of a number or of rectangular nested lists, as `torch.tensor(v).shape`.

    Args:
        value: A float (shape `()`) or nested lists of floats.

    Returns:
        The size of each level, outermost first.

    Raises:
        AnswerError: The lists are ragged; the message says where (rows count from 1, deeper
            positions are 0-based indices).

    Examples:
        >>> tensor_shape([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        (2, 3)
        >>> tensor_shape([[1.0, 2.0], [3.0]])
        Traceback (most recent call last):
        ...
        studykit.questions.answers.AnswerError: row 2 has 1 entry, expected 2
    """
    return _shape_at(value, ())


def _shape_at(value: Nested, path: tuple[int, ...]) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    if not value:
        return (0,)
    first = _shape_at(value[0], (*path, 0))
    for i in range(1, len(value)):
        shape = _shape_at(value[i], (*path, i))
        if shape != first:
            _raise_ragged(shape, first, (*path, i))
    return (len(value), *first)


def _raise_ragged(shape: tuple[int, ...], expected: tuple[int, ...], path: tuple[int, ...]) -> None:
    """Explain the first place where an item's shape differs from its first sibling's."""
    common = min(len(shape), len(expected))
    for d in range(common):
        if shape[d] != expected[d]:
            where = (*path, *([0] * d))
            n, m = shape[d], expected[d]
            entries = "entry" if n == 1 else "entries"
            if len(where) == 1:
                raise AnswerError(f"row {where[0] + 1} has {n} {entries}, expected {m}")
            raise AnswerError(f"the list at {_index(where)} has {n} {entries}, expected {m}")
    where = (*path, *([0] * common))
    if len(shape) < len(expected):
        raise AnswerError(f"the item at {_index(where)} is a number, expected a list")
    raise AnswerError(f"the item at {_index(where)} is a list, expected a number")


def _index(path: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in path) + "]"


# --- the kinds -------------------------------------------------------------------------------


def parse_answer(text: str, kind: AnswerKind, *, variables: tuple[str, ...] = ("x",)) -> Answer:
    r"""Parse what a student typed as an answer of the given kind.

    Kinds and what they accept (the module docstring has the full grammar):

    | kind | accepts | value |
    |---|---|---|
    | `number` | `1/3`, `.5`, `2.5E+4`, `sqrt(2)/2`, `2^-1`, `pi`, `−0.5` | `float` |
    | `integer` | `12`, `24/2`, `1e2` (the value must be whole) | `int` |
    | `tensor` | `2.5`, `[[1, 2], [3, 4.5]]`, `tensor([1])`, `torch.tensor([1])` | nested floats |
    | `shape` | `(2, 3)`, `(2,)`, `()`, `[2, 3]`, `2, 3`, `2x3`, `torch.Size([2, 3])` | ints |
    | `choice` | `b`, `B`, `(b)`, `b)`, `b.` | `"B"` |
    | `expression` | `x*(1-x)`, `exp(-x)/(1+exp(-x))^2`, with sin, cos, tanh | `Node` |

    Args:
        text: The raw answer.
        kind: How to read it.
        variables: The names an expression answer may use (ignored by the other kinds).

    Returns:
        The parsed `Answer`.

    Raises:
        AnswerError: The text is not a valid answer of this kind (one-line message).
        ValueError: `kind` or `variables` is invalid (a bug in the question, not the answer).

    Examples:
        >>> parse_answer("１/４", "number").value
        0.25
        >>> parse_answer("[[1, 2], [3, 4.5]]", "tensor").shape
        (2, 2)
        >>> parse_answer("torch.Size([2, 3])", "shape").value
        (2, 3)
        >>> parse_answer("24/2", "integer").value
        12
        >>> parse_answer("(b)", "choice").value
        'B'

    Common mistakes:
        - Passing a kind's name with a typo: that is a `ValueError`, never an `AnswerError`,
          so a broken question is not blamed on the student.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    _check_variables(variables)
    if len(text) > MAX_RAW_LENGTH:
        raise AnswerError(f"answer longer than {MAX_LENGTH} characters")
    normalized = normalize(text)
    _check_caps(normalized)
    if kind == "choice":
        return _parse_choice(normalized)
    if kind == "shape":
        return _parse_shape(normalized)
    tokens = _tokenize(normalized)
    if kind == "expression":
        parser = _Parser(normalized, tokens, _EXPRESSION_FUNCTIONS, variables)
        tree = parser.expr()
        parser.finish()
        _guard_constants(tree, normalized)
        return Answer(kind, tree, (), normalized)
    parser = _Parser(normalized, tokens, _NUMBER_FUNCTIONS, ())
    if kind == "tensor":
        return _parse_tensor(parser)
    value = _evaluate(parser.expr(), {}, normalized)
    parser.finish()
    if kind == "number":
        return Answer(kind, value, (), normalized)
    if value != math.floor(value):
        raise AnswerError(f"expected a whole number, got {value!r}")
    return Answer(kind, int(value), (), normalized)


def _check_variables(variables: tuple[str, ...]) -> None:
    for name in variables:
        if not isinstance(name, str) or not _NAME_PATTERN.fullmatch(name) or name in _RESERVED:
            raise ValueError(
                f"variables must be plain names other than {', '.join(_RESERVED)}, got {name!r}"
            )


def _parse_tensor(parser: _Parser) -> Answer:
    first, second, third = parser.peek(), parser.peek(1), parser.peek(2)
    skip = 0
    if first.text == "torch" and second.text == "." and third.text == "tensor":
        skip = 3
    elif first.kind == "name" and first.text == "tensor":
        skip = 1
    opened = None
    if skip and parser.peek(skip).text == "(":
        for _ in range(skip):
            parser.advance()
        opened = parser.advance()
    value = parser.item()
    if opened is not None:
        parser.close(")", opened)
    parser.finish(" (write a list in brackets, like [1, 2])")
    return Answer("tensor", value, tensor_shape(value), parser.text)


def _parse_shape(text: str) -> Answer:
    if _DIMS_PATTERN.fullmatch(text):
        parts = re.split(r"[ \t]*[xX*][ \t]*", text)
        too_long = [part for part in parts if len(part) > MAX_DIGITS]
        if too_long:
            raise AnswerError(f"number {_show(too_long[0])} has more than {MAX_DIGITS} digits")
        dims = tuple(int(part) for part in parts)
        return Answer("shape", dims, (len(dims),), text)
    tokens = _tokenize(text)[:-1]
    names = [t.text for t in tokens[:4]]
    if names[:3] == ["torch", ".", "Size"] and names[3:] == ["("]:
        tokens = _strip_pair(tokens[3:], "(", ")")
    elif names[:2] == ["Size", "("]:
        tokens = _strip_pair(tokens[1:], "(", ")")
    if tokens and tokens[0].text == "(":
        tokens = _strip_pair(tokens, "(", ")")
    elif tokens and tokens[0].text == "[":
        tokens = _strip_pair(tokens, "[", "]")
    dims_list: list[int] = []
    for i, token in enumerate(tokens):
        if i % 2 == 1:
            if token.text != ",":
                raise _shape_error(token)
            continue
        if token.kind == "op" and token.text == "-" and i + 1 < len(tokens):
            raise AnswerError(f"shape entries cannot be negative, got -{_show(tokens[i + 1].text)}")
        if token.kind != "number":
            raise _shape_error(token)
        if not all(ch in _DIGITS for ch in token.text):
            raise AnswerError(f"shape entries must be whole numbers, got {_show(token.text)}")
        dims_list.append(int(token.text))
    dims = tuple(dims_list)
    return Answer("shape", dims, (len(dims),), text)


def _strip_pair(tokens: list[_Token], opener: str, closer: str) -> list[_Token]:
    """Drop a leading `opener` (already checked) and the trailing `closer`, or raise."""
    if len(tokens) < 2 or tokens[-1].text != closer:
        raise AnswerError(
            f"missing '{closer}' for the '{opener}' at position {tokens[0].start + 1}"
        )
    return tokens[1:-1]


def _shape_error(token: _Token) -> AnswerError:
    if token.kind == "end":
        return AnswerError("expected a shape like (2, 3)")
    return AnswerError(
        f"expected a shape like (2, 3), found '{_show(token.text)}' at position {token.start + 1}"
    )


def _parse_choice(text: str) -> Answer:
    compact = "".join(ch for ch in text if ch not in _SPACE)
    match = _CHOICE_PATTERN.fullmatch(compact)
    if match is None:
        raise AnswerError(f"expected one letter like B or (b), got '{_show(text, 20)}'")
    letter = match.group(1) or match.group(2)
    return Answer("choice", letter.upper(), (), text)
