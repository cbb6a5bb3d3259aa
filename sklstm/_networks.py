"""Pure Keras model builders: the only place that knows Keras layers.

The estimators and the tuning module call :func:`build_lstm_network` with plain
arguments; it never sees an estimator. Missing time steps (NaN, e.g. the
windower's left padding) are turned into a Keras mask by :class:`NaNMask`, so the
LSTM skips them instead of reading them as numbers.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import logging

import keras
import numpy as np
from keras import layers, ops

from . import gates

__all__ = [
    "EpochProgress",
    "LinearSkip",
    "NaNMask",
    "build_lstm_network",
    "quiet_retracing",
    "default_jit_compile",
    "gate_activations",
    "lstm_layers",
    "numpy_forward",
    "supports_numpy_forward",
    "window_dataset",
]


@keras.saving.register_keras_serializable(package="sklstm")
class NaNMask(layers.Layer):
    """Mask every time step that holds a NaN, and zero it.

    A step is masked (skipped by the recurrent layers that follow: the state is
    carried over unchanged) when any of its features is NaN. The NaN values are
    replaced by zeros so that no NaN reaches the arithmetic; masked steps are
    never read.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return ops.where(ops.isnan(inputs), ops.zeros_like(inputs), inputs)

    def compute_mask(self, inputs, mask=None):
        return ops.logical_not(ops.any(ops.isnan(inputs), axis=-1))

    def compute_output_shape(self, input_shape):
        return input_shape


@keras.saving.register_keras_serializable(package="sklstm")
class LinearSkip(layers.Layer):
    """The observed inputs of the last step, or of the whole window, flattened.

    Feeds a linear path around the LSTM to the head (as the "highway" of
    LSTNet does), so that the network can express a linear autoregression,
    e.g. the last observed value, exactly and extrapolate beyond the training
    range; the LSTM learns what is left. Steps with a NaN contribute zeros:
    like the LSTM, the path never reads a missing step.
    """

    def __init__(self, mode="last", **kwargs):
        super().__init__(**kwargs)
        self.mode = mode

    def call(self, inputs):
        observed = ops.logical_not(ops.any(ops.isnan(inputs), axis=-1, keepdims=True))
        x = ops.where(observed, inputs, ops.zeros_like(inputs))
        if self.mode == "last":
            return x[:, -1, :]
        return ops.reshape(x, (-1, x.shape[1] * x.shape[2]))

    def compute_output_shape(self, input_shape):
        if self.mode == "last":
            return (input_shape[0], input_shape[2])
        return (input_shape[0], input_shape[1] * input_shape[2])

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


class _NoRetracingWarning(logging.Filter):
    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def quiet_retracing():
    """Silence TensorFlow's "tf.function retracing" warning for the duration.

    Every fit builds a new network, so its training function is traced anew by
    design; inside cross-validation TensorFlow then warns about "excessive"
    retracing, which here is neither excessive nor actionable.
    """
    logger = logging.getLogger("tensorflow")
    quiet = _NoRetracingWarning()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


class EpochProgress(keras.callbacks.Callback):
    """Print one line per epoch to standard error: epoch, loss and val_loss."""

    def on_epoch_end(self, epoch, logs=None):
        import sys

        logs = logs or {}
        parts = [f"epoch {epoch + 1}"] + [
            f"{key} {value:.4f}" for key, value in logs.items() if "loss" in key
        ]
        print("  " + ", ".join(parts), file=sys.stderr, flush=True)


def build_lstm_network(
    input_shape,
    *,
    units=(50,),
    n_outputs=1,
    bidirectional=False,
    merge_mode="concat",
    activation="tanh",
    recurrent_activation="sigmoid",
    dropout=0.0,
    recurrent_dropout=0.0,
    mask_missing=True,
    linear_skip=None,
):
    """Build an uncompiled LSTM network: (masking), LSTM layers, a Dense head.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_timesteps, n_features)`` of one sample.
    units : tuple of int, default=(50,)
        Units of each LSTM layer, first to last. All but the last return their
        whole sequence to the next one.
    n_outputs : int, default=1
        Width of the linear Dense head (one per forecast horizon).
    bidirectional : bool, default=False
        Wrap every LSTM layer in :class:`keras.layers.Bidirectional`.
    merge_mode : {"concat", "sum", "mul", "ave"}, default="concat"
        How a bidirectional layer merges its two directions.
    activation, recurrent_activation : str, default="tanh", "sigmoid"
        The LSTM's cell and gate activations (Keras names).
    dropout, recurrent_dropout : float, default=0.0
        Dropout of the inputs and of the recurrent state of every LSTM layer.
    mask_missing : bool, default=True
        Put a :class:`NaNMask` in front, so that time steps holding NaN are
        skipped.
    linear_skip : {"last", "window"} or None, default=None
        Also feed the head, linearly, the last step's inputs or the whole
        window's (:class:`LinearSkip`).

    Returns
    -------
    model : keras.Model
        The network, not yet compiled.
    """
    inputs = keras.Input(shape=tuple(input_shape), name="windows")
    x = NaNMask(name="nan_mask")(inputs) if mask_missing else inputs
    for index, width in enumerate(units):
        lstm = layers.LSTM(
            int(width),
            activation=activation,
            recurrent_activation=recurrent_activation,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            return_sequences=index < len(units) - 1,
            name=f"lstm_{index}",
        )
        if bidirectional:
            lstm = layers.Bidirectional(
                lstm, merge_mode=merge_mode, name=f"bidirectional_{index}"
            )
        x = lstm(x)
    if linear_skip is not None:
        skip = LinearSkip(linear_skip, name="linear_skip")(inputs)
        x = layers.Concatenate(name="lstm_and_skip")([x, skip])
    outputs = layers.Dense(int(n_outputs), name="head")(x)
    return keras.Model(inputs, outputs, name="sklstm_lstm")


def lstm_layers(model):
    """The recurrent layers of a network built here, first to last."""
    return [
        layer
        for layer in model.layers
        if isinstance(layer, layers.LSTM | layers.Bidirectional)
    ]


#: Training steps (epochs x batches) from which XLA pays for its compilation on
#: a CPU: measured on 2 cores, compiling costs ~3 s once and saves ~6 ms per
#: step of a 50-unit LSTM on 30-step masked windows (see
#: benchmarks/results/training_path.md), so it breaks even near 450 steps.
XLA_MIN_TRAIN_STEPS = 500


def default_jit_compile(train_steps):
    """The fastest correct XLA setting for this machine and this much training.

    On a CPU-only machine XLA is used when training runs at least
    ``XLA_MIN_TRAIN_STEPS`` steps (Keras's own ``"auto"`` never uses it there).
    With an accelerator Keras's ``"auto"`` is kept, which leaves XLA off where
    the fused cuDNN LSTM kernel applies.
    """
    if keras.backend.backend() != "tensorflow":
        return "auto"
    import tensorflow as tf

    if any(d.device_type != "CPU" for d in tf.config.list_physical_devices()):
        return "auto"
    return train_steps >= XLA_MIN_TRAIN_STEPS


def window_dataset(rows, starts, window, *arrays, batch_size, shuffle=False, seed=None):
    """Batches of windows gathered from ``rows``, for ``fit`` and ``predict``.

    Window ``i`` is ``rows[starts[i] : starts[i] + window]``; each batch gathers
    only its own windows (and the matching entries of ``arrays``, e.g. y and
    sample weights), so memory holds the rows once, never all the windows,
    which Keras would materialise if given them as one array. Built like
    Keras's own array adapter (the data enter once, via ``from_tensors``;
    positions are shuffled afresh each epoch when ``shuffle``, reproducibly
    for a given ``seed``).
    """
    import tensorflow as tf

    data = tuple(
        tf.convert_to_tensor(np.ascontiguousarray(a))
        for a in (rows.astype(np.float32, copy=False), starts, *arrays)
    )
    offsets = tf.range(window, dtype=data[1].dtype)
    n_windows, n_full = len(starts), len(starts) // batch_size

    # One permutation of the positions per epoch, from a seed that
    # Dataset.random draws afresh for each new iterator (each epoch). Unlike
    # Dataset.shuffle, which keeps a buffer of one tensor per window, this
    # holds one int64 per window.
    def order(draw):
        positions = tf.range(n_windows, dtype=tf.int64)
        if not shuffle:
            return positions
        seed_pair = tf.stack([draw, tf.constant(0, tf.int64)])
        return tf.random.experimental.stateless_shuffle(positions, seed=seed_pair)

    def cut(positions):
        batches = tf.data.Dataset.from_tensor_slices(
            tf.reshape(positions[: n_full * batch_size], [n_full, batch_size])
        )
        if n_windows % batch_size:
            last = tf.data.Dataset.from_tensors(positions[n_full * batch_size :])
            batches = batches.concatenate(last)
        return batches

    n_batches = -(-n_windows // batch_size)
    positions = (
        tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
        .take(1)
        .map(order)
        .flat_map(cut)
        .apply(tf.data.experimental.assert_cardinality(n_batches))
    )

    def gather(batch, data):
        rows, starts, *arrays = data
        x = tf.gather(rows, tf.gather(starts, batch)[:, None] + offsets)
        return (x, *(tf.gather(a, batch) for a in arrays)) if arrays else x

    dataset = tf.data.Dataset.zip(
        positions, tf.data.Dataset.from_tensors(data).repeat()
    )
    return dataset.map(gather, num_parallel_calls=tf.data.AUTOTUNE).prefetch(
        tf.data.AUTOTUNE
    )


def _head(model):
    return model.get_layer("head")


def _has_nan_mask(model):
    return any(isinstance(layer, NaNMask) for layer in model.layers)


def _observed(model, X):
    """Zero-filled inputs and the step mask that :class:`NaNMask` would give."""
    if not _has_nan_mask(model):
        return X, None
    missing = np.isnan(X)
    return np.where(missing, 0, X).astype(X.dtype), ~missing.any(axis=-1)


def supports_numpy_forward(model):
    """Whether :func:`numpy_forward` reproduces ``model`` (its activations)."""
    try:
        for layer in lstm_layers(model):
            for lstm in _directions(layer):
                gates.LSTMWeights.from_keras(lstm)
    except (TypeError, ValueError):
        return False
    return _head(model).activation is keras.activations.linear


def _directions(layer):
    if isinstance(layer, layers.Bidirectional):
        return [layer.forward_layer, layer.backward_layer]
    return [layer]


def numpy_forward(model, X):
    """The network's output for ``X``, computed with :mod:`sklstm.gates`.

    Equal to ``model.predict(X)`` to float32 round-off, without Keras's fixed
    cost per call (tracing, dataset setup), which dominates small calls.
    """
    x, mask = _observed(model, np.asarray(X, dtype=np.float32))
    for layer in lstm_layers(model):
        if isinstance(layer, layers.Bidirectional):
            x = gates.bidirectional_forward(
                x,
                gates.LSTMWeights.from_keras(layer.forward_layer),
                gates.LSTMWeights.from_keras(layer.backward_layer),
                merge_mode=layer.merge_mode,
                mask=mask,
                return_sequences=layer.return_sequences,
            )
        else:
            x = gates.lstm_forward(
                x,
                gates.LSTMWeights.from_keras(layer),
                mask=mask,
                return_sequences=layer.return_sequences,
            )
    skip = _linear_skip(model, np.asarray(X, dtype=np.float32))
    if skip is not None:
        x = np.concatenate([x, skip], axis=1)
    kernel, bias = _head(model).get_weights()
    return x @ kernel + bias


def _linear_skip(model, X):
    """What the model's :class:`LinearSkip` layer gives for ``X``, or None."""
    skips = [layer for layer in model.layers if isinstance(layer, LinearSkip)]
    if not skips:
        return None
    observed = ~np.isnan(X).any(axis=-1, keepdims=True)
    x = np.where(observed, X, 0).astype(X.dtype)
    return x[:, -1, :] if skips[0].mode == "last" else x.reshape(len(x), -1)


def gate_activations(model, X):
    """Per-step gates, cell and hidden state of the first LSTM layer.

    For a :class:`keras.layers.Bidirectional` layer, its forward direction. At
    masked steps the gates are NaN and the states carry over, as in Keras.
    """
    first = _directions(lstm_layers(model)[0])[0]
    weights = gates.LSTMWeights.from_keras(first)
    x, mask = _observed(model, np.asarray(X, dtype=np.float32))
    n_samples, n_steps, _ = x.shape
    h = np.zeros((n_samples, weights.units), dtype=x.dtype)
    c = np.zeros_like(h)
    names = ("input", "forget", "candidate", "output", "cell", "hidden")
    out = {
        name: np.empty((n_samples, n_steps, weights.units), x.dtype) for name in names
    }
    for t in range(n_steps):
        h_new, c_new, step_gates = gates.lstm_step(x[:, t], h, c, weights)
        keep = np.ones((n_samples, 1), bool) if mask is None else mask[:, t, None]
        h, c = np.where(keep, h_new, h), np.where(keep, c_new, c)
        for name, value in zip(names, (*step_gates, c, h), strict=True):
            out[name][:, t] = (
                np.where(keep, value, np.nan) if name in names[:4] else value
            )
    return out
