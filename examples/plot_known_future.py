"""
Forecasting bike rentals with covariates known in advance
=========================================================

Some inputs are known for the days to forecast, not only for the past: the
calendar (the day of the week, holidays) is known years ahead, and the
temperature comes from a weather forecast. This example declares them
*known-future* with :func:`~sklstm.make_supervised` and
:func:`~sklstm.make_lstm_pipeline`, so that an LSTM forecasting the next seven
days of Capital Bikeshare rentals reads, for each day ahead, that day's
calendar and temperature. It compares the model with the same LSTM on past
inputs only in a time-ordered backtest, then forecasts the week after the data
with :func:`~sklstm.forecast`, given a table of the future values. The data
(:func:`~sklstm.datasets.load_bike_sharing`, 731 days of 2011-2012) ship with
sklstm.
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# ``SKLSTM_EXAMPLES_FAST=1`` shortens the training and the backtest so that
# the script finishes in seconds; the conclusions below are about the full
# run.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# The data and its calendar
# -------------------------
#
# Daily rentals with the day's weather. :func:`~sklstm.calendar_features`
# derives the day of the week and of the year (each as a sine and cosine, so
# that Sunday lies next to Monday and December 31st next to January 1st) and a
# holiday flag from a list of dates, here the public holidays the UCI table
# marks. The same function builds the calendar of any future date, which is
# what makes it known in advance.
import pandas as pd

from sklstm import calendar_features
from sklstm.datasets import load_bike_sharing

bikes = load_bike_sharing()
HOLIDAYS = bikes.index[bikes["holiday"] == 1]


def calendar(times):
    """Calendar columns of ``times``, past or future days alike."""
    days = calendar_features(
        times, features=("day_of_week", "day_of_year"), holidays=HOLIDAYS
    )
    weekday = (times.day_of_week < 5).astype("int64")
    days["workingday"] = weekday * (1 - days["holiday"])
    return days


data = bikes[["count", "temp", "humidity", "windspeed"]].join(calendar(bikes.index))
print(data.columns.tolist())

# %%
# The last week is held out: the model never sees it, and it is the week to
# forecast at the end.
history, last_week = data.iloc[:-7], data.iloc[-7:]

# %%
# Declaring the known-future columns
# ----------------------------------
#
# ``make_supervised(..., known_future=[...])`` adds, for each declared column
# and each day ahead, a lead column such as ``temp_t+3``: the temperature on
# the third day after each row, aligned with the target ``count_t+3``. The
# pipeline built with the same declaration appends those values to each
# 28-day window as seven *forecast steps*, read by the LSTM beside what it
# made of the past. Humidity and wind stay past inputs only.
from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised

KNOWN = [*calendar(bikes.index[:1]).columns, "temp"]
X, Y = make_supervised(history, target="count", horizon=range(1, 8), known_future=KNOWN)
print(X.columns[-len(KNOWN) :].tolist())  # the leads of the 7th day


def lstm():
    return LSTMRegressor(
        units=8 if FAST else 50,
        epochs=3 if FAST else 100,
        early_stopping=not FAST,
        random_state=0,
    )


with_known = make_lstm_pipeline(28, lstm(), known_future=KNOWN)
past_only = make_lstm_pipeline(28, lstm())
past_columns = history.columns  # the same inputs, without the leads

# %%
# Backtest: past inputs against known-future inputs
# -------------------------------------------------
#
# :func:`~sklstm.backtest` refits each pipeline on the training rows of each
# :class:`~sklearn.model_selection.TimeSeriesSplit` fold and forecasts every
# test row from its real history. The gap of six rows keeps the targets of
# the last training rows, which reach a week ahead, out of the test folds.
# MASE scales the errors by the in-sample error of last week's value (season
# 7): below 1 beats it.
from sklearn.model_selection import TimeSeriesSplit

from sklstm import backtest, backtest_report

cv = TimeSeriesSplit(n_splits=2 if FAST else 3, test_size=30 if FAST else 90, gap=6)
reports = {
    "past inputs only": backtest_report(
        backtest(past_only, X[past_columns], Y, cv=cv, season=7)
    ),
    "calendar and temp known ahead": backtest_report(
        backtest(with_known, X, Y, cv=cv, season=7)
    ),
}
table = pd.concat({name: r[["MAE", "MASE"]] for name, r in reports.items()}, axis=1)
print(table.round(2).to_string())

# %%
# Forecasting the next week
# -------------------------
#
# Fitted on all of the history, the model forecasts the seven days after it.
# :func:`~sklstm.forecast` takes the known-future values at those target
# times through ``future``: here a function of the target days that builds
# their calendar and joins their temperatures. The history needs no lead
# columns.
from sklstm import forecast

with_known.fit(X, Y)


def future(days):
    # In practice the temperatures come from a weather forecast; here the
    # held-out week's observed temperatures stand in for it.
    return calendar(days).join(last_week.loc[days, ["temp"]])


ahead = forecast(with_known, history, future=future)
comparison = pd.DataFrame({"observed": last_week["count"], "forecast": ahead})
print(comparison.round(0).to_string())
print(f"MAE over the week: {(ahead - last_week['count']).abs().mean():.0f} bikes")

# %%
# :func:`~sklstm.plotting.plot_forecast` draws the forecast against the last
# eight weeks, the forecast week shaded.
from sklstm.plotting import plot_forecast

ax = plot_forecast(
    data["count"].iloc[-56:],
    ahead,
    labels=("observed rentals", "LSTM forecast, known-future inputs"),
    horizon=7,
)
ax.set_ylabel("bikes rented per day")
ax.set_title("The last week of 2012, forecast from December 24th")

# %%
# Conclusion
# ----------
#
# Declaring a column known in advance takes one list, given to both
# :func:`~sklstm.make_supervised` and :func:`~sklstm.make_lstm_pipeline`;
# :func:`~sklstm.forecast` then asks for the values of those columns at the
# target times and checks that they cover exactly those days. The calendar is
# truly known; the temperature is known only as well as the weather forecast
# that supplies it, and a backtest on observed temperatures, as here, is an
# upper bound on what a real forecast would give. The benchmark
# ``benchmarks/results/covariates.md`` measures each group of inputs
# separately, with three seeds and a Ridge on the same inputs.
