"""Rows of the browser checker's parity table about answer forms (답안 형식): what is understood.

How an answer is written and read: the parser's tables (tests/answer_cases.py) with a generic
key and with their own, tensors and shapes, expressions (equivalent or not, variables, where the
sample points cannot decide), Unicode (full-width digits, superscripts, NFKC), hostile text
(huge powers, deep nesting, long input, code), the forms students write (implicit
multiplication, ``sigmoid(x)``, tuples, percent) and random text drawn by Hypothesis. Each
generator yields `Case` rows; tests/js_cases.py joins them into the table.

Example: ``Case("2x", key("expression", "x*(1-x)"))``: both checkers read ``2x`` as ``2*x``,
then give the same verdict and the same message.

Common mistake: a form written only with a key it cannot match. Give it a key it should match
too, so that the parsed value is compared and not only the rejection message.
"""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import strategies as st

from studykit.questions.answers import KINDS
from tests.answer_cases import (
    ACCEPTED,
    DIFFERENT_EXPRESSIONS,
    EQUIVALENT_EXPRESSIONS,
    HOSTILE,
    REJECTED,
    SHAPES,
    TENSORS,
)
from tests.js_case_parts import GENERIC, Case, _drawn, key, mistake, prec, tol


def _parser_table_cases() -> Iterator[Case]:
    """Every accepted and rejected input of tests/answer_cases.py, with a generic key and with
    a key equal to the expected value."""
    for text, kind, value in ACCEPTED:
        yield Case(text, key(kind, GENERIC[kind]), label="accepted")
        yield Case(text, key(kind, value), label="accepted, own key")
    for text, value, _shape in TENSORS:
        yield Case(text, key("tensor", GENERIC["tensor"]), label="tensor")
        yield Case(text, key("tensor", value), label="tensor, own key")
    for text, dims in SHAPES:
        yield Case(text, key("shape", GENERIC["shape"]), label="shape")
        yield Case(text, key("shape", list(dims)), label="shape, own key")
    for text, kind, _fragment in REJECTED:
        yield Case(text, key(kind, GENERIC[kind]), label="rejected")
    for text in HOSTILE:
        # The 10-million-character text once: it is rejected by its length alone.
        kinds = KINDS[:1] if len(text) > 100_000 else KINDS
        for kind in kinds:
            yield Case(text, key(kind, GENERIC[kind]), label="hostile")


def _tensor_and_shape_cases() -> Iterator[Case]:
    matrix = [[1.0, 2.0], [3.0, 4.0]]
    for text in (
        "[[1, 2], [3, 4]]",
        "[[1, 9], [9, 4]]",
        "[[1, 2], [3, 5]]",
        "[[9, 9], [9, 9]]",
        "[[1.004, 2], [3, 4]]",
        "[[1.006, 2], [3, 4]]",
        "[[1, 2, 3]]",
        "[[1, 3], [2, 4]]",
        "[1, 2, 3, 4]",
        "[[[1, 2], [3, 4]]]",
        "5",
        "[]",
        "[[]]",
        "torch.tensor([[1, 2], [3, 4]])",
    ):
        yield Case(text, key("tensor", matrix), label="tensor")
    for text in ("[0, 2, 0, 4, 0]", "[1, 2, 3, 4, 5]", "[1, 2, 3, 4, 9]", "[9, 9, 9, 9, 9]"):
        yield Case(text, key("tensor", [1, 2, 3, 4, 5]), label="tensor")
    cube = [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]
    for text in (
        "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]",
        "[[[0, 2], [3, 4]], [[5, 6], [7, 0]]]",
        "[[[0, 0], [0, 0]], [[0, 0], [0, 0]]]",
        "[[1, 2], [3, 4]]",
    ):
        yield Case(text, key("tensor", cube), label="tensor 3d")
    for text, value in (("2.5", [2.5]), ("[2.5]", 2.5), ("3", 2.5), ("2.5", 2.5), ("[2.5]", [2.5])):
        yield Case(text, key("tensor", value), label="one element")
    sig = key("tensor", [0.12345, 678.9], tol(sigfigs=2))
    for text in ("[0.12, 680]", "[0.13, 680]", "[0.1185, 673.8]", "[0.1285, 685]"):
        yield Case(text, sig, label="tensor sigfigs")
    yield Case("[[1, 2], [3, 4]]", key("tensor", matrix, shape=(2, 2)), label="key with shape")
    for text in (
        "(2, 3)",
        "(3, 2)",
        "(2,)",
        "()",
        "2x3x1",
        "[2, 3]",
        "(2, 3, 1)",
        "torch.Size([3])",
    ):
        yield Case(text, key("shape", [2, 3]), label="shape")
    for text in ("()", "(1,)", "torch.Size([])", "[]"):
        yield Case(text, key("shape", []), label="empty shape")
    big = "123456789012345678901234567890"
    yield Case(f"({big}, 2)", key("shape", [2, 3]), label="huge size")
    yield Case(f"{big}x2", key("shape", [2, 3]), label="huge size")
    yield Case(f"({big}1, 2)", key("shape", [2, 3]), label="huge size")
    yield Case("(007, 3)", key("shape", [7, 3]), label="leading zeros")


def _expression_cases() -> Iterator[Case]:
    equivalent = [
        *EQUIVALENT_EXPRESSIONS,
        ("log(x^2)", "2*ln(x)"),
        ("x²", "x*x"),
        ("exp(x)", "e^x"),
        ("sqrt(x)", "x^0.5"),
    ]
    different = [*DIFFERENT_EXPRESSIONS, ("x*(1-x)", "(x+1)^1000")]
    for expected, text in equivalent + different:
        yield Case(text, key("expression", expected), label="expression")
    # Where the sample points cannot decide, Python asks sympy and the browser says so.
    for text in ("(x - 10)^(1/2)", "sqrt(x - 10) + 1", "log(x - 10)"):
        yield Case(text, key("expression", "sqrt(x - 10)"), label="sympy")
    yield Case("log(x - 20)", key("expression", "x"), label="too few points for the answer")
    miss = mistake("shifted", "sqrt(x - 10)")
    yield Case("x + 1", key("expression", "x"), [miss], label="sympy in a misconception")
    yield Case("w - w^2", key("expression", "w*(1-w)"), label="variables from the key")
    # Python reads the exponent letters of a key's number literals as variable names too.
    for text in ("E", "x/1000", "e5*y"):
        yield Case(text, key("expression", "1E-3*x"), label="variables from the key")
        yield Case(text, key("expression", "1e5*y"), label="variables from the key")
    yield Case("y", key("expression", "w*(1-w)"), label="variables from the key")
    xy = ("x", "y")
    for text in ("y*x", "x*x", "x*y + 0", "z"):
        yield Case(text, key("expression", "x*y", variables=xy), label="given variables")
    for text in (
        "2x",
        "x(1-x)",
        "x + 1/(1-1)",
        "x^(9^9)",
        "x + log(0)",
        "sin x",
        "tanh(x",
        "e^x^x",
    ):
        yield Case(text, key("expression", "x*(1-x)"), label="expression error")
    yield Case("1", key("expression", "1", tol(0.0, 0.0)), label="constant expression")


def _unicode_cases() -> Iterator[Case]:
    number = [
        "１２３",
        "−0.5",
        "– 1",
        "—1",
        "－1",
        "2×3",
        "6÷4",
        "2·3",
        "2⋅3",
        "2∗3",
        "1⁄2",
        "1∕2",
        "½",
        "1½",
        "¾+¼",
        "↉",
        "⅟",
        "10⁻³",
        "3²",
        "2³²",
        "x²",
        "2⁺¹",
        "２⁽³⁾",
        "𝟏𝟐",
        "ℯ",
        "𝜋",
        "π/2",
        "ﬁ",
        "٣",
        "1\u200b2",
        "1\u00a0+\u00a02",
        "\u3000 0.25 \t\n",
        "\u00850.25",
        "\x00",
        "\x7f1",
        "😀",
        "😀+1",
        "1+😀",
        "1 + \U0001ccd6",  # assigned in Unicode 16: NFKC gives "A" there, CPython 3.11 keeps it
        "\U0001ccd6",
        "\U000e0001",
        "\ue000",
        "e\u0301",
        "１e３",
        "1'",
        "'",
        '"',
        "\\",
        "1\u20222",
    ]
    for text in number:
        yield Case(text, key("number", 0.5), label="unicode number")
    for text in ("［１, ２］", "[½, ¼]", "[1, −2]", "[１，２]", "[1,\u30002]"):
        yield Case(text, key("tensor", [1, 2]), label="unicode tensor")
    for text in ("２ｘ３", "2 × 3", "（２, ３）", "2\u00d73\u00d74", "2x\u00a03"):
        yield Case(text, key("shape", [2, 3]), label="unicode shape")
    for text in ("Ｂ", "（ｂ）", "ｂ．", "😀", "ß", "Å", "\U0001d401", "b\u200b", "ab" * 15 + "😀"):
        yield Case(text, key("choice", "B"), label="unicode choice")
    long_choice = "\x01\x02" + "é" * 30
    yield Case(long_choice, key("choice", "B"), label="unicode choice")
    for text in ("x²−x", "x·(1−x)", "𝑥"):
        yield Case(text, key("expression", "x*(1-x)"), label="unicode expression")


def _hostile_cases() -> Iterator[Case]:
    texts = [
        "9**9**9",
        "9^9^9",
        "2^2^2^2^2^2^2^2^2",
        "2^2^2^2^2^2^2^2^2^2",
        "((((((1))))))",
        "(((((((1)))))))",
        "[[[[[[1]]]]]]",
        "[[[[[[[1]]]]]]]",
        ")))(((",
        "1" * 2000,
        "1" * 30,
        "1" * 31,
        " " * 1999 + "1",
        "1" + " " * 2000,
        "x" * 2000,
        "-" * 1999 + "1",
        "+".join(["1"] * 500),
        "+".join(["1"] * 501),
        "1e300",
        "1e301",
        "1e999",
        "1e1000",
        "1e-999",
        "1e-1000",
        "1e0999",
        "0." + "0" * 28 + "1e300",
        "exp(710)",
        "exp(-750)",
        "10^300",
        "10^301",
        "10^-310",
        "2^-1074",
        "2^-1075",
        "2^1000",
        "(-2)^1001",
        "1e300*1e300",
        "-1e300-1e300",
        "1/1e-300",
        "0^-1",
        "0^0",
        "(-8)^(1/3)",
        "__import__('os')",
        "().__class__",
        "eval('1')",
        "1;2",
        "1 if 1 else 2",
        "0x10",
        "1_000",
        "1e",
        "1e+",
        ".",
        "..5",
        "5..",
        "1.2.3",
        "**2",
        "2**",
        "2***3",
        "^2",
        "torch",
        "tensor",
        "tensor(1",
        "torch.tensor",
        "torch.tensor(1)",
        "torch.tensor([1, 2]",
        "torch.Size",
        "Size(2, 3)",
        "Size([2, 3)",
        "torch.Size([2, 3])",
        "",
        " ",
        "\t\n",
    ]
    for text in texts:
        for kind in KINDS:
            yield Case(text, key(kind, GENERIC[kind]), label="hostile")
    # Lengths count code points (a JavaScript string counts UTF-16 units), before and after NFKC.
    for text in (
        "😀" * 1999 + "1",
        "😀" * 5000,
        "😀" * 8000,
        "😀" * 8001,
        "½" * 500,
        "\ufdfa" * 200,
    ):
        yield Case(text, key("number", 0.5), label="long")
        yield Case(text, key("choice", "B"), label="long")


def _form_cases() -> Iterator[Case]:
    derivative = key("expression", "exp(-x)/(1 + exp(-x))**2")
    for text in (
        "sigmoid(x)*(1-sigmoid(x))",
        "σ(x)(1 - σ(x))",
        "sigmoid(x)(1-sigmoid(x))",
        "1/(2+exp(x)+exp(-x))",
        "sech(x/2)^2/4",
        "softplus(x)",
        "relu(x)",
        "abs(x)",
        "2x",
        "x(1-x)",
        "2(x+1)",
        "(x+1)(x-1)",
        "e^2x",
        "x^2(1-x)",
        "1/2x",
        "e^(2x)(1-x)",
        "3e^x",
        "2e",
        "x 2",
        "cosh(x)^-2",
        "cosh(800x)",
        "sinh(x)/cosh(x)",
        "x%",
        "2 x sigmoid(x)",
    ):
        yield Case(
            text, derivative, [mistake("function-not-derivative", "1/(1 + exp(-x))")], label="forms"
        )
    for text in (
        "(1, 2, 8)",
        "((1, 2), (3, 4))",
        "(1,)",
        "()",
        "(1 + 2)",
        "(1, 2",
        "(1, 2]",
        "[(1, 2), (3, 4)]",
    ):
        yield Case(text, key("tensor", [1, 2, 8], precision=prec()), label="tuples")
        yield Case(text, key("tensor", [[1, 2], [3, 4]], precision=prec()), label="tuples")
    for text in ("83.33%", "83%", "50 %", "-2.5e1%", "(1/4)%", "50%^2", "%", "5%%"):
        yield Case(text, key("number", 5 / 6), label="percent")


# Pieces of answers, so random joins of them are often valid and get evaluated.
GRAMMAR_TOKENS = (
    *("2", "3", "0.5", ".25", "10", "1e-3", "7", "x", "e", "pi", "π"),
    *("+", "-", "*", "/", "^", "**", "(", ")", "[", "]", ",", " "),
    *("²", "½", "−", "×"),
    *("sqrt(", "exp(", "log(", "ln(", "tanh(", "sin(", "cos("),
)


def _random_cases() -> Iterator[Case]:
    grammar = st.text(alphabet="0123456789.eE+-*/^()[],x πsqrtlogexpintorch.Size ", max_size=60)
    tokens = st.lists(
        st.sampled_from(GRAMMAR_TOKENS),
        min_size=1,
        max_size=12,
    ).map("".join)
    texts = st.one_of(st.text(max_size=200), grammar)
    for text, kind in _drawn(st.tuples(texts, st.sampled_from(KINDS)), 300):
        yield Case(text, key(kind, GENERIC[kind]), label="random text")
    for text, kind in _drawn(st.tuples(tokens, st.sampled_from(KINDS)), 250):
        yield Case(text, key(kind, GENERIC[kind]), label="random tokens")
    floats = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False)
    for value, other in _drawn(st.tuples(floats, floats), 40):
        yield Case(repr(value), key("number", other), label="random float")
        yield Case(repr(value), key("number", value, tol(sigfigs=3)), label="random float")
    dims = st.lists(st.integers(0, 10**6), max_size=5)
    for given_dims, expected_dims in _drawn(st.tuples(dims, dims), 30):
        yield Case(repr(tuple(given_dims)), key("shape", expected_dims), label="random shape")
