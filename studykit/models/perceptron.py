r"""The perceptron's linear layer (선형 계층, 완전 연결 계층): a weighted sum plus a bias.

$$y = x W^\top + b, \qquad y_j = \sum_k x_k W_{jk} + b_j$$

``linear`` is this layer in torch's layout: the weight is stored as (out_features, in_features),
so it computes \(y = xW^\top + b\). With one output and the identity as activation it is the
perceptron of the package overview; ``init_params`` draws its starting weights.

    >>> linear(torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0, 4.0]]), torch.tensor([0.5]))
    tensor([[11.5000]])

**Learning with SGD (확률적 경사 하강법).** Give every pixel a weight instead: flatten each image
to 784 numbers, draw ``weights`` (784, 1) and ``bias`` (1,) with ``init_params``, and predict with
``xb @ weights + bias``. Then repeat, for every mini-batch: predict, compute a loss, call
``backward()``, step every parameter against its gradient
\(\theta \leftarrow \theta - \eta\, \nabla_\theta L\), and reset the gradients to zero. In the notes
the validation accuracy of this linear model climbs from 0.46 at random weights to 0.968 after 21
epochs with learning rate 1 (one epoch to check that it improves, then a loop of twenty more).

Torch counterpart: ``F.linear(x, weight, bias)``, or ``nn.Linear(in_features, out_features)``,
which owns its weight and bias.

Common mistakes:
    - Mixing layouts: ``nn.Linear`` stores (out, in) and computes ``x @ W.T``; the notes' hand-made
      ``weights`` are (in, out) and computed with ``x @ w``. Transpose when you copy between them.
    - Forgetting to reset the gradients after each step: ``backward()`` adds to ``.grad``, so
      the next step follows the sum of all the gradients so far.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from studykit._checks import check_floating, check_non_negative
from studykit.models._common import _broadcasts, _check_same_dtype

__all__ = ["init_params", "linear"]


def linear(
    input: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None
) -> torch.Tensor:
    r"""A fully connected layer (선형 계층, 완전 연결 계층): \(y = xW^\top + b\).

    $$y_{\dots, j} = \sum_{k=1}^{d} x_{\dots, k}\, W_{jk} + b_j$$

    The weight is stored as (out_features, in_features), as in ``nn.Linear``, so row \(j\) of
    \(W\) holds the weights of output unit \(j\). Every leading dimension of ``input`` is a batch
    dimension: ``(N, d)``, ``(B, N, d)`` and a single ``(d,)`` vector all work. A 1-D weight
    ``(d,)`` is one output unit whose dimension is dropped, like ``x @ w``.

    Args:
        input: Inputs of shape ``(*, in_features)``, floating point.
        weight: ``(out_features, in_features)``, or ``(in_features,)`` for a single output.
        bias: Optional; ``(out_features,)`` or anything that broadcasts to the output shape
            without enlarging it.

    Returns:
        A tensor of shape ``(*, out_features)`` (``(*)`` for a 1-D weight).

    Raises:
        TypeError: If an argument is not a floating-point tensor or the dtypes differ.
        ValueError: If ``input`` is 0-D, ``weight`` is not 1-D or 2-D, the feature sizes
            disagree, or ``bias`` does not broadcast to the output.

    Examples:
        >>> x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> w = torch.tensor([[1.0, 0.0], [1.0, -1.0], [0.5, 0.5]])
        >>> linear(x, w, torch.tensor([0.0, 0.0, 1.0]))
        tensor([[ 1.0000, -1.0000,  2.5000],
                [ 3.0000, -1.0000,  4.5000]])

    Torch counterpart:
        ``torch.nn.functional.linear`` (also ``torch.nn.Linear``).

    Common mistakes:
        - Writing ``x @ W``: with torch's (out, in) layout the weight must be transposed; for a
          square \(W\) the wrong product even runs without an error.
        - A bias of shape ``(N, out)`` (one per example) instead of ``(out,)``: every example
          should share the same bias, which is what lets the layer generalize.
    """
    x = check_floating("input", input)
    w = check_floating("weight", weight)
    _check_same_dtype("weight", w, x)
    if x.ndim == 0:
        raise ValueError("input must be at least 1-D, shape (*, in_features), got a 0-D tensor")
    if w.ndim not in (1, 2):
        raise ValueError(
            "weight must be (out_features, in_features) or (in_features,), "
            f"got shape {tuple(w.shape)}"
        )
    if x.shape[-1] != w.shape[-1]:
        raise ValueError(
            f"input has {x.shape[-1]} features (its last dim) but weight of shape "
            f"{tuple(w.shape)} expects {w.shape[-1]}"
        )
    out = x @ (w.T if w.ndim == 2 else w)
    if bias is None:
        return out
    b = check_floating("bias", bias)
    _check_same_dtype("bias", b, x)
    if _broadcasts(b.shape, out.shape) != out.shape:
        raise ValueError(
            f"bias shape {tuple(b.shape)} must broadcast to the output shape {tuple(out.shape)}"
        )
    return out + b


def init_params(
    size: int | Sequence[int],
    std: float = 1.0,
    generator: torch.Generator | None = None,
    *,
    dtype: torch.dtype | None = None,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    r"""Random starting parameters that record their gradient (파라미터 초기화): ``init_params``.

    $$\theta_i \sim \mathcal{N}(0, \sigma^2), \qquad \sigma = \texttt{std}$$

    The tensor is a leaf with ``requires_grad=True``, so after ``loss.backward()`` its ``.grad``
    holds \(\partial L / \partial \theta\), ready for an SGD step.

    Args:
        size: The shape, e.g. ``(28 * 28, 1)`` for the notes' linear model, or ``30`` for a bias.
        std: The standard deviation \(\sigma \ge 0\).
        generator: An optional ``torch.Generator`` for reproducible draws.
        dtype: The floating-point dtype (default: torch's default, float32).
        device: Where to create the tensor (must match the generator's device).

    Returns:
        A new leaf tensor of shape ``size`` with ``requires_grad=True``.

    Raises:
        TypeError: If ``std`` is not a number.
        ValueError: If ``std`` is negative or not finite.

    Examples:
        >>> w = init_params((784, 30), std=0.1, generator=torch.Generator().manual_seed(0))
        >>> w.shape, w.requires_grad, w.is_leaf
        (torch.Size([784, 30]), True, True)

    Torch counterpart:
        ``torch.nn.init.normal_(torch.empty(size), std=std).requires_grad_()``; ``nn.Linear``
        uses a uniform Kaiming initialization instead.

    Common mistakes:
        - ``torch.randn(size).requires_grad_() * std``: the product is not a leaf, so its
          ``.grad`` stays ``None`` after ``backward()``. Scale first, then ``requires_grad_()``.
        - ``std=1.0`` for a layer with many inputs: 784 inputs of size about 1 give outputs of
          size about \(\sqrt{784} = 28\), where a sigmoid is flat and learning stalls.
    """
    scale = check_non_negative("std", std)
    shape = (size,) if isinstance(size, int) else tuple(size)
    values = torch.randn(shape, generator=generator, dtype=dtype, device=device)
    return values.mul_(scale).requires_grad_()
