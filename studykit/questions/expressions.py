"""The small, safe expression language that question templates compute with.

A template never holds Python code. Its steps, answer, oracle, constraints, derived parameters
and misconceptions are one-line expressions such as ``losses.mse_loss(preds, targets,
reduction='sum')`` or ``(preds - targets) ** 2``. They are parsed with Python's ``ast`` module in
``eval`` mode (parsing runs nothing) and every node is checked against an allow-list:

- literals (numbers, strings, ``True``/``False``/``None``), lists, tuples, dicts;
- names bound in the environment (parameters, earlier steps, plain helpers such as ``abs``);
- **dotted function names** (``losses.mse_loss``, ``torch.optim.SGD``): the whole name is looked
  up in the field's table (`studykit.questions.allowed`) when the template is loaded, and the
  expression is rewritten to use the one object it names, so modules are never reached at run
  time;
- arithmetic ``+ - * / // % ** @``, unary ``- + not``, comparisons, ``and``/``or``,
  ``a if c else b``;
- calls, with positional and keyword arguments;
- attributes of values: an allow-listed tensor attribute or method (``x.shape``,
  ``x.sum(dim=1)``), or an allow-listed read-only attribute of one of studykit's result objects
  (``regularization.early_stopping(losses, patience=2).stopped_epoch``), nothing else;
- indexing and slicing (``x[0]``, ``x[:, 1:]``);
- list comprehensions and generator expressions (``[p - t for p, t in zip(preds, targets)]``).

Anything else (lambdas, f-strings, names or attributes starting with ``_``, starred arguments,
walrus, imports) is refused when the template is *loaded*, with a message naming the construct.

The checked tree is then rewritten so that the budgets of `studykit.questions.limits` bite while
it runs: every call goes through ``_call`` (``_call1`` for a call of one argument and no
keyword; no tensor larger than ``MAX_ELEMENTS`` elements, checked before a broadcast and after
every call), every operator through its guard (``_add``, ``_mul``, ..., each falling back on
``operate``: no list or string longer than ``MAX_SEQUENCE``, no integer past ``MAX_INT_BITS``
bits, no broadcast past ``MAX_ELEMENTS``), every attribute through ``_attr`` and every loop
through ``_loop`` (at most ``MAX_ITERATIONS`` iterations per evaluation). It is compiled once
and runs without Python's builtins: the only names it can reach are the ones the environment
binds.

The guards run for every operator and call of every variant, so each asks the cheapest
question first: two plain numbers (``type(x) in ...``, never ``isinstance`` on torch's class,
which is slow) go straight through, and only what could break a budget takes the long way.
A shortcut may never skip a check, only reach the same answer sooner: `tests/test_guard_fastpaths`
sets each against the rule it keeps.
"""

from __future__ import annotations

import ast
import builtins
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import CodeType
from typing import Any

from studykit.questions.allowed import (
    ALLOWED_NODES,
    NAMESPACES,
    RESULT_ATTRIBUTES,
    SIZE_ATTRIBUTES,
    TENSOR_ATTRIBUTES,
)
from studykit.questions.limits import (
    MAX_ELEMENTS,
    MAX_INT_BITS,
    MAX_ITERATIONS,
    MAX_SEQUENCE,
    LimitError,
    LoopBudget,
    TimeLimitError,
    check_broadcast,
    check_matmul,
    check_size_argument,
    check_tensor_size,
)

__all__ = [
    "MAX_ITERATIONS",
    "RESULT_ATTRIBUTES",
    "TENSOR_ATTRIBUTES",
    "Expression",
    "ExpressionError",
    "ExpressionLimitError",
    "evaluate",
    "function_variable",
    "new_scope",
    "operate",
    "parse",
    "register_tensor_types",
]

MAX_LENGTH = 500
MAX_EXPONENT = 1000

_RESULT_VALUES = (int, float, type(None))

# torch's C code imports modules through the caller's builtins, so ``__import__`` must be there;
# template text cannot name it (names starting with ``_`` are refused when parsing).
_BUILTINS = {"__import__": builtins.__import__}
# The tensor and size classes, registered by the module that imports torch (this one does not).
_TENSORS: tuple[type, ...] = ()
_SIZES: tuple[type, ...] = ()
# The argument types a call must look at (a tensor, a size, a tuple that may be a size): a call
# given none of these exactly skips every check but the result's size.
_CHECKED_ARGUMENTS: frozenset[type] = frozenset({tuple})
_SIZE_ARGUMENTS: frozenset[type] = frozenset({tuple})
# Built-in result types that are never a tensor (``isinstance`` on torch's class is slow).
_PLAIN_RESULTS = frozenset({int, float, bool, str, list, tuple, dict, set, range, type(None)})


class ExpressionError(ValueError):
    """A template expression that cannot be parsed or evaluated (one-line message)."""


class ExpressionLimitError(ExpressionError, LimitError):
    """An expression that went over one of its budgets (see `studykit.questions.limits`)."""


def register_tensor_types(tensor: type, size: type) -> None:
    """Tell the guards which classes are tensors and sizes (called once torch is imported)."""
    global _TENSORS, _SIZES, _CHECKED_ARGUMENTS, _SIZE_ARGUMENTS
    _TENSORS, _SIZES = (tensor,), (size,)
    _CHECKED_ARGUMENTS, _SIZE_ARGUMENTS = frozenset({tuple, tensor, size}), frozenset({tuple, size})


def function_variable(dotted: str) -> str:
    """The variable a dotted function name becomes: ``torch.optim.SGD`` → ``_fn_torch__optim__SGD``.

    Template text cannot name it (it starts with ``_``); the environment binds it.
    """
    return "_fn_" + dotted.replace(".", "__")


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression and its source text."""

    source: str
    tree: ast.Expression
    code: CodeType = field(repr=False, compare=False)
    loops: bool = field(default=False, repr=False, compare=False)  # has a comprehension
    functions: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @cached_property
    def free_names(self) -> frozenset[str]:
        """The free names the expression uses, found once (drawing parameters asks often).

        The first word of a dotted function name counts as a name (``losses``).
        """
        names = [n for n in ast.walk(self.tree) if isinstance(n, ast.Name)]
        bound = {n.id for n in names if isinstance(n.ctx, ast.Store)}
        return frozenset({n.id for n in names if isinstance(n.ctx, ast.Load)} - bound)

    def names(self) -> set[str]:
        """The free names the expression uses (to check them against the environment)."""
        return set(self.free_names)


def parse(source: object) -> Expression:
    """Parse and check a template expression; nothing is evaluated.

    Raises:
        ExpressionError: Not a string, too long, a syntax error, or a construct outside the
            allow-list (named in the message).
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
        _check_node(node, text)
    functions = _functions(tree, text)
    try:
        guarded = ast.fix_missing_locations(_Guard().visit(_copy(tree)))
        code = compile(guarded, "<template>", "eval")
    except (RecursionError, MemoryError, ValueError, SyntaxError):
        raise ExpressionError(f"{text!r} is nested too deeply") from None
    loops = any(isinstance(node, ast.comprehension) for node in ast.walk(tree))
    return Expression(text, tree, code, loops, functions)


def _check_node(node: ast.AST, text: str) -> None:
    if not isinstance(node, ALLOWED_NODES):
        raise ExpressionError(f"{type(node).__name__} is not allowed in {text!r}")
    if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
        raise ExpressionError(f"private attribute .{node.attr} is not allowed in {text!r}")
    if isinstance(node, ast.keyword) and node.arg is None:
        raise ExpressionError(f"**kwargs is not allowed in {text!r}")
    if isinstance(node, ast.comprehension) and not _simple_target(node.target):
        raise ExpressionError(f"comprehension targets must be names in {text!r}")
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        raise ExpressionError(f"names starting with _ are not allowed in {text!r}")
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and node.value.bit_length() > MAX_INT_BITS
    ):
        raise ExpressionError(f"a number of more than {MAX_INT_BITS} bits in {text!r}")


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for an attribute chain that starts at a namespace (``torch.optim.SGD``)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in NAMESPACES and parts:
        return ".".join([node.id, *reversed(parts)])
    return None


def _functions(tree: ast.Expression, text: str) -> frozenset[str]:
    """Every dotted function name used; a namespace used as a bare value is refused."""
    found: set[str] = set()
    chained: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in chained:
            dotted = _dotted(node)
            if dotted is not None:
                found.add(dotted)
                inner: ast.expr = node
                while isinstance(inner, ast.Attribute):
                    chained.add(id(inner))
                    inner = inner.value
                chained.add(id(inner))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in NAMESPACES and id(node) not in chained:
            raise ExpressionError(
                f"{node.id!r} is a namespace, not a value: name one of its functions in {text!r}"
            )
    return frozenset(found)


def new_scope(env: Mapping[str, object]) -> dict[str, Any]:
    """``env`` plus the runtime guards: a scope that ``evaluate`` uses as it is, without a copy.

    A variant evaluates a dozen expressions in one environment that grows step by step; making
    the scope once and adding each step's value to it saves copying the environment each time.
    """
    return {**env, **_GUARDS}


def evaluate(expression: Expression, env: Mapping[str, object]) -> Any:
    """Evaluate a parsed expression in ``env`` (names → values and allowed functions).

    Raises:
        ExpressionError: An unknown name, a refused attribute, a budget exceeded
            (`ExpressionLimitError`), or any error raised by the computation itself (wrapped,
            with the expression text).
    """
    prepared = isinstance(env, dict) and env.get("__builtins__") is _BUILTINS
    scope: dict[str, Any] = env if prepared else new_scope(env)  # type: ignore[assignment]
    if expression.loops:  # a fresh iteration count for each evaluation
        scope["_loop"] = LoopBudget()
    try:
        return eval(expression.code, scope)
    except ExpressionError as error:
        raise type(error)(f"{error} (in {expression.source!r})") from None
    except TimeLimitError:
        raise  # it names no expression: it may have rung anywhere, even between two of them
    except LimitError as error:
        raise ExpressionLimitError(f"{error} (in {expression.source!r})") from None
    except NameError as error:
        name = getattr(error, "name", None) or str(error)
        raise ExpressionError(f"unknown name {_shown(name)!r} (in {expression.source!r})") from None
    except MemoryError:
        raise ExpressionLimitError(f"out of memory (in {expression.source!r})") from None
    except RecursionError:
        raise ExpressionLimitError(f"nested too deeply (in {expression.source!r})") from None
    except Exception as error:  # anything the computation raises, as one line
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ExpressionError(f"{expression.source!r} failed: {message[:300]}") from None


def _shown(name: str) -> str:
    """A variable as the template wrote it (``_fn_torch__zeros`` → ``torch.zeros``)."""
    return name.removeprefix("_fn_").replace("__", ".") if name.startswith("_fn_") else name


def _copy(tree: ast.Expression) -> ast.Expression:
    """A fresh tree to rewrite (the checked original stays as it was, for ``names``)."""
    return ast.parse(ast.unparse(tree), mode="eval")


_OP_NAMES: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.MatMult: "@",
}  # fmt: skip


class _Guard(ast.NodeTransformer):
    """Routes names, attributes, operators, calls and loops through the guards."""

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        dotted = _dotted(node)
        if dotted is not None:  # an allowed function: one variable, no attribute access
            return ast.copy_location(ast.Name(function_variable(dotted), ast.Load()), node)
        value = self.visit(node.value)
        call = ast.Call(ast.Name("_attr", ast.Load()), [value, ast.Constant(node.attr)], [])
        return ast.copy_location(call, node)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        symbol = _OP_NAMES[type(node.op)]
        guard = _NUMBER_GUARDS.get(symbol)
        if guard is not None:  # one guard per operator: two numbers take the shortest way
            call = ast.Call(ast.Name(guard, ast.Load()), [node.left, node.right], [])
        else:
            arguments = [node.left, node.right, ast.Constant(symbol)]
            call = ast.Call(ast.Name("_op", ast.Load()), arguments, [])
        return ast.copy_location(call, node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        args: list[ast.expr] = [node.func, *node.args]
        guard = "_call1" if len(node.args) == 1 and not node.keywords else "_call"
        call = ast.Call(ast.Name(guard, ast.Load()), args, node.keywords)
        return ast.copy_location(call, node)

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.iter = ast.Call(ast.Name("_loop", ast.Load()), [node.iter], [])
        return node


def _attribute(owner: Any, attr: str) -> Any:
    if type(owner) in _TENSORS and attr in TENSOR_ATTRIBUTES:  # the usual case, said quickly
        return getattr(owner, attr)
    if _TENSORS and isinstance(owner, _TENSORS) and attr in TENSOR_ATTRIBUTES:
        return getattr(owner, attr)
    if _SIZES and isinstance(owner, _SIZES) and attr in SIZE_ATTRIBUTES:
        return getattr(owner, attr)
    kind = type(owner)
    if attr in RESULT_ATTRIBUTES.get(f"{kind.__module__}.{kind.__qualname__}", ()):
        value = getattr(owner, attr)
        if type(value) in _RESULT_VALUES:  # a plain number, whatever the object was given
            return value
    raise ExpressionError(f"attribute .{attr} is not available on {type(owner).__name__}")


def _call(function: Any, /, *args: Any, **kwargs: Any) -> Any:
    """Call ``function``; refuse a size, a broadcast or a result past the element budget.

    Arguments that are neither tensors, sizes nor tuples (plain numbers and lists, the usual
    case) need no check before the call: only the result's size is checked.
    """
    if not callable(function):
        raise ExpressionError(f"a {type(function).__name__} is not a function")
    for value in args:
        if type(value) in _CHECKED_ARGUMENTS:
            return _checked_call(function, args, kwargs)
    if kwargs:
        for value in kwargs.values():
            if type(value) in _CHECKED_ARGUMENTS:
                return _checked_call(function, args, kwargs)
    result = function(*args, **kwargs)
    if type(result) not in _PLAIN_RESULTS and isinstance(result, _TENSORS):
        check_tensor_size(result)
    return result


def _call1(function: Any, argument: Any, /) -> Any:
    """``_call`` of one positional argument, no keyword (the usual call), said more quickly.

    One tensor alone cannot broadcast: only a size (a tuple) needs a check before the call.
    """
    if type(argument) in _SIZE_ARGUMENTS or not callable(function):
        return _call(function, argument)  # which checks the size or refuses the function
    result = function(argument)
    if type(result) not in _PLAIN_RESULTS and isinstance(result, _TENSORS):
        check_tensor_size(result)
    return result


def _checked_call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``_call`` for arguments among which are tensors, sizes or tuples: check, then call."""
    tensors, elements = 0, 1  # tensors among all arguments; elements of the positional ones
    for value in args:
        kind = type(value)
        if kind in _TENSORS:
            tensors += 1
            elements *= value.numel()
        elif kind is tuple or kind in _SIZES:
            check_size_argument(value)
    if kwargs:
        for value in kwargs.values():
            kind = type(value)
            if kind in _TENSORS:
                tensors += 1
            elif kind is tuple or kind in _SIZES:
                check_size_argument(value)
    if tensors > 1 and elements > MAX_ELEMENTS:  # small tensors cannot broadcast past it
        check_broadcast([a for a in args if type(a) in _TENSORS])
    result = function(*args, **kwargs)
    if isinstance(result, _TENSORS):
        check_tensor_size(result)
    return result


_NUMBERS = (int, float, bool)
_NUMBER_TYPES = frozenset(_NUMBERS)
_REALS = frozenset({int, float})
_SEQUENCES = (list, tuple, str)
_APPLY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "@": operator.matmul,
}  # fmt: skip


def operate(left: Any, right: Any, symbol: str) -> Any:
    """``left <symbol> right`` within the budgets (numbers take the short way).

    Question texts use it too, for the operators of their ``<< ... >>`` expressions.
    """
    if type(left) in _NUMBERS and type(right) in _NUMBERS:
        if symbol == "**":
            _check_power(left, right)
        elif symbol == "*" and type(left) is int is type(right) and _too_many_bits(left, right):
            raise LimitError(f"an integer of more than {MAX_INT_BITS} bits")
        return _APPLY[symbol](left, right)
    if isinstance(left, _SEQUENCES) or isinstance(right, _SEQUENCES):
        _check_sequence(left, right, symbol)
    elif _TENSORS and isinstance(left, _TENSORS) and isinstance(right, _TENSORS):
        if symbol == "@":
            check_matmul(left, right)
        else:
            check_broadcast([left, right])
    if symbol == "**":
        _check_power(left, right)
    return _APPLY[symbol](left, right)


# The operators whose guard has a shortcut for what ``operate`` would apply unchecked: two plain
# numbers, a tensor and a number, two tensors too small to broadcast past the budget. Anything
# else they are given goes through ``operate``.
_NUMBER_GUARDS = {
    "+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "//": "_floordiv", "%": "_mod",
    "**": "_pow",
}  # fmt: skip


def _unchecked(left: Any, right: Any) -> bool:
    """Whether ``left + right`` (or ``-``, ``/``) needs no check: see ``_NUMBER_GUARDS``."""
    first, second = type(left), type(right)
    if first in _NUMBERS:
        return second in _NUMBERS or second in _TENSORS
    if first in _TENSORS:
        if second in _TENSORS:
            return bool(left.numel() * right.numel() <= MAX_ELEMENTS)
        return second in _NUMBERS
    return False


# Each guard first asks the cheapest question, two plain numbers, before ``_unchecked``.
def _add(left: Any, right: Any) -> Any:
    if (type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES) or _unchecked(left, right):
        return left + right
    return operate(left, right, "+")


def _sub(left: Any, right: Any) -> Any:
    if (type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES) or _unchecked(left, right):
        return left - right
    return operate(left, right, "-")


def _mul(left: Any, right: Any) -> Any:
    """``left * right``; two ints only while their product stays within ``MAX_INT_BITS``."""
    if type(left) is int is type(right):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            return operate(left, right, "*")  # which refuses it
        return left * right
    if (type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES) or _unchecked(left, right):
        return left * right
    return operate(left, right, "*")


def _div(left: Any, right: Any) -> Any:
    if (type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES) or _unchecked(left, right):
        return left / right
    return operate(left, right, "/")


def _floordiv(left: Any, right: Any) -> Any:
    if type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES:
        return left // right
    return operate(left, right, "//")


def _mod(left: Any, right: Any) -> Any:
    if type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES:
        return left % right
    return operate(left, right, "%")


def _pow(left: Any, right: Any) -> Any:
    """``left ** right`` within ``_check_power``'s limits (a float power of a float: at once)."""
    if type(left) is float and type(right) in _REALS and abs(right) <= MAX_EXPONENT:
        return left**right  # all that _check_power asks of a float base
    if type(left) in _NUMBER_TYPES and type(right) in _NUMBER_TYPES:
        _check_power(left, right)
        return left**right
    return operate(left, right, "**")


def _check_sequence(left: Any, right: Any, symbol: str) -> None:
    if symbol == "%" and isinstance(left, str):
        raise ExpressionError("string formatting with % is not allowed")
    if _sequence_length(left, right, symbol) > MAX_SEQUENCE:
        raise LimitError(f"a list or text of more than {MAX_SEQUENCE} items")


def _sequence_length(left: Any, right: Any, symbol: str) -> int:
    """How long ``left * right`` or ``left + right`` of a list, tuple or text would be."""
    if symbol == "*":
        count = right if isinstance(left, _SEQUENCES) else left
        items = left if isinstance(left, _SEQUENCES) else right
        return len(items) * max(count, 0) if isinstance(count, int) else 0
    if symbol == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        return len(left) + len(right)
    return 0


def _simple_target(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    return isinstance(target, ast.Tuple) and all(_simple_target(t) for t in target.elts)


def _check_power(base: Any, exponent: Any) -> None:
    """Refuse powers that would take very long or overflow.

    ``|exponent| <= 1000``; an integer power must stay within ``MAX_INT_BITS`` bits.
    """
    if isinstance(exponent, int | float) and not isinstance(exponent, bool):
        if abs(exponent) > MAX_EXPONENT:
            shown = _short(exponent) if isinstance(exponent, int) else exponent
            raise LimitError(f"exponent {shown} is over the limit of {MAX_EXPONENT}")
        whole = isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1
        if whole and (abs(exponent) > 64 or base.bit_length() * exponent > MAX_INT_BITS):
            raise LimitError(f"integer power {_short(base)} ** {exponent} is too large")


def _too_many_bits(left: int, right: int) -> bool:
    return left.bit_length() + right.bit_length() > MAX_INT_BITS


def _short(number: int) -> str:
    text = str(number) if number.bit_length() < 200 else f"<{number.bit_length()}-bit integer>"
    return text


_GUARDS: dict[str, Any] = {
    "__builtins__": _BUILTINS,
    "_attr": _attribute,
    "_op": operate,
    "_add": _add,
    "_sub": _sub,
    "_mul": _mul,
    "_div": _div,
    "_floordiv": _floordiv,
    "_mod": _mod,
    "_pow": _pow,
    "_call": _call,
    "_call1": _call1,
}
