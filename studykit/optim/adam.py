r"""Adam and AdamW: momentum + RMSprop + bias correction (편향 보정).

Adam keeps two exponentially weighted moving averages per parameter: the gradient itself (the
first moment, like momentum's buffer) and its square (the second moment, like RMSprop's):

$$m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 .$$

Both start at zero, so early on they are biased toward zero: \(m_1 = (1-\beta_1) g_1\) is a tenth
of the gradient at \(\beta_1 = 0.9\). **Bias correction** (편향 보정) divides that out,

$$\hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t}, \qquad
\theta_t = \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.$$

At \(t = 1\), \(\hat m_1 = g_1\) and \(\hat v_1 = g_1^2\), so the first step has size \(\eta\)
whatever the gradient's scale: with \(L = w^2\) at \(w = 3\) and \(\eta = 0.1\),
\(w \leftarrow 3 - 0.1 \cdot 6/6 = 2.9\) (and \(L = 100 w^2\) would give the same 2.9).

**AMSGrad** keeps the running maximum of \(v_t\) and divides by that instead, so the effective
step size can never grow back. **Weight decay** comes in two kinds:

- Adam's ``weight_decay`` is an L2 penalty: \(g_t \leftarrow g_t + \lambda\theta\) *before* the
  moments. The penalty's gradient is then divided by \(\sqrt{\hat v_t}\) like everything else, so
  parameters with large gradients are barely decayed.
- AdamW (decoupled weight decay, 분리된 가중치 감쇠) shrinks the parameter directly,
  \(\theta \leftarrow \theta(1 - \eta\lambda)\), and leaves the moments to the loss alone. This
  is what "weight decay" was meant to be, and it regularizes noticeably better.

By hand, one step from \(w = 3\) with \(\eta = 0.1\), \(\lambda = 0.1\): Adam's L2 gradient is
\(6.3\), normalized to a step of exactly 0.1, so \(w = 2.9\), the penalty has vanished; AdamW
first shrinks \(w\) to \(3 \cdot 0.99 = 2.97\) and then steps to 2.87.

Torch counterpart: ``torch.optim.Adam`` and ``torch.optim.AdamW``.

Common mistakes:
    - Writing Adam without bias correction: with the default betas the first step is
      \((1-\beta_1)/\sqrt{1-\beta_2} \approx 3.16\) times too large, and later ones are off too.
    - Putting \(\epsilon\) inside the square root, or adding it before bias-correcting
      \(\hat v_t\): both change the step for small gradients (torch adds it after).
    - Expecting ``Adam(weight_decay=...)`` to match ``AdamW(weight_decay=...)``: L2 penalty and
      decoupled decay are different updates, and AdamW's default is ``1e-2``, not 0.
    - A learning rate tuned for SGD (0.1 or more): Adam's steps are already about \(\eta\) in
      size per parameter, so \(\eta = 10^{-3}\) is the usual start.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from studykit._checks import check_in_range, check_non_negative
from studykit.optim.base import Optimizer, ParamGroup, Params

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam (아담): momentum and RMSprop together, with bias correction (편향 보정).

    $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad
    v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad
    \theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t} \cdot
    \frac{m_t}{\sqrt{\tilde v_t / (1-\beta_2^t)} + \epsilon}$$

    where \(g_t = \pm\nabla_\theta L\) (plus \(\lambda\theta_{t-1}\) for the L2 penalty) and
    \(\tilde v_t = v_t\), or with ``amsgrad`` \(\tilde v_t = \max(\tilde v_{t-1}, v_t)\): the
    maximum is taken over the *uncorrected* \(v_t\) and then divided by the *current*
    \(1-\beta_2^t\), as torch does. With decoupled weight decay the parameter is first scaled by
    \(1 - \eta\lambda\) instead. State: ``"step"`` (a Python ``int``), ``"exp_avg"`` (\(m\)),
    ``"exp_avg_sq"`` (\(v\)) and, with amsgrad, ``"max_exp_avg_sq"`` (\(\tilde v\)).

    Args:
        params: Tensors to optimize, or parameter groups (dicts with ``"params"`` and options).
        lr: Learning rate \(\eta \ge 0\) (학습률).
        betas: \((\beta_1, \beta_2)\), each in \([0, 1)\): the decays of the two averages.
        eps: \(\epsilon \ge 0\), added to the root of \(\hat v_t\) so the division is safe.
        weight_decay: \(\lambda \ge 0\): an L2 penalty, or decoupled decay (see below).
        amsgrad: Divide by the running maximum of the second moment (AMSGrad).
        maximize: Climb the objective instead of descending it (keyword-only, like torch).
        decoupled_weight_decay: Apply ``weight_decay`` as AdamW does (keyword-only, like torch);
            ``Adam(..., decoupled_weight_decay=True)`` is ``AdamW``.

    Raises:
        ValueError: If ``lr``, ``eps`` or ``weight_decay`` is negative, ``betas`` is not a pair,
            or a beta is outside \([0, 1)\); plus the `Optimizer` checks on ``params``.

    Examples:
        >>> import torch
        >>> w = torch.tensor(3.0, requires_grad=True)
        >>> opt = Adam([w], lr=0.1)
        >>> for _ in range(2):
        ...     opt.zero_grad()
        ...     (w**2).backward()
        ...     opt.step()
        ...     print(round(w.item(), 4))
        2.9
        2.8001

    Torch counterpart:
        ``torch.optim.Adam`` (same arguments and defaults; ``foreach``, ``fused``,
        ``capturable`` and ``differentiable`` are not mirrored, and ``lr`` and ``betas`` must be
        numbers, not tensors).

    Common mistakes:
        - Forgetting the bias correction, or applying it to the running maximum in AMSGrad
          (torch keeps the maximum of the raw \(v_t\)).
        - Using ``weight_decay`` here when you meant AdamW's decoupled decay.
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _check_options(self, options: Mapping[str, Any]) -> None:
        check_non_negative("lr", options["lr"])
        check_non_negative("eps", options["eps"])
        betas = options["betas"]
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        check_in_range("betas[0]", betas[0], 0.0, 1.0)
        check_in_range("betas[1]", betas[1], 0.0, 1.0)
        check_non_negative("weight_decay", options["weight_decay"])

    def _update_param(
        self,
        param: torch.Tensor,
        grad: torch.Tensor,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(param)
            state["exp_avg_sq"] = torch.zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = torch.zeros_like(param)
        state["step"] += 1
        step: int = state["step"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        beta1, beta2 = group["betas"]

        if group["decoupled_weight_decay"]:
            grad = -grad if group["maximize"] else grad
            param.mul_(1 - lr * weight_decay)  # AdamW: shrink θ itself
        else:
            grad = self._l2_gradient(param, grad, group)  # Adam: L2 penalty in the gradient

        exp_avg: torch.Tensor = state["exp_avg"]
        exp_avg_sq: torch.Tensor = state["exp_avg_sq"]
        exp_avg.lerp_(grad, 1 - beta1)  # m += (1-β1)(g - m), i.e. m = β1 m + (1-β1) g
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)  # v = β2 v + (1-β2) g²

        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        second_moment = exp_avg_sq
        if group["amsgrad"]:
            second_moment = state["max_exp_avg_sq"]
            torch.maximum(second_moment, exp_avg_sq, out=second_moment)
        # √v̂ + ε with v̂ = v / (1-β2^t); the 1/(1-β1^t) of m̂ goes into the step size.
        denom = second_moment.sqrt().div_(bias_correction2**0.5).add_(group["eps"])
        param.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay (분리된 가중치 감쇠).

    $$\theta \leftarrow \theta\,(1 - \eta\lambda), \qquad
    \theta_t = \theta - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}$$

    The moments \(m_t, v_t\) and the bias correction are Adam's, computed from the loss gradient
    alone; the decay acts on the parameter directly, so every weight shrinks by the same factor
    whatever its gradient history.

    Args:
        params: Tensors to optimize, or parameter groups (dicts with ``"params"`` and options).
        lr: Learning rate \(\eta \ge 0\) (학습률).
        betas: \((\beta_1, \beta_2)\), each in \([0, 1)\).
        eps: \(\epsilon \ge 0\).
        weight_decay: Decoupled decay \(\lambda \ge 0\); the default is ``1e-2``, not 0.
        amsgrad: Divide by the running maximum of the second moment (AMSGrad).
        maximize: Climb the objective instead of descending it (keyword-only, like torch).

    Raises:
        ValueError: As `Adam`.

    Examples:
        >>> import torch
        >>> w = torch.tensor(3.0, requires_grad=True)
        >>> opt = AdamW([w], lr=0.1, weight_decay=0.1)
        >>> (w**2).backward()
        >>> opt.step()  # 3 * (1 - 0.1 * 0.1) = 2.97, then Adam's first step of size 0.1
        >>> round(w.item(), 4)
        2.87

    Torch counterpart:
        ``torch.optim.AdamW`` (same arguments and defaults).

    Common mistakes:
        - Copying an Adam ``weight_decay`` value to AdamW unchanged: L2 strength and decoupled
          decay are on different scales (the latter is multiplied by \(\eta\)).
        - Decaying biases and normalization weights: put them in a group with
          ``weight_decay=0``.
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )
