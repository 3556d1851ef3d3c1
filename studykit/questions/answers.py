r"""Reading a typed answer (답안 구문 분석, answer parsing): text in, a comparable value out.

A student types `1/3`, `83.33%`, `[[1, 2], [3, 4.5]]`, `(1, 2, 8)`, `torch.Size([2, 3])`, `(b)`,
`2` (option B) or `2x(1-x)`. `parse_answer` turns that text into a plain value of the answer's
kind (`KINDS`): a float, an int, nested lists of floats with their shape, a tuple of ints, one
capital letter, or a small expression tree (구문 트리, syntax tree). It never hands the text to
Python: a small tokenizer (토큰 분리기) and a recursive-descent parser (재귀 하강 파서) accept
exactly one grammar, so the same rules are ported line by line to JavaScript for the static site
and give the same verdicts (and the same messages, in English and Korean).

Steps, in order, each in its own module:

1. **Normalize, then caps** (`studykit.questions.answer_tokens`): `１/４` is `1/4` and `10⁻³` is
   `10^(-3)`; at most 2000 characters, 6 levels of brackets and 1000 tokens, checked before any
   parsing, so hostile input is rejected in microseconds.
2. **Tokenize and parse** with the grammar of the answer's kind
   (`studykit.questions.answer_parser`, which states the grammar), into the nodes of
   `studykit.questions.answer_tree`.
3. **Evaluate** numbers with guards (`studykit.questions.answer_evaluation`): exponents up to
   1000, values up to \(10^{300}\), no division by zero, all in floats. An expression answer is
   evaluated later, by the checker, at many points; never simplified symbolically.
4. **The kind** (this module): a whole value for `integer`, rectangular lists for `tensor`
   (`tensor_shape`), sizes for `shape`, a letter for `choice`.

Error messages are one line, in English (`str(error)`) and in Korean (`error.in_language("ko")`,
or `parse_answer(..., lang="ko")`), from `studykit.questions.answer_messages`.

**Choices.** With the options known (`options=`), a letter past the last option is "not one of
the options (A–C)", and an option's number (`2` for B) is read as its letter, unless the options
are themselves numbers (auto choices, or options such as `3` and `7`): then a number must be one
of the options' values as shown (`0.2838`), and selects that option.

Example:
    >>> parse_answer("2^-1", "number").value, parse_answer("2x3", "shape").value
    (0.5, (2, 3))
    >>> parse_answer("(b)", "choice", options=("yes", "no")).value
    'B'

Common mistakes:
    - Typing a comma as the decimal point (`1,5`): it is read as two items, so a number answer is
      rejected with "unexpected ','".
    - Expecting `(2)` to be a number in a shape answer: it means the shape `(2,)`, as students
      usually intend; in a tensor answer write `[2]` or `(2,)` for a one-element tensor.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from studykit.questions.answer_evaluation import (
    _evaluate,
    _guard_constants,
    evaluate,
    evaluate_points,
)
from studykit.questions.answer_messages import (
    LANGUAGES,
    AnswerError,
    _error,
    _number_range,
    letter_range,
)
from studykit.questions.answer_messages import PARSE_MESSAGES as MESSAGES
from studykit.questions.answer_parser import (
    _CONSTANTS,
    _EXPRESSION_FUNCTIONS,
    _NUMBER_FUNCTIONS,
    FUNCTION_NAMES,
    _Parser,
)
from studykit.questions.answer_tokens import (
    _DIGITS,
    _SPACE,
    MAX_DIGITS,
    MAX_LENGTH,
    MAX_RAW_LENGTH,
    _check_caps,
    _show,
    _Token,
    _tokenize,
    _tuple_parentheses,
    normalize,
)
from studykit.questions.answer_tree import (
    Call,
    Constant,
    Negate,
    Nested,
    Node,
    Number,
    Power,
    Product,
    Sum,
    Variable,
)

# The parser's names, wherever they are defined, stay importable from here.
__all__ = [
    "FUNCTION_NAMES",
    "KINDS",
    "LANGUAGES",
    "MESSAGES",
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
    "letter_range",
    "normalize",
    "number_options",
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
MAX_OPTIONS: Final = 8
"""Most options of a choice question (A to H)."""

_RESERVED: Final = (*_EXPRESSION_FUNCTIONS, *_CONSTANTS, "torch", "tensor", "Size")
_NAME_PATTERN: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIMS_PATTERN: Final = re.compile(r"[0-9]+(?:[ \t]*[xX*][ \t]*[0-9]+)+")
_CHOICE_PATTERN: Final = re.compile(r"\(([A-Za-z])\)|([A-Za-z])[).]?")
_OPTION_NUMBER_PATTERN: Final = re.compile(r"\(([0-9]{1,3})\)|([0-9]{1,3})[).]?")

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
        studykit.questions.answer_messages.AnswerError: row 2 has 1 entry, expected 2
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
            sizes = {"count": n, "entries": "entry" if n == 1 else "entries", "expected": m}
            if len(where) == 1:
                raise _error("row_length", row=where[0] + 1, **sizes)
            raise _error("list_length", index=_index(where), **sizes)
    where = (*path, *([0] * common))
    if len(shape) < len(expected):
        raise _error("item_is_number", index=_index(where))
    raise _error("item_is_list", index=_index(where))


def _index(path: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in path) + "]"


# --- the kinds -------------------------------------------------------------------------------


def parse_answer(
    text: str,
    kind: AnswerKind,
    *,
    variables: tuple[str, ...] = ("x",),
    options: Sequence[str] = (),
    lang: str = "en",
) -> Answer:
    r"""Parse what a student typed as an answer of the given kind.

    Kinds and what they accept (`studykit.questions.answer_parser` has the full grammar):

    | kind | accepts | value |
    |---|---|---|
    | `number` | `1/3`, `.5`, `2.5E+4`, `sqrt(2)/2`, `2^-1`, `pi`, `−0.5`, `83.33%` | `float` |
    | `integer` | `12`, `24/2`, `1e2` (the value must be whole) | `int` |
    | `tensor` | `2.5`, `[[1, 2], [3, 4.5]]`, `(1, 2, 8)`, `torch.tensor([1])`, `[50%, 1]` | lists |
    | `shape` | `(2, 3)`, `(2,)`, `()`, `[2, 3]`, `2, 3`, `2x3`, `torch.Size([2, 3])` | ints |
    | `choice` | `b`, `B`, `(b)`, `b)`, `b.`, and `2` for B when the options are known | `"B"` |
    | `expression` | `x*(1-x)`, `2x(1-x)`, `σ(x)(1-σ(x))`, `sech(x)^2`, `softplus(x)` | `Node` |

    Args:
        text: The raw answer.
        kind: How to read it.
        variables: The names an expression answer may use (ignored by the other kinds).
        options: The option texts of a choice question, as shown (at most `MAX_OPTIONS`):
            letters past the last are refused, and an option's number (or, when the options
            are numbers, its value) selects it. Empty: any letter, no numbers.
        lang: The language of the error message `str(error)` (`LANGUAGES`).

    Returns:
        The parsed `Answer`.

    Raises:
        AnswerError: The text is not a valid answer of this kind (one-line message).
        ValueError: `kind`, `variables` or `options` is invalid (a bug in the question, not the
            answer).

    Examples:
        >>> parse_answer("１/４", "number").value
        0.25
        >>> parse_answer("[[1, 2], [3, 4.5]]", "tensor").shape
        (2, 2)
        >>> parse_answer("(1, 2, 8)", "tensor").value
        [1.0, 2.0, 8.0]
        >>> parse_answer("torch.Size([2, 3])", "shape").value
        (2, 3)
        >>> parse_answer("24/2", "integer").value
        12
        >>> parse_answer("(b)", "choice").value, parse_answer("2", "choice", options="xyz").value
        ('B', 'B')
        >>> parse_answer("83.33%", "number").value
        0.8333

    Common mistakes:
        - Passing a kind's name with a typo: that is a `ValueError`, never an `AnswerError`,
          so a broken question is not blamed on the student.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    _check_variables(variables)
    if len(options) > MAX_OPTIONS:
        raise ValueError(f"a choice question has at most {MAX_OPTIONS} options, got {options!r}")
    try:
        return _parse(text, kind, variables, options)
    except AnswerError as error:
        if lang == "en":
            raise
        raise error.localized(lang) from None


def _parse(
    text: str, kind: AnswerKind, variables: tuple[str, ...], options: Sequence[str]
) -> Answer:
    if len(text) > MAX_RAW_LENGTH:
        raise _error("too_long", limit=MAX_LENGTH)
    normalized = normalize(text)
    _check_caps(normalized)
    if kind == "choice":
        return _parse_choice(normalized, options)
    if kind == "shape":
        return _parse_shape(normalized)
    tokens = _tokenize(normalized)
    if kind == "expression":
        parser = _Parser(normalized, tokens, _EXPRESSION_FUNCTIONS, variables, implicit=True)
        tree = parser.expr()
        parser.finish()
        _guard_constants(tree, normalized)
        return Answer(kind, tree, (), normalized)
    if kind == "tensor":
        tuples = _tuple_parentheses(tokens)
        parser = _Parser(normalized, tokens, _NUMBER_FUNCTIONS, (), percent=True, tuples=tuples)
        return _parse_tensor(parser)
    parser = _Parser(normalized, tokens, _NUMBER_FUNCTIONS, (), percent=True)
    value = _evaluate(parser.expr(), {}, normalized)
    parser.finish()
    if kind == "number":
        return Answer(kind, value, (), normalized)
    if value != math.floor(value):
        raise _error("not_whole", value=repr(value))
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
    parser.finish("unexpected_in_tensor")
    return Answer("tensor", value, tensor_shape(value), parser.text)


def _parse_shape(text: str) -> Answer:
    if _DIMS_PATTERN.fullmatch(text):
        parts = re.split(r"[ \t]*[xX*][ \t]*", text)
        too_long = [part for part in parts if len(part) > MAX_DIGITS]
        if too_long:
            raise _error("too_many_digits", number=_show(too_long[0]), limit=MAX_DIGITS)
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
            raise _error("shape_negative", found=_show(tokens[i + 1].text))
        if token.kind != "number":
            raise _shape_error(token)
        if not all(ch in _DIGITS for ch in token.text):
            raise _error("shape_not_whole", found=_show(token.text))
        dims_list.append(int(token.text))
    dims = tuple(dims_list)
    return Answer("shape", dims, (len(dims),), text)


def _strip_pair(tokens: list[_Token], opener: str, closer: str) -> list[_Token]:
    """Drop a leading `opener` (already checked) and the trailing `closer`, or raise."""
    if len(tokens) < 2 or tokens[-1].text != closer:
        raise _error("missing_closer", closer=closer, opener=opener, position=tokens[0].start + 1)
    return tokens[1:-1]


def _shape_error(token: _Token) -> AnswerError:
    if token.kind == "end":
        return _error("shape_expected")
    return _error("shape_found", found=_show(token.text), position=token.start + 1)


def number_options(options: Sequence[str]) -> list[float] | None:
    """The values of a choice question's options when they are all numbers, else None.

    An option is a number when its text parses as one (`0.2838`, `-3`, `1.2e-5`). Then a number
    typed as the answer selects the option with that value; otherwise it is an option's number.

    Examples:
        >>> number_options(["0.5", "2"]), number_options(["w₀", "w₁"])
        ([0.5, 2.0], None)
    """
    values: list[float] = []
    for option in options:
        try:
            answer = _parse(option, "number", (), ())
        except AnswerError:
            return None
        values.append(float(answer.value))  # type: ignore[arg-type]
    return values if values else None


def _parse_choice(text: str, options: Sequence[str]) -> Answer:
    compact = "".join(ch for ch in text if ch not in _SPACE)
    count = len(options)
    letters = letter_range(count) if count else ""
    match = _CHOICE_PATTERN.fullmatch(compact)
    if match is not None:
        letter = (match.group(1) or match.group(2)).upper()
        if count and ord(letter) - ord("A") >= count:
            raise _error("not_an_option", letters=letters)
        return Answer("choice", letter, (), text)
    if count:
        values = number_options(options)
        if values is not None:
            return _choice_by_value(text, values, letters)
        number = _OPTION_NUMBER_PATTERN.fullmatch(compact)
        if number is not None:
            position = int(number.group(1) or number.group(2))
            if not 1 <= position <= count:
                raise _error("not_an_option", letters=letters)
            return Answer("choice", chr(ord("A") + position - 1), (), text)
        numbers = _number_range(count)
        raise _error(
            "choice_expected_numbered", letters=letters, numbers=numbers, found=_show(text, 20)
        )
    raise _error("choice_expected", found=_show(text, 20))


def _choice_by_value(text: str, values: list[float], letters: str) -> Answer:
    """The option whose value was typed (options that are numbers), or an error."""
    try:
        typed = _parse(text, "number", (), ())
    except AnswerError:
        raise _error("choice_expected_letters", letters=letters, found=_show(text, 20)) from None
    for i, value in enumerate(values):
        if typed.value == value:
            return Answer("choice", chr(ord("A") + i), (), text)
    raise _error("not_an_option_value", found=_show(text, 20), letters=letters)
