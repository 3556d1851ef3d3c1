r"""Regression losses (회귀 손실): how far a predicted number is from the true number.

Every loss here starts from the per-element error (오차) \(e_i = \hat y_i - y_i\) (prediction
minus target) and turns it into one number per element (non-negative for every real loss), which
``reduction`` then averages (``'mean'``), adds up (``'sum'``) or keeps (``'none'``):

- ME (평균 오차, mean error): \(e_i\); signs cancel, so it measures bias, not accuracy;
- MAE or L1 (평균 절대 오차): \(\lvert e_i\rvert\), gradient \(\operatorname{sign}(e_i)\);
- MSE (평균 제곱 오차): \(e_i^2\), gradient \(2 e_i\): big errors are punished most;
- RMSE (평균 제곱근 오차): \(\sqrt{\tfrac1N\sum_i e_i^2}\), the MSE back in the target's units;
- Huber (후버): \(\tfrac12 e_i^2\) while \(\lvert e_i\rvert < \delta\), then
  \(\delta(\lvert e_i\rvert - \tfrac12\delta)\); gradient
  \(\operatorname{clamp}(e_i, -\delta, \delta)\);
- smooth L1 (스무스 L1): Huber divided by \(\beta\), gradient
  \(\operatorname{clamp}(e_i/\beta, -1, 1)\); \(\beta = 0\) gives L1.

MSE's gradient grows with the error, so one outlier can dominate a batch; MAE's gradient has the
same size for every error, so it is robust but never slows down near the answer. Huber and smooth
L1 take the best of both: quadratic near zero, linear in the tails.

Unlike torch, which warns and then broadcasts when ``input`` and ``target`` shapes differ, these
functions raise ``ValueError``: ``(N,)`` against ``(N, 1)`` silently becomes an ``(N, N)`` matrix
of errors, which is almost never what was meant.

Common mistakes:
    - Using the mean error (ME) as a training loss: +5 and -5 average to 0, so a terrible model
      can score a perfect 0.
    - Comparing an MSE with an MAE or RMSE: MSE is in squared units (원² for prices in 원).
    - Predictions of shape ``(N, 1)`` against targets of shape ``(N,)`` (see above).
"""

from __future__ import annotations

from typing import Any, cast

import torch

from studykit._checks import (
    check_floating,
    check_non_negative,
    check_positive,
    check_reduction,
    check_same_shape,
    check_tensor,
    reduce,
)
from studykit._function import apply

__all__ = ["huber_loss", "l1_loss", "mean_error", "mse_loss", "rmse_loss", "smooth_l1_loss"]


class _Huber(torch.autograd.Function):
    r"""Element-wise Huber loss, whose derivative is the clamped error.

    With \(c = \operatorname{clamp}(e, -\delta, \delta)\), the loss is \(c\,(e - c/2)\): that is
    \(e^2/2\) inside the band and \(\delta(\lvert e\rvert - \delta/2)\) outside it, and its
    derivative is \(c\) itself. Writing the forward pass in place saves two temporaries; the
    backward pass recomputes \(c\) from the saved inputs, so it is differentiable again.
    """

    @staticmethod
    def forward(ctx: Any, input: torch.Tensor, target: torch.Tensor, delta: float) -> torch.Tensor:
        ctx.save_for_backward(input, target)
        ctx.delta = delta
        error = input - target
        clamped = error.clamp(-delta, delta)
        return error.sub_(clamped, alpha=0.5).mul_(clamped)

    @staticmethod
    def backward(
        ctx: Any, grad: torch.Tensor
    ) -> tuple[torch.Tensor | None, torch.Tensor | None, None]:
        input, target = ctx.saved_tensors
        slope = grad * (input - target).clamp(-ctx.delta, ctx.delta)
        grad_input = slope if ctx.needs_input_grad[0] else None
        grad_target = -slope if ctx.needs_input_grad[1] else None
        return grad_input, grad_target, None


def _huber(input: torch.Tensor, target: torch.Tensor, delta: float) -> torch.Tensor:
    """The element-wise Huber loss, through autograd only when a gradient can flow."""
    return cast(torch.Tensor, apply(_Huber, input, target, delta))


def _huber_total(input: torch.Tensor, target: torch.Tensor, delta: float) -> torch.Tensor:
    r"""The summed Huber loss, without a tensor of per-element losses.

    With \(c = \operatorname{clamp}(e, -\delta, \delta)\),
    \(\sum_i c_i (e_i - c_i / 2) = c \cdot e - \tfrac12\, c \cdot c\): two dot products that
    read the errors once more instead of building the loss element by element. Plain autograd
    differentiates it correctly (the derivative with respect to \(e\) is \(c\) again).
    The price is rounding: a float32 dot product over a million errors is off by about
    \(10^{-6}\) relative, where torch's fused kernel and pairwise sum are off by about
    \(10^{-7}\); float64 (what the quizzes use) is exact to the last digit or two.
    """
    error = (input - target).reshape(-1)
    clamped = error.clamp(-delta, delta)
    return torch.dot(clamped, error) - 0.5 * torch.dot(clamped, clamped)


def _reduce_total(total: torch.Tensor, input: torch.Tensor, reduction: str) -> torch.Tensor:
    """``total`` for ``'sum'``, ``total / N`` for ``'mean'`` (``nan`` when empty, as torch)."""
    return total if reduction == "sum" else total / input.numel()


def _error_checks(input: torch.Tensor, target: torch.Tensor, reduction: str) -> None:
    """Check the arguments every regression loss shares."""
    check_floating("input", input)
    check_tensor("target", target)
    check_same_shape("input", input, "target", target)
    check_reduction(reduction)


def _error(input: torch.Tensor, target: torch.Tensor, reduction: str) -> torch.Tensor:
    """Check the common arguments and return the element-wise error ``input - target``."""
    _error_checks(input, target, reduction)
    return input - target


def mean_error(input: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""The mean error (평균 오차, ME): the average of prediction minus target.

    $$\mathrm{ME} = \frac{1}{N}\sum_{i=1}^{N} (\hat y_i - y_i)$$

    The sign convention is *prediction minus target*: a positive ME means the model predicts too
    high on average (over-estimates), a negative one too low. Positive and negative errors cancel,
    so ME measures bias (편향), not accuracy; that is exactly why it is a poor loss.

    Args:
        input: Predictions \(\hat y\), a floating-point tensor of any shape.
        target: True values \(y\), the same shape as ``input``.
        reduction: ``'mean'`` (the ME), ``'sum'``, or ``'none'`` for the signed error per element.

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input``.

    Raises:
        TypeError: If ``input`` is not a floating-point tensor or ``target`` is not a tensor.
        ValueError: If the shapes differ or ``reduction`` is unknown.

    Examples:
        >>> mean_error(torch.tensor([3.0, 1.0]), torch.tensor([1.0, 3.0]))
        tensor(0.)

    Torch counterpart:
        None; it is ``(input - target).mean()``.

    Common mistakes:
        - Training with it: errors of +5 and -5 already score a perfect 0, and since ME has no
          lower bound, minimizing it just drives every prediction towards \(-\infty\).
        - Mixing up the sign convention (some texts use target minus prediction).
    """
    return reduce(_error(input, target, reduction), reduction)


def l1_loss(input: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""The mean absolute error (평균 절대 오차, MAE), also called the L1 loss.

    $$\mathrm{MAE} = \frac{1}{N}\sum_{i=1}^{N} \lvert \hat y_i - y_i \rvert$$

    Its gradient is \(\operatorname{sign}(\hat y_i - y_i)/N\), taken as 0 where the error is
    exactly 0 (as torch does).

    Args:
        input: Predictions \(\hat y\), a floating-point tensor of any shape.
        target: True values \(y\), the same shape as ``input``.
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input``.

    Raises:
        TypeError: If ``input`` is not a floating-point tensor or ``target`` is not a tensor.
        ValueError: If the shapes differ or ``reduction`` is unknown.

    Examples:
        >>> l1_loss(torch.tensor([3.0, 1.0]), torch.tensor([1.0, 3.0]))
        tensor(2.)

    Torch counterpart:
        ``torch.nn.functional.l1_loss`` (also ``torch.nn.L1Loss``).

    Common mistakes:
        - Expecting it to settle gently: the gradient has the same size however close the
          prediction is, so with a fixed learning rate the prediction keeps hopping around the
          answer.
    """
    return reduce(_error(input, target, reduction).abs(), reduction)


def mse_loss(input: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""The mean squared error (평균 제곱 오차, MSE).

    $$\mathrm{MSE} = \frac{1}{N}\sum_{i=1}^{N} (\hat y_i - y_i)^2,
      \qquad \frac{\partial\,\mathrm{MSE}}{\partial \hat y_i} = \frac{2}{N}(\hat y_i - y_i)$$

    Args:
        input: Predictions \(\hat y\), a floating-point tensor of any shape.
        target: True values \(y\), the same shape as ``input``.
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input``.

    Raises:
        TypeError: If ``input`` is not a floating-point tensor or ``target`` is not a tensor.
        ValueError: If the shapes differ or ``reduction`` is unknown.

    Examples:
        >>> mse_loss(torch.tensor([3.0, 1.0]), torch.tensor([1.0, 3.0]))
        tensor(4.)

    Torch counterpart:
        ``torch.nn.functional.mse_loss`` (also ``torch.nn.MSELoss``).

    Common mistakes:
        - Reporting it in the target's units: an MSE of 4 means a typical error of about 2;
          take the square root (RMSE) to talk about it.
        - Forgetting how much outliers weigh: one error of 10 costs as much as 100 errors of 1.
    """
    error = _error(input, target, reduction)
    return reduce(error * error, reduction)


def _safe_sqrt(x: torch.Tensor) -> torch.Tensor:
    r"""``sqrt(x)`` for ``x >= 0`` whose gradient at ``x = 0`` is finite instead of ``nan``.

    ``sqrt``'s derivative \(1/(2\sqrt{x})\) is infinite at 0, and back-propagating
    ``inf * 0`` gives ``nan``. Where ``x`` is not positive we return ``x`` itself (0, or ``nan``
    for the mean of nothing), and we take the root of 1 there instead, so that no ``inf`` is
    ever formed. At zero error the gradient then becomes ``1 * d(mse)/d(input) = 0``.
    """
    positive = x > 0
    return torch.where(positive, torch.where(positive, x, 1).sqrt(), x)


def rmse_loss(input: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""The root mean squared error (평균 제곱근 오차, RMSE): MSE back in the target's units.

    $$\mathrm{RMSE} = \sqrt{\frac{1}{N}\sum_{i=1}^{N} (\hat y_i - y_i)^2}$$

    The square root comes *after* the reduction, so the reductions mean:

    - ``'mean'``: \(\sqrt{\mathrm{MSE}}\), the usual RMSE;
    - ``'sum'``: \(\sqrt{\sum_i e_i^2} = \lVert \hat y - y \rVert_2\), the Euclidean (L2) distance;
    - ``'none'``: \(\sqrt{e_i^2} = \lvert e_i \rvert\) per element (the RMSE of one element).

    Where the error is exactly zero the square root has no derivative; like the L2 norm in torch
    (``torch.linalg.vector_norm``), the gradient there is taken as 0, never ``nan``.

    Args:
        input: Predictions \(\hat y\), a floating-point tensor of any shape.
        target: True values \(y\), the same shape as ``input``.
        reduction: ``'mean'``, ``'sum'`` or ``'none'`` (see above).

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input``.

    Raises:
        TypeError: If ``input`` is not a floating-point tensor or ``target`` is not a tensor.
        ValueError: If the shapes differ or ``reduction`` is unknown.

    Examples:
        >>> rmse_loss(torch.tensor([3.0, 1.0]), torch.tensor([1.0, 3.0]))
        tensor(2.)

    Torch counterpart:
        None; it is ``torch.sqrt(F.mse_loss(input, target))`` (whose gradient is ``nan`` when
        every error is 0), or ``torch.linalg.vector_norm(input - target)`` for ``'sum'``.

    Common mistakes:
        - Averaging per-batch RMSEs to get the RMSE of a data set: the mean of square roots is
          not the square root of the mean. Average the MSEs, then take the root.
    """
    error = _error(input, target, reduction)
    if reduction == "none":
        return error.abs()
    return _safe_sqrt(reduce(error * error, reduction))


def huber_loss(
    input: torch.Tensor, target: torch.Tensor, reduction: str = "mean", delta: float = 1.0
) -> torch.Tensor:
    r"""The Huber loss (후버 손실): squared error for small errors, absolute error for big ones.

    $$\ell_i = \begin{cases}
        \tfrac12 e_i^2 & \lvert e_i \rvert < \delta \\
        \delta \left(\lvert e_i \rvert - \tfrac12 \delta\right) & \text{otherwise}
      \end{cases}, \qquad e_i = \hat y_i - y_i$$

    Both pieces meet at \(\lvert e_i \rvert = \delta\) with the same value and slope, and the
    derivative is simply the clamped error \(\operatorname{clamp}(e_i, -\delta, \delta)\). With
    \(c_i\) that clamped error, both cases are the single expression \(c_i (e_i - c_i / 2)\),
    which is how it is computed.

    Args:
        input: Predictions \(\hat y\), a floating-point tensor of any shape.
        target: True values \(y\), the same shape as ``input``.
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.
        delta: Where the loss switches from quadratic to linear; must be \(> 0\).

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input``.

    Raises:
        TypeError: If ``input`` is not a floating-point tensor, ``target`` is not a tensor, or
            ``delta`` is not a number.
        ValueError: If the shapes differ, ``reduction`` is unknown or ``delta <= 0``.

    Examples:
        >>> huber_loss(torch.tensor([0.5, 3.0]), torch.zeros(2), reduction="none")
        tensor([0.1250, 2.5000])

    Torch counterpart:
        ``torch.nn.functional.huber_loss`` (also ``torch.nn.HuberLoss``).

    Common mistakes:
        - Treating it as smooth L1 under another name: with \(\delta = \beta\),
          Huber \(= \beta \times\) smooth L1, so the two (and their gradients) differ by a
          factor of \(\beta\).
    """
    _error_checks(input, target, reduction)
    delta = check_positive("delta", delta)
    if reduction == "none":
        return _huber(input, target, delta)
    return _reduce_total(_huber_total(input, target, delta), input, reduction)


def smooth_l1_loss(
    input: torch.Tensor, target: torch.Tensor, reduction: str = "mean", beta: float = 1.0
) -> torch.Tensor:
    r"""The smooth L1 loss (스무스 L1 손실): L1 with its corner at zero rounded off.

    $$\ell_i = \begin{cases}
        \dfrac{e_i^2}{2\beta} & \lvert e_i \rvert < \beta \\
        \lvert e_i \rvert - \tfrac12 \beta & \text{otherwise}
      \end{cases}, \qquad e_i = \hat y_i - y_i$$

    It is the Huber loss with \(\delta = \beta\), divided by \(\beta\): in the linear part the
    slope is always \(\pm 1\), whatever \(\beta\) is, and \(\beta = 0\) gives exactly
    ``l1_loss``.

    Args:
        input: Predictions \(\hat y\), a floating-point tensor of any shape.
        target: True values \(y\), the same shape as ``input``.
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.
        beta: Width of the quadratic zone; must be \(\ge 0\).

    Returns:
        A scalar for ``'mean'``/``'sum'``, else a tensor shaped like ``input``.

    Raises:
        TypeError: If ``input`` is not a floating-point tensor, ``target`` is not a tensor, or
            ``beta`` is not a number.
        ValueError: If the shapes differ, ``reduction`` is unknown or ``beta < 0``.

    Examples:
        >>> smooth_l1_loss(torch.tensor([0.5, 3.0]), torch.zeros(2), reduction="none")
        tensor([0.1250, 2.5000])

    Torch counterpart:
        ``torch.nn.functional.smooth_l1_loss`` (also ``torch.nn.SmoothL1Loss``).

    Common mistakes:
        - Assuming a bigger \(\beta\) makes the loss larger: dividing by \(\beta\) keeps the
          linear slope at 1, so a bigger \(\beta\) makes the loss *smaller* near zero.
    """
    _error_checks(input, target, reduction)
    beta = check_non_negative("beta", beta)
    if beta == 0:
        return reduce((input - target).abs(), reduction)
    if reduction == "none":
        return _huber(input, target, beta) / beta
    # Dividing after the reduction is the same number and, for a scalar, one cheap division.
    return _reduce_total(_huber_total(input, target, beta), input, reduction) / beta
