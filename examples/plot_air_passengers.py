"""
A trending series: the LSTM on levels and a linear skip path
============================================================

An LSTM's hidden state is squashed by ``tanh``, so a network trained on the
levels of a series has trouble forecasting values above any it has seen.
The monthly airline passengers of Box and Jenkins grow year after year, which
makes every test period of a time-ordered split lie above its training
period. This example cross-validates a plain :class:`~sklstm.LSTMRegressor`
on the levels, the same network with ``linear_skip="last"`` (a linear path
from the last observed step to the output, around the LSTM) and the seasonal
naive forecast, "this month is like the same month last year".
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# ``SKLSTM_EXAMPLES_FAST=1`` shortens the training and uses fewer folds so
# that the script finishes in seconds; the conclusions below are about the
# full run.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# The series
# ----------
#
# 144 monthly totals, in thousands of passengers, from 1949 to 1960: a trend,
# and a yearly cycle whose amplitude grows with the level.
from sklstm.datasets import load_air_passengers

passengers = load_air_passengers()
print(passengers.index.freq, len(passengers))
ax = passengers.plot(figsize=(7, 3))
ax.set_ylabel("passengers (thousands)")

# %%
# The supervised table and the seasonal naive forecast
# ----------------------------------------------------
#
# :func:`~sklstm.make_supervised` pairs each month with the next. The
# seasonal naive forecast of the month ``t + 1`` is the value twelve months
# earlier, at ``t + 1 - 12``: a shifted copy of the series, which only looks
# back.
from sklstm import make_supervised

X, y = make_supervised(passengers, horizon=1)
seasonal_naive = passengers.shift(12 - 1).loc[X.index]

# %%
# Three LSTM pipelines
# --------------------
#
# All read a 12-month window, scaled inside the pipeline on the training rows
# of each fold. The default (``normalize="auto"``) is level-free: the network
# reads each window relative to its last month and learns the change from the
# last value, which is added back. The two others learn levels
# (``normalize=None``), one with ``linear_skip="last"``: the output layer also
# receives the last step's scaled value linearly.
from sklstm import LSTMRegressor, make_lstm_pipeline

window = 12


def lstm(**params):
    return make_lstm_pipeline(
        window,
        LSTMRegressor(
            units=16,
            epochs=30 if FAST else 300,
            batch_size=16,
            early_stopping=not FAST,
            patience=20,
            random_state=0,
            **params,
        ),
    )


models = {
    "LSTM (default, level-free)": lstm(),
    "LSTM on levels": lstm(normalize=None),
    'LSTM on levels, linear_skip="last"': lstm(normalize=None, linear_skip="last"),
}

# %%
# Time-ordered cross-validation
# -----------------------------
#
# :class:`~sklearn.model_selection.TimeSeriesSplit` with ``test_size=12``
# tests each fold on the year that follows its training months; the horizon
# is one month, so no gap is needed. The seasonal naive forecast is scored on
# the same test months; the first test year starts long after the first year,
# so it always has its value.
import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import TimeSeriesSplit

cv = TimeSeriesSplit(n_splits=2 if FAST else 4, test_size=12)
scores = {name: [] for name in [*models, "seasonal naive (12 months)"]}
last_fold = {}
for train, test in cv.split(X):
    for name, model in models.items():
        model.fit(X.iloc[train], y.iloc[train])
        pred = pd.Series(model.predict(X.iloc[test]), index=y.index[test])
        scores[name].append(mean_absolute_error(y.iloc[test], pred))
        last_fold[name] = pred
    scores["seasonal naive (12 months)"].append(
        mean_absolute_error(y.iloc[test], seasonal_naive.iloc[test])
    )
last_fold["seasonal naive (12 months)"] = seasonal_naive.iloc[test]

# %%
# The table
# ---------
#
# The mean absolute error in thousands of passengers, fold by fold (in time
# order) and on average.
table = pd.DataFrame(scores).T
table.columns = [f"fold {i}" for i in range(1, len(table.columns) + 1)]
table["MAE mean"] = table.mean(axis=1)
print(table.round(1).to_string())

# %%
# The last test year
# ------------------
#
# :func:`~sklstm.plotting.plot_forecast` draws the observed months and the
# forecasts of the last fold. Watch the peaks: a forecast that stays below
# the highest values ever seen in training cannot follow the trend.
from sklstm.plotting import plot_forecast

y_test = y.iloc[test]
ax = plot_forecast(
    y_test, last_fold["LSTM (default, level-free)"], labels=("observed", "LSTM")
)
for name in ("LSTM on levels", "seasonal naive (12 months)"):
    ax.plot(y_test.index, last_fold[name], label=name, lw=1)
ax.axhline(y.iloc[train].max(), color="grey", ls=":", label="training maximum")
ax.legend(fontsize="small")
ax.set_ylabel("passengers (thousands)")
print(f"training maximum: {y.iloc[train].max():.0f}, test maximum: {y_test.max():.0f}")
for name in ("LSTM (default, level-free)", "LSTM on levels"):
    print(f"highest forecast: {np.max(last_fold[name]):.0f} ({name})")

# %%
# Conclusion
# ----------
#
# On a series with a trend, each test year of a time-ordered split lies
# partly above everything the network trained on. Compare, in the last plot,
# the forecasts with the training maximum: a network on levels flattens out
# below it, and the linear skip path, learned on the training range too, does
# not carry it much further. The default network is level-free
# (``normalize="auto"``): it learns the change from the last observed value,
# so the level it adds back can lie beyond anything it trained on. Read the
# table for how each fares against the seasonal naive forecast, which
# captures the yearly cycle and, a year behind, part of the trend.
