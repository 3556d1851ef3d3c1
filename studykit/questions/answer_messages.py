r"""What the answer checker says (채점 메시지, grading messages), in English and Korean.

Two tables of ``str.format`` patterns keyed by a code: `PARSE_MESSAGES`, for an answer that
cannot be read (구문 오류, a syntax error: "unexpected ')' at position 5"), and `CHECK_MESSAGES`,
for a verdict and for the one-line format statement under every prompt ("entries [0, 1] and
[1, 0] are off", "Give the answer to 3 significant figures."). Every message is one line, in
English (`str(error)`, the default) or in Korean (`error.in_language("ko")`,
`parse_answer(..., lang="ko")`, `check(..., lang="ko")`). The browser's checker carries the same
two tables under the same names (tests/test_js_checker.py compares them).

Positions are said two ways: a character of the answer counts from 1 in the normalized text
("at position 5", "5번째 글자"), and a tensor entry is a 0-based index ("entry [0, 1]",
"인덱스 [0, 1]"); only the rows of a ragged tensor count from 1 ("row 2 has 1 entry").

Example:
    >>> error = _error("unexpected", found=")", position=5)
    >>> print(error)
    unexpected ')' at position 5
    >>> print(error.in_language("ko"))
    이 자리에 올 수 없는 기호입니다: ')' (5번째 글자)
    >>> _say("ko", "entry_off", index="[0, 1]")
    '인덱스 [0, 1]의 원소가 틀렸습니다'

Common mistakes:
    - Adding a message to one language or one side only: every code must be in both tables of
      both languages, and in the browser's copy, or a student sees an error instead of the
      message.
    - Saying a 0-based position as "N번째": in Korean an index is "인덱스 N" ("1번째" reads as
      "the first"); "N번째 글자" is only for character positions, which count from 1.
    - Putting a space before a particle after a field ("{index} 의"): the patterns attach it
      directly ("인덱스 {index}의").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = [
    "CHECK_MESSAGES",
    "LANGUAGES",
    "PARSE_MESSAGES",
    "AnswerError",
    "letter_range",
]

LANGUAGES: Final = ("en", "ko")
"""The languages of the messages: English first (the default, and `str()` of an error)."""


# --- reading an answer ------------------------------------------------------------------------

PARSE_MESSAGES: Final[dict[str, dict[str, str]]] = {
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
        translations: The message in each language of `PARSE_MESSAGES` (language → text).

    Examples:
        >>> from studykit.questions.answers import parse_answer
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
    texts = {lang: table[code].format(**fields) for lang, table in PARSE_MESSAGES.items()}
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


# --- checking an answer -----------------------------------------------------------------------

CHECK_MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "correct": "correct",
        "incorrect": "incorrect",
        "shape": "expected shape {want}, got {got}",
        "one_element": " (write a one-element tensor in brackets, like [2.5])",
        "no_brackets": " (write a single number without brackets)",
        "entry_off": "entry {index} is off",
        "entries_off": "entries {indices} are off",
        "positions": "{first} and {last}",
        "positions_more": "{listed} and {count} more",
        "imprecise": "not precise enough. {format}",
        "entry_imprecise": "entry {index} is not precise enough. {format}",
        "entries_imprecise": "entries {indices} are not precise enough. {format}",
        "not_whole_entry": "entry {index} must be a whole number, got {value}",
        "not_equivalent": "not equivalent to the expected expression",
        "undefined_at": "undefined at {where} ({reason})",
        "cannot_check": (
            "cannot be checked: the expected expression is defined at fewer than {minimum} of "
            "the {count} sample points in [{lo}, {hi}]"
        ),
        "undecided": (
            "cannot be checked here: too few sample points where both expressions are defined"
        ),
        "format_number_sigfigs": "Give the answer to {n} {figures}.",
        "format_number_decimals": "Give the answer to {n} {places}.",
        "format_number_whole": "Give the answer rounded to a whole number.",
        "format_number_exact": "Give the exact value.",
        "format_number_within": "Give the answer to within {within} of the exact value.",
        "format_fraction_sigfigs": (
            "Give the answer as a fraction (like 2/3) or as a decimal to {n} {figures}."
        ),
        "format_fraction_decimals": (
            "Give the answer as a fraction (like 2/3) or as a decimal to {n} {places}."
        ),
        "format_fraction_whole": (
            "Give the answer as a fraction (like 2/3) or rounded to a whole number."
        ),
        "format_fraction_exact": "Give the exact value, as a fraction (like 2/3) or a decimal.",
        "format_tensor_sigfigs": "Give each entry to {n} {figures}.",
        "format_tensor_decimals": "Give each entry to {n} {places}.",
        "format_tensor_whole": "Give each entry rounded to a whole number.",
        "format_tensor_exact": "Give each entry exactly.",
        "format_tensor_within": "Give each entry to within {within} of the exact value.",
        "format_integer": "Give a whole number.",
        "format_shape": "Give the exact shape, like (2, 3).",
        "format_choice": "Answer with the letter of one option ({letters}).",
        "format_choice_numbered": (
            "Answer with the letter ({letters}) or the number ({numbers}) of one option."
        ),
        "format_choice_any": "Answer with the letter of one option.",
        "format_expression": (
            "Give a formula in {variables}, like 2x(1 - x); you may use + - * / ^, "
            "{functions}, pi and e."
        ),
        "variables_and": "{first} and {last}",
    },
    "ko": {
        "correct": "정답입니다",
        "incorrect": "틀렸습니다",
        "shape": "모양이 다릅니다: 정답은 {want}, 입력한 답은 {got}입니다",
        "one_element": " (원소가 하나인 텐서는 [2.5]처럼 대괄호로 씁니다)",
        "no_brackets": " (수 하나는 대괄호 없이 씁니다)",
        "entry_off": "인덱스 {index}의 원소가 틀렸습니다",
        "entries_off": "인덱스 {indices}의 원소가 틀렸습니다",
        "positions": "{first}, {last}",
        "positions_more": "{listed} 외 {count}개",
        "imprecise": "정밀도가 부족합니다. {format}",
        "entry_imprecise": "인덱스 {index} 원소의 정밀도가 부족합니다. {format}",
        "entries_imprecise": "인덱스 {indices} 원소의 정밀도가 부족합니다. {format}",
        "not_whole_entry": "인덱스 {index}의 원소는 정수여야 합니다: {value}",
        "not_equivalent": "정답 식과 같지 않습니다",
        "undefined_at": "{where}에서 정의되지 않습니다 ({reason})",
        "cannot_check": (
            "채점할 수 없습니다: 정답 식이 [{lo}, {hi}]의 표본점 {count}개 중 {minimum}개 "
            "미만에서만 정의됩니다"
        ),
        "undecided": "여기서는 채점할 수 없습니다: 두 식이 모두 정의되는 표본점이 너무 적습니다",
        "format_number_sigfigs": "유효숫자 {n}자리로 답하십시오.",
        "format_number_decimals": "소수점 아래 {n}자리까지 답하십시오.",
        "format_number_whole": "반올림해 정수로 답하십시오.",
        "format_number_exact": "정확한 값으로 답하십시오.",
        "format_number_within": "오차가 {within} 이내가 되도록 답하십시오.",
        "format_fraction_sigfigs": "분수(예: 2/3)나 유효숫자 {n}자리 소수로 답하십시오.",
        "format_fraction_decimals": (
            "분수(예: 2/3)나 소수점 아래 {n}자리까지의 소수로 답하십시오."
        ),
        "format_fraction_whole": "분수(예: 2/3)나 반올림한 정수로 답하십시오.",
        "format_fraction_exact": "분수(예: 2/3)나 소수로 정확한 값을 답하십시오.",
        "format_tensor_sigfigs": "각 원소를 유효숫자 {n}자리로 답하십시오.",
        "format_tensor_decimals": "각 원소를 소수점 아래 {n}자리까지 답하십시오.",
        "format_tensor_whole": "각 원소를 반올림해 정수로 답하십시오.",
        "format_tensor_exact": "각 원소를 정확한 값으로 답하십시오.",
        "format_tensor_within": "각 원소의 오차가 {within} 이내가 되도록 답하십시오.",
        "format_integer": "정수로 답하십시오.",
        "format_shape": "모양을 (2, 3)처럼 정확히 답하십시오.",
        "format_choice": "선택지의 글자({letters})로 답하십시오.",
        "format_choice_numbered": "선택지의 글자({letters})나 번호({numbers})로 답하십시오.",
        "format_choice_any": "선택지의 글자로 답하십시오.",
        "format_expression": (
            "{variables}에 대한 식으로 답하십시오(예: 2x(1 - x)). + - * / ^, {functions}, pi, "
            "e를 쓸 수 있습니다."
        ),
        "variables_and": "{first}, {last}",
    },
}
"""The checker's messages and format statements, per language (``str.format`` patterns).

The browser's checker carries the same table (tests/test_js_checker.py compares them)."""


def _say(lang: str, code: str, **fields: object) -> str:
    """Message ``code`` in ``lang`` (English for a language without messages)."""
    table = CHECK_MESSAGES.get(lang, CHECK_MESSAGES["en"])
    return table[code].format(**fields)
