"""The browser's checker (docs/assets/js/studykit-checker.js) gives the Python checker's verdicts.

A table of several thousand answers (every accepted and rejected input of tests/test_answers.py,
tolerance and precision boundaries, shapes, tensors with wrong entries, misconceptions,
expressions, choices with their options, Unicode, hostile and random text) is checked with
`studykit.questions.checking.check`, then with the JavaScript port in ONE `node` process
(tests/js/run_checker_cases.js); the verdicts must be the same: understood, correct, message,
misconception, feedback and wrong positions, and the parsed values too. Every case is checked in
English and again in Korean (the key's ``lang``), so the two message tables agree message by
message. The single intended difference: where Python cannot decide (too few sample points
decide an expression), the browser answers `undecided`. The Unicode tables the port carries
(what is printable, what NFKC does) are compared with CPython's for every code point, and the
format statements (`answer_format`) of a set of keys with the port's `answerFormat`.

Node.js is required: without `node` on the PATH these tests fail, they do not skip.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from studykit.questions import (
    answer_evaluation,
    answer_messages,
    answer_parser,
    answer_tokens,
    answers,
    checking,
    expression_samples,
)
from studykit.questions.answer_messages import AnswerError
from studykit.questions.answers import KINDS, parse_answer
from studykit.questions.checking import Key, Misconception, answer_format, check
from studykit.questions.precision import (
    DEFAULT_PRECISION,
    DEFAULT_TOLERANCE,
    MAX_FIGURES,
    Precision,
    Tolerance,
)
from tests.test_answers import ACCEPTED, HOSTILE, REJECTED, SHAPES, TENSORS

ROOT = Path(__file__).resolve().parents[1]
CHECKER = ROOT / "docs" / "assets" / "js" / "studykit-checker.js"
HARNESS = ROOT / "tests" / "js" / "run_checker_cases.js"
MIN_CASES = 300

pytestmark = pytest.mark.xdist_group("js_checker")

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


# --- the table ------------------------------------------------------------------------------


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


def _parser_table_cases() -> Iterator[Case]:
    """Every accepted and rejected input of tests/test_answers.py, with a generic key and with
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


def _tolerance_cases() -> Iterator[Case]:
    # test_checking.py's close() table, typed as text (repr parses back exactly).
    default = tol(5e-3, 1e-6)
    rows = [
        (1.0, 1.0, tol()),
        (1.0 + 2**-52, 1.0, tol()),
        (1.25, 1.0, tol(absolute=0.25)),
        (0.75, 1.0, tol(absolute=0.25)),
        (1.2500001, 1.0, tol(absolute=0.25)),
        (3.0, 2.0, tol(rel=0.5)),
        (3.0000001, 2.0, tol(rel=0.5)),
        (-3.0, -2.0, tol(rel=0.5)),
        (3.5, 2.0, tol(rel=0.5, absolute=0.5)),
        (3.5000001, 2.0, tol(rel=0.5, absolute=0.5)),
        (1.004, 1.0, default),
        (1.006, 1.0, default),
        (9e-7, 0.0, default),
        (2e-6, 0.0, default),
        (1.234, 1.234, tol(sigfigs=3)),
        (1.2385, 1.234, tol(sigfigs=3)),
        (1.239, 1.234, tol(sigfigs=3)),
        (1.229, 1.234, tol(sigfigs=3)),
        (1.2391, 1.234, tol(sigfigs=3)),
        (1.2289, 1.234, tol(sigfigs=3)),
        (1.3, 1.234, tol(rel=1.0, absolute=1.0, sigfigs=3)),
        (1050.0, 1000.0, tol(sigfigs=2)),
        (1050.001, 1000.0, tol(sigfigs=2)),
        (0.00105, 0.001, tol(sigfigs=2)),
        (0.0010501, 0.001, tol(sigfigs=2)),
        (1004.9, 999.9, tol(sigfigs=2)),
        (1005.0, 999.9, tol(sigfigs=2)),
        (-0.0128, -0.0123, tol(sigfigs=2)),
        (-0.0129, -0.0123, tol(sigfigs=2)),
        (0.0123, -0.0123, tol(sigfigs=2)),
        (5e-7, 0.0, tol(absolute=1e-6, sigfigs=2)),
        (2e-6, 0.0, tol(absolute=1e-6, sigfigs=2)),
        (0.0, 0.0, tol(sigfigs=2)),
        (1e-300, 0.0, tol(sigfigs=2)),
    ]
    for given_value, expected, tolerance in rows:
        yield Case(repr(given_value), key("number", expected, tolerance), label="close")
        yield Case(f"[{given_value!r}]", key("tensor", [expected], tolerance), label="close")

    # Exact boundaries, a few ulps either side: rel/abs, and sigfigs at many magnitudes.
    rng = random.Random(20240611)
    for _ in range(12):
        expected = rng.uniform(-1000, 1000)
        rel, absolute = rng.choice([(5e-3, 1e-6), (0.01, 0.0), (0.0, 0.05), (1e-6, 1e-9)])
        edge = expected + absolute + rel * abs(expected)
        for value in (edge, math.nextafter(edge, math.inf), math.nextafter(edge, -math.inf)):
            yield Case(
                repr(value), key("number", expected, tol(rel, absolute)), label="rel/abs edge"
            )
    for _ in range(20):
        expected = rng.choice([1, -1]) * 10 ** rng.uniform(-12, 12)
        sigfigs = rng.randint(1, 10)
        yield Case(f"{expected:.{sigfigs - 1}e}", key("number", expected, tol(sigfigs=sigfigs)))
        decade = math.floor(math.log10(abs(expected)))
        half = 0.5 * 10.0 ** (decade - sigfigs + 1)
        for value in (expected + half, expected - half * (1 + 2e-9), expected + half * (1 + 5e-10)):
            yield Case(repr(value), key("number", expected, tol(sigfigs=sigfigs)), label="sigfigs")
    for expected, sigfigs in [(100.0, 1), (1e-5, 3), (999.5, 3), (0.1 + 0.2, 1), (1e300, 2)]:
        half = 0.5 * 10.0 ** (math.floor(math.log10(expected)) - sigfigs + 1)
        for value in (expected + half, math.nextafter(expected + half, math.inf)):
            yield Case(repr(value), key("number", expected, tol(sigfigs=sigfigs)), label="sigfigs")
    # Expected 0.
    for text in ("0", "-0", "0.0", "1e-7", "-1e-6", "1.0000001e-6", "1e-300", "0*5"):
        yield Case(text, key("number", 0.0), label="zero")
        yield Case(text, key("number", 0.0, tol(sigfigs=3)), label="zero")
        yield Case(text, key("number", 0.0, tol(absolute=1e-7, sigfigs=3)), label="zero")
    # Integers are exact.
    for text in ("12", "12.0", "11", "1.2e1", "24/2", "13", "-12", "3*4", "2^3+4"):
        yield Case(text, key("integer", 12), label="integer")


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


def _misconception_cases() -> Iterator[Case]:
    square = mistake("forgot-square", 0.5, "Square the error before averaging.")
    half = mistake("halved", 0.125, "The mean already divides by n.")
    twin = mistake("twin", 0.5, "Same value, listed second.")
    for text in ("1/2", "0.5012", "0.1255", "0.13", "0.25", "0.2501", "1/8"):
        yield Case(text, key("number", 0.25), [square, half], label="misconception")
    yield Case("0.5", key("number", 0.25), [square, twin], label="first wins")
    yield Case("0.5", key("number", 0.25), [twin, square], label="first wins")
    same = mistake("same-as-key", 0.25)
    yield Case("0.25", key("number", 0.25), [same], label="correct wins")
    yield Case("1/3", key("number", 0.25), [mistake("as-text", "1/3")], label="text value")
    transposed = mistake("transposed", [[1, 4], [2, 5], [3, 6]], "Check the order.")
    for text in ("[[1, 4], [2, 5], [3, 6]]", "[[1, 2], [3, 4], [5, 6]]", "[[1, 2, 3], [4, 5, 7]]"):
        yield Case(text, key("tensor", [[1, 2, 3], [4, 5, 6]]), [transposed], label="tensor")
    swapped = mistake("swapped", [3, 2], "Rows come first.")
    for text in ("3x2", "(3, 2)", "(2, 3)", "(3,)"):
        yield Case(text, key("shape", [2, 3]), [swapped], label="shape misconception")
    letter = mistake("picked-a", "A", "A is the derivative of the wrong function.")
    for text in ("(a)", "A.", "c", "b"):
        yield Case(text, key("choice", "C"), [letter], label="choice misconception")
    forgot = mistake("forgot-inner-derivative", "1 - x", "Differentiate the inside too.")
    for text in ("-x + 1", "1-x^2", "x*(1-x)"):
        yield Case(text, key("expression", "x*(1-x)"), [forgot], label="expression misconception")
    yield Case("12", key("integer", 10), [mistake("off-by-two", 12)], label="integer misconception")
    yield Case(
        "0.3", key("number", 0.25), [mistake("broken", "1 +")], label="invalid misconception"
    )


def _expression_cases() -> Iterator[Case]:
    equivalent = [
        ("x*(1-x)", "x - x**2"),
        ("x*(1-x)", "-(x^2 - x)"),
        ("1/(1+exp(-x)) * (1 - 1/(1+exp(-x)))", "exp(-x)/(1+exp(-x))^2"),
        ("1 - tanh(x)^2", "4/(exp(x) + exp(-x))^2"),
        ("tanh(x)", "(exp(x) - exp(-x))/(exp(x) + exp(-x))"),
        ("2*x", "x + x"),
        ("sin(x)^2 + cos(x)^2", "1"),
        ("log(x^2)", "2*ln(x)"),
        ("0.5*x", "x/2"),
        ("x²", "x*x"),
        ("exp(x)", "e^x"),
        ("sqrt(x)", "x^0.5"),
    ]
    different = [
        ("x*(1-x)", "x^2"),
        ("x*(1-x)", "x*(1+x)"),
        ("exp(-x)/(1+exp(-x))^2", "exp(-x)/(1+exp(-x))"),
        ("x*(1-x)", "(x+1)^1000"),
        ("x/3", "0.333*x"),
        ("x", "x + 1e-6"),
    ]
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


def _number_cases() -> Iterator[Case]:
    # Messages that print a float like Python's repr, and values where libm precision shows.
    for text in (
        "1e-5",
        "2.5",
        "-0.1",
        "1/3",
        "1e15+0.5",
        "123456789.123",
        "2^0.5",
        "sqrt(2)",
        "10^-4",
        "10^-7",
        "1e-300*3",
        "0.1+0.2",
        "4503599627370495.5",
        "1e16/3",
        "-1e-5",
        "5e-324",
        "exp(log(5))",
        "e^ln(3)",
        "log(8)/log(2)",
        "log(1000)/log(10)",
        "8^(1/3)",
        "27^(1/3)",
        "4^0.5",
        "10^3",
        "2^-3",
        "exp(0)",
        "log(e)",
        "exp(2)",
    ):
        yield Case(text, key("integer", 3), label="integer repr")
        yield Case(text, key("number", 3.0, tol(0.0, 0.0)), label="exact number")


def _precision_cases() -> Iterator[Case]:
    """The stated precision: ties, decades, signs, zero, decimal places, exact, whole entries."""
    sig3 = prec(sigfigs=3)
    rows = [
        ("0.843", 0.8425, sig3),
        ("0.842", 0.8425, sig3),
        ("0.84249", 0.8425, sig3),
        ("0.844", 0.8425, sig3),
        ("0.84", 0.8425, sig3),
        ("0.8", 0.8425, sig3),
        ("0.85", 0.8425, sig3),
        ("14.6", 14.5585, sig3),
        ("14.5", 14.5585, sig3),
        ("15", 14.5585, sig3),
        ("0.000992", 0.000992, sig3),
        ("0.0010", 0.000992, sig3),
        ("0.001", 0.0009996, sig3),
        ("0.000999", 0.0009996, sig3),
        ("1.00", 0.99951, sig3),
        ("-14.6", -14.5585, sig3),
        ("14.6", -14.5585, sig3),
        ("0", 0.0, sig3),
        ("1e-300", 0.0, sig3),
        ("1.23e23", 1.2345e23, sig3),
        ("1.23e-200", 1.2345e-200, sig3),
        ("0.67", 2 / 3, sig3),
        ("2/3", 2 / 3, sig3),
        ("0.7", 2 / 3, sig3),
        ("66.7%", 2 / 3, sig3),
        ("0.67", 2 / 3, prec(decimals=2, fraction=True)),
        ("0.7", 2 / 3, prec(decimals=2, fraction=True)),
        ("83.33%", 5 / 6, prec(decimals=2)),
        ("14.56", 14.5585, prec(decimals=2)),
        ("14.6", 14.5585, prec(decimals=2)),
        ("15", 14.5585, prec(decimals=2)),
        ("0.01", 0.005, prec(decimals=2)),
        ("0", 0.005, prec(decimals=2)),
        ("3", 2.5, prec(decimals=0)),
        ("2", 2.5, prec(decimals=0)),
        ("0.3", 0.1 + 0.2, prec()),
        ("0.30001", 0.3, prec()),
        ("1.2346", 1.23456, prec(sigfigs=5)),
        ("1.2345", 1.23456, prec(sigfigs=5)),
        ("1.23", 1.23456, prec(sigfigs=5)),
    ]
    for text, expected, precision in rows:
        yield Case(text, key("number", expected, precision=precision), label="precision")
        yield Case(f"[{text}]", key("tensor", [expected], precision=precision), label="precision")
    # Exact boundaries, a few ulps either side, at many magnitudes.
    rng = random.Random(20250115)
    for _ in range(30):
        expected = rng.choice([1, -1]) * 10 ** rng.uniform(-9, 9)
        sigfigs = rng.randint(1, 8)
        half = 0.5 * Precision(sigfigs=sigfigs).unit(expected)
        for value in (expected + half, expected - half * (1 + 2e-9), expected + half * (1 + 5e-10)):
            yield Case(repr(value), key("number", expected, precision=prec(sigfigs=sigfigs)))
        decimals = rng.randint(0, 6)
        half = 0.5 * 10.0**-decimals
        for value in (expected + half, math.nextafter(expected + half, math.inf)):
            yield Case(repr(value), key("number", expected, precision=prec(decimals=decimals)))
    matrix = [[2 / 3, 0.5], [1.25, 14.5585]]
    for text in (
        "[[0.667, 0.5], [1.25, 14.6]]",
        "[[0.67, 0.5], [1.25, 15]]",
        "[[0.667, 0.5], [1.3, 14.6]]",
        "[[0.6, 0.5], [1.3, 14.6]]",
        "[[0.67, 0.5], [1.3, 15]]",
        "((0.667, 0.5), (1.25, 14.6))",
    ):
        yield Case(text, key("tensor", matrix), label="tensor precision")
    sizes = key("tensor", [21, 5, 4], precision=prec())
    unrounded = mistake("did-not-round", [21.1, 4.6, 4.3])
    for text in (
        "[21, 5, 4]",
        "(21, 5, 4)",
        "[21.1, 2, 2]",
        "[21, 2, 2]",
        "[21.1, 4.6, 4.3]",
        "[21, 5.5, 4]",
    ):
        yield Case(text, sizes, [unrounded], label="whole entries")
    halves = key("tensor", [0.5, 1.5], precision=prec())
    for text in ("[0.5, 1.5]", "[0.5, 1.4]", "[1/2, 3/2]"):
        yield Case(text, halves, label="exact entries")
    # A misconception rounded the way the prompt asks is recognized.
    adam = key("number", 0.5000000021739129, precision=prec(decimals=4))
    no_bias = mistake("no-bias-correction", 0.28377245137431717)
    for text in ("0.2838", "0.28377", "0.284", "0.5", "0.5000", "0.50"):
        yield Case(text, adam, [no_bias], label="misconception at the precision")


def _choice_cases() -> Iterator[Case]:
    words = key("choice", "B", options=("yes", "no", "maybe"))
    picked = mistake("picked-a", "A")
    for text in (
        "b",
        "(B)",
        "2",
        "(2)",
        "2.",
        "2)",
        "1",
        "3",
        "4",
        "0",
        "z",
        "D",
        "bb",
        "22",
        "-1",
        "2.5",
        "",
    ):
        yield Case(text, words, [picked], label="choice by number")
    numbers = key("choice", "C", options=("0.5", "0.2838", "2"))
    for text in ("c", "2", "2.0", "0.2838", "0.284", "0.5", "1", "3", "d", "yes", "1/2"):
        yield Case(text, numbers, [picked], label="choice by value")
    for text in ("3", "7", "a", "b", "2"):
        yield Case(text, key("choice", "A", options=("3", "7")), label="numeric options")
    many = key("choice", "H", options=tuple("abcdefgh"))
    for text in ("h", "8", "9", "i"):
        yield Case(text, many, label="eight options")


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


def float_sample() -> list[float]:
    """Floats whose repr and format(x, "g") the port must spell like Python."""
    special = [0.0, -0.0, 1e-7, 1e16, 1e15, 1e-4, 1e-5, 0.1 + 0.2, 123456.0, 1234567.0, 0.5]
    special += [5e-324, 1.7976931348622157e308, 2.0**53, 2.0**53 + 2, 1e22, 1e23, 9.5e-5]
    finite = st.floats(allow_nan=False, allow_infinity=False)
    return special + _drawn(finite, 300) + [v / 7 for v in range(-50, 50)]


def build_table() -> list[Case]:
    cases: list[Case] = []
    for source in (
        _parser_table_cases,
        _tolerance_cases,
        _tensor_and_shape_cases,
        _misconception_cases,
        _expression_cases,
        _unicode_cases,
        _hostile_cases,
        _number_cases,
        _precision_cases,
        _choice_cases,
        _form_cases,
        _random_cases,
    ):
        cases.extend(source())
    # A key in the shape of the whole `studykit show --json` object.
    mnist = key("number", 0.5933333333333333, tol(0.002, 0.0005))
    stated = key("number", 0.5933333333333333, tol(sigfigs=3), precision=prec(sigfigs=3))
    for text in ("0.5933", "0.59", "(0.74 + 0.85 + 0.19) / 3"):
        cases.append(Case(text, show_json(mnist), label="show --json key"))
        cases.append(Case(text, show_json(stated), label="show --json key"))
    # Every case again with the messages in Korean (but the 10-million-character text).
    cases.extend([korean(case) for case in cases if len(case.text) <= 100_000])
    return cases


# --- Python's side ---------------------------------------------------------------------------


def _python_key(raw: dict[str, Any]) -> Key:
    if "answer" in raw:
        raw = {**raw["answer"], "tolerance": raw["tolerance"]}
    value = raw["value"]
    if raw["kind"] == "shape" and isinstance(value, list):
        value = tuple(value)
    tolerance = raw.get("tolerance")
    precision = raw.get("precision")
    return Key(
        raw["kind"],
        value,
        tuple(raw.get("shape") or ()),
        Tolerance(tolerance["rel"], tolerance["abs"], tolerance["sigfigs"]) if tolerance else None,
        tuple(raw.get("variables") or ()),
        precision=Precision(**precision) if precision else None,
        options=tuple(raw.get("options") or ()),
    )


def _python_mistake(raw: dict[str, Any], kind: str) -> Misconception:
    value = raw["value"]
    if kind == "shape" and isinstance(value, list):
        value = tuple(value)
    return Misconception(raw["name"], value, raw["feedback"])


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def python_side(case: Case, agree: Callable[..., bool | None]) -> dict[str, Any]:
    """Python's verdict and parse of one case, and what the sample points decided on the way."""
    python_key = _python_key(case.key)
    kind = python_key.kind
    decided: list[bool | None] = []

    def recording(*args: Any) -> bool | None:
        outcome = agree(*args)
        decided.append(outcome)
        return outcome

    out: dict[str, Any] = {}
    mistakes = [_python_mistake(m, kind) for m in case.misconceptions]
    lang = case.key.get("lang", "en")
    with pytest.MonkeyPatch.context() as patch:
        # Patched where it is called: the comparison of expressions in studykit.questions.checking.
        patch.setattr(checking, "_agree_at_samples", recording)
        try:
            verdict = check(case.text, python_key, mistakes, lang=lang)
            out["verdict"] = {
                "understood": True,
                "correct": verdict.correct,
                "message": verdict.message,
                "misconception": verdict.misconception,
                "feedback": verdict.feedback,
                "wrong": [list(index) for index in verdict.wrong],
            }
        except AnswerError as error:
            out["verdict"] = {
                "understood": False,
                "correct": False,
                "message": str(error),
                "misconception": None,
                "feedback": None,
                "wrong": [],
            }
        except ValueError as error:
            out["thrown"] = str(error)
    out["decided"] = decided
    try:
        answer = parse_answer(case.text, kind, variables=python_key.variables)
        value = None if kind == "expression" else _plain(answer.value)
        out["parsed"] = {"text": answer.text, "shape": list(answer.shape), "value": value}
    except AnswerError as error:
        out["parsed"] = {"error": str(error)}
    out["variables"] = list(python_key.variables)
    return out


# --- comparing -------------------------------------------------------------------------------


def _same_float(a: float, b: float) -> bool:
    """Equal, or one unit in the last place apart (correctly rounded exp/log/pow in the port
    against the platform's libm, which is off by one ulp in a fraction of a percent of cases)."""
    if a == b:
        return math.copysign(1.0, a) == math.copysign(1.0, b) or a != 0
    return abs(a - b) <= math.ulp(max(abs(a), abs(b)))


def _same_value(kind: str, python: Any, js: Any) -> bool:
    if kind in ("number", "tensor"):
        if isinstance(python, list):
            return (
                isinstance(js, list)
                and len(js) == len(python)
                and all(_same_value(kind, p, j) for p, j in zip(python, js, strict=True))
            )
        if js == "-0.0":  # the harness's spelling of -0.0, which JSON lacks
            js = -0.0
        return isinstance(js, int | float) and _same_float(float(python), float(js))
    if kind in ("integer", "shape"):
        if isinstance(python, list):
            return isinstance(js, list) and [float(v) for v in python] == [float(v) for v in js]
        return float(python) == float(js)
    return bool(python == js)


def differences(case: Case, python: dict[str, Any], js: dict[str, Any]) -> list[str]:
    """What differs between the two sides' results for one case (empty when they agree)."""
    found: list[str] = []
    kind = case.key.get("kind") or case.key["answer"]["kind"]
    if "thrown" in python or "thrown" in js:
        if python.get("thrown") != js.get("thrown"):
            found.append(f"raised: python {python.get('thrown')!r}, js {js.get('thrown')!r}")
        return found
    want, got = python["verdict"], js["verdict"]
    decided = python["decided"]
    if None in decided:
        # Python could not decide: the browser must say so, and keep what it knew.
        first = decided.index(None)
        undecided = answer_messages.CHECK_MESSAGES[case.key.get("lang", "en")]["undecided"]
        expected: dict[str, Any] = {
            "understood": True,
            "correct": False,
            "message": undecided if first == 0 else want["message"],
            "misconception": None,
            "feedback": None,
            "wrong": [],
            "undecided": True,
        }
    else:
        expected = {**want, "undecided": False}
    for name, value in expected.items():
        if got.get(name) != value:
            found.append(f"{name}: python {value!r}, js {got.get(name)!r}")
    parsed_python, parsed_js = python["parsed"], js["parsed"]
    if "error" in parsed_python or "error" in parsed_js:
        if parsed_python != parsed_js:
            found.append(f"parseAnswer: python {parsed_python!r}, js {parsed_js!r}")
    else:
        for name in ("text", "shape"):
            if parsed_python[name] != parsed_js.get(name):
                found.append(
                    f"parsed {name}: python {parsed_python[name]!r}, js {parsed_js.get(name)!r}"
                )
        if not _same_value(kind, parsed_python["value"], parsed_js.get("value")):
            found.append(
                f"parsed value: python {parsed_python['value']!r}, js {parsed_js.get('value')!r}"
            )
    return found


UNDECIDED = answer_messages.CHECK_MESSAGES["en"]["undecided"]


# --- running both ------------------------------------------------------------------------------


@dataclass
class Run:
    cases: list[Case]
    python: list[dict[str, Any]]
    js: list[dict[str, Any]]
    floats: list[float]
    formats: list[list[str]]
    constants: dict[str, Any]
    unicode: dict[str, Any]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node (Node.js) is not on the PATH: the browser checker's parity test needs it "
            "(install Node.js 18 or newer)"
        )
    cases = build_table()
    floats = float_sample()
    agree = expression_samples._agree_at_samples
    python = [python_side(case, agree) for case in cases]
    folder = tmp_path_factory.mktemp("js_checker")
    table = folder / "cases.json"
    results = folder / "results.json"
    payload = {
        "cases": [
            {
                "text": case.text,
                "key": case.key,
                "misconceptions": case.misconceptions,
                "kind": case.key.get("kind") or case.key["answer"]["kind"],
                "variables": side["variables"],
            }
            for case, side in zip(cases, python, strict=True)
        ],
        "floats": floats,
        "unicode": True,
    }
    table.write_text(json.dumps(payload), encoding="utf-8")
    completed = subprocess.run(
        [node, str(HARNESS), str(CHECKER), str(table), str(results)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, f"node failed:\n{completed.stdout}\n{completed.stderr}"
    output = json.loads(results.read_text(encoding="utf-8"))
    return Run(
        cases,
        python,
        output["results"],
        floats,
        output["formats"],
        output["constants"],
        output["unicode"],
    )


def test_the_table_is_large_and_varied(run: Run) -> None:
    assert len(run.cases) >= MIN_CASES
    assert sum(case.key.get("lang") == "ko" for case in run.cases) >= len(run.cases) // 2 - 10
    for kind in KINDS:
        assert sum(case.key.get("kind") == kind for case in run.cases) >= 30, kind
    understood = [side["verdict"]["understood"] for side in run.python if "verdict" in side]
    assert understood.count(True) >= 150
    assert understood.count(False) >= 150
    assert sum(side["verdict"]["correct"] for side in run.python if "verdict" in side) >= 80
    assert sum(None in side["decided"] for side in run.python) >= 3


def test_the_browser_checker_gives_pythons_verdicts(run: Run) -> None:
    failures = []
    for case, python, js in zip(run.cases, run.python, run.js, strict=True):
        found = differences(case, python, js)
        if found:
            where = f"{case.label}: {case.text[:80]!r} key={case.key}"
            failures.append(where + "".join(f"\n    {line}" for line in found))
    assert not failures, f"{len(failures)} of {len(run.cases)} cases differ:\n" + "\n".join(
        failures[:25]
    )


def test_the_limits_and_character_sets_are_pythons(run: Run) -> None:
    js = run.constants
    homes = {
        answer_tokens: (
            *("MAX_LENGTH", "MAX_RAW_LENGTH", "MAX_DEPTH", "MAX_TOKENS", "MAX_DIGITS"),
            *("MAX_MAGNITUDE", "_SPACE", "_OPERATORS", "_SUPERSCRIPTS", "_VULGAR_FRACTIONS"),
            "_REPLACEMENTS",
        ),
        answer_evaluation: ("MAX_EXPONENT",),
        answer_parser: ("MAX_POWERS",),
        answers: ("_RESERVED",),
    }
    for module, names in homes.items():
        for name in names:
            assert js[name.lstrip("_")] == _plain(getattr(module, name)), name
    assert js["NUMBER_FUNCTIONS"] == list(answer_parser._NUMBER_FUNCTIONS)
    assert js["EXPRESSION_FUNCTIONS"] == list(answer_parser._EXPRESSION_FUNCTIONS)
    assert js["SAMPLE_POINTS"] == list(expression_samples.SAMPLE_POINTS)
    assert js["MIN_SAMPLE_POINTS"] == expression_samples.MIN_SAMPLE_POINTS
    assert js["MAX_LISTED"] == checking._MAX_LISTED
    assert js["NOT_VARIABLES"] == list(expression_samples._NOT_VARIABLES)
    defaults = {
        kind: {"rel": t.rel, "abs": t.abs, "sigfigs": t.sigfigs}
        for kind, t in DEFAULT_TOLERANCE.items()
    }
    assert js["DEFAULT_TOLERANCE"] == defaults
    precisions = {kind: None if p is None else p.data() for kind, p in DEFAULT_PRECISION.items()}
    assert js["DEFAULT_PRECISION"] == precisions
    assert js["FUNCTION_NAMES"] == answer_parser.FUNCTION_NAMES
    assert js["MAX_OPTIONS"] == answers.MAX_OPTIONS
    assert js["MAX_FIGURES"] == MAX_FIGURES
    assert js["SINGLE_NAMES"] == answer_tokens._SINGLE_NAMES
    assert js["PARSE_MESSAGES"] == answer_messages.PARSE_MESSAGES
    assert js["CHECK_MESSAGES"] == answer_messages.CHECK_MESSAGES


def test_floats_are_formatted_like_python(run: Run) -> None:
    expected = [[repr(x), format(x, "g")] for x in run.floats]
    wrong = [
        (x, want, got)
        for x, want, got in zip(run.floats, expected, run.formats, strict=True)
        if want != got
    ]
    assert not wrong, wrong[:10]


def _runs(codes: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for code in codes:
        if out and out[-1][1] == code - 1:
            out[-1][1] = code
        else:
            out.append([code, code])
    return out


def test_the_unicode_tables_are_cpythons(run: Run) -> None:
    tables = run.unicode
    assert tables["version"] == unicodedata.unidata_version, (
        f"the checker's Unicode tables are for {tables['version']}, this Python has "
        f"{unicodedata.unidata_version}: regenerate UNASSIGNED_RUNS in {CHECKER.name}"
    )
    everything = range(0x110000)
    unassigned = _runs([c for c in everything if unicodedata.category(chr(c)) == "Cn"])
    flat = tables["unassigned"]
    assert [[flat[i], flat[i + 1]] for i in range(0, len(flat), 2)] == unassigned
    not_printable = _runs([c for c in everything if not chr(c).isprintable()])
    assert tables["notPrintable"] == not_printable
    folded = {}
    for code in everything:
        text = unicodedata.normalize("NFKC", chr(code))
        if text != chr(code):
            folded[str(code)] = text
    assert tables["nfkc"] == folded


# --- the format statement ----------------------------------------------------------------------

FORMAT_KEYS: list[dict[str, Any]] = [
    key("number", 0.5),
    key("number", 0.5, precision=prec(sigfigs=1)),
    key("number", 0.5, precision=prec(sigfigs=4)),
    key("number", 0.5, precision=prec(decimals=0)),
    key("number", 0.5, precision=prec(decimals=1)),
    key("number", 0.5, precision=prec(decimals=3)),
    key("number", 0.5, precision=prec()),
    key("number", 0.5, precision=prec(sigfigs=3, fraction=True)),
    key("number", 0.5, precision=prec(decimals=2, fraction=True)),
    key("number", 0.5, precision=prec(decimals=0, fraction=True)),
    key("number", 0.5, precision=prec(fraction=True)),
    key("number", 0.5, tol(0.002, 0.0005)),
    key("number", 0.5, tol(0.0, 0.001)),
    key("number", 0.5, tol(sigfigs=2)),
    key("number", 0.5, tol()),
    key("tensor", [0.5], precision=prec(sigfigs=2)),
    key("tensor", [0.5], precision=prec(decimals=2)),
    key("tensor", [0.5], precision=prec(decimals=0)),
    key("tensor", [1, 2], precision=prec()),
    key("tensor", [0.5], tol(0.005, 1e-6)),
    key("integer", 3),
    key("shape", [2, 3]),
    key("choice", "A"),
    key("choice", "A", options=("x", "y", "z")),
    key("choice", "A", options=("only",)),
    key("choice", "A", options=("3", "7")),
    key("expression", "x*(1-x)"),
    key("expression", "w*(1-w)"),
    key("expression", "x*y*z", variables=("x", "y", "z")),
]


def test_the_format_statements_are_pythons() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (Node.js) is not on the PATH: the browser checker's parity test needs it")
    script = (
        "const c = require(process.argv[1]);"
        "const keys = JSON.parse(process.argv[2]);"
        "console.log(JSON.stringify(keys.map((k) => [c.answerFormat(k, 'en'),"
        " c.answerFormat(k, 'ko'), c.answerFormat(Object.assign({lang: 'ko'}, k))])));"
    )
    completed = subprocess.run(
        [node, "-e", script, str(CHECKER), json.dumps(FORMAT_KEYS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    browser = json.loads(completed.stdout)
    for raw, (english, korean_text, by_key) in zip(FORMAT_KEYS, browser, strict=True):
        python_key = _python_key(raw)
        assert english == answer_format(python_key, "en"), raw
        assert korean_text == by_key == answer_format(python_key, "ko"), raw
    # Key.data() carries the same statements, for the site and `show --json`.
    data = _python_key(FORMAT_KEYS[0]).data()
    assert data["format"] == {"en": browser[0][0], "ko": browser[0][1]}
