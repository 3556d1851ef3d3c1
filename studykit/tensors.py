r"""Tensor anatomy (텐서의 구조): shape, broadcasting, strides and matrix multiplication.

A tensor (텐서) is a block of numbers with a **shape**: a scalar has shape ``()`` (rank 0), a
vector ``(n,)`` (rank 1), a matrix ``(m, n)`` (rank 2), a batch of RGB images
``(N, 3, H, W)`` (rank 4). Underneath, every tensor is a flat, one-dimensional **storage** plus
three numbers that say how to walk it:

- ``storage_offset()``: where element ``[0, 0, ...]`` lives in the storage;
- ``stride()`` (스트라이드): how many storage slots to jump to move one step along each dim;
- ``shape``: how many steps each dim has.

Element \(t[i_0, \dots, i_{n-1}]\) lives at storage position

$$\text{offset} + \sum_k i_k \cdot \text{stride}_k .$$

That is why ``t.T``, ``t.permute(...)``, ``t[:, 1]`` and ``t.expand(...)`` are free: they make a new
(shape, stride, offset) over the *same* storage, and writing through the view changes the original.
A freshly allocated tensor is **contiguous** (row-major, C order): its last dimension has stride 1
and each earlier stride is the product of the sizes after it.

**Broadcasting (브로드캐스팅)** lets ``(3, 1) + (4,)`` work: shapes are aligned from the right, a
missing dimension counts as size 1, and a size-1 dimension is stretched (with stride 0) to match
the other. Sizes that differ and are both not 1 are an error.

**Matrix multiplication (행렬 곱)**: for \(A \in \mathbb{R}^{m\times k}\) and
\(B \in \mathbb{R}^{k\times n}\), \((AB)_{ij} = \sum_{p} A_{ip} B_{pj}\). ``@``/``torch.matmul``
generalizes this to vectors and to batches; ``*``/``torch.mul`` is the element-wise product.

Common mistakes:
    - Confusing ``*`` (element-wise) with ``@`` (matrix product).
    - Expecting ``view`` to work on a transposed tensor: it is not contiguous; use ``reshape``
      (which copies when it must) or ``.contiguous().view(...)``.
    - Broadcasting by accident: ``(N,) - (N, 1)`` is an ``(N, N)`` matrix, not ``(N,)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from studykit._checks import check_dim, check_tensor

__all__ = [
    "broadcast_shapes",
    "can_broadcast",
    "cat",
    "contiguous_strides",
    "matmul",
    "reshape_shape",
    "stack",
    "storage_index",
]

# The largest temporary (in elements) ``matmul`` builds per chunk of the inner dimension.
_CHUNK_ELEMENTS = 1 << 22


def _as_shape(name: str, shape: int | Sequence[int]) -> tuple[int, ...]:
    """Turn an int or a sequence of ints into a shape tuple, checking every size."""
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    for size in dims:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(f"{name} must contain non-negative ints, got {shape!r}")
    return dims


def broadcast_shapes(*shapes: int | Sequence[int]) -> torch.Size:
    r"""The shape that tensors of the given shapes broadcast to (브로드캐스팅 결과 모양).

    Align the shapes at their last dimension; for each position the result is the size that is
    not 1 (or 1 if all are 1). Two sizes that differ and are both not 1 cannot broadcast.

    $$\text{out}_k = \max_s \text{shape}_{s,k} \quad\text{if every } \text{shape}_{s,k}
      \in \{1, \text{out}_k\}$$

    Args:
        *shapes: Shapes as tuples, lists, ``torch.Size`` or single ints (an int ``n`` means
            ``(n,)``).

    Returns:
        The broadcast shape as a ``torch.Size``.

    Raises:
        ValueError: If a shape contains a negative size or two shapes cannot broadcast.

    Examples:
        >>> broadcast_shapes((3, 1), (4,))
        torch.Size([3, 4])
        >>> broadcast_shapes((2, 1, 5), (3, 1))
        torch.Size([2, 3, 5])

    Torch counterpart:
        ``torch.broadcast_shapes``.

    Common mistakes:
        - Aligning from the left: ``(3,)`` and ``(3, 4)`` do *not* broadcast, because 3 is
          compared with 4; ``(3, 1)`` and ``(3, 4)`` do.
    """
    dims = [_as_shape(f"shapes[{i}]", s) for i, s in enumerate(shapes)]
    ndim = max((len(d) for d in dims), default=0)
    out = [1] * ndim
    for shape in dims:
        for k, size in enumerate(shape, start=ndim - len(shape)):
            if size == out[k] or size == 1:
                continue
            if out[k] != 1:
                listed = ", ".join(str(d) for d in dims)
                raise ValueError(
                    f"shapes {listed} cannot broadcast: dimension {k - ndim} "
                    f"has sizes {out[k]} and {size}"
                )
            out[k] = size
    return torch.Size(out)


def can_broadcast(*shapes: int | Sequence[int]) -> bool:
    r"""Whether tensors of these shapes broadcast together (브로드캐스팅 가능 여부).

    The same rule as `broadcast_shapes`, as a yes/no answer instead of an error: align the
    shapes at their last dimension; every position must hold one size, apart from 1s.

    $$\text{ok} \iff \forall k:\ \lvert\{\text{shape}_{s,k}\} \setminus \{1\}\rvert \le 1$$

    Args:
        *shapes: Shapes as tuples, lists, ``torch.Size`` or single ints (``n`` means ``(n,)``).

    Returns:
        ``True`` when ``torch.broadcast_shapes(*shapes)`` succeeds, ``False`` when it raises.

    Raises:
        ValueError: If a shape contains a negative size or something that is not an int (a
            malformed shape is a mistake, not a "no").

    Examples:
        >>> can_broadcast((3, 1), (4,)), can_broadcast((3,), (3, 4))
        (True, False)
        >>> can_broadcast((2, 3), (2, 1), (1, 3))
        True

    Torch counterpart:
        None as a predicate: ``torch.broadcast_shapes`` raises ``RuntimeError`` for shapes that
        do not broadcast, and so does the operation itself (``a + b``: "The size of tensor a
        (3) must match the size of tensor b (4) at non-singleton dimension 1").

    Common mistakes:
        - Aligning from the left: ``(3,)`` and ``(3, 4)`` do not broadcast (3 meets 4).
        - Thinking a size 1 must be *missing* to stretch: ``(1, 4)`` and ``(3, 1)`` broadcast
          to ``(3, 4)``; only two different sizes that are both not 1 fail.
    """
    dims = [_as_shape(f"shapes[{i}]", s) for i, s in enumerate(shapes)]
    ndim = max((len(d) for d in dims), default=0)
    for k in range(1, ndim + 1):
        sizes = {d[-k] for d in dims if len(d) >= k} - {1}
        if len(sizes) > 1:
            return False
    return True


def reshape_shape(shape: int | Sequence[int], new_shape: int | Sequence[int]) -> torch.Size:
    r"""The shape ``x.reshape(new_shape)`` gives a tensor of ``shape``, with ``-1`` inferred.

    ``reshape`` (and ``view``) keep the number of elements. At most one entry of the new shape
    may be ``-1``; it stands for whatever size makes the counts agree:

    $$-1 \;\to\; \frac{\prod_k \text{shape}_k}{\prod_{j:\,\text{new}_j \ne -1} \text{new}_j}$$

    So ``x.reshape(-1)`` flattens ``x`` to one dimension of ``x.numel()`` elements, and
    ``x.reshape(n, -1)`` keeps ``n`` rows and packs the rest into each row.

    Args:
        shape: The tensor's shape (an int ``n`` means ``(n,)``).
        new_shape: The requested shape: non-negative sizes and at most one ``-1``.

    Returns:
        The resulting shape as a ``torch.Size``.

    Raises:
        ValueError: If a size is negative (other than one ``-1``), ``-1`` appears twice, or
            the element counts cannot agree (the message names both counts).

    Examples:
        >>> reshape_shape((2, 3, 4), -1)
        torch.Size([24])
        >>> reshape_shape((2, 3, 4), (4, -1))
        torch.Size([4, 6])

    Torch counterpart:
        ``x.reshape(new_shape).shape`` (``torch.reshape``, ``Tensor.view``).

    Common mistakes:
        - Expecting ``reshape(-1)`` to keep a batch dimension: it flattens everything;
          ``reshape(n, -1)`` (or ``flatten(1)``) keeps the first one.
        - Two ``-1``s: the size would be ambiguous, so torch refuses it.
        - Reading ``-1`` as "the last dimension" (as in ``dim=-1``): in a shape it means
          "infer this size".
    """
    old = _as_shape("shape", shape)
    new = (new_shape,) if isinstance(new_shape, int) else tuple(new_shape)
    if new.count(-1) > 1:
        raise ValueError(f"new_shape may contain at most one -1, got {new_shape!r}")
    known = _as_shape("new_shape", tuple(size for size in new if size != -1))
    total, rest = math.prod(old), math.prod(known)
    if -1 in new:
        if rest == 0:
            raise ValueError(
                f"cannot reshape {total} elements into {new_shape!r}: with a size 0 beside it, "
                "the -1 is ambiguous"
            )
        if total % rest:
            raise ValueError(
                f"cannot reshape {total} elements into {new_shape!r}: "
                f"{total} is not a multiple of {rest}"
            )
        new = tuple(total // rest if size == -1 else size for size in new)
    elif rest != total:
        raise ValueError(f"cannot reshape {total} elements into {new_shape!r} ({rest} elements)")
    return torch.Size(new)


def contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    r"""The strides of a freshly allocated, row-major (contiguous) tensor of ``shape``.

    The last dimension has stride 1; each earlier one jumps over a whole block of the later
    dimensions: \(\text{stride}_k = \prod_{j > k} \max(\text{size}_j, 1)\) (a size-0 dimension
    counts as 1, as in torch).

    Args:
        shape: The tensor's shape.

    Returns:
        One stride per dimension.

    Raises:
        ValueError: If a size is negative or not an int.

    Examples:
        >>> contiguous_strides((2, 3, 4))
        (12, 4, 1)

    Torch counterpart:
        ``torch.empty(shape).stride()``.

    Common mistakes:
        - Thinking strides are fixed by the shape: ``t.T`` of a ``(2, 3)`` tensor has shape
          ``(3, 2)`` but strides ``(1, 3)``, not ``(2, 1)``; only a contiguous tensor has these.
    """
    dims = _as_shape("shape", shape)
    strides = [1] * len(dims)
    for k in range(len(dims) - 2, -1, -1):
        strides[k] = strides[k + 1] * max(dims[k + 1], 1)
    return tuple(strides)


def storage_index(index: Sequence[int], strides: Sequence[int], offset: int = 0) -> int:
    r"""Where element ``index`` of a strided tensor lives in its flat storage.

    $$\text{position} = \text{offset} + \sum_k \text{index}_k \cdot \text{stride}_k$$

    Args:
        index: One non-negative index per dimension.
        strides: The tensor's strides (``t.stride()``).
        offset: The tensor's ``storage_offset()``.

    Returns:
        The position in the storage.

    Raises:
        ValueError: If ``index`` and ``strides`` have different lengths, or an index or the
            offset is negative.

    Examples:
        >>> t = torch.arange(12).reshape(3, 4)
        >>> storage_index((2, 1), t.stride())
        9
        >>> storage_index((2, 1), t.T.stride())  # (2, 1) of t.T is t[1, 2]
        6

    Torch counterpart:
        What ``Tensor.as_strided(size, stride, storage_offset)`` uses to read element ``index``.

    Common mistakes:
        - Forgetting the offset: ``t[1:]`` shares storage with ``t`` but starts further in.
    """
    idx, st = tuple(index), tuple(strides)
    if len(idx) != len(st):
        raise ValueError(f"index has {len(idx)} entries but strides has {len(st)}")
    if any(i < 0 for i in idx):
        raise ValueError(f"index must be non-negative, got {idx}")
    if offset < 0:
        raise ValueError(f"offset must be non-negative, got {offset}")
    return offset + sum(i * s for i, s in zip(idx, st, strict=True))


def cat(tensors: Sequence[torch.Tensor], dim: int = 0) -> torch.Tensor:
    r"""Join tensors end to end along an existing dimension (이어 붙이기).

    All tensors must have the same shape except along ``dim``; the result's size along ``dim``
    is the sum of theirs: ``cat([(2, 3), (4, 3)], dim=0) -> (6, 3)``. The rank does not change.

    Built by allocating the result and copying each tensor into its slice, so gradients flow
    back to every input through the copies.

    Args:
        tensors: A non-empty sequence of tensors with equal rank, dtype and device.
        dim: The dimension to join along (negative counts from the end).

    Returns:
        The joined tensor.

    Raises:
        ValueError: If the sequence is empty, ranks differ, or sizes differ off ``dim``.
        TypeError: If an item is not a tensor or dtypes differ.

    Examples:
        >>> cat([torch.zeros(2, 3), torch.ones(1, 3)], dim=0).shape
        torch.Size([3, 3])

    Torch counterpart:
        ``torch.cat`` (alias ``torch.concat``).

    Common mistakes:
        - Expecting a new dimension: that is ``stack``; ``cat`` of two ``(2, 3)`` tensors along
          dim 0 is ``(4, 3)``, not ``(2, 2, 3)``.
    """
    items = _check_same_rank("cat", tensors)
    if items[0].ndim == 0:
        raise ValueError("cat: zero-dimensional tensors cannot be joined; use stack instead")
    axis = check_dim("dim", dim, items[0].ndim)
    first = items[0].shape
    for i, t in enumerate(items):
        if any(t.shape[k] != first[k] for k in range(len(first)) if k != axis):
            raise ValueError(
                f"cat: tensors[{i}] has shape {tuple(t.shape)} but tensors[0] has "
                f"{tuple(first)}: sizes must match except in dim {dim}"
            )
    total = sum(t.shape[axis] for t in items)
    out = torch.empty(
        (*first[:axis], total, *first[axis + 1 :]), dtype=items[0].dtype, device=items[0].device
    )
    start = 0
    for t in items:
        out.narrow(axis, start, t.shape[axis]).copy_(t)
        start += t.shape[axis]
    return out


def stack(tensors: Sequence[torch.Tensor], dim: int = 0) -> torch.Tensor:
    r"""Pile equal-shaped tensors along a **new** dimension (쌓기).

    ``stack`` of \(n\) tensors of shape ``(a, b)`` at ``dim=0`` has shape ``(n, a, b)``; at
    ``dim=1``, ``(a, n, b)``. It is ``cat`` of the tensors each unsqueezed at ``dim``.

    Args:
        tensors: A non-empty sequence of tensors of identical shape, dtype and device.
        dim: Where the new dimension goes, from ``-(rank + 1)`` to ``rank``.

    Returns:
        The stacked tensor, one rank higher than the inputs.

    Raises:
        ValueError: If the sequence is empty or shapes differ.
        TypeError: If an item is not a tensor or dtypes differ.

    Examples:
        >>> stack([torch.zeros(2, 3), torch.ones(2, 3)], dim=1).shape
        torch.Size([2, 2, 3])

    Torch counterpart:
        ``torch.stack``.

    Common mistakes:
        - Stacking tensors of different shapes: unlike ``cat``, every shape must match exactly.
    """
    items = _check_same_rank("stack", tensors)
    for i, t in enumerate(items):
        if t.shape != items[0].shape:
            raise ValueError(
                f"stack: tensors[{i}] has shape {tuple(t.shape)} but tensors[0] has "
                f"{tuple(items[0].shape)}: stack needs equal shapes"
            )
    axis = check_dim("dim", dim, items[0].ndim + 1)
    return cat([t.unsqueeze(axis) for t in items], dim=axis)


def _check_same_rank(name: str, tensors: Sequence[torch.Tensor]) -> list[torch.Tensor]:
    items = list(tensors) if not isinstance(tensors, torch.Tensor) else []
    if not items:
        raise ValueError(f"{name} needs a non-empty sequence of tensors")
    for i, t in enumerate(items):
        check_tensor(f"tensors[{i}]", t)
        if t.ndim != items[0].ndim:
            raise ValueError(
                f"{name}: tensors[{i}] has {t.ndim} dimensions but tensors[0] has {items[0].ndim}"
            )
        if t.dtype != items[0].dtype:
            raise TypeError(f"{name}: tensors[{i}] is {t.dtype} but tensors[0] is {items[0].dtype}")
        if t.device != items[0].device:
            raise ValueError(
                f"{name}: tensors[{i}] is on {t.device} but tensors[0] on {items[0].device}"
            )
    return items


def _matmul_2d_batched(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``(..., m, k) x (..., k, n)`` with equal batch shapes: broadcast multiply, sum over k.

    The inner dimension is processed in chunks so the ``(..., m, chunk, n)`` temporary stays
    small.
    """
    k, n = a.shape[-1], b.shape[-1]
    chunk = max(1, min(k, _CHUNK_ELEMENTS // max(1, a[..., :1].numel() * n)))
    out: torch.Tensor | None = None
    for start in range(0, max(k, 1), chunk):  # k = 0 still runs once: a zero-filled sum
        a_part = a[..., :, start : start + chunk].unsqueeze(-1)  # (..., m, c, 1)
        b_part = b[..., start : start + chunk, :].unsqueeze(-3)  # (..., 1, c, n)
        part = (a_part * b_part).sum(dim=-2)
        out = part if out is None else out + part
    assert out is not None
    return out


def matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    r"""The matrix product (행렬 곱) with ``torch.matmul``'s rules for 1-D, 2-D and batches.

    $$(AB)_{ij} = \sum_{p=1}^{k} A_{ip} B_{pj}$$

    - 1-D · 1-D: the dot product, a 0-d tensor.
    - 2-D @ 2-D: ``(m, k) @ (k, n) -> (m, n)``.
    - 1-D @ 2-D: the vector is treated as a ``(1, k)`` row, and that 1 is removed afterwards;
      2-D @ 1-D likewise with a ``(k, 1)`` column.
    - n-D: the last two dimensions multiply as matrices and the leading (batch) dimensions
      broadcast, so ``(j, 1, m, k) @ (l, k, n) -> (j, l, m, n)``.

    Implemented as a broadcast element-wise product summed over the shared dimension
    \(k\) (no BLAS), in chunks of \(k\) to bound memory. It is exact but slower than torch.

    Args:
        a: The left operand, at least 1-D.
        b: The right operand, at least 1-D.

    Returns:
        The product, shaped as described above.

    Raises:
        TypeError: If an operand is not a tensor or their dtypes differ.
        ValueError: If an operand is 0-D or the shared dimensions do not agree.

    Examples:
        >>> matmul(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[5.0, 6.0], [7.0, 8.0]]))
        tensor([[19., 22.],
                [43., 50.]])

    Torch counterpart:
        ``torch.matmul`` / ``a @ b`` (``torch.mm`` for 2-D only, ``torch.bmm`` for 3-D without
        broadcasting).

    Common mistakes:
        - Using ``*``: ``A * B`` multiplies element by element (and broadcasts), it is not
          \(AB\).
        - Forgetting that the batch dims broadcast but the matrix dims must match exactly:
          ``(2, 3) @ (2, 3)`` fails; ``(2, 3) @ (3, 2)`` works.
    """
    check_tensor("a", a)
    check_tensor("b", b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul needs both arguments to be at least 1-D, got shapes "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    if a.dtype != b.dtype:
        raise TypeError(f"matmul needs equal dtypes, got {a.dtype} and {b.dtype}")
    left = a.unsqueeze(0) if a.ndim == 1 else a
    right = b.unsqueeze(-1) if b.ndim == 1 else b
    if left.shape[-1] != right.shape[-2]:
        raise ValueError(
            f"matmul shapes {tuple(a.shape)} and {tuple(b.shape)} do not align: "
            f"a has {left.shape[-1]} columns but b has {right.shape[-2]} rows"
        )
    batch = broadcast_shapes(left.shape[:-2], right.shape[:-2])
    left = left.expand(*batch, *left.shape[-2:])
    right = right.expand(*batch, *right.shape[-2:])
    out = _matmul_2d_batched(left, right)
    if b.ndim == 1:
        out = out.squeeze(-1)
    if a.ndim == 1:
        out = out.squeeze(-2 if b.ndim > 1 else -1)
    return out
