"""Tests of sklstm.plotting: every plot rendered headless, its data checked."""

# SPDX-License-Identifier: BSD-3-Clause

import itertools
import re
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm.plotting import (
    plot_forecast,
    plot_gate_activations,
    plot_history,
    plot_lstm_cell,
)

plt = pytest.importorskip("matplotlib.pyplot")

SMALL = {"units": 2, "epochs": 2, "random_state": 0}


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures each test opens."""
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def windows():
    """24 windows of 4 steps and 2 features, and a target."""
    X = np.random.default_rng(0).standard_normal((24, 4, 2))
    return X, X[:, -1, 0]


@pytest.fixture(scope="module")
def regressor(windows):
    """An LSTMRegressor fitted with a validation split (loss and val_loss)."""
    from sklstm import LSTMRegressor

    X, y = windows
    reg = LSTMRegressor(**SMALL, early_stopping=False, validation_split=0.25)
    return reg.fit(X, y)


@pytest.fixture(scope="module")
def pipeline():
    """A windower and an early-stopped LSTMRegressor (best_epoch_), fitted."""
    from sklstm import LSTMRegressor, SequenceWindower

    series = np.sin(np.arange(30.0) / 3).reshape(-1, 1)
    reg = LSTMRegressor(**SMALL, early_stopping=True, validation_fraction=0.25)
    pipe = make_pipeline(SequenceWindower(window=4), reg)
    return pipe.fit(series[:-1], series[1:, 0]), series[:-1]


def _span(patch):
    """(xmin, xmax) in data coordinates of a span drawn by axvspan."""
    xy = patch.get_patch_transform().transform(patch.get_path().vertices)
    return xy[:, 0].min(), xy[:, 0].max()


def _spans(ax, prefix):
    """The spans whose gid starts with ``prefix``, by gid."""
    spans = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith(prefix):
            spans.setdefault(gid, []).append(_span(patch))
    return spans


# --- plot_history -------------------------------------------------------------


def test_plot_history_draws_one_line_per_history_key(regressor):
    ax = plot_history(regressor)
    assert sorted(regressor.history_) == ["loss", "val_loss"]
    assert [line.get_label() for line in ax.get_lines()] == [
        "training loss",
        "validation loss",
    ]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["training loss", "validation loss"]


def test_plot_history_plots_history_values(regressor):
    ax = plot_history(regressor)
    for line, key in zip(ax.get_lines(), ["loss", "val_loss"], strict=True):
        values = regressor.history_[key]
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, len(values) + 1))
        np.testing.assert_allclose(line.get_ydata(), values)
    assert ax.get_lines()[1].get_linestyle() == "--"
    assert ax.get_lines()[0].get_color() == ax.get_lines()[1].get_color()


def test_plot_history_marks_best_epoch_of_pipeline(pipeline):
    pipe, _ = pipeline
    reg = pipe[-1]
    ax = plot_history(pipe)
    best = [line for line in ax.get_lines() if line.get_gid() == "best_epoch"]
    assert len(best) == 1
    np.testing.assert_array_equal(best[0].get_xdata(), [reg.best_epoch_] * 2)
    assert best[0].get_label() == f"best epoch ({reg.best_epoch_})"
    assert len(ax.get_lines()) == len(reg.history_) + 1


def test_plot_history_accepts_dict_and_keras_history():
    history = {"loss": [3.0, 2.0, 1.0], "mae": [2.0, 1.5, 1.0], "val_loss": [4.0, 3.0]}
    ax = plot_history(SimpleNamespace(history=history), log_scale=True)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["training loss", "training mae", "validation loss"]
    np.testing.assert_array_equal(ax.get_lines()[2].get_xdata(), [1, 2])
    assert ax.get_yscale() == "log"
    assert plot_history(history).get_yscale() == "linear"


def test_plot_history_draws_on_given_ax():
    fig, ax = plt.subplots()
    assert plot_history({"loss": [1.0]}, ax=ax) is ax
    assert fig.axes == [ax]


def test_plot_history_unfitted_raises():
    from sklstm import LSTMRegressor

    msg = (
        "plot_history expected a fitted estimator; got an unfitted LSTMRegressor. "
        "Call fit(X, y) on it first."
    )
    with pytest.raises(NotFittedError, match=re.escape(msg)):
        plot_history(LSTMRegressor())
    with pytest.raises(NotFittedError, match=re.escape(msg)):
        plot_history(make_pipeline(Ridge(), LSTMRegressor()))


def test_plot_history_estimator_without_history_raises():
    ridge = Ridge().fit([[0.0], [1.0]], [0.0, 1.0])
    msg = (
        "plot_history expected an estimator that records its training in "
        "history_, such as LSTMRegressor; got Ridge, which has no history_."
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        plot_history(ridge)


def test_plot_history_empty_history_raises():
    msg = "plot_history expected a history with at least one epoch; got {}"
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_history({})


# --- plot_forecast ------------------------------------------------------------


def test_plot_forecast_shades_splitter_test_folds():
    y = np.arange(30.0)
    cv = TimeSeriesSplit(n_splits=3, test_size=6, gap=2)
    ax = plot_forecast(y, y + 1, cv=cv)
    spans = _spans(ax, "fold_")
    tests = [test for _, test in cv.split(y)]
    assert sorted(spans) == [f"fold_{k}" for k in range(len(tests))]
    for k, test in enumerate(tests):
        assert spans[f"fold_{k}"] == [(test[0] - 0.5, test[-1] + 0.5)]
    assert _spans(ax, "horizon") == {}
    texts = [text.get_text() for text in ax.texts]
    assert texts == ["fold 1", "fold 2", "fold 3"]


def test_plot_forecast_splits_X_rows():
    X = np.zeros((20, 3, 2))
    cv = TimeSeriesSplit(n_splits=2)
    ax = plot_forecast(np.arange(20.0), np.arange(20.0), cv=cv, X=X)
    for k, (_, test) in enumerate(cv.split(X)):
        assert _spans(ax, f"fold_{k}")[f"fold_{k}"] == [(test[0] - 0.5, test[-1] + 0.5)]


def test_plot_forecast_shades_each_run_of_explicit_splits():
    splits = [(np.arange(5), np.array([5, 6, 9])), (np.arange(10), np.arange(10, 12))]
    ax = plot_forecast(np.zeros(12), np.zeros(12), cv=splits)
    spans = _spans(ax, "fold_")
    assert spans["fold_0"] == [(4.5, 6.5), (8.5, 9.5)]
    assert spans["fold_1"] == [(9.5, 11.5)]
    labels = [patch.get_label() for patch in ax.patches]
    assert labels.count("test folds") == 1


def test_plot_forecast_shades_future_points_as_horizon():
    y_true, y_pred = np.arange(10.0), np.arange(13.0)
    ax = plot_forecast(y_true, y_pred)
    actual, predicted = ax.get_lines()
    np.testing.assert_array_equal(actual.get_xdata(), np.arange(10))
    np.testing.assert_array_equal(predicted.get_xdata(), np.arange(13))
    np.testing.assert_array_equal(predicted.get_ydata(), y_pred)
    assert _spans(ax, "horizon") == {"horizon": [(9.5, 12.5)]}


def test_plot_forecast_horizon_shades_final_points():
    ax = plot_forecast(np.zeros(10), np.ones(10), horizon=4)
    assert _spans(ax, "horizon") == {"horizon": [(5.5, 9.5)]}
    ax = plot_forecast(np.zeros(10), np.ones(12), horizon=4)
    assert _spans(ax, "horizon") == {"horizon": [(7.5, 11.5)]}


def test_plot_forecast_uses_and_extends_series_index():
    dates = pd.date_range("2024-01-01", periods=8, freq="D", name="day")
    y = pd.Series(np.arange(8.0), index=dates, name="temp")
    ax = plot_forecast(y, np.arange(10.0))
    actual, predicted = ax.get_lines()
    np.testing.assert_array_equal(actual.get_xdata(), dates.to_numpy())
    future = pd.date_range("2024-01-01", periods=10, freq="D")
    np.testing.assert_array_equal(predicted.get_xdata(), future.to_numpy())
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("day", "temp")
    # The horizon covers the two new days, half a day either side.
    from matplotlib.dates import date2num

    (span,) = _spans(ax, "horizon")["horizon"]
    np.testing.assert_allclose(span, date2num(future[[8, 9]].to_numpy()) + [-0.5, 0.5])


def test_plot_forecast_aligns_series_on_labels():
    y = pd.Series(np.arange(10.0), index=np.arange(100, 110))
    y_pred = pd.Series([1.0, 2.0, 3.0], index=[107, 108, 110])  # 110 is future
    ax = plot_forecast(y, y_pred)
    actual, predicted = ax.get_lines()
    np.testing.assert_array_equal(predicted.get_xdata(), np.arange(100, 111))
    expected = np.full(11, np.nan)
    expected[[7, 8, 10]] = [1.0, 2.0, 3.0]
    np.testing.assert_array_equal(predicted.get_ydata(), expected)
    np.testing.assert_array_equal(actual.get_ydata(), y.to_numpy())
    assert _spans(ax, "horizon") == {"horizon": [(109.5, 110.5)]}


def test_plot_forecast_legend_uses_labels():
    ax = plot_forecast([1.0, 2.0], [1.0, 2.0, 3.0], labels=("observed", "LSTM"))
    texts = [text.get_text() for text in ax.get_legend().get_texts()]
    assert texts == ["observed", "LSTM", "forecast horizon"]


def test_plot_forecast_shorter_y_pred_raises():
    msg = (
        "plot_forecast expected y_pred at least as long as y_true (aligned from "
        "the first point, forecasts beyond the data at the end); got "
        "len(y_true)=5 and len(y_pred)=3."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_forecast(np.zeros(5), np.zeros(3))


def test_plot_forecast_index_length_mismatch_raises():
    msg = (
        "plot_forecast expected index with one position per point of y_pred (6); got 5."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_forecast(np.zeros(5), np.zeros(6), index=np.arange(5))


def test_plot_forecast_horizon_out_of_range_raises():
    msg = (
        "plot_forecast expected horizon between 2 (the points of y_pred beyond "
        "y_true) and 7 (all of y_pred); got horizon=1."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_forecast(np.zeros(5), np.zeros(7), horizon=1)
    with pytest.raises(TypeError, match=re.escape("got 2.5. Pass e.g. horizon=7.")):
        plot_forecast(np.zeros(5), np.zeros(7), horizon=2.5)


def test_plot_forecast_cv_out_of_range_raises():
    msg = (
        "plot_forecast expected test indices between 0 and 4 (the rows of "
        "y_true); got indices from 3 to 5."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_forecast(np.zeros(5), np.zeros(5), cv=[([0, 1, 2], [3, 4, 5])])


def test_plot_forecast_non_splitter_cv_raises():
    msg = (
        "plot_forecast expected cv to be a splitter with a split method (e.g. "
        "TimeSeriesSplit) or a list of (train, test) index arrays; got 3."
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        plot_forecast(np.zeros(5), np.zeros(5), cv=3)


def test_plot_forecast_multi_output_raises():
    msg = (
        "plot_forecast expected y_pred of shape (n_samples,); got shape (5, 2). "
        "Plot one output at a time, e.g. y_pred[:, 0]."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_forecast(np.zeros(5), np.zeros((5, 2)))


# --- plot_lstm_cell -----------------------------------------------------------


def test_plot_lstm_cell_labels_every_gate_and_state():
    ax = plot_lstm_cell()
    texts = [text.get_text() for text in ax.texts]
    for label in [r"$c_{t-1}$", r"$h_{t-1}$", r"$x_t$", r"$c_t$", r"$h_t$"]:
        assert label in texts
    for name in ["forget $f_t$", "input $i_t$", "candidate $g_t$", "output $o_t$"]:
        assert name in texts
    assert texts.count(r"$\sigma$") == 3
    assert texts.count(r"$\tanh$") == 2  # the candidate layer and tanh(c_t)
    assert texts.count(r"$\times$") == 3 and texts.count("$+$") == 1


@pytest.mark.parametrize("figsize", [None, (5.0, 3.5), (12.0, 4.0)])
def test_plot_lstm_cell_labels_do_not_overlap(figsize):
    if figsize is None:
        ax = plot_lstm_cell()
    else:  # a given, smaller or wider, ax: the drawing scales to it
        ax = plot_lstm_cell(ax=plt.subplots(figsize=figsize)[1])
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    axes_box = ax.get_window_extent(renderer)
    for box in boxes:
        assert axes_box.contains(box.x0, box.y0) and axes_box.contains(box.x1, box.y1)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_plot_lstm_cell_draws_on_given_ax():
    fig, ax = plt.subplots()
    assert plot_lstm_cell(ax=ax) is ax
    assert ax.get_aspect() == 1.0 and not ax.axison
    assert len(ax.patches) > 20


# --- plot_gate_activations ----------------------------------------------------


@pytest.mark.parametrize("sample", [-1, 3])
def test_plot_gate_activations_heatmaps_equal_gate_activations(
    regressor, windows, sample
):
    X, _ = windows
    gates = ("input", "forget", "candidate", "output", "cell", "hidden")
    fig = plot_gate_activations(regressor, X, sample=sample, gates=gates)
    expected = regressor.gate_activations(X)
    heatmaps = fig.axes[: len(gates)]
    for ax, gate in zip(heatmaps, gates, strict=True):
        (image,) = ax.get_images()
        np.testing.assert_allclose(
            np.ma.filled(image.get_array(), np.nan),
            expected[gate][sample].T,
            rtol=1e-6,
            atol=1e-6,  # float32 matmuls of one window and of a batch round apart
        )


def test_plot_gate_activations_pipeline_blanks_masked_steps(pipeline):
    pipe, series = pipeline
    fig = plot_gate_activations(pipe, series, sample=1)
    windows = pipe[:-1].transform(series)
    expected = pipe[-1].gate_activations(windows)
    (image,) = fig.axes[0].get_images()  # the input gate
    values = image.get_array()
    np.testing.assert_allclose(np.ma.filled(values, np.nan), expected["input"][1].T)
    # The window of row 1 is left-padded by 2 NaN steps: blank, not drawn.
    assert values.mask[:, :2].all() and not values.mask[:, 2:].any()


def test_plot_gate_activations_has_titled_heatmaps_and_colorbars(regressor, windows):
    X, _ = windows
    fig = plt.figure()
    assert plot_gate_activations(regressor, X, gates="forget", fig=fig) is fig
    heatmap, colorbar = fig.axes
    assert heatmap.get_title(loc="left") == "forget gate $f_t$"
    assert heatmap.get_images()[0].get_clim() == (0.0, 1.0)
    assert colorbar is heatmap.get_images()[0].colorbar.ax
    assert heatmap.get_xlabel() == "time step (oldest first)"


def test_plot_gate_activations_unfitted_raises(windows):
    from sklstm import LSTMRegressor

    msg = (
        "plot_gate_activations expected a fitted estimator; got an unfitted "
        "LSTMRegressor. Call fit(X, y) on it first."
    )
    with pytest.raises(NotFittedError, match=re.escape(msg)):
        plot_gate_activations(LSTMRegressor(), windows[0])


def test_plot_gate_activations_bad_arguments_raise(regressor, windows):
    X, _ = windows
    msg = (
        "plot_gate_activations expected gates among ['input', 'forget', "
        "'candidate', 'output', 'cell', 'hidden']; got ('forgot',)."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_gate_activations(regressor, X, gates=("forgot",))
    msg = "expected sample between -24 and 23 (X holds 24 windows); got sample=24."
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_gate_activations(regressor, X, sample=24)
    fig, _ = plt.subplots()
    msg = "plot_gate_activations expected an empty figure; got one with 1 axes."
    with pytest.raises(ValueError, match=re.escape(msg)):
        plot_gate_activations(regressor, X, fig=fig)


def test_plot_gate_activations_estimator_without_gates_raises(windows):
    msg = (
        "plot_gate_activations expected an sklstm LSTM regressor (or a Pipeline "
        "ending in one) with gate_activations; got Ridge."
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        plot_gate_activations(Ridge(), windows[0])


# --- the module ---------------------------------------------------------------


def test_plotting_import_loads_no_matplotlib_or_keras():
    code = (
        "import sys; import sklstm.plotting; "
        "print(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'matplotlib', 'keras', 'tensorflow'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_plot_backtest_draws_one_step_and_explains_bad_input():
    from sklearn.linear_model import Ridge

    from sklstm import backtest, make_lstm_pipeline, make_supervised
    from sklstm.datasets import load_seattle_weather
    from sklstm.plotting import plot_backtest

    X, y = make_supervised(
        load_seattle_weather()[["temp_max"]].iloc[-200:], horizon=range(1, 3)
    )
    results = backtest(make_lstm_pipeline(7, Ridge()), X, y, cv=2)
    ax = plot_backtest(results, step=2)
    drawn = np.concatenate([line.get_ydata() for line in ax.lines[:2]])
    expected = results.loc[results["step"] == 2, ["y_true", "y_pred"]]
    assert np.isin(expected.to_numpy().ravel(), drawn).all()
    with pytest.raises(ValueError, match="the backtest has steps \\[1, 2\\]"):
        plot_backtest(results, step=3)
    with pytest.raises(ValueError, match="plot_backtest expected the DataFrame"):
        plot_backtest(results[["y_true"]])
