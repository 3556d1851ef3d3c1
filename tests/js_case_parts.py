"""The parts a row of the browser checker's parity table (브라우저 채점기 대조표) is written with.

A `Case` is what a student typed, the key as the JavaScript port takes it (``studykit show
--json``'s answer and tolerance in one object) and the misconceptions. The helpers build those
plain JSON objects: `key`, `tol` (the tolerance, 허용 오차), `prec` (the stated precision, 요구
정밀도), `mistake` (a misconception, 오개념), `show_json` (the whole ``show --json`` object
around a key) and `korean` (the same case with the messages asked for in Korean). ``GENERIC`` is
a key of each kind for answers that are not written for one, and `_drawn` a fixed sample of a
Hypothesis strategy.

Example: ``Case("0.5", key("number", 0.25), [mistake("forgot-square", 0.5)])`` is a wrong
answer that the misconception ``forgot-square`` explains.

Common mistake: an unseeded random draw. The table must be the same on every run, so that a
failure can be rerun: draw through `_drawn` (derandomized) or a `random.Random` with a seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# A key of each kind for answers that are not written for one.
GENERIC: dict[str, Any] = {
    "number": 0.5,
    "integer": 12,
    "tensor": [[1.0, 2.0], [3.0, 4.5]],
    "shape": [2, 3],
    "choice": "B",
    "expression": "x*(1-x)",
}


@dataclass
class Case:
    """One row of the table: what the student typed, the key, the misconceptions."""

    text: str
    key: dict[str, Any]
    misconceptions: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""


def key(
    kind: str,
    value: Any,
    tolerance: dict[str, Any] | None = None,
    variables: tuple[str, ...] = (),
    shape: tuple[int, ...] = (),
    precision: dict[str, Any] | None = None,
    options: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A key as the port takes it: `studykit show --json`'s answer and tolerance in one object."""
    out: dict[str, Any] = {
        "kind": kind,
        "value": value,
        "shape": list(shape),
        "tolerance": tolerance,
    }
    if variables:
        out["variables"] = list(variables)
    if precision is not None:
        out["precision"] = precision
    if options:
        out["options"] = list(options)
    return out


def tol(rel: float = 0.0, absolute: float = 0.0, sigfigs: int | None = None) -> dict[str, Any]:
    return {"rel": rel, "abs": absolute, "sigfigs": sigfigs}


def prec(
    sigfigs: int | None = None, decimals: int | None = None, fraction: bool = False
) -> dict[str, Any]:
    return {"sigfigs": sigfigs, "decimals": decimals, "fraction": fraction}


def korean(case: Case) -> Case:
    """The same case, with the messages asked for in Korean (the key's ``lang``)."""
    return Case(case.text, {**case.key, "lang": "ko"}, case.misconceptions, case.label + " (ko)")


def mistake(name: str, value: Any, feedback: str = "") -> dict[str, Any]:
    return {"name": name, "value": value, "feedback": feedback or f"feedback for {name}"}


def show_json(answer: dict[str, Any]) -> dict[str, Any]:
    """The whole `studykit show --json` object around a key (the port accepts it as a key)."""
    return {
        "id": "losses/mnist-loss",
        "seed": 3,
        "answer": {k: answer[k] for k in ("kind", "value", "shape", "precision") if k in answer},
        "tolerance": answer["tolerance"],
        "misconceptions": [],
    }


def _drawn(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """A fixed (derandomized) sample of `count` values of `strategy`."""
    values: list[Any] = []

    @settings(
        derandomize=True,
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        values.append(value)

    collect()
    return values
