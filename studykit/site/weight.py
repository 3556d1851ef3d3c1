"""Keep the study site's pages light: what every page loads is measured and trimmed here.

Material fetches the whole search index (``search/search_index.json``) on every page, so the
index keeps what a student searches for (titles, headings, prose, examples) and loses the
source listings that mkdocstrings adds under each API entry (``show_source``): a
"Source code in <code>path</code>" line followed by the function's code, which repeats its
docstring and would double the index.

Even trimmed, the index outweighs the rest of most pages, and Material requests it as soon as
a page opens. `defer_search_index` puts ``assets/js/search-on-demand.js`` before Material's
bundle in each page: the index is then fetched when the reader reaches for search, not on
every visit. ``benchmarks/site_weight.py`` measures what each page loads in all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

__all__ = ["INDEX", "LANGUAGE_SITES", "defer_search_index", "trim_search_index", "trim_text"]

INDEX = Path("search") / "search_index.json"

LANGUAGE_SITES = ("ko",)
"""The folders of the other language sites (``ko/``): each gets its own search index."""

# In the index, Material's search plugin writes a <details> summary as its text and keeps the
# code block's <pre><code>; the code is HTML-escaped, so it cannot hold "</pre>" itself.
_SOURCE_LISTING = re.compile(r"\s*Source code in <code>[^<]*</code>\s*<pre>.*?</pre>", re.DOTALL)


# Material's bundle, as its base template writes it: the page's path to the site root first.
_BUNDLE = re.compile(r'(?P<indent>[ \t]*)<script src="(?P<root>[^"]*)assets/javascripts/bundle\.')
_ON_DEMAND = "assets/js/search-on-demand.js"


def defer_search_index(html: str) -> str:
    """Have ``html`` (a finished page) fetch the search index only when search is used.

    Inserts ``<script src=".../assets/js/search-on-demand.js">`` just before Material's bundle,
    with the same path to the site root, so it runs first. A page without the bundle, or one
    that has the script already, is returned as it is.

    Args:
        html: The page as MkDocs writes it (``on_post_page``).

    Returns:
        The page, with the script added.
    """
    bundle = _BUNDLE.search(html)
    if bundle is None or _ON_DEMAND in html:
        return html
    tag = f'{bundle["indent"]}<script src="{bundle["root"]}{_ON_DEMAND}"></script>\n'
    return html[: bundle.start()] + tag + html[bundle.start() :]


def trim_text(text: str) -> str:
    """One entry's text without its source listings."""
    return _SOURCE_LISTING.sub("", text)


def trim_search_index(site_dir: str) -> None:
    """Rewrite the search index under ``site_dir``: no source listings, one index per language.

    Every entry keeps its location and title; only its text gets shorter. The search plugin
    writes one index for the whole site, both languages in it; the entries of the Korean site
    (locations under ``ko/``) move to ``ko/search/search_index.json``, which the pages of that
    site ask for (``assets/js/search-on-demand.js``), so a search finds pages of the reader's
    language only. The files are written compact, as Material's search plugin writes them.
    Nothing happens when the site has no search index (the search plugin is off).

    Args:
        site_dir: The folder the site was built into.
    """
    path = Path(site_dir) / INDEX
    if not path.is_file():
        return
    index: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    docs = index.get("docs", [])
    for entry in docs:
        entry["text"] = trim_text(entry.get("text", ""))
    for language in LANGUAGE_SITES:
        prefix = f"{language}/"
        mine = [entry for entry in docs if entry.get("location", "").startswith(prefix)]
        if mine:
            docs = [entry for entry in docs if not entry.get("location", "").startswith(prefix)]
            mine += _fallbacks(Path(site_dir), prefix, docs, mine)
            _write_index(Path(site_dir) / language / INDEX, {**index, "docs": mine})
    _write_index(path, {**index, "docs": docs})


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def _fallbacks(
    site: Path, prefix: str, default: list[dict[str, Any]], mine: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The default language's entries of the pages a language site serves untranslated.

    A page with no twin in that language (a quiz, the API reference) is built under its folder
    from the default page, but the search plugin leaves it out of the index: the language's
    index gets the default page's entries, pointed at that copy.
    """
    translated = {_page(entry["location"]) for entry in mine}
    return [
        {**entry, "location": prefix + entry["location"]}
        for entry in default
        if prefix + _page(entry["location"]) not in translated
        and (site / prefix / _page(entry["location"]) / "index.html").is_file()
    ]


def _write_index(path: Path, index: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
