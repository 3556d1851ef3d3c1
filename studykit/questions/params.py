"""Seeded, torch-free parameters: what makes each variant of a question different.

A template declares each parameter as one small mapping:

| spec | draws |
|---|---|
| ``{int: [lo, hi]}`` | an integer in ``[lo, hi]`` (inclusive) |
| ``{decimal: [lo, hi], places: 2}`` | a number on the grid ``10**-places`` in ``[lo, hi]`` |
| ``{choice: [a, b, c]}`` | one of the listed values |
| ``{tensor: [2, n], int: [0, 9]}`` | nested lists of that shape (a size may name an int param) |
| ``{tensor: [3], decimal: [-1, 1], places: 1}`` | the same with decimals |
| ``{derived: "n * 2"}`` | an expression over earlier parameters |
| ``{derived: "[[...]]", tensor: [2, 2]}`` | the same, a tensor of that shape (checked) |

Options: ``nonzero: true`` (never draw 0), ``distinct: true`` (a tensor whose elements all
differ: a repeated value is drawn again, which is much cheaper than a ``distinct(x)`` constraint
that redraws everything), ``dtype: float`` or ``dtype: int`` (the torch dtype a
tensor parameter becomes when the answer is computed; ``int`` grids default to int64, decimals to
float64). Parameters are drawn in the order written, from ``random.Random(f"{id}/{seed}")``: the
same template id and seed give the same numbers on every machine and Python version, and torch is
not needed to draw them, so a prompt can be shown before torch is imported.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from studykit.questions.expressions import Expression, ExpressionError, evaluate, new_scope, parse
from studykit.questions.limits import LimitError, bounded_range, time_limit

__all__ = [
    "CONSTRAINT_FUNCTIONS", "DrawPlan", "ParamError", "ParamLimitError", "ParamSpec",
    "parse_param",
]  # fmt: skip

MAX_ELEMENTS = 256
MAX_DRAWS = 2000
MAX_TABLE = 4096  # values of a decimal grid worked out in advance (``_table``)


# Torch-free helpers that constraints and derived parameters may call.
CONSTRAINT_FUNCTIONS: dict[str, object] = {
    "abs": abs, "min": min, "max": max, "sum": sum, "len": len, "round": round, "all": all,
    "any": any, "sorted": sorted, "int": int, "float": float, "range": bounded_range, "zip": zip,
    "list": list, "enumerate": enumerate, "set": set, "tuple": tuple,
    "sqrt": math.sqrt, "exp": math.exp, "log": math.log, "floor": math.floor,
    "ceil": math.ceil, "isclose": math.isclose, "flatten": lambda v: _flatten(v),
    "distinct": lambda v: _distinct(_flatten(v)),
    "mean": lambda v: _mean(_flatten(v)),
    "sign": lambda v: (v > 0) - (v < 0),
    "apart": lambda values, gap=0.01: _apart(list(values), gap),
}  # fmt: skip


class ParamError(ValueError):
    """A parameter spec that is malformed, or parameters that cannot be drawn (one line)."""


class ParamLimitError(ParamError, LimitError):
    """Drawing parameters went over a budget (see `studykit.questions.limits`)."""


def _param_error(message: str, cause: Exception) -> ParamError:
    """``ParamError`` with ``message``, or ``ParamLimitError`` when a budget was the cause."""
    return (ParamLimitError if isinstance(cause, LimitError) else ParamError)(message)


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: how to draw it and what torch dtype it becomes."""

    name: str
    kind: str  # "int" | "decimal" | "choice" | "derived"
    low: float = 0
    high: float = 0
    places: int = 0
    options: tuple[Any, ...] = ()
    shape: tuple[int | str, ...] | None = None
    nonzero: bool = False
    dtype: str = "float"
    expression: Expression | None = None
    distinct: bool = False

    @property
    def is_tensor(self) -> bool:
        """Whether the parameter is a tensor (nested lists) rather than a plain value."""
        return self.shape is not None


def parse_param(name: str, spec: object, earlier: Mapping[str, ParamSpec]) -> ParamSpec:
    """Validate one parameter spec (a field of ``params``) and return it."""
    if not name.isidentifier() or name.startswith("_"):
        raise ParamError(f"parameter name {name!r} must be a plain identifier")
    if not isinstance(spec, dict):
        raise ParamError(f"must be a mapping such as {{int: [1, 5]}}, got {spec!r}")
    known = {
        "int", "decimal", "choice", "derived", "tensor", "places", "nonzero", "dtype", "distinct"
    }  # fmt: skip
    unknown = sorted(set(spec) - known)
    if unknown:
        raise ParamError(f"unknown option {unknown[0]!r} (known: {', '.join(sorted(known))})")
    kinds = [k for k in ("int", "decimal", "choice", "derived") if k in spec]
    if len(kinds) != 1:
        raise ParamError("needs exactly one of int, decimal, choice, derived")
    kind = kinds[0]
    shape = _parse_shape(spec.get("tensor"), earlier) if "tensor" in spec else None
    distinct = spec.get("distinct", False)
    if not isinstance(distinct, bool):
        raise ParamError(f"distinct must be true or false, got {distinct!r}")
    if distinct and (shape is None or kind == "derived"):
        raise ParamError("distinct applies to drawn tensor parameters only")
    dtype = spec.get("dtype", "int" if kind == "int" else "float")
    if dtype not in ("int", "float"):
        raise ParamError(f"dtype must be 'int' or 'float', got {dtype!r}")
    if kind == "derived":
        return ParamSpec(
            name, kind, shape=shape, dtype=dtype, expression=_expression(spec["derived"])
        )
    if kind == "choice":
        options = spec["choice"]
        if not isinstance(options, list) or not options:
            raise ParamError("choice needs a non-empty list")
        return _checked(
            ParamSpec(name, kind, options=tuple(options), shape=shape, distinct=distinct)
        )
    low, high = _bounds(kind, spec[kind])
    places = spec.get("places", 0 if kind == "int" else 1)
    if kind == "decimal" and (not isinstance(places, int) or not 0 <= places <= 6):
        raise ParamError(f"places must be an int from 0 to 6, got {places!r}")
    nonzero = spec.get("nonzero", False)
    if not isinstance(nonzero, bool):
        raise ParamError(f"nonzero must be true or false, got {nonzero!r}")
    return _checked(
        ParamSpec(name, kind, low, high, places, (), shape, nonzero, dtype, distinct=distinct)
    )


def _checked(spec: ParamSpec) -> ParamSpec:
    """``spec``, after checking that a distinct tensor of a fixed shape has enough values."""
    if spec.distinct and spec.shape is not None and all(isinstance(s, int) for s in spec.shape):
        _check_enough(spec, math.prod(spec.shape))  # type: ignore[arg-type]
    return spec


def _possible_values(spec: ParamSpec) -> int:
    """How many different values one element of ``spec`` can take."""
    if spec.kind == "choice":
        if not all(isinstance(o, int | float | str) for o in spec.options):
            raise ParamError("distinct needs choices that are numbers or strings")
        return len(set(spec.options))
    _, low, high = _grid(spec)
    zero_excluded = spec.nonzero and low <= 0 <= high and not low == high == 0
    return high - low + 1 - int(zero_excluded)


def _grid(spec: ParamSpec) -> tuple[int, int, int]:
    """An int or decimal spec as a grid: value = k / scale for the integers low <= k <= high."""
    scale = 10**spec.places if spec.kind == "decimal" else 1
    return scale, math.ceil(spec.low * scale), math.floor(spec.high * scale)


def _check_enough(spec: ParamSpec, count: int) -> None:
    possible = _possible_values(spec)
    if count > possible:
        raise ParamError(f"distinct needs {count} different values, the range has {possible}")


def _expression(source: object) -> Expression:
    try:
        return parse(source)
    except ExpressionError as error:
        raise ParamError(str(error)) from None


def _bounds(kind: str, value: object) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ParamError(f"{kind} needs [low, high], got {value!r}")
    low, high = value[0], value[1]
    for bound in (low, high):
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            raise ParamError(f"{kind} needs [low, high] numbers, got {value!r}")
        if kind == "int" and not isinstance(bound, int):
            raise ParamError(f"int bounds must be whole numbers, got {value!r}")
    if low > high:
        raise ParamError(f"{kind} bounds are reversed: {low} > {high}")
    return float(low), float(high)


def _parse_shape(value: object, earlier: Mapping[str, ParamSpec]) -> tuple[int | str, ...]:
    if not isinstance(value, list):
        raise ParamError(f"tensor needs a shape list such as [2, 3], got {value!r}")
    for size in value:
        if isinstance(size, str):
            ref = earlier.get(size)
            if ref is None or ref.kind not in ("int", "choice") or ref.is_tensor:
                raise ParamError(f"shape entry {size!r} must name an earlier int parameter")
        elif isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= 64:
            raise ParamError(f"shape entries must be ints from 0 to 64, got {size!r}")
    return tuple(value)


class DrawPlan:
    """How to draw one template's parameters, worked out once (a template draws thousands).

    ``draw`` draws every parameter, redrawing all of them until every constraint holds. Each
    try draws every random parameter, in order, so the random stream (and therefore the
    variant of a seed) does not depend on which constraint rejected a try. Derived parameters
    use no randomness: they are computed only as far as the next constraint needs them, so a
    try that fails an early constraint (``distinct(t)``) skips the expensive derived values.
    """

    def __init__(self, specs: tuple[ParamSpec, ...], constraints: tuple[Expression, ...]):
        self.names = tuple(spec.name for spec in specs)
        self.random = tuple((spec.name, _sampler(spec)) for spec in specs if spec.kind != "derived")
        self.derived = tuple(spec for spec in specs if spec.kind == "derived")
        self.checks = _constraint_plan(specs, constraints)
        self.steps, self.rest = _steps(self.derived, self.checks)
        self.base = new_scope(CONSTRAINT_FUNCTIONS)

    def draw(self, rng: random.Random, where: str) -> dict[str, Any]:
        """One set of parameters that meets every constraint.

        Raises:
            ParamError: When no draw satisfies the constraints after ``MAX_DRAWS`` tries, or a
                constraint cannot be evaluated (``where`` names the template and seed).
        """
        try:
            with time_limit():
                return self._draw(rng, where)
        except LimitError as error:
            if isinstance(error, ParamError):
                raise
            raise ParamLimitError(f"{where}: drawing the parameters {error}") from None

    def _draw(self, rng: random.Random, where: str) -> dict[str, Any]:
        base, samplers, steps, rest = self.base, self.random, self.steps, self.rest
        for _ in range(MAX_DRAWS):
            env = base.copy()
            for name, sample in samplers:
                env[name] = sample(rng, env, where)
            for before, index, constraint in steps:
                for spec in before:
                    env[spec.name] = _draw_derived(spec, env, where)
                if not _holds(constraint, env, where, index):
                    break
            else:
                for spec in rest:
                    env[spec.name] = _draw_derived(spec, env, where)
                return {name: env[name] for name in self.names}
        raise ParamError(f"{where}: no parameters satisfied the constraints in {MAX_DRAWS} draws")


Step = tuple[tuple[ParamSpec, ...], int, Expression]


def _steps(
    derived: tuple[ParamSpec, ...], checks: tuple[tuple[int, int, Expression], ...]
) -> tuple[tuple[Step, ...], tuple[ParamSpec, ...]]:
    """The constraint plan as steps, and the derived parameters that no constraint needs.

    A step is the derived parameters to compute next, then the index and expression of one
    constraint: each derived parameter is computed once, just before the first one needing it.
    """
    steps: list[Step] = []
    done = 0
    for needed, index, constraint in checks:
        steps.append((derived[done:needed], index, constraint))
        done = max(done, needed)
    return tuple(steps), derived[done:]


def _constraint_plan(
    specs: tuple[ParamSpec, ...], constraints: tuple[Expression, ...]
) -> tuple[tuple[int, int, Expression], ...]:
    """Each constraint, in order, with how many derived parameters must exist before it runs.

    Each comes as (derived parameters needed, its index in ``constraints``, the expression).
    """
    derived = [spec.name for spec in specs if spec.kind == "derived"]
    return tuple(
        (max((i + 1 for i, name in enumerate(derived) if name in c.free_names), default=0), k, c)
        for k, c in enumerate(constraints)
    )


def _holds(constraint: Expression, env: Mapping[str, object], where: str, index: int) -> bool:
    """Whether constraint ``index`` holds (the message of a failure is made only then)."""
    try:
        return bool(evaluate(constraint, env))
    except ExpressionError as error:
        raise _param_error(f"{where}: constraints.{index}: {error}", error) from None


def _draw_derived(spec: ParamSpec, env: Mapping[str, Any], where: str) -> Any:
    """A derived parameter: its expression over the parameters drawn so far (no randomness)."""
    assert spec.expression is not None
    try:
        value = evaluate(spec.expression, env)
    except ExpressionError as error:
        raise _param_error(f"{where}: params.{spec.name}: {error}", error) from None
    if spec.shape is not None:
        shape = _resolved_shape(spec.shape, env)
        if not _has_shape(value, shape):
            raise ParamError(
                f"{where}: parameter {spec.name}: the derived value is not a tensor of the "
                f"declared shape {shape}: {value!r}"
            )
    return value


def _resolved_shape(shape: tuple[int | str, ...], env: Mapping[str, Any]) -> tuple[int, ...]:
    """A declared shape with every named size replaced by that parameter's value."""
    return tuple(env[s] if isinstance(s, str) else s for s in shape)


def _has_shape(value: Any, shape: tuple[int, ...]) -> bool:
    """Whether ``value`` is rectangular nested lists of numbers (not bools) of ``shape``.

    An empty list has the shape ``(0,)`` only.
    """
    if not shape:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if not isinstance(value, list) or len(value) != shape[0]:
        return False
    if not value:
        return len(shape) == 1
    inner = shape[1:]
    return all(_has_shape(item, inner) for item in value)


Sampler = Callable[[random.Random, Mapping[str, Any], str], Any]


def _sampler(spec: ParamSpec) -> Sampler:
    """A function drawing one random parameter (a scalar, or nested lists of its shape).

    A tensor's elements are drawn in a row (row by row, as they are laid out) and then cut
    into rows: the same numbers as drawing each row in turn, with less work per number.
    """
    scalar = _scalar(spec)
    if spec.shape is None:
        return lambda rng, env, where: scalar(rng)
    shape, fill = spec.shape, _filler(spec, scalar)
    fixed = _fixed_shape(shape)

    def sample(rng: random.Random, env: Mapping[str, Any], where: str) -> Any:
        sizes = fixed or _resolved_shape(shape, env)
        count = math.prod(sizes)
        if count > MAX_ELEMENTS:
            raise ParamError(f"{where}: params.{spec.name}: more than {MAX_ELEMENTS} elements")
        if not spec.distinct:
            return _shaped(fill(rng, count), sizes)
        try:
            _check_enough(spec, count)
        except ParamError as error:
            raise ParamError(f"{where}: parameter {spec.name}: {error}") from None
        return _shaped(_distinct_values(count, lambda: scalar(rng)), sizes)

    return sample


def _fixed_shape(shape: tuple[int | str, ...]) -> tuple[int, ...] | None:
    """``shape`` if no size names a parameter, else None (it is resolved at each draw).

    An empty shape (a 0-d tensor) counts as not fixed, so that ``fixed or ...`` resolves it.
    """
    sizes = tuple(s for s in shape if isinstance(s, int))
    return sizes if sizes and len(sizes) == len(shape) else None


def _shaped(values: list[Any], sizes: tuple[int, ...]) -> Any:
    """The row-major ``values`` as nested lists of ``sizes`` (a single value for ``()``)."""
    if len(sizes) == 1:
        return values
    if not sizes:
        return values[0]
    inner = sizes[1:]
    step = math.prod(inner)
    return [_shaped(values[i * step : (i + 1) * step], inner) for i in range(sizes[0])]


def _filler(
    spec: ParamSpec, scalar: Callable[[random.Random], Any]
) -> Callable[[random.Random, int], list[Any]]:
    """A function drawing ``count`` scalars of ``spec`` in a row: ``scalar`` called that often.

    The usual grids get a loop of their own that makes the same calls on the generator, in the
    same order, and gives the same numbers as ``scalar``.
    """
    if spec.kind == "choice":
        options = spec.options

        def choices(rng: random.Random, count: int) -> list[Any]:
            choice = rng.choice
            return [choice(options) for _ in range(count)]

        return choices
    _, low, high = _grid(spec)
    span, table = high - low + 1, _table(spec)
    if spec.nonzero and not low == high == 0:
        return lambda rng, count: [scalar(rng) for _ in range(count)]
    if spec.kind == "int":

        def whole(rng: random.Random, count: int) -> list[Any]:
            uniform = rng.random
            return [low + int(uniform() * span) for _ in range(count)]

        return whole
    if table is not None:

        def decimals(rng: random.Random, count: int) -> list[Any]:
            uniform = rng.random
            return [table[int(uniform() * span)] for _ in range(count)]

        return decimals
    return lambda rng, count: [scalar(rng) for _ in range(count)]


def _distinct_values(count: int, draw: Callable[[], Any]) -> list[Any]:
    """``count`` draws that all differ, in the order drawn (a repeat is drawn again)."""
    values: list[Any] = []
    seen: set[Any] = set()
    while len(values) < count:
        value = draw()
        if value not in seen:
            seen.add(value)
            values.append(value)
    return values


def _scalar(spec: ParamSpec) -> Callable[[random.Random], Any]:
    """A function drawing one scalar of ``spec`` from the generator it is given."""
    if spec.kind == "choice":
        options = spec.options
        return lambda rng: rng.choice(options)
    scale, low, high = _grid(spec)
    span, places, table = high - low + 1, spec.places, _table(spec)
    may_be_zero = not spec.nonzero or low == high == 0
    whole = spec.kind == "int"
    # uniform on [low, high] (randint is 10x slower); one random number per value when 0 may
    # be drawn, so these shortcuts draw exactly what the loop below would
    if may_be_zero and whole:
        return lambda rng: low + int(rng.random() * span)
    if may_be_zero and table is not None:
        return lambda rng: table[int(rng.random() * span)]
    if may_be_zero:
        return lambda rng: round((low + int(rng.random() * span)) / scale, places)

    def draw(rng: random.Random) -> Any:  # never 0: a 0 is drawn again
        while True:
            k = low + int(rng.random() * span)
            if k != 0:
                break
        if whole:
            return k
        return table[k - low] if table is not None else round(k / scale, places)

    return draw


def _table(spec: ParamSpec) -> list[float] | None:
    """A decimal grid's values, worked out once: ``table[k - low] == round(k / scale, places)``.

    None for an int, or a grid of more than ``MAX_TABLE`` values (computed as drawn).
    """
    scale, low, high = _grid(spec)
    if spec.kind != "decimal" or not 0 < high - low + 1 <= MAX_TABLE:
        return None
    return [round(k / scale, spec.places) for k in range(low, high + 1)]


def _distinct(values: list[Any]) -> bool:
    return len(set(values)) == len(values)


def _mean(values: list[float]) -> float:
    return sum(values) / max(1, len(values))


def _apart(values: list[float], gap: float) -> bool:
    """True when every two values differ by more than ``gap * max(1, |a|, |b|)``.

    Constraints use it to keep a key and its misconceptions' answers clearly distinguishable.
    """
    return all(
        abs(a - b) > gap * max(1.0, abs(a), abs(b))
        for i, a in enumerate(values)
        for b in values[i + 1 :]
    )


def _flatten(value: Any) -> list[Any]:
    """The numbers of nested lists (or a single number) as one flat list, in order."""
    if not isinstance(value, list | tuple):
        return [value]
    if not any(isinstance(item, list | tuple) for item in value):
        return list(value)
    return [leaf for item in value for leaf in _flatten(item)]
