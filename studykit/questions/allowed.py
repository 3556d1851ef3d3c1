"""The allow-lists of the template language: every function and constant a template may name.

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
"""

from __future__ import annotations

from studykit.catalog import CONCEPTS

__all__ = [
    "NAMESPACES",
    "ORACLE_FUNCTIONS",
    "PROCEDURES",
    "STUDYKIT_FUNCTIONS",
    "STUDYKIT_NAMESPACES",
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
