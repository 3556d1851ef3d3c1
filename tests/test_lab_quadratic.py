"""The quadratic speed-fit lab: the notes' recipe levels off above the least-squares optimum."""

from __future__ import annotations

from pathlib import Path

import torch

from studykit.labs.base import LabOptions, LabResult, SilentProgress
from studykit.labs.quadratic import LAB, least_squares, speed_data
from studykit.plots.style import save


def _run(seed: int = 0) -> LabResult:
    return LAB.run(LabOptions(seed=seed), SilentProgress())


def test_deterministic_for_a_seed() -> None:
    first, second = _run(3), _run(3)
    assert first.facts == second.facts
    assert first.curves == second.curves


def test_the_optimum_is_the_normal_equations_solution() -> None:
    time, speed, _ = speed_data(0)
    design = torch.stack([time**2, time, torch.ones_like(time)], dim=1).double()
    by_hand = torch.linalg.solve(design.T @ design, design.T @ speed.double())
    torch.testing.assert_close(least_squares(time, speed).double(), by_hand, rtol=1e-4, atol=1e-4)
    # The gradient of the squared error vanishes there.
    residual = design @ by_hand - speed.double()
    assert (design.T @ residual).abs().max().item() < 1e-6 * (design.T @ speed.double()).abs().max()


def test_the_recipe_stays_above_the_optimum_and_the_loss_falls() -> None:
    result = _run(0)
    facts = result.facts
    assert facts["final_loss"] >= facts["optimum_loss"]
    assert facts["longer_loss"] >= facts["optimum_loss"]
    assert facts["final_loss"] < facts["initial_loss"]
    # It levels off well above the optimum: that is what the lab is about.
    assert facts["longer_loss"] > 3 * facts["optimum_loss"]
    time, speed, _ = speed_data(0)
    a, b, c = facts["a_opt"], facts["b_opt"], facts["c_opt"]
    rmse = ((a * time**2 + b * time + c - speed) ** 2).mean().sqrt().item()
    torch.testing.assert_close(rmse, facts["optimum_loss"], rtol=1e-4, atol=1e-4)


def test_the_figure_draws(tmp_path: Path) -> None:
    result = _run(0)
    for name, draw in result.figures.items():
        path = save(draw(), tmp_path / f"{name}.svg")
        assert path.stat().st_size > 1000
        assert "<svg" in path.read_text()
