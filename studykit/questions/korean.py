r"""Korean particles (조사) after values that change from variant to variant.

A Korean particle depends on how the word before it ends: 을 after a final consonant (받침),
를 after a vowel, so "값을" but "확률를" is wrong and "확률을" right. A question text that writes
``<< n >>를`` reads well for n = 2 (이를) and badly for n = 3 (삼를). The ``josa`` filter picks
the form from the value as it is read aloud:

    << n | josa('을') >>      # 3을, 2를
    << shape | josa('이') >>  # (8, 6, 1)이: the last number, 일, ends in ㄹ
    << name | josa('으로') >> # 평균으로, 손실로 (ㄹ takes 로), MSE로

The pairs are 을/를, 이/가, 은/는, 과/와 and 으로/로 (either form may be given). Numbers are read
the Korean way (1 일, 3 삼, 10 십, 100 백, 0.5 영 점 오); capital letters by their names (L 엘,
M 엠, N 엔, R 알, the rest end in a vowel); Hangul by its last syllable. When the ending cannot
be known (an English word such as ``tanh``), both forms are written, as people do by hand:
``tanh을(를)``.

Common mistakes:
    - Leaving a space between the value and the particle: the particle is part of the word.
    - Writing ``<< a if c else b | josa('을') >>``: a filter binds tighter than ``if``, so only
      ``b`` gets the particle. Put the expression in parentheses.
"""

from __future__ import annotations

from typing import Any

__all__ = ["josa"]

_PAIRS = {
    "을": ("을", "를"), "를": ("을", "를"),
    "이": ("이", "가"), "가": ("이", "가"),
    "은": ("은", "는"), "는": ("은", "는"),
    "과": ("과", "와"), "와": ("과", "와"),
    "으로": ("으로", "로"), "로": ("으로", "로"),
}  # fmt: skip

# How a value ends when read aloud: "rieul" (ㄹ), "consonant" (another final consonant),
# "vowel", or None when it cannot be known.
_DIGITS = {
    "0": "consonant", "1": "rieul", "2": "vowel", "3": "consonant", "4": "vowel",
    "5": "vowel", "6": "consonant", "7": "rieul", "8": "rieul", "9": "vowel",
}  # fmt: skip
_LETTERS = {"L": "rieul", "R": "rieul", "M": "consonant", "N": "consonant"}
_GREEK = {"α": "vowel", "β": "vowel", "δ": "vowel", "ε": "consonant", "λ": "vowel",
          "μ": "vowel", "σ": "vowel", "θ": "vowel", "γ": "vowel"}  # fmt: skip
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_CLOSERS = " ,)]}'\"`"


def josa(value: Any, particle: str) -> str:
    r"""``value`` as text followed by the form of ``particle`` that fits how it ends.

    Args:
        value: A number, a tensor (nested lists) or text; numbers and tensors are written as
            the ``num`` and ``tensor`` filters write them.
        particle: One of 을, 를, 이, 가, 은, 는, 과, 와, 으로, 로.

    Returns:
        The text and its particle, with no space between them.

    Raises:
        ValueError: An unknown particle.

    Examples:
        >>> josa(3, "를"), josa(2, "을"), josa(0.5, "이"), josa(6, "로"), josa("손실", "으로")
        ('3을', '2를', '0.5가', '6으로', '손실로')
        >>> josa("tanh", "을")
        'tanh을(를)'
    """
    from studykit.questions.render import fmt_tensor

    if particle not in _PAIRS:
        raise ValueError(f"unknown particle {particle!r} (known: {', '.join(_PAIRS)})")
    text = value if isinstance(value, str) else fmt_tensor(value)
    after_consonant, after_vowel = _PAIRS[particle]
    ending = _ending(text)
    if ending is None:
        if after_consonant == "으로":
            return f"{text}(으)로"
        return f"{text}{after_consonant}({after_vowel})"
    if after_consonant == "으로":  # ㄹ takes 로, like a vowel
        return text + ("으로" if ending == "consonant" else "로")
    return text + (after_vowel if ending == "vowel" else after_consonant)


def _ending(text: str) -> str | None:
    """How ``text`` ends when read aloud (see ``_DIGITS``), or None when unknown."""
    core = text.rstrip(_CLOSERS).translate(_SUBSCRIPTS)
    if not core:
        return None
    last = core[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return "vowel" if final == 0 else "rieul" if final == 8 else "consonant"
    if last in _DIGITS:
        return _DIGITS[last]  # 10 십, 100 백, 1000 천 and 0 영 all end in a consonant too
    if last in "²³":
        return "consonant"  # 제곱, 세제곱
    if last in _GREEK:
        return _GREEK[last]
    if last.isascii() and last.isupper():
        return _LETTERS.get(last, "vowel")
    if last.isascii() and last.isalpha() and (len(core) == 1 or not core[-2].isalpha()):
        return _LETTERS.get(last.upper(), "vowel")  # a one-letter name: x 엑스, n 엔, l 엘
    return None
