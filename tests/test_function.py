"""``studykit._function.apply``: autograd only when a gradient can flow, the same values always."""

from __future__ import annotations

from typing import Any

import pytest
import torch
import torch.nn.functional as F

from studykit import activations, losses, normalization
from studykit._function import apply


class _Square(torch.autograd.Function):
    """x², with a forward that uses its context the way the reference implementations do."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        ctx.note = "set on the context"
        return x * x

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return 2 * x * grad


def test_no_graph_without_a_gradient_to_carry(device: torch.device) -> None:
    x = torch.tensor([1.0, -2.0, 3.0], device=device)
    out = apply(_Square, x)
    assert out.grad_fn is None
    torch.testing.assert_close(out, x * x)
    with torch.no_grad():
        out = apply(_Square, x.clone().requires_grad_())
    assert out.grad_fn is None and not out.requires_grad


def test_the_function_runs_through_autograd_when_a_gradient_is_needed(
    device: torch.device,
) -> None:
    x = torch.tensor([1.0, -2.0, 3.0], device=device, requires_grad=True)
    out = apply(_Square, x)
    assert type(out.grad_fn).__name__ == "_SquareBackward"
    out.sum().backward()
    assert x.grad is not None
    torch.testing.assert_close(x.grad, 2 * x.detach())


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (activations.sigmoid, torch.sigmoid),
        (lambda x: activations.leaky_relu(x, 0.2), lambda x: F.leaky_relu(x, 0.2)),
        (lambda x: activations.softmax(x, dim=1), lambda x: F.softmax(x, dim=1)),
        (
            lambda x: losses.huber_loss(x, x.flip(0), reduction="none"),
            lambda x: F.huber_loss(x, x.flip(0), reduction="none"),
        ),
        (
            lambda x: normalization.layer_norm(x, (4,)),
            lambda x: F.layer_norm(x, (4,)),
        ),
    ],
    ids=["sigmoid", "leaky_relu", "softmax", "huber", "layer_norm"],
)
def test_both_paths_give_the_same_values(ours, theirs, device, dtype) -> None:
    gen = torch.Generator().manual_seed(7)
    x = torch.randn(3, 4, generator=gen, dtype=dtype).to(device)
    with torch.no_grad():
        fast = ours(x)
    tracked = ours(x.clone().requires_grad_())
    assert tracked.grad_fn is not None
    torch.testing.assert_close(fast, tracked.detach(), rtol=0, atol=0)
    torch.testing.assert_close(fast, theirs(x))
