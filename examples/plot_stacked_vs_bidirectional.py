"""
One layer, two layers or both directions: three LSTM architectures
===================================================================

sklstm offers three networks behind the same scikit-learn interface: one LSTM
layer (:class:`~sklstm.LSTMRegressor`), several stacked layers
(:class:`~sklstm.StackedLSTMRegressor`) and a bidirectional layer that reads
each window forward and backward (:class:`~sklstm.BiLSTMRegressor`). This
example cross-validates the three in the same time-ordered folds on the daily
Seattle weather, forecasting tomorrow's maximum temperature from all four
numeric features, and plots the training history of one fit.
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
# Four features, one target
# -------------------------
#
# The categorical ``weather`` label is dropped; precipitation, maximum and
# minimum temperature and wind remain. :func:`~sklstm.make_supervised` keeps
# all four as inputs and pairs each day with the next day's ``temp_max``.
from sklstm import make_supervised
from sklstm.datasets import load_seattle_weather

weather = load_seattle_weather().drop(columns="weather")
if FAST:
    weather = weather.iloc[-400:]
X, y = make_supervised(weather, target="temp_max", horizon=1)
print(list(X.columns), X.shape)

# %%
# Three networks, one pipeline
# ----------------------------
#
# Each network sits in the same :func:`~sklstm.make_lstm_pipeline`: a scaler
# fitted on the training rows of each fold, a 14-day look-back window, then
# the regressor. The training settings are shared, so only the architecture
# differs. The stacked network has two layers of the same size; the
# bidirectional one has that many cells in each direction.
from sklstm import (
    BiLSTMRegressor,
    LSTMRegressor,
    StackedLSTMRegressor,
    make_lstm_pipeline,
)

window = 14
units = 8 if FAST else 32
training = dict(
    epochs=2 if FAST else 50,
    early_stopping=not FAST,
    patience=5,
    random_state=0,
)
models = {
    "LSTM": make_lstm_pipeline(window, LSTMRegressor(units, **training)),
    "stacked LSTM (2 layers)": make_lstm_pipeline(
        window, StackedLSTMRegressor(units, num_layers=2, **training)
    ),
    "bidirectional LSTM": make_lstm_pipeline(
        window, BiLSTMRegressor(units, **training)
    ),
}

# %%
# Time-ordered cross-validation
# -----------------------------
#
# :class:`~sklearn.model_selection.TimeSeriesSplit` trains every fold on the
# past and tests it on the days that follow; with a one-day horizon no gap is
# needed. Every model sees exactly the same folds.
from sklearn.model_selection import TimeSeriesSplit, cross_validate

cv = TimeSeriesSplit(n_splits=2 if FAST else 4)
results = {
    name: cross_validate(model, X, y, cv=cv, scoring="neg_mean_absolute_error")
    for name, model in models.items()
}

# %%
# The table
# ---------
#
# The mean absolute error in degrees Celsius, its spread over the folds, and
# the mean time to fit one fold.
import pandas as pd

table = pd.DataFrame(
    {
        name: {
            "MAE mean": -res["test_score"].mean(),
            "MAE std": res["test_score"].std(),
            "fit time (s)": res["fit_time"].mean(),
        }
        for name, res in results.items()
    }
).T
print(table.round(3).to_string())

# %%
# The training history of one fit
# -------------------------------
#
# :func:`~sklstm.plotting.plot_history` draws the loss of each epoch of a
# fitted pipeline's regressor. With early stopping it also shows the
# validation loss of the held-out windows and marks the epoch kept for the
# final training. Here the bidirectional network, fitted on all the rows but
# the last fold's test period.
from sklstm.plotting import plot_history

train, test = list(cv.split(X))[-1]
bilstm = models["bidirectional LSTM"].fit(X.iloc[train], y.iloc[train])
ax = plot_history(bilstm)
ax.set_title("Bidirectional LSTM, training history")

# %%
# Conclusion
# ----------
#
# The three architectures plug into the same pipeline and the same
# cross-validation, so comparing them costs a dictionary. Read the table for
# the error *and* its spread: a deeper or bidirectional network is worth its
# longer fit time only when its mean error improves by more than the spread
# over the folds. On a short, noisy daily target such as tomorrow's maximum
# temperature, expect the differences to be small, and check the history
# plot: a validation loss that rises while the training loss falls means the
# bigger network is fitting noise.
