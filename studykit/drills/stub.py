"""The file a student starts from: the concept in a docstring, the signature, and a ``TODO``.

It is a complete Python file: it imports what the drill needs (torch), states the concept in
English and Korean with the formula, the Korean term, the shapes and what may not be called,
says how to check it, and ends in ``raise NotImplementedError`` so that "not started" reads
differently from "wrong". The stub of a drill whose student writes a class (``stub`` in the
drill file) is given whole by the drill.
"""

from __future__ import annotations

from studykit.drills.report import fill
from studykit.drills.spec import Drill, shown_forbidden

__all__ = ["render_stub"]

_WIDTH = 88


def _wrap(text: str, indent: str = "") -> str:
    """Paragraphs filled to ``_WIDTH`` terminal columns."""
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    return "\n\n".join(fill(p, indent, _WIDTH) for p in paragraphs)


def render_stub(drill: Drill, check_command: str, lang: str = "ko") -> str:
    """The stub's text; the student's language comes first, the other one after it."""
    order = ("ko", "en") if lang == "ko" else ("en", "ko")
    parts = [f"Drill {drill.id} · {drill.title['en']} · {drill.title['ko']}", ""]
    for language in order:
        parts += [_wrap(drill.concept[language]), ""]
    if drill.formula:
        parts += ["Formula (수식):", f"    {drill.formula}", ""]
    parts += [f"Term (용어): {drill.term['en']} = {drill.term['ko']}", ""]
    if drill.shapes:
        parts += [
            "Shapes (모양):",
            *(_wrap(drill.shapes[language], "    ") for language in order),
            "",
        ]
    not_allowed = ", ".join(shown_forbidden(drill))
    parts += [
        "Not allowed (쓰면 안 되는 연산):",
        _wrap(not_allowed, "    "),
        "",
        "Check it (검사):",
        f"    {check_command}",
    ]
    docstring = "\n".join(line.rstrip() for line in parts)
    body = drill.stub if drill.stub is not None else _function_stub(drill)
    header = f'r"""{docstring}\n"""\n\nfrom __future__ import annotations\n\nimport torch\n\n\n'
    return header + body.rstrip() + "\n"


def _function_stub(drill: Drill) -> str:
    return (
        f"def {drill.function}{drill.signature}:\n"
        "    # TODO: write the function (함수를 작성하십시오)\n"
        "    raise NotImplementedError\n"
    )
