"""
Grid search over the window and the units
=========================================

The window length and the size of the network are the two choices that matter
most for an LSTM forecaster, and they interact: a longer window gives the
network more to remember. This example searches both at once with
scikit-learn's :class:`~sklearn.model_selection.GridSearchCV` on the daily
maximum temperature in Seattle. The scaler and the windower sit inside the
pipeline, so every candidate is refitted per time-ordered fold without leakage,
and the grid addresses the pipeline's steps by name (``windower__window``,
``regressor__units``) as it would any scikit-learn pipeline.
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# ``SKLSTM_EXAMPLES_FAST=1`` shortens the series, the grid and the training so
# that the script finishes in seconds.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# The data
# --------
#
# Four daily weather features, the target being tomorrow's maximum
# temperature. :func:`~sklstm.make_supervised` pairs each day with the next
# once, before any split.
from sklstm import make_supervised
from sklstm.datasets import load_seattle_weather

weather = load_seattle_weather().drop(columns="weather")
if FAST:
    weather = weather.iloc[-500:]
X, y = make_supervised(weather, target="temp_max", horizon=1)
print(X.shape, y.shape)

# %%
# The grid
# --------
#
# :func:`~sklstm.make_lstm_pipeline` names its steps ``scaler``, ``windower``
# and ``regressor``. The folds come from
# :class:`~sklearn.model_selection.TimeSeriesSplit`: each candidate trains on
# the past and is scored on the period right after it, never on a shuffled
# sample.
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import LSTMRegressor, make_lstm_pipeline

pipe = make_lstm_pipeline(
    14,
    LSTMRegressor(
        epochs=2 if FAST else 100,
        early_stopping=not FAST,
        random_state=0,
    ),
)
grid = {
    "windower__window": [7, 14] if FAST else [7, 14, 28],
    "regressor__units": [8] if FAST else [16, 32, 64],
}
search = GridSearchCV(
    pipe,
    grid,
    cv=TimeSeriesSplit(n_splits=2 if FAST else 3, test_size=60 if FAST else 180),
    scoring="neg_mean_absolute_error",
)
search.fit(X, y)

# %%
# The results
# -----------
#
# ``cv_results_`` holds one row per candidate. The scores are negated MAE, in
# degrees C, so the best is the largest.
import pandas as pd

results = pd.DataFrame(search.cv_results_)
columns = ["param_windower__window", "param_regressor__units", "mean_test_score"]
print(results[columns].sort_values("mean_test_score", ascending=False))
print("best:", search.best_params_, f"MAE {-search.best_score_:.3f}")

# %%
# A heat map of the grid shows whether the two choices interact.
import matplotlib.pyplot as plt

table = results.pivot(
    index="param_windower__window",
    columns="param_regressor__units",
    values="mean_test_score",
)
fig, ax = plt.subplots(figsize=(5, 3.5))
image = ax.imshow(-table.to_numpy(dtype=float), cmap="viridis_r")
ax.set_xticks(range(table.shape[1]), table.columns)
ax.set_yticks(range(table.shape[0]), table.index)
ax.set_xlabel("units")
ax.set_ylabel("window (days)")
ax.set_title("cross-validated MAE (degrees C)")
fig.colorbar(image, ax=ax)
fig.tight_layout()

# %%
# The refitted model
# ------------------
#
# ``best_estimator_`` is the best pipeline refitted on every row; it
# forecasts tomorrow from the last days of the data.
tomorrow = search.best_estimator_.predict(weather.iloc[-28:])[-1]
print(f"forecast for the day after {weather.index[-1]:%Y-%m-%d}: {tomorrow:.1f} C")

# %%
# Conclusion
# ----------
#
# A grid over whole pipelines costs no more code than any scikit-learn search:
# name the step, list the values, and pass a time-ordered splitter. Read the
# table rather than the winner alone: when neighbouring candidates score
# within the spread of the folds (``std_test_score``), prefer the smaller
# network and the shorter window, which train faster. For larger spaces,
# or to let successive halving spend the epochs, use
# :class:`~sklstm.tuning.KerasTunerSearchCV` (see the tuning example).
