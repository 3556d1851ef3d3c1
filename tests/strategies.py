"""Hypothesis strategies shared by the test files: shapes and broadcastable shape pairs."""

from __future__ import annotations

from hypothesis import strategies as st


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 1, max_side: int = 5):  # type: ignore[no-untyped-def]
    """Tensor shapes with ``min_dims..max_dims`` dimensions of size ``min_side..max_side``."""
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(
        tuple
    )


@st.composite
def broadcastable_pair(draw, max_dims: int = 4, max_side: int = 4):  # type: ignore[no-untyped-def]
    """Two shapes that broadcast: start from one shape, then drop leading dims and set 1s."""
    full = draw(shapes(0, max_dims, 1, max_side))

    def derive() -> tuple[int, ...]:
        keep = draw(st.integers(0, len(full)))
        tail = full[len(full) - keep :]
        return tuple(1 if draw(st.booleans()) else s for s in tail)

    return derive(), derive(), full


@st.composite
def matmul_shapes(draw):  # type: ignore[no-untyped-def]
    """Operand shapes that ``torch.matmul`` accepts: 1-D, 2-D, and broadcast batches."""
    m, k, n = draw(st.integers(1, 5)), draw(st.integers(0, 5)), draw(st.integers(1, 5))
    batch_a, batch_b, _ = draw(broadcastable_pair(max_dims=2, max_side=3))
    a = (k,) if draw(st.booleans()) else (*batch_a, m, k)
    b = (k,) if draw(st.booleans()) else (*batch_b, k, n)
    return a, b
