r"""Stochastic gradient descent (확률적 경사 하강법, SGD) and momentum (모멘텀).

Gradient descent (경사 하강법) moves every parameter a small step against its gradient, the
direction in which the loss grows fastest. *Stochastic* means the gradient comes from a
mini-batch (미니배치) rather than the whole data set: noisier, but far cheaper per step.

$$\theta_t = \theta_{t-1} - \eta\, g_t, \qquad g_t = \nabla_\theta L(\theta_{t-1})$$

The learning rate (학습률) \(\eta\) is the step size. Too large and the loss jumps over the valley
and grows (발산, divergence); too small and it crawls.

**Momentum** (모멘텀) keeps a fraction \(\mu\) of the previous update, like a ball rolling
downhill that keeps its speed: steps along a consistent direction add up, while back-and-forth
zig-zags across a narrow valley cancel out.

$$b_1 = g_1, \qquad b_t = \mu\, b_{t-1} + (1 - \tau)\, g_t, \qquad
\theta_t = \theta_{t-1} - \eta\, b_t$$

with dampening \(\tau\) (usually 0). **Nesterov** momentum steps with
\(g_t + \mu b_t\) instead of \(b_t\): it looks one momentum step ahead. **Weight decay**
\(\lambda\) adds \(\lambda\theta\) to the gradient (an L2 penalty \(\tfrac{\lambda}{2}\lVert\theta
\rVert^2\) on the loss), and **maximize** climbs instead: \(g_t = -\nabla_\theta L\).

One step by hand, \(L = w^2\) at \(w = 3\) (so \(g = 6\)) with \(\eta = 0.1\):
\(w \leftarrow 3 - 0.1 \cdot 6 = 2.4\). With momentum 0.9 the second step is
\(b = 0.9 \cdot 6 + 4.8 = 10.2\), \(w \leftarrow 2.4 - 1.02 = 1.38\), against 1.92 without.

Torch counterpart: ``torch.optim.SGD`` (``foreach=False`` computes the same thing one tensor at a
time, as this file does).

Common mistakes:
    - Forgetting ``zero_grad()``: gradients accumulate across steps and the effective step grows.
    - Expecting dampening on the first step: the buffer starts as the raw gradient \(b_1 = g_1\).
    - Raising momentum without lowering the learning rate: the effective step is about
      \(\eta / (1 - \mu)\), ten times \(\eta\) at \(\mu = 0.9\).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from studykit._checks import check_non_negative
from studykit.optim.base import Optimizer, ParamGroup, Params

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent (확률적 경사 하강법), with optional momentum (모멘텀).

    $$g_t \leftarrow \pm\nabla_\theta L + \lambda\theta_{t-1}, \quad
    b_t = \begin{cases} g_1 & t = 1 \\ \mu b_{t-1} + (1-\tau) g_t & t > 1 \end{cases}, \quad
    \theta_t = \theta_{t-1} - \eta \begin{cases} g_t + \mu b_t & \text{nesterov} \\
    b_t & \text{otherwise} \end{cases}$$

    (without momentum, \(\theta_t = \theta_{t-1} - \eta g_t\)). The momentum buffer lives in
    ``state["momentum_buffer"]``; plain SGD keeps no state.

    Args:
        params: Tensors to optimize, or parameter groups (dicts with ``"params"`` and options).
        lr: Learning rate \(\eta \ge 0\) (학습률).
        momentum: Momentum factor \(\mu \ge 0\); 0 turns momentum off.
        dampening: \(\tau\): how much of the new gradient to *not* add to the buffer (from the
            second step on).
        weight_decay: L2 penalty \(\lambda \ge 0\), added to the gradient as \(\lambda\theta\).
        nesterov: Use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
        maximize: Climb the objective instead of descending it (keyword-only, like torch).

    Raises:
        ValueError: If ``lr``, ``momentum`` or ``weight_decay`` is negative, or ``nesterov`` is
            set without momentum or with dampening; plus the `Optimizer` checks on ``params``.

    Examples:
        >>> import torch
        >>> w = torch.tensor(3.0, requires_grad=True)
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     opt.zero_grad()
        ...     (w**2).backward()
        ...     opt.step()
        ...     print(round(w.item(), 4))
        2.4
        1.38

    Torch counterpart:
        ``torch.optim.SGD`` (same arguments and defaults; ``foreach``, ``fused`` and
        ``differentiable`` are not mirrored, and ``lr`` must be a number, not a tensor).

    Common mistakes:
        - ``nesterov=True`` with ``momentum=0``: there is no buffer to look ahead with.
        - Treating ``weight_decay`` as free: it pulls every weight toward 0 on every step,
          including biases, unless you put those in a group with ``weight_decay=0``.
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_options(self, options: Mapping[str, Any]) -> None:
        check_non_negative("lr", options["lr"])
        momentum = check_non_negative("momentum", options["momentum"])
        check_non_negative("weight_decay", options["weight_decay"])
        dampening = options["dampening"]
        if options["nesterov"] and (momentum <= 0 or dampening != 0):
            raise ValueError(
                "nesterov=True requires momentum > 0 and dampening == 0, "
                f"got momentum={options['momentum']}, dampening={dampening}"
            )

    def _update_param(
        self,
        param: torch.Tensor,
        grad: torch.Tensor,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        grad = self._l2_gradient(param, grad, group)

        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                # The first step copies the gradient: no dampening yet.
                buf = state["momentum_buffer"] = grad.detach().clone()
            else:
                buf.mul_(momentum).add_(grad, alpha=1 - group["dampening"])
            grad = grad.add(buf, alpha=momentum) if group["nesterov"] else buf

        param.add_(grad, alpha=-group["lr"])
