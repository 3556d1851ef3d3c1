"""What a drill checks of one call: the results, the gradients, and the inputs left as they were.

`observe` calls an implementation (the student's, the reference, torch's, a planted mistake)
on a case's inputs and returns its *observations*, in order: each result (``result``, or the
names of ``outputs`` for a tuple), then ``grad of x`` for each argument in the case's ``grad``
(the gradient of ``sum(result * g)`` for a fixed random ``g``, so every entry of the gradient
matters). `compare` finds the first observation that differs, shape first, then dtype, device
and values (``torch.allclose`` at the drill's tolerance for the dtype; ``nan`` and ``inf`` must
sit where the expected ones do).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import torch

__all__ = ["Problem", "compare", "observe", "show"]


_REPR_CHARS = 400


@dataclass(frozen=True)
class Problem:
    """The first difference between two sets of observations."""

    kind: str  # count, type, shape, dtype, device, values, graph
    name: str  # the observation: result, mean, grad of x
    message: str
    expected: Any = None
    got: Any = None
    message_ko: str = ""

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``en`` or ``ko``)."""
        return self.message_ko if lang == "ko" and self.message_ko else self.message


class NoGraphError(Exception):
    """The result does not depend on an input through autograd (``.item()``, ``.detach()``)."""


def _parts(result: Any, names: list[str]) -> dict[str, Any]:
    if isinstance(result, tuple | list) and names and len(result) == len(names):
        return dict(zip(names, result, strict=True))
    if isinstance(result, tuple | list) and not names:
        return {f"result[{i}]": part for i, part in enumerate(result)}
    return {names[0] if len(names) == 1 else "result": result}


def observe(
    call: Callable[[], Any],
    inputs: dict[str, Any],
    grad: list[str],
    outputs: list[str],
    cotangent_seed: int,
) -> dict[str, Any]:
    """Call, then take the gradients the case asks for; return detached observations."""
    parts = _parts(call(), outputs)
    observations = {
        name: value.detach().clone() if isinstance(value, torch.Tensor) else value
        for name, value in parts.items()
    }
    if grad:
        observations.update(_gradients(parts, {g: inputs[g] for g in grad}, cotangent_seed))
    return observations


def _gradients(parts: dict[str, Any], leaves: dict[str, torch.Tensor], seed: int) -> dict[str, Any]:
    generator = torch.Generator().manual_seed(seed)
    total = None
    for value in parts.values():
        if isinstance(value, torch.Tensor) and value.requires_grad:
            weights = torch.randn(value.shape, generator=generator, dtype=torch.float64)
            term = (value * weights.to(value.dtype)).sum()
            total = term if total is None else total + term
    if total is None:
        raise NoGraphError("the result does not require grad")
    found = torch.autograd.grad(total, list(leaves.values()), allow_unused=True)
    grads = {}
    for (name, leaf), value in zip(leaves.items(), found, strict=True):
        grads[f"grad of {name}"] = torch.zeros_like(leaf) if value is None else value.detach()
    return grads


def show(value: Any) -> str:
    """A value as a student reads it: tensors with 4 decimals, shape and dtype first."""
    if isinstance(value, torch.Tensor):
        with _print_options():
            body = repr(value.detach())
        return f"shape {tuple(value.shape)}, {str(value.dtype).removeprefix('torch.')}\n{body}"
    if isinstance(value, float):
        return f"{value:.6g}"
    text = repr(value)
    return text if len(text) <= _REPR_CHARS else text[:_REPR_CHARS] + " ..."


class _print_options:  # noqa: N801 - a context manager used like a function
    def __enter__(self) -> None:
        torch.set_printoptions(precision=4, threshold=60, edgeitems=3, linewidth=88)  # type: ignore[no-untyped-call]

    def __exit__(self, *exc: object) -> None:
        torch.set_printoptions(profile="default")  # type: ignore[no-untyped-call]


_KINDS_KO = {"a tensor": "텐서", "a bool": "bool", "an int": "정수", "a float": "실수"}


def _kind(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return "a tensor"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int):
        return "an int"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)}"
    return f"a {type(value).__name__}"


def _kind_ko(value: Any) -> str:
    kind = _kind(value)
    if isinstance(value, tuple | list):
        return f"길이 {len(value)}인 {type(value).__name__}"
    return _KINDS_KO.get(kind, type(value).__name__)


def compare(
    expected: dict[str, Any], got: dict[str, Any], tolerance: tuple[float, float]
) -> Problem | None:
    """The first observation of ``got`` that differs from ``expected``, or ``None``."""
    if list(expected) != list(got):
        names = ", ".join(expected)
        kinds = ", ".join(_kind(v) for v in got.values()) or "nothing"
        kinds_ko = ", ".join(_kind_ko(v) for v in got.values()) or "아무것도 없음"
        return Problem(
            "count",
            "result",
            f"expected {len(expected)} result(s) ({names}), got {kinds}",
            message_ko=f"기대한 결과 {len(expected)}개({names}), 받은 결과: {kinds_ko}",
        )
    for name, want in expected.items():
        problem = _compare_one(name, want, got[name], tolerance)
        if problem is not None:
            return replace(problem, message_ko=_korean_name(name) + problem.message_ko[len(name) :])
    return None


def _korean_name(name: str) -> str:
    """``result`` as 결과, ``grad of x`` as x의 기울기 (other output names stay)."""
    if name.startswith("grad of "):
        return f"{name.removeprefix('grad of ')}의 기울기"
    if name == "result" or name.startswith("result["):
        return "결과" + name.removeprefix("result")
    return name


def _type_problem(name: str, want: Any, have: Any) -> Problem:
    return Problem(
        "type",
        name,
        f"{name}: expected {_kind(want)}, got {_kind(have)}",
        want,
        have,
        f"{name}: 기대한 종류 {_kind_ko(want)}, 받은 종류 {_kind_ko(have)}",
    )


def _value_problem(name: str, want: Any, have: Any) -> Problem:
    w, h = (f"{v:.6g}" if isinstance(v, float) else repr(v) for v in (want, have))
    return Problem(
        "values",
        name,
        f"{name}: expected {w}, got {h}",
        want,
        have,
        f"{name}: 기댓값 {w}, 받은 값 {h}",
    )


def _compare_one(name: str, want: Any, have: Any, tolerance: tuple[float, float]) -> Problem | None:
    if isinstance(want, torch.Tensor):
        return _compare_tensor(name, want, have, tolerance)
    if isinstance(want, tuple | list):
        if not isinstance(have, tuple | list) or len(have) != len(want):
            return _type_problem(name, want, have)
        for i, (w, h) in enumerate(zip(want, have, strict=True)):
            problem = _compare_one(f"{name}[{i}]", w, h, tolerance)
            if problem is not None:
                return problem
        return None
    if isinstance(want, float):
        if isinstance(have, torch.Tensor) and have.numel() == 1:
            have = float(have)
        if not isinstance(have, int | float) or isinstance(have, bool):
            return _type_problem(name, want, have)
        close = math.isclose(have, want, rel_tol=tolerance[0], abs_tol=tolerance[1])
        if not close and not (math.isnan(want) and math.isnan(have)):
            return _value_problem(name, want, have)
        return None
    if type(have) is not type(want):
        return _type_problem(name, want, have)
    return None if have == want else _value_problem(name, want, have)


def _compare_tensor(
    name: str, want: torch.Tensor, have: Any, tolerance: tuple[float, float]
) -> Problem | None:
    if not isinstance(have, torch.Tensor):
        return _type_problem(name, want, have)
    if have.shape != want.shape:
        w, h = tuple(want.shape), tuple(have.shape)
        return Problem(
            "shape",
            name,
            f"{name}: expected shape {w}, got {h}",
            want,
            have,
            f"{name}: 기대한 모양(shape) {w}, 받은 모양 {h}",
        )
    if have.dtype != want.dtype:
        return Problem(
            "dtype",
            name,
            f"{name}: expected dtype {want.dtype} (the input's), got {have.dtype}",
            want,
            have,
            f"{name}: 기대한 dtype {want.dtype}(입력의 dtype), 받은 dtype {have.dtype}",
        )
    if have.device != want.device:
        return Problem(
            "device",
            name,
            f"{name}: expected device {want.device}, got {have.device}",
            want,
            have,
            f"{name}: 기대한 장치(device) {want.device}, 받은 장치 {have.device}",
        )
    if _close(want, have, tolerance):
        return None
    en, ko = _where_it_differs(want, have, tolerance)
    return Problem("values", name, f"{name}: {en}", want, have, f"{name}: {ko}")


def _close(want: torch.Tensor, have: torch.Tensor, tolerance: tuple[float, float]) -> bool:
    if not want.is_floating_point():
        return bool(torch.equal(want, have))
    rtol, atol = tolerance
    return bool(torch.allclose(have, want, rtol=rtol, atol=atol, equal_nan=True))


def _where_it_differs(
    want: torch.Tensor, have: torch.Tensor, tolerance: tuple[float, float]
) -> tuple[str, str]:
    """Where the values differ, in English and Korean: how many, and the first index."""
    rtol, atol = tolerance
    if want.is_floating_point():
        bad = (~torch.isclose(have, want, rtol=rtol, atol=atol, equal_nan=True)).nonzero()
    else:
        bad = (want != have).nonzero()
    first = tuple(int(i) for i in bad[0]) if len(bad) else ()
    index = f"[{', '.join(map(str, first))}]"
    w, h = (_number(t[first].item()) for t in (want, have))
    within = f" (rtol {rtol:g}, atol {atol:g})" if want.is_floating_point() else ""
    en = (
        f"{len(bad)} of {want.numel()} values differ{within}; "
        f"first at index {index}: expected {w}, got {h}"
    )
    ko = (
        f"값 {want.numel()}개 중 {len(bad)}개가 다릅니다{within}. "
        f"처음 다른 곳은 인덱스 {index}: 기댓값 {w}, 받은 값 {h}"
    )
    return en, ko


def _number(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else repr(value)
