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

The modules, one step each:

- ``missing``: ``drop_rows_with_gaps``, ``fill_mean``, ``fill_median``, ``fill_mode``,
  ``interpolate_linear``;
- ``outliers``: ``clip_outliers_std``, ``clip_outliers_iqr``;
- ``features``: ``polynomial_features``, ``interaction_features``;
- ``scaling``: ``standardize``, ``min_max_scale``.

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
    - Treating the two standard deviations as the same number: for 5 rows they differ by a
      factor \(\sqrt{5/4} \approx 1.12\).
"""

from studykit.preprocessing.features import interaction_features, polynomial_features
from studykit.preprocessing.missing import (
    drop_rows_with_gaps,
    fill_mean,
    fill_median,
    fill_mode,
    interpolate_linear,
)
from studykit.preprocessing.outliers import clip_outliers_iqr, clip_outliers_std
from studykit.preprocessing.scaling import min_max_scale, standardize

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
