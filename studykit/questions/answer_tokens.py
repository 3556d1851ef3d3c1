r"""Reading an answer's characters (정규화 normalization, 토큰 분리 tokenizing), under caps.

The first steps of reading a typed answer, before any grammar (`studykit.questions.answers`
has the whole path):

1. **Normalize** (`normalize`). Superscript runs become powers (`10⁻³` → `10^(-3)`), vulgar
   fractions get parentheses (`½` → `(1/2)`, so `1½` is an error instead of `11/2`), then
   Unicode NFKC folds full-width characters (`１２３` → `123`), dashes and the minus sign become
   `-`, `×`/`·` become `*`, `÷` and the fraction slash become `/`, and surrounding whitespace
   is stripped.
2. **Caps (상한), before any parsing**, so hostile input is rejected in microseconds: at most
   2000 characters (`MAX_LENGTH`), bracket nesting at most 6 deep (`MAX_DEPTH`, a character
   scan), at most 1000 tokens (`MAX_TOKENS`).
3. **Tokenize** (토큰 분리기, tokenizer): numbers, names and operators, each with its position.
   A number literal has at most 30 digits before its exponent (`MAX_DIGITS`), an exponent of at
   most 3 digits, and a value of at most \(10^{300}\) (`MAX_MAGNITUDE`).

Example:
    >>> normalize(" −１２³ × ½ ")
    '-12^(3) * (1/2)'
    >>> [token.text for token in _tokenize("2x^2 + .5")]
    ['2', 'x', '^', '2', '+', '.5', '']

Common mistakes:
    - Counting positions in the raw text: every position in a message refers to the normalized
      text, which can be longer (`½` becomes `(1/2)`).
    - Typing `1½` for one and a half: the fraction keeps its parentheses, so this is refused
      (a missing operator), never read as `11/2`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from studykit.questions.answer_messages import _error

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_LENGTH",
    "MAX_MAGNITUDE",
    "MAX_RAW_LENGTH",
    "MAX_TOKENS",
    "normalize",
]

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
MAX_MAGNITUDE: Final = 1e300
"""Largest \\(|v|\\) allowed for any value, literal or intermediate."""

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
