"""The scriptable question commands: list, show, check, verify (contracts and exit codes)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from studykit.cli import main
from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import to_plain
from studykit.questions.template import load_bank
from studykit.questions.variant import make_variant, solve
from studykit.questions.verify import answer_text

MNIST = "losses/mnist-loss"
CHOICE = "landscape/component-role"

pytestmark = pytest.mark.usefixtures("english_locale")  # tests/conftest.py


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studykit", *args], capture_output=True, text=True, timeout=120
    )


def key_of(template_id: str, seed: int):  # type: ignore[no-untyped-def]
    bank = load_bank(default_questions_dir())
    return solve(make_variant(bank.templates[template_id], seed))


def test_list_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    assert MNIST in capsys.readouterr().out
    assert main(["list", "--topic", "tensors", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["templates"]
    assert {t["topic"] for t in data["templates"]} == {"tensors"}
    assert data["per_topic"]["losses"] >= 3


def test_show_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", MNIST, "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "mnist_loss" in out
    assert "\nHint: For each prediction, how far is it from its own label?\n" in out
    assert "Answer (number)" in out


def test_show_renders_the_markdown_and_rounds_the_answer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from studykit.questions.markup import format_line, shown_answer

    solved = key_of(MNIST, 4)
    assert main(["show", MNIST, "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "`" not in out  # the prompt's code spans are rendered, not shown as written
    assert "  def mnist_loss(predictions, targets):\n" in out  # the code block keeps its lines
    assert "Compute mnist_loss for predictions" in out  # the hard-wrapped line is reflowed
    assert f"\n{format_line(solved.key, 'en')}\n" in out
    assert f"Answer (number): {shown_answer(solved.key)}\n" in out
    assert all(line == line.rstrip() and len(line) <= 80 for line in out.splitlines())
    # A float with a long tail: shown to 4 significant digits, in full with --json.
    noisy = key_of("activations/log-softmax-value", 0).key.value
    assert len(repr(noisy)) > 12
    assert main(["show", "activations/log-softmax-value", "--seed", "0"]) == 0
    assert f"Answer (number): {noisy:.4g}\n" in capsys.readouterr().out
    assert main(["show", "activations/log-softmax-value", "--seed", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answer"]["value"] == noisy


def test_show_lists_the_choices_under_the_prompt(capsys: pytest.CaptureFixture[str]) -> None:
    variant = make_variant(load_bank(default_questions_dir()).templates[CHOICE], 0)
    assert main(["show", CHOICE, "--seed", "0", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    for letter, choice in zip("ABCDE", variant.choices("ko"), strict=False):
        assert f"\n{letter}. {to_plain(choice, inline=True)}\n" in out
    assert "**" not in out and "`" not in out


ENGLISH_ONLY = """\
id: losses/english-only
title: English only
topic: losses
difficulty: 1
params:
  a: {tensor: [2], decimal: [0, 1], places: 1}
answer:
  value: "losses.mse_loss(a, a * 2)"
  kind: number
oracle: "F.mse_loss(a, a * 2)"
text:
  en:
    prompt: "MSE of << a | tensor >> and twice it?"
    solution: "Square the differences and average them."
"""


def test_show_korean_and_fallback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["show", MNIST, "--seed", "4", "--lang", "ko", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "ko"
    assert "정답" in data["prompt"]
    assert data["title"] == load_bank(default_questions_dir()).templates[MNIST].title_in("ko")
    (tmp_path / "losses").mkdir()
    (tmp_path / "losses" / "english-only.yaml").write_text(ENGLISH_ONLY, encoding="utf-8")
    args = ["show", "losses/english-only", "--questions", str(tmp_path), "--lang", "ko"]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "en"
    assert data["prompt"].startswith("MSE of [")


def test_check_correct_wrong_and_misconception(capsys: pytest.CaptureFixture[str]) -> None:
    solved = key_of(MNIST, 5)
    right = answer_text("number", solved.key.value)
    assert main(["check", MNIST, "--seed", "5", "--answer", right]) == 0
    assert "correct" in capsys.readouterr().out
    wrong = next(m for m in solved.misconceptions if m.name == "forgot-the-mean")
    assert main(["check", MNIST, "--seed", "5", "--answer", repr(wrong.value), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["correct"] is False
    assert data["misconception"] == "forgot-the-mean"
    assert "mean" in data["feedback"]
    args = ["check", MNIST, "--seed", "5", "--answer", repr(wrong.value), "--lang", "ko"]
    assert main([*args, "--json"]) == 1
    assert "평균" in json.loads(capsys.readouterr().out)["feedback"]
    assert main(["check", MNIST, "--seed", "5", "--answer", "123456"]) == 1


def test_check_not_understood_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", MNIST, "--seed", "5", "--answer", "__import__('os')"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("not understood:")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "losses/nope"], "no question with id 'losses/nope'"),
        (["show", MNIST, "--seed", "-1"], "--seed: must be from 0"),
        (["show", MNIST, "--seed", "abc"], "--seed: must be a whole number"),
        (["check", MNIST], "--answer"),
        (["list", "--topic", "space"], "unknown --topic 'space'"),
        (["verify", "--seeds", "0"], "--seeds: must be at least 1"),
        (["show", MNIST, "--lang", "fr"], "--lang"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    run = run_cli(*args)
    assert run.returncode == 2
    assert message in run.stderr
    assert run.stderr.strip().count("\n") == 0
    assert "Traceback" not in run.stderr


def test_verify_passes_on_the_bank() -> None:
    run = run_cli("verify", "--seeds", "3")
    assert run.returncode == 0, run.stderr
    assert "0 failed" in run.stdout


def test_verify_names_file_and_seed_of_a_bad_key(tmp_path: Path) -> None:
    source = (default_questions_dir() / "losses" / "mse-vs-mae.yaml").read_text(encoding="utf-8")
    # A wrong oracle (sum instead of mean) must be caught.
    broken = source.replace(
        'oracle: "F.mse_loss(preds, targets) if',
        "oracle: \"F.mse_loss(preds, targets, reduction='sum') if",
    )
    assert broken != source
    (tmp_path / "losses").mkdir()
    (tmp_path / "losses" / "mse-vs-mae.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "losses" / "broken.yaml").write_text("id: [", encoding="utf-8")
    run = run_cli("verify", "--seeds", "4", "--questions", str(tmp_path))
    assert run.returncode == 1
    assert re.search(
        r"mse-vs-mae\.yaml \(seed \d+\): key \S+ disagrees with the torch oracle", run.stderr
    )
    assert re.search(r"broken\.yaml:\d+: invalid YAML", run.stderr)


def test_missing_question_folder_is_exit_2(tmp_path: Path) -> None:
    run = run_cli("list", "--questions", str(tmp_path / "none"))
    assert run.returncode == 2
    assert "question folder not found" in run.stderr
