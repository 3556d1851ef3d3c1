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
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from studykit.questions.korean import josa

__all__ = ["RenderError", "compile_text", "fmt_num", "fmt_shape", "fmt_tensor", "render_text"]


def fmt_num(value: Any, digits: int = 4) -> str:
    """A number for people: ``0.4333``, ``12``, ``-3.5``, ``1.2e-05`` becomes ``1.2e-5``."""
    return _fmt_float(value, digits) if isinstance(value, float) else str(value)


def _fmt_float(value: float, digits: int) -> str:
    """``fmt_num`` of a float (tensor rows call it directly: most leaves are floats)."""
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
    if not isinstance(value, list | tuple):
        return fmt_num(value, digits)
    texts = _format_leaves(value, digits)
    width = max(map(len, _leaves(texts)), default=0)
    return _layout(texts, width, indent=1)


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
    return fmt_num(value) if isinstance(value, float) else value


_ENV = ImmutableSandboxedEnvironment(
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
_ENV.filters.update(num=fmt_num, tensor=fmt_tensor, shape=fmt_shape, josa=josa)


def compile_text(source: str) -> jinja2.Template:
    """Compile a template text once (at load time); raises ``jinja2.TemplateSyntaxError``."""
    template = _ENV.from_string(source)
    # Jinja keeps a template's globals as a ChainMap over the environment's and copies it on
    # every render; one plain dict, made once, renders the same and copies faster.
    template.globals = dict(template.globals)
    return template


class RenderError(ValueError):
    """A text that failed to render (an undefined name, a type error in an expression, ...)."""


def render_text(template: jinja2.Template, values: Mapping[str, Any]) -> str:
    """Render a compiled text with plain (torch-free) values; trailing space is trimmed.

    Raises:
        RenderError: Anything went wrong while rendering, with Jinja's message on one line.
    """
    try:
        # What ``template.render(values)`` does, less two copies of the values and Jinja's
        # traceback rewriting (the error becomes one line here anyway).
        context = template.new_context({**template.globals, **values}, shared=True)
        return "".join(template.root_render_func(context)).strip()
    except Exception as error:  # Jinja can raise anything a filter or operator raises
        message = str(error).splitlines()[0] if str(error) else ""
        raise RenderError(f"text does not render: {type(error).__name__}: {message}") from None
