r"""Feature scaling (스케일링): putting every column on a common scale.

Features measured in different units (a price in won, an age in years) have very different
ranges; gradient descent then takes tiny steps along one direction and huge ones along another,
and a distance-based method only sees the widest column. Scaling maps each column separately:

$$\text{standardization (표준화)}: z = \frac{x - \bar x}{s}, \qquad
  \text{min-max normalization (정규화)}: x' = \frac{x - \min}{\max - \min}$$

`standardize` gives each column mean 0 and standard deviation 1 (scikit-learn's
``StandardScaler``); `min_max_scale` maps it onto \([0, 1]\) or another interval
(``MinMaxScaler``).

Example, one column \([1, 2, 3]\): mean 2, population standard deviation
\(\sqrt{2/3} \approx 0.816\), so

    >>> standardize(torch.tensor([[1.0], [2.0], [3.0]])).squeeze(1)
    tensor([-1.2247,  0.0000,  1.2247])
    >>> min_max_scale(torch.tensor([[1.0], [2.0], [3.0]])).squeeze(1)
    tensor([0.0000, 0.5000, 1.0000])

Torch counterpart: none built in; ``(x - x.mean(0)) / x.std(0, correction=0)`` and
``(x - x.amin(0)) / (x.amax(0) - x.amin(0))`` by hand, or scikit-learn's scalers.

Common mistakes:
    - Scaling without looking at outliers first: one huge value squeezes every other value of a
      min-max scaled column into a tiny interval near 0.
    - Scaling the test set with its own statistics instead of the training set's.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from studykit._checks import check_non_negative
from studykit.preprocessing._common import _check_table, _column_min_max, _column_std

__all__ = ["min_max_scale", "standardize"]


def _check_number(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def standardize(x: torch.Tensor, correction: float = 0) -> torch.Tensor:
    r"""Standardization (표준화, z-score): each column to mean 0 and standard deviation 1.

    $$z_{ij} = \frac{x_{ij} - \bar x_j}{s_j}, \qquad
      s_j = \sqrt{\frac{1}{n_j - c}\sum_i (x_{ij} - \bar x_j)^2}$$

    where \(n_j\) counts the non-NaN entries of column \(j\) and \(c\) is ``correction``. The
    default \(c = 0\) (population standard deviation) is what scikit-learn's ``StandardScaler``
    uses; \(c = 1\) gives the sample standard deviation of ``torch.std`` and pandas.

    A constant column (every non-NaN entry equal, including a single row) has \(s_j = 0\);
    instead of dividing by zero it becomes all zeros, as in scikit-learn (which divides such a
    column by 1 after subtracting its mean). NaN entries are skipped by the statistics and stay
    NaN.

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.
        correction: The \(c\) subtracted from \(n_j\) in the divisor, a number \(\ge 0\).

    Returns:
        A tensor of the same shape and dtype.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor or ``correction`` is not a number.
        ValueError: If ``x`` is not 2-D or ``correction`` is negative.

    Examples:
        >>> standardize(torch.tensor([[1.0, 10.0], [2.0, 10.0], [3.0, 10.0]]))
        tensor([[-1.2247,  0.0000],
                [ 0.0000,  0.0000],
                [ 1.2247,  0.0000]])

    Torch counterpart:
        ``(x - x.mean(0)) / x.std(0, correction=0)`` (no NaN skipping, and ``nan`` for a
        constant column); scikit-learn ``StandardScaler().fit_transform(x)``.

    Common mistakes:
        - Using ``x.std(0)`` and expecting scikit-learn's numbers: ``torch.std`` defaults to
          \(c = 1\), ``StandardScaler`` to \(c = 0\).
        - Standardizing the test set with its own mean and standard deviation instead of the
          training set's.
    """
    data = _check_table("x", x)
    c = check_non_negative("correction", correction)
    valid = ~data.isnan()
    mean, std = _column_std(data, valid, c)
    low, high = _column_min_max(data, valid)
    z = torch.where(low == high, 0.0, (data - mean) / std)
    return torch.where(valid, z, data)


def min_max_scale(x: torch.Tensor, feature_range: tuple[float, float] = (0, 1)) -> torch.Tensor:
    r"""Min-max normalization (정규화, 최소-최대 스케일링): each column onto ``feature_range``.

    $$x'_{ij} = a + (b - a)\,\frac{x_{ij} - \min_j}{\max_j - \min_j},
      \qquad (a, b) = \texttt{feature\_range}$$

    The column's minimum goes to \(a\) and its maximum to \(b\). A constant column has
    \(\max_j - \min_j = 0\); it is divided by 1 instead, so every entry becomes exactly \(a\),
    as in scikit-learn's ``MinMaxScaler``. NaN entries are skipped when finding the minimum and
    maximum and stay NaN.

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.
        feature_range: The target interval \((a, b)\), with \(a < b\).

    Returns:
        A tensor of the same shape and dtype, with values in \([a, b]\).

    Raises:
        TypeError: If ``x`` is not a floating-point tensor or ``feature_range`` holds
            non-numbers.
        ValueError: If ``x`` is not 2-D or ``feature_range`` is not two numbers with
            \(a < b\).

    Examples:
        >>> min_max_scale(torch.tensor([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]]))
        tensor([[0.0000, 0.0000],
                [0.5000, 0.0000],
                [1.0000, 0.0000]])
        >>> min_max_scale(torch.tensor([[1.0], [3.0], [5.0]]), feature_range=(-1, 1))
        tensor([[-1.],
                [ 0.],
                [ 1.]])

    Torch counterpart:
        ``(x - x.amin(0)) / (x.amax(0) - x.amin(0))``; scikit-learn
        ``MinMaxScaler(feature_range).fit_transform(x)``.

    Common mistakes:
        - Forgetting that one outlier sets \(\max_j\): clip outliers first.
        - Expecting new data to stay inside \([a, b]\): values outside the training minimum and
          maximum land outside the range.
    """
    data = _check_table("x", x)
    if not isinstance(feature_range, Sequence) or len(feature_range) != 2:
        raise ValueError(f"feature_range must be a pair (min, max), got {feature_range!r}")
    a = _check_number("feature_range[0]", feature_range[0])
    b = _check_number("feature_range[1]", feature_range[1])
    if not a < b:
        raise ValueError(f"feature_range must have min < max, got {feature_range!r}")
    low, high = _column_min_max(data, ~data.isnan())
    span = high - low
    unit = (data - low) / torch.where(span == 0, 1.0, span)
    return a + (b - a) * unit
