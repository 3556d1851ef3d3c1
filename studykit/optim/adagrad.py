r"""Adagrad: a learning rate per parameter (학습률을 파라미터별로 조정, adaptive learning rate).

One global learning rate suits no parameter perfectly: a weight that sees large gradients all the
time wants small steps, a rarely-active one (a rare word's embedding) wants large steps when it
finally gets a gradient. Adagrad divides each parameter's step by the square root of the sum of
all its squared gradients so far (제곱 기울기의 누적 합):

$$s_t = s_{t-1} + g_t^2, \qquad
\theta_t = \theta_{t-1} - \frac{\eta_t}{\sqrt{s_t} + \epsilon}\, g_t, \qquad
\eta_t = \frac{\eta}{1 + (t - 1)\,\delta}$$

(element-wise; \(\delta\) is ``lr_decay``, \(s_0\) is ``initial_accumulator_value``, and
weight decay adds \(\lambda\theta\) to \(g_t\) first). With \(s_0 = 0\) the first step of every
parameter has size \(\eta\) (up to \(\epsilon\)) whatever the gradient's scale, since
\(g / \sqrt{g^2} = \pm 1\).

The catch is that \(s_t\) only grows, so every step keeps shrinking and training can stall long
before the minimum. RMSprop (`studykit.optim.rmsprop`) fixes that by forgetting old gradients.

By hand, \(L = w^2\) at \(w = 3\) with \(\eta = 0.1\): \(g = 6\), \(s = 36\),
\(w \leftarrow 3 - 0.1 \cdot 6/6 = 2.9\); then \(g = 5.8\), \(s = 69.64\),
\(w \leftarrow 2.9 - 0.1 \cdot 5.8/8.345 \approx 2.8305\).

Torch counterpart: ``torch.optim.Adagrad``.

Common mistakes:
    - Expecting a long run to keep learning: the accumulated sum makes the effective learning
      rate decay like \(1/\sqrt{t}\) even with ``lr_decay=0``.
    - Re-creating the optimizer mid-training (to change ``lr``, say): the sum starts over, so
      the next steps are again of full size \(\eta\) and can undo progress. Change
      ``opt.param_groups[i]["lr"]`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from studykit._checks import check_non_negative
from studykit.optim.base import Optimizer, ParamGroup, Params

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (적응적 학습률): divide each step by the root of the summed squared gradients.

    $$s_t = s_{t-1} + g_t^2, \qquad
    \theta_t = \theta_{t-1} - \frac{\eta}{1 + (t-1)\delta} \cdot \frac{g_t}{\sqrt{s_t} + \epsilon}$$

    where \(g_t = \pm\nabla_\theta L + \lambda\theta_{t-1}\). The state holds ``"sum"``
    (\(s_t\), starting at ``initial_accumulator_value``) and ``"step"`` (\(t\), a Python ``int``).

    Args:
        params: Tensors to optimize, or parameter groups (dicts with ``"params"`` and options).
        lr: Learning rate \(\eta \ge 0\) (학습률).
        lr_decay: \(\delta \ge 0\): the learning rate at step \(t\) is \(\eta/(1 + (t-1)\delta)\).
        weight_decay: L2 penalty \(\lambda \ge 0\), added to the gradient as \(\lambda\theta\).
        initial_accumulator_value: \(s_0 \ge 0\), the starting value of the sum.
        eps: \(\epsilon \ge 0\), added to \(\sqrt{s_t}\) so the division is safe.
        maximize: Climb the objective instead of descending it (keyword-only, like torch).

    Raises:
        ValueError: If any of ``lr``, ``lr_decay``, ``weight_decay``,
            ``initial_accumulator_value`` or ``eps`` is negative; plus the `Optimizer` checks.

    Examples:
        >>> import torch
        >>> w = torch.tensor(3.0, requires_grad=True)
        >>> opt = Adagrad([w], lr=0.1)
        >>> for _ in range(2):
        ...     opt.zero_grad()
        ...     (w**2).backward()
        ...     opt.step()
        ...     print(round(w.item(), 4))
        2.9
        2.8305

    Torch counterpart:
        ``torch.optim.Adagrad`` (same arguments and defaults; ``foreach``, ``fused`` and
        ``differentiable`` are not mirrored). Torch fills ``"sum"`` when the optimizer is built,
        from the constructor's ``initial_accumulator_value`` even for a group that overrides it;
        here it is filled at the first step from the parameter's own group.

    Common mistakes:
        - A large ``eps`` (say ``1e-3``) silently caps the step for parameters whose gradients
          are small: \(\sqrt{s}\) is then dwarfed by \(\epsilon\).
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_options(self, options: Mapping[str, Any]) -> None:
        for name in ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
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
            state["sum"] = torch.full_like(param, group["initial_accumulator_value"])
        state["step"] += 1
        step: int = state["step"]

        grad = self._l2_gradient(param, grad, group)

        lr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        sum_sq: torch.Tensor = state["sum"]
        sum_sq.addcmul_(grad, grad)  # s += g * g, in place
        std = sum_sq.sqrt().add_(group["eps"])
        param.addcdiv_(grad, std, value=-lr)  # θ -= lr * g / std
