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
    """``values`` as a new float64 tensor that gradients flow to (a copy of a tensor's values).

    Made from a list (or tuple), the tensor is new already; a tensor (or array) is copied.
    """
    tensor = torch.as_tensor(values, dtype=torch.float64)
    if type(values) not in (list, tuple):
        tensor = tensor.detach().clone()
    return tensor.requires_grad_(True)


def _gradient_copy(grad: Any, shape: torch.Size) -> torch.Tensor:
    """``grad`` as a float64 tensor of ``shape`` that is not the caller's (a step may change it)."""
    tensor = torch.as_tensor(grad, dtype=torch.float64)
    if type(grad) not in (list, tuple):  # made from a list, it is new already
        tensor = tensor.clone()
    return tensor if tensor.shape == shape else tensor.reshape(shape)


def _rows(trajectory: list[Any]) -> torch.Tensor:
    """The parameters after each step (``tolist()`` copies), as one float64 tensor.

    The same values as stacking ``param.detach().clone()`` copies: float64 to Python floats and
    back is exact, and one conversion at the end costs less than a copy per step.
    """
    return torch.tensor(trajectory, dtype=torch.float64)


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
    # A loss is one number already: summing it would add a graph node and nothing else.
    (grad,) = torch.autograd.grad(out if out.dim() == 0 else out.sum(), [leaf])
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
    trajectory = [param.tolist()]
    for grad in grads:
        param.grad = _gradient_copy(grad, param.shape)
        opt.step()
        trajectory.append(param.tolist())
    return _rows(trajectory)


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
    squares = times**2  # the same every step
    target = torch.as_tensor(y, dtype=torch.float64)
    opt = optimizer([params], **options)
    trajectory = [params.tolist()]
    for _ in range(steps):
        a, b, c = params
        value = loss(a * squares + b * times + c, target)
        opt.zero_grad()
        value.backward()  # type: ignore[no-untyped-call]
        opt.step()
        trajectory.append(params.tolist())
    return _rows(trajectory)
