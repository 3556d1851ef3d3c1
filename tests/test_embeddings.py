"""studykit.embeddings against torch: the embedding lookup and cosine similarity."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import embeddings as E
from tests.helpers import grads, leaf_pair, non_contiguous, randn
from tests.strategies import broadcastable_pair, shapes

# ----------------------------------------------------------------------------- embedding


def _compare_embedding(indices, weight, padding_idx=None):
    a, b = leaf_pair(weight)
    ours = E.embedding(indices, a, padding_idx=padding_idx)
    theirs = F.embedding(indices, b, padding_idx=padding_idx)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    assert ours.device == theirs.device
    torch.testing.assert_close(ours, theirs, rtol=0, atol=0)  # a lookup is exact
    torch.testing.assert_close(grads(ours, [a])[0], grads(theirs, [b])[0])


@pytest.mark.parametrize("padding_idx", [None, 0, 3, -1, -5])
def test_embedding_matches_torch_with_repeated_indices(padding_idx, device, dtype, gen):
    weight = randn(5, 4, gen=gen, dtype=dtype, device=device)
    # every row used, some several times (their gradients must add up), one not at all
    indices = torch.tensor([[0, 3, 3, 1], [3, 0, 4, 3]], device=device)
    _compare_embedding(indices, weight, padding_idx)


def test_repeated_rows_accumulate_and_padding_gets_none(device, dtype):
    weight = torch.arange(6.0, dtype=dtype, device=device).reshape(3, 2).requires_grad_()
    E.embedding(
        torch.tensor([2, 2, 2, 0, 1], device=device), weight, padding_idx=1
    ).sum().backward()
    # hand count: row 0 once, row 1 is padding, row 2 three times
    expected = torch.tensor([[1.0, 1.0], [0.0, 0.0], [3.0, 3.0]], dtype=dtype, device=device)
    torch.testing.assert_close(weight.grad, expected, rtol=0, atol=0)


@pytest.mark.parametrize(
    "shape", [(), (0,), (1,), (7,), (2, 0), (3, 1, 2)], ids=lambda s: str(list(s))
)
def test_embedding_any_index_shape_int32_and_non_contiguous(shape, device):
    gen = torch.Generator().manual_seed(3)
    weight = randn(6, 3, gen=gen, dtype=torch.float64, device=device)
    indices = torch.randint(0, 6, shape, generator=gen).to(device)
    _compare_embedding(indices, weight)
    _compare_embedding(indices.int(), weight, padding_idx=2)
    _compare_embedding(indices, non_contiguous(weight))
    if indices.ndim == 3:
        _compare_embedding(indices.transpose(0, 2), weight)  # non-contiguous indices


@settings(max_examples=40)
@given(
    shapes(0, 3, 0, 4),
    st.integers(1, 6),
    st.integers(1, 4),
    st.one_of(st.none(), st.integers(-6, 5)),
    st.integers(0, 2**16),
)
def test_embedding_hypothesis(shape, count, dim, padding_idx, seed):
    if padding_idx is not None and not -count <= padding_idx < count:
        padding_idx = None
    gen = torch.Generator().manual_seed(seed)
    weight = torch.randn(count, dim, generator=gen, dtype=torch.float64)
    indices = torch.randint(0, count, shape, generator=gen)
    _compare_embedding(indices, weight, padding_idx)
    _compare_embedding(indices, weight.float(), padding_idx)


def test_embedding_no_grad_and_weight_without_grad():
    weight = torch.randn(4, 2)
    indices = torch.tensor([1, 3])
    torch.testing.assert_close(E.embedding(indices, weight), F.embedding(indices, weight))
    w = weight.clone().requires_grad_()
    with torch.no_grad():
        out = E.embedding(indices, w)
    assert not out.requires_grad


W = torch.ones(3, 2)
ONE = torch.tensor([1])


@pytest.mark.parametrize(
    ("indices", "weight", "kwargs", "error", "match"),
    [
        ([1, 2], torch.ones(3, 2), {}, TypeError, "input must be a torch.Tensor, got list"),
        (torch.tensor([1.0]), torch.ones(3, 2), {}, TypeError, "input must be an int64 or int32"),
        (torch.tensor([1]), torch.ones(3, 2, dtype=torch.long), {}, TypeError, "weight must be a"),
        (ONE, torch.ones(3), {}, ValueError, r"weight must be 2-D .* got shape \(3,\)"),
        (torch.tensor([0, 3]), W, {}, ValueError, r"input holds index 3, outside \[0, 3\)"),
        (torch.tensor([-1]), W, {}, ValueError, r"input holds index -1"),
        (ONE, W, {"padding_idx": 3}, ValueError, r"padding_idx must be in \[-3, 3\)"),
        (ONE, W, {"padding_idx": -4}, ValueError, "got -4"),
        (ONE, W, {"padding_idx": 1.0}, TypeError, "padding_idx must be an int"),
        (ONE, W, {"padding_idx": True}, TypeError, "got bool"),
    ],
)  # fmt: skip
def test_embedding_errors(indices, weight, kwargs, error, match):
    with pytest.raises(error, match=match):
        E.embedding(indices, weight, **kwargs)


def test_embedding_refuses_what_torch_refuses():
    # torch fails on the same inputs (an out-of-range index, float indices, a bad padding_idx)
    for indices, kwargs in [(torch.tensor([3]), {}), (torch.tensor([1.0]), {})]:
        with pytest.raises((IndexError, RuntimeError)):
            F.embedding(indices, torch.ones(3, 2), **kwargs)
    with pytest.raises(AssertionError):
        F.embedding(torch.tensor([1]), torch.ones(3, 2), padding_idx=3)


# ----------------------------------------------------------------------------- cosine similarity


def _compare_cosine(x1, x2, **kwargs):
    a1, b1 = leaf_pair(x1)
    a2, b2 = leaf_pair(x2)
    ours = E.cosine_similarity(a1, a2, **kwargs)
    theirs = F.cosine_similarity(b1, b2, **kwargs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)
    for g_ours, g_theirs in zip(grads(ours, [a1, a2]), grads(theirs, [b1, b2]), strict=True):
        torch.testing.assert_close(g_ours, g_theirs)


@pytest.mark.parametrize("dim", [0, 1, 2, -1, -3])
def test_cosine_similarity_matches_torch(dim, device, dtype, gen):
    x1 = randn(3, 4, 5, gen=gen, dtype=dtype, device=device)
    x2 = randn(3, 4, 5, gen=gen, dtype=dtype, device=device)
    _compare_cosine(x1, x2, dim=dim)


def test_cosine_similarity_default_dim_broadcast_and_one_query(device, dtype, gen):
    table = randn(6, 4, gen=gen, dtype=dtype, device=device)
    query = randn(1, 4, gen=gen, dtype=dtype, device=device)
    _compare_cosine(table, query)  # dim=1: one query against every row
    _compare_cosine(query, table)
    _compare_cosine(randn(4, gen=gen, dtype=dtype, device=device), table, dim=-1)
    _compare_cosine(non_contiguous(table), table.flip(0))


def test_cosine_similarity_zero_and_tiny_vectors_follow_the_eps_clamp(device, dtype, gen):
    x1 = randn(5, 3, gen=gen, dtype=dtype, device=device)
    x2 = randn(5, 3, gen=gen, dtype=dtype, device=device)
    x1[0] = 0.0  # norm 0: similarity 0, gradients from the clamped norm
    x2[1] = 0.0
    x1[2] = 1e-10  # norm below eps: the clamp is active but the gradient still flows
    x2[3] *= 1e6  # large: no overflow, result within [-1, 1]
    _compare_cosine(x1, x2)
    _compare_cosine(x1, x2, eps=1e-3)
    _compare_cosine(x1, x2, eps=0.5)
    parallel = E.cosine_similarity(x2, 3 * x2)
    assert (parallel[[0, 2, 3, 4]] - 1).abs().max() < 1e-5  # same direction: 1


def test_cosine_similarity_promotes_mixed_floating_dtypes():
    x1 = torch.randn(3, 4, dtype=torch.float32)
    x2 = torch.randn(3, 4, dtype=torch.float64)
    _compare_cosine(x1, x2)


@settings(max_examples=40)
@given(broadcastable_pair(max_dims=3, max_side=4), st.integers(0, 2**16), st.data())
def test_cosine_similarity_hypothesis(pair, seed, data):
    shape1, shape2, _ = pair
    full = torch.broadcast_shapes(shape1, shape2)
    if not full:
        return  # a 0-d result has no dimension to reduce
    dim = data.draw(st.integers(-len(full), len(full) - 1))
    gen = torch.Generator().manual_seed(seed)
    x1 = torch.randn(shape1, generator=gen, dtype=torch.float64) * 3
    x2 = torch.randn(shape2, generator=gen, dtype=torch.float64) * 3
    _compare_cosine(x1, x2, dim=dim)
    _compare_cosine(x1.float(), x2.float(), dim=dim)


@pytest.mark.parametrize(
    ("x1", "x2", "kwargs", "error", "match"),
    [
        ([1.0], torch.ones(2, 3), {}, TypeError, "x1 must be a torch.Tensor, got list"),
        (torch.ones(2, 3), torch.ones(2, 3).long(), {}, TypeError, "x2 must be a floating"),
        (torch.ones(2, 3), torch.ones(4, 3), {}, ValueError, r"\(2, 3\) and x2 shape \(4, 3\)"),
        (torch.ones(2, 3), torch.ones(2, 3), {"dim": 2}, ValueError, "dim=2 is out of range"),
        (torch.ones(3), torch.ones(3), {}, ValueError, "dim=1 is out of range"),
        (torch.ones(2, 3), torch.ones(2, 3), {"dim": 1.0}, TypeError, "dim must be an int"),
        (torch.ones(2, 3), torch.ones(2, 3), {"eps": -1e-8}, ValueError, "eps must be >= 0"),
        (torch.ones(2, 3), torch.ones(2, 3), {"eps": "1e-8"}, TypeError, "eps must be a number"),
    ],
)  # fmt: skip
def test_cosine_similarity_errors(x1, x2, kwargs, error, match):
    with pytest.raises(error, match=match):
        E.cosine_similarity(x1, x2, **kwargs)
