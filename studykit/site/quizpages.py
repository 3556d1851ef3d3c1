"""Quiz pages for the study site, generated from ``questions/`` before ``mkdocs build``.

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
"""

from __future__ import annotations

import html
import json
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
            "answer": {"kind": key.kind, "value": key.value, "shape": list(key.shape)},
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
    return " · ".join([template.title, *(title for _, title in template.titles)])


class SiteError(ValueError):
    """A template that cannot be turned into a quiz section (one line, with file and seed)."""


def _section(template: Template, seeds: range) -> str:
    try:
        content = quiz_data(template, seeds)
    except (ParamError, SolveError, RenderError) as error:
        raise SiteError(f"{template.path}: {error}") from None
    # The data rides in an attribute, not a <script>: Material's instant navigation re-creates
    # the scripts of every page it loads, and would run a JSON block as JavaScript.
    data = html.escape(json.dumps(content, ensure_ascii=False, separators=(",", ":")), quote=True)
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
        parts = [
            f"# Quiz: {topic.title} ({topic.korean})\n\n",
            f"Each question has {seeds} variants: **New variant** draws another. "
            "Answers are checked in your browser with the same rules as `studykit check`; "
            "progress stays in this browser (localStorage). "
            f"The notes for this topic: [{topic.title}](../notes/{topic.id}.md).\n\n",
        ]
        if not templates:
            parts.append("No questions for this topic yet.\n")
        parts.extend(_section(t, range(seeds)) + "\n" for t in templates)
        page.write_text("".join(parts), encoding="utf-8")
        written.append(page)
        rows.append(f"| [{topic.title}]({topic.id}.md) | {topic.korean} | {len(templates)} |")
    index = out_dir / "index.md"
    index.write_text(
        "# Quizzes\n\n| topic | 한국어 | questions |\n|---|---|---|\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    written.append(index)
    return written
