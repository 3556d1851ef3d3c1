r"""RMSprop: Adagrad with a memory that fades (지수 가중 이동 평균, exponentially weighted average).

Adagrad divides by the root of the *sum* of all squared gradients, which only grows, so its steps
shrink toward zero. RMSprop divides by the root of an exponentially weighted moving *average*
of the squared gradients instead (root mean square, hence the name):

$$v_t = \alpha\, v_{t-1} + (1 - \alpha)\, g_t^2, \qquad
\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \epsilon}$$

A gradient from \(k\) steps ago weighs \(\alpha^k\), so with \(\alpha = 0.99\) the average
remembers roughly the last \(1/(1-\alpha) = 100\) steps and the learning rate no longer vanishes.

Options: **centered** subtracts the square of the running mean gradient \(m_t\) (an estimate of
the variance instead of the raw second moment): \(\sqrt{v_t - m_t^2}\); **momentum** \(\mu\) keeps
a buffer of normalized steps, \(b_t = \mu b_{t-1} + g_t / (\sqrt{v_t} + \epsilon)\),
\(\theta_t = \theta_{t-1} - \eta b_t\); **weight_decay** adds \(\lambda\theta\) to \(g_t\).

There is no bias correction: \(v_0 = 0\), so \(v_1 = (1-\alpha) g_1^2\) is tiny and the first
step is \(\eta / \sqrt{1-\alpha}\), ten times \(\eta\) at \(\alpha = 0.99\). By hand,
\(L = w^2\) at \(w = 3\) with \(\eta = 0.01\): \(g = 6\), \(v = 0.36\),
\(w \leftarrow 3 - 0.01 \cdot 6/0.6 = 2.9\). Adam (`studykit.optim.adam`) adds the correction.

Torch counterpart: ``torch.optim.RMSprop``.

Common mistakes:
    - Using Adam-sized learning rates and being surprised by the first few huge steps: see
      the missing bias correction above.
    - Confusing ``alpha`` here (the decay of the average, torch's name) with the learning rate
      (often written \(\alpha\) in papers, but ``lr`` in code).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from studykit._checks import check_non_negative
from studykit.optim.base import Optimizer, ParamGroup, Params

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop: divide each step by the root of a running average of squared gradients.

    $$v_t = \alpha v_{t-1} + (1-\alpha) g_t^2, \quad
    d_t = \begin{cases} \sqrt{v_t - m_t^2} + \epsilon, \; m_t = \alpha m_{t-1} + (1-\alpha) g_t
    & \text{centered} \\ \sqrt{v_t} + \epsilon & \text{otherwise} \end{cases}$$

    $$\theta_t = \theta_{t-1} - \eta\, b_t, \quad b_t = \mu b_{t-1} + g_t / d_t
    \qquad (\text{or } \theta_t = \theta_{t-1} - \eta\, g_t / d_t \text{ when } \mu = 0)$$

    with \(g_t = \pm\nabla_\theta L + \lambda\theta_{t-1}\) (지수 가중 이동 평균을 쓰는 적응적
    학습률). State: ``"step"`` (a Python ``int``), ``"square_avg"`` (\(v\)), and when enabled
    ``"grad_avg"`` (\(m\)) and ``"momentum_buffer"`` (\(b\)), all starting at zero.

    Args:
        params: Tensors to optimize, or parameter groups (dicts with ``"params"`` and options).
        lr: Learning rate \(\eta \ge 0\) (학습률).
        alpha: Decay \(\alpha \ge 0\) of the running averages (the smoothing constant).
        eps: \(\epsilon \ge 0\), added to the root so the division is safe.
        weight_decay: L2 penalty \(\lambda \ge 0\), added to the gradient as \(\lambda\theta\).
        momentum: Momentum factor \(\mu \ge 0\); 0 turns momentum off.
        centered: Normalize by an estimate of the gradient's variance instead of its second
            moment.
        maximize: Climb the objective instead of descending it (keyword-only here).

    Raises:
        ValueError: If ``lr``, ``alpha``, ``eps``, ``weight_decay`` or ``momentum`` is negative;
            plus the `Optimizer` checks on ``params``.

    Examples:
        >>> import torch
        >>> w = torch.tensor(3.0, requires_grad=True)
        >>> opt = RMSprop([w], lr=0.01)
        >>> for _ in range(2):
        ...     opt.zero_grad()
        ...     (w**2).backward()
        ...     opt.step()
        ...     print(round(w.item(), 4))
        2.9
        2.8303

    Torch counterpart:
        ``torch.optim.RMSprop`` (same arguments and defaults). Torch takes ``capturable`` and
        ``foreach`` positionally before ``maximize``; those are not mirrored, so ``maximize``
        is keyword-only here.

    Common mistakes:
        - ``centered=True`` with a tiny ``eps`` when a gradient hardly changes: \(v_t - m_t^2\)
          (its variance) shrinks toward 0 and the step grows toward \(\eta\,g/\epsilon\).
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_options(self, options: Mapping[str, Any]) -> None:
        for name in ("lr", "eps", "momentum", "weight_decay", "alpha"):
            check_non_negative(name, options[name])

    def _update_param(
        self,
        param: torch.Tensor,
        grad: torch.Tensor,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        if not state:
            state["step"] = 0
            state["square_avg"] = torch.zeros_like(param)
        state["step"] += 1
        alpha, momentum = group["alpha"], group["momentum"]

        grad = self._l2_gradient(param, grad, group)

        square_avg: torch.Tensor = state["square_avg"]
        square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)  # v = αv + (1-α)g²

        if group["centered"]:
            if "grad_avg" not in state:
                state["grad_avg"] = torch.zeros_like(param)
            grad_avg: torch.Tensor = state["grad_avg"]
            grad_avg.lerp_(grad, 1 - alpha)  # m += (1-α)(g - m), i.e. m = αm + (1-α)g
            denom = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()  # √(v - m²)
        else:
            denom = square_avg.sqrt()
        denom.add_(group["eps"])

        if momentum > 0:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = torch.zeros_like(param)
            buf: torch.Tensor = state["momentum_buffer"]
            buf.mul_(momentum).addcdiv_(grad, denom)  # b = μb + g/d
            param.add_(buf, alpha=-group["lr"])
        else:
            param.addcdiv_(grad, denom, value=-group["lr"])
