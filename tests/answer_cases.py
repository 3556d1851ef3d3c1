"""The answer parser's case tables (답안 입력 표): what students type and what it must give.

Five tables, shared by tests/test_answers.py (the parser's tests) and tests/test_js_checker.py
(the browser's port must give Python's verdict on every one of them), and two of expression
answers, shared by tests/test_expression_samples.py and tests/test_js_checker.py:

- ``ACCEPTED``: ``(text, kind, value)``, a number, integer or choice answer and its value;
- ``TENSORS``: ``(text, value, shape)``, tensor answers: lists, tuples, ``torch.tensor(...)``;
- ``SHAPES``: ``(text, dims)``, shape answers: ``(2, 3)``, ``2x3``, ``torch.Size([2, 3])``;
- ``REJECTED``: ``(text, kind, fragment)``, refused answers and a piece of the one-line message;
- ``HOSTILE``: texts refused quickly for every kind (code, huge powers, deep nesting, length);
- ``EQUIVALENT_EXPRESSIONS`` and ``DIFFERENT_EXPRESSIONS``: ``(key, answer)`` pairs of formulas
  that agree wherever the key is defined, and pairs that do not.

Example: ``("1/3", "number", 1 / 3)`` says that the text ``1/3`` read as a number is Python's
``1 / 3``, bit for bit.

Common mistake: computing an expected value with studykit itself. A table filled by the code
under test agrees with any bug; write the value out, or compute it with Python's own ``math``.
"""

from __future__ import annotations

import math

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
    ("83.33%", "number", 0.8333),  # the decimal point moves: exactly the float 0.8333
    ("50 %", "number", 0.5),
    ("-2.5e1%", "number", -0.25),
    ("(1/4)%", "number", 0.0025),
    ("50%^2", "number", 0.25),
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
    ("z", "choice", "Z"),  # with the options unknown, any letter
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
    # tuples, as .stride() and .shape print them
    ("(1, 2, 8)", [1.0, 2.0, 8.0], (3,)),
    ("((1, 2), (3, 4))", [[1.0, 2.0], [3.0, 4.0]], (2, 2)),
    ("[(1, 2), (3, 4)]", [[1.0, 2.0], [3.0, 4.0]], (2, 2)),
    ("((1, 2), [3, 4])", [[1.0, 2.0], [3.0, 4.0]], (2, 2)),
    ("(5,)", [5.0], (1,)),
    ("()", [], (0,)),
    ("(1 + 2)", 3.0, ()),
    ("[(1 + 2), (3)]", [3.0, 3.0], (2,)),
    ("(1+2, 3*(4))", [3.0, 12.0], (2,)),
    ("tensor((1, 2))", [1.0, 2.0], (2,)),
    ("[50%, 1/4]", [0.5, 0.25], (2,)),
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
    ("2x", "number", "missing operator before 'x' at position 2"),
    ("2pi", "number", "missing operator before 'pi' at position 2"),
    ("2(3)", "tensor", "missing operator before '(' at position 2"),
    ("e^2x", "expression", "missing operator before 'x' at position 4 (after a power"),
    ("x^2(1-x)", "expression", "missing operator before '(' at position 4 (after a power"),
    ("-x^-2 x", "expression", "(after a power"),
    ("1/2x", "expression", "missing operator before 'x' at position 4 (after /"),
    ("x 2", "expression", "missing operator before '2' at position 3"),
    ("(x+1)2", "expression", "missing operator before '2' at position 6"),
    ("2e", "expression", "missing operator before 'e' at position 2"),
    ("sin x", "expression", "'sin' needs parentheses"),
    ("x%", "expression", "unexpected '%' at position 2"),
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
    ("(1, 2", "tensor", "missing ')' for the '(' at position 1"),
    ("(1, 2]", "tensor", "expected ',' or ')' at position 6, found ']'"),
    ("(1, 2) 3", "tensor", "missing operator before '3'"),
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


# (key, answer): the same function of x in another form, and a different function.
EQUIVALENT_EXPRESSIONS = [
    ("x*(1-x)", "x - x**2"),
    ("x*(1-x)", "-(x^2 - x)"),
    ("1/(1+exp(-x)) * (1 - 1/(1+exp(-x)))", "exp(-x)/(1+exp(-x))^2"),
    ("1 - tanh(x)^2", "4/(exp(x) + exp(-x))^2"),
    ("tanh(x)", "(exp(x) - exp(-x))/(exp(x) + exp(-x))"),
    ("2*x", "x + x"),
    ("sin(x)^2 + cos(x)^2", "1"),
    ("0.5*x", "x/2"),
]
DIFFERENT_EXPRESSIONS = [
    ("x*(1-x)", "x^2"),
    ("x*(1-x)", "x*(1+x)"),
    ("exp(-x)/(1+exp(-x))^2", "exp(-x)/(1+exp(-x))"),
    ("x/3", "0.333*x"),
    ("x", "x + 1e-6"),  # within the relative tolerance only where |x| >= 1
]
