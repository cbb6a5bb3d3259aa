"""KerasTunerSearchCV: a scikit-learn search driven by Keras Tuner's algorithms.

The estimator in plain sight: its parameters and their checks, ``fit`` (check,
search, pick the best, refit), the delegation to the refitted best estimator,
and the tags. The search itself is assembled from the other rooms of
:mod:`sklstm.tuning`: the space (:mod:`._space`), Keras Tuner's oracle and trial
loop (:mod:`._oracle`), the execution of the fits (:mod:`._execution`, through
:meth:`KerasTunerSearchCV._executor`, the one seam for running them elsewhere)
and the files and ``cv_results_`` it leaves (:mod:`._results`).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import difflib
import functools
import os
import tempfile
import time
from copy import deepcopy

import keras_tuner as kt
import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import TimeSeriesSplit, check_cv
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if

from .._validation import (
    Integral,
    StrOptions,
    _fit_context,
    check_is_fitted,
    int_at_least,
)
from ._checks import check_time_ordered, check_writable
from ._execution import ParallelExecutor, TrialRunner, configured
from ._oracle import (
    CrossValidationTuner,
    ExecutionError,
    budget_params,
    make_oracle,
    quiet,
    trial_params,
)
from ._results import SEARCH_FILE, check_resumable, cv_results, save_json
from ._space import check_search_space, declare

__all__ = ["KerasTunerSearchCV"]


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

    n_jobs : int or None, default=None
        Fits to run in parallel, through :class:`joblib.Parallel`: the folds
        of the trials that may run together (see Notes). None means 1 unless
        in a :func:`joblib.parallel_backend` context, whose backend (loky
        processes, a Dask or a Ray cluster) then runs them; -1 means all
        processors. The results are the same for every ``n_jobs`` and
        backend.

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
    is time-ordered, pandas input is split into folds with scikit-learn's
    own indexing (as in :func:`~sklearn.model_selection.cross_validate`), a
    failing trial is reported with a
    :class:`~sklearn.exceptions.FitFailedWarning`, and :meth:`fit` raises
    when every trial failed.

    Every fit of the search, one trial's configuration on one fold, is an
    independent task, and all of them run through one executor, a
    :class:`joblib.Parallel` of ``n_jobs``. The folds are split once per
    :meth:`fit`, so that every trial is scored on the same ones. The search
    asks Keras Tuner's oracle for the trials that may run together without
    changing the search, and runs their folds in one batch: every trial of a
    random search; a round of a Hyperband bracket; the initial random points
    of Bayesian optimisation, then one trial at a time (its folds in
    parallel). The trials are those of a serial search, in the same order, so
    ``cv_results_`` and ``best_params_`` do not depend on ``n_jobs`` or on
    the backend when the estimator is seeded (``random_state``). In worker
    processes, TensorFlow's thread pools are sized to the cores the backend
    gave each worker.

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
        "max_trials": [int_at_least(1), None],
        "max_epochs": [int_at_least(1), None],
        "factor": [int_at_least(2)],
        "directory": [str, os.PathLike, None],
        "overwrite": ["boolean"],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
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
        n_jobs=None,
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
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # --- checks ----------------------------------------------------------------

    def _check_cv(self):
        cv = self.cv
        if cv is None:
            cv = TimeSeriesSplit(n_splits=3)
        elif isinstance(cv, Integral):
            cv = TimeSeriesSplit(n_splits=int(cv))
        return check_cv(cv)

    def _check_space(self):
        if not hasattr(self.estimator, "fit"):
            raise TypeError(
                f"KerasTunerSearchCV expected an estimator with a fit method; "
                f"got {self.estimator!r}."
            )
        dimensions = check_search_space("KerasTunerSearchCV", self.search_space)
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

    def _executor(self):
        """The executor of the search's fits: ``executor(tasks) -> results``.

        The one seam through which every fit of every trial and fold runs
        (see :mod:`sklstm.tuning._execution`): a
        :class:`~sklstm.tuning._execution.ParallelExecutor` of ``n_jobs``,
        which runs them in this process when joblib's backend has one job.
        """
        return ParallelExecutor(self.n_jobs)

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

    def _run_search(self, project_dir, runner, dimensions, budget, description):
        """Run (or continue) the search in ``project_dir``; return its trials."""
        if "KERASTUNER_ORACLE_IP" in os.environ:
            raise ValueError(
                f"KerasTunerSearchCV does not run in Keras Tuner's distributed "
                f"mode (a chief oracle and workers over gRPC), but "
                f"KERASTUNER_ORACLE_IP is set to "
                f"{os.environ['KERASTUNER_ORACLE_IP']!r}. It spreads the "
                f"trials and folds of a search through joblib instead, with "
                f"the same results as a serial search: unset "
                f"KERASTUNER_ORACLE_IP and pass n_jobs, or fit inside "
                f'joblib.parallel_backend("dask") or ("ray").'
            )
        check_resumable(project_dir, description, overwrite=self.overwrite)
        hp = kt.HyperParameters()
        declare(hp, dimensions)
        oracle = make_oracle(
            self.tuner,
            hp,
            max_trials=self.max_trials,
            max_epochs=budget[2],
            factor=self.factor,
            random_state=self.random_state,
        )
        params_of = functools.partial(
            trial_params, dimensions, tuner=self.tuner, budget=budget
        )
        with quiet(self.verbose):
            tuner = CrossValidationTuner(
                oracle,
                runner,
                params_of,
                directory=os.path.dirname(project_dir),
                project_name=os.path.basename(project_dir),
                overwrite=self.overwrite,
            )
            tuner.oracle.verbose = self.verbose
            os.makedirs(project_dir, exist_ok=True)  # overwrite=True removed it
            save_json(os.path.join(project_dir, SEARCH_FILE), description)
            try:
                tuner.search()
            except ExecutionError as exc:
                raise exc.__cause__ from None  # the executor's own error
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
        if y is None and get_tags(self.estimator).target_tags.required:
            raise ValueError(
                f"KerasTunerSearchCV requires y to be passed, but the target y "
                f"is None; its estimator {type(self.estimator).__name__} needs "
                f"targets to fit. Pass y, e.g. from make_supervised."
            )
        cv = self._check_cv()
        budget = budget_params(
            self.estimator, self.search_space, self.tuner, self.max_epochs
        )
        scorer = check_scoring(self.estimator, self.scoring)
        n_splits = cv.get_n_splits(X, y)
        runner = TrialRunner(
            self.estimator,
            X,
            y,
            cv=cv,
            scorer=scorer,
            fit_params=fit_params,
            executor=self._executor(),
        )
        check_time_ordered("KerasTunerSearchCV", cv, runner.splits, stacklevel=4)
        description = self._describe(dimensions, cv, budget)
        with contextlib.ExitStack() as stack:
            if self.directory is None:
                root = stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="sklstm_tuning_")
                )
                project_dir = os.path.join(root, "search")
            else:
                project_dir = check_writable("KerasTunerSearchCV", self.directory)
            records = self._run_search(
                project_dir, runner, dimensions, budget, description
            )
        results, error = cv_results(records, n_splits)
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
            estimator = configured(self.estimator, self.best_params_)
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
        tags.target_tags = deepcopy(sub.target_tags)
        tags.input_tags.allow_nan = sub.input_tags.allow_nan
        tags.input_tags.three_d_array = sub.input_tags.three_d_array
        tags.input_tags.sparse = sub.input_tags.sparse
        tags.non_deterministic = sub.non_deterministic or self.random_state is None
        return tags
