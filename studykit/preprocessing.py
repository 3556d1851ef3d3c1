r"""Data preprocessing (데이터 전처리): turning raw columns into numbers a model can learn from.

Preprocessing is everything done to the data before training: removing or repairing missing
values (결측치 처리), taming outliers (이상치 처리), building new features (특성 공학) and
putting the features on a common scale (스케일링). Every function here works on a 2-D tensor
whose rows are samples and whose columns are features, and treats each column on its own, like
a pandas ``DataFrame`` or a scikit-learn ``fit_transform``:

| step | function | per column |
|---|---|---|
| 삭제 (deletion, ``dropna``) | `drop_rows_with_gaps` | drop every row holding a NaN |
| 평균 대체 (mean imputation) | `fill_mean` | NaN \(\to \bar x\) |
| 중앙값 대체 (median imputation) | `fill_median` | NaN \(\to\) the middle value |
| 최빈값 대체 (mode imputation) | `fill_mode` | NaN \(\to\) the most frequent value |
| 선형 보간 (linear interpolation) | `interpolate_linear` | a line between neighbours |
| 이상치 (outliers), 통계적 방법 | `clip_outliers_std` | clip to \(\bar x \pm k s\) |
| 이상치 (outliers), IQR 기반 | `clip_outliers_iqr` | clip to \(Q_1 - k\,IQR\), \(Q_3 + k\,IQR\) |
| 다항 특성 (polynomial) | `polynomial_features` | \(x_1, x_2, x_1^2, x_1x_2, x_2^2\) |
| 상호작용 특성 (interaction) | `interaction_features` | \(x_i x_j,\ i<j\) |
| 표준화 (standardization) | `standardize` | \((x - \bar x)/s\) |
| 정규화 (min-max normalization) | `min_max_scale` | \((x - \min)/(\max - \min)\) |

A single feature is a 2-D tensor too, one column: ``x.unsqueeze(1)`` (scikit-learn likewise
refuses 1-D input), so every function has one shape rule. The one exception is
`interpolate_linear`, which also takes a 1-D tensor as a single column, because its common case
is one series in time order (a pandas ``Series``).

Missing values (NaN) follow one rule everywhere, the rule of pandas and scikit-learn: they are
*skipped* when a column's statistics (mean, median, mode, standard deviation, minimum,
quartiles) are computed, and they stay NaN in the output (only the ``fill_*`` functions and
`interpolate_linear` replace them, and `drop_rows_with_gaps` removes them with their rows). Each
function computes its statistics from the tensor it is given, which makes it a
``fit_transform``. The statistics are written out with masks and sums so the formulas are
visible; the tests check them against ``torch.nanmean``, ``torch.std`` and ``torch.nanquantile``.

Two standard deviations appear, and the difference is a parameter, not an accident:

$$s = \sqrt{\frac{1}{n - c}\sum_i (x_i - \bar x)^2}, \qquad c = \texttt{correction}$$

pandas' ``Series.std()`` (used by the notes' outlier rule) is the sample standard deviation,
\(c = 1\); scikit-learn's ``StandardScaler`` divides by the population standard deviation,
\(c = 0\). The defaults here follow the tool the notes use for each step.

Common mistakes:
    - Computing the mean and standard deviation on the whole data set before splitting it: the
      validation and test rows leak into training (데이터 누수, data leakage). Compute the
      statistics on the training rows and reuse them for the others.
    - Scaling without looking at outliers first: one huge value squeezes every other value of a
      min-max scaled column into a tiny interval near 0.
    - Treating the two standard deviations as the same number: for 5 rows they differ by a
      factor \(\sqrt{5/4} \approx 1.12\).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, combinations_with_replacement
from typing import Literal

import torch

from studykit._checks import check_floating, check_non_negative

__all__ = [
    "clip_outliers_iqr",
    "clip_outliers_std",
    "drop_rows_with_gaps",
    "fill_mean",
    "fill_median",
    "fill_mode",
    "interaction_features",
    "interpolate_linear",
    "min_max_scale",
    "polynomial_features",
    "standardize",
]

Interpolation = Literal["linear", "lower", "higher", "midpoint", "nearest"]
INTERPOLATIONS: tuple[str, ...] = ("linear", "lower", "higher", "midpoint", "nearest")
LimitDirection = Literal["forward", "backward", "both"]
LIMIT_DIRECTIONS: tuple[str, ...] = ("forward", "backward", "both")


def _check_table(name: str, value: object) -> torch.Tensor:
    """Return ``value`` if it is a 2-D float tensor (rows = samples, columns = features)."""
    x = check_floating(name, value)
    if x.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (rows = samples, columns = features), got shape "
            f"{tuple(x.shape)}; use {name}.unsqueeze(1) for a single column"
        )
    return x


def _column_mean(x: torch.Tensor, valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each column's mean over its non-NaN entries, and how many entries that was."""
    count = valid.sum(dim=0).to(x.dtype)
    total = torch.where(valid, x, 0.0).sum(dim=0)
    return total / count, count  # an all-NaN column gives 0 / 0 = NaN


def _column_std(
    x: torch.Tensor, valid: torch.Tensor, correction: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Each column's mean and standard deviation over its non-NaN entries.

    The divisor is ``max(0, n - correction)`` as in ``torch.std``: with too few entries the
    variance is ``0 / 0 = NaN`` (or ``inf``), never an error.
    """
    mean, count = _column_mean(x, valid)
    squares = torch.where(valid, (x - mean) ** 2, 0.0).sum(dim=0)
    divisor = (count - correction).clamp(min=0)
    return mean, (squares / divisor).sqrt()


def _column_min_max(x: torch.Tensor, valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each column's smallest and largest non-NaN entry (``inf``/``-inf`` if there is none)."""
    inf = float("inf")
    low = torch.where(valid, x, inf).amin(dim=0) if x.shape[0] else x.new_full(x.shape[1:], inf)
    high = torch.where(valid, x, -inf).amax(dim=0) if x.shape[0] else -low
    return low, high


def _column_quantile(
    x: torch.Tensor, valid: torch.Tensor, q: float, interpolation: str
) -> torch.Tensor:
    r"""Each column's ``q``-quantile over its non-NaN entries (``torch.nanquantile`` semantics).

    Sort the column (NaN sorts last), then read position \(p = q\,(n-1)\) of the \(n\) valid
    entries: between the neighbours \(\lfloor p \rfloor\) and \(\lceil p \rceil\) by the chosen
    ``interpolation``.
    """
    if x.shape[0] == 0:
        return x.new_full(x.shape[1:], float("nan"))
    ordered = x.sort(dim=0).values
    count = valid.sum(dim=0).to(x.dtype)
    position = q * (count - 1)  # an all-NaN column gives -q: clamped, reads NaN
    if interpolation == "nearest":
        position = position.round()  # halves go to the even neighbour, as in torch
    below = position.floor().clamp(min=0).long()
    above = position.ceil().clamp(min=0).long()
    low = ordered.gather(0, below.unsqueeze(0)).squeeze(0)
    high = ordered.gather(0, above.unsqueeze(0)).squeeze(0)
    if interpolation in ("lower", "nearest"):
        return low
    if interpolation == "higher":
        return high
    if interpolation == "midpoint":
        return (low + high) / 2
    return low + (high - low) * (position - below)


def _clip(x: torch.Tensor, lower: torch.Tensor, upper: torch.Tensor) -> torch.Tensor:
    """The notes' two ``np.where`` lines: a NaN value or a NaN bound leaves the value alone."""
    out = torch.where(x > upper, upper, x)
    return torch.where(out < lower, lower, out)


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
