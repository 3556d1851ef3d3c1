"""Drill pages for the study site, generated from ``drills/`` before ``mkdocs build``.

One page per topic with drills, in English (``docs/drills/<topic>.md``) and Korean
(``<topic>.ko.md``), and an index of both (git-ignored, written by `studykit site build`). Per
drill: what to write and why, the formula, the stub as the student gets it, what the check
runs (the cases, both dtypes, the gradients, the operations refused, the mistakes it
recognises) and the commands.

A drill file is contributed content, like a question template: its titles and names are
written as plain text (`studykit.site.quizpages` spells their punctuation as character
references), its Markdown texts are rendered and sanitized with an allow-list
(`studykit.questions.markup.to_html`), its formula is HTML-escaped inside the element KaTeX
renders, and its code sits in a fence longer than any run of backticks in it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from studykit.drills.spec import Drill, shown_forbidden
from studykit.drills.stub import render_stub
from studykit.questions.markup import to_html
from studykit.site.quizpages import plain_text, study_order

__all__ = ["write_drill_pages"]

_WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Drills: {topic}",
        "index_title": "Code drills",
        "intro": (
            "Write each function yourself; studykit checks it against its reference and torch: "
            "values and gradients, float32 and float64, edge values, inputs left unchanged, and "
            "the operations you are asked to write yourself refused. A wrong answer is shrunk to "
            "the smallest input that fails, and a known mistake is named."
        ),
        "how": "How to work on a drill",
        "steps": [
            "`studykit drill start ID` writes `studykit-drills/ID.py`: the concept, the formula, "
            "the signature and a `TODO`.",
            "`studykit drill check ID` checks it; `--watch` checks again on every save.",
            "`studykit review` brings a drill back when it is due: you write it again from a "
            "fresh stub.",
        ],
        "difficulty": "Difficulty",
        "formula": "Formula",
        "shapes": "Shapes",
        "stub": "The file you start from",
        "checked": "What the check runs",
        "cases": "{n} cases, each in float32 and float64",
        "gradients": "gradients with respect to {names}",
        "refused": "Not allowed",
        "mistakes": "Mistakes it recognises",
        "commands": "Commands",
        "topic": "Topic",
        "by_topic": "Drills by topic",
        "drills": "Drills",
    },
    "ko": {
        "title": "드릴: {topic}",
        "index_title": "코드 드릴",
        "intro": (
            "함수를 직접 작성하면 studykit이 참조 구현과 torch에 비추어 검사합니다. 값과 기울기, "
            "float32와 float64, 극단적인 값, 입력을 바꾸지 않았는지를 보고, 직접 작성하라고 한 "
            "연산을 쓰면 거부합니다. 틀리면 여전히 틀리는 가장 작은 입력을 보여 주고, 흔한 실수와 "
            "같으면 무엇이 틀렸는지 알려 줍니다."
        ),
        "how": "드릴 진행 방법",
        "steps": [
            "`studykit drill start ID`는 `studykit-drills/ID.py` 파일을 만듭니다. 개념, 수식, "
            "함수 시그니처와 `TODO`가 들어 있습니다.",
            "`studykit drill check ID`로 검사합니다. `--watch`를 붙이면 저장할 때마다 다시 "
            "검사합니다.",
            "복습할 때가 되면 `studykit review`가 드릴을 다시 보여 줍니다. 새 파일에서 다시 "
            "작성합니다.",
        ],
        "difficulty": "난이도",
        "formula": "수식",
        "shapes": "모양",
        "stub": "시작 파일",
        "checked": "검사하는 것",
        "cases": "사례 {n}개, 각각 float32와 float64로",
        "gradients": "{names}에 대한 기울기",
        "refused": "쓰면 안 되는 연산",
        "mistakes": "알아보는 흔한 실수",
        "commands": "명령",
        "topic": "주제",
        "by_topic": "주제별 드릴",
        "drills": "드릴",
    },
}


def _fence(code: str, info: str = "") -> str:
    """``code`` in a fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{code.rstrip()}\n{fence}\n"


def _suffix(lang: str) -> str:
    return ".ko.md" if lang == "ko" else ".md"


def _section(drill: Drill, lang: str) -> str:
    say = _WORDS[lang]
    other = "en" if lang == "ko" else "ko"
    title = f"{plain_text(drill.title[lang])} · {plain_text(drill.title[other])}"
    parts = [f"## {title} {{#{drill.id}}}\n"]
    parts.append(f"**{say['difficulty']}** {'★' * drill.difficulty} · `{drill.id}`\n")
    parts.append(f'<div class="drill-concept">\n{to_html(drill.concept[lang])}\n</div>\n')
    if drill.formula:
        formula = html.escape(drill.formula)
        parts.append(f'<div class="arithmatex">\\[{formula}\\]</div>\n')
    if drill.shapes:
        parts.append(
            f"<p><strong>{say['shapes']}</strong> {to_html(drill.shapes[lang], True)}</p>\n"
        )
    parts.append(f"### {say['stub']}\n")
    parts.append(_fence(render_stub(drill, f"studykit drill check {drill.id}", lang), "python"))
    parts.append(f"### {say['checked']}\n")
    grads = sorted({name for case in drill.cases for name in case.grad})
    lines = [f"- {say['cases'].format(n=len(drill.cases))}:"]
    lines += [f"    - {plain_text(case.name[lang])}" for case in drill.cases]
    if grads:
        lines.append("- " + say["gradients"].format(names=", ".join(f"`{g}`" for g in grads)))
    refused = ", ".join(f"`{name}`" for name in shown_forbidden(drill))
    lines.append(f"- {say['refused']}: {refused}")
    parts.append("\n".join(lines) + "\n")
    parts.append(f"\n**{say['mistakes']}**\n")
    for mistake in drill.mistakes:
        parts.append(
            f'<div class="drill-mistake"><p><code>{mistake.id}</code></p>\n'
            f"{to_html(mistake.feedback[lang])}\n</div>\n"
        )
    commands = f"studykit drill start {drill.id}\nstudykit drill check {drill.id} --watch\n"
    parts.append(f"### {say['commands']}\n")
    parts.append(_fence(commands, "bash"))
    return "\n".join(parts)


def _page(topic_title: str, drills: list[Drill], lang: str) -> str:
    say = _WORDS[lang]
    head = f"# {say['title'].format(topic=plain_text(topic_title))}\n\n{say['intro']}\n\n"
    return head + "\n".join(_section(drill, lang) for drill in drills)


def _index(rows: list[tuple[str, str, list[Drill]]], lang: str) -> str:
    say = _WORDS[lang]
    parts = [f"# {say['index_title']}\n", say["intro"] + "\n", f"## {say['how']}\n"]
    parts.append("".join(f"{i}. {step}\n" for i, step in enumerate(say["steps"], 1)))
    table = [f"| {say['topic']} | {say['drills']} |", "|---|---|"]
    for topic_id, title, drills in rows:
        names = ", ".join(f"[{plain_text(d.title[lang])}]({topic_id}.md#{d.id})" for d in drills)
        table.append(f"| [{plain_text(title)}]({topic_id}.md) | {names} |")
    parts.append(f"## {say['by_topic']}\n\n" + "\n".join(table) + "\n")
    return "\n".join(parts)


def write_drill_pages(drills: list[Drill], out_dir: Path) -> list[Path]:
    """Write the topic pages and the index, in English and Korean; return the pages written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    rows = {"en": [], "ko": []}  # type: dict[str, list[tuple[str, str, list[Drill]]]]
    for topic in study_order():
        mine = [d for d in drills if d.topic == topic.id]
        if not mine:
            continue
        for lang, title in (("en", topic.title), ("ko", topic.korean)):
            page = out_dir / f"{topic.id}{_suffix(lang)}"
            page.write_text(_page(title, mine, lang), encoding="utf-8")
            written.append(page)
            rows[lang].append((topic.id, title, mine))
    for lang in ("en", "ko"):
        index = out_dir / f"index{_suffix(lang)}"
        index.write_text(_index(rows[lang], lang), encoding="utf-8")
        written.append(index)
    return written
