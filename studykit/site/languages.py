"""The two language sites, English at the root and Korean under ``ko/``, kept sub-path safe.

mkdocs-static-i18n builds the Korean site after the English one, from the ``x.ko.md`` twins,
and gives every page a header link to its twin (``<a hreflang>``, plus
``<link rel="alternate" hreflang>``). Three things it does would break a site served from a
sub-path (``https://USER.github.io/studykit/``) or without a ``site_url``, and are put right here:

- the links to the two home pages are written from the server's root (``href="/ko/"``):
  `relative_alternates` makes every such link relative to the page;
- the Korean build writes its ``404.html`` over the English one at the site's root:
  `keep_default_404` puts the Korean page at ``ko/404.html`` and keeps the English one;
- without a ``site_url`` its sitemap names the host ``None`` (``<loc>None./</loc>``):
  `drop_hostless_sitemaps` removes sitemaps that cannot name their pages.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["drop_hostless_sitemaps", "keep_default_404", "relative_alternates"]

_ALTERNATE = re.compile(r'(<(?:a|link)\b[^>]*?\bhref=")(/[^"]*)("[^>]*\bhreflang="[^"]*")')


def relative_alternates(html: str, page_url: str, site_url: str | None) -> str:
    """Rewrite the root-relative ``href`` of ``hreflang`` links as relative to the page.

    Args:
        html: The finished page.
        page_url: The page's URL within the site (``ko/notes/losses/``, ``""`` for the home).
        site_url: The site's URL, whose path (``/studykit/``) the links may start with.

    Returns:
        The page with relative language links; any other link is left as it is.

    Examples:
        >>> relative_alternates('<a href="/ko/" hreflang="ko">', "notes/losses/", None)
        '<a href="../../ko/" hreflang="ko">'
    """
    prefix = urlsplit(site_url).path if site_url else "/"
    here = posixpath.dirname(page_url.rstrip("/") + "/index.html") if page_url else "."

    def relative(match: re.Match[str]) -> str:
        target = match[2]
        if not target.startswith(prefix):
            return match[0]
        link = posixpath.relpath(target[len(prefix) :] or ".", here)
        link = "./" if link == "." else link + ("/" if target.endswith("/") else "")
        return f"{match[1]}{link}{match[3]}"

    return _ALTERNATE.sub(relative, html)


def keep_default_404(site_dir: str, language: str, default: str, page: str) -> str:
    """For a build in another language, save its 404 page under its folder; keep the root's.

    Args:
        site_dir: The site's folder.
        language: The language being built (``theme.language``).
        default: The default language (built first, at the root).
        page: The 404 page this build made.

    Returns:
        What the root ``404.html`` should hold: ``page`` for the default language, else the
        default language's page already written there.
    """
    root = Path(site_dir) / "404.html"
    if language == default or not root.is_file():
        return page
    own = Path(site_dir) / language / "404.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(page, encoding="utf-8")
    return root.read_text(encoding="utf-8")


def drop_hostless_sitemaps(site_dir: str, site_url: str | None) -> None:
    """Remove the sitemaps of a build with no ``site_url``: they cannot name their pages."""
    if site_url:
        return
    for sitemap in Path(site_dir).glob("**/sitemap.xml*"):
        sitemap.unlink()
