"""The worked examples of preprocessing and of data loading: cleaning columns, batching, splits."""

from __future__ import annotations

import torch

from studykit.site.examples._format import F64, Example, join, num, row, table


def preprocessing_example() -> Example:
    """Missing values, outlier clipping, feature engineering and scaling on tiny columns.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import preprocessing as pre

    nan = float("nan")
    gaps = torch.tensor([[1.0], [nan], [3.0], [nan], [nan], [9.0]], dtype=F64)
    kept = gaps[~gaps.isnan().any(1)]
    filled = [row(gaps), row(kept), row(pre.fill_mean(gaps)), row(pre.interpolate_linear(gaps))]

    col = torch.tensor([[10.0], [12.0], [11.0], [13.0], [12.0], [95.0]], dtype=F64)
    values = col[:, 0]
    std = values.std()
    low_std, high_std = values.mean() - 2 * std, values.mean() + 2 * std
    q1, q3 = torch.quantile(values, 0.25), torch.quantile(values, 0.75)
    iqr = q3 - q1
    clipped = [
        [f"[{num(low_std)}, {num(high_std)}]", row(pre.clip_outliers_std(col))],
        [f"[{num(q1 - 1.5 * iqr)}, {num(q3 + 1.5 * iqr)}]", row(pre.clip_outliers_iqr(col))],
    ]
    summary = (row(col), num(values.mean()), num(std), num(q1), num(q3), num(iqr))
    iqr_rule = "Q1 − 1.5·IQR, Q3 + 1.5·IQR"

    pair = torch.tensor([[2.0, 3.0]], dtype=F64)
    features = (
        f"\\((x_1, x_2)\\) = {row(pair[0])}",
        f"\\([x_1, x_2, x_1^2, x_1x_2, x_2^2]\\) = {row(pre.polynomial_features(pair)[0])}",
        f"\\(x_1x_2\\) = {row(pre.interaction_features(pair)[0])}",
    )
    scale = torch.tensor([[50.0], [60.0], [70.0], [80.0], [100.0]], dtype=F64)
    scaled = [row(pre.standardize(scale)), row(pre.min_max_scale(scale))]
    en = join(
        "**Missing values (결측치)** in one column (`studykit.preprocessing`):",
        table(
            ["method", "column"],
            [
                ["original", filled[0]],
                ["drop the rows", filled[1]],
                ["fill with the mean (`fill_mean`)", filled[2]],
                ["linear interpolation (`interpolate_linear`)", filled[3]],
            ],
        ),
        "**Outliers (이상치).** The column "
        f"{summary[0]} has one wild value. Mean {summary[1]}, sample standard "
        f"deviation {summary[2]}; quartiles Q1 = {summary[3]}, Q3 = {summary[4]}, "
        f"IQR = {summary[5]}:",
        table(
            ["rule", "allowed range", "after clipping"],
            [
                ["mean ± 2·std (`clip_outliers_std`)", *clipped[0]],
                [f"{iqr_rule} (`clip_outliers_iqr`)", *clipped[1]],
            ],
        ),
        "The outlier inflates the standard deviation it is measured with, so the mean ± 2·std "
        "range is wide and hardly clips it; the quartiles barely notice the outlier, so the "
        "IQR rule does.",
        f"**New features (특성 공학)** from {features[0]}: degree-2 "
        f"polynomial features {features[1]}, interaction feature {features[2]}.",
        f"**Scaling (스케일링)** of {row(scale)}:",
        table(
            ["method", "result"],
            [
                ["standardization (`standardize`)", scaled[0]],
                ["min-max to [0, 1] (`min_max_scale`)", scaled[1]],
            ],
        ),
    )
    ko = join(
        "**결측치**(missing value)가 있는 열 하나를 처리합니다(`studykit.preprocessing`).",
        table(
            ["방법", "열"],
            [
                ["원래 값", filled[0]],
                ["결측치가 있는 행 삭제", filled[1]],
                ["평균으로 채우기(`fill_mean`)", filled[2]],
                ["선형 보간(`interpolate_linear`)", filled[3]],
            ],
        ),
        f"**이상치**(outlier): 열 {summary[0]}에는 크게 튀는 값이 하나 있습니다. 평균은 "
        f"{summary[1]}, 표본 표준편차는 {summary[2]}, 사분위수는 Q1 = {summary[3]}, "
        f"Q3 = {summary[4]}, IQR = {summary[5]}입니다.",
        table(
            ["규칙", "허용 범위", "잘라 낸 뒤"],
            [
                ["평균 ± 2·표준편차(`clip_outliers_std`)", *clipped[0]],
                [f"{iqr_rule}(`clip_outliers_iqr`)", *clipped[1]],
            ],
        ),
        "이상치는 자신을 재는 표준편차까지 부풀립니다. 그래서 평균 ± 2·표준편차 범위가 넓어져 "
        "이상치를 거의 잘라 내지 못합니다. 사분위수는 이상치의 영향을 거의 받지 않으므로 IQR "
        "규칙은 이상치를 잘라 냅니다.",
        f"**특성 공학**(feature engineering): {features[0]}에서 만든 2차 다항 특성은 "
        f"{features[1]}, 상호작용 특성은 {features[2]}입니다.",
        f"**스케일링**(scaling): {row(scale)}에 적용한 결과입니다.",
        table(
            ["방법", "결과"],
            [
                ["표준화(`standardize`)", scaled[0]],
                ["[0, 1] 범위로 최소-최대 정규화(`min_max_scale`)", scaled[1]],
            ],
        ),
    )
    return Example(en, ko)


def data_example() -> Example:
    """Mini-batches with and without shuffling, batch counts, and a train/val/test split.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import data

    x = torch.arange(10)
    plain = [b.tolist() for b in data.batches(x, 4)]
    dropped = [b.tolist() for b in data.batches(x, 4, drop_last=True)]
    gen = torch.Generator().manual_seed(0)
    epoch1 = [b.tolist() for b in data.batches(x, 4, shuffle=True, generator=gen)]
    epoch2 = [b.tolist() for b in data.batches(x, 4, shuffle=True, generator=gen)]
    batches = [str(plain), str(dropped), str(epoch1), str(epoch2)]
    mnist = 12396
    count_rows = [
        [
            str(mnist),
            str(bs),
            str(data.num_batches(mnist, bs)),
            str(data.num_batches(mnist, bs, True)),
        ]
        for bs in (64, 256, 1000)
    ]
    split = data.train_val_test_split(
        10, (0.6, 0.2, 0.2), generator=torch.Generator().manual_seed(0)
    )
    parts = [str(part.tolist()) for part in split]
    en = join(
        "Ten samples `0 … 9` in batches of 4 (`studykit.data.batches`, the logic of `DataLoader`):",
        table(
            ["batches", "sample indices"],
            [
                ["in order", batches[0]],
                ["`drop_last=True`", batches[1]],
                ["shuffled, epoch 1", batches[2]],
                ["shuffled, epoch 2", batches[3]],
            ],
        ),
        "Every sample appears exactly once per epoch; shuffling draws a new order each epoch.",
        f"Batches per epoch (`num_batches`) for the notes' {mnist} training images of 3s and 7s:",
        table(["samples", "batch size", "batches", "batches with drop_last"], count_rows),
        "A 60/20/20 split of the ten indices (`train_val_test_split`):",
        table(
            ["part", "indices"],
            [list(cells) for cells in zip(("train", "validation", "test"), parts, strict=True)],
        ),
    )
    ko = join(
        "샘플 열 개 `0 … 9`를 4개씩 배치로 나눕니다(`studykit.data.batches`, `DataLoader`의 "
        "동작 방식).",
        table(
            ["배치 방식", "샘플 인덱스"],
            [
                ["순서대로", batches[0]],
                ["`drop_last=True`", batches[1]],
                ["섞기, 에포크 1", batches[2]],
                ["섞기, 에포크 2", batches[3]],
            ],
        ),
        "모든 샘플은 에포크마다 정확히 한 번씩 나옵니다. 섞기를 켜면 에포크마다 새 순서를 "
        "뽑습니다.",
        f"노트의 3과 7 학습 이미지 {mnist}장에 대한 에포크당 배치 수(`num_batches`)입니다.",
        table(["샘플 수", "배치 크기", "배치 수", "`drop_last`일 때 배치 수"], count_rows),
        "인덱스 열 개를 60/20/20으로 나눕니다(`train_val_test_split`).",
        table(
            ["부분", "인덱스"],
            [list(cells) for cells in zip(("학습", "검증", "테스트"), parts, strict=True)],
        ),
    )
    return Example(en, ko)
