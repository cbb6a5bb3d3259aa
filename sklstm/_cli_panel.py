"""The command line on a panel: ``python -m sklstm forecast ... --series-id COL``.

A panel is a long table of several series (one id column), each on its own
grid of dates and all in time order (:func:`sklstm._cli_input.read_csv` makes
it so). One network is trained on the windows of all series
(``make_supervised`` and ``make_lstm_pipeline`` with ``series_id``),
cross-validated with :class:`~sklstm.PanelSplit` (one cutoff date for all
series per fold) beside the naive baselines, and forecasts each series: the
long table of :func:`sklstm.forecast`.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from ._cli import _progress, _regressor, quiet_tensorflow
from ._cli_input import CLIError, warn
from ._panels import series_shorter_than

__all__ = ["PLOT_SERIES", "run_panel_forecast", "save_panel_plot"]

#: Most series drawn by --plot (the first ones of the CSV), one panel each.
PLOT_SERIES = 6


def _check_lengths(data, series_id, window, horizon):
    """Every series holds one complete window and its targets, else CLIError."""
    needed = window + horizon
    short = series_shorter_than(data, series_id, needed)
    if len(short):
        key, rows = short.index[0], int(short.iloc[0])
        others = f" (and {len(short) - 1} more)" if len(short) > 1 else ""
        raise CLIError(
            f"series {key!r}{others} is too short: {rows} rows, fewer than the "
            f"{needed} needed for one window of {window} rows and its "
            f"{horizon} step(s) ahead; use a smaller --window or --horizon, "
            f"or leave the series out of the CSV"
        )


def _panel_scores(pipe, X, Y, cv, *, series_id, season, params):
    """Cross-validated errors on a panel, as :func:`sklstm.backtest_report` sums them.

    The rows are in time order, so each fold's training rows come first, then
    its gap, then its test rows; the test rows are predicted together with
    the gap rows before them, so that each is windowed with its real history.
    MASE scales the errors of each series by its own in-sample seasonal
    naive MAE on the fold's training rows, so that every series counts alike.
    """
    from sklearn.base import clone

    from . import backtest_report
    from ._backtest import _naive_mae

    values, ids = Y.to_numpy(dtype=np.float64), X[series_id].to_numpy()
    frames = []
    for fold, (train, test) in enumerate(cv.split(X)):
        model = clone(pipe).fit(X.iloc[train], Y.iloc[train], **(params or {}))
        start = int(train[-1]) + 1
        rows = X.iloc[start : int(test[-1]) + 1]
        pred = np.asarray(model.predict(rows))
        pred = pred.reshape(-1, values.shape[1])[test - start]
        scales = {
            key: _naive_mae(values[train][ids[train] == key], season)
            for key in pd.unique(ids[test])
        }
        frame = pd.DataFrame(
            {
                "fold": fold,
                "step": np.tile(np.arange(1, values.shape[1] + 1), len(test)),
                "y_true": values[test].ravel(),
                "y_pred": pred.ravel(),
                "mase_scale": np.concatenate([scales[k] for k in ids[test]]),
            }
        )
        if hasattr(model, "predict_interval"):  # a ConformalForecaster
            bounds = np.asarray(model.predict_interval(rows))
            bounds = bounds.reshape(len(rows), -1, 2)[test - start]
            frame["lower"] = bounds[..., 0].ravel()
            frame["upper"] = bounds[..., 1].ravel()
            frame["nominal_coverage"] = model.coverage
        frames.append(frame)
    return backtest_report(pd.concat(frames, ignore_index=True), by="fold")


def run_panel_forecast(
    data, target, series_id, *, window, horizon, model, period, splits, fast,
    log, known_future=None, future=None, interval=None,
):  # fmt: skip
    """:func:`sklstm._cli.run_forecast` for a panel (``data`` with ``series_id``).

    Returns the score table, the forecast (the long table of
    :func:`sklstm.forecast`: the series id, ``target_time``, ``forecast``)
    and the pipeline fitted on all rows (inside a ConformalForecaster
    calibrated per series with ``interval``: ``lower`` and ``upper`` columns
    in the forecast, coverage in the scores). The naive baselines read each
    series' own last value (or season) in its units (``rescale=False``: a
    panel's pipeline has no scaler).
    """
    quiet_tensorflow()
    from . import (
        ConformalForecaster,
        NaiveRegressor,
        PanelSplit,
        forecast,
        make_lstm_pipeline,
        make_supervised,
    )
    from ._known_future import lead_name

    _check_lengths(data, series_id, window, horizon)
    horizons = range(1, horizon + 1)
    X, Y = make_supervised(
        data, target=target, horizon=horizons, known_future=known_future,
        series_id=series_id,
    )  # fmt: skip
    leads = [lead_name(c, h) for h in horizons for c in known_future or ()]
    Y = Y.to_frame() if isinstance(Y, pd.Series) else Y
    n_series, n_times = data[series_id].nunique(), X.index.nunique()
    min_times = window + 2 * splits + 1
    if n_times < min_times:
        raise CLIError(
            f"the panel is too short: its series span {n_times} dates with "
            f"training rows for horizon {horizon}, fewer than the {min_times} "
            f"needed for window {window} and {splits} folds; use a smaller "
            f"--window or --horizon, or more data"
        )
    test_size = max(1, min(180, n_times // (splits + 2)))
    first_train = n_times - splits * test_size - (horizon - 1)
    if window > first_train / 3:
        warn(
            f"the window ({window} rows) is longer than a third of the first "
            f"fold's {first_train} training dates: few complete windows to "
            f"learn from; consider a smaller --window"
        )
    cv = PanelSplit(n_splits=splits, test_size=test_size, gap=horizon - 1)

    def lstm_pipeline():
        regressor = _regressor(model, fast=fast)
        pipe = make_lstm_pipeline(
            window, regressor, known_future=known_future, series_id=series_id
        )
        if interval is None:
            return pipe
        # Calibrated on the last fifth of the dates of every series, each
        # series' errors in units of its own scale.
        return ConformalForecaster(
            pipe, coverage=interval, gap=horizon - 1, series_id=series_id
        )

    # The target's place among the windowed features (the id is not one).
    past = [c for c in X.columns if c != series_id and c not in leads]
    naive = {"rescale": False, "target": past.index(target)}
    models = {
        "LSTM pipeline": lstm_pipeline(),
        "naive (last value)": make_lstm_pipeline(
            window, NaiveRegressor(**naive), series_id=series_id
        ),
    }
    if period is not None and period > 1:
        seasonal = NaiveRegressor("seasonal", season=period, **naive)
        models[f"seasonal naive ({period} rows)"] = make_lstm_pipeline(
            max(window, period), seasonal, series_id=series_id
        )
    rows = []
    for name, pipe in models.items():
        start = time.perf_counter()
        log(
            f"{name}: {splits} folds of {test_size} dates, cut at one date for "
            f"all {n_series} series (each test row predicted with its real "
            f"history, gap {horizon - 1})"
        )
        lstm = name == "LSTM pipeline"
        inputs = X if lstm else X.drop(columns=leads)  # baselines: the past only
        report = _panel_scores(
            pipe, inputs, Y, cv, series_id=series_id, season=period or 1,
            params=_progress(log) if lstm and not interval else None,
        )  # fmt: skip
        columns = [c for c in ("MAE", "RMSE", "MASE", "coverage") if c in report]
        rows.append(report[columns].mean().rename(name))
        log(f"{name}: MAE {rows[-1]['MAE']:.3f} ({time.perf_counter() - start:.0f} s)")
    table = pd.DataFrame(rows)
    log(f"final fit on all {len(X)} rows of {n_series} series")
    pipe = lstm_pipeline().fit(X, Y, **({} if interval else _progress(log)))
    return table, forecast(pipe, data, coverage=interval, future=future), pipe


def save_panel_plot(path, data, target, series_id, forecast, title):
    """Small multiples: the recent history and forecast of the first series."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    keys = list(pd.unique(forecast[series_id]))
    shown = keys[:PLOT_SERIES]
    if len(keys) > len(shown):
        warn(
            f"the plot shows the first {len(shown)} of the {len(keys)} series; "
            f"the forecast CSV (--output) holds them all"
        )
    figure = Figure(figsize=(8, 1.9 * len(shown) + 0.6), layout="constrained")
    axes = figure.subplots(len(shown), 1, sharex=True, squeeze=False)[:, 0]
    for ax, key in zip(axes, shown, strict=True):
        ahead = forecast[forecast[series_id] == key]
        history = data.loc[data[series_id] == key, target]
        history = history.iloc[-8 * len(ahead) :]
        ax.plot(history.index, history.to_numpy(), color="C0", label="observed")
        # The forecast line starts at the last observation.
        times = [history.index[-1], *ahead["target_time"]]
        values = [history.iloc[-1], *ahead["forecast"]]
        ax.plot(times, values, color="C1", marker=".", label="forecast")
        if {"lower", "upper"} <= set(ahead.columns):
            ax.fill_between(
                ahead["target_time"], ahead["lower"], ahead["upper"],
                color="C1", alpha=0.25, linewidth=0, label="interval",
            )  # fmt: skip
        ax.set_title(f"{series_id} = {key}", fontsize="medium", loc="left")
    axes[0].legend(loc="upper left", fontsize="small")
    if isinstance(data.index, pd.DatetimeIndex):
        locator = AutoDateLocator()
        axes[-1].xaxis.set_major_locator(locator)
        axes[-1].xaxis.set_major_formatter(ConciseDateFormatter(locator))
    figure.suptitle(title)
    figure.savefig(path, dpi=120)
