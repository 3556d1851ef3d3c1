"""Links between the site's pages: API names in backticks, and each note's next steps."""

from __future__ import annotations

__all__ = ["add_next_steps", "link_names"]


def add_next_steps(markdown: str, src_uri: str) -> str:
    """Return ``markdown`` with the links to a note's quiz and reference appended (stub)."""
    return markdown


def link_names(html: str, src_uri: str) -> str:
    """Return ``html`` with backticked API names linked to their entries (stub)."""
    return html
