"""studykit.optim against torch.optim: same parameter trajectories, step by step."""

from __future__ import annotations

import doctest
import inspect
from collections.abc import Callable, Sequence
from itertools import product
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import studykit.optim as sk
from studykit.optim import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop
from tests.helpers import randn

STEPS = 25
PAIRS: list[tuple[type[Optimizer], type[torch.optim.Optimizer]]] = [
    (SGD, torch.optim.SGD),
    (Adagrad, torch.optim.Adagrad),
    (RMSprop, torch.optim.RMSprop),
    (Adam, torch.optim.Adam),
    (AdamW, torch.optim.AdamW),
]
PAIR_IDS = [ours.__name__ for ours, _ in PAIRS]

# --- the shared problem ---------------------------------------------------------------------


def initial_params(gen: torch.Generator, dtype: torch.dtype, device: torch.device) -> list[Any]:
    """A matrix, a vector, a 0-d scalar and a non-contiguous (transposed) matrix."""
    return [
        randn(3, 4, gen=gen, dtype=dtype, device=device),
        randn(5, gen=gen, dtype=dtype, device=device),
        randn(1, gen=gen, dtype=dtype, device=device).reshape(()),
        randn(4, 3, gen=gen, dtype=dtype, device=device).t(),
    ]


def leaves(values: Sequence[torch.Tensor]) -> list[torch.Tensor]:
    """Fresh leaf copies that keep each value's strides (the transposed one stays transposed)."""
    out = [v.detach().clone().requires_grad_(True) for v in values]
    assert not out[3].is_contiguous()
    return out


def loss_fn(params: Sequence[torch.Tensor], k: int) -> torch.Tensor:
    """A quadratic bowl plus sin ripples whose frequency changes with the step ``k``."""
    flat = torch.cat([p.reshape(-1) for p in params])
    index = torch.arange(flat.numel(), dtype=flat.dtype, device=flat.device)
    bowl = 0.5 * (flat - 0.05 * index) ** 2
    ripples = torch.sin(flat * (1 + 0.1 * k) + index)
    return (bowl + ripples).sum() + params[0].sum() * params[2]  # couple matrix and scalar


def skips_grad(k: int) -> bool:
    """Steps on which parameter 1 gets no gradient (including the very first one)."""
    return k % 5 == 0


def run_both(
    ours: Optimizer,
    ours_params: list[torch.Tensor],
    theirs: torch.optim.Optimizer,
    torch_params: list[torch.Tensor],
    *,
    steps: int = STEPS,
    sign: float = 1.0,
    set_to_none: bool = True,
    on_step: Callable[[int, Any], None] | None = None,
) -> None:
    """Run ``steps`` steps on both sides and compare the whole trajectories (every parameter
    after every step) with one ``assert_close``; a failure lists the largest difference per step.
    """
    trajectories: list[list[torch.Tensor]] = [[], []]
    for k in range(steps):
        for side, (opt, params) in enumerate(((ours, ours_params), (theirs, torch_params))):
            if on_step is not None:
                on_step(k, opt)
            opt.zero_grad(set_to_none=set_to_none)
            (sign * loss_fn(params, k)).backward()
            if skips_grad(k):
                params[1].grad = None
            assert opt.step() is None
            trajectories[side].append(torch.cat([p.detach().reshape(-1) for p in params]))
    ours_path, torch_path = (torch.stack(t) for t in trajectories)

    def per_step(msg: str) -> str:
        worst = (ours_path - torch_path).abs().amax(dim=1).tolist()
        return f"{msg}\nlargest |difference| after each step: {[f'{d:.1e}' for d in worst]}"

    torch.testing.assert_close(ours_path, torch_path, msg=per_step)


def compare(
    ours_cls: type[Optimizer],
    torch_cls: type[torch.optim.Optimizer],
    kwargs: dict[str, Any],
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
    **run_kwargs: Any,
) -> tuple[Optimizer, list[torch.Tensor], torch.optim.Optimizer, list[torch.Tensor]]:
    values = initial_params(gen, dtype, device)
    ours_params, torch_params = leaves(values), leaves(values)
    ours = ours_cls(ours_params, **kwargs)
    theirs = torch_cls(torch_params, foreach=False, **kwargs)
    # Maximizing -loss descends the same bowl, so "maximize" runs stay bounded.
    sign = -1.0 if kwargs.get("maximize") else 1.0
    run_both(ours, ours_params, theirs, torch_params, sign=sign, **run_kwargs)
    return ours, ours_params, theirs, torch_params


# --- every option combination ----------------------------------------------------------------

SGD_GRID = list(product([0, 0.9], [0, 0.5], [0, 0.1], [False, True], [False, True]))


@pytest.mark.parametrize(
    ("momentum", "dampening", "weight_decay", "nesterov", "maximize"), SGD_GRID
)
def test_sgd_matches_torch(
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
) -> None:
    kwargs = {
        "lr": 0.05,
        "momentum": momentum,
        "dampening": dampening,
        "weight_decay": weight_decay,
        "nesterov": nesterov,
        "maximize": maximize,
    }
    if nesterov and (momentum == 0 or dampening != 0):
        p = torch.zeros(2, device=device, dtype=dtype, requires_grad=True)
        with pytest.raises(ValueError, match=r"(?i)nesterov"):
            torch.optim.SGD([p], **kwargs)
        with pytest.raises(ValueError, match=r"nesterov.*momentum=.*dampening="):
            SGD([p], **kwargs)
        return
    compare(SGD, torch.optim.SGD, kwargs, gen, dtype, device)


ADAGRAD_GRID = list(product([0, 0.1], [0, 0.1], [0, 0.5], [1e-10, 1e-3], [False, True]))


@pytest.mark.parametrize(
    ("lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize"), ADAGRAD_GRID
)
def test_adagrad_matches_torch(
    lr_decay: float,
    weight_decay: float,
    initial_accumulator_value: float,
    eps: float,
    maximize: bool,
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
) -> None:
    kwargs = {
        "lr": 0.1,
        "lr_decay": lr_decay,
        "weight_decay": weight_decay,
        "initial_accumulator_value": initial_accumulator_value,
        "eps": eps,
        "maximize": maximize,
    }
    compare(Adagrad, torch.optim.Adagrad, kwargs, gen, dtype, device)


RMSPROP_GRID = list(product([0.99, 0.5], [0, 0.9], [False, True], [0, 0.1], [False, True]))


@pytest.mark.parametrize(
    ("alpha", "momentum", "centered", "weight_decay", "maximize"), RMSPROP_GRID
)
def test_rmsprop_matches_torch(
    alpha: float,
    momentum: float,
    centered: bool,
    weight_decay: float,
    maximize: bool,
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
) -> None:
    kwargs = {
        "lr": 0.01,
        "alpha": alpha,
        "momentum": momentum,
        "centered": centered,
        "weight_decay": weight_decay,
        "maximize": maximize,
    }
    compare(RMSprop, torch.optim.RMSprop, kwargs, gen, dtype, device)


ADAM_GRID = list(product([False, True], [0, 0.1], [(0.9, 0.999), (0.5, 0.9)], [False, True]))


@pytest.mark.parametrize("pair", PAIRS[3:], ids=PAIR_IDS[3:])
@pytest.mark.parametrize(("amsgrad", "weight_decay", "betas", "maximize"), ADAM_GRID)
def test_adam_and_adamw_match_torch(
    pair: tuple[type[Optimizer], type[torch.optim.Optimizer]],
    amsgrad: bool,
    weight_decay: float,
    betas: tuple[float, float],
    maximize: bool,
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
) -> None:
    kwargs = {
        "lr": 0.05,
        "betas": betas,
        "weight_decay": weight_decay,
        "amsgrad": amsgrad,
        "maximize": maximize,
    }
    compare(*pair, kwargs, gen, dtype, device)


def test_adam_decoupled_weight_decay_is_adamw(
    gen: torch.Generator, dtype: torch.dtype, device: torch.device
) -> None:
    values = initial_params(gen, dtype, device)
    ours_params, torch_params = leaves(values), leaves(values)
    ours = Adam(ours_params, lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)
    theirs = torch.optim.AdamW(torch_params, lr=0.05, weight_decay=0.1, foreach=False)
    run_both(ours, ours_params, theirs, torch_params)


@pytest.mark.parametrize(
    ("pair", "kwargs"),
    [
        (PAIRS[0], {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}),
        (PAIRS[2], {"momentum": 0.9, "centered": True}),
        (PAIRS[3], {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    ],
    ids=["SGD", "RMSprop", "Adam"],
)
def test_zero_grad_keep_zeros_still_steps_like_torch(
    pair: tuple[type[Optimizer], type[torch.optim.Optimizer]],
    kwargs: dict[str, Any],
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
) -> None:
    # With set_to_none=False a parameter whose grad stays zero still moves (momentum, decay).
    compare(*pair, kwargs, gen, dtype, device, set_to_none=False)


@pytest.mark.parametrize("pair", PAIRS, ids=PAIR_IDS)
def test_defaults_match_torch(
    pair: tuple[type[Optimizer], type[torch.optim.Optimizer]],
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
) -> None:
    ours_sig = inspect.signature(pair[0]).parameters
    torch_sig = inspect.signature(pair[1]).parameters
    names = list(ours_sig)
    assert names == [n for n in torch_sig if n in ours_sig]  # same names, same order
    for name in names[1:]:
        assert ours_sig[name].default == torch_sig[name].default, name
    # And the default trajectory itself (no hyper-parameter passed at all).
    compare(*pair, {}, gen, dtype, device)


@settings(max_examples=12, deadline=None)
@given(
    lr=st.floats(1e-4, 0.2),
    beta1=st.floats(0.0, 0.99),
    beta2=st.floats(0.0, 0.999),
    eps=st.floats(1e-8, 1e-2),
    weight_decay=st.floats(0.0, 0.5),
    momentum=st.floats(0.0, 0.95),
)
def test_random_hyperparameters_match_torch(
    lr: float, beta1: float, beta2: float, eps: float, weight_decay: float, momentum: float
) -> None:
    device, dtype = torch.device("cpu"), torch.float64
    configs: list[tuple[type[Optimizer], type[torch.optim.Optimizer], dict[str, Any]]] = [
        (SGD, torch.optim.SGD, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay}),
        (Adam, torch.optim.Adam, {"lr": lr, "betas": (beta1, beta2), "eps": eps}),
        (AdamW, torch.optim.AdamW, {"lr": lr, "weight_decay": weight_decay, "amsgrad": True}),
        (RMSprop, torch.optim.RMSprop, {"lr": lr / 10, "alpha": beta2, "eps": eps}),
    ]
    for ours_cls, torch_cls, kwargs in configs:
        gen = torch.Generator().manual_seed(0)
        compare(ours_cls, torch_cls, kwargs, gen, dtype, device, steps=10)


# --- parameter groups, closures, state ------------------------------------------------------


@pytest.mark.parametrize(
    ("pair", "kwargs"),
    [
        (PAIRS[0], {"lr": 0.05, "momentum": 0.9}),
        (PAIRS[1], {"lr": 0.1}),
        (PAIRS[2], {"lr": 0.01, "momentum": 0.5}),
        (PAIRS[3], {"lr": 0.05}),
        (PAIRS[4], {"lr": 0.05}),
    ],
    ids=PAIR_IDS,
)
def test_param_groups_with_their_own_options_match_torch(
    pair: tuple[type[Optimizer], type[torch.optim.Optimizer]],
    kwargs: dict[str, Any],
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
) -> None:
    values = initial_params(gen, dtype, device)
    ours_params, torch_params = leaves(values), leaves(values)

    def groups(ps: list[torch.Tensor]) -> list[dict[str, Any]]:
        return [
            {"params": [ps[0], ps[3]], "lr": 0.2 * kwargs["lr"], "weight_decay": 0.1},
            {"params": ps[1:3]},
        ]

    ours = pair[0](groups(ours_params), **kwargs)
    theirs = pair[1](groups(torch_params), foreach=False, **kwargs)
    assert [g["lr"] for g in ours.param_groups] == [0.2 * kwargs["lr"], kwargs["lr"]]

    def schedule(k: int, opt: Any) -> None:  # a hand-made lr schedule, as a scheduler would do
        if k == 10:
            opt.param_groups[1]["lr"] *= 0.5

    run_both(ours, ours_params, theirs, torch_params, on_step=schedule)


def test_add_param_group_mid_training_matches_torch(
    gen: torch.Generator, dtype: torch.dtype, device: torch.device
) -> None:
    values = initial_params(gen, dtype, device)
    ours_params, torch_params = leaves(values), leaves(values)
    ours = Adam(ours_params[:2], lr=0.05)
    theirs = torch.optim.Adam(torch_params[:2], lr=0.05, foreach=False)

    def unfreeze(k: int, opt: Any) -> None:
        if k == 7:
            params = ours_params if opt is ours else torch_params
            opt.add_param_group({"params": params[2:], "lr": 0.01})

    run_both(ours, ours_params, theirs, torch_params, on_step=unfreeze)


def test_step_count_is_a_python_int_that_skips_missing_grads(
    gen: torch.Generator, dtype: torch.dtype, device: torch.device
) -> None:
    ours, ours_params, theirs, torch_params = compare(
        Adam, torch.optim.Adam, {"lr": 0.05}, gen, dtype, device
    )
    for a, b in zip(ours_params, torch_params, strict=True):
        step = ours.state[a]["step"]
        assert type(step) is int
        assert step == int(theirs.state[b]["step"].item())
    assert ours.state[ours_params[1]]["step"] == STEPS - sum(map(skips_grad, range(STEPS)))


def test_state_tensors_follow_the_parameter(dtype: torch.dtype, device: torch.device) -> None:
    p = torch.zeros(4, 3, dtype=dtype, device=device).t().requires_grad_(True)
    opt = Adam([p], amsgrad=True)
    p.grad = torch.ones_like(p)
    opt.step()
    for name in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"):
        state = opt.state[p][name]
        assert (state.device, state.dtype, state.stride()) == (p.device, p.dtype, p.stride())


@pytest.mark.parametrize("pair", PAIRS, ids=PAIR_IDS)
def test_closure_is_evaluated_with_grad_and_its_loss_returned(
    pair: tuple[type[Optimizer], type[torch.optim.Optimizer]],
    gen: torch.Generator,
    dtype: torch.dtype,
    device: torch.device,
) -> None:
    values = initial_params(gen, dtype, device)
    sides = []
    for cls, params in ((pair[0], leaves(values)), (pair[1], leaves(values))):
        opt = cls(params, lr=0.05)

        def closure(opt: Any = opt, params: list[torch.Tensor] = params) -> torch.Tensor:
            opt.zero_grad()
            loss = loss_fn(params, 0)
            loss.backward()
            return loss

        with torch.no_grad():  # the closure must turn gradients back on by itself
            losses = [opt.step(closure) for _ in range(3)]
        sides.append((losses, params))
    (ours_losses, ours_params), (torch_losses, torch_params) = sides
    torch.testing.assert_close(ours_losses, torch_losses)
    torch.testing.assert_close(ours_params, torch_params)


def test_zero_grad_set_to_none_and_to_zero(dtype: torch.dtype, device: torch.device) -> None:
    for cls in (SGD, torch.optim.SGD):
        a = torch.ones(3, dtype=dtype, device=device, requires_grad=True)
        b = torch.ones(2, dtype=dtype, device=device, requires_grad=True)
        opt = cls([a, b])
        (a.sum() * 2).backward()
        grad = a.grad
        opt.zero_grad(set_to_none=False)
        assert a.grad is grad  # the same tensor, filled with zeros
        torch.testing.assert_close(a.grad, torch.zeros_like(a))
        assert b.grad is None  # never had one; stays None
        opt.zero_grad()
        assert a.grad is None


def test_params_without_requires_grad_are_kept_but_never_move_like_torch() -> None:
    frozen, trained = torch.ones(2), torch.ones(2, requires_grad=True)
    for cls in (Adam, torch.optim.Adam):
        f, t = frozen.clone(), trained.detach().clone().requires_grad_(True)
        opt = cls([f, t], lr=0.1)
        (t * 3).sum().backward()
        opt.step()
        torch.testing.assert_close(f, frozen)
        torch.testing.assert_close(t, torch.full((2,), 0.9))


# --- the notes' "quadratic speed" example -----------------------------------------------------


def test_quadratic_speed_example_matches_torch_and_the_hand_written_step() -> None:
    gen = torch.Generator().manual_seed(42)
    time = torch.arange(0, 20).float()
    speed = torch.randn(20, generator=gen) * 3 + 0.75 * (time - 9.5) ** 2 + 1
    start = torch.randn(3, generator=gen)
    lr = 1e-5

    def mse_of(params: torch.Tensor) -> torch.Tensor:
        a, b, c = params
        preds = a * time**2 + b * time + c
        return ((preds - speed) ** 2).mean()

    ours_p, torch_p, hand_p = (start.clone().requires_grad_(True) for _ in range(3))
    ours, theirs = SGD([ours_p], lr=lr), torch.optim.SGD([torch_p], lr=lr)
    losses = []
    for _ in range(10):
        for opt, p in ((ours, ours_p), (theirs, torch_p)):
            mse_of(p).backward()
            opt.step()
            opt.zero_grad()
        loss = mse_of(hand_p)  # the notes' apply_step, by hand
        loss.backward()
        hand_p.data -= lr * hand_p.grad.data  # type: ignore[union-attr]
        hand_p.grad = None
        losses.append(loss.item())
        torch.testing.assert_close(ours_p, torch_p)
        torch.testing.assert_close(ours_p, hand_p)
    assert losses[-1] < losses[0]


# --- argument errors ---------------------------------------------------------------------------

INVALID: list[tuple[type[Optimizer], dict[str, Any], str]] = [
    (SGD, {"lr": -1}, r"lr .*-1"),
    (SGD, {"momentum": -0.1}, r"momentum .*-0.1"),
    (SGD, {"weight_decay": -1}, "weight_decay"),
    (SGD, {"nesterov": True}, "nesterov"),
    (SGD, {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, "nesterov"),
    (Adagrad, {"lr": -1}, r"lr .*-1"),
    (Adagrad, {"lr_decay": -1}, "lr_decay"),
    (Adagrad, {"weight_decay": -1}, "weight_decay"),
    (Adagrad, {"initial_accumulator_value": -1}, "initial_accumulator_value"),
    (Adagrad, {"eps": -1}, "eps"),
    (RMSprop, {"lr": -1}, r"lr .*-1"),
    (RMSprop, {"alpha": -1}, "alpha"),
    (RMSprop, {"eps": -1}, "eps"),
    (RMSprop, {"momentum": -1}, "momentum"),
    (RMSprop, {"weight_decay": -1}, "weight_decay"),
    (Adam, {"lr": -1}, r"lr .*-1"),
    (Adam, {"eps": -1}, "eps"),
    (Adam, {"betas": (1.0, 0.999)}, r"betas\[0\] .*1.0"),
    (Adam, {"betas": (-0.1, 0.999)}, r"betas\[0\]"),
    (Adam, {"betas": (0.9, 1.0)}, r"betas\[1\] .*1.0"),
    (Adam, {"weight_decay": -1}, "weight_decay"),
    (AdamW, {"lr": -1}, r"lr .*-1"),
    (AdamW, {"betas": (0.9, 1.5)}, r"betas\[1\]"),
    (AdamW, {"weight_decay": -0.5}, "weight_decay"),
]


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"), INVALID, ids=[f"{c.__name__}-{k}" for c, k, _ in INVALID]
)
def test_invalid_hyperparameters_raise_like_torch(
    cls: type[Optimizer], kwargs: dict[str, Any], match: str
) -> None:
    torch_cls = getattr(torch.optim, cls.__name__)
    with pytest.raises(ValueError, match=r"^(Invalid|Nesterov)"):  # torch rejects it too
        torch_cls([torch.zeros(1, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError, match=match) as info:
        cls([torch.zeros(1, requires_grad=True)], **kwargs)
    assert "\n" not in str(info.value)


def test_invalid_option_in_a_param_group_raises() -> None:
    a, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    with pytest.raises(ValueError, match=r"lr .*-1"):
        SGD([{"params": [a]}, {"params": [b], "lr": -1}])
    with pytest.raises(ValueError, match=r"betas\[1\]"):
        Adam([{"params": [a], "betas": (0.9, 1.0)}])
    with pytest.raises(ValueError, match="nesterov"):
        SGD([{"params": [a], "momentum": 0}], momentum=0.9, nesterov=True)
    with pytest.raises(ValueError, match="betas must be a pair"):
        Adam([a], betas=(0.9,))  # type: ignore[arg-type]


def test_invalid_params_raise() -> None:
    leaf = torch.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="empty"):
        SGD([])
    with pytest.raises(ValueError, match="empty"):
        SGD(p for p in [])
    with pytest.raises(ValueError, match=r"non-leaf.*params\[1\]"):
        SGD([leaf, leaf * 2])
    with pytest.raises(TypeError, match="single Tensor"):
        SGD(leaf)
    with pytest.raises(TypeError, match=r"params\[0\].*floating"):
        SGD([torch.zeros(2, dtype=torch.long)])
    with pytest.raises(TypeError, match=r"params\[0\].*Tensor"):
        SGD([[1.0, 2.0]])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="set"):
        SGD([{"params": {leaf}}])
    with pytest.raises(ValueError, match="more than one parameter group"):
        SGD([{"params": [leaf]}, {"params": leaf}])
    with pytest.raises(TypeError, match="lr must be a number"):
        SGD([leaf], lr=torch.tensor(0.1))  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match="twice"):
        SGD([leaf, leaf])


def test_sparse_gradients_are_rejected() -> None:
    p = torch.zeros(3, requires_grad=True)
    p.grad = torch.zeros(3).to_sparse()
    with pytest.raises(TypeError, match="sparse"):
        Adam([p]).step()


# --- the docstrings -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["base", "sgd", "adagrad", "rmsprop", "adam"])
def test_docstring_examples_are_true(name: str) -> None:
    module = getattr(sk, name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
