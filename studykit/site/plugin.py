"""The study site's MkDocs plugin (``plugins: - studykit`` in ``mkdocs.yml``).

MkDocs calls one method per build event; each method hands the page to one small module that
holds one idea, so the plugin itself stays a table of contents:

- `studykit.site.links`: names in backticks become links to their API entries, and each note
  ends with links to its quiz, its reference and its drills;
- `studykit.site.korean`: Korean text is marked ``lang="ko"``;
- `studykit.site.languages`: the English and Korean sites stay sub-path safe;
- `studykit.site.weight`: the search index keeps prose, not source code, and is fetched
  only when a reader reaches for search.

The quiz and drill pages are not made here: ``studykit site build`` writes them as plain
Markdown before MkDocs runs (`studykit.site.quizpages`, `studykit.site.drillpages`), so they can
be read and tested as files.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from studykit.site import korean, languages, links, weight

__all__ = ["StudykitPlugin"]


class StudykitPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Adds the links, the language marks and the lighter search index to every page."""

    index: links.ApiIndex | None = None
    drill_topics: frozenset[str] = frozenset()

    def on_config(self, config: MkDocsConfig) -> None:
        """Read which names the API reference documents, which topics have drills (once)."""
        docs = Path(config.docs_dir)
        self.index = links.ApiIndex.from_docs(docs)
        self.drill_topics = frozenset(
            page.stem for page in (docs / "drills").glob("*.md") if "." not in page.stem
        ) - {"index"}

    def _index(self) -> links.ApiIndex:
        if self.index is None:
            raise RuntimeError("the studykit plugin's on_config has not run")
        return self.index

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Append the next steps, its quiz and its reference, to a note."""
        return links.add_next_steps(markdown, page.file.src_uri, self._index(), self.drill_topics)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Link the names in backticks to their API entries."""
        return links.link_names(html, page.file.src_uri, self._index())

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Mark the Korean text of the finished page; hold the search index back until used."""
        output = languages.relative_alternates(output, page.url, config.site_url)
        return weight.defer_search_index(korean.mark_korean(output))

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """Finish a page made from a template alone (``404.html``) as `on_post_page` does."""
        if not template_name.endswith(".html"):
            return output_content
        page = weight.defer_search_index(korean.mark_korean(output_content))
        if template_name != "404.html":
            return page
        language = str(config.theme.get("language") or "en")
        return languages.keep_default_404(config.site_dir, language, "en", page)

    @event_priority(-100)  # after the search plugin has written the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Trim and split the search index once every page is written; drop hostless sitemaps."""
        weight.trim_search_index(config.site_dir)
        languages.drop_hostless_sitemaps(config.site_dir, config.site_url)
