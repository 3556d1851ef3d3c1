"""Variants: the same (template, seed) gives byte-identical output everywhere; no torch needed
to draw parameters and render the prompt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from studykit.questions.commands import default_questions_dir
from studykit.questions.template import load_bank
from studykit.questions.variant import make_variant

BANK = load_bank(default_questions_dir())


def _show(template_id: str, seed: int, hashseed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    run = subprocess.run(
        [sys.executable, "-m", "studykit", "show", template_id, "--seed", str(seed), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return run.stdout


def test_same_seed_same_bytes_across_processes() -> None:
    for template_id in ["losses/mnist-loss", "tensors/permute-strides"]:
        assert _show(template_id, 11, "1") == _show(template_id, 11, "999")


def test_different_seeds_usually_differ() -> None:
    template = BANK.templates["losses/mnist-loss"]
    prompts = {make_variant(template, seed).prompt() for seed in range(20)}
    assert len(prompts) > 10


def test_prompts_render_without_importing_torch() -> None:
    assert any(not t.prompt_needs_key for t in BANK.templates.values())
    code = (
        "import sys\n"
        "from studykit.questions.commands import default_questions_dir\n"
        "from studykit.questions.template import load_bank\n"
        "from studykit.questions.variant import make_variant\n"
        "bank = load_bank(default_questions_dir())\n"
        "for t in bank.templates.values():\n"
        "    if not t.prompt_needs_key:  # auto choices compute their options\n"
        "        make_variant(t, 5).prompt()\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "print(len(bank.templates))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(run.stdout) == len(BANK.templates)


def test_show_json_has_the_contract_fields() -> None:
    data = json.loads(_show("losses/mnist-loss", 3, "0"))
    for field in ["id", "seed", "topic", "prompt", "params", "answer", "tolerance", "solution"]:
        assert field in data
    assert set(data["answer"]) >= {"kind", "value", "shape"}


def test_solving_the_bank_leaves_torch_global_random_state_alone() -> None:
    # A quiz runs in the student's process: a template must draw from its own generator, never
    # reseed or advance torch's global one.
    import torch

    from studykit.questions.variant import solve

    before = torch.get_rng_state()
    bank = load_bank(default_questions_dir())
    for template in bank.by_topic():
        solved = solve(make_variant(template, 5))
        solved.solution()
        assert solved.misconceptions is not None
    assert torch.equal(torch.get_rng_state(), before)


def test_a_hint_not_yet_translated_falls_back_to_english(tmp_path: Path) -> None:
    (tmp_path / "losses").mkdir()
    (tmp_path / "losses" / "x.yaml").write_text(
        """\
id: losses/x
title: MSE
topic: losses
difficulty: 1
params:
  a: {tensor: [2], decimal: [0, 1], places: 1}
steps:
  loss: "losses.mse_loss(a, a * 0)"
answer: {value: loss, kind: number}
oracle: "F.mse_loss(a, a * 0)"
text:
  en:
    prompt: "MSE of << a | tensor >> against zeros?"
    hint: "Square, then average."
    solution: "<< loss >>"
  ko:
    prompt: "<< a | tensor >>와 0의 MSE는?"
    solution: "<< loss >>"
""",
        encoding="utf-8",
    )
    bank = load_bank(tmp_path)
    assert not bank.errors, bank.errors
    variant = make_variant(bank.templates["losses/x"], 0)
    assert variant.template.texts["ko"].hint is None
    assert variant.hint("ko") == variant.hint("en") == "Square, then average."
