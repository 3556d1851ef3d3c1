r"""Run a hand-written autograd ``Function`` only when a gradient can flow through it.

Several reference implementations (sigmoid, the Huber loss, batch and layer norm, ...) are a
``torch.autograd.Function`` with a hand-written ``backward``, because that is where the lesson
is. ``Function.apply`` records a graph node and saves tensors even when nothing will ever call
``backward`` (inside ``torch.no_grad()``, or when no input requires a gradient), and on small
tensors that bookkeeping costs more than the arithmetic. ``apply`` below skips it then: it runs
the same ``forward`` with a context whose saving methods do nothing, so both paths compute
exactly the same values.
"""

from __future__ import annotations

from typing import Any

import torch

__all__ = ["apply"]


class _NoBackward:
    """Stands in for autograd's ``ctx`` when no backward pass can run: saving does nothing."""

    def save_for_backward(self, *tensors: torch.Tensor) -> None:
        """Nothing to save: no backward pass will read it."""

    def mark_non_differentiable(self, *tensors: torch.Tensor) -> None:
        """Nothing to mark: no output requires a gradient."""


def _needs_graph(args: tuple[Any, ...]) -> bool:
    """True when autograd is on and some tensor argument requires a gradient."""
    return torch.is_grad_enabled() and any(
        isinstance(arg, torch.Tensor) and arg.requires_grad for arg in args
    )


def apply(function: type[torch.autograd.Function], *args: Any) -> Any:
    """``function.apply(*args)`` when a gradient can flow, else its ``forward`` alone."""
    if _needs_graph(args):
        return function.apply(*args)  # type: ignore[no-untyped-call]
    return function.forward(_NoBackward(), *args)
