r"""Reverse-mode automatic differentiation (자동 미분, 역전파 back-propagation) on plain scalars.

Training a network means nudging every parameter a little downhill on the loss. To know which way
is downhill we need the derivative of the loss with respect to every parameter, and an autograd
engine delivers all of them in a single sweep backwards through the computation. This module
builds such an engine for single Python numbers, small enough to read in one sitting, and the
tests check every number it produces against ``torch.autograd``.

Derivatives are slopes (기울기, 미분)
-------------------------------------
The derivative of \(f\) at \(x\) is the slope of \(f\) there: how far the output moves per unit
of input, for a very small move,

$$ f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}. $$

If \(f'(x) = 3\), raising \(x\) by 0.001 raises \(f\) by about 0.003. With several inputs, the
partial derivative \(\partial f / \partial x_i\) is the slope along \(x_i\) with every other input
held still, and the gradient \(\nabla f\) lists all of them. The gradient points uphill, so
gradient descent steps along \(-\nabla f\).

``numerical_grad`` measures a slope directly with a central difference (중심 차분),

$$ f'(x) \approx \frac{f(x + h) - f(x - h)}{2h}, $$

whose error shrinks like \(h^2\) (the one-sided quotient above only like \(h\)). It costs two
calls of \(f\) per input, hopeless for a million parameters, but it is the independent check that
every hand-written gradient should pass.

The chain rule (연쇄 법칙)
--------------------------
A program is a composition of small steps whose derivatives we know. If \(y = g(u)\) and
\(u = h(x)\), the slopes multiply:

$$ \frac{dy}{dx} = \frac{dy}{du} \, \frac{du}{dx}. $$

When \(x\) reaches \(y\) along several paths (it is used more than once), the paths add up:

$$ \frac{\partial y}{\partial x} = \sum_{\text{paths } x \to y} \;
   \prod_{\text{steps on the path}} \text{local derivative}. $$

Forward and backward passes (순전파, 역전파)
--------------------------------------------
The *forward pass* runs the computation and records a graph as it goes: every ``Value`` keeps the
Values it was made from (its parents) and the local derivative of itself with respect to each one.
For ``c = a * b`` that is \(\partial c / \partial a = b\) and \(\partial c / \partial b = a\).

The *backward pass* walks the graph from the output \(L\) back to the inputs. Write
\(\bar v = \partial L / \partial v\) for the gradient of the output with respect to node \(v\).
Starting from \(\bar L = 1\), every node hands its gradient to each parent \(u\), multiplied by
the local derivative, and the contributions add:

$$ \bar u \mathrel{+}= \bar v \, \frac{\partial v}{\partial u}. $$

A node may pass its gradient on only after every node that used it has reported, so the walk
follows a reverse topological order (위상 정렬). ``Value.backward`` finds that order with an
explicit work list instead of recursion, so a chain of 10,000 operations is no problem. The whole
backward pass costs about as much as the forward pass however many inputs there are, which is why
reverse mode (and not forward mode, one input at a time) is how networks are trained.

Why ``backward()`` wants a scalar
---------------------------------
For an output vector \(y\) with Jacobian \(J = \partial y / \partial x\), one backward pass
computes a vector-Jacobian product \(\bar x = \bar y^{\top} J\): it needs a starting vector
\(\bar y\). For a scalar loss the start \(\bar L = 1\) is the only sensible choice, so torch's
``loss.backward()`` needs no argument. For a tensor with several elements torch refuses
(``grad can be implicitly created only for scalar outputs``); reduce it to a scalar first
(``y.sum()``, ``y.mean()``) or pass the start yourself, ``y.backward(gradient=v)``, which gives the
gradient of \(\sum_i v_i y_i\). A ``Value`` is always a scalar, so its ``backward()`` takes none.

Gradients accumulate, so call ``zero_grad``
-------------------------------------------
``backward`` *adds* into ``.grad`` (``+=``) instead of overwriting it. That is what makes reuse
correct (both paths of ``a * a`` must count), and it lets you sum gradients over several
mini-batches before a single update. The price is that the gradients of the previous step are still
there at the next one. torch's leaf tensors behave the same way, which is why a training loop
calls ``optimizer.zero_grad()`` every step. Here, calling ``backward()`` twice adds every gradient
twice (like torch with ``retain_graph=True``), and ``out.zero_grad()`` resets every node of the
graph to 0.

Vanishing gradients (기울기 소실)
---------------------------------
The chain rule multiplies local derivatives, so small ones compound. The sigmoid's derivative
\(\sigma'(x) = \sigma(x)\,(1 - \sigma(x))\) is at most \(\tfrac14\) (at \(x = 0\)), so after
\(n\) stacked sigmoids the gradient has shrunk by at least

$$ \prod_{k=1}^{n} \sigma'(x_k) \le 0.25^{n}, \qquad 0.25^{10} \approx 9.5 \times 10^{-7}. $$

The early layers then hardly learn. ReLU (slope 1 for positive inputs), careful initialization,
normalization and residual connections are the usual remedies; \(\tanh'(0) = 1\) is better than
the sigmoid but \(\tanh\) still saturates for large \(|x|\).

Examples:
    \(y = x^2 + 3x\), so \(dy/dx = 2x + 3 = 7\) at \(x = 2\); the numerical slope agrees:

    >>> from studykit.autograd import Value, numerical_grad
    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> y
    Value(data=10.0, grad=1.0)
    >>> x
    Value(data=2.0, grad=7.0, label='x')
    >>> round(numerical_grad(lambda t: t * t + 3 * t, 2.0), 6)
    7.0

    Ten stacked sigmoids shrink the gradient below \(0.25^{10} \approx 9.5 \times 10^{-7}\):

    >>> x = Value(0.0)
    >>> h = x
    >>> for _ in range(10):
    ...     h = h.sigmoid()
    >>> h.backward()
    >>> f"{x.grad:.2e}"
    '3.88e-07'

Torch counterpart:
    ``torch.autograd``. Mark inputs with ``t.requires_grad_()`` (or
    ``torch.tensor(..., requires_grad=True)``), compute, then ``loss.backward()`` fills ``t.grad``
    (``Tensor.backward``); ``torch.autograd.grad(loss, [t])`` returns the gradients without
    touching ``.grad``; ``torch.no_grad()`` turns graph recording off;
    ``torch.autograd.gradcheck`` compares against finite differences like ``numerical_grad``.

Common mistakes:
    - Forgetting ``zero_grad()`` between steps: gradients of old steps keep adding up.
    - Calling ``backward()`` on a tensor with several elements: reduce it to a scalar first.
    - Changing ``.data`` after the forward pass and expecting new gradients: the graph keeps the
      local derivatives of the values it was built from; run the forward pass again.
    - Reading ``.grad`` of a torch non-leaf tensor: it is ``None`` unless you ``retain_grad()``.
    - Stacking many sigmoids or tanhs and wondering why the first layers do not learn.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import cast, overload

import torch

from studykit._checks import check_floating, check_positive

__all__ = ["Value", "numerical_grad"]


def _as_number(other: object) -> float | None:
    """Return ``other`` as a float if it is a plain real number (not a bool), else ``None``."""
    if isinstance(other, bool) or not isinstance(other, int | float):
        return None
    return float(other)


def _pow_or_inf(base: float, exponent: float) -> float:
    """``base ** exponent`` as a float, giving a signed infinity where Python would overflow."""
    try:
        return math.pow(base, exponent)
    except OverflowError:
        odd = exponent.is_integer() and exponent % 2 == 1
        return -math.inf if base < 0 and odd else math.inf


def _power(base: float, exponent: float, *, variable_exponent: bool) -> tuple[float, float, float]:
    r"""Return \(b^e\), \(\partial/\partial b\), \(\partial/\partial e\); raise on a bad domain.

    At \(b = 0\) the derivative in \(e\) is taken as 0 and, for \(e = 0\), so is the one in
    \(b\): the conventions torch uses.
    """
    if base < 0 and (variable_exponent or not exponent.is_integer()):
        kind = "a Value exponent" if variable_exponent else f"the non-integer exponent {exponent}"
        raise ValueError(
            f"cannot raise the negative base {base} to {kind}: the result is not a real number "
            "(d/de b**e needs log(b), which needs b > 0)"
        )
    if base == 0 and exponent < 0:
        raise ZeroDivisionError(f"0.0 cannot be raised to the negative power {exponent}")
    out = _pow_or_inf(base, exponent)
    if exponent == 0:
        d_base = 0.0
    elif base == 0 and exponent < 1:
        d_base = math.inf
    else:
        d_base = exponent * _pow_or_inf(base, exponent - 1)
    d_exponent = out * math.log(base) if base > 0 else 0.0
    return out, d_base, d_exponent


class Value:
    r"""A scalar that remembers how it was computed, so it can compute its own gradients.

    Arithmetic on Values (and on Values mixed with plain numbers) builds a graph whose nodes keep
    their parents and their local derivatives \(\partial v / \partial u\). ``out.backward()``
    then fills ``node.grad`` with \(\partial\,\text{out} / \partial\,\text{node}\) for every node
    of the graph by the chain rule (연쇄 법칙). Plain numbers are constants: they enter the local
    derivatives but are not nodes and get no gradient.

    Attributes:
        data: the number itself (``float``). You may assign to it (a gradient-descent step,
            ``w.data -= lr * w.grad``), but nodes already built from it keep the old value.
        grad: \(\partial\,\text{out} / \partial\,\text{self}\) summed over every ``backward()``
            call since creation or the last ``zero_grad()``; ``0.0`` at first.
        label: an optional name, shown by ``repr`` (handy when drawing a graph).

    Args:
        data: a real number (``int`` or ``float``; ``bool`` is rejected).
        label: an optional name for this node.

    Raises:
        TypeError: if ``data`` is not a real number (a tensor, a ``Value``, a string, a bool) or
            ``label`` is not a string.

    Examples:
        >>> from studykit.autograd import Value
        >>> w, x, b = Value(-0.5), Value(2.0), Value(1.0)
        >>> y = (w * x + b).tanh()
        >>> y.backward()
        >>> y
        Value(data=0.0, grad=1.0)
        >>> w.grad, x.grad, b.grad
        (2.0, -0.5, 1.0)

    Torch counterpart:
        A 0-d ``torch.Tensor`` with ``requires_grad=True``; ``Value.backward`` is
        ``Tensor.backward`` and ``Value.zero_grad`` plays the part of ``optimizer.zero_grad()``.

    Common mistakes:
        - Comparing Values with ``==``: that asks "same node?", not "same number?"; compare
          ``.data``.
        - Expecting ``grad`` to be overwritten by a second ``backward()``: it adds up.
        - Building a new graph each step but zeroing only the old one: call ``zero_grad()`` on
          the parameters (leaves) you keep, or on each new output before its backward.
    """

    __slots__ = ("_local_grads", "_op", "_parents", "data", "grad", "label")

    def __init__(self, data: float, label: str | None = None) -> None:
        number = _as_number(data)
        if number is None:
            hint = " (use .item() on a tensor)" if isinstance(data, torch.Tensor) else ""
            raise TypeError(f"data must be a real number, got {type(data).__name__}{hint}")
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label must be a string or None, got {type(label).__name__}")
        self.data: float = number
        self.grad: float = 0.0
        self.label: str | None = label
        self._parents: tuple[Value, ...] = ()
        self._local_grads: tuple[float, ...] = ()
        self._op: str = ""

    @staticmethod
    def _node(
        data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]
    ) -> Value:
        """A new graph node: ``local_grads[i]`` is d(data)/d(parents[i]) at this point."""
        node = Value.__new__(Value)
        node.data = data
        node.grad = 0.0
        node.label = None
        node._parents = parents
        node._local_grads = local_grads
        node._op = op
        return node

    def __repr__(self) -> str:
        label = "" if self.label is None else f", label={self.label!r}"
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ----------------------------------------------------------------- arithmetic
    def __add__(self, other: Value | float) -> Value:
        r"""\(a + b\); \(\partial/\partial a = \partial/\partial b = 1\)."""
        if isinstance(other, Value):
            return Value._node(self.data + other.data, "+", (self, other), (1.0, 1.0))
        number = _as_number(other)
        if number is None:
            return NotImplemented
        return Value._node(self.data + number, "+", (self,), (1.0,))

    def __radd__(self, other: float) -> Value:
        r"""\(c + a\) for a number \(c\); \(\partial/\partial a = 1\)."""
        return self.__add__(other)

    def __neg__(self) -> Value:
        r"""\(-a\); \(\partial/\partial a = -1\)."""
        return Value._node(-self.data, "neg", (self,), (-1.0,))

    def __sub__(self, other: Value | float) -> Value:
        r"""\(a - b\); \(\partial/\partial a = 1\), \(\partial/\partial b = -1\)."""
        if isinstance(other, Value):
            return Value._node(self.data - other.data, "-", (self, other), (1.0, -1.0))
        number = _as_number(other)
        if number is None:
            return NotImplemented
        return Value._node(self.data - number, "-", (self,), (1.0,))

    def __rsub__(self, other: float) -> Value:
        r"""\(c - a\) for a number \(c\); \(\partial/\partial a = -1\)."""
        number = _as_number(other)
        if number is None:
            return NotImplemented
        return Value._node(number - self.data, "-", (self,), (-1.0,))

    def __mul__(self, other: Value | float) -> Value:
        r"""\(a b\); \(\partial/\partial a = b\), \(\partial/\partial b = a\)."""
        if isinstance(other, Value):
            return Value._node(self.data * other.data, "*", (self, other), (other.data, self.data))
        number = _as_number(other)
        if number is None:
            return NotImplemented
        return Value._node(self.data * number, "*", (self,), (number,))

    def __rmul__(self, other: float) -> Value:
        r"""\(c a\) for a number \(c\); \(\partial/\partial a = c\)."""
        return self.__mul__(other)

    def __truediv__(self, other: Value | float) -> Value:
        r"""\(a / b\); \(\partial/\partial a = 1/b\), \(\partial/\partial b = -a/b^2 = -(a/b)/b\).

        Raises:
            ZeroDivisionError: if \(b = 0\) (torch would return ``inf`` or ``nan``).
        """
        if isinstance(other, Value):
            b = other.data
            if b == 0:
                raise ZeroDivisionError(f"division by zero: the denominator is {other!r}")
            out = self.data / b
            return Value._node(out, "/", (self, other), (1.0 / b, -out / b))
        number = _as_number(other)
        if number is None:
            return NotImplemented
        if number == 0:
            raise ZeroDivisionError(f"division by zero: the denominator is {other!r}")
        return Value._node(self.data / number, "/", (self,), (1.0 / number,))

    def __rtruediv__(self, other: float) -> Value:
        r"""\(c / a\) for a number \(c\); \(\partial/\partial a = -c/a^2\).

        Raises:
            ZeroDivisionError: if \(a = 0\).
        """
        number = _as_number(other)
        if number is None:
            return NotImplemented
        a = self.data
        if a == 0:
            raise ZeroDivisionError(f"division by zero: the denominator is {self!r}")
        out = number / a
        return Value._node(out, "/", (self,), (-out / a,))

    def __pow__(self, other: Value | float) -> Value:
        r"""\(a^n\) for a number or a Value \(n\).

        Local derivatives: \(\partial/\partial a = n a^{n-1}\) (0 when \(n = 0\)) and, for a
        Value exponent, \(\partial/\partial n = a^n \ln a\) (0 at \(a = 0\), as in torch).

        Raises:
            ValueError: for a negative base with a Value exponent or a non-integer number one
                (the power is not a real number there).
            ZeroDivisionError: for a zero base with a negative exponent.
        """
        if isinstance(other, Value):
            out, d_base, d_exp = _power(self.data, other.data, variable_exponent=True)
            return Value._node(out, "**", (self, other), (d_base, d_exp))
        number = _as_number(other)
        if number is None:
            return NotImplemented
        out, d_base, _ = _power(self.data, number, variable_exponent=False)
        return Value._node(out, "**", (self,), (d_base,))

    def __rpow__(self, other: float) -> Value:
        r"""\(c^a\) for a number \(c \ge 0\); \(\partial/\partial a = c^a \ln c\) (0 if \(c = 0\)).

        Raises:
            ValueError: if \(c < 0\).
            ZeroDivisionError: if \(c = 0\) and \(a < 0\).
        """
        number = _as_number(other)
        if number is None:
            return NotImplemented
        out, _, d_exp = _power(number, self.data, variable_exponent=True)
        return Value._node(out, "**", (self,), (d_exp,))

    # ----------------------------------------------------------------- functions
    def exp(self) -> Value:
        r"""\(e^a\); \(\frac{d}{da} e^a = e^a\) (overflow gives ``inf``, as in torch)."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            out = math.inf
        return Value._node(out, "exp", (self,), (out,))

    def log(self) -> Value:
        r"""Natural log \(\ln a\); \(\frac{d}{da} \ln a = 1/a\).

        Raises:
            ValueError: if \(a \le 0\) (torch would return ``-inf`` or ``nan``).
        """
        a = self.data
        if a <= 0:
            raise ValueError(f"log is defined only for positive numbers, got {self!r}")
        return Value._node(math.log(a), "log", (self,), (1.0 / a,))

    def tanh(self) -> Value:
        r"""Hyperbolic tangent (쌍곡탄젠트) \(\tanh a\); \(\frac{d}{da}\tanh a = 1 - \tanh^2 a\)."""
        t = math.tanh(self.data)
        return Value._node(t, "tanh", (self,), (1.0 - t * t,))

    def relu(self) -> Value:
        r"""Rectified linear unit \(\max(0, a)\); derivative 1 if \(a > 0\), else 0 (like torch)."""
        a = self.data
        return Value._node(0.0 if a <= 0 else a, "relu", (self,), (1.0 if a > 0 else 0.0,))

    def sigmoid(self) -> Value:
        r"""Logistic sigmoid \(\sigma(a) = 1/(1 + e^{-a})\).

        Local derivative \(\sigma'(a) = \sigma(a)\,(1 - \sigma(a)) \le \tfrac14\). Computed
        without overflow for large \(|a|\): as \(e^{a}/(1 + e^{a})\) when \(a < 0\).
        """
        a = self.data
        if a >= 0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return Value._node(s, "sigmoid", (self,), (s * (1.0 - s),))

    # ----------------------------------------------------------------- gradients
    def _graph(self) -> list[Value]:
        """Every node ``self`` was computed from (``self`` included), each once, no recursion."""
        seen = {self}
        stack = [self]
        nodes: list[Value] = []
        while stack:
            node = stack.pop()
            nodes.append(node)
            for parent in node._parents:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return nodes

    def backward(self) -> None:
        r"""Add \(\partial\,\text{self} / \partial\,v\) to ``v.grad`` for every graph node \(v\).

        The seed is \(\partial\,\text{self}/\partial\,\text{self} = 1\). Each node passes
        \(\bar v \, \partial v / \partial u\) to every parent \(u\); a node is processed once all
        the nodes that used it have reported (reverse topological order, found iteratively with
        use counts, so deep graphs are fine). The gradients of this call are added to whatever
        ``.grad`` already holds: calling ``backward()`` twice doubles them, like torch's leaf
        ``.grad`` with ``retain_graph=True``. Call ``zero_grad()`` to start over.
        """
        nodes = self._graph()
        uses = dict.fromkeys(nodes, 0)
        for node in nodes:
            for parent in node._parents:
                uses[parent] += 1
        incoming = dict.fromkeys(nodes, 0.0)
        incoming[self] = 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            upstream = incoming[node]
            node.grad += upstream
            for parent, local in zip(node._parents, node._local_grads, strict=True):
                incoming[parent] += upstream * local
                uses[parent] -= 1
                if uses[parent] == 0:
                    ready.append(parent)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of the graph that produced ``self`` (itself too)."""
        for node in self._graph():
            node.grad = 0.0


Scalar = float | torch.Tensor | Value


def _scalar_of(out: object) -> float:
    """The float inside ``f``'s output, or a clear error if it is not one number."""
    if isinstance(out, Value):
        return out.data
    if isinstance(out, torch.Tensor):
        if out.numel() != 1:
            raise ValueError(
                "f must return a scalar (a number or a one-element tensor), got a tensor of "
                f"shape {tuple(out.shape)}"
            )
        return float(out.item())
    number = _as_number(out)
    if number is None:
        raise TypeError(
            f"f must return a scalar (a number or a one-element tensor), got {type(out).__name__}"
        )
    return number


@overload
def numerical_grad(f: Callable[[float], Scalar], x: float, eps: float = 1e-6) -> float: ...


@overload
def numerical_grad(
    f: Callable[[torch.Tensor], Scalar], x: torch.Tensor, eps: float = 1e-6
) -> torch.Tensor: ...


def numerical_grad(
    f: Callable[[float], Scalar] | Callable[[torch.Tensor], Scalar],
    x: float | torch.Tensor,
    eps: float = 1e-6,
) -> float | torch.Tensor:
    r"""Estimate the gradient of a scalar function by central differences (수치 미분).

    For each element \(x_i\), with \(e_i\) the \(i\)-th unit vector,

    $$ \frac{\partial f}{\partial x_i} \approx
       \frac{f(x + h\,e_i) - f(x - h\,e_i)}{2h}, \qquad h = \text{eps}. $$

    The error is \(O(h^2)\) from truncation plus about \(\epsilon_{\text{mach}} |f| / h\) from
    rounding, so a tiny ``eps`` is not always better; in float64 ``eps=1e-6`` leaves both near
    \(10^{-10}\). A tensor ``x`` is copied to contiguous float64 for the evaluations and the
    result cast back, so ``f`` receives float64 tensors of ``x``'s shape on ``x``'s device (a fresh
    copy each call) and ``x`` itself is never modified. Costs \(2n\) calls of ``f``.

    Args:
        f: the function; it takes a float (when ``x`` is a float) or a tensor shaped like ``x``
            and returns a scalar: a number, a one-element tensor or a ``Value``.
        x: the point, a float or a floating-point tensor of any shape and layout.
        eps: the step \(h\), a finite number ``> 0``.

    Returns:
        A float if ``x`` is a float, else a tensor with ``x``'s shape, dtype and device
        (contiguous, not requiring grad).

    Raises:
        ValueError: if ``eps`` is not a finite number ``> 0``, or ``f`` returns a tensor with more
            than one element.
        TypeError: if ``x`` is neither a number nor a floating-point tensor, or ``f`` does not
            return a number, a tensor or a ``Value``.

    Examples:
        >>> import torch
        >>> from studykit.autograd import numerical_grad
        >>> round(numerical_grad(lambda t: t**3, 2.0), 6)  # 3 x^2
        12.0
        >>> round(numerical_grad(lambda t: t**3, 2.0, eps=0.1), 6)  # 3 x^2 + h^2 for a cubic
        12.01
        >>> g = numerical_grad(lambda t: (t * t).sum(), torch.tensor([1.0, -2.0]))
        >>> g, g.dtype
        (tensor([ 2., -4.]), torch.float32)

    Torch counterpart:
        The finite differences inside ``torch.autograd.gradcheck`` (which compares them with the
        analytic gradients of ``torch.autograd.grad``).

    Common mistakes:
        - Using a forward difference \((f(x+h) - f(x))/h\): its error is \(O(h)\), not
          \(O(h^2)\).
        - Checking in float32: rounding error \(\approx 10^{-7}|f|/h\) swamps the slope; that is
          why this function evaluates in float64 (and ``gradcheck`` insists on it).
        - Closing ``f`` over float32 weights: ``f`` receives float64 tensors, so matmul with
          float32 weights fails; make them float64.
        - Probing at a kink (``relu`` at 0, ``abs`` at 0): the central difference averages the
          two one-sided slopes and disagrees with the autograd convention.
    """
    h = check_positive("eps", eps)
    if not isinstance(x, torch.Tensor):
        number = _as_number(x)
        if number is None:
            kind = type(x).__name__
            raise TypeError(f"x must be a number or a floating-point tensor, got {kind}")
        scalar_f = cast(Callable[[float], Scalar], f)
        return (_scalar_of(scalar_f(number + h)) - _scalar_of(scalar_f(number - h))) / (2 * h)
    check_floating("x", x)
    tensor_f = cast(Callable[[torch.Tensor], Scalar], f)
    point = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    flat_point = point.view(-1)
    grad = torch.zeros(point.numel(), dtype=torch.float64)
    for i in range(point.numel()):
        original = float(flat_point[i])
        values = []
        for shifted in (original + h, original - h):
            probe = point.clone()
            probe.view(-1)[i] = shifted
            values.append(_scalar_of(tensor_f(probe)))
        grad[i] = (values[0] - values[1]) / (2 * h)
    return grad.view(point.shape).to(device=x.device, dtype=x.dtype)
