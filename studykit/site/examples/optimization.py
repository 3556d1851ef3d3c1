"""The worked examples of gradient descent and of the optimizers: fitting a curve, five steppers."""

from __future__ import annotations

from collections.abc import Callable

import torch

from studykit.questions.korean import josa
from studykit.site.examples._format import F64, Example, join, num, row, table, vec


def gradient_descent_example() -> Example:
    """The notes' quadratic speed model fitted by SGD with three learning rates.

    Returns:
        The snippet in English and Korean.
    """
    from studykit.losses import rmse_loss
    from studykit.optim import SGD, Adam

    gen = torch.Generator().manual_seed(42)
    time = torch.arange(20, dtype=F64)
    speed = torch.randn(20, generator=gen, dtype=F64) * 3 + 0.75 * (time - 9.5) ** 2 + 1
    start = vec(-0.5, 1.0, 1.0)
    rates = (1e-5, 1e-3, 1e-2)
    steps = 20
    shown = (0, 1, 2, 3, 4, 5, 10, 20)

    def fit(
        opt_class: type[SGD] | type[Adam], lr: float, count: int
    ) -> tuple[list[float], torch.Tensor]:
        params = start.clone().requires_grad_()
        opt = opt_class([params], lr=lr)
        losses: list[float] = []
        for step in range(count + 1):
            a, b, c = params
            loss = rmse_loss(a * time**2 + b * time + c, speed)
            losses.append(loss.item())
            if step == count:
                break
            opt.zero_grad()
            (params.grad,) = torch.autograd.grad(loss, [params])  # what loss.backward() fills in
            opt.step()
        return losses, params.detach()

    runs = {lr: fit(SGD, lr, steps) for lr in rates}
    history = {lr: run[0] for lr, run in runs.items()}
    final = {lr: run[1] for lr, run in runs.items()}
    adam_lr, adam_steps = 0.1, 1000
    adam_loss = num(fit(Adam, adam_lr, adam_steps)[0][-1])

    rows = [[str(s)] + [num(history[lr][s]) for lr in rates] for s in shown]

    design = torch.stack([time**2, time, torch.ones_like(time)], dim=1)
    best = torch.linalg.lstsq(design, speed[:, None]).solution[:, 0]
    best_rmse = num(rmse_loss(design @ best, speed))
    slow, good, big = rates
    slow_from, slow_to = num(history[slow][0]), num(history[slow][-1])
    flat = num(history[good][-1])
    low, high = num(min(history[big][1:])), num(max(history[big][1:]))
    largest = num((time**2).max())
    model = (
        "\\(s(t) = 0.75\\,(t - 9.5)^2 + 1 + 3\\varepsilon\\)",
        "\\(\\hat s = a t^2 + b t + c\\)",
    )
    en = join(
        f"Twenty speed measurements {model[0]} "
        f"(noise from a fixed seed) are fitted with {model[1]}, starting "
        f"from \\((a, b, c)\\) = {row(start)} and "
        "minimizing the RMSE (`studykit.losses.rmse_loss`) with `studykit.optim.SGD`:",
        table(["step"] + [f"loss, lr = {num(lr)}" for lr in rates], rows),
        f"- lr = {num(slow)}: every step is tiny; after {steps} steps the loss has only gone "
        f"from {slow_from} to {slow_to}.\n"
        f"- lr = {num(good)}: the loss falls fast and then flattens at {flat}, "
        f"with \\((a, b, c)\\) = {row(final[good])}.\n"
        f"- lr = {num(big)}: the steps overshoot; the loss jumps between "
        f"{low} and {high} instead of settling.",
        f"The flat {flat} is not the best quadratic: least squares gives "
        f"\\((a, b, c)\\) = {row(best)} with RMSE {best_rmse}. The \\(t^2\\) column "
        f"(up to {largest}) dwarfs the \\(t\\) and \\(1\\) columns, so one "
        "learning rate is too large for \\(a\\) before it is useful for \\(b\\) and "
        "\\(c\\). An optimizer that scales each parameter's step separately copes: "
        f"`studykit.optim.Adam` with lr = {num(adam_lr)} from the same start reaches "
        f"{adam_loss} after {adam_steps} steps. Standardizing the features (see "
        "preprocessing) also helps plain SGD.",
    )
    ko = join(
        f"속도 측정값 20개 {model[0]}(노이즈는 고정 시드로 생성)에 모델 {model[1]}를 "
        f"맞춥니다. \\((a, b, c)\\) = {row(start)}에서 시작해 `studykit.optim.SGD`로 "
        "RMSE(`studykit.losses.rmse_loss`)를 최소화합니다.",
        table(["스텝"] + [f"손실, lr = {num(lr)}" for lr in rates], rows),
        f"- lr = {num(slow)}: 스텝이 아주 작습니다. {steps}스텝 뒤에도 손실은 "
        f"{slow_from}에서 {slow_to}까지 줄었을 뿐입니다.\n"
        f"- lr = {num(good)}: 손실이 빠르게 줄다가 {flat}에서 평평해집니다. 이때 "
        f"\\((a, b, c)\\) = {row(final[good])}입니다.\n"
        f"- lr = {num(big)}: 스텝이 너무 커서 최솟값을 지나칩니다. 손실이 자리를 잡지 못하고 "
        f"최저 {low}, 최고 {high} 사이를 오갑니다.",
        f"평평해진 손실 {josa(flat, '은')} 최선의 이차식이 아닙니다. 최소제곱법으로 구하면 "
        f"\\((a, b, c)\\) = {row(best)}, RMSE는 {best_rmse}입니다. \\(t^2\\) 열"
        f"(최댓값 {largest})이 \\(t\\) 열과 \\(1\\) 열보다 훨씬 큽니다. 그래서 학습률 하나를 "
        "\\(b\\)와 \\(c\\)에 쓸모 있을 만큼 키우면 \\(a\\)에는 이미 너무 큽니다. 파라미터마다 "
        "스텝 크기를 따로 조절하는 옵티마이저는 이 문제에 잘 대처합니다. 같은 시작점에서 "
        f"lr = {num(adam_lr)}인 `studykit.optim.Adam`은 {adam_steps}스텝 뒤 손실 "
        f"{adam_loss}에 이릅니다. 특성을 표준화하는 것(데이터 전처리 참고)도 기본 SGD에 "
        "도움이 됩니다.",
    )
    return Example(en, ko)


def optimizers_example() -> Example:
    """Two steps of five optimizers from the same gradients, and Adam's moments in detail.

    Returns:
        The snippet in English and Korean.
    """
    from studykit import optim

    start, grads, lr = 2.0, (4.0, 1.0), 0.1
    makers: list[tuple[str, str, Callable[[list[torch.Tensor]], optim.Optimizer]]] = [
        ("SGD", "SGD", lambda p: optim.SGD(p, lr=lr)),
        ("SGD, momentum 0.9", "SGD, 모멘텀 0.9", lambda p: optim.SGD(p, lr=lr, momentum=0.9)),
        ("Adagrad", "Adagrad", lambda p: optim.Adagrad(p, lr=lr)),
        ("RMSprop (α = 0.99)", "RMSprop(α = 0.99)", lambda p: optim.RMSprop(p, lr=lr)),
        ("Adam (β = 0.9, 0.999)", "Adam(β = 0.9, 0.999)", lambda p: optim.Adam(p, lr=lr)),
    ]
    compare: list[list[str]] = []
    compare_ko: list[list[str]] = []
    adam_rows: list[list[str]] = []
    for name, name_ko, make in makers:
        w = torch.tensor([start], dtype=F64, requires_grad=True)
        opt = make([w])
        after: list[str] = []
        for step, g in enumerate(grads, start=1):
            before = w.item()
            w.grad = torch.tensor([g], dtype=F64)
            opt.step()
            after.append(num(w.item()))
            if name.startswith("Adam"):
                state = opt.state[w]
                beta1, beta2 = opt.param_groups[0]["betas"]
                m, v = state["exp_avg"].item(), state["exp_avg_sq"].item()
                m_hat, v_hat = m / (1 - beta1**step), v / (1 - beta2**step)
                change = num(w.item() - before)
                adam_rows.append(
                    [str(step), num(g), num(m), num(v), num(m_hat), num(v_hat), change]
                )
        compare.append([name, *after])
        compare_ko.append([name_ko, *after])
    setup = (
        f"\\(w = {num(start)}\\)",
        f"\\(\\eta = {num(lr)}\\)",
        f"\\(g_1 = {num(grads[0])}\\), \\(g_2 = {num(grads[1])}\\)",
    )
    corrected = "\\(\\hat m = m / (1-\\beta_1^t)\\), \\(\\hat v = v / (1-\\beta_2^t)\\)"
    moments = ["t", "g", "m", "v", "\\(\\hat m\\)", "\\(\\hat v\\)"]
    en = join(
        f"One weight {setup[0]}, learning rate {setup[1]}, and the same "
        f"two gradients for everyone: {setup[2]} (`studykit.optim`):",
        table(["optimizer", "w after step 1", "w after step 2"], compare),
        f"Adam's bookkeeping (`opt.state[w]` holds \\(m\\) and \\(v\\); {corrected}):",
        table([*moments, "change of w"], adam_rows),
        "Without the bias correction \\(m_1\\) would be a tenth of \\(g_1\\); with it, "
        "\\(\\hat m_1 = g_1\\) and \\(\\hat v_1 = g_1^2\\), so Adam's first step has size "
        "\\(\\eta\\) whatever the gradient's scale. RMSprop has no correction, so its first "
        "step divides by the root of a tiny \\(v\\) and is far larger than \\(\\eta\\).",
    )
    ko = join(
        f"가중치는 하나({setup[0]}), 학습률은 {setup[1]}입니다. 모든 옵티마이저에 같은 기울기 "
        f"두 개({setup[2]})를 차례로 줍니다(`studykit.optim`).",
        table(["옵티마이저", "스텝 1 뒤 w", "스텝 2 뒤 w"], compare_ko),
        f"Adam이 기록하는 값입니다. `opt.state[w]`에 \\(m\\)과 \\(v\\)가 있고, {corrected}입니다.",
        table([*moments, "w의 변화량"], adam_rows),
        "편향 보정이 없으면 \\(m_1\\)은 \\(g_1\\)의 10분의 1에 그칩니다. 보정하면 "
        "\\(\\hat m_1 = g_1\\), \\(\\hat v_1 = g_1^2\\)이므로, 기울기의 스케일과 상관없이 "
        "Adam의 첫 스텝 크기는 \\(\\eta\\)입니다. RMSprop에는 보정이 없습니다. 그래서 첫 "
        "스텝에서 아주 작은 \\(v\\)의 제곱근으로 나누게 되어, 스텝이 \\(\\eta\\)보다 훨씬 "
        "커집니다.",
    )
    return Example(en, ko)
