"""The template expression language: what it refuses when parsing, and its runtime guards."""

from __future__ import annotations

import pytest
import torch

from studykit.questions import compute
from studykit.questions.expressions import (
    MAX_ITERATIONS,
    ExpressionError,
    ExpressionLimitError,
    evaluate,
    function_variable,
    new_scope,
    parse,
)
from studykit.questions.params import CONSTRAINT_FUNCTIONS


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


def test_a_dotted_function_is_one_variable_and_modules_are_never_reached() -> None:
    expression = parse("losses.absolute(-2)")
    assert expression.functions == {"losses.absolute"}
    assert evaluate(expression, {function_variable("losses.absolute"): abs}) == 2
    # Not bound in the environment: the name the template wrote is reported.
    with pytest.raises(ExpressionError, match=r"unknown name 'losses\.system'"):
        evaluate(parse("losses.system('id')"), {})


@pytest.mark.parametrize(
    "source",
    [
        "torch",
        "F",
        "procedures.gradient(losses, 1)",
        "[torch][0].zeros(2)",
        "(torch if 1 else F).zeros(2)",
    ],
)
def test_a_namespace_is_not_a_value(source: str) -> None:
    with pytest.raises(ExpressionError, match="is a namespace, not a value"):
        parse(source)


@pytest.mark.parametrize(
    "source",
    [
        "F.torch.os.system('id')",
        "F.dataclasses.builtins.eval('1')",
        "torch.nn.modules.module.torch.os.system('id')",
        "torch.optim.sgd.torch.os.system('id')",
        "losses.torch.os.system('id')",
    ],
)
def test_module_attributes_lead_nowhere(source: str) -> None:
    """The whole dotted name is one variable; no environment binds these, so nothing runs."""
    expression = parse(source)
    assert len(expression.functions) == 1
    for env in (compute.studykit_env({}), compute.oracle_env({})):
        with pytest.raises(ExpressionError, match="unknown name"):
            evaluate(expression, env)


def test_powers_are_capped() -> None:
    assert evaluate(parse("2 ** 10"), {}) == 1024
    with pytest.raises(ExpressionLimitError, match="exponent 10000 is over the limit"):
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


def _studykit(source: str, **params: object) -> object:
    return evaluate(parse(source), compute.studykit_env(params))


def _oracle(source: str, **params: object) -> object:
    return evaluate(parse(source), compute.oracle_env(params))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("sum(range(10**12))", "a range of more than 10000 numbers"),
        ("len(list(range(10**30)))", "a range of more than 10000 numbers"),
        ("((10**64)**64)**64", r"integer power .* is too large"),
        ("(10**64)**64**64", r"exponent <385-bit integer> is over the limit of 1000"),
        ("n ** 64 ** 64", r"exponent <385-bit integer> is over the limit of 1000"),
        ("'a' * 10**9", "a list or text of more than 10000 items"),
        ("[0] * 10**9", "a list or text of more than 10000 items"),
        ("10**9 * [0]", "a list or text of more than 10000 items"),
        ("len([[0] * 9000 + [1] * 9000 for k in range(3)])", "more than 10000 items"),
        ("sum([k for k in range(9000)] + [k for k in range(9000)])", "more than 10000"),
        ("torch.zeros(200000, 200000)", r"torch\.zeros would make 40,000,000,000 elements"),
        ("torch.zeros((200000, 200000))", r"the size \(200000, 200000\) is over the limit"),
        ("torch.ones(10**7)", "over the limit of 1,000,000"),
        ("torch.full((5000, 5000), 1.0)", "over the limit of 1,000,000"),
        ("torch.arange(10**9)", "over the limit of 1,000,000"),
        ("torch.linspace(0, 1, 10**9)", "over the limit of 1,000,000"),
        ("torch.eye(5000)", "over the limit of 1,000,000"),
        ("torch.tensor([[0.0] * 5000] * 5000)", "over the limit of 1,000,000"),
        (
            "torch.zeros(5000, 1) + torch.zeros(1, 5000)",
            r"broadcasting \(5000, 1\) and \(1, 5000\) is over the limit",
        ),
        ("torch.zeros(5000, 1) @ torch.zeros(1, 5000)", r"the product .* is over the limit"),
        # every operator's guard, past its shortcut for two plain numbers
        ("(2**60) ** 10 * (2**60) ** 10", "an integer of more than 1024 bits"),
        ("'a' * 9000 + 'b' * 9000", "a list or text of more than 10000 items"),
        ("torch.zeros(5000, 1) - torch.zeros(1, 5000)", r"broadcasting .* is over the limit"),
        ("torch.zeros(5000, 1) * torch.zeros(1, 5000)", r"broadcasting .* is over the limit"),
        ("torch.zeros(5000, 1) / torch.ones(1, 5000)", r"broadcasting .* is over the limit"),
        ("tensors.matmul(torch.zeros(5000, 1), torch.zeros(1, 5000))", "broadcasting"),
        ("models.init_params((5000, 5000))", "over the limit of 1,000,000"),
    ],
)
def test_budgets_bite_before_the_work_is_done(source: str, message: str) -> None:
    with pytest.raises(ExpressionLimitError, match=message):
        _studykit(source, n=10)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("torch.nn.RNN(20000, 20000)", r"torch\.nn\.RNN would make"),
        ("torch.nn.LSTM(input_size=20000, hidden_size=20000)", r"torch\.nn\.LSTM would make"),
        ("torch.matmul(torch.zeros(5000, 1), torch.zeros(1, 5000))", "broadcasting"),
        ("F.mse_loss(torch.zeros(5000, 1), torch.zeros(1, 5000))", "broadcasting"),
    ],
)
def test_the_oracle_runs_under_the_same_budgets(source: str, message: str) -> None:
    with pytest.raises(ExpressionLimitError, match=message):
        _oracle(source)


def test_the_operators_of_plain_numbers_compute_as_python_does() -> None:
    source = "(n + 0.1) * 3 - n / 4 + True * 2.5 - 7 * n + 2**60 * 3 - n // 2 + n % 3"
    n = 11
    expected = (n + 0.1) * 3 - n / 4 + True * 2.5 - 7 * n + 2**60 * 3 - n // 2 + n % 3
    assert _studykit(source, n=n) == expected
    assert _studykit("[n] * 2 + [1.5]", n=n) == [n, n, 1.5]
    with pytest.raises(ExpressionError, match="division by zero"):
        _studykit("n / 0", n=n)


def test_values_within_the_budgets_still_compute() -> None:
    assert _studykit("sum(range(100))") == 4950
    assert _studykit("(2 ** 10) ** 3") == 2**30
    assert _studykit("len('ab' * 100 + 'c')") == 201
    assert _studykit("torch.zeros(1000, 1000).numel()") == 10**6
    assert _studykit("tuple((torch.zeros(3, 1) + torch.zeros(1, 4)).shape)") == (3, 4)
    assert _oracle("tuple(torch.nn.RNN(3, 5)(torch.zeros(2, 1, 3))[0].shape)") == (2, 1, 5)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("(1, 2).sum()", r"attribute \.sum is not available on tuple"),
        ("torch.Generator().manual_seed(1)", r"attribute \.manual_seed is not available"),
        ("torch.zeros(2).shape.index(2)", r"attribute \.index is not available on Size"),
        ("'%0999999999d' % 1", "string formatting with % is not allowed"),
        ("n(3)", "a int is not a function"),
        ("torch.zeros(2).numpy()", r"attribute \.numpy is not available on Tensor"),
    ],
)
def test_refused_operations_are_one_line_expression_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message) as caught:
        _studykit(source, n=3)
    assert "\n" not in str(caught.value)


def test_numbers_and_nesting_past_the_limits_are_refused_when_parsing() -> None:
    with pytest.raises(ExpressionError, match="more than 1024 bits"):
        parse("9" * 400)
    for deep in ("-" * 499 + "1", "[" * 249 + "]" * 249):
        with pytest.raises(ExpressionError, match=r"cannot parse|nested too deeply"):
            parse(deep)


def test_plain_helpers_have_the_guarded_range() -> None:
    from studykit.questions.limits import LimitError

    with pytest.raises(LimitError, match="range"):
        CONSTRAINT_FUNCTIONS["range"](10**12)  # type: ignore[operator]
