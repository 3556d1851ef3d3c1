r"""Normalization layers (정규화 층): batch normalization and layer normalization.

**Why.** Training updates every layer at once, so the distribution of the inputs each layer sees
keeps moving while the layer tries to fit it. The notes call this **internal covariate shift**
(내부 공변량 변화): after a convolution or fully connected layer and its activation, the
distribution of the features differs from batch to batch and from step to step. Normalizing
each feature to mean 0 and variance 1 keeps every layer's input on a stable scale, which allows
larger learning rates and makes training less sensitive to the initialization. (Later work
argues that the main benefit is a smoother loss surface rather than less covariate shift; the
recipe is the same either way.)

**Batch normalization** (배치 정규화) normalizes each channel (feature) \(c\) with the mean and
variance of the current mini-batch (미니배치), taken over the batch and every spatial position,
then lets the network undo it if useful with a learned scale \(\gamma\) and shift \(\beta\):

$$\hat x = \frac{x - \mu_{\mathcal B}}{\sqrt{\sigma^2_{\mathcal B} + \epsilon}}, \qquad
  y = \gamma\,\hat x + \beta$$

A single test example has no batch, so during training the layer also keeps a **running
average** (이동 평균) of the batch means and variances, and at evaluation (추론) it normalizes with
those fixed estimates instead:

| mode | normalizes with | running estimates |
|---|---|---|
| training (``model.train()``) | the batch's \(\mu_{\mathcal B}, \sigma^2_{\mathcal B}\) | updated |
| evaluation (``model.eval()``) | the running estimates | left alone |

**Layer normalization** (층 정규화) normalizes each example over its own features (the trailing
dimensions) instead of over the batch. It behaves the same in training and evaluation, needs no
running estimates and works for a batch of one, which is why RNNs and Transformers use it.

| | batch norm | layer norm |
|---|---|---|
| statistics over | the batch (and positions), per channel | the features, per example |
| depends on other examples | yes | no |
| train and eval differ | yes | no |

Here both layers share one implementation, which normalizes over some dimensions of a view of
the input (one statistic per index of the others), with the backward pass written out by hand:
batch norm views the input as ``(N, C, H*W)`` and normalizes over dims 0 and 2 (per channel),
layer norm views it as ``(rows, features)`` and normalizes over the last dim (per row).

Common mistakes:
    - Forgetting ``model.eval()`` before testing: batch norm keeps normalizing with the batch's
      own statistics (and keeps changing its running estimates), so a prediction depends on
      which other examples share its batch.
    - Mixing the two variances: the batch is normalized with the **biased** variance (divide by
      \(n\), 편향 분산), but the running estimate is updated with the **unbiased** one (divide by
      \(n-1\), 불편 분산), as torch does.
    - Tiny batches: with 2 or 4 examples the batch statistics are noisy estimates and training
      suffers; with one value per channel the variance is 0 and training is refused. Use layer
      norm (or group norm) when batches must be small.
    - Putting a bias in the layer before batch norm: the mean subtraction removes it, and
      \(\beta\) plays its role.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

import torch
from torch.autograd.function import once_differentiable

from studykit._checks import check_floating, check_non_negative, check_shape
from studykit._function import apply

__all__ = ["batch_norm", "layer_norm"]

# With torch's vectorized CPU kernels (AVX2, AVX-512), ``addcmul`` whose factors vary along a
# dimension other than the last runs slower than a ``mul`` and an ``add_``, two passes; with the
# plain (DEFAULT) kernels, and on GPUs, the one pass of ``addcmul`` is the faster.
_VECTOR_CPU_KERNELS = torch.backends.cpu.get_cpu_capability() != "DEFAULT"


def _scale_shift_(
    out: torch.Tensor, rstd: torch.Tensor, weight: torch.Tensor | None, bias: torch.Tensor | None
) -> None:
    """``out <- out * rstd * weight + bias`` in place, in two passes over the data.

    Which two depends on the broadcast shapes, because torch's fused ``addcmul`` is fast only
    when its factors vary along the last (contiguous) dimension.
    """
    if weight is not None and weight.shape == rstd.shape:  # batch norm: all per channel
        out.mul_(rstd * weight)
    else:
        out.mul_(rstd)
        if weight is not None and bias is not None:  # layer norm: per feature, fused
            torch.addcmul(bias, out, weight, out=out)
            return
        if weight is not None:
            out.mul_(weight)
    if bias is not None:
        out.add_(bias)


def _normalize_forward(
    x: torch.Tensor,
    weight: torch.Tensor | None,
    bias: torch.Tensor | None,
    eps: float,
    dims: tuple[int, ...],
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalize ``x`` over ``dims``; return the output, mean, variance and 1/std."""
    count = math.prod(x.shape[d] for d in dims)
    mean = x.sum(dims, keepdim=True).div_(count)  # (a sum is cheaper than .mean() on the CPU)
    out = x - mean  # the only full-size allocation: centred values, then the output
    # The biased variance, the mean of the squared centred values: two passes over the data,
    # so that a large mean cannot swamp a small variance as in E[x^2] - E[x]^2.
    sum_sq = torch.linalg.vector_norm(out, dim=dims[-1], keepdim=True).square_()
    if len(dims) > 1:  # batch norm: add up the per-example sums of each channel
        sum_sq = sum_sq.sum(dims[:-1], keepdim=True)
    var = sum_sq.div_(count)
    rstd = (var + eps).rsqrt_()
    _scale_shift_(out, rstd, weight, bias)
    return out, mean, var, rstd


class _Normalize(torch.autograd.Function):
    r"""Normalize over some dimensions (one statistic per index of the others); scale, shift.

    Both layers are this one computation with different ``dims``: batch norm views
    ``(N, C, H, W)`` as ``(N, C, H*W)`` and normalizes over dims ``(0, 2)`` (statistics per
    channel); layer norm views ``(*, D)`` as it is and normalizes over dim ``-1`` (statistics per
    row). ``weight``/``bias`` are already shaped to broadcast: ``(1, C, 1)`` for batch norm,
    ``(D,)`` for layer norm.

    The backward is written by hand. With \(\hat x = (x - \mu) r\), \(r = 1/\sqrt{\sigma^2 +
    \epsilon}\), \(g = \gamma \odot \partial L/\partial y\) and means over the \(n\) values of
    one statistic,

    $$\frac{\partial L}{\partial x} = r\left(g - \overline{g} - \hat x\,\overline{g\hat x}\right)$$

    (the two subtracted terms are the paths through \(\mu\) and \(\sigma^2\)), and
    \(\partial L/\partial\gamma = \sum \hat x\,\partial L/\partial y\),
    \(\partial L/\partial\beta = \sum \partial L/\partial y\).
    """

    @staticmethod
    def forward(
        ctx: Any,
        x: torch.Tensor,
        weight: torch.Tensor | None,
        bias: torch.Tensor | None,
        eps: float,
        dims: tuple[int, ...],
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        out, mean, var, rstd = _normalize_forward(x, weight, bias, eps, dims)
        ctx.save_for_backward(x, mean, rstd, weight)
        ctx.dims = dims
        ctx.bias_shape = None if bias is None else bias.shape
        ctx.mark_non_differentiable(mean, var)
        return out, mean, var

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, grad: torch.Tensor, *_: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        x, mean, rstd, weight = ctx.saved_tensors
        x_hat = (x - mean) * rstd
        g = grad if weight is None else grad * weight
        g_mean = g.mean(ctx.dims, keepdim=True)
        gx_mean = (g * x_hat).mean(ctx.dims, keepdim=True)
        grad_x = (g - g_mean - x_hat * gx_mean).mul_(rstd)
        grad_weight = grad_bias = None
        if weight is not None and ctx.needs_input_grad[1]:
            grad_weight = (grad * x_hat).sum_to_size(weight.shape)
        if ctx.bias_shape is not None and ctx.needs_input_grad[2]:
            grad_bias = grad.sum_to_size(ctx.bias_shape)
        return grad_x, grad_weight, grad_bias, None, None


def _normalize(
    x: torch.Tensor,
    weight: torch.Tensor | None,
    bias: torch.Tensor | None,
    eps: float,
    dims: tuple[int, ...],
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalize ``x`` over ``dims``; return the output, mean and variance."""
    return cast(
        tuple[torch.Tensor, torch.Tensor, torch.Tensor],
        apply(_Normalize, x, weight, bias, eps, dims),
    )


def _optional(name: str, value: torch.Tensor | None, shape: tuple[int, ...], hint: str) -> None:
    """Check the shape of an optional per-feature tensor (weight, bias, running statistics)."""
    if value is not None:
        check_shape(name, value, shape, hint)


def _average_factor(momentum: float | None, num_batches_tracked: int | None) -> float:
    """The weight of the new batch in the running average (the exponential average factor)."""
    if momentum is None:
        if isinstance(num_batches_tracked, bool) or not isinstance(num_batches_tracked, int):
            raise TypeError(
                "momentum=None (a cumulative average) needs num_batches_tracked, the int number "
                f"of batches seen including this one, got {num_batches_tracked!r}"
            )
        if num_batches_tracked < 1:
            raise ValueError(f"num_batches_tracked must be >= 1, got {num_batches_tracked}")
        return 1.0 / num_batches_tracked
    return momentum


def _check_momentum(momentum: float | None) -> None:
    if momentum is None:
        return
    if isinstance(momentum, bool) or not isinstance(momentum, int | float):
        raise TypeError(f"momentum must be a number or None, got {type(momentum).__name__}")
    if not 0 <= momentum <= 1:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")


def _update_running_stats(
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    mean: torch.Tensor,
    var: torch.Tensor,
    count: int,
    factor: float,
) -> None:
    """Move the running estimates a fraction ``factor`` of the way to this batch's statistics."""
    unbiased_var = var * (count / (count - 1))  # biased var * n / (n - 1)
    with torch.no_grad():  # bookkeeping, not part of the computation being differentiated
        running_mean.mul_(1 - factor).add_(mean, alpha=factor)
        running_var.mul_(1 - factor).add_(unbiased_var, alpha=factor)


def batch_norm(
    input: torch.Tensor,
    running_mean: torch.Tensor | None,
    running_var: torch.Tensor | None,
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    training: bool = False,
    momentum: float | None = 0.1,
    eps: float = 1e-5,
    *,
    num_batches_tracked: int | None = None,
) -> torch.Tensor:
    r"""Batch normalization (배치 정규화) of an ``(N, C, ...)`` batch, channel by channel.

    For each channel \(c\), over the \(n = N \cdot L\) (or \(N \cdot H \cdot W\)) values of that
    channel:

    $$\mu_c = \frac1n \sum x, \qquad \sigma^2_c = \frac1n \sum (x - \mu_c)^2, \qquad
      y = \gamma_c\,\frac{x - \mu_c}{\sqrt{\sigma^2_c + \epsilon}} + \beta_c$$

    With ``training=True`` the batch's own \(\mu_c, \sigma^2_c\) (the biased variance) are used,
    and the running estimates are updated **in place** with the factor \(m\) = ``momentum``:

    $$\hat\mu \leftarrow (1 - m)\,\hat\mu + m\,\mu_c, \qquad
      \hat\sigma^2 \leftarrow (1 - m)\,\hat\sigma^2 + m\,\frac{n}{n-1}\,\sigma^2_c$$

    (the unbiased variance for the estimate). With ``momentum=None`` the factor is
    \(m = 1/k\) for the \(k\)-th batch (``num_batches_tracked=k``), which makes the estimates the
    plain average of all \(k\) batch statistics (a cumulative moving average), as
    ``nn.BatchNorm(momentum=None)`` does. With ``training=False`` the running estimates are
    used in place of \(\mu_c, \sigma^2_c\) and nothing is updated.

    In evaluation the whole layer is a fixed per-channel affine map, \(y = x \cdot s + t\) with
    \(s = \gamma/\sqrt{\hat\sigma^2+\epsilon}\) and \(t = \beta - \hat\mu s\). In training the
    gradient also flows through \(\mu_c\) and \(\sigma^2_c\); the backward pass is written out
    in this module's ``_Normalize``, shared with ``layer_norm``.

    Args:
        input: A floating-point tensor of shape ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)``
            (any ``(N, C, *)`` works).
        running_mean: The running mean, shape ``(C,)``, updated in place when training; or
            ``None`` to keep no estimates (then ``training`` must be ``True``).
        running_var: The running (unbiased) variance, shape ``(C,)``; ``None`` with
            ``running_mean``.
        weight: The scale \(\gamma\), shape ``(C,)``; ``None`` means 1.
        bias: The shift \(\beta\), shape ``(C,)``; ``None`` means 0.
        training: Normalize with this batch's statistics (and update the estimates).
        momentum: The update factor \(m \in [0, 1]\), or ``None`` for a cumulative average.
        eps: \(\epsilon \ge 0\), added to the variance so that a constant channel does not
            divide by zero.
        num_batches_tracked: Keyword only; with ``momentum=None``, the number of training
            batches seen *including this one* (``nn.BatchNorm``'s counter after its increment).
            Ignored when ``momentum`` is a number.

    Returns:
        A tensor of the same shape as ``input``.

    Raises:
        TypeError: If ``input`` is not floating point, ``training`` is not a bool, ``momentum``
            is not a number or ``None``, or ``momentum=None`` comes without
            ``num_batches_tracked`` when the estimates are updated.
        ValueError: If ``input`` has fewer than 2 dimensions, a per-channel tensor does not have
            shape ``(C,)``, only one running statistic is given, the running statistics are
            missing in evaluation, there is only one value per channel in training, or
            ``momentum``/``eps``/``num_batches_tracked`` is out of range.

    Examples:
        >>> x = torch.tensor([[1.0, 10.0], [3.0, 30.0]])  # N=2 examples, C=2 channels
        >>> mean, var = torch.zeros(2), torch.ones(2)
        >>> batch_norm(x, mean, var, training=True)
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]])
        >>> mean, var  # 0.9 * old + 0.1 * batch, with the unbiased variances 2 and 200
        (tensor([0.2000, 2.0000]), tensor([ 1.1000, 20.9000]))

    Torch counterpart:
        ``torch.nn.functional.batch_norm`` (same arguments; torch's ``momentum`` must be a
        float) and the layers ``torch.nn.BatchNorm1d`` / ``BatchNorm2d``, which own the weight,
        bias, running estimates and ``num_batches_tracked`` and pass ``training`` from
        ``model.train()`` / ``model.eval()``. A layer built with
        ``track_running_stats=False`` calls it with ``None`` estimates and ``training=True`` in
        both modes, so it always uses the batch statistics.

    Common mistakes:
        - Forgetting that training mutates ``running_mean`` / ``running_var``: pass clones if
          you only want to look.
        - Normalizing over the wrong axes: statistics are per *channel* (dim 1), over the batch
          and all spatial positions, not per example.
        - Expecting a batch of one to work in training: with one value per channel there is no
          variance to estimate.
    """
    x = check_floating("input", input)
    if x.ndim < 2:
        raise ValueError(
            f"input must have shape (N, C, ...) with at least 2 dimensions, got {tuple(x.shape)}"
        )
    if not isinstance(training, bool):
        raise TypeError(f"training must be a bool, got {type(training).__name__}")
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must both be tensors or both be None")
    channels = x.shape[1]
    hint = f"one value per channel, C = {channels}"
    for name, value in [("running_mean", running_mean), ("running_var", running_var)]:
        _optional(name, value, (channels,), hint)
    _optional("weight", weight, (channels,), hint)
    _optional("bias", bias, (channels,), hint)
    _check_momentum(momentum)
    check_non_negative("eps", eps)
    spatial = math.prod(x.shape[2:])  # L, or H * W, or 1 for (N, C)
    count = x.shape[0] * spatial  # values per channel
    if training and count == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {x.shape}"
        )

    if not training:
        if running_mean is None or running_var is None:
            raise ValueError(
                "running_mean and running_var are needed when training=False (evaluation uses "
                "the running estimates); pass training=True to use the batch statistics"
            )
        # Fixed statistics: y = x * scale + shift with per-channel scale and shift.
        scale = (running_var + eps).rsqrt()
        if weight is not None:
            scale = scale * weight
        shift = -running_mean * scale if bias is None else bias - running_mean * scale
        broadcast = (1, channels) + (1,) * (x.ndim - 2)
        scale, shift = scale.reshape(broadcast), shift.reshape(broadcast)
        if x.device.type == "cpu" and _VECTOR_CPU_KERNELS:
            return torch.mul(x, scale).add_(shift)  # two passes beat addcmul's one here
        return torch.addcmul(shift, x, scale)

    # Training: statistics of this batch, per channel, on the view (N, C, L or H*W).
    per_channel = (1, channels, 1)
    out, mean, var = _normalize(
        x.reshape(x.shape[0], channels, spatial),
        None if weight is None else weight.reshape(per_channel),
        None if bias is None else bias.reshape(per_channel),
        eps,
        (0, 2),
    )
    if running_mean is not None and running_var is not None and count > 0:
        factor = _average_factor(momentum, num_batches_tracked)
        _update_running_stats(running_mean, running_var, mean.view(-1), var.view(-1), count, factor)
    return out.reshape(x.shape)


def _normalized_shape(normalized_shape: int | Sequence[int]) -> tuple[int, ...]:
    """``normalized_shape`` as a non-empty tuple of ints (an int means a 1-tuple)."""
    if isinstance(normalized_shape, int) and not isinstance(normalized_shape, bool):
        return (normalized_shape,)
    if isinstance(normalized_shape, torch.Size | tuple | list) and all(
        isinstance(s, int) and not isinstance(s, bool) for s in normalized_shape
    ):
        if not normalized_shape:
            raise ValueError("normalized_shape must name at least one dimension, got ()")
        return tuple(normalized_shape)
    raise TypeError(f"normalized_shape must be an int or a tuple of ints, got {normalized_shape!r}")


def layer_norm(
    input: torch.Tensor,
    normalized_shape: int | Sequence[int],
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    eps: float = 1e-5,
) -> torch.Tensor:
    r"""Layer normalization (층 정규화): normalize each example over its trailing dimensions.

    With \(D\) the last ``len(normalized_shape)`` dimensions (the \(d\) features of one
    example):

    $$\mu = \frac1d \sum_{i \in D} x_i, \qquad \sigma^2 = \frac1d \sum_{i \in D} (x_i - \mu)^2,
      \qquad y = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta$$

    The variance is the biased one (divide by \(d\)). There are no running estimates: training
    and evaluation compute the same thing, and every example is normalized on its own.

    Args:
        input: A floating-point tensor of shape ``(*, *normalized_shape)``.
        normalized_shape: The trailing shape to normalize over: an int (the last dimension) or
            a tuple of ints.
        weight: The elementwise scale \(\gamma\), shape ``normalized_shape``; ``None`` means 1.
        bias: The elementwise shift \(\beta\), shape ``normalized_shape``; ``None`` means 0.
        eps: \(\epsilon \ge 0\), added to the variance.

    Returns:
        A tensor of the same shape as ``input``.

    Raises:
        TypeError: If ``input`` is not floating point or ``normalized_shape`` is not an int or
            a tuple of ints.
        ValueError: If ``normalized_shape`` is empty or is not the end of ``input.shape``,
            ``weight``/``bias`` does not have shape ``normalized_shape``, or ``eps < 0``.

    Examples:
        >>> x = torch.tensor([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]])
        >>> layer_norm(x, 3)  # each row: mean 0, variance 1 (almost: eps)
        tensor([[-1.2247,  0.0000,  1.2247],
                [-0.7071, -0.7071,  1.4142]])

    Torch counterpart:
        ``torch.nn.functional.layer_norm`` (which wants a tuple, not an int) and
        ``torch.nn.LayerNorm``, whose ``weight`` and ``bias`` have shape ``normalized_shape``.

    Common mistakes:
        - Passing the full input shape including the batch: ``normalized_shape`` is only the
          trailing *feature* shape, e.g. ``(C, H, W)`` for images, ``d_model`` for tokens.
        - Expecting per-channel \(\gamma\) as in batch norm: layer norm's \(\gamma, \beta\)
          have one value per *element* of ``normalized_shape``.
    """
    x = check_floating("input", input)
    shape = _normalized_shape(normalized_shape)
    k = len(shape)
    if k > x.ndim or tuple(x.shape[x.ndim - k :]) != shape:
        raise ValueError(
            f"normalized_shape {shape} must match the last {k} dimension(s) of input, "
            f"got input shape {tuple(x.shape)}"
        )
    _optional("weight", weight, shape, "normalized_shape")
    _optional("bias", bias, shape, "normalized_shape")
    check_non_negative("eps", eps)
    if k == 1:  # the usual case: the rows of x as they are
        return _normalize(x, weight, bias, eps, (-1,))[0]
    # Several trailing dimensions: flatten them into one feature dimension (a view when x is
    # contiguous), normalize its rows, and restore the shape.
    out, _, _ = _normalize(
        x.flatten(-k),
        None if weight is None else weight.flatten(),
        None if bias is None else bias.flatten(),
        eps,
        (-1,),
    )
    return out.reshape(x.shape)
