"""The allow-lists of the template language: every function, attribute and syntax it may use.

A template never reaches a module. It names a function by its dotted name (``losses.mse_loss``,
``torch.zeros``, ``F.cross_entropy``, ``torch.optim.SGD``), and the loader looks the whole name
up in the table of the field's environment; anything else is refused when the template is
loaded (``file:line: field: 'torch.os.system' is not an allowed function``). At run time the
name is a plain variable bound to the one object the table resolved, so there is no attribute
access on modules at all.

Two environments keep a key and its check independent:

- **studykit** (parameters' ``derived`` values, constraints, steps, the answer and the
  misconceptions): the public functions of studykit's concept modules, the ``procedures``, and a
  few neutral torch constructors to build inputs;
- **oracle**: torch's own functions (``torch``, ``F``, ``torch.optim``, ``torch.nn``, ...) and
  the ``procedures``, never studykit.

Plain helpers (``abs``, ``min``, ``sum``, ``range``, ``sqrt``, ...) are available everywhere
(see `studykit.questions.params.CONSTRAINT_FUNCTIONS`). This module imports no torch: the
loader checks names without it, and `studykit.questions.compute` resolves them.

Besides the functions: the tensor attributes and methods a template may use (``x.shape``,
``x.sum(dim=1)``), the read-only attributes of studykit's result objects, and the kinds of
syntax an expression may be built of (``ALLOWED_NODES``, checked by
`studykit.questions.expressions.parse`). A common mistake is to add a tensor method that
changes its tensor in place (``add_``): names ending in ``_`` never belong here.
"""

from __future__ import annotations

import ast

from studykit.catalog import CONCEPTS

__all__ = [
    "ALLOWED_NODES",
    "NAMESPACES",
    "ORACLE_FUNCTIONS",
    "PROCEDURES",
    "RESULT_ATTRIBUTES",
    "SIZE_ATTRIBUTES",
    "STUDYKIT_FUNCTIONS",
    "STUDYKIT_NAMESPACES",
    "TENSOR_ATTRIBUTES",
]

PROCEDURES = ("fit_quadratic", "gradient", "optimizer_run")

# Neutral torch helpers that steps may use to build inputs (never to compute the answer: the
# loader requires the answer to reach a studykit function).
_STEP_TORCH = (
    "tensor", "zeros", "ones", "arange", "stack", "cat", "float64", "float32", "int64",
    "Size", "empty", "full", "eye", "linspace", "zeros_like", "ones_like", "where",
    "Generator",
)  # fmt: skip
# What oracles may use from torch: math, not I/O.
_ORACLE_TORCH = (
    *_STEP_TORCH,
    "abs", "amax", "amin", "argmax", "argmin", "bmm", "broadcast_shapes", "clamp", "cumsum",
    "exp", "flatten", "log", "matmul", "max", "mean", "min", "mm", "mul", "nanmean", "norm",
    "permute", "pow", "prod", "quantile", "relu", "reshape", "round", "sigmoid", "sign",
    "softmax", "log_softmax", "sqrt", "square", "squeeze", "std", "sum", "tanh", "unsqueeze",
    "var", "is_tensor", "float", "long", "double", "maximum", "minimum", "isclose", "allclose",
    "optim.SGD", "optim.Adam", "optim.AdamW", "optim.RMSprop", "optim.Adagrad",
    "nn.RNN", "nn.LSTM", "nn.GRU", "nn.RNNCell", "nn.LSTMCell",
    "linalg.vector_norm", "linalg.norm", "autograd.grad",
)  # fmt: skip
_ORACLE_F = (
    "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax", "softplus", "silu",
    "mish", "gelu", "elu", "hardtanh", "l1_loss", "mse_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "huber_loss",
    "smooth_l1_loss", "conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d",
    "avg_pool2d", "batch_norm", "layer_norm", "dropout", "linear", "pad", "interpolate",
    "one_hot", "normalize", "unfold", "embedding", "cosine_similarity",
)  # fmt: skip

# The namespaces of the studykit environment: one per concept module, plus the procedures.
NAMESPACE_MEMBERS: dict[str, tuple[str, ...]] = {
    **{c.module.rpartition(".")[2]: c.names for c in CONCEPTS},
    "procedures": PROCEDURES,
}
STUDYKIT_NAMESPACES = tuple(NAMESPACE_MEMBERS)

STUDYKIT_FUNCTIONS = frozenset(
    [f"{space}.{name}" for space, names in NAMESPACE_MEMBERS.items() for name in names]
    + [f"torch.{name}" for name in _STEP_TORCH]
)
ORACLE_FUNCTIONS = frozenset(
    [f"torch.{name}" for name in _ORACLE_TORCH]
    + [f"F.{name}" for name in _ORACLE_F]
    + [f"procedures.{name}" for name in PROCEDURES]
)
# Every first word of a dotted name above: a template names these only as ``root.member``.
NAMESPACES = frozenset(name.partition(".")[0] for name in STUDYKIT_FUNCTIONS | ORACLE_FUNCTIONS)

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
SIZE_ATTRIBUTES = frozenset({"numel"})
# Read-only attributes of studykit's result objects, by the class's full name (the class is
# matched exactly, not a subclass): each is a plain number (or ``None``) that the object has
# computed, never a method, so reading one changes nothing and reaches nothing further.
RESULT_ATTRIBUTES: dict[str, frozenset[str]] = {
    "studykit.regularization.EarlyStopping": frozenset({"best", "best_epoch", "stopped_epoch"}),
}

# The syntax of the template language: every node of an expression's tree is one of these.
OPERATORS = (
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult,
    ast.USub, ast.UAdd, ast.Not,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
)  # fmt: skip
ALLOWED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.List, ast.Tuple, ast.Dict,
    ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.And, ast.Or, ast.IfExp, ast.Call,
    ast.keyword, ast.Attribute, ast.Subscript, ast.Slice, ast.ListComp, ast.GeneratorExp,
    ast.comprehension, ast.Store,
    *OPERATORS,
)  # fmt: skip
