"""A fitted Keras network run through :mod:`sklstm.gates`, without Keras.

For the networks :func:`sklstm._networks.build_network` builds (masking, LSTM
or GRU layers, plain or bidirectional, a linear skip, a linear head, the
sorted quantiles of a quantile head),
:func:`numpy_forward` gives the network's output to float32 round-off without
Keras's fixed cost per call; :func:`gate_activations` opens up the first
recurrent layer step by step. Any other network is left to Keras
(:func:`supports_numpy_forward` says which).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from . import gates
from ._known_future import future_inputs, future_term
from ._levels import relative_window, skip_inputs
from ._networks import (
    ForecastSteps,
    LinearSkip,
    NaNMask,
    PastSteps,
    RelativeToLast,
    last_observed,
    recurrent_layers,
    window_spread,
)
from ._quantiles import MonotoneQuantiles, monotone_quantiles

__all__ = ["gate_activations", "numpy_forward", "supports_numpy_forward"]

#: Layers that the NumPy forward pass reproduces, besides the recurrent ones.
_PLAIN_LAYERS = (
    layers.InputLayer,
    RelativeToLast,
    NaNMask,
    LinearSkip,
    layers.Concatenate,
    MonotoneQuantiles,
    PastSteps,
    ForecastSteps,
    layers.Flatten,
    layers.Add,
)


def _weights_of(layer):
    """The :mod:`sklstm.gates` weights of one Keras LSTM or GRU layer."""
    if isinstance(layer, layers.GRU):
        return gates.GRUWeights.from_keras(layer)
    return gates.LSTMWeights.from_keras(layer)


def _directions(layer):
    if isinstance(layer, layers.Bidirectional):
        return [layer.forward_layer, layer.backward_layer]
    return [layer]


def _head(model):
    return model.get_layer("head")


def supports_numpy_forward(model):
    """Whether :func:`numpy_forward` reproduces ``model``.

    True for the networks of :func:`sklstm._networks.build_network` whose
    activations :mod:`sklstm.gates` knows; False for any other network.
    """
    recurrent = recurrent_layers(model)
    known = (*_PLAIN_LAYERS, *(type(layer) for layer in recurrent), layers.Dense)
    if not recurrent or not all(isinstance(layer, known) for layer in model.layers):
        return False
    try:
        for layer in recurrent:
            for direction in _directions(layer):
                _weights_of(direction)
        head = _head(model)
    except (TypeError, ValueError):
        return False
    return head.activation is keras.activations.linear


def _relative(model, X):
    """What the model's :class:`RelativeToLast` layer gives for ``X``, if any."""
    found = [layer for layer in model.layers if isinstance(layer, RelativeToLast)]
    if not found:
        return X
    spread = window_spread(X, np) if found[0].scaled else None
    last = last_observed(X, np)
    return relative_window(X, last, spread, found[0].static).astype(X.dtype)


def _observed(model, X):
    """Zero-filled inputs and the step mask that :class:`NaNMask` would give,
    for windows ``X`` as the recurrent layers read them (:func:`_relative`)."""
    if not any(isinstance(layer, NaNMask) for layer in model.layers):
        return X, None
    missing = np.isnan(X)
    return np.where(missing, 0, X).astype(X.dtype), ~missing.any(axis=-1)


def numpy_forward(model, X):
    """The network's output for ``X``, computed with :mod:`sklstm.gates`.

    Equal to ``model.predict(X)`` to float32 round-off, without Keras's fixed
    cost per call (tracing, dataset setup), which dominates small calls.
    """
    X = np.asarray(X, dtype=np.float32)
    steps = _forecast_steps(model)
    future = None
    if steps is not None:
        X, future = X[:, : -steps.n_future], X[:, -steps.n_future :]
        future = future_inputs(
            X,
            future,
            steps.relative,
            lambda x: last_observed(x, np),
            (lambda x: window_spread(x, np)) if steps.scaled else None,
        )
    relative = _relative(model, X)  # what the recurrent layers read
    x, mask = _observed(model, relative)
    for layer in recurrent_layers(model):
        if isinstance(layer, layers.Bidirectional):
            x = gates.bidirectional_forward(
                x,
                _weights_of(layer.forward_layer),
                _weights_of(layer.backward_layer),
                merge_mode=layer.merge_mode,
                mask=mask,
                return_sequences=layer.return_sequences,
            )
        else:
            forward = (
                gates.gru_forward
                if isinstance(layer, layers.GRU)
                else gates.lstm_forward
            )
            x = forward(
                x,
                _weights_of(layer),
                mask=mask,
                return_sequences=layer.return_sequences,
            )
    skip = _linear_skip(model, X, relative)
    if skip is not None:
        x = np.concatenate([x, skip], axis=1)
    kernel, bias = _head(model).get_weights()
    out = x @ kernel + bias
    if future is not None:
        hidden = model.get_layer("future_hidden").get_weights()
        last = model.get_layer("future_head").get_weights()
        out = out + future_term(x, future, hidden, last)
    for layer in model.layers:
        if isinstance(layer, MonotoneQuantiles):
            out = monotone_quantiles(out, layer.n_quantiles, np)
    return out


def _forecast_steps(model):
    """The model's :class:`ForecastSteps` layer, or None."""
    found = [layer for layer in model.layers if isinstance(layer, ForecastSteps)]
    return found[0] if found else None


def _linear_skip(model, X, relative):
    """What the model's :class:`LinearSkip` layer gives for ``X`` (whose
    relative form is ``relative``), or None."""
    skips = [layer for layer in model.layers if isinstance(layer, LinearSkip)]
    if not skips:
        return None
    mode = skips[0].mode
    return skip_inputs(relative if mode == "relative" else X, mode)


def gate_activations(model, X):
    """Per-step gates and states of the first recurrent layer.

    For a :class:`keras.layers.Bidirectional` layer, its forward direction. At
    masked steps the gates are NaN and the states carry over, as in Keras. An
    LSTM gives ``input``, ``forget``, ``candidate``, ``output``, ``cell`` and
    ``hidden``; a GRU gives ``update``, ``reset``, ``candidate`` and
    ``hidden``.
    """
    first = _directions(recurrent_layers(model)[0])[0]
    weights = _weights_of(first)
    x, mask = _observed(model, _relative(model, np.asarray(X, dtype=np.float32)))
    n_samples, n_steps, _ = x.shape
    is_gru = isinstance(first, layers.GRU)
    h = np.zeros((n_samples, weights.units), dtype=x.dtype)
    c = np.zeros_like(h)
    gate_names = (
        ("update", "reset", "candidate")
        if is_gru
        else ("input", "forget", "candidate", "output")
    )
    state_names = ("hidden",) if is_gru else ("cell", "hidden")
    out = {
        name: np.empty((n_samples, n_steps, weights.units), x.dtype)
        for name in (*gate_names, *state_names)
    }
    for t in range(n_steps):
        keep = np.ones((n_samples, 1), bool) if mask is None else mask[:, t, None]
        if is_gru:
            h_new, step_gates = gates.gru_step(x[:, t], h, weights)
            h = np.where(keep, h_new, h)
            states = (h,)
        else:
            h_new, c_new, step_gates = gates.lstm_step(x[:, t], h, c, weights)
            h, c = np.where(keep, h_new, h), np.where(keep, c_new, c)
            states = (c, h)
        for name, value in zip(gate_names, step_gates, strict=True):
            out[name][:, t] = np.where(keep, value, np.nan)
        for name, value in zip(state_names, states, strict=True):
            out[name][:, t] = value
    return out
