"""The shortcuts that solving a variant takes give what the long way gives, bit for bit.

- `KeyMaker` builds a key without re-checking what its first key checked: every field and every
  error must be those of `Key` itself, for any value and options (valid or not).
- `compute.plain` and `compute.tensor_params` take fast paths for the usual values.
- The procedures' glue (`gradient`, `optimizer_run`, `fit_quadratic`) was trimmed of copies:
  its results must equal, bit for bit, the straightforward computation written here with torch
  (clone every step and stack), for studykit's optimizers and torch's.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from studykit import losses, optim
from studykit.questions import compute, procedures
from studykit.questions.checking import DEFAULT_DOMAIN, Key, KeyMaker, Precision, Tolerance
from studykit.questions.commands import default_questions_dir
from studykit.questions.params import ParamSpec
from studykit.questions.template import load_bank
from studykit.questions.variant import SolveError, make_key, make_variant, solve

KINDS = ("number", "integer", "tensor", "shape", "choice", "expression")

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
numbers = st.one_of(floats, st.integers(-(2**60), 2**60), st.booleans())
rows = st.lists(numbers, max_size=4)
values = st.one_of(
    numbers,
    rows,
    st.lists(rows, max_size=3),
    st.lists(st.integers(-2, 6), max_size=4).map(tuple),
    st.sampled_from(["A", "b", "H", "I", "AB", "1/3", "x*(1-x)", "exp(x)", "", "((", "w**2"]),
    st.none(),
)
options = st.one_of(
    st.just(()),
    st.lists(st.sampled_from(["yes", "no", "0.5", "maybe"]), max_size=9).map(tuple),
    st.lists(st.integers(0, 3), max_size=3),
)
precisions = st.one_of(
    st.none(),
    st.builds(Precision, sigfigs=st.integers(1, 6)),
    st.builds(Precision, decimals=st.integers(0, 6)),
    st.just(Precision()),
)
tolerances = st.one_of(st.none(), st.builds(Tolerance, rel=st.sampled_from([0.0, 1e-3])))
domains = st.sampled_from([DEFAULT_DOMAIN, (0.0, 5.0), (1, 2), (2.0, 1.0), "ab"])


def _outcome(build: Any, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """What ``build(*args, **kwargs)`` gives: the key's fields (``expected`` too), or its error."""
    try:
        key = build(*args, **kwargs)
    except (TypeError, ValueError, OverflowError) as error:
        return ("error", type(error), str(error))
    return ("key", repr(key), repr(key.expected), vars(key))


# A value of each kind that a first key can take, so that the maker's quick way opens.
FIRST = {
    "number": 0.5,
    "integer": 2,
    "tensor": [1.0],
    "shape": (2,),
    "choice": "A",
    "expression": "x",
}


@given(
    kind=st.sampled_from(KINDS),
    precision=precisions,
    tolerance=tolerances,
    domain=domains,
    then=st.lists(st.tuples(values, options), min_size=1, max_size=4),
)
def test_a_key_maker_builds_the_key_that_key_builds(
    kind: Any, precision: Any, tolerance: Any, domain: Any, then: Any
) -> None:
    make = KeyMaker(kind, tolerance=tolerance, domain=domain, precision=precision)
    statics = {"domain": domain, "precision": precision}
    for value, shown in [(FIRST[kind], ()), *then]:  # the first key checks, the others need not
        checked = _outcome(Key, kind, value, (), tolerance, options=shown, **statics)
        assert _outcome(make, value, shown) == checked


def test_a_key_maker_takes_the_quick_way_after_its_first_key() -> None:
    make = KeyMaker("tensor", precision=Precision(sigfigs=3))
    make([[1.0, 2.0]])
    assert make._checked is not None  # the quick way is open
    key = make([[0.5, 0.25], [1.5, -2.0]])
    assert vars(key) == vars(Key("tensor", [[0.5, 0.25], [1.5, -2.0]], precision=Precision(3)))
    assert key.shape == torch.tensor(key.value).shape  # the shape torch gives, independently


def test_expression_keys_are_built_once_per_text_and_never_shared() -> None:
    make = KeyMaker("expression", domain=(0.0, 5.0))
    first, second = make("x*exp(-x)"), make("x*exp(-x)")
    assert first is not second
    assert vars(first) == vars(second) == vars(Key("expression", "x*exp(-x)", domain=(0.0, 5.0)))
    assert make("w*(1-w)").variables == ("x", "w")


def test_every_bank_key_equals_the_key_built_the_long_way() -> None:
    for template in load_bank(default_questions_dir()).by_topic():
        for seed in (0, 1, 2):
            key = solve(make_variant(template, seed)).key
            own = key.kind == template.kind  # the precision stated is the template's kind's
            precision = template.precision if own else None
            tolerance = None if precision is not None or not own else template.tolerance
            long_way = Key(
                key.kind,
                key.value,
                (),
                tolerance,
                domain=DEFAULT_DOMAIN if template.domain is None else template.domain,
                precision=precision,
                options=key.options,
            )
            assert vars(key) == vars(long_way), (template.id, seed)


def test_make_key_names_the_file_when_the_value_is_not_of_the_kind() -> None:
    template = next(t for t in load_bank(default_questions_dir()).by_topic() if t.kind == "tensor")
    make_key("tensor", [[1.0, 2.0]], template, "here.yaml (seed 1)")  # the quick way is open
    with pytest.raises(SolveError, match=r"^here.yaml \(seed 1\): answer is not of kind 'tensor'"):
        make_key("tensor", [[1.0, 2.0], [3.0]], template, "here.yaml (seed 1)")
    with pytest.raises(SolveError, match=r"must be finite"):
        make_key("tensor", [math.inf], template, "here.yaml (seed 1)")


# --- compute ---------------------------------------------------------------------------------


@given(st.lists(st.lists(floats, min_size=2, max_size=2), max_size=3))
def test_plain_gives_what_tolist_gives(data: list[list[float]]) -> None:
    tensor = torch.tensor(data, dtype=torch.float64).reshape(-1, 2)
    inner = torch.tensor(1.5, dtype=torch.float64)
    assert _bits(compute.plain(tensor)) == _bits(tensor.tolist())
    assert compute.plain((inner, [inner, torch.Size([2, 3])], {"k": 2})) == (
        1.5,
        [1.5, (2, 3)],
        {"k": 2},
    )
    assert type(compute.plain(torch.tensor(3))) is int


def _bits(value: Any) -> Any:
    if isinstance(value, list):
        return [_bits(v) for v in value]
    return value.hex() if isinstance(value, float) else value


@given(st.lists(numbers, min_size=1, max_size=4), st.booleans())
def test_tensor_params_are_the_tensors_torch_makes(data: list[Any], integer: bool) -> None:
    spec = ParamSpec("w", "derived", shape=(len(data),), dtype="int" if integer else "float")
    plain = ParamSpec("n", "int")
    dtype = torch.int64 if integer else torch.float64
    try:
        expected = torch.tensor(data, dtype=dtype)
    except (RuntimeError, TypeError, OverflowError) as error:
        with pytest.raises(type(error), match=str(error)):
            compute.tensor_params((spec, plain), {"w": data, "n": 3})
        return
    got = compute.tensor_params((spec, plain), {"w": data, "n": 3})
    assert got["n"] == 3
    assert got["w"].dtype == dtype and got["w"].shape == expected.shape
    assert got["w"].view(torch.int64).tolist() == expected.view(torch.int64).tolist()


# --- procedures ------------------------------------------------------------------------------


def _same_bits(got: torch.Tensor, want: torch.Tensor) -> bool:
    return (
        got.dtype == want.dtype
        and got.shape == want.shape
        and got.stride() == want.stride()
        and got.requires_grad == want.requires_grad
        and got.view(torch.int64).tolist() == want.view(torch.int64).tolist()
    )


def _optimizer_run_by_hand(optimizer: Any, start: Any, grads: Any, **options: Any) -> Any:
    param = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = optimizer([param], **options)
    rows = [param.detach().clone()]
    for grad in grads:
        param.grad = torch.tensor(grad, dtype=torch.float64).reshape(param.shape)
        opt.step()
        rows.append(param.detach().clone())
    return torch.stack(rows)


@pytest.mark.parametrize(
    ("optimizer", "options"),
    [
        (optim.Adam, {"lr": 0.1}),
        (torch.optim.Adam, {"lr": 0.1}),
        (optim.SGD, {"lr": 0.05, "momentum": 0.9}),
        (torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
        (torch.optim.Adagrad, {"lr": 0.3}),
    ],
)
def test_optimizer_run_equals_the_run_by_hand(optimizer: Any, options: dict[str, Any]) -> None:
    start, grads = [0.5, -1.25], [[0.1, -0.3], [0.2, 0.7], [-0.4, 0.05]]
    want = _optimizer_run_by_hand(optimizer, start, grads, **options)
    assert _same_bits(procedures.optimizer_run(optimizer, start, grads, **options), want)
    tensors = [torch.tensor(g, dtype=torch.float64) for g in grads]
    kept = [t.clone() for t in tensors]
    got = procedures.optimizer_run(optimizer, torch.tensor(start), tensors, **options)
    assert _same_bits(got, want)
    assert all(torch.equal(t, k) for t, k in zip(tensors, kept, strict=True))  # not changed


def test_optimizer_run_reshapes_each_gradient_like_the_start() -> None:
    got = procedures.optimizer_run(torch.optim.SGD, [[1.0, 2.0]], [[0.5, 1.0]], lr=0.1)
    assert got.shape == (2, 1, 2)
    assert got[1].tolist() == [[1.0 - 0.1 * 0.5, 2.0 - 0.1 * 1.0]]


@pytest.mark.parametrize(
    ("optimizer", "loss"), [(optim.SGD, losses.mse_loss), (torch.optim.SGD, F.mse_loss)]
)
def test_fit_quadratic_equals_the_fit_by_hand(optimizer: Any, loss: Any) -> None:
    t, y, start = [0.0, 1.0, 2.0, 3.0], [1.0, 2.5, 5.0, 10.5], [0.1, 0.2, 0.3]
    params = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    times, target = torch.tensor(t, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    opt = optimizer([params], lr=0.01)
    rows = [params.detach().clone()]
    for _ in range(3):
        a, b, c = params
        value = loss(a * times**2 + b * times + c, target)
        opt.zero_grad()
        value.backward()
        opt.step()
        rows.append(params.detach().clone())
    got = procedures.fit_quadratic(optimizer, loss, t, y, start, 3, lr=0.01)
    assert _same_bits(got, torch.stack(rows))


@pytest.mark.parametrize("function", [losses.mse_loss, F.mse_loss])
def test_gradient_equals_autograd_by_hand(function: Any) -> None:
    x, target = [0.5, -1.2, 2.0], torch.tensor([1.0, 0.0, 1.5], dtype=torch.float64)
    leaf = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (want,) = torch.autograd.grad(function(leaf, target).sum(), [leaf])
    assert _same_bits(procedures.gradient(function, x, target), want)
    given_tensor = torch.tensor(x, dtype=torch.float64)
    assert _same_bits(procedures.gradient(function, given_tensor, target), want)
    assert not given_tensor.requires_grad  # the caller's tensor is left alone


# --- inference mode --------------------------------------------------------------------------


def test_uses_autograd_finds_gradients_in_functions_attributes_and_keywords() -> None:
    from studykit.questions.expressions import parse

    assert compute.uses_autograd([parse("procedures.optimizer_run(optim.SGD, w, g, lr=0.1)")])
    assert compute.uses_autograd([parse("torch.autograd.grad(y, [x])")])
    assert compute.uses_autograd([parse("x.grad")])
    assert compute.uses_autograd([parse("torch.tensor([1.0], requires_grad=True)")])
    assert not compute.uses_autograd([parse("losses.mse_loss(p, t)"), parse("x.sum(dim=0)")])
    assert not compute.uses_autograd([])


def test_keys_computed_in_inference_mode_equal_keys_computed_with_autograd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every template that takes no gradient gives the same key, values and wrong answers."""
    import contextlib

    templates = load_bank(default_questions_dir()).by_topic()
    plain_ones = [t for t in templates if not compute.uses_autograd(
        [t.answer, *(e for _, e in t.steps), *(m.value for m in t.misconceptions)]
    )]  # fmt: skip
    assert len(plain_ones) >= len(templates) // 2  # most keys take no gradient

    def solved(template: Any, seed: int) -> tuple[Any, ...]:
        result = solve(make_variant(template, seed))
        return (repr(result.key), repr(result.values), repr(result.wrong_answers))

    fast = {(t.id, seed): solved(t, seed) for t in plain_ones for seed in (0, 1)}
    modes: list[bool] = []

    def with_autograd(autograd: bool) -> contextlib.AbstractContextManager[Any]:
        modes.append(autograd)
        return contextlib.nullcontext()

    monkeypatch.setattr(compute, "computing", with_autograd)
    slow = {(t.id, seed): solved(t, seed) for t in plain_ones for seed in (0, 1)}
    assert modes and not any(modes)  # the same templates, each computed with autograd on now
    assert fast == slow
