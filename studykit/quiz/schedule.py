"""Spaced repetition with FSRS: one card per *concept* (template), never per fixed question.

Each review draws a fresh variant of the concept, so what is remembered is the idea, not the
numbers. The rating comes from what happened, not from a self-assessment:

| what happened | rating |
|---|---|
| wrong, skipped, or gave up | Again |
| right after asking for a hint | Hard |
| right | Good |
| right, quickly (within ``QUICK_SECONDS``) | Easy |
"""

from __future__ import annotations

from datetime import datetime

__all__ = ["QUICK_SECONDS", "rating_for", "review"]

QUICK_SECONDS = 20.0


def rating_for(correct: bool, hinted: bool, seconds: float) -> int:
    """The FSRS rating (1 Again, 2 Hard, 3 Good, 4 Easy) for one answer."""
    if not correct:
        return 1
    if hinted:
        return 2
    return 4 if seconds <= QUICK_SECONDS else 3


def review(card_json: str | None, rating: int, when: datetime) -> tuple[str, datetime]:
    """Apply one rating to a concept's card (a new card when ``None``); return (card, due)."""
    from fsrs import Card, Rating, Scheduler

    card = Card() if card_json is None else Card.from_json(card_json)
    updated, _ = Scheduler().review_card(card, Rating(rating), review_datetime=when)
    return updated.to_json(), updated.due
