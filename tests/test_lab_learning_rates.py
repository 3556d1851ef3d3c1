"""The learning-rate lab: too small crawls, about right converges, too large diverges."""

from __future__ import annotations

import math
from pathlib import Path

from studykit.labs.base import LabOptions, LabResult, SilentProgress
from studykit.labs.learning_rates import LAB
from studykit.plots.style import save


def _run(seed: int = 0, lr: float | None = None) -> LabResult:
    return LAB.run(LabOptions(seed=seed, lr=lr), SilentProgress())


def test_deterministic_for_a_seed() -> None:
    first, second = _run(5), _run(5)
    assert first.facts == second.facts
    assert first.curves == second.curves


def test_the_three_learning_rates_do_what_they_must() -> None:
    for seed in (0, 1, 2):
        facts = _run(seed).facts
        assert facts["diverged_too_large"] == 1.0
        large = facts["loss_too_large"]
        assert not math.isfinite(large) or large > facts["initial_loss_too_large"]
        assert facts["diverged_about_right"] == 0.0
        assert facts["diverged_too_small"] == 0.0
        assert facts["loss_about_right"] < facts["loss_too_small"]
        assert facts["loss_about_right"] <= 1.01 * facts["optimum_loss"]
        assert facts["loss_too_small"] > 2 * facts["optimum_loss"]


def test_the_minimum_is_the_closed_form() -> None:
    facts = _run(0).facts
    # Stable learning rates satisfy lr < 2 / h, the largest of the three does not.
    assert 2e-4 < 2 / facts["curvature"] < 1e-3


def test_lr_option_replaces_the_right_one() -> None:
    result = _run(0, lr=5e-5)
    assert any("5e-05" in row.what["en"] for row in result.rows)
    assert result.facts["loss_about_right"] > _run(0).facts["loss_about_right"]


def test_the_figure_draws(tmp_path: Path) -> None:
    for name, draw in _run(0).figures.items():
        path = save(draw(), tmp_path / f"{name}.svg")
        assert path.stat().st_size > 1000
        assert "<svg" in path.read_text()
