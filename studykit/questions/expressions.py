"""The small, safe expression language that question templates compute with.

A template never holds Python code. Its steps, answer, oracle, constraints and misconceptions are
one-line expressions such as ``losses.mse_loss(preds, targets, reduction='sum')`` or
``(preds - targets) ** 2``. They are parsed with Python's ``ast`` module in ``eval`` mode (parsing
runs nothing) and every node is checked against a whitelist:

- literals (numbers, strings, ``True``/``False``/``None``), lists, tuples, dicts;
- names bound in the environment (parameters, earlier steps, whitelisted namespaces);
- arithmetic ``+ - * / // % ** @``, unary ``- + not``, comparisons, ``and``/``or``,
  ``a if c else b``;
- calls of whitelisted callables, with positional and keyword arguments;
- attribute access: a namespace's public names (``losses.mse_loss``), or a whitelisted tensor
  attribute (``x.shape``, ``x.sum(dim=1)``);
- indexing and slicing (``x[0]``, ``x[:, 1:]``);
- list comprehensions and generator expressions (``[p - t for p, t in zip(preds, targets)]``),
  capped at 10,000 iterations.

Anything else (lambdas, f-strings, names or attributes starting with ``_``, starred arguments,
walrus, imports) is rejected when the template is *loaded*, with a message naming the construct.

The checked tree is then rewritten so that every attribute access goes through a whitelist check
(``_attr``), every power through a size check (``_pow``: a typo like ``10 ** 10 ** 10`` fails
instead of hanging) and every loop through an iteration cap (``_loop``), and compiled once. It
runs without Python's builtins: the only names it can reach are the ones the environment binds.
Templates are part of the project's source and reviewed as such; these checks make a mistake in
one fail loudly and safely, and compiling keeps thousands of variants a second affordable.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import CodeType
from typing import Any

__all__ = ["Expression", "ExpressionError", "Namespace", "evaluate", "new_scope", "parse"]

MAX_LENGTH = 500
MAX_EXPONENT = 1000

# Tensor attributes and methods a template may use (values, shapes, and read-only reductions).
TENSOR_ATTRIBUTES = frozenset(
    {
        "T", "abs", "amax", "amin", "argmax", "argmin", "clamp", "clone", "contiguous", "detach",
        "dim", "double", "exp", "flatten", "float", "is_contiguous", "item", "log", "long", "max",
        "mean", "min", "ndim", "numel", "permute", "prod", "reshape", "shape", "size", "sqrt",
        "squeeze", "std", "storage_offset", "stride", "sum", "t", "tolist", "transpose",
        "unsqueeze", "var", "view", "grad", "dtype", "flip", "round", "sign", "cumsum", "norm",
        "square", "int",
    }
)  # fmt: skip

_OPERATORS = (
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult,
    ast.USub, ast.UAdd, ast.Not,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
)  # fmt: skip
_ALLOWED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.List, ast.Tuple, ast.Dict,
    ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.And, ast.Or, ast.IfExp, ast.Call,
    ast.keyword, ast.Attribute, ast.Subscript, ast.Slice, ast.ListComp, ast.GeneratorExp,
    ast.comprehension, ast.Store,
    *_OPERATORS,
)  # fmt: skip
MAX_ITERATIONS = 10_000
# torch's C code imports modules through the caller's builtins, so ``__import__`` must be there;
# template text cannot name it (names starting with ``_`` are rejected when parsing).
_BUILTINS = {"__import__": builtins.__import__}


class ExpressionError(ValueError):
    """A template expression that cannot be parsed or evaluated (one-line message)."""


@dataclass(frozen=True)
class Namespace:
    """A named group of callables/values that expressions reach with a dot (``losses.mse_loss``).

    Attributes:
        name: How templates refer to it.
        members: Resolves a public name to its object; ``None`` when the name is not allowed.
    """

    name: str
    members: Callable[[str], object | None]
    found: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def get(self, attr: str) -> object:
        """Return the member ``attr`` or raise ``ExpressionError`` naming it."""
        if attr in self.found:  # resolved before: every variant asks for the same few names
            return self.found[attr]
        value = None if attr.startswith("_") else self.members(attr)
        if value is None:
            raise ExpressionError(f"{self.name}.{attr} is not available to templates")
        self.found[attr] = value
        return value


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression and its source text."""

    source: str
    tree: ast.Expression
    code: CodeType = field(repr=False, compare=False)
    loops: bool = field(default=False, repr=False, compare=False)  # has a comprehension

    @cached_property
    def free_names(self) -> frozenset[str]:
        """The free names the expression uses, found once (drawing parameters asks often)."""
        names = [n for n in ast.walk(self.tree) if isinstance(n, ast.Name)]
        bound = {n.id for n in names if isinstance(n.ctx, ast.Store)}
        return frozenset({n.id for n in names if isinstance(n.ctx, ast.Load)} - bound)

    def names(self) -> set[str]:
        """The free names the expression uses (to check them against the environment)."""
        return set(self.free_names)

    def dotted(self) -> set[tuple[str, str]]:
        """Every ``name.attribute`` pair it uses, such as ``("losses", "mse_loss")``."""
        return {
            (n.value.id, n.attr)
            for n in ast.walk(self.tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
        }


def parse(source: object) -> Expression:
    """Parse and check a template expression; nothing is evaluated.

    Raises:
        ExpressionError: Not a string, too long, a syntax error, or a construct outside the
            whitelist (named in the message).
    """
    if isinstance(source, bool | int | float):
        source = repr(source)
    if not isinstance(source, str):
        raise ExpressionError(f"expected an expression string, got {type(source).__name__}")
    text = source.strip()
    if not text:
        raise ExpressionError("empty expression")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        detail = getattr(error, "msg", None) or type(error).__name__
        raise ExpressionError(f"cannot parse {text!r}: {detail}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionError(f"{type(node).__name__} is not allowed in {text!r}")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionError(f"private attribute .{node.attr} is not allowed in {text!r}")
        if isinstance(node, ast.keyword) and node.arg is None:
            raise ExpressionError(f"**kwargs is not allowed in {text!r}")
        if isinstance(node, ast.comprehension) and not _simple_target(node.target):
            raise ExpressionError(f"comprehension targets must be names in {text!r}")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise ExpressionError(f"names starting with _ are not allowed in {text!r}")
    code = compile(ast.fix_missing_locations(_Guard().visit(_copy(tree))), "<template>", "eval")
    loops = any(isinstance(node, ast.comprehension) for node in ast.walk(tree))
    return Expression(text, tree, code, loops)


def new_scope(env: Mapping[str, object]) -> dict[str, Any]:
    """``env`` plus the runtime checks: a scope that ``evaluate`` uses as it is, without a copy.

    A variant evaluates a dozen expressions in one environment that grows step by step; making
    the scope once and adding each step's value to it saves copying the environment each time.
    """
    return {**env, "__builtins__": _BUILTINS, "_attr": _attribute, "_pow": _power}


def evaluate(expression: Expression, env: Mapping[str, object]) -> Any:
    """Evaluate a parsed expression in ``env`` (names → values, tensors or ``Namespace`` s).

    Raises:
        ExpressionError: An unknown name, a disallowed attribute, a call of something that is
            not callable, a too-large power, or any error raised by the computation itself
            (wrapped, with the expression text).
    """
    prepared = isinstance(env, dict) and env.get("__builtins__") is _BUILTINS
    scope: dict[str, Any] = env if prepared else new_scope(env)  # type: ignore[assignment]
    if expression.loops:  # a fresh iteration count for each evaluation
        scope["_loop"] = _LoopGuard()
    try:
        return eval(expression.code, scope)
    except ExpressionError as error:
        raise ExpressionError(f"{error} (in {expression.source!r})") from None
    except NameError as error:
        name = getattr(error, "name", None) or str(error)
        raise ExpressionError(f"unknown name {name!r} (in {expression.source!r})") from None
    except (ArithmeticError, ValueError, TypeError, IndexError, KeyError, RuntimeError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ExpressionError(f"{expression.source!r} failed: {message}") from None


def _copy(tree: ast.Expression) -> ast.Expression:
    """A fresh tree to rewrite (the checked original stays as it was, for ``names``)."""
    return ast.parse(ast.unparse(tree), mode="eval")


class _Guard(ast.NodeTransformer):
    """Routes attributes, powers and loops through the checks (``_attr``, ``_pow``, ``_loop``)."""

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        value = self.visit(node.value)
        call = ast.Call(ast.Name("_attr", ast.Load()), [value, ast.Constant(node.attr)], [])
        return ast.copy_location(call, node)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.op, ast.Pow) or _small_constant(node.right):
            return node  # ``x ** 2`` cannot blow up; only a large or computed exponent can
        call = ast.Call(ast.Name("_pow", ast.Load()), [node.left, node.right], [])
        return ast.copy_location(call, node)

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.iter = ast.Call(ast.Name("_loop", ast.Load()), [node.iter], [])
        return node


class _LoopGuard:
    """Counts the iterations of every loop of one evaluation and stops them past the cap.

    A list, tuple or range counts all its items when the loop starts (``any``/``all`` may stop
    early, but the cap is about runaway loops, not exact counts); other iterables count as
    they go.
    """

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, items: Any) -> Any:
        if type(items) in (list, tuple, range):  # sized: count them all at once
            self.count += len(items)
            if self.count > MAX_ITERATIONS:
                raise ExpressionError(f"more than {MAX_ITERATIONS} loop iterations")
            return items
        return self._counted(items)

    def _counted(self, items: Any) -> Any:
        for item in items:
            self.count += 1
            if self.count > MAX_ITERATIONS:
                raise ExpressionError(f"more than {MAX_ITERATIONS} loop iterations")
            yield item


def _attribute(owner: Any, attr: str) -> Any:
    if isinstance(owner, Namespace):
        return owner.get(attr)
    if attr in TENSOR_ATTRIBUTES and _is_tensor_like(owner):
        return getattr(owner, attr)
    raise ExpressionError(f"attribute .{attr} is not available on {type(owner).__name__}")


def _power(base: Any, exponent: Any) -> Any:
    _check_power(base, exponent)
    return base**exponent


def _small_constant(node: ast.expr) -> bool:
    """A literal exponent that passes ``_check_power`` for every base (``2``, ``0.5``, ``-1``)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
        return False
    return isinstance(node.value, int | float) and abs(node.value) <= 64


def _simple_target(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    return isinstance(target, ast.Tuple) and all(_simple_target(t) for t in target.elts)


def _is_tensor_like(value: object) -> bool:
    """True for torch tensors and sizes, checked by name so this module needs no torch."""
    return type(value).__module__.startswith("torch") or isinstance(value, tuple)


def _check_power(base: Any, exponent: Any) -> None:
    """Refuse powers that would take very long or overflow: ``|exponent| <= 1000``."""
    if isinstance(exponent, int | float) and not isinstance(exponent, bool):
        if abs(exponent) > MAX_EXPONENT:
            raise ExpressionError(f"exponent {exponent} is over the limit of {MAX_EXPONENT}")
        if isinstance(base, int) and abs(base) > 1 and abs(exponent) > 64:
            raise ExpressionError(f"integer power {base} ** {exponent} is too large")
