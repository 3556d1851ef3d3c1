"""``studykit site build`` and ``studykit site serve``: the study site from any install.

The site's sources (``mkdocs.yml`` and the ``docs`` folder) come with studykit: a wheel carries
them as ``studykit/sitesrc`` (copied at build time, see ``setup.py``), an editable install reads
the checkout. A build copies them into a temporary work folder, writes the quiz pages, the
worked examples and the figures there and runs MkDocs on that copy, with every path in the
configuration made absolute; nothing is written into the sources.

Without a site URL the output names no host: every link is relative, so the folder works from
any file server and from any sub-path (``https://USER.github.io/studykit/``).
"""

from __future__ import annotations

import copy
import functools
import http.server
import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import studykit
from studykit.drills.commands import default_drills_dir
from studykit.drills.spec import scan_drills
from studykit.questions.template import load_bank
from studykit.site.drillpages import write_drill_pages
from studykit.site.examples import write_examples
from studykit.site.figures import FOLDER as FIGURES_FOLDER
from studykit.site.figures import write_figures
from studykit.site.quizpages import DEFAULT_VARIANTS, SiteError, write_quiz_pages

__all__ = [
    "SITE_MARKER",
    "BuildError",
    "OptionError",
    "SiteBuild",
    "build_site",
    "check_out_dir",
    "normalise_site_url",
    "require_mkdocs",
    "serve_site",
    "site_sources",
]

SITE_MARKER = ".studykit-site"
"""The file every built site holds: a folder with it may be emptied by the next build."""

GENERATED = ("quiz", "drills", "generated", "figures")
"""The folders of ``docs/`` that a build writes (never copied from the sources)."""

_NEEDED = {
    "mkdocs": "MkDocs",
    "material": "Material for MkDocs",
    "mkdocstrings": "mkdocstrings",
    "mkdocstrings_handlers.python": "mkdocstrings-python",
    "pymdownx": "pymdown-extensions",
    "mkdocs_static_i18n": "mkdocs-static-i18n",
    "matplotlib": "matplotlib",  # the figures (studykit.site.figures)
}
_INSTANT = "navigation.instant"


class BuildError(Exception):
    """A build or serve that cannot go on; its message is one line for the user."""

    status = 1
    """The command's exit status."""


class OptionError(BuildError):
    """An option the build refuses (``--out``, ``--site-url``, ``--port``): exit status 2."""

    status = 2


@dataclass(frozen=True)
class SiteBuild:
    """What a build made and how long each step took."""

    out: Path
    pages: int
    pages_seconds: float
    mkdocs_seconds: float

    def summary(self) -> str:
        """One line for the terminal: pages, seconds and where."""
        total = self.pages_seconds + self.mkdocs_seconds
        return (
            f"built {self.pages} pages in {total:.1f} s (quiz pages and examples "
            f"{self.pages_seconds:.1f} s, MkDocs {self.mkdocs_seconds:.1f} s) into {self.out}"
        )


def require_mkdocs() -> None:
    """Check that the site's tools are installed.

    Raises:
        BuildError: One of them is missing; the message says how to install them.
    """
    for module, name in _NEEDED.items():
        try:
            __import__(module)
        except ImportError:
            raise BuildError(
                f"{name} is not installed; install the site tools with pip install 'studykit[site]'"
            ) from None


def _package_dir() -> Path:
    return Path(studykit.__file__).resolve().parent


def site_sources() -> Path:
    """The folder holding ``mkdocs.yml`` and ``docs/``: the installed copy or the checkout's.

    Raises:
        BuildError: Neither is there (a broken install).
    """
    package = _package_dir()
    for folder in (package / "sitesrc", package.parent):
        if (folder / "mkdocs.yml").is_file() and (folder / "docs").is_dir():
            return folder
    raise BuildError(
        f"the site sources are missing (no mkdocs.yml and docs/ in {package / 'sitesrc'}); "
        "reinstall studykit"
    )


def normalise_site_url(text: str) -> str:
    """Check a ``--site-url`` and end it with a slash.

    Raises:
        OptionError: It is not an http(s) URL with a host.
    """
    parts = urlsplit(text.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise OptionError(
            f"--site-url must be an http(s) URL such as https://host/path/, got {text!r}"
        )
    if parts.query or parts.fragment:
        raise OptionError(f"--site-url must have no query or fragment, got {text!r}")
    url = parts.geturl()
    return url if url.endswith("/") else url + "/"


def check_out_dir(out: Path) -> None:
    """Refuse an output folder that the build must not empty.

    Accepted: a missing folder, an empty one, or one that a previous build made (it holds
    ``SITE_MARKER``).

    Raises:
        OptionError: ``out`` is a file, or a non-empty folder that is not a studykit site.
    """
    if out.exists() and not out.is_dir():
        raise OptionError(f"--out {out} is a file, not a folder")
    if not out.is_dir() or (out / SITE_MARKER).is_file():
        return
    if any(out.iterdir()):
        raise OptionError(
            f"--out {out} is a non-empty folder that is not a studykit site; "
            "choose an empty or new folder"
        )


def _copy_sources(sources: Path, work: Path) -> None:
    """Copy ``mkdocs.yml`` and ``docs/`` (without the generated folders) into ``work``."""
    docs = sources / "docs"

    def generated(folder: str, names: list[str]) -> set[str]:
        return set(GENERATED) & set(names) if Path(folder) == docs else set()

    shutil.copytree(docs, work / "docs", ignore=generated)
    shutil.copyfile(sources / "mkdocs.yml", work / "mkdocs.yml")


def _write_pages(docs: Path, questions: Path, seeds: int) -> None:
    """Write the quiz pages, the worked examples and the figures into the work copy of ``docs/``.

    Raises:
        BuildError: A template is broken or fails for some seed.
    """
    bank = load_bank(questions)
    if bank.errors:
        raise BuildError(f"broken template: {bank.errors[0]}")
    try:
        write_quiz_pages(bank, docs / "quiz", seeds=seeds)
    except SiteError as error:
        raise BuildError(str(error)) from None
    write_examples(docs / "generated" / "examples")
    write_figures(docs / FIGURES_FOLDER)
    drills, errors = scan_drills(default_drills_dir())
    if errors:
        raise BuildError(f"broken drill: {errors[0]}")
    write_drill_pages(drills, docs / "drills")


def _entry(items: list[Any], name: str) -> dict[str, Any] | None:
    """The options of ``name`` in a MkDocs list of plugins or extensions (made a dict)."""
    for index, item in enumerate(items):
        if item == name:
            items[index] = {name: {}}
            return items[index][name]  # type: ignore[no-any-return]
        if isinstance(item, dict) and name in item:
            if item[name] is None:
                item[name] = {}
            return item[name]  # type: ignore[no-any-return]
    return None


def _absolute_snippets(extensions: list[Any], work: Path) -> None:
    """Make the snippets' ``base_path`` absolute (it is relative to the working folder)."""
    snippets = _entry(extensions, "pymdownx.snippets")
    if snippets is None:
        return
    base = snippets.get("base_path", ["."])
    base = [base] if isinstance(base, str) else base
    snippets["base_path"] = [str(work / path) for path in base]


def _installed_api(plugins: list[Any]) -> None:
    """Point mkdocstrings at the studykit that runs this build (installed or editable)."""
    mkdocstrings = _entry(plugins, "mkdocstrings")
    if mkdocstrings is None:
        return
    python = mkdocstrings.setdefault("handlers", {}).setdefault("python", {})
    python["paths"] = [str(_package_dir().parent)]


def _theme(raw: Any, work: Path) -> dict[str, Any]:
    """The theme with an absolute ``custom_dir``, and never instant navigation.

    Material's instant navigation keeps the first page's header, whose language switch would
    then lead to the wrong page (the site has an English and a Korean side).
    """
    theme: dict[str, Any] = {"name": raw} if isinstance(raw, str) else copy.deepcopy(dict(raw))
    custom = theme.get("custom_dir")
    if custom is not None:
        installed = _package_dir().parent / custom
        theme["custom_dir"] = str(installed if installed.is_dir() else work / custom)
    if "features" in theme:
        theme["features"] = [f for f in theme["features"] if not str(f).startswith(_INSTANT)]
    return theme


def effective_options(raw: dict[str, Any], work: Path, site_url: str | None) -> dict[str, Any]:
    """The configuration keys that a build overrides, every path made absolute.

    Args:
        raw: ``mkdocs.yml`` as MkDocs reads it.
        work: The work folder holding the copied ``mkdocs.yml`` and ``docs/``.
        site_url: The site's URL (ending with a slash) or None for a site with no host.
    """
    extensions = copy.deepcopy(list(raw.get("markdown_extensions") or []))
    plugins = copy.deepcopy(list(raw.get("plugins") or []))
    _absolute_snippets(extensions, work)
    _installed_api(plugins)
    return {
        "docs_dir": str(work / "docs"),
        "theme": _theme(raw.get("theme", "material"), work),
        "markdown_extensions": extensions,
        "plugins": plugins,
        "strict": True,
        "site_url": site_url,  # None: load_config leaves the key alone
    }


@contextmanager
def _mkdocs_log() -> Iterator[None]:
    """Show MkDocs' warnings and errors on stderr, one line each, while a build runs."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def _run_mkdocs(work: Path, out: Path, site_url: str | None) -> None:
    """Build ``work``'s site into ``out`` (strict).

    Raises:
        BuildError: MkDocs failed (the configuration, a warning in strict mode, a plugin).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    config_file = work / "mkdocs.yml"
    try:
        with _mkdocs_log():
            with config_file.open("rb") as fd:
                raw = yaml_load(fd)
            options = effective_options(raw, work, site_url)
            config = load_config(str(config_file), site_dir=str(out), **options)
            config["site_url"] = site_url  # None drops one that mkdocs.yml may set
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except MkDocsException as error:
        message = " ".join(str(error).split()) or type(error).__name__
        raise BuildError(f"MkDocs failed: {message}") from None


def build_site(
    out: Path,
    *,
    site_url: str | None = None,
    questions: Path | None = None,
    seeds: int = DEFAULT_VARIANTS,
) -> SiteBuild:
    """Build the study site into ``out`` from the installed sources.

    Args:
        out: The output folder: missing, empty, or a site an earlier build made.
        site_url: The URL the site is served at (normalised), or None for a site with no host.
        questions: The question bank (default: the bundled one).
        seeds: Variants per question.

    Raises:
        BuildError: The site cannot be built (one line).
    """
    from studykit.questions.commands import default_questions_dir

    require_mkdocs()
    if questions is not None and not questions.is_dir():
        raise OptionError(f"--questions {questions} is not a folder")
    sources = site_sources()
    created = _prepare_out(out)
    try:
        return _build(sources, out, site_url, questions or default_questions_dir(), seeds)
    except BaseException:
        if created:  # leave nothing behind that was not there
            shutil.rmtree(out, ignore_errors=True)
        raise


def _prepare_out(out: Path) -> bool:
    """Check ``out``, create it if needed and mark it as a site; True if it was created.

    Raises:
        OptionError: ``out`` may not be emptied, or cannot be written.
    """
    check_out_dir(out)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / SITE_MARKER).write_text("built by studykit site build\n", encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error)
        raise OptionError(f"--out {out} cannot be written: {reason}") from None
    return created


def _build(
    sources: Path, out: Path, site_url: str | None, questions: Path, seeds: int
) -> SiteBuild:
    """Copy the sources to a work folder, write the generated pages, run MkDocs into ``out``."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="studykit-site-") as temp:
        work = Path(temp)
        _copy_sources(sources, work)
        _write_pages(work / "docs", questions, seeds)
        middle = time.perf_counter()
        _run_mkdocs(work, out.resolve(), site_url)
    pages = sum(1 for _ in out.rglob("*.html"))
    return SiteBuild(out, pages, middle - started, time.perf_counter() - middle)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing."""


def open_server(host: str, port: int, folder: Path) -> http.server.ThreadingHTTPServer:
    """Listen on ``host:port`` for ``folder`` (before the build, so a busy port fails fast).

    Raises:
        OptionError: The address cannot be used (in use, not an address of this machine).
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        reason = error.strerror or str(error)
        raise OptionError(f"cannot listen on --host {host} --port {port}: {reason}") from None


def serve_site(
    host: str, port: int, *, questions: Path | None = None, seeds: int = DEFAULT_VARIANTS
) -> None:
    """Build the site into a temporary folder and serve it until Ctrl-C.

    Raises:
        BuildError: The port cannot be used or the site cannot be built.
    """
    require_mkdocs()
    with tempfile.TemporaryDirectory(prefix="studykit-serve-") as temp:
        folder = Path(temp) / "site"
        server = open_server(host, port, folder)
        with server:
            shown = f"[{host}]" if ":" in host else host
            url = f"http://{shown}:{server.server_address[1]}/"
            done = build_site(folder, site_url=url, questions=questions, seeds=seeds)
            print(done.summary(), flush=True)
            print(f"serving the study site at {url} (Ctrl-C to stop)", flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                print("stopped", flush=True)
