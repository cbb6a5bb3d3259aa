"""
The LSTM gates step by step, checked against Keras
==================================================

An LSTM cell is four small layers (the forget, input and output gates and the
candidate) and two element-wise updates (the cell state and the hidden
state). :mod:`sklstm.gates` writes them in plain NumPy, in the weight layout
Keras uses. This example fits an :class:`~sklstm.LSTMRegressor` on the daily
maximum temperature in Seattle, reads the weights of its LSTM layer, recomputes
the layer one gate and one time step at a time, and checks each result against
Keras numerically. It ends by drawing the cell and the gates of the fitted
network over a window with :mod:`sklstm.plotting`.
"""

# SPDX-License-Identifier: BSD-3-Clause

# %%
# Fast mode
# ---------
#
# ``SKLSTM_EXAMPLES_FAST=1`` shortens the series and the training; the gate
# math is checked the same way in both modes.
import os

FAST = os.environ.get("SKLSTM_EXAMPLES_FAST") == "1"

# %%
# The LSTM cell
# -------------
#
# :func:`~sklstm.plotting.plot_lstm_cell` draws what flows through one cell at
# step ``t``: the inputs ``x_t`` and the previous hidden state ``h_{t-1}``
# feed the four gates; the cell state ``c`` runs along the top, scaled by the
# forget gate ``f_t`` and added to by the input gate ``i_t`` times the
# candidate ``g_t``; the output gate ``o_t`` decides how much of
# ``tanh(c_t)`` leaves as ``h_t``.
import matplotlib.pyplot as plt

from sklstm.plotting import plot_lstm_cell

fig, ax = plt.subplots(figsize=(8, 4.5))
plot_lstm_cell(ax=ax)

# %%
# Fit a small LSTM
# ----------------
#
# A pipeline from :func:`~sklstm.make_lstm_pipeline` scales the temperatures,
# cuts 14-day windows and fits an LSTM of 8 units that forecasts the next day.
from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised
from sklstm.datasets import load_seattle_weather

temp_max = load_seattle_weather()["temp_max"]
if FAST:
    temp_max = temp_max.iloc[-400:]
X, y = make_supervised(temp_max, horizon=1)

window = 14
pipe = make_lstm_pipeline(
    window,
    # No linear path beside the LSTM (the default adds one): the head then
    # reads the LSTM's last state alone, which is what is rebuilt by hand below.
    LSTMRegressor(
        units=8,
        epochs=2 if FAST else 40,
        early_stopping=not FAST,
        linear_skip=None,
        random_state=0,
    ),
)
pipe.fit(X, y)
regressor = pipe[-1]
print([type(layer).__name__ for layer in regressor.model_.layers])

# %%
# The windows the network reads are those of the pipeline's first steps. We
# take the last 64 of them, which all have a full 14-day history (no padding),
# as float32, the dtype of the weights.
import numpy as np

windows = np.asarray(pipe[:-1].transform(X), dtype="float32")[-64:]
print(windows.shape)  # (n_samples, n_timesteps, n_features)

# %%
# The weights, in Keras's layout
# ------------------------------
#
# :meth:`~sklstm.gates.LSTMWeights.from_keras` reads the three arrays of a
# ``keras.layers.LSTM``: ``kernel`` (inputs to gates), ``recurrent_kernel``
# (hidden state to gates) and ``bias``, each with the four gates side by side
# in Keras's order input, forget, candidate, output. The views ``w.forget``
# and so on slice out one gate's ``(W, U, b)``.
import keras

from sklstm import gates

lstm_layer = next(
    layer for layer in regressor.model_.layers if isinstance(layer, keras.layers.LSTM)
)
w = gates.LSTMWeights.from_keras(lstm_layer)
print(w)
print(
    "kernel",
    w.kernel.shape,
    "recurrent",
    w.recurrent_kernel.shape,
    "bias",
    w.bias.shape,
)

# %%
# The first step, gate by gate
# ----------------------------
#
# Keras starts from zero states. With row vectors, as in Keras, a gate is
# ``sigma(x_t W + h_{t-1} U + b)``; the candidate uses ``tanh`` instead.
x_t = windows[:, 0]
h_prev = np.zeros((len(windows), w.units), dtype="float32")
c_prev = np.zeros_like(h_prev)

W_f, U_f, b_f = w.forget
W_i, U_i, b_i = w.input
W_c, U_c, b_c = w.candidate
W_o, U_o, b_o = w.output

f = gates.sigmoid(x_t @ W_f + h_prev @ U_f + b_f)  # how much old memory to keep
i = gates.sigmoid(x_t @ W_i + h_prev @ U_i + b_i)  # how much new content to write
g = np.tanh(x_t @ W_c + h_prev @ U_c + b_c)  # the new content
o = gates.sigmoid(x_t @ W_o + h_prev @ U_o + b_o)  # how much memory to show
c = f * c_prev + i * g  # the cell update
h = o * np.tanh(c)  # the hidden state, the output of the step

# %%
# The same with the named functions of :mod:`sklstm.gates`, and against a
# Keras layer run on the first step alone (a one-step sequence):
from keras import ops

one_step = ops.convert_to_numpy(lstm_layer(windows[:, :1]))
checks = {
    "forget_gate": np.abs(f - gates.forget_gate(x_t, h_prev, w)).max(),
    "input_gate": np.abs(i - gates.input_gate(x_t, h_prev, w)).max(),
    "candidate": np.abs(g - gates.candidate(x_t, h_prev, w)).max(),
    "output_gate": np.abs(o - gates.output_gate(x_t, h_prev, w)).max(),
    "cell_update": np.abs(c - gates.cell_update(c_prev, f, i, g)).max(),
    "hidden_state": np.abs(h - gates.hidden_state(o, c)).max(),
    "h_1 vs Keras": np.abs(h - one_step).max(),
}
for name, diff in checks.items():
    print(f"{name:>14}: max abs diff {diff:.2e}")

# %%
# The whole window, step by step
# ------------------------------
#
# :func:`~sklstm.gates.lstm_step` is one step of the cell; looping it over the
# 14 days of each window gives the last hidden state, which is what the LSTM
# layer (``return_sequences=False``) returns.
h, c = h_prev, c_prev
for t in range(window):
    h, c, step_gates = gates.lstm_step(windows[:, t], h, c, w)

h_keras = ops.convert_to_numpy(lstm_layer(windows))
print(f"loop of lstm_step vs Keras: max abs diff {np.abs(h - h_keras).max():.2e}")

h_forward = gates.lstm_forward(windows, w)
print(
    f"lstm_forward vs Keras:      max abs diff {np.abs(h_forward - h_keras).max():.2e}"
)

# %%
# From the hidden state to the forecast
# -------------------------------------
#
# The network's head is a Dense layer on the last hidden state. Applying its
# kernel and bias to our NumPy ``h`` reproduces the output of the whole Keras
# model (in standardised units, since the regressor trains on a standardised
# target).
head = regressor.model_.layers[-1]
head_kernel, head_bias = (ops.convert_to_numpy(v) for v in head.weights)
out_numpy = h @ head_kernel + head_bias
out_keras = ops.convert_to_numpy(regressor.model_(windows))
diff = np.abs(out_numpy - out_keras).max()
print(f"NumPy network vs Keras model: max abs diff {diff:.2e}")

# %%
# Padding and masking
# -------------------
#
# The first ``window - 1`` windows of a series are left-padded with NaN, and
# the regressor masks those steps: the cell skips them and carries its state
# over. :func:`~sklstm.gates.lstm_forward` takes the same mask. Keras's model
# (its first layer turns NaN into a mask) agrees on the padded windows too.
first = np.asarray(pipe[:-1].transform(X), dtype="float32")[:window]
mask = ~np.isnan(first).any(axis=-1)
h_masked = gates.lstm_forward(np.nan_to_num(first), w, mask=mask)
out_masked = h_masked @ head_kernel + head_bias
diff = np.abs(out_masked - ops.convert_to_numpy(regressor.model_(first))).max()
print(f"padded windows, NumPy vs Keras: max abs diff {diff:.2e}")

# %%
# The gates of the fitted network
# -------------------------------
#
# :meth:`~sklstm.LSTMRegressor.gate_activations` computes every gate at every
# step with :mod:`sklstm.gates`, and
# :func:`~sklstm.plotting.plot_gate_activations` draws them as heatmaps for one
# window: here the most recent one, given the pipeline's input rows.
from sklstm.plotting import plot_gate_activations

activations = regressor.gate_activations(windows)
print({name: values.shape for name, values in activations.items()})
fig = plot_gate_activations(pipe, X.iloc[-60:], sample=-1)

# %%
# Conclusion
# ----------
#
# The LSTM layer of a fitted sklstm regressor is exactly the textbook cell:
# four gates from ``x_t W + h_{t-1} U + b``, a cell state scaled by the forget
# gate and written through the input gate, and a hidden state read through the
# output gate. Recomputed in NumPy with :mod:`sklstm.gates`, it matches Keras
# to float32 round-off (differences around ``1e-7``), on full windows and on
# masked, padded ones, which is what lets the regressors predict small batches
# without calling Keras and lets you look inside any fitted network.
