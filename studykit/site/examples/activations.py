"""The activations topic's worked example: four activations, softmax, and why a non-linearity."""

from __future__ import annotations

import torch

from studykit.questions.korean import josa
from studykit.site.examples._format import F64, Example, join, num, row, table, vec


def activations_example() -> Example:
    """Sigmoid, tanh, ReLU and leaky ReLU on five inputs; softmax; why a non-linearity.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import activations
    from studykit.models import linear

    x = vec(-2.0, -0.5, 0.0, 0.5, 2.0).requires_grad_()
    sig = activations.sigmoid(x)
    (slope,) = torch.autograd.grad(sig.sum(), x)
    x = x.detach()
    columns = [
        sig.detach(),
        slope,
        activations.tanh(x),
        activations.relu(x),
        activations.leaky_relu(x, 0.1),
    ]
    rows = [[num(float(x[i]))] + [num(float(col[i])) for col in columns] for i in range(x.shape[0])]
    top_slope = num(float(slope[2]))

    scores = vec(2.0, 1.0, 0.1)
    probs = activations.softmax(scores, dim=0)
    shifted = row(activations.softmax(scores + 10, dim=0))
    total = num(probs.sum())

    inp = vec(1.0, -1.0)
    w1 = torch.tensor([[1.0, 2.0], [-1.0, 1.0]], dtype=F64)  # (out, in), as nn.Linear stores it
    w2 = torch.tensor([[1.0, 1.0]], dtype=F64)
    two_linear = row(linear(linear(inp, w1), w2))
    one_linear = row(linear(inp, w2 @ w1))
    with_relu = row(linear(activations.relu(linear(inp, w1)), w2))
    en = join(
        "Five inputs through the activations of `studykit.activations` (the slope column "
        "\\(\\sigma'(x)\\) comes from back-propagating through `sigmoid`):",
        table(["x", "sigmoid", "sigmoid slope", "tanh", "relu", "leaky_relu (0.1)"], rows),
        f"The sigmoid's slope is largest at 0, where it is {top_slope}.",
        f"Softmax of the scores {row(scores)} gives the probabilities {row(probs)} "
        f"(sum {total}). Adding 10 to every score changes nothing: {shifted}.",
        "Why a non-linearity: two linear layers \\(W_2(W_1 x)\\) on \\(x\\) = "
        f"{row(inp)} give {two_linear}, exactly what the single layer "
        f"\\(W_2 W_1\\) gives ({one_linear}). With a ReLU in between the answer "
        f"becomes {with_relu}: only then is the second layer doing something new.",
    )
    ko = join(
        "입력 다섯 개를 `studykit.activations`의 활성화 함수에 통과시킵니다(기울기 열 "
        "\\(\\sigma'(x)\\)는 `sigmoid` 함수를 거슬러 역전파해서 얻습니다).",
        table(["x", "시그모이드", "시그모이드의 기울기", "tanh", "ReLU", "리키 ReLU(0.1)"], rows),
        f"시그모이드의 기울기는 0에서 가장 크며, 그 값은 {top_slope}입니다.",
        f"점수 {row(scores)}에 소프트맥스를 적용한 확률은 {row(probs)}입니다"
        f"(합 {total}). 모든 점수에 10을 더해도 결과는 그대로 {shifted}입니다.",
        "비선형 함수가 필요한 이유: \\(x\\) = "
        f"{row(inp)}에 선형 층 두 개 \\(W_2(W_1 x)\\)를 적용한 결과는 {two_linear}입니다. "
        f"이는 층 하나 \\(W_2 W_1\\)의 결과({one_linear})와 똑같습니다. 두 층 사이에 ReLU를 "
        f"넣어야 결과가 {josa(with_relu, '로')} 달라지고, 그때 비로소 두 번째 층이 새로운 "
        "일을 합니다.",
    )
    return Example(en, ko)
