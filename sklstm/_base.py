"""The estimator behind every sklstm regressor: windows in, one forecast per row.

:class:`SequenceRegressorBase` is the estimator in plain sight: its parameter
constraints, training with the early-stopping refit, prediction through NumPy
or Keras, gate activations, and the tags. Its input is checked once by
:mod:`sklstm._inputs` into a :class:`~sklstm._windows.Windows` value that
training and prediction consume; its parameters by :mod:`sklstm._params`. It
builds networks with :mod:`sklstm._networks`, feeds them with
:mod:`sklstm._feed`, runs them in NumPy with :mod:`sklstm._numpy_bridge`, and
takes parameter routing from the SciKeras adapter (:mod:`sklstm._scikeras`),
whose template methods it never calls.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import math
from collections import defaultdict

import keras
import numpy as np
from sklearn.base import RegressorMixin

from . import _feed, _networks, _numpy_bridge
from ._atomic_fit import all_or_nothing
from ._inputs import (
    TargetScaler,
    positive_weights,
    validate_windows,
    validate_windows_and_target,
    window_regressor_tags,
)
from ._known_future import check_forecast_steps
from ._levels import (
    change_of,
    fit_level,
    in_units,
    past_of,
    quantiles_in_units,
    static_features,
)
from ._params import check_fit_params, check_param_names, seed_of
from ._quantiles import PinballLoss, check_quantiles
from ._scikeras import SciKerasAdapter, metric_name
from ._seeding import thread_private_keras_seeds
from ._threads import size_tensorflow_threads
from ._validation import (
    Interval,
    Real,
    StrOptions,
    _fit_context,
    check_is_fitted,
    int_at_least,
)
from ._versions import VersionedPickleMixin
from ._windows import Windows

__all__ = ["NUMPY_PREDICT_MAX_SAMPLES", "SequenceRegressorBase"]

#: Early stopping's monitored run is compiled for its planned steps divided by
#: this (they decide XLA, :func:`sklstm._networks.default_jit_compile`): it
#: stops long before ``epochs``, and its network is restarted for the refit.
#: On the first folds of eight benchmark series (two seeds each) the default's
#: monitored run trained a median of 24.5 of 100 epochs (16-100) and the refit
#: 14.5 (6-95): together about 40% of the planned run.
EARLY_STOPPED_SHARE = 2

#: Largest ``predict`` call answered by the NumPy forward pass when
#: ``predict_backend="auto"``; above it Keras's batched predict takes over.
NUMPY_PREDICT_MAX_SAMPLES = 1024


class _EpochCount(keras.callbacks.EarlyStopping):
    """Keras's early stopping on ``val_loss``, remembering the best epoch."""

    def __init__(self, patience):
        super().__init__(monitor="val_loss", patience=patience)


class _StartingState(keras.callbacks.Callback):
    """The weights and optimizer state a network starts training from, to
    train the same network afresh again.

    Early stopping's refit restores them and trains the network of the
    holdout run again rather than a new one: building a network and tracing
    its training step cost 2-5 s on 2 cores (more than a short series' whole
    training), and the refit is the same network from the same seed, so its
    start is the same. ``jit_compile`` records the XLA setting the step was
    compiled with.
    """

    def __init__(self):
        super().__init__()
        self.values = None
        self.jit_compile = None

    def on_train_begin(self, logs=None):
        optimizer = self.model.optimizer
        if not optimizer.built:  # as Keras builds it at the first step
            optimizer.build(self.model.trainable_variables)
        variables = [*self.model.variables, *optimizer.variables]
        self.values = [(v, np.array(v.numpy())) for v in variables]

    def restore(self):
        """Set the network and its optimizer back to their start."""
        for variable, value in self.values:
            variable.assign(value)


class _HeldOutLoss(keras.callbacks.Callback):
    """``val_loss`` of the held-out windows at the end of every epoch, from
    the network's predictions on them.

    Keras's ``validation_data`` evaluates through a test function of its own
    (traced and compiled once, ~2 s on 2 cores) and a new data iterator
    every epoch (~50 ms each for a few windows): on a short series that was a
    fifth of the whole fit. Here ``predict_on_batch`` (its function is traced
    once, a fraction of that; ~2 ms a call for 60 windows; an eager call of
    the network took ~120 ms) gives the outputs and the compiled loss is taken
    over all held-out windows at once: the sample-weighted mean that Keras's
    evaluate reports batch by batch. Used when no metrics are compiled (their
    ``val_`` values need Keras's evaluate). Placed first among the callbacks,
    so that the others (early stopping, the user's) see ``val_loss``.
    """

    #: Windows per call of the network (bounds the memory of one call).
    CHUNK = 4096

    def __init__(self, windows, y, sample_weight):
        super().__init__()
        self._windows, self._y, self._weight = windows, y, sample_weight

    def on_epoch_end(self, epoch, logs=None):
        n = len(self._windows.starts)
        y_pred = np.concatenate(
            [
                self.model.predict_on_batch(
                    self._windows.take(slice(i, i + self.CHUNK))
                    .to_array()
                    .astype(np.float32)
                )
                for i in range(0, n, self.CHUNK)
            ]
        )
        loss = self.model.compute_loss(
            y=self._y, y_pred=y_pred, sample_weight=self._weight, training=False
        )
        if logs is not None:
            logs["val_loss"] = float(loss)


class SequenceRegressorBase(VersionedPickleMixin, RegressorMixin, SciKerasAdapter):
    """The sklstm regressor: windows, a recurrent network, one forecast per row.

    Subclasses write out their parameters and docstrings, and choose their
    network in :meth:`_network_kwargs` (or :meth:`_make_network`). Not part of
    the public API.
    """

    _parameter_constraints: dict = {
        "cell": [StrOptions(set(_networks.CELLS))],
        "activation": [str, callable],
        "recurrent_activation": [str, callable],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "linear_skip": [StrOptions({"auto", "last", "window", "relative"}), None],
        "optimizer": "no_validation",
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "loss": [str, callable],
        "metrics": [list, None],
        "epochs": [int_at_least(1)],
        "batch_size": [int_at_least(1)],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [int_at_least(0)],
        "callbacks": [list, None],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "standardize_target": ["boolean"],
        "steps_per_execution": [int_at_least(1)],
        "jit_compile": ["boolean", StrOptions({"auto"})],
        "predict_backend": [StrOptions({"auto", "numpy", "keras"})],
        "normalize": [StrOptions({"auto", "last", "window"}), None],
        "quantiles": [tuple, list, None],
        "known_future": ["boolean"],
    }

    # --- the network ---------------------------------------------------------

    def _network_kwargs(self):
        """Arguments of :func:`sklstm._networks.build_network` that differ by
        regressor (units, bidirectional, ...)."""
        raise NotImplementedError

    def _make_network(self, input_shape, n_outputs, model_params):
        """The uncompiled network for windows of ``input_shape``."""
        network = {
            **self._network_kwargs(),
            "cell": self.cell,
            "activation": self.activation,
            "recurrent_activation": self.recurrent_activation,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "linear_skip": self._linear_skip(),
            "relative": getattr(self, "level_", None) is not None,
            "scaled": self.normalize == "window" and self.level_ is not None,
            "static": getattr(self, "static_features_", ()),
            "quantiles": self._quantile_levels(),
            "future_steps": self.n_future_steps_,
            **model_params,  # routed model__* parameters win
        }
        # Left out at their defaults: the safe format knows networks without.
        for name in ("future_steps", "scaled", "static"):
            if not network.get(name, True):
                del network[name]
        # Recorded for the safe format (sklstm.save), which rebuilds the
        # network from these arguments and the weights.
        self._network_args = {
            "input_shape": tuple(input_shape),
            "n_outputs": n_outputs,
            **network,
        }
        return _networks.build_network(input_shape, n_outputs=n_outputs, **network)

    def _auto_loss(self):
        """The loss that ``loss="auto"`` stands for: the absolute error for
        windows normalised one by one (a panel's global network), the squared
        error otherwise."""
        return "mae" if getattr(self, "normalize", None) == "window" else "mse"

    def _linear_skip(self):
        """``linear_skip`` with "auto" resolved: the linear path on the
        window's changes when the network learns changes from the last value
        of unscaled windows."""
        if self.linear_skip != "auto":
            return self.linear_skip
        relative = getattr(self, "level_", None) is not None
        return "relative" if relative and self.normalize != "window" else None

    def _build_and_compile(
        self, *, train_steps, batches_per_epoch, later_batches=None, network=None
    ):
        """A fresh, compiled network as ``self.model_``, for this much training
        (see :func:`sklstm._networks.compile_network`).

        ``network``, an uncompiled Keras model, is compiled instead of a new
        one (a network rebuilt from saved weights).
        """

        def build(model_params, compile_kwargs):
            model = network
            if model is None:
                model = self._make_network(
                    self.sequence_shape_, self.n_outputs_, model_params
                )
            # The more specific routed optimizer__learning_rate wins.
            routed_lr = hasattr(self, "optimizer__learning_rate")
            compile_kwargs.setdefault("steps_per_execution", self.steps_per_execution)
            compile_kwargs["jit_compile"] = self._jit_compile_for(train_steps)
            if self._quantile_levels() is not None:
                compile_kwargs["loss"] = PinballLoss(self._quantile_levels())
            return _networks.compile_network(
                model,
                learning_rate=None if routed_lr else self.learning_rate,
                batches_per_epoch=batches_per_epoch,
                later_batches=later_batches,
                train_steps=train_steps,
                **compile_kwargs,
            )

        self._new_network(build)

    def _jit_compile_for(self, train_steps):
        """The XLA setting of a network compiled for ``train_steps`` steps
        (a routed ``compile__jit_compile`` wins over ``jit_compile``)."""
        requested = getattr(self, "compile__jit_compile", self.jit_compile)
        return _networks.resolve_jit_compile(requested, train_steps)

    def _quantile_levels(self):
        """The checked ``quantiles`` as a tuple, or None for a point model."""
        quantiles = getattr(self, "quantiles", None)
        return None if quantiles is None else check_quantiles(self, quantiles)

    # --- parameters ----------------------------------------------------------

    def set_params(self, **params):
        """Set the parameters of this estimator.

        Routed parameters (``model__``, ``optimizer__``, ``fit__``, ...) are
        accepted as in SciKeras; an unknown name gets a suggestion.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : estimator instance
            Estimator instance.
        """
        # Names the estimator already holds (given to __init__) stay settable,
        # as scikit-learn requires; fit is where they must be valid.
        check_param_names(self, params, also=self.get_params(deep=False))
        return super().set_params(**params)

    # --- training ------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    @all_or_nothing
    def fit(self, X, y, sample_weight=None, **kwargs):
        """Fit the network to windows ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows, oldest step first, e.g. from :class:`SequenceWindower`;
            2-D means one feature. Time steps holding NaN are masked.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets; 2-D for several horizons.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.

        **kwargs : dict
            Passed to :meth:`keras.Model.fit` (prefer the ``fit__`` routed
            parameters, which survive cloning). ``callbacks`` given here are
            used by this fit only, on top of the ``callbacks`` parameter, and
            are not kept in the fitted estimator.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_fit_params(self)
        warm = bool(self.warm_start and self.initialized_)
        windows, y, sample_weight, n_windows = self._training_data(
            X, y, sample_weight, warm=warm
        )
        epochs = kwargs.pop("epochs", getattr(self, "fit__epochs", self.epochs))
        initial_epoch = kwargs.pop("initial_epoch", 0)
        callbacks = list(kwargs.pop("callbacks", None) or ())  # this fit only
        holdout = self._early_stopping_holdout(n_windows, warm)
        with _feed.quiet_retracing():
            if holdout is None:
                self._train(
                    windows, y, sample_weight, n_windows=n_windows, epochs=epochs,
                    initial_epoch=initial_epoch, warm=warm, callbacks=callbacks,
                    fit_kwargs=kwargs,
                )  # fmt: skip
                return self
            # 1. Train on all but the last windows, monitoring their loss.
            self._say("choosing the epoch count on the last windows")
            stopper, start = _EpochCount(self.patience), _StartingState()
            self._train(
                windows, y, sample_weight, n_windows=n_windows, epochs=epochs,
                holdout=holdout, start=start, callbacks=[*callbacks, stopper],
                fit_kwargs=kwargs,
            )  # fmt: skip
            history, best_epoch = self.history_, stopper.best_epoch + 1
            # 2. Train afresh on every window, the most recent ones included,
            #    for the number of epochs that did best.
            self._say(f"refitting on all windows for {best_epoch} epochs")
            self._train(
                windows, y, sample_weight, n_windows=n_windows, epochs=best_epoch,
                start=start, callbacks=callbacks, fit_kwargs=kwargs,
            )  # fmt: skip
        self.history_ = history
        self.best_epoch_ = best_epoch
        return self

    def _training_data(self, X, y, sample_weight, *, warm):
        """Checked windows, targets and weights to train on (the windows of
        positive weight), and the number of windows given."""
        windows, y = validate_windows_and_target(self, X, y, reset=not warm)
        n_windows = len(windows)
        windows, y, sample_weight = positive_weights(self, sample_weight, windows, y)
        return windows, y, sample_weight, n_windows

    def _early_stopping_holdout(self, n_windows, warm):
        """The fraction held out to choose the epoch count, or None."""
        if not self.early_stopping:
            return None
        if self.validation_split > 0:
            raise ValueError(
                f"{type(self).__name__} expected validation_split=0 with "
                f"early_stopping=True, which holds out validation_fraction="
                f"{self.validation_fraction!r} of the windows itself; got "
                f"validation_split={self.validation_split!r}. Set one of them."
            )
        if warm:
            return None  # keep training the fitted network, as asked
        if int(n_windows * self.validation_fraction) < 1:
            return None
        return self.validation_fraction

    def _say(self, message):
        if self.verbose:
            print(f"{type(self).__name__}: {message}", flush=True)

    @_fit_context(prefer_skip_nested_validation=True)
    @all_or_nothing
    def partial_fit(self, X, y, sample_weight=None, **kwargs):
        """Train for one more epoch, from the current weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows, as in :meth:`fit`.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.

        **kwargs : dict
            Passed to :meth:`keras.Model.fit`.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_fit_params(self)
        warm = self.initialized_
        windows, y, sample_weight, n_windows = self._training_data(
            X, y, sample_weight, warm=warm
        )
        kwargs.pop("epochs", None)
        callbacks = list(kwargs.pop("callbacks", None) or ())  # this call only
        with _feed.quiet_retracing():
            self._train(
                windows, y, sample_weight, n_windows=n_windows, epochs=1,
                initial_epoch=self.current_epoch, warm=warm, keep_history=True,
                budget_epochs=self.epochs,  # the budget of a loop of partial_fit
                callbacks=callbacks, fit_kwargs=kwargs,
            )  # fmt: skip
        return self

    def _train(self, *args, **kwargs):
        """One run of Keras's fit (see :meth:`_keras_fit`), with TensorFlow's
        thread pools sized to this process's cores and Keras's default seeds
        drawn from this thread's generator (:mod:`sklstm._threads`,
        :mod:`sklstm._seeding`): a seeded fit gives the same network in a
        joblib, Dask or Ray worker as in a plain process."""
        size_tensorflow_threads()
        with thread_private_keras_seeds():
            return self._keras_fit(*args, **kwargs)

    def _keras_fit(
        self,
        windows,
        y,
        sample_weight,
        *,
        n_windows,
        epochs,
        initial_epoch=0,
        warm=False,
        holdout=0.0,
        callbacks=(),
        keep_history=None,
        budget_epochs=None,
        start=None,
        fit_kwargs,
    ):
        """One run of Keras's fit over ``windows``; a fresh network unless warm.

        ``holdout`` (or ``validation_split``) holds out the last windows to
        report ``val_loss``; ``callbacks`` are added to the user's for this run
        only. ``budget_epochs`` times the batches of ``n_windows`` is the
        training the network is compiled for (it decides XLA). ``start``, a
        :class:`_StartingState`, records the network's start (with
        ``holdout``: early stopping's run, whose compiled step then also suits
        epochs of all windows) or, recorded, restarts that network when it
        was compiled as a new one would be (the refit).
        """
        seed = seed_of(self.random_state)
        if seed is not None:
            keras.utils.set_random_seed(seed)
        options = self._fit_options(**fit_kwargs)
        batch_size = options.pop("batch_size")
        shuffle = options.pop("shuffle")
        split = holdout or options.pop("validation_split", 0.0)
        options.pop("validation_split", None)  # when holdout took its place
        validation_batch_size = options.pop("validation_batch_size", None) or batch_size
        validation_data = options.pop("validation_data", None)
        n_train = len(windows)
        if split and validation_data is None:
            n_train = int(np.floor(len(windows) * (1.0 - split)))
            if not 0 < n_train < len(windows):
                raise ValueError(
                    f"{type(self).__name__} cannot hold out a fraction "
                    f"{split!r} of {len(windows)} window(s) for validation and "
                    f"still train on some; pass more windows or change "
                    f"validation_split (or validation_fraction)."
                )
        if not warm:
            self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
            # SequenceRegressor (a user's network) has no known_future.
            known = getattr(self, "known_future", False)
            self.n_future_steps_ = self.n_outputs_ if known else 0
            if self.n_future_steps_:
                check_forecast_steps(self, windows, self.n_future_steps_)
            self.level_ = fit_level(self, windows, y)
            # Read as they are, not relative to the last step (all zeros).
            relative = self.level_ is not None
            self.static_features_ = (
                static_features(past_of(self, windows)) if relative else ()
            )
            budget = (budget_epochs or epochs) * math.ceil(n_windows / self.batch_size)
            if holdout:  # early stopping's run: it stops long before epochs
                budget //= EARLY_STOPPED_SHARE
            batches = math.ceil(n_train / batch_size)
            jit_compile = self._jit_compile_for(budget)
            if (
                start is not None
                and start.values is not None
                and start.jit_compile == jit_compile
                and batches % self.model_.steps_per_execution == 0
            ):  # the same network and start, so the same training
                start.restore()
                self._initialize_callbacks()  # as a new network gets them
            else:
                # Without XLA the refit (fewer steps) usually is too: the
                # monitored run's steps per call then suit the refit's epochs.
                shared = holdout and start is not None and jit_compile is False
                later = math.ceil(len(windows) / batch_size) if shared else None
                self._build_and_compile(
                    train_steps=budget, batches_per_epoch=batches, later_batches=later
                )
                if holdout and start is not None:
                    start.jit_compile = jit_compile
                    callbacks = [*callbacks, start]
        # The change from the last value (in the window's spread), if asked.
        y = change_of(self, windows, y)
        if not warm:
            # Scaled by the windows trained on: the held-out ones stay unseen.
            weights = None if sample_weight is None else sample_weight[:n_train]
            self.target_scaler_ = TargetScaler(
                self.standardize_target, owner=type(self).__name__
            ).fit(y[:n_train], sample_weight=weights)
        arrays = (self.target_scaler_.transform(y),)
        if sample_weight is not None:
            arrays = (*arrays, sample_weight)
        held_out_loss = []  # the callback that reports val_loss, if any
        if validation_data is not None:
            validation_data = self._validation_dataset(
                validation_data, validation_batch_size
            )
        elif n_train < len(windows):
            held_out = windows.take(slice(n_train, None))
            if not self._reports_held_out_loss():
                validation_data = _feed.window_dataset(
                    held_out,
                    *(a[n_train:] for a in arrays),
                    batch_size=validation_batch_size,
                )
            else:  # the loss alone: computed without Keras's evaluate
                weight = None if len(arrays) < 2 else arrays[1][n_train:]
                held_out_loss = [
                    _HeldOutLoss(
                        held_out, arrays[0][n_train:].astype(np.float32), weight
                    )
                ]
            windows = windows.take(slice(None, n_train))
            arrays = tuple(a[:n_train] for a in arrays)
        dataset = _feed.window_dataset(
            windows, *arrays, batch_size=batch_size, shuffle=shuffle, seed=seed
        )
        if "steps_per_epoch" not in options:
            dataset, options["steps_per_epoch"] = _feed.epoch_stream(
                dataset, self.model_.steps_per_execution
            )
        history = self.model_.fit(
            dataset,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            callbacks=[*held_out_loss, *self._fit_callbacks, *callbacks],
            validation_data=validation_data,
            shuffle=False,  # the dataset shuffles
            **options,
        )
        if keep_history is None:
            keep_history = warm and initial_epoch > 0
        if not (keep_history and hasattr(self, "history_")):
            self.history_ = defaultdict(list)
        for key, values in history.history.items():
            if not (key == "loss" or key.startswith("val_")):
                with contextlib.suppress(ValueError):  # e.g. a custom metric
                    key = metric_name(key)
            self.history_[key] += values

    def _reports_held_out_loss(self):
        """Whether :class:`_HeldOutLoss` computes ``val_loss`` of the held-out
        windows (no metrics compiled), rather than Keras's evaluate."""
        return not self._get_compile_kwargs().get("metrics")

    def _validation_dataset(self, validation_data, batch_size):
        """``validation_data=(X, y[, sample_weight])`` as fit's data: validated,
        with y scaled as the training targets are."""
        X, y, *weight = validation_data
        windows, y = validate_windows_and_target(self, X, y, reset=False)
        y = change_of(self, windows, y)
        arrays = (self.target_scaler_.transform(y), *weight)
        return _feed.window_dataset(windows, *arrays, batch_size=batch_size)

    # --- prediction ----------------------------------------------------------

    def predict(self, X):
        """Predict the target of each window.

        Small calls (up to 1024 windows with ``predict_backend="auto"``) run
        the NumPy forward pass of :mod:`sklstm.gates`, which returns the same
        values as Keras without its fixed cost per call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows shaped as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions in the units of ``y``, shaped as the ``y`` of fit;
            the median for a quantile regressor.
        """
        check_is_fitted(self)
        windows = validate_windows(self, X, reset=False)
        return in_units(self, self._forward(windows), windows, self._quantile_levels())

    def predict_quantiles(self, X):
        """Predict the quantiles of the target of each window.

        Available when the regressor was fitted with ``quantiles``. The
        quantiles never cross: the network outputs the lowest one and
        positive gaps to the next.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows shaped as in :meth:`fit`.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or \
                (n_samples, n_outputs, n_quantiles)
            The quantiles, in the order of ``quantiles``, in the units of
            ``y``; 3-D when ``y`` of fit was 2-D (several steps ahead).
        """
        check_is_fitted(self)
        if self._quantile_levels() is None:
            raise ValueError(
                f"{type(self).__name__} was fitted without quantiles, so it has "
                f"no quantiles to predict; set quantiles=(0.05, 0.5, 0.95) and "
                f"refit, or wrap it in sklstm.ConformalForecaster for intervals."
            )
        windows = validate_windows(self, X, reset=False)
        return quantiles_in_units(self, self._forward(windows), windows)

    def _forward(self, windows: Windows):
        """The network's raw (scaled) output for ``windows``."""
        backend = self.predict_backend
        numpy_ok = _numpy_bridge.supports_numpy_forward(self.model_)
        if backend == "auto":
            use_numpy = len(windows) <= NUMPY_PREDICT_MAX_SAMPLES and numpy_ok
        else:
            use_numpy = backend == "numpy" and numpy_ok
        if use_numpy:
            return _numpy_bridge.numpy_forward(self.model_, windows.to_array())
        batch_size = self._routed("predict").get("batch_size", 1024)
        dataset = _feed.window_dataset(windows, batch_size=batch_size)
        with _feed.quiet_retracing():
            return self.model_.predict(dataset, verbose=0)

    def gate_activations(self, X):
        """Gate activations of the first recurrent layer, step by step.

        Computed with :mod:`sklstm.gates` from the fitted weights. For a
        bidirectional network, the forward direction of the first layer.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows shaped as in :meth:`fit`.

        Returns
        -------
        activations : dict of str to ndarray of shape \
                (n_samples, n_timesteps, units)
            For an LSTM: ``"input"`` (i), ``"forget"`` (f), ``"candidate"``
            (g), ``"output"`` (o), ``"cell"`` (c) and ``"hidden"`` (h). For a
            GRU: ``"update"`` (z), ``"reset"`` (r), ``"candidate"`` and
            ``"hidden"``. At masked (NaN) steps the gates are NaN and the
            states carry over.
        """
        check_is_fitted(self)
        if not _numpy_bridge.supports_numpy_forward(self.model_):
            raise ValueError(
                f"{type(self).__name__} can report gate activations of the "
                f"networks sklstm builds (LSTM or GRU layers with activations "
                f"that sklstm.gates knows); got a network it cannot read, "
                f"{self.model_.name!r}. Inspect its layers with Keras instead."
            )
        windows = past_of(self, validate_windows(self, X, reset=False))
        return _numpy_bridge.gate_activations(self.model_, windows.to_array())

    def __sklearn_tags__(self):
        tags = window_regressor_tags(super().__sklearn_tags__())
        tags.non_deterministic = self.random_state is None
        return tags
