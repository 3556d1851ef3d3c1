r"""A key's value as plain Python (정답 값, key value), read as the answer it stands for.

A question's key and its misconceptions give their values as plain Python: a float, an int,
nested lists (`tensor.tolist()`), a tuple of sizes, a letter, or text read with the answer
parser (`"1/3"`, `"x*(1-x)"`). `_as_answer` turns such a value into the `Answer` a student's
typed text would parse to, so the checker compares like with like; a value that no answer of the
kind could be is a question bug (`ValueError` or `TypeError`, naming the key or misconception),
never the student's. A key is built for every variant, so the usual values (a float, an int, one
letter, a list of sizes, rows of numbers) are read without the parser (`_quick_answer`), to the
same `Answer`; a choice key's options are checked here too (`_options`). The rest says where a
tensor's entries are, for messages: row-major order (`_flatten`, `_unravel`), 0-based indices
(`[0, 1]`) and shapes (`(2,)`, `(2, 3)`).

Example:
    >>> _as_answer([[1, 2.5]], "tensor", ("x",), "key")
    Answer(kind='tensor', value=[[1.0, 2.5]], shape=(1, 2), text='')
    >>> _unravel(4, (2, 3)), _shape_text((2,))
    ((1, 1), '(2,)')

Common mistakes:
    - Giving a torch tensor as the value: it must be plain lists (`tensor.tolist()`), or the key
      is refused ("key must be a number, got Tensor").
    - Giving `True` for a number or a size: a bool is not a number here.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from typing import Any, Final, TypeAlias

from studykit.questions.answer_messages import AnswerError
from studykit.questions.answer_tree import Nested, Node
from studykit.questions.answers import (
    MAX_OPTIONS,
    Answer,
    AnswerKind,
    parse_answer,
    tensor_shape,
)

__all__ = ["KeyValue"]

KeyValue: TypeAlias = float | int | str | tuple[int, ...] | Sequence[Any] | Node
"""A key or misconception value: a number, nested lists, a shape, a letter or expression text
(any text is also read with the answer parser, so `"1/3"` works for a number key)."""

_EXACT_INT: Final = 2**53
"""Largest \\(|n|\\) such that every int up to it is exactly a float."""
_LETTERS: Final = frozenset(string.ascii_letters)


def _as_answer(
    value: object,
    kind: AnswerKind,
    variables: tuple[str, ...],
    what: str,
    options: tuple[str, ...] = (),
) -> Answer:
    """Turn a key or misconception value into the `Answer` a parse of its text would give."""
    quick = _quick_answer(value, kind, variables, options)
    return quick if quick is not None else _checked_answer(value, kind, variables, what, options)


def _quick_answer(
    value: object, kind: AnswerKind, variables: tuple[str, ...], options: tuple[str, ...]
) -> Answer | None:
    """The `Answer` of a value in its usual form, without the parser; None for any other value.

    A finite float (number), an int that a float holds exactly (integer), one letter within the
    options (choice), a list of finite floats or of equally long rows of them (tensor), a list of
    ints, none negative (shape): the `Answer` that `_checked_answer` gives, in a fraction of the
    time (a key is built for every variant). Any other value, valid or not, goes the checked
    way, with its messages.
    """
    if kind == "number" and type(value) is float and -1e300 <= value <= 1e300:
        return _answer(kind, value, ())
    if kind == "integer" and type(value) is int and -_EXACT_INT <= value <= _EXACT_INT:
        return _answer(kind, value, ())
    if kind == "choice" and type(value) is str and len(value) == 1 and value in _LETTERS:
        letter = value.upper()
        fits = not options or ord(letter) - ord("A") < len(options) <= MAX_OPTIONS
        if fits and variables == ("x",):  # variables the parser accepts too
            return _answer(kind, letter, (), value)
    if kind == "tensor":
        rows = _float_rows(value)
        if rows is not None:
            return _answer(kind, rows[0], rows[1])
    if kind == "shape" and isinstance(value, tuple | list) and _plain_sizes(value):
        return _answer(kind, tuple(value), (len(value),))
    return None


def _answer(kind: AnswerKind, value: Any, shape: tuple[int, ...], text: str = "") -> Answer:
    """``Answer(kind, value, shape, text)``, with its fields filled in directly.

    The frozen ``__init__`` sets each field through ``object.__setattr__``, which was most of
    a quick answer's time.
    """
    answer: Answer = object.__new__(Answer)
    vars(answer).update(kind=kind, value=value, shape=shape, text=text)
    return answer


def _plain_sizes(values: Sequence[object]) -> bool:
    """Whether every entry is an int (not a bool) that is not negative."""
    return all(type(value) is int and value >= 0 for value in values)


def _float_rows(value: object) -> tuple[Nested, tuple[int, ...]] | None:
    """A list of finite numbers, or of equally long such rows, as floats with its shape; else None.

    Ints that a float holds exactly become floats, as `_to_nested` makes them (an index tensor's
    key: ``[2, 0, 3]``).
    """
    if not isinstance(value, list | tuple):
        return None
    if not value or not isinstance(value[0], list | tuple):
        row = _float_row(value)
        return None if row is None else (row, (len(row),))
    rows: list[Nested] = []
    width = -1
    for item in value:
        if not isinstance(item, list | tuple) or width not in (-1, len(item)):
            return None
        row = _float_row(item)
        if row is None:
            return None
        width = len(item)
        rows.append(row)
    return rows, (len(rows), width)


def _float_row(row: Sequence[object]) -> list[Nested] | None:
    """``row`` as a new list of floats, if each entry is a finite float or an exact int."""
    if all(type(item) is float and -1e300 <= item <= 1e300 for item in row):
        return list(row)  # type: ignore[arg-type]
    floats: list[Nested] = []
    for item in row:
        if type(item) is float and -1e300 <= item <= 1e300:
            floats.append(item)
        elif type(item) is int and -_EXACT_INT <= item <= _EXACT_INT:
            floats.append(float(item))
        else:
            return None
    return floats


def _options(options: object, kind: AnswerKind) -> tuple[str, ...]:
    """A key's options, checked: up to 8 texts, and only for a choice key."""
    if not options:
        return ()
    if kind != "choice":
        raise ValueError(f"only a choice key has options, not a key of kind {kind!r}")
    if not isinstance(options, tuple | list) or not all(isinstance(o, str) for o in options):
        raise TypeError(f"key options must be a sequence of texts, got {options!r}")
    if len(options) > 8:
        raise ValueError(f"a choice key has at most 8 options, got {len(options)}")
    return tuple(options)


def _usual_options(options: object, kind: AnswerKind) -> bool:
    """Whether `_options` would take ``options`` as they are: none, or up to 8 choice texts."""
    if not options:
        return True
    return (
        kind == "choice"
        and isinstance(options, tuple | list)
        and len(options) <= 8
        and all(isinstance(option, str) for option in options)
    )


def _checked_answer(
    value: object,
    kind: AnswerKind,
    variables: tuple[str, ...],
    what: str,
    options: tuple[str, ...],
) -> Answer:
    """`_as_answer` for any value: parsed text, or a plain value checked part by part."""
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


def _number(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


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
