"""Trial execution: a trial is the cross-validation of one configuration.

The unit of work of a search is one :class:`FitTask`: fit one configuration
(the search's estimator with a trial's parameters) on the training rows of one
fold and score it on that fold's test rows. A task is plain data and
:func:`fit_and_score` a module-level function of it, so both pickle: a task
runs the same in this process, in a worker process or on another machine, and
the fits of different trials and folds do not depend on each other (an
estimator seeded with ``random_state`` seeds itself in ``fit``).

Every fit of a search goes through one seam, an *executor*: a callable
``executor(tasks) -> results`` that takes a list of independent tasks and
returns their :class:`FitResult`, one per task, in the order of the tasks.
:func:`run_serially` runs them one after another in this process; a parallel
executor dispatches the same calls through ``joblib.Parallel`` (``delayed(
fit_and_score)(task)``) and needs nothing else from the search. A task never
raises: a failing fit comes back as a result holding its error, so that one
failure cannot stop the other tasks of a batch.

:class:`TrialRunner` turns trials into tasks, hands them to the executor in
one batch, and summarises each trial's fold results into the record that the
search saves (:mod:`sklstm.tuning._results`).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numbers
import time
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import indexable

from .._validation import _check_method_params, _num_samples, _safe_split

__all__ = [
    "FitResult",
    "FitTask",
    "TrialRunner",
    "configured",
    "fit_and_score",
    "run_serially",
    "summarise",
]


@dataclass(frozen=True)
class FitTask:
    """One fit of a search: a configuration on one fold.

    Attributes
    ----------
    trial_id : str
        The trial this fit belongs to.
    fold : int
        The index of the fold among the search's splits.
    estimator : estimator object
        The search's estimator, unfitted; :func:`fit_and_score` configures a
        clone of it.
    params : dict
        The trial's parameters, set on that clone.
    X, y : array-like
        All the data of the search (indexable; ``y`` may be None).
    train, test : ndarray of int
        The rows of this fold's training and test parts.
    scorer : callable
        ``scorer(estimator, X_test, y_test)``, higher is better.
    fit_params : dict
        Passed to ``fit``; arrays with one entry per row are split like ``X``.
    """

    trial_id: str
    fold: int
    estimator: Any
    params: dict
    X: Any
    y: Any
    train: np.ndarray
    test: np.ndarray
    scorer: Any
    fit_params: dict


@dataclass(frozen=True)
class FitResult:
    """The outcome of one :class:`FitTask`.

    Attributes
    ----------
    trial_id : str
        The task's trial.
    fold : int
        The task's fold.
    score : float or None
        The test score; None when the task failed.
    fit_time, score_time : float
        Seconds spent fitting and scoring.
    error : str or None
        ``"ExceptionType: message"`` of the failure; None when it succeeded.
    traceback : str or None
        The formatted traceback of the failure.
    """

    trial_id: str
    fold: int
    score: float | None
    fit_time: float
    score_time: float
    error: str | None = None
    traceback: str | None = None


def configured(estimator, params):
    """A clone of ``estimator`` with ``params`` set (values cloned too)."""
    return clone(estimator).set_params(
        **{name: clone(value, safe=False) for name, value in params.items()}
    )


def _error_text(exc):
    return f"{type(exc).__name__}: {str(exc).rstrip('.')}"


def fit_and_score(task):
    """Fit ``task``'s configuration on its training rows; score its test rows.

    Parameters
    ----------
    task : FitTask
        What to fit and score.

    Returns
    -------
    result : FitResult
        The score and the times, or the error; it never raises.
    """
    fit_time = score_time = 0.0
    try:
        estimator = configured(task.estimator, task.params)
        fit_params = _check_method_params(
            task.X, params=task.fit_params, indices=task.train
        )
        X_train, y_train = _safe_split(estimator, task.X, task.y, task.train)
        X_test, y_test = _safe_split(estimator, task.X, task.y, task.test, task.train)
        start = time.perf_counter()
        if y_train is None:
            estimator.fit(X_train, **fit_params)
        else:
            estimator.fit(X_train, y_train, **fit_params)
        fit_time = time.perf_counter() - start
        score = task.scorer(estimator, X_test, y_test)
        score_time = time.perf_counter() - start - fit_time
        if hasattr(score, "item"):
            score = score.item()  # a NumPy scalar or a 0-d array
        if not isinstance(score, numbers.Number):
            raise ValueError(
                f"scoring must return a number, got {score!r} of type "
                f"{type(score).__name__} instead (scorer={task.scorer!r})"
            )
    except Exception as exc:  # a task reports its failure, never raises
        return FitResult(
            task.trial_id,
            task.fold,
            None,
            fit_time,
            score_time,
            error=_error_text(exc),
            traceback=traceback.format_exc(),
        )
    return FitResult(task.trial_id, task.fold, float(score), fit_time, score_time)


def run_serially(tasks):
    """The serial executor: run ``tasks`` one after another, in this process.

    Parameters
    ----------
    tasks : list of FitTask
        Independent fits.

    Returns
    -------
    results : list of FitResult
        One per task, in the order of ``tasks``.
    """
    return [fit_and_score(task) for task in tasks]


class TrialRunner:
    """Runs trials, each the time-ordered cross-validation of a configuration.

    Lives only during :meth:`KerasTunerSearchCV.fit`; never stored on it.

    Parameters
    ----------
    estimator : estimator object
        The search's estimator.
    X, y : array-like
        The search's data.
    cv : cross-validation generator
        Split once, here, so that every trial is scored on the same folds.
    scorer : callable
        ``scorer(estimator, X, y)``.
    fit_params : dict
        Passed to the estimator's ``fit`` in every fold.
    executor : callable
        ``executor(tasks) -> results``, e.g. :func:`run_serially`.
    """

    def __init__(self, estimator, X, y, *, cv, scorer, fit_params, executor):
        self.estimator = estimator
        self.X, self.y = indexable(X, y)
        try:
            self.splits = [
                (np.asarray(train), np.asarray(test))
                for train, test in cv.split(self.X, self.y)
            ]
        except ValueError as exc:
            raise ValueError(
                f"KerasTunerSearchCV could not split n_samples="
                f"{_num_samples(self.X)} rows with cv={cv!r}: {exc} Pass more "
                f"rows, or a cv with fewer splits."
            ) from exc
        self.scorer = scorer
        self.fit_params = dict(fit_params or {})
        self.executor = executor

    def tasks(self, trial_id, params):
        """The fits of one trial: its configuration on every fold, in order."""
        return [
            FitTask(
                trial_id=trial_id,
                fold=fold,
                estimator=self.estimator,
                params=params,
                X=self.X,
                y=self.y,
                train=train,
                test=test,
                scorer=self.scorer,
                fit_params=self.fit_params,
            )
            for fold, (train, test) in enumerate(self.splits)
        ]

    def run(self, trials):
        """Cross-validate the configurations of ``trials``, all in one batch.

        Parameters
        ----------
        trials : list of tuple
            ``(trial_id, params)`` of each trial to run.

        Returns
        -------
        records : list of dict
            One per trial, in order: ``split_test_scores``, ``fit_time`` and
            ``score_time`` (lists over the folds), or ``error`` (and
            ``traceback``) when a fold failed or a score is not finite.
        """
        tasks = [task for trial_id, p in trials for task in self.tasks(trial_id, p)]
        results = list(self.executor(tasks))
        if len(results) != len(tasks):
            raise RuntimeError(
                f"KerasTunerSearchCV's executor returned {len(results)} "
                f"results for {len(tasks)} tasks; an executor returns one "
                f"result per task, in the order of the tasks."
            )
        by_trial = {trial_id: [] for trial_id, _ in trials}
        for task, result in zip(tasks, results, strict=True):
            by_trial[task.trial_id].append(result)
        return [summarise(by_trial[trial_id]) for trial_id, _ in trials]


def summarise(results):
    """The record of one trial from the results of its folds, in fold order."""
    results = sorted(results, key=lambda result: result.fold)
    failed = [result for result in results if result.error is not None]
    if failed:
        return {"error": failed[0].error, "traceback": failed[0].traceback}
    scores = np.asarray([result.score for result in results], dtype=np.float64)
    if not np.isfinite(scores).all():
        return {
            "error": _error_text(
                ValueError(
                    f"the scores of the {len(scores)} splits, "
                    f"{scores.tolist()!r}, are not all finite numbers"
                )
            )
        }
    return {
        "split_test_scores": scores.tolist(),
        "fit_time": [result.fit_time for result in results],
        "score_time": [result.score_time for result in results],
    }
