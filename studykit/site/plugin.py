"""The study site's MkDocs plugin (``plugins: - studykit`` in ``mkdocs.yml``).

MkDocs calls one method per build event; each method hands the page to one small module that
holds one idea, so the plugin itself stays a table of contents:

- `studykit.site.links`: names in backticks become links to their API entries, and each note
  ends with links to its quiz and its reference;
- `studykit.site.korean`: Korean text is marked ``lang="ko"``;
- `studykit.site.weight`: the search index keeps prose, not source code.

The quiz pages are not made here: ``studykit site-pages`` writes them as plain Markdown before
MkDocs runs, so they can be read and tested as files.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from studykit.site import korean, links, weight

__all__ = ["StudykitPlugin"]


class StudykitPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Adds the links, the language marks and the lighter search index to every page."""

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Append the "study next" links to a note."""
        return links.add_next_steps(markdown, page.file.src_uri)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Link the names in backticks to their API entries."""
        return links.link_names(html, page.file.src_uri)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Mark the Korean text of the finished page."""
        return korean.mark_korean(output)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Trim the search index once every page is written."""
        weight.trim_search_index(config.site_dir)
