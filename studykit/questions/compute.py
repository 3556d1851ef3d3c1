"""Where torch enters: evaluating a variant's steps, answer, misconceptions and oracle.

Two environments keep the key and its check independent:

- the **studykit environment** (steps, answer, misconceptions) reaches the reference
  implementations (``losses``, ``optim``, ...) and a few neutral torch constructors;
- the **oracle environment** reaches torch (``torch``, ``F``) and never studykit, so the oracle
  is an independent computation of the same answer.

Parameters declared as tensors become float64 (or int64) tensors here, on the CPU; everything
else stays a plain Python value.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import torch
import torch.nn.functional as F

from studykit.catalog import CONCEPTS
from studykit.questions import procedures
from studykit.questions.expressions import Namespace, evaluate, new_scope
from studykit.questions.params import CONSTRAINT_FUNCTIONS, ParamSpec

__all__ = ["oracle_env", "plain", "studykit_env", "tensor_params"]

# Neutral torch helpers that steps may use to build inputs (never to compute the answer: the
# loader requires the answer to reach a studykit namespace).
_STEP_TORCH = frozenset(
    {
        "tensor", "zeros", "ones", "arange", "stack", "cat", "float64", "float32", "int64",
        "Size", "empty", "full", "eye", "linspace", "zeros_like", "ones_like", "where",
        "Generator",
    }
)  # fmt: skip
# What oracles may use from torch: math, not I/O.
_ORACLE_TORCH = _STEP_TORCH | frozenset(
    {
        "abs", "amax", "amin", "argmax", "argmin", "bmm", "broadcast_shapes", "clamp", "cumsum",
        "exp", "flatten", "linalg", "log", "matmul", "max", "mean", "min", "mm", "mul",
        "nanmean", "norm", "optim", "permute", "pow", "prod", "quantile", "relu", "reshape",
        "round", "sigmoid", "sign", "softmax", "log_softmax", "sqrt", "square", "squeeze", "std",
        "sum", "tanh", "unsqueeze", "var", "nn", "autograd", "empty_strided", "is_tensor",
        "float", "long", "double", "as_strided", "maximum", "minimum", "isclose", "allclose",
    }
)  # fmt: skip


def _module_namespace(name: str, module: ModuleType) -> Namespace:
    public = set(getattr(module, "__all__", ()))
    return Namespace(name, lambda attr: getattr(module, attr) if attr in public else None)


def _allowlist_namespace(name: str, owner: object, allowed: frozenset[str]) -> Namespace:
    def member(attr: str) -> object | None:
        if attr not in allowed:
            return None
        value = getattr(owner, attr, None)
        if isinstance(value, ModuleType):
            return _public_namespace(f"{name}.{attr}", value)
        return value

    return Namespace(name, member)


def _public_namespace(name: str, module: ModuleType) -> Namespace:
    """Every public, non-module attribute of a torch submodule (``torch.optim``, ``linalg``)."""

    def member(attr: str) -> object | None:
        value = getattr(module, attr, None)
        if isinstance(value, ModuleType):
            return _public_namespace(f"{name}.{attr}", value)
        return value if callable(value) or isinstance(value, int | float) else None

    return Namespace(name, member)


def _studykit_namespaces() -> dict[str, Namespace]:
    spaces = {}
    for concept in CONCEPTS:
        name = concept.module.rpartition(".")[2]
        spaces[name] = _module_namespace(name, importlib.import_module(concept.module))
    spaces["procedures"] = _module_namespace("procedures", procedures)
    spaces["torch"] = _allowlist_namespace("torch", torch, _STEP_TORCH)
    return spaces


def _oracle_namespaces() -> dict[str, Namespace]:
    return {
        "torch": _allowlist_namespace("torch", torch, _ORACLE_TORCH),
        "F": _public_namespace("F", F),
        "procedures": _module_namespace("procedures", procedures),
    }


_CACHE: dict[str, dict[str, Namespace]] = {}


def _cached(kind: str, build: Callable[[], dict[str, Namespace]]) -> dict[str, Namespace]:
    if kind not in _CACHE:
        _CACHE[kind] = build()
    return _CACHE[kind]


def tensor_params(specs: tuple[ParamSpec, ...], values: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as the computation sees them: tensor params become CPU tensors."""
    out: dict[str, Any] = {}
    for spec in specs:
        value = values[spec.name]
        if spec.is_tensor:
            dtype = torch.int64 if spec.dtype == "int" else torch.float64
            value = torch.tensor(value, dtype=dtype)
        out[spec.name] = value
    return out


def studykit_env(params: Mapping[str, Any]) -> dict[str, Any]:
    """The environment of steps, answer and misconceptions (a fresh scope each time)."""
    return _with_params(_cached_scope("studykit", _studykit_namespaces), params)


def oracle_env(params: Mapping[str, Any]) -> dict[str, Any]:
    """The environment of the oracle: torch and the parameters, nothing from studykit."""
    return _with_params(_cached_scope("oracle", _oracle_namespaces), params)


_SCOPES: dict[str, dict[str, Any]] = {}


def _cached_scope(kind: str, build: Callable[[], dict[str, Namespace]]) -> dict[str, Any]:
    """The helpers and namespaces of one kind of environment, as a scope made once."""
    if kind not in _SCOPES:
        _SCOPES[kind] = new_scope({**CONSTRAINT_FUNCTIONS, **_cached(kind, build)})
    return _SCOPES[kind]


def _with_params(scope: dict[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``scope`` with the parameters added; a parameter may shadow a helper's name."""
    fresh = scope.copy()
    fresh.update(params)
    return fresh


def run(expression: Any, env: Mapping[str, Any]) -> Any:
    """Evaluate with autograd on (steps may call ``backward``) and return the raw value."""
    if torch.is_grad_enabled():  # the usual case; entering the context costs more than a step
        return evaluate(expression, env)
    with torch.enable_grad():
        return evaluate(expression, env)


def plain(value: Any) -> Any:
    """Tensors, sizes and tuples to plain Python numbers and lists (for texts and keys)."""
    if isinstance(value, torch.Tensor):  # tolist() gives a plain number for a 0-d tensor
        return (value if value.is_cpu else value.cpu()).tolist()
    if isinstance(value, torch.Size):
        return tuple(int(v) for v in value)
    if isinstance(value, list | tuple):
        return type(value)(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
