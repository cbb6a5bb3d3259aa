"""LSTMHyperModel: Keras Tuner's own tuners on the networks of the regressors.

:class:`LSTMHyperModel` builds the network of :class:`~sklstm.LSTMRegressor`,
:class:`~sklstm.StackedLSTMRegressor` or :class:`~sklstm.BiLSTMRegressor`
(LSTM or GRU cells) from a search space, compiles it with the regressors'
policy (:func:`sklstm._networks.compile_network`) and trains it as they do:
on the standardised target, validating on the most recent windows.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import difflib
import importlib.util
import math
import warnings

import keras
import keras_tuner as kt
import numpy as np

from .. import _networks
from .._base import TargetScaler
from .._validation import is_int
from ._space import Choice, Float, Int, check_search_space, declare

__all__ = ["LSTMHyperModel", "warn_without_tensorboard"]

#: The search space of :class:`LSTMHyperModel` unless the user overrides it.
_HYPERMODEL_SPACE = {
    "units": Int(16, 128, step=16),
    "num_layers": Int(1, 2),
    "bidirectional": Choice([False, True]),
    "dropout": Float(0.0, 0.3, step=0.1),
    "learning_rate": Float(1e-4, 1e-2, log=True),
    "activation": Choice(["tanh"]),
}
#: Further knobs of the network, fixed at these values unless searched.
_HYPERMODEL_FIXED = {
    "cell": "lstm",
    "recurrent_activation": "sigmoid",
    "recurrent_dropout": 0.0,
    "merge_mode": "concat",
    "linear_skip": None,
}
#: Keras's batch size when ``fit`` is given none.
_KERAS_BATCH_SIZE = 32


class LSTMHyperModel(kt.HyperModel):
    """A Keras Tuner hypermodel of the sklstm recurrent networks.

    :meth:`build` makes the network that :class:`~sklstm.LSTMRegressor`
    (one layer), :class:`~sklstm.StackedLSTMRegressor` (``num_layers > 1``)
    or :class:`~sklstm.BiLSTMRegressor` (``bidirectional=True``) would build,
    with LSTM or GRU cells (``cell``) and its hyperparameters drawn from the
    search space, and compiles it as the regressors do: Adam at the trial's
    learning rate, ``steps_per_execution`` and XLA by the same policy.
    :meth:`fit` trains it as the regressors do too: on the target
    standardised with the mean and standard deviation of the training part,
    validating on the *last* part of the windows (the most recent), never
    on a shuffled sample. Use it with :class:`keras_tuner.Hyperband`,
    :class:`keras_tuner.BayesianOptimization` or
    :class:`keras_tuner.RandomSearch` and ``objective="val_loss"``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_timesteps, n_features)`` of one window, or ``(n_timesteps,)`` for
        one feature.

    n_outputs : int, default=1
        Width of the linear head: the number of forecast horizons.

    search_space : dict or None, default=None
        Overrides of the default space, by name: ``"units"``
        (``Int(16, 128, step=16)``, the cells of every layer),
        ``"num_layers"`` (``Int(1, 2)``), ``"bidirectional"``
        (``Choice([False, True])``), ``"dropout"`` (``Float(0, 0.3,
        step=0.1)``), ``"learning_rate"`` (``Float(1e-4, 1e-2, log=True)``)
        and ``"activation"`` (``Choice(["tanh"])``). These may also be searched:
        ``"cell"`` (``"lstm"``; ``Choice(["lstm", "gru"])`` searches both),
        ``"recurrent_activation"`` (``"sigmoid"``), ``"recurrent_dropout"``
        (0.0), ``"merge_mode"`` (``"concat"``) and ``"linear_skip"`` (None).
        Each value is an :class:`Int`, a :class:`Float`, a :class:`Choice` (or
        a list), or a single value to keep fixed.

    loss : str or keras.losses.Loss, default="mse"
        Training loss.

    validation_fraction : float, default=0.2
        Fraction of the windows, the *last* ones, that :meth:`fit` holds out
        as validation data when the caller passes neither ``validation_data``
        nor ``validation_split``. 0 holds out nothing (then tune on
        ``objective="loss"``).

    mask_missing : bool, default=True
        Mask time steps that hold NaN (e.g. the windower's padding), as the
        regressors do. False saves time on windows without NaN.

    standardize_target : bool, default=True
        Train on ``(y - mean) / std``, with the mean and standard deviation
        (per output) of the training part of ``y``, as the regressors do with
        ``standardize_target=True``. False trains on ``y`` as given.

    steps_per_execution : int, default=32
        Batches per call into the compiled training step, capped at the
        batches of one epoch, as in the regressors.

    jit_compile : bool or "auto", default="auto"
        XLA compilation of the training step. "auto" uses it on a CPU when
        the training runs enough steps to pay for compiling, as the
        regressors do, and leaves Keras's choice on an accelerator.

    name : str or None, default=None
        Name of the hypermodel (Keras Tuner's).

    tunable : bool, default=True
        Whether the hyperparameters declared in :meth:`build` join the search
        space (Keras Tuner's).

    Attributes
    ----------
    target_scaler_ : object
        The scaling of the target in the last :meth:`fit`: its ``mean_`` and
        ``scale_`` (one per output), and ``inverse_transform(y_scaled)``,
        which maps a network's predictions back to the units of ``y``.

    See Also
    --------
    KerasTunerSearchCV : Tune whole pipelines with time-ordered CV.
    sklstm.LSTMRegressor : The estimator with the same network.

    Notes
    -----
    With ``standardize_target=True`` (the default) the ``loss`` and
    ``val_loss`` that Keras Tuner reports, and ranks the trials by, are on
    the standardised scale: a ``val_loss`` of 0.1 is an MSE of a tenth of
    the training target's variance, and 1.0 is what always predicting the
    training mean scores on data like the training part, whatever the units
    of ``y``. The networks that ``tuner.get_best_models()`` returns predict
    on that scale too; ``target_scaler_.inverse_transform`` maps their
    predictions back to the units of ``y``, or refit the best configuration
    as a regressor, which does so itself.

    The validation data are the last ``validation_fraction`` of the windows
    (or the last ``validation_split``, if ``tuner.search`` passes one),
    split as Keras splits for ``validation_split`` (its
    ``train_validation_split`` keeps the order and takes the last samples,
    before any shuffling), but here, so that the target's scaling is learnt
    from the training part only. ``shuffle`` then only reorders the training
    windows between epochs, which leaks nothing: each window carries its own
    history, and the validation windows stay after all of them. Pass
    ``shuffle=False`` to ``tuner.search`` to train in order as well.

    Examples
    --------
    >>> import keras_tuner as kt
    >>> from sklstm.tuning import LSTMHyperModel
    >>> hypermodel = LSTMHyperModel((12, 1), search_space={"units": [4, 8]})
    >>> model = hypermodel.build(kt.HyperParameters())
    >>> [layer.name for layer in model.layers]
    ['windows', 'nan_mask', 'lstm_0', 'head']
    """

    def __init__(
        self,
        input_shape,
        n_outputs=1,
        *,
        search_space=None,
        loss="mse",
        validation_fraction=0.2,
        mask_missing=True,
        standardize_target=True,
        steps_per_execution=32,
        jit_compile="auto",
        name=None,
        tunable=True,
    ):
        super().__init__(name=name, tunable=tunable)
        self.input_shape = input_shape
        self.n_outputs = n_outputs
        self.search_space = search_space
        self.loss = loss
        self.validation_fraction = validation_fraction
        self.mask_missing = mask_missing
        self.standardize_target = standardize_target
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile
        self._window_shape = _check_input_shape(input_shape)
        if not is_int(n_outputs, 1):
            raise ValueError(
                f"LSTMHyperModel expected n_outputs to be an int >= 1 (one per "
                f"forecast horizon); got {n_outputs!r}."
            )
        if not (isinstance(validation_fraction, float | int)) or not (
            0 <= validation_fraction < 1
        ):
            raise ValueError(
                f"LSTMHyperModel expected validation_fraction in [0, 1); got "
                f"{validation_fraction!r}. Use e.g. 0.2 to validate on the last "
                f"fifth of the windows."
            )
        if not is_int(steps_per_execution, 1):
            raise ValueError(
                f"LSTMHyperModel expected steps_per_execution to be an int >= "
                f"1; got {steps_per_execution!r}."
            )
        if jit_compile not in (True, False, "auto"):
            raise ValueError(
                f"LSTMHyperModel expected jit_compile to be True, False or "
                f"'auto'; got {jit_compile!r}."
            )
        overrides = {} if search_space is None else search_space
        if not isinstance(overrides, dict):
            raise TypeError(
                f"LSTMHyperModel expected search_space to be a dict or None; "
                f"got {search_space!r}."
            )
        known = [*_HYPERMODEL_SPACE, *_HYPERMODEL_FIXED]
        for key in overrides:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"LSTMHyperModel expected search_space keys among "
                    f"{known!r}; got {key!r}.{hint}"
                )
        self._dimensions = check_search_space(
            "LSTMHyperModel", {**_HYPERMODEL_SPACE, **overrides}
        )
        warn_without_tensorboard()

    def build(self, hp):
        """Build and compile the network for the hyperparameters ``hp``.

        Parameters
        ----------
        hp : keras_tuner.HyperParameters
            The trial's hyperparameters; those of the search space are
            declared in it under their names (``"units"``, ...).

        Returns
        -------
        model : keras.Model
            The network of :func:`sklstm._networks.build_network`, compiled
            by :func:`sklstm._networks.compile_network` with Adam at the
            trial's learning rate. :meth:`fit` adapts ``steps_per_execution``
            and XLA to the amount of training once it is known.
        """
        values = {**_HYPERMODEL_FIXED, **declare(hp, self._dimensions)}
        num_layers = values["num_layers"]
        if not is_int(num_layers, 1):
            raise ValueError(
                f"LSTMHyperModel expected num_layers to be an int >= 1; got "
                f"{num_layers!r}."
            )
        cell = values["cell"]
        if cell not in _networks.CELLS:
            raise ValueError(
                f"LSTMHyperModel expected cell among {sorted(_networks.CELLS)!r}; "
                f"got {cell!r}."
            )
        model = _networks.build_network(
            self._window_shape,
            cell=cell,
            units=(values["units"],) * int(num_layers),
            n_outputs=self.n_outputs,
            bidirectional=bool(values["bidirectional"]),
            merge_mode=values["merge_mode"],
            activation=values["activation"],
            recurrent_activation=values["recurrent_activation"],
            dropout=values["dropout"],
            recurrent_dropout=values["recurrent_dropout"],
            mask_missing=self.mask_missing,
            linear_skip=values["linear_skip"],
        )
        return _networks.compile_network(
            model,
            optimizer="adam",
            learning_rate=values["learning_rate"],
            loss=self.loss,
            steps_per_execution=self.steps_per_execution,
            jit_compile=self.jit_compile,
        )

    def fit(self, hp, model, x=None, y=None, **kwargs):
        """Train ``model`` on the standardised target, validating on the last windows.

        Parameters
        ----------
        hp : keras_tuner.HyperParameters
            The trial's hyperparameters.

        model : keras.Model
            The network from :meth:`build`. It is compiled again, with the
            optimizer, loss and metrics it has, for the training it gets here
            (``steps_per_execution`` capped at the batches of one epoch, XLA
            by the number of steps), as the regressors compile theirs.

        x : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows in time order, oldest first.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets, in their own units.

        **kwargs : dict
            Passed to :meth:`keras.Model.fit` (``epochs``, ``callbacks``, ...,
            from ``tuner.search``). Without ``validation_data``, the
            validation data are the last ``validation_split`` (if given) or
            ``validation_fraction`` of ``x`` and ``y``, which are then not
            trained on. The targets of ``validation_data`` are scaled as the
            training targets are.

        Returns
        -------
        history : keras.callbacks.History
            The training history (``loss`` and ``val_loss``, on the
            standardised scale with ``standardize_target=True``).
        """
        if x is None:
            raise TypeError(
                "LSTMHyperModel.fit expected the windows x; got None. Call "
                "tuner.search(X, y, epochs=...)."
            )
        if y is None:
            raise TypeError(
                f"LSTMHyperModel.fit expected the targets y as an array, to "
                f"standardise them on the training part; got y=None with x of "
                f"type {type(x).__name__}. Pass the windows and the targets as "
                f"arrays: tuner.search(X, y, ...)."
            )
        x = self._as_windows(x)
        y = np.asarray(y, dtype=np.float32)
        weight = kwargs.pop("sample_weight", None)
        validation_data = kwargs.pop("validation_data", None)
        fraction = kwargs.pop("validation_split", None) or self.validation_fraction
        if validation_data is None and fraction > 0:
            x, y, weight, validation_data = _split_last(x, y, weight, fraction)
        scaler = TargetScaler(self.standardize_target).fit(y, sample_weight=weight)
        if validation_data is not None:
            x_val, y_val, *weights = validation_data
            validation_data = (
                self._as_windows(x_val),
                scaler.transform(np.asarray(y_val, dtype=np.float32)),
                *weights,
            )
        self.target_scaler_ = scaler
        batches = math.ceil(len(x) / (kwargs.get("batch_size") or _KERAS_BATCH_SIZE))
        epochs = kwargs.get("epochs", 1) - kwargs.get("initial_epoch", 0)
        self._recompile(model, batches_per_epoch=batches, train_steps=epochs * batches)
        return model.fit(
            x,
            scaler.transform(y),
            sample_weight=weight,
            validation_data=validation_data,
            **kwargs,
        )

    def _as_windows(self, x):
        """``x`` as float32 windows, a trailing feature axis added for 2-D."""
        x = np.asarray(x, dtype=np.float32)
        if x.ndim == 2 and len(self._window_shape) == 2:
            x = x[:, :, np.newaxis]
        return x

    def _recompile(self, model, *, batches_per_epoch, train_steps):
        """Compile ``model`` again, as it is, for this much training."""
        config = keras.saving.deserialize_keras_object(model.get_compile_config())
        for key in ("steps_per_execution", "jit_compile"):
            config.pop(key, None)
        config.setdefault("loss", self.loss)
        _networks.compile_network(
            model,
            steps_per_execution=self.steps_per_execution,
            batches_per_epoch=batches_per_epoch,
            jit_compile=self.jit_compile,
            train_steps=train_steps,
            **config,
        )


def _split_last(x, y, weight, fraction):
    """Training part and the last ``fraction`` of the windows as validation.

    Returns the training windows, targets and weights, and the validation
    data ``(x, y)`` or ``(x, y, weight)``.
    """
    n_samples = len(x)
    # As Keras splits for validation_split: the first floor(n * (1 - f)).
    split = math.floor(n_samples * (1.0 - fraction))
    if split < 1 or split >= n_samples:
        raise ValueError(
            f"LSTMHyperModel expected enough windows to hold out the last "
            f"{fraction!r} of them for validation and train on the rest; got "
            f"{n_samples} window(s). Pass more data, validation_data=..., or "
            f"another validation_fraction."
        )
    if weight is None:
        return x[:split], y[:split], None, (x[split:], y[split:])
    weight = np.asarray(weight)
    return x[:split], y[:split], weight[:split], (x[split:], y[split:], weight[split:])


def _check_input_shape(input_shape):
    """``(n_timesteps, n_features)`` from ``input_shape``, or a clear error."""
    shape = tuple(input_shape) if isinstance(input_shape, list | tuple) else None
    if (
        shape is None
        or len(shape) not in (1, 2)
        or not all(is_int(d, 1) for d in shape)
    ):
        raise ValueError(
            f"LSTMHyperModel expected input_shape as (n_timesteps, n_features) "
            f"or (n_timesteps,) of positive ints, the shape of one window; got "
            f"{input_shape!r}. For windows X of shape (n_samples, 24, 3), pass "
            f"X.shape[1:]."
        )
    return tuple(int(d) for d in shape) if len(shape) == 2 else (int(shape[0]), 1)


def warn_without_tensorboard():
    """Warn when Keras Tuner's own tuners would fail every trial.

    Keras Tuner <= 1.4.8 imports ``tensorboard`` at the start of every trial
    of its Keras tuners on the TensorFlow backend; TensorFlow >= 2.20 no
    longer installs it, and without it every trial fails and the search
    reports "best score None".
    """
    version = tuple(int(p) for p in kt.__version__.split(".")[:3] if p.isdigit())
    if (
        version <= (1, 4, 8)
        and keras.backend.backend() == "tensorflow"
        and importlib.util.find_spec("tensorboard") is None
    ):
        warnings.warn(
            "LSTMHyperModel found no tensorboard package: Keras Tuner "
            f"{kt.__version__}'s Hyperband, RandomSearch and "
            "BayesianOptimization import it in every trial on the TensorFlow "
            "backend, so every trial would fail and the search report 'best "
            "score None'. Install it (pip install tensorboard) to silence "
            "this warning.",
            UserWarning,
            stacklevel=3,
        )
