r"""What every export shows after a question: the answer, the worked solution, the common mistakes.

The three sections (정답 answer, 풀이 과정 worked solution, 흔한 실수 common mistakes) have one
title per language here, so an Anki card, a Canvas feedback, a Moodle feedback and a printed
answer key name them with the same words. A mistake is shown as a student would have written
it, next to its feedback: a teacher reading ``0.2838: forgot the bias correction`` knows what
to look for on a paper sheet; a misconception's internal name (``no-bias-correction``) would
tell them nothing.

Example:
    >>> section_title("ko", "mistakes")
    '흔한 실수'
    >>> shown_value("shape", [2, 3]), shown_value("number", 0.28377483443708606)
    ('(2, 3)', '0.2838')

Common mistakes:
    - Printing a misconception's value with ``str``: a float shows all its 17 digits
      (``0.30000000000000004``) and a tensor its Python list; `shown_value` rounds it the way
      the site and the terminal show a key.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from studykit.questions.checking import Misconception
from studykit.questions.markup import to_html
from studykit.questions.render import fmt_shape, fmt_tensor

__all__ = ["SECTION_TITLES", "mistakes_list", "mistakes_section", "section_title", "shown_value"]

SECTION_TITLES: dict[str, dict[str, str]] = {
    "en": {"answer": "Answer", "solution": "Worked solution", "mistakes": "Common mistakes"},
    "ko": {"answer": "정답", "solution": "풀이 과정", "mistakes": "흔한 실수"},
}
"""The sections' titles per language (English for a language not listed)."""


def section_title(lang: str, section: str) -> str:
    """The title of ``section`` (``answer``, ``solution`` or ``mistakes``) in ``lang``."""
    return SECTION_TITLES.get(lang, SECTION_TITLES["en"])[section]


def shown_value(kind: str, value: Any) -> str:
    """A misconception's value as a student would write it, on one line.

    Args:
        kind: The question's answer kind (``number``, ``tensor``, ``shape``, ...).
        value: The misconception's value, in the form of the key's value.
    """
    if kind == "shape" and isinstance(value, list | tuple):
        return fmt_shape(value)
    if kind in ("number", "tensor"):
        return " ".join(fmt_tensor(value, 4).split()).replace("[ ", "[")
    return str(value)


def mistakes_list(kind: str, misconceptions: Iterable[Misconception], inline: bool = False) -> str:
    """Each misconception's value and feedback as an HTML list; ``''`` when there is none.

    Args:
        kind: The question's answer kind, for `shown_value`.
        misconceptions: The misconceptions to list, in order.
        inline: Render each feedback as inline HTML (no ``<p>``), for a compact list.
    """
    rows = [
        f"<li><code>{html.escape(shown_value(kind, m.value))}</code>: "
        f"{to_html(m.feedback, inline=inline)}</li>"
        for m in misconceptions
    ]
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def mistakes_section(
    kind: str, lang: str, misconceptions: Iterable[Misconception], inline: bool = False
) -> str:
    """The mistakes' title and `mistakes_list` as HTML; ``''`` when there is none."""
    listed = mistakes_list(kind, misconceptions, inline)
    if not listed:
        return ""
    return f"<p><strong>{html.escape(section_title(lang, 'mistakes'))}</strong></p>{listed}"
