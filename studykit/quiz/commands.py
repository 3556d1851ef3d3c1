"""``studykit quiz``, ``review`` and ``stats``: the commands a student runs.

Exit statuses (``EXIT_STATUSES``): 0 when the session ends (all questions asked, or ``quit``),
3 when the input ends first (the end of a piped file, or Ctrl-D), 130 when it is cut short by
Ctrl-C (in both cases everything answered so far is saved and summarized), 2 for a usage error
(unknown topic, bad seed, unusable database: locked, read-only, not studykit's), each with a
one-line message.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import secrets
import sys
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.cliargs import number_in
from studykit.language import add_language_option
from studykit.questions.commands import QUESTIONS_HELP, default_questions_dir, seed_argument
from studykit.questions.template import Summary, scan_bank
from studykit.quiz.words import words
from studykit.topics import TOPICS, topic_ids

if TYPE_CHECKING:
    from studykit.quiz.store import Store

__all__ = ["EXIT_INPUT_ENDED", "EXIT_INTERRUPTED", "add_commands"]

EXIT_INPUT_ENDED = 3
EXIT_INTERRUPTED = 130
EXIT_STATUSES = (
    "exit status: 0 done (or quit), 2 usage or database problem, "
    f"{EXIT_INPUT_ENDED} the input ended first, {EXIT_INTERRUPTED} Ctrl-C; "
    "answers given are always saved"
)


class UsageError(Exception):
    """A misuse of a command (exit 2), with a one-line message."""


_count = number_in(1, 500)


def add_commands(sub: Any) -> None:
    """Register quiz, review and stats on an argparse subparsers object."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="progress database (default: user data dir)")
    common.add_argument("--json", action="store_true", help="machine-readable results on stdout")

    asking = argparse.ArgumentParser(add_help=False, parents=[common])
    add_language_option(asking, "text")
    asking.add_argument(
        "--seed", type=seed_argument, help="reproduce a session (printed at the start)"
    )
    asking.add_argument("--questions", type=Path, help=QUESTIONS_HELP)

    p = sub.add_parser(
        "quiz", parents=[asking], help="a quiz in the terminal", epilog=EXIT_STATUSES
    )
    p.add_argument(
        "--topic",
        action="append",
        help=f"only these topics (repeat, or comma-separate): {', '.join(topic_ids())}",
    )
    p.add_argument("--difficulty", type=int, choices=[1, 2, 3], help="only this difficulty")
    p.add_argument("-n", "--count", type=_count, default=5, help="questions (default 5)")
    p.set_defaults(handler=_run(_quiz))

    p = sub.add_parser(
        "review", parents=[asking], help="review the concepts that are due", epilog=EXIT_STATUSES
    )
    p.add_argument("-n", "--count", type=_count, default=10, help="at most this many (default 10)")
    p.set_defaults(handler=_run(_review))

    p = sub.add_parser("stats", parents=[common], help="accuracy, streaks and what is due")
    add_language_option(p, "text")
    p.set_defaults(handler=_run(_stats))


def _run(handler: Any) -> Any:
    def wrapped(args: argparse.Namespace) -> int:
        import sqlite3

        from studykit.quiz.store import StoreError

        try:
            return int(handler(args))
        except (UsageError, StoreError) as error:
            print(f"studykit {args.command}: {error}", file=sys.stderr)
            return 2
        except sqlite3.Error as error:  # the store names its file; this is a last resort
            print(f"studykit {args.command}: {_db_path(args)}: {error}", file=sys.stderr)
            return 2

    return wrapped


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _db_path(args: argparse.Namespace) -> Path:
    from studykit.quiz.store import default_db_path

    path: Path = args.db or default_db_path()
    return path


def _store(args: argparse.Namespace, read_only_ok: bool = False) -> Store:
    from studykit.quiz.store import Store

    return Store(_db_path(args), warn=_warn, read_only_ok=read_only_ok)


def _topics(raw: list[str] | None) -> list[str] | None:
    if not raw:
        return None
    topics = [t.strip() for item in raw for t in item.split(",") if t.strip()]
    for topic in topics:
        if topic not in topic_ids():
            raise UsageError(f"unknown --topic {topic!r} (known: {', '.join(topic_ids())})")
    return topics


def _summaries(args: argparse.Namespace) -> list[Summary]:
    root = args.questions or default_questions_dir()
    summaries, errors = scan_bank(root)
    if not summaries and errors:
        raise UsageError(errors[0])
    for error in errors:
        print(f"warning: skipped {error}", file=sys.stderr)
    return summaries


def _quiz(args: argparse.Namespace) -> int:
    topics = _topics(args.topic)
    chosen = [
        s
        for s in _summaries(args)
        if (topics is None or s.topic in topics)
        and (args.difficulty is None or s.difficulty == args.difficulty)
    ]
    if not chosen:
        raise UsageError("no questions match those --topic/--difficulty options")
    from studykit.quiz.session import plan_quiz

    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    planned = plan_quiz(chosen, args.count, random.Random(f"quiz/{seed}"))
    options = {"topics": topics, "difficulty": args.difficulty, "count": args.count}
    return _session(args, _store(args), "quiz", seed, planned, options)


def _review(args: argparse.Namespace) -> int:
    from studykit.drills.progress import due_drills
    from studykit.quiz.session import Planned
    from studykit.quiz.store import now

    by_id = {s.id: s for s in _summaries(args)}
    store = _store(args)
    try:
        due = [(tid, when) for tid, when in store.due(now()) if tid in by_id][: args.count]
        drills = [drill for drill, _ in due_drills(store, now())]
        upcoming = None if due else store.next_due()
    except BaseException:
        store.close()
        raise
    if drills and not args.json:
        _print_due_drills(drills, args.lang)
    if not due:
        store.close()
        if args.json:
            when = upcoming.isoformat() if upcoming else None
            print(json.dumps({"due": 0, "next_due": when, "drills_due": drills}))
        elif drills:
            pass
        elif upcoming is None:
            print(words(args.lang)["nothing_scheduled"])
        else:
            print(words(args.lang)["nothing_due"].format(when=_ago(upcoming, args.lang)))
        return 0
    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    rng = random.Random(f"review/{seed}")
    planned = [Planned(by_id[tid], rng.randrange(1_000_000)) for tid, _ in due]
    return _session(args, store, "review", seed, planned, {"count": args.count})


def _print_due_drills(drills: list[str], lang: str) -> None:
    print(words(lang)["drills_due"])
    for drill in drills:
        print(f"  studykit drill start {drill}")
    print()


def _ago(moment: datetime, lang: str = "en") -> str:
    from studykit.quiz.store import now

    say = words(lang)
    delta = moment - now()
    if delta.total_seconds() <= 0:
        return say["due_now"]
    minutes = delta.total_seconds() / 60
    if minutes < 90:
        return say["in_minutes"].format(n=max(1, round(minutes)))
    hours = minutes / 60
    if hours < 48:
        return say["in_hours"].format(n=f"{hours:.0f}")
    return say["in_days"].format(n=f"{hours / 24:.0f}")


def _session(
    args: argparse.Namespace,
    store: Store,
    mode: str,
    seed: int,
    planned: list[Any],
    options: dict[str, Any],
) -> int:
    from studykit.quiz.session import SessionUI, run_session

    _tolerate_undecodable(sys.stdin)
    out = sys.stderr if args.json else sys.stdout
    ui = SessionUI(sys.stdin, out, interactive=sys.stdin.isatty() and not args.json, lang=args.lang)
    say = words(args.lang)
    try:
        session_id = store.start_session(mode, seed, options)
        ui.say(say["start"].format(mode=mode, count=len(planned), seed=seed), "dim")
        result = run_session(planned, store, ui, session_id, args.lang, _warn)
        store.finish_session(session_id)
        _print_summary(ui, result, store, args.lang)
    finally:
        store.close()
    if args.json:
        print(json.dumps(_result_json(mode, seed, result), ensure_ascii=False, indent=2))
    if result.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_INPUT_ENDED if result.input_ended else 0


def _tolerate_undecodable(stream: Any) -> None:
    """Read bytes that are not valid text as U+FFFD (an answer not understood), not a crash."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")


def _print_summary(ui: Any, result: Any, store: Any, lang: str) -> None:
    from rich.table import Table

    from studykit.quiz.store import now

    say = words(lang)
    answers = result.answers
    right = sum(a.correct for a in answers)
    ui.console.print()
    if result.interrupted or result.input_ended:
        ui.say(say["stopped" if result.interrupted else "input_ended"], "yellow")
    title = say["summary"].format(right=right, asked=len(answers), seconds=result.seconds)
    table = Table(title=title, title_justify="left")
    table.add_column(say["topic"])
    table.add_column(say["right"], justify="right")
    table.add_column(say["asked"], justify="right")
    per_topic: dict[str, list[bool]] = defaultdict(list)
    for answer in answers:
        per_topic[answer.topic].append(answer.correct)
    for topic, marks in sorted(per_topic.items()):
        table.add_row(_topic_name(topic, lang), str(sum(marks)), str(len(marks)))
    if answers:
        ui.console.print(table)
    missed = sorted({a.topic for a in answers if not a.correct})
    if missed:
        ui.say(say["review_next"].format(topics=", ".join(_topic_name(t, lang) for t in missed)))
    upcoming = store.next_due()
    if upcoming is not None:
        stamp = f"{upcoming.astimezone(now().tzinfo):%Y-%m-%d %H:%M}"
        ui.say(say["next_review"].format(when=_ago(upcoming, lang), stamp=stamp), "dim")


def _result_json(mode: str, seed: int, result: Any) -> dict[str, Any]:
    per_topic: dict[str, dict[str, int]] = {}
    for a in result.answers:
        entry = per_topic.setdefault(a.topic, {"right": 0, "asked": 0})
        entry["asked"] += 1
        entry["right"] += int(a.correct)
    return {
        "mode": mode,
        "seed": seed,
        "session": result.session_id,
        "interrupted": result.interrupted,
        "input_ended": result.input_ended,
        "quit": result.quit,
        "seconds": round(result.seconds, 3),
        "right": sum(a.correct for a in result.answers),
        "asked": len(result.answers),
        "per_topic": per_topic,
        "answers": [
            {
                "id": a.template_id,
                "seed": a.seed,
                "topic": a.topic,
                "given": a.given,
                "correct": a.correct,
                "skipped": a.skipped,
                "hinted": a.hinted,
                "misconception": a.misconception,
                "seconds": round(a.seconds, 3),
            }
            for a in result.answers
        ],
        "skipped_templates": result.skipped_templates,
    }


def _stats(args: argparse.Namespace) -> int:
    from studykit.drills.progress import drill_stats
    from studykit.quiz.store import DRILL_CARD, now

    store = _store(args, read_only_ok=True)
    answers = store.answers()
    moved = [str(path) for path in store.moved_aside()]
    moment = now()
    per_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in answers:
        per_topic[a["topic"]][0] += a["correct"]
        per_topic[a["topic"]][1] += 1
    end_of_today = moment.replace(hour=23, minute=59, second=59)
    due_today = sum(not c.startswith(DRILL_CARD) for c, _ in store.due(end_of_today))
    week = end_of_today + timedelta(days=6)
    due_week = sum(not c.startswith(DRILL_CARD) for c, _ in store.due(week))
    drills = drill_stats(store, end_of_today)
    streak = _streak({datetime.fromisoformat(a["answered_at"]).date() for a in answers}, moment)
    accuracy = {t: {"right": r, "asked": n, "accuracy": r / n} for t, (r, n) in per_topic.items()}
    weakest = sorted(accuracy, key=lambda t: (accuracy[t]["accuracy"], -accuracy[t]["asked"]))[:3]
    store.close()
    data = {
        "answers": len(answers),
        "right": sum(a["correct"] for a in answers),
        "per_topic": dict(sorted(accuracy.items())),
        "streak_days": streak,
        "due_today": due_today,
        "due_this_week": due_week,
        "weakest": weakest,
        "moved_aside": moved,
        "drills": drills,
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    _print_stats(data, args.lang)
    return 0


def _streak(days: set[Any], moment: datetime) -> int:
    """Consecutive days with at least one answer, ending today (or yesterday)."""
    day = moment.date()
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _print_stats(data: dict[str, Any], lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    say = words(lang)
    if not data["answers"]:
        console.print(say["no_answers"])
        _print_drill_stats(console, data["drills"], lang)
        return
    title = say["stats_title"].format(right=data["right"], answers=data["answers"])
    table = Table(title=title, title_justify="left")
    for column in ("topic", "right", "asked", "accuracy"):
        table.add_column(say[column], justify="left" if column == "topic" else "right")
    for topic, row in data["per_topic"].items():
        table.add_row(
            _topic_name(topic, lang), str(row["right"]), str(row["asked"]), f"{row['accuracy']:.0%}"
        )
    console.print(table)
    console.print(say["streak"].format(n=data["streak_days"]))
    console.print(say["due_counts"].format(today=data["due_today"], week=data["due_this_week"]))
    if data["weakest"]:
        topics = ", ".join(_topic_name(t, lang) for t in data["weakest"])
        console.print(say["weakest"].format(topics=topics))
    _print_drill_stats(console, data["drills"], lang)


def _topic_name(topic: str, lang: str) -> str:
    """A topic as a student reads it: the id (what ``--topic`` takes), in Korean with its name."""
    korean = _KOREAN_TOPICS.get(topic) if lang == "ko" else None
    return topic if korean is None else f"{korean} ({topic})"


_KOREAN_TOPICS = {t.id: t.korean for t in TOPICS}


def _print_drill_stats(console: Any, drills: dict[str, Any], lang: str) -> None:
    if not drills["tried"]:
        return
    per_topic = ", ".join(
        f"{_topic_name(t, lang)} {r['passed']}/{r['tried']}" for t, r in drills["per_topic"].items()
    )
    fields = {key: drills[key] for key in ("passed", "tried", "checks", "due")}
    console.print(words(lang)["drill_stats"].format(per_topic=per_topic, **fields))
