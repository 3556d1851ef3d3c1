r"""Jinja for question texts: sandboxed, strict about undefined names, LaTeX-friendly delimiters.

Prompts and worked solutions are Jinja templates, but with ``<< name >>`` for values and
``<% if ... %>`` for blocks (and ``<# ... #>`` for comments), so LaTeX braces such as
``\frac{1}{n}`` need no escaping. The environment is Jinja's immutable sandbox (no attribute
that starts with ``_``, no mutation of passed-in data) and uses ``StrictUndefined``: a misspelled
name is an error when the variant is rendered, and ``studykit verify`` renders every template.

Filters: ``num`` (a number, 4 significant digits by default), ``tensor`` (nested lists laid out
like torch prints them), ``shape`` (``(2, 3)``), ``josa`` (the Korean particle that fits the
value: ``<< n | josa('을') >>`` gives 3을 or 2를; see `studykit.questions.korean`). A bare float
printed with ``<< x >>`` goes through ``num`` automatically.

A text with no ``<< >>`` or ``<% %>`` in it (most options of a choice question) renders the same
for every variant: its first rendering is kept and returned from then on.

A variant renders two or three texts, so rendering is kept cheap without giving up a guard
(렌더링 비용): floats are written through Python's ``g`` format and remembered (`_fmt_float`),
vectors and matrices of numbers take a one-pass layout, and a text that names neither ``range``
nor a loop renders with its values as they are instead of a copy. Each shortcut writes the very
bytes of the plain rules (``tests/test_render_speedpaths.py`` holds them side by side).
Common mistake when changing one: ``-0.0`` and ``1e-05`` are where the ``g`` format and
``fmt_num`` differ (``0``, ``1e-5``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from studykit.questions.expressions import operate
from studykit.questions.korean import josa
from studykit.questions.limits import (
    MAX_TEXT,
    LimitError,
    LoopBudget,
    bounded_range,
    time_limit,
)

__all__ = [
    "FLOAT_NOISE",
    "RenderError",
    "RenderLimitError",
    "compile_text",
    "denoise",
    "fmt_num",
    "fmt_shape",
    "fmt_tensor",
    "render_text",
]


FLOAT_NOISE = 1e-12
"""A computed number (or tensor entry) smaller than this is float noise around 0
(``0.1 + 0.2 - 0.3``) and is taken as 0: a key of 1.4e-17 at 3 significant figures would ask for
"1.44e-17" where a student rightly writes 0. A template whose values are really this small
states its answer in other units."""


def denoise(value: Any) -> Any:
    """``value`` (a number or nested lists of them) with float noise around 0 made exactly 0.

    Every float smaller than `FLOAT_NOISE` in size counts as noise.
    """
    if isinstance(value, list):
        return [denoise(item) for item in value]
    if isinstance(value, float) and abs(value) < FLOAT_NOISE:
        return 0.0
    return value


def fmt_num(value: Any, digits: int = 4) -> str:
    """A number for people: ``0.4333``, ``12``, ``-3.5``, ``1.2e-05`` becomes ``1.2e-5``."""
    if isinstance(value, float):
        return _fmt_float(
            value, digits if type(digits) is int and 0 < digits < 18 else _digits(digits)
        )
    return str(value)


def _digits(digits: Any) -> int:
    """Significant digits a text asks for, kept to what a float holds (1 to 17)."""
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError(f"digits must be a whole number, got {digits!r}")
    return min(max(digits, 1), 17)


def _sum(values: Any) -> Any:
    return sum(values)


def _join(values: Any, separator: str = "") -> str:
    return str(separator).join(str(v) for v in values)


def _round(value: Any, places: int = 0) -> Any:
    return round(value, _digits(places + 1) - 1 if isinstance(places, int) else places)


def _first(values: Any) -> Any:
    return next(iter(values))


def _last(values: Any) -> Any:
    return list(values)[-1]


_SPECS = tuple(f".{digits}g" for digits in range(18))  # the format of each number of digits
_WRITTEN: tuple[dict[float, str], ...] = tuple({} for _ in range(18))
"""The text of each float already written, per number of digits: values recur (a prompt's
tensor in its solution, the same drawn entries in other variants), and writing a float costs
more than finding it. Equal floats have the same text (0.0 and -0.0 are both 0); nan, equal to
nothing, is not kept."""
_MAX_WRITTEN = 10_000  # texts kept per number of digits (then they are forgotten at once)


def _fmt_float(value: float, digits: int) -> str:
    """``fmt_num`` of a float (tensor rows call it directly: most leaves are floats).

    Python's ``g`` format already writes most floats as ``fmt_num`` does (``12``, ``0.4333``,
    ``nan``, ``-inf``): only a text with an exponent, or ``-0``, needs `_fmt_unusual`.
    """
    if type(value) is not float:  # a subclass (numpy's float64) may format otherwise
        return _fmt_unusual(value, digits)
    written = _WRITTEN[digits]
    text = written.get(value)
    if text is None:
        text = format(value, _SPECS[digits])
        if "e" in text or text == "-0":
            text = _fmt_unusual(value, digits)
        if text != "nan":
            if len(written) >= _MAX_WRITTEN:
                written.clear()
            written[value] = text
    return text


def _fmt_unusual(value: float, digits: int) -> str:
    """``fmt_num`` of any float: the rules themselves (`_fmt_float` is their shortcut)."""
    if value.is_integer():  # False for nan and inf; -0.0 prints as 0
        if abs(value) < 1e15:
            return str(int(value))
    elif not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def fmt_tensor(value: Any, digits: int = 4) -> str:
    """Nested lists in torch's layout: one row per line, columns aligned."""
    if type(value) is list:  # the usual cases first: a vector, a matrix (same text)
        if type(digits) is not int or not 0 < digits < 18:
            digits = _digits(digits)
        written = _WRITTEN[digits]
        texts: list[Any] = [  # `_number_texts` written out: most tensors in texts are vectors
            (written.get(item) or _fmt_float(item, digits)) if type(item) is float
            else str(item) if type(item) is int else None
            for item in value
        ]  # fmt: skip
        if None not in texts:
            width = max(map(len, texts)) if texts else 0
            return "[" + ", ".join([text.rjust(width) for text in texts]) + "]"
        rows: list[list[Any]] = [
            _number_texts(row, digits) if type(row) is list else [None] for row in value
        ]
        if not any(None in row for row in rows):
            width = max([len(text) for row in rows for text in row], default=0)
            return "[" + ",\n ".join([_row(row, width) for row in rows]) + "]"
    elif not isinstance(value, list | tuple):
        return fmt_num(value, digits)
    digits = _digits(digits)
    texts = _format_leaves(value, digits)
    width = max(map(len, _leaves(texts)), default=0)
    return _layout(texts, width, indent=1)


def _row(texts: list[Any], width: int) -> str:
    """``[a, b, c]``, each text right-aligned to ``width``."""
    return "[" + ", ".join([text.rjust(width) for text in texts]) + "]"


def _number_texts(row: list[Any], digits: int) -> list[Any]:
    """Each number of ``row`` as ``fmt_num`` writes it; None for anything else (a list, a bool)."""
    written = _WRITTEN[digits]
    return [
        (written.get(item) or _fmt_float(item, digits)) if type(item) is float
        else str(item) if type(item) is int else None
        for item in row
    ]  # fmt: skip


def _format_leaves(value: Any, digits: int) -> Any:
    """The same nesting with every number formatted (once: width and layout both need it)."""
    if isinstance(value, list | tuple):
        if all(type(item) is float for item in value):  # a row of numbers: the usual case
            return [_fmt_float(item, digits) for item in value]
        return [_format_leaves(item, digits) for item in value]
    return fmt_num(value, digits)


def _leaves(texts: Any) -> list[str]:
    if isinstance(texts, str):
        return [texts]
    if all(type(item) is str for item in texts):
        return texts  # type: ignore[no-any-return]
    return [leaf for item in texts for leaf in _leaves(item)]


def _layout(texts: list[Any], width: int, indent: int) -> str:
    if not texts or isinstance(texts[0], str):
        return "[" + ", ".join([text.rjust(width) for text in texts]) + "]"
    rows = [_layout(row, width, indent + 1) for row in texts]
    depth = _depth(texts)
    separator = ",\n" + "\n" * (depth - 2) + " " * indent
    return "[" + separator.join(rows) + "]"


def _depth(value: Any) -> int:
    depth = 0
    while isinstance(value, list) and value:
        depth += 1
        value = value[0]
    return depth


def fmt_shape(value: Any) -> str:
    """A shape as a tuple: ``(2, 3)``, ``(4,)``, ``()``."""
    dims = tuple(int(v) for v in value)
    return str(dims)


def _finalize(value: Any) -> Any:
    """What ``<< value >>`` writes: a float as ``num`` writes it, anything else as it is."""
    return _fmt_float(value, 4) if isinstance(value, float) else value


class _TextEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to what question texts need.

    - Operators go through the expression language's guards, which also stops Jinja from
      computing hostile constants (``<< 9 ** (9 ** 9) >>``) when a text is compiled.
    - Attributes: only the ``loop`` variable's (``loop.index0``, ``loop.last``); a mapping's
      items are read with ``x['key']``.
    - Calls: only ``range`` (at most ``MAX_ITERATIONS`` numbers); no macros, no methods.
    - Every ``for`` loop counts its iterations into the text's budget (see ``_count_loops``).
    """

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return operate(left, right, operator)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, LoopContext) and not attr.startswith("_") and not callable(value)

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, jinja2.Undefined):
            str(obj)  # a strict undefined says what it stands for: "'lipsum' is undefined"
        return obj is bounded_range or isinstance(obj, LoopBudget)


_FILTERS = {
    "num": fmt_num, "tensor": fmt_tensor, "shape": fmt_shape, "josa": josa,
    "length": len, "sum": _sum, "upper": str.upper, "lower": str.lower, "abs": abs,
    "join": _join, "round": _round, "int": int, "float": float, "first": _first,
    "last": _last, "min": min, "max": max,
}  # fmt: skip


class _Text(jinja2.Template):
    """A compiled text that knows whether it is fixed (no ``<< >>`` or ``<% %>`` in it).

    A fixed text renders the same whatever the values, so its first successful rendering is
    kept and returned from then on (a choice's options are often fixed).
    """

    fixed: bool = False
    rendered: str | None = None
    values_only: bool = False
    """Whether it names neither ``range`` nor ``_count``: it then renders with the values as they
    are, no copy (a text that names them renders with the values copied beside them, the values
    winning over ``range``)."""


_ENV = _TextEnvironment(
    block_start_string="<%",
    block_end_string="%>",
    variable_start_string="<<",
    variable_end_string=">>",
    comment_start_string="<#",
    comment_end_string="#>",
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    finalize=_finalize,
)
_ENV.template_class = _Text
_ENV.filters = dict(_FILTERS)
_ENV.globals = {"range": bounded_range}


def _count_loops(tree: nodes.Template) -> nodes.Template:
    """Make every ``for`` loop iterate through ``_count`` (the text's iteration budget)."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Call(nodes.Name("_count", "load"), [loop.iter], [], None, None)
    return tree


def compile_text(source: str, name: str | None = None) -> jinja2.Template:
    """Compile a template text once (at load time); raises ``jinja2.TemplateSyntaxError``.

    ``name`` is the field it comes from (``text.en.prompt``); render errors name it.
    """
    try:
        tree = _count_loops(_ENV.parse(source, name=name))
        code = _ENV.compile(tree, name=name)
    except (RecursionError, MemoryError):
        raise jinja2.TemplateSyntaxError("nested too deeply", 1, name) from None
    except LimitError as error:  # a constant the guards refuse
        raise jinja2.TemplateSyntaxError(str(error), 1, name) from None
    except SyntaxError as error:  # Jinja parsed it, but the Python it makes is not valid
        problem = f"an expression Python cannot read ({error.msg}); move it into a step"
        raise jinja2.TemplateSyntaxError(problem, 1, name) from None
    template = _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None), None)
    assert isinstance(template, _Text)
    template.fixed = _is_fixed(tree)
    template.values_only = not _names(tree) & {*template.globals, "_count"}
    # Jinja keeps a template's globals as a ChainMap over the environment's and copies it on
    # every render; one plain dict, made once, renders the same and copies faster.
    template.globals = dict(template.globals)
    return template


def _names(tree: nodes.Template) -> set[str]:
    """Every name a parsed text reads or writes (the only names Jinja looks up in a context)."""
    names = {node.name for node in tree.find_all(nodes.Name)}
    return names | {node.name for node in tree.find_all(nodes.NSRef)}


def _is_fixed(tree: nodes.Template) -> bool:
    """Whether a parsed text is plain text only: no value, block or expression in it."""
    return all(
        isinstance(node, nodes.Output | nodes.TemplateData) for node in tree.find_all(nodes.Node)
    )


class RenderError(ValueError):
    """A text that failed to render (an undefined name, a type error in an expression, ...)."""


class RenderLimitError(RenderError, LimitError):
    """A text that went over a budget while rendering (loops, length or time)."""


def render_text(template: jinja2.Template, values: Mapping[str, Any], where: str = "") -> str:
    """Render a compiled text with plain (torch-free) values; trailing space is trimmed.

    Args:
        template: A text compiled by `compile_text`.
        values: The names the text may use.
        where: Names the file and seed in error messages (``file (seed 3)``).

    Raises:
        RenderError: Anything went wrong while rendering, a budget was exceeded
            (`RenderLimitError`), or a ``chart`` block of the text is not a chart
            (`studykit.questions.charts.ChartError`), with the field and the message on one line.
    """
    if isinstance(template, _Text) and template.fixed:
        if template.rendered is None:  # kept only once it rendered: a bad one fails every time
            template.rendered = _checked_render(template, values, where)
        return template.rendered
    return _checked_render(template, values, where)


def _checked_render(template: jinja2.Template, values: Mapping[str, Any], where: str) -> str:
    """The rendered text, within the time budget, its charts checked; errors as `RenderError`."""
    try:
        with time_limit():
            text = _render(template, values)
            if "```" in text or "~~~" in text:  # a chart is a fenced block: no fence, no chart
                _check_charts(text)
            return text
    except Exception as error:  # Jinja can raise anything a filter or operator raises
        raise _render_error(template, where, error) from None


def _check_charts(text: str) -> None:
    from studykit.questions.charts import check_charts  # it imports this module

    check_charts(text)


def _render(template: jinja2.Template, values: Mapping[str, Any]) -> str:
    """What ``template.render(values)`` does, less the copies of the values, and capped."""
    scope: dict[str, Any]
    if isinstance(template, _Text) and template.values_only and type(values) is dict:
        scope = values
    else:
        scope = {**template.globals, **values, "_count": LoopBudget()}
    environment = template.environment
    context = environment.context_class(
        environment, scope, template.name, template.blocks, template.globals
    )
    parts, length = [], 0
    for part in template.root_render_func(context):
        length += len(part)
        if length > MAX_TEXT:
            raise LimitError(f"longer than {MAX_TEXT} characters")
        parts.append(part)
    return "".join(parts).strip()


def _render_error(template: jinja2.Template, where: str, error: Exception) -> RenderError:
    message = str(error).splitlines()[0][:300] if str(error) else ""
    prefix = ": ".join(part for part in (where, template.name) if part)
    text = f"{prefix}: " if prefix else ""
    if isinstance(error, LimitError | RecursionError | MemoryError):
        return RenderLimitError(f"{text}text does not render: {message or type(error).__name__}")
    return RenderError(f"{text}text does not render: {type(error).__name__}: {message}")
