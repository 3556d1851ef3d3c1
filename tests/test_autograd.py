"""studykit.autograd against torch.autograd: every value and gradient, in float64."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.autograd import Value, numerical_grad
from tests.helpers import non_contiguous, randn

F64 = torch.float64
FAST = settings(max_examples=40, deadline=None)

reals = st.floats(-5.0, 5.0)
positive = st.floats(0.05, 5.0)
away_from_zero = st.one_of(st.floats(0.1, 5.0), st.floats(-5.0, -0.1))

# An expression written once and evaluated on Values and on torch 0-d tensors alike.
Expr = Callable[..., Any]


def leaf(x: float) -> torch.Tensor:
    """A float64 0-d torch leaf that records gradients."""
    return torch.tensor(x, dtype=F64, requires_grad=True)


def assert_matches_torch(
    expr: Expr, *xs: float, backward_calls: int = 1
) -> tuple[list[Value], Value]:
    """Run ``expr`` on Values and on torch leaves; compare the output and every input's grad."""
    values = [Value(x) for x in xs]
    leaves = [leaf(x) for x in xs]
    out = expr(*values)
    expected = expr(*leaves)
    for _ in range(backward_calls):
        out.backward()
        expected.backward(retain_graph=True)
    assert isinstance(out, Value)
    torch.testing.assert_close(torch.tensor(out.data, dtype=F64), expected.detach())
    got_grads = torch.tensor([v.grad for v in values], dtype=F64)
    want_grads = torch.stack(
        [t.grad if t.grad is not None else torch.zeros((), dtype=F64) for t in leaves]
    )
    torch.testing.assert_close(got_grads, want_grads)
    return values, out


# ------------------------------------------------------------------ single operations

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
}


@pytest.mark.parametrize("name", list(BINARY))
@FAST
@given(a=reals, b=away_from_zero)
def test_binary_value_value(name: str, a: float, b: float) -> None:
    assert_matches_torch(BINARY[name], a, b)


@pytest.mark.parametrize("name", list(BINARY))
@FAST
@given(a=reals, c=away_from_zero)
def test_binary_value_number(name: str, a: float, c: float) -> None:
    op = BINARY[name]
    assert_matches_torch(lambda v: op(v, c), a)


@pytest.mark.parametrize("name", list(BINARY))
@FAST
@given(c=reals, a=away_from_zero)
def test_binary_number_value_reflected(name: str, c: float, a: float) -> None:
    op = BINARY[name]
    assert_matches_torch(lambda v: op(c, v), a)


def test_reflected_ops_with_ints() -> None:
    assert_matches_torch(lambda v: 2 * v + (1 - v) * (1 / v) - 3 / v + 2**v, 1.7)


UNARY: dict[str, tuple[Callable[[Any], Any], st.SearchStrategy[float]]] = {
    "neg": (operator.neg, reals),
    "exp": (lambda v: v.exp(), st.floats(-20.0, 20.0)),
    "log": (lambda v: v.log(), st.floats(1e-3, 100.0)),
    "tanh": (lambda v: v.tanh(), st.floats(-10.0, 10.0)),
    "relu": (lambda v: v.relu(), reals),
    "sigmoid": (lambda v: v.sigmoid(), st.floats(-40.0, 40.0)),
}


@pytest.mark.parametrize("name", list(UNARY))
@FAST
@given(data=st.data())
def test_unary(name: str, data: st.DataObject) -> None:
    fn, domain = UNARY[name]
    assert_matches_torch(fn, data.draw(domain))


@pytest.mark.parametrize(
    ("name", "x"),
    [("exp", 1000.0), ("exp", -1000.0), ("sigmoid", 800.0), ("sigmoid", -800.0),
     ("relu", 0.0), ("tanh", 30.0), ("log", 1e-300)],
)  # fmt: skip
def test_unary_extremes(name: str, x: float) -> None:
    assert_matches_torch(UNARY[name][0], x)


@FAST
@given(
    exponent=st.sampled_from([0, 1, 2, 3, -1, -2, 0.5, 1.5, -0.5, 2.7]),
    data=st.data(),
)
def test_pow_value_number(exponent: float, data: st.DataObject) -> None:
    base = data.draw(away_from_zero if float(exponent).is_integer() else positive)
    assert_matches_torch(lambda v: v**exponent, base)


@FAST
@given(base=positive, exponent=st.floats(-3.0, 3.0))
def test_pow_number_value(base: float, exponent: float) -> None:
    assert_matches_torch(lambda v: base**v, exponent)


@FAST
@given(base=positive, exponent=st.floats(-3.0, 3.0))
def test_pow_value_value(base: float, exponent: float) -> None:
    assert_matches_torch(lambda a, b: a**b, base, exponent)


@pytest.mark.parametrize(
    ("expr", "xs"),
    [
        (lambda a: a**0.5, (0.0,)),  # slope inf at 0
        (lambda a: a**0, (0.0,)),  # torch's convention: d/da a^0 = 0, even at 0
        (lambda a: a**2, (-3.0,)),  # negative base, integer exponent
        (lambda a: a**3, (-1.5,)),
        (lambda a, b: a**b, (0.0, 2.0)),  # d/db at base 0 is taken as 0
        (lambda a, b: a**b, (0.0, 0.0)),
        (lambda b: 0.0**b, (2.0,)),
        (lambda a: a**400, (10.0,)),  # overflow -> inf, as in float64 torch
        (lambda a: a**401, (-10.0,)),  # -> -inf
    ],
    ids=["sqrt0", "pow0", "neg_sq", "neg_cube", "zero_pow_value", "zero_pow_zero",
         "zero_rpow", "overflow", "overflow_neg"],
)  # fmt: skip
def test_pow_edges(expr: Expr, xs: tuple[float, ...]) -> None:
    assert_matches_torch(expr, *xs)


# ------------------------------------------------------------------ composite graphs


@FAST
@given(w1=reals, x1=reals, w2=reals, x2=reals, b=reals)
def test_neuron(w1: float, x1: float, w2: float, x2: float, b: float) -> None:
    assert_matches_torch(
        lambda w1, x1, w2, x2, b: (w1 * x1 + w2 * x2 + b).tanh(), w1, x1, w2, x2, b
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_layer_mlp_matches_torch_matmul(seed: int) -> None:
    """3 inputs -> 4 tanh units -> 1 sigmoid unit, binary cross-entropy; torch uses matmul."""
    gen = torch.Generator().manual_seed(seed)
    tensors = {
        "x": torch.randn(3, generator=gen, dtype=F64),
        "w1": torch.randn(4, 3, generator=gen, dtype=F64),
        "b1": torch.randn(4, generator=gen, dtype=F64),
        "w2": torch.randn(1, 4, generator=gen, dtype=F64),
        "b2": torch.randn(1, generator=gen, dtype=F64),
    }
    target = 1.0
    for t in tensors.values():
        t.requires_grad_(True)
    hidden = torch.tanh(tensors["w1"] @ tensors["x"] + tensors["b1"])
    prob = torch.sigmoid(tensors["w2"] @ hidden + tensors["b2"])[0]
    loss = -(target * torch.log(prob) + (1 - target) * torch.log(1 - prob))
    loss.backward()

    v = {k: [[Value(float(e)) for e in row] for row in t.detach().reshape(t.shape[0], -1)]
         for k, t in tensors.items()}  # fmt: skip
    xs = [row[0] for row in v["x"]]
    h = [
        (sum((w * x for w, x in zip(v["w1"][j], xs, strict=True)), start=Value(0.0))
         + v["b1"][j][0]).tanh()
        for j in range(4)
    ]  # fmt: skip
    z = sum((w * hj for w, hj in zip(v["w2"][0], h, strict=True)), start=v["b2"][0][0])
    p = z.sigmoid()
    ours = -(target * p.log() + (1 - target) * (1 - p).log())
    ours.backward()

    torch.testing.assert_close(torch.tensor(ours.data, dtype=F64), loss.detach())
    for name, t in tensors.items():
        got = torch.tensor([[e.grad for e in row] for row in v[name]], dtype=F64)
        torch.testing.assert_close(got.reshape(t.shape), t.grad)


@pytest.mark.parametrize(
    "expr",
    [
        lambda a: a * a,
        lambda a: a + a,
        lambda a: a - a + a / 2,
        lambda a: a * a * a + a,  # the same Value in three places
        lambda a: a.exp() * (a * 3.0),  # a diamond: two paths from a to the product
        lambda a: (lambda b: b.tanh() * b + b.sigmoid())(a * 0.7 - 0.2),  # inner node reused
        lambda a, b: (a * b) * (a + b) / (b.exp() + a * a),
    ],
    ids=["a*a", "a+a", "a-a+a/2", "a_thrice", "diamond", "inner_reuse", "two_inputs"],
)
def test_node_reuse_sums_paths(expr: Expr) -> None:
    n = expr.__code__.co_argcount
    assert_matches_torch(expr, *[0.8, -1.3][:n])


def test_deep_chain_of_ten_thousand_ops() -> None:
    def chain(x: Any) -> Any:
        y = x
        for _ in range(5_000):
            y = y * 0.9999 + 0.0001  # two ops per step
        return y

    (x,), out = assert_matches_torch(chain, 0.3)
    out.zero_grad()  # iterative as well
    assert x.grad == 0.0


# ------------------------------------------------------------------ accumulation


def test_backward_twice_accumulates_like_torch() -> None:
    assert_matches_torch(lambda a, b: a * b + a.exp() / b, 0.4, 1.9, backward_calls=2)


def test_backward_twice_accumulates_in_intermediate_nodes_like_retain_grad() -> None:
    a, ta = Value(1.5), leaf(1.5)
    c, tc = a * a, ta * ta
    tc.retain_grad()
    out, tout = c.exp(), tc.exp()
    for _ in range(2):
        out.backward()
        tout.backward(retain_graph=True)
    assert tc.grad is not None
    torch.testing.assert_close(
        torch.tensor([c.grad, out.grad], dtype=F64),
        torch.stack([tc.grad, torch.tensor(2.0, dtype=F64)]),
    )


def test_two_outputs_sharing_a_leaf_add_up() -> None:
    a, ta = Value(0.6), leaf(0.6)
    (a * a).backward()
    a.tanh().backward()
    (ta * ta).backward()
    ta.tanh().backward()
    assert ta.grad is not None
    torch.testing.assert_close(torch.tensor(a.grad, dtype=F64), ta.grad)


def test_zero_grad_resets_every_node_of_the_graph_only() -> None:
    a, b, other = Value(2.0), Value(-1.0), Value(5.0)
    mid = a * b
    out = mid.tanh() + a
    out.backward()
    (other * 2).backward()
    out.zero_grad()
    assert (a.grad, b.grad, mid.grad, out.grad) == (0.0, 0.0, 0.0, 0.0)
    assert other.grad == 2.0
    # After zeroing, one more backward gives one set of gradients, as a fresh torch graph does.
    out.backward()
    ta, tb = leaf(2.0), leaf(-1.0)
    ((ta * tb).tanh() + ta).backward()
    assert ta.grad is not None
    assert tb.grad is not None
    torch.testing.assert_close(
        torch.tensor([a.grad, b.grad], dtype=F64), torch.stack([ta.grad, tb.grad])
    )


# ------------------------------------------------------------------ the object itself


def test_repr_and_label() -> None:
    x = Value(0.5)
    assert repr(x) == "Value(data=0.5, grad=0.0)"
    x.backward()
    assert repr(x) == "Value(data=0.5, grad=1.0)"
    assert repr(Value(3, label="w")) == "Value(data=3.0, grad=0.0, label='w')"
    assert isinstance(Value(3).data, float)


def test_constants_are_not_nodes_and_results_are_values() -> None:
    v = Value(2.0)
    for result in (2 * v, 1 - v, 1 / v, v + 1, v - 1.5, v**2, 2**v, -v):
        assert isinstance(result, Value)
        assert result._parents == (v,)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: Value(0.0).log(), ValueError, "log is defined only for positive numbers"),
        (lambda: Value(-1.0).log(), ValueError, r"got Value\(data=-1.0"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "denominator is 0"),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, r"denominator is Value\(data=0.0"),
        (lambda: 1 / Value(0.0), ZeroDivisionError, "division by zero"),
        (lambda: Value(-2.0) ** Value(0.5), ValueError, "negative base -2.0 to a Value exponent"),
        (lambda: (-2.0) ** Value(2.0), ValueError, "negative base"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "non-integer exponent"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "negative power"),
        (lambda: 0.0 ** Value(-1.0), ZeroDivisionError, "negative power"),
        (lambda: Value("1"), TypeError, "data must be a real number, got str"),  # type: ignore[arg-type]
        (lambda: Value(torch.tensor(1.0)), TypeError, r"\.item\(\)"),  # type: ignore[arg-type]
        (lambda: Value(True), TypeError, "got bool"),
        (lambda: Value(Value(1.0)), TypeError, "got Value"),  # type: ignore[arg-type]
        (lambda: Value(1.0, label=3), TypeError, "label must be"),  # type: ignore[arg-type]
        (lambda: Value(1.0) + "a", TypeError, "unsupported operand"),  # type: ignore[operator]
        (lambda: "a" * Value(1.0), TypeError, "can't multiply|unsupported operand"),  # type: ignore[operator]
    ],
)  # fmt: skip
def test_errors(make: Callable[[], object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        make()


# ------------------------------------------------------------------ numerical_grad


def _cubic_sum(t: torch.Tensor) -> torch.Tensor:
    return (t**3).sum()


def _sin_square(t: torch.Tensor) -> torch.Tensor:
    return (torch.sin(t) * t * t).sum()


def _logsumexp(t: torch.Tensor) -> torch.Tensor:
    return torch.logsumexp(t.reshape(-1), dim=0)


def _entropy_of_softmax(t: torch.Tensor) -> torch.Tensor:
    flat = t.reshape(-1)
    p = torch.exp(flat - torch.logsumexp(flat, dim=0))
    return -(p * torch.log(p)).sum()


def _coupled(t: torch.Tensor) -> torch.Tensor:
    flat = t.reshape(-1)
    return torch.outer(flat, torch.cos(flat)).sum() / (1 + flat.norm())


FUNCTIONS = {
    "cubic_sum": _cubic_sum,
    "sin_square": _sin_square,
    "logsumexp": _logsumexp,
    "softmax_entropy": _entropy_of_softmax,
    "coupled": _coupled,
}


def autograd_grad(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """The analytic gradient from torch.autograd, in float64."""
    point = x.detach().to(F64).clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(point), [point])
    return grad


@pytest.mark.parametrize("name", list(FUNCTIONS))
@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 4), (2, 3, 2)], ids=str)
def test_numerical_grad_matches_autograd(
    name: str, shape: tuple[int, ...], device: torch.device, gen: torch.Generator
) -> None:
    f = FUNCTIONS[name]
    # tests.helpers.randn cannot draw a 0-d tensor (torch.randn() needs a size): draw, reshape.
    x = randn(math.prod(shape), gen=gen, dtype=F64, device=device).reshape(shape)
    got = numerical_grad(f, x)
    assert got.shape == x.shape
    assert got.dtype == F64
    assert got.device == x.device
    torch.testing.assert_close(got, autograd_grad(f, x), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("layout", ["strided_gaps", "transposed"])
def test_numerical_grad_non_contiguous(
    layout: str, dtype: torch.dtype, device: torch.device, gen: torch.Generator
) -> None:
    x = randn(3, 4, gen=gen, dtype=dtype, device=device)
    view = non_contiguous(x) if layout == "strided_gaps" else x.t().contiguous().t()
    assert not view.is_contiguous()
    torch.testing.assert_close(view, x)
    f = _coupled
    got = numerical_grad(f, view)
    assert (got.shape, got.dtype, got.device) == (x.shape, dtype, x.device)
    want = autograd_grad(f, x).to(dtype)
    if dtype == F64:
        torch.testing.assert_close(got, want, rtol=1e-6, atol=1e-6)
    else:
        torch.testing.assert_close(got, want)


def test_numerical_grad_float32_evaluates_in_float64(
    device: torch.device, gen: torch.Generator
) -> None:
    x = randn(4, 3, gen=gen, dtype=torch.float32, device=device, scale=3.0)
    seen: list[torch.dtype] = []

    def f(t: torch.Tensor) -> torch.Tensor:
        seen.append(t.dtype)
        return _sin_square(t)

    got = numerical_grad(f, x)
    assert got.dtype == torch.float32
    assert set(seen) == {F64}
    # Every element is as accurate as a float32 can hold (float32 differences would be ~1e-2 off).
    torch.testing.assert_close(got, autograd_grad(_sin_square, x).to(torch.float32))


def test_numerical_grad_leaves_input_alone(device: torch.device, gen: torch.Generator) -> None:
    x = randn(2, 5, gen=gen, dtype=torch.float32, device=device, requires_grad=True)
    before = x.detach().clone()

    def mutating(t: torch.Tensor) -> torch.Tensor:
        return t.mul_(2.0).sum()  # scribbles on its argument: each call must get its own copy

    got = numerical_grad(mutating, x)
    torch.testing.assert_close(x.detach(), before, rtol=0, atol=0)
    assert x.grad is None
    assert not got.requires_grad
    torch.testing.assert_close(got, torch.full_like(before, 2.0))


def test_numerical_grad_empty_tensor(device: torch.device) -> None:
    x = torch.empty(0, 3, device=device)
    got = numerical_grad(_cubic_sum, x)
    assert (got.shape, got.dtype, got.device) == (x.shape, x.dtype, x.device)


@FAST
@given(x=st.floats(-3.0, 3.0))
def test_numerical_grad_float_input(x: float) -> None:
    got = numerical_grad(lambda t: math.tanh(t) * t * t + math.exp(-t), x)
    assert isinstance(got, float)
    t = leaf(x)
    (torch.tanh(t) * t * t + torch.exp(-t)).backward()
    torch.testing.assert_close(torch.tensor(got, dtype=F64), t.grad, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "f",
    [
        lambda t: torch.tensor(t, dtype=F64).sin(),  # 0-d tensor result
        lambda t: torch.tensor([t], dtype=F64).sin(),  # one-element tensor result
        lambda t: Value(t).tanh() * 0 + math.sin(t),  # a Value result
    ],
    ids=["0d", "1elem", "value"],
)
def test_numerical_grad_accepts_scalar_results(f: Callable[[float], Any]) -> None:
    torch.testing.assert_close(
        torch.tensor(numerical_grad(f, 0.7), dtype=F64),
        torch.tensor(0.7, dtype=F64).cos(),
        rtol=1e-6,
        atol=1e-6,
    )


def test_numerical_grad_is_a_central_difference() -> None:
    # For a cubic, (f(x+h) - f(x-h)) / 2h = 3x^2 + h^2 exactly; a forward difference gives 12.61.
    got = numerical_grad(lambda t: t**3, 2.0, eps=0.1)
    assert math.isclose(got, 3 * 2.0**2 + 0.1**2, rel_tol=1e-12)
    x = torch.tensor([2.0, -1.0], dtype=F64)
    tensor_got = numerical_grad(lambda t: (t**3).sum(), x, eps=0.1)
    torch.testing.assert_close(tensor_got, 3 * x**2 + 0.01)


@pytest.mark.parametrize("eps", [0.0, -1e-3, float("inf"), float("nan")])
def test_numerical_grad_rejects_bad_eps(eps: float) -> None:
    with pytest.raises(ValueError, match="eps must be"):
        numerical_grad(math.sin, 1.0, eps=eps)
    with pytest.raises(ValueError, match="eps must be"):
        numerical_grad(_cubic_sum, torch.ones(2), eps=eps)


def test_numerical_grad_rejects_non_scalar_output() -> None:
    with pytest.raises(ValueError, match=r"f must return a scalar .* got a tensor of shape \(3,\)"):
        numerical_grad(lambda t: t * 2, torch.ones(3))
    with pytest.raises(TypeError, match=r"f must return a scalar .* got str"):
        numerical_grad(lambda t: "big", 1.0)  # type: ignore[arg-type,return-value]


def test_numerical_grad_rejects_bad_x() -> None:
    with pytest.raises(
        TypeError, match=r"x must be a floating-point tensor, got dtype torch\.int64"
    ):
        numerical_grad(_cubic_sum, torch.arange(3))
    with pytest.raises(TypeError, match="x must be a number or a floating-point tensor, got Value"):
        numerical_grad(math.sin, Value(1.0))  # type: ignore[call-overload]
