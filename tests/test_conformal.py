# SPDX-License-Identifier: BSD-3-Clause
"""ConformalForecaster: split and cross conformal, CQR, adaptive inference."""

import math
import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit

from sklstm import (
    ConformalForecaster,
    LSTMRegressor,
    NaiveRegressor,
    interval_coverage,
    make_lstm_pipeline,
    make_supervised,
)


def _series(n=400, seed=0):
    rng = np.random.default_rng(seed)
    return np.sin(np.arange(n) / 8) + rng.normal(scale=0.2, size=n)


@pytest.fixture(scope="module")
def supervised():
    return make_supervised(_series(), horizon=1)


def _pipe():
    return make_lstm_pipeline(12, Ridge())


# --- calibration -------------------------------------------------------------------


def test_last_calibration_scores_are_the_errors_of_the_most_recent_rows(supervised):
    X, y = supervised
    model = ConformalForecaster(_pipe(), calibration_size=50, refit=False).fit(X, y)
    inner = clone(_pipe()).fit(X.iloc[:-50], y.iloc[:-50])
    # Each calibration row forecast from its real history (the rows before it).
    errors = np.abs(y.to_numpy() - inner.predict(X))[-50:]
    assert_allclose(model.calibration_scores_[:, 0], errors)
    assert model.method_ == "absolute"


def test_interval_is_forecast_plus_minus_the_conformal_quantile(supervised):
    X, y = supervised
    model = ConformalForecaster(_pipe(), coverage=0.8, calibration_size=49).fit(X, y)
    scores = np.sort(model.calibration_scores_[:, 0])
    rank = math.ceil((49 + 1) * 0.8)
    width = scores[rank - 1]
    intervals = model.predict_interval(X.iloc[-5:])
    point = model.predict(X.iloc[-5:])
    assert intervals.shape == (5, 2)
    assert_allclose(intervals[:, 0], point - width)
    assert_allclose(intervals[:, 1], point + width)
    wider = model.predict_interval(X.iloc[-5:], coverage=0.95)
    assert (wider[:, 1] - wider[:, 0] >= intervals[:, 1] - intervals[:, 0]).all()


def test_cv_calibration_scores_every_test_fold_per_step():
    X, y = make_supervised(_series(), horizon=range(1, 4))
    cv = TimeSeriesSplit(n_splits=4, test_size=40, gap=2)
    model = ConformalForecaster(_pipe(), calibration="cv", cv=cv).fit(X, y)
    assert model.calibration_scores_.shape == (160, 3)
    intervals = model.predict_interval(X.iloc[-7:])
    assert intervals.shape == (7, 3, 2)
    widths = intervals[..., 1] - intervals[..., 0]
    # Further steps ahead are harder: their intervals are wider.
    assert widths[0, 2] > widths[0, 0]


def test_coverage_holds_approximately_on_later_data(supervised):
    X, y = supervised
    model = ConformalForecaster(_pipe(), coverage=0.8, calibration_size=100)
    model.fit(X.iloc[:250], y.iloc[:250])
    # The test rows continue the fitted rows: the windower supplies history.
    got = interval_coverage(y.iloc[250:], model.predict_interval(X.iloc[250:]))
    assert abs(got - 0.8) < 0.12


def test_baseline_inside_and_pickle_round_trip(supervised):
    X, y = supervised
    model = ConformalForecaster(NaiveRegressor("last"), coverage=0.9).fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    assert_array_equal(again.predict_interval(X), model.predict_interval(X))
    params = clone(model).get_params()
    assert params["coverage"] == 0.9 and params["calibration"] == "last"


def test_cqr_with_a_quantile_lstm_conformalises_its_outer_quantiles(supervised):
    X, y = supervised
    regressor = LSTMRegressor(
        units=3,
        epochs=2,
        quantiles=(0.1, 0.5, 0.9),
        random_state=0,
        early_stopping=False,
        run_eagerly=True,
    )
    model = ConformalForecaster(
        make_lstm_pipeline(8, regressor), coverage=0.8, refit=False
    ).fit(X.iloc[:200], y.iloc[:200])
    assert model.method_ == "cqr"
    q = model.estimator_[-1].predict_quantiles(model.estimator_[:-1].transform(X))
    truth = y.to_numpy()[160:200]
    assert_allclose(
        model.calibration_scores_[:, 0],
        np.maximum(q[160:200, 0] - truth, truth - q[160:200, 2]),
        rtol=1e-5,
        atol=1e-6,
    )
    width = np.sort(model.calibration_scores_[:, 0])[math.ceil(41 * 0.8) - 1]
    intervals = model.predict_interval(X)
    assert_allclose(intervals[:, 0], q[:, 0] - width, rtol=1e-5, atol=1e-5)
    assert_allclose(intervals[:, 1], q[:, 2] + width, rtol=1e-5, atol=1e-5)
    assert_allclose(model.predict(X), q[:, 1], rtol=1e-5, atol=1e-5)


# --- adaptive conformal inference --------------------------------------------------


def _aci_by_hand(scores, preds, truth, coverage, gamma):
    """Gibbs and Candes (2021), eq. (2): alpha_{t+1} = alpha_t + gamma (alpha -
    err_t), with the scores rolling forward one row at a time."""
    alpha_target = 1 - coverage
    alpha, scores, history = alpha_target, list(scores), []
    for pred, y in zip(preds, truth, strict=True):
        n = len(scores)
        rank = math.ceil((n + 1) * (1 - alpha) - 1e-9)
        if rank > n:
            width = np.inf
        elif rank < 1:
            width = None  # empty set
        else:
            width = sorted(scores)[rank - 1]
        err = 1 if width is None else int(abs(y - pred) > width)
        history.append(alpha)
        alpha = alpha + gamma * (alpha_target - err)
        scores = [*scores[1:], abs(y - pred)]
    return np.array(history), alpha


def test_update_reads_nan_target_rows_as_history_only():
    # A windowed pipeline updated from the middle of the series: the rows
    # before the observed one carry NaN targets and only fill its window, so
    # the update equals the one made from rows that continue the fitted data.
    t = np.arange(260.0)
    series = pd.Series(np.sin(t / 4) + 0.01 * t, name="y")
    X, y = make_supervised(series)
    base = ConformalForecaster(make_lstm_pipeline(6, Ridge()), coverage=0.8)
    base.fit(X.iloc[:200], y.iloc[:200])
    continuing = clone(base).fit(X.iloc[:200], y.iloc[:200])
    continuing.update(X.iloc[200:201], y.iloc[200:201])
    targets = y.iloc[195:201].copy()
    targets.iloc[:-1] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no padded window
        base.update(X.iloc[195:201], targets)
    assert len(base.alpha_history_) == 1
    assert_allclose(base.alpha_, continuing.alpha_)
    assert_allclose(base.calibration_scores_, continuing.calibration_scores_)
    # From far after the fitted data, with its history: one score replaced.
    before = base.calibration_scores_.copy()
    targets = y.iloc[245:251].copy()
    targets.iloc[:-1] = np.nan
    base.update(X.iloc[245:251], targets)
    assert_allclose(base.calibration_scores_[:-1], before[1:])
    pred, truth = base.estimator_.predict(X.iloc[245:251])[-1], y.iloc[250]
    assert base.calibration_scores_[-1, 0] == pytest.approx(abs(truth - pred))


def test_update_follows_the_published_rule(rng):
    X = rng.standard_normal((300, 2))
    y = (
        X @ [1.0, 1.0]
        + rng.standard_normal(300) * np.r_[np.ones(200), 3 * np.ones(100)]
    )
    model = ConformalForecaster(
        Ridge(), coverage=0.9, calibration_size=50, refit=False, adaptation_rate=0.05
    ).fit(X[:150], y[:150])
    scores = model.calibration_scores_[:, 0].copy()
    preds = model.predict(X[150:])
    model.update(X[150:], y[150:])
    history, final = _aci_by_hand(scores, preds, y[150:], 0.9, 0.05)
    assert_allclose(np.array(model.alpha_history_)[:, 0], history)
    assert model.alpha_[0] == pytest.approx(final)
    # When the variance tripled, misses pushed the level down (wider intervals)
    # until the rolling scores caught up.
    assert history.min() < 0.08


def test_update_long_run_miscoverage_bound():
    # Gibbs and Candes, Prop. 4.1: |mean err - alpha| <= (max(a1, 1 - a1) +
    # gamma) / (gamma T) for any sequence, here one with drifting scale.
    rng = np.random.default_rng(1)
    T, gamma = 2000, 0.05
    scale = np.exp(np.linspace(0, 2, T + 60))
    y = rng.standard_normal(T + 60) * scale
    X = np.zeros((T + 60, 1))
    model = ConformalForecaster(
        DummyRegressor(strategy="constant", constant=0.0),
        coverage=0.9,
        calibration_size=50,
        refit=False,
        adaptation_rate=gamma,
    ).fit(X[:60], y[:60])
    alphas = []
    misses = []
    for t in range(60, T + 60):
        interval = model.predict_interval(X[t : t + 1])[0]
        misses.append(not interval[0] <= y[t] <= interval[1])
        alphas.append(model.alpha_[0])
        model.update(X[t : t + 1], y[t : t + 1])
    bound = (max(0.1, 0.9) + gamma) / (gamma * T)
    assert abs(np.mean(misses) - 0.1) <= bound + 1e-9


# --- errors ------------------------------------------------------------------------


def test_rejects_coverage_outside_the_unit_interval(supervised):
    X, y = supervised
    with pytest.raises(ValueError, match="'coverage' parameter of ConformalForecaster"):
        ConformalForecaster(Ridge(), coverage=1.0).fit(X, y)
    model = ConformalForecaster(Ridge()).fit(X, y)
    msg = (
        "ConformalForecaster expected coverage as a float strictly between 0 and "
        "1, e.g. 0.9 for a 90% interval; got 95."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        model.predict_interval(X, coverage=95)


def test_rejects_too_few_calibration_rows(supervised):
    X, y = supervised
    msg = (
        "ConformalForecaster needs at least 19 calibration rows for coverage=0.95 "
        "(a finite conformal quantile needs (n + 1) * coverage <= n); got 10 from "
        "399 sample(s). Pass more rows, a larger calibration_size, or a lower "
        "coverage."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        ConformalForecaster(Ridge(), coverage=0.95, calibration_size=10).fit(X, y)
    model = ConformalForecaster(Ridge(), coverage=0.8, calibration_size=10).fit(X, y)
    msg = (
        "ConformalForecaster was calibrated on 10 row(s), too few for "
        "coverage=0.99: a finite conformal quantile needs at least 99."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        model.predict_interval(X, coverage=0.99)


def test_rejects_calibration_without_training_rows():
    X, y = np.zeros((10, 1)), np.zeros(10)
    msg = (
        "ConformalForecaster expected rows to train on before the 10 "
        "calibration row(s) and the gap of 0; got 10 sample(s)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        ConformalForecaster(Ridge(), calibration_size=10).fit(X, y)


def test_rejects_folds_out_of_time_order(supervised):
    X, y = supervised
    folds = [(np.arange(200, 300), np.arange(0, 100))]
    with pytest.raises(ValueError, match="expected time-ordered folds"):
        ConformalForecaster(Ridge(), calibration="cv", cv=folds).fit(X, y)


def test_predict_interval_before_fit():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        ConformalForecaster(Ridge()).predict_interval(np.zeros((2, 1)))


# --- wiring: forecast, backtest, plot, CLI ------------------------------------------


def test_forecast_with_coverage_returns_the_interval_columns():
    import pandas as pd

    from sklstm import forecast

    days = pd.date_range("2024-01-01", periods=300, freq="D")
    series = pd.Series(_series(300), index=days, name="level").to_frame()
    X, y = make_supervised(series, horizon=range(1, 4))
    model = ConformalForecaster(_pipe(), coverage=0.8, gap=2).fit(X, y)
    out = forecast(model, series, coverage=0.8)
    assert list(out.columns) == ["level", "lower", "upper"]
    assert str(out.index[0].date()) == "2024-10-27" and len(out) == 3
    assert (out["lower"] <= out["level"]).all() and (out["level"] <= out["upper"]).all()
    # The point column is the plain forecast.
    assert_allclose(out["level"], forecast(model, series))


def test_forecast_interval_errors():
    import pandas as pd

    from sklstm import forecast

    series = pd.DataFrame({"y": _series(200)})
    X, y = make_supervised(series)
    pipe = _pipe().fit(X, y)
    msg = (
        "forecast got coverage=0.9, but Pipeline has no predict_interval, so it "
        "gives no interval. Wrap it: sklstm.ConformalForecaster(estimator, "
        "coverage=0.9)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        forecast(pipe, series, coverage=0.9)
    model = ConformalForecaster(_pipe()).fit(X, y)
    with pytest.raises(ValueError, match="forecast gives intervals of direct models"):
        forecast(model, series, steps=3, coverage=0.9)


def test_backtest_reports_coverage_and_interval_score_per_step():
    from sklstm import backtest, backtest_report, interval_score

    X, y = make_supervised(_series(), horizon=range(1, 3))
    model = ConformalForecaster(_pipe(), coverage=0.8, calibration_size=60, gap=1)
    results = backtest(model, X, y, cv=TimeSeriesSplit(n_splits=2, test_size=60, gap=1))
    assert {"lower", "upper", "nominal_coverage"} <= set(results.columns)
    report = backtest_report(results)
    assert list(report.index) == [1, 2]
    assert ((report["coverage"] > 0.6) & (report["coverage"] < 0.97)).all()
    step1 = results[results["step"] == 1]
    expected = interval_score(
        step1["y_true"], step1[["lower", "upper"]].to_numpy(), coverage=0.8
    )
    assert report.loc[1, "interval_score"] == pytest.approx(expected)


def test_plot_forecast_draws_the_band():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from sklstm.plotting import plot_forecast

    y = np.sin(np.arange(40) / 4)
    pred = np.r_[y, [0.5, 0.6]]
    band = np.full((42, 2), np.nan)
    band[-2:] = [[0.3, 0.7], [0.35, 0.85]]
    ax = plot_forecast(y, pred, interval=band)
    assert [c.get_gid() for c in ax.collections] == ["interval"]
    with pytest.raises(ValueError, match=re.escape("interval of shape (42, 2)")):
        plot_forecast(y, pred, interval=band[:-1])
