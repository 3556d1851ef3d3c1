"""studykit.preprocessing against torch computations and hand-derived pandas/sklearn results.

pandas and scikit-learn are not installed; the hard-coded cases below were derived by hand from
their documented semantics (quoted beside each case), and the sweeps compare against independent
torch computations: per-column loops over ``torch.std(correction=...)``, ``torch.nanmean``,
``torch.nanquantile`` and ``torch.clamp``.
"""

from __future__ import annotations

import math
from itertools import combinations, combinations_with_replacement

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import preprocessing as pp
from tests.helpers import non_contiguous

NAN = float("nan")
INTERPOLATIONS = ["linear", "lower", "higher", "midpoint", "nearest"]


def table(rows, dtype=torch.float64, device="cpu"):
    return torch.tensor(rows, dtype=dtype, device=device)


def messy(n: int, f: int, seed: int, dtype=torch.float64, device="cpu") -> torch.Tensor:
    """Normal data with NaNs, an outlier, a constant column and an all-NaN column mixed in."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, f, generator=g, dtype=torch.float64) * 3 + 1
    x[torch.rand(n, f, generator=g) < 0.2] = NAN
    if f > 1 and n > 1:
        x[0, 0] = 40.0  # an outlier
        x[:, 1] = 2.5  # a constant column
        x[n // 2, 1] = NAN
    if f > 2:
        x[:, 2] = NAN  # nothing to compute with
    return x.to(dtype=dtype, device=device)


def columns(x: torch.Tensor):
    for j in range(x.shape[1]):
        col = x[:, j]
        yield j, col, col[~col.isnan()]


# ---- independent references: one column at a time, with torch's own statistics ----


def ref_standardize(x: torch.Tensor, correction: float) -> torch.Tensor:
    out = x.clone()
    for j, col, v in columns(x):
        if v.numel() and bool((v == v[0]).all()):
            out[:, j] = torch.where(col.isnan(), col, 0.0)
        elif v.numel():
            out[:, j] = (col - v.mean()) / v.std(correction=correction)
    return out


def ref_min_max(x: torch.Tensor, a: float, b: float) -> torch.Tensor:
    out = x.clone()
    for j, col, v in columns(x):
        if v.numel():
            span = v.max() - v.min()
            unit = (col - v.min()) / span if span > 0 else col - v.min()
            out[:, j] = a + (b - a) * unit
    return out


def ref_clip_std(x: torch.Tensor, k: float, correction: float) -> torch.Tensor:
    mean = torch.nanmean(x, dim=0)
    out = x.clone()
    for j, col, v in columns(x):
        if v.numel() > correction:  # else pandas' std is NaN and np.where changes nothing
            std = v.std(correction=correction)
            out[:, j] = torch.clamp(col, mean[j] - k * std, mean[j] + k * std)
    return out


def ref_clip_iqr(x: torch.Tensor, k: float, interpolation: str) -> torch.Tensor:
    q = torch.tensor([0.25, 0.75], dtype=x.dtype, device=x.device)
    q1, q3 = torch.nanquantile(x, q, dim=0, interpolation=interpolation)
    iqr = q3 - q1
    out = x.clone()
    for j, col, v in columns(x):
        if v.numel():
            out[:, j] = torch.clamp(col, q1[j] - k * iqr[j], q3[j] + k * iqr[j])
    return out


def ref_interpolate(x: torch.Tensor, direction: str) -> torch.Tensor:
    """numpy.interp on the valid rows, then pandas' preserve-NaN rule, as plain Python."""
    out = x.clone()
    for j, col, _ in columns(x):
        values = col.tolist()
        known = [i for i, v in enumerate(values) if not math.isnan(v)]
        if not known:
            continue
        for i, v in enumerate(values):
            if not math.isnan(v):
                continue
            before = [p for p in known if p < i]
            after = [q for q in known if q > i]
            if before and after:
                p, q = before[-1], after[0]
                new = values[p] + (values[q] - values[p]) * (i - p) / (q - p)
            elif before and direction in ("forward", "both"):
                new = values[before[-1]]
            elif after and direction in ("backward", "both"):
                new = values[after[0]]
            else:
                continue
            out[i, j] = new
    return out


def ref_polynomial(x: torch.Tensor, degree: int, include_bias: bool) -> torch.Tensor:
    cols = [torch.ones_like(x[:, 0])] if include_bias else []
    for d in range(1, degree + 1):
        for combo in combinations_with_replacement(range(x.shape[1]), d):
            term = torch.ones_like(x[:, 0])
            for i in combo:
                term = term * x[:, i]
            cols.append(term)
    return torch.stack(cols, dim=1) if cols else x.new_empty(x.shape[0], 0)


def check(ours: torch.Tensor, expected: torch.Tensor, like: torch.Tensor) -> None:
    assert ours.shape == expected.shape
    assert ours.dtype == like.dtype and ours.device == like.device
    torch.testing.assert_close(ours, expected, equal_nan=True)


# ---- the sweeps: every function against its reference, dtype and device ----

CASES = [
    ("standardize", {}, lambda x: ref_standardize(x, 0)),
    ("standardize", {"correction": 1}, lambda x: ref_standardize(x, 1)),
    ("standardize", {"correction": 0.5}, lambda x: ref_standardize(x, 0.5)),
    ("min_max_scale", {}, lambda x: ref_min_max(x, 0, 1)),
    ("min_max_scale", {"feature_range": (-1, 1)}, lambda x: ref_min_max(x, -1, 1)),
    ("min_max_scale", {"feature_range": (2.5, 4.0)}, lambda x: ref_min_max(x, 2.5, 4.0)),
    ("clip_outliers_std", {}, lambda x: ref_clip_std(x, 2.0, 1)),
    ("clip_outliers_std", {"k": 1.0, "correction": 0}, lambda x: ref_clip_std(x, 1.0, 0)),
    ("clip_outliers_std", {"k": 0}, lambda x: ref_clip_std(x, 0.0, 1)),
    ("fill_mean", {}, lambda x: torch.where(x.isnan(), torch.nanmean(x, dim=0), x)),
    ("interpolate_linear", {}, lambda x: ref_interpolate(x, "forward")),
    *[
        ("interpolate_linear", {"limit_direction": d}, lambda x, d=d: ref_interpolate(x, d))
        for d in ("forward", "backward", "both")
    ],
    *[
        (
            "clip_outliers_iqr",
            {"k": 1.5, "interpolation": m},
            lambda x, m=m: ref_clip_iqr(x, 1.5, m),
        )
        for m in INTERPOLATIONS
    ],
    ("clip_outliers_iqr", {"k": 0.5}, lambda x: ref_clip_iqr(x, 0.5, "linear")),
]
IDS = [f"{name}{kwargs}" for name, kwargs, _ in CASES]


@pytest.mark.parametrize(("name", "kwargs", "reference"), CASES, ids=IDS)
def test_against_torch_reference(name, kwargs, reference, device, dtype) -> None:
    x = messy(12, 4, seed=1, dtype=dtype, device=device)
    check(getattr(pp, name)(x, **kwargs), reference(x), x)


@pytest.mark.parametrize(("name", "kwargs", "reference"), CASES, ids=IDS)
def test_non_contiguous_and_input_untouched(name, kwargs, reference) -> None:
    x = non_contiguous(messy(9, 3, seed=2))
    before = x.clone()
    check(getattr(pp, name)(x, **kwargs), reference(x), x)
    torch.testing.assert_close(x, before, equal_nan=True)


@settings(max_examples=40)
@given(st.integers(1, 9), st.integers(1, 5), st.integers(0, 2**16))
def test_hypothesis_shapes_and_nan_patterns(n, f, seed) -> None:
    x = messy(n, f, seed)
    for name, kwargs, reference in CASES:
        check(getattr(pp, name)(x, **kwargs), reference(x), x)
    for degree in (1, 2, 3):
        check(pp.polynomial_features(x, degree), ref_polynomial(x, degree, False), x)
    pairs = list(combinations(range(f), 2))
    expected = torch.stack([x[:, i] * x[:, j] for i, j in pairs], 1) if pairs else x[:, :0]
    check(pp.interaction_features(x), expected, x)


def test_statistics_match_torch_on_clean_data(device, dtype) -> None:
    g = torch.Generator().manual_seed(5)
    x = (torch.randn(30, 4, generator=g, dtype=torch.float64) * 4 + 3).to(dtype).to(device)
    z = pp.standardize(x)
    check(z, (x - x.mean(0)) / x.std(0, correction=0), x)
    torch.testing.assert_close(z.mean(0), torch.zeros(4, dtype=dtype, device=device))
    torch.testing.assert_close(z.std(0, correction=0), torch.ones(4, dtype=dtype, device=device))
    m = pp.min_max_scale(x)
    check(m, (x - x.amin(0)) / (x.amax(0) - x.amin(0)), x)
    q1, q3 = torch.quantile(x, torch.tensor([0.25, 0.75], dtype=dtype, device=device), dim=0)
    check(
        pp.clip_outliers_iqr(x, 0.2), torch.clamp(x, q1 - 0.2 * (q3 - q1), q3 + 0.2 * (q3 - q1)), x
    )
    lo, hi = x.mean(0) - 0.5 * x.std(0), x.mean(0) + 0.5 * x.std(0)
    check(pp.clip_outliers_std(x, 0.5), torch.clamp(x, lo, hi), x)


# ---- hand-derived cases from the pandas and scikit-learn documentation ----


def test_standard_scaler_documented_example() -> None:
    # sklearn StandardScaler docs: [[0, 0], [0, 0], [1, 1], [1, 1]] has mean 0.5 and population
    # std 0.5, so it transforms to [[-1, -1], [-1, -1], [1, 1], [1, 1]].
    x = table([[0, 0], [0, 0], [1, 1], [1, 1]])
    check(pp.standardize(x), table([[-1, -1], [-1, -1], [1, 1], [1, 1]]), x)
    # The sample std (correction=1) is sqrt(1/3), so the values are ±0.5 / sqrt(1/3).
    s = 0.5 / math.sqrt(1 / 3)
    check(pp.standardize(x, correction=1), table([[-s, -s], [-s, -s], [s, s], [s, s]]), x)


def test_min_max_scaler_documented_example() -> None:
    # sklearn MinMaxScaler docs: [[-1, 2], [-0.5, 6], [0, 10], [1, 18]] -> quarters.
    x = table([[-1, 2], [-0.5, 6], [0, 10], [1, 18]])
    expected = table([[0, 0], [0.25, 0.25], [0.5, 0.5], [1, 1]])
    check(pp.min_max_scale(x), expected, x)
    check(pp.min_max_scale(x, feature_range=(-1, 1)), 2 * expected - 1, x)


def test_constant_columns_do_not_divide_by_zero(device, dtype) -> None:
    # sklearn: a zero scale is replaced by 1, so a constant column standardizes to x - mean = 0
    # and min-max scales to feature_range[0]. 0.1 is not exactly representable: the mean of
    # three 0.1s is not exactly 0.1 in floating point, yet the output must be exactly 0.
    x = table([[0.1, 7.0, 1.0], [0.1, 7.0, 2.0], [0.1, NAN, 4.0]], dtype, device)
    z = pp.standardize(x)
    assert torch.equal(z[:, 0], torch.zeros(3, dtype=dtype, device=device))
    assert torch.equal(z[:2, 1], torch.zeros(2, dtype=dtype, device=device))
    assert z[2, 1].isnan() and bool(z.isfinite()[:, 2].all())
    m = pp.min_max_scale(x, feature_range=(-3, 5))
    assert bool((m[:, 0] == -3).all()) and bool((m[:2, 1] == -3).all()) and m[2, 1].isnan()
    check(m[:, 2], table([-3, -3 + 8 / 3, 5], dtype, device), x)


def test_notes_outlier_rule_by_hand() -> None:
    # The notes: mean_value = df[c].mean(); std_dev = df[c].std()  (pandas: NaN skipped, ddof=1)
    # [10, 12, 11, 13, 50, NaN]: mean 96/5 = 19.2, squared deviations sum 1190.8, std
    # sqrt(1190.8 / 4). With k = 1 only 50 is above 19.2 + 17.254 and nothing below 1.946.
    x = table([[10], [12], [11], [13], [50], [NAN]])
    upper = 19.2 + math.sqrt(1190.8 / 4)
    check(pp.clip_outliers_std(x, k=1), table([[10], [12], [11], [13], [upper], [NAN]]), x)
    # With the notes' k = 2 the outlier survives: it inflated the std it is measured with.
    check(pp.clip_outliers_std(x), x, x)


def test_notes_iqr_rule_by_hand() -> None:
    # pandas quantile (linear): [1, 2, 3, 4, 100] has Q1 = v[1] = 2 and Q3 = v[3] = 4, IQR 2,
    # fences -1 and 7. [1, 2, 3, 4] (pandas docs: quantile(0.25) = 1.75) has Q1 1.75, Q3 3.25,
    # IQR 1.5 and fences -0.5 and 5.5: nothing moves.
    x = table([[1, 1], [2, 2], [3, 3], [4, 4], [100, NAN]])
    expected = table([[1, 1], [2, 2], [3, 3], [4, 4], [7, NAN]])
    check(pp.clip_outliers_iqr(x), expected, x)
    y = table([[-5.0], [2.0], [3.0], [4.0], [9.0]])
    # Q1 = 2, Q3 = 4 (positions 1 and 3 exactly): fences -1 and 7.
    check(pp.clip_outliers_iqr(y, interpolation="lower"), table([[-1.0], [2], [3], [4], [7]]), y)
    z = table([[1.0], [2.0], [3.0], [10.0]])
    # positions 0.75 and 2.25: 'lower' gives Q1 = 1, Q3 = 3 (fences -2, 6); 'higher' 2 and 10.
    check(pp.clip_outliers_iqr(z, interpolation="lower"), table([[1.0], [2], [3], [6]]), z)
    check(pp.clip_outliers_iqr(z, interpolation="higher"), z, z)
    # 'linear': Q1 = 1 + 0.75 * 1 = 1.75, Q3 = 3 + 0.25 * 7 = 4.75, IQR 3, upper fence 9.25.
    check(pp.clip_outliers_iqr(z), table([[1.0], [2], [3], [9.25]]), z)


def test_fill_mean_by_hand() -> None:
    # pandas: df.fillna(df.mean()) with column means 2 (of 1, 3) and 6 (of 4, 8); an all-NaN
    # column has mean NaN, so fillna leaves it NaN.
    x = table([[1, NAN, NAN], [NAN, 4, NAN], [3, 8, NAN]])
    check(pp.fill_mean(x), table([[1, 6, NAN], [2, 4, NAN], [3, 8, NAN]]), x)


def test_interpolate_documented_pandas_example() -> None:
    # pandas DataFrame.interpolate docs, method='linear', limit_direction='forward', axis=0:
    # column a's trailing NaN takes the last value 2.0, column b's leading NaN stays NaN.
    x = table(
        [[0.0, NAN, -1.0, 1.0], [NAN, 2.0, NAN, NAN], [2.0, 3.0, NAN, 9.0], [NAN, 4.0, -4.0, 16.0]]
    )
    expected = table(
        [
            [0.0, NAN, -1.0, 1.0],
            [1.0, 2.0, -2.0, 5.0],
            [2.0, 3.0, -3.0, 9.0],
            [2.0, 4.0, -4.0, 16.0],
        ]
    )
    check(pp.interpolate_linear(x), expected, x)
    both = expected.clone()
    both[0, 1] = 2.0
    check(pp.interpolate_linear(x, limit_direction="both"), both, x)
    backward = expected.clone()
    backward[0, 1], backward[3, 0] = 2.0, NAN
    check(pp.interpolate_linear(x, limit_direction="backward"), backward, x)
    # pandas Series docs: [0, 1, NaN, 3].interpolate() -> [0, 1, 2, 3].
    s = table([[0.0], [1.0], [NAN], [3.0]])
    check(pp.interpolate_linear(s), table([[0.0], [1.0], [2.0], [3.0]]), s)


def test_interpolate_edge_columns() -> None:
    # One valid value: pandas fills the NaNs after it with it ('forward') and keeps those before.
    x = table([[NAN, NAN], [5.0, NAN], [NAN, NAN]])
    check(pp.interpolate_linear(x), table([[NAN, NAN], [5.0, NAN], [5.0, NAN]]), x)
    check(pp.interpolate_linear(x, "both"), table([[5.0, NAN], [5.0, NAN], [5.0, NAN]]), x)


def test_polynomial_features_documented_example() -> None:
    # sklearn PolynomialFeatures docs, X = arange(6).reshape(3, 2): degree 2 with the bias gives
    # [1, a, b, a^2, ab, b^2]; interaction_only=True gives [1, a, b, ab].
    x = torch.arange(6, dtype=torch.float64).reshape(3, 2)
    full = table([[1, 0, 1, 0, 0, 1], [1, 2, 3, 4, 6, 9], [1, 4, 5, 16, 20, 25]])
    check(pp.polynomial_features(x, 2, include_bias=True), full, x)
    check(pp.polynomial_features(x), full[:, 1:], x)
    check(pp.interaction_features(x), table([[0], [6], [20]]), x)
    # degree 3 on [a, b] = [2, 3]: a, b, a², ab, b², a³, a²b, ab², b³.
    y = table([[2.0, 3.0]])
    check(pp.polynomial_features(y, 3), table([[2, 3, 4, 6, 9, 8, 12, 18, 27]]), y)
    check(pp.polynomial_features(y, 0, include_bias=True), table([[1.0]]), y)


@pytest.mark.parametrize(("f", "degree"), [(1, 1), (1, 4), (3, 2), (4, 3), (5, 2)])
def test_polynomial_feature_counts(f, degree, device, dtype) -> None:
    g = torch.Generator().manual_seed(f * 10 + degree)
    x = torch.randn(4, f, generator=g, dtype=torch.float64).to(dtype).to(device)
    out = pp.polynomial_features(x, degree, include_bias=True)
    assert out.shape == (4, math.comb(f + degree, degree))
    check(out, ref_polynomial(x, degree, True), x)
    inter = pp.interaction_features(x)
    assert inter.shape == (4, math.comb(f, 2))


def test_single_row_follows_pandas_and_sklearn(device, dtype) -> None:
    x = table([[3.0, -1.0, NAN]], dtype, device)
    zeros = table([[0.0, 0.0, NAN]], dtype, device)
    check(pp.standardize(x), zeros, x)  # sklearn: var 0 -> scale 1 -> 0
    check(pp.standardize(x, correction=1), zeros, x)  # constant wins over 0/0
    check(pp.min_max_scale(x), zeros, x)
    check(pp.clip_outliers_std(x), x, x)  # pandas std of one value is NaN: nothing clipped
    check(pp.clip_outliers_iqr(x), x, x)
    check(pp.fill_mean(x), x, x)
    check(pp.interpolate_linear(x, "both"), x, x)
    check(pp.polynomial_features(x[:, :2]), table([[3.0, -1.0, 9.0, -3.0, 1.0]], dtype, device), x)


def test_no_rows_and_no_columns() -> None:
    for shape in [(0, 3), (4, 0)]:
        x = torch.empty(shape, dtype=torch.float64)
        for name in ["standardize", "min_max_scale", "clip_outliers_std", "clip_outliers_iqr"]:
            assert getattr(pp, name)(x).shape == shape
        assert pp.fill_mean(x).shape == shape
        assert pp.interpolate_linear(x).shape == shape
    assert pp.polynomial_features(torch.empty(0, 2), 2).shape == (0, 5)
    assert pp.interaction_features(torch.ones(3, 1)).shape == (3, 0)


# ---- argument errors ----

# interpolate_linear also takes a 1-D series (tests/test_new_reference.py covers its errors).
ALL = [
    "standardize",
    "min_max_scale",
    "clip_outliers_std",
    "clip_outliers_iqr",
    "fill_mean",
    "polynomial_features",
    "interaction_features",
]


@pytest.mark.parametrize("name", ALL)
def test_input_errors(name) -> None:
    fn = getattr(pp, name)
    with pytest.raises(TypeError, match=r"x must be a torch\.Tensor, got list"):
        fn([[1.0]])
    with pytest.raises(
        TypeError, match=r"x must be a floating-point tensor, got dtype torch\.int64"
    ):
        fn(torch.ones(2, 2, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"x must be 2-D .* got shape \(3,\); use x.unsqueeze"):
        fn(torch.ones(3))
    with pytest.raises(ValueError, match=r"x must be 2-D"):
        fn(torch.ones(2, 2, 2))


X = torch.ones(3, 2)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: pp.standardize(X, correction=-1), ValueError, "correction must be a finite"),
        (lambda: pp.standardize(X, correction="1"), TypeError, "correction must be a number"),
        (lambda: pp.min_max_scale(X, (1, 0)), ValueError, r"feature_range must have min < max"),
        (lambda: pp.min_max_scale(X, (1, 1)), ValueError, r"feature_range must have min < max"),
        (lambda: pp.min_max_scale(X, (0, 1, 2)), ValueError, r"feature_range must be a pair"),
        (lambda: pp.min_max_scale(X, 1), ValueError, r"feature_range must be a pair"),
        (lambda: pp.min_max_scale(X, ("a", 1)), TypeError, r"feature_range\[0\] must be a number"),
        (lambda: pp.min_max_scale(X, (0, NAN)), ValueError, r"feature_range\[1\] must be finite"),
        (lambda: pp.clip_outliers_std(X, k=-2), ValueError, "k must be a finite number >= 0"),
        (lambda: pp.clip_outliers_std(X, correction=-1), ValueError, "correction must be"),
        (lambda: pp.clip_outliers_iqr(X, k=-1), ValueError, "k must be a finite number >= 0"),
        (lambda: pp.clip_outliers_iqr(X, k=None), TypeError, "k must be a number"),
        (lambda: pp.clip_outliers_iqr(X, interpolation="cubic"), ValueError, "interpolation must"),
        (lambda: pp.interpolate_linear(X, "sideways"), ValueError, "limit_direction must be one"),
        (lambda: pp.polynomial_features(X, -1), ValueError, "degree must be >= 0, got -1"),
        (lambda: pp.polynomial_features(X, 2.0), TypeError, "degree must be an int, got float"),
        (lambda: pp.polynomial_features(X, True), TypeError, "degree must be an int, got bool"),
        (lambda: pp.polynomial_features(X, 0), ValueError, "degree=0 with include_bias=False"),
        (lambda: pp.polynomial_features(X, 2, 1), TypeError, "include_bias must be a bool"),
    ],
)
def test_argument_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
