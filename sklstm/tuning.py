"""Keras Tuner integration: tune the window, the architecture and the training together.

Two ways in, both validated in time order (never shuffled):

- :class:`LSTMHyperModel`, a :class:`keras_tuner.HyperModel` that builds the
  networks of the sklstm regressors from a search space, for
  :class:`keras_tuner.Hyperband`, :class:`keras_tuner.BayesianOptimization` and
  :class:`keras_tuner.RandomSearch` on windowed arrays; it holds out the last
  part of the data for validation.
- :class:`KerasTunerSearchCV`, a scikit-learn meta-estimator that searches any
  estimator's or :class:`~sklearn.pipeline.Pipeline`'s parameters (the window
  together with the network and the training) with Keras Tuner's algorithms,
  scores each trial by time-ordered cross-validation and refits the best.

Search spaces are dicts of :class:`Int`, :class:`Float` and :class:`Choice` (a
list is shorthand for a choice), so no Keras Tuner code is needed.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import difflib
import math
import os
import tempfile
import time
import warnings
from copy import deepcopy

import keras
import keras_tuner as kt
import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import TimeSeriesSplit, check_cv
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if

from . import _networks, _tuning
from ._tuning import Choice, Float, Int
from ._validation import Integral, Interval, StrOptions, _fit_context, check_is_fitted

__all__ = ["Choice", "Float", "Int", "KerasTunerSearchCV", "LSTMHyperModel"]

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
    "recurrent_activation": "sigmoid",
    "recurrent_dropout": 0.0,
    "merge_mode": "concat",
    "linear_skip": None,
}


class LSTMHyperModel(kt.HyperModel):
    """A Keras Tuner hypermodel of the sklstm LSTM networks.

    :meth:`build` makes the network that :class:`~sklstm.LSTMRegressor`
    (one layer), :class:`~sklstm.StackedLSTMRegressor` (``num_layers > 1``)
    or :class:`~sklstm.BiLSTMRegressor` (``bidirectional=True``) would build,
    with its hyperparameters drawn from the search space, and compiles it with
    Adam. :meth:`fit` validates on the *last* part of the windows (the most
    recent), never on a shuffled sample. Use it with :class:`keras_tuner.Hyperband`,
    :class:`keras_tuner.BayesianOptimization` or :class:`keras_tuner.RandomSearch`
    and ``objective="val_loss"``.

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

    name : str or None, default=None
        Name of the hypermodel (Keras Tuner's).

    tunable : bool, default=True
        Whether the hyperparameters declared in :meth:`build` join the search
        space (Keras Tuner's).

    See Also
    --------
    KerasTunerSearchCV : Tune whole pipelines with time-ordered CV.
    sklstm.LSTMRegressor : The estimator with the same network.

    Notes
    -----
    The validation data are the last ``validation_fraction`` of the windows,
    split as Keras splits for ``validation_split`` (its
    ``train_validation_split`` keeps the order and takes the last samples, before any
    shuffling). ``shuffle`` then only reorders the training windows between
    epochs, which leaks nothing: each window carries its own history, and the
    validation windows stay after all of them. Pass ``shuffle=False`` to
    ``tuner.search`` to train in order as well.

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
        self._window_shape = _check_input_shape(input_shape)
        if not (
            isinstance(n_outputs, Integral)
            and not isinstance(n_outputs, bool)
            and n_outputs >= 1
        ):
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
        self._dimensions = _tuning.check_search_space(
            "LSTMHyperModel", {**_HYPERMODEL_SPACE, **overrides}
        )
        _tuning.warn_without_tensorboard()

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
            The network of :func:`sklstm._networks.build_network`,
            compiled with Adam at the trial's learning rate.
        """
        values = {**_HYPERMODEL_FIXED, **_tuning.declare(hp, self._dimensions)}
        num_layers = values["num_layers"]
        if not (isinstance(num_layers, Integral) and num_layers >= 1):
            raise ValueError(
                f"LSTMHyperModel expected num_layers to be an int >= 1; got "
                f"{num_layers!r}."
            )
        model = _networks.build_network(
            self._window_shape,
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
        optimizer = keras.optimizers.Adam(learning_rate=values["learning_rate"])
        model.compile(optimizer=optimizer, loss=self.loss)
        return model

    def fit(self, hp, model, x=None, y=None, **kwargs):
        """Train ``model``, validating on the last windows unless told otherwise.

        Parameters
        ----------
        hp : keras_tuner.HyperParameters
            The trial's hyperparameters.

        model : keras.Model
            The network from :meth:`build`.

        x : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows in time order, oldest first.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.

        **kwargs : dict
            Passed to :meth:`keras.Model.fit` (``epochs``, ``callbacks``, ...,
            from ``tuner.search``). Without ``validation_data`` and
            ``validation_split``, ``validation_data`` is the last
            ``validation_fraction`` of ``x`` and ``y``, which are then not
            trained on.

        Returns
        -------
        history : keras.callbacks.History
            The training history (``loss`` and ``val_loss``).
        """
        if x is None:
            raise TypeError(
                "LSTMHyperModel.fit expected the windows x; got None. Call "
                "tuner.search(X, y, epochs=...)."
            )
        if isinstance(x, np.ndarray) or hasattr(x, "__array__"):
            x = np.asarray(x, dtype=np.float32)
            if x.ndim == 2 and len(self._window_shape) == 2:
                x = x[:, :, np.newaxis]
        holdout = (
            kwargs.get("validation_data") is None
            and not kwargs.get("validation_split")
            and self.validation_fraction > 0
        )
        if holdout:
            x, y, kwargs["validation_data"] = self._split_last(x, y)
        return model.fit(x, y, **kwargs)

    def _split_last(self, x, y):
        """Training part and the last ``validation_fraction`` as validation data."""
        if not hasattr(x, "__len__") or not hasattr(y, "__len__"):
            raise TypeError(
                f"LSTMHyperModel expected x and y as arrays, to hold out their "
                f"last validation_fraction={self.validation_fraction!r}; got x "
                f"of type {type(x).__name__}. Pass validation_data=... to "
                f"tuner.search, or arrays."
            )
        y = np.asarray(y, dtype=np.float32)
        n_samples = len(x)
        # As Keras splits for validation_split: the first floor(n * (1 - f)).
        split = math.floor(n_samples * (1.0 - self.validation_fraction))
        if split < 1 or split >= n_samples:
            raise ValueError(
                f"LSTMHyperModel expected enough windows to hold out "
                f"validation_fraction={self.validation_fraction!r} of them and "
                f"train on the rest; got {n_samples} window(s). Pass more "
                f"data, validation_data=..., or another validation_fraction."
            )
        return x[:split], y[:split], (x[split:], y[split:])


def _check_input_shape(input_shape):
    """``(n_timesteps, n_features)`` from ``input_shape``, or a clear error."""
    shape = tuple(input_shape) if isinstance(input_shape, list | tuple) else None
    if (
        shape is None
        or len(shape) not in (1, 2)
        or not all(isinstance(d, Integral) and d >= 1 for d in shape)
    ):
        raise ValueError(
            f"LSTMHyperModel expected input_shape as (n_timesteps, n_features) "
            f"or (n_timesteps,) of positive ints, the shape of one window; got "
            f"{input_shape!r}. For windows X of shape (n_samples, 24, 3), pass "
            f"X.shape[1:]."
        )
    return tuple(int(d) for d in shape) if len(shape) == 2 else (int(shape[0]), 1)


# --- KerasTunerSearchCV -------------------------------------------------------

#: File describing a search, to refuse continuing a different one.
_SEARCH_FILE = "sklstm_search.json"


def _refit_has(attr):
    """Whether ``attr`` can be delegated to the refitted best estimator."""

    def check(self):
        if not self.refit:
            raise AttributeError(
                f"This KerasTunerSearchCV has no {attr!r} because it was built "
                f"with refit=False, so it keeps no best_estimator_. Set "
                f"refit=True, or fit clone(estimator).set_params(**best_params_)."
            )
        fitted = getattr(self, "best_estimator_", None)
        getattr(self.estimator if fitted is None else fitted, attr)
        return True

    return check


class KerasTunerSearchCV(MetaEstimatorMixin, BaseEstimator):
    """Search an estimator's parameters with Keras Tuner and time-ordered CV.

    Keras Tuner's Hyperband, Bayesian optimisation or random search proposes
    configurations of any estimator or :class:`~sklearn.pipeline.Pipeline`:
    the window (``windower__window``) together with the network
    (``regressor__units``) and the training (``regressor__learning_rate``).
    Each trial is scored by time-ordered cross-validation (the training rows
    always precede the test rows; nothing is shuffled), and the best
    configuration is refitted on all the data, as
    :class:`~sklearn.model_selection.GridSearchCV` does.

    Parameters
    ----------
    estimator : estimator object
        The estimator to tune, e.g. ``make_lstm_pipeline(24)``. It is cloned
        for every fit.

    search_space : dict
        Maps parameter names of ``estimator`` (as in its ``get_params()``,
        e.g. ``"windower__window"``) to :class:`Int`, :class:`Float`,
        :class:`Choice`, a list (shorthand for a choice) or a single value to
        keep fixed. Choices may hold any values: tuples of units, None,
        estimators.

    tuner : {"hyperband", "bayesian", "random"}, default="hyperband"
        The search algorithm: :class:`keras_tuner.Hyperband`'s successive
        halving, whose budget is the estimator's epochs (see Notes), Gaussian
        process Bayesian optimisation, or random sampling.

    cv : int, cross-validation generator, iterable or None, default=None
        Splitting strategy. None means ``TimeSeriesSplit(n_splits=3)``; an int
        ``n`` means ``TimeSeriesSplit(n_splits=n)`` (not scikit-learn's
        ``KFold``, which would train on the future). For targets ``h > 1``
        steps ahead, pass ``TimeSeriesSplit(n_splits, gap=h - 1)``.

    scoring : str, callable or None, default=None
        The score to maximise: a scorer name (``"neg_mean_absolute_error"``),
        a callable ``scorer(estimator, X, y)``, or None for the estimator's
        ``score`` (R² for regressors).

    max_trials : int or None, default=None
        Most configurations to try. None means 10 for ``"bayesian"`` and
        ``"random"``, and the whole Hyperband schedule for ``"hyperband"``
        (set by ``max_epochs`` and ``factor``), which a number cuts short.

    max_epochs : int or None, default=None
        With ``"hyperband"``, the most epochs one configuration trains (the
        budget of the last round); None means the estimator's ``epochs``. With
        the other tuners, None leaves ``epochs`` alone and an int sets it.

    factor : int, default=3
        Hyperband's reduction factor: each round keeps ``1 / factor`` of the
        configurations and trains them ``factor`` times longer.

    directory : str, path-like or None, default=None
        Folder of the search's state. None uses a temporary folder, removed at
        the end of :meth:`fit`. A folder that holds a search continues it:
        the trials already run are kept and only the missing ones run.

    overwrite : bool, default=False
        Start afresh in ``directory``, deleting the saved search.

    refit : bool, default=True
        Refit the best configuration on all of ``X`` and ``y`` as
        ``best_estimator_``, which :meth:`predict` and :meth:`score` use.

    random_state : int, RandomState instance or None, default=None
        Seed of the tuner's sampling of configurations. The estimator's own
        ``random_state`` seeds its training; it is not set by the search.

    verbose : int, default=0
        0 is silent; 1 or more prints Keras Tuner's progress per trial.

    Attributes
    ----------
    cv_results_ : dict of str to ndarray
        One entry per trial, in the order they ran (those of a resumed search
        included), with :class:`~sklearn.model_selection.GridSearchCV`'s keys:
        ``"params"``, ``"param_<name>"`` (masked arrays), ``"split<k>_test_score"``,
        ``"mean_test_score"``, ``"std_test_score"``, ``"rank_test_score"``,
        ``"mean_fit_time"``, ``"std_fit_time"``, ``"mean_score_time"`` and
        ``"std_score_time"``; plus ``"status"`` (``"COMPLETED"`` or
        ``"FAILED"``: a failed trial has NaN scores and the last rank) and
        ``"trial_id"`` (its folder ``trial_<id>`` under ``directory``).

    best_index_ : int
        Row of ``cv_results_`` of the best trial.

    best_params_ : dict
        Parameters of the best trial, as set on the estimator (with
        Hyperband, its epochs and ``early_stopping=False`` too).

    best_score_ : float
        Mean cross-validated score of the best trial.

    best_estimator_ : estimator
        The best configuration refitted on all the data. Only with
        ``refit=True``.

    scorer_ : callable
        The scorer used for the trials and :meth:`score`.

    n_splits_ : int
        Number of cross-validation splits.

    refit_time_ : float
        Seconds taken to refit the best configuration. Only with
        ``refit=True``.

    See Also
    --------
    LSTMHyperModel : Keras Tuner on windowed arrays, without scikit-learn.
    sklearn.model_selection.GridSearchCV : Exhaustive search, same results.

    Notes
    -----
    With ``tuner="hyperband"``, Keras Tuner's budget is mapped onto the
    estimator's parameter named ``epochs`` (or ``<step>__epochs``): a trial
    trains every split for exactly its budget, and early stopping is switched
    off (``early_stopping`` or ``<step>__early_stopping`` set to False) so
    that the budget is the epochs actually trained. Survivors of a round are
    trained afresh for their larger budget rather than resumed from the
    earlier weights, so that each score is that of a model trained for
    exactly the epochs in ``best_params_``, which the refit reproduces.

    Keras Tuner's own ``SklearnTuner`` shuffles its default ``KFold`` and
    fails every trial, silently, on a pandas Series ``y``. Here the default
    is time-ordered, pandas input goes through scikit-learn's
    :func:`~sklearn.model_selection.cross_validate`, a failing trial is
    reported with a :class:`~sklearn.exceptions.FitFailedWarning`, and
    :meth:`fit` raises when every trial failed.

    The fitted search keeps no Keras Tuner object, only plain results, so it
    pickles with its best estimator.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import make_lstm_pipeline, make_supervised
    >>> from sklstm.tuning import Int, Float, KerasTunerSearchCV
    >>> X, y = make_supervised(np.sin(np.arange(120) / 4))
    >>> pipe = make_lstm_pipeline(4, Ridge(), fill_value=0.0)
    >>> space = {"windower__window": Int(2, 8), "regressor__alpha": Float(0.01, 1.0)}
    >>> search = KerasTunerSearchCV(
    ...     pipe, space, tuner="random", max_trials=3, random_state=0
    ... ).fit(X, y)
    >>> sorted(search.best_params_)
    ['regressor__alpha', 'windower__window']
    >>> search.cv_results_["status"].tolist()
    ['COMPLETED', 'COMPLETED', 'COMPLETED']
    """

    _parameter_constraints: dict = {
        "estimator": "no_validation",
        "search_space": [dict],
        "tuner": [StrOptions({"hyperband", "bayesian", "random"})],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "max_trials": [Interval(Integral, 1, None, closed="left"), None],
        "max_epochs": [Interval(Integral, 1, None, closed="left"), None],
        "factor": [Interval(Integral, 2, None, closed="left")],
        "directory": [str, os.PathLike, None],
        "overwrite": ["boolean"],
        "refit": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        search_space,
        *,
        tuner="hyperband",
        cv=None,
        scoring=None,
        max_trials=None,
        max_epochs=None,
        factor=3,
        directory=None,
        overwrite=False,
        refit=True,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.search_space = search_space
        self.tuner = tuner
        self.cv = cv
        self.scoring = scoring
        self.max_trials = max_trials
        self.max_epochs = max_epochs
        self.factor = factor
        self.directory = directory
        self.overwrite = overwrite
        self.refit = refit
        self.random_state = random_state
        self.verbose = verbose

    # --- checks ----------------------------------------------------------------

    def _check_cv(self):
        cv = self.cv
        if cv is None:
            cv = TimeSeriesSplit(n_splits=3)
        elif isinstance(cv, Integral):
            cv = TimeSeriesSplit(n_splits=int(cv))
        cv = check_cv(cv)
        if getattr(cv, "shuffle", False):
            warnings.warn(
                f"KerasTunerSearchCV got cv={cv!r}, which shuffles the rows: "
                f"its scores train on the future to predict the past and "
                f"overrate every trial. Pass cv=None (TimeSeriesSplit) or an "
                f"int to silence this warning.",
                UserWarning,
                stacklevel=3,
            )
        return cv

    def _check_space(self):
        if not hasattr(self.estimator, "fit"):
            raise TypeError(
                f"KerasTunerSearchCV expected an estimator with a fit method; "
                f"got {self.estimator!r}."
            )
        dimensions = _tuning.check_search_space("KerasTunerSearchCV", self.search_space)
        valid = self.estimator.get_params(deep=True)
        for name, dim in dimensions.items():
            if name in valid:
                continue
            try:  # routed names such as regressor__model__x are valid too
                clone(self.estimator).set_params(**{name: dim._example()})
            except (ValueError, TypeError, AttributeError):
                close = difflib.get_close_matches(name, list(valid), n=1)
                suffix = [p for p in valid if p.endswith(f"__{name}")]
                guess = suffix[0] if suffix else close[0] if close else None
                hint = f" Did you mean {guess!r}?" if guess else ""
                raise ValueError(
                    f"KerasTunerSearchCV expected search_space keys that are "
                    f"parameters of the estimator, as listed by "
                    f"estimator.get_params(); got {name!r}.{hint}"
                ) from None
        return dimensions

    # --- the search ------------------------------------------------------------

    def _describe(self, dimensions, cv, budget):
        """What a resumed search must share with the saved one."""
        scoring = self.scoring
        if scoring is not None and not isinstance(scoring, str):
            scoring = getattr(scoring, "__qualname__", type(scoring).__qualname__)
        return {
            "tuner": self.tuner,
            "search_space": {name: repr(dim) for name, dim in dimensions.items()},
            "cv": repr(cv),
            "scoring": scoring,
            "estimator": repr(self.estimator),
            "budget": list(budget),
            "factor": self.factor if self.tuner == "hyperband" else None,
        }

    def _run_search(self, project_dir, runner, X, y):
        """Run (or continue) the search in ``project_dir``; return its trials."""
        budget = (runner.epochs_param, runner.stopping_param, runner.max_epochs)
        description = self._describe(runner.dimensions, runner.cv, budget)
        saved = None
        if not self.overwrite:
            saved = _tuning.load_json(os.path.join(project_dir, _SEARCH_FILE))
        if saved is not None and saved != description:
            changed = sorted(k for k in description if saved.get(k) != description[k])
            raise ValueError(
                f"KerasTunerSearchCV found a saved search in {project_dir!r} "
                f"whose {', '.join(changed)} differ from this one's, so its "
                f"trials cannot be continued; got {description!r}, saved "
                f"{saved!r}. Pass overwrite=True to start afresh, or another "
                f"directory."
            )
        hp = kt.HyperParameters()
        _tuning.declare(hp, runner.dimensions)
        oracle = _tuning.make_oracle(
            self.tuner,
            hp,
            max_trials=self.max_trials,
            max_epochs=runner.max_epochs,
            factor=self.factor,
            random_state=self.random_state,
        )
        with _tuning.quiet(self.verbose):
            tuner = _tuning.CrossValidationTuner(
                oracle,
                runner,
                directory=os.path.dirname(project_dir),
                project_name=os.path.basename(project_dir),
                overwrite=self.overwrite,
            )
            tuner.oracle.verbose = self.verbose
            os.makedirs(project_dir, exist_ok=True)  # overwrite=True removed it
            _tuning.save_json(os.path.join(project_dir, _SEARCH_FILE), description)
            tuner.search(X, y)
        return tuner.records()

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, **fit_params):
        """Search the space, then refit the best configuration on all the data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered input of the estimator (rows oldest first), e.g. from
            :func:`~sklstm.make_supervised`; a DataFrame is fine.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs), \
                default=None
            Targets; a pandas Series or DataFrame is fine.

        **fit_params : dict
            Passed to the estimator's ``fit`` in every split and in the refit.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        dimensions = self._check_space()
        cv = self._check_cv()
        budget = _tuning.budget_params(
            self.estimator, self.search_space, self.tuner, self.max_epochs
        )
        scorer = check_scoring(self.estimator, self.scoring)
        n_splits = cv.get_n_splits(X, y)
        runner = _tuning.TrialRunner(
            self.estimator,
            dimensions,
            tuner=self.tuner,
            cv=cv,
            scoring=self.scoring,
            budget=budget,
            params=fit_params,
        )
        with contextlib.ExitStack() as stack:
            if self.directory is None:
                root = stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="sklstm_tuning_")
                )
                project_dir = os.path.join(root, "search")
            else:
                project_dir = os.path.abspath(os.fspath(self.directory))
            records = self._run_search(project_dir, runner, X, y)
        results, error = _tuning.cv_results(records, n_splits)
        mean, rank = results["mean_test_score"], results["rank_test_score"]
        if not np.isfinite(mean).any():
            raise ValueError(
                f"KerasTunerSearchCV expected at least one trial to succeed; "
                f"all {len(rank)} failed. The first: {error or 'none ran'}. "
                f"Check one configuration with cross_validate(estimator."
                f"set_params(**params), X, y, error_score='raise') and fix the "
                f"search space or the estimator."
            )
        for stale in ("best_estimator_", "refit_time_"):  # from an earlier fit
            self.__dict__.pop(stale, None)
        self.cv_results_ = results
        self.n_splits_ = n_splits
        self.scorer_ = scorer
        self.best_index_ = int(np.flatnonzero(rank == 1)[0])
        self.best_params_ = results["params"][self.best_index_]
        self.best_score_ = float(mean[self.best_index_])
        if self.refit:
            estimator = _tuning.configured(self.estimator, self.best_params_)
            start = time.perf_counter()
            estimator.fit(X, y, **fit_params)
            self.refit_time_ = time.perf_counter() - start
            self.best_estimator_ = estimator
        return self

    # --- delegation -------------------------------------------------------------

    @available_if(_refit_has("predict"))
    def predict(self, X):
        """Predict with the best configuration, refitted on all the data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input of the estimator.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predictions of ``best_estimator_``.
        """
        check_is_fitted(self)
        return self.best_estimator_.predict(X)

    @available_if(_refit_has("score"))
    def score(self, X, y=None):
        """Score the refitted best configuration with ``scoring``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input of the estimator.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs), \
                default=None
            Targets.

        Returns
        -------
        score : float
            ``scorer_(best_estimator_, X, y)``: the estimator's ``score`` when
            ``scoring=None``.
        """
        check_is_fitted(self)
        return self.scorer_(self.best_estimator_, X, y)

    @property
    def n_features_in_(self):
        """Number of features seen by ``best_estimator_`` during fit."""
        if not hasattr(self, "best_estimator_"):
            raise AttributeError(
                f"{type(self).__name__} has no n_features_in_ before it is "
                f"fitted with refit=True."
            )
        return self.best_estimator_.n_features_in_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        sub = get_tags(self.estimator)
        tags.estimator_type = sub.estimator_type
        tags.classifier_tags = deepcopy(sub.classifier_tags)
        tags.regressor_tags = deepcopy(sub.regressor_tags)
        tags.target_tags.required = sub.target_tags.required
        tags.input_tags.allow_nan = sub.input_tags.allow_nan
        tags.input_tags.three_d_array = sub.input_tags.three_d_array
        tags.input_tags.sparse = sub.input_tags.sparse
        tags.non_deterministic = sub.non_deterministic or self.random_state is None
        return tags
