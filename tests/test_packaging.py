"""The wheel carries the question bank and the site: an installed studykit needs no checkout.

Builds the wheel from this checkout (offline, with the build tools already installed), unpacks it
and runs the CLI from the unpacked copy, in a folder away from the checkout: it finds its
questions, and ``studykit site build`` makes the whole study site.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from studykit.questions.template import load_bank
from studykit.topics import TOPICS

ROOT = Path(__file__).resolve().parents[1]


# The tests share one wheel: keep them on one xdist worker (the suite runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("wheel")

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "studykit", "questions",
           "drills", "docs", "mkdocs.yml")  # fmt: skip
# Written into docs/ by the site build (quiz pages, drills, examples, figures): never shipped.
GENERATED = ("quiz", "drills", "generated", "figures")
THEME = ROOT / "studykit" / "site" / "theme"


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy: pip builds in the source tree (build/, *.egg-info), and the checkout
    # should not change under the rest of the suite.
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(out), str(source)],
        capture_output=True, text=True, cwd=out,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = out.glob("studykit-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_wheel_holds_every_template(wheel_site: Path) -> None:
    bank = ROOT / "questions"
    expected = {p.relative_to(bank) for p in bank.rglob("*.yaml")}
    shipped = {p.relative_to(wheel_site / "studykit" / "bank") for p in
               (wheel_site / "studykit" / "bank").rglob("*.yaml")}  # fmt: skip
    assert expected and shipped == expected
    for name in expected:
        assert (wheel_site / "studykit" / "bank" / name).read_bytes() == (bank / name).read_bytes()


def test_wheel_holds_every_drill_and_checks_from_it(wheel_site: Path, tmp_path: Path) -> None:
    drills = ROOT / "drills"
    expected = {p.relative_to(drills) for p in drills.rglob("*.yaml")}
    shipped_root = wheel_site / "studykit" / "drillbank"
    assert (
        expected and {p.relative_to(shipped_root) for p in shipped_root.rglob("*.yaml")} == expected
    )
    env = _installed_env(wheel_site)
    env.pop("STUDYKIT_DRILLS", None)
    run = [sys.executable, "-m", "studykit", "drill"]
    db = ["--db", str(tmp_path / "p.sqlite3")]
    subprocess.run([*run, "start", "softmax", *db], cwd=tmp_path, env=env, check=True,
                   capture_output=True)  # fmt: skip
    done = subprocess.run([*run, "check", "softmax", "--json", *db], cwd=tmp_path, env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 1 and json.loads(done.stdout)["status"] == "not-started"


def test_installed_cli_lists_and_shows_the_bank(wheel_site: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(wheel_site)}
    env.pop("STUDYKIT_QUESTIONS", None)

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "studykit", *args],
            capture_output=True, text=True, cwd=tmp_path, env=env, check=True,
        )  # fmt: skip
        return done.stdout

    listed = json.loads(cli("list", "--json"))["templates"]
    assert len(listed) == len(list((ROOT / "questions").rglob("*.yaml")))
    probe = "import studykit, sys; print(studykit.__file__)"
    origin = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env,
        check=True,
    ).stdout  # fmt: skip
    assert origin.startswith(str(wheel_site)), origin  # the unpacked wheel, not the checkout
    shown = json.loads(cli("show", "losses/mnist-loss", "--seed", "3", "--json"))
    assert shown["id"] == "losses/mnist-loss" and shown["prompt"]


def _installed_env(wheel_site: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(wheel_site)}
    env.pop("STUDYKIT_QUESTIONS", None)
    return env


def test_wheel_holds_the_site_sources(wheel_site: Path) -> None:
    docs, shipped = ROOT / "docs", wheel_site / "studykit" / "sitesrc"
    expected = {
        p.relative_to(docs)
        for p in docs.rglob("*")
        if p.is_file() and p.relative_to(docs).parts[0] not in GENERATED
    }
    found = {p.relative_to(shipped / "docs") for p in (shipped / "docs").rglob("*") if p.is_file()}
    assert expected and found == expected
    assert (shipped / "mkdocs.yml").read_bytes() == (ROOT / "mkdocs.yml").read_bytes()
    for name in GENERATED:
        assert not (shipped / "docs" / name).exists(), name


@pytest.fixture(scope="module")
def installed_site(wheel_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site that the unpacked wheel builds with no checkout in sight."""
    away = tmp_path_factory.mktemp("away")
    done = subprocess.run(
        [sys.executable, "-m", "studykit", "site", "build", "--out", "public"],
        capture_output=True, text=True, cwd=away, env=_installed_env(wheel_site), timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "WARNING" not in done.stderr, done.stderr[-3000:]
    assert re.search(r"built \d+ pages in [\d.]+ s .* into public", done.stdout), done.stdout
    return away / "public"


def test_installed_site_has_every_page(installed_site: Path) -> None:
    assert (installed_site / "index.html").is_file()
    assert (installed_site / "404.html").is_file()
    for topic in TOPICS:
        note = (installed_site / "notes" / topic.id / "index.html").read_text(encoding="utf-8")
        assert "--8<--" not in note, topic.id  # the worked example was included
        assert (installed_site / "quiz" / topic.id / "index.html").is_file(), topic.id
    for page in (ROOT / "docs" / "reference").glob("*.md"):
        assert (installed_site / "reference" / page.stem / "index.html").is_file(), page.stem
    losses = (installed_site / "reference" / "losses" / "index.html").read_text(encoding="utf-8")
    assert 'id="studykit.losses.cross_entropy"' in losses  # mkdocstrings found the API


def test_installed_site_ships_quiz_data_and_katex(installed_site: Path) -> None:
    data = list((installed_site / "quiz" / "data").rglob("*.json"))
    assert len(data) == len(load_bank(ROOT / "questions").templates)
    for topic in TOPICS:
        page = (installed_site / "quiz" / topic.id / "index.html").read_text(encoding="utf-8")
        for block in re.findall(r'data-quiz="([^"]*)"', page):
            assert (installed_site / json.loads(html.unescape(block))["src"]).is_file()
    katex = installed_site / "assets" / "vendor" / "katex"
    assert (katex / "katex.min.js").is_file() and (katex / "katex.min.css").is_file()
    assert list((katex / "fonts").glob("*.woff2"))


def test_installed_site_names_no_checkout_path(installed_site: Path) -> None:
    offenders = [
        str(p.relative_to(installed_site))
        for p in installed_site.rglob("*")
        if p.suffix in {".html", ".css", ".js", ".json", ".xml", ".txt"}
        and str(ROOT) in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []


@pytest.mark.skipif(not (THEME / "404.html").is_file(), reason="no 404 page in the theme")
def test_installed_site_uses_the_theme_override(wheel_site: Path, installed_site: Path) -> None:
    shipped = wheel_site / "studykit" / "site" / "theme" / "404.html"
    assert shipped.read_bytes() == (THEME / "404.html").read_bytes()
    assert (installed_site / "404.html").stat().st_size > 0
