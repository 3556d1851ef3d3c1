"""The coverage report counts the bank against the full-bank minimums."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from studykit.questions.coverage import MIN_PER_TOPIC, measure
from studykit.questions.template import load_bank

TEMPLATE = """\
id: {topic}/q{n}
title: Q{n}
topic: {topic}
difficulty: {difficulty}
params:
  a: {{tensor: [2], decimal: [0, 1], places: 1}}
  b: {{tensor: [2], decimal: [0, 1], places: 1}}
answer:
  value: "losses.mse_loss(a, b)"
  kind: number
oracle: "F.mse_loss(a, b)"
text:
  en:
    prompt: "MSE?"
    solution: "See the formula."
"""


def _write(root: Path, topic: str, count: int, difficulties: list[int]) -> None:
    (root / topic).mkdir(parents=True, exist_ok=True)
    for n in range(count):
        text = TEMPLATE.format(topic=topic, n=n, difficulty=difficulties[n % len(difficulties)])
        (root / topic / f"q{n}.yaml").write_text(text, encoding="utf-8")


def test_shortfalls_name_the_topic_and_the_missing_level(tmp_path: Path) -> None:
    _write(tmp_path, "losses", MIN_PER_TOPIC, [1, 2])
    coverage = measure(load_bank(tmp_path))
    assert not coverage.ok
    assert "losses: no template of difficulty 3" in coverage.shortfalls
    assert f"tensors: 0 templates, needs {MIN_PER_TOPIC}" in coverage.shortfalls
    assert coverage.per_topic["losses"]["by_difficulty"] == {1: 2, 2: 2, 3: 0}


def test_a_complete_topic_has_no_shortfall(tmp_path: Path) -> None:
    _write(tmp_path, "losses", 4, [1, 2, 3])
    coverage = measure(load_bank(tmp_path))
    assert not [s for s in coverage.shortfalls if s.startswith("losses")]


def test_cli_exit_code_and_json(tmp_path: Path) -> None:
    _write(tmp_path, "losses", 4, [1, 2, 3])
    run = subprocess.run(
        [sys.executable, "-m", "studykit", "coverage", "--json", "--questions", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert data["ok"] is False
    assert data["per_topic"]["losses"]["templates"] == 4
    assert data["korean_feedback"] == 0


def test_korean_feedback_counts_templates_whose_every_feedback_is_translated(
    tmp_path: Path,
) -> None:
    mistake = (
        "misconceptions:\n"
        "  - name: summed\n"
        "    value: \"losses.mse_loss(a, b, reduction='sum')\"\n"
        "    feedback: {feedback}\n"
        "text:\n"
    )
    _write(tmp_path, "losses", 3, [1])
    korean = '\n  ko:\n    prompt: "MSE는?"\n    solution: "공식 참고."\n'
    feedbacks = ["{en: Divide., ko: 나누세요.}", "Divide.", "{en: Divide., ko: 나누세요.}"]
    for n, feedback in enumerate(feedbacks):
        path = tmp_path / "losses" / f"q{n}.yaml"
        text = path.read_text(encoding="utf-8").replace(
            "text:\n", mistake.format(feedback=feedback)
        )
        path.write_text(text + korean, encoding="utf-8")
    coverage = measure(load_bank(tmp_path))
    assert coverage.with_misconceptions == 3
    assert coverage.korean == 3
    assert coverage.korean_feedback == 2
