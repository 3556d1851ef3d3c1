r"""Recurrent neural networks (순환 신경망, RNN): one cell, applied again at every time step.

**Sequences (시퀀스).** Text, speech and time series (시계열 데이터) are sequences
\(x_1, x_2, \dots, x_T\) whose order carries meaning. A feed-forward network sees a fixed-size
input at once; a recurrent network reads one step at a time and carries a **hidden state**
(은닉 상태) \(h_t\), a vector that summarizes everything read so far:

$$h_t = \tanh(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}), \qquad h_0 = 0 .$$

The same weights are used at every step, so a sequence of any length needs the same few
parameters; the output at step \(t\) is reused as an input at step \(t + 1\). ``rnn_cell``
computes one step; a loop over \(t\) is exactly ``nn.RNN`` with one layer.

**Vanishing gradients over time (기울기 소실).** Training unrolls the loop and back-propagates
through every step (backpropagation through time). The gradient that reaches step \(t\) from step
\(T\) is a product of \(T - t\) Jacobians,

$$\frac{\partial h_T}{\partial h_t} = \prod_{k=t+1}^{T} \operatorname{diag}(1 - h_k^2)\, W_{hh} ,$$

and each factor usually shrinks it (\(\tanh' \le 1\)), so after a few dozen steps almost nothing
is left (or, when \(W_{hh}\) is large, it explodes, 기울기 폭주): a plain RNN struggles to learn
that a word at the start of a long sentence matters at its end.

**LSTM (Long Short-Term Memory, 장단기 메모리).** The LSTM adds a **cell state** (셀 상태)
\(c_t\), updated by addition rather than by a squashing matrix product, and three gates
(게이트), each a sigmoid in \((0, 1)\) computed from \(x_t\) and \(h_{t-1}\):

- the **forget gate** (망각 게이트) \(f_t\) decides how much of the old cell state to keep;
- the **input gate** (입력 게이트) \(i_t\) decides how much of the new candidate \(g_t\) to write;
- the **output gate** (출력 게이트) \(o_t\) decides how much of the cell to show as \(h_t\).

$$c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t)$$

Along the cell state the gradient is multiplied only by \(f_t\): while the forget gate stays near
1 it flows back many steps almost unchanged, which is how the LSTM eases the vanishing gradient.
``lstm_cell`` computes one step, with the four gate blocks stacked in torch's order i, f, g, o.

**Word embeddings (워드 임베딩).** A recurrent network needs vectors, not words. An embedding
turns each word (token) id into a learned vector: row \(k\) of a table \(E \in
\mathbb{R}^{V \times d}\) for word \(k\) of a vocabulary of \(V\) words, which is the same as a
one-hot vector times \(E\) (``nn.Embedding``). Trained embeddings place words used in similar
contexts near each other (Word2Vec, GloVe); the sequence of embeddings is what the cell reads.

Common mistakes:
    - Gate order: torch stacks the LSTM weights as i, f, g, o (four blocks of ``hidden_size``
      rows); other libraries differ (ONNX uses i, o, f, c), so copied weights need reordering.
    - Forgetting to carry \((h, c)\) from one step to the next, or carrying it into an unrelated
      sequence instead of starting again from zeros.
    - Sequence-first versus batch-first: ``nn.RNN``/``nn.LSTM`` take ``(L, N, H_in)`` unless
      ``batch_first=True``.
    - Expecting the two biases to matter separately: only \(b_{ih} + b_{hh}\) enters the formula
      (torch keeps both for compatibility with cuDNN).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from studykit._checks import check_floating
from studykit.activations import relu, sigmoid, tanh
from studykit.models import linear

__all__ = ["lstm_cell", "rnn_cell"]

NONLINEARITIES: tuple[str, ...] = ("tanh", "relu")


def _check_cell(
    input: torch.Tensor,
    w_ih: torch.Tensor,
    w_hh: torch.Tensor,
    b_ih: torch.Tensor | None,
    b_hh: torch.Tensor | None,
    gates: int,
) -> int:
    """Check a cell's input, weights and biases; return ``hidden_size``.

    ``gates`` blocks of ``hidden_size`` rows are stacked in each weight: 1 for an RNN, 4 for an
    LSTM.
    """
    x = check_floating("input", input)
    if x.ndim not in (1, 2):
        raise ValueError(
            f"input must be (N, input_size) or unbatched (input_size,), got shape {tuple(x.shape)}"
        )
    named = [("w_ih", w_ih), ("w_hh", w_hh), ("b_ih", b_ih), ("b_hh", b_hh)]
    for name, t in named:
        if t is not None:
            check_floating(name, t)
            if t.dtype != x.dtype:
                raise TypeError(f"{name} dtype {t.dtype} must match input dtype {x.dtype}")
    if w_hh.ndim != 2 or w_hh.shape[0] != gates * w_hh.shape[1]:
        raise ValueError(
            f"w_hh must have shape ({gates} * hidden_size, hidden_size), got {tuple(w_hh.shape)}"
        )
    hidden = w_hh.shape[1]
    rows = gates * hidden
    if w_ih.shape != (rows, x.shape[-1]):
        raise ValueError(
            f"w_ih must have shape ({rows}, input_size) = ({rows}, {x.shape[-1]}) for input of "
            f"shape {tuple(x.shape)} and hidden_size {hidden}, got {tuple(w_ih.shape)}"
        )
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None and b.shape != (rows,):
            raise ValueError(f"{name} must have shape ({rows},), got {tuple(b.shape)}")
    return hidden


def _state(name: str, value: torch.Tensor | None, input: torch.Tensor, hidden: int) -> torch.Tensor:
    """A hidden (or cell) state for ``input``: zeros when ``value`` is None, else checked."""
    shape = (*input.shape[:-1], hidden)
    if value is None:
        return input.new_zeros(shape)
    state = check_floating(name, value)
    if state.dtype != input.dtype:
        raise TypeError(f"{name} dtype {state.dtype} must match input dtype {input.dtype}")
    if state.shape != shape:
        raise ValueError(
            f"{name} must have shape {shape} for input of shape {tuple(input.shape)}, "
            f"got {tuple(state.shape)}"
        )
    return state


def rnn_cell(
    input: torch.Tensor,
    hx: torch.Tensor | None,
    w_ih: torch.Tensor,
    w_hh: torch.Tensor,
    b_ih: torch.Tensor | None = None,
    b_hh: torch.Tensor | None = None,
    nonlinearity: str = "tanh",
) -> torch.Tensor:
    r"""One step of a plain recurrent cell (순환 셀, Elman RNN): mix the input and the last state.

    $$h' = \phi\bigl(x W_{ih}^\top + b_{ih} + h W_{hh}^\top + b_{hh}\bigr), \qquad
      \phi = \tanh \text{ or } \operatorname{relu}$$

    Two linear layers, one reading the input \(x\) and one reading the previous hidden state
    \(h\) (은닉 상태), added and squashed. Calling it in a loop, feeding each \(h'\) back in as the
    next \(h\), runs the RNN over a sequence.

    Args:
        input: \(x\), ``(N, input_size)`` or unbatched ``(input_size,)``.
        hx: \(h\), ``(N, hidden_size)`` (or ``(hidden_size,)``), or ``None`` for zeros.
        w_ih: ``(hidden_size, input_size)``.
        w_hh: ``(hidden_size, hidden_size)``.
        b_ih: Optional ``(hidden_size,)``.
        b_hh: Optional ``(hidden_size,)``.
        nonlinearity: ``'tanh'`` (the default) or ``'relu'``.

    Returns:
        The next hidden state \(h'\), shaped like ``hx``.

    Raises:
        TypeError: If an argument is not a floating-point tensor or the dtypes differ.
        ValueError: If a shape is wrong or ``nonlinearity`` is unknown.

    Examples:
        >>> w_ih, w_hh = torch.tensor([[1.0], [-1.0]]), torch.tensor([[0.5, 0.0], [0.0, 0.5]])
        >>> h = rnn_cell(torch.tensor([1.0]), None, w_ih, w_hh)
        >>> h
        tensor([ 0.7616, -0.7616])
        >>> rnn_cell(torch.tensor([1.0]), h, w_ih, w_hh)
        tensor([ 0.8811, -0.8811])

    Torch counterpart:
        ``torch.nn.RNNCell`` (weights ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``),
        one time step of a one-layer ``torch.nn.RNN``.

    Common mistakes:
        - Transposed weights: ``w_ih`` is (hidden, input), as in ``nn.Linear``, not (input,
          hidden).
        - Using ``'relu'`` without care: nothing bounds \(h\), so with \(\lVert W_{hh}\rVert > 1\)
          the state (and the gradient) can grow without limit over a long sequence.
    """
    hidden = _check_cell(input, w_ih, w_hh, b_ih, b_hh, gates=1)
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(f"nonlinearity must be one of {NONLINEARITIES}, got {nonlinearity!r}")
    h = _state("hx", hx, input, hidden)
    pre_activation = linear(input, w_ih, b_ih) + linear(h, w_hh, b_hh)
    return tanh(pre_activation) if nonlinearity == "tanh" else relu(pre_activation)


def lstm_cell(
    input: torch.Tensor,
    hx: Sequence[torch.Tensor] | None,
    w_ih: torch.Tensor,
    w_hh: torch.Tensor,
    b_ih: torch.Tensor | None = None,
    b_hh: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""One step of an LSTM cell (장단기 메모리 셀): gates decide what to forget, write and show.

    $$\begin{aligned}
      i &= \sigma(x W_{ii}^\top + b_{ii} + h W_{hi}^\top + b_{hi}) && \text{입력 게이트} \\
      f &= \sigma(x W_{if}^\top + b_{if} + h W_{hf}^\top + b_{hf}) && \text{망각 게이트} \\
      g &= \tanh(x W_{ig}^\top + b_{ig} + h W_{hg}^\top + b_{hg}) && \text{후보 값} \\
      o &= \sigma(x W_{io}^\top + b_{io} + h W_{ho}^\top + b_{ho}) && \text{출력 게이트} \\
      c' &= f \odot c + i \odot g, \qquad h' = o \odot \tanh(c')
    \end{aligned}$$

    \(i\), \(f\) and \(o\) are the input, forget and output gates (입력, 망각, 출력 게이트),
    \(g\) the candidate values (후보 값) to write. All four pre-activations come from one
    product with each stacked weight: \(x W_{ih}^\top + b_{ih} + h W_{hh}^\top + b_{hh}\) has
    \(4H\) columns, split into blocks of \(H\) in torch's order i, f, g, o. The cell state
    \(c\) (셀 상태) is the long-term memory, changed only by forgetting and adding; \(h\) is
    what the cell shows the next layer.

    Args:
        input: \(x\), ``(N, input_size)`` or unbatched ``(input_size,)``.
        hx: The pair \((h, c)\), each ``(N, hidden_size)`` (or ``(hidden_size,)``), or ``None``
            for zeros.
        w_ih: ``(4 * hidden_size, input_size)``, the blocks \(W_{ii}, W_{if}, W_{ig}, W_{io}\).
        w_hh: ``(4 * hidden_size, hidden_size)``, the blocks \(W_{hi}, W_{hf}, W_{hg}, W_{ho}\).
        b_ih: Optional ``(4 * hidden_size,)``.
        b_hh: Optional ``(4 * hidden_size,)``.

    Returns:
        ``(h', c')``, each shaped like \(h\).

    Raises:
        TypeError: If ``hx`` is not ``None`` or a pair of tensors, an argument is not a
            floating-point tensor, or the dtypes differ.
        ValueError: If a shape is wrong.

    Examples:
        >>> w_ih = torch.tensor([[0.0], [0.0], [1.0], [0.0]])  # only g reads x; i = f = o = 0.5
        >>> h, c = lstm_cell(torch.tensor([1.0]), None, w_ih, torch.zeros(4, 1))
        >>> h, c
        (tensor([0.1817]), tensor([0.3808]))

    Torch counterpart:
        ``torch.nn.LSTMCell`` (weights ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``),
        one time step of a one-layer ``torch.nn.LSTM``.

    Common mistakes:
        - Splitting the gates in another order (i, f, o, g, or ONNX's i, o, f, c): the code runs
          but the cell is not the one torch trained.
        - Returning \(c'\) as the output: the output (and the next layer's input) is \(h'\).
        - Initializing the forget-gate bias at 0 and wondering why early training forgets fast:
          \(\sigma(0) = 0.5\) halves the memory at every step; a bias of 1 is a common start.
    """
    hidden = _check_cell(input, w_ih, w_hh, b_ih, b_hh, gates=4)
    if hx is None:
        h = c = _state("hx", None, input, hidden)
    else:
        if isinstance(hx, torch.Tensor) or len(hx) != 2:
            raise TypeError("hx must be a pair (h, c) of tensors or None")
        h = _state("hx[0]", hx[0], input, hidden)
        c = _state("hx[1]", hx[1], input, hidden)
    gates = linear(input, w_ih, b_ih) + linear(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, dim=-1)
    c_next = sigmoid(f) * c + sigmoid(i) * tanh(g)
    h_next = sigmoid(o) * tanh(c_next)
    return h_next, c_next
