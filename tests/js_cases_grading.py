"""Rows of the browser checker's parity table about grading (채점): is an understood answer right.

Tolerance boundaries (relative and absolute, significant figures, a few ulps either side),
misconceptions (오개념: which one wins, in each kind), numbers whose messages print floats, the
stated precision (ties, decades, decimal places, whole entries) and choices answered by letter,
number or value. Each generator yields `Case` rows; tests/js_cases.py joins them into the table.

Example: ``Case("1.006", key("number", 1.0, tol(5e-3, 1e-6)))`` lies just past the default
tolerance: both checkers must call it wrong, with the same message.

Common mistake: rows only far from a boundary. The port's arithmetic can differ from Python's
only at the edge, so the rows sit on it and one ulp either side.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from studykit.questions.precision import Precision
from tests.js_case_parts import Case, key, mistake, prec, tol


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
