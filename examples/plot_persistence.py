"""
Saving and reloading a fitted LSTM pipeline
===========================================

A forecaster is trained once and used many times. This example fits the LSTM
pipeline of :func:`~sklstm.make_lstm_pipeline` on the daily maximum
temperature in Seattle, saves it to a temporary directory with :mod:`joblib`
and with :mod:`pickle`, reloads both copies, checks that they predict exactly
what the original predicts, and uses the reloaded model to forecast the days
after the data end.
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
# Fit a pipeline
# --------------
#
# The usual one-step forecaster: :func:`~sklstm.make_supervised` pairs each
# day with the next, and the pipeline scales, windows (14 days) and fits an
# :class:`~sklstm.LSTMRegressor`.
from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised
from sklstm.datasets import load_seattle_weather

temp_max = load_seattle_weather()["temp_max"]
if FAST:
    temp_max = temp_max.iloc[-400:]
X, y = make_supervised(temp_max, horizon=1)

pipe = make_lstm_pipeline(
    14,
    LSTMRegressor(
        units=16 if FAST else 32,
        epochs=2 if FAST else 50,
        early_stopping=not FAST,
        patience=5,
        random_state=0,
    ),
)
pipe.fit(X, y)
y_pred = pipe.predict(X)

# %%
# Save with joblib and with pickle
# --------------------------------
#
# The whole pipeline is saved, not the Keras network alone: the scaler and
# the window length are part of the model, and a network reloaded without
# them would read unscaled inputs. The sklstm regressors pickle with their
# Keras model inside, so :func:`joblib.dump` and :func:`pickle.dump` both
# work on the fitted pipeline.
import pickle
import tempfile
from pathlib import Path

import joblib

tmp = tempfile.TemporaryDirectory()
folder = Path(tmp.name)
joblib.dump(pipe, folder / "lstm_pipeline.joblib")
with open(folder / "lstm_pipeline.pkl", "wb") as f:
    pickle.dump(pipe, f)
for path in sorted(folder.iterdir()):
    print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")

# %%
# Reload and compare
# ------------------
#
# Both copies must give the original's predictions exactly, not merely
# approximately: the weights are restored bit for bit.
import numpy as np

from_joblib = joblib.load(folder / "lstm_pipeline.joblib")
with open(folder / "lstm_pipeline.pkl", "rb") as f:
    from_pickle = pickle.load(f)

for name, model in (("joblib", from_joblib), ("pickle", from_pickle)):
    np.testing.assert_array_equal(model.predict(X), y_pred)
    print(f"{name}: identical predictions on {len(X)} rows")
tmp.cleanup()

# %%
# Forecast with the reloaded model
# --------------------------------
#
# The reloaded pipeline is an ordinary fitted estimator.
# :func:`~sklstm.recursive_forecast` feeds its one-step forecasts back to
# forecast the week after the last observation, and
# :func:`~sklstm.plotting.plot_forecast` shades the forecast period.
import pandas as pd

from sklstm import recursive_forecast
from sklstm.plotting import plot_forecast

week = recursive_forecast(from_joblib, temp_max, steps=7)
print(week.round(1).to_string())

recent = temp_max.iloc[-42:]
next_day = pd.Series(from_joblib.predict(temp_max.to_frame()), index=temp_max.index)
forecast = pd.concat([next_day.shift(1).iloc[-42:], week])
ax = plot_forecast(recent, forecast, labels=("observed", "reloaded LSTM"))
ax.set_ylabel("maximum temperature (degrees C)")

# %%
# Conclusion
# ----------
#
# A fitted sklstm pipeline saves and reloads like any scikit-learn estimator,
# with :mod:`joblib` or :mod:`pickle`, and the reloaded copy predicts exactly
# what the original did. Save the whole pipeline, so that the scaling and the
# window travel with the network, and load it only from a trusted source:
# unpickling can run arbitrary code. A pickle is tied to the versions of
# sklstm, scikit-learn and Keras that wrote it; retrain, or keep the versions
# pinned, when they change.
