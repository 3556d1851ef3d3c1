r"""A two-layer network by hand (다층 퍼셉트론, 역전파): the notes' ``simple_net``.

**Adding a non-linearity: ``simple_net``.** Two linear layers are still one linear layer, so the
notes put a ReLU between them: 784 pixels → 30 hidden units (은닉층) → 1 score,

$$\hat y = \operatorname{relu}(X W_1 + b_1)\, W_2 + b_2 ,$$

which reaches 98.3% after 40 epochs. ``simple_net_forward`` and ``simple_net_backward`` write out
both directions of back-propagation (역전파) for exactly this network.

    >>> x = torch.tensor([[1.0, -1.0]])
    >>> w1, w2 = torch.eye(2), torch.tensor([[2.0], [3.0]])
    >>> out, cache = simple_net_forward(x, w1, torch.zeros(2), w2, torch.tensor([0.5]))
    >>> out  # relu([1, -1]) = [1, 0], then 1 * 2 + 0 * 3 + 0.5
    tensor([[2.5000]])
    >>> simple_net_backward(cache, torch.ones(1, 1)).w2  # the hidden activation, transposed
    tensor([[1.],
            [0.]])

Torch counterpart: ``nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Linear(30, 1))``, with
autograd's ``backward()`` in place of ``simple_net_backward``.

Common mistakes:
    - Leaving out the ReLU: the two layers then collapse into one linear layer,
      \(X W_1 W_2 + (b_1 W_2 + b_2)\).
    - Expecting ``simple_net_backward`` to update the weights: it only returns the gradients;
      the SGD step is yours.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from studykit._checks import check_floating
from studykit.activations import relu
from studykit.models._common import _check_same_dtype

__all__ = ["SimpleNetCache", "SimpleNetGrads", "simple_net_backward", "simple_net_forward"]


class SimpleNetCache(NamedTuple):
    r"""What ``simple_net_forward`` remembers for the backward pass (순전파 캐시).

    Back-propagation needs the values the forward pass computed: the input and weights (to
    multiply the incoming gradient by), the pre-activation \(Z = XW_1 + b_1\) (to know where the
    ReLU let the gradient through) and the hidden activation \(H = \operatorname{relu}(Z)\).
    They are stored detached: the backward pass here is computed by hand, not by autograd.

    Attributes:
        x: The input, ``(*, in_features)``.
        w1: The first weight, ``(in_features, hidden)``.
        w2: The second weight, ``(hidden, out_features)``.
        pre_activation: \(Z\), ``(*, hidden)``.
        hidden: \(H = \operatorname{relu}(Z)\), ``(*, hidden)``.
    """

    x: torch.Tensor
    w1: torch.Tensor
    w2: torch.Tensor
    pre_activation: torch.Tensor
    hidden: torch.Tensor


class SimpleNetGrads(NamedTuple):
    r"""The gradients ``simple_net_backward`` returns (기울기), one per input of the network.

    Each field has the shape of the tensor it belongs to, exactly as ``.grad`` would after
    ``backward()``: \(\partial L/\partial X\), \(\partial L/\partial W_1\),
    \(\partial L/\partial b_1\), \(\partial L/\partial W_2\) and \(\partial L/\partial b_2\), where
    \(L\) is whatever scalar the incoming gradient ``grad_output`` came from.

    Attributes:
        x: ``(*, in_features)``.
        w1: ``(in_features, hidden)``.
        b1: ``(hidden,)``.
        w2: ``(hidden, out_features)``.
        b2: ``(out_features,)``.
    """

    x: torch.Tensor
    w1: torch.Tensor
    b1: torch.Tensor
    w2: torch.Tensor
    b2: torch.Tensor


def _check_simple_net(
    x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor
) -> None:
    """Check the notes' layout: x (*, d), w1 (d, h), b1 (h,), w2 (h, o), b2 (o,)."""
    check_floating("x", x)
    for name, t in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)):
        check_floating(name, t)
        _check_same_dtype(name, t, x)
    if x.ndim == 0:
        raise ValueError("x must be at least 1-D, shape (*, in_features), got a 0-D tensor")
    if w1.ndim != 2 or w1.shape[0] != x.shape[-1]:
        raise ValueError(
            f"w1 must have shape (in_features, hidden) = ({x.shape[-1]}, hidden) for x of shape "
            f"{tuple(x.shape)}, got {tuple(w1.shape)}"
        )
    hidden = w1.shape[1]
    if b1.shape != (hidden,):
        raise ValueError(f"b1 must have shape ({hidden},), got {tuple(b1.shape)}")
    if w2.ndim != 2 or w2.shape[0] != hidden:
        raise ValueError(
            f"w2 must have shape (hidden, out_features) = ({hidden}, out), got {tuple(w2.shape)}"
        )
    if b2.shape != (w2.shape[1],):
        raise ValueError(f"b2 must have shape ({w2.shape[1]},), got {tuple(b2.shape)}")


def simple_net_forward(
    x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor
) -> tuple[torch.Tensor, SimpleNetCache]:
    r"""The notes' ``simple_net``, forward (순전파): linear, ReLU, linear.

    $$Z = X W_1 + b_1, \qquad H = \operatorname{relu}(Z), \qquad \hat Y = H W_2 + b_2$$

    The weights use the notes' (in, out) layout, ``x @ w``: for 28×28 images ``w1`` is
    (784, 30), ``b1`` (30,), ``w2`` (30, 1) and ``b2`` (1,), so each of the 30 hidden units
    (은닉 유닛) has one weight per pixel. Alongside the output it returns the cache that
    ``simple_net_backward`` needs.

    Args:
        x: Inputs ``(*, in_features)``, e.g. a mini-batch ``(N, 784)`` of flattened images.
        w1: ``(in_features, hidden)``.
        b1: ``(hidden,)``.
        w2: ``(hidden, out_features)``.
        b2: ``(out_features,)``.

    Returns:
        ``(output, cache)``: the output ``(*, out_features)`` and a ``SimpleNetCache``.

    Raises:
        TypeError: If an argument is not a floating-point tensor or the dtypes differ.
        ValueError: If the shapes do not follow the layout above.

    Examples:
        >>> x = torch.tensor([[1.0, -1.0]])
        >>> w1 = torch.tensor([[1.0, -1.0, 0.5], [2.0, 1.0, 0.0]])
        >>> b1 = torch.tensor([0.0, 1.0, 0.0])
        >>> w2, b2 = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([0.5])
        >>> out, cache = simple_net_forward(x, w1, b1, w2, b2)
        >>> cache.pre_activation, cache.hidden, out
        (tensor([[-1.0000, -1.0000,  0.5000]]), tensor([[0.0000, 0.0000, 0.5000]]), tensor([[2.]]))

    Torch counterpart:
        ``nn.Sequential(nn.Linear(784, 30), nn.ReLU(), nn.Linear(30, 1))`` with
        ``weight = w.T`` for each linear layer.

    Common mistakes:
        - Dropping the ReLU: then \((XW_1 + b_1)W_2 + b_2 = X(W_1W_2) + (b_1W_2 + b_2)\) is one
          linear layer again, and the 30 hidden units add nothing.
        - Using ``nn.Linear``'s (out, in) weights here without transposing them.
    """
    _check_simple_net(x, w1, b1, w2, b2)
    z = x @ w1 + b1
    h = relu(z)
    out = h @ w2 + b2
    cache = SimpleNetCache(x.detach(), w1.detach(), w2.detach(), z.detach(), h.detach())
    return out, cache


def simple_net_backward(cache: SimpleNetCache, grad_output: torch.Tensor) -> SimpleNetGrads:
    r"""The notes' ``simple_net``, backward (역전파) by hand: the chain rule, one layer at a time.

    Given \(G = \partial L / \partial \hat Y\) (flatten any batch dimensions into rows first):

    $$\frac{\partial L}{\partial W_2} = H^\top G, \qquad
      \frac{\partial L}{\partial b_2} = \sum_n G_n, \qquad
      \frac{\partial L}{\partial H} = G W_2^\top,$$

    $$\frac{\partial L}{\partial Z} = \frac{\partial L}{\partial H} \odot [Z > 0], \qquad
      \frac{\partial L}{\partial W_1} = X^\top \frac{\partial L}{\partial Z}, \qquad
      \frac{\partial L}{\partial b_1} = \sum_n \Bigl(\frac{\partial L}{\partial Z}\Bigr)_n,
      \qquad \frac{\partial L}{\partial X} = \frac{\partial L}{\partial Z} W_1^\top .$$

    Each weight gradient is "input of the layer, transposed, times the gradient of its output";
    each bias was added to every row, so its gradient is the sum over rows; the ReLU passes the
    gradient where it was active (\(Z > 0\)) and blocks it elsewhere (at exactly 0 too, as torch
    does). No autograd is involved.

    Args:
        cache: The ``SimpleNetCache`` from ``simple_net_forward``.
        grad_output: \(\partial L / \partial \hat Y\), the shape of the forward output; for
            ``L = out.sum()`` it is all ones.

    Returns:
        A ``SimpleNetGrads`` ``(x, w1, b1, w2, b2)``, each shaped like its tensor.

    Raises:
        TypeError: If ``grad_output`` is not a floating-point tensor of the cache's dtype.
        ValueError: If ``grad_output`` does not have the forward output's shape.

    Examples:
        >>> x = torch.tensor([[1.0, -1.0]])
        >>> w1 = torch.tensor([[1.0, -1.0, 0.5], [2.0, 1.0, 0.0]])
        >>> b1 = torch.tensor([0.0, 1.0, 0.0])
        >>> w2, b2 = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([0.5])
        >>> out, cache = simple_net_forward(x, w1, b1, w2, b2)
        >>> grads = simple_net_backward(cache, torch.ones_like(out))
        >>> grads.b1, grads.x
        (tensor([0., 0., 3.]), tensor([[1.5000, 0.0000]]))

    Torch counterpart:
        ``torch.autograd.grad(out, (x, w1, b1, w2, b2), grad_output)`` on the same network.

    Common mistakes:
        - Forgetting to sum the bias gradient over the batch: it must have the bias's shape.
        - Using \([H > 0]\) or \([Z \ge 0]\) for the ReLU mask: equal almost always, but at
          exactly 0 torch's derivative is 0.
        - Transposing on the wrong side: a gradient always has the shape of its tensor, which
          tells you the order (``(d, N) @ (N, h)`` for ``w1``).
    """
    x, w1, w2, z, h = cache
    g = check_floating("grad_output", grad_output)
    _check_same_dtype("grad_output", g, x)
    expected = (*h.shape[:-1], w2.shape[1])
    if g.shape != expected:
        raise ValueError(
            f"grad_output shape {tuple(g.shape)} must match the output shape {expected}"
        )
    # Every leading dimension is a batch dimension: treat them all as rows of a matrix.
    g_rows = g.reshape(-1, w2.shape[1])
    h_rows = h.reshape(-1, w2.shape[0])
    z_rows = z.reshape(-1, w1.shape[1])
    x_rows = x.reshape(-1, w1.shape[0])
    # Second linear layer: out = H W2 + b2.
    grad_w2 = h_rows.T @ g_rows
    grad_b2 = g_rows.sum(0)
    grad_h = g_rows @ w2.T
    # ReLU: the gradient passes where Z > 0 and is 0 elsewhere.
    grad_z = torch.where(z_rows > 0, grad_h, 0.0)
    # First linear layer: Z = X W1 + b1.
    grad_w1 = x_rows.T @ grad_z
    grad_b1 = grad_z.sum(0)
    grad_x = (grad_z @ w1.T).reshape(x.shape)
    return SimpleNetGrads(grad_x, grad_w1, grad_b1, grad_w2, grad_b2)
