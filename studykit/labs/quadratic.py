r"""The notes' speed fit (속도 예측): a quadratic trained by gradient descent, against its optimum.

The notes measure a speed every second for 20 seconds and fit a quadratic
\(f(t) = a t^2 + b t + c\) to it with plain gradient descent (경사 하강법). This lab repeats
their recipe step for step, with studykit's pieces:

1. the data: ``time = torch.arange(0, 20)`` and
   ``speed = torch.randn(20) * 3 + 0.75 * (time - 9.5) ** 2 + 1`` (noise with standard
   deviation 3 around a parabola), from a seeded generator;
2. ``params = torch.randn(3).requires_grad_()`` (drawn after the noise, as in the notes);
3. the notes' loss ``mse``, which is really the root mean squared error (평균 제곱근 오차,
   RMSE), ``((preds - targets) ** 2).mean().sqrt()``: here `studykit.losses.rmse_loss`;
4. ``apply_step``: predictions, loss, ``backward()``, ``params -= lr * params.grad``, clear the
   gradient. The notes take 21 steps with ``lr = 1e-5`` (one by hand, then ten, then ten more),
   then one by hand and ten more with ``lr = 1e-3``; the loss falls and levels off near 25.7.

Then it asks the question the notes do not: how good could a quadratic get? The model is linear
in its parameters, so the best \((a, b, c)\) is the least-squares solution (최소제곱해) of
\(X\theta \approx y\) with the columns \(X = [t^2, t, 1]\), from the normal equations
(정규 방정식) \(X^\top X \theta = X^\top y\) (``torch.linalg.lstsq``, in float64). Minimizing the
RMSE and the MSE is the same problem (the square root is increasing), so this is also the RMSE's
minimum, about 2.5 for noise of standard deviation 3 (a little under 3, since three parameters
were fitted to 20 points).

**What to watch for.** The notes' loss levels off near 25.7 (here 24 to 26, depending on the
seed), ten times the optimum's, and it is *not* because the optimum was reached. The three
parameters see very different scales: the \(t^2\) column reaches \(19^2 = 361\), the constant
column is 1. The loss is a long, narrow valley (the problem is ill-conditioned, 조건수가 큼):
steep along \(a\), nearly flat along \(c\). A learning rate small enough not to overshoot
along \(a\) (``1e-5`` barely moves anything, ``1e-3`` fits \(a\) in a few steps) is far too small
to move \(b\) and \(c\), which stay near their random start while the true \(c\) is about 65. So
the loss levels off: a quick drop while \(a\) is fitted, then a crawl along the valley floor.
The lab also runs 2,000 more steps at the final learning rate to show that the crawl does not
reach the optimum in any reasonable time. Rescaling the input (표준화, e.g. \(t\) to mean 0 and
standard deviation 1) or an adaptive optimizer (Adam) fixes this; a larger learning rate does not:
it diverges along \(a\) first (see the ``learning-rates`` lab).
"""

from __future__ import annotations

from typing import Any

import torch

from studykit.labs.base import Lab, LabOptions, LabResult, Progress, Row
from studykit.losses import rmse_loss

__all__ = ["LAB", "fit_quadratic", "least_squares", "run", "speed_data"]

POINTS = 20
NOTES_STEPS = ((1e-5, 21),)  # the notes' first phase: 1 + 10 + 10 steps at 1e-5
SECOND_LR = 1e-3  # then 1 + 10 steps at 1e-3
SECOND_STEPS = 11
LONGER_STEPS = 2000  # how far the crawl gets if we keep going
SNAPSHOTS = (0, 21, 22, 24)  # step counts drawn in the figure (plus the last)


def speed_data(seed: int, device: str | torch.device = "cpu") -> tuple[torch.Tensor, ...]:
    """The notes' data and starting parameters: ``(time, speed, params0)``, float32.

    ``speed = randn(20) * 3 + 0.75 * (time - 9.5) ** 2 + 1`` and then ``params0 = randn(3)``, both
    from one generator seeded with ``seed`` (the notes draw both from the global one, in that
    order). Drawn on the CPU and moved to ``device``, so every device sees the same numbers.
    """
    generator = torch.Generator().manual_seed(seed)
    time = torch.arange(0, POINTS).float()
    speed = torch.randn(POINTS, generator=generator) * 3 + 0.75 * (time - 9.5) ** 2 + 1
    params0 = torch.randn(3, generator=generator)
    return time.to(device), speed.to(device), params0.to(device)


def quadratic(time: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    r"""The notes' ``f(t, params)``: \(a t^2 + b t + c\)."""
    a, b, c = params
    result: torch.Tensor = a * (time**2) + (b * time) + c
    return result


def least_squares(time: torch.Tensor, speed: torch.Tensor) -> torch.Tensor:
    """The best ``(a, b, c)`` for the squared error, by ``torch.linalg.lstsq`` in float64."""
    design = torch.stack([time**2, time, torch.ones_like(time)], dim=1).double()
    solution = torch.linalg.lstsq(design.cpu(), speed.double().cpu().unsqueeze(1)).solution
    best: torch.Tensor = solution.squeeze(1).to(device=speed.device, dtype=speed.dtype)
    return best


def fit_quadratic(
    time: torch.Tensor,
    speed: torch.Tensor,
    params0: torch.Tensor,
    schedule: list[tuple[float, int]],
    progress: Any = None,
) -> tuple[list[float], list[torch.Tensor]]:
    """Run the notes' ``apply_step`` for each ``(lr, steps)`` of ``schedule``.

    Returns the loss before each step (as the notes print it) and the parameters before each
    step plus the final ones (``len(losses) + 1`` tensors).
    """
    params = params0.detach().clone().requires_grad_()
    losses: list[float] = []
    history = [params.detach().clone()]
    for lr, steps in schedule:
        for _ in range(steps):
            loss = rmse_loss(quadratic(time, params), speed)
            loss.backward()  # type: ignore[no-untyped-call]
            assert params.grad is not None
            with torch.no_grad():
                params -= lr * params.grad
            params.grad = None
            losses.append(loss.item())
            history.append(params.detach().clone())
            if progress is not None:
                progress(1)
    return losses, history


def run(options: LabOptions, progress: Progress) -> LabResult:
    """Fit the notes' quadratic with their recipe, then with least squares, and compare."""
    time, speed, params0 = speed_data(options.seed, options.device)
    lr = SECOND_LR if options.lr is None else options.lr
    steps = SECOND_STEPS if options.epochs is None else options.epochs
    schedule = [*NOTES_STEPS, (lr, steps)]
    total = sum(n for _, n in schedule)
    losses, history = fit_quadratic(
        time, speed, params0, schedule, progress.task("the notes' recipe", total)
    )
    final = history[-1]
    final_loss = rmse_loss(quadratic(time, final), speed).item()
    longer, longer_history = fit_quadratic(
        time, speed, final, [(lr, LONGER_STEPS)], progress.task("2,000 more steps", LONGER_STEPS)
    )
    longer_loss = rmse_loss(quadratic(time, longer_history[-1]), speed).item()
    optimum = least_squares(time, speed)
    optimum_loss = rmse_loss(quadratic(time, optimum), speed).item()

    def params_text(p: torch.Tensor) -> str:
        a, b, c = p.tolist()
        return f"a={a:.4g}, b={b:.4g}, c={c:.4g}"

    rows = [
        Row(
            {"en": f"RMSE after the notes' {total} steps", "ko": f"노트의 {total}스텝 후 RMSE"},
            round(final_loss, 4),
            {
                "en": f"{NOTES_STEPS[0][1]} steps at lr 1e-5, then {steps} at lr {lr:g}",
                "ko": f"학습률 1e-5로 {NOTES_STEPS[0][1]}스텝, 이어서 {lr:g}로 {steps}스텝",
            },
        ),
        Row(
            {
                "en": f"RMSE after {LONGER_STEPS} more steps",
                "ko": f"{LONGER_STEPS}스텝 더 간 후 RMSE",
            },
            round(longer_loss, 4),
            {
                "en": "still far from the optimum: b and c crawl",
                "ko": "여전히 최적값과 멉니다. b와 c가 아주 느리게 움직입니다",
            },
        ),
        Row(
            {"en": "RMSE of the least-squares optimum", "ko": "최소제곱 최적값의 RMSE"},
            round(optimum_loss, 4),
            {"en": "the best any quadratic can do", "ko": "2차 함수로 얻을 수 있는 최솟값입니다"},
        ),
        Row(
            {"en": "parameters by gradient descent", "ko": "경사 하강법으로 얻은 파라미터"},
            params_text(final),
        ),
        Row(
            {"en": "parameters by least squares", "ko": "최소제곱법으로 얻은 파라미터"},
            params_text(optimum),
            {
                "en": "the data were made with a=0.75, b=-14.25, c=68.69",
                "ko": "데이터는 a=0.75, b=-14.25, c=68.69로 만들었습니다",
            },
        ),
    ]
    curves = {"loss": [*losses, final_loss], "loss-longer": [*longer, longer_loss]}
    facts = {
        "final_loss": final_loss,
        "longer_loss": longer_loss,
        "optimum_loss": optimum_loss,
        "initial_loss": losses[0],
    }
    for name, value in zip("abc", final.tolist(), strict=True):
        facts[f"{name}_gd"] = value
    for name, value in zip("abc", optimum.tolist(), strict=True):
        facts[f"{name}_opt"] = value

    snapshots = sorted({s for s in SNAPSHOTS if s < len(history)} | {len(history) - 1})
    drawn = {s: history[s].cpu() for s in snapshots}
    data = (time.cpu().tolist(), speed.cpu().tolist())
    best = optimum.cpu()

    def fit_over_steps(language: str = "en") -> Any:
        from studykit.plots.labels import label
        from studykit.plots.style import COLORS, INK, new_figure, y_label

        figure, ax = new_figure(language=language)
        grid = torch.linspace(0, POINTS - 1, 200)
        ax.scatter(*data, color=INK, s=14, label=label("speed (data)", language), zorder=3)
        for colour, (step, p) in zip(COLORS[1:], drawn.items(), strict=False):
            at_step = label("step {step}", language, step=step)
            ax.plot(grid.tolist(), quadratic(grid, p).tolist(), color=colour, label=at_step)
        ax.plot(
            grid.tolist(),
            quadratic(grid, best).tolist(),
            color=COLORS[0],
            linestyle="--",
            linewidth=2,
            label=label("least-squares optimum", language),
        )
        ax.set_xlabel(label("time t", language))
        y_label(ax, label("speed", language))
        ax.set_title(label("a·t² + b·t + c by gradient descent, over the steps", language))
        lowest = min(min(quadratic(grid, p).tolist()) for p in drawn.values())
        ax.set_ylim(max(-300.0, min(lowest, min(data[1]))) - 10, max(data[1]) + 15)
        ax.legend(fontsize="small", ncols=2)
        return figure

    return LabResult(
        rows=rows, curves=curves, figures={"fit-over-steps": fit_over_steps}, facts=facts
    )


LAB = Lab(
    name="quadratic-fit",
    topic="gradient-descent",
    title={
        "en": "The speed fit: the notes' recipe against the optimum",
        "ko": "속도 예측: 노트의 방법과 최적값 비교",
    },
    summary={
        "en": (
            "Fits a·t²+b·t+c to the notes' speed data with their gradient-descent recipe and "
            "compares it with the least-squares optimum: the loss levels off near 25 because "
            "the problem is ill-conditioned, not because it found the best quadratic."
        ),
        "ko": (
            "노트의 속도 데이터에 a·t²+b·t+c를 노트의 경사 하강법 그대로 맞추고 최소제곱 "
            "최적값과 비교합니다. 손실이 25 근처에서 멈추는 것은 최적값에 도달해서가 아니라 "
            "문제의 조건이 나빠서입니다."
        ),
    },
    run=run,
    defaults={"epochs": SECOND_STEPS, "lr": SECOND_LR},
)
