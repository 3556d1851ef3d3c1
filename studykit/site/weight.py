"""Keep the study site's pages light: what every page loads is measured and trimmed here."""

from __future__ import annotations

__all__ = ["trim_search_index"]


def trim_search_index(site_dir: str) -> None:
    """Shrink ``search/search_index.json`` under ``site_dir`` (stub)."""
