r"""Missing values (결측치): deleting or filling the NaN gaps of a table.

A missing value is an entry that was never recorded, stored as NaN. Most models cannot take
NaN, so each gap is either removed with its row (삭제, deletion) or replaced by an estimate
(대체, imputation) computed from the known entries of the same column \(j\):

$$x'_{ij} = \begin{cases} x_{ij} & x_{ij} \text{ is a number} \\
  \text{a statistic of column } j & x_{ij} = \mathrm{NaN} \end{cases}$$

- `drop_rows_with_gaps`: delete every row holding a NaN (pandas ``dropna``);
- `fill_mean`, `fill_median`, `fill_mode`: the column's mean (평균값), median (중앙값) or mode
  (최빈값);
- `interpolate_linear`: the straight line between the neighbouring rows (선형 보간), for rows in
  time order.

Example, one column \([1, \mathrm{NaN}, 3, 10]\): its mean is \(14/3 \approx 4.67\), its median
3, and the line between the neighbours 1 and 3 gives 2:

    >>> nan = float("nan")
    >>> x = torch.tensor([[1.0], [nan], [3.0], [10.0]])
    >>> fill_mean(x).squeeze(1)
    tensor([ 1.0000,  4.6667,  3.0000, 10.0000])
    >>> fill_median(x).squeeze(1)
    tensor([ 1.,  3.,  3., 10.])
    >>> interpolate_linear(x).squeeze(1)
    tensor([ 1.,  2.,  3., 10.])

Torch counterpart: none built in; ``torch.where(x.isnan(), x.nanmean(0), x)`` by hand, pandas
``df.dropna()``, ``df.fillna(...)``, ``df.interpolate()``, scikit-learn ``SimpleImputer``.

Common mistakes:
    - Filling with the mean of a column that has outliers: the median is the safer choice.
    - Filling first and splitting later: the fill values then include validation and test rows.
"""

from __future__ import annotations

from typing import Literal

import torch

from studykit._checks import check_floating
from studykit.preprocessing._common import _check_table, _column_mean, _column_quantile

__all__ = [
    "drop_rows_with_gaps",
    "fill_mean",
    "fill_median",
    "fill_mode",
    "interpolate_linear",
]

LimitDirection = Literal["forward", "backward", "both"]
LIMIT_DIRECTIONS: tuple[str, ...] = ("forward", "backward", "both")


def fill_mean(x: torch.Tensor) -> torch.Tensor:
    r"""Mean imputation (결측치 대체, 평균값으로 채우기): replace each NaN by its column's mean.

    $$x'_{ij} = \begin{cases} x_{ij} & x_{ij} \text{ is a number} \\
      \bar x_j = \frac{1}{n_j}\sum_{i:\,x_{ij} \ne \mathrm{NaN}} x_{ij} & x_{ij} = \mathrm{NaN}
      \end{cases}$$

    The mean skips the NaN entries (\(n_j\) counts the others), as pandas' ``mean()`` does. A
    column with no number at all has no mean; it stays all NaN, as with the notes'
    ``df[c].fillna(df[c].mean())`` (scikit-learn's ``SimpleImputer`` would drop that column).

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.

    Returns:
        A tensor of the same shape and dtype with no NaN outside all-NaN columns.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor.
        ValueError: If ``x`` is not 2-D.

    Examples:
        >>> nan = float("nan")
        >>> fill_mean(torch.tensor([[1.0, nan], [nan, 4.0], [3.0, 8.0]]))
        tensor([[1., 6.],
                [2., 4.],
                [3., 8.]])

    Torch counterpart:
        ``torch.where(x.isnan(), x.nanmean(0), x)``; pandas ``df.fillna(df.mean())``;
        scikit-learn ``SimpleImputer(strategy="mean")``.

    Common mistakes:
        - ``x.mean(0)`` instead of a NaN-skipping mean: one NaN makes the column mean NaN and
          nothing gets filled.
        - Filling before splitting: the mean then includes validation and test rows.
    """
    data = _check_table("x", x)
    valid = ~data.isnan()
    mean, _ = _column_mean(data, valid)
    return torch.where(valid, data, mean)


def drop_rows_with_gaps(x: torch.Tensor) -> torch.Tensor:
    r"""Deletion (결측치 삭제, ``dropna``): keep only the rows with no NaN at all.

    $$x' = \bigl(x_{i,:}\bigr)_{i \in R}, \qquad
      R = \{\, i : x_{ij} \ne \mathrm{NaN} \text{ for every column } j \,\}$$

    The surviving rows keep their order. This is the simplest repair and the most wasteful:
    a row with one gap in twenty columns is thrown away whole, and when the gaps are not random
    (a sensor that fails when it is hot) the rows left are no longer a fair sample.

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.

    Returns:
        A tensor of shape ``(rows kept, columns)`` with the dtype of ``x``.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor.
        ValueError: If ``x`` is not 2-D.

    Examples:
        >>> nan = float("nan")
        >>> drop_rows_with_gaps(torch.tensor([[1.0, 2.0], [nan, 3.0], [4.0, 5.0]]))
        tensor([[1., 2.],
                [4., 5.]])

    Torch counterpart:
        ``x[~x.isnan().any(dim=1)]``; pandas ``df.dropna()`` (default ``how="any"``,
        ``axis=0``).

    Common mistakes:
        - Dropping the labels' rows separately from the features': drop them together (keep
          the mask ``~x.isnan().any(dim=1)`` and index both with it).
        - ``x[~x.isnan()]``: that drops single *entries* and flattens the table to 1-D.
    """
    data = _check_table("x", x)
    return data[~data.isnan().any(dim=1)]


def fill_median(x: torch.Tensor) -> torch.Tensor:
    r"""Median imputation (결측치 대체, 중앙값으로 채우기): replace each NaN by its column's median.

    Sort the \(n_j\) numbers of column \(j\) (NaN skipped) into
    \(v_{(1)} \le \dots \le v_{(n_j)}\); the median (중앙값) is the middle one, or the mean of
    the two middle ones when \(n_j\) is even:

    $$\operatorname{med}_j = \begin{cases} v_{((n_j+1)/2)} & n_j \text{ odd} \\
      \tfrac12\bigl(v_{(n_j/2)} + v_{(n_j/2+1)}\bigr) & n_j \text{ even} \end{cases}$$

    Unlike the mean, the median ignores how far the outliers (이상치) lie, so one absurd value
    cannot drag the filled-in values with it. A column with no number stays all NaN, as with
    pandas.

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.

    Returns:
        A tensor of the same shape and dtype with no NaN outside all-NaN columns.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor.
        ValueError: If ``x`` is not 2-D.

    Examples:
        >>> nan = float("nan")
        >>> fill_median(torch.tensor([[1.0, 5.0], [nan, 1.0], [2.0, nan], [100.0, 2.0]]))
        tensor([[  1.,   5.],
                [  2.,   1.],
                [  2.,   2.],
                [100.,   2.]])

    Torch counterpart:
        ``torch.where(x.isnan(), x.nanquantile(0.5, dim=0), x)``; pandas
        ``df.fillna(df.median())``; scikit-learn ``SimpleImputer(strategy="median")``.

    Common mistakes:
        - ``torch.median`` / ``torch.nanmedian``: for an even count they return the *lower*
          of the two middle values, not their mean (pandas and NumPy average them).
        - ``x.median(0)`` with NaN present: ``torch.median`` lets NaN win; use a NaN-skipping
          statistic.
    """
    data = _check_table("x", x)
    valid = ~data.isnan()
    median = _column_quantile(data, valid, 0.5, "linear")
    return torch.where(valid, data, median)


def fill_mode(x: torch.Tensor) -> torch.Tensor:
    r"""Mode imputation (결측치 대체, 최빈값으로 채우기): replace each NaN by its column's mode.

    The mode (최빈값) of column \(j\) is the value that occurs most often among its numbers (NaN
    skipped); when several values tie, the **smallest** of them is used, as pandas does
    (``df.mode()`` lists the tied modes in increasing order and ``.iloc[0]`` takes the first):

    $$\operatorname{mode}_j = \min \operatorname*{arg\,max}_{v}\
      \bigl|\{\, i : x_{ij} = v \,\}\bigr|$$

    It is the natural fill for a categorical feature coded as numbers (a class, a rating, a
    count), where a mean such as 2.4 children is not a possible value. A column with no
    number stays all NaN.

    Args:
        x: A 2-D floating-point tensor, rows = samples, columns = features.

    Returns:
        A tensor of the same shape and dtype with no NaN outside all-NaN columns.

    Raises:
        TypeError: If ``x`` is not a floating-point tensor.
        ValueError: If ``x`` is not 2-D.

    Examples:
        >>> nan = float("nan")
        >>> fill_mode(torch.tensor([[3.0, 2.0], [1.0, nan], [3.0, 1.0], [nan, 2.0], [1.0, 5.0]]))
        tensor([[3., 2.],
                [1., 2.],
                [3., 1.],
                [1., 2.],
                [1., 5.]])

    Torch counterpart:
        Per column, ``torch.mode`` of the non-NaN values (which also picks the smallest of
        tied values, but lets NaN count as a value); pandas
        ``df.fillna(df.mode().iloc[0])``; scikit-learn
        ``SimpleImputer(strategy="most_frequent")`` (also the smallest on a tie).

    Common mistakes:
        - ``df.fillna(df.mode())`` without ``.iloc[0]``: ``mode()`` returns a table (one row
          per tied mode), and ``fillna`` then fills row by row, only the first rows.
        - Filling a continuous feature with its mode: with real-valued data almost every
          value occurs once, and the "mode" is just the smallest value.
    """
    data = _check_table("x", x)
    valid = ~data.isnan()
    modes = data.new_full(data.shape[1:], float("nan"))
    for j in range(data.shape[1]):
        numbers = data[:, j][valid[:, j]]
        if numbers.numel():
            values, counts = torch.unique(numbers, sorted=True, return_counts=True)
            modes[j] = values[counts.argmax()]  # argmax: the first (smallest) of tied values
    return torch.where(valid, data, modes)


def interpolate_linear(
    x: torch.Tensor, limit_direction: LimitDirection = "forward"
) -> torch.Tensor:
    r"""Linear interpolation of NaN gaps (선형 보간) down each column, pandas' default way.

    Rows are taken as equally spaced points \(0, 1, 2, \dots\) (pandas' ``method='linear'``
    ignores the index). A NaN at row \(i\) between the valid rows \(p < i < q\) becomes the
    value on the straight line through them:

    $$x'_{ij} = x_{pj} + (x_{qj} - x_{pj})\,\frac{i - p}{q - p}$$

    The NaNs before the first valid row (leading) and after the last one (trailing) have only
    one neighbour; like ``numpy.interp`` inside pandas they take that neighbour's value, and
    ``limit_direction`` says which of them are filled:

    - ``'forward'`` (pandas' default): trailing NaNs get the last valid value, leading NaNs
      stay NaN;
    - ``'backward'``: leading NaNs get the first valid value, trailing NaNs stay NaN;
    - ``'both'``: both are filled.

    A column with no valid value stays all NaN. (pandas' ``limit`` and ``limit_area`` options
    are not implemented: every gap is filled completely.)

    Args:
        x: A 2-D floating-point tensor, rows = samples (in order), columns = features; or a
            1-D tensor, taken as a single column (one series, like a pandas ``Series``).
        limit_direction: Which edge NaNs to fill: ``'forward'``, ``'backward'`` or ``'both'``.

    Returns:
        A tensor of the same shape and dtype (1-D in, 1-D out).

    Raises:
        TypeError: If ``x`` is not a floating-point tensor.
        ValueError: If ``x`` is not 1-D or 2-D, or ``limit_direction`` is unknown.

    Examples:
        >>> nan = float("nan")
        >>> x = torch.tensor([[nan], [1.0], [nan], [nan], [4.0], [nan]])
        >>> interpolate_linear(x).squeeze(1)
        tensor([nan, 1., 2., 3., 4., 4.])
        >>> interpolate_linear(x, limit_direction="both").squeeze(1)
        tensor([1., 1., 2., 3., 4., 4.])
        >>> interpolate_linear(torch.tensor([0.0, nan, nan, 6.0]))  # one series, 1-D
        tensor([0., 2., 4., 6.])

    Torch counterpart:
        None in torch; pandas ``df.interpolate(method="linear")`` (or
        ``series.interpolate()`` for 1-D input) with the default ``limit_direction='forward'``.

    Common mistakes:
        - Expecting the trailing NaNs to stay NaN (or the leading ones to be filled) with the
          default ``'forward'``: it is the other way round.
        - Interpolating rows that are not in time order (shuffled data): "between neighbours"
          only means something for ordered rows such as a time series (시계열).
    """
    data = check_floating("x", x)
    if data.ndim == 1:  # one series: a single column in, a single column out
        return interpolate_linear(data.unsqueeze(1), limit_direction).squeeze(1)
    if data.ndim != 2:
        raise ValueError(
            "x must be 1-D (one series) or 2-D (rows = samples, columns = features), got shape "
            f"{tuple(data.shape)}"
        )
    if limit_direction not in LIMIT_DIRECTIONS:
        raise ValueError(
            f"limit_direction must be one of {LIMIT_DIRECTIONS}, got {limit_direction!r}"
        )
    n = data.shape[0]
    valid = ~data.isnan()
    row = torch.arange(n, device=data.device).unsqueeze(1).expand_as(data)
    # The nearest valid row at or above each row (-1: none), and at or below it (n: none).
    prev = torch.where(valid, row, -1).cummax(dim=0).values if n else row
    next_ = torch.where(valid, row, n).flip(0).cummin(dim=0).values.flip(0) if n else row
    has_prev, has_next = prev >= 0, next_ < n
    y_prev = data.gather(0, prev.clamp(min=0))
    y_next = data.gather(0, next_.clamp(max=max(n - 1, 0)))
    gap = torch.where(next_ > prev, next_ - prev, 1).to(data.dtype)
    inside = y_prev + (y_next - y_prev) * ((row - prev).to(data.dtype) / gap)
    out = torch.where(has_prev & has_next, inside, data)
    if limit_direction in ("forward", "both"):
        out = torch.where(has_prev & ~has_next, y_prev, out)
    if limit_direction in ("backward", "both"):
        out = torch.where(~has_prev & has_next, y_next, out)
    return torch.where(valid, data, out)
