"""
Tuning the window and the network together
==========================================

How far back should an LSTM look, and how many cells does it need? The two
choices interact: a longer window gives the network more to remember, which may
call for more units. This example tunes the look-back window of
:class:`~sklstm.SequenceWindower` and the ``units`` of
:class:`~sklstm.LSTMRegressor` jointly with
:class:`~sklstm.tuning.KerasTunerSearchCV`, scoring every configuration by
time-ordered cross-validation on the daily maximum temperature in Seattle. The
tuned pipeline is then compared with the default one on a final test period
that the search never saw.
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# The gallery runs every example. Setting ``SKLSTM_EXAMPLES_FAST=1`` shrinks
# the series, the epochs and the search budget so that the script finishes in
# seconds; the conclusions below are about the full run.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# Load the data
# -------------
#
# The Seattle weather data ship with sklstm: 1461 days of observations from
# 2012 to 2015. We forecast tomorrow's maximum temperature from the history of
# the maximum temperature itself. :func:`~sklstm.make_supervised` pairs each
# day with the next day's value, once, before any split.
from sklstm import make_supervised
from sklstm.datasets import load_seattle_weather

weather = load_seattle_weather()
temp_max = weather["temp_max"]
if FAST:
    temp_max = temp_max.iloc[-400:]

X, y = make_supervised(temp_max, horizon=1)
print(X.shape, y.shape)

# %%
# Hold out a final test period
# ----------------------------
#
# The last 20% of the days are set aside. The search cross-validates on the
# first 80% only, so the test period gives an unbiased comparison of the tuned
# and the default pipelines. The split is in time order: the test days all
# follow the training days.
n_test = len(X) // 5
X_train, X_test = X.iloc[:-n_test], X.iloc[-n_test:]
y_train, y_test = y.iloc[:-n_test], y.iloc[-n_test:]
print(f"train: {X_train.index[0]:%Y-%m-%d} to {X_train.index[-1]:%Y-%m-%d}")
print(f"test:  {X_test.index[0]:%Y-%m-%d} to {X_test.index[-1]:%Y-%m-%d}")

# %%
# The pipeline to tune
# --------------------
#
# :func:`~sklstm.make_lstm_pipeline` chains a scaler, the windower and the
# regressor, so the scaler is fitted on the training rows of each fold only.
# Its steps are named ``scaler``, ``windower`` and ``regressor``, which gives
# the search its parameter names: ``windower__window`` and
# ``regressor__units``.
from sklstm import LSTMRegressor, make_lstm_pipeline

epochs = 2 if FAST else 30
regressor = LSTMRegressor(
    units=32, epochs=epochs, early_stopping=not FAST, patience=5, random_state=0
)
pipe = make_lstm_pipeline(14, regressor)
print(pipe)

# %%
# Search the window and the units
# -------------------------------
#
# A list is shorthand for a :class:`~sklstm.tuning.Choice`. Random search
# draws ``max_trials`` configurations out of the nine combinations. Each one
# is scored by :class:`~sklearn.model_selection.TimeSeriesSplit`, so every
# fold trains on the past and is tested on the future; the mean absolute error
# is the score (negated, so that higher is better, as in scikit-learn).
from sklearn.model_selection import TimeSeriesSplit

from sklstm.tuning import Choice, KerasTunerSearchCV

search_space = {
    "windower__window": Choice([7, 14, 28]),
    "regressor__units": [16, 32, 64],
}
search = KerasTunerSearchCV(
    pipe,
    search_space,
    tuner="random",
    max_trials=2 if FAST else 6,
    cv=TimeSeriesSplit(n_splits=2 if FAST else 3),
    scoring="neg_mean_absolute_error",
    random_state=0,
)
search.fit(X_train, y_train)
print(search.best_params_, search.best_score_)

# %%
# Every trial is a row of ``cv_results_``, with the keys of
# :class:`~sklearn.model_selection.GridSearchCV`, so it reads into a table.
import pandas as pd

results = pd.DataFrame(search.cv_results_)
columns = [
    "param_windower__window",
    "param_regressor__units",
    "mean_test_score",
    "std_test_score",
    "rank_test_score",
    "mean_fit_time",
]
print(results[columns].sort_values("rank_test_score").to_string())

# %%
# Tuned against default on the test period
# ----------------------------------------
#
# The search refitted its best configuration on all the training rows
# (``best_estimator_``). The default pipeline, ``make_lstm_pipeline(14)`` with
# the same training settings, is fitted on the same rows. Both then forecast
# the held-out test period, and we compare their mean absolute errors with
# that of the naive forecast "tomorrow is like today".
from sklearn.base import clone
from sklearn.metrics import mean_absolute_error

default = clone(pipe).fit(X_train, y_train)

tuned_pred = search.predict(X_test)
default_pred = default.predict(X_test)
naive_pred = X_test["temp_max"].to_numpy()

scores = pd.Series(
    {
        "tuned LSTM": mean_absolute_error(y_test, tuned_pred),
        "default LSTM (window=14)": mean_absolute_error(y_test, default_pred),
        "naive (last value)": mean_absolute_error(y_test, naive_pred),
    },
    name="test MAE (degrees C)",
)
print(scores.round(3).to_string())

# %%
# Plot the test period
# --------------------
#
# :func:`~sklstm.plotting.plot_forecast` draws the tuned forecasts against the
# observed temperatures of the test period.
from sklstm.plotting import plot_forecast

tuned_series = pd.Series(tuned_pred, index=y_test.index)
ax = plot_forecast(y_test, tuned_series, labels=("observed", "tuned LSTM"))
ax.set_ylabel("maximum temperature (degrees C)")
ax.set_title("Next-day forecast on the held-out test period")

# %%
# Conclusion
# ----------
#
# :class:`~sklstm.tuning.KerasTunerSearchCV` searches any parameter of a whole
# pipeline, so the window and the network are tuned together, with time-ordered
# folds and the scaler refitted inside each of them. Keep a final test period
# out of the search to judge the tuned model honestly: the best
# cross-validation score is optimistic, since it was picked among several. On
# a noisy daily series such as this one, the tuned and the default LSTMs are
# often close to each other and to the naive forecast; the search mainly
# protects against a poor window rather than finding a much better network.
