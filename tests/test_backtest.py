# SPDX-License-Identifier: BSD-3-Clause
"""Tests for backtest and backtest_report."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, TimeSeriesSplit

from sklstm import (
    NaiveRegressor,
    backtest,
    backtest_report,
    make_lstm_pipeline,
    make_supervised,
)
from sklstm.datasets import load_seattle_weather

COLUMNS = ["fold", "origin", "step", "target_time", "y_true", "y_pred", "mase_scale"]


@pytest.fixture(scope="module")
def weather():
    """Seattle daily weather, numeric columns, one year and a half."""
    return load_seattle_weather().drop(columns="weather").iloc[:540]


def hand_loop(estimator, X, y, cv):
    """Each test fold forecast from all rows up to its end, fold by fold."""
    forecasts = []
    for train, test in cv.split(X):
        model = clone(estimator).fit(X.iloc[train], y.iloc[train])
        pred = np.asarray(model.predict(X.iloc[: test[-1] + 1]))
        forecasts.append(pred[test].reshape(len(test), -1))
    return np.concatenate(forecasts)


def test_ridge_backtest_equals_a_hand_loop(weather):
    X, y = make_supervised(weather, target="temp_max")
    pipe = make_lstm_pipeline(30, Ridge(), fill_value=0.0)
    cv = TimeSeriesSplit(n_splits=3, test_size=60)
    results = backtest(pipe, X, y, cv=cv)
    assert list(results.columns) == COLUMNS
    assert len(results) == 180
    assert_allclose(results["y_pred"], hand_loop(pipe, X, y, cv).ravel(), rtol=1e-12)
    test = np.concatenate([t for _, t in cv.split(X)])
    assert_array_equal(results["y_true"], y.to_numpy()[test])
    assert_array_equal(results["origin"], X.index[test])
    assert_array_equal(results["fold"], np.repeat([0, 1, 2], 60))
    assert (results["step"] == 1).all()
    assert_array_equal(results["target_time"], X.index[test] + pd.Timedelta(days=1))


def test_first_test_rows_see_the_training_rows(weather):
    # Without the history, the first window of a fold would be mostly padding.
    X, y = make_supervised(weather, target="temp_max")
    pipe = make_lstm_pipeline(30, Ridge(), fill_value=0.0)
    cv = [(np.arange(400), np.arange(400, 430))]
    results = backtest(pipe, X, y, cv=cv)
    alone = pipe.fit(X.iloc[:400], y.iloc[:400]).predict(X.iloc[400:430])
    full = pipe.predict(X.iloc[:430])[400:]
    assert_allclose(results["y_pred"], full, rtol=1e-12)
    assert_allclose(results["y_pred"].iloc[29:], alone[29:], rtol=1e-12)


def test_multi_step_with_gap(weather):
    X, Y = make_supervised(weather, target="temp_max", horizon=[1, 7, 14])
    pipe = make_lstm_pipeline(14, Ridge(), fill_value=0.0)
    cv = TimeSeriesSplit(n_splits=2, test_size=50, gap=13)
    results = backtest(pipe, X, Y, cv=cv)
    assert len(results) == 2 * 50 * 3
    assert_array_equal(results["step"].iloc[:6], [1, 7, 14, 1, 7, 14])  # from names
    assert_array_equal(
        results["target_time"] - results["origin"],
        pd.to_timedelta(results["step"], unit="D"),
    )
    assert_allclose(results["y_pred"], hand_loop(pipe, X, Y, cv).ravel(), rtol=1e-12)
    test = np.concatenate([t for _, t in cv.split(X)])
    assert_array_equal(results["y_true"], Y.to_numpy()[test].ravel())


def test_numpy_input_uses_positions(weather):
    X, Y = make_supervised(
        weather.to_numpy(), target=1, horizon=range(1, 4)
    )  # NumPy in (pandas out, once make_supervised keeps positions)
    X, Y = np.asarray(X), np.asarray(Y)
    cv = TimeSeriesSplit(n_splits=2, test_size=40, gap=2)
    results = backtest(make_lstm_pipeline(7, Ridge(), fill_value=0.0), X, Y, cv=cv)
    origins = np.concatenate([t for _, t in cv.split(X)])
    assert_array_equal(results["origin"], np.repeat(origins, 3))
    assert_array_equal(results["step"], np.tile([1, 2, 3], 80))
    assert_array_equal(results["target_time"], results["origin"] + results["step"])


def test_horizon_for_a_single_far_target(weather):
    X, y = make_supervised(weather, target="temp_max", horizon=3)
    results = backtest(
        make_lstm_pipeline(7, Ridge(), fill_value=0.0), X, y, cv=2, horizon=3
    )
    assert (results["step"] == 3).all()
    assert (results["target_time"] - results["origin"] == pd.Timedelta(days=3)).all()
    msg = "backtest expected horizon as an int >= 1 or a sequence of them, one per"
    with pytest.raises(ValueError, match=re.escape(msg)):
        backtest(Ridge(), X, y, cv=2, horizon=[1, 2])


def test_mase_scale_and_report_by_hand(weather):
    X, y = make_supervised(weather, target="temp_max")
    cv = TimeSeriesSplit(n_splits=2, test_size=60)
    results = backtest(
        make_lstm_pipeline(7, Ridge(), fill_value=0.0), X, y, cv=cv, season=7
    )
    for fold, (train, _) in enumerate(cv.split(X)):
        values = y.to_numpy()[train]
        scale = np.mean(np.abs(values[7:] - values[:-7]))
        assert_allclose(results.loc[results["fold"] == fold, "mase_scale"], scale)
    report = backtest_report(results)
    error = results["y_pred"] - results["y_true"]
    assert report.index.tolist() == [1]
    assert_allclose(report.loc[1, "MAE"], error.abs().mean())
    assert_allclose(report.loc[1, "RMSE"], np.sqrt((error**2).mean()))
    assert_allclose(report.loc[1, "MASE"], (error.abs() / results["mase_scale"]).mean())
    assert report.loc[1, "n"] == 120
    by_fold = backtest_report(results, by=["fold", "step"])
    assert by_fold.index.tolist() == [(0, 1), (1, 1)]


def test_baselines_backtest_without_nan(weather):
    X, Y = make_supervised(weather, target="temp_max", horizon=range(1, 8))
    cv = TimeSeriesSplit(n_splits=3, test_size=60, gap=6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reports = {
            strategy: backtest_report(
                backtest(
                    make_lstm_pipeline(14, NaiveRegressor(strategy, season=7)),
                    X,
                    Y,
                    cv=cv,
                )
            )
            for strategy in ["last", "seasonal", "drift"]
        }
    for report in reports.values():
        assert np.isfinite(report.to_numpy()).all()
        assert report.index.tolist() == list(range(1, 8))
    # The naive forecast one day ahead is about as good as its in-sample self.
    assert 0.8 < reports["last"].loc[1, "MASE"] < 1.25


def test_cv_forms_and_time_order(weather):
    X, y = make_supervised(weather, target="temp_max")
    pipe = make_lstm_pipeline(7, Ridge(), fill_value=0.0)
    assert backtest(pipe, X, y)["fold"].nunique() == 5  # TimeSeriesSplit()
    assert backtest(pipe, X, y, cv=3)["fold"].nunique() == 3
    msg = (
        "backtest expected time-ordered folds, every training row before every "
        "test row; fold 0 trains on row"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        backtest(pipe, X, y, cv=KFold(3))
    msg = "backtest expected cv as None, an int, a splitter"
    with pytest.raises(ValueError, match=re.escape(msg)):
        backtest(pipe, X, y, cv="time")
    msg = "backtest expected season as an int >= 1; got 0."
    with pytest.raises(ValueError, match=re.escape(msg)):
        backtest(pipe, X, y, season=0)


def test_any_estimator_and_per_row_fit_params(weather):
    X, y = make_supervised(weather, target="temp_max")
    cv = TimeSeriesSplit(n_splits=2, test_size=30)
    weights = np.linspace(0.5, 1.5, len(X))
    results = backtest(Ridge(), X, y, cv=cv, params={"sample_weight": weights})
    train, test = list(cv.split(X))[1]
    model = Ridge().fit(X.iloc[train], y.iloc[train], sample_weight=weights[train])
    assert_allclose(results["y_pred"].iloc[30:], model.predict(X.iloc[test]))


def test_irregular_dates_give_nat_with_a_warning(weather):
    X, y = make_supervised(weather.drop(weather.index[[100, 200]]), target="temp_max")
    with pytest.warns(UserWarning, match="no regular frequency"):
        results = backtest(Ridge(), X, y, cv=2)
    assert results["target_time"].isna().all()


def test_report_needs_backtest_columns():
    msg = "backtest_report expected the output of backtest, with the column(s)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        backtest_report(pd.DataFrame({"step": [1], "y_true": [1.0]}))


@pytest.mark.slow
def test_tiny_lstm_backtest_equals_a_hand_loop(weather):
    lstm = pytest.importorskip("sklstm").LSTMRegressor
    X, y = make_supervised(weather.iloc[:200], target="temp_max")
    pipe = make_lstm_pipeline(
        7, lstm(units=2, epochs=1, early_stopping=False, random_state=0)
    )
    cv = TimeSeriesSplit(n_splits=2, test_size=20)
    results = backtest(pipe, X, y, cv=cv)
    assert np.isfinite(results["y_pred"]).all()
    assert_allclose(results["y_pred"], hand_loop(pipe, X, y, cv).ravel(), rtol=1e-5)
