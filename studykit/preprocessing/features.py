r"""Feature engineering (특성 공학): new columns built from the old ones.

A linear model can only add up weighted columns, so a curve or an effect of one feature that
depends on another is out of its reach. Products of columns bring it back within reach: fit a
linear model on them and it becomes a polynomial regression (다항 회귀):

$$[x_1, x_2] \mapsto
  [\underbrace{x_1,\ x_2,\ x_1^2,\ x_1 x_2,\ x_2^2}_{\text{다항 특성 (polynomial)}}],
  \qquad [x_1, x_2, x_3] \mapsto
  [\underbrace{x_1 x_2,\ x_1 x_3,\ x_2 x_3}_{\text{상호작용 특성 (interaction)}}]$$

`polynomial_features` returns every monomial up to a degree, `interaction_features` only the
products of two different columns.

Example, one row \([2, 3]\):

    >>> polynomial_features(torch.tensor([[2.0, 3.0]]))
    tensor([[2., 3., 4., 6., 9.]])
    >>> interaction_features(torch.tensor([[2.0, 3.0]]))
    tensor([[6.]])

Torch counterpart: none built in; scikit-learn ``PolynomialFeatures``, or in pandas one column
at a time, ``df['feature1'] * df['feature2']``.

Common mistakes:
    - Building features from the target (or from future rows): the model then sees the answer.
    - Expanding before scaling and then being surprised by the magnitudes of the high powers.
"""

from __future__ import annotations

from itertools import combinations, combinations_with_replacement

import torch

from studykit.preprocessing._common import _check_table

__all__ = ["interaction_features", "polynomial_features"]


def polynomial_features(
    x: torch.Tensor, degree: int = 2, include_bias: bool = False
) -> torch.Tensor:
    r"""Polynomial features (다항 특성): every product of up to ``degree`` columns.

    For features \(x_1, \dots, x_F\) the output holds, degree by degree, every monomial
    \(x_{i_1} x_{i_2} \cdots x_{i_d}\) with \(i_1 \le i_2 \le \dots \le i_d\), in
    lexicographic order, as scikit-learn's ``PolynomialFeatures`` does. For two features and
    ``degree=2``:

    $$[x_1, x_2] \mapsto [1,\ x_1,\ x_2,\ x_1^2,\ x_1 x_2,\ x_2^2]$$

    (the leading 1 only with ``include_bias=True``). There are \(\binom{F + d}{d}\) columns
    with the bias and one fewer without. A linear model on these columns is a polynomial
    regression (다항 회귀).

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.
        degree: The largest total degree \(d \ge 0\).
        include_bias: Whether to start with a column of ones (the degree-0 term).

    Returns:
        A tensor of shape ``(rows, number of monomials)`` with the dtype of ``x``.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor, ``degree`` is not an int or
            ``include_bias`` is not a bool.
        ValueError: If ``x`` is not 2-D, ``degree`` is negative, or ``degree=0`` without the
            bias (no columns at all).

    Examples:
        >>> polynomial_features(torch.tensor([[2.0, 3.0]]))
        tensor([[2., 3., 4., 6., 9.]])
        >>> polynomial_features(torch.tensor([[2.0, 3.0]]), include_bias=True)
        tensor([[1., 2., 3., 4., 6., 9.]])

    Torch counterpart:
        None in torch; scikit-learn ``PolynomialFeatures(degree, include_bias=...)`` (whose
        default is ``include_bias=True``; here it is ``False``, the notes' ``x ** 2`` columns).

    Common mistakes:
        - Forgetting how fast the columns grow: 10 features with ``degree=3`` give 285.
        - Not scaling afterwards: \(x^3\) of a feature in the hundreds is in the millions.
    """
    data = _check_table("x", x)
    if isinstance(degree, bool) or not isinstance(degree, int):
        raise TypeError(f"degree must be an int, got {type(degree).__name__}")
    if not isinstance(include_bias, bool):
        raise TypeError(f"include_bias must be a bool, got {type(include_bias).__name__}")
    if degree < 0:
        raise ValueError(f"degree must be >= 0, got {degree}")
    if degree == 0 and not include_bias:
        raise ValueError("degree=0 with include_bias=False gives no columns at all")
    columns = [data.new_ones(data.shape[0], 1)] if include_bias else []
    for d in range(1, degree + 1):
        terms = list(combinations_with_replacement(range(data.shape[1]), d))
        if terms:
            index = torch.tensor(terms, device=data.device)  # (monomials, d) column numbers
            columns.append(data[:, index].prod(dim=-1))
    return torch.cat(columns, dim=1) if columns else data.new_empty(data.shape[0], 0)


def interaction_features(x: torch.Tensor) -> torch.Tensor:
    r"""Interaction features (상호작용 특성): the product of every pair of different columns.

    $$[x_1, \dots, x_F] \mapsto [x_1x_2,\ x_1x_3,\ \dots,\ x_1x_F,\ x_2x_3,\ \dots,\
      x_{F-1}x_F]$$

    Pairs \(i < j\) in lexicographic order, \(\binom{F}{2}\) columns. The notes' example is one
    such column, ``df['feature1'] * df['feature2']``: it lets a linear model use "the effect
    of \(x_1\) depends on \(x_2\)".

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.

    Returns:
        A tensor of shape ``(rows, F * (F - 1) // 2)`` (no columns when \(F < 2\)).

    Raises:
        TypeError: If ``x`` is not a floating-point tensor.
        ValueError: If ``x`` is not 2-D.

    Examples:
        >>> interaction_features(torch.tensor([[2.0, 3.0, 5.0]]))
        tensor([[ 6., 10., 15.]])

    Torch counterpart:
        None in torch; the last columns of scikit-learn
        ``PolynomialFeatures(2, interaction_only=True, include_bias=False)``, which also keeps
        the original columns first.

    Common mistakes:
        - Including the squares \(x_i^2\): those are polynomial, not interaction, features.
    """
    data = _check_table("x", x)
    pairs = list(combinations(range(data.shape[1]), 2))
    if not pairs:
        return data.new_empty(data.shape[0], 0)
    index = torch.tensor(pairs, device=data.device)
    return data[:, index[:, 0]] * data[:, index[:, 1]]
