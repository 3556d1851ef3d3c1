"""Hostile command lines, hostile input and templates that break at run time.

Seeds out of range, answers that begin with ``-``, over-long or undecodable lines, the end of
the input, and templates whose texts, steps or parameters fail: each is one line on stderr with
the right exit status (never 1 for a broken template: 1 means "wrong answer"), never a
traceback, and a running quiz goes on.
"""

from __future__ import annotations

import io
import json
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from studykit.cli import join_dash_values, main
from studykit.questions.template import load_template
from studykit.questions.variant import MAX_SEED, make_variant, solve
from studykit.questions.verify import Report, answer_text
from studykit.quiz import session as session_module
from studykit.quiz.session import MAX_LINE

MNIST = "losses/mnist-loss"

pytestmark = pytest.mark.usefixtures("english_locale")  # tests/conftest.py


def template(
    name: str,
    *,
    extra: str = "",
    answer: str = "losses.mse_loss(a, a * 2)",
    oracle: str = "F.mse_loss(a, a * 2)",
    prompt: str = "MSE of << a | tensor >> and twice it?",
    solution: str = "Square the differences and average them.",
) -> str:
    return f"""\
id: losses/{name}
title: {name}
topic: losses
difficulty: 1
params:
  a: {{tensor: [2], decimal: [0.1, 1], places: 1}}
{extra}
answer:
  value: "{answer}"
  kind: number
oracle: "{oracle}"
text:
  en:
    prompt: "{prompt}"
    solution: "{solution}"
"""


BROKEN = {
    "step-fails": template("step-fails", extra='steps:\n  s: "(1, 2).sum()"'),
    "prompt-fails": template("prompt-fails", prompt="MSE of << a | tensor >> << 1 / 0 >>?"),
    "solution-fails": template("solution-fails", solution="It is << 1 / 0 >>."),
    "params-fail": template("params-fail", extra='constraints:\n  - "sum(a) > 100"'),
}


def bank(tmp_path: Path, *names: str) -> Path:
    """A question folder with the good template and the named broken ones."""
    folder = tmp_path / "bank" / "losses"
    folder.mkdir(parents=True)
    (folder / "good.yaml").write_text(template("good"), encoding="utf-8")
    negative = template(
        "negative", answer="losses.mse_loss(a, a * 2) - 10", oracle="F.mse_loss(a, a * 2) - 10"
    )
    (folder / "negative.yaml").write_text(negative, encoding="utf-8")
    for name in names:
        (folder / f"{name}.yaml").write_text(BROKEN[name], encoding="utf-8")
    return tmp_path / "bank"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str, start: str) -> None:
    assert err.count("\n") == 1, err
    assert err.startswith(start), err
    assert "Traceback" not in err


def quiz(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: io.TextIOBase | str,
    *args: str,
) -> tuple[int, str, str]:
    stream = io.StringIO(stdin) if isinstance(stdin, str) else stdin
    monkeypatch.setattr(sys, "stdin", stream)
    return run(capsys, *args)


def stored(db: Path) -> list[str]:
    connection = sqlite3.connect(db)
    try:
        return [r[0] for r in connection.execute("SELECT template_id FROM answers ORDER BY id")]
    finally:
        connection.close()


# --- seeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [str(2**63), str(2**64 + 5), "9" * 5000, "-1", "seven"])
@pytest.mark.parametrize(
    "command", [["quiz"], ["review"], ["show", MNIST], ["check", MNIST, "--answer", "1"]]
)
def test_seeds_out_of_range_are_one_line(
    command: list[str], seed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--seed", seed])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    one_line(err, f"studykit {command[0]}: error: argument --seed: must be")
    assert len(err) < 200


def test_the_largest_seed_works_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "p.sqlite3"
    args = ["--seed", str(MAX_SEED), "--db", str(db)]
    code, _, err = quiz(capsys, monkeypatch, "quit\n", "quiz", "-n", "1", *args)
    assert code == 0, err
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT seed FROM sessions").fetchall() == [(MAX_SEED,)]
    connection.close()
    assert run(capsys, "review", *args)[0] == 0
    assert run(capsys, "show", MNIST, "--seed", str(MAX_SEED))[0] == 0


# --- answers that begin with "-" -------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "joined"),
    [
        (["check", "x", "--answer", "-x+1"], ["check", "x", "--answer=-x+1"]),
        (["check", "x", "--answer", "-0.5", "--json"], ["check", "x", "--answer=-0.5", "--json"]),
        (["check", "x", "--ans", "-1"], ["check", "x", "--ans=-1"]),
        (["check", "x", "--answer=-1"], ["check", "x", "--answer=-1"]),
        (["check", "x", "--answer", "2"], ["check", "x", "--answer", "2"]),
        (["check", "x", "--answer", "--json"], ["check", "x", "--answer", "--json"]),
        (["check", "x", "--answer"], ["check", "x", "--answer"]),
        (["--", "--answer", "-1"], ["--", "--answer", "-1"]),
    ],
)
def test_join_dash_values(argv: list[str], joined: list[str]) -> None:
    assert join_dash_values(argv) == joined


def test_answers_that_begin_with_minus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = bank(tmp_path)
    key = solve(make_variant(load_template(root / "losses" / "negative.yaml"), 3)).key
    right = answer_text(key.kind, key.value)
    assert right.startswith("-")
    check = ["check", "losses/negative", "--seed", "3", "--questions", str(root)]
    assert run(capsys, *check, "--answer", right)[:2] == (0, "correct\n")
    assert run(capsys, *check, f"--answer={right}")[:2] == (0, "correct\n")
    assert run(capsys, *check, "--answer", "-0.5")[0] == 1  # read, and wrong
    code, _, err = run(capsys, *check, "--answer", "-x+1")
    assert code == 2  # read, and not a number: the checker says so, not argparse
    one_line(err, "not understood: ")
    with pytest.raises(SystemExit):
        main([*check, "--answer", "--json"])
    one_line(capsys.readouterr().err, "studykit check: error: argument --answer: expected one")


# --- quiz input: over-long lines, the end of the input, undecodable bytes --------------------


class BoundedInput(io.StringIO):
    """Standard input that fails the test if it is ever read without a size limit."""

    def readline(self, size: int | None = -1) -> str:
        assert size is not None and 0 < size <= 65536, f"unbounded read ({size})"
        return super().readline(size)


def test_an_over_long_line_is_refused_unread_and_the_quiz_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "p.sqlite3"
    stdin = BoundedInput("7" * 10_000_000 + "\nskip\n")
    args = ["quiz", "--seed", "4", "-n", "1", "--db", str(db), "--json"]
    started = time.monotonic()
    code, out, err = quiz(capsys, monkeypatch, stdin, *args)
    assert time.monotonic() - started < 5
    assert code == 0, err
    assert f"That line is too long (more than {MAX_LINE} characters): it was not read." in err
    assert "7" * 100 not in err and "Traceback" not in err  # never echoed
    data = json.loads(out)
    assert data["asked"] == 1 and data["answers"][0]["skipped"] is True
    assert len(stored(db)) == 1


def test_a_line_of_exactly_the_limit_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = BoundedInput("1" * MAX_LINE + "\nskip\n")
    args = ["quiz", "--seed", "4", "-n", "1", "--db", str(tmp_path / "p.sqlite3"), "--json"]
    code, out, err = quiz(capsys, monkeypatch, stdin, *args)
    assert code == 0
    assert "too long" not in err
    assert "Not understood: number" in err  # it reached the answer parser (30 digits at most)
    assert json.loads(out)["asked"] == 1


def test_the_end_of_the_input_is_exit_3_and_keeps_the_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "p.sqlite3"
    args = ["quiz", "--seed", "5", "-n", "3", "--db", str(db)]
    code, out, err = quiz(capsys, monkeypatch, "skip\n", *args)
    assert code == 3, err
    assert "The input ended before the session did: every answer given so far is saved." in out
    assert "Stopped early" not in out
    assert len(stored(db)) == 1
    code, out, _ = quiz(capsys, monkeypatch, "7" * 5000, *args, "--json")  # no newline, then EOF
    assert code == 3
    data = json.loads(out)
    assert data["input_ended"] is True and data["interrupted"] is False and data["asked"] == 0
    assert len(stored(db)) == 1


def test_undecodable_bytes_are_not_understood_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"\xff\xfe\x80\nskip\n"), encoding="utf-8")
    args = ["quiz", "--seed", "4", "-n", "1", "--db", str(tmp_path / "p.sqlite3")]
    code, out, err = quiz(capsys, monkeypatch, stdin, *args)
    assert code == 0, err
    assert "Not understood" in out and "Traceback" not in err


# --- templates that break at run time --------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BROKEN))
@pytest.mark.parametrize("command", [["show"], ["check", "--answer", "0.5"], ["show", "--json"]])
def test_a_broken_template_is_exit_2_naming_file_and_seed(
    name: str, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = bank(tmp_path, name)
    args = [command[0], f"losses/{name}", *command[1:], "--seed", "1", "--questions", str(root)]
    code, out, err = run(capsys, *args)
    assert code == 2
    where = root / "losses" / f"{name}.yaml"
    one_line(err, f"studykit {command[0]}: template failed: {where} (seed 1): ")
    assert out == ""


@pytest.mark.parametrize(
    "error", [RuntimeError("boom"), MemoryError(), RecursionError("deep"), TypeError("odd")]
)
def test_any_error_from_a_template_is_exit_2(
    error: BaseException,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def solve(variant):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr("studykit.questions.commands.solve", solve)
    root = bank(tmp_path)
    where = root / "losses" / "good.yaml"
    for command in (["show"], ["check", "--answer", "1"]):
        args = [command[0], "losses/good", *command[1:], "--seed", "2", "--questions", str(root)]
        code, _, err = run(capsys, *args)
        assert code == 2
        one_line(err, f"studykit {command[0]}: template failed: {where} (seed 2): ")
        assert type(error).__name__ in err


def test_a_quiz_skips_questions_whose_template_breaks_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = bank(tmp_path, *BROKEN)
    (root / "losses" / "negative.yaml").unlink()
    db = tmp_path / "p.sqlite3"
    args = ["quiz", "--seed", "2", "-n", "5", "--questions", str(root), "--db", str(db), "--json"]
    code, out, err = quiz(capsys, monkeypatch, "skip\n" * 5, *args)
    assert code == 0, err
    data = json.loads(out)
    assert [a["id"] for a in data["answers"]] == ["losses/good"]
    assert sorted(data["skipped_templates"]) == sorted(f"losses/{n}" for n in BROKEN)
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == len(BROKEN)
    for name in BROKEN:
        assert any(f"{root / 'losses' / name}.yaml (seed " in line for line in warnings)
    assert "Traceback" not in err
    assert stored(db) == ["losses/good"]  # nothing recorded for a broken question


@pytest.mark.parametrize("error", [MemoryError(), RecursionError("deep"), RuntimeError("boom")])
def test_a_quiz_survives_any_error_from_a_template(
    error: BaseException,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = session_module.solve

    def solve(variant):  # type: ignore[no-untyped-def]
        if variant.template.id == "losses/negative":
            raise error
        return original(variant)

    monkeypatch.setattr(session_module, "solve", solve)
    root = bank(tmp_path)
    db = tmp_path / "p.sqlite3"
    args = ["quiz", "--seed", "2", "-n", "2", "--questions", str(root), "--db", str(db)]
    code, _, err = quiz(capsys, monkeypatch, "skip\nskip\n", *args)
    assert code == 0, err
    assert f"warning: skipped a broken question: {root / 'losses' / 'negative.yaml'}" in err
    assert type(error).__name__ in err and "Traceback" not in err
    assert stored(db) == ["losses/good"]


def test_verify_reports_a_template_that_escapes_it_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def verify_templates(templates, seeds):  # type: ignore[no-untyped-def]
        if any(t.id == "losses/negative" for t in templates):
            raise RuntimeError(f"boom {seeds.start}")
        return Report(variants=len(seeds))

    monkeypatch.setattr("studykit.questions.verify.verify_templates", verify_templates)
    root = bank(tmp_path)
    code, out, err = run(capsys, "verify", "--seeds", "2", "--questions", str(root))
    assert code == 1
    where = root / "losses" / "negative.yaml"
    assert err.splitlines() == [
        f"{where} (seed 0): RuntimeError: boom 0",
        f"{where} (seed 1): RuntimeError: boom 1",
    ]
    assert "verified 2 templates x 2 seeds = 4 variants: 2 failed" in out
