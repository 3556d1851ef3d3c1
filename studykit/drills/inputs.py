"""The inputs of a drill's case, made from its specs with a fixed seed.

A case names each argument: a plain YAML value (a number, a list, a string) is passed as it is;
a mapping is a tensor spec:

| spec | tensor |
|---|---|
| ``{randn: [N, C], scale: 1, shift: 0}`` | normal draws, ``shift + scale * z`` |
| ``{uniform: [N], low: 0, high: 1}`` | uniform draws in ``[low, high)`` |
| ``{randint: [N], low: 0, high: 3}`` | whole numbers in ``[low, high)`` (int64) |
| ``{values: [[1, 2], [3, 4]], dtype: float}`` | exactly these (``float``, ``long``, ``bool``) |

A float ``values`` list may hold the strings ``"nan"``, ``"inf"`` and ``"-inf"`` (a drill file,
like a template, holds only finite numbers).

Sizes are whole numbers or dimension names (``N``) looked up in the case's ``dims``. Floating
tensors are drawn in float64 and then cast, so the float32 and float64 runs of a case see the
same numbers. When a failing case is shrunk (`studykit.drills.judge`), ``small_integers`` draws
``randn`` values as whole numbers from -3 to 3 instead: easier to check by hand.
"""

from __future__ import annotations

import copy
import math
import zlib
from typing import Any

import torch

__all__ = ["case_seed", "make_inputs", "shape_dims"]

_DTYPES = {"float32": torch.float32, "float64": torch.float64}


def case_seed(drill_id: str, index: int) -> int:
    """The seed of a drill's case: fixed, so every run (and every student) sees the same case."""
    return zlib.crc32(f"{drill_id}/{index}".encode())


def shape_dims(case: dict[str, Any]) -> list[str]:
    """The dimension names the case's random tensors use, in order of first use."""
    names: list[str] = []
    for spec in case["args"].values():
        if isinstance(spec, dict):
            for kind in ("randn", "uniform", "randint"):
                for size in spec.get(kind, []):
                    if isinstance(size, str) and size not in names:
                        names.append(size)
    return names


def make_inputs(
    case: dict[str, Any],
    dtype: str,
    seed: int,
    dims: dict[str, int] | None = None,
    small_integers: bool = False,
) -> dict[str, Any]:
    """The case's arguments, by name and in order, for one floating dtype."""
    generator = torch.Generator().manual_seed(seed)
    sizes = {**case.get("dims", {}), **(dims or {})}
    inputs: dict[str, Any] = {}
    for name, spec in case["args"].items():
        if isinstance(spec, dict):
            inputs[name] = _tensor(spec, _DTYPES[dtype], generator, sizes, small_integers)
        else:
            inputs[name] = copy.deepcopy(spec)
    for name in case.get("grad", []):
        inputs[name].requires_grad_(True)
    return inputs


SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _special_floats(values: Any) -> Any:
    """``"nan"``, ``"inf"`` and ``"-inf"`` (YAML strings) as the floats they name."""
    if isinstance(values, list):
        return [_special_floats(v) for v in values]
    return SPECIAL_FLOATS.get(values, values) if isinstance(values, str) else values


def _shape(sizes: list[Any], dims: dict[str, int]) -> tuple[int, ...]:
    return tuple(dims[s] if isinstance(s, str) else int(s) for s in sizes)


def _tensor(
    spec: dict[str, Any],
    dtype: torch.dtype,
    generator: torch.Generator,
    dims: dict[str, int],
    small_integers: bool,
) -> torch.Tensor:
    if "values" in spec:
        kind = spec.get("dtype", "float")
        values = _special_floats(spec["values"])
        if kind == "long":
            return torch.tensor(values, dtype=torch.int64)
        if kind == "bool":
            return torch.tensor(values, dtype=torch.bool)
        return torch.tensor(values, dtype=torch.float64).to(dtype)
    if "randint" in spec:
        shape = _shape(spec["randint"], dims)
        return torch.randint(int(spec["low"]), int(spec["high"]), shape, generator=generator)
    if "uniform" in spec:
        shape = _shape(spec["uniform"], dims)
        low, high = float(spec.get("low", 0.0)), float(spec.get("high", 1.0))
        draws = torch.rand(shape, generator=generator, dtype=torch.float64)
        return (low + (high - low) * draws).to(dtype)
    shape = _shape(spec["randn"], dims)
    if small_integers:
        draws = torch.randint(-3, 4, shape, generator=generator).to(torch.float64)
    else:
        draws = torch.randn(shape, generator=generator, dtype=torch.float64)
    scale, shift = float(spec.get("scale", 1.0)), float(spec.get("shift", 0.0))
    return (shift + scale * draws).to(dtype)
