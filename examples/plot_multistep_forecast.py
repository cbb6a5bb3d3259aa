"""
Next value and next week: recursive against direct forecasts
============================================================

A one-step model forecasts tomorrow. To forecast a whole week there are two
ways: feed each forecast back as the next input and repeat
(:func:`~sklstm.recursive_forecast`), or train one model whose outputs are the
seven days ahead at once, from targets built by
``make_supervised(..., horizon=range(1, 8))``. This example does both on the
daily maximum temperature in Seattle, cross-validates the direct model with a
gap that keeps overlapping targets out of the test folds, compares the two
strategies day by day on a held-out period and plots the forecast of the week
after the data end.
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# ``SKLSTM_EXAMPLES_FAST=1`` shortens the series, the training and the number
# of forecast origins; the conclusions below are about the full run.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# The series
# ----------
from sklstm.datasets import load_seattle_weather

temp_max = load_seattle_weather()["temp_max"]
if FAST:
    temp_max = temp_max.iloc[-500:]
print(temp_max.index.freq, len(temp_max))

# %%
# Two supervised tables
# ---------------------
#
# The recursive strategy needs a one-step model (``horizon=1``). The direct
# strategy needs one target column per day ahead: ``horizon=range(1, 8)``
# gives the columns ``temp_max_t+1`` to ``temp_max_t+7``.
from sklstm import make_supervised

horizon = 7
X1, y1 = make_supervised(temp_max, horizon=1)
Xh, Yh = make_supervised(temp_max, horizon=range(1, horizon + 1))
print(list(Yh.columns))

# %%
# Cross-validate the direct model with a gap
# -------------------------------------------
#
# The target of row ``t`` reaches ``t + 7``, so the targets of the last
# training rows overlap the first test rows. ``TimeSeriesSplit(gap=6)`` drops
# the six rows between, so no test label is seen in training.
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from sklstm import LSTMRegressor, make_lstm_pipeline

window = 28


def lstm():
    return LSTMRegressor(
        units=16 if FAST else 32,
        epochs=2 if FAST else 50,
        early_stopping=not FAST,
        patience=5,
        random_state=0,
    )


direct = make_lstm_pipeline(window, lstm())
cv = TimeSeriesSplit(n_splits=2 if FAST else 4, gap=horizon - 1)
scores = cross_val_score(direct, Xh, Yh, cv=cv, scoring="neg_mean_absolute_error")
print(f"direct model, CV MAE over the 7 days: {-scores.mean():.2f} degrees C")

# %%
# Both strategies on a held-out period
# ------------------------------------
#
# Both models are fitted on the days before a final test period; the direct
# model's training stops ``horizon - 1`` rows earlier, so that none of its
# targets reaches into the test period. From several origins in the test
# period each forecasts the seven days that follow.
import numpy as np

from sklstm import recursive_forecast

n_test = 60 if FAST else 240
cut = len(temp_max) - n_test
one_step = make_lstm_pipeline(window, lstm()).fit(
    X1.iloc[: cut - 1], y1.iloc[: cut - 1]
)
direct.fit(Xh.iloc[: cut - horizon], Yh.iloc[: cut - horizon])

origins = np.arange(cut + window, len(temp_max) - horizon, 7)
errors = {"recursive": [], "direct": []}
for origin in origins:
    history = temp_max.iloc[: origin + 1]
    actual = temp_max.iloc[origin + 1 : origin + 1 + horizon].to_numpy()
    recursive_pred = recursive_forecast(one_step, history, steps=horizon)
    direct_pred = direct.predict(history.iloc[-window:].to_frame())[-1]
    errors["recursive"].append(np.abs(np.asarray(recursive_pred) - actual))
    errors["direct"].append(np.abs(direct_pred - actual))
print(len(origins), "forecast origins")

# %%
# The error grows with the lead time for both strategies; the table gives the
# mean absolute error of each day ahead.
import pandas as pd

mae = pd.DataFrame(
    {name: np.mean(errs, axis=0) for name, errs in errors.items()},
    index=pd.Index(range(1, horizon + 1), name="days ahead"),
)
print(mae.round(2).T.to_string())
ax = mae.plot(marker="o", figsize=(6, 3.5))
ax.set_ylabel("MAE (degrees C)")
ax.set_title("Error by lead time on the held-out period")

# %%
# The week after the data
# -----------------------
#
# Refitted on all the data, both models forecast the seven days after the last
# observation. :func:`~sklstm.recursive_forecast` continues the daily index of
# the history; :func:`~sklstm.plotting.plot_forecast` shades the forecast
# beyond the observed series.
from sklstm.plotting import plot_forecast

one_step.fit(X1, y1)
direct.fit(Xh, Yh)
week_recursive = recursive_forecast(one_step, temp_max, steps=horizon)
week_direct = direct.predict(temp_max.iloc[-window:].to_frame())[-1]
print(pd.DataFrame({"recursive": week_recursive, "direct": week_direct}).round(1))

# Yesterday's one-step forecast of each recent day, then the week ahead.
recent = temp_max.iloc[-42:]
next_day = pd.Series(one_step.predict(temp_max.to_frame()), index=temp_max.index)
y_pred = pd.concat([next_day.shift(1).iloc[-42:], week_recursive])
ax = plot_forecast(recent, y_pred, labels=("observed", "recursive LSTM"))
ax.plot(week_recursive.index, week_direct, "s--", label="direct LSTM")
ax.legend()
ax.set_ylabel("maximum temperature (degrees C)")

# %%
# Conclusion
# ----------
#
# A one-step model rolled forward with :func:`~sklstm.recursive_forecast`
# reuses the simplest model for any lead time, but each forecast rests on
# earlier forecasts, so its errors compound. A direct model trained on
# ``horizon=range(1, 8)`` learns each lead time from real targets. On this
# noisy daily series both stay close to each other, and both drift towards the
# seasonal level after a few days, which is all the temperature history can
# tell about next week. Whichever strategy, cross-validate a multi-step target
# with ``TimeSeriesSplit(gap=horizon - 1)``.
