r"""The optimizer (옵티마이저) base class: what every update rule has in common.

Training repeats four moves: compute the loss, back-propagate (역전파) to fill every
parameter's ``.grad``, take a step against the gradient, and clear the gradients before the next
round. An optimizer owns the last two. The notes write the simplest one by hand:

```python
class BasicOptim:
    def __init__(self, params, lr):
        self.params, self.lr = list(params), lr

    def step(self, *args, **kwargs):
        for p in self.params:
            p.data -= p.grad.data * self.lr

    def zero_grad(self, *args, **kwargs):
        for p in self.params:
            p.grad = None
```

`Optimizer` is that object made general. It keeps the parameters in *parameter groups*
(파라미터 그룹): dictionaries holding a list of tensors and the options (``lr``, ``momentum``,
...) that apply to them, so one model can train its backbone with a small learning rate and its
head with a larger one. Each parameter also gets a ``state`` dictionary (상태) where an algorithm
keeps what it remembers between steps: a momentum buffer, running averages of the gradient and
its square, and the step count (a plain Python ``int`` here; torch keeps it as a tensor).

A subclass writes only the update for one parameter,

$$\theta \leftarrow \operatorname{update}(\theta, g, \text{state}, \text{group}),$$

and `Optimizer.step` calls it, under ``torch.no_grad()``, for every parameter whose ``.grad`` is
not ``None``. A parameter without a gradient is skipped entirely: its state does not change and
its step count does not advance, exactly as in ``torch.optim``.

Common mistakes:
    - Forgetting ``zero_grad()``: ``backward()`` *adds* into ``.grad``, so the second step uses the
      sum of two gradients, the third the sum of three, and training drifts or blows up.
    - Updating a parameter with ``p = p - lr * p.grad``: that builds a new tensor (recorded by
      autograd, with no ``.grad`` of its own) instead of changing the parameter in place.
    - Re-creating (or re-loading) the model after building the optimizer: the optimizer still
      holds the old tensors, so the new model never changes and the loss stays flat.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast, overload

import torch

from studykit._checks import check_floating

__all__ = ["Optimizer", "ParamGroup", "Params"]

ParamGroup = dict[str, Any]
"""A parameter group: ``{"params": [tensors...], "lr": ..., ...}``."""

Params = Iterable[torch.Tensor] | Iterable[ParamGroup]
"""What an optimizer accepts: tensors, or dictionaries of tensors with per-group options."""

_Loss = TypeVar("_Loss")


class Optimizer:
    r"""The base class of every optimizer (옵티마이저): parameter groups, state, step, zero_grad.

    One step applies the subclass's update rule to every parameter \(\theta\) with a gradient
    \(g = \nabla_\theta L\); the simplest rule is plain gradient descent,

    $$\theta \leftarrow \theta - \eta\, g .$$

    Args:
        params: The tensors to optimize (leaf tensors such as ``model.parameters()``), or a list
            of dictionaries ``{"params": tensors, **options}`` whose options override
            ``defaults`` for those tensors.
        defaults: The options every group gets unless it sets its own.

    Raises:
        TypeError: If ``params`` is a single tensor, or holds something that is not a
            floating-point tensor.
        ValueError: If ``params`` is empty, holds a non-leaf tensor, puts one tensor in two
            groups, or an option is invalid (the subclass's ``_check_options`` decides).

    Examples:
        >>> import torch
        >>> class BasicOptim(Optimizer):
        ...     def __init__(self, params, lr):
        ...         super().__init__(params, {"lr": lr})
        ...     def _update_param(self, param, grad, state, group):
        ...         param.sub_(grad * group["lr"])
        >>> w = torch.tensor(3.0, requires_grad=True)
        >>> opt = BasicOptim([w], lr=0.1)
        >>> (w**2).backward()  # dL/dw = 2w = 6
        >>> opt.step()
        >>> opt.zero_grad()
        >>> round(w.item(), 4), w.grad
        (2.4, None)

    Torch counterpart:
        ``torch.optim.Optimizer`` (same ``params``/``defaults`` arguments, ``param_groups``,
        ``state``, ``step(closure=None)``, ``zero_grad(set_to_none=True)`` and
        ``add_param_group``). Not mirrored: ``state_dict``/``load_state_dict``, hooks, and
        named parameters ``(name, tensor)``.

    Common mistakes:
        - Passing a generator such as ``model.parameters()`` twice: the first optimizer consumes
          it and the second one sees an empty list.
        - Passing the same tensor in two groups; each tensor must belong to exactly one.
    """

    def __init__(self, params: Params, defaults: Mapping[str, Any]) -> None:
        self._check_options(defaults)
        self.defaults: dict[str, Any] = dict(defaults)
        self.state: dict[torch.Tensor, dict[str, Any]] = {}
        self.param_groups: list[ParamGroup] = []

        if isinstance(params, torch.Tensor):
            raise TypeError(
                "params must be an iterable of tensors or of dicts, got a single Tensor "
                "(wrap it in a list: [tensor])"
            )
        items = list(params)
        if not items:
            raise ValueError("params must not be empty, got an empty parameter list")
        groups = cast(
            list[ParamGroup], items if isinstance(items[0], dict) else [{"params": items}]
        )
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: ParamGroup) -> None:
        r"""Add a group of tensors, with options that override the defaults for them.

        The group's options are checked the same way the constructor's are, so
        ``{"params": head, "lr": -1}`` fails here instead of during training.

        Args:
            param_group: ``{"params": tensor or tensors, **options}``; missing options are
                filled from ``defaults``.

        Raises:
            TypeError: If ``param_group`` is not a dict or its ``"params"`` holds something that
                is not a floating-point tensor, or is a set (its order is not fixed).
            ValueError: If a tensor is not a leaf, already belongs to another group, or an
                option is invalid.

        Examples:
            >>> import torch
            >>> from studykit.optim import SGD
            >>> body, head = torch.zeros(3, requires_grad=True), torch.zeros(1, requires_grad=True)
            >>> opt = SGD([body], lr=0.01)
            >>> opt.add_param_group({"params": head, "lr": 0.1})
            >>> [g["lr"] for g in opt.param_groups]
            [0.01, 0.1]

        Torch counterpart:
            ``torch.optim.Optimizer.add_param_group``.

        Common mistakes:
            - Adding a group whose tensors are already in the optimizer.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"param_group must have a 'params' key, got keys {list(param_group)}")
        tensors = param_group["params"]
        if isinstance(tensors, set):
            raise TypeError("param_group['params'] must be an ordered collection, got a set")
        tensors = [tensors] if isinstance(tensors, torch.Tensor) else list(tensors)
        for i, param in enumerate(tensors):
            check_floating(f"params[{i}]", param)
            if not (param.is_leaf or param.retains_grad):
                raise ValueError(
                    f"can't optimize a non-leaf tensor: params[{i}] was computed by "
                    f"{type(param.grad_fn).__name__}; optimize the leaf tensors it came from"
                )
        if len({id(p) for p in tensors}) != len(tensors):
            warnings.warn(
                "a parameter group holds the same tensor twice; it will be updated twice per step",
                stacklevel=2,
            )
        group = {**self.defaults, **param_group, "params": tensors}
        self._check_options(group)
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in taken for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        r"""Clear the gradient of every parameter (기울기 초기화) before the next backward pass.

        ``backward()`` accumulates: \(\text{grad} \mathrel{+}= \partial L / \partial\theta\).
        Clearing makes the next gradient the gradient of the next loss alone.

        Args:
            set_to_none: ``True`` (the default) sets ``.grad`` to ``None``, which frees the memory
                and makes `step` skip a parameter that gets no new gradient. ``False`` fills the
                existing ``.grad`` with zeros, so the next `step` still updates that parameter
                (momentum and weight decay move it even with a zero gradient).

        Examples:
            >>> import torch
            >>> from studykit.optim import SGD
            >>> w = torch.tensor([1.0, 2.0], requires_grad=True)
            >>> opt = SGD([w])
            >>> w.sum().backward()
            >>> opt.zero_grad(set_to_none=False)
            >>> w.grad
            tensor([0., 0.])
            >>> opt.zero_grad()
            >>> print(w.grad)
            None

        Torch counterpart:
            ``torch.optim.Optimizer.zero_grad``.

        Common mistakes:
            - Calling it between ``backward()`` and ``step()``: the step then sees no gradient.
        """
        for group in self.param_groups:
            for param in group["params"]:
                grad = param.grad
                if grad is None:
                    continue
                if set_to_none:
                    param.grad = None
                    continue
                if grad.grad_fn is not None:
                    grad.detach_()
                else:
                    grad.requires_grad_(False)
                grad.zero_()

    @overload
    def step(self, closure: None = None) -> None: ...

    @overload
    def step(self, closure: Callable[[], _Loss]) -> _Loss: ...

    def step(self, closure: Callable[[], _Loss] | None = None) -> _Loss | None:
        r"""Update every parameter that has a gradient, once.

        Args:
            closure: Optional function that clears the gradients, recomputes the loss, calls
                ``backward()`` and returns the loss. It runs first, with gradients enabled, so an
                algorithm that needs the loss (and torch's L-BFGS) can be driven the same way.

        Returns:
            What ``closure`` returned, or ``None`` when there is no closure.

        Raises:
            TypeError: If a gradient is sparse (only dense gradients are supported).

        Examples:
            >>> import torch
            >>> from studykit.optim import SGD
            >>> w = torch.tensor(3.0, requires_grad=True)
            >>> opt = SGD([w], lr=0.1)
            >>> def closure():
            ...     opt.zero_grad()
            ...     loss = w**2
            ...     loss.backward()
            ...     return loss
            >>> opt.step(closure).item(), round(w.item(), 4)
            (9.0, 2.4)

        Torch counterpart:
            ``torch.optim.Optimizer.step``.

        Common mistakes:
            - Calling ``step()`` before ``backward()``: every ``.grad`` is ``None`` and nothing
              moves, silently.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                for param in group["params"]:
                    grad = param.grad
                    if grad is None:
                        continue
                    if grad.is_sparse:
                        raise TypeError(
                            f"{type(self).__name__} supports dense gradients only, "
                            "got a sparse gradient"
                        )
                    self._update_param(param, grad, self.state.setdefault(param, {}), group)
        return loss

    def _check_options(self, options: Mapping[str, Any]) -> None:
        """Raise ``ValueError`` naming the first invalid option (the constructor's or a group's).

        The base class accepts anything; each algorithm checks its own options.
        """

    @staticmethod
    def _l2_gradient(param: torch.Tensor, grad: torch.Tensor, group: ParamGroup) -> torch.Tensor:
        r"""The gradient an update rule follows: \(-g\) when maximizing, plus \(\lambda\theta\).

        ``weight_decay`` \(\lambda\) here is the L2 penalty
        \(\frac{\lambda}{2}\lVert\theta\rVert^2\) folded into the gradient, as torch's SGD,
        Adagrad, RMSprop and Adam do. The result is a new tensor: ``param.grad`` is left as it was.
        """
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])
        return grad

    def _update_param(
        self,
        param: torch.Tensor,
        grad: torch.Tensor,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        """Update one parameter in place from its gradient, its state and its group's options.

        Called by `step` under ``torch.no_grad()``; ``state`` starts as an empty dict the first
        time a parameter has a gradient and persists across steps.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement _update_param")
