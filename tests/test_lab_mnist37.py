"""The 3-vs-7 lab shows what the notes' pipeline must show, on a small share of the digits."""

from __future__ import annotations

import pytest

from studykit.labs import LABS
from studykit.labs.base import LabOptions, LabResult, SilentProgress
from studykit.labs.digits import three_seven
from studykit.labs.mnist37 import LAB

pytest.importorskip("sklearn")

# Half of the digits: simple_net's learning rate is the notes' 0.1, so it needs the epochs.
SMALL = {"size": 0.5, "epochs": 40}


@pytest.fixture(scope="module")
def result() -> LabResult:
    return LAB.run(LabOptions(seed=0, **SMALL), SilentProgress())  # type: ignore[arg-type]


def test_registered() -> None:
    assert LABS[LAB.name] is LAB


def test_baseline_beats_chance_by_a_wide_margin(result: LabResult) -> None:
    facts = result.facts
    assert 0.4 <= facts["chance"] <= 0.6
    assert facts["baseline_accuracy"] >= facts["chance"] + 0.3
    assert facts["baseline_class_mean"] >= facts["chance"] + 0.3
    assert facts["baseline_rmse_accuracy"] >= facts["chance"] + 0.3


@pytest.mark.parametrize("model", ["linear", "simple_net"])
def test_trained_models_reach_the_baseline(result: LabResult, model: str) -> None:
    assert result.facts[f"{model}_accuracy"] >= result.facts["baseline_accuracy"]


@pytest.mark.parametrize("model", ["linear", "simple_net"])
def test_training_loss_falls(result: LabResult, model: str) -> None:
    losses = result.curves[f"{model}_loss"]
    assert len(losses) == SMALL["epochs"]
    assert result.facts[f"{model}_last_loss"] < result.facts[f"{model}_first_loss"] / 2
    assert len(result.curves[f"{model}_accuracy"]) == SMALL["epochs"]


def test_baseline_matches_plain_torch() -> None:
    # Both baseline figures recomputed with plain torch on the same split: the mean of the two
    # class accuracies is a different quantity from the overall accuracy (equal only when the
    # classes are equally large or equally well classified).
    seed = 3
    run = LAB.run(LabOptions(seed=seed, size=0.5, epochs=1), SilentProgress())
    data = three_seven(seed, size=0.5)
    images = data.train_x.reshape(-1, 8, 8)
    labels = data.train_y.reshape(-1)
    mean3, mean7 = images[labels == 1].mean(0), images[labels == 0].mean(0)
    valid = data.valid_x.reshape(-1, 8, 8)
    truth = data.valid_y.reshape(-1) == 1
    is_3 = (valid - mean3).abs().mean((-1, -2)) < (valid - mean7).abs().mean((-1, -2))
    right = is_3 == truth
    overall = right.float().mean().item()
    class_mean = (right[truth].float().mean().item() + right[~truth].float().mean().item()) / 2
    assert run.facts["baseline_accuracy"] == pytest.approx(overall)
    assert run.facts["baseline_class_mean"] == pytest.approx(class_mean)
    rmse_3 = ((valid - mean3) ** 2).mean((-1, -2)).sqrt()
    rmse_7 = ((valid - mean7) ** 2).mean((-1, -2)).sqrt()
    rmse_overall = ((rmse_3 < rmse_7) == truth).float().mean().item()
    assert run.facts["baseline_rmse_accuracy"] == pytest.approx(rmse_overall)
    assert run.facts["chance"] == pytest.approx(
        max(truth.float().mean().item(), 1 - truth.float().mean().item())
    )


def test_deterministic_for_a_seed() -> None:
    options = LabOptions(seed=1, size=0.3, epochs=5)
    first = LAB.run(options, SilentProgress())
    second = LAB.run(options, SilentProgress())
    assert first.facts == second.facts
    assert first.curves == second.curves
    assert [r.value for r in first.rows] == [r.value for r in second.rows]


def test_rows_speak_both_languages(result: LabResult) -> None:
    for row in result.rows:
        assert row.what["en"] and row.what["ko"]
        assert set(row.note) == {"en", "ko"}
    assert any("0.9511" in row.note["en"] for row in result.rows)


def test_figures_are_drawn(result: LabResult, tmp_path: object) -> None:
    pytest.importorskip("matplotlib")
    from pathlib import Path

    from studykit.plots.style import save

    assert set(result.figures) == {"mean-images", "training"}
    for name, draw in result.figures.items():
        path = save(draw(), Path(str(tmp_path)) / f"{name}.svg")
        assert path.stat().st_size > 1000
