r"""GIFT (기프트 형식): studykit's variants as the plain-text question format Moodle reads.

``studykit export gift -o quiz.gift.txt`` writes questions that Moodle imports through
*Question bank > Import > GIFT format* (other LMSs read GIFT too). A question is one block,
blocks are apart by a blank line::

    // losses/binary-cross-entropy@0
    ::Binary cross-entropy [losses/binary-cross-entropy@0]::[html]<p>...</p>{#
        =%100%1.5701769005486392:0.005000000005001395
        =%0%0.681919163520225:0.0005000000005681919#<p>Use the natural log ...</p>
        ####<p>worked solution</p>
    }

What each answer kind becomes (the same choices as `studykit.exports.moodle` where GIFT can):

- **number, integer**: a numerical question, the tolerance being the half-width studykit's
  checker accepts; each one-number misconception is a 0% answer with its feedback.
- **choice**: a multiple-choice question ``{=A#feedback ~B#feedback ...}``. GIFT cannot turn
  shuffling off (Moodle applies its site default), so each option starts with its letter,
  "A. ...", and the worked solution's "option A" still points at the right one.
- **tensor, shape**: GIFT has no Cloze (one answer block per question), so a variant becomes
  one numerical question per entry, "... [id@seed] [1, 0]", each asking for that entry only,
  with the misconceptions of the key's shape as per-entry wrong answers. All of a variant's
  questions are auto-graded; use the ``moodle`` export for one Cloze question instead.
- **expression**: an essay question (``{####...}``) graded by hand, the key and the worked
  solution as general feedback, since no GIFT type compares formulas as functions.

Texts are HTML (``[html]``) from `studykit.questions.markup.to_html`, math as ``\(...\)``;
``$CATEGORY:`` lines put the questions in ``$course$/top/studykit/<topic>`` (a subcategory
per template when there are variants); a ``// id@seed`` comment names every question's ref.
Every text is escaped as Moodle's own GIFT export does (``repchar``): ``\`` ``#`` ``=`` ``~``
``{`` ``}`` ``:`` get a backslash and a newline becomes ``\n``, so each text is one line and
no line of a question can start with ``//`` (which GIFT drops as a comment). The file is UTF-8
(the first line says so); the same command writes the same bytes.

Example:
    >>> gift_escape("a = {b}: #1 ~ \\(x\\)")
    'a \\= \\{b\\}\\: \\#1 \\~ \\\\(x\\\\)'

Common mistakes:
    - Leaving a ``=`` unescaped in HTML feedback (``class="arithmatex"``): GIFT splits a
      numerical question's answers at every ``=``.
    - A blank line inside a question (a ``<pre>`` block): GIFT ends the question there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from studykit.exports.items import ExportItem
from studykit.exports.moodle import (
    Alternative,
    blank_alternatives,
    category_paths,
    format_line,
    number_text,
    numeric_alternatives,
    other_shape_misconceptions,
    question_name,
    say,
)
from studykit.exports.output import ExportSettings, atomic_write
from studykit.exports.sections import mistakes_section, section_title
from studykit.questions.markup import to_html

__all__ = ["gift_escape", "gift_text", "write"]

_SPECIALS = str.maketrans({c: "\\" + c for c in "\\#=~{}:"} | {"\n": "\\n", "\r": ""})


def gift_escape(text: str) -> str:
    r"""``text`` with GIFT's specials escaped, on one line (Moodle's ``repchar``)."""
    return text.translate(_SPECIALS)


def write(items: Sequence[ExportItem], out: Path, settings: ExportSettings) -> list[Path]:
    """Write the items to ``out`` as GIFT text (UTF-8); the path written."""
    atomic_write(out, gift_text(items, settings).encode("utf-8"))
    return [out]


def gift_text(items: Sequence[ExportItem], settings: ExportSettings) -> str:
    """The whole GIFT file: a header, then per category a ``$CATEGORY:`` and its questions."""
    command = settings.command or "studykit export gift"
    blocks = [
        "\n".join(
            [
                "// studykit GIFT export (UTF-8)",
                f"// {' '.join(settings.title.split())}",
                f"// {say(settings.lang, 'made_by_gift', command=command)}",
            ]
        )
    ]
    for path, group in category_paths(items, settings.variants):
        blocks.append(f"$CATEGORY: {path}")
        for item in group:
            blocks += questions(item)
    return "\n\n".join(blocks) + "\n"


def questions(item: ExportItem) -> list[str]:
    """The GIFT blocks of one variant (several for a tensor or shape: one per entry)."""
    if item.kind in ("number", "integer"):
        [(value, width)] = item.entries()
        answers = _numeric_answers(value, width, numeric_alternatives(item))
        return [_block(item, question_name(item), _question_html(item), answers)]
    if item.kind in ("tensor", "shape"):
        return _entry_questions(item)
    if item.kind == "choice":
        return [_block(item, question_name(item), to_html(item.prompt), _choice_answers(item))]
    return [_block(item, question_name(item), _question_html(item), [])]


def _question_html(item: ExportItem, *extra: str) -> str:
    line = f"<p>{to_html(format_line(item), inline=True)}</p>"
    return "\n".join([to_html(item.prompt), line, *extra])


def _entry_questions(item: ExportItem) -> list[str]:
    shape = [len(_rows) for _rows in _levels(item.key.value)]
    entries = item.entries()
    alternatives = blank_alternatives(item)
    feedback = _general_feedback(item)  # the same for every entry
    blocks = []
    for flat, ((value, width), wrongs) in enumerate(zip(entries, alternatives, strict=True)):
        index = _index_text(flat, shape, item.kind)
        extra = []
        if index:
            phrase = "size" if item.kind == "shape" else "entry"
            extra.append(f"<p><strong>{say(item.lang, phrase, index=index)}</strong></p>")
        suffix = f"({index})" if item.kind == "shape" else index
        name = f"{question_name(item)} {suffix}".rstrip()
        answers = _numeric_answers(value, width, wrongs)
        blocks.append(_block(item, name, _question_html(item, *extra), answers, feedback))
    return blocks


def _levels(value: object) -> list[list[object]]:
    """The first list at each nesting level (their lengths are the shape)."""
    levels: list[list[object]] = []
    while isinstance(value, list | tuple):
        levels.append(list(value))
        value = value[0] if value else None
    return levels


def _index_text(flat: int, shape: list[int], kind: str) -> str:
    """Entry ``flat`` (row-major) as ``[1, 0]``; a shape's entries as a plain index."""
    if kind == "shape":
        return str(flat)
    if not shape:
        return ""
    index = []
    for size in reversed(shape):
        flat, rest = divmod(flat, size)
        index.append(rest)
    return "[" + ", ".join(str(i) for i in reversed(index)) + "]"


def _numeric_answers(value: float, width: float, wrongs: Sequence[Alternative]) -> list[str]:
    answers = [f"=%100%{number_text(value)}:{number_text(width)}"]
    for wrong, wrong_width, feedback in wrongs:
        answers.append(
            f"=%0%{number_text(wrong)}:{number_text(wrong_width)}#{gift_escape(to_html(feedback))}"
        )
    return ["#", *answers]


def _choice_answers(item: ExportItem) -> list[str]:
    letters = "ABCDEFGH"
    chosen: dict[str, str] = {}
    for mistake in item.misconceptions:
        chosen.setdefault(str(mistake.value).strip().upper(), mistake.feedback)
    answers = []
    for index, choice in enumerate(item.choices):
        right = index == item.correct_choice
        text = to_html(f"{letters[index]}. {choice}", inline=True)
        feedback = chosen.get(letters[index]) or ("" if right else say(item.lang, "wrong_choice"))
        line = ("=" if right else "~") + gift_escape(text)
        answers.append(line + (f"#{gift_escape(to_html(feedback))}" if feedback else ""))
    return answers


def _general_feedback(item: ExportItem) -> str:
    parts = []
    if item.kind == "expression":
        title = section_title(item.lang, "answer")
        parts.append(f"<p>{_html_text(title)}: <code>{_html_text(item.answer)}</code></p>")
    parts.append(to_html(item.solution))
    mistakes = item.misconceptions if item.kind == "expression" else ()
    if item.kind in ("tensor", "shape"):
        mistakes = tuple(other_shape_misconceptions(item))
    parts.append(mistakes_section(item.kind, item.lang, mistakes, inline=True))
    return "\n".join(part for part in parts if part)


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _block(
    item: ExportItem, name: str, text: str, answers: list[str], general: str | None = None
) -> str:
    """``// ref``, ``::name::[html]text{`` the answers, the general feedback ``}``."""
    head = f"// {item.ref}\n::{gift_escape(name)}::[html]{gift_escape(text)}"
    feedback = f"####{gift_escape(_general_feedback(item) if general is None else general)}"
    if not answers:  # an essay
        return f"{head}{{{feedback}}}"
    first, *rest = answers if answers[0] == "#" else ["", *answers]
    lines = [f"{head}{{{first}", *(f"\t{answer}" for answer in rest), f"\t{feedback}", "}"]
    return "\n".join(lines)
