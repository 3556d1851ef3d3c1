"""The template expression language: what it refuses when parsing, and its runtime guards."""

from __future__ import annotations

import pytest
import torch

from studykit.questions.expressions import (
    MAX_ITERATIONS,
    ExpressionError,
    Namespace,
    evaluate,
    new_scope,
    parse,
)


def test_arithmetic_calls_comprehensions_and_tensor_attributes() -> None:
    env = {"n": 3, "t": torch.tensor([1.0, 2.0]), "sum": sum, "range": range}
    assert evaluate(parse("n * 2 + 1"), env) == 7
    assert evaluate(parse("sum([k * k for k in range(n)])"), env) == 5
    assert evaluate(parse("t.sum().item()"), env) == 3.0
    assert evaluate(parse("t.shape"), env) == torch.Size([2])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__import__('os')", "names starting with _"),
        ("t.__class__", "private attribute"),
        ("(lambda: 0)()", "Lambda is not allowed"),
        ("f'{n}'", "JoinedStr is not allowed"),
        ("(m := 1)", "NamedExpr is not allowed"),
        ("g(**kw)", "**kwargs is not allowed"),
        ("n +", "cannot parse"),
        ("1" * 501, "longer than 500"),
    ],
)
def test_parsing_refuses_what_is_outside_the_whitelist(source: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message.replace("*", r"\*")):
        parse(source)


def test_builtins_are_not_reachable() -> None:
    with pytest.raises(ExpressionError, match="unknown name 'open'"):
        evaluate(parse("open('x')"), {})


def test_a_tensor_attribute_outside_the_whitelist_is_refused_at_run_time() -> None:
    with pytest.raises(ExpressionError, match=r"attribute \.numpy is not available on Tensor"):
        evaluate(parse("t.numpy()"), {"t": torch.zeros(2)})
    with pytest.raises(ExpressionError, match=r"attribute \.real is not available on int"):
        evaluate(parse("n.real"), {"n": 3})


def test_a_namespace_gives_only_its_members() -> None:
    space = Namespace("losses", lambda name: abs if name == "absolute" else None)
    assert evaluate(parse("losses.absolute(-2)"), {"losses": space}) == 2
    with pytest.raises(ExpressionError, match=r"losses\.system is not available"):
        evaluate(parse("losses.system"), {"losses": space})


def test_a_namespace_resolves_each_member_once_and_keeps_refusing_the_rest() -> None:
    asked: list[str] = []

    def members(name: str) -> object | None:
        asked.append(name)
        return abs if name == "absolute" else None

    space = Namespace("losses", members)
    for _ in range(3):
        assert evaluate(parse("losses.absolute(-2)"), {"losses": space}) == 2
        with pytest.raises(ExpressionError, match=r"losses\.system is not available"):
            evaluate(parse("losses.system"), {"losses": space})
    assert asked == ["absolute", "system", "system", "system"]


def test_powers_are_capped() -> None:
    assert evaluate(parse("2 ** 10"), {}) == 1024
    with pytest.raises(ExpressionError, match="exponent 10000 is over the limit"):
        evaluate(parse("2.0 ** 10000"), {})
    with pytest.raises(ExpressionError, match="integer power 9 \\*\\* 99 is too large"):
        evaluate(parse("9 ** 99"), {})
    # A small literal exponent needs no check; a computed one is checked whatever it is.
    assert evaluate(parse("n ** 2 + n ** -1 + n ** 0.5"), {"n": 4}) == 16.25 + 2
    with pytest.raises(ExpressionError, match="integer power 9 \\*\\* 99 is too large"):
        evaluate(parse("n ** k"), {"n": 9, "k": 99})
    with pytest.raises(ExpressionError, match="exponent 1001 is over the limit"):
        evaluate(parse("2.0 ** (k + 1)"), {"k": 1000})


def test_loops_are_capped_per_evaluation_also_in_a_shared_scope() -> None:
    env = {"range": range, "len": len}
    loop = parse(f"len([k for k in range({MAX_ITERATIONS // 2 + 1})])")
    scope = new_scope(env)
    # Each evaluation counts its own iterations: two evaluations of just over half the cap
    # each pass, in a fresh environment and in one shared scope alike.
    for _ in range(2):
        assert evaluate(loop, env) == MAX_ITERATIONS // 2 + 1
        assert evaluate(loop, scope) == MAX_ITERATIONS // 2 + 1
    nested = parse("len([i for i in range(200) for j in range(200)])")
    with pytest.raises(ExpressionError, match=f"more than {MAX_ITERATIONS} loop iterations"):
        evaluate(nested, scope)


def test_loops_over_iterators_are_counted_as_they_go() -> None:
    env = new_scope({"range": range, "zip": zip, "len": len, "iter": iter, "int": int})
    pairs = parse("len([a for a, b in zip(range(100), range(100)) for c in zip(range(99))])")
    assert evaluate(pairs, env) == 9900
    endless = parse("len([a for a in iter(int, 1)])")  # iter(int, 1) never stops
    with pytest.raises(ExpressionError, match=f"more than {MAX_ITERATIONS} loop iterations"):
        evaluate(endless, env)
    over = parse("len([a for a, b in zip(range(101), range(101)) for c in zip(range(99))])")
    with pytest.raises(ExpressionError, match=f"more than {MAX_ITERATIONS} loop iterations"):
        evaluate(over, env)


def test_a_shared_scope_keeps_values_added_to_it_and_nothing_else() -> None:
    scope = new_scope({"n": 2, "range": range})
    scope["m"] = evaluate(parse("n + 1"), scope)
    assert evaluate(parse("[k for k in range(m)]"), scope) == [0, 1, 2]
    assert "k" not in scope  # a comprehension's variable stays inside it
    assert evaluate(parse("m * n"), scope) == 6


def test_errors_of_the_computation_are_one_line_with_the_source() -> None:
    with pytest.raises(ExpressionError, match=r"'1 / n' failed: division by zero"):
        evaluate(parse("1 / n"), {"n": 0})
    with pytest.raises(ExpressionError, match=r"unknown name 'q' \(in 'q \+ 1'\)"):
        evaluate(parse("q + 1"), {})
