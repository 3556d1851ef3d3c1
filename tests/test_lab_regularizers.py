"""The dropout and batch-norm lab: every variant learns; the layers keep their promises."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import torch

from studykit.labs.base import LabOptions, LabResult, SilentProgress
from studykit.labs.regularizers import LAB, VARIANTS
from studykit.plots.style import save

OPTIONS = LabOptions(seed=0, epochs=10, size=0.6)


@pytest.fixture(autouse=True)
def _one_thread() -> object:
    """Tiny matrices: one thread is faster than several fighting over a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@cache
def _result() -> LabResult:
    return LAB.run(OPTIONS, SilentProgress())


def test_deterministic_for_a_seed() -> None:
    again = LAB.run(OPTIONS, SilentProgress())
    assert again.facts == _result().facts
    assert again.curves == _result().curves


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_learns_above_chance(variant: str) -> None:
    facts = _result().facts
    key = variant.replace(" ", "_")
    assert facts[f"valid_accuracy_{key}"] >= 0.8
    assert facts[f"train_loss_{key}"] < _result().curves[f"{variant} train loss"][0] or (
        facts[f"train_loss_{key}"] < 0.1
    )
    assert len(_result().curves[f"{variant} valid loss"]) == OPTIONS.epochs


def test_batch_norm_and_dropout_keep_their_promises() -> None:
    facts = _result().facts
    assert facts["bn_max_abs_mean"] < 1e-4
    assert facts["bn_max_var_error"] < 1e-2
    assert facts["dropout_eval_identity"] == 1.0
    assert abs(facts["dropout_keep_fraction"] - 0.5) < 0.05


def test_the_figures_draw(tmp_path: Path) -> None:
    figures = _result().figures
    assert set(figures) == {"curves", "dropout-mask", "batchnorm-histograms"}
    for name, draw in figures.items():
        path = save(draw(), tmp_path / f"{name}.svg")
        assert path.stat().st_size > 1000
        assert "<svg" in path.read_text()
