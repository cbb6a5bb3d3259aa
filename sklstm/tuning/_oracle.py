"""Keras Tuner's side of a search: the oracle, the budget, the trial loop.

:func:`make_oracle` builds Keras Tuner's oracle of ``tuner="hyperband"``,
``"bayesian"`` or ``"random"``: the part that proposes each trial's
hyperparameters and learns from its score. :func:`budget_params` finds the
estimator's ``epochs`` (and ``early_stopping``) parameter onto which
Hyperband's budget is mapped, and :func:`trial_params` turns a trial's Keras
Tuner values into the estimator parameters it is fitted with.

:class:`CrossValidationTuner` is the Keras Tuner loop of
:class:`~sklstm.tuning.KerasTunerSearchCV`: it asks the oracle for a batch of
trials (those that may run together, :mod:`sklstm.tuning._batches`), hands
them to the :class:`~sklstm.tuning._execution.TrialRunner` (whose executor
runs their folds, in one call), and saves each trial's record and reports its
mean score back as the trial ends. It keeps Keras Tuner's own state files, so
an interrupted search resumes where it stopped. :func:`quiet` keeps Keras
Tuner's noise out.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import io
import os
import sys
import warnings

import keras_tuner as kt
import numpy as np
from keras_tuner import errors as kt_errors
from keras_tuner.engine.base_tuner import BaseTuner
from sklearn.exceptions import FitFailedWarning
from sklearn.utils import check_random_state

from .._validation import is_int
from ._batches import BayesianOptimizationOracle, HyperbandOracle, RandomSearchOracle
from ._results import TRIAL_FILE, load_json, save_json
from ._space import decode

__all__ = [
    "CrossValidationTuner",
    "ExecutionError",
    "budget_params",
    "make_oracle",
    "quiet",
    "trial_params",
]

#: Number of trials of random search and Bayesian optimisation by default.
_DEFAULT_MAX_TRIALS = 10


def budget_params(estimator, search_space, tuner, max_epochs):
    """The epochs and early-stopping parameter names, and the most epochs.

    ``(None, None, None)`` when the search sets no epochs (random or Bayesian
    search without ``max_epochs``).
    """
    if tuner != "hyperband" and max_epochs is None:
        return None, None, None
    params = estimator.get_params(deep=True)
    epochs = [p for p in params if p == "epochs" or p.endswith("__epochs")]
    what = "max_epochs" if tuner != "hyperband" else 'tuner="hyperband"'
    if len(epochs) != 1:
        found = f"several: {epochs!r}" if epochs else "none"
        raise ValueError(
            f"KerasTunerSearchCV with {what} sets the estimator's epochs, "
            f"and expected one parameter named 'epochs' or '<step>__epochs' "
            f"in estimator.get_params(); found {found}. Use "
            f'tuner="random" or "bayesian" without max_epochs for this '
            f"estimator."
        )
    epochs = epochs[0]
    if epochs in search_space:
        raise ValueError(
            f"KerasTunerSearchCV sets {epochs!r} itself with {what}; got "
            f"it in search_space too. Remove it from search_space, or "
            f'use tuner="random" or "bayesian" without max_epochs to '
            f"search it."
        )
    stopping = epochs[: -len("epochs")] + "early_stopping"
    stopping = stopping if stopping in params else None
    if tuner == "hyperband" and stopping in search_space:
        raise ValueError(
            f"KerasTunerSearchCV with {what} sets {stopping!r} to False, so "
            f"that the budget is the epochs trained; got it in search_space "
            f"too. Remove it from search_space."
        )
    if max_epochs is None:
        max_epochs = params[epochs]
        if not is_int(max_epochs, 1):
            raise ValueError(
                f"KerasTunerSearchCV expected max_epochs, or the estimator's "
                f"{epochs!r}, to be an int >= 1; got {max_epochs!r}. Pass "
                f"max_epochs."
            )
    return epochs, stopping, int(max_epochs)


def trial_params(dimensions, values, *, tuner, budget):
    """The estimator parameters of a trial, from its Keras Tuner values.

    With Hyperband, the trial's budget ``tuner/epochs`` becomes the
    estimator's epochs, and its early stopping is switched off; with another
    tuner, ``max_epochs`` (if set) becomes the epochs.
    """
    epochs_param, stopping_param, max_epochs = budget
    params = decode(dimensions, values)
    if tuner == "hyperband":
        params[epochs_param] = int(values["tuner/epochs"])
        if stopping_param is not None:
            params[stopping_param] = False
    elif max_epochs is not None:
        params[epochs_param] = max_epochs
    return params


def make_oracle(tuner, hp, *, max_trials, max_epochs, factor, random_state):
    """Keras Tuner's oracle of ``tuner``, over the hyperparameters ``hp``.

    The oracles of :mod:`sklstm.tuning._batches`: Keras Tuner's own, which
    hand out several trials at once only where the one-at-a-time loop would
    propose the same ones.
    """
    seed = None
    if random_state is not None:
        # Keras Tuner replaces a seed of 0 by a random one: draw from 1 on.
        rng = check_random_state(random_state)
        seed = int(rng.randint(1, np.iinfo(np.int32).max))
    common = {
        "objective": kt.Objective("score", direction="max"),
        "hyperparameters": hp,
        "seed": seed,
        # A failed trial is final, and failures never stop the search.
        "max_retries_per_trial": 0,
        "max_consecutive_failed_trials": sys.maxsize,
    }
    if tuner == "hyperband":
        oracle = HyperbandOracle(max_epochs=max_epochs, factor=factor, **common)
        oracle.max_trials = max_trials
    elif tuner == "bayesian":
        oracle = BayesianOptimizationOracle(
            max_trials=max_trials or _DEFAULT_MAX_TRIALS, **common
        )
    else:
        oracle = RandomSearchOracle(
            max_trials=max_trials or _DEFAULT_MAX_TRIALS, **common
        )
    return oracle


class ExecutionError(kt_errors.FatalError):
    """The executor failed (not a fit): Keras Tuner stops the search on it.

    Its ``__cause__`` is the executor's exception, which the search re-raises.
    """


class CrossValidationTuner(BaseTuner):
    """Keras Tuner's loop: one trial is one time-ordered cross-validation.

    :meth:`search` asks the oracle for a batch of trials (until it answers
    that the next trial must wait for the running ones, see
    :mod:`sklstm.tuning._batches`), runs the folds of all of them through
    ``runner`` in one call of its executor, and ends each trial as its folds
    come back: its record saved in its folder, its mean score reported to the
    oracle, Keras Tuner's state saved. An interruption loses only the trials
    still running, which a resumed search runs again.

    Parameters
    ----------
    oracle : keras_tuner.Oracle
        From :func:`make_oracle`.
    runner : TrialRunner
        Runs the trials' folds.
    params_of : callable
        ``params_of(values)``: the estimator parameters of a trial's Keras
        Tuner values (:func:`trial_params` with the search's space and
        budget).
    **kwargs : dict
        ``directory``, ``project_name`` and ``overwrite`` of Keras Tuner.
    """

    #: Most trials in a batch; None for as many as the oracle hands out (1
    #: runs Keras Tuner's one-at-a-time loop, which batches must reproduce).
    max_batch = None

    def __init__(self, oracle, runner, params_of, **kwargs):
        self.runner = runner
        self.params_of = params_of
        super().__init__(oracle, hypermodel=None, **kwargs)

    def search(self, *fit_args, **fit_kwargs):
        """Run the search, batch after batch, until the oracle stops it."""
        self.on_search_begin()
        stopped = False
        while not stopped:
            batch, stopped = self._next_batch()
            if batch:
                self._run_batch(batch)
        self.on_search_end()

    def _next_batch(self):
        """The trials that may run together, and whether the oracle stopped."""
        batch = []
        while self.max_batch is None or len(batch) < self.max_batch:
            self.pre_create_trial()
            # One id per running trial: an oracle hands a tuner id its
            # running trial again rather than a new one.
            trial = self.oracle.create_trial(f"{self.tuner_id}-{len(batch)}")
            if trial.status == kt.engine.trial.TrialStatus.STOPPED:
                return batch, True
            if trial.status == kt.engine.trial.TrialStatus.IDLE:
                if not batch:
                    raise RuntimeError(
                        "KerasTunerSearchCV's oracle asked to wait for running "
                        "trials, but none runs; this is a bug in sklstm."
                    )
                break
            self.on_trial_begin(trial)
            batch.append(trial)
        return batch, False

    def _run_batch(self, batch):
        trials = {trial.trial_id: trial for trial in batch}
        params = {
            trial.trial_id: self.params_of(trial.hyperparameters.values)
            for trial in batch
        }
        records = self.runner.stream(list(params.items()))
        while True:
            try:
                trial_id, record = next(records)
            except StopIteration:
                break
            except Exception as exc:
                # The tasks report their own failures, so this is the
                # executor's: stop the search (Keras Tuner would count it a
                # failed trial). The batch's running trials run again on resume.
                raise ExecutionError(str(exc)) from exc
            self._end_trial(trials[trial_id], params[trial_id], record)

    def _end_trial(self, trial, params, record):
        """Save ``trial``'s record, report its score or failure, end it."""
        save_json(os.path.join(self.get_trial_dir(trial.trial_id), TRIAL_FILE), record)
        if "error" in record:
            error = record["error"]
            warnings.warn(
                f"KerasTunerSearchCV trial {trial.trial_id} with parameters "
                f"{params!r} failed, so it gets no score (status 'FAILED' in "
                f"cv_results_) and the search goes on: {error}. Fix or remove "
                f"the failing values of the search space to silence this "
                f"warning.",
                FitFailedWarning,
                stacklevel=1,
            )
            trial.status = kt.engine.trial.TrialStatus.FAILED
            trial.message = "\n".join(filter(None, [record.get("traceback"), error]))
            if _debug():
                print(trial.message, file=sys.stderr)  # printed with verbose > 0
        else:
            score = float(np.mean(record["split_test_scores"]))
            self.oracle.update_trial(trial.trial_id, {"score": score})
            trial.status = kt.engine.trial.TrialStatus.COMPLETED
        self.on_trial_end(trial)

    def records(self):
        """``(trial_id, status, params, record)`` of every trial, in order."""
        trials = sorted(self.oracle.trials.values(), key=lambda t: int(t.trial_id))
        return [
            (
                trial.trial_id,
                trial.status,
                self.params_of(trial.hyperparameters.values),
                load_json(os.path.join(self.get_trial_dir(trial.trial_id), TRIAL_FILE))
                or {},
            )
            for trial in trials
        ]


def _debug():
    """Keras Tuner's DEBUG flag: print the traceback of a failed trial."""
    from keras_tuner.src import config as kt_config

    return getattr(kt_config, "DEBUG", False)


@contextlib.contextmanager
def quiet(verbose):
    """Keep Keras Tuner's noise out of a search.

    Keras Tuner 1.4.8 calls threading's deprecated ``currentThread()`` on
    every oracle call (a DeprecationWarning each time), prints "Reloading
    Tuner from ...", and, with its DEBUG flag on by default, the traceback of
    every failed trial; the search reports failures with a warning instead.
    With ``verbose=0`` the prints and tracebacks are silenced too.
    """
    from keras_tuner.src import config as kt_config

    debug = getattr(kt_config, "DEBUG", False)
    with contextlib.ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        warnings.filterwarnings(
            "ignore", category=DeprecationWarning, module="keras_tuner"
        )
        if not verbose:
            kt_config.DEBUG = False
            stack.callback(setattr, kt_config, "DEBUG", debug)
            stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        yield
