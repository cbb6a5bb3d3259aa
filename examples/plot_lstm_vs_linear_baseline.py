"""
LSTM against a linear baseline on lagged values
===============================================

Before trusting an LSTM forecast, compare it with something simpler. This
example cross-validates three forecasters of tomorrow's maximum temperature in
Seattle in the same time-ordered folds: the LSTM pipeline of
:func:`~sklstm.make_lstm_pipeline`, a :class:`~sklearn.linear_model.Ridge`
regression on the same look-back window flattened into lagged columns, and the
naive forecast "tomorrow is like today". All three see exactly the same rows,
so their errors are directly comparable.
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
# The supervised table
# --------------------
#
# :func:`~sklstm.make_supervised` pairs each day's maximum temperature with
# the next day's. It runs once, before any split; scaling and windowing happen
# inside the pipelines, on the training rows of each fold.
from sklstm import make_supervised
from sklstm.datasets import load_seattle_weather

temp_max = load_seattle_weather()["temp_max"]
if FAST:
    temp_max = temp_max.iloc[-500:]
X, y = make_supervised(temp_max, horizon=1)
print(X.shape)

# %%
# Three forecasters
# -----------------
#
# The LSTM and the ridge regression read the same 14-day window. Passed a
# tabular regressor, :func:`~sklstm.make_lstm_pipeline` flattens the window
# into one column per lag (``SequenceWindower(flatten=True)``). A test fold
# is windowed with the training days before it (the windower remembers them);
# only the first rows of the series, which have no history, are padded, with
# zeros (the mean, after scaling) instead of the NaN that the LSTM masks.
#
# The naive forecast needs no fitting: a
# :class:`~sklearn.dummy.DummyRegressor` cannot express it, so a tiny
# estimator returns the last observed value of each row.
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge

from sklstm import LSTMRegressor, make_lstm_pipeline


class LastValue(RegressorMixin, BaseEstimator):
    """Forecast the next value as the last observed one (column 0)."""

    def fit(self, X, y):
        return self

    def predict(self, X):
        return X.iloc[:, 0].to_numpy() if hasattr(X, "iloc") else X[:, 0]


window = 14
lstm = make_lstm_pipeline(
    window,
    LSTMRegressor(
        units=16 if FAST else 32,
        epochs=2 if FAST else 50,
        early_stopping=not FAST,
        patience=5,
        random_state=0,
    ),
)
ridge = make_lstm_pipeline(window, Ridge(alpha=1.0), fill_value=0.0)
models = {"LSTM": lstm, "Ridge on lags": ridge, "naive (last value)": LastValue()}
print(ridge)

# %%
# Time-ordered cross-validation
# -----------------------------
#
# :class:`~sklearn.model_selection.TimeSeriesSplit` trains every fold on the
# past and tests it on the days that follow. We score the mean absolute error
# in degrees Celsius and the R² of each fold.
from sklearn.model_selection import TimeSeriesSplit, cross_validate

cv = TimeSeriesSplit(n_splits=2 if FAST else 5)
results = {
    name: cross_validate(model, X, y, cv=cv, scoring=("neg_mean_absolute_error", "r2"))
    for name, model in models.items()
}

# %%
# The table
# ---------
#
# One row per forecaster: the mean and the spread over the folds.
import pandas as pd

table = pd.DataFrame(
    {
        name: {
            "MAE mean": -res["test_neg_mean_absolute_error"].mean(),
            "MAE std": res["test_neg_mean_absolute_error"].std(),
            "R2 mean": res["test_r2"].mean(),
            "fit time (s)": res["fit_time"].mean(),
        }
        for name, res in results.items()
    }
).T
print(table.round(3).to_string())

# %%
# Fold by fold
# ------------
#
# A mean can hide a fold where one model fails. The error of each fold, for
# each forecaster:
import matplotlib.pyplot as plt
import numpy as np

fig, ax = plt.subplots(figsize=(7, 3.5))
folds = np.arange(1, cv.get_n_splits() + 1)
for offset, (name, res) in zip((-0.25, 0.0, 0.25), results.items(), strict=True):
    ax.bar(folds + offset, -res["test_neg_mean_absolute_error"], 0.25, label=name)
ax.set_xticks(folds)
ax.set_xlabel("test fold (in time order)")
ax.set_ylabel("MAE (degrees C)")
ax.legend()
ax.set_title("Next-day maximum temperature, TimeSeriesSplit")

# %%
# The forecasts of the last fold
# ------------------------------
#
# :func:`~sklstm.plotting.plot_forecast` shades the test folds; here the LSTM
# and the ridge forecasts of the last one, refitted on everything before it.
from sklstm.plotting import plot_forecast

train, test = list(cv.split(X))[-1]
last_fold = {}
for name in ("LSTM", "Ridge on lags"):
    model = models[name].fit(X.iloc[train], y.iloc[train])
    last_fold[name] = pd.Series(model.predict(X.iloc[test]), index=y.index[test])

y_test = y.iloc[test]
ax = plot_forecast(y_test, last_fold["LSTM"], labels=("observed", "LSTM"))
ax.plot(y_test.index, last_fold["Ridge on lags"], label="Ridge on lags", lw=1)
ax.legend()
ax.set_ylabel("maximum temperature (degrees C)")

# %%
# Conclusion
# ----------
#
# On the next-day maximum temperature the linear model on 14 lags and the LSTM
# reach similar errors, and neither is far from the naive forecast: most of
# what can be predicted one day ahead is in the last observed value. The
# comparison costs two lines, since any scikit-learn regressor fits in the
# same leakage-safe pipeline and the same
# :class:`~sklearn.model_selection.TimeSeriesSplit`; run it before reaching
# for a bigger network.
