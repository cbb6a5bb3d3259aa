# SPDX-License-Identifier: BSD-3-Clause
"""Tests for NaiveRegressor: exact baselines in the units of y, in a pipeline."""

import math
import pickle
import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import NaiveRegressor, SequenceWindower, make_lstm_pipeline, make_supervised
from sklstm.datasets import load_air_passengers, load_seattle_weather

STRATEGIES = ["last", "seasonal", "drift"]


def reference(values, window, strategy, season, horizons, first=0):
    """The baselines by hand: the forecast from each origin ``t`` of ``values``.

    The window of origin ``t`` holds ``values[lo .. t]`` with ``lo = max(first,
    t - window + 1)``: rows before ``first`` are unknown (padded).
    """
    out = np.empty((len(values), len(horizons)))
    for t in range(len(values)):
        lo = max(first, t - window + 1)
        last = values[t]
        for k, h in enumerate(horizons):
            if strategy == "last":
                forecast = last
            elif strategy == "seasonal":
                lag = season * math.ceil(h / season) - h
                forecast = values[t - lag] if t - lag >= lo else last
            else:
                slope = (last - values[lo]) / (t - lo) if t > lo else 0.0
                forecast = last + h * slope
            out[t, k] = forecast
    return out


def assert_exact(actual, expected, rtol=1e-13):
    """Equal to rounding: relative to each value, and to the series' scale.

    Scaling and mapping back costs a few units in the last place of the
    series' largest values, so a true 0.0 may come back as 1e-15.
    """
    actual = np.asarray(actual, dtype=float).reshape(np.shape(expected))
    atol = rtol * np.nanmax(np.abs(expected))
    assert_allclose(actual, expected, rtol=rtol, atol=atol)


@pytest.fixture(scope="module")
def weather():
    """Seattle daily weather, numeric columns; ``temp_max`` is column 1."""
    return load_seattle_weather().drop(columns="weather").iloc[:600]


# --- scikit-learn's common checks ---------------------------------------------


# The default (rescale=True) learns the units and horizons of y from the exact
# lag relation between the windows and y, and refuses to fit without one
# (tested below): the checks' random X and y have none, so their fits would all
# raise, by design. rescale=False reads the windows as being in y's units and
# needs no relation, so the checks test the rest of the contract with it.
@parametrize_with_checks([NaiveRegressor(s, rescale=False) for s in STRATEGIES])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_default_refuses_y_unrelated_to_the_windows(rng):
    X, y = rng.standard_normal((40, 5, 2)), rng.standard_normal(40)
    msg = (
        "NaiveRegressor could not learn the units of y: y is not an exact affine "
        "image of any of the 2 feature(s) of the windows 1 to 20 rows later"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        NaiveRegressor().fit(X, y)


# --- exactness on real series, through make_lstm_pipeline ---------------------


@pytest.mark.parametrize(
    "strategy, season, window, horizon",
    [
        ("last", 1, 14, 1),
        ("seasonal", 7, 14, 1),
        ("drift", 1, 14, 1),
        ("last", 1, 14, range(1, 4)),
        ("seasonal", 7, 14, [1, 7, 14]),
        ("seasonal", 7, 10, range(1, 9)),
        ("drift", 1, 30, range(1, 8)),
    ],
)
def test_exact_on_seattle_weather(weather, strategy, season, window, horizon):
    X, y = make_supervised(weather, target="temp_max", horizon=horizon)
    horizons = [horizon] if isinstance(horizon, int) else list(horizon)
    pipe = make_lstm_pipeline(window, NaiveRegressor(strategy, season=season))
    y_pred = pipe.fit(X, y).predict(X)
    assert isinstance(pipe.named_steps["scaler"], StandardScaler)
    expected = reference(X["temp_max"].to_numpy(), window, strategy, season, horizons)
    assert y_pred.shape == np.shape(y)
    assert_exact(y_pred, expected)
    baseline = pipe.named_steps["regressor"]
    assert baseline.target_ == 1  # found: temp_max is the second column
    assert_array_equal(baseline.horizons_, horizons)
    # The map back to degrees undoes the scaler: value = scale * z + mean.
    scaler = pipe.named_steps["scaler"]
    assert_allclose(baseline.unit_scale_, scaler.scale_[1], rtol=1e-12)
    assert_allclose(baseline.unit_offset_, scaler.mean_[1], rtol=1e-12)


def test_naive_is_the_last_value_on_air_passengers():
    series = load_air_passengers()
    X, y = make_supervised(series, horizon=1)
    pipe = make_lstm_pipeline(24, NaiveRegressor()).fit(X, y)
    assert_exact(pipe.predict(X), X["passengers"].to_numpy())


def test_seasonal_naive_multi_step_on_air_passengers():
    series = load_air_passengers()
    X, Y = make_supervised(series, horizon=range(1, 13))
    pipe = make_lstm_pipeline(24, NaiveRegressor("seasonal", season=12))
    Y_pred = pipe.fit(X, Y).predict(X)
    values = X["passengers"].to_numpy()
    expected = reference(values, 24, "seasonal", 12, range(1, 13))
    assert_exact(Y_pred, expected)
    # From a full year of history on, it is last year's value of the same month.
    assert_exact(Y_pred[20], values[20 + np.arange(1, 13) - 12])


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("horizon", [1, range(1, 4)])
def test_cross_validation_scores_every_fold(weather, strategy, horizon):
    X, y = make_supervised(weather, target="temp_max", horizon=horizon)
    horizons = [horizon] if isinstance(horizon, int) else list(horizon)
    window = 14
    pipe = make_lstm_pipeline(window, NaiveRegressor(strategy, season=7))
    cv = TimeSeriesSplit(n_splits=3, test_size=60, gap=max(horizons) - 1)
    scores = cross_val_score(
        pipe, X, y, cv=cv, scoring="neg_mean_absolute_error", error_score="raise"
    )
    assert np.isfinite(scores).all()
    values = X["temp_max"].to_numpy()
    expected = reference(values, window, strategy, 7, horizons)
    for train, test in cv.split(X):
        fitted = clone(pipe).fit(X.iloc[train], y.iloc[train])
        y_pred = np.asarray(fitted.predict(X.iloc[test])).reshape(len(test), -1)
        assert np.isfinite(y_pred).all()
        # Rows whose window lies inside the test fold agree with or without the
        # windower's memory of the training rows.
        inside = test[window - 1 :]
        assert_exact(y_pred[window - 1 :], expected[inside])


def test_grid_search_over_strategy_and_window(weather):
    X, y = make_supervised(weather, target="temp_max")
    search = GridSearchCV(
        make_lstm_pipeline(7, NaiveRegressor(season=7)),
        {"regressor__strategy": STRATEGIES, "windower__window": [7, 14]},
        cv=TimeSeriesSplit(n_splits=3, test_size=60),
        scoring="neg_mean_absolute_error",
        error_score="raise",
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


# --- units, scalers, shapes ----------------------------------------------------


@pytest.mark.parametrize("scaler", [None, MinMaxScaler(), RobustScaler()])
def test_any_affine_scaler_is_undone(weather, scaler):
    X, y = make_supervised(weather, target="temp_max", horizon=range(1, 3))
    pipe = make_lstm_pipeline(10, NaiveRegressor("drift"), scaler=scaler)
    expected = reference(X["temp_max"].to_numpy(), 10, "drift", 1, [1, 2])
    assert_exact(pipe.fit(X, y).predict(X), expected, rtol=1e-12)


def test_flattened_windows_give_the_same_forecasts(weather):
    X, y = make_supervised(weather, target="temp_max", horizon=range(1, 8))
    flat = make_pipeline(
        StandardScaler(),
        SequenceWindower(14, flatten=True),
        NaiveRegressor("seasonal", season=7),
    )
    y_flat = flat.fit(X, y).predict(X)
    y_3d = make_lstm_pipeline(14, NaiveRegressor("seasonal", season=7)).fit(X, y)
    assert_allclose(y_flat, y_3d.predict(X), rtol=1e-15)
    assert flat[-1].sequence_shape_ == (14, 4)
    assert flat[-1].target_ == 1


def test_flattened_single_feature_and_window_one():
    series = np.arange(1.0, 31.0) ** 1.5
    X, y = make_supervised(series)
    lags = SequenceWindower(5, flatten=True).fit_transform(X)
    assert NaiveRegressor("drift").fit(lags, y).sequence_shape_ == (5, 1)
    # Window 1 over two features: each row is one step of both.
    data = np.column_stack([series, np.sqrt(series)])
    X, y = make_supervised(data, target=1)
    baseline = NaiveRegressor().fit(X, y)
    assert baseline.sequence_shape_ == (1, 2)
    assert baseline.target_ == 1
    assert_allclose(baseline.predict(X), np.asarray(X)[:, 1], rtol=1e-15)


def test_float32_windows(weather):
    X, y = make_supervised(weather.astype(np.float32), target="temp_max")
    pipe = make_lstm_pipeline(7, NaiveRegressor()).fit(X, y)
    assert_exact(pipe.predict(X), X["temp_max"].to_numpy(), rtol=1e-6)


def test_explicit_target_and_wrong_target(weather):
    X, y = make_supervised(weather, target="temp_max")
    pipe = make_lstm_pipeline(7, NaiveRegressor(target=1)).fit(X, y)
    assert pipe[-1].target_ == 1
    msg = "y is not an exact affine image of feature 0 of the windows"
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_lstm_pipeline(7, NaiveRegressor(target=0)).fit(X, y)
    msg = "expected target as the position of the target among the 4 feature(s)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_lstm_pipeline(7, NaiveRegressor(target=4)).fit(X, y)


def test_horizon_is_found_not_assumed():
    series = np.sin(np.arange(80) / 3.0) + np.arange(80) / 10.0
    X, y = make_supervised(series, horizon=5)
    pipe = make_lstm_pipeline(8, NaiveRegressor("drift")).fit(X, y)
    assert_array_equal(pipe[-1].horizons_, [5])
    expected = reference(np.asarray(X)[:, 0], 8, "drift", 1, [5])[:, 0]
    assert_exact(pipe.predict(X), expected)


def test_seasonal_lag_outside_the_window_is_an_error():
    X, y = make_supervised(np.arange(50.0) ** 2)
    msg = (
        "NaiveRegressor(strategy='seasonal', season=12) reads, for horizon 1, the "
        "value 11 step(s) before the forecast origin, but the windows have 7 "
        "step(s). Use a window of at least 12"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_lstm_pipeline(7, NaiveRegressor("seasonal", season=12)).fit(X, y)


def test_too_few_rows_to_learn_the_units():
    X, y = make_supervised(np.arange(4.0))
    msg = "NaiveRegressor needs at least 4 rows to learn the horizons and units"
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_lstm_pipeline(3, NaiveRegressor()).fit(X, y)


def test_constant_target_gets_slope_one():
    X, y = make_supervised(np.full(30, 4.0))
    pipe = make_lstm_pipeline(5, NaiveRegressor("drift")).fit(X, y)
    assert_array_equal(pipe[-1].unit_scale_, [1.0])
    assert_allclose(pipe.predict(X), 4.0)


def test_rescale_false_reads_the_windows_as_they_are():
    windows = np.arange(24.0).reshape(4, 3, 2)
    baseline = NaiveRegressor("drift", rescale=False).fit(windows, np.zeros((4, 2)))
    assert baseline.target_ == 0
    assert_array_equal(baseline.horizons_, [1, 2])
    # Last value of feature 0 plus 2 per step (its change along the window).
    assert_array_equal(baseline.predict(windows)[0], [6.0, 8.0])


def test_wrong_window_shape_at_predict():
    windows = np.zeros((10, 4, 2))
    baseline = NaiveRegressor(rescale=False).fit(windows, np.zeros(10))
    msg = (
        "NaiveRegressor was fitted on windows of 4 time step(s) and 2 feature(s); "
        "got X of shape (10, 4, 3)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        baseline.predict(np.zeros((10, 4, 3)))


# --- missing steps: documented fallbacks, never silent NaN ----------------------


def _windows(rows):
    return np.array(rows, dtype=float)[:, :, np.newaxis]


def test_seasonal_value_missing_falls_back_to_last_observed():
    X = _windows([[np.nan, np.nan, 5.0], [1.0, 2.0, 3.0], [1.0, np.nan, 3.0]])
    baseline = NaiveRegressor("seasonal", season=2, rescale=False).fit(X, [0, 0, 0])
    y_pred, fallback = baseline.predict(X, return_fallback=True)
    assert_array_equal(y_pred, [5.0, 2.0, 3.0])
    assert_array_equal(fallback, [True, False, True])


def test_naive_and_drift_use_the_observed_steps():
    X = _windows([[1.0, 3.0, np.nan], [np.nan, 2.0, np.nan], [2.0, np.nan, 6.0]])
    naive = NaiveRegressor(rescale=False).fit(X, np.zeros(3))
    y_pred, fallback = naive.predict(X, return_fallback=True)
    assert_array_equal(y_pred, [3.0, 2.0, 6.0])
    assert not fallback.any()
    drift = NaiveRegressor("drift", rescale=False).fit(X, np.zeros(3))
    y_pred, fallback = drift.predict(X, return_fallback=True)
    # Row 0: slope 2 from step 1 to 2, target 2 steps after the last observed.
    assert_array_equal(y_pred, [7.0, 2.0, 8.0])
    assert_array_equal(fallback, [False, True, False])


def test_window_with_nothing_observed_warns():
    X = _windows([[np.nan, np.nan], [1.0, 2.0]])
    baseline = NaiveRegressor(rescale=False).fit(X, np.zeros(2))
    with pytest.warns(UserWarning, match="1 window"):
        y_pred, fallback = baseline.predict(X, return_fallback=True)
    assert np.isnan(y_pred[0]) and fallback[0]


def test_return_fallback_through_a_pipeline(weather):
    X, y = make_supervised(weather, target="temp_max")
    pipe = make_lstm_pipeline(14, NaiveRegressor("seasonal", season=7)).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y_pred, fallback = pipe.predict(X.iloc[:20], return_fallback=True)
    assert np.isfinite(y_pred).all()
    assert fallback.shape == y_pred.shape
    # Only rows without a value one week back can fall back.
    assert not fallback[6:].any()


# --- persistence ----------------------------------------------------------------


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_pickle_round_trip(weather, strategy):
    X, y = make_supervised(weather, target="temp_max", horizon=range(1, 4))
    pipe = make_lstm_pipeline(14, NaiveRegressor(strategy, season=7)).fit(X, y)
    restored = pickle.loads(pickle.dumps(pipe))
    assert_array_equal(restored.predict(X), pipe.predict(X))
    assert restored[-1].get_params() == pipe[-1].get_params()


def test_flags_and_constants_are_not_searched_for_the_targets_history(monkeypatch):
    # A one-hot series id (many flag columns) before the target's history:
    # an affine image of a flag has two values, so no lag of a flag is
    # fitted (on a panel each such search tried every lag on every row).
    from sklstm import _baselines

    rng = np.random.default_rng(0)
    values = np.cumsum(rng.standard_normal(300))
    flags = np.zeros((300, 20))
    flags[:, 3] = 1.0
    flags[150:, 7] = 1.0  # a flag that changes once
    X, y = make_supervised(np.column_stack([flags, values]), target=20)
    windows = SequenceWindower(4).fit_transform(X)
    calls = []
    fit = _baselines._affine_fit
    monkeypatch.setattr(
        _baselines, "_affine_fit", lambda *a: calls.append(a) or fit(*a)
    )
    naive = NaiveRegressor().fit(windows, y)
    assert naive.target_ == 20 and len(calls) == 1
    assert_allclose(naive.predict(windows), values[:-1], rtol=1e-12)  # last values
