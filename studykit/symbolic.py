r"""Symbolic derivatives (기호 미분): the formulas behind the activations, differentiated exactly.

Autograd (``studykit.autograd``, ``torch.autograd``) gives the *number*
\(\partial y / \partial x\) at one point. Sometimes you want the *formula* instead, to see why
the sigmoid's slope never exceeds \(\tfrac14\) or why tanh is steeper at 0. This module keeps
each formula as text in one variable \(x\) and differentiates it with sympy:

$$\sigma(x) = \frac{1}{1 + e^{-x}} \quad\Longrightarrow\quad
  \sigma'(x) = \frac{e^{-x}}{(1 + e^{-x})^2} = \sigma(x)\,(1 - \sigma(x))$$

The results are plain strings in the syntax a student types (``exp(-x)/(1 + exp(-x))**2``), so a
quiz can take them as answer keys and compare a student's formula by equivalence, not spelling:
the checker (``studykit.questions.checking``) evaluates both formulas at many points of the
domain the question states. sympy only ever differentiates the fixed formulas of ``FORMULAS``
here, a bounded amount of work done once per formula; a student's answer never reaches sympy.

Common mistakes:
    - Forgetting the chain rule inside: \(\frac{d}{dx} e^{-x} = -e^{-x}\), not \(e^{-x}\).
    - Writing \(\sigma'(x) = \sigma(x)^2\): the factor is \(1 - \sigma(x)\), not \(\sigma(x)\).
    - Confusing \(\tanh'(x) = 1 - \tanh^2(x)\) with \(1 - \tanh(x)\).
"""

from __future__ import annotations

import functools

__all__ = ["FORMULAS", "derivative", "formula"]

# Each activation as a formula in x (the variable students use).
FORMULAS: dict[str, str] = {
    "sigmoid": "1/(1 + exp(-x))",
    "tanh": "(exp(x) - exp(-x))/(exp(x) + exp(-x))",
    "softplus": "log(1 + exp(x))",
    "square": "x**2",
    "swish": "x/(1 + exp(-x))",
    "mish": "x*tanh(log(1 + exp(x)))",
    "exp_decay": "exp(-x**2/2)",
}


def formula(name: str) -> str:
    r"""The formula of a named function, as text in \(x\).

    Args:
        name: One of ``FORMULAS``' keys.

    Returns:
        The formula, e.g. ``"1/(1 + exp(-x))"`` for ``"sigmoid"``.

    Raises:
        ValueError: If the name is unknown.

    Examples:
        >>> formula("sigmoid")
        '1/(1 + exp(-x))'

    Torch counterpart:
        The math behind ``torch.sigmoid``, ``torch.tanh``, ``F.softplus``, ...

    Common mistakes:
        - Reading ``exp(-x)`` as ``-exp(x)``.
    """
    if name not in FORMULAS:
        raise ValueError(f"unknown function {name!r} (known: {', '.join(FORMULAS)})")
    return FORMULAS[name]


@functools.cache
def derivative(name: str) -> str:
    r"""The exact derivative \(f'(x)\) of a named function, differentiated by sympy.

    Args:
        name: One of ``FORMULAS``' keys.

    Returns:
        The derivative as text in \(x\), in the syntax a student types.

    Raises:
        ValueError: If the name is unknown.

    Examples:
        >>> derivative("sigmoid")
        'exp(-x)/(1 + exp(-x))**2'
        >>> derivative("square")
        '2*x'

    Torch counterpart:
        ``torch.autograd.grad`` gives the value of this formula at a point.

    Common mistakes:
        - Expecting a unique spelling: ``exp(-x)/(1 + exp(-x))**2`` and ``s*(1 - s)`` with
          ``s = 1/(1 + exp(-x))`` are the same function.
    """
    import sympy  # type: ignore[import-untyped]

    x = sympy.Symbol("x")
    expression = sympy.sympify(formula(name), locals={"x": x})
    return str(sympy.diff(expression, x)).replace("(exp(-x) + 1)", "(1 + exp(-x))")
