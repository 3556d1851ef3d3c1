"""Where torch enters: evaluating a variant's steps, answer, misconceptions and oracle.

Two environments keep the key and its check independent:

- the **studykit environment** (steps, answer, misconceptions) reaches the reference
  implementations (``losses``, ``optim``, ...) and a few neutral torch constructors;
- the **oracle environment** reaches torch (``torch``, ``F``) and never studykit, so the oracle
  is an independent computation of the same answer.

Parameters declared as tensors become float64 (or int64) tensors here, on the CPU; everything
else stays a plain Python value.

A key that takes no gradient is computed in inference mode (추론 모드, ``torch.inference_mode``):
the same kernels give the same numbers, without the bookkeeping autograd does on every operation
(a version counter, a check for a graph to record), which on the few-element tensors of a
question is about a fifth of what each operation costs. A template takes gradients when an
expression of its key calls a procedure, an optimizer or ``torch.autograd``, or names a tensor's
``grad``, ``backward`` or ``requires_grad`` (`uses_autograd`); its key is computed with autograd
on. The oracle, the independent check, is always computed with autograd on.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import math
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any

import torch
import torch.nn.functional as F

from studykit.catalog import CONCEPTS
from studykit.questions import procedures
from studykit.questions.allowed import ORACLE_FUNCTIONS, STUDYKIT_FUNCTIONS
from studykit.questions.expressions import (
    Expression,
    evaluate,
    function_variable,
    new_scope,
    register_tensor_types,
)
from studykit.questions.limits import MAX_ELEMENTS, LimitError, untimed
from studykit.questions.params import CONSTRAINT_FUNCTIONS, ParamSpec

__all__ = [
    "computing",
    "oracle_env",
    "plain",
    "prepare",
    "resolve",
    "studykit_env",
    "tensor_params",
    "uses_autograd",
]

register_tensor_types(torch.Tensor, torch.Size)


def _roots() -> dict[str, object]:
    """The objects that the first words of allowed dotted names stand for."""
    roots: dict[str, object] = {"torch": torch, "F": F, "procedures": procedures}
    for concept in CONCEPTS:
        roots[concept.module.rpartition(".")[2]] = importlib.import_module(concept.module)
    return roots


# Imported with this module, so that no time budget of a variant pays for imports.
_ROOTS = _roots()


def resolve(dotted: str) -> object:
    """The object an allowed dotted name stands for, with its size guard where it has one.

    Only names from the tables of `studykit.questions.allowed` are ever resolved; the walk
    along the dots is this module's own, never a template's.
    """
    root, *path = dotted.split(".")
    value: Any = _ROOTS[root]
    for part in path:
        value = getattr(value, part)
    if dotted in _UNTIMED:
        return _untimed(value)
    count = _SIZED.get(dotted)
    return value if count is None else _sized(value, count, dotted)


# Trusted functions whose first call costs a one-time import (sympy), whatever the template:
# their time does not count against a variant's budget. Their inputs are names from a fixed set.
_UNTIMED = frozenset({"symbolic.derivative"})


def _untimed(function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        with untimed():
            return function(*args, **kwargs)

    return call


# How many elements a call would create, for the functions that take sizes.
Count = Callable[[tuple[Any, ...], dict[str, Any]], float]


def _size_of(args: tuple[Any, ...]) -> float:
    """Elements of a size given as ints (``zeros(2, 3)``) or one sequence (``zeros((2, 3))``)."""
    if len(args) == 1 and isinstance(args[0], list | tuple | torch.Size):
        args = tuple(args[0])
    return math.prod(float(a) for a in args if isinstance(a, int | float))


def _leaves(data: Any, budget: float) -> float:
    """How many numbers nested lists hold; ``inf`` as soon as there are more than ``budget``."""
    if isinstance(data, torch.Tensor):
        return float(data.numel())
    if not isinstance(data, list | tuple):
        return 1.0
    if not data or not isinstance(data[0], list | tuple | torch.Tensor):
        return float(len(data))  # a row of numbers (a ragged list is torch's to refuse)
    count = 0.0
    for item in data:
        count += _leaves(item, budget - count)
        if count > budget:
            return math.inf
    return count


def _arange(args: tuple[Any, ...], kwargs: dict[str, Any]) -> float:
    start, end, step = 0.0, kwargs.get("end", 0.0), kwargs.get("step", 1.0)
    numbers = [float(a) for a in args if isinstance(a, int | float)]
    if len(numbers) == 1:
        end = numbers[0]
    elif numbers:
        start, end, *rest = numbers
        step = rest[0] if rest else step
    return abs((float(end) - start) / float(step or 1.0))


def _recurrent(args: tuple[Any, ...], kwargs: dict[str, Any]) -> float:
    inputs = args[0] if args else kwargs.get("input_size", 0)
    hidden = args[1] if len(args) > 1 else kwargs.get("hidden_size", 0)
    layers = args[2] if len(args) > 2 else kwargs.get("num_layers", 1)
    return 4.0 * float(hidden) * (float(inputs) + float(hidden)) * float(layers)


_SIZED: dict[str, Count] = {
    **{
        f"torch.{name}": lambda args, kwargs: _size_of(args or (kwargs.get("size", ()),))
        for name in ("zeros", "ones", "empty")
    },
    "torch.full": lambda args, kwargs: _size_of((args[0] if args else kwargs.get("size", ()),)),
    "torch.eye": lambda args, kwargs: _size_of(args[:2] if len(args) > 1 else args * 2),
    "torch.arange": _arange,
    "torch.linspace": lambda args, kwargs: float(
        args[2] if len(args) > 2 else kwargs.get("steps", 0)
    ),
    "torch.tensor": lambda args, kwargs: _leaves(args[0] if args else 0, MAX_ELEMENTS),
    **{f"torch.nn.{name}": _recurrent for name in ("RNN", "LSTM", "GRU", "RNNCell", "LSTMCell")},
    "models.init_params": lambda args, kwargs: _size_of((args[0] if args else kwargs["size"],)),
    "F.one_hot": lambda args, kwargs: (
        float(args[0].numel()) * float(args[1] if len(args) > 1 else kwargs.get("num_classes", 0))
    ),
}


def _sized(function: Callable[..., Any], count: Count, dotted: str) -> Callable[..., Any]:
    """``function``, refusing a call that would create more than ``MAX_ELEMENTS`` elements."""

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            wanted = count(args, kwargs)
        except (TypeError, ValueError, OverflowError, KeyError, IndexError):
            wanted = 0.0  # not a size this guard understands: the function will complain
        if not wanted <= MAX_ELEMENTS:  # also refuses nan
            amount = f"{wanted:,.0f}" if math.isfinite(wanted) else "too many"
            raise LimitError(
                f"{dotted} would make {amount} elements, over the limit of {MAX_ELEMENTS:,}"
            )
        return function(*args, **kwargs)

    return guarded


def _functions(names: frozenset[str]) -> dict[str, object]:
    """The variables that a table's dotted names become, bound to what they stand for."""
    return {function_variable(name): resolve(name) for name in sorted(names)}


_INT64, _FLOAT64 = torch.int64, torch.float64


def tensor_params(specs: tuple[ParamSpec, ...], values: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as the computation sees them: tensor params become CPU tensors."""
    out: dict[str, Any] = {}
    for spec in specs:
        value = values[spec.name]
        if spec.shape is not None:  # spec.is_tensor, without the property's call
            value = torch.tensor(value, dtype=_INT64 if spec.dtype == "int" else _FLOAT64)
        out[spec.name] = value
    return out


def prepare() -> None:
    """Make the studykit environment's scope now, before any variant's clock starts."""
    if "studykit" not in _SCOPES:
        _cached_scope("studykit", STUDYKIT_FUNCTIONS)


def studykit_env(params: Mapping[str, Any]) -> dict[str, Any]:
    """The environment of steps, answer and misconceptions (a fresh scope each time)."""
    return _with_params(_cached_scope("studykit", STUDYKIT_FUNCTIONS), params)


def oracle_env(params: Mapping[str, Any]) -> dict[str, Any]:
    """The environment of the oracle: torch and the parameters, nothing from studykit."""
    return _with_params(_cached_scope("oracle", ORACLE_FUNCTIONS), params)


_SCOPES: dict[str, dict[str, Any]] = {}


def _cached_scope(kind: str, names: frozenset[str]) -> dict[str, Any]:
    """The helpers and allowed functions of one kind of environment, as a scope made once."""
    if kind not in _SCOPES:
        if kind == "oracle":
            _warm_torch_optim()
        _SCOPES[kind] = new_scope({**CONSTRAINT_FUNCTIONS, **_functions(names)})
    return _SCOPES[kind]


def _warm_torch_optim() -> None:
    """Take one step of a torch optimizer, before any variant's clock starts.

    torch imports its compiler stack (seconds) on an optimizer's first step; the oracles of the
    optimizer questions would otherwise spend their time budget on that import.
    """
    param = torch.zeros(1, requires_grad=True)
    param.grad = torch.zeros(1)
    torch.optim.SGD([param], lr=0.1).step()


def _with_params(scope: dict[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``scope`` with the parameters added; a parameter may shadow a helper's name."""
    fresh = scope.copy()
    fresh.update(params)
    return fresh


# Dotted names (by their start) and attribute or keyword names that take or read gradients.
_AUTOGRAD_FUNCTIONS = ("procedures.", "optim.", "torch.optim.", "torch.autograd.")
_AUTOGRAD_NAMES = frozenset({"backward", "grad", "requires_grad", "requires_grad_", "retain_grad"})


def uses_autograd(expressions: Iterable[Expression]) -> bool:
    """Whether any of ``expressions`` takes a gradient (and so needs autograd on).

    Example:
        >>> from studykit.questions.expressions import parse
        >>> uses_autograd([parse("procedures.gradient(activations.tanh, x)")])
        True
        >>> uses_autograd([parse("losses.mse_loss(p, t)"), parse("x.sum()")])
        False
    """
    for expression in expressions:
        if any(name.startswith(_AUTOGRAD_FUNCTIONS) for name in expression.functions):
            return True
        for node in ast.walk(expression.tree):
            named = node.attr if isinstance(node, ast.Attribute) else None
            if isinstance(node, ast.keyword):
                named = node.arg
            if named in _AUTOGRAD_NAMES:
                return True
    return False


def computing(autograd: bool) -> contextlib.AbstractContextManager[Any]:
    """The mode a key is computed in: inference mode, unless it takes gradients."""
    return contextlib.nullcontext() if autograd else torch.inference_mode()


def run(expression: Any, env: Mapping[str, Any]) -> Any:
    """Evaluate with autograd on (steps may call ``backward``) and return the raw value.

    Within `computing` a key that takes no gradient runs in inference mode, as it is.
    """
    if torch.is_grad_enabled() or torch.is_inference_mode_enabled():  # entering costs more
        return evaluate(expression, env)
    with torch.enable_grad():
        return evaluate(expression, env)


_PLAIN = (float, int, bool, str, type(None))


def plain(value: Any) -> Any:
    """Tensors, sizes and tuples to plain Python numbers and lists (for texts and keys)."""
    kind = type(value)
    if kind is torch.Tensor and value.is_cpu:  # the usual step values: a tensor, a number
        return value.tolist()  # a plain number for a 0-d tensor
    if kind in _PLAIN:
        return value
    if isinstance(value, torch.Tensor):
        return (value if value.is_cpu else value.cpu()).tolist()
    if kind is list:
        return [plain(v) for v in value]
    if isinstance(value, torch.Size):
        return tuple(int(v) for v in value)
    if isinstance(value, list | tuple):
        return type(value)(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
