"""studykit.rnn against nn.RNNCell / nn.LSTMCell (and nn.RNN / nn.LSTM) with the same weights."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import rnn
from tests.helpers import grads, non_contiguous, randn

INPUT, HIDDEN, BATCH = 5, 4, 3


def _weights(gates: int, input_size: int, hidden: int, bias: bool, *, gen, dtype, device):
    """(w_ih, w_hh, b_ih, b_hh) as fresh leaves; the biases are None without ``bias``."""
    rows = gates * hidden
    tensors = [
        randn(rows, input_size, gen=gen, dtype=dtype, device=device, scale=0.5),
        randn(rows, hidden, gen=gen, dtype=dtype, device=device, scale=0.5),
    ]
    if bias:
        tensors += [randn(rows, gen=gen, dtype=dtype, device=device) for _ in range(2)]
    else:
        tensors += [None, None]
    return [None if t is None else t.requires_grad_() for t in tensors]


def _copy_into(module: torch.nn.Module, weights, suffix: str = "") -> list[torch.Tensor]:
    """Copy (w_ih, w_hh, b_ih, b_hh) into a torch cell or layer; return its matching parameters."""
    names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    params = []
    with torch.no_grad():
        for name, value in zip(names, weights, strict=True):
            if value is None:
                continue
            param = getattr(module, name + suffix)
            param.copy_(value)
            params.append(param)
    return params


def _state(batched: bool, gen, dtype, device, *, requires_grad=True) -> torch.Tensor:
    shape = (BATCH, HIDDEN) if batched else (HIDDEN,)
    return randn(*shape, gen=gen, dtype=dtype, device=device, requires_grad=requires_grad)


def _input(batched: bool, gen, dtype, device) -> torch.Tensor:
    shape = (BATCH, INPUT) if batched else (INPUT,)
    return randn(*shape, gen=gen, dtype=dtype, device=device, requires_grad=True)


def _assert_all_close(ours: list[torch.Tensor], theirs: list[torch.Tensor]) -> None:
    for a, b in zip(ours, theirs, strict=True):
        torch.testing.assert_close(a, b)


def _clone_leaves(tensors):
    return [None if t is None else t.detach().clone().requires_grad_() for t in tensors]


# ---------------------------------------------------------------- rnn_cell


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("with_hx", [True, False], ids=["hx", "hx_none"])
def test_rnn_cell_matches_nn_rnncell(
    nonlinearity, bias, batched, with_hx, device, dtype, gen
) -> None:
    weights = _weights(1, INPUT, HIDDEN, bias, gen=gen, dtype=dtype, device=device)
    x = _input(batched, gen, dtype, device)
    hx = _state(batched, gen, dtype, device) if with_hx else None
    cell = torch.nn.RNNCell(INPUT, HIDDEN, bias=bias, nonlinearity=nonlinearity)
    cell = cell.to(device=device, dtype=dtype)
    params = _copy_into(cell, weights)
    x_t = x.detach().clone().requires_grad_()
    hx_t = None if hx is None else hx.detach().clone().requires_grad_()

    ours = rnn.rnn_cell(x, hx, *weights, nonlinearity=nonlinearity)
    theirs = cell(x_t, hx_t)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    torch.testing.assert_close(ours, theirs)

    mine = [x, *(w for w in weights if w is not None)] + ([hx] if with_hx else [])
    reference = [x_t, *params] + ([hx_t] if with_hx else [])
    _assert_all_close(grads(ours, mine), grads(theirs, reference))


def test_rnn_cell_non_contiguous_and_empty_batch(device, dtype, gen) -> None:
    weights = [
        non_contiguous(w)
        for w in _weights(1, INPUT, HIDDEN, True, gen=gen, dtype=dtype, device=device)
    ]
    x = non_contiguous(randn(BATCH, INPUT, gen=gen, dtype=dtype, device=device))
    hx = non_contiguous(randn(BATCH, HIDDEN, gen=gen, dtype=dtype, device=device))
    cell = torch.nn.RNNCell(INPUT, HIDDEN).to(device=device, dtype=dtype)
    _copy_into(cell, weights)
    with torch.no_grad():
        torch.testing.assert_close(rnn.rnn_cell(x, hx, *weights), cell(x, hx))
        empty = torch.zeros(0, INPUT, dtype=dtype, device=device)
        ours = rnn.rnn_cell(empty, None, *weights)
        assert ours.shape == cell(empty).shape == (0, HIDDEN)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
def test_rnn_cell_in_a_loop_is_nn_rnn(nonlinearity, bias, device, dtype, gen) -> None:
    steps = 6
    weights = _weights(1, INPUT, HIDDEN, bias, gen=gen, dtype=dtype, device=device)
    sequence = randn(steps, BATCH, INPUT, gen=gen, dtype=dtype, device=device)
    layer = torch.nn.RNN(INPUT, HIDDEN, num_layers=1, nonlinearity=nonlinearity, bias=bias)
    layer = layer.to(device=device, dtype=dtype)
    params = _copy_into(layer, weights, suffix="_l0")

    h = None
    outputs = []
    for t in range(steps):
        h = rnn.rnn_cell(sequence[t], h, *weights, nonlinearity=nonlinearity)
        outputs.append(h)
    ours = torch.stack(outputs)
    theirs, h_n = layer(sequence)
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(h, h_n[0])
    # Back-propagation through time: the weight gradients summed over every step agree.
    _assert_all_close(grads(ours, [w for w in weights if w is not None]), grads(theirs, params))


# ---------------------------------------------------------------- lstm_cell


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("with_hx", [True, False], ids=["hx", "hx_none"])
def test_lstm_cell_matches_nn_lstmcell(bias, batched, with_hx, device, dtype, gen) -> None:
    weights = _weights(4, INPUT, HIDDEN, bias, gen=gen, dtype=dtype, device=device)
    x = _input(batched, gen, dtype, device)
    state = (
        (_state(batched, gen, dtype, device), _state(batched, gen, dtype, device))
        if with_hx
        else None
    )
    cell = torch.nn.LSTMCell(INPUT, HIDDEN, bias=bias).to(device=device, dtype=dtype)
    params = _copy_into(cell, weights)
    x_t = x.detach().clone().requires_grad_()
    state_t = None if state is None else tuple(_clone_leaves(state))

    h, c = rnn.lstm_cell(x, state, *weights)
    h_t, c_t = cell(x_t, state_t)
    for ours, theirs in ((h, h_t), (c, c_t)):
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
        torch.testing.assert_close(ours, theirs)

    mine = [x, *(w for w in weights if w is not None), *(state or ())]
    reference = [x_t, *params, *(state_t or ())]
    # Weight both outputs, so the gradient flows through h' and c'.
    _assert_all_close(grads(torch.stack([h, c]), mine), grads(torch.stack([h_t, c_t]), reference))


def test_lstm_cell_gate_order_is_i_f_g_o(device) -> None:
    # Only the g block reads x, with weight 1: i = f = o = sigmoid(0) = 0.5 and g = tanh(x).
    x = torch.tensor([[2.0]], device=device)
    c = torch.tensor([[1.0]], device=device)
    w_ih = torch.tensor([[0.0], [0.0], [1.0], [0.0]], device=device)
    w_hh = torch.zeros(4, 1, device=device)
    h_next, c_next = rnn.lstm_cell(x, (torch.zeros_like(c), c), w_ih, w_hh)
    expected_c = 0.5 * c + 0.5 * torch.tanh(x)
    torch.testing.assert_close(c_next, expected_c)
    torch.testing.assert_close(h_next, 0.5 * torch.tanh(expected_c))
    # A large forget-gate bias (block 1) keeps the old cell state; input gate bias (block 0)
    # at -inf-ish writes nothing.
    b = torch.tensor([-30.0, 30.0, 0.0, 0.0], device=device)
    _, kept = rnn.lstm_cell(x, (torch.zeros_like(c), c), w_ih, w_hh, b_ih=b)
    torch.testing.assert_close(kept, c)


def test_lstm_cell_non_contiguous_and_empty_batch(device, dtype, gen) -> None:
    weights = [
        non_contiguous(w)
        for w in _weights(4, INPUT, HIDDEN, True, gen=gen, dtype=dtype, device=device)
    ]
    x = non_contiguous(randn(BATCH, INPUT, gen=gen, dtype=dtype, device=device))
    hx = non_contiguous(randn(BATCH, HIDDEN, gen=gen, dtype=dtype, device=device))
    cx = non_contiguous(randn(BATCH, HIDDEN, gen=gen, dtype=dtype, device=device))
    cell = torch.nn.LSTMCell(INPUT, HIDDEN).to(device=device, dtype=dtype)
    _copy_into(cell, weights)
    with torch.no_grad():
        _assert_all_close(list(rnn.lstm_cell(x, [hx, cx], *weights)), list(cell(x, (hx, cx))))
        empty = torch.zeros(0, INPUT, dtype=dtype, device=device)
        h, c = rnn.lstm_cell(empty, None, *weights)
        assert h.shape == c.shape == cell(empty)[0].shape == (0, HIDDEN)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
def test_lstm_cell_in_a_loop_is_nn_lstm(bias, device, dtype, gen) -> None:
    steps = 6
    weights = _weights(4, INPUT, HIDDEN, bias, gen=gen, dtype=dtype, device=device)
    sequence = randn(steps, BATCH, INPUT, gen=gen, dtype=dtype, device=device)
    h0 = randn(BATCH, HIDDEN, gen=gen, dtype=dtype, device=device)
    c0 = randn(BATCH, HIDDEN, gen=gen, dtype=dtype, device=device)
    layer = torch.nn.LSTM(INPUT, HIDDEN, num_layers=1, bias=bias).to(device=device, dtype=dtype)
    params = _copy_into(layer, weights, suffix="_l0")

    state = (h0, c0)
    outputs = []
    for t in range(steps):
        state = rnn.lstm_cell(sequence[t], state, *weights)
        outputs.append(state[0])
    ours = torch.stack(outputs)
    theirs, (h_n, c_n) = layer(sequence, (h0[None], c0[None]))
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(state[0], h_n[0])
    torch.testing.assert_close(state[1], c_n[0])
    _assert_all_close(grads(ours, [w for w in weights if w is not None]), grads(theirs, params))


# ---------------------------------------------------------------- shapes, at random


@settings(max_examples=25)
@given(
    batch=st.one_of(st.none(), st.integers(0, 4)),
    input_size=st.integers(1, 5),
    hidden=st.integers(1, 5),
    bias=st.booleans(),
    with_hx=st.booleans(),
    lstm=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_cells_hypothesis(batch, input_size, hidden, bias, with_hx, lstm, seed) -> None:
    gen = torch.Generator().manual_seed(seed)
    cpu, dtype = torch.device("cpu"), torch.float64
    lead = () if batch is None else (batch,)
    weights = _weights(4 if lstm else 1, input_size, hidden, bias, gen=gen, dtype=dtype, device=cpu)
    x = randn(*lead, input_size, gen=gen, dtype=dtype, device=cpu)
    states = [randn(*lead, hidden, gen=gen, dtype=dtype, device=cpu) for _ in range(2)]
    if lstm:
        cell = torch.nn.LSTMCell(input_size, hidden, bias=bias, dtype=dtype)
        _copy_into(cell, weights)
        hx = tuple(states) if with_hx else None
        ours, theirs = list(rnn.lstm_cell(x, hx, *weights)), list(cell(x, hx))
    else:
        cell = torch.nn.RNNCell(input_size, hidden, bias=bias, dtype=dtype)
        _copy_into(cell, weights)
        hx = states[0] if with_hx else None
        ours, theirs = [rnn.rnn_cell(x, hx, *weights)], [cell(x, hx)]
    _assert_all_close(ours, theirs)


# ---------------------------------------------------------------- errors


def test_cell_errors() -> None:
    x, h = torch.zeros(2, 3), torch.zeros(2, 4)
    w_ih, w_hh = torch.zeros(4, 3), torch.zeros(4, 4)
    with pytest.raises(ValueError, match="nonlinearity must be one of"):
        rnn.rnn_cell(x, h, w_ih, w_hh, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="input must be"):
        rnn.rnn_cell(torch.zeros(1, 2, 3), None, w_ih, w_hh)
    with pytest.raises(ValueError, match="w_ih must have shape"):
        rnn.rnn_cell(x, h, w_ih.T, w_hh)
    with pytest.raises(ValueError, match="w_hh must have shape"):
        rnn.rnn_cell(x, h, w_ih, torch.zeros(4, 3))
    with pytest.raises(ValueError, match=r"b_hh must have shape \(4,\)"):
        rnn.rnn_cell(x, h, w_ih, w_hh, torch.zeros(4), torch.zeros(3))
    with pytest.raises(ValueError, match="hx must have shape"):
        rnn.rnn_cell(x, torch.zeros(4), w_ih, w_hh)
    with pytest.raises(TypeError, match="w_hh dtype"):
        rnn.rnn_cell(x, h, w_ih, w_hh.double())
    with pytest.raises(TypeError, match="hx dtype"):
        rnn.rnn_cell(x, h.double(), w_ih, w_hh)
    with pytest.raises(TypeError, match="input must be a floating-point tensor"):
        rnn.rnn_cell(x.long(), h, w_ih, w_hh)

    w4_ih, w4_hh = torch.zeros(16, 3), torch.zeros(16, 4)
    with pytest.raises(ValueError, match=r"w_hh must have shape \(4 \* hidden_size"):
        rnn.lstm_cell(x, None, w4_ih, torch.zeros(16, 16))
    with pytest.raises(TypeError, match=r"hx must be a pair \(h, c\)"):
        rnn.lstm_cell(x, h, w4_ih, w4_hh)
    with pytest.raises(TypeError, match=r"hx must be a pair \(h, c\)"):
        rnn.lstm_cell(x, (h,), w4_ih, w4_hh)
    with pytest.raises(ValueError, match=r"hx\[1\] must have shape"):
        rnn.lstm_cell(x, (h, torch.zeros(3, 4)), w4_ih, w4_hh)
    with pytest.raises(ValueError, match=r"b_ih must have shape \(16,\)"):
        rnn.lstm_cell(x, None, w4_ih, w4_hh, torch.zeros(4))
