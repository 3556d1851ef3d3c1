"""Templates read the result of early stopping: its allow-listed, read-only attributes only."""

from __future__ import annotations

import types

import pytest
import torch

from studykit.questions import compute
from studykit.questions.expressions import RESULT_ATTRIBUTES, ExpressionError, evaluate, parse
from studykit.regularization import EarlyStopping

CURVE = [0.9, 0.7, 0.62, 0.615, 0.64, 0.66, 0.7]


def _replay(curve: list[float], patience: int, delta: float) -> tuple[int | None, int, float]:
    """The Keras rule by hand: (stopped epoch, best epoch, best value)."""
    best, best_epoch, wait = float("inf"), -1, 0
    for epoch, value in enumerate(curve):
        if value + delta < best:
            best, best_epoch, wait = value, epoch, 0
        else:
            wait += 1
            if wait >= max(patience, 1):
                return epoch, best_epoch, best
    return None, best_epoch, best


def _env() -> dict[str, object]:
    return compute.studykit_env({"curve": CURVE, "p": 2, "delta": 0.01})


@pytest.mark.parametrize("attr", ["stopped_epoch", "best_epoch", "best"])
def test_a_template_reads_what_early_stopping_found(attr: str) -> None:
    source = f"regularization.early_stopping(curve, patience=p, min_delta=delta).{attr}"
    value = evaluate(parse(source), _env())
    stopped, best_epoch, best = _replay(CURVE, 2, 0.01)
    assert value == {"stopped_epoch": stopped, "best_epoch": best_epoch, "best": best}[attr]
    assert (stopped, best_epoch, best) == (4, 2, 0.62)  # 0.615 is not 0.01 below 0.62


def test_a_run_that_never_stops_reads_none() -> None:
    source = "regularization.early_stopping(curve, patience=9).stopped_epoch"
    assert evaluate(parse(source), _env()) is None


@pytest.mark.parametrize(
    "attr", ["step", "is_improvement", "patience", "wait", "should_stop", "epoch", "mode"]
)
def test_other_attributes_and_methods_are_refused(attr: str) -> None:
    source = f"regularization.early_stopping(curve, patience=p).{attr}"
    with pytest.raises(ExpressionError, match=rf"attribute \.{attr} is not available"):
        evaluate(parse(source), _env())


def test_private_attributes_are_refused_when_parsing() -> None:
    with pytest.raises(ExpressionError, match="private attribute"):
        parse("regularization.early_stopping(curve).__dict__")


def test_only_the_exact_class_is_read() -> None:
    class Sub(EarlyStopping):
        pass

    lookalike = types.SimpleNamespace(best=1.0, best_epoch=0, stopped_epoch=1)
    for owner in (Sub(), lookalike):
        with pytest.raises(ExpressionError, match=r"attribute \.best is not available"):
            evaluate(parse("s.best"), {"s": owner})


def test_a_value_that_is_not_a_plain_number_is_refused() -> None:
    stopper = EarlyStopping(patience=1)
    stopper.best = torch.tensor(0.5)  # type: ignore[assignment]
    with pytest.raises(ExpressionError, match=r"attribute \.best is not available"):
        evaluate(parse("s.best"), {"s": stopper})
    assert evaluate(parse("s.best_epoch"), {"s": stopper}) == -1


def test_the_allow_list_names_read_only_data_attributes() -> None:
    stopper = EarlyStopping()
    for qualified, names in RESULT_ATTRIBUTES.items():
        assert qualified == "studykit.regularization.EarlyStopping"
        for name in names:
            assert not name.startswith("_")
            assert not callable(getattr(stopper, name))
