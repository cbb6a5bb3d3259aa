# SPDX-License-Identifier: BSD-3-Clause
"""Bad input and faults across the public entry points.

Each class of hole is tried on every entry point it can reach: a bool where a
count is expected, overflowing values, negative sample weights, splitters that
train on the future, a search directory that cannot be written, and a fit
interrupted half-way. Every error must name the problem (and the parameter).
"""

import pickle
import re
import time
import warnings

import keras
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, ShuffleSplit, TimeSeriesSplit
from sklearn.utils.validation import check_is_fitted

from sklstm import (
    BiLSTMRegressor,
    LSTMRegressor,
    NaiveRegressor,
    PanelSplit,
    SequenceWindower,
    StackedLSTMRegressor,
    backtest,
    forecast,
    gates,
    make_lstm_pipeline,
    make_supervised,
    recursive_forecast,
)
from sklstm.tuning import Int, KerasTunerSearchCV, LSTMHyperModel
from sklstm.tuning._checks import check_time_ordered

TINY = dict(epochs=1, early_stopping=False, random_state=0)
REGRESSORS = [LSTMRegressor, StackedLSTMRegressor, BiLSTMRegressor]
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras_tuner")


@pytest.fixture(scope="module")
def data():
    t = np.arange(60)
    frame = pd.DataFrame({"y": np.sin(t / 4), "x": np.cos(t / 3)})
    return make_supervised(frame, target="y")


@pytest.fixture(scope="module")
def windows(data):
    X, y = data
    return SequenceWindower(4).fit_transform(X), np.asarray(y)


def _naive(X, y):
    return make_lstm_pipeline(3, NaiveRegressor()).fit(X, y)


# --- a bool is not a count ----------------------------------------------------

_PARAM = "The {!r} parameter of {} must be an int in the range"

BOOL_CASES = {
    "SequenceWindower(window)": (
        lambda X, y, W, w: SequenceWindower(window=True).fit(X),
        _PARAM.format("window", "SequenceWindower"),
    ),
    "make_lstm_pipeline(window)": (
        lambda X, y, W, w: make_lstm_pipeline(True, NaiveRegressor()).fit(X, y),
        _PARAM.format("window", "SequenceWindower"),
    ),
    "LSTMRegressor(units)": (
        lambda X, y, W, w: LSTMRegressor(units=True, **TINY).fit(W, w),
        _PARAM.format("units", "LSTMRegressor"),
    ),
    "LSTMRegressor(epochs)": (
        lambda X, y, W, w: LSTMRegressor(epochs=True).fit(W, w),
        _PARAM.format("epochs", "LSTMRegressor"),
    ),
    "StackedLSTMRegressor(batch_size)": (
        lambda X, y, W, w: StackedLSTMRegressor(batch_size=True, **TINY).fit(W, w),
        _PARAM.format("batch_size", "StackedLSTMRegressor"),
    ),
    "StackedLSTMRegressor(num_layers)": (
        lambda X, y, W, w: StackedLSTMRegressor(num_layers=True, **TINY).fit(W, w),
        _PARAM.format("num_layers", "StackedLSTMRegressor"),
    ),
    "StackedLSTMRegressor(units=(True, 2))": (
        lambda X, y, W, w: StackedLSTMRegressor(units=(True, 2), **TINY).fit(W, w),
        "StackedLSTMRegressor expected units as an int >= 1 or a non-empty tuple",
    ),
    "BiLSTMRegressor(patience)": (
        lambda X, y, W, w: BiLSTMRegressor(patience=False).fit(W, w),
        _PARAM.format("patience", "BiLSTMRegressor"),
    ),
    "BiLSTMRegressor(steps_per_execution)": (
        lambda X, y, W, w: BiLSTMRegressor(steps_per_execution=True, **TINY).fit(W, w),
        _PARAM.format("steps_per_execution", "BiLSTMRegressor"),
    ),
    "NaiveRegressor(season)": (
        lambda X, y, W, w: NaiveRegressor("seasonal", season=True).fit(W, w),
        _PARAM.format("season", "NaiveRegressor"),
    ),
    "NaiveRegressor(target)": (
        lambda X, y, W, w: NaiveRegressor(target=True).fit(W, w),
        _PARAM.format("target", "NaiveRegressor"),
    ),
    "make_supervised(horizon)": (
        lambda X, y, W, w: make_supervised(X, horizon=True),
        "make_supervised expected horizon as an int >= 1",
    ),
    "make_supervised(target)": (
        lambda X, y, W, w: make_supervised(X.to_numpy(), target=True),
        "make_supervised expected target as a column index",
    ),
    "forecast(steps)": (
        lambda X, y, W, w: forecast(_naive(X[["y"]], y), X[["y"]], steps=True),
        "forecast expected steps as an int >= 1 or None; got True.",
    ),
    "forecast(horizons)": (
        lambda X, y, W, w: forecast(_naive(X, y), X, horizons=[True]),
        "forecast expected horizons as a sequence of ints >= 1",
    ),
    "recursive_forecast(steps)": (
        lambda X, y, W, w: recursive_forecast(_naive(X[["y"]], y), X["y"], True),
        "recursive_forecast expected steps as an int >= 1; got True.",
    ),
    "backtest(cv)": (
        lambda X, y, W, w: backtest(
            make_lstm_pipeline(3, NaiveRegressor()), X, y, cv=True
        ),
        "backtest expected cv as None, an int, a splitter",
    ),
    "backtest(season)": (
        lambda X, y, W, w: backtest(
            make_lstm_pipeline(3, NaiveRegressor()), X, y, season=True
        ),
        "backtest expected season as an int >= 1; got True.",
    ),
    "backtest(horizon)": (
        lambda X, y, W, w: backtest(
            make_lstm_pipeline(3, NaiveRegressor()), X, y, horizon=[True]
        ),
        "backtest expected horizon as an int >= 1",
    ),
    "gates.LSTMWeights.random(n_features)": (
        lambda X, y, W, w: gates.LSTMWeights.random(True, 2),
        "LSTMWeights.random expected n_features to be a positive integer; got True.",
    ),
    "gates.GRUWeights.random(units)": (
        lambda X, y, W, w: gates.GRUWeights.random(2, True),
        "GRUWeights.random expected units to be a positive integer; got True.",
    ),
    "tuning.Int(step)": (
        lambda X, y, W, w: Int(1, 5, step=True),
        "Int expected step to be an int; got True",
    ),
    "tuning.LSTMHyperModel(n_outputs)": (
        lambda X, y, W, w: LSTMHyperModel((4, 2), n_outputs=True),
        "LSTMHyperModel expected n_outputs to be an int >= 1",
    ),
    "tuning.KerasTunerSearchCV(max_trials)": (
        lambda X, y, W, w: KerasTunerSearchCV(
            Ridge(), {"alpha": [1.0]}, tuner="random", max_trials=True
        ).fit(X, y),
        _PARAM.format("max_trials", "KerasTunerSearchCV"),
    ),
    "tuning.KerasTunerSearchCV(factor)": (
        lambda X, y, W, w: KerasTunerSearchCV(
            Ridge(), {"alpha": [1.0]}, factor=True
        ).fit(X, y),
        _PARAM.format("factor", "KerasTunerSearchCV"),
    ),
}


@pytest.mark.parametrize("case", BOOL_CASES)
def test_a_bool_is_refused_where_a_count_is_expected(case, data, windows):
    call, message = BOOL_CASES[case]
    with pytest.raises((TypeError, ValueError), match=re.escape(message)):
        call(*data, *windows)


def test_the_cli_refuses_a_bool_count(capsys):
    from sklstm._cli import main

    with pytest.raises(SystemExit):
        main(["forecast", "data.csv", "--target", "y", "--window", "True"])
    assert "expected an integer >= 1; got 'True'" in capsys.readouterr().err


# --- overflow -------------------------------------------------------------------


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_a_huge_target_fails_in_fit_instead_of_predicting_infinity(windows):
    W, y = windows
    with pytest.raises(
        ValueError, match="cannot standardize y: its values are too large"
    ):
        LSTMRegressor(units=2, **TINY).fit(W, y * 1e300)
    # Trained on levels (a level-free network trains on the change, which fits).
    levels = dict(standardize_target=False, normalize=None)
    with pytest.raises(ValueError, match="the network trains in float32"):
        LSTMRegressor(units=2, **levels, **TINY).fit(W, y * 1e39)


@pytest.mark.parametrize(
    "regressor", [LSTMRegressor(units=2, **TINY), NaiveRegressor()]
)
def test_features_that_overflow_the_scaler_are_diagnosed(data, regressor):
    X, y = data
    pipe = make_lstm_pipeline(4, regressor)
    with pytest.warns(RuntimeWarning):  # StandardScaler's own overflow
        with pytest.raises(ValueError) as error:
            pipe.fit(X * 1e300, y)
    message = str(error.value)
    assert "feature(s) [0, 1] (of 2) are NaN at every time step" in message
    assert "a scaler before the windower overflowed" in message
    assert "could not learn the units" not in message


def test_features_too_large_for_float32_are_named(data):
    X, y = data
    pipe = make_lstm_pipeline(4, LSTMRegressor(units=2, **TINY), scaler=None)
    with pytest.raises(
        ValueError, match=re.escape("a value too large for dtype('float32')")
    ):
        pipe.fit(X * 1e300, y)


# --- negative sample weights ------------------------------------------------------


@pytest.mark.parametrize("cls", REGRESSORS)
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_negative_sample_weight_is_refused(cls, method, windows):
    W, y = windows
    weights = np.ones(len(y))
    weights[3] = -0.5
    reg = cls(units=2, **TINY)
    message = (
        f"{cls.__name__} expected sample_weight >= 0 (a weight scales a window's "
        f"loss; 0 leaves the window out); got 1 negative weight(s), the first "
        f"-0.5 at row 3."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        getattr(reg, method)(W, y, sample_weight=weights)
    assert not hasattr(reg, "model_")


# --- messages ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fitted(windows):
    W, y = windows
    return LSTMRegressor(units=2, **TINY).fit(W, y)


def test_a_feature_mismatch_does_not_contradict_itself(fitted, windows):
    W, _ = windows
    X = np.zeros((3, W.shape[1], W.shape[2] + 1))
    with pytest.raises(ValueError) as error:
        fitted.predict(X)
    message = str(error.value)
    assert not re.search(
        r"X has (\d+) features, but \w+ is expecting \1 features", message
    )
    assert "windows of 4 time step(s) and 3 feature(s)" in message


# --- splitters that train on the future -------------------------------------------


def _search(cv, **kwargs):
    return KerasTunerSearchCV(
        make_lstm_pipeline(3, Ridge(), fill_value=0.0),
        {"regressor__alpha": [1.0]},
        tuner="random",
        max_trials=1,
        cv=cv,
        refit=False,
        **kwargs,
    )


@pytest.mark.parametrize(
    "cv, rows",
    [
        (ShuffleSplit(3, random_state=0), "tests on row 2 and trains on row 58"),
        (KFold(3), "tests on row 0 and trains on row 58"),
        (KFold(3, shuffle=True, random_state=0), "trains on row 58"),
        (
            [(np.arange(30, 50), np.arange(0, 10))],
            "tests on row 0 and trains on row 49",
        ),
    ],
    ids=["ShuffleSplit", "KFold", "KFold-shuffled", "iterable"],
)
def test_search_warns_about_any_split_that_trains_on_the_future(data, cv, rows):
    X, y = data
    with pytest.warns(UserWarning, match=re.escape(rows)) as record:
        _search(cv).fit(X, y)
    assert record[0].filename == __file__  # points at the caller
    assert "trains on the future to predict the past" in str(record[0].message)


@pytest.mark.filterwarnings("error::UserWarning")
def test_search_accepts_time_ordered_splits(data):
    X, y = data
    _search(TimeSeriesSplit(3, gap=2)).fit(X, y)


def _panel():
    """Two series of 30 days, sorted by series: PanelSplit interleaves rows."""
    days = pd.date_range("2024-01-01", periods=30, freq="D")
    t = np.arange(60)
    frame = pd.DataFrame({"x": np.sin(t / 4), "z": t % 30}, index=days.append(days))
    return frame, 2.0 * frame["x"] + 0.1 * frame["z"]


def test_check_time_ordered_trusts_panel_split_only():
    panel, _ = _panel()
    cv = PanelSplit(3)
    splits = list(cv.split(panel))
    assert any(test.min() < train.max() for train, test in splits)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_time_ordered("Search", cv, splits)
    for other in [ShuffleSplit(3, random_state=0), KFold(3)]:
        with pytest.warns(UserWarning, match="trains on the future"):
            check_time_ordered("Search", other, list(other.split(panel)))
    # The same folds as a plain iterable carry no declaration: flagged.
    with pytest.warns(UserWarning, match=re.escape("or PanelSplit(...) for a panel")):
        check_time_ordered("Search", splits, splits)


@pytest.mark.filterwarnings("error::UserWarning")
def test_search_accepts_panel_split_over_a_panel_sorted_by_series():
    X, y = _panel()
    search = KerasTunerSearchCV(
        Ridge(), {"alpha": [0.1]}, tuner="random", max_trials=1, cv=PanelSplit(3)
    ).fit(X, y)
    assert len(search.cv_results_["split2_test_score"]) == 1


def test_search_fails_at_once_when_its_directory_cannot_be_written(data, tmp_path):
    X, y = data
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    directory = blocker / "search"
    start = time.perf_counter()
    message = (
        f"KerasTunerSearchCV cannot write its search to directory="
        f"{str(directory)!r} (Not a directory). Pass a directory it can create "
        f"and write to, or directory=None for a temporary one."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        _search(TimeSeriesSplit(3), directory=directory).fit(X, y)
    assert time.perf_counter() - start < 5


# --- an interrupted fit ----------------------------------------------------------


class _Interrupt(keras.callbacks.Callback):
    """Press Ctrl-C after the first training step."""

    def on_train_batch_end(self, batch, logs=None):
        raise KeyboardInterrupt


def _interrupted(reg, W, y, method="fit"):
    with pytest.raises(KeyboardInterrupt):
        getattr(reg, method)(W, y, callbacks=[_Interrupt()])


def test_an_interrupted_first_fit_leaves_the_estimator_unfitted(windows):
    W, y = windows
    reg = LSTMRegressor(units=2, batch_size=8, steps_per_execution=1, **TINY)
    before = dict(vars(reg))
    _interrupted(reg, W, y)
    assert vars(reg) == before
    with pytest.raises(NotFittedError):
        check_is_fitted(reg)
    reg.fit(W, y)  # the next fit works
    assert reg.predict(W).shape == y.shape


def test_an_interrupted_refit_keeps_the_previous_fit(windows):
    W, y = windows
    reg = LSTMRegressor(units=2, batch_size=8, steps_per_execution=1, **TINY)
    reg.fit(W, y)
    prediction, history = reg.predict(W), pickle.dumps(dict(reg.history_))
    model, optimizer = reg.model_, [v.numpy() for v in reg.model_.optimizer.variables]
    _interrupted(reg, W, y)  # a fresh network, interrupted
    reg.set_params(warm_start=True)
    _interrupted(reg, W, y)  # the fitted network trained on in place, interrupted
    _interrupted(reg, W, y, method="partial_fit")
    assert reg.model_ is model
    assert_array_equal(reg.predict(W), prediction)
    assert pickle.dumps(dict(reg.history_)) == history
    for variable, value in zip(model.optimizer.variables, optimizer, strict=True):
        assert_array_equal(variable.numpy(), value)
    reg.fit(W, y)  # the next fit works, from the previous weights
    assert reg.predict(W).shape == y.shape
    assert not np.allclose(reg.predict(W), prediction)
