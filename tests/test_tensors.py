"""studykit.tensors against torch: broadcasting, strides, storage indexing and matmul."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import tensors
from studykit.tensors import broadcast_shapes, contiguous_strides, matmul, storage_index
from tests.helpers import grads, non_contiguous, randn
from tests.strategies import broadcastable_pair, matmul_shapes, shapes


@given(broadcastable_pair())
def test_broadcast_shapes_matches_torch(pair) -> None:
    a, b, _ = pair
    assert broadcast_shapes(a, b) == torch.broadcast_shapes(a, b)


@given(st.lists(shapes(0, 3, 1, 3), min_size=0, max_size=4))
def test_broadcast_shapes_many_shapes_agrees_with_torch_or_both_fail(many) -> None:
    try:
        expected = torch.broadcast_shapes(*many)
    except RuntimeError:
        with pytest.raises(ValueError, match="cannot broadcast"):
            broadcast_shapes(*many)
    else:
        assert broadcast_shapes(*many) == expected


def test_broadcast_shapes_accepts_ints_and_sizes() -> None:
    assert broadcast_shapes(3, (2, 1), torch.Size([1])) == torch.broadcast_shapes(3, (2, 1), (1,))
    assert broadcast_shapes() == torch.Size([])
    assert broadcast_shapes((0,), (1,)) == torch.broadcast_shapes((0,), (1,))


@pytest.mark.parametrize(
    ("shapes_", "message"),
    [
        (((2, 3), (4,)), r"dimension -1 has sizes 3 and 4"),
        (((5, 2), (3, 2)), r"dimension -2 has sizes 5 and 3"),
        (((2, -1),), r"shapes\[0\] must contain non-negative ints"),
        ((("a",),), r"shapes\[0\] must contain non-negative ints"),
    ],
)
def test_broadcast_shapes_errors(shapes_, message) -> None:
    with pytest.raises(ValueError, match=message):
        broadcast_shapes(*shapes_)


@given(shapes(0, 5, 0, 4))
def test_contiguous_strides_match_a_fresh_tensor(shape) -> None:
    assert contiguous_strides(shape) == torch.empty(shape).stride()


def test_contiguous_strides_rejects_negative_sizes() -> None:
    with pytest.raises(ValueError, match="shape must contain non-negative ints"):
        contiguous_strides((2, -3))


@settings(max_examples=60)
@given(shapes(1, 4, 1, 4), st.data())
def test_storage_index_reads_the_same_element_as_torch_views(shape, data) -> None:
    base = torch.arange(1000)
    order = data.draw(st.permutations(range(len(shape))))
    view = base[7:].reshape(-1)[: torch.Size(shape).numel()].reshape(shape).permute(*order)
    view = view[(slice(None, None, 1),) * view.ndim]
    index = tuple(data.draw(st.integers(0, s - 1)) for s in view.shape)
    position = storage_index(index, view.stride(), view.storage_offset())
    assert base[position].item() == view[index].item()


def test_storage_index_matches_as_strided_with_offset() -> None:
    storage = torch.arange(50)
    strided = storage.as_strided((3, 4), (1, 5), storage_offset=2)
    for i in range(3):
        for j in range(4):
            assert storage[storage_index((i, j), (1, 5), 2)] == strided[i, j]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (((1, 2), (3,)), "index has 2 entries but strides has 1"),
        (((-1,), (3,)), "index must be non-negative"),
        (((1,), (3,), -2), "offset must be non-negative"),
    ],
)
def test_storage_index_errors(args, message) -> None:
    with pytest.raises(ValueError, match=message):
        storage_index(*args)


@settings(max_examples=80, deadline=None)
@given(matmul_shapes())
def test_matmul_values_and_gradients_match_torch_float64(operands) -> None:
    shape_a, shape_b = operands
    gen = torch.Generator().manual_seed(len(shape_a) * 10 + len(shape_b))
    a = torch.randn(shape_a, generator=gen, dtype=torch.float64, requires_grad=True)
    b = torch.randn(shape_b, generator=gen, dtype=torch.float64, requires_grad=True)
    ours, theirs = matmul(a, b), torch.matmul(a, b)
    torch.testing.assert_close(ours, theirs)
    if theirs.numel():
        for g_ours, g_theirs in zip(grads(ours, [a, b]), grads(theirs, [a, b]), strict=True):
            torch.testing.assert_close(g_ours, g_theirs)


@pytest.mark.parametrize(
    ("shape_a", "shape_b"),
    [((4,), (4,)), ((3, 4), (4, 5)), ((4,), (4, 5)), ((3, 4), (4,)), ((2, 1, 3, 4), (5, 4, 2))],
)
def test_matmul_on_every_device_and_dtype(shape_a, shape_b, device, dtype, gen) -> None:
    a = randn(*shape_a, gen=gen, dtype=dtype, device=device, requires_grad=True)
    b = randn(*shape_b, gen=gen, dtype=dtype, device=device, requires_grad=True)
    ours, theirs = matmul(a, b), torch.matmul(a, b)
    assert ours.device == theirs.device and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)
    for g_ours, g_theirs in zip(grads(ours, [a, b]), grads(theirs, [a, b]), strict=True):
        torch.testing.assert_close(g_ours, g_theirs)


def test_matmul_non_contiguous_operands(device, dtype, gen) -> None:
    a = non_contiguous(randn(3, 4, gen=gen, dtype=dtype, device=device))
    b = non_contiguous(randn(2, 4, 5, gen=gen, dtype=dtype, device=device))
    torch.testing.assert_close(matmul(a, b), torch.matmul(a, b))
    torch.testing.assert_close(matmul(a.T, a), a.T @ a)


def test_matmul_large_inner_dimension_is_chunked(monkeypatch: pytest.MonkeyPatch, gen) -> None:
    import studykit.tensors as tensors

    monkeypatch.setattr(tensors, "_CHUNK_ELEMENTS", 16)
    a = torch.randn(3, 50, generator=gen, dtype=torch.float64)
    b = torch.randn(50, 4, generator=gen, dtype=torch.float64)
    torch.testing.assert_close(matmul(a, b), a @ b)


def test_matmul_integers_exactly() -> None:
    a = torch.arange(6).reshape(2, 3)
    b = torch.arange(12).reshape(3, 4)
    assert torch.equal(matmul(a, b), a @ b)


@pytest.mark.parametrize(
    ("a", "b", "error", "message"),
    [
        (torch.tensor(1.0), torch.ones(2), ValueError, "at least 1-D"),
        (torch.ones(2, 3), torch.ones(2, 3), ValueError, "a has 3 columns but b has 2 rows"),
        (torch.ones(2, 3), torch.ones(3, dtype=torch.float64), TypeError, "equal dtypes"),
        ([1.0], torch.ones(1), TypeError, "a must be a torch.Tensor"),
        (torch.ones(2, 2, 3), torch.ones(3, 3, 1), ValueError, "cannot broadcast"),
    ],
)
def test_matmul_errors(a, b, error, message) -> None:
    with pytest.raises(error, match=message):
        matmul(a, b)


@settings(max_examples=50)
@given(shapes(1, 3, 1, 4), st.integers(1, 4), st.data())
def test_cat_and_stack_match_torch_with_gradients(shape, count, data) -> None:
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    gen = torch.Generator().manual_seed(count)
    sizes = [data.draw(st.integers(0, 3)) for _ in range(count)]
    parts = [
        torch.randn(
            (*shape[: dim % len(shape)], n, *shape[dim % len(shape) + 1 :]),
            generator=gen,
            dtype=torch.float64,
            requires_grad=True,
        )
        for n in sizes
    ]
    ours, theirs = tensors.cat(parts, dim), torch.cat(parts, dim)
    torch.testing.assert_close(ours, theirs)
    if ours.numel():
        for g_ours, g_theirs in zip(grads(ours, parts), grads(theirs, parts), strict=True):
            torch.testing.assert_close(g_ours, g_theirs)
    same = [torch.randn(shape, generator=gen, dtype=torch.float64) for _ in range(count)]
    stack_dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    torch.testing.assert_close(tensors.stack(same, stack_dim), torch.stack(same, stack_dim))


def test_cat_and_stack_on_every_device_and_dtype(device, dtype, gen) -> None:
    a = randn(2, 3, gen=gen, dtype=dtype, device=device)
    b = non_contiguous(randn(4, 3, gen=gen, dtype=dtype, device=device))
    torch.testing.assert_close(tensors.cat([a, b]), torch.cat([a, b]))
    torch.testing.assert_close(tensors.stack([a, a], 1), torch.stack([a, a], 1))
    assert tensors.cat([a, b]).device == a.device
    scalars = [a[0, 0], a[1, 2]]
    torch.testing.assert_close(tensors.stack(scalars), torch.stack(scalars))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: tensors.cat([]), ValueError, "non-empty sequence"),
        (lambda: tensors.cat([torch.ones(2, 3), torch.ones(2, 4)]), ValueError, "except in dim 0"),
        (lambda: tensors.cat([torch.ones(2), torch.ones(2, 1)]), ValueError, "has 2 dimensions"),
        (lambda: tensors.cat([torch.ones(2), torch.ones(2).double()]), TypeError, "float64"),
        (lambda: tensors.cat([torch.ones(2)], dim=1), ValueError, "dim=1 is out of range"),
        (lambda: tensors.stack([torch.ones(2), torch.ones(3)]), ValueError, "equal shapes"),
        (lambda: tensors.cat([torch.tensor(1.0)]), ValueError, "zero-dimensional"),
        (lambda: tensors.cat([[1.0]]), TypeError, r"tensors\[0\] must be a torch.Tensor"),
    ],
)
def test_cat_and_stack_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
