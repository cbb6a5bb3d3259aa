"""Drawing a backtest: the forecasts of one step ahead against the truth."""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["plot_backtest"]


def plot_backtest(results, *, step=1, ax=None):
    """Plot the forecasts of a backtest, ``step`` ahead, against the truth.

    Parameters
    ----------
    results : DataFrame
        The output of :func:`sklstm.backtest` (columns ``step``,
        ``target_time``, ``y_true``, ``y_pred``, and ``lower``/``upper`` when
        the model gives intervals).

    step : int, default=1
        Which step ahead to draw.

    ax : matplotlib Axes, default=None
        Axes to draw on. None draws on a new figure.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on: the truth, the forecasts and their band if any,
        over the target times of every test fold.

    See Also
    --------
    sklstm.backtest : Make the table.
    plot_forecast : The drawing used here.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import backtest, make_lstm_pipeline, make_supervised
    >>> from sklstm.datasets import load_seattle_weather
    >>> from sklstm.plotting import plot_backtest
    >>> X, y = make_supervised(load_seattle_weather()[["temp_max"]].iloc[-300:])
    >>> ax = plot_backtest(backtest(make_lstm_pipeline(7, Ridge()), X, y, cv=2))
    >>> len(ax.lines) >= 2
    True
    """
    from .plotting import plot_forecast

    columns = {"step", "target_time", "y_true", "y_pred"}
    if not isinstance(results, pd.DataFrame) or not columns <= set(results):
        raise ValueError(
            f"plot_backtest expected the DataFrame that sklstm.backtest returns, "
            f"with columns {sorted(columns)}; got {type(results).__name__}."
        )
    rows = results[results["step"] == step]
    if rows.empty:
        raise ValueError(
            f"plot_backtest got step={step!r}, but the backtest has steps "
            f"{sorted(results['step'].unique().tolist())}."
        )
    index = pd.Index(rows["target_time"])
    truth = pd.Series(rows["y_true"].to_numpy(), index=index)
    pred = pd.Series(rows["y_pred"].to_numpy(), index=index)
    interval = None
    if {"lower", "upper"} <= set(rows):
        interval = np.column_stack([rows["lower"], rows["upper"]])
    return plot_forecast(
        truth,
        pred,
        ax=ax,
        labels=("observed", f"forecast, {step} step(s) ahead"),
        interval=interval,
    )
