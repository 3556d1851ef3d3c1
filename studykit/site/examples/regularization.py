"""The worked examples of regularization and normalization: penalties, dropout, batch norm."""

from __future__ import annotations

import torch

from studykit.site.examples._format import (
    F64,
    Example,
    assign,
    code,
    join,
    num,
    row,
    table,
    tens,
    vec,
)


def regularization_example() -> Example:
    """L1 and L2 norms, penalties and their gradients; dropout in training and evaluation.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import regularization as reg

    w = vec(0.5, -1.5, 0.0, 2.0).requires_grad_()
    lam = 0.01
    l1 = reg.l1_penalty(w, lam)
    (g1,) = torch.autograd.grad(l1, w)
    l2 = reg.l2_penalty(w, lam)
    (g2,) = torch.autograd.grad(l2, w)
    cells = [
        [num(reg.lp_norm(w.detach(), p=1)), num(l1), row(g1)],
        [num(reg.lp_norm(w.detach(), p=2)), num(l2), row(g2)],
    ]

    ones = torch.ones(8, dtype=F64)
    train = reg.dropout(ones, p=0.5, generator=torch.Generator().manual_seed(0))
    evaluation = reg.dropout(ones, p=0.5, training=False)
    many = reg.dropout(
        torch.ones(100_000, dtype=F64), p=0.5, generator=torch.Generator().manual_seed(1)
    )
    setup = f"\\(w\\) = {row(w)}"
    penalty = f"\\(\\lambda = {num(lam)}\\)"
    dropped = code(assign("training", tens(train)), assign("evaluation", tens(evaluation)))
    average = num(many.mean())
    en = join(
        f"Weights {setup} and {penalty} "
        "(`studykit.regularization`; the gradient column is what the penalty adds to "
        "\\(\\partial L / \\partial w\\)):",
        table(
            ["penalty", "norm of w", "penalty", "gradient of the penalty"],
            [["L1 (lasso)", *cells[0]], ["L2 (ridge)", *cells[1]]],
        ),
        "The L1 gradient is the same size for every non-zero weight, so small weights are "
        "pushed all the way to 0; the L2 gradient is proportional to the weight, so weights "
        "shrink but rarely reach 0.",
        "Dropout with \\(p = 0.5\\) on eight ones:",
        dropped,
        "In training about half the values are zeroed and the survivors are doubled "
        "(divided by \\(1 - p\\)); in evaluation the layer does nothing. Over 100000 ones the "
        f"training output averages {average}: the expected value is kept.",
    )
    ko = join(
        f"가중치 {setup}, {penalty}입니다(`studykit.regularization`; 기울기 열은 규제항이 "
        "\\(\\partial L / \\partial w\\)에 더하는 값입니다).",
        table(
            ["규제", "w의 노름", "규제항", "규제항의 기울기"],
            [["L1(라쏘)", *cells[0]], ["L2(릿지)", *cells[1]]],
        ),
        "L1 규제항의 기울기는 0이 아닌 모든 가중치에서 크기가 같아서, 작은 가중치를 0까지 "
        "밀어냅니다. L2 규제항의 기울기는 가중치에 비례하므로, 가중치가 줄어들기는 해도 0에 "
        "이르는 일은 드뭅니다.",
        "값이 모두 1인 원소 여덟 개에 \\(p = 0.5\\)로 드롭아웃을 적용합니다(`training`은 학습 "
        "모드, `evaluation`은 평가 모드).",
        dropped,
        "학습 모드에서는 값의 절반 정도가 0이 되고, 남은 값은 두 배가 됩니다"
        "(\\(1 - p\\)로 나눔). 평가 모드에서는 이 층이 아무것도 하지 않습니다. 1이 100000개인 "
        f"텐서에 적용하면 학습 모드 출력의 평균은 {average}입니다. 즉, 기댓값이 유지됩니다.",
    )
    return Example(en, ko)


def normalization_example() -> Example:
    """Batch normalization of a 4×2 batch in training and evaluation; running statistics.

    Returns:
        The snippet in English and Korean.
    """
    from studykit.normalization import batch_norm, layer_norm

    x = torch.tensor([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0], [6.0, 60.0]], dtype=F64)
    n = x.shape[0]
    mean = x.mean(0)
    var = x.var(0, correction=0)
    running_mean, running_var = torch.zeros(2, dtype=F64), torch.ones(2, dtype=F64)
    train_out = batch_norm(x, running_mean, running_var, training=True, momentum=0.1)
    after_one = (running_mean.clone(), running_var.clone())
    eval_early = batch_norm(x, running_mean, running_var, training=False)
    for _ in range(49):
        batch_norm(x, running_mean, running_var, training=True, momentum=0.1)
    eval_late = batch_norm(x, running_mean, running_var, training=False)
    stats = [
        [row(mean), row(var)],
        [row(after_one[0]), row(after_one[1])],
        [row(running_mean), row(running_var)],
    ]
    batch = code(assign("x", tens(x)))
    training = code(assign("training", tens(train_out)))
    evaluations = code(
        assign("eval, 1 batch seen", tens(eval_early)),
        "",
        assign("eval, 50 batches seen", tens(eval_late)),
    )
    layer = code(assign("layer_norm", tens(layer_norm(x, 2))))
    ratio = num(n / (n - 1))
    setup = "\\(\\gamma = 1, \\beta = 0\\)"
    en = join(
        "A batch of \\(N = 4\\) examples with \\(C = 2\\) features on very different scales "
        f"(`studykit.normalization.batch_norm`, {setup}, momentum 0.1):",
        batch,
        table(
            ["statistics", "mean per feature", "variance per feature"],
            [
                ["this batch (biased variance)", *stats[0]],
                ["running, after 1 batch", *stats[1]],
                ["running, after 50 batches", *stats[2]],
            ],
        ),
        "In training each feature is normalized with this batch's own statistics:",
        training,
        "In evaluation the running statistics are used instead. After one batch they are still "
        "close to their start (mean 0, variance 1), so the output is far from normalized; "
        "after 50 batches they have caught up:",
        evaluations,
        "Even then evaluation and training differ a little: the running variance estimates "
        f"the unbiased variance, \\(n/(n-1)\\) = {ratio} times the batch's.",
        "Layer normalization (`layer_norm`) normalizes each example over its features instead, "
        "so it needs no batch and no running statistics:",
        layer,
    )
    ko = join(
        "샘플 \\(N = 4\\)개, 스케일이 크게 다른 특성 \\(C = 2\\)개로 이루어진 배치입니다"
        f"(`studykit.normalization.batch_norm`, {setup}, 모멘텀 0.1).",
        batch,
        table(
            ["통계", "특성별 평균", "특성별 분산"],
            [
                ["이 배치(n으로 나눈 분산)", *stats[0]],
                ["이동 통계, 배치 1개 뒤", *stats[1]],
                ["이동 통계, 배치 50개 뒤", *stats[2]],
            ],
        ),
        "학습 모드의 배치 정규화는 각 특성에 이 배치 자체의 평균과 분산을 씁니다.",
        training,
        "평가 모드에서는 그 대신 이동 통계를 씁니다. 배치 1개를 본 뒤에는 이동 통계가 아직 "
        "초깃값(평균 0, 분산 1)에 가까워서 출력의 평균과 분산이 0과 1에서 한참 멉니다. 배치 "
        "50개를 본 뒤에는 이동 통계가 배치의 통계를 따라잡습니다.",
        evaluations,
        "그래도 평가 모드와 학습 모드의 출력은 조금 다릅니다. 이동 분산은 불편 분산"
        f"(n − 1로 나눈 분산)을 추정하므로 배치 분산의 \\(n/(n-1)\\) = {ratio}배이기 "
        "때문입니다.",
        "층 정규화(`layer_norm`)는 샘플 하나의 특성들로 평균과 분산을 구합니다. 그래서 배치도 "
        "이동 통계도 필요 없습니다.",
        layer,
    )
    return Example(en, ko)
