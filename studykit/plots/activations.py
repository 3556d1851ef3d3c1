r"""Figures of the activation functions (활성화 함수): their curves and their slopes.

`activations_and_derivatives` draws sigmoid, tanh, ReLU and leaky ReLU side by side with their
derivatives (도함수), the derivatives taken by autograd through studykit's own
`studykit.activations` (each one's hand-written ``backward``), so the right-hand panel is what
back-propagation really multiplies by. What to watch for: the sigmoid's slope never exceeds
\(1/4\) and tanh's never exceeds 1, both fading to 0 away from the origin (saturation, 포화:
the vanishing gradient, 기울기 소실), while ReLU's slope is exactly 1 for every positive input
and leaky ReLU keeps a small slope \(\alpha\) on the negative side.

`sigmoid_curve` draws the sigmoid alone: \(\sigma(0) = 0.5\), the cut of a binary classifier,
and the two asymptotes (점근선) \(0\) and \(1\) that it approaches but never reaches.

Both take ``language`` (``"en"`` or ``"ko"``) for their words: in Korean the panels are titled
활성화 함수 f(x) and 자동 미분으로 구한 도함수 f′(x), and the curves 시그모이드, tanh, ReLU
and 리키 ReLU(α = 0.1); the formulas stay as they are. A common mistake is to read the right
panel's curves as the functions themselves: they are the slopes back-propagation multiplies by.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from studykit.activations import leaky_relu, relu, sigmoid, tanh
from studykit.plots.labels import label
from studykit.plots.style import COLORS, INK, new_figure

__all__ = ["LEAKY_SLOPE", "activations_and_derivatives", "sigmoid_curve"]

LEAKY_SLOPE = 0.1
"""The leaky ReLU's negative slope in the figure (larger than the usual 0.01, to be seen)."""

_DASHES = ("-", "--", "-.", ":")  # told apart without colour, too


def _curves(language: str) -> list[tuple[str, Callable[[torch.Tensor], torch.Tensor]]]:
    return [
        (label("sigmoid", language), sigmoid),
        ("tanh", tanh),
        ("ReLU", relu),
        (
            label("leaky ReLU (α = {slope:g})", language, slope=LEAKY_SLOPE),
            lambda x: leaky_relu(x, LEAKY_SLOPE),
        ),
    ]


def _value_and_slope(
    function: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """``function(x)`` and its derivative at every point, by autograd."""
    inputs = x.detach().clone().requires_grad_(True)
    values = function(inputs)
    (slope,) = torch.autograd.grad(values.sum(), inputs)
    return values.detach(), slope


def activations_and_derivatives(points: int = 400, limit: float = 4.0, language: str = "en") -> Any:
    r"""Sigmoid, tanh, ReLU and leaky ReLU (left) and their derivatives by autograd (right).

    Args:
        points: Sample points on \([-limit, limit]\) (an even number leaves out \(x = 0\),
            where ReLU has no derivative).
        limit: The half-width of the x range.
        language: The language of the words (``"en"`` or ``"ko"``).
    """
    x = torch.linspace(-limit, limit, points, dtype=torch.float64)
    figure, (left, right) = new_figure(1, 2, width=8.0, height=3.6, language=language)
    for index, (name, function) in enumerate(_curves(language)):
        values, slope = _value_and_slope(function, x)
        style = {"color": COLORS[index], "linestyle": _DASHES[index], "linewidth": 2.0}
        left.plot(x.numpy(), values.numpy(), label=name, **style)
        right.plot(x.numpy(), slope.numpy(), label=name, **style)
    left.set_title(label("activation f(x)", language))
    right.set_title(label("derivative f′(x) (autograd)", language))
    for axes in (left, right):
        axes.set_xlabel("x")
        axes.axhline(0.0, color=INK, linewidth=0.8)
        axes.axvline(0.0, color=INK, linewidth=0.8)
    left.set_ylim(-1.5, 2.5)
    right.set_ylim(-0.1, 1.15)
    right.axhline(0.25, color=COLORS[0], linewidth=0.8, linestyle=":")
    right.annotate("1/4", (-limit, 0.25), xytext=(2, 3), textcoords="offset points")
    left.legend(loc="upper left")
    return figure


def sigmoid_curve(points: int = 401, limit: float = 6.0, language: str = "en") -> Any:
    r"""The sigmoid \(\sigma(x) = 1/(1+e^{-x})\) with \(\sigma(0) = 0.5\) and its asymptotes.

    Args:
        points: Sample points on \([-limit, limit]\).
        limit: The half-width of the x range.
        language: The language of the words (``"en"`` or ``"ko"``).
    """
    x = torch.linspace(-limit, limit, points, dtype=torch.float64)
    values = sigmoid(x)
    figure, axes = new_figure(1, 1, width=6.4, height=3.4, language=language)
    for level in (0.0, 1.0):
        axes.axhline(level, color=INK, linewidth=1.0, linestyle="--")
    axes.axhline(0.5, color=COLORS[1], linewidth=1.0, linestyle=":")
    axes.axvline(0.0, color=INK, linewidth=0.8)
    axes.plot(x.numpy(), values.numpy(), color=COLORS[0], linewidth=2.2, label="σ(x)")
    axes.plot([0.0], [0.5], marker="o", color=COLORS[1], markersize=7)
    axes.annotate("σ(0) = 0.5", (0.0, 0.5), xytext=(10, -14), textcoords="offset points")
    axes.annotate(label("→ 1 as x → ∞", language), (limit, 1.0), xytext=(-4, -14),
                  textcoords="offset points", horizontalalignment="right")  # fmt: skip
    axes.annotate(label("→ 0 as x → −∞", language), (-limit, 0.0), xytext=(4, 6),
                  textcoords="offset points")  # fmt: skip
    axes.set_xlim(-limit, limit)
    axes.set_ylim(-0.1, 1.1)
    axes.set_xlabel("x")
    axes.set_title(label("sigmoid σ(x) = 1 / (1 + e^(−x))", language))
    return figure
