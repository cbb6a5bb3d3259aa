"""The adapter over SciKeras: the only module that imports ``scikeras``.

SciKeras 0.13 gives the routed parameters (``model__``, ``optimizer__``,
``fit__``, callbacks as parameters), compilation and pickling of the Keras model.
It is no longer maintained, and under scikit-learn >= 1.6 several of its
behaviours are wrong for us; this base corrects them in one place:

- its classes declare ``(BaseWrapper, RegressorMixin)``, so scikit-learn sees no
  regressor: the base puts ``RegressorMixin`` first and sets the tags itself;
- its input validation rejects NaN (our masked steps) and counts features
  wrongly for 3-D input: the base validates input itself;
- its seeding turns TensorFlow's op determinism on for the whole process (and,
  from the first seeded fit on, never off again, so that a later unseeded fit
  fails): the base seeds with :func:`keras.utils.set_random_seed` instead;
- it returns float32 predictions and trains on y as given: the base returns
  float64 and can standardise y internally.

Replacing SciKeras later means rewriting this file only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import copy
import difflib
import pickle
from collections import defaultdict

import keras
import numpy as np
from scikeras._utils import route_params
from scikeras.utils import metric_name
from scikeras.utils.transformers import RegressorTargetEncoder
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight, check_consistent_length

from . import _networks
from ._validation import (
    Integral,
    Interval,
    Real,
    StrOptions,
    _fit_context,
    _num_samples,
    check_is_fitted,
    check_numeric,
    validate_data,
)
from ._windowing import window_rows, windows_over

__all__ = ["SciKerasLSTMBase"]

#: Largest ``predict`` call answered by the NumPy forward pass when
#: ``predict_backend="auto"``; above it Keras's batched predict takes over.
NUMPY_PREDICT_MAX_SAMPLES = 1024


class _TargetScaler(RegressorTargetEncoder):
    """SciKeras's regressor target encoder, standardising y when asked.

    The network then learns a target of mean 0 and unit variance whatever the
    units of y (degrees, MW, ...); predictions are mapped back to those units.
    """

    def __init__(self, standardize=True):
        self.standardize = standardize

    def fit(self, y, sample_weight=None):
        super().fit(y)
        y2d = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        if self.standardize:
            self.mean_ = np.average(y2d, axis=0, weights=sample_weight)
            variance = np.average(
                (y2d - self.mean_) ** 2, axis=0, weights=sample_weight
            )
            scale = np.sqrt(variance)
            self.scale_ = np.where(scale > 0, scale, 1.0)
        else:
            self.mean_ = np.zeros(y2d.shape[1])
            self.scale_ = np.ones(y2d.shape[1])
        return self

    def transform(self, y):
        y = super().transform(y)
        y2d = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        return ((y2d - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, y):
        y2d = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        return super().inverse_transform(y2d * self.scale_ + self.mean_)


def _without_model(callback):
    """A shallow copy of a Keras callback, without the model it was last set to."""
    if not isinstance(callback, keras.callbacks.Callback):
        return callback
    callback = copy.copy(callback)
    vars(callback).pop("_model", None)
    return callback


def _picklable_or_raise(owner, name, value):
    """Fail early, with a fix, when a parameter would make the model unpicklable."""
    if name == "callbacks" and isinstance(value, list):
        # A callback used before holds that model: pickling it would save it.
        value = [_without_model(callback) for callback in value]
    try:
        pickle.dumps(value)
    except Exception as exc:  # pickle raises several types for the same problem
        raise TypeError(
            f"{type(owner).__name__} expected a picklable {name}, so that the "
            f"fitted estimator can be pickled, cloned into worker processes "
            f"(n_jobs > 1) and saved; got {value!r} ({exc}). Define it as a "
            f"module-level function or a Keras class instead of a lambda or "
            f"a local function."
        ) from None


#: Parameters of SciKeras's BaseWrapper that sklstm does not use. Left at their
#: defaults (the class attributes of SciKerasLSTMBase), they stay out of
#: get_params() and the repr; set, they are parameters like any other.
_UNUSED_SCIKERAS_PARAMS = ("model", "build_fn", "run_eagerly", "validation_batch_size")


class SciKerasLSTMBase(RegressorMixin, BaseWrapper):
    """Base of the sklstm regressors: SciKeras, corrected, with LSTM knobs.

    Subclasses set their network in :meth:`_network_kwargs` and write out their
    parameters and docstrings. Not part of the public API.
    """

    # Defaults of _UNUSED_SCIKERAS_PARAMS, read by SciKeras.
    model = None
    build_fn = None
    run_eagerly = False
    validation_batch_size = None

    _parameter_constraints: dict = {
        "activation": [str, callable],
        "recurrent_activation": [str, callable],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "linear_skip": [StrOptions({"last", "window"}), None],
        "optimizer": "no_validation",
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "loss": [str, callable],
        "metrics": [list, None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "callbacks": [list, None],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "standardize_target": ["boolean"],
        "steps_per_execution": [Interval(Integral, 1, None, closed="left")],
        "jit_compile": ["boolean", StrOptions({"auto"})],
        "predict_backend": [StrOptions({"auto", "numpy", "keras"})],
    }

    def __init__(
        self,
        *,
        units,
        activation,
        recurrent_activation,
        dropout,
        recurrent_dropout,
        linear_skip,
        optimizer,
        learning_rate,
        loss,
        metrics,
        epochs,
        batch_size,
        validation_split,
        early_stopping,
        validation_fraction,
        patience,
        callbacks,
        shuffle,
        random_state,
        verbose,
        warm_start,
        standardize_target,
        steps_per_execution,
        jit_compile,
        predict_backend,
        **kwargs,
    ):
        super().__init__(
            optimizer=optimizer,
            loss=loss,
            metrics=metrics,
            epochs=epochs,
            batch_size=batch_size,
            validation_split=validation_split,
            callbacks=callbacks,
            shuffle=shuffle,
            random_state=random_state,
            verbose=verbose,
            warm_start=warm_start,
            **kwargs,
        )
        for name in _UNUSED_SCIKERAS_PARAMS:
            if vars(self)[name] is getattr(SciKerasLSTMBase, name):
                del vars(self)[name]  # the class attribute stands in for it
        self.units = units
        self.activation = activation
        self.recurrent_activation = recurrent_activation
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.linear_skip = linear_skip
        self.learning_rate = learning_rate
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.standardize_target = standardize_target
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile
        self.predict_backend = predict_backend

    # --- SciKeras hooks ------------------------------------------------------

    @property
    def _random_state(self):
        # SciKeras wraps model building and training in a context that enables
        # TensorFlow's op determinism process-wide; seeding happens in `fit`
        # instead, so SciKeras must always see "no seed".
        return None

    @_random_state.setter
    def _random_state(self, value):
        pass

    @property
    def target_encoder(self):
        return _TargetScaler(standardize=self.standardize_target)

    def _keras_build_fn(self, meta=None, compile_kwargs=None, **model_params):
        model_params.pop("params", None)
        network = {
            **self._network_kwargs(),
            "activation": self.activation,
            "recurrent_activation": self.recurrent_activation,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "linear_skip": self.linear_skip,
            **model_params,  # routed model__* parameters win
        }
        model = _networks.build_lstm_network(
            self.sequence_shape_, n_outputs=meta["n_outputs_"], **network
        )
        compile_kwargs = dict(compile_kwargs)
        # A fresh optimizer for every network: an instance the user passed is
        # neither mutated nor shared between fits.
        optimizer = compile_kwargs["optimizer"]
        config = optimizer.get_config()
        routed = hasattr(self, "optimizer__learning_rate")  # the more specific wins
        if self.learning_rate is not None and not routed:
            config["learning_rate"] = self.learning_rate
        compile_kwargs["optimizer"] = type(optimizer).from_config(config)
        compile_kwargs.setdefault("steps_per_execution", self.steps_per_execution)
        if self.jit_compile == "auto":
            jit = _networks.default_jit_compile(self._n_fit_steps)
            compile_kwargs.setdefault("jit_compile", jit)
        else:
            compile_kwargs.setdefault("jit_compile", self.jit_compile)
        model.compile(**compile_kwargs)
        return model

    def _fit(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        # SciKeras's _fit, except that the windows reach Keras as batches
        # gathered from the rows behind them (never all materialised), and
        # zero-weight windows are dropped by index instead of by copying X.
        initialized = (self.warm_start or warm_start) and self.initialized_
        if not initialized:
            X, y = self._initialize(X, y)
        else:
            X, y = self._validate_data(X, y)
        self._ensure_compiled_model()
        X = self.feature_encoder_.transform(X)
        rows, starts = window_rows(X)
        if sample_weight is not None:
            if not np.any(np.asarray(sample_weight)):
                raise ValueError(
                    f"{type(self).__name__} got a sample_weight of zeros only, "
                    f"so there is nothing to train on; give some windows a "
                    f"positive weight."
                )
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32)
            kept = sample_weight != 0
            starts, y, sample_weight = starts[kept], y[kept], sample_weight[kept]
            if not initialized:  # the target's scale is a weighted one
                self.target_encoder_.fit(y, sample_weight=sample_weight)
        y = self.target_encoder_.transform(y)
        self._check_model_compatibility(y)
        self._fit_keras_model(
            (rows, starts),
            y,
            sample_weight=sample_weight,
            warm_start=warm_start,
            epochs=epochs,
            initial_epoch=initial_epoch,
            **kwargs,
        )

    def _fit_keras_model(
        self, windows, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        # SciKeras's _fit_keras_model, fed by window_dataset: batch_size,
        # shuffle and validation_split are applied here, as Keras applies them
        # to arrays (the validation windows are the last ones, unshuffled).
        fit_args = route_params(
            self.get_params(), destination="fit", pass_filter=self._fit_kwargs
        )
        fit_args.update(kwargs)
        fit_args = {
            k: v
            for k, v in fit_args.items()
            if not k.startswith("callbacks")
            and k not in ("epochs", "initial_epoch", "sample_weight")
        }
        batch_size = fit_args.pop("batch_size")
        shuffle = fit_args.pop("shuffle")
        split = fit_args.pop("validation_split", 0.0)
        validation_batch_size = fit_args.pop("validation_batch_size", None)
        rows, starts = windows
        arrays = (y,) if sample_weight is None else (y, sample_weight)
        if fit_args.get("validation_data") is not None:
            fit_args["validation_data"] = self._validation_windows(
                fit_args["validation_data"], validation_batch_size or batch_size
            )
        elif split:
            n_train = int(np.floor(len(starts) * (1.0 - split)))
            if not 0 < n_train < len(starts):
                raise ValueError(
                    f"{type(self).__name__} cannot hold out a fraction "
                    f"{split!r} of {len(starts)} window(s) for validation and "
                    f"still train on some; pass more windows or change "
                    f"validation_split (or validation_fraction)."
                )
            fit_args["validation_data"] = _networks.window_dataset(
                rows,
                starts[n_train:],
                self.sequence_shape_[0],
                *(a[n_train:] for a in arrays),
                batch_size=validation_batch_size or batch_size,
            )
            starts, arrays = starts[:n_train], tuple(a[:n_train] for a in arrays)
        dataset = _networks.window_dataset(
            rows,
            starts,
            self.sequence_shape_[0],
            *arrays,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=self._seed(),
        )
        history = self.model_.fit(
            dataset,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            callbacks=self._fit_callbacks,
            shuffle=False,  # the dataset shuffles
            **fit_args,
        )
        if not warm_start or not hasattr(self, "history_") or initial_epoch == 0:
            self.history_ = defaultdict(list)
        for key, values in history.history.items():
            if not (key == "loss" or key.startswith("val_")):
                with contextlib.suppress(ValueError):  # e.g. a custom metric
                    key = metric_name(key)
            self.history_[key] += values

    def _validation_windows(self, validation_data, batch_size):
        """``validation_data=(X, y[, sample_weight])`` as fit's data: validated,
        with y scaled as the training targets are."""
        X, y, *weight = validation_data
        X, y = self._validate_data(X, y)
        arrays = (self.target_encoder_.transform(y), *weight)
        return _networks.window_dataset(
            *window_rows(X), X.shape[1], *arrays, batch_size=batch_size
        )

    def _initialize_callbacks(self):
        super()._initialize_callbacks()
        if getattr(self, "_stopping_run", False):
            self._stopper = keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=self.patience
            )
            self._fit_callbacks = [*self._fit_callbacks, self._stopper]

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=True):
        if reset and X is not None and y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target "
                f"y is None. Pass the values to forecast, e.g. from "
                f"sklstm.make_supervised."
            )
        if X is not None:
            X = self._validate_X(X, reset=reset)
        if y is not None:
            y = self._validate_y(y, reset=reset)
            if X is not None:
                check_consistent_length(X, y)
        return X, y

    # --- input validation ----------------------------------------------------

    def _validate_X(self, X, *, reset):
        name = type(self).__name__
        check_numeric(self, X)
        shape = np.shape(X) if hasattr(X, "shape") else np.shape(np.asarray(X))
        if len(shape) not in (2, 3):
            hint = (
                " Reshape your data: a 1-D series needs windowing first, e.g. "
                "with SequenceWindower."
                if len(shape) < 2
                else ""
            )
            raise ValueError(
                f"{name} expected X of shape (n_samples, n_timesteps) or "
                f"(n_samples, n_timesteps, n_features); got shape {shape}.{hint}"
            )
        sequence_shape = tuple(shape[1:]) if len(shape) == 3 else (shape[1], 1)
        if not reset:
            check_is_fitted(self)
            if sequence_shape != self.sequence_shape_:
                steps, features = self.sequence_shape_
                raise ValueError(
                    f"X has {shape[1]} features, but {name} is expecting "
                    f"{self.n_features_in_} features as input: {name} was fitted "
                    f"on windows of {steps} time step(s) and {features} "
                    f"feature(s), X of shape (n_samples, {steps}, {features}); "
                    f"got X of shape {shape}. Window the data as in fit."
                )
        X = validate_data(
            self,
            X,
            reset=reset,
            allow_nd=True,
            dtype=[np.float32, np.float64],
            ensure_all_finite=False,  # checked below, on the rows
        )
        if X.ndim == 2:
            X = X[:, :, np.newaxis]
        # The checks and the cast to float32 work on the rows behind the
        # windows, so a strided view of windows is never materialised.
        rows, starts = window_rows(X)
        with np.errstate(over="ignore"):  # too large for float32: inf, caught here
            rows = rows.astype(np.float32, copy=False)
        if np.isinf(rows).any():
            raise ValueError(
                f"Input X contains infinity or a value too large for "
                f"dtype('float32'). {name} masks NaN time steps but cannot "
                f"use infinite ones; replace them with NaN (or finite values) "
                f"first."
            )
        X = windows_over(rows, starts, X.shape[1])
        if reset:
            self.sequence_shape_ = X.shape[1:]
            # Observed steps per window, by a running count over the rows.
            observed = np.concatenate([[0], np.cumsum(~np.isnan(rows).any(axis=1))])
            empty = observed[starts + X.shape[1]] == observed[starts]
            if empty.any():
                bad = np.flatnonzero(empty)
                raise ValueError(
                    f"{name} expected every training window to have at least "
                    f"one observed time step (a step with no NaN); got "
                    f"{bad.size} window(s) with none, at row(s) "
                    f"{bad[:5].tolist()}{'...' if bad.size > 5 else ''}. Drop "
                    f"those rows (and their targets), or impute the missing "
                    f"values before windowing."
                )
        return X

    def _validate_y(self, y, *, reset):
        name = type(self).__name__
        try:
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{name} expected numeric y; got values that are not numbers ({exc})."
            ) from None
        if y.ndim not in (1, 2):
            raise ValueError(
                f"{name} expected y of shape (n_samples,) or (n_samples, "
                f"n_outputs); got shape {y.shape}."
            )
        bad = ~np.isfinite(y.reshape(len(y), -1)).all(axis=1)
        if bad.any():
            rows = np.flatnonzero(bad)
            raise ValueError(
                f"{name} expected finite y; got NaN or infinity in "
                f"{rows.size} row(s), first at row {rows[0]}. Drop those rows "
                f"(and the matching rows of X) before fitting."
            )
        if reset:
            self.y_ndim_ = y.ndim
        elif y.ndim != self.y_ndim_:
            raise ValueError(
                f"{name} was fitted on a {self.y_ndim_}-D y; got a {y.ndim}-D y."
            )
        return y

    def _check_fit_params(self):
        name = type(self).__name__
        for param in ("activation", "recurrent_activation"):
            value = getattr(self, param)
            if isinstance(value, str):
                try:
                    keras.activations.get(value)
                except ValueError:
                    raise ValueError(
                        f"{name} expected {param} to be a Keras activation such "
                        f"as 'tanh', 'sigmoid', 'relu', 'hard_sigmoid' or "
                        f"'linear'; got {value!r}."
                    ) from None
        for param in ("activation", "recurrent_activation", "loss", "callbacks"):
            _picklable_or_raise(self, param, getattr(self, param))

    def _seed(self):
        if self.random_state is None:
            return None
        if isinstance(self.random_state, Integral):
            return int(self.random_state)
        rng = check_random_state(self.random_state)  # a RandomState: draw a seed
        return int(rng.randint(np.iinfo(np.int32).max))

    # --- public API ------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
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
            parameters, which survive cloning).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        with _networks.quiet_retracing():
            return self._fit_with_early_stopping(X, y, sample_weight, **kwargs)

    def _fit_with_early_stopping(self, X, y, sample_weight, **kwargs):
        self._prepare_fit(X, kwargs.get("epochs", self.epochs))
        if not self._stops_early(X):
            super().fit(X, y, sample_weight=sample_weight, **kwargs)
            return self
        # 1. Train on all but the last windows, monitoring the loss on those.
        self._stopping_run = True
        try:
            super().fit(
                X,
                y,
                sample_weight=sample_weight,
                validation_split=self.validation_fraction,
                **kwargs,
            )
        finally:
            self._stopping_run = False
        history, best_epoch = self.history_, self._stopper.best_epoch + 1
        # 2. Train afresh on every window, the most recent ones included, for
        #    the number of epochs that did best.
        self._prepare_fit(X, best_epoch)
        super().fit(X, y, sample_weight=sample_weight, epochs=best_epoch, **kwargs)
        self.history_ = history
        self.best_epoch_ = best_epoch
        return self

    def _stops_early(self, X):
        """Whether this fit runs the early-stopping holdout and refit."""
        if not self.early_stopping:
            return False
        if self.validation_split > 0:
            raise ValueError(
                f"{type(self).__name__} expected validation_split=0 with "
                f"early_stopping=True, which holds out validation_fraction="
                f"{self.validation_fraction!r} of the windows itself; got "
                f"validation_split={self.validation_split!r}. Set one of them."
            )
        if self.warm_start and self.initialized_:
            return False  # keep training the fitted network, as asked
        return int(_num_samples(X) * self.validation_fraction) >= 1

    @_fit_context(prefer_skip_nested_validation=True)
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
        self._prepare_fit(X, self.epochs)  # the budget of a loop of partial_fit
        with _networks.quiet_retracing():
            super().partial_fit(X, y, sample_weight=sample_weight, **kwargs)
        return self

    def _prepare_fit(self, X, epochs):
        """Checks that need no data, seeding, and the size of the training."""
        self._check_fit_params()
        # The training steps of the network about to be built decide
        # jit_compile="auto".
        self._n_fit_steps = epochs * -(-_num_samples(X) // self.batch_size)
        seed = self._seed()
        if seed is not None:
            keras.utils.set_random_seed(seed)

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
            Predictions in the units of ``y``, shaped as the ``y`` of fit.
        """
        check_is_fitted(self)
        X, _ = self._validate_data(X)
        raw = self._forward(X)
        return np.asarray(self.target_encoder_.inverse_transform(raw), np.float64)

    def _forward(self, X):
        backend = self.predict_backend
        if backend == "auto":
            use_numpy = len(X) <= NUMPY_PREDICT_MAX_SAMPLES and (
                _networks.supports_numpy_forward(self.model_)
            )
        else:
            use_numpy = backend == "numpy"
        if use_numpy:
            return _networks.numpy_forward(self.model_, X)
        batch_size = getattr(self, "predict__batch_size", 1024)
        dataset = _networks.window_dataset(
            *window_rows(X), X.shape[1], batch_size=batch_size
        )
        with _networks.quiet_retracing():
            return self.model_.predict(dataset, verbose=0)

    def gate_activations(self, X):
        """Gate activations of the first LSTM layer, step by step.

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
            ``"input"`` (i), ``"forget"`` (f), ``"candidate"`` (g),
            ``"output"`` (o), ``"cell"`` (c) and ``"hidden"`` (h). At masked
            (NaN) steps the gates are NaN and c, h carry over.
        """
        check_is_fitted(self)
        X, _ = self._validate_data(X)
        return _networks.gate_activations(self.model_, X)

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
        valid = set(self.get_params())
        for param in params:
            routed = any(param.startswith(f"{p}__") for p in self._routing_prefixes)
            if not routed and param.split("__")[0] not in valid:
                guess = param.replace("_", "__", 1) if "__" not in param else None
                close = difflib.get_close_matches(param, sorted(valid), n=1)
                if guess and guess.split("__")[0] in self._routing_prefixes:
                    hint = f" Did you mean {guess!r}?"
                elif close:
                    hint = f" Did you mean {close[0]!r}?"
                else:
                    hint = ""
                raise ValueError(
                    f"Invalid parameter {param!r} for estimator "
                    f"{type(self).__name__}.{hint} Valid parameters are: "
                    f"{sorted(valid)!r}."
                )
        return super().set_params(**params)

    # scikit-learn's repr (only the parameters that differ from their
    # defaults), also inside a Pipeline, rather than SciKeras's full listing.
    __repr__ = BaseEstimator.__repr__

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        tags.non_deterministic = self.random_state is None
        return tags
