r"""Reading a typed answer (답안 구문 분석, answer parsing): text in, a comparable value out.

A student types `1/3`, `83.33%`, `[[1, 2], [3, 4.5]]`, `(1, 2, 8)`, `torch.Size([2, 3])`, `(b)`,
`2` (option B) or `2x(1-x)`. This module turns that text into a plain value: a float, an int,
nested lists of floats with their shape, a tuple of ints, one capital letter, or a small
expression tree (구문 트리, syntax tree). It never hands the text to Python: a small tokenizer
(토큰 분리기) and a recursive-descent parser (재귀 하강 파서) written here accept exactly the
grammar below, so the same rules can be ported line by line to JavaScript for the static site and
give the same verdicts (and the same messages, in English and Korean).

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
term      = unary { ("*" | "/") unary | implicit } ;
implicit  = power ;                       (* expression answers only: see below *)
unary     = { "+" | "-" } power ;
power     = atom [ ("**" | "^") unary ] ;             (* right-associative, at most 8 in a row *)
atom      = ( NUMBER | "(" expr ")" ) [ "%" ]         (* "%": number and tensor answers only *)
          | constant | variable | function "(" expr ")" ;
function  = "sqrt" | "exp" | "log" | "ln" | "sin" | "cos" | "tanh"
          | "sinh" | "cosh" | "sech" | "sigmoid" | "σ" | "softplus" | "relu" | "abs" ;
            (* number answers: sqrt, exp, log and ln only *)
constant  = "pi" | "π" | "e" ;
NUMBER    = DIGITS [ "." [ DIGITS ] ] [ EXP ] | "." DIGITS [ EXP ] ;
EXP       = ("e" | "E") [ "+" | "-" ] DIGITS ;        (* at most 30 digits before EXP *)

number     = expr ;
integer    = expr ;                                   (* its value must be whole *)
tensor     = [ [ "torch" "." ] "tensor" "(" ] item [ ")" ] ;   (* the wrapper's ")" is required *)
item       = "[" items "]" | "(" items ")" | expr ;   (* "(" items ")": a tuple, see below *)
items      = [ item { "," item } [ "," ] ] ;          (* rectangular *)
shape      = [ [ "torch" "." ] "Size" "(" ] dims [ ")" ] | INT { ("x" | "X" | "*") INT } ;
dims       = "(" ints ")" | "[" ints "]" | ints ;
ints       = [ INT { "," INT } [ "," ] ] ;            (* INT: plain digits, so never negative *)
choice     = LETTER | "(" LETTER ")" | LETTER ")" | LETTER "."
           | INT | "(" INT ")" | INT ")" | INT "." ;  (* INT: an option's number, 1 for A *)
expression = expr ;                                   (* names: the given variables *)
```

So `-2^2` is \(-(2^2) = -4\), `2^-1` is \(0.5\), `2^3^2` is \(2^9\) and `83.33%` is \(0.8333\).

**Tuples in tensors.** A parenthesis in a tensor answer that holds a comma at its own level, or
nothing, is a list: `(1, 2, 8)` (what `.stride()` prints) is `[1, 2, 8]`, `((1, 2), (3, 4))` is
a 2×2 tensor and `(5,)` is `[5]`; `(1 + 2)` stays a number. (Which parentheses are tuples is
found by one scan of the tokens before parsing, so nothing is parsed twice.)

**Implicit multiplication** (생략된 곱셈), in expression answers only: a factor written right
after a number, a name or `)` multiplies it when it starts with a name or `(`: `2x`, `2(x+1)`,
`x(1-x)` (a variable is never a function), `(x+1)(x-1)`, `2 sigmoid(x)`, `xσ(x)`. It binds like
`*`, so `2x^2` is \(2x^2\) and `-2x` is \((-2)x\). Refused, with a one-line message saying what to
write, where the reading is not clear:

- right after a power: `e^2x` (\(e^{2x}\) or \(e^2 x\)?) and `x^2(1-x)`: write `e^(2x)` or `e^2*x`;
- right after a division: `1/2x` (\(1/(2x)\) or \(x/2\)?): write `1/(2x)` or `x/2`;
- a number after anything (`x 2`, `(x+1)2`), and the constant `e` right after a number unless a
  power follows (`3e^x` is \(3e^x\), but `2e` looks like an unfinished `2e-3`, and `2e + 1`
  would differ from the literal `2e+1` by spaces alone).

Number, integer and tensor answers keep `*` explicit (`2pi` is an error), so `1½` cannot become
\(1 \cdot \tfrac12\).

**Choices.** With the options known (`options=`), a letter past the last option is "not one of
the options (A–C)", and an option's number (`2` for B) is read as its letter, unless the options
are themselves numbers (auto choices, or options such as `3` and `7`): then a number must be one
of the options' values as shown (`0.2838`), and selects that option.

Error messages are one line, in English (`str(error)`) and in Korean (`error.in_language("ko")`,
or `parse_answer(..., lang="ko")`), from the table `MESSAGES`. They count character positions from
1 in the normalized text ("5번째 글자" in Korean) and give tensor positions as 0-based indices
("entry [0, 1]", "인덱스 [0, 1]").

Common mistakes:
    - Typing a comma as the decimal point (`1,5`): it is read as two items, so a number answer is
      rejected with "unexpected ','".
    - Writing `e-3` for \(10^{-3}\): `e` alone is Euler's number; write `1e-3`.
    - Expecting `(2)` to be a number in a shape answer: it means the shape `(2,)`, as students
      usually intend; in a tensor answer write `[2]` or `(2,)` for a one-element tensor.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Literal, TypeAlias

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
LANGUAGES: Final = ("en", "ko")
"""The languages of the messages: English first (the default, and `str()` of an error)."""

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
MAX_OPTIONS: Final = 8
"""Most options of a choice question (A to H)."""

_SPACE: Final = " \t\n\r\f\v"
_DIGITS: Final = "0123456789"
_NAME_START: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_NAME_REST: Final = _NAME_START + _DIGITS
_OPERATORS: Final = "+-*/^()[],.%"
_SINGLE_NAMES: Final = "πσ"  # one-character names outside ASCII: pi, sigmoid
_SUPERSCRIPTS: Final = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻"
_VULGAR_FRACTIONS: Final = "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞⅟↉"
_REPLACEMENTS: Final[dict[str, str]] = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("×·⋅∗", "*"),
    **dict.fromkeys("÷⁄∕", "/"),
}
_NUMBER_FUNCTIONS: Final = ("sqrt", "exp", "log", "ln")
_EXPRESSION_FUNCTIONS: Final = (
    *("sqrt", "exp", "log", "ln", "sin", "cos", "tanh", "sinh", "cosh", "sech"),
    *("sigmoid", "σ", "softplus", "relu", "abs"),
)
FUNCTION_NAMES: Final[dict[str, str]] = {
    "number": "sqrt, exp, log (ln)",
    "expression": "sqrt, exp, log (ln), sin, cos, tanh, sinh, cosh, sech, sigmoid (σ), "
    "softplus, relu, abs",
}
"""The functions an answer of each kind may use, as a prompt lists them."""
_CONSTANTS: Final = ("pi", "e")
_RESERVED: Final = (*_EXPRESSION_FUNCTIONS, *_CONSTANTS, "torch", "tensor", "Size")
_NAME_PATTERN: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIMS_PATTERN: Final = re.compile(r"[0-9]+(?:[ \t]*[xX*][ \t]*[0-9]+)+")
_CHOICE_PATTERN: Final = re.compile(r"\(([A-Za-z])\)|([A-Za-z])[).]?")
_OPTION_NUMBER_PATTERN: Final = re.compile(r"\(([0-9]{1,3})\)|([0-9]{1,3})[).]?")

Function: TypeAlias = Literal[
    "sqrt", "exp", "log", "sin", "cos", "tanh", "sinh", "cosh", "sech", "sigmoid", "softplus",
    "relu", "abs",
]  # fmt: skip

# --- messages ----------------------------------------------------------------------------------

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "empty": "empty answer",
        "too_long": "answer longer than {limit} characters",
        "too_deep": "nesting deeper than {limit} levels",
        "too_many_tokens": "answer has more than {limit} numbers and symbols",
        "bad_character": "unexpected character {quoted} at position {position}",
        "too_many_digits": "number {number} has more than {limit} digits",
        "out_of_range": "number {number} is out of range",
        "too_large": "number too large: {what} is over 1e300",
        "missing_closer": "missing '{closer}' for the '{opener}' at position {position}",
        "expected_closer": "expected '{closer}' at position {position}, found '{found}'",
        "missing_operator": (
            "missing operator before '{found}' at position {position} (multiply with *, like 2*x)"
        ),
        "after_power": (
            "missing operator before '{found}' at position {position} (after a power, write * "
            "or put the exponent in parentheses: e^2*x or e^(2x))"
        ),
        "after_division": (
            "missing operator before '{found}' at position {position} (after /, put a product "
            "in parentheses: 1/(2x) or x/2)"
        ),
        "unexpected": "unexpected '{found}' at position {position}",
        "unexpected_in_tensor": (
            "unexpected '{found}' at position {position} (write a list in brackets, like [1, 2])"
        ),
        "unexpected_end": "unexpected end of answer (expected a number or '(')",
        "too_many_powers": "more than {limit} powers in a row (at position {position})",
        "needs_parentheses": "'{name}' needs parentheses, like {name}(2) (at position {position})",
        "unknown_name": "unknown name '{name}' (allowed: {allowed})",
        "missing_comma": "missing ',' before '{found}' at position {position}",
        "expected_comma": "expected ',' or '{closer}' at position {position}, found '{found}'",
        "division_by_zero": "division by zero in {what}",
        "sqrt_negative": "sqrt of a negative number in {what}",
        "log_nonpositive": "log of a non-positive number in {what}",
        "exponent_too_large": "exponent too large: {what} is over the limit of {limit}",
        "zero_negative_power": "division by zero: 0 to a negative power in {what}",
        "negative_fractional_power": "negative number to a fractional power in {what}",
        "row_length": "row {row} has {count} {entries}, expected {expected}",
        "list_length": "the list at {index} has {count} {entries}, expected {expected}",
        "item_is_number": "the item at {index} is a number, expected a list",
        "item_is_list": "the item at {index} is a list, expected a number",
        "not_whole": "expected a whole number, got {value}",
        "shape_negative": "shape entries cannot be negative, got -{found}",
        "shape_not_whole": "shape entries must be whole numbers, got {found}",
        "shape_expected": "expected a shape like (2, 3)",
        "shape_found": "expected a shape like (2, 3), found '{found}' at position {position}",
        "choice_expected": "expected one letter like B or (b), got '{found}'",
        "choice_expected_letters": (
            "expected the letter of an option ({letters}), like B or (b), got '{found}'"
        ),
        "choice_expected_numbered": (
            "expected the letter ({letters}) or the number ({numbers}) of an option, got '{found}'"
        ),
        "not_an_option": "not one of the options ({letters})",
        "not_an_option_value": (
            "{found} is not one of the options: answer with its letter ({letters})"
        ),
    },
    "ko": {
        "empty": "답이 비어 있습니다",
        "too_long": "답이 {limit}자를 넘습니다",
        "too_deep": "괄호가 {limit}단계보다 깊게 겹쳐 있습니다",
        "too_many_tokens": "답에 쓴 수와 기호가 {limit}개를 넘습니다",
        "bad_character": "{position}번째 글자에 쓸 수 없는 문자가 있습니다: {quoted}",
        "too_many_digits": "수가 너무 깁니다: {number} ({limit}자리 초과)",
        "out_of_range": "수가 범위를 벗어났습니다: {number}",
        "too_large": "수가 너무 큽니다: {what} (1e300 초과)",
        "missing_closer": "{position}번째 글자의 '{opener}'를 닫는 '{closer}'가 없습니다",
        "expected_closer": "{position}번째 글자에는 '{closer}'가 와야 합니다. 입력: '{found}'",
        "missing_operator": (
            "{position}번째 글자 '{found}' 앞에 연산자가 없습니다 (곱셈은 2*x처럼 *로 씁니다)"
        ),
        "after_power": (
            "{position}번째 글자 '{found}' 앞에 연산자가 없습니다 (거듭제곱 뒤에서는 e^2*x처럼 "
            "*를 쓰거나 e^(2x)처럼 지수를 괄호로 묶으십시오)"
        ),
        "after_division": (
            "{position}번째 글자 '{found}' 앞에 연산자가 없습니다 (/ 뒤의 곱은 1/(2x)처럼 "
            "괄호로 묶거나 x/2처럼 쓰십시오)"
        ),
        "unexpected": "이 자리에 올 수 없는 기호입니다: '{found}' ({position}번째 글자)",
        "unexpected_in_tensor": (
            "이 자리에 올 수 없는 기호입니다: '{found}' ({position}번째 글자). 목록은 [1, 2]처럼 "
            "대괄호로 씁니다"
        ),
        "unexpected_end": "답이 중간에 끝났습니다 (수나 '('가 와야 합니다)",
        "too_many_powers": "거듭제곱이 {limit}번 넘게 이어집니다 ({position}번째 글자)",
        "needs_parentheses": (
            "'{name}' 뒤에는 {name}(2)처럼 괄호가 필요합니다 ({position}번째 글자)"
        ),
        "unknown_name": "알 수 없는 이름입니다: '{name}' (쓸 수 있는 이름: {allowed})",
        "missing_comma": "{position}번째 글자 '{found}' 앞에 쉼표(,)가 없습니다",
        "expected_comma": (
            "{position}번째 글자에는 ',' 또는 '{closer}'가 와야 합니다. 입력: '{found}'"
        ),
        "division_by_zero": "0으로 나눌 수 없습니다: {what}",
        "sqrt_negative": "음수의 제곱근입니다: {what}",
        "log_nonpositive": "0 이하인 수의 로그입니다: {what}",
        "exponent_too_large": "지수가 너무 큽니다: {what} (한도 {limit} 초과)",
        "zero_negative_power": "0으로 나눌 수 없습니다: 0의 음수 거듭제곱 {what}",
        "negative_fractional_power": "음수의 분수 거듭제곱입니다: {what}",
        "row_length": "{row}번째 행의 원소가 {count}개입니다 ({expected}개여야 합니다)",
        "list_length": "인덱스 {index} 목록의 원소가 {count}개입니다 ({expected}개여야 합니다)",
        "item_is_number": "인덱스 {index}의 항목이 수입니다 (목록이어야 합니다)",
        "item_is_list": "인덱스 {index}의 항목이 목록입니다 (수여야 합니다)",
        "not_whole": "정수가 아닙니다: {value}",
        "shape_negative": "모양의 크기는 음수일 수 없습니다: -{found}",
        "shape_not_whole": "모양의 크기는 정수여야 합니다: {found}",
        "shape_expected": "모양을 (2, 3)처럼 쓰십시오",
        "shape_found": "모양을 (2, 3)처럼 쓰십시오. {position}번째 글자: '{found}'",
        "choice_expected": "B나 (b)처럼 선택지의 글자 하나로 답하십시오. 입력: '{found}'",
        "choice_expected_letters": "선택지의 글자({letters})로 답하십시오. 입력: '{found}'",
        "choice_expected_numbered": (
            "선택지의 글자({letters})나 번호({numbers})로 답하십시오. 입력: '{found}'"
        ),
        "not_an_option": "선택지에 없는 답입니다 ({letters})",
        "not_an_option_value": (
            "선택지에 없는 값입니다: {found} (선택지의 글자 {letters} 중 하나로 답하십시오)"
        ),
    },
}
"""Every message of the parser, per language: ``str.format`` patterns, keyed by a code.

The browser's checker carries the same table (tests/test_js_checker.py compares them)."""


class AnswerError(ValueError):
    r"""An answer that cannot be read; the message is one line saying what and where.

    `str(error)` is the message in the language it was raised for (English unless
    `parse_answer(..., lang=...)` asked for another); `in_language` gives any language.

    Attributes:
        translations: The message in each language of `MESSAGES` (language → text).

    Examples:
        >>> try:
        ...     parse_answer("1 + )", "number")
        ... except AnswerError as error:
        ...     print(error)
        ...     print(error.in_language("ko"))
        unexpected ')' at position 5
        이 자리에 올 수 없는 기호입니다: ')' (5번째 글자)
    """

    def __init__(self, message: str, translations: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.translations: dict[str, str] = dict(translations or {"en": message})

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` (English where there is no translation)."""
        return self.translations.get(lang) or self.translations.get("en") or str(self)

    def localized(self, lang: str) -> AnswerError:
        """The same error with its message in ``lang`` (what `str()` shows)."""
        return AnswerError(self.in_language(lang), self.translations)


def _error(code: str, **fields: object) -> AnswerError:
    """The `AnswerError` of message ``code``, in every language, English first."""
    texts = {lang: table[code].format(**fields) for lang, table in MESSAGES.items()}
    return AnswerError(texts["en"], texts)


def letter_range(count: int) -> str:
    """The letters of ``count`` options as a message shows them: ``A–C`` (``A`` for one).

    Examples:
        >>> letter_range(3), letter_range(1)
        ('A–C', 'A')
    """
    return "A" if count == 1 else f"A–{chr(ord('A') + count - 1)}"


def _number_range(count: int) -> str:
    return "1" if count == 1 else f"1–{count}"


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
        raise _error("empty")
    if len(text) > MAX_LENGTH:
        raise _error("too_long", limit=MAX_LENGTH)
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
            if depth > MAX_DEPTH:
                raise _error("too_deep", limit=MAX_DEPTH)
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
            raise _error("too_many_tokens", limit=MAX_TOKENS)
        if ch in _DIGITS or (ch == "." and i + 1 < len(text) and text[i + 1] in _DIGITS):
            end = _number_end(text, i)
            tokens.append(_Token("number", text[i:end], i))
        elif ch in _SINGLE_NAMES:
            end = i + 1
            tokens.append(_Token("name", ch, i))
        elif ch in _NAME_START:
            end = i + 1
            while end < len(text) and text[end] in _NAME_REST:
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
            raise _error("bad_character", quoted=f"{quote}{_show(ch)}{quote}", position=i + 1)
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
        raise _error("too_many_digits", number=_show(literal), limit=MAX_DIGITS)
    if len(exponent) > 3:
        raise _error("out_of_range", number=_show(literal))
    if abs(float(literal)) > MAX_MAGNITUDE:
        raise _error("too_large", what=_show(literal))
    return i


def _tuple_parentheses(tokens: list[_Token]) -> set[int]:
    """The indices of the `(` tokens that open a tuple: a comma at their own level, or nothing.

    One pass with a stack of open brackets, so a tensor answer is never parsed twice.
    """
    tuples: set[int] = set()
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token.kind != "op":
            continue
        if token.text in "([":
            stack.append(i)
            if token.text == "(" and tokens[i + 1].text == ")":
                tuples.add(i)
        elif token.text in ")]":
            if stack:
                stack.pop()
        elif token.text == "," and stack and tokens[stack[-1]].text == "(":
            tuples.add(stack[-1])
    return tuples


# --- the parser ------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the token list: one method per grammar rule.

    ``implicit``: juxtaposition multiplies (expression answers); ``percent``: ``%`` divides by
    100 (number and tensor answers); ``tuples``: the ``(`` tokens that open a list (tensors).
    """

    def __init__(
        self,
        text: str,
        tokens: list[_Token],
        functions: tuple[str, ...],
        variables: tuple[str, ...],
        *,
        implicit: bool = False,
        percent: bool = False,
        tuples: set[int] | None = None,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.functions = functions
        self.variables = variables
        self.implicit = implicit
        self.percent = percent
        self.tuples = tuples or set()

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
            raise _error(
                "missing_closer", closer=bracket, opener=opened.text, position=opened.start + 1
            )
        raise _error(
            "expected_closer", closer=bracket, position=token.start + 1, found=_show(token.text)
        )

    def finish(self, code: str = "unexpected") -> None:
        token = self.peek()
        if token.kind == "end":
            return
        where = {"found": _show(token.text), "position": token.start + 1}
        if token.kind in ("number", "name") or token.text == "(":
            raise _error("missing_operator", **where)
        raise _error(code, **where)

    def unexpected(self, token: _Token) -> AnswerError:
        if token.kind == "end":
            return _error("unexpected_end")
        return _error("unexpected", found=_show(token.text), position=token.start + 1)

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
        last, divided = first, False
        while True:
            if self.at("*", "/"):
                op: Literal["*", "/"] = "*" if self.advance().text == "*" else "/"
                last, divided = self.unary(), op == "/"
                rest.append((op, last))
            elif self.implicit and self.starts_implicit_factor():
                token = self.peek()
                where = {"found": _show(token.text), "position": token.start + 1}
                if divided:
                    raise _error("after_division", **where)
                if self.ends_in_power(last):
                    raise _error("after_power", **where)
                last = self.power()
                rest.append(("*", last))
            else:
                break
        if not rest:
            return first
        return Product(first, tuple(rest), first.start, rest[-1][1].end)

    def starts_implicit_factor(self) -> bool:
        """Whether the next token starts a factor multiplied without `*` (see the module)."""
        token = self.peek()
        if token.kind == "name":
            if token.text == "e" and self.tokens[self.index - 1].kind == "number":
                return self.peek(1).text in ("^", "**")  # 3e^x, but not 2e (an unfinished 2e-3)
            return True
        return token.kind == "op" and token.text == "("

    def ends_in_power(self, node: Node) -> bool:
        """Whether a factor ends in a bare exponent: `e^2` or `x^-n`, not `e^(2x)` or `(x^2)`."""
        if isinstance(node, Negate) and self.text[node.start] in "+-":
            return self.ends_in_power(node.operand)
        if not isinstance(node, Power) or node.start != node.base.start:
            return False  # not a power, or a power in parentheses
        exponent = node.exponent
        while isinstance(exponent, Negate) and self.text[exponent.start] in "+-":
            exponent = exponent.operand
        return not (self.text[exponent.start] == "(" and self.text[exponent.end - 1] == ")")

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
                raise _error("too_many_powers", limit=MAX_POWERS, position=op.start + 1)
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
        node: Node
        if token.kind == "number":
            self.advance()
            end = token.start + len(token.text)
            if self.percent and self.at("%"):
                # The decimal point moves two places (83.33% is exactly the float 0.8333).
                self.advance()
                return Number(_hundredth(token.text), token.text + "%", token.start, end + 1)
            node = Number(float(token.text), token.text, token.start, end)
        elif token.kind == "name":
            self.advance()
            return self.name(token)
        elif self.at("("):
            opened = self.advance()
            inner = self.expr()
            closed = self.close(")", opened)
            node = replace(inner, start=opened.start, end=closed.start + 1)
        else:
            raise self.unexpected(token)
        if self.percent and self.at("%"):
            sign = self.advance()
            hundred = Number(100.0, "100", sign.start, sign.start + 1)
            node = Product(node, (("/", hundred),), node.start, sign.start + 1)
        return node

    def name(self, token: _Token) -> Node:
        name = token.text
        end = token.start + len(name)
        if name in self.functions:
            if not self.at("("):
                raise _error("needs_parentheses", name=name, position=token.start + 1)
            opened = self.advance()
            argument = self.expr()
            closed = self.close(")", opened)
            return Call(_canonical_function(name), argument, token.start, closed.start + 1)
        if name in ("pi", "π"):
            return Constant("pi", token.start, end)
        if name == "e":
            return Constant("e", token.start, end)
        if name in self.variables:
            return Variable(name, token.start, end)
        allowed = ", ".join((*self.variables, *self.functions, *_CONSTANTS))
        raise _error("unknown_name", name=_show(name), allowed=allowed)

    def item(self) -> Nested:
        """A tensor item: a list in brackets, a tuple, or one numeric expression (evaluated)."""
        if self.at("["):
            closer = "]"
        elif self.at("(") and self.index in self.tuples:
            closer = ")"
        else:
            return _evaluate(self.expr(), {}, self.text)
        opened = self.advance()
        items: list[Nested] = []
        while not self.at(closer):
            items.append(self.item())
            if self.at(","):
                self.advance()
                continue
            if self.at(closer):
                break
            token = self.peek()
            if token.kind == "end":
                raise _error(
                    "missing_closer", closer=closer, opener=opened.text, position=opened.start + 1
                )
            where = {"found": _show(token.text), "position": token.start + 1}
            if token.kind in ("number", "name") or token.text in ("(", "["):
                raise _error("missing_comma", **where)
            raise _error("expected_comma", closer=closer, **where)
        self.advance()
        return items


def _hundredth(literal: str) -> float:
    """A number literal divided by 100, as the decimal literal with its point moved."""
    mantissa, _, exponent = literal.lower().partition("e")
    return float(f"{mantissa}e{int(exponent or 0) - 2}")


def _canonical_function(name: str) -> Function:
    """The stored name of a function (`ln` is `log`, `σ` is `sigmoid`)."""
    functions: dict[str, Function] = {
        "sqrt": "sqrt", "exp": "exp", "log": "log", "ln": "log", "sin": "sin", "cos": "cos",
        "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "sech": "sech", "sigmoid": "sigmoid",
        "σ": "sigmoid", "softplus": "softplus", "relu": "relu", "abs": "abs",
    }  # fmt: skip
    return functions[name]


# --- evaluation ------------------------------------------------------------------------------


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
        >>> tree = parse_answer("x*(1-x)", "expression").value
        >>> evaluate(tree, {"x": 0.25})
        0.1875
        >>> evaluate(parse_answer("σ(x)(1 - σ(x))", "expression").value, {"x": 0.0})
        0.25
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

    Kinds and what they accept (the module docstring has the full grammar):

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
