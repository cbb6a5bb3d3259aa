# SPDX-License-Identifier: BSD-3-Clause
"""Quantile regressors: the sorted head, the pinball loss, predict_quantiles."""

import pickle
import re

import keras
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.metrics import make_scorer, mean_pinball_loss
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import (
    BiLSTMRegressor,
    LSTMRegressor,
    NaiveRegressor,
    SequenceWindower,
    StackedLSTMRegressor,
    _numpy_bridge,
    make_lstm_pipeline,
    make_supervised,
)
from sklstm._quantiles import MonotoneQuantiles, PinballLoss, monotone_quantiles

FAST = dict(units=3, epochs=2, batch_size=64, random_state=0, early_stopping=False)
LEVELS = (0.1, 0.5, 0.9)


def _series(n=160, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 20 + 5 * np.sin(2 * np.pi * t / 12) + 0.1 * t + rng.standard_normal(n)


@pytest.fixture(scope="module")
def windows():
    X, y = make_supervised(_series(), horizon=1)
    return SequenceWindower(6).fit_transform(X), np.asarray(y)


@pytest.fixture(scope="module")
def fitted(windows):
    X, y = windows
    return LSTMRegressor(quantiles=LEVELS, **FAST).fit(X, y)


# --- the head and the loss ------------------------------------------------------


def test_monotone_quantiles_sorted_for_any_raw_output_numpy_equals_keras(rng):
    raw = (rng.standard_normal((50, 2 * 4)) * 30).astype(np.float32)
    by_numpy = monotone_quantiles(raw, 4, np)
    by_keras = keras.ops.convert_to_numpy(MonotoneQuantiles(4)(raw))
    assert by_numpy.shape == (50, 2, 4)
    assert (np.diff(by_numpy, axis=-1) >= 0).all()
    assert_allclose(by_numpy, by_keras, rtol=1e-5, atol=1e-5)
    # The first value of each output is the lowest quantile itself.
    assert_allclose(by_numpy[:, :, 0], raw.reshape(50, 2, 4)[:, :, 0])


def test_monotone_quantiles_layer_round_trips_its_config():
    layer = MonotoneQuantiles(3, name="q")
    again = MonotoneQuantiles.from_config(layer.get_config())
    assert again.n_quantiles == 3 and again.name == "q"


def test_pinball_loss_equals_scikit_learn_per_level_mean(rng):
    y = rng.standard_normal((40, 2)).astype(np.float32)
    q = np.sort(rng.standard_normal((40, 2, 3)), axis=-1).astype(np.float32)
    loss = float(PinballLoss(LEVELS)(y, q))
    expected = np.mean(
        [
            mean_pinball_loss(y[:, j], q[:, j, k], alpha=tau)
            for j in range(2)
            for k, tau in enumerate(LEVELS)
        ]
    )
    assert loss == pytest.approx(expected, rel=1e-5)


# --- the regressors --------------------------------------------------------------


@pytest.mark.parametrize("cls", [LSTMRegressor, StackedLSTMRegressor, BiLSTMRegressor])
def test_quantile_regressor_shapes_sorted_and_median(cls, windows):
    X, y = windows
    # Inputs standardised, as make_lstm_pipeline's scaler gives them: the
    # default linear path (linear_skip="auto") reads them in their units.
    X = (X - np.nanmean(X)) / np.nanstd(X)
    est = cls(quantiles=LEVELS, run_eagerly=True, **{**FAST, "epochs": 1}).fit(X, y)
    q = est.predict_quantiles(X)
    assert q.shape == (len(X), 3)
    assert (np.diff(q, axis=-1) > 0).all()
    assert_allclose(est.predict(X), q[:, 1])


def test_quantile_numpy_path_equals_keras(fitted, windows):
    X, _ = windows
    by_numpy = fitted.predict_quantiles(X)
    keras_twin = pickle.loads(pickle.dumps(fitted)).set_params(predict_backend="keras")
    assert_allclose(keras_twin.predict_quantiles(X), by_numpy, rtol=1e-4, atol=1e-4)


def test_quantile_regressor_pickles_with_identical_quantiles(fitted, windows):
    X, _ = windows
    again = pickle.loads(pickle.dumps(fitted))
    assert_allclose(again.predict_quantiles(X), fitted.predict_quantiles(X))


def test_quantile_regressor_learns_the_pinball_loss(windows):
    X, y = windows
    est = LSTMRegressor(quantiles=LEVELS, **{**FAST, "epochs": 8}).fit(X, y)
    assert est.history_["loss"][-1] < est.history_["loss"][0]
    assert est.model_.loss.quantiles == LEVELS


def test_quantile_multi_step_with_normalize_adds_the_level(rng):
    X, y = make_supervised(_series(), horizon=range(1, 4))
    W, Y = SequenceWindower(6).fit_transform(X), np.asarray(y)
    W = (W - np.nanmean(W)) / np.nanstd(W)  # as a pipeline's scaler gives them
    est = LSTMRegressor(quantiles=[0.25, 0.5, 0.75], normalize="last", **FAST)
    est.fit(W, Y)
    q = est.predict_quantiles(W)
    assert q.shape == (len(W), 3, 3)
    assert (np.diff(q, axis=-1) > 0).all()
    assert_allclose(est.predict(W), q[..., 1])
    # Quantiles of the change, standardised, mapped back and moved by the level.
    raw = _numpy_bridge.numpy_forward(est.model_, W)
    scaler = est.target_scaler_
    change = raw * scaler.scale_[:, None] + scaler.mean_[:, None]
    level = NaiveRegressor("last").fit(W, Y).predict(W)
    assert_allclose(q, change + level[:, :, None], rtol=1e-5)


def test_quantile_pipeline_in_grid_search_with_pinball_scorer():
    X, y = make_supervised(_series(120), horizon=1)
    regressor = LSTMRegressor(quantiles=LEVELS, run_eagerly=True, **FAST)
    pipe = make_lstm_pipeline(4, regressor)
    scorer = make_scorer(mean_pinball_loss, alpha=0.5, greater_is_better=False)
    search = GridSearchCV(
        pipe,
        {"regressor__units": [2, 3]},
        scoring=scorer,
        cv=TimeSeriesSplit(n_splits=2),
        refit=False,
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_params_["regressor__units"] in (2, 3)


# --- errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "quantiles, msg",
    [
        (
            (0.9, 0.5, 0.1),
            "LSTMRegressor expected quantiles sorted in increasing order without "
            "repeats; got (0.9, 0.5, 0.1). Pass (0.1, 0.5, 0.9).",
        ),
        (
            (0.0, 0.5, 1.0),
            "LSTMRegressor expected quantiles as a non-empty sequence of floats "
            "strictly between 0 and 1, e.g. (0.05, 0.5, 0.95); got (0.0, 0.5, 1.0).",
        ),
        (
            (0.1, 0.9),
            "LSTMRegressor expected 0.5 among the quantiles, the median that "
            "predict returns; got (0.1, 0.9). Add 0.5, e.g. (0.1, 0.5, 0.9).",
        ),
    ],
)
def test_quantile_regressor_rejects_bad_quantiles(quantiles, msg, windows):
    X, y = windows
    with pytest.raises(ValueError, match=re.escape(msg)):
        LSTMRegressor(quantiles=quantiles, **FAST).fit(X, y)


def test_quantile_regressor_rejects_a_non_sequence(windows):
    X, y = windows
    with pytest.raises(ValueError, match="'quantiles' parameter of LSTMRegressor"):
        LSTMRegressor(quantiles=0.5, **FAST).fit(X, y)


def test_predict_quantiles_of_a_point_regressor_is_an_error(windows):
    X, y = windows
    est = LSTMRegressor(**FAST).fit(X[:40], y[:40])
    msg = (
        "LSTMRegressor was fitted without quantiles, so it has no quantiles to "
        "predict; set quantiles=(0.05, 0.5, 0.95) and refit, or wrap it in "
        "sklstm.ConformalForecaster for intervals."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        est.predict_quantiles(X[:3])
