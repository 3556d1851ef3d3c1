"""Benchmark cases for ``studykit.models`` and ``studykit.rnn``: a linear layer and two cells.

``linear`` on ``(int(4096 * scale) + 1, 256) -> 256`` has a target of 2x ``F.linear``. The cells
(``rnn_cell`` with tanh and relu, ``lstm_cell``) run one step on a batch of
``int(1024 * scale) + 1``, 256 -> 256, against ``nn.RNNCell`` / ``nn.LSTMCell`` holding the same
weights; they are reported only.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from benchmarks.common import Case
from studykit import models, rnn

GROUP = "models"
FEATURES = 256


def _copy_weights(cell: torch.nn.Module, weights: list[torch.Tensor]) -> None:
    """Load (w_ih, w_hh, b_ih, b_hh) into a torch cell, so both sides use the same numbers."""
    with torch.no_grad():
        for name, value in zip(
            ["weight_ih", "weight_hh", "bias_ih", "bias_hh"], weights, strict=True
        ):
            getattr(cell, name).copy_(value)


def cases(device: torch.device, scale: float) -> list[Case]:
    gen = torch.Generator().manual_seed(0)

    def randn(*shape: int, std: float = 1.0) -> torch.Tensor:
        return (torch.randn(*shape, generator=gen) * std).to(device)

    n = int(4096 * scale) + 1
    batch = int(1024 * scale) + 1
    std = FEATURES**-0.5
    x, w, b = randn(n, FEATURES), randn(FEATURES, FEATURES, std=std), randn(FEATURES, std=std)

    inputs, h, c = randn(batch, FEATURES), randn(batch, FEATURES), randn(batch, FEATURES)
    rnn_weights = [
        randn(FEATURES, FEATURES, std=std),
        randn(FEATURES, FEATURES, std=std),
        randn(FEATURES, std=std),
        randn(FEATURES, std=std),
    ]
    lstm_weights = [
        randn(4 * FEATURES, FEATURES, std=std),
        randn(4 * FEATURES, FEATURES, std=std),
        randn(4 * FEATURES, std=std),
        randn(4 * FEATURES, std=std),
    ]
    tanh_cell = torch.nn.RNNCell(FEATURES, FEATURES).to(device)
    relu_cell = torch.nn.RNNCell(FEATURES, FEATURES, nonlinearity="relu").to(device)
    lstm = torch.nn.LSTMCell(FEATURES, FEATURES).to(device)
    _copy_weights(tanh_cell, rnn_weights)
    _copy_weights(relu_cell, rnn_weights)
    _copy_weights(lstm, lstm_weights)

    def lstm_h(out: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        return out[0]  # the benchmark test compares tensors; h' depends on every gate and on c'

    return [
        Case(
            GROUP,
            f"linear ({n}, {FEATURES}) -> {FEATURES}",
            lambda: models.linear(x, w, b),
            lambda: F.linear(x, w, b),
            2.0,
        ),
        Case(
            GROUP,
            f"rnn_cell tanh ({batch}, {FEATURES}) -> {FEATURES}",
            lambda: rnn.rnn_cell(inputs, h, *rnn_weights),
            lambda: tanh_cell(inputs, h),
            None,
        ),
        Case(
            GROUP,
            f"rnn_cell relu ({batch}, {FEATURES}) -> {FEATURES}",
            lambda: rnn.rnn_cell(inputs, h, *rnn_weights, nonlinearity="relu"),
            lambda: relu_cell(inputs, h),
            None,
        ),
        Case(
            GROUP,
            f"lstm_cell ({batch}, {FEATURES}) -> {FEATURES}",
            lambda: lstm_h(rnn.lstm_cell(inputs, (h, c), *lstm_weights)),
            lambda: lstm_h(lstm(inputs, (h, c))),
            None,
        ),
    ]
