"""Keras networks: the layers sklstm adds, one builder, one compile policy.

The only module that knows Keras layers. :func:`build_network` builds the
recurrent network of every regressor (the cell, LSTM or GRU, is a parameter, as
in Keras's own ``rnn`` package where the cell is the point of variation);
:func:`wrap_network` puts a user's own network behind the same input handling;
:func:`compile_network` is the one compile policy, used by the regressors and
by :class:`sklstm.tuning.LSTMHyperModel` alike. None of them sees an
estimator.

Missing time steps (NaN, e.g. the windower's left padding) become a Keras mask
through :class:`NaNMask`, so the recurrent layers skip them instead of reading
them as numbers.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings

import keras
from keras import layers, ops

from ._known_future import future_inputs
from ._levels import relative_window, skip_inputs, window_spread
from ._quantiles import MonotoneQuantiles

__all__ = [
    "CELLS",
    "EndMask",
    "ForecastSteps",
    "LinearSkip",
    "NaNMask",
    "PastSteps",
    "RelativeToLast",
    "SHARED_STEP_MAX_CALLS",
    "XLA_MIN_TRAIN_STEPS",
    "build_network",
    "compile_network",
    "default_jit_compile",
    "last_observed",
    "recurrent_layers",
    "resolve_jit_compile",
    "steps_dividing_epochs",
    "window_spread",
    "wrap_network",
]

#: The recurrent cells a network can be built from, by name.
CELLS = {"lstm": layers.LSTM, "gru": layers.GRU}


@keras.saving.register_keras_serializable(package="sklstm")
class NaNMask(layers.Layer):
    """Mask every time step that holds a NaN, and zero it.

    A step is masked (skipped by the recurrent layers that follow: the state is
    carried over unchanged) when any of its features is NaN. The NaN values are
    replaced by zeros so that no NaN reaches the arithmetic; masked steps are
    never read. Put it first in a network of your own that should skip the
    windower's padding (:class:`~sklstm.SequenceRegressor` does so itself).

    Parameters
    ----------
    **kwargs : dict
        Arguments of :class:`keras.layers.Layer`, e.g. ``name``.
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


def last_observed(x, xp):
    """Each window's last observed step (no NaN in any feature), per feature.

    ``xp`` is :mod:`numpy` or :mod:`keras.ops`; windows with no observed step
    give zeros.
    """
    observed = xp.logical_not(xp.any(xp.isnan(x), axis=-1))  # (n, steps)
    steps = x.shape[1]
    position = xp.arange(steps)
    last = xp.max(xp.where(observed, position, -1), axis=1)  # (n,)
    pick = xp.equal(position[None, :], last[:, None])  # one-hot, or none
    filled = xp.where(xp.isnan(x), xp.zeros_like(x), x)
    return xp.sum(xp.where(pick[:, :, None], filled, xp.zeros_like(x)), axis=1)


@keras.saving.register_keras_serializable(package="sklstm")
class RelativeToLast(layers.Layer):
    """Express each window relative to its last observed step.

    Every feature becomes its change from its value at the window's last
    observed step, so the network reads shapes, not levels, and a trend that
    leaves the training range still looks familiar. With ``scaled``, also
    divided by the feature's spread over the window (:func:`window_spread`),
    so that it reads the same shape whatever the scale of the series. The
    ``static`` features (indices: constant within every window, such as a
    one-hot series id) pass unchanged. NaN steps stay NaN (and are masked by
    :class:`NaNMask` after it).
    """

    def __init__(self, scaled=False, static=(), **kwargs):
        super().__init__(**kwargs)
        self.scaled = bool(scaled)
        self.static = tuple(int(f) for f in static)

    def call(self, inputs):
        spread = window_spread(inputs, ops) if self.scaled else None
        last = last_observed(inputs, ops)
        return relative_window(inputs, last, spread, self.static, xp=ops)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {**super().get_config(), "scaled": self.scaled}
        return {**config, "static": list(self.static)} if self.static else config


@keras.saving.register_keras_serializable(package="sklstm")
class EndMask(layers.Layer):
    """Pass the input on unchanged and end its Keras mask.

    Behind a user's network, so that a per-step mask that the network passes
    through does not reach the loss (one value per window).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return ops.copy(inputs)  # a new tensor: the mask rides on the old one

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return input_shape


@keras.saving.register_keras_serializable(package="sklstm")
class LinearSkip(layers.Layer):
    """The observed inputs of the last step, or of the whole window, flattened.

    Feeds a linear path around the recurrent layers to the head (as the
    "highway" of LSTNet does), so that the network can express a linear
    autoregression, e.g. the last observed value, exactly. Steps with a NaN
    contribute zeros: like the recurrent layers, the path never reads a
    missing step. ``mode="relative"`` flattens the whole window as
    ``"window"`` does; :func:`build_network` feeds it the window as the
    recurrent layers read it (relative to its last step) instead of the
    inputs.
    """

    def __init__(self, mode="last", **kwargs):
        super().__init__(**kwargs)
        self.mode = mode

    def call(self, inputs):
        return skip_inputs(inputs, self.mode, ops)

    def compute_output_shape(self, input_shape):
        if self.mode == "last":
            return (input_shape[0], input_shape[2])
        return (input_shape[0], input_shape[1] * input_shape[2])

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


@keras.saving.register_keras_serializable(package="sklstm")
class PastSteps(layers.Layer):
    """The observed past of windows that end with ``n_future`` forecast steps."""

    def __init__(self, n_future, **kwargs):
        super().__init__(**kwargs)
        self.n_future = int(n_future)

    def call(self, inputs):
        return inputs[:, : -self.n_future, :]

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] - self.n_future
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "n_future": self.n_future}


@keras.saving.register_keras_serializable(package="sklstm")
class ForecastSteps(layers.Layer):
    """The last ``n_future`` steps of each window: the values known in advance.

    The windower fills them with the covariates known at each forecast step's
    target time and NaN elsewhere; here NaN reads as 0 and, with ``relative``,
    each value becomes its change from the feature's last observed past value
    (:func:`sklstm._known_future.future_inputs`).
    """

    def __init__(self, n_future, relative=False, scaled=False, **kwargs):
        super().__init__(**kwargs)
        self.n_future = int(n_future)
        self.relative = bool(relative)
        self.scaled = bool(scaled)

    def call(self, inputs):
        past, future = inputs[:, : -self.n_future, :], inputs[:, -self.n_future :, :]
        return future_inputs(
            past,
            future,
            self.relative,
            lambda x: last_observed(x, ops),
            (lambda x: window_spread(x, ops)) if self.scaled else None,
            xp=ops,
        )

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n_future, input_shape[2])

    def get_config(self):
        return {
            **super().get_config(),
            "n_future": self.n_future,
            "relative": self.relative,
            "scaled": self.scaled,
        }


def build_network(
    input_shape,
    *,
    cell="lstm",
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
    relative=False,
    scaled=False,
    static=(),
    quantiles=None,
    future_steps=0,
    **cell_kwargs,
):
    """Build an uncompiled recurrent network: (masking), recurrent layers, a head.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_timesteps, n_features)`` of one sample.
    cell : {"lstm", "gru"}, default="lstm"
        The recurrent layer: :class:`keras.layers.LSTM` or
        :class:`keras.layers.GRU` (Keras's defaults, ``reset_after=True``).
    units : tuple of int, default=(50,)
        Units of each recurrent layer, first to last. All but the last return
        their whole sequence to the next one.
    n_outputs : int, default=1
        Width of the linear Dense head (one per forecast horizon).
    bidirectional : bool, default=False
        Wrap every recurrent layer in :class:`keras.layers.Bidirectional`.
    merge_mode : {"concat", "sum", "mul", "ave"}, default="concat"
        How a bidirectional layer merges its two directions.
    activation, recurrent_activation : str, default="tanh", "sigmoid"
        The cell's candidate and gate activations (Keras names).
    dropout, recurrent_dropout : float, default=0.0
        Dropout of the inputs and of the recurrent state of every layer.
    mask_missing : bool, default=True
        Put a :class:`NaNMask` in front, so that time steps holding NaN are
        skipped.
    linear_skip : {"last", "window", "relative"} or None, default=None
        Also feed the head, linearly, the last step's inputs, the whole
        window's, or the whole window as the recurrent layers read it
        (relative to its last step, with ``relative``) (:class:`LinearSkip`).
    relative : bool, default=False
        Put :class:`RelativeToLast` in front: the recurrent layers read each
        window relative to its last observed step.
    scaled : bool, default=False
        With ``relative``, also divide each window by its spread per feature
        (``normalize="window"``).
    static : tuple of int, default=()
        With ``relative``, the features that :class:`RelativeToLast` passes
        unchanged: constant within every window (a one-hot series id).
    quantiles : sequence of float or None, default=None
        Levels of a quantile head: the Dense head gets ``n_outputs *
        len(quantiles)`` units and :class:`~sklstm._quantiles.MonotoneQuantiles`
        sorts them, so the network outputs ``(n_samples, n_outputs,
        n_quantiles)`` quantiles that never cross.
    future_steps : int, default=0
        How many of the last steps of each window are forecast steps holding
        covariates known in advance (one per output; see
        :mod:`sklstm._known_future`). The recurrent layers (and a linear skip)
        read the past steps only; a Dense ReLU layer reads the head's input
        beside the known values of every forecast step, and a linear layer
        reads its output beside those values again and adds to the head.
    **cell_kwargs : dict
        Further arguments of every recurrent layer, e.g. ``reset_after``.

    Returns
    -------
    model : keras.Model
        The network, not yet compiled.
    """
    layer_class = CELLS[cell]
    windows = keras.Input(shape=tuple(input_shape), name="windows")
    inputs = windows
    if future_steps:
        if int(future_steps) != int(n_outputs):
            raise ValueError(
                f"build_network expected one forecast step per output; got "
                f"future_steps={future_steps} for n_outputs={n_outputs}."
            )
        inputs = PastSteps(future_steps, name="past_steps")(windows)
    if relative:
        x = RelativeToLast(scaled, static, name="relative_to_last")(inputs)
    else:
        x = inputs
    relative_input = x
    x = NaNMask(name="nan_mask")(x) if mask_missing else x
    for index, width in enumerate(units):
        recurrent = layer_class(
            int(width),
            activation=activation,
            recurrent_activation=recurrent_activation,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            return_sequences=index < len(units) - 1,
            name=f"{cell}_{index}",
            **cell_kwargs,
        )
        if bidirectional:
            recurrent = layers.Bidirectional(
                recurrent, merge_mode=merge_mode, name=f"bidirectional_{index}"
            )
        x = recurrent(x)
    if linear_skip is not None:
        source = relative_input if linear_skip == "relative" else inputs
        skip = LinearSkip(linear_skip, name="linear_skip")(source)
        x = layers.Concatenate(name=f"{cell}_and_skip")([x, skip])
    n_quantiles = 1 if quantiles is None else len(quantiles)
    head = layers.Dense(int(n_outputs) * n_quantiles, name="head")(x)
    if future_steps:
        known = ForecastSteps(
            future_steps, relative, relative and scaled, name="forecast_steps"
        )(windows)
        known = layers.Flatten(name="known_flat")(known)
        z = layers.Concatenate(name="state_and_known")([x, known])
        z = layers.Dense(int(units[-1]), activation="relu", name="future_hidden")(z)
        # A linear path too, so that a covariate's plain effect is exact.
        z = layers.Concatenate(name="hidden_and_known")([z, known])
        z = layers.Dense(int(n_outputs) * n_quantiles, name="future_head")(z)
        head = layers.Add(name="head_and_future")([head, z])
    outputs = head
    if quantiles is not None:
        outputs = MonotoneQuantiles(n_quantiles, name="quantiles")(head)
    return keras.Model(windows, outputs, name=f"sklstm_{cell}")


def wrap_network(network, input_shape, *, mask_missing=True):
    """A user's network behind sklstm's input handling.

    ``network`` is a :class:`keras.Model` (or layer) taking windows of
    ``input_shape``. With ``mask_missing``, a :class:`NaNMask` goes in front:
    NaN steps reach the network as zeros with a Keras mask, which its recurrent
    layers use to skip them.
    """
    if not mask_missing:
        return network
    # A Keras model passes a mask on to its layers only when it says it
    # supports masking; the layers that cannot use a mask ignore it.
    network.supports_masking = True
    inputs = keras.Input(shape=tuple(input_shape), name="windows")
    outputs = EndMask(name="end_mask")(network(NaNMask(name="nan_mask")(inputs)))
    return keras.Model(inputs, outputs, name=f"sklstm_{network.name}")


def recurrent_layers(model):
    """The recurrent layers of a network built here, first to last."""
    kinds = (*CELLS.values(), layers.Bidirectional)
    return [layer for layer in model.layers if isinstance(layer, kinds)]


#: Training steps (epochs x batches) from which XLA pays for its compilation on
#: a CPU: measured on 2 cores, compiling costs ~3 s once and saves ~6 ms per
#: step of a 50-unit LSTM on 30-step masked windows (see
#: benchmarks/results/training_path.md), so it breaks even near 450 steps.
XLA_MIN_TRAIN_STEPS = 500


def default_jit_compile(train_steps):
    """The fastest correct XLA setting for this machine and this much training.

    On a CPU-only machine XLA is used when training runs at least
    ``XLA_MIN_TRAIN_STEPS`` steps (Keras's own ``"auto"`` never uses it there).
    With an accelerator, or when the amount of training is not known
    (``train_steps=None``), Keras's ``"auto"`` is kept, which leaves XLA off
    where the fused cuDNN kernel applies.
    """
    if keras.backend.backend() != "tensorflow" or train_steps is None:
        return "auto"
    import tensorflow as tf

    if any(d.device_type != "CPU" for d in tf.config.list_physical_devices()):
        return "auto"
    return train_steps >= XLA_MIN_TRAIN_STEPS


def _op_determinism_enabled():
    """Whether TensorFlow's op determinism is on (Keras then refuses XLA)."""
    if keras.backend.backend() != "tensorflow":
        return False
    from tensorflow.python.framework.config import is_op_determinism_enabled

    return bool(is_op_determinism_enabled())


def _fresh_optimizer(optimizer, learning_rate):
    """A new optimizer instance from a name, a class or an instance."""
    if isinstance(optimizer, str):
        optimizer = keras.optimizers.get(optimizer)
    elif isinstance(optimizer, type):
        optimizer = optimizer()
    config = optimizer.get_config()
    if learning_rate is not None:
        config["learning_rate"] = learning_rate
    return type(optimizer).from_config(config)


#: Calls into the training step per epoch that early stopping's run may make so
#: that the refit can reuse its compiled step (:func:`steps_dividing_epochs`).
#: Measured on 2 cores: an extra call costs ~2 ms without XLA (0.8 ms with), a
#: new network's trace and first run ~2.5 s; 8 calls an epoch over 200 epochs
#: (100 monitored, 100 refit) cost about that much, over a typical 40 far less.
SHARED_STEP_MAX_CALLS = 8


def resolve_jit_compile(jit_compile, train_steps):
    """The XLA setting :func:`compile_network` gives Keras: ``"auto"``
    resolved by :func:`default_jit_compile`."""
    return default_jit_compile(train_steps) if jit_compile == "auto" else jit_compile


def steps_dividing_epochs(steps_per_execution, batches_per_epoch, later_batches):
    """Batches per call for epochs of ``batches_per_epoch`` batches that a
    later run with epochs of ``later_batches`` (None: no later run) can keep
    (early stopping's run, then the refit on all windows with the same
    compiled step): the most steps, at most ``steps_per_execution``, dividing
    both epochs, when that makes at most :data:`SHARED_STEP_MAX_CALLS` calls
    an epoch; else :func:`steps_dividing_epoch` of the first epoch alone.
    """
    if later_batches is None:
        return steps_dividing_epoch(steps_per_execution, batches_per_epoch)
    for steps in range(min(steps_per_execution, batches_per_epoch), 0, -1):
        if batches_per_epoch % steps == 0 and later_batches % steps == 0:
            if batches_per_epoch // steps <= SHARED_STEP_MAX_CALLS:
                return steps
            break
    return steps_dividing_epoch(steps_per_execution, batches_per_epoch)


def steps_dividing_epoch(steps_per_execution, batches_per_epoch):
    """Batches per call into the training step for epochs of
    ``batches_per_epoch`` batches: at most ``steps_per_execution``, the whole
    epoch when it is shorter, else the largest divisor of the epoch from half
    of ``steps_per_execution`` up (a whole number of calls per epoch), else
    ``steps_per_execution`` itself. Only the grouping of the steps changes,
    never the steps.
    """
    if batches_per_epoch <= steps_per_execution:
        return max(1, batches_per_epoch)
    for steps in range(steps_per_execution, max(steps_per_execution // 2, 1) - 1, -1):
        if batches_per_epoch % steps == 0:
            return steps
    return steps_per_execution


def compile_network(
    model,
    *,
    optimizer="adam",
    learning_rate=None,
    loss="mse",
    metrics=None,
    steps_per_execution=32,
    batches_per_epoch=None,
    later_batches=None,
    jit_compile="auto",
    train_steps=None,
    **compile_kwargs,
):
    """Compile ``model`` with sklstm's training policy, and return it.

    Parameters
    ----------
    model : keras.Model
        An uncompiled network.
    optimizer : str, type or keras.optimizers.Optimizer, default="adam"
        A fresh instance is made from it for this network, so an instance the
        caller holds is neither mutated nor shared between networks.
    learning_rate : float or None, default=None
        Set on that instance; None keeps the optimizer's own.
    loss, metrics : default="mse", None
        As in :meth:`keras.Model.compile`.
    steps_per_execution : int, default=32
        Batches per call into the compiled training step; when
        ``batches_per_epoch`` is given, :func:`steps_dividing_epoch` of it,
        so that no call reads past the end of an epoch and Keras can keep one
        iterator over every epoch (:func:`sklstm._feed.epoch_stream`).
    batches_per_epoch : int or None, default=None
        Batches in one training epoch, when known.
    later_batches : int or None, default=None
        Batches per epoch of a later run that is to reuse this compiled
        training step (early stopping's refit); the steps per call then
        divide its epochs too (:func:`steps_dividing_epochs`) where that is
        cheap.
    jit_compile : bool or "auto", default="auto"
        XLA; "auto" applies :func:`default_jit_compile` to ``train_steps``.
    train_steps : int or None, default=None
        Epochs times batches of the training this network is built for.
    **compile_kwargs : dict
        Further arguments of :meth:`keras.Model.compile`.

    Returns
    -------
    model : keras.Model
        The same network, compiled.
    """
    optimizer = _fresh_optimizer(optimizer, learning_rate)
    if batches_per_epoch is not None:
        steps_per_execution = steps_dividing_epochs(
            steps_per_execution, batches_per_epoch, later_batches
        )
    jit_compile = resolve_jit_compile(jit_compile, train_steps)
    if jit_compile is True and _op_determinism_enabled():
        warnings.warn(
            "TensorFlow's op determinism is enabled "
            "(tf.config.experimental.enable_op_determinism), so Keras trains "
            "this network without XLA: about half as fast on a CPU. sklstm's "
            "random_state alone makes fits reproducible on a CPU, with XLA; "
            "leave op determinism off unless you train on a GPU (see the "
            "user guide, 'Reproducibility and persistence').",
            UserWarning,
            stacklevel=3,
        )
    model.compile(
        optimizer=optimizer,
        loss=loss,
        metrics=metrics,
        steps_per_execution=steps_per_execution,
        jit_compile=jit_compile,
        **compile_kwargs,
    )
    return model
