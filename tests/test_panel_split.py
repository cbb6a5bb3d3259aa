# SPDX-License-Identifier: BSD-3-Clause
"""PanelSplit: time-ordered folds with one cutoff time for all series."""

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.linear_model import Ridge
from sklearn.model_selection import (
    GridSearchCV,
    TimeSeriesSplit,
    cross_val_score,
)

from sklstm import PanelSplit, backtest

DAYS = pd.date_range("2024-01-01", periods=30, freq="D")
# Three series of different lengths: "b" starts late, "c" ends early.
SPANS = {"a": DAYS, "b": DAYS[10:], "c": DAYS[:25]}


def _panel(order="series"):
    """A long table indexed by day, sorted by series then time or the reverse."""
    rng = np.random.default_rng(0)
    frames = [
        pd.DataFrame(
            {
                "series": name,
                "x": rng.normal(size=len(days)),
                "z": np.arange(len(days), dtype=float),
            },
            index=days,
        )
        for name, days in SPANS.items()
    ]
    panel = pd.concat(frames)
    panel.index.name = "date"
    if order == "time":
        panel = panel.iloc[np.lexsort((panel["series"], panel.index))]
    panel["y"] = 2.0 * panel["x"] + 0.1 * panel["z"]
    return panel


def _codes(times):
    return pd.factorize(pd.Index(times), sort=True)[0]


@pytest.mark.parametrize("order", ["series", "time"])
@pytest.mark.parametrize(
    "params",
    [
        {"n_splits": 3},
        {"n_splits": 4, "test_size": 3, "gap": 2},
        {"n_splits": 2, "test_size": 5, "gap": 1, "max_train_size": 7},
    ],
)
def test_panel_split_one_cutoff_for_all_series(order, params):
    panel = _panel(order)
    codes = _codes(panel.index)  # day number 0..29
    n_splits, gap = params["n_splits"], params.get("gap", 0)
    test_size = params.get("test_size", 30 // (n_splits + 1))
    folds = list(PanelSplit(**params).split(panel))
    assert len(folds) == n_splits
    tested = []
    for train, test in folds:
        assert train.dtype.kind == test.dtype.kind == "i"
        cutoff = codes[test].min()
        # Every training time lies before the test times, with the gap between.
        assert codes[train].max() < cutoff - gap
        # One cutoff for all: a row is in the fold exactly when its time is,
        # whichever series it belongs to.
        end = cutoff - gap
        start = end - params.get("max_train_size", end)
        assert_array_equal(train, np.flatnonzero((codes >= start) & (codes < end)))
        in_test = (codes >= cutoff) & (codes < cutoff + test_size)
        assert_array_equal(test, np.flatnonzero(in_test))
        tested.append(np.unique(codes[test]))
    # The test folds tile the last n_splits * test_size time points.
    assert_array_equal(np.concatenate(tested), np.arange(30 - n_splits * test_size, 30))


def test_panel_split_is_independent_of_row_order():
    by_series, by_time = _panel("series"), _panel("time")
    cv = PanelSplit(3, test_size=4, gap=1)

    def labelled(panel):
        keys = list(zip(panel["series"], panel.index, strict=True))
        return [
            (sorted(keys[i] for i in train), sorted(keys[i] for i in test))
            for train, test in cv.split(panel)
        ]

    assert labelled(by_series) == labelled(by_time)


def test_panel_split_ragged_series_join_and_leave():
    panel = _panel()
    folds = list(PanelSplit(3, test_size=5).split(panel))
    series = panel["series"].to_numpy()
    # Fold 0 trains on days 0-14: "b" (from day 10) has 5 of them.
    assert (series[folds[0][0]] == "b").sum() == 5
    # "c" ends on day 24: the last fold (days 25-29) tests "a" and "b" only.
    assert set(series[folds[-1][1]]) == {"a", "b"}


def test_panel_split_slides_with_max_train_size():
    panel = _panel()
    codes = _codes(panel.index)
    for train, test in PanelSplit(4, test_size=2, max_train_size=6).split(panel):
        assert_array_equal(
            np.unique(codes[train]), np.arange(codes[test].min() - 6, codes[test].min())
        )


@pytest.mark.parametrize(
    "params",
    [
        {"n_splits": 5},
        {"n_splits": 3, "test_size": 4},
        {"n_splits": 3, "test_size": 4, "gap": 3},
        {"n_splits": 4, "gap": 2, "max_train_size": 5},
        {"n_splits": 2, "max_train_size": 100},
    ],
)
def test_panel_split_equals_time_series_split_on_one_series(params):
    one = pd.DataFrame({"x": np.arange(23.0)}, index=np.arange(100, 123))
    expected = list(TimeSeriesSplit(**params).split(one))
    got = list(PanelSplit(**params).split(one))
    assert len(got) == len(expected)
    for (train, test), (train_ts, test_ts) in zip(got, expected, strict=True):
        assert_array_equal(train, train_ts)
        assert_array_equal(test, test_ts)


def test_panel_split_reads_a_column_or_index_level():
    panel = _panel()
    expected = list(PanelSplit(3, gap=1).split(panel))
    sources = {
        "date": panel.reset_index(),  # a column
        "day": panel.set_index("series", append=True).rename_axis(["day", "s"]),
    }
    for time, X in sources.items():
        for (train, test), (train_e, test_e) in zip(
            PanelSplit(3, gap=1, time=time).split(X), expected, strict=True
        ):
            assert_array_equal(train, train_e)
            assert_array_equal(test, test_e)


def test_panel_split_repr_and_n_splits():
    cv = PanelSplit(4, test_size=7, gap=2, time="date")
    assert repr(cv) == (
        "PanelSplit(gap=2, max_train_size=None, n_splits=4, test_size=7, time='date')"
    )
    assert cv.get_n_splits() == 4
    assert cv.get_n_splits(_panel()) == 4


def test_panel_split_in_cross_val_score_and_grid_search():
    panel = _panel()
    X, y = panel[["x", "z"]], panel["y"]
    scores = cross_val_score(Ridge(), X, y, cv=PanelSplit(3))
    assert scores.shape == (3,)
    assert (scores > 0.9).all()
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, cv=PanelSplit(3)).fit(X, y)
    assert search.n_splits_ == 3
    assert search.best_params_ == {"alpha": 0.1}


# --- errors ----------------------------------------------------------------------


def _raises(exc, message, cv, X):
    with pytest.raises(exc, match=re.escape(message)):
        cv.split(X)


def test_panel_split_needs_times():
    X = _panel()[["x", "z"]]
    _raises(
        TypeError,
        "PanelSplit expected X as a pandas DataFrame or Series whose index holds "
        "each row's time, as time=None reads it; got ndarray, which has no times.",
        PanelSplit(3),
        X.to_numpy(),
    )
    _raises(
        TypeError,
        "PanelSplit expected X as a pandas DataFrame to read its column "
        "time='date'; got ndarray.",
        PanelSplit(3, time="date"),
        X.to_numpy(),
    )
    _raises(
        ValueError,
        "PanelSplit expected time='when' to name a column of X or a level of its "
        "index; got columns ['x', 'z'] and index names ['date'].",
        PanelSplit(3, time="when"),
        X,
    )
    _raises(
        ValueError,
        "PanelSplit expected a single index of times with time=None; X has a "
        "MultiIndex with levels ['date', 'series']. Pass time='<level>'",
        PanelSplit(3),
        _panel().set_index("series", append=True),
    )


def test_panel_split_rejects_missing_and_unordered_times():
    X = _panel()[["x"]]
    index = X.index.to_series().reset_index(drop=True)
    index[[4, 7]] = pd.NaT
    _raises(
        ValueError,
        "PanelSplit expected a time for every row; X's index has 2 missing "
        "time(s) (NaN or NaT), the first at row 4.",
        PanelSplit(3),
        X.set_axis(pd.DatetimeIndex(index)),
    )
    X = X.reset_index()
    X.loc[3, "date"] = np.nan
    _raises(
        ValueError,
        "PanelSplit expected a time for every row; column 'date' has 1 missing",
        PanelSplit(3, time="date"),
        X,
    )
    mixed = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}, index=[1, "b", 2, "a"])
    _raises(
        TypeError,
        "PanelSplit expected times that can be ordered; X's index holds values "
        "of dtype object that cannot (mixed types?).",
        PanelSplit(2),
        mixed,
    )


def test_panel_split_too_few_time_points():
    panel = _panel()  # 30 distinct days in 75 rows
    _raises(
        ValueError,
        "PanelSplit expected at least n_splits + 1 = 31 distinct time points for "
        "n_splits=30; got X with 30.",
        PanelSplit(30),
        panel,
    )
    _raises(
        ValueError,
        "PanelSplit expected n_splits * test_size + gap < the 30 distinct time "
        "points of X, to leave a time to train on; got n_splits=3, test_size=9 "
        "and gap=3. Lower n_splits, test_size or gap.",
        PanelSplit(3, test_size=9, gap=3),
        panel,
    )


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"n_splits": 1},
            "n_splits as an int >= 2, counted in distinct time points; got 1.",
        ),
        (
            {"n_splits": 2.0},
            "n_splits as an int >= 2, counted in distinct time points; got 2.0.",
        ),
        (
            {"test_size": 0},
            "test_size as an int >= 1 or None, counted in distinct time points; got 0.",
        ),
        ({"gap": -1}, "gap as an int >= 0, counted in distinct time points; got -1."),
        (
            {"gap": True},
            "gap as an int >= 0, counted in distinct time points; got True.",
        ),
        (
            {"max_train_size": 0},
            "max_train_size as an int >= 1 or None, "
            "counted in distinct time points; got 0.",
        ),
    ],
)
def test_panel_split_checks_its_parameters(params, message):
    params = {"n_splits": 3, **params}
    _raises(
        ValueError, f"PanelSplit expected {message}", PanelSplit(**params), _panel()
    )


def test_panel_split_warns_that_groups_are_ignored():
    panel = _panel()
    with pytest.warns(UserWarning, match="PanelSplit ignores groups"):
        list(PanelSplit(3).split(panel, groups=panel["series"]))


# --- backtest ----------------------------------------------------------------------


def test_backtest_accepts_panel_split_over_one_series():
    one = _panel().query("series == 'a'")
    X, y = one[["x", "z"]], one["y"]
    got = backtest(Ridge(), X, y, cv=PanelSplit(3, test_size=4, gap=1))
    expected = backtest(Ridge(), X, y, cv=TimeSeriesSplit(3, test_size=4, gap=1))
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("order", ["series", "time"])
def test_backtest_refuses_a_panel(order):
    panel = _panel(order)
    message = (
        "backtest expected one series, one row per time; got cv=PanelSplit("
        "gap=0, max_train_size=None, n_splits=3, test_size=None, time=None) "
        "over a panel of 75 rows at 30 distinct times (time 2024-01-11 00:00:00 "
        "has 3 rows). Its forecasts would read windows across series."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        backtest(Ridge(), panel[["x", "z"]], panel["y"], cv=PanelSplit(3))
