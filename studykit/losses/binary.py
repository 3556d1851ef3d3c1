r"""Binary classification losses (이진 분류 손실): yes/no answers scored by probability.

A binary classifier outputs one number per example. Passed through the sigmoid
\(\sigma(x) = 1/(1 + e^{-x})\), the raw score (logit, 로짓) \(x\) becomes a probability
\(p = \sigma(x)\) that the answer is "yes" (\(y = 1\)).

**Binary cross-entropy (이진 교차 엔트로피, BCE)** is the negative log-likelihood of the true
label under that probability:

$$\ell = -\big[\, y \log p + (1 - y) \log (1 - p) \,\big].$$

A confident right answer costs almost nothing, a confident wrong answer costs a lot
(\(-\log 0.001 \approx 6.9\)), and the gradient with respect to the logit is simply
\(\sigma(x) - y\).

``binary_cross_entropy_with_logits`` takes the logit instead of the probability and folds the
sigmoid into the loss, using \(\log\sigma(x) = -\operatorname{softplus}(-x)\) and
\(\log(1 - \sigma(x)) = -\operatorname{softplus}(x)\) with the overflow-free

$$\operatorname{softplus}(z) = \log(1 + e^{z})
  = \max(z, 0) + \log\!\big(1 + e^{-\lvert z\rvert}\big).$$

``mnist_loss`` is the hand-made loss from the notes' 3-vs-7 MNIST classifier: the distance between
the predicted probability and the label. It shows why a loss must be *smooth*: accuracy
(정확도), the metric we actually care about, only changes when a prediction crosses 0.5, so its
gradient is zero almost everywhere and gradient descent cannot use it.

Common mistakes:
    - Applying ``sigmoid`` yourself and then calling ``binary_cross_entropy_with_logits`` (a
      double sigmoid), or passing raw logits to ``binary_cross_entropy`` (it needs probabilities
      and raises here).
    - Using ``sigmoid`` + ``binary_cross_entropy`` for training: in float32, \(\sigma(17) = 1\)
      exactly, the log is clamped at -100 and the gradient information is gone. The logits
      version never saturates.
    - Mixing up ``weight`` (scales every element's loss) and ``pos_weight`` (scales only the
      positive term, to rebalance rare positives).
"""

from __future__ import annotations

from typing import Any, cast

import torch

from studykit._checks import check_floating, check_reduction, check_same_shape, check_tensor, reduce
from studykit._function import apply
from studykit.tensors import broadcast_shapes

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "mnist_loss"]

# torch clamps log-probabilities at -100, so p = 0 or 1 costs at most 100 instead of infinity.
_LOG_FLOOR = -100.0
# torch's floor for p (1 - p) in the gradient's denominator, so p = 0 or 1 gives no inf or nan.
_GRAD_EPS = 1e-12


def _check_probabilities(name: str, value: torch.Tensor, hint: str = "") -> None:
    """Raise ``ValueError`` unless every element of ``value`` lies in ``[0, 1]`` (``nan`` fails)."""
    if value.numel() == 0:
        return
    low, high = (bound.item() for bound in torch.aminmax(value.detach()))  # plain numbers:
    if not (low >= 0 and high <= 1):  # comparing tensors costs more than the check; nan fails
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values in [{low:g}, {high:g}]{hint}"
        )


def _broadcast(a: torch.Size, b: torch.Size) -> torch.Size | None:
    """The shape ``a`` and ``b`` broadcast to, or ``None`` if they do not broadcast."""
    try:
        return broadcast_shapes(a, b)  # studykit's: torch's goes through symbolic shapes, slowly
    except ValueError:
        return None


def _check_broadcasts_to(name: str, value: torch.Tensor, shape: torch.Size) -> None:
    """Raise ``ValueError`` unless ``value`` broadcasts to exactly ``shape``."""
    if _broadcast(value.shape, shape) != shape:
        raise ValueError(
            f"{name} shape {tuple(value.shape)} must broadcast to input shape {tuple(shape)}"
        )


class _BinaryCrossEntropy(torch.autograd.Function):
    r"""Element-wise BCE with torch's clamped logs and torch's hand-written gradient.

    Plain autograd through ``log`` would give ``0 / 0 = nan`` wherever ``p`` is exactly 0 or 1
    (which a float32 sigmoid reaches at \(|x| > 17\)); torch instead uses
    \((p - y) / \max(p(1 - p), 10^{-12})\), and so do we.
    """

    @staticmethod
    def forward(ctx: Any, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(input, target)
        log_p = torch.log(input).clamp_min_(_LOG_FLOOR)
        log_not_p = torch.neg(input).log1p_().clamp_min_(_LOG_FLOOR)
        # y log p + (1 - y) log(1 - p) = log(1 - p) + y (log p - log(1 - p)): a linear
        # interpolation, written out in in-place passes (torch.lerp is one pass, but under the
        # plain DEFAULT kernels it costs as much as the two logs together).
        return log_p.sub_(log_not_p).mul_(target).add_(log_not_p).neg_()

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        input, target = ctx.saved_tensors
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            # d/dp = -y/p + (1 - y)/(1 - p) = (p - y) / (p (1 - p))
            grad_input = grad * (input - target) / (input * (1 - input)).clamp_min(_GRAD_EPS)
        if ctx.needs_input_grad[1]:
            # d/dy = log(1 - p) - log p = -logit(p)
            grad_target = grad * (torch.log1p(-input) - torch.log(input))
        return grad_input, grad_target


def binary_cross_entropy(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    reduction: str = "mean",
) -> torch.Tensor:
    r"""Binary cross-entropy (이진 교차 엔트로피) between probabilities and 0/1 (or soft) labels.

    $$\ell_i = -w_i \big[\, y_i \log p_i + (1 - y_i) \log (1 - p_i) \,\big]$$

    Each log is clamped at \(-100\), as in torch, so a probability of exactly 0 or 1 costs at
    most 100 instead of \(\infty\). The gradient with respect to \(p_i\) is torch's
    \(w_i (p_i - y_i) / \max(p_i(1 - p_i), 10^{-12})\), finite even at \(p_i \in \{0, 1\}\).

    Args:
        input: Probabilities \(p\) in \([0, 1]\) (after a sigmoid), a floating-point tensor.
        target: Labels \(y\) in \([0, 1]\), a floating-point tensor of the same shape.
        weight: Optional per-element rescaling weight \(w\) that broadcasts to ``input``'s shape.
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input``.

    Raises:
        TypeError: If ``input``, ``target`` or ``weight`` is not a floating-point tensor, or
            ``target``'s dtype differs from ``input``'s.
        ValueError: If the shapes differ, ``weight`` does not broadcast to ``input``,
            ``reduction`` is unknown, or ``input`` or ``target`` leaves \([0, 1]\).

    Examples:
        >>> binary_cross_entropy(torch.tensor([0.9, 0.2]), torch.tensor([1.0, 0.0]))
        tensor(0.1643)

    Torch counterpart:
        ``torch.nn.functional.binary_cross_entropy`` (also ``torch.nn.BCELoss``).

    Common mistakes:
        - Passing logits: use ``binary_cross_entropy_with_logits``, which is also more stable.
        - Integer labels: the target must be a float tensor (``y.float()``).
    """
    check_floating("input", input)
    check_floating("target", target)
    if target.dtype != input.dtype:
        raise TypeError(f"target dtype {target.dtype} must match input dtype {input.dtype}")
    check_same_shape("input", input, "target", target)
    check_reduction(reduction)
    if weight is not None:
        check_floating("weight", weight)
        _check_broadcasts_to("weight", weight, input.shape)
    _check_probabilities("input", input, " (pass logits to binary_cross_entropy_with_logits)")
    _check_probabilities("target", target)
    loss = cast(torch.Tensor, apply(_BinaryCrossEntropy, input, target))
    if weight is not None:
        loss = loss * weight
    return reduce(loss, reduction)


def binary_cross_entropy_with_logits(
    input: torch.Tensor,
    target: torch.Tensor,
    weight: torch.Tensor | None = None,
    reduction: str = "mean",
    pos_weight: torch.Tensor | None = None,
) -> torch.Tensor:
    r"""Binary cross-entropy (이진 교차 엔트로피) computed from logits, stable for any logit.

    With \(p = \sigma(x)\) and a positive-class weight \(c\) (``pos_weight``, default 1):

    $$\ell_i = -w_i \big[\, c\, y_i \log \sigma(x_i) + (1 - y_i) \log(1 - \sigma(x_i)) \,\big]
            = w_i \big[\, (1 - y_i)\, x_i + (1 + (c - 1) y_i)\, \operatorname{softplus}(-x_i)
              \,\big]$$

    with \(\operatorname{softplus}(-x) = \tfrac12(\lvert x\rvert - x)
    + \log\!\big(1 + e^{-\lvert x\rvert}\big)\). Only \(e^{-\lvert x \rvert} \le 1\) is ever
    computed, so \(x = \pm 1000\) neither overflows nor loses the gradient
    \(\sigma(x) - y\) (for \(c = 1\)). Writing \(\max(-x, 0)\) as \(\tfrac12(\lvert x\rvert - x)\)
    makes autograd's derivative at \(x = 0\) the true \(\tfrac12 - y\) instead of a one-sided one.

    Args:
        input: Logits \(x\), a floating-point tensor of any shape.
        target: Labels \(y\) (usually 0 or 1), a floating-point tensor of the same shape.
        weight: Optional rescaling weight \(w\) that broadcasts to ``input``'s shape.
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.
        pos_weight: Optional weight \(c\) of the positive term, broadcast against ``input``
            from the right (usually one value per class, shape ``(C,)``). \(c > 1\) raises
            recall, \(c < 1\) raises precision; for \(P\) positives and \(N\) negatives,
            \(c = N / P\) balances them.

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input``.

    Raises:
        TypeError: If ``input``, ``target``, ``weight`` or ``pos_weight`` is not a
            floating-point tensor.
        ValueError: If the shapes differ, ``weight`` or ``pos_weight`` does not broadcast to
            ``input``, or ``reduction`` is unknown.

    Examples:
        >>> binary_cross_entropy_with_logits(torch.tensor([1000.0, -2.0]), torch.tensor([0.0, 0.0]))
        tensor(500.0635)

    Torch counterpart:
        ``torch.nn.functional.binary_cross_entropy_with_logits`` (also
        ``torch.nn.BCEWithLogitsLoss``).

    Common mistakes:
        - Applying a sigmoid first: the loss applies it for you.
        - Computing it as ``-(y * log(sigmoid(x)) + ...)``: for \(x = -1000\),
          \(\sigma(x) = 0\) and the log is \(-\infty\).
    """
    check_floating("input", input)
    check_floating("target", target)
    check_same_shape("input", input, "target", target)
    check_reduction(reduction)
    for name, extra in (("weight", weight), ("pos_weight", pos_weight)):
        if extra is not None:
            check_floating(name, extra)
            _check_broadcasts_to(name, extra, input.shape)
    distance = input.abs()
    softplus_neg = 0.5 * (distance - input) + torch.log1p(torch.exp(-distance))
    if pos_weight is not None:
        softplus_neg = softplus_neg * (1 + (pos_weight - 1) * target)
    loss = (1 - target) * input + softplus_neg
    if weight is not None:
        loss = loss * weight
    return reduce(loss, reduction)


def mnist_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    r"""The notes' first hand-made classification loss: how far each prediction is from its label.

    $$L = \frac{1}{N} \sum_{i=1}^{N} \begin{cases}
        1 - p_i & y_i = 1 \\
        p_i & \text{otherwise}
      \end{cases}$$

    where \(p_i\) is already a probability (the output of a sigmoid). Why not train on accuracy
    (정확도) directly? Accuracy counts predictions on the right side of 0.5, so nudging a weight
    a little almost never changes it: its gradient is 0 almost everywhere (and undefined where it
    jumps), and gradient descent gets no signal. This loss is a smooth stand-in (대리 손실): it
    drops a little whenever a prediction moves towards its label, even if the predicted class
    stays the same.

    ``predictions`` and ``targets`` broadcast together, as the plain ``torch.where`` in the notes
    does, so use the same shape for both (the notes use ``(N, 1)``).

    Args:
        predictions: Probabilities \(p\) in \([0, 1]\), a floating-point tensor.
        targets: Labels; an element equal to 1 counts as the positive class, anything else as 0.
            Must broadcast with ``predictions``.

    Returns:
        A scalar tensor: the mean over every element of the broadcast shape.

    Raises:
        TypeError: If ``predictions`` is not a floating-point tensor or ``targets`` is not a
            tensor.
        ValueError: If the shapes do not broadcast, or ``predictions`` leaves \([0, 1]\).

    Examples:
        >>> mnist_loss(torch.tensor([0.9, 0.4, 0.2]), torch.tensor([1, 0, 1]))
        tensor(0.4333)

    Torch counterpart:
        None; it is ``torch.where(targets == 1, 1 - predictions, predictions).mean()``.

    Common mistakes:
        - Passing raw scores instead of sigmoid outputs: a score of 5 "costs" -4.
        - Predictions of shape ``(N,)`` against targets of shape ``(N, 1)``: they broadcast to
          an ``(N, N)`` table and the loss compares every prediction with every label.
        - Keeping it once you know BCE: its gradient does not grow when a prediction is
          confidently wrong, so it learns slowly from its worst mistakes.
    """
    check_floating("predictions", predictions)
    check_tensor("targets", targets)
    if _broadcast(predictions.shape, targets.shape) is None:
        raise ValueError(
            f"targets shape {tuple(targets.shape)} does not broadcast with "
            f"predictions shape {tuple(predictions.shape)}"
        )
    _check_probabilities("predictions", predictions, " (apply sigmoid first)")
    return torch.where(targets == 1, 1 - predictions, predictions).mean()
