"""Korean text on the study site gets ``lang="ko"``, so browsers pick Korean fonts and voices."""

from __future__ import annotations

__all__ = ["mark_korean"]


def mark_korean(html: str) -> str:
    """Return ``html`` with runs of Korean text wrapped in ``<span lang="ko">`` (stub)."""
    return html
