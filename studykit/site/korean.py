"""Korean text on the study site gets ``lang="ko"``, so browsers pick Korean fonts and voices.

The pages are English (``<html lang="en">``) with Korean terms and sentences in them. Without a
language mark a browser draws Hangul with whatever CJK face it finds first (often the Japanese
one, whose Hangul looks foreign) and a screen reader reads it with an English voice. So every
run of Korean text in the page body is wrapped in ``<span lang="ko">``, and the stylesheet
``docs/assets/css/korean.css`` gives that language a Korean face.

A run starts and ends with a Hangul letter and takes in the spaces, digits and punctuation
between Hangul words (``손실 함수``, ``값을 바꾼 변형 문제가 50개씩``), so a sentence is one
span; a Latin word ends it (``손실(loss) 함수`` is two runs). Only text nodes change: nothing in
the head, in a tag or its attribute values, in a comment, in ``<script>``, ``<style>``,
``<textarea>`` or ``<title>``, in ``<svg>`` or ``<math>``, in a formula (an element of class
``arithmatex`` or ``katex``: its TeX must stay one text node) or in an element already marked
``lang="ko"``. Everything else stays byte for byte as it was, and marking a marked page
changes nothing.

Examples:
    >>> mark_korean("<p>Loss (손실 함수): MSE</p>")
    '<p>Loss (<span lang="ko">손실 함수</span>): MSE</p>'
"""

from __future__ import annotations

import re

__all__ = ["HANGUL", "mark_korean"]

HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
"""The Hangul blocks: Jamo, compatibility Jamo, extended Jamo and the syllables."""

OPEN = '<span lang="ko">'
CLOSE = "</span>"

# Hangul letters, then any number of (spaces, digits or punctuation, then Hangul letters).
_RUN = re.compile(rf"[{HANGUL}]+(?:(?:[^\w<]|\d)*[{HANGUL}]+)*")
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # a comment (an unclosed one runs to the end)
    r"|<![^>]*>|<\?[^>]*>"  # a doctype, a processing instruction
    r"|<(?P<raw>script|style|textarea|title)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?(?:</(?P=raw)\s*>|\Z)"
    r"|<(?P<end>/?)(?P<tag>[A-Za-z][\w:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL | re.IGNORECASE,
)
_BODY = re.compile(r"<body\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
_KO = re.compile(r"""\slang\s*=\s*["']?ko\b""", re.IGNORECASE)
_FORMULA = re.compile(r"""\sclass\s*=\s*["']?[^"'>]*\b(?:arithmatex|katex)\b""", re.IGNORECASE)
_FOREIGN = frozenset({"svg", "math"})


def mark_korean(html: str) -> str:
    """Return ``html`` with each run of Korean text in a text node wrapped in ``<span lang="ko">``.

    With a ``<body>`` tag only what follows it is marked; without one (a fragment) all of it.
    """
    body = _BODY.search(html)
    start = body.end() if body else 0
    return html[:start] + _mark(html[start:])


def _mark(html: str) -> str:
    skipped: list[tuple[str, int]] = []  # elements whose text stays as it is: (tag, depth)
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(html):
        out.append(_text(html[position : match.start()], skipped))
        out.append(match.group(0))
        position = match.end()
        if match.group("tag"):
            _track(match, skipped)
    out.append(_text(html[position:], skipped))
    return "".join(out)


def _text(text: str, skipped: list[tuple[str, int]]) -> str:
    if skipped or not text:
        return text
    return _RUN.sub(lambda run: f"{OPEN}{run.group(0)}{CLOSE}", text)


def _track(match: re.Match[str], skipped: list[tuple[str, int]]) -> None:
    """Keep ``skipped`` up to date with one tag: enter, nest in or leave a skipped element."""
    tag, attrs = match.group("tag").lower(), match.group("attrs")
    closing, self_closing = bool(match.group("end")), attrs.rstrip().endswith("/")
    if skipped and skipped[-1][0] == tag and not self_closing:
        name, depth = skipped.pop()
        depth += -1 if closing else 1
        if depth:
            skipped.append((name, depth))
    elif not closing and not self_closing and _skips(tag, attrs):
        skipped.append((tag, 1))


def _skips(tag: str, attrs: str) -> bool:
    """Whether the text inside this element stays as it is."""
    return tag in _FOREIGN or bool(_KO.search(attrs) or _FORMULA.search(attrs))
