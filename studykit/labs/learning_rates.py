r"""Learning rates (학습률) too small, right and too large, on one parameter of the speed fit.

The notes say the learning rate must be neither too large nor too small
("학습률이 너무 커도 안되고 너무 작아도 안된다") and try two values on their speed fit, ``1e-5``
and ``1e-3``. This lab makes the three cases visible on a problem small enough to draw: the
notes' speed data (see the ``quadratic-fit`` lab) fitted with a single parameter \(a\),

$$\hat y_i = a\,s_i + 1, \quad s_i = (t_i - 9.5)^2, \qquad
  L(a) = \frac1N \sum_i (\hat y_i - y_i)^2$$

the true mean squared error (평균 제곱 오차, `studykit.losses.mse_loss`), minimized with
`studykit.optim.SGD`. \(L\) is a parabola in \(a\) with curvature (곡률)
\(h = L''(a) = \frac2N\sum_i s_i^2 \approx 3967\), so one step of gradient descent multiplies
the distance to the optimum \(a^*\) by \(1 - \eta h\):

$$a_{k+1} - a^* = (1 - \eta h)\,(a_k - a^*)$$

- \(\eta\) **too small** (the notes' ``1e-5``): \(1 - \eta h \approx 0.96\), each step closes 4% of
  the gap. The loss falls, but slowly; after 20 steps it is still far above the minimum.
- \(\eta\) **about right** (``2e-4``, near \(1/h\)): \(1 - \eta h \approx 0.21\), the gap
  shrinks fivefold per step and the loss reaches the minimum (최적값) in a few steps. Any
  \(\eta < 2/h \approx 5 \times 10^{-4}\) converges; between \(1/h\) and \(2/h\) the parameter
  overshoots and zig-zags around \(a^*\) (진동) while still converging.
- \(\eta\) **too large** (the notes' ``1e-3``): \(1 - \eta h \approx -2.97\). Every step jumps
  over the valley and lands three times further away on the other side: the loss grows about
  ninefold per step (발산, divergence) until it overflows to ``inf``.

**What to watch for.** The same ``1e-3`` that worked in the notes' three-parameter fit diverges
here. Two things differ: the notes' ``mse`` is the RMSE, whose gradient is the MSE's divided by
\(2\,\mathrm{RMSE}\) (large while the loss is large), so its steps stay bounded and never blow
up; and the "right" learning rate is set by the curvature of the loss, that is by the scale of the
data (here \(s_i\) up to 90), not by a universal rule such as "0.1 to 0.001". ``--lr`` replaces
the "about right" value, so you can look for the edge \(2/h\) yourself.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from studykit.labs.base import Lab, LabOptions, LabResult, Progress, Row
from studykit.labs.quadratic import speed_data
from studykit.losses import mse_loss
from studykit.optim import SGD

__all__ = ["LAB", "LEARNING_RATES", "run"]

STEPS = 20
LEARNING_RATES = {"too small": 1e-5, "about right": 2e-4, "too large": 1e-3}
KOREAN = {"too small": "너무 작음", "about right": "적당함", "too large": "너무 큼"}


def _descend(
    feature: torch.Tensor, target: torch.Tensor, start: float, lr: float, steps: int
) -> tuple[list[float], list[float]]:
    r"""SGD on \(a\) from ``start``: the loss before each step and after the last, and \(a\)."""
    a = torch.tensor(start, dtype=feature.dtype, device=feature.device, requires_grad=True)
    optimizer = SGD([a], lr=lr)
    losses: list[float] = []
    path = [a.item()]
    for _ in range(steps):
        loss = mse_loss(a * feature + 1, target)
        optimizer.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        losses.append(loss.item())
        path.append(a.item())
    with torch.no_grad():
        losses.append(mse_loss(a * feature + 1, target).item())
    return losses, path


def diverged(losses: list[float]) -> bool:
    """Whether a run blew up: its last loss is not finite or is above its first."""
    return not math.isfinite(losses[-1]) or losses[-1] > losses[0]


def run(options: LabOptions, progress: Progress) -> LabResult:
    """Descend the same one-parameter loss with three learning rates."""
    time, speed, params0 = speed_data(options.seed, options.device)
    feature = (time - 9.5) ** 2
    start = params0[0].item()
    steps = STEPS if options.epochs is None else options.epochs
    rates = dict(LEARNING_RATES)
    if options.lr is not None:
        rates["about right"] = options.lr
    optimum = (feature * (speed - 1)).sum().item() / (feature * feature).sum().item()
    optimum_loss = mse_loss(optimum * feature + 1, speed).item()
    curvature = 2 * (feature * feature).mean().item()

    advance = progress.task("three learning rates", steps * len(rates))
    curves: dict[str, list[float]] = {}
    paths: dict[str, list[float]] = {}
    facts: dict[str, float] = {
        "optimum_loss": optimum_loss,
        "optimum_a": optimum,
        "curvature": curvature,
    }
    rows: list[Row] = []
    for label, lr in rates.items():
        losses, path = _descend(feature, speed, start, lr, steps)
        advance(steps)
        curves[label] = losses
        paths[label] = path
        key = label.replace(" ", "_")
        facts[f"loss_{key}"] = losses[-1]
        facts[f"initial_loss_{key}"] = losses[0]
        facts[f"diverged_{key}"] = float(diverged(losses))
        blew_up = diverged(losses)
        rows.append(
            Row(
                {
                    "en": f"MSE after {steps} steps, lr {lr:g} ({label})",
                    "ko": f"{steps}스텝 후 MSE, 학습률 {lr:g}({KOREAN[label]})",
                },
                losses[-1] if not math.isfinite(losses[-1]) else round(losses[-1], 4),
                {"en": "diverged", "ko": "발산했습니다"}
                if blew_up
                else {
                    "en": f"{losses[-1] / optimum_loss:.3g} × the minimum",
                    "ko": f"최솟값의 {losses[-1] / optimum_loss:.3g}배입니다",
                },
            )
        )
    rows.append(
        Row(
            {"en": "the minimum MSE (a = a*)", "ko": "MSE의 최솟값(a = a*)"},
            round(optimum_loss, 4),
            {
                "en": f"a* = {optimum:.4g}; stable for lr < 2/h = {2 / curvature:.3g}",
                "ko": f"a* = {optimum:.4g}, 학습률이 2/h = {2 / curvature:.3g}보다 작으면 "
                "수렴합니다",
            },
        )
    )
    feature_cpu, speed_cpu = feature.cpu(), speed.cpu()

    def trajectories(language: str = "en") -> Any:
        from studykit.plots.labels import label
        from studykit.plots.style import COLORS, INK, new_figure, y_label

        figure, (left, right) = new_figure(1, 2, width=9.6, height=3.8, language=language)
        for colour, (name, losses) in zip(COLORS, curves.items(), strict=False):
            finite = [(k, v) for k, v in enumerate(losses) if math.isfinite(v) and v > 0]
            left.plot(
                [k for k, _ in finite],
                [v for _, v in finite],
                color=colour,
                marker="o",
                markersize=3,
                label=label(
                    "lr {lr:g} ({name})", language, lr=rates[name], name=label(name, language)
                ),
            )
        left.axhline(optimum_loss, color=INK, linestyle=":", label=label("minimum", language))
        left.set_yscale("log")
        left.set_xlabel(label("step", language))
        y_label(left, label("MSE (log scale)", language))
        left.set_title(label("loss per step", language))
        left.legend(fontsize="small")

        reach = [abs(a - optimum) for path in paths.values() for a in path[:2]]
        width = max(max(reach), 0.05) * 1.15  # every run's first step is in view
        grid = torch.linspace(optimum - width, optimum + width, 200)
        parabola = ((grid[:, None] * feature_cpu + 1 - speed_cpu) ** 2).mean(dim=1)
        right.plot(grid.tolist(), parabola.tolist(), color=INK, linewidth=1)
        for colour, (name, path) in zip(COLORS, paths.items(), strict=False):
            shown = [a for a in path[:8] if abs(a - optimum) <= width]
            loss_at = [((a * feature_cpu + 1 - speed_cpu) ** 2).mean().item() for a in shown]
            right.plot(
                shown, loss_at, color=colour, marker="o", markersize=4, label=label(name, language)
            )
        right.set_xlim(optimum - width, optimum + width)
        right.set_ylim(0, parabola.max().item() * 1.05)
        right.set_xlabel("a")
        y_label(right, "MSE")
        right.set_title(label("the first steps on L(a)", language))
        right.legend(fontsize="small")
        return figure

    return LabResult(rows=rows, curves=curves, figures={"trajectories": trajectories}, facts=facts)


LAB = Lab(
    name="learning-rates",
    topic="gradient-descent",
    title={
        "en": "Learning rates too small, right and too large",
        "ko": "너무 작은, 적당한, 너무 큰 학습률",
    },
    summary={
        "en": (
            "Gradient descent on one parameter of the speed fit with three learning rates: the "
            "small one crawls, the right one reaches the minimum in a few steps, the large one "
            "jumps over the valley and diverges."
        ),
        "ko": (
            "속도 예측의 파라미터 하나에 세 가지 학습률로 경사 하강법을 적용합니다. 작은 학습률은 "
            "느리게 내려가고, 적당한 학습률은 몇 스텝 만에 최솟값에 닿고, 큰 학습률은 골짜기를 "
            "넘나들다 발산합니다."
        ),
    },
    run=run,
    defaults={"epochs": STEPS, "lr": LEARNING_RATES["about right"]},
)
