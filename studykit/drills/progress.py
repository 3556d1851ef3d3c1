"""Drills in the progress database: every start and check, and one FSRS card per drill.

A drill is rated once per attempt, when it first passes: **Good** when no check of this attempt
failed, **Hard** when some did. Until then nothing is rated (a student working through a drill
in ``--watch`` fails many times on the way; that is not forgetting). Passing again before the
drill is due changes nothing. When it falls due, ``studykit review`` lists it, and
``studykit drill start`` moves the last attempt aside and writes a fresh stub: a review means
writing the function again from a blank page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studykit.quiz.schedule import review
from studykit.quiz.store import DRILL_CARD, DrillEvent, Store, now

__all__ = [
    "DrillProgress",
    "drill_stats",
    "due_drills",
    "progress",
    "record_check",
    "record_start",
]

GOOD, HARD = 3, 2


def record_start(store: Store, drill_id: str, topic: str) -> None:
    """Note that a fresh stub was written (an attempt begins)."""
    store.record_drill(DrillEvent(drill_id, topic, "start"))


def record_check(store: Store, drill_id: str, topic: str, result: dict[str, Any]) -> int | None:
    """Store one check; rate the drill when this is the attempt's first pass and it is due.

    Returns:
        The FSRS rating given (2 Hard, 3 Good), or ``None`` when the check was not rated.
    """
    failure = result.get("failure") or {}
    mistake = failure.get("misconception") or {}
    event = DrillEvent(
        drill_id,
        topic,
        "check",
        status=str(result["status"]),
        misconception=mistake.get("id"),
        cases_run=int(result.get("cases_run") or 0),
        seconds=float(result.get("seconds") or 0.0),
    )
    rating = _rating(store, drill_id) if result["status"] == "pass" else None
    card = None
    if rating is not None:
        card = review(store.card(DRILL_CARD + drill_id), rating, now())
    store.record_drill(event, card)
    return rating


def _rating(store: Store, drill_id: str) -> int | None:
    moment = now()
    due = dict(store.due(moment))
    stored = store.card(DRILL_CARD + drill_id)
    if stored is not None and DRILL_CARD + drill_id not in due:
        return None  # passed again before it is due: the schedule stands
    attempt: list[dict[str, Any]] = []
    for event in store.drill_events(drill_id):
        attempt = [] if event["event"] == "start" else [*attempt, event]
    if stored is not None and any(e["status"] == "pass" for e in attempt):
        # Due, but this attempt already passed once (an old file checked again): rate the
        # review only after a fresh start.
        return None
    return GOOD if all(e["status"] == "pass" for e in attempt) else HARD


def due_drills(store: Store, until: datetime) -> list[tuple[str, datetime]]:
    """The drills whose review is due by ``until``, soonest first."""
    return [
        (card.removeprefix(DRILL_CARD), when)
        for card, when in store.due(until)
        if card.startswith(DRILL_CARD)
    ]


@dataclass(frozen=True)
class DrillProgress:
    """What a student has done with one drill."""

    topic: str
    checks: int
    passed: bool
    last_status: str | None


def progress(store: Store) -> dict[str, DrillProgress]:
    """Per drill: how many checks, whether it ever passed, the last check's status."""
    found: dict[str, DrillProgress] = {}
    for event in store.drill_events():
        if event["event"] != "check":
            continue
        before = found.get(event["drill_id"], DrillProgress(event["topic"], 0, False, None))
        found[event["drill_id"]] = DrillProgress(
            before.topic,
            before.checks + 1,
            before.passed or event["status"] == "pass",
            event["status"],
        )
    return found


def drill_stats(store: Store, until: datetime) -> dict[str, Any]:
    """What ``studykit stats`` shows of the drills: tried, passed, per topic, due by ``until``."""
    done = progress(store)
    per_topic: dict[str, dict[str, int]] = {}
    for state in done.values():
        entry = per_topic.setdefault(state.topic, {"passed": 0, "tried": 0})
        entry["tried"] += 1
        entry["passed"] += int(state.passed)
    return {
        "tried": len(done),
        "passed": sum(state.passed for state in done.values()),
        "checks": sum(state.checks for state in done.values()),
        "per_topic": dict(sorted(per_topic.items())),
        "due": len(due_drills(store, until)),
    }
