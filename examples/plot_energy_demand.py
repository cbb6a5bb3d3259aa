"""
Half-hourly electricity demand against seasonal naive forecasts
===============================================================

Electricity demand repeats itself: every day has the same shape, and every
week the same pattern of working days and weekend. A forecast of the next
half-hour must beat the forecasts that copy this repetition before it is
worth anything. This example cross-validates the LSTM pipeline of
:func:`~sklstm.make_lstm_pipeline`, reading one day of history (48
half-hours), against three baselines on the demand of England and Wales in
the summer of 2000 (Taylor, 2003): the last value, the same half-hour one day
earlier and the same half-hour one week earlier.

The data come from :func:`~sklstm.datasets.load_electricity_demand`, which
needs ``pmdarima`` (``pip install 'sklstm[datasets]'``).
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# ``SKLSTM_EXAMPLES_FAST=1`` keeps the last 2000 half-hours and shortens the
# training so that the script finishes in seconds; the conclusions below are
# about the full run.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# The series
# ----------
#
# Twelve weeks of half-hourly demand in megawatts, from Monday 5 June to
# Sunday 27 August 2000. The first week shows the two cycles.
from sklstm.datasets import load_electricity_demand

demand = load_electricity_demand()
print(demand.index.freq, len(demand))
ax = demand.iloc[:336].plot(figsize=(8, 3))
ax.set_ylabel("demand (MW)")
ax.set_title("First week: a daily cycle, and a quieter weekend")

# %%
# The supervised table and the baselines
# --------------------------------------
#
# :func:`~sklstm.make_supervised` pairs each half-hour with the next one. The
# baselines need no fitting: for the target at ``t + 1``, the naive forecast
# is the value at ``t``, the daily seasonal naive the value at ``t + 1 - 48``
# and the weekly seasonal naive the value at ``t + 1 - 336``. They are
# shifted copies of the series, computed on the whole series (they only look
# back) before the fast mode keeps its tail.
import pandas as pd

from sklstm import make_supervised

baselines = pd.DataFrame(
    {
        "naive (last value)": demand,
        "seasonal naive (1 day)": demand.shift(48 - 1),
        "seasonal naive (1 week)": demand.shift(336 - 1),
    }
)
if FAST:
    demand = demand.iloc[-2000:]
X, y = make_supervised(demand, horizon=1)
baselines = baselines.loc[X.index]
print(X.shape)

# %%
# The LSTM pipeline
# -----------------
#
# The scaler is fitted on the training rows of each fold, inside the
# pipeline; the windower turns each row into the 48 half-hours that end
# there, one day of history.
from sklstm import LSTMRegressor, make_lstm_pipeline

window = 48
lstm = make_lstm_pipeline(
    window,
    LSTMRegressor(
        units=8 if FAST else 32,
        epochs=2 if FAST else 20,
        batch_size=64,
        early_stopping=not FAST,
        patience=3,
        random_state=0,
    ),
)

# %%
# Time-ordered cross-validation
# -----------------------------
#
# :class:`~sklearn.model_selection.TimeSeriesSplit` trains on the past and
# tests on the half-hours that follow; the horizon is one step, so no gap is
# needed. The baselines are scored on exactly the same test rows as the LSTM.
# The first test fold starts well after the first week, so the weekly
# baseline always has its value.
import numpy as np
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import TimeSeriesSplit

cv = TimeSeriesSplit(n_splits=2 if FAST else 3)
scores = {name: [] for name in ["LSTM", *baselines.columns]}
for train, test in cv.split(X):
    lstm.fit(X.iloc[train], y.iloc[train])
    scores["LSTM"].append(mean_absolute_error(y.iloc[test], lstm.predict(X.iloc[test])))
    for name in baselines.columns:
        pred = baselines[name].iloc[test]
        scores[name].append(mean_absolute_error(y.iloc[test], pred))

# %%
# The table
# ---------
#
# The mean absolute error in megawatts, averaged over the folds.
table = pd.DataFrame(
    {
        name: {"MAE mean": np.mean(fold), "MAE std": np.std(fold)}
        for name, fold in scores.items()
    }
).T
print(table.round(1).to_string())

# %%
# The last two days of the last fold
# ----------------------------------
#
# The LSTM of the last fold against the weekly seasonal naive forecast and
# the observed demand.
from sklstm.plotting import plot_forecast

last = test[-96:]
y_last = y.iloc[last]
lstm_last = pd.Series(lstm.predict(X.iloc[test])[-96:], index=y_last.index)
ax = plot_forecast(y_last, lstm_last, labels=("observed", "LSTM"))
ax.plot(
    y_last.index,
    baselines["seasonal naive (1 week)"].iloc[last],
    label="seasonal naive (1 week)",
    lw=1,
)
ax.legend()
ax.set_ylabel("demand (MW)")

# %%
# Conclusion
# ----------
#
# Half an hour ahead, the last value is already a strong forecast, and the
# seasonal naive forecasts show how much of the demand is repetition. Read
# the table with that in mind: the LSTM is useful only if its error is well
# below the best of the three baselines, not merely below the seasonal ones.
# A one-day window lets it see the daily cycle but not the weekly one; a
# longer window (336 half-hours) or calendar features (the day of the week)
# are the next things to try, scored in the same folds.
