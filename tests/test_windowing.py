# SPDX-License-Identifier: BSD-3-Clause
"""Tests for SequenceWindower and make_supervised."""

import copy
import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_array_equal
from sklearn import config_context
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import (
    check_global_output_transform_pandas,
    check_set_output_transform,
    check_set_output_transform_pandas,
)

from sklstm import SequenceWindower, make_supervised
from sklstm._windows import as_windows


def create_sequences(X, window, fill_value=np.nan):
    """The tutorial's loop, extended with left padding: the reference."""
    out = np.full((len(X), window, X.shape[1]), fill_value, dtype=float)
    for t in range(len(X)):
        start = max(0, t - window + 1)
        chunk = X[start : t + 1]
        out[t, window - len(chunk) :] = chunk
    return out


def _memory_span(a):
    """Bytes between the lowest and highest address that ``a`` can reach."""
    low, high = np.lib.array_utils.byte_bounds(a)
    return high - low


# --- SequenceWindower: values and shapes ---------------------------------------


@pytest.mark.parametrize("window", [1, 2, 5, 12])
@pytest.mark.filterwarnings("ignore:SequenceWindower got:UserWarning")
def test_windower_matches_reference_loop(window, rng):
    X = rng.standard_normal((9, 3))
    Xt = SequenceWindower(window).fit_transform(X)
    assert Xt.shape == (9, window, 3)
    assert_array_equal(Xt, create_sequences(X, window))


def test_windower_keeps_row_count_and_orders_oldest_first():
    X = np.arange(10.0).reshape(-1, 1)
    Xt = SequenceWindower(window=4).fit_transform(X)
    assert len(Xt) == len(X)
    assert_array_equal(Xt[6, :, 0], [3.0, 4.0, 5.0, 6.0])
    assert_array_equal(Xt[1, :, 0], [np.nan, np.nan, 0.0, 1.0])


def test_windower_pads_with_fill_value():
    X = np.ones((3, 2))
    Xt = SequenceWindower(window=3, fill_value=-1.0).fit_transform(X)
    assert_array_equal(Xt[0], [[-1, -1], [-1, -1], [1, 1]])
    assert not np.isnan(Xt).any()


@pytest.mark.filterwarnings("ignore:SequenceWindower got:UserWarning")
def test_windower_window_longer_than_series_pads_every_row():
    X = np.arange(3.0).reshape(-1, 1)
    Xt = SequenceWindower(window=5).fit_transform(X)
    assert Xt.shape == (3, 5, 1)
    assert_array_equal(Xt[2, :, 0], [np.nan, np.nan, 0.0, 1.0, 2.0])


@pytest.mark.filterwarnings("ignore:SequenceWindower got:UserWarning")
@settings(max_examples=50, deadline=None)
@given(
    X=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 30), st.integers(1, 4)),
        elements=st.floats(-1e6, 1e6),
    ),
    window=st.integers(1, 8),
    data=st.data(),
)
def test_windower_has_no_look_ahead(X, window, data):
    t = data.draw(st.integers(0, len(X) - 1), label="t")
    changed = X.copy()
    changed[t + 1 :] = data.draw(
        hnp.arrays(np.float64, changed[t + 1 :].shape, elements=st.floats(-1e6, 1e6)),
        label="future rows",
    )
    windower = SequenceWindower(window).fit(X)
    assert_array_equal(
        windower.transform(changed)[: t + 1], windower.transform(X)[: t + 1]
    )


def test_windower_output_is_a_view_over_one_padded_copy(rng):
    n, window, n_features = 1000, 64, 3
    X = rng.standard_normal((n, n_features)).astype(np.float32)
    Xt = SequenceWindower(window).fit_transform(X)
    # The windows reach one padded copy of the series, not `window` copies of it.
    assert _memory_span(Xt) == (n + window - 1) * n_features * 4
    assert Xt.nbytes == n * window * n_features * 4
    assert not Xt.flags.writeable


def test_windower_output_does_not_alias_input(rng):
    X = rng.standard_normal((6, 2))
    X_before = X.copy()
    Xt = SequenceWindower(3).fit_transform(X)
    assert_array_equal(X, X_before)
    snapshot = np.array(Xt)
    X[:] = 0.0
    assert_array_equal(Xt, snapshot)


@pytest.mark.parametrize(
    "dtype, expected",
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.int64, np.float64),
        (np.int32, np.float64),
        (bool, np.float64),
    ],
)
@pytest.mark.parametrize("flatten", [False, True])
def test_windower_dtypes(dtype, expected, flatten):
    X = np.arange(12).reshape(6, 2).astype(dtype)
    assert SequenceWindower(3, flatten=flatten).fit_transform(X).dtype == expected


def test_windower_keeps_nan_as_missing():
    X = np.array([[1.0], [np.nan], [3.0]])
    Xt = SequenceWindower(2, fill_value=0.0).fit_transform(X)
    assert_array_equal(Xt[:, :, 0], [[0.0, 1.0], [1.0, np.nan], [np.nan, 3.0]])


# --- flattened lag matrix -------------------------------------------------------


def test_windower_flatten_is_time_major_lag_matrix(rng):
    X = rng.standard_normal((7, 2))
    flat = SequenceWindower(3, flatten=True).fit_transform(X)
    assert flat.shape == (7, 6)
    assert_array_equal(flat, create_sequences(X, 3).reshape(7, 6))
    # The last two columns are the current row, lag0.
    assert_array_equal(flat[:, -2:], X)
    # Also a zero-copy view: the lag columns overlap in memory.
    assert not flat.flags.writeable
    assert _memory_span(flat) == (7 + 3 - 1) * 2 * 8


def test_windower_feature_names_follow_the_columns():
    df = pd.DataFrame({"temp": np.arange(5.0), "wind": 10 + np.arange(5.0)})
    windower = SequenceWindower(3, flatten=True).fit(df)
    assert_array_equal(windower.feature_names_in_, ["temp", "wind"])
    names = windower.get_feature_names_out()
    assert list(names) == [
        "temp_lag2", "wind_lag2", "temp_lag1", "wind_lag1", "temp_lag0", "wind_lag0"
    ]  # fmt: skip
    flat = windower.transform(df)
    assert_array_equal(flat[:, list(names).index("wind_lag1")][1:], df["wind"][:-1])


def test_windower_default_feature_names():
    windower = SequenceWindower(2, flatten=True).fit(np.zeros((3, 2)))
    assert list(windower.get_feature_names_out()) == [
        "x0_lag1", "x1_lag1", "x0_lag0", "x1_lag0"
    ]  # fmt: skip


def test_windower_set_output_pandas_in_flatten_mode():
    index = pd.date_range("2020-01-01", periods=5, freq="D")
    df = pd.DataFrame({"temp": np.arange(5.0)}, index=index)
    out = SequenceWindower(2, flatten=True).set_output(transform="pandas")
    result = out.fit_transform(df)
    assert isinstance(result, pd.DataFrame)
    assert list(result.columns) == ["temp_lag1", "temp_lag0"]
    assert result.index.equals(index)
    assert result["temp_lag1"].iloc[1] == 0.0


def test_windower_3d_mode_has_no_feature_names_and_stays_an_array():
    df = pd.DataFrame({"temp": np.arange(4.0)})
    windower = SequenceWindower(2).set_output(transform="pandas").fit(df)
    assert not hasattr(windower, "get_feature_names_out")
    # set_output exists in both modes (so that Pipeline.set_output works), but
    # 3-D windows have no DataFrame form.
    Xt = windower.transform(df)
    assert isinstance(Xt, np.ndarray) and Xt.shape == (4, 2, 1)
    assert_array_equal(Xt, SequenceWindower(2).fit_transform(df))
    assert clone(windower).set_output(transform="default") is not None


@pytest.mark.filterwarnings("ignore::UserWarning")  # the checks mix frames and arrays
def test_windower_flat_mode_passes_sklearn_set_output_checks():
    # Not part of parametrize_with_checks in every scikit-learn release.
    windower = SequenceWindower(3, flatten=True)
    check_set_output_transform("SequenceWindower", windower)
    check_set_output_transform_pandas("SequenceWindower", windower)
    check_global_output_transform_pandas("SequenceWindower", windower)
    check_set_output_transform("SequenceWindower", SequenceWindower(3))


def test_windower_global_pandas_output_keeps_3d_array():
    df = pd.DataFrame({"temp": np.arange(4.0)})
    with config_context(transform_output="pandas"):
        assert isinstance(SequenceWindower(2).fit_transform(df), np.ndarray)
        flat = SequenceWindower(2, flatten=True).fit_transform(df)
    assert list(flat.columns) == ["temp_lag1", "temp_lag0"]


# --- errors ---------------------------------------------------------------------


def test_windower_rejects_1d_input_with_reshape_hint():
    msg = (
        "SequenceWindower expected X of shape (n_samples, n_features); got a 1-D "
        "array of shape (4,). Reshape your data with X.reshape(-1, 1) for a single "
        "series (or series.to_frame() for a pandas Series)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        SequenceWindower(2).fit(np.arange(4.0))
    with pytest.raises(ValueError, match=re.escape("series.to_frame()")):
        SequenceWindower(2).fit(pd.Series(np.arange(4.0)))


def test_windower_rejects_3d_input():
    msg = (
        "SequenceWindower expected X of shape (n_samples, n_features); got an "
        "array of shape (4, 3, 2). Pass the time-ordered table of rows, before "
        "any windowing."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        SequenceWindower(2).fit(np.zeros((4, 3, 2)))


def test_windower_rejects_empty_input():
    with pytest.raises(ValueError, match=re.escape("0 sample(s)")) as err:
        SequenceWindower(2).fit(np.zeros((0, 3)))
    assert "SequenceWindower" in str(err.value)


@pytest.mark.parametrize("window", [0, -3, 2.5, "3", None])
def test_windower_rejects_bad_window(window):
    msg = "The 'window' parameter of SequenceWindower must be an int in the range"
    with pytest.raises(ValueError, match=re.escape(msg)):
        SequenceWindower(window).fit(np.zeros((4, 1)))


def test_windower_rejects_non_numeric_columns():
    df = pd.DataFrame({"temp": [1.0, 2.0], "city": ["Oslo", "Rome"]})
    msg = (
        "SequenceWindower expected numeric columns; got non-numeric column(s) "
        "['city']. Encode or drop them before windowing"
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        SequenceWindower(2).fit(df)


def test_windower_rejects_non_numeric_array():
    X = np.array([["1.0", "a"], ["2.0", "b"]], dtype=object)
    msg = "SequenceWindower expected numeric X; got an array of dtype object"
    with pytest.raises(TypeError, match=re.escape(msg)):
        SequenceWindower(2).fit(X)


def test_windower_rejects_infinity():
    X = np.array([[1.0], [np.inf]])
    with pytest.raises(ValueError, match="Input X contains infinity"):
        SequenceWindower(2).fit(X)


def test_windower_rejects_other_number_of_features():
    windower = SequenceWindower(2).fit(np.zeros((5, 3)))
    msg = "X has 2 features, but SequenceWindower is expecting 3 features as input."
    with pytest.raises(ValueError, match=re.escape(msg)):
        windower.transform(np.zeros((5, 2)))


def test_windower_transform_before_fit():
    with pytest.raises(NotFittedError, match="This SequenceWindower instance is not"):
        SequenceWindower(2).transform(np.zeros((5, 3)))


# --- in scikit-learn's machinery ------------------------------------------------


def _lagged_series(n=120):
    t = np.arange(n)
    series = np.sin(t / 5.0) + 0.01 * t
    return make_supervised(series, horizon=1)


def test_windower_in_pipeline_with_time_series_cv():
    X, y = _lagged_series()
    pipe = make_pipeline(
        StandardScaler(), SequenceWindower(5, fill_value=0.0, flatten=True), Ridge()
    )
    scores = cross_val_score(pipe, X, y, cv=TimeSeriesSplit(n_splits=3, gap=5))
    assert scores.shape == (3,)
    assert pipe.fit(X, y).predict(X).shape == y.shape
    # Five lags of a smooth series beat the mean by far.
    assert scores.min() > 0.8


def test_windower_grid_search_over_window():
    X, y = _lagged_series()
    pipe = make_pipeline(SequenceWindower(fill_value=0.0, flatten=True), Ridge())
    search = GridSearchCV(
        pipe, {"sequencewindower__window": [1, 6]}, cv=TimeSeriesSplit(n_splits=3)
    )
    search.fit(X, y)
    assert search.best_params_ == {"sequencewindower__window": 6}
    assert search.best_estimator_[0].window == 6


def test_windower_clones_and_pickles(rng):
    X = rng.standard_normal((8, 2))
    windower = SequenceWindower(4, fill_value=-1.0, flatten=True)
    assert clone(windower).get_params() == windower.get_params()
    fitted = windower.fit(X)
    restored = pickle.loads(pickle.dumps(fitted))
    assert_array_equal(restored.transform(X), fitted.transform(X))


# --- memory: the history before the rows of a transform -------------------------


def _frame(values, index=None):
    values = np.asarray(values, dtype=float)
    # Integer column labels, as make_supervised gives for arrays: no feature
    # names, so arrays and frames can be mixed.
    return pd.DataFrame(values.reshape(len(values), -1), index=index)


def _with_gap(X, start, stop):
    """``X`` (an array) with rows ``start:stop`` unknown (NaN)."""
    masked = np.array(X, dtype=float)
    masked[start:stop] = np.nan
    return masked


def test_windower_remembers_the_last_window_rows_with_their_positions(rng):
    X = _frame(rng.standard_normal((20, 2)))
    windower = SequenceWindower(5).fit(X)
    assert_array_equal(windower.memory_, X.to_numpy()[-5:])
    assert windower.memory_index_.equals(pd.RangeIndex(15, 20))
    # A copy of the end, not a view of the whole input.
    assert windower.memory_.base is None
    assert windower.memory_.nbytes == 5 * 2 * 8


@pytest.mark.parametrize("window", [1, 2, 4, 7])
@pytest.mark.parametrize("split", [1, 3, 8, 12])
def test_windower_continues_the_fitted_rows_from_memory(window, split, rng):
    X = _frame(rng.standard_normal((15, 2)))
    expected = create_sequences(X.to_numpy(), window)
    windower = SequenceWindower(window).fit(X.iloc[:split])
    assert_array_equal(windower.transform(X.iloc[split:]), expected[split:])


def test_windower_fit_transform_is_unchanged_by_memory(rng):
    X = _frame(rng.standard_normal((12, 2)), index=pd.RangeIndex(100, 112))
    expected = create_sequences(X.to_numpy(), 4)
    windower = SequenceWindower(4)
    assert_array_equal(windower.fit_transform(X), expected)
    assert_array_equal(windower.fit(X).transform(X), expected)
    assert_array_equal(SequenceWindower(4).fit_transform(X.to_numpy()), expected)


def test_windower_last_rows_get_their_history(rng):
    X = _frame(rng.standard_normal((30, 1)))
    windower = SequenceWindower(6).fit(X)
    full = windower.transform(X)
    assert_array_equal(windower.transform(X.iloc[[-1]]), full[-1:])
    # The memory holds the last `window` rows: the steps before an earlier
    # row that lie before the memory stay unknown.
    two = windower.transform(X.iloc[-2:])
    assert_array_equal(two[1], full[-1])
    assert np.isnan(two[0, 0]).all()
    assert_array_equal(two[0, 1:], full[-2, 1:])


@pytest.mark.parametrize("gap", [1, 2, 3])
@pytest.mark.parametrize("flatten", [False, True])
def test_windower_masks_exactly_the_gap_rows(gap, flatten, rng):
    window, split = 6, 20
    X = _frame(rng.standard_normal((40, 2)))
    windower = SequenceWindower(window, flatten=flatten).fit(X.iloc[:split])
    Xt = windower.transform(X.iloc[split + gap :])
    # The windows of the whole series with the gap rows unknown, nothing else.
    reference = create_sequences(_with_gap(X, split, split + gap), window)
    if flatten:
        reference = reference.reshape(len(reference), -1)
    assert_array_equal(Xt, reference[split + gap :])
    assert np.isnan(Xt).sum() == np.isnan(reference[split + gap :]).sum() > 0
    # Per window: the first test row misses exactly the `gap` steps before it.
    first = Xt[0].reshape(window, 2)
    steps = np.arange(window)
    gap_steps = (steps >= window - 1 - gap) & (steps < window - 1)
    assert_array_equal(np.isnan(first[:, 0]), gap_steps)
    assert not np.isnan(first[-1]).any()


def test_windower_does_not_guess_rows_far_after_the_fit(rng):
    X = _frame(rng.standard_normal((40, 1)))
    windower = SequenceWindower(4).fit(X.iloc[:10])
    later = X.iloc[20:30]
    assert_array_equal(windower.transform(later), create_sequences(later.to_numpy(), 4))
    # Rows before the fitted ones have no remembered predecessors either.
    early = X.iloc[:5]
    assert_array_equal(windower.transform(early), create_sequences(early.to_numpy(), 4))


@pytest.mark.parametrize(
    "freq, drop_freq",
    [
        ("D", False),
        ("D", True),
        ("MS", False),
        ("MS", True),
        ("h", True),
        ("W-SUN", True),
    ],
)
def test_windower_positions_from_a_regular_datetime_index(freq, drop_freq, rng):
    index = pd.date_range("2021-01-03", periods=24, freq=freq)
    if drop_freq:  # e.g. after .take(): the frequency has to be inferred
        index = pd.DatetimeIndex(index.to_numpy())
        assert index.freq is None
    X = _frame(rng.standard_normal((24, 1)), index=index)
    expected = create_sequences(X.to_numpy(), 5)
    windower = SequenceWindower(5).fit(X.iloc[:16])
    assert windower.memory_index_.freq == pd.tseries.frequencies.to_offset(freq)
    assert windower.memory_index_.equals(index[11:16])
    assert_array_equal(windower.transform(X.iloc[16:]), expected[16:])
    assert_array_equal(windower.transform(X.iloc[[15]]), expected[15:16])
    gap = windower.transform(X.iloc[18:])
    assert_array_equal(gap, create_sequences(_with_gap(X, 16, 18), 5)[18:])


def test_windower_datetime_positions_follow_the_grid(rng):
    index = pd.date_range("2021-01-01", periods=12, freq="D")
    X = _frame(rng.standard_normal((12, 1)), index=index)
    windower = SequenceWindower(4).fit(X.iloc[:8])
    plain = create_sequences(X.to_numpy()[8:], 4)
    # Timestamps off the daily grid (noon) have no position: nothing is filled.
    noon = X.iloc[8:].set_axis(index[8:] + pd.Timedelta(hours=12))
    assert_array_equal(windower.transform(noon), plain)
    # A time zone-aware index is not the naive one of the fit.
    aware = X.iloc[8:].tz_localize("UTC")
    assert_array_equal(windower.transform(aware), plain)
    # An integer index is not a date either.
    assert_array_equal(windower.transform(X.iloc[8:].reset_index(drop=True)), plain)
    # The time zone of an aware fit is kept.
    aware_fit = SequenceWindower(4).fit(X.iloc[:8].tz_localize("Europe/Oslo"))
    continued = aware_fit.transform(X.iloc[8:].tz_localize("Europe/Oslo"))
    assert_array_equal(continued, create_sequences(X.to_numpy(), 4)[8:])


@pytest.mark.parametrize(
    "index",
    [
        pd.Index([0, 1, 2, 4, 5, 6, 7, 8]),  # a missing row
        pd.Index([7, 6, 5, 4, 3, 2, 1, 0]),  # decreasing
        pd.Index([0, 1, 1, 2, 3, 4, 5, 6]),  # duplicated
        pd.Index([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]),  # floats
        pd.Index(list("abcdefgh")),
        pd.DatetimeIndex(pd.date_range("2021-01-01", periods=9).delete(3)),
        pd.date_range("2021-01-01", periods=8)[::-1],
        pd.DatetimeIndex(["2021-01-01"] * 2 + ["2021-01-02"] * 6),
        pd.period_range("2021-01", periods=8, freq="M"),
    ],
    ids=lambda index: f"{type(index).__name__}{list(index[:3])}",
)
def test_windower_without_positions_has_no_memory(index, rng):
    X = _frame(rng.standard_normal((8, 1)), index=index)
    windower = SequenceWindower(3).fit(X.iloc[:5])
    assert windower.memory_ is None and windower.memory_index_ is None
    rest = X.iloc[5:]
    assert_array_equal(windower.transform(rest), create_sequences(rest.to_numpy(), 3))


def test_windower_numpy_input_has_no_memory(rng):
    X = rng.standard_normal((10, 2))
    windower = SequenceWindower(3).fit(X[:6])
    assert windower.memory_ is None and windower.memory_index_ is None
    assert_array_equal(windower.transform(X[6:]), create_sequences(X[6:], 3))
    assert_array_equal(
        windower.transform(_frame(X[6:], index=pd.RangeIndex(6, 10))),
        create_sequences(X[6:], 3),
    )


@pytest.mark.parametrize(
    "index",
    [pd.Index([6, 8, 9, 10]), pd.Index([9, 8, 7, 6]), pd.Index([6, 6, 7, 8])],
    ids=["missing row", "decreasing", "duplicated"],
)
def test_windower_transform_input_must_be_regular_too(index, rng):
    X = rng.standard_normal((10, 1))
    windower = SequenceWindower(3).fit(_frame(X[:6]))
    rows = _frame(X[6:], index=index)
    assert_array_equal(windower.transform(rows), create_sequences(X[6:], 3))


def test_windower_memory_of_a_series_shorter_than_the_window(rng):
    X = _frame(rng.standard_normal((9, 1)))
    windower = SequenceWindower(6)
    with pytest.warns(UserWarning, match="fewer than window=6"):
        windower.fit_transform(X.iloc[:2])
    assert windower.memory_index_.equals(pd.RangeIndex(0, 2))
    assert_array_equal(windower.memory_, X.to_numpy()[:2])
    assert_array_equal(
        windower.transform(X.iloc[2:]), create_sequences(X.to_numpy(), 6)[2:]
    )


def test_windower_memory_is_independent_of_the_input(rng):
    values = rng.standard_normal((8, 1))
    X = _frame(values)
    windower = SequenceWindower(3).fit(X)
    X.iloc[:, 0] = 0.0
    assert_array_equal(windower.memory_, values[-3:])


def test_windower_memory_keeps_float32():
    X = _frame(np.arange(8.0)).astype(np.float32)
    windower = SequenceWindower(3).fit(X.iloc[:5])
    assert windower.memory_.dtype == np.float32
    assert windower.transform(X.iloc[5:]).dtype == np.float32


def test_windower_output_with_memory_is_a_view_over_one_padded_copy(rng):
    n, window = 500, 32
    X = _frame(rng.standard_normal((n + 100, 2)))
    Xt = SequenceWindower(window).fit(X.iloc[:100]).transform(X.iloc[100:])
    assert _memory_span(Xt) == (n + window - 1) * 2 * 8
    assert not Xt.flags.writeable
    rows = as_windows(Xt).rows
    assert np.shares_memory(rows, Xt)


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_windower_memory_survives_pickling_and_copying(how, rng):
    index = pd.date_range("2020-01-01", periods=12, freq="MS")
    X = _frame(rng.standard_normal((12, 2)), index=index)
    fitted = SequenceWindower(4).fit(X.iloc[:8])
    if how == "pickle":
        restored = pickle.loads(pickle.dumps(fitted))
    else:
        restored = copy.deepcopy(fitted)
    assert_array_equal(restored.memory_, fitted.memory_)
    assert restored.memory_index_.equals(fitted.memory_index_)
    assert restored.memory_index_.freq == fitted.memory_index_.freq
    assert_array_equal(restored.transform(X.iloc[8:]), fitted.transform(X.iloc[8:]))
    # clone gives an unfitted windower, as for any scikit-learn estimator.
    assert not hasattr(clone(fitted), "memory_")


def test_windower_refit_replaces_the_memory(rng):
    X = _frame(rng.standard_normal((20, 1)))
    windower = SequenceWindower(3).fit(X.iloc[:10])
    windower.fit(X.iloc[:10].to_numpy())
    assert windower.memory_ is None
    windower.fit(X.iloc[:15])
    assert windower.memory_index_.equals(pd.RangeIndex(12, 15))


def test_windower_warns_when_short_input_has_no_history(rng):
    X = _frame(rng.standard_normal((20, 1)))
    windower = SequenceWindower(5).fit(X.iloc[:10])
    msg = (
        "SequenceWindower got 2 row(s), fewer than window=5, and no remembered "
        "row precedes them: every window is padded with fill_value=nan, so the "
        "output rests on a truncated history. Pass the rows with the history "
        "before them (at least 5 rows), or as a DataFrame whose index continues "
        "the data the windower was fitted on (consecutive integers or a regular "
        "DatetimeIndex)."
    )
    with pytest.warns(UserWarning, match=re.escape(msg)):
        windower.transform(X.iloc[10:12].to_numpy())
    with pytest.warns(UserWarning, match=re.escape("got 2 row(s)")):
        windower.transform(X.iloc[15:17])  # positions too far after the fit
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        windower.transform(X.iloc[10:12])  # continues the fit: no warning
        windower.transform(X.iloc[[9]])
        windower.transform(X.iloc[:5].to_numpy())  # a full window


@settings(max_examples=60, deadline=None)
@given(
    X=hnp.arrays(
        np.float64,
        st.tuples(st.integers(2, 30), st.integers(1, 3)),
        elements=st.floats(-1e6, 1e6),
    ),
    window=st.integers(1, 8),
    data=st.data(),
)
def test_windower_with_memory_has_no_look_ahead(X, window, data):
    split = data.draw(st.integers(1, len(X) - 1), label="split")
    start = data.draw(st.integers(split, len(X) - 1), label="start")
    t = data.draw(st.integers(start, len(X) - 1), label="t")
    frame = _frame(X)
    windower = SequenceWindower(window).fit(frame.iloc[:split])
    changed = X.copy()
    changed[t + 1 :] = data.draw(
        hnp.arrays(np.float64, changed[t + 1 :].shape, elements=st.floats(-1e6, 1e6)),
        label="future rows",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # short inputs
        out = windower.transform(frame.iloc[start:])
        out_changed = windower.transform(_frame(changed).iloc[start:])
    # Rows up to t ignore every later row ...
    assert_array_equal(out_changed[: t - start + 1], out[: t - start + 1])
    # ... and are the windows of the whole series with the unseen rows (those
    # between the fit and the input) unknown.
    reference = create_sequences(_with_gap(X, split, start), window)
    assert_array_equal(out, reference[start:])


# --- make_supervised ------------------------------------------------------------


def test_make_supervised_univariate_array_gives_pandas_with_positions():
    X, y = make_supervised(np.arange(5.0))
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series)
    assert X.shape == (4, 1)
    assert X.index.equals(pd.RangeIndex(4)) and y.index.equals(X.index)
    assert list(X.columns) == [0] and y.name is None
    assert_array_equal(X[0], [0, 1, 2, 3])
    assert_array_equal(y, [1, 2, 3, 4])
    # Integer column labels are not feature names: arrays stay welcome later.
    windower = SequenceWindower(2).fit(X)
    assert not hasattr(windower, "feature_names_in_")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        windower.transform(X.to_numpy())


def test_make_supervised_horizon():
    X, y = make_supervised(np.arange(6.0), horizon=3)
    assert_array_equal(X[0], [0, 1, 2])
    assert_array_equal(y, [3, 4, 5])


def test_make_supervised_several_horizons():
    X, Y = make_supervised(np.arange(10.0), horizon=range(1, 4))
    assert X.shape == (7, 1) and Y.shape == (7, 3)
    assert isinstance(Y, pd.DataFrame) and Y.index.equals(X.index)
    assert list(Y.columns) == ["t+1", "t+2", "t+3"]
    assert_array_equal(Y.iloc[0], [1, 2, 3])
    assert_array_equal(Y["t+3"], X[0] + 3)


def test_make_supervised_array_target_index_keeps_all_features():
    data = np.column_stack([np.arange(5.0), 10 * np.arange(5.0)])
    X, y = make_supervised(data, target=1)
    assert_array_equal(X, data[:4])
    assert list(X.columns) == [0, 1]
    assert_array_equal(y, [10, 20, 30, 40])
    X, y = make_supervised(data, target=-1)
    assert_array_equal(y, [10, 20, 30, 40])


def test_make_supervised_dataframe_in_pandas_out():
    index = pd.date_range("2021-03-01", periods=6, freq="h")
    df = pd.DataFrame({"load": np.arange(6.0), "temp": -np.arange(6.0)}, index=index)
    X, y = make_supervised(df, target="load", horizon=2)
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series)
    assert list(X.columns) == ["load", "temp"]
    assert X.index.equals(index[:4]) and y.index.equals(index[:4])
    assert y.name == "load"
    assert_array_equal(y, [2, 3, 4, 5])
    _, Y = make_supervised(df, target="temp", horizon=[1, 3])
    assert list(Y.columns) == ["temp_t+1", "temp_t+3"]
    assert_array_equal(Y["temp_t+3"], [-3, -4, -5])


def test_make_supervised_series_in_frame_out():
    s = pd.Series(np.arange(4.0), name="sales")
    X, y = make_supervised(s)
    assert list(X.columns) == ["sales"] and y.name == "sales"
    assert_array_equal(y, [1, 2, 3])


def test_make_supervised_single_column_needs_no_target():
    X, y = make_supervised(np.arange(4.0).reshape(-1, 1))
    assert_array_equal(y, [1, 2, 3])


def test_make_supervised_does_not_mutate_or_alias_input():
    data = np.arange(6.0).reshape(-1, 2)
    before = data.copy()
    X, y = make_supervised(data, target=0)
    X[:] = -1
    y[:] = -1
    assert_array_equal(data, before)


@pytest.mark.parametrize("horizon", [0, -1, [1, 0], [], True, 1.5])
def test_make_supervised_rejects_bad_horizon(horizon):
    msg = "make_supervised expected horizon as an int >= 1"
    with pytest.raises((ValueError, TypeError), match=re.escape(msg)):
        make_supervised(np.arange(10.0), horizon=horizon)


def test_make_supervised_rejects_too_short_series():
    msg = (
        "make_supervised expected a series longer than the horizon: at least 4 "
        "rows for horizon 3; got 3 row(s)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_supervised(np.arange(3.0), horizon=3)


def test_make_supervised_rejects_unknown_column():
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    msg = (
        "make_supervised expected target to be one of the columns ['a', 'b']; got 'c'."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_supervised(df, target="c")


def test_make_supervised_rejects_2d_without_target():
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    with pytest.raises(ValueError, match=re.escape("got target=None. Pass e.g. ")):
        make_supervised(df)
    with pytest.raises(ValueError, match=re.escape("got target=None. Pass e.g. ")):
        make_supervised(df.to_numpy())


def test_make_supervised_rejects_out_of_range_index():
    msg = "make_supervised expected target as a column index in [0, 2)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_supervised(np.zeros((4, 2)), target=2)


# --- window_rows: the rows behind windows, for feeding Keras batches ---------


def _assert_rows_rebuild(X, rows, starts):
    window = X.shape[1]
    for i in range(len(X)):
        assert_array_equal(rows[starts[i] : starts[i] + window], X[i])
    assert_array_equal(as_windows(X).to_array(), X)


@pytest.mark.parametrize("every", [1, 2, 3])
def test_window_rows_of_a_windower_view_are_the_series_itself(every):
    X = SequenceWindower(4).fit_transform(np.arange(30.0).reshape(15, 2))[::every]
    rows, starts = as_windows(X).rows, as_windows(X).starts
    assert np.shares_memory(rows, X)  # a view: the windows are not copied
    assert rows.shape == ((len(X) - 1) * every + 4, 2)
    assert_array_equal(starts, np.arange(len(X)) * every)
    _assert_rows_rebuild(X, rows, starts)


def test_window_rows_lays_other_windows_end_to_end():
    rng = np.random.default_rng(0)
    contiguous = rng.standard_normal((5, 3, 2))
    rows, starts = as_windows(contiguous).rows, as_windows(contiguous).starts
    assert np.shares_memory(rows, contiguous)
    assert_array_equal(starts, [0, 3, 6, 9, 12])
    _assert_rows_rebuild(contiguous, rows, starts)
    # Reversed or gapped windows cannot be described by one series: copied.
    windows = SequenceWindower(3).fit_transform(np.arange(20.0).reshape(10, 2))
    for X in (windows[::-1], windows[::4], contiguous[:, ::-1]):
        rows, starts = as_windows(X).rows, as_windows(X).starts
        assert not np.shares_memory(rows, windows)
        _assert_rows_rebuild(X, rows, starts)
