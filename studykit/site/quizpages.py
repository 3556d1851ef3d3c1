r"""Quiz pages for the study site, generated from ``questions/`` before ``mkdocs build``.

One Markdown page per topic in English (``docs/quiz/<topic>.md``, git-ignored) and in Korean
(``<topic>.ko.md``, the Korean site's page), and one JSON file per template, which both pages
share (``docs/quiz/data/<topic>/<name>.json``). A page holds, per template, a heading and
a small quiz section whose ``data-quiz`` attribute says where the template's variants are and
how many there are; the browser script ``docs/assets/js/studykit-quiz.js`` fetches a
template's file when its section comes near the screen, so a page stays light however many
variants ship. The index (``docs/quiz/index.md`` and ``index.ko.md``) lists the quizzes in
the notes' order (`study_order`), each with a progress cell that
``docs/assets/js/quiz-progress.js`` fills from what the quiz pages keep in the browser's
localStorage.

A template's file holds its variants (``DEFAULT_VARIANTS`` of them, seeds 0, 1, 2, ...): for
each, the answer key and a rounded copy to show, the misconceptions' answers, and per language
the texts as HTML made by `studykit.questions.markup` (prompt, choices, hint, the format line,
the worked solution and the misconceptions' feedback). The browser inserts those HTML strings
as they are and lets KaTeX render their math; answers are checked with ``studykit-checker.js``,
the JavaScript port of the Python checker (a test holds the two to identical verdicts).

The generation runs outside MkDocs (no plugin), so the site can move to another
MkDocs-compatible builder and the pages can be inspected as plain files.

A template is untrusted text: nothing it writes may become markup it did not ask for, nor
anything that runs or links. Titles are plain text, so the headings spell every ASCII
punctuation character as a character reference (no Markdown link, emphasis, attribute list or
HTML tag can start); the ``data-quiz`` JSON spells ``<``, ``>`` and ``&`` as ``\u003c``-style
escapes and then rides HTML-escaped in an attribute; the texts in the JSON files are Markdown
rendered without raw HTML, links or images and then sanitized with an allow-list (nh3).
"""

from __future__ import annotations

import html
import json
import string
import unicodedata
from pathlib import Path
from typing import Any

from studykit.questions.markup import kind_format, shown_answer, to_html, variant_texts
from studykit.questions.params import ParamError
from studykit.questions.render import RenderError
from studykit.questions.template import Bank, Template
from studykit.questions.variant import SolveError, make_variant, solve
from studykit.topics import TOPICS, Topic

__all__ = [
    "DEFAULT_VARIANTS",
    "SiteError",
    "plain_text",
    "quiz_data",
    "study_order",
    "write_quiz_pages",
]

DEFAULT_VARIANTS = 50
DATA_FOLDER = "data"  # beside the topic pages: <quiz folder>/data/<topic>/<name>.json
OVERVIEW = "landscape"  # the map of the field: the site's first note and first quiz


def study_order() -> tuple[Topic, ...]:
    """The topics in the site's order: the overview first, then the course as in ``TOPICS``.

    The navigation (``mkdocs.yml``), the home page and the quiz index follow this order.
    """
    return tuple(sorted(TOPICS, key=lambda topic: topic.id != OVERVIEW))


def quiz_data(template: Template, seeds: range) -> dict[str, Any]:
    """Everything the browser needs to ask ``template`` for each seed, in each language."""
    languages = ["en", *sorted(lang for lang in template.texts if lang != "en")]
    return {
        "id": template.id,
        "title": template.title,
        "kind": template.kind,
        "languages": languages,
        "variants": [_variant(template, seed, languages) for seed in seeds],
    }


def _variant(template: Template, seed: int, languages: list[str]) -> dict[str, Any]:
    """One variant: its key, the misconceptions' answers and the texts (HTML) per language.

    ``answer`` is the key as ``StudykitChecker.check`` takes it: `Key.data` and the tolerance.
    """
    variant = make_variant(template, seed)
    solved = solve(variant)
    key = solved.key
    answer = key.data()
    if "tolerance" not in answer and key.tolerance is not None:
        tol = key.tolerance
        answer["tolerance"] = {"rel": tol.rel, "abs": tol.abs, "sigfigs": tol.sigfigs}
    texts = {}
    for lang in languages:
        before = variant_texts(variant, lang, key)
        texts[lang] = {
            "prompt": to_html(before.prompt),
            "choices": [to_html(choice, inline=True) for choice in before.choices],
            "hint": None if before.hint is None else to_html(before.hint),
            # Choices are buttons here: a line about typing their letters would not fit.
            "format": to_html(
                kind_format("choice", lang) if key.kind == "choice" else before.format,
                inline=True,
            ),
            "solution": to_html(solved.solution(lang)),
            "feedback": [to_html(m.feedback) for m in solved.misconceptions_in(lang)],
        }
    return {
        "seed": seed,
        "answer": answer,
        "shown": shown_answer(key),
        "misconceptions": [{"name": m.name, "value": m.value} for m in solved.misconceptions],
        "texts": texts,
    }


def _heading(template: Template, lang: str = "en") -> str:
    """The section heading: the title in the page's language first, then the others."""
    titles = dict([("en", template.title), *template.titles])
    first = titles.pop(lang, None)
    shown = [title for title in (first, *titles.values()) if title]
    return " · ".join(map(plain_text, shown))


# Every ASCII punctuation character is written as a decimal character reference: the browser
# shows the character, while Markdown (links, emphasis, code, ``{: attr}`` lists, math), the HTML
# inside Markdown (tags, entities) and URL schemes (``javascript:``) never see it.
_REFERENCES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}


def plain_text(text: str) -> str:
    r"""``text`` as Markdown inline content that shows exactly its characters, on one line.

    Whitespace runs (newlines included, which would end a heading) become one space, control
    characters are dropped (STX and ETX delimit Python-Markdown's placeholders) and
    ASCII punctuation becomes character references.

    >>> plain_text("<b>x</b>\n [y](z)")
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


def _data(template: Template, seeds: range) -> dict[str, Any]:
    try:
        return quiz_data(template, seeds)
    except (ParamError, SolveError, RenderError) as error:  # they name the file and seed
        raise SiteError(str(error)) from None
    except Exception as error:  # a template must never take the command down
        message = str(error).splitlines()[0][:300] if str(error) else ""
        raise SiteError(f"{template.path}: unexpected {type(error).__name__}: {message}") from None


def data_path(template: Template) -> str:
    """Where the template's variants are, relative to the quiz folder (``data/losses/x.json``)."""
    return f"{DATA_FOLDER}/{template.id}.json"


def _section(template: Template, count: int, source: str, lang: str = "en") -> str:
    """The heading and quiz section of one template (its variants are in ``source``)."""
    # The data rides in an attribute, not a <script>: Material's instant navigation re-creates
    # the scripts of every page it loads, and would run a JSON block as JavaScript.
    meta = {
        "id": template.id,
        "title": template.title,
        "kind": template.kind,
        "count": count,
        "src": source,
        "languages": ["en", *sorted(lang for lang in template.texts if lang != "en")],
    }
    stars = "★" * template.difficulty + "☆" * (3 - template.difficulty)
    return (
        f"## {_heading(template, lang)}\n\n"
        f'<div class="sk-quiz" data-id="{html.escape(template.id)}" '
        f'data-quiz="{_json_attribute(meta)}" markdown="0">\n'
        f'<p class="sk-meta">{stars} · <code>{html.escape(template.id)}</code></p>\n'
        f"<noscript>{_WORDS[lang]['noscript']}</noscript>\n"
        "</div>\n"
    )


# What the pages say around the quizzes, per language (the questions carry their own texts).
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Quiz: {title} ({other})",
        "intro": (
            "Each question comes with {count} prepared variants (the same question with other "
            "values); **Next variant** shows the next one, in order, and after the last starts "
            "again from the first. A wrong answer gets a second try, and the worked solution "
            "opens once you answer right, ask for it or use both tries. Answers are checked in "
            "your browser with the same rules as `studykit check`; progress stays in this "
            "browser (localStorage). For numbers that are new every time, use `studykit quiz` "
            "in a terminal. The notes for this topic: [{title}](../notes/{topic}.md)."
        ),
        "empty": "No questions for this topic yet.",
        "noscript": "This quiz needs JavaScript; the terminal quiz (<code>studykit quiz</code>) "
        "works without it.",
        "index_title": "Quizzes",
        "index_intro": (
            "One quiz per topic, in the order of the notes. Every question has {count} prepared "
            "variants on this site; the terminal quiz (`studykit quiz`) draws new numbers every "
            "time. The last column counts the questions you have answered correctly at least "
            "once in this browser: the quiz pages keep that in the browser's localStorage, "
            "nowhere else."
        ),
        "columns": "| topic | questions | answered correctly |",
    },
    "ko": {
        "title": "퀴즈: {title} ({other})",
        "intro": (
            "문제마다 값을 바꾼 변형 문제가 {count}개씩 준비되어 있습니다. **다음 변형 문제**를 "
            "누르면 차례대로 다음 변형이 나오고, 마지막 다음에는 처음으로 돌아갑니다. 틀리면 한 "
            "번 더 풀 수 있고, 풀이는 맞히거나 **풀이 보기**를 누르거나 두 번 모두 틀리면 "
            "열립니다. 답은 `studykit check`와 같은 규칙으로 브라우저에서 채점하고, 진행 기록은 "
            "이 브라우저(localStorage)에만 남습니다. 풀 때마다 새로운 값으로 풀려면 터미널에서 "
            "`studykit quiz`를 실행하십시오. 이 주제의 노트: [{title}](../notes/{topic}.md)."
        ),
        "empty": "이 주제에는 아직 문제가 없습니다.",
        "noscript": "이 퀴즈는 JavaScript가 있어야 동작합니다. 터미널 퀴즈"
        "(<code>studykit quiz</code>)는 JavaScript 없이도 됩니다.",
        "index_title": "퀴즈",
        "index_intro": (
            "주제마다 퀴즈가 하나씩 있고, 노트와 같은 순서로 놓여 있습니다. 이 사이트에는 "
            "문제마다 변형 문제가 {count}개씩 준비되어 있고, 터미널 퀴즈(`studykit quiz`)는 풀 "
            "때마다 새로운 값을 뽑습니다. 마지막 칸은 이 브라우저에서 한 번이라도 맞힌 문제 "
            "수입니다. 이 기록은 브라우저의 localStorage에만 남고 다른 곳으로 가지 않습니다."
        ),
        "columns": "| 주제 | 문제 수 | 맞힌 문제 |",
    },
}
LANGUAGES = tuple(_WORDS)


def _suffix(lang: str) -> str:
    """The page file's ending: ``.md`` for English, ``.ko.md`` for its Korean twin."""
    return ".md" if lang == "en" else f".{lang}.md"


def _names(topic: Topic, lang: str) -> tuple[str, str]:
    """The topic's name in ``lang`` and in the other language, as plain text."""
    english, korean = plain_text(topic.title), plain_text(topic.korean)
    return (english, korean) if lang == "en" else (korean, english)


def _page(topic: Topic, sections: list[str], count: int, lang: str) -> str:
    """One topic's quiz page in ``lang``: title, what the page does, then the sections."""
    say = _WORDS[lang]
    title, other = _names(topic, lang)
    head = f"# {say['title'].format(title=title, other=other)}\n\n"
    intro = say["intro"].format(count=count, title=title, topic=topic.id) + "\n\n"
    return head + intro + ("".join(sections) if sections else say["empty"] + "\n")


def write_quiz_pages(bank: Bank, out_dir: Path, seeds: int = DEFAULT_VARIANTS) -> list[Path]:
    """Write one page per topic and language, the indexes and one data file per template.

    ``out_dir`` is a folder at the top of the docs (``docs/quiz``): the browser script finds
    a data file at ``<out_dir's name>/data/...`` from the site's root. Data files left from
    templates that are gone are removed. Returns the pages written (not the data files).

    Raises:
        SiteError: A template failed for some seed (one line, naming its file and seed).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    data_files: set[Path] = set()
    rows: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for topic in study_order():
        templates = bank.by_topic(topic.id)
        sources = [_write_data(template, out_dir, seeds, data_files) for template in templates]
        for lang in LANGUAGES:
            sections = [
                _section(template, seeds, source, lang) + "\n"
                for template, source in zip(templates, sources, strict=True)
            ]
            page = out_dir / f"{topic.id}{_suffix(lang)}"
            page.write_text(_page(topic, sections, seeds, lang), encoding="utf-8")
            written.append(page)
            rows[lang].append(_index_row(topic, templates, lang))
    _remove_stale(out_dir / DATA_FOLDER, data_files)
    for lang in LANGUAGES:
        index = out_dir / f"index{_suffix(lang)}"
        index.write_text(_index(seeds, rows[lang], lang), encoding="utf-8")
        written.append(index)
    return written


def _write_data(template: Template, out_dir: Path, seeds: int, written: set[Path]) -> str:
    """Write the template's variants to its data file; return its path from the site's root."""
    relative = data_path(template)
    target = out_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(_data(template, range(seeds)), ensure_ascii=False, separators=(",", ":"))
    target.write_text(content, encoding="utf-8")
    written.add(target)
    return f"{out_dir.name}/{relative}"


def _index_row(topic: Topic, templates: list[Template], lang: str = "en") -> str:
    """One topic's row of the quiz index: its quiz, its other name, size and progress cell.

    The progress cell lists the topic's question ids (escaped JSON in an attribute);
    ``quiz-progress.js`` fills it from what the quiz pages keep in localStorage.
    """
    ids = {"questions": [template.id for template in templates]}
    cell = (
        f'<span class="sk-progress" data-topic="{html.escape(topic.id)}" '
        f'data-progress="{_json_attribute(ids)}">–</span>'
    )
    title, other = _names(topic, lang)
    return f"| [{title}]({topic.id}.md) · {other} | {len(templates)} | {cell} |"


def _index(seeds: int, rows: list[str], lang: str = "en") -> str:
    """The quiz index: one row per topic in the notes' order, with this browser's progress."""
    say = _WORDS[lang]
    return (
        f"# {say['index_title']}\n\n{say['index_intro'].format(count=seeds)}\n\n"
        f"{say['columns']}\n|---|---|---|\n" + "\n".join(rows) + "\n"
        # No <script> here: assets/js/loader.js loads quiz-progress.js where progress cells are.
    )


def _remove_stale(data_dir: Path, keep: set[Path]) -> None:
    """Remove the ``.json`` files under ``data_dir`` not in ``keep``, then empty folders."""
    if not data_dir.is_dir():
        return
    for path in sorted(data_dir.rglob("*.json")):
        if path not in keep and path.is_file() and not path.is_symlink():
            path.unlink()
    for folder in sorted(data_dir.rglob("*"), reverse=True):
        if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()
