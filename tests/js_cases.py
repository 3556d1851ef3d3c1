"""The browser checker's parity table (브라우저 채점기 대조표): every row, in English and Korean.

`build_table` joins the rows of tests/js_cases_forms.py (how answers are written) and
tests/js_cases_grading.py (how they are graded), adds keys in the shape of the whole ``studykit
show --json`` object, then every row again with the messages in Korean. `float_sample` gives the
floats whose ``repr`` and ``format(x, "g")`` the port must spell like Python.
tests/test_js_checker.py checks both with Python and with the port, in one ``node`` process.

Example: ``build_table()`` gives several thousand `Case` rows, the same ones on every run (the
random rows are drawn derandomized or with a fixed seed).

Common mistake: a new generator of rows that is never listed in `build_table`, so it never runs.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.js_case_parts import Case, _drawn, key, korean, prec, show_json, tol
from tests.js_cases_forms import (
    _expression_cases,
    _form_cases,
    _hostile_cases,
    _parser_table_cases,
    _random_cases,
    _tensor_and_shape_cases,
    _unicode_cases,
)
from tests.js_cases_grading import (
    _choice_cases,
    _misconception_cases,
    _number_cases,
    _precision_cases,
    _tolerance_cases,
)


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
