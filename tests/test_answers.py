"""The answer parser: what it accepts, what it rejects (and how fast), and round trips.

The tables of accepted, rejected and hostile inputs are in tests/answer_cases.py (the browser
checker's parity test, tests/test_js_checker.py, checks them too).
"""

from __future__ import annotations

import builtins
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.questions.answer_evaluation import evaluate, evaluate_points
from studykit.questions.answer_messages import AnswerError
from studykit.questions.answer_tokens import normalize
from studykit.questions.answer_tree import Constant, Negate, Number, Power, Sum, Variable
from studykit.questions.answers import KINDS, Answer, parse_answer, tensor_shape
from tests.answer_cases import ACCEPTED, HOSTILE, REJECTED, SHAPES, TENSORS


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
            assert evaluate(tree, {"x": x}) == pytest.approx(reference(x), rel=1e-12), text  # type: ignore[arg-type, no-untyped-call]


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


# --- forms students write --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("2x", "2*x"),
        ("2 x", "2*x"),
        ("2(x+1)", "2*(x+1)"),
        ("x(1-x)", "x*(1-x)"),
        ("(x+1)(x-1)", "(x+1)*(x-1)"),
        ("-2x", "(-2)*x"),
        ("2x^2", "2*(x^2)"),
        ("2x/3", "(2*x)/3"),
        ("x/2*x", "(x/2)*x"),
        ("3e^x", "3*e^x"),
        ("(x^2)(1-x)", "x^2*(1-x)"),
        ("e^(2x)(1-x)", "exp(2*x)*(1-x)"),
        ("2pi x", "2*pi*x"),
        ("sigmoid(x)*(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2"),
        ("σ(x)(1-σ(x))", "exp(-x)/(1+exp(-x))^2"),
        ("xσ(x)", "x/(1+exp(-x))"),
        ("2 sigmoid(x)", "2/(1+exp(-x))"),
        ("softplus(x)", "log(1+exp(x))"),
        ("sech(x)^2", "1 - tanh(x)^2"),
        ("1/cosh(x)^2", "1 - tanh(x)^2"),
        ("sinh(x)/cosh(x)", "tanh(x)"),
        ("relu(x) - relu(-x)", "x"),
        ("abs(x)", "sqrt(x^2)"),
    ],
)
def test_implicit_multiplication_and_named_functions(text: str, same_as: str) -> None:
    answer = parse_answer(text, "expression").value
    reference = parse_answer(same_as, "expression").value
    for x in (-3.7, -0.4, 0.3, 1.9, 4.2):
        value = evaluate(answer, {"x": x})  # type: ignore[arg-type]
        assert value == pytest.approx(evaluate(reference, {"x": x}), rel=1e-12), text  # type: ignore[arg-type]


def test_named_functions_never_overflow() -> None:
    for text, x, expected in [
        ("sigmoid(x)", -800.0, 0.0),
        ("sigmoid(x)", 800.0, 1.0),
        ("softplus(x)", 800.0, 800.0),
        ("softplus(x)", -800.0, 0.0),
        ("sech(x)", 800.0, 0.0),
        ("relu(x)", -2.0, 0.0),
    ]:
        assert evaluate(parse_answer(text, "expression").value, {"x": x}) == expected  # type: ignore[arg-type]
    answer = parse_answer("cosh(x)", "expression")
    with pytest.raises(AnswerError, match="number too large: cosh"):
        evaluate(answer.value, {"x": 800.0}, source=answer.text)  # type: ignore[arg-type]
    tree = parse_answer("cosh(x) + sinh(x)", "expression").value
    assert all(math.isnan(v) for v in evaluate_points(tree, {"x": [800.0, -800.0, math.nan]}))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "options", "letter"),
    [
        ("2", ("yes", "no", "maybe"), "B"),
        ("(3)", ("yes", "no", "maybe"), "C"),
        ("1.", ("yes", "no", "maybe"), "A"),
        ("c", ("yes", "no", "maybe"), "C"),
        ("0.2838", ("0.5", "0.2838", "2"), "B"),
        ("2", ("0.5", "0.2838", "2"), "C"),  # a number is an option's value when they are numbers
        ("2.0", ("0.5", "0.2838", "2"), "C"),
        ("7", ("3", "7"), "B"),
        ("a", ("3", "7"), "A"),
    ],
)
def test_options_by_letter_number_or_value(
    text: str, options: tuple[str, ...], letter: str
) -> None:
    assert parse_answer(text, "choice", options=options).value == letter


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("Z", ("yes", "no", "maybe"), "not one of the options (A–C)"),
        ("d", ("yes", "no", "maybe"), "not one of the options (A–C)"),
        ("4", ("yes", "no", "maybe"), "not one of the options (A–C)"),
        ("0", ("yes", "no"), "not one of the options (A–B)"),
        ("bb", ("yes", "no"), "expected the letter (A–B) or the number (1–2) of an option"),
        ("0.3", ("0.5", "0.2838"), "0.3 is not one of the options: answer with its letter (A–B)"),
        ("c", ("0.5", "0.2838"), "not one of the options (A–B)"),
        ("yes", ("0.5", "0.2838"), "expected the letter of an option (A–B)"),
        ("1", (), "expected one letter like B or (b), got '1'"),
    ],
)
def test_what_is_not_an_option(text: str, options: tuple[str, ...], message: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_answer(text, "choice", options=options)
    assert message in str(info.value)


def test_options_are_at_most_eight() -> None:
    with pytest.raises(ValueError, match="at most 8 options") as info:
        parse_answer("a", "choice", options=tuple("abcdefghi"))
    assert not isinstance(info.value, AnswerError)


# --- messages in Korean ----------------------------------------------------------------------


def test_every_message_is_in_both_languages_with_the_same_fields() -> None:
    import string

    from studykit.questions.answer_messages import LANGUAGES
    from studykit.questions.answer_messages import PARSE_MESSAGES as MESSAGES

    assert tuple(MESSAGES) == LANGUAGES
    english = MESSAGES["en"]
    for lang, table in MESSAGES.items():
        assert set(table) == set(english), lang
        for code, pattern in table.items():
            fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
            wanted = {name for _, name, _, _ in string.Formatter().parse(english[code]) if name}
            wanted.discard("entries")  # English plural only
            assert fields >= wanted, (lang, code)
            assert "\n" not in pattern


@pytest.mark.parametrize(("text", "kind", "fragment"), REJECTED)
def test_every_rejection_has_a_one_line_korean_message(text: str, kind: str, fragment: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_answer(text, kind, lang="ko")  # type: ignore[arg-type]
    message = str(info.value)
    assert message == info.value.in_language("ko")
    assert info.value.in_language("en").count(fragment) >= 1
    assert len(message.splitlines()) == 1
    assert any("\uac00" <= ch <= "\ud7a3" for ch in message), message  # Hangul


@pytest.mark.parametrize(
    ("text", "kind", "korean"),
    [
        ("", "number", "답이 비어 있습니다"),
        ("1 + )", "number", "이 자리에 올 수 없는 기호입니다: ')' (5번째 글자)"),
        ("(1", "number", "1번째 글자의 '('를 닫는 ')'가 없습니다"),
        ("2.5", "integer", "정수가 아닙니다: 2.5"),
        ("[[1, 2], [3]]", "tensor", "2번째 행의 원소가 1개입니다 (2개여야 합니다)"),
        ("[[[1, 2]], [[1]]]", "tensor", "인덱스 [1, 0] 목록의 원소가 1개입니다 (2개여야 합니다)"),
        ("1/0", "number", "0으로 나눌 수 없습니다: 1/0"),
        ("y", "expression", "알 수 없는 이름입니다: 'y' (쓸 수 있는 이름: x, sqrt,"),
        ("2x", "number", "2번째 글자 'x' 앞에 연산자가 없습니다 (곱셈은 2*x처럼 *로 씁니다)"),
    ],
)
def test_korean_messages(text: str, kind: str, korean: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_answer(text, kind, lang="ko")  # type: ignore[arg-type]
    assert str(info.value).startswith(korean)
