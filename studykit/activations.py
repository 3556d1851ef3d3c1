r"""Activation functions (활성화 함수): the non-linearity between linear layers.

A stack of linear layers is still one linear layer: \(W_2(W_1x + b_1) + b_2 = Wx + b\). Putting a
non-linear function \(f\) between them, \(W_2 f(W_1x + b_1) + b_2\), is what lets a network bend
its decision boundary. The notes use three of them:

| name | formula | derivative | range |
|---|---|---|---|
| sigmoid (시그모이드) | \(\frac{1}{1+e^{-x}}\) | \(\sigma(1-\sigma) \le \tfrac14\) | \((0, 1)\) |
| tanh (쌍곡탄젠트) | \(\frac{e^{x}-e^{-x}}{e^{x}+e^{-x}}\) | \(1-\tanh^2 x \le 1\) | \((-1, 1)\) |
| ReLU (렐루) | \(\max(0, x)\) | \(1\) if \(x>0\) else \(0\) | \([0, \infty)\) |

and softmax (소프트맥스), which turns a vector of scores (logits) into probabilities that sum to
one: \(\operatorname{softmax}(x)_i = e^{x_i} / \sum_j e^{x_j}\).

Each function here is a small `torch.autograd.Function` whose `backward` is the derivative in the
table, written by hand, so reading this file shows both directions of back-propagation.

Common mistakes:
    - Chaining sigmoids in a deep network: each layer multiplies the gradient by at most 1/4, so
      it shrinks geometrically (기울기 소실, vanishing gradient). ReLU's derivative is exactly 1
      for positive inputs, which is why it is the default hidden activation.
    - Computing softmax as `exp(x) / exp(x).sum()`: `exp(1000.)` overflows to `inf` and the
      result is `nan`. Subtract the maximum first; the result does not change.
    - Taking `log(softmax(x))` instead of `log_softmax(x)`: tiny probabilities round to 0 and the
      log is `-inf`.
"""

from __future__ import annotations

import math
from typing import Any, cast

import torch

from studykit._checks import check_dim, check_floating, check_tensor
from studykit._function import apply

__all__ = ["leaky_relu", "log_softmax", "relu", "sigmoid", "softmax", "tanh"]


def _saved(ctx: Any) -> torch.Tensor:
    """The one tensor a ``forward`` below saved for its ``backward``."""
    (tensor,) = ctx.saved_tensors
    return cast(torch.Tensor, tensor)


# Speed notes. Each call below is one pass over the data, and torch's own activations are one
# fused pass, so the forwards use as few passes as they can: the first operation allocates the
# output and every later one works on it in place (a second full-size temporary costs a pass
# *and* fresh memory). Which exponential is cheaper depends on the CPU: on a 2-vCPU AMD EPYC,
# torch's vectorized ``exp2`` beat ``exp`` with the AVX2 kernels (and lost with the plain DEFAULT
# ones), hence the switch in ``_exp_`` (softmax); on an Intel Xeon with AVX-512, ``exp`` is the
# cheaper one, which is why ``sigmoid`` and ``log_softmax`` call it directly.
_LOG2_E = math.log2(math.e)
_EXP2_IS_FASTER = torch.backends.cpu.get_cpu_capability() != "DEFAULT"


def _exp_(x: torch.Tensor) -> torch.Tensor:
    r"""``x`` \(\leftarrow e^{x}\) in place (``x`` must be a fresh tensor of the caller's)."""
    if _EXP2_IS_FASTER and x.device.type == "cpu" and x.dtype in (torch.float32, torch.float64):
        return x.mul_(_LOG2_E).exp2_()
    return x.exp_()


class _Sigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        # 1 / (1 + e^{-x}); for very negative x, e^{-x} = inf and 1/inf = 0, which is right.
        # (Plain exp, not the exp2 route of ``_exp_``: on an Intel Xeon with AVX2 this is 1.2x
        # torch's fused sigmoid, against 1.6x through exp2.)
        out = torch.neg(x).exp_().add_(1).reciprocal_()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        out = _saved(ctx)
        return grad * out * (1 - out)


class _Tanh(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        # With m = e^{2x} - 1 (expm1 keeps small |x| accurate): tanh x = m/(m + 2) = 1/(1 + 2/m),
        # the second form in place. Large x: m = inf, 2/m = 0, result 1. Very negative x: m = -1,
        # result -1. Small x: 2/m is huge and 1/(1 + 2/m) = m/(m + 2) keeps every digit, the sign
        # of -0.0 included. (Only subnormal x, below about 1e-38 in float32, flush to 0.)
        # Half-precision input is worked in float32 and rounded once, as torch's kernels do: the
        # chain rounds four times, and at 8 or 11 bits that costs visible digits near |tanh| = 1.
        low = x.dtype in (torch.float16, torch.bfloat16)
        out = torch.mul(x.float() if low else x, 2).expm1_()
        out = out.reciprocal_().mul_(2).add_(1).reciprocal_()
        out = out.to(x.dtype) if low else out
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        out = _saved(ctx)
        return grad * (1 - out * out)


class _LeakyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, negative_slope: float) -> torch.Tensor:
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        if negative_slope == 0:
            return x.clamp_min(0)
        # For a <= 1, max(x, a x) picks x when x > 0 and a x otherwise; for a > 1, min does.
        # (Written with out= so the result is the only new tensor: allocation costs time too.)
        pick = torch.maximum if negative_slope <= 1 else torch.minimum
        scaled = x * negative_slope
        return pick(x, scaled, out=scaled)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        x = _saved(ctx)
        return torch.where(x > 0, grad, grad * ctx.negative_slope), None


class _Softmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, dim: int) -> torch.Tensor:
        out = _exp_(x - x.amax(dim, keepdim=True))
        out.div_(out.sum(dim, keepdim=True))
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        # d s_i / d x_j = s_i (δ_ij - s_j)  ⇒  grad_x = s ⊙ (g - Σ_j g_j s_j)
        out = _saved(ctx)
        return out * (grad - (grad * out).sum(ctx.dim, keepdim=True)), None


class _LogSoftmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, dim: int) -> torch.Tensor:
        # (x - m) - log sum e^{x - m}: the shifted values become the output, in place, and the
        # exponentials are a temporary of their own (x - m is computed once, not twice).
        out = x - x.amax(dim, keepdim=True)
        out.sub_(out.exp().sum(dim, keepdim=True).log_())
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        # d log s_i / d x_j = δ_ij - s_j  ⇒  grad_x = g - s Σ_i g_i
        out = _saved(ctx)
        return grad - out.exp() * grad.sum(ctx.dim, keepdim=True), None


def _apply(function: type[torch.autograd.Function], *args: Any) -> torch.Tensor:
    """Run an autograd ``Function``, through autograd only when a gradient can flow."""
    return cast(torch.Tensor, apply(function, *args))


def sigmoid(input: torch.Tensor) -> torch.Tensor:
    r"""The logistic sigmoid (시그모이드), squashing any real number into \((0, 1)\).

    $$\sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \sigma'(x) = \sigma(x)\,(1 - \sigma(x))$$

    Args:
        input: A floating-point tensor of any shape.

    Returns:
        A tensor of the same shape with values in \([0, 1]\).

    Raises:
        TypeError: If ``input`` is not a floating-point tensor.

    Examples:
        >>> sigmoid(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.1192, 0.5000, 0.8808])

    Torch counterpart:
        ``torch.sigmoid`` (also ``torch.nn.Sigmoid``).

    Common mistakes:
        - Expecting it to be zero-centred: \(\sigma(0) = 0.5\), not 0 (use ``tanh`` for that).
        - Forgetting that its slope is at most 0.25, so deep sigmoid stacks learn slowly.
    """
    x = check_floating("input", input)
    return _apply(_Sigmoid, x)


def tanh(input: torch.Tensor) -> torch.Tensor:
    r"""The hyperbolic tangent (하이퍼볼릭 탄젠트): a zero-centred, stretched sigmoid.

    $$\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1,
      \qquad \tanh'(x) = 1 - \tanh^2(x)$$

    Computed as \(1 / (1 + 2/m)\) with \(m = e^{2x} - 1\) from ``expm1``, so that it neither
    overflows for large \(|x|\) (\(m = \infty\) gives 1) nor loses digits for tiny \(|x|\).

    Args:
        input: A floating-point tensor of any shape.

    Returns:
        A tensor of the same shape with values in \([-1, 1]\).

    Raises:
        TypeError: If ``input`` is not a floating-point tensor.

    Examples:
        >>> tanh(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.7616,  0.0000,  0.7616])

    Torch counterpart:
        ``torch.tanh`` (also ``torch.nn.Tanh``).

    Common mistakes:
        - Writing \((e^x - e^{-x})/(e^x + e^{-x})\) literally: for \(x = 100\) in float32 it is
          \(\infty/\infty = \) ``nan``.
    """
    x = check_floating("input", input)
    return _apply(_Tanh, x)


def relu(input: torch.Tensor) -> torch.Tensor:
    r"""The rectified linear unit (렐루): keep positive values, replace negatives with zero.

    $$\operatorname{relu}(x) = \max(0, x), \qquad
      \operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}$$

    At exactly \(x = 0\) the derivative is taken as 0, as torch does.

    Args:
        input: A floating-point tensor of any shape.

    Returns:
        A tensor of the same shape, with every negative entry replaced by 0.

    Raises:
        TypeError: If ``input`` is not a floating-point tensor.

    Examples:
        >>> relu(torch.tensor([-1.5, 0.0, 2.0]))
        tensor([0., 0., 2.])

    Torch counterpart:
        ``torch.relu`` / ``torch.nn.functional.relu`` (also ``torch.nn.ReLU``).

    Common mistakes:
        - "Dead" units: a neuron whose input is negative for every example gets zero gradient
          and never recovers; ``leaky_relu`` keeps a small slope to avoid this.
    """
    x = check_floating("input", input)
    return _apply(_LeakyReLU, x, 0.0)


def leaky_relu(input: torch.Tensor, negative_slope: float = 0.01) -> torch.Tensor:
    r"""Leaky ReLU (리키 렐루): like ReLU, but negatives keep a small slope.

    $$\operatorname{leaky\_relu}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}
      \qquad a = \texttt{negative\_slope}$$

    Args:
        input: A floating-point tensor of any shape.
        negative_slope: The slope \(a\) used for \(x \le 0\).

    Returns:
        A tensor of the same shape.

    Raises:
        TypeError: If ``input`` is not a floating-point tensor or ``negative_slope`` is not a
            number.

    Examples:
        >>> leaky_relu(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
        tensor([-0.2000,  0.0000,  3.0000])

    Torch counterpart:
        ``torch.nn.functional.leaky_relu`` (default slope 0.01, as here).

    Common mistakes:
        - Confusing it with ``relu``: with the default slope a negative input of -100 still
          gives -1, not 0.
    """
    x = check_floating("input", input)
    if isinstance(negative_slope, bool) or not isinstance(negative_slope, int | float):
        raise TypeError(f"negative_slope must be a number, got {type(negative_slope).__name__}")
    return _apply(_LeakyReLU, x, float(negative_slope))


def _softmax_input(
    name: str, input: torch.Tensor, dim: int, dtype: torch.dtype | None
) -> tuple[torch.Tensor, int]:
    """Validate a softmax-style call; return the (cast, at least 1-D) input and its dim."""
    x = check_tensor("input", input)
    if dim is None:
        raise TypeError(f"{name}() needs dim: the dimension whose entries should sum to one")
    if dtype is not None:
        x = x.to(dtype)
    check_floating("input", x)
    index = check_dim("dim", dim, x.ndim)
    return (x.reshape(1) if x.ndim == 0 else x), index


def softmax(input: torch.Tensor, dim: int, dtype: torch.dtype | None = None) -> torch.Tensor:
    r"""Softmax (소프트맥스): turn scores into probabilities along ``dim``.

    $$\operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}
      = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \qquad m = \max_j x_j$$

    Subtracting the maximum \(m\) changes nothing mathematically (it cancels) but keeps every
    exponent \(\le 0\), so nothing overflows. The gradient is
    \(\partial s_i / \partial x_j = s_i(\delta_{ij} - s_j)\).

    Args:
        input: A floating-point tensor.
        dim: The dimension that should sum to one (negative counts from the end).
        dtype: If given, ``input`` is cast to this dtype first (as torch does).

    Returns:
        A tensor of the same shape; every slice along ``dim`` is non-negative and sums to 1.

    Raises:
        TypeError: If ``dim`` is missing or ``input`` is not floating point.
        ValueError: If ``dim`` is out of range.

    Examples:
        >>> softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
        tensor([0.0900, 0.2447, 0.6652])

    Torch counterpart:
        ``torch.softmax`` / ``torch.nn.functional.softmax``.

    Common mistakes:
        - Softmax over the wrong dimension: for a batch of shape (N, C) the classes are
          ``dim=1``; ``dim=0`` makes each *class* sum to one over the batch.
        - Applying softmax and then ``cross_entropy``, which applies (log-)softmax again.
    """
    x, index = _softmax_input("softmax", input, dim, dtype)
    if x.shape[index] == 0:
        return x.clone().reshape(input.shape)
    out = _apply(_Softmax, x, index)
    return out if input.ndim else out.reshape(())


def log_softmax(input: torch.Tensor, dim: int, dtype: torch.dtype | None = None) -> torch.Tensor:
    r"""Log-softmax (로그 소프트맥스): the logarithm of softmax, computed without under/overflow.

    $$\log \operatorname{softmax}(x)_i = x_i - m - \log \sum_j e^{x_j - m},
      \qquad m = \max_j x_j$$

    Its gradient is \(\partial_j \log s_i = \delta_{ij} - s_j\). ``nll_loss(log_softmax(x))``
    is exactly cross-entropy.

    Args:
        input: A floating-point tensor.
        dim: The dimension to normalize over (negative counts from the end).
        dtype: If given, ``input`` is cast to this dtype first.

    Returns:
        A tensor of the same shape with values \(\le 0\); ``exp`` of each slice sums to 1.

    Raises:
        TypeError: If ``dim`` is missing or ``input`` is not floating point.
        ValueError: If ``dim`` is out of range.

    Examples:
        >>> log_softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
        tensor([-2.4076, -1.4076, -0.4076])

    Torch counterpart:
        ``torch.log_softmax`` / ``torch.nn.functional.log_softmax``.

    Common mistakes:
        - ``torch.log(softmax(x))``: a probability that rounds to 0 gives ``-inf`` and then
          ``nan`` gradients; log-softmax of the same input stays finite.
    """
    x, index = _softmax_input("log_softmax", input, dim, dtype)
    if x.shape[index] == 0:
        return x.clone().reshape(input.shape)
    out = _apply(_LogSoftmax, x, index)
    return out if input.ndim else out.reshape(())
