"""The question commands of the CLI: ``list``, ``show``, ``check`` and ``verify``.

Exit statuses are a contract for scripts: ``check`` exits 0 for a correct answer, 1 for a wrong
one and 2 when the answer is not understood or the command is misused; ``verify`` exits 1 when
any variant fails. Every problem is one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from studykit.questions.answers import AnswerError
from studykit.questions.checking import check
from studykit.questions.params import ParamError
from studykit.questions.template import Bank, Template, load_bank
from studykit.questions.variant import MAX_SEED, SolveError, make_variant, solve
from studykit.topics import topic_ids

__all__ = ["QUESTIONS_HELP", "add_commands", "default_questions_dir"]


class UsageError(Exception):
    """A misuse of a command (exit 2), with a one-line message."""


QUESTIONS_HELP = "template folder (default: $STUDYKIT_QUESTIONS, else the bundled bank)"


def default_questions_dir() -> Path:
    """Where the question bank is: ``$STUDYKIT_QUESTIONS``, the installed copy, or the checkout's.

    A wheel carries the bank as ``studykit/bank`` (copied at build time, see ``setup.py``); an
    editable install or a plain checkout reads ``questions/`` at the top of the repository.
    """
    env = os.environ.get("STUDYKIT_QUESTIONS")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parents[1]
    installed = package / "bank"
    return installed if installed.is_dir() else package.parent / "questions"


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_SEED}, got {value}")
    return value


def _positive(text: str) -> int:
    value = _seed(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


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
    p.add_argument("--seed", type=_seed, default=0, help="variant seed (default 0)")
    p.add_argument("--lang", default="en", choices=["en", "ko"], help="text language")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_run(_show))

    p = sub.add_parser("check", parents=[common], help="check an answer to one variant")
    p.add_argument("id", help="template id")
    p.add_argument("--seed", type=_seed, default=0, help="variant seed (default 0)")
    p.add_argument("--answer", required=True, help="the answer, as a student would type it")
    p.add_argument("--lang", default="en", choices=["en", "ko"], help="feedback language")
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


def _solved(args: argparse.Namespace) -> Any:
    bank = _bank(args, quiet=True)
    template = _template(bank, args.id)
    try:
        return solve(make_variant(template, args.seed))
    except (ParamError, SolveError) as error:
        raise UsageError(f"template bug: {error}") from None


def _show(args: argparse.Namespace) -> int:
    solved = _solved(args)
    variant, key = solved.variant, solved.key
    lang = variant.language(args.lang)
    if args.json:
        tol = variant.template.tolerance
        data = {
            "id": variant.template.id,
            "seed": variant.seed,
            "topic": variant.template.topic,
            "difficulty": variant.template.difficulty,
            "title": variant.template.title_in(lang),
            "lang": lang,
            "prompt": variant.prompt(lang),
            "hint": variant.hint(lang),
            "choices": variant.choices(lang),
            "params": variant.params,
            "answer": {"kind": key.kind, "value": key.value, "shape": list(key.shape)},
            "tolerance": {"rel": tol.rel, "abs": tol.abs, "sigfigs": tol.sigfigs},
            "solution": solved.solution(lang),
            "misconceptions": [m.name for m in solved.misconceptions],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"[{variant.template.id} · seed {variant.seed}] {variant.template.title_in(lang)}\n")
    print(variant.prompt(lang))
    hint = variant.hint(lang)
    if hint:
        print(f"\nHint: {hint}")
    print(f"\nAnswer ({key.kind}): {key.value}\n")
    print(solved.solution(lang))
    return 0


def _check(args: argparse.Namespace) -> int:
    solved = _solved(args)
    try:
        verdict = check(args.answer, solved.key, solved.misconceptions_in(args.lang))
    except AnswerError as error:
        if args.json:
            print(json.dumps({"understood": False, "correct": False, "message": str(error)}))
        else:
            print(f"not understood: {error}", file=sys.stderr)
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
    from studykit.questions.verify import verify_templates

    topic = _topic(args)
    bank = _bank(args, quiet=True)
    report = verify_templates(bank.by_topic(topic), range(args.seeds))
    for line in [f"broken template: {e}" for e in bank.errors] + report.failures:
        print(line, file=sys.stderr)
    count = len(bank.by_topic(topic))
    print(
        f"verified {count} templates x {args.seeds} seeds = {report.variants} variants: "
        f"{report.failed_variants} failed, {len(bank.errors)} templates did not load"
    )
    return 1 if report.failed_variants or bank.errors else 0
