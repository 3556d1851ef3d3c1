"""The short ways of drawing and guarding: the same numbers, refusals and messages as the long ones.

Drawing a variant's parameters and the guards of every expression take shortcuts for the usual
case (a tensor's elements drawn in a row and cut into rows, a decimal grid's values worked out
once, two plain numbers added without a look at tensors, a call of one argument). Each test
here sets a shortcut against an independent statement of the rule it must keep: a reference
drawer written from the documented algorithm, Python's own operators, the budgets' stated
limits and their exact messages.
"""

from __future__ import annotations

import math
import operator
import random
from typing import Any

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from studykit.questions import compute
from studykit.questions.expressions import (
    ExpressionError,
    ExpressionLimitError,
    evaluate,
    new_scope,
    parse,
)
from studykit.questions.params import (
    CONSTRAINT_FUNCTIONS,
    DrawPlan,
    ParamError,
    ParamSpec,
    parse_param,
)

# --- drawing ------------------------------------------------------------------------------


def reference_scalar(spec: dict[str, Any], rng: random.Random) -> Any:
    """One value as the module docstring of `params` states it, one random number per try."""
    if "choice" in spec:
        return rng.choice(spec["choice"])
    whole = "int" in spec
    low, high = spec["int"] if whole else spec["decimal"]
    scale = 1 if whole else 10 ** spec.get("places", 1)
    first, last = math.ceil(low * scale), math.floor(high * scale)
    while True:
        k = first + int(rng.random() * (last - first + 1))
        if k != 0 or not spec.get("nonzero") or first == last == 0:
            return k if whole else round(k / scale, spec.get("places", 1))


def reference_tensor(spec: dict[str, Any], sizes: list[int], rng: random.Random) -> Any:
    """Nested lists filled row by row; a distinct tensor draws a repeated value again."""
    seen: set[Any] = set()

    def element() -> Any:
        while True:
            value = reference_scalar(spec, rng)
            if not spec.get("distinct") or value not in seen:
                seen.add(value)
                return value

    def fill(shape: list[int]) -> Any:
        if not shape:
            return element()
        return [fill(shape[1:]) for _ in range(shape[0])]

    return fill(sizes)


def reference_draw(params: dict[str, dict[str, Any]], rng: random.Random) -> dict[str, Any]:
    """Every parameter in the order written (no constraints, no derived values)."""
    out: dict[str, Any] = {}
    for name, spec in params.items():
        if "tensor" in spec:
            sizes = [out[s] if isinstance(s, str) else s for s in spec["tensor"]]
            out[name] = reference_tensor(spec, sizes, rng)
        else:
            out[name] = reference_scalar(spec, rng)
    return out


def plan_of(params: dict[str, dict[str, Any]], constraints: tuple[str, ...] = ()) -> DrawPlan:
    specs: dict[str, ParamSpec] = {}
    for name, spec in params.items():
        specs[name] = parse_param(name, spec, specs)
    return DrawPlan(tuple(specs.values()), tuple(parse(c) for c in constraints))


DRAWN: dict[str, dict[str, dict[str, Any]]] = {
    "ints": {"a": {"int": [-3, 3]}, "b": {"int": [-3, 3], "nonzero": True}},
    "decimals": {
        "a": {"decimal": [-1, 1], "places": 2},
        "b": {"decimal": [-1, 1], "places": 2, "nonzero": True},
        "c": {"decimal": [0.25, 0.75]},
    },
    "wide grids, computed as drawn": {
        "a": {"decimal": [0, 100], "places": 3},
        "b": {"decimal": [-50, 50], "places": 3, "nonzero": True},
        "t": {"tensor": [3], "decimal": [-50, 50], "places": 4},
    },
    "an empty grid draws what the formula gives": {"a": {"decimal": [0.11, 0.12], "places": 1}},
    "only zero": {"a": {"int": [0, 0], "nonzero": True}, "t": {"tensor": [2], "int": [0, 0]}},
    "choices": {"a": {"choice": [1, "x", 2.5]}, "t": {"tensor": [2, 2], "choice": [0, 1]}},
    "tensors": {
        "m": {"tensor": [2, 3], "int": [0, 9]},
        "v": {"tensor": [4], "decimal": [-1, 1], "places": 1},
        "c": {"tensor": [2, 2, 2], "decimal": [-2, 2], "places": 2, "nonzero": True},
        "z": {"tensor": [], "int": [1, 5]},
    },
    "empty tensors": {
        "e": {"tensor": [0], "int": [0, 9]},
        "r": {"tensor": [3, 0], "int": [0, 9]},
        "s": {"tensor": [0, 3], "decimal": [0, 1]},
        "after": {"int": [0, 99]},
    },
    "named sizes": {
        "n": {"int": [1, 4]},
        "k": {"choice": [2, 3]},
        "x": {"tensor": ["n", "k"], "decimal": [-1, 1], "places": 1},
        "y": {"tensor": ["k"], "int": [-5, 5], "nonzero": True},
    },
    "distinct": {
        "d": {"tensor": [4], "int": [0, 5], "distinct": True},
        "e": {"tensor": [2, 3], "decimal": [0, 1], "places": 1, "distinct": True},
        "f": {"tensor": [3], "choice": [1, 2, 3, 4], "distinct": True},
        "g": {"tensor": [3], "int": [-2, 2], "nonzero": True, "distinct": True},
    },
}


@pytest.mark.parametrize("case", list(DRAWN))
def test_parameters_are_the_numbers_of_the_documented_draw(case: str) -> None:
    params = DRAWN[case]
    plan = plan_of(params)
    for seed in range(60):
        drawn = plan.draw(random.Random(f"t/{seed}"), "t.yaml")
        expected = reference_draw(params, random.Random(f"t/{seed}"))
        assert repr(drawn) == repr(expected)  # the same values and the same types


def test_a_derived_value_is_computed_only_once_a_constraint_let_the_draw_through() -> None:
    # ``1 / x`` would fail for x == 0; the constraint rejects those draws before it is needed
    params: dict[str, dict[str, Any]] = {
        "x": {"int": [0, 2]},
        "inv": {"derived": "1 / x"},
        "dbl": {"derived": "2 * inv"},
    }
    plan = plan_of(params, ("x != 0", "dbl > 0"))
    rejected = 0
    for seed in range(40):
        rng = random.Random(f"t/{seed}")
        drawn = plan.draw(rng, "t.yaml")
        first = random.Random(f"t/{seed}")
        while (x := reference_scalar(params["x"], first)) == 0:
            rejected += 1
        assert drawn == {"x": x, "inv": 1 / x, "dbl": 2 * (1 / x)}
    assert rejected > 0  # some draws were rejected, and none of them divided by zero


def test_errors_name_the_field_that_failed() -> None:
    plan = plan_of({"x": {"int": [0, 0]}, "inv": {"derived": "1 / x"}}, ("inv > 0",))
    with pytest.raises(ParamError, match=r"^t\.yaml: params\.inv: '1 / x' failed: division by"):
        plan.draw(random.Random(0), "t.yaml")
    plan = plan_of({"x": {"int": [0, 3]}}, ("x >= 0", "x.real"))
    with pytest.raises(ParamError, match=r"^t\.yaml: constraints\.1: attribute \.real is not"):
        plan.draw(random.Random(0), "t.yaml")
    plan = plan_of({"x": {"int": [0, 3]}, "t": {"derived": "[x]", "tensor": [2]}})
    with pytest.raises(ParamError, match=r"parameter t: the derived value is not a tensor of "):
        plan.draw(random.Random(0), "t.yaml")


@pytest.mark.parametrize(
    ("value", "shape", "fits"),
    [
        ([1, 2.5], (2,), True),
        ([[1, 2], [3, 4]], (2, 2), True),
        ([], (0,), True),
        ([], (0, 3), False),  # an empty list has the shape (0,) only
        ([[], []], (2, 0), True),
        ([[1], [2, 3]], (2, 1), False),
        ([True, 1], (2,), False),
        (3, (), True),
        ([3], (), False),
        ([[1, 2], 3], (2, 2), False),
    ],
)
def test_a_derived_tensor_must_have_exactly_its_declared_shape(
    value: Any, shape: tuple[int, ...], fits: bool
) -> None:
    declared = list(shape)
    plan = plan_of({"v": {"derived": repr(value), "tensor": declared}})
    if fits:
        assert plan.draw(random.Random(0), "t.yaml") == {"v": value}
    else:
        with pytest.raises(ParamError, match="is not a tensor of the declared shape"):
            plan.draw(random.Random(0), "t.yaml")


# --- the operators' guards -------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(-(2**600), 2**600),
    st.integers(-50, 50),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
APPLY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def plain_or_error(symbol: str, left: Any, right: Any) -> tuple[str, Any]:
    """What Python itself gives, or the error it raises, with the bit budget stated apart."""
    whole = symbol == "*" and type(left) is int and type(right) is int
    if whole and left.bit_length() + right.bit_length() > 1024:
        return "refused", "an integer of more than 1024 bits"
    try:
        return "value", APPLY[symbol](left, right)
    except (ZeroDivisionError, OverflowError) as error:
        return "error", type(error).__name__


def guarded(symbol: str, left: Any, right: Any) -> tuple[str, Any]:
    env = new_scope({"a": left, "b": right})
    try:
        return "value", evaluate(parse(f"a {symbol} b"), env)
    except ExpressionLimitError as error:
        return "refused", str(error).removesuffix(f" (in 'a {symbol} b')")
    except ExpressionError as error:
        return "error", "ZeroDivisionError" if "division" in str(error) else "OverflowError"


@given(st.sampled_from(list(APPLY)), NUMBERS, NUMBERS)
def test_two_plain_numbers_compute_as_python_does_within_the_bit_budget(
    symbol: str, left: Any, right: Any
) -> None:
    kind, value = guarded(symbol, left, right)
    expected_kind, expected = plain_or_error(symbol, left, right)
    assert kind == expected_kind
    if kind == "value":
        assert type(value) is type(expected)
        assert repr(value) == repr(expected)  # nan and -0.0 included
    else:
        assert value == expected


@pytest.mark.parametrize(
    ("left_bits", "right_bits"),
    [(512, 512), (513, 512), (513, 511), (600, 600), (1, 1023), (1, 1024), (0, 1025), (2, 3)],
)
@pytest.mark.parametrize("sign", [1, -1])
def test_a_product_of_two_ints_is_refused_exactly_past_the_bit_budget(
    left_bits: int, right_bits: int, sign: int
) -> None:
    left = sign * 2 ** (left_bits - 1) if left_bits else 0
    right = 2**right_bits - 1  # all ones: right_bits bits
    assert (left.bit_length(), right.bit_length()) == (left_bits, right_bits)
    env = new_scope({"a": left, "b": right})
    if left_bits + right_bits > 1024:
        with pytest.raises(ExpressionLimitError, match=r"^an integer of more than 1024 bits \(in"):
            evaluate(parse("a * b"), env)
    else:
        assert evaluate(parse("a * b"), env) == left * right


@given(
    st.one_of(st.floats(-10, 10), st.integers(-(2**70), 2**70), st.booleans()),
    st.one_of(st.floats(-1500, 1500), st.integers(-1500, 1500), st.just(float("nan"))),
)
def test_powers_of_plain_numbers_keep_their_limits(base: Any, exponent: Any) -> None:
    env = new_scope({"a": base, "b": exponent})
    limited = isinstance(exponent, int | float) and abs(exponent) > 1000
    whole = isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1
    too_big = whole and (abs(exponent) > 64 or base.bit_length() * exponent > 1024)
    if limited or too_big:
        with pytest.raises(ExpressionLimitError, match=r"^(exponent|integer power) "):
            evaluate(parse("a ** b"), env)
        return
    try:
        expected = base**exponent
    except (ZeroDivisionError, OverflowError):
        with pytest.raises(ExpressionError, match="failed"):
            evaluate(parse("a ** b"), env)
        return
    assert repr(evaluate(parse("a ** b"), env)) == repr(expected)


def test_the_power_messages_are_unchanged() -> None:
    env = new_scope({"x": 2.0, "n": 3})
    with pytest.raises(ExpressionLimitError, match=r"^exponent 1000\.5 is over the limit of 1000"):
        evaluate(parse("x ** 1000.5"), env)
    with pytest.raises(ExpressionLimitError, match=r"^integer power 3 \*\* 65 is too large"):
        evaluate(parse("n ** 65"), env)
    assert evaluate(parse("x ** 1000"), env) == 2.0**1000


# --- calls -----------------------------------------------------------------------------------


def studykit_scope(**values: Any) -> dict[str, Any]:
    return compute.studykit_env(values)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("torch.zeros((2000, 2000))", r"the size \(2000, 2000\) is over the limit of 1,000,000"),
        ("torch.zeros((2000, 2000), dtype=torch.float64)", r"the size \(2000, 2000\) is over"),
        ("max((100000, 100000))", r"the size \(100000, 100000\) is over the limit"),
        ("sum(torch.Size([5000, 5000]))", r"the size torch\.Size\(\[5000, 5000\]\) is over"),
        ("grow(2000000)", r"a tensor of 2,000,000 elements is over the limit of 1,000,000"),
        ("grow(n=2000000)", r"a tensor of 2,000,000 elements is over the limit of 1,000,000"),
        ("t.repeat(2000000)", r"attribute \.repeat is not available on Tensor"),
        ("n(1)", r"a int is not a function"),
        ("n()", r"a int is not a function"),
    ],
)
def test_calls_of_one_argument_keep_every_check(source: str, message: str) -> None:
    env = studykit_scope(n=3, t=torch.zeros(2), grow=lambda n: torch.zeros(n))
    with pytest.raises(ExpressionError, match=message):
        evaluate(parse(source), env)


def test_calls_of_one_argument_give_what_the_function_gives() -> None:
    env = studykit_scope(t=torch.tensor([1.0, -2.0]), xs=[3, 1, 2])
    assert evaluate(parse("abs(-2.5)"), env) == 2.5
    assert evaluate(parse("sorted(xs)"), env) == [1, 2, 3]
    assert evaluate(parse("len((1, 2, 3))"), env) == 3  # a small tuple passes as a size
    assert torch.equal(evaluate(parse("torch.zeros_like(t)"), env), torch.zeros(2))
    assert evaluate(parse("t.abs().sum().item()"), env) == 3.0


def test_a_broadcast_of_two_tensors_past_the_budget_is_still_refused() -> None:
    env = studykit_scope(a=torch.zeros(2000, 1), b=torch.zeros(1, 2000))
    with pytest.raises(ExpressionLimitError, match=r"broadcasting \(2000, 1\) and \(1, 2000\)"):
        evaluate(parse("a + b"), env)
    shapes = r"\(2000, 1\) and \(2000, 1\) and \(1, 2000\)"  # the condition too
    with pytest.raises(ExpressionLimitError, match=rf"^broadcasting {shapes} is over the limit"):
        evaluate(parse("torch.where(a > 0, a, b)"), env)


def test_helpers_of_the_constraint_scope_run_through_the_guards() -> None:
    scope = new_scope(CONSTRAINT_FUNCTIONS)
    scope.update(v=[0.5, 1.5, 3.0], n=4)
    expression = parse("[log(sum(exp(x) for x in v)) - x for x in v]")
    expected = [math.log(sum(math.exp(x) for x in scope["v"])) - x for x in scope["v"]]
    assert evaluate(expression, scope) == expected
    with pytest.raises(ExpressionLimitError, match="a range of more than 10000 numbers"):
        evaluate(parse("range(20000)"), scope)
