"""How prompts and solutions write numbers and tensors (``fmt_num``, ``fmt_tensor``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from studykit.questions.render import fmt_num, fmt_tensor


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.43333, "0.4333"),
        (12.0, "12"),
        (-3.5, "-3.5"),
        (1.2e-05, "1.2e-5"),
        (123456.7, "1.235e5"),
        (1e14, "100000000000000"),
        (1e15, "1e15"),
        (-0.0, "0"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
        (7, "7"),
        (True, "True"),
        ("B", "B"),
        (np.float64(0.25), "0.25"),
    ],
)
def test_fmt_num_examples(value: object, text: str) -> None:
    assert fmt_num(value) == text


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
def test_fmt_num_keeps_four_significant_digits(value: float) -> None:
    text = fmt_num(value)
    if value.is_integer() and abs(value) < 1e15:
        assert text == str(int(value))
    else:
        assert math.isclose(float(text), value, rel_tol=5e-4)
        assert "e+" not in text and "e0" not in text and "e-0" not in text


def test_fmt_tensor_aligns_columns_like_torch() -> None:
    assert fmt_tensor([[1.0, -0.5], [2, 3.25]]) == "[[   1, -0.5],\n [   2, 3.25]]"
    assert fmt_tensor([0.123456, 2.0], digits=2) == "[0.12,    2]"
    assert fmt_tensor([[[1.0]], [[2.0]]]) == "[[[1]],\n\n [[2]]]"
    assert fmt_tensor([]) == "[]"
    assert fmt_tensor(0.5) == "0.5"


@given(st.lists(st.lists(st.floats(-1e6, 1e6) | st.integers(-99, 99), min_size=2, max_size=2)))
def test_fmt_tensor_writes_every_entry_as_fmt_num_does(rows: list[list[float]]) -> None:
    text = fmt_tensor(rows)
    entries = [e.strip(" []\n") for e in text.split(",")] if rows else []
    assert entries == [fmt_num(v) for row in rows for v in row]


def test_an_expression_jinja_reads_but_python_cannot_is_a_template_error() -> None:
    import jinja2

    from studykit.questions.render import compile_text

    with pytest.raises(jinja2.TemplateSyntaxError, match="an expression Python cannot read"):
        compile_text("<% for c in x[:, 0] %><< c >><% endfor %>", "text.en.prompt")


def test_a_fixed_text_renders_once_and_then_as_it_did() -> None:
    from studykit.questions.render import compile_text, render_text

    fixed = compile_text("Plain **Markdown**, no values.\n", "choices.0")
    valued = compile_text("n is << n >>", "choices.1")
    assert render_text(fixed, {}) == "Plain **Markdown**, no values."
    assert render_text(fixed, {"n": 3}) == "Plain **Markdown**, no values."
    assert getattr(fixed, "rendered", None) == "Plain **Markdown**, no values."
    assert [render_text(valued, {"n": n}) for n in (1, 2)] == ["n is 1", "n is 2"]
    assert getattr(valued, "rendered", None) is None


def test_a_fixed_text_that_fails_fails_every_time() -> None:
    from studykit.questions.render import RenderError, compile_text, render_text

    bad_chart = compile_text("```chart\nnot a chart\n```", "text.en.prompt")
    for _ in range(2):
        with pytest.raises(RenderError, match=r"\(seed 0\): text\.en\.prompt: text does not"):
            render_text(bad_chart, {}, "bank/x.yaml (seed 0)")
