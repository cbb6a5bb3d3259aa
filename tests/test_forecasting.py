# SPDX-License-Identifier: BSD-3-Clause
"""Tests of make_lstm_pipeline: rows keep their history through scikit-learn's CV.

The acceptance tests of the windower's memory: ``cross_val_score`` over
``TimeSeriesSplit`` equals, exactly, a hand-written backtest that predicts each
test fold with the rows observed before it.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import (
    GridSearchCV,
    TimeSeriesSplit,
    cross_val_score,
    cross_validate,
)
from sklearn.preprocessing import MinMaxScaler

from sklstm import SequenceWindower, make_lstm_pipeline, make_supervised
from sklstm.datasets import load_seattle_weather

MAE = "neg_mean_absolute_error"


@pytest.fixture(scope="module")
def seattle():
    """Daily Seattle ``temp_max`` (a DatetimeIndex with freq='D') and its target."""
    return make_supervised(load_seattle_weather()["temp_max"])


def _backtest(pipe, X, y, cv, *, unseen=None):
    """The hand-written reference: fit each fold, predict it with its history.

    Each test fold is predicted as the tail of a prediction over all rows up
    to its end, so its windows hold the rows really observed before it. The
    rows between training and test (a ``gap``) were not observed: ``unseen``
    sets them to that value first.
    """
    scores, predictions = [], []
    for train, test in cv.split(X):
        model = clone(pipe).fit(X.iloc[train], y.iloc[train])
        history = X.iloc[: test[-1] + 1].copy()
        if unseen is not None:
            history.iloc[train[-1] + 1 : test[0]] = unseen
        pred = model.predict(history)[-len(test) :]
        predictions.append(pred)
        scores.append(-mean_absolute_error(y.iloc[test], pred))
    return np.array(scores), predictions


# --- the standard pipeline -----------------------------------------------------


def test_make_lstm_pipeline_scaler_keeps_pandas_output(seattle):
    X, y = seattle
    pipe = make_lstm_pipeline(7, Ridge(), fill_value=0.0).fit(X, y)
    scaled = pipe[0].transform(X.iloc[:5])
    assert isinstance(scaled, pd.DataFrame) and scaled.index.equals(X.index[:5])
    assert pipe[1].memory_index_.equals(X.index[-7:])
    user = make_lstm_pipeline(7, Ridge(), scaler=MinMaxScaler(), fill_value=0.0)
    assert isinstance(user.fit(X, y)[0].transform(X.iloc[:5]), pd.DataFrame)
    assert user[1].memory_index_.equals(X.index[-7:])


class _ArrayScaler(TransformerMixin, BaseEstimator):
    """A user's transformer without set_output: it returns arrays."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def transform(self, X):
        return np.asarray(X, dtype=float) * 2.0


def test_make_lstm_pipeline_scaler_without_set_output_loses_positions(seattle):
    X, y = seattle
    pipe = make_lstm_pipeline(7, Ridge(), scaler=_ArrayScaler(), fill_value=0.0)
    pipe.fit(X, y)
    assert pipe[1].memory_ is None  # windowed as before: each call on its own
    with pytest.warns(UserWarning, match="no remembered row precedes them"):
        pipe.predict(X.iloc[[-1]])


@pytest.mark.parametrize("regressor", ["ridge", "lstm"])
def test_make_lstm_pipeline_set_output_pandas(regressor):
    X, y = make_supervised(np.sin(np.arange(60) / 4.0))
    if regressor == "ridge":
        pipe = make_lstm_pipeline(5, Ridge(), fill_value=0.0)
    else:
        from sklstm import LSTMRegressor

        lstm = LSTMRegressor(
            units=2, epochs=1, early_stopping=False, random_state=0, run_eagerly=True
        )
        pipe = make_lstm_pipeline(5, lstm)
    expected = clone(pipe).fit(X, y).predict(X)
    pipe.set_output(transform="pandas")  # no longer raises
    windows = pipe.fit(X, y)[:-1].transform(X)
    if regressor == "ridge":
        assert isinstance(windows, pd.DataFrame)
        assert list(windows.columns) == [f"x0_lag{k}" for k in range(4, -1, -1)]
        assert windows.index.equals(X.index)
    else:
        assert isinstance(windows, np.ndarray) and windows.shape == (len(X), 5, 1)
    np.testing.assert_allclose(pipe.predict(X), expected, rtol=1e-6)


# --- acceptance: cross-validation scores each fold with its real history -------


@pytest.mark.parametrize("window", [7, 30, 90])
def test_cross_val_score_equals_history_aware_backtest_ridge(seattle, window):
    X, y = seattle
    pipe = make_lstm_pipeline(window, Ridge(), fill_value=0.0)
    cv = TimeSeriesSplit(n_splits=5, test_size=90)
    expected, predictions = _backtest(pipe, X, y, cv)
    assert_array_equal(cross_val_score(pipe, X, y, cv=cv, scoring=MAE), expected)
    # The fold models predict their test rows exactly as the backtest does.
    result = cross_validate(pipe, X, y, cv=cv, return_estimator=True)
    for (_, test), model, pred in zip(
        cv.split(X), result["estimator"], predictions, strict=True
    ):
        assert_array_equal(model.predict(X.iloc[test]), pred)
    # NumPy folds carry no positions: the old, padded windows score worse.
    padded = cross_val_score(pipe, X.to_numpy(), y.to_numpy(), cv=cv, scoring=MAE)
    if window > 7:
        assert -padded.mean() > -expected.mean()


def test_grid_search_picks_the_window_of_the_history_aware_backtest(seattle):
    X, y = seattle
    cv = TimeSeriesSplit(n_splits=5, test_size=90)
    pipe = make_lstm_pipeline(7, Ridge(), fill_value=0.0)
    windows = [7, 30, 90]
    search = GridSearchCV(pipe, {"windower__window": windows}, cv=cv, scoring=MAE)
    search.fit(X, y)
    backtest = [
        _backtest(clone(pipe).set_params(windower__window=w), X, y, cv)[0].mean()
        for w in windows
    ]
    assert_array_equal(search.cv_results_["mean_test_score"], backtest)
    assert search.best_params_ == {"windower__window": windows[np.argmax(backtest)]}


def test_cross_val_score_equals_history_aware_backtest_lstm():
    from sklstm import LSTMRegressor

    rng = np.random.default_rng(0)
    t = np.arange(150)
    series = np.sin(2 * np.pi * t / 12) + 0.1 * rng.standard_normal(len(t))
    X, y = make_supervised(series)
    lstm = LSTMRegressor(
        units=4, epochs=2, early_stopping=False, random_state=0, predict_backend="numpy"
    )
    pipe = make_lstm_pipeline(12, lstm)
    # With a gap, the gap rows are unseen: masked (NaN) in the windows.
    cv = TimeSeriesSplit(n_splits=2, test_size=20, gap=3)
    expected, _ = _backtest(pipe, X, y, cv, unseen=np.nan)
    # Equal up to float32 round-off: the two predict different numbers of
    # rows at once, and BLAS sums a batch's products in an order of its size.
    scores = cross_val_score(pipe, X, y, cv=cv, scoring=MAE)
    assert_allclose(scores, expected, rtol=1e-6)


@pytest.mark.parametrize("gap", [1, 4])
def test_pipeline_masks_exactly_the_gap_rows(gap):
    X, y = make_supervised(np.cos(np.arange(80) / 3.0))
    window = 8
    transformers = make_lstm_pipeline(window, Ridge(), fill_value=np.nan)[:-1]
    cv = TimeSeriesSplit(n_splits=3, test_size=10, gap=gap)
    for train, test in cv.split(X):
        windows = transformers.fit(X.iloc[train]).transform(X.iloc[test])
        scaled = np.array(transformers[0].transform(X))[:, 0]
        scaled[train[-1] + 1 : test[0]] = np.nan  # the gap: never observed
        for row, t in enumerate(test):
            expected = scaled[t - window + 1 : t + 1]
            assert_array_equal(windows[row], expected)
        n_masked = np.isnan(windows).sum()
        assert n_masked == sum(min(gap, window - 1 - k) for k in range(window - 1))


# --- forecasting from the end of the data --------------------------------------


def test_predict_last_row_equals_its_prediction_in_context(seattle):
    X, y = seattle
    pipe = make_lstm_pipeline(30, Ridge(), fill_value=0.0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the last row needs no padding
        last = pipe.predict(X.iloc[[-1]])
    np.testing.assert_allclose(last, pipe.predict(X)[-1:], rtol=1e-12)


def test_predict_last_row_of_an_lstm_pipeline():
    from sklstm import LSTMRegressor

    X, y = make_supervised(np.sin(np.arange(80) / 4.0))
    lstm = LSTMRegressor(
        units=4, epochs=1, early_stopping=False, random_state=0, predict_backend="numpy"
    )
    pipe = make_lstm_pipeline(10, lstm).fit(X, y)
    np.testing.assert_allclose(
        pipe.predict(X.iloc[[-1]]), pipe.predict(X)[-1:], rtol=1e-6
    )
    # An array carries no position: padded, and said so.
    with pytest.warns(UserWarning, match="every window is padded"):
        pipe.predict(X.iloc[[-1]].to_numpy())


def test_windower_step_name_and_memory_in_the_pipeline(seattle):
    X, y = seattle
    pipe = make_lstm_pipeline(3, Ridge(), fill_value=0.0).fit(X.iloc[:100], y[:100])
    windower = pipe.named_steps["windower"]
    assert isinstance(windower, SequenceWindower)
    assert windower.memory_.shape == (3, 1)
    assert_array_equal(windower.memory_, pipe[0].transform(X.iloc[97:100]).to_numpy())
