"""The answer parser: what it accepts, what it rejects (and how fast), and round trips."""

from __future__ import annotations

import builtins
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.questions.answers import (
    KINDS,
    Answer,
    AnswerError,
    Constant,
    Negate,
    Number,
    Power,
    Sum,
    Variable,
    evaluate,
    evaluate_points,
    normalize,
    parse_answer,
    tensor_shape,
)

# Expected values are written out by hand or computed with Python's own math, never by studykit.
ACCEPTED = [
    # number
    ("0.5", "number", 0.5),
    (".5", "number", 0.5),
    ("5.", "number", 5.0),
    ("-3", "number", -3.0),
    ("+3", "number", 3.0),
    ("--2", "number", 2.0),
    ("1e-3", "number", 0.001),
    ("2.5E+4", "number", 25000.0),
    ("1/4", "number", 0.25),
    ("1/3", "number", 1 / 3),
    ("1 - 2 - 3", "number", -4.0),
    ("12 / 2 / 3", "number", 2.0),
    ("(1 + 2) * 3", "number", 9.0),
    ("sqrt(2)/2", "number", math.sqrt(2) / 2),
    ("exp(0)", "number", 1.0),
    ("log(e)", "number", 1.0),
    ("ln(1)", "number", 0.0),
    ("pi", "number", math.pi),
    ("π/2", "number", math.pi / 2),
    ("e", "number", math.e),
    ("2^-1", "number", 0.5),
    ("2**-1", "number", 0.5),
    ("-2^2", "number", -4.0),
    ("2^3^2", "number", 512.0),
    ("2^-3^2", "number", 2.0**-9),
    ("(-2)^3", "number", -8.0),
    ("0^0", "number", 1.0),
    ("1e-400", "number", 0.0),
    ("−0.5", "number", -0.5),  # U+2212 MINUS SIGN
    ("– 1", "number", -1.0),  # en dash
    ("—1", "number", -1.0),  # em dash
    ("－1", "number", -1.0),  # full-width hyphen-minus
    ("１２３", "number", 123.0),  # full-width digits
    ("（１＋２）", "number", 3.0),  # full-width parentheses and plus
    ("½", "number", 0.5),  # NFKC gives 1⁄2 with U+2044 FRACTION SLASH
    ("3/4", "number", 0.75),
    ("3²", "number", 9.0),
    ("10⁻³", "number", 0.001),
    ("2×3", "number", 6.0),
    ("6÷4", "number", 1.5),
    ("2·3", "number", 6.0),
    ("\u3000 0.25 \t\n", "number", 0.25),
    ("1" * 30, "number", float("1" * 30)),
    ("1e300", "number", 1e300),
    # integer
    ("12", "integer", 12),
    ("24/2", "integer", 12),
    ("1e2", "integer", 100),
    ("-7", "integer", -7),
    ("１２", "integer", 12),
    ("2^10", "integer", 1024),
    ("sqrt(16)", "integer", 4),
    ("12.0", "integer", 12),
    # choice
    ("b", "choice", "B"),
    ("B", "choice", "B"),
    ("(b)", "choice", "B"),
    ("b)", "choice", "B"),
    ("b.", "choice", "B"),
    (" ( c ) ", "choice", "C"),
    ("Ｄ", "choice", "D"),
    ("z", "choice", "Z"),
]

TENSORS = [
    ("[[1, 2], [3, 4.5]]", [[1.0, 2.0], [3.0, 4.5]], (2, 2)),
    ("2.5", 2.5, ()),
    ("-1/2", -0.5, ()),
    ("[2.5]", [2.5], (1,)),
    ("tensor([1, 2])", [1.0, 2.0], (2,)),
    ("torch.tensor([[1/2], [sqrt(4)]])", [[0.5], [2.0]], (2, 1)),
    ("tensor(3.)", 3.0, ()),
    ("[]", [], (0,)),
    ("[[]]", [[]], (1, 0)),
    ("[1, 2,]", [1.0, 2.0], (2,)),
    ("[-1e-3, 2^-1, −2]", [-0.001, 0.5, -2.0], (3,)),
    ("[[[1], [2]], [[3], [4]]]", [[[1.0], [2.0]], [[3.0], [4.0]]], (2, 2, 1)),
    ("［１, ２］", [1.0, 2.0], (2,)),
]

SHAPES = [
    ("(2, 3)", (2, 3)),
    ("(2,)", (2,)),
    ("()", ()),
    ("[2, 3]", (2, 3)),
    ("[]", ()),
    ("2, 3", (2, 3)),
    ("2,", (2,)),
    ("4", (4,)),
    ("(4)", (4,)),
    ("2x3", (2, 3)),
    ("2 X 3 x 4", (2, 3, 4)),
    ("2 × 3", (2, 3)),
    ("2*3", (2, 3)),
    ("torch.Size([2, 3])", (2, 3)),
    ("Size([2,3])", (2, 3)),
    ("torch.Size([])", ()),
    ("torch.Size((0, 5))", (0, 5)),
    ("（２, ３）", (2, 3)),
]

REJECTED = [
    ("", "number", "empty answer"),
    ("  \t ", "tensor", "empty answer"),
    ("1 +", "number", "unexpected end of answer"),
    ("(1", "number", "missing ')' for the '(' at position 1"),
    ("1)", "number", "unexpected ')' at position 2"),
    ("1 + )", "number", "unexpected ')' at position 5"),
    ("foo", "number", "unknown name 'foo' (allowed: sqrt, exp, log, ln, pi, e)"),
    ("x", "number", "unknown name 'x'"),
    ("sin(1)", "number", "unknown name 'sin'"),
    ("y", "expression", "unknown name 'y' (allowed: x, sqrt,"),
    ("sqrt 2", "number", "'sqrt' needs parentheses"),
    ("2x", "expression", "missing operator before 'x' at position 2"),
    ("x(1-x)", "expression", "missing operator before '(' at position 2"),
    ("2e", "number", "missing operator before 'e'"),
    ("1,5", "number", "unexpected ',' at position 2"),
    ("1½", "number", "missing operator"),  # not silently 11/2
    ("$5", "number", "unexpected character '$' at position 1"),
    ("9**9**9", "number", "exponent too large: 9**9 is over the limit"),
    ("2^(2^20)", "number", "exponent too large: (2^20) is over the limit"),
    ("x^(9^9)", "expression", "exponent too large: (9^9) is over the limit"),
    ("2^2^2^2^2^2^2^2^2^2", "number", "more than 8 powers in a row"),
    ("1/0", "number", "division by zero in 1/0"),
    ("x + 1/(1-1)", "expression", "division by zero"),
    ("0^-1", "number", "division by zero"),
    ("log(0)", "number", "log of a non-positive number"),
    ("ln(-1)", "number", "log of a non-positive number"),
    ("sqrt(-1)", "number", "sqrt of a negative number"),
    ("(-8)^(1/3)", "number", "negative number to a fractional power in (-8)^(1/3)"),
    ("1e301", "number", "number too large: 1e301 is over 1e300"),
    ("1e300*10", "number", "number too large"),
    ("1e300+1e300", "number", "number too large"),
    ("exp(1000)", "number", "number too large: exp(1000)"),
    ("1e1000", "number", "out of range"),
    ("1" * 31, "number", "has more than 30 digits"),
    ("0." + "1" * 30, "number", "has more than 30 digits"),
    ("a" * 2001, "number", "answer longer than 2000 characters"),
    ("((((((((1))))))))", "number", "nesting deeper than 6 levels"),
    ("[[[[[[[1]]]]]]]", "tensor", "nesting deeper than 6 levels"),
    ("1+" * 600 + "1", "number", "more than 1000 numbers and symbols"),
    ("2.5", "integer", "expected a whole number, got 2.5"),
    ("1/3", "integer", "expected a whole number"),
    ("[[1, 2], [3, 4, 5]]", "tensor", "row 2 has 3 entries, expected 2"),
    ("[[1, 2], [3]]", "tensor", "row 2 has 1 entry, expected 2"),
    ("[[[1, 2]], [[1]]]", "tensor", "the list at [1, 0] has 1 entry, expected 2"),
    ("[1, [2]]", "tensor", "the item at [1] is a list, expected a number"),
    ("[[1], 2]", "tensor", "the item at [1] is a number, expected a list"),
    ("1, 2", "tensor", "write a list in brackets"),
    ("[1 2]", "tensor", "missing ',' before '2' at position 4"),
    ("[1, 2", "tensor", "missing ']' for the '[' at position 1"),
    ("tensor([1, 2]", "tensor", "missing ')'"),
    ("[x]", "tensor", "unknown name 'x'"),
    ("(2, -3)", "shape", "shape entries cannot be negative, got -3"),
    ("(2.5, 3)", "shape", "shape entries must be whole numbers, got 2.5"),
    ("two", "shape", "expected a shape like (2, 3)"),
    ("2 3", "shape", "expected a shape like (2, 3)"),
    ("((2, 3))", "shape", "expected a shape like (2, 3)"),
    ("(2, 3", "shape", "missing ')'"),
    ("bb", "choice", "expected one letter like B"),
    ("(b", "choice", "expected one letter like B"),
    ("1", "choice", "expected one letter like B"),
]

HOSTILE = [
    "__import__('os').system('echo hi')",
    "().__class__.__bases__",
    "9**9**9",
    "10**10**10",
    "[" * 100_000,
    "1" * 10_000_000,
    "(" * 500 + "1" + ")" * 500,
    "exp(exp(exp(100)))",
    "lambda: 0",
    "x.__class__",
    "open('/etc/passwd').read()",
    "1; import os",
    "x if 1 else 2",
    "[i for i in range(10**9)]",
]


@pytest.fixture
def no_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make eval/exec/compile raise, to show that parsing never reaches them."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser must not call eval/exec/compile")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, refuse)


@pytest.mark.usefixtures("no_eval")
@pytest.mark.parametrize(("text", "kind", "value"), ACCEPTED)
def test_accepted(text: str, kind: str, value: object) -> None:
    answer = parse_answer(text, kind)  # type: ignore[arg-type]
    assert answer.kind == kind
    assert type(answer.value) is type(value)
    assert answer.value == value
    assert answer.shape == ()


@pytest.mark.usefixtures("no_eval")
@pytest.mark.parametrize(("text", "value", "shape"), TENSORS)
def test_accepted_tensors(text: str, value: object, shape: tuple[int, ...]) -> None:
    answer = parse_answer(text, "tensor")
    assert answer.value == value
    assert answer.shape == shape


@pytest.mark.usefixtures("no_eval")
@pytest.mark.parametrize(("text", "dims"), SHAPES)
def test_accepted_shapes(text: str, dims: tuple[int, ...]) -> None:
    answer = parse_answer(text, "shape")
    assert answer.value == dims
    assert answer.shape == (len(dims),)


@pytest.mark.usefixtures("no_eval")
@pytest.mark.parametrize(("text", "kind", "fragment"), REJECTED)
def test_rejected_with_a_one_line_message(text: str, kind: str, fragment: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_answer(text, kind)  # type: ignore[arg-type]
    message = str(info.value)
    assert fragment in message
    assert len(message.splitlines()) == 1
    assert len(message) < 200


def test_normalize() -> None:
    assert normalize(" −１２³ × ½ ") == "-12^(3) * (1/2)"
    assert normalize("10⁻³") == "10^(-3)"
    assert normalize("x²") == "x^(2)"
    assert normalize("６÷３") == "6/3"
    assert normalize("a\u2010b\u2012c\u2013d\u2014e\ufe63f\uff0dg") == "a-b-c-d-e-f-g"


def test_the_answer_keeps_the_normalized_text() -> None:
    assert parse_answer("  １/２ ", "number").text == "1/2"


def test_power_and_sign_structure() -> None:
    two, three = Number(2.0), Number(3.0)
    assert parse_answer("2^-3^2", "expression").value == Power(
        two, Negate(Power(three, Number(2.0)))
    )
    assert parse_answer("-2^2", "expression").value == Negate(Power(two, two))
    assert parse_answer("--x", "expression").value == Variable("x")
    assert parse_answer("1 - 2 - 3", "expression").value == Sum(
        Number(1.0), (("-", two), ("-", three))
    )
    assert parse_answer("π", "expression").value == Constant("pi")


def test_expressions_evaluate_like_python_math() -> None:
    cases = {
        "x*(1-x)": lambda x: x * (1 - x),
        "exp(-x)/(1+exp(-x))^2": lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2,
        "sin(x)^2 + cos(x)^2": lambda x: 1.0,
        "tanh(x) - ln(x^2)": lambda x: math.tanh(x) - math.log(x**2),
        "2^x * pi / e": lambda x: 2**x * math.pi / math.e,
        "x²": lambda x: x**2,
        "sqrt(x) * 1e-3": lambda x: math.sqrt(x) * 1e-3,
    }
    for text, reference in cases.items():
        tree = parse_answer(text, "expression").value
        for x in (0.3, 1.7, 2.5):
            assert evaluate(tree, {"x": x}) == pytest.approx(reference(x), rel=1e-12), text  # type: ignore[arg-type]


def test_expression_variables() -> None:
    tree = parse_answer("x*y + z", "expression", variables=("x", "y", "z")).value
    assert evaluate(tree, {"x": 2.0, "y": 3.0, "z": 0.5}) == 6.5  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no value given for variable 'y'"):
        evaluate(tree, {"x": 1.0})  # type: ignore[arg-type]
    with pytest.raises(AnswerError, match="log of a non-positive"):
        evaluate(parse_answer("log(x)", "expression").value, {"x": -1.0})  # type: ignore[arg-type]


@pytest.mark.parametrize("variables", [("e",), ("sqrt",), ("2x",), ("x y",), ("torch",)])
def test_bad_variables_are_a_value_error_not_an_answer_error(variables: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="variables must be plain names") as info:
        parse_answer("1", "expression", variables=variables)
    assert not isinstance(info.value, AnswerError)


def test_unknown_kind_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="kind must be one of") as info:
        parse_answer("1", "float")  # type: ignore[arg-type]
    assert not isinstance(info.value, AnswerError)


def test_tensor_shape() -> None:
    assert tensor_shape(2.0) == ()
    assert tensor_shape([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) == (2, 3)
    with pytest.raises(AnswerError, match="row 3 has 1 entry, expected 2"):
        tensor_shape([[1.0, 2.0], [3.0, 4.0], [5.0]])


def test_evaluate_quotes_the_source_text_when_given() -> None:
    answer = parse_answer("x + log(x - 20)", "expression")
    tree = answer.value
    with pytest.raises(AnswerError, match=r"^log of a non-positive number in log\(x - 20\)$"):
        evaluate(tree, {"x": 1.5}, source=answer.text)  # type: ignore[arg-type]
    with pytest.raises(AnswerError, match=r"^log of a non-positive number in the expression$"):
        evaluate(tree, {"x": 1.5})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("(x+1)^1000", "number too large: (x+1)^1000 is over 1e300"),
        ("exp(exp(exp(x)))", "number too large: exp(exp(exp(x)))"),
        ("x^(x*1000)", "exponent too large: (x*1000) is over the limit of 1000"),
        ("2^x^x^x^x^x^x^x", "number too large: x^x^x is over 1e300"),
    ],
)
def test_huge_powers_are_evaluated_in_floats_and_refused(text: str, fragment: str) -> None:
    answer = parse_answer(text, "expression")
    start = time.perf_counter()
    with pytest.raises(AnswerError) as info:
        evaluate(answer.value, {"x": 4.5}, source=answer.text)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 0.05
    assert fragment in str(info.value)


# Formulas of the grammar with hostile numbers, so that many points are undefined or too large.
FORMULAS = st.recursive(
    st.sampled_from(["x", "y", "2", "0", "0.5", "1000", "1e300", "1e-300", "9", "e", "pi"]),
    lambda inner: st.one_of(
        st.builds(
            "{}({})".format, st.sampled_from(["sqrt", "exp", "log", "sin", "cos", "tanh"]), inner
        ),
        st.builds("-({})".format, inner),
        st.builds(
            "({}{}{})".format, inner, st.sampled_from(["+", "-", "*", "/", "^", "**"]), inner
        ),
    ),
    max_leaves=12,
)
POINTS = st.floats(-1e3, 1e3) | st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 700.0, 1e300])


@settings(max_examples=500)
@given(text=FORMULAS, xs=st.lists(POINTS, min_size=1, max_size=6), shift=st.integers(0, 5))
def test_evaluate_points_is_evaluate_at_each_point(text: str, xs: list[float], shift: int) -> None:
    try:
        tree = parse_answer(text, "expression", variables=("x", "y")).value
    except AnswerError:
        return
    ys = xs[shift % len(xs) :] + xs[: shift % len(xs)]
    values = evaluate_points(tree, {"x": xs, "y": ys})  # type: ignore[arg-type]
    assert len(values) == len(xs)
    for x, y, value in zip(xs, ys, values, strict=True):
        try:
            expected = evaluate(tree, {"x": x, "y": y})  # type: ignore[arg-type]
        except AnswerError:
            assert math.isnan(value), (text, x, y, value)
        else:
            assert value == expected, (text, x, y, value, expected)
            assert math.copysign(1, value) == math.copysign(1, expected), (text, x, y)


def test_evaluate_points_edges() -> None:
    tree = parse_answer("exp(x) + 0^x + (-1)^x + 1/x", "expression").value
    values = evaluate_points(tree, {"x": [1.0, 0.0, -1.0, 0.5, 700.0, 690.0]})  # type: ignore[arg-type]
    assert values[0] == math.exp(1) + 0 - 1 + 1
    assert all(math.isnan(v) for v in values[1:5])  # 1/0, 0^-1, (-1)^0.5, exp(700) > 1e300
    assert values[5] == math.exp(690) + 0 + 1 + 1 / 690
    assert evaluate_points(parse_answer("2", "expression").value, {}) == [2.0]  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="differ in length"):
        evaluate_points(tree, {"x": [1.0], "y": [1.0, 2.0]})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no value given for variable 'x'"):
        evaluate_points(tree, {"y": [1.0]})  # type: ignore[arg-type]


def test_sympy_is_not_part_of_the_answer_module() -> None:
    from studykit.questions import answers

    assert not hasattr(answers, "to_sympy")


def test_constant_parts_are_guarded_in_one_pass_over_a_deep_tree() -> None:
    # Six levels of brackets, each with a run of powers, around a long constant sum that ends
    # in a variable: every constant part is evaluated once, not once per enclosing node.
    inner = "+".join(["1"] * 300) + "+x"
    text = inner
    for _ in range(5):
        text = f"x^x^x^x^x^x^x^x^({text})"
    answer = parse_answer(text, "expression")
    seconds, _ = _best_time(text, "expression")
    assert seconds < 0.05
    assert answer.kind == "expression"


# --- hostile input ---------------------------------------------------------------------------


def _best_time(text: str, kind: str) -> tuple[float, Answer | AnswerError]:
    """The fastest of three calls (so a scheduler hiccup is not blamed on the parser)."""
    best = math.inf
    outcome: Answer | AnswerError
    for _ in range(3):
        start = time.perf_counter()
        try:
            outcome = parse_answer(text, kind)  # type: ignore[arg-type]
        except AnswerError as error:
            outcome = error
        best = min(best, time.perf_counter() - start)
    return best, outcome


@pytest.mark.usefixtures("no_eval")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:24]))
def test_hostile_input_is_rejected_quickly(text: str, kind: str) -> None:
    seconds, outcome = _best_time(text, kind)
    assert isinstance(outcome, AnswerError)
    assert len(str(outcome).splitlines()) == 1
    assert seconds < 0.05


GRAMMAR_TEXT = st.text(alphabet="0123456789.eE+-*/^()[],x πsqrtlogexpintorch.Size ", max_size=60)


@given(text=st.one_of(st.text(max_size=200), GRAMMAR_TEXT), kind=st.sampled_from(KINDS))
def test_any_text_gives_an_answer_or_an_answer_error_quickly(text: str, kind: str) -> None:
    seconds, outcome = _best_time(text, kind)
    assert seconds < 0.05
    if isinstance(outcome, AnswerError):
        assert len(str(outcome).splitlines()) == 1
    else:
        assert outcome.kind == kind


# --- round trips -----------------------------------------------------------------------------

FLOATS = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)


@given(FLOATS)
def test_repr_of_a_float_parses_back_exactly(value: float) -> None:
    assert parse_answer(repr(value), "number").value == value
    assert parse_answer(repr(value), "tensor").value == value


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_repr_of_an_int_parses_back_exactly(value: int) -> None:
    assert parse_answer(repr(value), "integer").value == value


@st.composite
def nested_lists(draw: st.DrawFn) -> tuple[list[object], tuple[int, ...]]:
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))

    def build(dims: tuple[int, ...]) -> list[object]:
        if len(dims) == 1:
            return [draw(FLOATS) for _ in range(dims[0])]
        return [build(dims[1:]) for _ in range(dims[0])]

    return build(shape), shape


@given(nested_lists())
def test_repr_of_nested_lists_parses_back_exactly(
    case: tuple[list[object], tuple[int, ...]],
) -> None:
    value, shape = case
    answer = parse_answer(repr(value), "tensor")
    assert answer.value == value
    assert answer.shape == shape
    assert parse_answer(f"torch.tensor({value!r})", "tensor").value == value


@given(st.lists(st.integers(0, 10**6), max_size=5).map(tuple))
def test_shapes_round_trip(dims: tuple[int, ...]) -> None:
    assert parse_answer(repr(dims), "shape").value == dims
    assert parse_answer(f"torch.Size({list(dims)!r})", "shape").value == dims
