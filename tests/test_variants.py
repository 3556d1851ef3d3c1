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


def test_the_reused_generator_is_a_new_random_of_the_same_seed() -> None:
    """`make_variant` reseeds one generator per thread: nothing of an earlier draw may remain."""
    import random

    from studykit.questions.variant import _generator

    for text in ("losses/mse/0", "models/pixel-distance/123456789", "가/1"):
        used = _generator("an earlier variant/7")
        used.gauss(0.0, 1.0)  # leaves a second normal value waiting (gauss_next)
        fresh, reused = random.Random(text), _generator(text)
        assert reused.getstate() == fresh.getstate()
        assert [reused.gauss(0.0, 1.0) for _ in range(3)] == [
            fresh.gauss(0.0, 1.0) for _ in range(3)
        ]


def test_a_variant_and_its_solution_go_without_the_cycle_collector() -> None:
    """No reference cycle: both are freed as soon as nobody holds them (tensors included)."""
    import gc
    import weakref

    import torch

    from studykit.questions.variant import solve

    bank = load_bank(default_questions_dir())
    for template_id in (
        "losses/cross-entropy-class-weights",
        "gradient-descent/constant-fit-steps-choice",
    ):
        template = bank.templates[template_id]
        gc.disable()
        try:
            variant = make_variant(template, 4)
            variant.prompt()  # a choices: auto prompt solves the variant already
            solved = solve(variant)
            solved.solution()
            assert solved.variant is variant and solve(variant) is solved
            gone_variant, gone_solved = weakref.ref(variant), weakref.ref(solved)
            tensors = [weakref.ref(v) for v in solved.env.values() if isinstance(v, torch.Tensor)]
            assert tensors, template_id
            del variant, solved
            assert gone_variant() is None and gone_solved() is None, template_id
            assert all(tensor() is None for tensor in tensors), template_id
        finally:
            gc.enable()


def test_a_solution_kept_longer_than_its_variant_still_knows_it() -> None:
    from studykit.questions.variant import solve

    template = load_bank(default_questions_dir()).templates["losses/mse-vs-mae"]
    solved = solve(make_variant(template, 7))  # the variant itself is gone after this line
    again = solved.variant
    assert (again.template, again.seed) == (template, 7)
    assert again.params == make_variant(template, 7).params
    assert solve(again) is solved and again.where.endswith("(seed 7)")
    assert solved.solution() and solved.misconceptions
