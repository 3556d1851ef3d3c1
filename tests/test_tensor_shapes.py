"""studykit.tensors' shape rules against torch: can_broadcast and reshape_shape (with -1)."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from studykit.tensors import can_broadcast, reshape_shape
from tests.strategies import broadcastable_pair, shapes


def _torch_broadcasts(*many: tuple[int, ...]) -> bool:
    """Whether torch broadcasts these shapes: both its shape rule and a real addition agree."""
    try:
        torch.broadcast_shapes(*many)
    except RuntimeError:
        with pytest.raises(RuntimeError):  # the operation fails the same way
            sum((torch.zeros(s) for s in many), torch.zeros(()))
        return False
    return True


@given(st.lists(shapes(0, 3, 0, 3), min_size=0, max_size=4))
def test_can_broadcast_agrees_with_torch(many: list[tuple[int, ...]]) -> None:
    assert can_broadcast(*many) == _torch_broadcasts(*many)


@given(broadcastable_pair())
def test_can_broadcast_is_true_for_pairs_torch_broadcasts(
    pair: tuple[tuple[int, ...], tuple[int, ...], object],
) -> None:
    a, b, _ = pair
    torch.broadcast_shapes(a, b)  # the strategy's pairs do broadcast
    assert can_broadcast(a, b) and can_broadcast(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [((3,), (3, 4)), ((2, 3), (3, 2)), ((4, 1), (1, 3)), ((0,), (2,)), ((5, 1, 3), (4, 3))],
)
def test_can_broadcast_says_no_where_torch_raises(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    expected = _torch_broadcasts(a, b)
    assert can_broadcast(a, b) is expected
    assert can_broadcast(b, a) is expected


def test_can_broadcast_the_notes_trap_and_a_failing_third_shape() -> None:
    n = 4
    assert can_broadcast((n, 1), (n,))  # broadcasts (silently, to (n, n))
    assert torch.broadcast_shapes((n, 1), (n,)) == (n, n)
    assert not can_broadcast((2, 1), (1, 3), (4, 1))
    with pytest.raises(RuntimeError):
        torch.broadcast_shapes((2, 1), (1, 3), (4, 1))
    assert can_broadcast() and can_broadcast(3) and can_broadcast(torch.Size([2, 1]), 5)


@pytest.mark.parametrize("bad", [(-1, 2), (2.0,), ("a",), (True,)])
def test_can_broadcast_refuses_a_malformed_shape(bad: tuple[object, ...]) -> None:
    with pytest.raises(ValueError, match="non-negative ints"):
        can_broadcast((2,), bad)  # type: ignore[arg-type]


@st.composite
def _reshape_case(draw):  # type: ignore[no-untyped-def]
    """A shape and a new shape for it: a factorization of its element count, maybe with -1."""
    old = draw(shapes(0, 4, 0, 4))
    total = math.prod(old)
    sizes: list[int] = []
    left = total
    for _ in range(draw(st.integers(0, 3))):
        divisors = [d for d in range(1, 7) if left % d == 0] if left else [0, 1, 2]
        size = draw(st.sampled_from(divisors))
        sizes.append(size)
        left = left // size if size else 0
    if draw(st.booleans()) or left != 1:
        sizes.insert(draw(st.integers(0, len(sizes))), -1 if draw(st.booleans()) else left)
    return old, tuple(sizes)


@given(_reshape_case())
def test_reshape_shape_agrees_with_torch_or_both_refuse(
    case: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    old, new = case
    try:
        expected = torch.zeros(old).reshape(new).shape
    except RuntimeError:
        with pytest.raises(ValueError, match=r"cannot reshape|at most one"):
            reshape_shape(old, new)
    else:
        assert reshape_shape(old, new) == expected


@given(shapes(0, 4, 1, 5), st.integers(1, 6))
def test_reshape_minus_one_flattens_and_keeps_rows_as_torch_does(
    old: tuple[int, ...], rows: int
) -> None:
    x = torch.zeros(old)
    assert reshape_shape(old, -1) == x.reshape(-1).shape == (x.numel(),)
    if x.numel() % rows == 0:
        assert reshape_shape(old, (rows, -1)) == x.reshape(rows, -1).shape
    else:
        with pytest.raises(RuntimeError):
            x.reshape(rows, -1)
        with pytest.raises(ValueError, match="not a multiple"):
            reshape_shape(old, (rows, -1))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ((2, 3), (-1, -1), "at most one -1"),
        ((2, 3), (4, -1), "not a multiple of 4"),
        ((2, 3), (5,), r"cannot reshape 6 elements into \(5,\)"),
        ((0, 3), (-1, 0), "ambiguous"),
        ((2, 3), (-2, 3), "non-negative ints"),
    ],
)
def test_reshape_shape_refuses_with_one_clear_line(
    old: tuple[int, ...], new: tuple[int, ...], message: str
) -> None:
    with pytest.raises(RuntimeError):
        torch.zeros(old).reshape(new)
    with pytest.raises(ValueError, match=message):
        reshape_shape(old, new)
