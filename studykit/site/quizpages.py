r"""Quiz pages for the study site, generated from ``questions/`` before ``mkdocs build``.

One Markdown page per topic (``docs/quiz/<topic>.md``, git-ignored). Each template becomes a
section holding its pre-generated variants as JSON (in a ``data-quiz`` attribute): prompt,
hint, choices, the answer key and tolerance, the misconceptions' answers with their feedback,
and the worked solution, in English and, under ``translations``, in every other language the
template is written in (the texts, and the feedback in the misconceptions' order). The
browser script ``docs/assets/js/studykit-quiz.js`` turns each section into an answer box with a
"new variant" button and checks answers with ``studykit-checker.js``, the JavaScript port of the
Python checker (a test holds the two to identical verdicts).

The generation runs outside MkDocs (no plugin), so the site can move to another
MkDocs-compatible builder and the pages can be inspected as plain files.

A template is untrusted text: nothing it writes may become markup. Titles are plain text, so
the headings spell every ASCII punctuation character as a character reference (no Markdown
link, emphasis, attribute list or HTML tag can start); the JSON spells ``<``, ``>`` and ``&``
as ``\u003c``-style escapes and then rides HTML-escaped in an attribute; the browser script
puts every text in place with ``textContent``, never as HTML.
"""

from __future__ import annotations

import html
import json
import string
import unicodedata
from pathlib import Path
from typing import Any

from studykit.questions.params import ParamError
from studykit.questions.render import RenderError
from studykit.questions.template import Bank, Template
from studykit.questions.variant import Solved, SolveError, make_variant, solve
from studykit.topics import TOPICS

__all__ = ["SiteError", "quiz_data", "write_quiz_pages"]

DEFAULT_SEEDS = 12


def quiz_data(template: Template, seeds: range) -> dict[str, Any]:
    """Everything the browser needs to ask ``template`` for each seed, in each language."""
    tolerance = template.tolerance
    variants = []
    for seed in seeds:
        solved = solve(make_variant(template, seed))
        key = solved.key
        english = _texts(solved, "en")
        entry: dict[str, Any] = {
            "seed": seed,
            "prompt": english["prompt"],
            "hint": english["hint"],
            "answer": key.data(),
            "misconceptions": [
                {"name": m.name, "value": m.value, "feedback": feedback}
                for m, feedback in zip(solved.misconceptions, english["feedback"], strict=True)
            ],
            "solution": english["solution"],
        }
        translated = {lang: _texts(solved, lang) for lang in template.texts if lang != "en"}
        if translated:
            entry["translations"] = translated
        variants.append(entry)
    return {
        "id": template.id,
        "title": template.title,
        "topic": template.topic,
        "difficulty": template.difficulty,
        "kind": template.kind,
        "tolerance": {"rel": tolerance.rel, "abs": tolerance.abs, "sigfigs": tolerance.sigfigs},
        "variants": variants,
    }


def _texts(solved: Solved, lang: str) -> dict[str, Any]:
    """The texts of one variant in ``lang``; ``feedback`` follows the misconceptions' order."""
    return {
        "prompt": solved.variant.prompt(lang),
        "hint": solved.variant.hint(lang),
        "solution": solved.solution(lang),
        "feedback": [m.feedback for m in solved.misconceptions_in(lang)],
    }


def _heading(template: Template) -> str:
    """The section heading: the English title, then its translations (the page serves both)."""
    return " · ".join(map(_plain, [template.title, *(title for _, title in template.titles)]))


# Every ASCII punctuation character is written as a decimal character reference: the browser
# shows the character, while Markdown (links, emphasis, code, ``{: attr}`` lists, math), the HTML
# inside Markdown (tags, entities) and URL schemes (``javascript:``) never see it.
_REFERENCES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}


def _plain(text: str) -> str:
    r"""``text`` as Markdown inline content that shows exactly its characters, on one line.

    Whitespace runs (newlines included, which would end a heading) become one space, control
    characters are dropped (STX and ETX delimit Python-Markdown's placeholders) and
    ASCII punctuation becomes character references.

    >>> _plain("<b>x</b>\n [y](z)")
    '&#60;b&#62;x&#60;&#47;b&#62; &#91;y&#93;&#40;z&#41;'
    """
    visible = "".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc")
    return " ".join(visible.split()).translate(_REFERENCES)


def _json_attribute(content: dict[str, Any]) -> str:
    r"""``content`` as JSON for a double-quoted HTML attribute, with no ``<``, ``>`` or raw ``&``.

    ``<``, ``>`` and ``&`` are JSON escapes (``\u003c``) already, so the text could not end a
    ``<script>`` element or form an entity even if it moved out of the attribute; the HTML
    escape then keeps the quotes from ending the attribute.
    """
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return html.escape(text, quote=True)


class SiteError(ValueError):
    """A template that cannot be turned into a quiz section (one line, with file and seed)."""


def _section(template: Template, seeds: range) -> str:
    try:
        content = quiz_data(template, seeds)
    except (ParamError, SolveError, RenderError) as error:  # they name the file and seed
        raise SiteError(str(error)) from None
    except Exception as error:  # a template must never take the command down
        message = str(error).splitlines()[0][:300] if str(error) else ""
        raise SiteError(f"{template.path}: unexpected {type(error).__name__}: {message}") from None
    # The data rides in an attribute, not a <script>: Material's instant navigation re-creates
    # the scripts of every page it loads, and would run a JSON block as JavaScript.
    data = _json_attribute(content)
    stars = "★" * template.difficulty + "☆" * (3 - template.difficulty)
    return (
        f"## {_heading(template)}\n\n"
        f'<div class="sk-quiz" data-id="{html.escape(template.id)}" data-quiz="{data}" '
        'markdown="0">\n'
        f'<p class="sk-meta">{stars} · <code>{html.escape(template.id)}</code></p>\n'
        "<noscript>This quiz needs JavaScript; the terminal quiz "
        "(<code>studykit quiz</code>) works without it.</noscript>\n"
        "</div>\n"
    )


def write_quiz_pages(bank: Bank, out_dir: Path, seeds: int = DEFAULT_SEEDS) -> list[Path]:
    """Write one page per topic (and an index) into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    rows = []
    for topic in TOPICS:
        templates = bank.by_topic(topic.id)
        page = out_dir / f"{topic.id}.md"
        title, korean = _plain(topic.title), _plain(topic.korean)
        parts = [
            f"# Quiz: {title} ({korean})\n\n",
            f"Each question has {seeds} variants: **New variant** draws another. "
            "Answers are checked in your browser with the same rules as `studykit check`; "
            "progress stays in this browser (localStorage). "
            f"The notes for this topic: [{title}](../notes/{topic.id}.md).\n\n",
        ]
        if not templates:
            parts.append("No questions for this topic yet.\n")
        parts.extend(_section(t, range(seeds)) + "\n" for t in templates)
        page.write_text("".join(parts), encoding="utf-8")
        written.append(page)
        rows.append(f"| [{title}]({topic.id}.md) | {korean} | {len(templates)} |")
    index = out_dir / "index.md"
    index.write_text(
        "# Quizzes\n\n| topic | 한국어 | questions |\n|---|---|---|\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    written.append(index)
    return written
