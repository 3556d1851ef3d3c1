"""The renderer's shortcuts write exactly what the plain rules write.

`studykit.questions.render` formats numbers and tensors through shortcuts (Python's ``g``
format for most floats, one pass for a vector or a matrix) and renders most texts without
copying their values. Each test here holds a shortcut against the rules written out plainly
(the reference below, the renderer as it was before the shortcuts) or against Jinja's own
``Template.render``, over generated values: nested lists of floats and ints with -0.0, nan,
inf, tiny and huge numbers, bools, ragged and mixed nesting, and every number of digits.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.questions.limits import MAX_TEXT, LoopBudget
from studykit.questions.render import (
    RenderError,
    RenderLimitError,
    compile_text,
    fmt_num,
    fmt_tensor,
    render_text,
)

# --- the reference: the rules written out plainly --------------------------------------------


def ref_digits(digits: Any) -> int:
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError(f"digits must be a whole number, got {digits!r}")
    return min(max(digits, 1), 17)


def ref_float(value: float, digits: int) -> str:
    if value.is_integer():
        if abs(value) < 1e15:
            return str(int(value))
    elif not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def ref_num(value: Any, digits: Any = 4) -> str:
    return ref_float(value, ref_digits(digits)) if isinstance(value, float) else str(value)


def ref_tensor(value: Any, digits: Any = 4) -> str:
    if not isinstance(value, list | tuple):
        return ref_num(value, digits)
    digits = ref_digits(digits)
    texts = ref_leaves(value, digits)
    width = max(map(len, ref_flat(texts)), default=0)
    return ref_layout(texts, width, 1)


def ref_leaves(value: Any, digits: int) -> Any:
    if isinstance(value, list | tuple):
        return [ref_leaves(item, digits) for item in value]
    return ref_num(value, digits)


def ref_flat(texts: Any) -> list[str]:
    if isinstance(texts, str):
        return [texts]
    return [leaf for item in texts for leaf in ref_flat(item)]


def ref_layout(texts: list[Any], width: int, indent: int) -> str:
    if not texts or isinstance(texts[0], str):
        return "[" + ", ".join([text.rjust(width) for text in texts]) + "]"
    rows = [ref_layout(row, width, indent + 1) for row in texts]
    depth, first = 0, texts
    while isinstance(first, list) and first:
        depth, first = depth + 1, first[0]
    return "[" + (",\n" + "\n" * (depth - 2) + " " * indent).join(rows) + "]"


def outcome(function: Any, *args: Any) -> str:
    """What a call returns, or the class and message of what it raises."""
    try:
        return repr(function(*args))
    except Exception as error:
        return f"{type(error).__name__}: {error}"


# --- generated values -------------------------------------------------------------------------

SPECIAL = [-0.0, 0.0, math.nan, -math.nan, math.inf, -math.inf, 1e-5, -1e-5, 1e15, -1e15, 1e16]
SPECIAL += [1e14, 12345.0, 0.00012345, 123456.7, 5e-324, 1.7976931348623157e308, 0.5, 2.5]
floats = st.floats() | st.sampled_from(SPECIAL) | st.integers(-(10**17), 10**17).map(float)
leaves = floats | st.integers(-(10**20), 10**20) | st.booleans() | st.sampled_from(["x", None])
numbers = floats | st.integers(-999, 999)
digits = st.integers(1, 17)
nested = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
    max_leaves=24,
)
matrices = st.lists(st.lists(numbers, max_size=5), max_size=5)  # ragged too
vectors = st.lists(numbers, max_size=8)


@settings(max_examples=500)
@given(floats, digits)
def test_a_float_is_written_as_the_rules_write_it(value: float, places: int) -> None:
    assert fmt_num(value, places) == ref_num(value, places)


@given(floats)
def test_a_bare_float_in_a_text_is_written_as_num_writes_it(value: float) -> None:
    text = compile_text("<< x >>", "text.en.prompt")
    assert render_text(text, {"x": value}) == ref_num(value).strip()


@given(st.one_of(floats, st.integers(), st.booleans(), st.text(max_size=3)), st.sampled_from(
    [0, 1, 4, 17, 18, -3, True, False, 4.0, "4", None]
))  # fmt: skip
def test_digits_of_any_kind_are_refused_or_clamped_alike(value: Any, places: Any) -> None:
    assert outcome(fmt_num, value, places) == outcome(ref_num, value, places)
    assert outcome(fmt_tensor, [value], places) == outcome(ref_tensor, [value], places)


@settings(max_examples=300)
@given(vectors | matrices, digits)
def test_a_vector_or_matrix_is_laid_out_as_the_rules_lay_it_out(value: Any, places: int) -> None:
    assert fmt_tensor(value, places) == ref_tensor(value, places)


@settings(max_examples=300)
@given(nested, digits)
def test_any_nesting_is_laid_out_or_refused_as_the_rules_do(value: Any, places: int) -> None:
    assert outcome(fmt_tensor, value, places) == outcome(ref_tensor, value, places)


@pytest.mark.parametrize(
    "value",
    [
        [np.float64(0.25), 1.5],
        [[np.float64(-0.0), 2.0]],
        [[1.0, [2.0]], [3.0]],
        [[1.0], 2.0],
        [1.0, [2.0]],
        [[[1.0, -0.0]], [[1e-5, math.nan]]],
        [[]],
        [[], [1.0]],
        ([1.0, 2.0], (3.0, 4.0)),
        [True, 1, 1.0],
    ],
)
def test_unusual_tensors_match_the_rules(value: Any) -> None:
    assert outcome(fmt_tensor, value) == outcome(ref_tensor, value)


def test_the_float_shortcut_hands_exponents_and_negative_zero_to_the_rules() -> None:
    assert fmt_num(-0.0) == "0"
    assert fmt_num(1e-5) == "1e-5"
    assert fmt_num(123456.7) == "1.235e5"
    assert fmt_num(12.0, 1) == "12"  # g writes 1e+01
    assert fmt_tensor([[1e-5, -0.0], [12345.0, 2.0]]) == "[[ 1e-5,     0],\n [12345,     2]]"


# --- rendering: values as they are, or copied beside range and _count -----------------------

TEXTS = [
    "<< x >> and << y | num(2) >>",
    "<% for i in range(n) %><< i >>,<% endfor %>",
    "<% for v in xs %><< v >><% if not loop.last %>, <% endif %><% endfor %>",
    "<< range >>",
    "<< _count >>",
    "<% set range = 3 %><< range >>",
    "<< xs | tensor >> << n | josa('을') >>",
]


def reference_render(text: Any, values: dict[str, Any]) -> str:
    """The text as Jinja renders it with the values copied beside ``range`` and ``_count``."""
    scope = {**text.globals, **values, "_count": LoopBudget()}
    return "".join(text.root_render_func(text.new_context(scope, shared=True))).strip()


def without_addresses(text: str) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", text)


@pytest.mark.parametrize("source", TEXTS)
@given(
    x=floats,
    y=floats,
    n=st.integers(0, 5),
    xs=st.lists(floats, max_size=4),
    extra=st.sampled_from([{}, {"range": 7}, {"_count": 8}]),
)
def test_a_text_renders_as_jinja_renders_it(
    source: str, x: float, y: float, n: int, xs: list[float], extra: dict[str, Any]
) -> None:
    text = compile_text(source, "text.en.prompt")
    values = {"x": x, "y": y, "n": n, "xs": xs, **extra}
    try:
        expected = reference_render(text, values)
    except Exception as error:
        problem = str(error).splitlines()[0][:300]
    else:
        assert without_addresses(render_text(text, values)) == without_addresses(expected)
        return
    with pytest.raises(RenderError, match=re.escape(problem)):
        render_text(text, values)


def test_values_are_not_copied_for_a_text_without_range_or_loops() -> None:
    plain = compile_text("<< x >>", "a")
    assert getattr(plain, "values_only", None) is True
    for source in ("<< range(2) | length >>", "<% for c in xs %><< c >><% endfor %>"):
        assert getattr(compile_text(source, "b"), "values_only", None) is False


def test_the_values_win_over_range_as_before() -> None:
    text = compile_text("<< range >>", "a")
    assert render_text(text, {"range": 7}) == "7"


@pytest.mark.parametrize("parts", [1, 63, 64, 65, 200])
def test_the_length_cap_holds_at_every_part(parts: int) -> None:
    """The cap names itself even where a later part would fail (it is checked part by part)."""
    size = MAX_TEXT // parts + 1  # the text crosses the cap at its last part
    source = "<% for i in range(n) %><< s >><% endfor %><< 1 // 0 >>"
    text = compile_text(source, "text.en.prompt")
    with pytest.raises(RenderLimitError, match=f"longer than {MAX_TEXT} characters"):
        render_text(text, {"n": parts, "s": "x" * size})
    ok = {"n": parts, "s": "x" * (MAX_TEXT // parts)}  # at the cap: the division fails
    with pytest.raises(RenderError, match="ZeroDivisionError"):
        render_text(text, ok)


def test_a_text_rendered_with_the_values_as_they_are_leaves_them_alone() -> None:
    """The values are the context's own dict now: a text's ``set`` and loops never reach it."""
    text = compile_text("<% set x = 5 %><< x >><% set y = [1] %><< y >>", "a")
    values = {"x": 1, "xs": [1.0]}
    assert getattr(text, "values_only", None) is True
    assert render_text(text, values) == "5[1]"
    assert values == {"x": 1, "xs": [1.0]}
    mutate = compile_text("<< xs.append(2) >>", "a")
    with pytest.raises(RenderError, match="SecurityError"):
        render_text(mutate, values)
    assert values == {"x": 1, "xs": [1.0]}
