r"""Checking an answer (채점, grading) against the key, and naming the mistake when we can.

`check` parses the student's text with `studykit.questions.answers` and compares it with the key
of the question (`Key`), in an order that gives the most useful message first:

1. **Shape** (tensor and shape kinds): a tensor of the wrong shape is wrong whatever its
   numbers, so the message is the shapes, e.g. "expected shape (2, 3), got (3, 2)". A plain
   number `2.5` (shape `()`) and the one-element tensor `[2.5]` (shape `(1,)`) are different.
2. **Values**, entry by entry, at the key's stated **precision** (정밀도, `Precision`): the
   precision every prompt states ("Give the answer to 3 significant figures.", `answer_format`).
   Integers, shapes and choices are exact; an expression is compared as a function, at sample
   points. The message lists the first few wrong positions ("entries [0, 1] and [1, 0] are
   off").
3. **Misconceptions** (오개념): only when the answer is wrong, each known wrong answer is
   compared with it in order, at the same precision (a misconception's value rounded the way
   the prompt asks is recognized); the first that matches names the mistake and carries its
   feedback. A correct answer is never a misconception.
4. **Why else it is wrong**, when no misconception matched: "not precise enough" for an answer
   that is the key correctly rounded to fewer digits than asked (`0.67` for \(2/3\) at 3
   significant figures), "must be a whole number" for a non-whole entry where the key's entries
   are whole numbers (`[21.1, 2, 2]` for split sizes).

The rules live beside this module: precisions, tolerances and the format statement in
`studykit.questions.precision`, comparing expressions at sample points in
`studykit.questions.expression_samples`, a key's plain value read as an answer in
`studykit.questions.key_values`, and every message, in English and Korean
(`check(..., lang="ko")`), in `studykit.questions.answer_messages`; the browser's checker
carries the same tables.

Example:
    >>> check("[[1, 2], [3, 5]]", Key("tensor", [[1, 2], [3, 4]])).message
    'entry [1, 1] is off'
    >>> check("0.67", Key("number", 2 / 3)).message
    'not precise enough. Give the answer to 3 significant figures.'

Common mistakes:
    - Treating an unreadable answer as a wrong one: `check` raises `AnswerError` for text that
      is not an answer of the key's kind (show its message and let the student try again),
      while a wrong answer is a `Verdict` with ``correct`` False.
    - Listing a general misconception before a specific one: the first that matches is
      reported, so list the specific ones first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from studykit.questions.answer_messages import CHECK_MESSAGES as MESSAGES
from studykit.questions.answer_messages import LANGUAGES, _say
from studykit.questions.answers import KINDS, Answer, AnswerKind, parse_answer
from studykit.questions.expression_samples import (
    DEFAULT_DOMAIN,
    SAMPLE_COUNT,
    SAMPLE_POINTS,
    _agree_at_samples,
    _disagreement,
    _domain,
    _names_in,
    _Samples,
    _too_few_message,
    sample_points,
)
from studykit.questions.key_values import (
    KeyValue,
    _as_answer,
    _flatten,
    _index_text,
    _number,
    _number_tuple,
    _options,
    _quick_answer,
    _shape_text,
    _unravel,
    _usual_options,
)
from studykit.questions.precision import (
    DEFAULT_PRECISION,
    DEFAULT_TOLERANCE,
    EXACT,
    MAX_FIGURES,
    Precision,
    Rule,
    Tolerance,
    _rounded_coarser,
    accepted_error,
    close,
    precision_format,
)

# The checker's names, wherever they are defined, stay importable from here.
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
    "KeyMaker",
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

_MAX_LISTED: Final = 3
_MAX_EXPRESSIONS: Final = 64  # expression keys a `KeyMaker` keeps, by text


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
        kind = self.kind
        if kind not in KINDS:
            raise ValueError(f"key kind must be one of {KINDS}, got {kind!r}")
        domain = _domain(self.domain)
        options = _options(self.options, kind)
        precision = self.precision
        if precision is None and self.tolerance is None:
            precision = DEFAULT_PRECISION[kind]
        _check_precision(precision, kind)
        tolerance = self.tolerance
        if tolerance is None:
            tolerance = DEFAULT_TOLERANCE[kind] if precision is None else precision.tolerance()
        variables = self.variables or _key_variables(kind, self.value)
        expected = _as_answer(self.value, kind, variables, "key", options)
        if self.shape and tuple(self.shape) != expected.shape:
            raise ValueError(
                f"key shape {_shape_text(tuple(self.shape))} does not match the shape "
                f"{_shape_text(expected.shape)} of its value"
            )
        # The fields filled in, all at once (the class is frozen, so not by assignment).
        vars(self).update(
            domain=domain,
            options=options,
            precision=precision,
            tolerance=tolerance,
            variables=variables,
            shape=expected.shape,
            expected=expected,
        )


class KeyMaker:
    """Keys of one kind, tolerance, domain and precision, one per value (a key per variant).

    ``maker(value, options)`` is ``Key(kind, value, (), tolerance, domain=domain,
    precision=precision, options=options)``, field for field, error for error. `Key` checks the
    kind, domain, precision and tolerance every time; a maker lets its first key check them and
    keeps the outcome, which depends on nothing else. Later values in their usual form (as
    `_quick_answer` reads them) with usual options skip the checks that already passed; any other
    value is built by `Key`. An expression key (whose variables come from its text) is built by
    `Key` once per text and copied after: parsing costs far more than a key of any other kind,
    and a template's keys repeat a few texts.

    Example:
        >>> make = KeyMaker("number", precision=Precision(sigfigs=3))
        >>> make(0.25) == Key("number", 0.25, precision=Precision(sigfigs=3))
        True
    """

    def __init__(
        self,
        kind: AnswerKind,
        *,
        tolerance: Tolerance | None = None,
        domain: tuple[float, float] = DEFAULT_DOMAIN,
        precision: Precision | None = None,
    ) -> None:
        self.kind, self.tolerance, self.domain, self.precision = kind, tolerance, domain, precision
        self._checked: tuple[tuple[float, float], Precision | None, Tolerance | None] | None = None
        self._expressions: dict[str, Key] = {}  # text -> its key, for expression keys

    def __call__(self, value: KeyValue, options: tuple[str, ...] = ()) -> Key:
        """The key of ``value`` (``options`` for a choice key, as `Key` takes them)."""
        kind, checked = self.kind, self._checked
        if kind == "expression" and type(value) is str and not options:
            return self._expression(value)
        if checked is not None and _usual_options(options, kind):
            shown = tuple(options) if options else ()
            expected = _quick_answer(value, kind, ("x",), shown)
            if expected is not None:
                key: Key = object.__new__(Key)
                domain, precision, tolerance = checked
                vars(key).update(
                    kind=kind,
                    value=value,
                    shape=expected.shape,
                    tolerance=tolerance,
                    variables=("x",),
                    domain=domain,
                    precision=precision,
                    options=shown,
                    expected=expected,
                )
                return key
        key = Key(
            kind,
            value,
            (),
            self.tolerance,
            domain=self.domain,
            precision=self.precision,
            options=options,
        )
        if kind != "expression":  # its variables depend on the value
            self._checked = (key.domain, key.precision, key.tolerance)
        return key

    def _expression(self, text: str) -> Key:
        """The expression key of ``text``: a copy of the one `Key` built for it before."""
        known = self._expressions.get(text)
        if known is None:
            known = Key(
                "expression", text, (), self.tolerance, domain=self.domain, precision=self.precision
            )
            if len(self._expressions) >= _MAX_EXPRESSIONS:
                self._expressions.clear()
            self._expressions[text] = known
        key: Key = object.__new__(Key)
        vars(key).update(vars(known))  # a key of its own; its parts are frozen
        return key


def _key_variables(kind: AnswerKind, value: object) -> tuple[str, ...]:
    """The variables of a key that names none: `x`, and every other name of an expression."""
    if kind != "expression":
        return ("x",)
    return ("x", *(name for name in _names_in(value) if name != "x"))


def _check_precision(precision: Precision | None, kind: AnswerKind) -> None:
    if precision is not None and not isinstance(precision, Precision):
        raise TypeError(f"key precision must be a Precision, got {type(precision).__name__}")
    if kind == "expression" and precision is not None:
        raise ValueError("an expression key has no precision (it is compared as a function)")
    if kind in ("integer", "shape", "choice") and precision is not None and not precision.exact:
        raise ValueError(f"a key of kind {kind!r} is exact: it takes no sigfigs or decimals")


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


def key_rule(key: Key) -> Rule:
    """The precision (or, for older keys, the tolerance) a key is graded by."""
    return _rule(key)


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
    samples = _Samples(given, key.variables, key.domain) if key.kind == "expression" else None
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


def _compare_expressions(
    given: Answer, expected: Answer, rule: Rule, key: Key, lang: str, samples: _Samples | None
) -> Verdict:
    """Compare an expression answer with the key's (or a misconception's) at the sample points."""
    if samples is None:
        samples = _Samples(given, key.variables, key.domain)
    wanted = _Samples(expected, key.variables, key.domain)
    agree = _agree_at_samples(samples, wanted, rule)
    if agree is None:
        return Verdict(False, _too_few_message(key.domain, lang))
    if agree:
        return Verdict(True, _say(lang, "correct"))
    return Verdict(False, _disagreement(samples, wanted, rule, lang))
