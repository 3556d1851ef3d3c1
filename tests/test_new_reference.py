"""The reference functions of issue 19 against independent references.

Early stopping (hand-computed curves and the Keras rule written out), k-fold splits
(scikit-learn's ``KFold``), and the missing-value tools (pandas ``dropna``, ``fillna`` with the
median and the mode, ``Series.interpolate``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit import data as D
from studykit import preprocessing as pp
from studykit import regularization as R

pd = pytest.importorskip("pandas")
model_selection = pytest.importorskip("sklearn.model_selection")

NAN = math.nan

# ----------------------------------------------------------------------------- early stopping


def keras_rule(history, patience, min_delta, mode):
    """Keras' ``EarlyStopping.on_epoch_end``, written out: (stopped epoch or None, best epoch)."""
    sign = -1.0 if mode == "min" else 1.0  # Keras flips min_delta's sign for "min"
    improves = np.less if mode == "min" else np.greater
    best, best_epoch, wait = None, -1, 0
    for epoch, current in enumerate(history):
        wait += 1
        if (best is None and not math.isnan(current)) or (
            best is not None and improves(current - sign * min_delta, best)
        ):
            best, best_epoch, wait = current, epoch, 0
            continue
        if wait >= patience:  # (Keras also requires epoch > 0; see the NaN test below)
            return epoch, best_epoch
    return None, best_epoch


@pytest.mark.parametrize(
    ("history", "patience", "min_delta", "mode", "stopped", "best_epoch"),
    [
        # hand-computed: best 0.38 at epoch 2, then two epochs without improvement
        ([0.50, 0.40, 0.38, 0.39, 0.385, 0.37], 2, 0.0, "min", 4, 2),
        ([0.50, 0.40, 0.38, 0.39, 0.385, 0.37], 3, 0.0, "min", None, 5),
        # patience 0: stop at the first epoch that does not improve
        ([0.5, 0.4, 0.4, 0.3], 0, 0.0, "min", 2, 1),
        # equal is not better (strict inequality)
        ([1.0, 1.0, 1.0], 2, 0.0, "min", 2, 0),
        # min_delta: 0.38 -> 0.375 is too small a fall to count
        ([0.40, 0.38, 0.375, 0.372, 0.30], 2, 0.01, "min", 3, 1),
        # accuracy, mode="max"
        ([0.80, 0.85, 0.84, 0.86, 0.86, 0.855], 2, 0.0, "max", 5, 3),
        ([0.80, 0.805, 0.81, 0.812], 1, 0.01, "max", 1, 0),
        # a diverging run: NaN never improves
        ([0.5, 0.4, NAN, NAN, NAN], 2, 0.0, "min", 3, 1),
    ],
)
def test_early_stopping_hand_computed_and_keras_rule(
    history, patience, min_delta, mode, stopped, best_epoch
):
    assert keras_rule(history, patience, min_delta, mode) == (stopped, best_epoch)
    s = R.early_stopping(history, patience=patience, min_delta=min_delta, mode=mode)
    assert (s.stopped_epoch, s.best_epoch) == (stopped, best_epoch)
    assert s.best == history[best_epoch]
    assert s.should_stop == (stopped is not None)
    assert s.epoch == (len(history) if stopped is None else stopped + 1)


@settings(max_examples=200)
@given(
    st.lists(st.floats(0, 2, allow_nan=False), min_size=1, max_size=15),
    st.integers(0, 4),
    st.sampled_from([0.0, 0.01, 0.1]),
    st.sampled_from(["min", "max"]),
)
def test_early_stopping_follows_the_keras_rule(history, patience, min_delta, mode):
    stopper = R.early_stopping(history, patience=patience, min_delta=min_delta, mode=mode)
    assert (stopper.stopped_epoch, stopper.best_epoch) == keras_rule(
        history, patience, min_delta, mode
    )
    # the best value is the running best among the epochs seen, in the monitored direction
    seen = history[: stopper.epoch]
    pick = min if mode == "min" else max
    if min_delta == 0:
        assert stopper.best == pick(seen)
        assert stopper.best_epoch == seen.index(pick(seen))


def test_early_stopping_step_by_step_attributes_and_tensors():
    stopper = R.EarlyStopping(patience=1, min_delta=0.05)
    assert (stopper.best, stopper.best_epoch, stopper.wait) == (math.inf, -1, 0)
    assert stopper.step(torch.tensor(1.0)) is False and stopper.improved
    assert stopper.step(torch.tensor([0.97], dtype=torch.float64)) is True  # 0.03 < min_delta
    assert (stopper.improved, stopper.wait, stopper.stopped_epoch) == (False, 1, 1)
    assert stopper.step(0.5) is False and stopper.improved and stopper.best_epoch == 2
    assert stopper.stopped_epoch == 1 and stopper.epoch == 3  # the first stop is remembered
    assert "patience=1" in repr(stopper)
    assert R.EarlyStopping(mode="max").best == -math.inf
    assert R.early_stopping(torch.tensor([3.0, 2.0, 2.5]), patience=1).stopped_epoch == 2
    assert R.early_stopping([]).stopped_epoch is None


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: R.EarlyStopping(patience=-1), ValueError, "patience must be >= 0, got -1"),
        (lambda: R.EarlyStopping(patience=1.5), TypeError, "patience must be an int, got float"),
        (lambda: R.EarlyStopping(patience=True), TypeError, "patience must be an int, got bool"),
        (lambda: R.EarlyStopping(min_delta=-0.1), ValueError, "min_delta must be a finite"),
        (lambda: R.EarlyStopping(min_delta="0"), TypeError, "min_delta must be a number"),
        (lambda: R.EarlyStopping(mode="auto"), ValueError, "mode must be 'min' or 'max'"),
        (lambda: R.EarlyStopping().step("0.5"), TypeError, "value must be a number or a one"),
        (lambda: R.EarlyStopping().step(torch.ones(2)), ValueError, "value must hold one number"),
        (lambda: R.early_stopping([0.5, None]), TypeError, "got NoneType"),
    ],
)
def test_early_stopping_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


# ----------------------------------------------------------------------------- k-fold splits


@pytest.mark.parametrize(("n", "k"), [(2, 2), (5, 3), (10, 5), (11, 4), (7, 7), (100, 3)])
def test_k_fold_matches_sklearn_without_shuffle(n, k):
    ours = D.k_fold_splits(n, k)
    theirs = list(model_selection.KFold(n_splits=k).split(np.zeros(n)))
    assert len(ours) == len(theirs) == k
    for (train, valid), (train_sk, valid_sk) in zip(ours, theirs, strict=True):
        assert train.dtype == valid.dtype == torch.int64
        assert train.tolist() == train_sk.tolist()
        assert valid.tolist() == valid_sk.tolist()


@settings(max_examples=60)
@given(st.integers(2, 40), st.data(), st.integers(0, 2**16))
def test_k_fold_shuffled_is_a_partition_with_sklearns_fold_sizes(n, data, seed):
    k = data.draw(st.integers(2, n))
    splits = D.k_fold_splits(n, k, shuffle=True, generator=torch.Generator().manual_seed(seed))
    sizes_sk = [len(v) for _, v in model_selection.KFold(k, shuffle=True).split(np.zeros(n))]
    assert [len(v) for _, v in splits] == sizes_sk
    every = torch.cat([valid for _, valid in splits]).sort().values
    assert every.tolist() == list(range(n))  # each sample validated exactly once
    for train, valid in splits:
        assert train.tolist() == sorted(set(range(n)) - set(valid.tolist()))
        assert valid.tolist() == sorted(valid.tolist())
    # the same seed gives the same folds; the folds are cut from torch.randperm
    again = D.k_fold_splits(n, k, shuffle=True, generator=torch.Generator().manual_seed(seed))
    assert all(torch.equal(a[1], b[1]) for a, b in zip(splits, again, strict=True))
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    first = splits[0][1].tolist()
    assert first == sorted(perm[: len(first)].tolist())


def test_k_fold_shuffle_changes_the_folds_and_uses_the_global_generator():
    torch.manual_seed(0)
    a = D.k_fold_splits(20, 4, shuffle=True)
    torch.manual_seed(0)
    b = D.k_fold_splits(20, 4, shuffle=True)
    assert all(torch.equal(x[1], y[1]) for x, y in zip(a, b, strict=True))
    assert any(not torch.equal(x[1], y[1]) for x, y in zip(a, D.k_fold_splits(20, 4), strict=True))
    # without shuffle the generator is not drawn from
    g = torch.Generator().manual_seed(5)
    D.k_fold_splits(10, 2, generator=g)
    assert torch.equal(
        torch.randperm(10, generator=g),
        torch.randperm(10, generator=torch.Generator().manual_seed(5)),
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((5, 1), {}, ValueError, "k must be >= 2, got 1"),
        ((3, 4), {}, ValueError, "k must be <= n .* got k=4 for n=3"),
        ((5.0, 2), {}, TypeError, "n must be an int, got float"),
        ((5, 2.0), {}, TypeError, "k must be an int, got float"),
        ((-1, 2), {}, ValueError, "n must be >= 0"),
        ((5, 2), {"shuffle": 1}, TypeError, "shuffle must be a bool"),
        ((5, 2), {"shuffle": True, "generator": 0}, TypeError, "generator must be a torch.Gen"),
    ],
)
def test_k_fold_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        D.k_fold_splits(*args, **kwargs)


# ----------------------------------------------------------------------------- missing values


def frame(x: torch.Tensor):
    return pd.DataFrame(x.double().numpy())


def pandas_fill_mode(df):
    """``df.fillna(df.mode().iloc[0])``; with no number anywhere ``mode()`` has no row at all."""
    modes = df.mode()
    return df.fillna(modes.iloc[0]).to_numpy() if len(modes) else df.to_numpy()


def check(ours: torch.Tensor, expected, x: torch.Tensor) -> None:
    assert ours.dtype == x.dtype and ours.device == x.device
    torch.testing.assert_close(
        ours.cpu().double(), torch.tensor(np.asarray(expected, dtype=np.float64)), equal_nan=True
    )


TABLES = {
    "gaps": [[1.0, NAN, 3.0], [NAN, 2.0, 3.0], [4.0, 2.0, NAN], [4.0, 5.0, 1.0], [1.0, 2.0, 1.0]],
    "even-count": [[1.0, 10.0], [2.0, NAN], [7.0, 30.0], [8.0, 20.0]],
    "ties": [[3.0, 1.0], [1.0, 2.0], [3.0, 2.0], [1.0, 1.0], [NAN, NAN], [2.0, 3.0]],
    "all-nan-column": [[1.0, NAN], [NAN, NAN], [1.0, NAN]],
    "no-gaps": [[1.0, 2.0], [3.0, 4.0]],
    "every-row-gappy": [[NAN, 1.0], [2.0, NAN]],
    "one-row": [[NAN, 5.0, -0.0]],
    "empty": [],
}


def table(name: str, dtype, device) -> torch.Tensor:
    rows = TABLES[name]
    x = torch.tensor(rows, dtype=torch.float64) if rows else torch.empty(0, 3, dtype=torch.float64)
    return x.to(dtype=dtype, device=device)


@pytest.mark.parametrize("name", list(TABLES))
def test_drop_and_fills_match_pandas(name, device, dtype):
    x = table(name, dtype, device)
    df = frame(x.cpu())
    check(pp.drop_rows_with_gaps(x), df.dropna().to_numpy().reshape(-1, x.shape[1]), x)
    check(pp.fill_median(x), df.fillna(df.median()).to_numpy(), x)
    check(pp.fill_mode(x), pandas_fill_mode(df), x)
    check(pp.fill_mean(x), df.fillna(df.mean()).to_numpy(), x)  # the old one, for company


def test_mode_ties_take_the_smallest_and_median_averages_the_middle_pair():
    x = torch.tensor([[2.0, 4.0], [1.0, NAN], [2.0, 1.0], [1.0, 3.0], [NAN, 2.0]])
    # hand count: column 0 has 1 and 2 twice each -> 1; column 1 has 4, 1, 3, 2 once -> 1
    torch.testing.assert_close(pp.fill_mode(x)[[4, 1]], torch.tensor([[1.0, 2.0], [1.0, 1.0]]))
    # median of [2, 1, 2, 1] is (1 + 2) / 2 = 1.5 (torch.nanmedian would say 1)
    assert pp.fill_median(x)[4, 0] == 1.5 and torch.nanmedian(x[:, 0]) == 1.0


@settings(max_examples=60)
@given(
    st.integers(0, 8),
    st.integers(1, 4),
    st.floats(0, 0.7),
    st.integers(0, 3),
    st.integers(0, 2**16),
)
def test_missing_values_hypothesis_against_pandas(rows, cols, gap_rate, levels, seed):
    gen = torch.Generator().manual_seed(seed)
    if levels:  # few distinct values: ties for the mode and the median
        x = torch.randint(0, levels + 1, (rows, cols), generator=gen).double()
    else:
        x = torch.randn(rows, cols, generator=gen, dtype=torch.float64)
    x[torch.rand(rows, cols, generator=gen, dtype=torch.float64) < gap_rate] = NAN
    df = frame(x)
    check(pp.drop_rows_with_gaps(x), df.dropna().to_numpy().reshape(-1, cols), x)
    check(pp.fill_median(x), df.fillna(df.median()).to_numpy(), x)
    check(pp.fill_mode(x), pandas_fill_mode(df), x)


def test_drop_rows_keeps_order_and_gives_a_new_tensor(device):
    x = torch.tensor([[5.0, 1.0], [NAN, 0.0], [3.0, 2.0]], device=device)
    out = pp.drop_rows_with_gaps(x)
    torch.testing.assert_close(out, torch.tensor([[5.0, 1.0], [3.0, 2.0]], device=device))
    out[0, 0] = 9.0
    assert x[0, 0] == 5.0


@pytest.mark.parametrize("name", ["drop_rows_with_gaps", "fill_median", "fill_mode"])
def test_new_missing_value_functions_errors(name):
    fn = getattr(pp, name)
    with pytest.raises(TypeError, match=r"x must be a torch\.Tensor, got list"):
        fn([[1.0]])
    with pytest.raises(TypeError, match=r"x must be a floating-point tensor"):
        fn(torch.ones(2, 2, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"x must be 2-D .* got shape \(3,\); use x.unsqueeze"):
        fn(torch.ones(3))


# ----------------------------------------------------------------------------- 1-D interpolation


SERIES = [
    [0.0, 1.0, NAN, 3.0],  # pandas' Series.interpolate docs example
    [NAN, 1.0, NAN, NAN, 4.0, NAN],
    [NAN, NAN],
    [2.0],
    [],
    [NAN, 5.0, NAN, NAN, NAN, -5.0, NAN, 0.0],
]


@pytest.mark.parametrize("values", SERIES, ids=str)
@pytest.mark.parametrize("direction", ["forward", "backward", "both"])
def test_interpolate_linear_takes_a_series(values, direction, device, dtype):
    x = torch.tensor(values, dtype=dtype, device=device)
    expected = pd.Series(values, dtype=float).interpolate(limit_direction=direction).to_numpy()
    ours = pp.interpolate_linear(x, limit_direction=direction)
    assert ours.shape == x.shape
    check(ours, expected, x)
    # a 1-D series is the same as the single column of a 2-D table
    torch.testing.assert_close(
        ours, pp.interpolate_linear(x.unsqueeze(1), direction).squeeze(1), equal_nan=True
    )


@settings(max_examples=60)
@given(st.lists(st.one_of(st.just(NAN), st.floats(-10, 10)), max_size=12))
def test_interpolate_series_hypothesis(values):
    x = torch.tensor(values, dtype=torch.float64)
    check(pp.interpolate_linear(x), pd.Series(values, dtype=float).interpolate().to_numpy(), x)


def test_interpolate_still_refuses_other_ranks():
    with pytest.raises(ValueError, match=r"x must be 1-D \(one series\) or 2-D .* got shape \(\)"):
        pp.interpolate_linear(torch.tensor(1.0))
    with pytest.raises(ValueError, match=r"got shape \(2, 2, 2\)"):
        pp.interpolate_linear(torch.ones(2, 2, 2))
