"""The sequences topic's worked example: a plain RNN, one LSTM step, and word embeddings."""

from __future__ import annotations

import torch

from studykit.questions.korean import josa
from studykit.site.examples._format import F64, Example, join, num, row, table, vec


def sequences_example() -> Example:
    """A plain RNN over three steps, and one LSTM cell step with its gates spelled out.

    Returns:
        The snippet in English and Korean.
    """
    from studykit.activations import sigmoid, tanh
    from studykit.rnn import lstm_cell, rnn_cell

    sequence = vec(1.0, 0.5, -1.0)
    w_ih = torch.tensor([[0.5], [-1.0]], dtype=F64)
    w_hh = torch.tensor([[0.8, 0.0], [0.3, 0.5]], dtype=F64)
    h: torch.Tensor | None = None
    rnn_rows = []
    for t, value in enumerate(sequence.tolist(), start=1):
        h = rnn_cell(vec(value), h, w_ih, w_hh)
        rnn_rows.append([str(t), num(value), row(h)])

    # One hidden unit: the stacked weights are the gate blocks in torch's order i, f, g, o.
    lw_ih = torch.tensor([[1.0], [0.5], [2.0], [1.0]], dtype=F64)
    lw_hh = torch.tensor([[0.5], [0.5], [1.0], [0.5]], dtype=F64)
    lb_ih = vec(0.0, 1.0, 0.0, 0.0)  # forget-gate bias 1: remember by default
    state = (vec(0.0), vec(0.0))
    lstm_rows = []
    for t, value in enumerate((1.0, -1.0), start=1):
        inp = vec(value)
        pre = inp @ lw_ih.T + lb_ih + state[0] @ lw_hh.T
        i, f, o = sigmoid(pre[0:1]), sigmoid(pre[1:2]), sigmoid(pre[3:4])
        g = tanh(pre[2:3])
        c_new = f * state[1] + i * g
        h_new = o * tanh(c_new)
        state = lstm_cell(inp, state, lw_ih, lw_hh, lb_ih)
        if not (torch.allclose(state[1], c_new) and torch.allclose(state[0], h_new)):
            raise RuntimeError("the hand-computed LSTM gates disagree with studykit.rnn.lstm_cell")
        lstm_rows.append(
            [str(t), num(value)] + [num(float(v)) for v in (i, f, g, o, state[1], state[0])]
        )

    words = ["king", "queen", "apple"]
    vectors = torch.tensor([[0.9, 0.8, 0.1], [0.85, 0.9, 0.15], [0.1, 0.2, 0.95]], dtype=F64)
    unit = vectors / vectors.norm(dim=1, keepdim=True)
    cosine = unit @ unit.T
    similarities = [[num(float(v)) for v in cosine[k]] for k in range(len(words))]
    rnn_formula = "\\(h_t = \\tanh(W_{ih} x_t + W_{hh} h_{t-1})\\), \\(h_0 = 0\\)"
    steps = ["t", "\\(x_t\\)"]
    gates = ("\\(f \\odot c\\)", "\\(i \\odot g\\)")
    en = join(
        "**A plain RNN (순환 신경망)** with one input and two hidden units "
        f"(`studykit.rnn.rnn_cell`, {rnn_formula}) reads the sequence "
        f"{row(sequence)}; the same weights are used at every step:",
        table([*steps, "\\(h_t\\)"], rnn_rows),
        "**One LSTM cell**, one hidden unit, forget-gate bias 1 (`lstm_cell`; the gates are "
        "recomputed by hand and checked against it):",
        table(
            [*steps, "input i", "forget f", "candidate g", "output o", "cell c", "h"],
            lstm_rows,
        ),
        f"The cell state is changed only by forgetting ({gates[0]}) and adding "
        f"({gates[1]}), and \\(h\\) is what the cell shows.",
        "**Word embeddings (워드 임베딩)**: made-up 3-d vectors for "
        f"{', '.join(words)}; cosine similarities:",
        table(
            ["", *words],
            [[word, *cells] for word, cells in zip(words, similarities, strict=True)],
        ),
    )
    quoted = [f"`{word}`" for word in words]
    ko = join(
        "**순환 신경망(RNN)**: 입력 하나, 은닉 유닛 두 개"
        f"(`studykit.rnn.rnn_cell`, {rnn_formula})로 시퀀스 {josa(row(sequence), '을')} "
        "읽습니다. 시점마다 같은 가중치를 씁니다.",
        table([*steps, "\\(h_t\\)"], rnn_rows),
        "**LSTM 셀 하나**: 은닉 유닛 하나, 망각 게이트 편향 1입니다(`lstm_cell`; 게이트 값을 "
        "손으로 다시 계산해 `lstm_cell`의 결과와 맞춰 봅니다).",
        table(
            [*steps, "입력 게이트 i", "망각 게이트 f", "후보 값 g", "출력 게이트 o", "셀 c", "h"],
            lstm_rows,
        ),
        f"셀 상태는 잊기({gates[0]})와 더하기({gates[1]})로만 바뀝니다. \\(h\\)는 셀이 밖으로 "
        "내보이는 값입니다.",
        "**워드 임베딩(word embedding)**: "
        f"{', '.join(quoted)}에 임의로 정한 3차원 벡터를 주고 코사인 유사도를 구합니다.",
        table(
            ["", *quoted],
            [[word, *cells] for word, cells in zip(quoted, similarities, strict=True)],
        ),
    )
    return Example(en, ko)
