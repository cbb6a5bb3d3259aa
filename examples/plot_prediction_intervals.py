"""
Prediction intervals for an LSTM forecast
=========================================

A point forecast says nothing about how far off it may be. This example wraps
the default LSTM pipeline in :class:`~sklstm.ConformalForecaster`, which
calibrates an interval on the errors of time-ordered forecasts (each made from
the real history of its row), measures the interval's coverage on test folds
with :func:`~sklstm.backtest`, and draws the forecast from the end of the data
with its band. The series is Seattle's daily maximum temperature, bundled with
sklstm.
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# ``SKLSTM_EXAMPLES_FAST=1`` shortens the series and the training so that the
# script finishes in seconds; the conclusions below are about the full run.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# Data and model
# --------------
#
# Tomorrow's maximum temperature from two weeks of four weather features. The
# conformal wrapper keeps the most recent 20% of each training set to
# calibrate a 90% interval, then refits the pipeline on all of it.
from sklstm import (
    ConformalForecaster,
    LSTMRegressor,
    make_lstm_pipeline,
    make_supervised,
)
from sklstm.datasets import load_seattle_weather

weather = load_seattle_weather()[["temp_max", "temp_min", "precipitation", "wind"]]
if FAST:
    weather = weather.iloc[-500:]
X, y = make_supervised(weather, target="temp_max")

lstm = LSTMRegressor(
    units=8 if FAST else 32,
    epochs=3 if FAST else 100,
    early_stopping=not FAST,
    random_state=0,
)
model = ConformalForecaster(make_lstm_pipeline(14, lstm), coverage=0.9)

# %%
# Coverage on time-ordered test folds
# -----------------------------------
#
# :func:`~sklstm.backtest` refits the wrapped model on each training fold and
# forecasts the test rows; :func:`~sklstm.backtest_report` gives the share of
# test days whose temperature fell inside the interval, and the interval
# (Winkler) score, which rewards narrow intervals and penalises misses.
from sklearn.model_selection import TimeSeriesSplit

from sklstm import backtest, backtest_report

cv = TimeSeriesSplit(n_splits=2 if FAST else 3, test_size=60 if FAST else 120)
results = backtest(model, X, y, cv=cv)
report = backtest_report(results)
print(report[["MAE", "coverage", "interval_score"]].round(2).to_string())

# %%
# The forecast from the end of the data, with its band
# ----------------------------------------------------
#
# Fitted on all rows, the model forecasts the day after the data end;
# :func:`~sklstm.forecast` returns the forecast with its lower and upper
# bounds, and :func:`~sklstm.plotting.plot_forecast` draws the last test fold's
# forecasts with their interval.
import numpy as np
import pandas as pd

from sklstm import forecast
from sklstm.plotting import plot_forecast

ahead = forecast(model.fit(X, y), weather, coverage=0.9)
print(ahead.round(2).to_string())

last = results[results["fold"] == results["fold"].max()].set_index("target_time")
observed = weather["temp_max"].reindex(last.index)
ax = plot_forecast(
    observed,
    pd.Series(last["y_pred"].to_numpy(), index=last.index),
    labels=("observed", "LSTM forecast"),
    interval=np.column_stack([last["lower"], last["upper"]]),
)
ax.set_ylabel("temp_max (degrees C)")

# %%
# Conclusion
# ----------
#
# The conformal interval is calibrated on the most recent errors of the
# model, so its width follows how well the model has been doing, and its
# coverage on the test folds can be read off the report. For time series the
# coverage is approximate (errors are not exchangeable across seasons): check
# it in a backtest, as above, before trusting the nominal level; the
# ``update`` method adapts the interval as new observations arrive.
