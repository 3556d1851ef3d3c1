"""The wheel carries the question bank: an installed studykit (not editable) finds its questions.

Builds the wheel from this checkout (offline, with the build tools already installed), unpacks it
and runs the CLI from the unpacked copy, in a folder away from the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


# Both tests share one wheel: keep them on one xdist worker (the suite runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("wheel")

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "studykit", "questions")


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
