"""Links between the site's pages: API names in backticks, and each note's next steps.

A note that says `` `l1_loss` `` means the function documented on the API reference, so the
name should take the reader there. The reference pages say which modules they document, one
``::: studykit.<module>`` line each; a module's public names (its ``__all__``) are then the
names that have an entry, and the entry's element id is the qualified name
(``studykit.losses.l1_loss``). `ApiIndex` holds that map, read from ``docs/reference/*.md``.

`link_names` turns a name in an inline ``<code>`` into an ``<autoref>`` element. mkdocs-autorefs
(installed with mkdocstrings) replaces every ``<autoref identifier="...">`` with a relative link
once all the pages are rendered (its ``on_env`` hook), and a strict build fails on one it cannot
resolve, so a name the index got wrong breaks the build instead of the page.

Which names link:

- a documented name, written as ``name``, ``module.name`` or ``studykit.module.name``, with or
  without a trailing ``()``; nothing else (``torch.cat``, ``x.mean()``, ``SGD.step``);
- only in ``<code>`` with no other markup inside, never inside ``<pre>``, a link, an
  ``<autoref>``, a heading, a script, a style or a text area; never on the quiz pages, whose
  texts come from question templates;
- a short name two documented modules define links to the one among the current page's own
  modules (the modules a reference page documents, or those of a note's topic); with none or
  both there, it stays text;
- never to the entry the reader is in: inside the section of an entry (after the element whose
  id is that entry's, or a member of it), its own name stays text.

`add_next_steps` ends each note with a short bilingual section that links its quiz and its
reference pages; a note's reference pages are those documenting its topic's modules
(`studykit.site.examples.TOPIC_MODULES`).

Examples:
    >>> pages = {"studykit.losses": "reference/losses.md"}
    >>> index = ApiIndex(pages, {"l1_loss": ("studykit.losses",)})
    >>> link_names("<p><code>l1_loss()</code></p>", "notes/losses.md", index)
    '<p><autoref identifier="studykit.losses.l1_loss"><code>l1_loss()</code></autoref></p>'
"""

from __future__ import annotations

import ast
import functools
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studykit.topics import TOPICS, Topic

__all__ = ["ApiIndex", "add_next_steps", "documented_names", "link_names"]

PACKAGE = "studykit"
SOURCE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the studykit package
REFERENCE_FOLDER = "reference"
NEXT_STEPS_HEADING = "## 다음 단계 · Next steps"
NEXT_STEPS_HEADING_KO = "## 다음 단계 {#next-steps}"

_DIRECTIVE = re.compile(r"^:::[ \t]+(studykit(?:\.\w+)*)[ \t]*$", re.MULTILINE)
# A directive's options are the indented lines under it; ``members: false`` shows the module's
# docstring (its note) and no entries.
_OPTIONS = re.compile(r"(?:\n[ \t]+[^\n]*)*")
_NO_MEMBERS = re.compile(r"^[ \t]+members:[ \t]*false[ \t]*$", re.MULTILINE)
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.MULTILINE)
_NAME = re.compile(r"(?:\w+\.)*\w+(?:\(\))?")


def documented_names(module: str) -> tuple[str, ...]:
    """The names of ``module`` that get an entry on its reference page.

    Those are the names of its ``__all__`` defined (or re-exported from a studykit module) as a
    function, a class or an attribute with a docstring: mkdocstrings leaves out an object
    without one (``show_if_no_docstring`` is off). The source is read, not imported, as
    mkdocstrings reads it, so the build never imports torch.
    """
    tree = _parse(module)
    exports = _literal(tree, "__all__") or ()
    return tuple(name for name in exports if _has_docstring(module, name))


@functools.cache
def _parse(module: str) -> ast.Module:
    """The syntax tree of a studykit module's source file."""
    base = SOURCE_ROOT.joinpath(*module.split("."))
    path = base / "__init__.py" if (base / "__init__.py").is_file() else base.with_suffix(".py")
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _literal(tree: ast.Module, name: str) -> Any:
    """The value of the top-level ``name = <literal>`` of ``tree``, or None."""
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and _assigns(node, name) and node.value:
            return ast.literal_eval(node.value)
    return None


def _has_docstring(module: str, name: str) -> bool:
    """Whether ``module`` defines or imports ``name`` with a docstring.

    An ``@overload``-ed function is defined more than once; its docstring is on the last one.
    """
    body = _parse(module).body
    for node, after in zip(body, [*body[1:], None], strict=True):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name and ast.get_docstring(node) is not None:
                return True
        elif isinstance(node, ast.Assign | ast.AnnAssign) and _assigns(node, name):
            if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                return True
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    source = _imported_module(module, node)
                    return source.startswith(f"{PACKAGE}.") and _has_docstring(source, alias.name)
    return False


def _assigns(node: ast.Assign | ast.AnnAssign, name: str) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return any(isinstance(target, ast.Name) and target.id == name for target in targets)


def _imported_module(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of the module ``from <node.module> import ...`` reads in ``module``."""
    if not node.level:
        return node.module or ""
    base = SOURCE_ROOT.joinpath(*module.split("."))
    package = module if (base / "__init__.py").is_file() else module.rpartition(".")[0]
    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{parent}.{node.module}" if node.module else parent


@dataclass(frozen=True)
class ApiIndex:
    """Which reference page documents which module, and which modules define each name.

    Attributes:
        pages: Module (``studykit.losses``) to the page documenting it (``reference/losses.md``).
        modules: Short name (``l1_loss``) to the documented modules defining it.
        titles: Reference page to its title (the text of its ``#`` heading), where it has one.
    """

    pages: Mapping[str, str]
    modules: Mapping[str, tuple[str, ...]]
    titles: Mapping[str, str] | None = None

    @classmethod
    def from_docs(cls, docs_dir: Path) -> ApiIndex:
        """Read the ``::: studykit.<module>`` lines of ``docs_dir/reference/*.md``.

        A directive with ``members: false`` among its options shows a module's note only (a
        package's page ends with the notes of its submodules): the page is the module's, but
        its names have their entries where the package lists them.
        The sources are read again on each call, so ``mkdocs serve`` sees edited code.
        """
        _parse.cache_clear()
        pages: dict[str, str] = {}
        titles: dict[str, str] = {}
        with_entries: list[str] = []
        for path in sorted((docs_dir / REFERENCE_FOLDER).glob("*.md")):
            src_uri = f"{REFERENCE_FOLDER}/{path.name}"
            text = path.read_text(encoding="utf-8")
            if title := _TITLE.search(text):
                titles[src_uri] = title.group(1)
            for directive in _DIRECTIVE.finditer(text):
                module = directive.group(1)
                pages.setdefault(module, src_uri)
                options = _OPTIONS.match(text, directive.end())
                if not (options and _NO_MEMBERS.search(options.group())):
                    with_entries.append(module)
        modules: dict[str, tuple[str, ...]] = {}
        for module in dict.fromkeys(with_entries):
            for name in documented_names(module):
                modules[name] = (*modules.get(name, ()), module)
        return cls(pages, modules, titles)

    def page_modules(self, src_uri: str) -> tuple[str, ...]:
        """The modules a page is about: those it documents, or those of its note's topic."""
        documented = tuple(module for module, page in self.pages.items() if page == src_uri)
        if documented:
            return documented
        topic = _note_topic(src_uri)
        return () if topic is None else _topic_modules(topic.id)

    def resolve(self, text: str, here: Iterable[str] = ()) -> str | None:
        """The entry ``text`` names (``studykit.losses.l1_loss``), or None.

        Args:
            text: What the ``<code>`` holds: ``name``, ``module.name`` or
                ``studykit.module.name``, with or without ``()``.
            here: The modules of the current page, which settle a name two modules define.
        """
        if _NAME.fullmatch(text) is None:
            return None
        *path, name = text.removesuffix("()").split(".")
        candidates = self.modules.get(name, ())
        if path:
            module = ".".join(path if path[0] == PACKAGE else [PACKAGE, *path])
            return f"{module}.{name}" if module in candidates else None
        if len(candidates) > 1:
            candidates = tuple(module for module in candidates if module in set(here))
        return f"{candidates[0]}.{name}" if len(candidates) == 1 else None

    def reference_pages(self, topic: str) -> tuple[str, ...]:
        """The reference pages of a topic, in the order of its modules.

        Raises:
            ValueError: A module of the topic is on no reference page.
        """
        pages: list[str] = []
        for module in _topic_modules(topic):
            page = self.pages.get(module)
            if page is None:
                raise ValueError(f"topic {topic!r}: no page in docs/reference documents {module}")
            if page not in pages:
                pages.append(page)
        return tuple(pages)


def _note_topic(src_uri: str) -> Topic | None:
    """The topic of ``notes/<topic>.md`` (or its Korean twin ``.ko.md``); else None."""
    folder, _, name = src_uri.rpartition("/")
    topics = {topic.id: topic for topic in TOPICS}
    topic_id = name.removesuffix(".md").removesuffix(".ko")
    return topics.get(topic_id) if folder == "notes" else None


def _topic_modules_table() -> Mapping[str, tuple[str, ...]]:
    """`studykit.site.examples.TOPIC_MODULES`, read from its source (importing it loads torch)."""
    table = _literal(_parse("studykit.site.examples"), "TOPIC_MODULES")
    if not isinstance(table, dict):
        raise RuntimeError("studykit/site/examples/__init__.py has no literal TOPIC_MODULES table")
    return {topic: tuple(modules) for topic, modules in table.items()}


def _topic_modules(topic: str) -> tuple[str, ...]:
    """The modules of a topic (``studykit.losses``), from ``TOPIC_MODULES``.

    Raises:
        ValueError: The topic is not in the table.
    """
    modules = _topic_modules_table().get(topic)
    if modules is None:
        raise ValueError(f"topic {topic!r} is not in studykit.site.examples.TOPIC_MODULES")
    return tuple(f"{PACKAGE}.{module}" for module in modules)


# --- next steps --------------------------------------------------------------------------------


def add_next_steps(
    markdown: str, src_uri: str, index: ApiIndex, drill_topics: frozenset[str] = frozenset()
) -> str:
    """Append to a topic's note the links to its quiz, its reference pages and its drills.

    Other pages come back unchanged. ``drill_topics`` are the topics with a drills page.

    Raises:
        ValueError: The note's topic has no modules, or one is on no reference page.
    """
    topic = _note_topic(src_uri)
    if topic is None:
        return markdown
    here = posixpath.dirname(src_uri)
    quiz = posixpath.relpath(f"quiz/{topic.id}.md", here)
    references = [
        f"[{_page_title(index, page)}]({posixpath.relpath(page, here)})"
        for page in index.reference_pages(topic.id)
    ]
    drills = posixpath.relpath(f"drills/{topic.id}.md", here)
    korean = src_uri.endswith(".ko.md")  # the Korean twin: Korean only, the same anchor
    if korean:
        section = (
            f"{NEXT_STEPS_HEADING_KO}\n\n"
            f"- 퀴즈로 확인하기: [{topic.korean} 퀴즈]({quiz})\n"
            f"- API 문서와 코드: {', '.join(references)}\n"
        )
    else:
        section = (
            f"{NEXT_STEPS_HEADING}\n\n"
            "- 퀴즈로 확인하기 · Test yourself: "
            f"[{topic.korean} 퀴즈 · Quiz: {topic.title}]({quiz})\n"
            f"- API 문서와 코드 · API reference: {', '.join(references)}\n"
        )
    if topic.id in drill_topics:
        section += (
            f"- 직접 구현하기: [{topic.korean} 드릴]({drills})\n"
            if korean
            else f"- 직접 구현하기 · Write it yourself: [{topic.korean} 드릴 · Drills]({drills})\n"
        )
    return markdown.rstrip("\n") + "\n\n" + section


def _page_title(index: ApiIndex, page: str) -> str:
    titles = index.titles or {}
    return titles.get(page) or posixpath.basename(page).removesuffix(".md")


# --- names in backticks ------------------------------------------------------------------------

# A comment, a tag (attribute values may hold ">"), or an inline <code> holding only text.
_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<code>(?P<code>[^<]*)</code>"
    r"|<(?P<end>/?)(?P<tag>[A-Za-z][\w:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Inside these, a name stays text: it is code, a link already, a heading, or not prose.
_NO_LINKS = frozenset(
    {"pre", "a", "autoref", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "textarea"}
)
_UNTRUSTED_FOLDERS = ("quiz/", "drills/")


def link_names(html: str, src_uri: str, index: ApiIndex) -> str:
    """Return ``html`` with the documented names in ``<code>`` wrapped in ``<autoref>``.

    Args:
        html: A page's content, as Markdown and mkdocstrings rendered it.
        src_uri: The page's path in the docs (``notes/losses.md``).
        index: The documented names.
    """
    if src_uri.startswith(_UNTRUSTED_FOLDERS):
        return html
    here = index.page_modules(src_uri)
    open_tags: dict[str, int] = {}  # the open elements that keep names text, by tag
    entry: str | None = None  # the id of the API entry the reader is in

    def replace(match: re.Match[str]) -> str:
        nonlocal entry
        token, code, tag = match.group(0), match.group("code"), match.group("tag")
        if code is not None:
            target = None if any(open_tags.values()) else index.resolve(code, here)
            if target is None or _inside(entry, target):
                return token
            return _autoref(target, token)
        if tag is not None and tag.lower() in _NO_LINKS:
            step = -1 if match.group("end") else 1
            open_tags[tag.lower()] = max(0, open_tags.get(tag.lower(), 0) + step)
        if match.group("attrs") and not match.group("end"):
            entry = _entry_id(match.group("attrs"), index) or entry
        return token

    return _TOKEN.sub(replace, html)


def _entry_id(attrs: str, index: ApiIndex) -> str | None:
    """The element's id when it is an API entry (``studykit.losses.l1_loss``) or a member."""
    found = _ID.search(attrs)
    if found is None:
        return None
    element_id = next(group for group in found.groups() if group is not None)
    parts = element_id.split(".")
    for cut in range(2, len(parts)):
        module, name = ".".join(parts[:cut]), parts[cut]
        if module in index.modules.get(name, ()):
            return element_id
    return None


def _inside(entry: str | None, target: str) -> bool:
    """Whether the reader, in ``entry``, is already at ``target`` (or one of its members)."""
    return entry is not None and (entry == target or entry.startswith(target + "."))


def _autoref(identifier: str, code: str) -> str:
    return f'<autoref identifier="{identifier}">{code}</autoref>'
