"""``studykit site build`` and ``studykit site serve``: their errors and the host-free site.

The errors are checked in-process (fast) where they come before any build; the one site built
here has no ``--site-url``: it names no host and links only relatively, so it works from any
file server and from a sub-path such as ``https://USER.github.io/studykit/``.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from studykit.cli import main
from studykit.site import build
from tests.site_build import BuiltSite, build_relative_site

pytestmark = pytest.mark.xdist_group("site-command")  # one worker, one build per module

# Attribute values that load or link something.
REFERENCE = re.compile(r"""\s(?:src|href|srcset|action|poster|data)\s*=\s*["']([^"']*)["']""")
# Every attribute value and every inline script of a page: where a host would be markup.
MARKUP = re.compile(r"""\s[\w:-]+\s*=\s*("[^"]*"|'[^']*')|<script[^>]*>(.*?)</script>""", re.DOTALL)
TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".txt", ".webmanifest"}


def _one_line_error(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


# Options refused before anything is built.


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "example.com", "http://", "https:///path", "http://h/?q=1", ""]
)
def test_a_bad_site_url_is_one_line_and_exit_2(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["site", "build", "--out", str(out), "--site-url", url]) == 2
    _one_line_error(capsys, "studykit site build:", "--site-url")
    assert not out.exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user.github.io/studykit", "https://user.github.io/studykit/"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        (" https://example.org ", "https://example.org/"),
    ],
)
def test_the_site_url_ends_with_a_slash(url: str, expected: str) -> None:
    assert build.normalise_site_url(url) == expected


def test_an_out_that_is_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("mine", encoding="utf-8")
    assert main(["site", "build", "--out", str(out)]) == 2
    _one_line_error(capsys, "--out", str(out), "is a file")
    assert out.read_text(encoding="utf-8") == "mine"


def test_a_foreign_non_empty_folder_is_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "project"
    (out / "src").mkdir(parents=True)
    (out / "src" / "main.py").write_text("print('hi')\n", encoding="utf-8")
    (out / "README.md").write_text("mine\n", encoding="utf-8")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    assert main(["site", "build", "--out", str(out)]) == 2
    _one_line_error(capsys, "--out", "not a studykit site")
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert (out / "README.md").read_text(encoding="utf-8") == "mine\n"


def test_an_out_that_cannot_be_made_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    out = tmp_path / "file" / "site"
    assert main(["site", "build", "--out", str(out)]) == 2
    _one_line_error(capsys, "--out", "cannot be written")


def test_a_missing_question_folder_is_refused_before_building(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "nowhere"
    assert main(["site", "build", "--out", str(out), "--questions", str(missing)]) == 2
    _one_line_error(capsys, f"--questions {missing} is not a folder")
    assert not out.exists()


def test_a_failed_build_leaves_no_new_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "questions"
    (questions / "losses").mkdir(parents=True)
    (questions / "losses" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["site", "build", "--out", str(out), "--questions", str(questions)]) == 1
    _one_line_error(capsys, "studykit site build:", "broken.yaml")
    assert not out.exists()


def test_empty_missing_and_earlier_site_folders_are_accepted(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / build.SITE_MARKER).write_text("", encoding="utf-8")
    (earlier / "index.html").write_text("old", encoding="utf-8")
    for out in (empty, earlier, tmp_path / "missing" / "site"):
        build.check_out_dir(out)


def test_a_port_in_use_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["site", "serve", "--port", str(port)]) == 2
    _one_line_error(capsys, "studykit site serve:", f"--port {port}")


@pytest.mark.parametrize(
    "argv",
    [
        ["site"],
        ["site", "deploy"],
        ["site", "serve", "--port", "70000"],
        ["site", "serve", "--port", "x"],
    ],
)
def test_site_usage_errors_are_one_line(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "studykit", *argv], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize("action", ["build", "serve"])
def test_missing_site_tools_say_how_to_install_them(action: str, tmp_path: Path) -> None:
    # MkDocs "uninstalled": importing it fails, as it would without the [site] extra.
    probe = (
        "import sys; sys.modules['mkdocs'] = None; from studykit.cli import main; "
        f"sys.exit(main(['site', {action!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert "pip install 'studykit[site]'" in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written, not even ./site


# The effective configuration: absolute paths, never instant navigation.


def _raw_config() -> dict[str, object]:
    from mkdocs.utils.yaml import yaml_load

    with (build.site_sources() / "mkdocs.yml").open("rb") as fd:
        return yaml_load(fd)


def _features(options: dict[str, object]) -> list[str]:
    theme = options["theme"]
    assert isinstance(theme, dict)
    return list(theme.get("features", []))


def test_no_instant_navigation_with_or_without_a_site_url(tmp_path: Path) -> None:
    # The header's language switch leads to the same page in the other language; Material's
    # instant navigation would keep the first page's header, so the site never turns it on.
    raw = _raw_config()
    with_url = build.effective_options(raw, tmp_path, "https://user.github.io/studykit/")
    without = build.effective_options(raw, tmp_path, None)
    for options in (with_url, without):
        assert not any(f.startswith("navigation.instant") for f in _features(options))
    assert with_url["site_url"] == "https://user.github.io/studykit/"
    assert _features(without)  # the other features stay


def test_every_configured_path_is_absolute(tmp_path: Path) -> None:
    options = build.effective_options(_raw_config(), tmp_path, None)
    dumped = json.dumps(options)
    assert Path(str(options["docs_dir"])) == tmp_path / "docs"
    snippets = re.search(r'"base_path": \[([^\]]*)\]', dumped)
    assert snippets and all(Path(p).is_absolute() for p in json.loads(f"[{snippets[1]}]"))
    api = re.search(r'"paths": \[([^\]]*)\]', dumped)
    assert api, dumped
    (package_parent,) = json.loads(f"[{api[1]}]")
    assert (Path(package_parent) / "studykit" / "__init__.py").is_file()
    theme = options["theme"]
    assert isinstance(theme, dict)
    if "custom_dir" in theme:
        assert Path(theme["custom_dir"]).is_absolute() and Path(theme["custom_dir"]).is_dir()


# The site with no --site-url, built into a folder an earlier build made.


@pytest.fixture(scope="module")
def relative_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    out = tmp_path_factory.mktemp("relative") / "site"
    out.mkdir()
    (out / build.SITE_MARKER).write_text("", encoding="utf-8")
    (out / "stale.html").write_text("from an earlier build", encoding="utf-8")
    return build_relative_site(out)


def _text_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.suffix in TEXT_SUFFIXES]


def test_rebuilding_an_earlier_site_replaces_it(relative_site: BuiltSite) -> None:
    assert not (relative_site.path / "stale.html").exists()
    assert (relative_site.path / build.SITE_MARKER).is_file()
    assert (relative_site.path / "index.html").is_file()
    assert "WARNING" not in relative_site.build_log


def test_no_host_appears_anywhere(relative_site: BuiltSite) -> None:
    # Prose may quote an address ("open http://127.0.0.1:8000/"); the markup, the scripts, the
    # styles and the sitemap may not: no canonical link, no <loc>, no local host in a value.
    offenders = []
    for path in _text_files(relative_site.path):
        if path.name == "search_index.json":
            continue  # the pages' prose
        text = path.read_text(encoding="utf-8", errors="replace")
        values = ["".join(m) for m in MARKUP.findall(text)] if path.suffix == ".html" else [text]
        found = [n for n in ("127.0.0.1", "localhost") if any(n in v for v in values)]
        found += [n for n in ('rel="canonical"', "<loc>") if n in text]
        offenders += [f"{path.relative_to(relative_site.path)}: {n}" for n in found]
    assert offenders == []


def test_every_link_is_relative(relative_site: BuiltSite) -> None:
    offenders = []
    # The 404 page is the exception MkDocs makes: it answers at any depth, so its links start
    # at the root of the site_url's path ("/" without one, "/studykit/" on GitHub Pages).
    pages = [p for p in relative_site.path.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 40
    for path in pages:
        for match in REFERENCE.finditer(path.read_text(encoding="utf-8")):
            target = match.group(1).strip()
            parts = urlsplit(target)
            if parts.scheme in {"http", "https"} or target.startswith("/"):
                offenders.append(f"{path.relative_to(relative_site.path)}: {target}")
    assert offenders == []


def test_instant_navigation_is_off_without_a_site_url(relative_site: BuiltSite) -> None:
    home = (relative_site.path / "index.html").read_text(encoding="utf-8")
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', home)
    assert config, "Material's page configuration is missing"
    features = json.loads(config[1])["features"]
    assert features and not any(f.startswith("navigation.instant") for f in features)


def test_sources_are_left_unchanged(relative_site: BuiltSite) -> None:
    # The build wrote into a copy: the sources hold no output of it.
    sources = build.site_sources()
    assert not (sources / "docs" / build.SITE_MARKER).exists()
    assert not (sources / build.SITE_MARKER).exists()


# `site serve`: builds, serves at http://HOST:PORT/, and stops on Ctrl-C without a traceback.


def test_serve_answers_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "studykit", "site", "serve", "--port", str(port), "--seeds", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(2)]
        url = f"http://127.0.0.1:{port}/"
        assert url in lines[1], lines
        with urllib.request.urlopen(url + "quiz/losses/", timeout=30) as reply:
            page = reply.read().decode("utf-8")
        assert f'<link rel="canonical" href="{url}quiz/losses/">' in page
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
    finally:
        server.kill()
        server.wait()
    assert server.returncode == 0, err
    assert "Traceback" not in err and "WARNING" not in err, err
    assert list(tmp_path.iterdir()) == []  # served from a temporary folder, now gone
