"""Small multi-step procedures that questions need and a one-line expression cannot say.

Each procedure takes the *functions or classes to use* as arguments, so the same procedure runs
once with studykit's implementations (the answer key) and once with torch's (the oracle):
``procedures.gradient(losses.mse_loss, p, t)`` versus ``procedures.gradient(F.mse_loss, p, t)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

__all__ = ["fit_quadratic", "gradient", "optimizer_run"]


def _leaf(values: Any) -> torch.Tensor:
    tensor = torch.as_tensor(values, dtype=torch.float64).detach().clone()
    return tensor.requires_grad_(True)


def gradient(function: Callable[..., torch.Tensor], x: Any, *args: Any, **kwargs: Any) -> Any:
    r"""The gradient \(\partial\, \mathrm{sum}(f(x, \dots)) / \partial x\), by back-propagation.

    Args:
        function: The function to differentiate (a loss or an activation).
        x: The input to differentiate with respect to (converted to a float64 leaf).
        *args: Further positional arguments of ``function`` (not differentiated).
        **kwargs: Keyword arguments of ``function``.

    Returns:
        A tensor shaped like ``x``.
    """
    leaf = _leaf(x)
    out = function(leaf, *args, **kwargs)
    (grad,) = torch.autograd.grad(out.sum(), [leaf])
    return grad


def optimizer_run(
    optimizer: Callable[..., Any], start: Any, grads: Sequence[Any], **options: Any
) -> torch.Tensor:
    """Run an optimizer from ``start``, feeding it the given gradients one step at a time.

    Args:
        optimizer: An optimizer class (``optim.Adam`` or ``torch.optim.Adam``).
        start: The initial parameter values.
        grads: One gradient per step, each shaped like ``start``.
        **options: Passed to the optimizer (``lr``, ``momentum``, ...).

    Returns:
        The trajectory: a tensor of shape ``(len(grads) + 1, *start.shape)`` whose row 0 is
        ``start`` and row ``k`` the parameters after step ``k``.
    """
    param = _leaf(start)
    opt = optimizer([param], **options)
    trajectory = [param.detach().clone()]
    for grad in grads:
        param.grad = torch.as_tensor(grad, dtype=torch.float64).clone().reshape(param.shape)
        opt.step()
        trajectory.append(param.detach().clone())
    return torch.stack(trajectory)


def fit_quadratic(
    optimizer: Callable[..., Any],
    loss: Callable[..., torch.Tensor],
    t: Any,
    y: Any,
    start: Any,
    steps: int,
    **options: Any,
) -> torch.Tensor:
    r"""The notes' speed model: fit \(a t^2 + b t + c\) to ``y`` by gradient descent.

    Args:
        optimizer: An optimizer class.
        loss: A loss function ``loss(pred, target)`` (MSE in the notes).
        t: The times.
        y: The measured speeds.
        start: Initial ``(a, b, c)``.
        steps: How many steps to take.
        **options: Passed to the optimizer (``lr``, ...).

    Returns:
        The trajectory of ``(a, b, c)``: shape ``(steps + 1, 3)``.
    """
    params = _leaf(start)
    times = torch.as_tensor(t, dtype=torch.float64)
    target = torch.as_tensor(y, dtype=torch.float64)
    opt = optimizer([params], **options)
    trajectory = [params.detach().clone()]
    for _ in range(steps):
        a, b, c = params
        value = loss(a * times**2 + b * times + c, target)
        opt.zero_grad()
        value.backward()  # type: ignore[no-untyped-call]
        opt.step()
        trajectory.append(params.detach().clone())
    return torch.stack(trajectory)
