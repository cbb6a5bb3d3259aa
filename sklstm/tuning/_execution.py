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
returns their :class:`FitResult`, one per task, in the order of the tasks (a
list, or an iterator that yields them as they finish). :func:`run_serially`
runs them one after another in this process; :class:`ParallelExecutor`
dispatches the same calls through ``joblib.Parallel``, so that any joblib
backend runs them (loky processes, a Dask or a Ray cluster), with no
backend-specific code here. A task never raises: a failing fit comes back as a
result holding its error, so that one failure cannot stop the other tasks of a
batch.

:class:`TrialRunner` turns trials into tasks, hands them to the executor in
one batch, and summarises each trial's fold results into the record that the
search saves (:mod:`sklstm.tuning._results`), trial by trial as the results
come in.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import dataclasses
import numbers
import time
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import indexable

from .._seeding import thread_private_keras_seeds
from .._threads import one_blas_thread, size_tensorflow_threads
from .._validation import _check_method_params, _num_samples, _safe_split

__all__ = [
    "FitResult",
    "FitTask",
    "ParallelExecutor",
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

    Notes
    -----
    In a worker process that its engine gave fewer cores than the machine has
    (``OMP_NUM_THREADS``), TensorFlow's thread pools are sized to those cores
    first (:func:`sklstm._threads.size_tensorflow_threads`), so that the
    workers of a parallel search do not fight over the cores. The fit runs
    under :func:`sklstm._seeding.thread_private_keras_seeds`, so that a seeded
    estimator fits the same network in a thread of a Dask worker, whose event
    loop draws from Python's global random generator, as anywhere else; the
    fit and the scoring run with one BLAS thread
    (:func:`sklstm._threads.one_blas_thread`), so that their NumPy products
    give the same numbers in the serial process as in a worker.
    """
    fit_time = score_time = 0.0
    try:
        size_tensorflow_threads()
        estimator = configured(task.estimator, task.params)
        fit_params = _check_method_params(
            task.X, params=task.fit_params, indices=task.train
        )
        X_train, y_train = _safe_split(estimator, task.X, task.y, task.train)
        X_test, y_test = _safe_split(estimator, task.X, task.y, task.test, task.train)
        start = time.perf_counter()
        with thread_private_keras_seeds(), one_blas_thread():
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


def _fit_and_score_on(task, X, y):
    """:func:`fit_and_score` of ``task`` with its data passed alongside."""
    return fit_and_score(dataclasses.replace(task, X=X, y=y))


class ParallelExecutor:
    """The parallel executor: the tasks dispatched through ``joblib.Parallel``.

    Any joblib backend runs them: loky worker processes by default, a Dask
    cluster under ``joblib.parallel_backend("dask")``, a Ray cluster under
    ``joblib.parallel_backend("ray")``. Each task travels as a call
    ``f(task, X, y)`` whose ``X`` and ``y`` are the same objects in every
    call, so that a backend that ships large arguments once per batch (loky
    memory-maps large arrays, Dask scatters them) ships the search's data once
    rather than once per fit. The results come back one by one, in the order
    of the tasks, where the backend can return them so (joblib's
    ``return_as="generator"``), else all at the end of the batch.

    Parameters
    ----------
    n_jobs : int or None, default=None
        Passed to :class:`joblib.Parallel`: None means 1 unless in a
        :func:`joblib.parallel_backend` context; -1 means every core (or every
        worker of the backend).
    pre_dispatch : int or str, default="2*n_jobs"
        Tasks dispatched ahead of the workers, as in :class:`joblib.Parallel`.
    """

    def __init__(self, n_jobs=None, *, pre_dispatch="2*n_jobs"):
        self.n_jobs = n_jobs
        self.pre_dispatch = pre_dispatch

    def __call__(self, tasks):
        """Run ``tasks``; yield their results in the order of the tasks."""
        from sklearn.utils.parallel import Parallel, delayed

        options = {"n_jobs": self.n_jobs, "pre_dispatch": self.pre_dispatch}
        try:
            parallel = Parallel(return_as="generator", **options)
        except ValueError:  # a backend without it (multiprocessing, Ray)
            parallel = Parallel(return_as="list", **options)
        return parallel(
            delayed(_fit_and_score_on)(
                dataclasses.replace(task, X=None, y=None), task.X, task.y
            )
            for task in tasks
        )


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
        ``executor(tasks) -> results``, e.g. :func:`run_serially` or a
        :class:`ParallelExecutor`.
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
        return [record for _, record in self.stream(trials)]

    def stream(self, trials):
        """:meth:`run`, yielding ``(trial_id, record)`` as each trial ends.

        The tasks of all ``trials`` go to the executor in one call; a trial's
        record is yielded as soon as the results of its folds (and of the
        tasks before them) are in, so that a search can save it while the
        other trials of the batch still run.
        """
        tasks = [task for trial_id, p in trials for task in self.tasks(trial_id, p)]
        pending = {trial_id: len(self.splits) for trial_id, _ in trials}
        by_trial = {trial_id: [] for trial_id, _ in trials}
        results = iter(self.executor(tasks))
        for n_results, task in enumerate(tasks):
            result = next(results, None)
            if result is None:
                self._wrong_count(n_results, tasks)
            if (result.trial_id, result.fold) != (task.trial_id, task.fold):
                raise RuntimeError(
                    f"KerasTunerSearchCV's executor returned the result of "
                    f"trial {result.trial_id} fold {result.fold} in the place "
                    f"of trial {task.trial_id} fold {task.fold}; an executor "
                    f"returns one result per task, in the order of the tasks."
                )
            by_trial[task.trial_id].append(result)
            pending[task.trial_id] -= 1
            if not pending[task.trial_id]:
                yield task.trial_id, summarise(by_trial.pop(task.trial_id))
        if next(results, None) is not None:
            self._wrong_count(len(tasks) + 1 + sum(1 for _ in results), tasks)

    @staticmethod
    def _wrong_count(n_results, tasks):
        raise RuntimeError(
            f"KerasTunerSearchCV's executor returned {n_results} "
            f"results for {len(tasks)} tasks; an executor returns one "
            f"result per task, in the order of the tasks."
        )


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
