"""The hostile template corpus: every file under ``tests/hostile/templates`` is an attack.

Each file starts with three comment lines::

    # hostile: what it tries
    # stage: load | run | verify | none
    # error: the exact one-line error it must give (FILE stands for its path)

``load``: refused when the bank is loaded (every command names it); ``run``: fails when a
variant is drawn, rendered or solved (``show``, ``check``, ``verify`` name it, a quiz skips it);
``feedback``: only a misconception fails, which a wrong answer needs (``check`` and ``verify``
name it); ``verify``: only the oracle or the key check fails (``verify`` names it); ``none``: it
works, and what it puts into the site must be inert text.

Every case is run through ``list``, ``show``, ``check``, ``verify``, ``quiz`` and ``site-pages``
beside a good template, which must keep working. Nothing may run code (the cases that try write
to ``MARKER``), take 5 s, or print a traceback.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from studykit.cli import main

HERE = Path(__file__).parent
CORPUS = sorted((HERE / "hostile" / "templates").glob("*.yaml"))
GOOD = HERE.parent / "questions" / "losses" / "mse-vs-mae.yaml"
GOOD_ID = "losses/mse-vs-mae"
SECONDS = 5.0  # of the process's CPU time: on a machine shared with other work (CI beside
# other jobs) waiting for a core is not the template's doing; a blocking wait is, hence WALL.
WALL = 30.0


@dataclass(frozen=True)
class Case:
    """One hostile file and what it must give."""

    path: Path
    stage: str
    error: str

    @property
    def id(self) -> str:
        return f"losses/{self.path.stem}"

    @classmethod
    def read(cls, path: Path) -> Case:
        header = dict(
            line[2:].split(": ", 1)
            for line in path.read_bytes().decode("utf-8", "replace").splitlines()[:3]
        )
        return cls(path, header["stage"], header["error"])


@dataclass(frozen=True)
class Run:
    """What one command did."""

    code: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """Pay torch's one-time imports (its optimizers' compiler stack) before any command is
    timed: the 5 s are for the template's work, not for a worker's first import."""
    from studykit.questions import compute

    compute.oracle_env({})
    compute.studykit_env({})


def test_the_corpus_is_large_and_every_file_names_its_error() -> None:
    assert len(CORPUS) >= 100
    stages = {Case.read(path).stage for path in CORPUS}
    assert stages == {"load", "run", "feedback", "verify", "none"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> Run:
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        code = main(argv)
    finally:
        sys.stdin = saved
    seconds, wall = time.process_time() - cpu, time.perf_counter() - started
    captured = capsys.readouterr()
    result = Run(code, captured.out, captured.err, seconds)
    assert "Traceback" not in result.text, result.text
    assert seconds < SECONDS, f"{argv[0]} took {seconds:.1f} s of CPU time"
    assert wall < WALL, f"{argv[0]} took {wall:.1f} s"
    return result


def bank_for(case: Case, folder: Path) -> tuple[Path, Path, str]:
    """A bank of the hostile file and a good template; the marker; the expected line."""
    bank = folder / "bank"
    bank.mkdir()
    marker = folder / "ran-code"
    target = bank / case.path.name
    target.write_bytes(case.path.read_bytes().replace(b"MARKER", str(marker).encode()))
    shutil.copy(GOOD, bank / "good.yaml")
    return bank, marker, case.error.replace("FILE", str(target)).replace("MARKER", str(marker))


def after_the_seed(line: str) -> str:
    """The part of a run-time error that does not depend on the seed."""
    return re.sub(r"^.*? \(seed \d+\): ", "", line)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_a_hostile_template_is_one_line_and_the_bank_goes_on(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = Case.read(path)
    bank, marker, line = bank_for(case, tmp_path)
    common = ["--questions", str(bank)]

    listed = run(["list", *common], capsys)
    assert listed.code == 0 and GOOD_ID in listed.out
    assert (line in listed.err) == (case.stage == "load")

    shown = run(["show", case.id, "--seed", "0", *common], capsys)
    checked = run(["check", case.id, "--seed", "0", "--answer", "0", *common], capsys)
    failing = [checked, shown] if case.stage in ("load", "run") else [checked]
    if case.stage in ("load", "run", "feedback"):
        for result in failing:
            assert result.code == 2, result.text
            assert line in result.err or case.stage == "load"
    if case.stage in ("verify", "none"):
        assert checked.code in (0, 1)
    if case.stage not in ("load", "run"):
        assert shown.code == 0, shown.text

    verified = run(["verify", "--seeds", "2", *common], capsys)
    assert verified.code == (0 if case.stage == "none" else 1)
    if case.stage != "none":
        assert line in verified.text
    assert f"{GOOD}" not in verified.text  # the good template passed

    answers = "0\n" * 6
    quizzed = run(
        ["quiz", "-n", "3", "--seed", "1", "--db", str(tmp_path / "p.db"), *common], capsys, answers
    )
    assert quizzed.code == 0, quizzed.text
    if case.stage in ("load", "run", "feedback") and case.path.name in quizzed.err:
        assert after_the_seed(line)[:80] in quizzed.err

    docs = tmp_path / "docs"
    docs.mkdir()
    site = run(["site-pages", "--docs", str(docs), "--seeds", "10", *common], capsys)
    if case.stage in ("load", "run"):
        assert site.code == 1 and after_the_seed(line) in site.err
    elif case.stage != "feedback" or site.code == 0:
        assert site.code == 0, site.text
        assert_inert(docs)
    assert not marker.exists()


class _Markup(HTMLParser):
    """The tags, attributes and raw text of a page (character references left as they are)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert(docs: Path) -> None:
    """No template text became live HTML or a live link in the generated pages."""
    for page in (docs / "quiz").rglob("*.md"):
        markup = _Markup()
        markup.feed(page.read_text(encoding="utf-8"))
        for tag, attributes in markup.tags:
            assert tag not in {"script", "img", "svg", "iframe", "a"}, (page, tag)
            for name, value in attributes:
                assert not name.startswith("on"), (page, tag, name)
                assert not (value or "").strip().lower().startswith("javascript"), (page, tag)
        assert "](javascript" not in "".join(markup.text).lower(), page


# Files that cannot be committed: made here, one at a time, beside the good template.
def fifo(path: Path) -> None:
    os.mkfifo(path)


def zero_link(path: Path) -> None:
    path.symlink_to("/dev/zero")


def outside_link(path: Path) -> None:
    outside = path.parent.parent / "outside.yaml"
    shutil.copy(GOOD, outside)
    path.symlink_to(outside)


def huge_sparse(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(3 * 2**30)  # 3 GB of nothing: no disk used


def folder(path: Path) -> None:
    path.mkdir()


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and links are POSIX's")
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (fifo, "not a regular file"),
        (zero_link, "a link to a file outside the question folder"),
        (outside_link, "a link to a file outside the question folder"),
        (huge_sparse, "file larger than 200000 bytes"),
        (folder, "not a regular file"),
    ],
    ids=["fifo", "dev-zero-link", "outside-link", "3gb-file", "folder"],
)
def test_files_that_are_not_templates_are_refused_before_they_are_read(
    make: object, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    shutil.copy(GOOD, bank / "good.yaml")
    hostile = bank / "hostile.yaml"
    make(hostile)  # type: ignore[operator]
    for argv in (["list"], ["verify", "--seeds", "2"]):
        result = run([*argv, "--questions", str(bank)], capsys)
        assert f"{hostile}: {message}" in result.text
        assert result.code == (0 if argv == ["list"] else 1)
    listed = run(["list", "--questions", str(bank)], capsys)
    assert GOOD_ID in listed.out
