"""The small, safe expression language that question templates compute with.

A template never holds Python code. Its steps, answer, oracle, constraints and misconceptions are
one-line expressions such as ``losses.mse_loss(preds, targets, reduction='sum')`` or
``(preds - targets) ** 2``. They are parsed with Python's ``ast`` module in ``eval`` mode (parsing
runs nothing) and then *walked* by :func:`evaluate`, which only knows a whitelist of node types:

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

Anything else (lambdas, comprehensions, f-strings, dunder attributes, starred arguments, walrus)
is rejected when the template is *loaded*, with a message naming the construct, so a template
cannot reach ``__import__`` or ``open`` however it is written. Powers are capped so that a typo
like ``10 ** 10 ** 10`` fails instead of hanging.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Expression", "ExpressionError", "Namespace", "evaluate", "parse"]

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

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.MatMult: operator.matmul,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ALLOWED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.List, ast.Tuple, ast.Dict,
    ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.And, ast.Or, ast.IfExp, ast.Call,
    ast.keyword, ast.Attribute, ast.Subscript, ast.Slice, ast.ListComp, ast.GeneratorExp,
    ast.comprehension, ast.Store,
    *_BINARY, *_UNARY, *_COMPARE,
)  # fmt: skip
MAX_ITERATIONS = 10_000


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

    def get(self, attr: str) -> object:
        """Return the member ``attr`` or raise ``ExpressionError`` naming it."""
        value = None if attr.startswith("_") else self.members(attr)
        if value is None:
            raise ExpressionError(f"{self.name}.{attr} is not available to templates")
        return value


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression and its source text."""

    source: str
    tree: ast.Expression

    def names(self) -> set[str]:
        """The free names the expression uses (to check them against the environment)."""
        names = [n for n in ast.walk(self.tree) if isinstance(n, ast.Name)]
        bound = {n.id for n in names if isinstance(n.ctx, ast.Store)}
        return {n.id for n in names if isinstance(n.ctx, ast.Load)} - bound

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
    return Expression(text, tree)


def evaluate(expression: Expression, env: Mapping[str, object]) -> Any:
    """Evaluate a parsed expression in ``env`` (names → values, tensors or ``Namespace`` s).

    Raises:
        ExpressionError: An unknown name, a disallowed attribute, a call of something that is
            not callable, a too-large power, or any error raised by the computation itself
            (wrapped, with the expression text).
    """
    try:
        return _Walker(env).visit(expression.tree.body)
    except ExpressionError as error:
        raise ExpressionError(f"{error} (in {expression.source!r})") from None
    except (ArithmeticError, ValueError, TypeError, IndexError, KeyError, RuntimeError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ExpressionError(f"{expression.source!r} failed: {message}") from None


class _Walker:
    """Evaluates one whitelisted AST node at a time."""

    def __init__(self, env: Mapping[str, object]) -> None:
        self.env = env
        self.iterations = 0

    def visit(self, node: ast.AST) -> Any:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError(f"{type(node).__name__} is not allowed")
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id not in self.env:
            raise ExpressionError(f"unknown name {node.id!r}")
        return self.env[node.id]

    def visit_List(self, node: ast.List) -> list[Any]:
        return [self.visit(item) for item in node.elts]

    def visit_Tuple(self, node: ast.Tuple) -> tuple[Any, ...]:
        return tuple(self.visit(item) for item in node.elts)

    def visit_Dict(self, node: ast.Dict) -> dict[Any, Any]:
        if any(k is None for k in node.keys):
            raise ExpressionError("**mapping is not allowed")
        return {self.visit(k): self.visit(v) for k, v in zip(node.keys, node.values, strict=True)}  # type: ignore[arg-type]

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            _check_power(left, right)
        return _BINARY[type(node.op)](left, right)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        return _UNARY[type(node.op)](self.visit(node.operand))

    def visit_Compare(self, node: ast.Compare) -> Any:
        left = self.visit(node.left)
        result: Any = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.visit(right_node)
            outcome = _COMPARE[type(op)](left, right)
            result = outcome if result is True else result & outcome
            left = right
        return result

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        value: Any = None
        for item in node.values:
            value = self.visit(item)
            if isinstance(node.op, ast.And) and not value:
                return value
            if isinstance(node.op, ast.Or) and value:
                return value
        return value

    def visit_IfExp(self, node: ast.IfExp) -> Any:
        return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        owner = self.visit(node.value)
        if isinstance(owner, Namespace):
            return owner.get(node.attr)
        if node.attr in TENSOR_ATTRIBUTES and _is_tensor_like(owner):
            return getattr(owner, node.attr)
        raise ExpressionError(f"attribute .{node.attr} is not available on {type(owner).__name__}")

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        return self.visit(node.value)[self.visit(node.slice)]

    def visit_Slice(self, node: ast.Slice) -> slice:
        def part(item: ast.expr | None) -> Any:
            return None if item is None else self.visit(item)

        return slice(part(node.lower), part(node.upper), part(node.step))

    def visit_ListComp(self, node: ast.ListComp) -> list[Any]:
        return self.comprehension(node.elt, node.generators)

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> list[Any]:
        return self.comprehension(node.elt, node.generators)

    def comprehension(self, element: ast.expr, generators: list[ast.comprehension]) -> list[Any]:
        """Run the loops of a comprehension in a child scope; the result is a list."""
        results: list[Any] = []
        outer = self.env

        def loop(index: int) -> None:
            if index == len(generators):
                results.append(self.visit(element))
                return
            generator = generators[index]
            for item in self.visit(generator.iter):
                self.iterations += 1
                if self.iterations > MAX_ITERATIONS:
                    raise ExpressionError(f"more than {MAX_ITERATIONS} loop iterations")
                self.env = {**self.env, **_bind(generator.target, item)}
                if all(self.visit(condition) for condition in generator.ifs):
                    loop(index + 1)

        try:
            loop(0)
        finally:
            self.env = outer
        return results

    def visit_Call(self, node: ast.Call) -> Any:
        function = self.visit(node.func)
        if not callable(function):
            raise ExpressionError(f"{ast.unparse(node.func)} is not callable")
        args = [self.visit(a) for a in node.args]
        kwargs = {k.arg: self.visit(k.value) for k in node.keywords if k.arg is not None}
        return function(*args, **kwargs)


def _simple_target(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    return isinstance(target, ast.Tuple) and all(_simple_target(t) for t in target.elts)


def _bind(target: ast.expr, value: Any) -> dict[str, Any]:
    """Bind a loop target (a name or a tuple of names) to one item."""
    if isinstance(target, ast.Name):
        return {target.id: value}
    assert isinstance(target, ast.Tuple)
    items = list(value)
    if len(items) != len(target.elts):
        raise ExpressionError(f"cannot unpack {len(items)} values into {len(target.elts)} names")
    bound: dict[str, Any] = {}
    for sub, item in zip(target.elts, items, strict=True):
        bound.update(_bind(sub, item))
    return bound


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
