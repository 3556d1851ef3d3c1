"""The convolution topic's worked example: strides, padding, bias, pooling and output sizes."""

from __future__ import annotations

import torch

from studykit.questions.korean import josa
from studykit.questions.render import fmt_shape
from studykit.site.examples._format import F64, Example, assign, code, join, num, row, table, tens


def convolution_example() -> Example:
    """A 4×4 image and a 2×2 kernel with stride 1 and 2, padding, bias, pooling and sizes.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import conv, pooling

    image = torch.tensor(
        [[1.0, 2.0, 0.0, 1.0], [0.0, 1.0, 3.0, 1.0], [2.0, 0.0, 1.0, 2.0], [1.0, 1.0, 0.0, 3.0]],
        dtype=F64,
    )
    kernel = torch.tensor([[1.0, 0.0], [-1.0, 2.0]], dtype=F64)
    bias = 0.5
    stride2 = conv.conv2d_naive(image, kernel, stride=2)
    stride1 = conv.conv2d_naive(image, kernel, stride=1)
    padded = conv.conv2d_naive(image, kernel, stride=1, padding=1)
    window = image[0:2, 0:2]
    products = (window * kernel).reshape(-1).tolist()
    pooled = pooling.max_pool2d(image[None, None], 2)[0, 0]

    cases = [(4, 2, 2, 0), (4, 2, 1, 0), (4, 2, 1, 1), (28, 3, 1, 0), (28, 3, 1, 1), (28, 5, 2, 0)]
    size_rows = [
        [str(h), str(k), str(s), str(p), str(conv.conv_output_size(h, k, s, p))]
        for h, k, s, p in cases
    ]
    terms = " + ".join(f"({num(v)})" if v < 0 else num(v) for v in products)
    inputs = code(assign("image", tens(image)), "", assign("kernel", tens(kernel)))
    maps = code(
        assign("stride 2", tens(stride2)),
        "",
        assign(f"stride 2, bias {num(bias)}", tens(stride2 + bias)),
        "",
        assign("stride 1", tens(stride1)),
    )
    pool_block = code(assign("max pool 2×2", tens(pooled)))
    formula = "\\(\\lfloor (H + 2P - K) / S \\rfloor + 1\\)"
    en = join(
        "A 4×4 image and a 2×2 kernel (`studykit.conv.conv2d_naive`, the loop of the notes):",
        inputs,
        "With stride 2 the kernel visits four non-overlapping windows. The top-left one is "
        f"{row(window.reshape(-1))} (row by row); multiplied element-wise by the kernel and "
        f"summed: {terms} = {num(stride2[0, 0])}. The whole feature map (특성 맵):",
        maps,
        f"With zero padding 1 the map grows to {fmt_shape(padded.shape)}; "
        f"2×2 max pooling of the image (`max_pool2d`) gives {fmt_shape(pooled.shape)}:",
        pool_block,
        f"Output sizes {formula} (`conv_output_size`):",
        table(["H", "K", "S", "P", "output"], size_rows),
    )
    ko = join(
        "4×4 이미지와 2×2 커널입니다(`studykit.conv.conv2d_naive`, 노트의 반복문).",
        inputs,
        "스트라이드가 2일 때 커널은 서로 겹치지 않는 창 네 개를 차례로 지나갑니다. 왼쪽 위 창은 "
        f"행 순서로 {row(window.reshape(-1))}입니다. 이 창과 커널을 원소별로 곱해 더하면 "
        f"{terms} = {num(stride2[0, 0])}입니다. 특성 맵(feature map) 전체는 다음과 같습니다"
        f"(`stride 2, bias {num(bias)}` 줄은 편향 {josa(num(bias), '을')} 더한 결과).",
        maps,
        f"제로 패딩을 1만큼 주면 특성 맵의 모양은 {fmt_shape(padded.shape)}입니다. 이미지에 "
        f"2×2 최대 풀링(`max_pool2d`)을 적용한 결과의 모양은 {fmt_shape(pooled.shape)}입니다.",
        pool_block,
        f"출력 크기는 {formula}입니다(`conv_output_size`).",
        table(["H", "K", "S", "P", "출력 크기"], size_rows),
    )
    return Example(en, ko)
