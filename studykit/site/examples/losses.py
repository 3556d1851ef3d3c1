"""The losses topic's worked example: regression errors, ``mnist_loss`` and cross-entropy."""

from __future__ import annotations

import torch

from studykit.questions.korean import josa
from studykit.site.examples._format import F64, Example, join, num, row, table, vec


def losses_example() -> Example:
    """ME, MAE, MSE and RMSE of a 3-element prediction; ``mnist_loss`` versus BCE; cross-entropy.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import losses
    from studykit.models import accuracy

    pred, target = vec(2.0, 4.5, 9.0), vec(2.5, 4.0, 6.0)
    err = losses.mean_error(pred, target, reduction="none")
    absolute = losses.l1_loss(pred, target, reduction="none")
    square = losses.mse_loss(pred, target, reduction="none")
    rows = [
        [str(i + 1), num(float(p)), num(float(y)), num(float(e)), num(float(a)), num(float(s))]
        for i, (p, y, e, a, s) in enumerate(zip(pred, target, err, absolute, square, strict=True))
    ]
    means = [
        f"ME = {num(losses.mean_error(pred, target))}",
        f"MAE = {num(losses.l1_loss(pred, target))}",
        f"MSE = {num(losses.mse_loss(pred, target))}",
    ]
    rmse = num(losses.rmse_loss(pred, target))
    share = num(100 * (square.max() / square.sum()))

    cancel_pred, cancel_target = vec(7.0, 3.0), vec(2.0, 8.0)
    cancel_me = num(losses.mean_error(cancel_pred, cancel_target))
    cancel_mae = num(losses.l1_loss(cancel_pred, cancel_target))

    probs, labels = vec(0.9, 0.4, 0.2), torch.tensor([1.0, 0.0, 1.0], dtype=F64)
    mnist_terms = torch.where(labels == 1, 1 - probs, probs)
    bce_terms = losses.binary_cross_entropy(probs, labels, reduction="none")
    mnist_mean = num(losses.mnist_loss(probs, labels))
    bce_mean = num(losses.binary_cross_entropy(probs, labels))
    better = vec(0.9, 0.4, 0.8)
    nudged = vec(0.9, 0.4, 0.3)
    wrong, moved, nudge = num(float(probs[2])), num(float(better[2])), num(float(nudged[2]))
    better_loss = num(losses.mnist_loss(better, labels))
    nudged_loss = num(losses.mnist_loss(nudged, labels))
    acc_before = num(accuracy(probs, labels, threshold=0.5))
    acc_after = num(accuracy(nudged, labels, threshold=0.5))

    logits, cls = torch.tensor([[2.0, 1.0, 0.1]], dtype=F64), torch.tensor([0])
    ce = num(losses.cross_entropy(logits, cls))

    en = join(
        "**Regression.** Three predictions \\(\\hat y\\) against their targets \\(y\\) "
        "(`studykit.losses`, `reduction='none'` for the per-element columns):",
        table(
            ["i", "\\(\\hat y\\)", "\\(y\\)", "error", "\\|error\\|", "error²"],
            [*rows, ["**mean**", "", "", *means]],
        ),
        f"RMSE \\(= \\sqrt{{\\text{{MSE}}}}\\) = {rmse}. The one large error makes up "
        f"{share}% of the squared errors: squaring lets a single outlier dominate.",
        "The mean error lets mistakes cancel: predictions "
        f"{row(cancel_pred)} for targets {row(cancel_target)} have "
        f"ME = {cancel_me} but MAE = {cancel_mae}.",
        "**Classification.** The notes' three images with labels "
        f"{row(labels)} and predicted probabilities {row(probs)}:",
        table(
            ["", "per image", "mean"],
            [
                ["mnist_loss", row(mnist_terms), mnist_mean],
                ["binary cross-entropy", row(bce_terms), bce_mean],
            ],
        ),
        f"Moving the wrong prediction from {wrong} to {moved} "
        f"lowers `mnist_loss` to {better_loss}. Moving it only to "
        f"{nudge} still lowers the loss, to {nudged_loss}, while the accuracy stays at "
        f"{acc_before} before and {acc_after} after: the accuracy has no slope to "
        "follow, the loss has.",
        f"Cross-entropy of the logits {row(logits[0])} when the true class is 0: "
        f"{ce} (the minus log of the softmax probability of class 0).",
    )
    ko = join(
        "**회귀.** 예측값 \\(\\hat y\\) 세 개를 정답 \\(y\\)와 비교합니다"
        "(`studykit.losses`, 원소별 열은 `reduction='none'`).",
        table(
            ["i", "\\(\\hat y\\)", "\\(y\\)", "오차", "\\|오차\\|", "오차²"],
            [*rows, ["**평균**", "", "", *means]],
        ),
        f"RMSE \\(= \\sqrt{{\\text{{MSE}}}}\\) = {rmse}입니다. 큰 오차 하나가 제곱 오차 합의 "
        f"{share}%를 차지합니다. 제곱을 하면 이상치 하나가 전체를 좌우합니다.",
        "평균 오차(ME)에서는 양의 오차와 음의 오차가 서로 상쇄됩니다. 정답이 "
        f"{row(cancel_target)}일 때 예측 {row(cancel_pred)}의 오차는 "
        f"ME = {cancel_me}, MAE = {cancel_mae}입니다.",
        f"**분류.** 노트의 이미지 세 장입니다. 레이블은 {row(labels)}, 예측 확률은 "
        f"{row(probs)}입니다.",
        table(
            ["", "이미지별", "평균"],
            [
                ["`mnist_loss`", row(mnist_terms), mnist_mean],
                ["이진 교차 엔트로피", row(bce_terms), bce_mean],
            ],
        ),
        f"틀리게 예측한 세 번째 이미지의 확률을 {wrong}에서 {josa(moved, '로')} 옮기면 "
        f"`mnist_loss`는 {josa(better_loss, '로')} 줄어듭니다. {nudge}까지만 옮겨도 손실은 "
        f"{josa(nudged_loss, '로')} 줄어듭니다. 그런데 정확도는 옮기기 전에도 {acc_before}, "
        f"옮긴 뒤에도 {acc_after}입니다. 정확도에는 따라갈 기울기가 없고, 손실에는 있습니다.",
        f"정답 클래스가 인덱스 0일 때 로짓 {row(logits[0])}의 교차 엔트로피는 {ce}입니다"
        "(클래스 0의 소프트맥스 확률에 로그를 취하고 부호를 바꾼 값).",
    )
    return Example(en, ko)
