"""A check's result as the student reads it in the terminal, in English or Korean.

The result itself is plain data (`studykit.drills.judge`; ``--json`` prints it); this module
only words it: the verdict first, then the failing case with its input, what was expected and
what came back (shape first), how it was shrunk, the likely mistake, and the student's prints.
"""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["columns", "fill", "json_result", "render"]

_WORDS = {
    "en": {
        "pass": "✓ {id}: all {n} checks passed (every case in {dtypes})",
        "fail": "✗ {id}: case {i} of {cases}, '{case}' ({dtype}), failed",
        "cannot": "✗ {id}: cannot run: {message}",
        "stopped": "✗ {id}: {message}",
        "input": "input",
        "expected": "expected",
        "got": "got",
        "shrunk": "(the smallest input that still fails; the case had {dims})",
        "mistake": "Likely mistake ({id}):",
        "prints": "Your code printed:",
        "passed_before": "{n} of {total} checks passed before it.",
    },
    "ko": {
        "pass": "✓ {id}: 검사 {n}개를 모두 통과했습니다(모든 사례를 {dtypes}(으)로)",
        "fail": "✗ {id}: 사례 {cases}개 중 {i}번째 '{case}'({dtype})에서 틀렸습니다",
        "cannot": "✗ {id}: 실행할 수 없습니다: {message}",
        "stopped": "✗ {id}: {message}",
        "input": "입력",
        "expected": "기댓값",
        "got": "받은 값",
        "shrunk": "(여전히 틀리는 가장 작은 입력입니다. 원래 사례: {dims})",
        "mistake": "흔한 실수({id}):",
        "prints": "코드가 출력한 내용:",
        "passed_before": "그 전의 검사 {total}개 중 {n}개는 통과했습니다.",
    },
}


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (Hangul and other wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fill(paragraph: str, indent: str = "", width: int = 88) -> str:
    """``paragraph`` filled to ``width`` terminal columns, every line starting with ``indent``."""
    lines, line, used = [], "", 0
    for word in paragraph.split():
        size = columns(word)
        if line and len(indent) + used + 1 + size > width:
            lines.append(indent + line)
            line, used = "", 0
        line, used = (f"{line} {word}", used + 1 + size) if line else (word, size)
    if line:
        lines.append(indent + line)
    return "\n".join(lines)


def _indent(text: str, width: int) -> str:
    return text.replace("\n", "\n" + " " * width)


def _label(text: str, width: int) -> str:
    return "  " + text + " " * (width - 2 - columns(text))


def render(result: dict[str, Any], lang: str, case_count: int) -> str:
    """The result in ``lang`` as lines of text for the terminal."""
    say = _WORDS[lang]
    message = result.get("message_ko" if lang == "ko" else "message") or result.get("message", "")
    status = result["status"]
    if status == "pass":
        joined = (" 와 " if lang == "ko" else " and ").join(result.get("dtypes") or ["float64"])
        joined = joined.replace(" 와 ", "와 ")
        lines = [say["pass"].format(id=result["id"], n=result["cases_run"], dtypes=joined)]
    elif status in ("cannot-run", "forbidden", "drill-error"):
        lines = [say["cannot"].format(id=result["id"], message=message)]
    elif result.get("failure") is None:
        lines = [say["stopped"].format(id=result["id"], message=message)]
    else:
        lines = _failure(result, say, lang, case_count)
    output = (result.get("output") or "").rstrip()
    if output:
        lines += ["", say["prints"], "  " + _indent(output, 2)]
    return "\n".join(lines)


def _failure(result: dict[str, Any], say: dict[str, str], lang: str, case_count: int) -> list[str]:
    failure = result["failure"]
    case = failure["case_ko"] if lang == "ko" else failure["case"]
    lines = [
        say["fail"].format(
            id=result["id"],
            i=failure["case_index"] + 1,
            cases=case_count,
            case=case,
            dtype=failure["dtype"],
        )
    ]
    width = max(columns(say[k]) for k in ("input", "expected", "got")) + 4
    label = say["input"]
    for name, value in failure["input"].items():
        lines.append(_label(label, width) + f"{name} = " + _indent(value, width + len(name) + 3))
        label = ""
    if failure.get("shrunk_from"):
        dims = ", ".join(f"{k}={v}" for k, v in failure["shrunk_from"].items())
        lines.append(" " * width + say["shrunk"].format(dims=dims))
    for key in ("expected", "got"):
        if failure.get(key) is not None:
            lines.append(_label(say[key], width) + _indent(failure[key], width))
    message = failure.get("message_ko" if lang == "ko" else "message") or failure["message"]
    lines.append(fill(message, "  "))
    mistake = failure.get("misconception")
    if mistake:
        lines += [
            "",
            say["mistake"].format(id=mistake["id"]),
            fill(mistake["feedback"][lang], "  "),
        ]
    passed = result.get("cases_run", 1) - 1
    if passed > 0:
        lines += ["", say["passed_before"].format(n=passed, total=result["cases_total"])]
    return lines


def json_result(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The ``--json`` form: at least ``id``, ``passed``, ``cases_run`` and ``failure``."""
    failure = result.get("failure")
    shaped = None
    if failure is not None:
        mistake = failure.get("misconception")
        shaped = {
            "case": failure["case_ko"] if lang == "ko" else failure["case"],
            "case_index": failure["case_index"],
            "dtype": failure["dtype"],
            "input": failure["input"],
            "shrunk_from": failure.get("shrunk_from"),
            "expected": failure.get("expected"),
            "got": failure.get("got"),
            "kind": failure.get("kind"),
            "message": failure.get("message_ko" if lang == "ko" else "message"),
            "misconception": None
            if not mistake
            else {"id": mistake["id"], "feedback": mistake["feedback"][lang]},
        }
    message = result.get("message_ko" if lang == "ko" else "message")
    if shaped is not None:
        message = shaped["message"]
    return {
        "id": result["id"],
        "passed": result["passed"],
        "status": result["status"],
        "exit": result["exit"],
        "cases_run": result.get("cases_run", 0),
        "cases_total": result.get("cases_total"),
        "message": message,
        "failure": shaped,
        "forbidden_call": result.get("forbidden_call"),
        "output": result.get("output", ""),
        "seconds": result.get("seconds"),
    }
