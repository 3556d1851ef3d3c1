"""The tensors topic's worked example: joining, products, broadcasting and strides."""

from __future__ import annotations

import torch

from studykit.questions.render import fmt_shape
from studykit.site.examples._format import F64, Example, assign, code, join, table, tens


def tensors_example() -> Example:
    """``cat`` versus ``stack``, matrix versus element-wise product, broadcasting, strides.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import tensors

    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=F64)
    b = torch.tensor([[5.0, 6.0], [7.0, 8.0]], dtype=F64)
    joins = [
        ("cat, dim=0", tensors.cat([a, b], dim=0)),
        ("cat, dim=1", tensors.cat([a, b], dim=1)),
        ("stack, dim=0", tensors.stack([a, b], dim=0)),
        ("stack, dim=1", tensors.stack([a, b], dim=1)),
    ]
    join_rows = [[f"`{label}`", fmt_shape(out.shape)] for label, out in joins]
    matrices = code(assign("A", tens(a)), "", assign("B", tens(b)))

    product = tensors.matmul(a, b)
    elementwise = a * b
    products = code(assign("A @ B", tens(product)), "", assign("A * B", tens(elementwise)))

    shape_pairs = [((1010, 28, 28), (28, 28)), ((1, 4), (4, 1)), ((256, 5, 1), (7,))]
    broadcast_rows = [
        [fmt_shape(x), fmt_shape(y), fmt_shape(tensors.broadcast_shapes(x, y))]
        for x, y in shape_pairs
    ]

    grid = torch.arange(12).reshape(3, 4)
    strides = tensors.contiguous_strides(grid.shape)
    transposed = tuple(reversed(strides))
    at = tensors.storage_index((2, 1), strides)
    at_t = tensors.storage_index((2, 1), transposed)
    en = join(
        "Two 2×2 matrices from the notes, joined four ways (`studykit.tensors.cat` / `stack`):",
        matrices,
        table(["call", "result shape"], join_rows),
        "`cat` keeps the number of dimensions and grows one of them; `stack` adds a new "
        "dimension. The matrix product (`studykit.tensors.matmul`, `A @ B`) and the element-wise "
        "product (`A * B`) are different things:",
        products,
        "Broadcasting (`studykit.tensors.broadcast_shapes`) lines shapes up from the right; a "
        "missing or size-1 dimension is stretched:",
        table(["shape 1", "shape 2", "broadcast shape"], broadcast_rows),
        f"Strides: `torch.arange(12).reshape(3, 4)` has strides {fmt_shape(strides)}, so "
        f"element `[2, 1]` sits at storage position {at}. Its transpose shares the same "
        f"storage with strides {fmt_shape(transposed)}: element `[2, 1]` of the transpose "
        f"(which is `[1, 2]` of the original) sits at position {at_t}.",
    )
    ko = join(
        "노트의 2×2 행렬 두 개를 네 가지 방법으로 합쳐 봅니다(`studykit.tensors.cat` / `stack`).",
        matrices,
        table(["호출", "결과 모양"], join_rows),
        "`cat`은 차원의 개수를 그대로 두고 그중 한 차원을 늘립니다. `stack`은 새 차원을 "
        "추가합니다. 행렬 곱(`studykit.tensors.matmul`, `A @ B`)과 원소별 곱(`A * B`)은 서로 "
        "다른 연산입니다.",
        products,
        "브로드캐스팅(`studykit.tensors.broadcast_shapes`)은 두 모양을 오른쪽 끝부터 맞춥니다. "
        "없는 차원이나 크기가 1인 차원은 상대 크기만큼 늘어납니다.",
        table(["모양 1", "모양 2", "브로드캐스트 결과 모양"], broadcast_rows),
        f"스트라이드: `torch.arange(12).reshape(3, 4)`의 스트라이드는 {fmt_shape(strides)}"
        f"입니다. 그래서 원소 `[2, 1]`은 스토리지 인덱스 {at}에 있습니다. 전치한 텐서는 같은 "
        f"스토리지를 공유하며 스트라이드는 {fmt_shape(transposed)}입니다. 전치한 텐서의 원소 "
        f"`[2, 1]`(원래 텐서의 `[1, 2]`)은 스토리지 인덱스 {at_t}에 있습니다.",
    )
    return Example(en, ko)
