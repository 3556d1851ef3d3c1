r"""Outliers (이상치): values far from the rest of their column, clipped to a bound.

An outlier is a value that lies unusually far from the others: a typo (an age of 999), a broken
sensor, or a real but rare case. It drags the mean and the standard deviation with it and sets
the minimum or maximum a min-max scaler uses. The notes' treatment clips (잘라내기) each value to
an interval \([\text{lower}_j, \text{upper}_j]\) of its column \(j\), built in one of two ways:

$$\text{통계적 방법}: \bar x_j \pm k\,s_j \ (k = 2), \qquad
  \text{IQR 기반}: [\,Q_{1,j} - k\,\mathrm{IQR}_j,\ Q_{3,j} + k\,\mathrm{IQR}_j\,]\ (k = 1.5)$$

`clip_outliers_std` uses the mean and the sample standard deviation; `clip_outliers_iqr` uses
the quartiles (사분위수) and the interquartile range (사분위 범위)
\(\mathrm{IQR} = Q_3 - Q_1\), which the outlier itself barely moves.

Example, the column \([1, 2, 3, 4, 100]\): \(Q_1 = 2\), \(Q_3 = 4\), \(\mathrm{IQR} = 2\), so
the upper fence is \(4 + 1.5 \cdot 2 = 7\):

    >>> clip_outliers_iqr(torch.tensor([[1.0], [2.0], [3.0], [4.0], [100.0]])).squeeze(1)
    tensor([1., 2., 3., 4., 7.])

Torch counterpart: ``torch.clamp(x, lower, upper)`` once the bounds are known, with
``x.std(0)`` or ``torch.nanquantile`` for them; pandas ``s.clip(lower, upper)``.

Common mistakes:
    - Clipping the validation or test rows with bounds computed from them instead of from the
      training rows.
    - Clipping every extreme value without asking why it is extreme: a real rare case carries
      information, a typo does not.
"""

from __future__ import annotations

from typing import Literal

import torch

from studykit._checks import check_non_negative
from studykit.preprocessing._common import _check_table, _column_quantile, _column_std

__all__ = ["clip_outliers_iqr", "clip_outliers_std"]

Interpolation = Literal["linear", "lower", "higher", "midpoint", "nearest"]
INTERPOLATIONS: tuple[str, ...] = ("linear", "lower", "higher", "midpoint", "nearest")


def _clip(x: torch.Tensor, lower: torch.Tensor, upper: torch.Tensor) -> torch.Tensor:
    """The notes' two ``np.where`` lines: a NaN value or a NaN bound leaves the value alone."""
    out = torch.where(x > upper, upper, x)
    return torch.where(out < lower, lower, out)


def clip_outliers_std(x: torch.Tensor, k: float = 2.0, correction: float = 1) -> torch.Tensor:
    r"""Clip outliers with the mean and standard deviation (이상치 처리, 통계적 방법).

    $$\text{lower}_j = \bar x_j - k\,s_j, \qquad \text{upper}_j = \bar x_j + k\,s_j, \qquad
      x'_{ij} = \min(\max(x_{ij}, \text{lower}_j), \text{upper}_j)$$

    This is the notes' pandas recipe with \(k = 2\): ``df.mean()`` and ``df.std()`` (sample
    standard deviation, ``correction=1``, NaN skipped), then two ``np.where`` lines that replace
    values above the upper bound by the bound and values below the lower bound by that bound.
    As with ``np.where``, a NaN entry stays NaN, and a column whose standard deviation is NaN (a
    single non-NaN entry with ``correction=1``) is left unchanged.

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.
        k: How many standard deviations from the mean are allowed, a number \(\ge 0\).
        correction: The \(c\) in \(s_j = \sqrt{\sum_i (x_{ij} - \bar x_j)^2 / (n_j - c)}\).

    Returns:
        A tensor of the same shape and dtype.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor or ``k``/``correction`` is not a
            number.
        ValueError: If ``x`` is not 2-D or ``k``/``correction`` is negative.

    Examples:
        >>> x = torch.tensor([[1.0], [2.0], [3.0], [4.0], [100.0]])
        >>> clip_outliers_std(x, k=1.0).squeeze(1)  # mean 22, sample std 43.6
        tensor([ 1.0000,  2.0000,  3.0000,  4.0000, 65.6177])
        >>> clip_outliers_std(x).squeeze(1)  # k = 2: the bound 109.2 clips nothing
        tensor([  1.,   2.,   3.,   4., 100.])

    Torch counterpart:
        ``torch.clamp(x, mean - k * std, mean + k * std)`` with ``std = x.std(0)``; pandas
        ``s.clip(s.mean() - k * s.std(), s.mean() + k * s.std())``.

    Common mistakes:
        - The outlier itself inflates the mean and the standard deviation, so with few rows a
          large \(k\) never clips anything: with \(n\) rows no value can be more than
          \((n-1)/\sqrt n\) sample standard deviations from the mean.
        - Mixing up ``correction``: pandas' ``std()`` is \(c = 1\), numpy's ``np.std`` is
          \(c = 0\).
    """
    data = _check_table("x", x)
    factor = check_non_negative("k", k)
    c = check_non_negative("correction", correction)
    mean, std = _column_std(data, ~data.isnan(), c)
    return _clip(data, mean - factor * std, mean + factor * std)


def clip_outliers_iqr(
    x: torch.Tensor, k: float = 1.5, interpolation: Interpolation = "linear"
) -> torch.Tensor:
    r"""Clip outliers with the interquartile range (이상치 처리, IQR 기반, 사분위 범위).

    $$\mathrm{IQR}_j = Q_{3,j} - Q_{1,j}, \qquad
      x'_{ij} = \min(\max(x_{ij},\ Q_{1,j} - k\,\mathrm{IQR}_j),\ Q_{3,j} + k\,\mathrm{IQR}_j)$$

    \(Q_1\) and \(Q_3\) are the 0.25 and 0.75 quantiles (제1, 제3 사분위수) of the column's
    non-NaN entries. With \(n\) sorted values \(v_0 \le \dots \le v_{n-1}\), the
    \(q\)-quantile sits at position \(p = q\,(n-1)\); ``'linear'`` (the default of pandas,
    numpy and torch) reads \(v_{\lfloor p\rfloor} + (p - \lfloor p\rfloor)(v_{\lceil
    p\rceil} - v_{\lfloor p\rfloor})\), and ``'lower'``, ``'higher'``, ``'midpoint'``,
    ``'nearest'`` are torch's other choices. Clipping follows the notes' ``np.where`` lines, so
    NaN entries stay NaN. The default \(k = 1.5\) is Tukey's fence, the notes' rule.

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.
        k: How many IQRs beyond the quartiles are allowed, a number \(\ge 0\).
        interpolation: How a quantile between two entries is read, as in ``torch.quantile``.

    Returns:
        A tensor of the same shape and dtype.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor or ``k`` is not a number.
        ValueError: If ``x`` is not 2-D, ``k`` is negative or ``interpolation`` is unknown.

    Examples:
        >>> x = torch.tensor([[1.0], [2.0], [3.0], [4.0], [100.0]])
        >>> clip_outliers_iqr(x).squeeze(1)
        tensor([1., 2., 3., 4., 7.])

    Torch counterpart:
        ``torch.clamp(x, q1 - k * iqr, q3 + k * iqr)`` with
        ``q1, q3 = torch.nanquantile(x, torch.tensor([0.25, 0.75]), dim=0)``; pandas
        ``s.quantile(0.25)`` and ``s.quantile(0.75)`` (linear interpolation).

    Common mistakes:
        - Computing quartiles by hand with a different convention (the median of each half,
          as in many textbooks) and getting other bounds: state the interpolation.
        - Expecting the IQR rule to catch outliers in a column that is mostly one value: its
          IQR is 0, so every other value is clipped to that value.
    """
    data = _check_table("x", x)
    factor = check_non_negative("k", k)
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {INTERPOLATIONS}, got {interpolation!r}")
    valid = ~data.isnan()
    q1 = _column_quantile(data, valid, 0.25, interpolation)
    q3 = _column_quantile(data, valid, 0.75, interpolation)
    iqr = q3 - q1
    return _clip(data, q1 - factor * iqr, q3 + factor * iqr)
