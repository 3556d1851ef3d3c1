"""End to end in a real pseudo-terminal (pexpect): the quiz a student sees.

One session: a right answer, a wrong answer that triggers misconception feedback, a hint, then
Ctrl-C (exit 130, the summary printed, answers kept); then a review, resumed later, that finds
the missed concept due and asks a fresh variant of it.
"""

from __future__ import annotations

import os
import random
import re
import sys
from pathlib import Path

import pexpect
import pytest

from studykit.questions.commands import default_questions_dir
from studykit.questions.template import load_template, scan_bank
from studykit.questions.variant import make_variant, solve
from studykit.questions.verify import answer_text
from studykit.quiz.session import plan_quiz
from studykit.quiz.store import Store

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
    pytest.mark.usefixtures("english_locale"),  # tests/conftest.py
]


def spawn(home: Path, *args: str, now: str | None = None) -> pexpect.spawn:
    env = {**os.environ, "STUDYKIT_HOME": str(home), "TERM": "xterm", "COLUMNS": "100"}
    if now:
        env["STUDYKIT_NOW"] = now
    return pexpect.spawn(
        sys.executable,
        ["-m", "studykit", *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 100),
    )


def test_quiz_then_review_in_a_terminal(tmp_path: Path) -> None:
    summaries, _ = scan_bank(default_questions_dir())
    chosen = [s for s in summaries if s.topic == "losses"]
    plans = plan_quiz(chosen, 3, random.Random("quiz/21"))
    first = solve(make_variant(load_template(plans[0].summary.path), plans[0].seed))
    second = solve(make_variant(load_template(plans[1].summary.path), plans[1].seed))
    mistake = second.misconceptions[0]

    child = spawn(tmp_path, "quiz", "--seed", "21", "-n", "3", "--topic", "losses")
    child.expect(r"1/3 · losses")
    child.expect("answer> ")
    child.sendline(answer_text(first.key.kind, first.key.value))
    child.expect("Correct")

    child.expect(r"2/3 · losses")
    child.expect("answer> ")
    child.sendline("hint")
    child.expect("answer> ")
    child.sendline(answer_text(second.key.kind, mistake.value))
    child.expect("Not quite")
    child.expect(mistake.feedback.split()[0])
    child.expect("worked solution")

    child.expect(r"3/3 · losses")
    child.expect("answer> ")
    child.sendintr()
    child.expect("Stopped early")
    child.expect(r"1/2 right")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    stored = Store(tmp_path / "progress.sqlite3").answers()
    assert [(a["template_id"], bool(a["correct"])) for a in stored] == [
        (plans[0].summary.id, True),
        (plans[1].summary.id, False),
    ]
    assert stored[1]["misconception"] == mistake.name
    assert stored[1]["hinted"] == 1

    # A day later the missed concept is due; the review asks it again with a fresh variant.
    review = spawn(tmp_path, "review", now="2099-01-01T00:00:00+00:00")
    review.expect(r"1/2 · losses · [★☆]+ · ")  # both concepts are due by then
    review.expect(re.escape(plans[1].summary.title))  # the missed one (due soonest) comes first
    review.expect("answer> ")
    review.sendline("quit")
    review.expect(pexpect.EOF)
    review.close()
    assert review.exitstatus == 0


def test_end_of_input_in_a_terminal_is_exit_3(tmp_path: Path) -> None:
    child = spawn(tmp_path, "quiz", "--seed", "21", "-n", "2", "--topic", "losses")
    child.expect("answer> ")
    child.sendeof()  # Ctrl-D: the input ended (Ctrl-C is 130, above)
    child.expect("The input ended before the session did")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3


MARKDOWN_PROMPT = """\
id: losses/markdown-prompt
title: A prompt written in Markdown
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
    prompt: |
      Compute `F.mse_loss(a, a * 2)` for the **tensor**
      a = << a | tensor >>, which the notes
      call the input:

          loss = F.mse_loss(a, a * 2)
          print(loss)

      Give one number.
    hint: "Square the `differences`\\nand average them."
    solution: "Square the differences\\nand **average** them."
"""
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_a_markdown_prompt_is_rendered_and_reflowed(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    (bank / "losses").mkdir(parents=True)
    (bank / "losses" / "markdown-prompt.yaml").write_text(MARKDOWN_PROMPT, encoding="utf-8")
    child = spawn(tmp_path, "quiz", "-n", "1", "--seed", "3", "--questions", str(bank))
    child.expect("answer> ")
    shown = ANSI.sub("", child.before)
    assert "`" not in shown and "**" not in shown
    lines = [line.strip("│ ") for line in shown.splitlines()]
    # The YAML's hard wraps are gone: the sentence is one line of the 100-column panel.
    sentence = next(line for line in lines if line.startswith("Compute"))
    assert sentence.startswith("Compute F.mse_loss(a, a * 2) for the tensor a = [")
    assert sentence.endswith("which the notes call the input:")
    # The code block keeps its two lines.
    assert "loss = F.mse_loss(a, a * 2)" in lines and "print(loss)" in lines
    assert "Give the answer to" in shown or "Give a number" in shown  # the format line
    child.sendline("hint")
    child.expect("answer> ")
    assert "Square the differences and average them." in ANSI.sub("", child.before)
    child.sendline("skip")
    child.expect(pexpect.EOF)
    shown = ANSI.sub("", child.before)
    assert "Square the differences and average them." in shown and "**" not in shown
    child.close()
    assert child.exitstatus == 0
