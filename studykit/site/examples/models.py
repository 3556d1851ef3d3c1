"""The models topic's worked example: pixel similarity, a perceptron and ``simple_net``'s size."""

from __future__ import annotations

import torch

from studykit.questions.render import denoise, fmt_shape, fmt_tensor
from studykit.site.examples._format import F64, Example, assign, code, join, num, row, table, vec


def _bar_images(vertical: bool, count: int, gen: torch.Generator) -> torch.Tensor:
    """``count`` noisy 4×4 images of a bar: column 1 (vertical) or row 2 (horizontal)."""
    from studykit.data import gaussian_noise

    clean = torch.zeros(4, 4, dtype=F64)
    if vertical:
        clean[:, 1] = 1.0
    else:
        clean[2, :] = 1.0
    stack = clean.expand(count, 4, 4).clone()
    return gaussian_noise(stack, std=0.6, clip=True, generator=gen)


def models_example() -> Example:
    """A pixel-similarity baseline on tiny images, a perceptron, and ``simple_net``'s size.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import models
    from studykit.activations import sigmoid

    gen = torch.Generator().manual_seed(3)
    train_v, train_h = _bar_images(True, 20, gen), _bar_images(False, 20, gen)
    valid_v, valid_h = _bar_images(True, 10, gen), _bar_images(False, 10, gen)
    mean_v, mean_h = models.mean_image(train_v), models.mean_image(train_h)
    ideals = code(
        assign("ideal vertical", fmt_tensor(denoise(mean_v.tolist()), 2)),
        "",
        assign("ideal horizontal", fmt_tensor(denoise(mean_h.tolist()), 2)),
    )

    probe = valid_v[0]
    dist_rows = [
        [
            metric,
            num(models.pixel_distance(probe, mean_v, metric)),
            num(models.pixel_distance(probe, mean_h, metric)),
        ]
        for metric in ("l1", "rmse")
    ]
    acc_rows = []
    for metric in ("l1", "rmse"):
        says_v = models.predict_by_similarity(valid_v, mean_v, mean_h, metric)
        says_h = models.predict_by_similarity(valid_h, mean_v, mean_h, metric)
        acc_v = models.accuracy(says_v, torch.ones_like(says_v))
        acc_h = models.accuracy(says_h, torch.zeros_like(says_h))
        acc_rows.append([metric, num(acc_v), num(acc_h), num((acc_v + acc_h) / 2)])

    x = vec(0.5, -1.0, 2.0)
    w = vec(0.4, 0.3, -0.2)
    bias = vec(0.1)
    score = x @ w + bias
    perceptron = (row(x), row(w), num(float(bias)), num(score), num(sigmoid(score)))

    shapes = [(784, 30), (30,), (30, 1), (1,)]
    sizes = [models.init_params(s, generator=gen).numel() for s in shapes]
    linear_size = sum(models.init_params(s, generator=gen).numel() for s in [(784, 1), (1,)])
    shape_list = ", ".join(fmt_shape(s) for s in shapes)
    size_sum = " + ".join(str(n) for n in sizes)
    en = join(
        "**Pixel similarity (픽셀 유사성), in miniature.** Instead of MNIST 3s and 7s: noisy 4×4 "
        "images of a vertical bar and of a horizontal bar, 20 of each for training and 10 of "
        "each for validation. The mean training images (`studykit.models.mean_image`) are the "
        '"ideal" bars:',
        ideals,
        "Distances of the first validation image (a vertical bar) to each ideal image "
        "(`pixel_distance`):",
        table(["metric", "to ideal vertical", "to ideal horizontal"], dist_rows),
        "It is closer to the vertical ideal, so it is called vertical. Accuracy over the "
        "validation images (`predict_by_similarity`, then `accuracy`), with nothing learned:",
        table(["metric", "vertical bars", "horizontal bars", "mean of the two"], acc_rows),
        f"**A perceptron (퍼셉트론)** with inputs {perceptron[0]}, weights {perceptron[1]} and "
        f"bias {perceptron[2]} computes \\(x \\cdot w + b\\) = {perceptron[3]}; a sigmoid turns "
        f"that into the probability {perceptron[4]}.",
        f"**Size of `simple_net` (784-30-1).** The parameter shapes "
        f"{shape_list} hold {size_sum} = {sum(sizes)} numbers, against {linear_size} for the "
        "single linear layer.",
    )
    ko = join(
        "**픽셀 유사도(pixel similarity)의 축소판.** MNIST의 3과 7 대신 노이즈가 섞인 4×4 "
        "이미지를 씁니다. 세로 막대 이미지와 가로 막대 이미지를 각각 학습용 20장, 검증용 "
        "10장씩 만듭니다. 학습 이미지의 평균(`studykit.models.mean_image`)이 “이상적인” "
        "막대입니다(`ideal vertical`은 세로, `ideal horizontal`은 가로).",
        ideals,
        "첫 번째 검증 이미지(세로 막대)에서 각 이상적인 이미지까지의 거리(`pixel_distance`)입니다.",
        table(["거리 척도", "이상적인 세로 막대까지", "이상적인 가로 막대까지"], dist_rows),
        "이 이미지는 이상적인 세로 막대에 더 가까우므로 세로 막대로 분류됩니다. 아무것도 "
        "학습하지 않고 검증 이미지 전체에서 얻은 정확도입니다(`predict_by_similarity` 뒤에 "
        "`accuracy`).",
        table(["거리 척도", "세로 막대", "가로 막대", "두 정확도의 평균"], acc_rows),
        f"**퍼셉트론(perceptron)**: 입력 {perceptron[0]}, 가중치 {perceptron[1]}, 편향 "
        f"{perceptron[2]}일 때 \\(x \\cdot w + b\\) = {perceptron[3]}입니다. 시그모이드를 "
        f"거친 확률은 {perceptron[4]}입니다.",
        f"**`simple_net`의 크기(784-30-1).** 파라미터 모양 {shape_list}에 든 숫자는 "
        f"{size_sum} = {sum(sizes)}개입니다. 선형 층 하나만 쓰면 {linear_size}개입니다.",
    )
    return Example(en, ko)
