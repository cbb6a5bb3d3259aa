"""
Windowing a real series
=======================

An LSTM reads a window of past observations and forecasts what comes next.
Turning a time-ordered table into such windows takes two steps in sklstm:
:func:`~sklstm.make_supervised` pairs each row with its target once, before
any split, and :class:`~sklstm.SequenceWindower` cuts the look-back windows
inside the pipeline. This example walks through both on the Seattle daily
weather: the 3-D windows an LSTM reads, the flattened lag matrix with named
columns for a tabular model, the padding of the first rows, and the guarantee
that no window looks ahead.
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# This example trains no network, so it is fast in both modes;
# ``SKLSTM_EXAMPLES_FAST=1`` only shortens the plotted period.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# The data
# --------
#
# Four numeric columns of daily weather, one row per day, oldest first. The
# categorical ``weather`` label is left out here: the windower takes numbers.
from sklstm.datasets import load_seattle_weather

weather = load_seattle_weather()
features = weather[["temp_max", "temp_min", "precipitation", "wind"]]
print(features.head())

# %%
# Pair each day with tomorrow
# ---------------------------
#
# :func:`~sklstm.make_supervised` keeps all the features as inputs and takes
# the target ``temp_max`` one row later. The index of ``X`` and ``y`` is the
# forecast *origin*: the row dated 2012-01-01 holds that day's observations
# and the maximum temperature of 2012-01-02. The last day has no target, so it
# is dropped: this is the only place where rows are dropped.
import pandas as pd

from sklstm import make_supervised

X, y = make_supervised(features, target="temp_max", horizon=1)
print(len(features), "days ->", len(X), "rows")
print(pd.concat([X[["temp_max"]], y.rename("target")], axis=1).head())

# %%
# Windows for an LSTM
# -------------------
#
# :class:`~sklstm.SequenceWindower` returns one window per row, of shape
# ``(window, n_features)``, oldest step first. There are as many windows as
# rows, so predictions stay aligned with ``y`` inside a pipeline.
from sklstm import SequenceWindower

windower = SequenceWindower(window=7)
windows = windower.fit_transform(X)
print(windows.shape)  # (n_samples, window, n_features)

# %%
# The window of the last row ends with that day's observations and starts six
# days earlier. The output is a read-only view over one padded copy of the
# data, not seven copies.
print(windows[-1])
print(X.iloc[-7:].to_numpy())
print("read-only view:", not windows.flags.writeable)

# %%
# Padding: the first rows
# -----------------------
#
# The first ``window - 1`` rows have less than a week of history. Their
# missing steps are NaN by default, which the sklstm regressors mask; a
# tabular model needs a number instead, e.g. ``fill_value=0.0`` after
# scaling.
import numpy as np

print(windows[0])
n_padded = np.isnan(windows).any(axis=(1, 2)).sum()
print("windows with padding:", n_padded)

# %%
# No look-ahead
# -------------
#
# A window depends only on its own row and the rows before it. Changing the
# future leaves every earlier window untouched: here the last 100 days are
# overwritten, and the windows before them do not change.
X_changed = X.copy()
X_changed.iloc[-100:] = 0.0
windows_changed = windower.transform(X_changed)
unchanged = np.array_equal(windows[:-100], windows_changed[:-100], equal_nan=True)
print("earlier windows unchanged:", unchanged)

# %%
# A lag matrix with named columns
# -------------------------------
#
# With ``flatten=True`` the windower returns a 2-D lag matrix for any tabular
# regressor, time-major: all features of the oldest step first, ending with
# the current row. With pandas output the columns are named
# ``<feature>_lag<k>``, ``k`` steps before the row.
lags = SequenceWindower(window=3, flatten=True).set_output(transform="pandas")
lag_table = lags.fit_transform(X)
print(list(lags.get_feature_names_out()))
print(lag_table[["temp_max_lag2", "temp_max_lag1", "temp_max_lag0"]].head())

# %%
# Inside a pipeline
# -----------------
#
# Scaling belongs before the windower in the same pipeline, so that its
# statistics come from the training rows of each fold only.
# :func:`~sklstm.make_lstm_pipeline` builds that pipeline; with a tabular
# regressor the windower flattens.
from sklearn.linear_model import Ridge

from sklstm import make_lstm_pipeline

pipe = make_lstm_pipeline(7, Ridge(), fill_value=0.0)
pipe.set_output(transform="pandas")
lagged = pipe[:-1].fit_transform(X)
print(lagged.shape)
print(list(lagged.columns[-4:]))

# %%
# Seeing one window
# -----------------
#
# The window of one day and its target, next to the series.
import matplotlib.pyplot as plt

period = features["temp_max"].loc["2015-06-01" : "2015-06-20" if FAST else "2015-07-31"]
origin = pd.Timestamp("2015-06-15")
row = X.index.get_loc(origin)
window_days = X.index[row - 6 : row + 1]

fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(period.index, period, color="0.6", marker=".", label="temp_max")
ax.plot(window_days, windows[row, :, 0], "o-", color="C0", label="7-day window")
ax.plot(
    origin + pd.Timedelta(days=1), y.iloc[row], "*", ms=14, color="C3", label="target"
)
ax.set_ylabel("maximum temperature (degrees C)")
ax.set_title(f"The window of {origin:%Y-%m-%d} and its target")
ax.legend()

# %%
# Conclusion
# ----------
#
# :func:`~sklstm.make_supervised` builds the targets once, before splitting;
# :class:`~sklstm.SequenceWindower` cuts the windows inside the pipeline, one
# per row, padded at the start and never looking ahead. The same windower
# feeds an LSTM (3-D windows) or any tabular model (a lag matrix with named
# columns), so both can be compared in the same cross-validation.
