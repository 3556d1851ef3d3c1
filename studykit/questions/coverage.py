"""``studykit coverage``: does the bank teach every row of the topic map, at every level?

Minimums (the full-bank contract): every topic has at least ``MIN_PER_TOPIC`` templates with at
least one of each difficulty 1, 2 and 3; the bank has at least ``MIN_TOTAL`` templates, at least
``MIN_WITH_MISCONCEPTIONS`` with misconceptions and at least ``MIN_KOREAN`` with Korean text.
It also counts the templates whose misconception feedback is all translated into Korean (no
minimum yet: a Korean reader sees the English feedback of the others).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studykit.questions.template import Bank
from studykit.topics import topic_ids

__all__ = ["Coverage", "measure"]

MIN_PER_TOPIC = 4
MIN_TOTAL = 80
MIN_WITH_MISCONCEPTIONS = 40
MIN_KOREAN = 20


@dataclass
class Coverage:
    """Counts per topic and for the whole bank, and the minimums that are not met."""

    per_topic: dict[str, dict[str, Any]] = field(default_factory=dict)
    total: int = 0
    with_misconceptions: int = 0
    korean: int = 0
    korean_feedback: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    shortfalls: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every minimum is met."""
        return not self.shortfalls


def measure(bank: Bank) -> Coverage:
    """Count the bank against the minimums."""
    coverage = Coverage()
    templates = list(bank.templates.values())
    for topic in topic_ids():
        mine = [t for t in templates if t.topic == topic]
        levels = {d: sum(1 for t in mine if t.difficulty == d) for d in (1, 2, 3)}
        coverage.per_topic[topic] = {"templates": len(mine), "by_difficulty": levels}
        if len(mine) < MIN_PER_TOPIC:
            coverage.shortfalls.append(f"{topic}: {len(mine)} templates, needs {MIN_PER_TOPIC}")
        missing = [str(d) for d, n in levels.items() if n == 0]
        if missing:
            coverage.shortfalls.append(f"{topic}: no template of difficulty {', '.join(missing)}")
    coverage.total = len(templates)
    coverage.with_misconceptions = sum(1 for t in templates if t.misconceptions)
    coverage.korean = sum(1 for t in templates if "ko" in t.texts)
    coverage.korean_feedback = sum(
        1
        for t in templates
        if t.misconceptions and all("ko" in m.feedback for m in t.misconceptions)
    )
    for t in templates:
        kind = "choice (auto)" if t.auto_choices else t.kind
        coverage.kinds[kind] = coverage.kinds.get(kind, 0) + 1
    for label, count, minimum in (
        ("templates", coverage.total, MIN_TOTAL),
        ("templates with misconceptions", coverage.with_misconceptions, MIN_WITH_MISCONCEPTIONS),
        ("templates with Korean text", coverage.korean, MIN_KOREAN),
    ):
        if count < minimum:
            coverage.shortfalls.append(f"{count} {label}, needs {minimum}")
    return coverage
