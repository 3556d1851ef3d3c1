"""The question commands of the CLI: ``list``, ``show``, ``check`` and ``verify``.

Exit statuses are a contract for scripts: ``check`` exits 0 for a correct answer, 1 for a wrong
one and 2 when the answer is not understood, the command is misused or the template fails at run
time (never 1: that means "wrong answer"); ``verify`` exits 1 when any variant fails. Every
problem is one line on stderr; a template that fails names its file and seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from studykit.cliargs import bundled_folder
from studykit.language import add_language_option
from studykit.questions.answer_messages import AnswerError
from studykit.questions.checking import Verdict, check
from studykit.questions.template import Bank, Template, load_bank
from studykit.questions.variant import MAX_SEED, Solved, Variant, make_variant, solve
from studykit.topics import topic_ids

if TYPE_CHECKING:
    from studykit.questions.verify import Report

__all__ = [
    "QUESTIONS_HELP",
    "TEMPLATE_FAILURES",
    "add_commands",
    "default_questions_dir",
    "seed_argument",
    "template_failure",
]

_T = TypeVar("_T")

# What evaluating a template (drawing, rendering, solving) may raise when the template is
# broken: studykit's own errors (ParamError, RenderError, SolveError, ExpressionError,
# LimitError are ValueErrors) and, defensively, whatever a helper a template drives may raise.
TEMPLATE_FAILURES: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    ArithmeticError,
    LookupError,
    AttributeError,
    RuntimeError,
    MemoryError,
    RecursionError,
)


class UsageError(Exception):
    """A misuse of a command (exit 2), with a one-line message."""


QUESTIONS_HELP = "template folder (default: $STUDYKIT_QUESTIONS, else the bundled bank)"


def default_questions_dir() -> Path:
    """Where the question bank is: ``$STUDYKIT_QUESTIONS``, the installed copy, or the checkout's.

    A wheel carries the bank as ``studykit/bank`` (copied at build time, see ``setup.py``); an
    editable install or a plain checkout reads ``questions/`` at the top of the repository.
    """
    return bundled_folder("STUDYKIT_QUESTIONS", "bank", "questions")


def seed_argument(text: str) -> int:
    """An argparse type for seeds: a whole number from 0 to ``MAX_SEED`` (SQLite's INTEGER)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {_short(text)}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_SEED}, got {_short(text)}")
    return value


def _positive(text: str) -> int:
    value = seed_argument(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _short(text: str, limit: int = 30) -> str:
    """``repr(text)``, cut to about ``limit`` characters (an argument can be huge)."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def template_failure(path: object, seed: int, error: BaseException) -> str:
    """One line naming the template file, the seed and what failed at run time."""
    where = f"{path} (seed {seed})"
    lines = str(error).splitlines()
    message = (lines[0] if lines else "").removeprefix(f"{where}: ")
    if not type(error).__module__.startswith("studykit"):
        message = f"{type(error).__name__}: {message}".rstrip(": ")
    if len(message) > 300:
        message = message[:300] + "..."
    return f"{where}: {message}"


def add_commands(sub: Any) -> None:
    """Register the question subcommands on an argparse subparsers object."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--questions", type=Path, default=None, help=QUESTIONS_HELP)
    topics = ", ".join(topic_ids())

    p = sub.add_parser("list", parents=[common], help="list question templates")
    p.add_argument("--topic", help=f"only this topic ({topics})")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_run(_list))

    p = sub.add_parser("show", parents=[common], help="show one variant of a question")
    p.add_argument("id", help="template id, e.g. losses/mnist-loss")
    p.add_argument("--seed", type=seed_argument, default=0, help="variant seed (default 0)")
    add_language_option(p, "text")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_run(_show))

    p = sub.add_parser("check", parents=[common], help="check an answer to one variant")
    p.add_argument("id", help="template id")
    p.add_argument("--seed", type=seed_argument, default=0, help="variant seed (default 0)")
    p.add_argument("--answer", required=True, help="the answer, as a student would type it")
    add_language_option(p, "feedback")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_run(_check))

    p = sub.add_parser("coverage", parents=[common], help="check the bank covers every topic")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_run(_coverage))

    p = sub.add_parser("verify", parents=[common], help="verify every answer key against torch")
    p.add_argument("--seeds", type=_positive, default=50, help="seeds per template (default 50)")
    p.add_argument("--topic", help="only this topic")
    p.set_defaults(handler=_run(_verify))


def _run(handler: Any) -> Any:
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return int(handler(args))
        except UsageError as error:
            print(f"studykit {args.command}: {error}", file=sys.stderr)
            return 2

    return wrapped


def _bank(args: argparse.Namespace, quiet: bool = False) -> Bank:
    root = args.questions or default_questions_dir()
    bank = load_bank(root)
    if not bank.templates and bank.errors and not root.is_dir():
        raise UsageError(bank.errors[0])
    if not quiet:
        for error in bank.errors:
            print(f"warning: skipped {error}", file=sys.stderr)
    return bank


def _topic(args: argparse.Namespace) -> str | None:
    topic: str | None = args.topic
    if topic is not None and topic not in topic_ids():
        raise UsageError(f"unknown --topic {topic!r} (known: {', '.join(topic_ids())})")
    return topic


def _template(bank: Bank, template_id: str) -> Template:
    template = bank.templates.get(template_id)
    if template is None:
        near = [t for t in bank.templates if template_id.split("/")[-1] in t]
        hint = f" (did you mean {near[0]}?)" if near else " (see `studykit list`)"
        raise UsageError(f"no question with id {template_id!r}{hint}")
    return template


def _list(args: argparse.Namespace) -> int:
    topic = _topic(args)
    bank = _bank(args)
    templates = bank.by_topic(topic)
    if args.json:
        counts: dict[str, int] = {t: 0 for t in topic_ids()}
        for template in bank.templates.values():
            counts[template.topic] += 1
        rows = [
            {
                "id": t.id,
                "title": t.title,
                "titles": {"en": t.title, **dict(t.titles)},
                "topic": t.topic,
                "difficulty": t.difficulty,
                "tags": list(t.tags),
                "kind": t.kind,
                "languages": sorted(t.texts),
                "misconceptions": [m.name for m in t.misconceptions],
            }
            for t in templates
        ]
        print(json.dumps({"templates": rows, "per_topic": counts}, ensure_ascii=False, indent=2))
        return 0
    for t in templates:
        print(f"{t.id:<40} {t.topic:<16} {'*' * t.difficulty:<3} {t.title}")
    return 0


def _evaluate(template: Template, seed: int, work: Callable[[Variant], _T]) -> _T:
    """``work`` on variant ``seed`` of ``template``; a template that fails is exit 2, one line."""
    try:
        return work(make_variant(template, seed))
    except TEMPLATE_FAILURES as error:
        where = template_failure(template.path, seed, error)
        raise UsageError(f"template failed: {where}") from None


def _show_data(variant: Variant, lang: str, full: bool) -> dict[str, Any]:
    """Everything ``show`` prints (``full``: also what only ``--json`` gives)."""
    solved = solve(variant)
    lang = variant.language(lang)
    template, key = variant.template, solved.key
    data: dict[str, Any] = {
        "id": template.id,
        "seed": variant.seed,
        "topic": template.topic,
        "difficulty": template.difficulty,
        "title": template.title_in(lang),
        "lang": lang,
        "prompt": variant.prompt(lang),
        "hint": variant.hint(lang),
        "answer": key.data(),
        "solution": solved.solution(lang),
    }
    if full:
        tol = template.tolerance
        data["choices"] = variant.choices(lang)
        data["params"] = variant.params
        data["tolerance"] = {"rel": tol.rel, "abs": tol.abs, "sigfigs": tol.sigfigs}
        data["misconceptions"] = [m.name for m in solved.misconceptions]
    return data


def _show(args: argparse.Namespace) -> int:
    template = _template(_bank(args, quiet=True), args.id)
    if args.json:
        data = _evaluate(template, args.seed, lambda v: _show_data(v, args.lang, full=True))
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    text = _evaluate(template, args.seed, lambda v: _show_text(v, args.lang))
    print(text)
    return 0


# The labels ``show`` prints around a question's texts, and the answer kinds by name.
_SHOW_LABELS: dict[str, dict[str, str]] = {
    "en": {"seed": "seed", "hint": "Hint:", "answer": "Answer ({kind}):"},
    "ko": {
        "seed": "시드",
        "hint": "힌트:",
        "answer": "정답({kind}):",
        "number": "숫자",
        "integer": "정수",
        "tensor": "텐서",
        "shape": "모양",
        "expression": "식",
        "choice": "선택지",
    },
}


def _show_text(variant: Variant, lang: str) -> str:
    """What ``show`` prints: the texts rendered from Markdown, numbers rounded for reading.

    Colours only on a terminal; lines reflowed to its width (80 columns elsewhere, or
    ``$COLUMNS``), with no trailing spaces.
    """
    import io
    import shutil

    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

    from studykit.questions.markup import RICH_THEME, shown_answer, to_rich, variant_texts

    solved = solve(variant)
    key, shown = solved.key, variant.language(lang)
    label = _SHOW_LABELS.get(shown, _SHOW_LABELS["en"])
    texts = variant_texts(variant, lang, key)
    title = variant.template.title_in(shown)
    parts: list[RenderableType] = [
        Text(f"[{variant.template.id} · {label['seed']} {variant.seed}] {title}"),
        to_rich(texts.prompt),
    ]
    if texts.choices:
        grid = Table.grid(padding=(0, 1))
        for letter, choice in zip("ABCDEFGH", texts.choices, strict=False):
            grid.add_row(Text(f"{letter}.", style="bold"), to_rich(choice, inline=True))
        parts.append(grid)
    parts.append(to_rich(texts.format, inline=True, style="dim"))
    if texts.hint:
        grid = Table.grid(padding=(0, 1))
        grid.add_row(Text(label["hint"], style="bold"), to_rich(texts.hint))
        parts.append(grid)
    answer = shown_answer(key)  # a tensor of rows starts on a line of its own, aligned
    kind = label.get(key.kind, key.kind)
    parts.append(
        Text(label["answer"].format(kind=kind) + ("\n" if "\n" in answer else " ") + answer)
    )
    parts.append(to_rich(solved.solution(lang)))
    terminal = sys.stdout.isatty()
    width = shutil.get_terminal_size((80, 24)).columns if terminal else None
    console = Console(
        file=io.StringIO(),  # only captured
        width=width,
        force_terminal=terminal,
        no_color=not terminal,
        highlight=False,
        theme=RICH_THEME,
    )
    with console.capture() as capture:
        for i, part in enumerate(parts):
            if i:
                console.print()
            console.print(part)
    return "\n".join(line.rstrip() for line in capture.get().splitlines())


def _judge(variant: Variant, answer: str, lang: str) -> tuple[Solved, Verdict | AnswerError]:
    """The key and the verdict on ``answer`` (or why it was not understood).

    The texts are rendered too, unused: a template that cannot show its question is broken,
    and ``check`` must say so (exit 2) rather than judge answers to it.
    """
    solved = solve(variant)
    variant.prompt(lang)
    variant.hint(lang)
    solved.solution(lang)
    misconceptions = solved.misconceptions_in(lang)
    try:
        return solved, check(answer, solved.key, misconceptions, lang=lang)
    except AnswerError as error:
        return solved, error


def _check(args: argparse.Namespace) -> int:
    template = _template(_bank(args, quiet=True), args.id)
    solved, verdict = _evaluate(template, args.seed, lambda v: _judge(v, args.answer, args.lang))
    if isinstance(verdict, AnswerError):
        if args.json:
            print(json.dumps({"understood": False, "correct": False, "message": str(verdict)}))
        else:
            prefix = "읽을 수 없는 답입니다" if args.lang == "ko" else "not understood"
            print(f"{prefix}: {verdict}", file=sys.stderr)
        return 2
    if args.json:
        data = {
            "understood": True,
            "correct": verdict.correct,
            "message": verdict.message,
            "misconception": verdict.misconception,
            "feedback": verdict.feedback,
            "expected": solved.key.value if not verdict.correct else None,
        }
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(verdict.message)
        if verdict.feedback:
            print(verdict.feedback)
    return 0 if verdict.correct else 1


def _coverage(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from studykit.questions.coverage import measure

    coverage = measure(_bank(args))
    if args.json:
        print(json.dumps({**asdict(coverage), "ok": coverage.ok}, ensure_ascii=False, indent=2))
    else:
        for topic, row in coverage.per_topic.items():
            levels = " ".join(f"d{d}:{n}" for d, n in row["by_difficulty"].items())
            print(f"{topic:<18} {row['templates']:>3}   {levels}")
        print(
            f"total {coverage.total}, with misconceptions {coverage.with_misconceptions}, "
            f"with Korean {coverage.korean} (all feedback in Korean: {coverage.korean_feedback}); "
            "kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(coverage.kinds.items()))
        )
        for line in coverage.shortfalls:
            print(f"short: {line}", file=sys.stderr)
    return 0 if coverage.ok else 1


def _verify(args: argparse.Namespace) -> int:
    topic = _topic(args)
    bank = _bank(args, quiet=True)
    templates = bank.by_topic(topic)
    report = _verify_each(templates, range(args.seeds))
    for line in [f"broken template: {e}" for e in bank.errors] + report.failures:
        print(line, file=sys.stderr)
    print(
        f"verified {len(templates)} templates x {args.seeds} seeds = {report.variants} variants: "
        f"{report.failed_variants} failed, {len(bank.errors)} templates did not load"
    )
    return 1 if report.failed_variants or bank.errors else 0


def _verify_each(templates: list[Template], seeds: range) -> Report:
    """Verify template by template: one that fails in a way verify misses fails alone."""
    from studykit.questions.verify import Report, verify_templates

    total = Report()
    for template in templates:
        try:
            part = verify_templates([template], seeds)
        except TEMPLATE_FAILURES:
            part = _verify_seed_by_seed(template, seeds)
        total.variants += part.variants
        total.failed_variants += part.failed_variants
        total.failures.extend(part.failures)
    return total


def _verify_seed_by_seed(template: Template, seeds: range) -> Report:
    """Verify one template seed by seed, each failure that escapes verify a failing variant."""
    from studykit.questions.verify import MAX_LINES_PER_TEMPLATE, Report, verify_templates

    report, failed = Report(), []
    for seed in seeds:
        try:
            part = verify_templates([template], range(seed, seed + 1))
        except TEMPLATE_FAILURES as error:
            part = Report(1, 1, [template_failure(template.path, seed, error)])
        report.variants += part.variants
        report.failed_variants += part.failed_variants
        failed.extend(part.failures)
    report.failures = failed[:MAX_LINES_PER_TEMPLATE]
    if len(failed) > MAX_LINES_PER_TEMPLATE:
        more = len(failed) - MAX_LINES_PER_TEMPLATE
        report.failures.append(f"{template.path}: ... and {more} more failing seeds")
    return report
