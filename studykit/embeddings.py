r"""Word embeddings (워드 임베딩): a learned vector for every word, and how to compare two of them.

A model cannot read the word "cat"; it reads numbers. The simplest encoding, **one-hot**
(원-핫 인코딩), gives word \(i\) of a vocabulary (어휘 집합) of \(V\) words the vector
\(e_i \in \{0, 1\}^V\) with a single 1. Those vectors are long (\(V\) is often 10,000 to
100,000), almost all zeros, and every pair is equally far apart: "cat" is no closer to "dog"
than to "tax".

An **embedding** (임베딩) replaces them by short dense vectors (밀집 벡터) that are *learned*: a
weight matrix \(W \in \mathbb{R}^{V \times D}\), one row of \(D\) numbers (say 50 to 300) per
word. Looking a word up is reading its row,

$$\operatorname{embedding}(i) = W_{i,:} = e_i^\top W ,$$

which is exactly a linear layer applied to the one-hot vector, without ever building the
one-hot vector. Because \(W\) is a parameter, back-propagation moves each row so that words used
in similar contexts end up with similar vectors (the idea behind word2vec and the first layer
of every language model). `embedding` is that lookup, with its gradient written out: a row
used \(k\) times in a batch receives the sum of its \(k\) gradients.

Similar vectors point in similar directions, and **cosine similarity** (코사인 유사도) measures
exactly that, independent of length:

$$\cos(\mathbf{a}, \mathbf{b}) = \frac{\mathbf{a} \cdot \mathbf{b}}
  {\lVert \mathbf{a}\rVert_2\, \lVert \mathbf{b}\rVert_2} \in [-1, 1]$$

1 means the same direction, 0 orthogonal (unrelated), \(-1\) opposite. `cosine_similarity`
computes it along one dimension of two (broadcast) tensors.

Common mistakes:
    - Feeding the lookup float indices, or word ids \(\ge V\): the indices must be integers in
      \([0, V)\) (reserve one id, often 0, for padding and one for unknown words).
    - Comparing embeddings by Euclidean distance when their lengths differ a lot: frequent
      words tend to get longer vectors; cosine similarity ignores the length.
    - Expecting the padding row to be zero: ``padding_idx`` only stops its *gradient*; the row
      keeps whatever values it was initialized with (``nn.Embedding`` initializes it to 0).
"""

from __future__ import annotations

from typing import Any, cast

import torch

from studykit._checks import check_dim, check_floating, check_tensor
from studykit._function import apply
from studykit.regularization import lp_norm
from studykit.tensors import broadcast_shapes

__all__ = ["cosine_similarity", "embedding"]


class _Embedding(torch.autograd.Function):
    """Row lookup; backward adds each output's gradient into the row it came from."""

    @staticmethod
    def forward(
        ctx: Any, indices: torch.Tensor, weight: torch.Tensor, padding_idx: int | None
    ) -> torch.Tensor:
        flat = indices.reshape(-1)
        ctx.save_for_backward(flat)
        ctx.num_embeddings = weight.shape[0]
        ctx.padding_idx = padding_idx
        rows = weight.index_select(0, flat)  # (number of indices, D)
        return rows.reshape(*indices.shape, weight.shape[1])

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[None, torch.Tensor, None]:
        (flat,) = ctx.saved_tensors
        dim = grad.shape[-1]
        # dL/dW[r] = sum of dL/d out[p] over every position p that looked up row r: a word that
        # appears three times in the batch gets three gradients added, not the last one.
        grad_weight = grad.new_zeros(ctx.num_embeddings, dim)
        grad_weight.index_add_(0, flat, grad.reshape(-1, dim))
        if ctx.padding_idx is not None:
            grad_weight[ctx.padding_idx] = 0  # the padding row never learns
        return None, grad_weight, None


def embedding(
    input: torch.Tensor, weight: torch.Tensor, padding_idx: int | None = None
) -> torch.Tensor:
    r"""Embedding lookup (임베딩 조회): replace every index by its row of the weight matrix.

    $$\text{out}[\dots, :] = W[\text{input}[\dots], :], \qquad
      \frac{\partial L}{\partial W_{r,:}} = \sum_{p:\ \text{input}[p] = r}
      \frac{\partial L}{\partial\, \text{out}[p, :]}$$

    The output has the input's shape plus one last dimension of size \(D\). It equals
    ``one_hot(input, V).float() @ weight`` without building the one-hot matrix. The gradient
    of a row is the *sum* over every position that used it (gradient accumulation, 기울기 누적),
    and rows nobody looked up get 0. With ``padding_idx`` (패딩 인덱스) that row is still looked
    up as it is, but it receives no gradient, so the vector used for padding positions never
    changes during training.

    Args:
        input: An integer tensor (``int64`` or ``int32``) of any shape, each entry in
            \([0, V)\).
        weight: A 2-D floating-point tensor \((V, D)\), one row per word.
        padding_idx: ``None``, or the row in \([-V, V)\) that gets no gradient (negative
            values count from the end, as in torch).

    Returns:
        A tensor of shape ``(*input.shape, D)`` with ``weight``'s dtype and device.

    Raises:
        TypeError: If ``input`` is not an integer tensor, ``weight`` is not floating point or
            ``padding_idx`` is not an int.
        ValueError: If ``weight`` is not 2-D, an index lies outside \([0, V)\) or
            ``padding_idx`` outside \([-V, V)\).

    Examples:
        >>> weight = torch.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
        >>> embedding(torch.tensor([[1, 2], [2, 0]]), weight)
        tensor([[[1., 2.],
                 [3., 4.]],
        <BLANKLINE>
                [[3., 4.],
                 [0., 0.]]])
        >>> w = weight.clone().requires_grad_()
        >>> embedding(torch.tensor([2, 2, 0]), w, padding_idx=0).sum().backward()
        >>> w.grad  # row 2 was used twice, row 0 is padding
        tensor([[0., 0.],
                [0., 0.],
                [2., 2.]])

    Torch counterpart:
        ``torch.nn.functional.embedding(input, weight, padding_idx)``, and the layer
        ``torch.nn.Embedding(V, D, padding_idx=...)`` (which also zeroes the padding row at
        initialization). torch's ``max_norm``, ``scale_grad_by_freq`` and ``sparse`` options
        are not implemented.

    Common mistakes:
        - Indexing with floats (``torch.tensor([1.0, 2.0])``): indices must be integers.
        - Using ``V`` itself as an id: the valid ids are ``0 .. V-1``.
        - Expecting the last occurrence of a repeated word to win the gradient: the gradients
          of every occurrence are added.
    """
    indices = check_tensor("input", input)
    if indices.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"input must be an int64 or int32 tensor of indices, got {indices.dtype}")
    table = check_floating("weight", weight)
    if table.ndim != 2:
        raise ValueError(
            f"weight must be 2-D (num_embeddings, embedding_dim), got shape {tuple(table.shape)}"
        )
    count = table.shape[0]
    if padding_idx is not None:
        if isinstance(padding_idx, bool) or not isinstance(padding_idx, int):
            raise TypeError(f"padding_idx must be an int or None, got {type(padding_idx).__name__}")
        if not -count <= padding_idx < count:
            raise ValueError(
                f"padding_idx must be in [-{count}, {count}) for {count} embeddings, "
                f"got {padding_idx}"
            )
        padding_idx %= count
    if indices.numel() and (int(indices.min()) < 0 or int(indices.max()) >= count):
        bad = int(indices.min()) if int(indices.min()) < 0 else int(indices.max())
        raise ValueError(f"input holds index {bad}, outside [0, {count}) for {count} embeddings")
    return cast(torch.Tensor, apply(_Embedding, indices.long(), table, padding_idx))


def cosine_similarity(
    x1: torch.Tensor, x2: torch.Tensor, dim: int = 1, eps: float = 1e-8
) -> torch.Tensor:
    r"""Cosine similarity (코사인 유사도) of two tensors along one dimension.

    $$\cos(x_1, x_2) = \sum_k \frac{x_{1,k}}{\max(\lVert x_1\rVert_2, \epsilon)}\,
      \frac{x_{2,k}}{\max(\lVert x_2\rVert_2, \epsilon)}$$

    which is \(\frac{x_1 \cdot x_2}{\lVert x_1\rVert\,\lVert x_2\rVert}\) whenever both norms
    exceed \(\epsilon\). Like torch, each vector is divided by its own norm *before* the dot
    product: the result stays within \([-1, 1]\) and no huge product
    \(\lVert x_1\rVert\,\lVert x_2\rVert\) can overflow. The \(\epsilon\) only guards a zero
    (or tiny) vector, whose similarity to anything is 0; as in torch the clamp is not
    differentiated (the norm's own gradient flows as if unclamped).

    ``x1`` and ``x2`` broadcast against each other first, so one query vector of shape
    ``(1, D)`` can be compared with a whole table ``(V, D)`` at once.

    Args:
        x1: A floating-point tensor.
        x2: A floating-point tensor broadcastable with ``x1``.
        dim: The dimension holding the vectors' entries (negative counts from the end).
        eps: The smallest norm used in a division, \(\epsilon > 0\).

    Returns:
        The broadcast shape without ``dim``, in the promoted floating-point dtype.

    Raises:
        TypeError: If an input is not a floating-point tensor, ``dim`` is not an int or
            ``eps`` is not a number.
        ValueError: If the shapes do not broadcast, ``dim`` is out of range or ``eps`` is
            negative.

    Examples:
        >>> a = torch.tensor([[1.0, 0.0], [1.0, 1.0], [-2.0, 0.0]])
        >>> cosine_similarity(a, torch.tensor([[3.0, 0.0]]))
        tensor([ 1.0000,  0.7071, -1.0000])
        >>> cosine_similarity(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 2.0]), dim=0)
        tensor(0.)

    Torch counterpart:
        ``torch.nn.functional.cosine_similarity(x1, x2, dim=1, eps=1e-8)`` (also
        ``torch.nn.CosineSimilarity``). torch also accepts one integer input and converts it;
        here both must be floating point.

    Common mistakes:
        - Leaving ``dim=1`` for two 1-D vectors: their entries are on ``dim=0``.
        - Reading 0 as "opposite": opposite is \(-1\); 0 means orthogonal.
        - Normalizing after the dot product in float16/float32 with large vectors: the product
          of the norms overflows, which is why the division comes first.
    """
    a = check_floating("x1", x1)
    b = check_floating("x2", x2)
    if isinstance(eps, bool) or not isinstance(eps, int | float):
        raise TypeError(f"eps must be a number, got {type(eps).__name__}")
    if not eps >= 0:
        raise ValueError(f"eps must be >= 0, got {eps}")
    try:
        shape = broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"x1 shape {tuple(a.shape)} and x2 shape {tuple(b.shape)} do not broadcast"
        ) from None
    axis = check_dim("dim", dim, len(shape))
    dtype = torch.promote_types(a.dtype, b.dtype)
    a = a.to(dtype).expand(shape)
    b = b.to(dtype).expand(shape)

    def unit(x: torch.Tensor) -> torch.Tensor:
        norm = lp_norm(x, 2, dim=axis, keepdim=True).clone()
        with torch.no_grad():
            norm.clamp_min_(eps)  # guard the division; the clamp itself is not differentiated
        return x / norm

    return (unit(a) * unit(b)).sum(axis)
