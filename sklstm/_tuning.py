"""The machinery behind :mod:`sklstm.tuning`: search spaces and trials.

A search space is a dict that maps names (estimator parameters such as
``"windower__window"``, or the knobs of :class:`~sklstm.tuning.LSTMHyperModel`)
to an :class:`Int` or :class:`Float` range, a :class:`Choice` (a plain list or
tuple is shorthand for one), or a fixed value. :func:`declare` turns it into
Keras Tuner hyperparameters (``hp.Int``, ``hp.Float``, ``hp.Choice``,
``hp.Fixed``, each under the name it has in the dict) and returns the values
that the trial sampled, decoded.

Keras Tuner accepts only ``int``, ``float``, ``str`` and ``bool`` choices of
one type. Other choices (tuples of units, None, estimators, mixed types) are
handed to it as their ``repr`` strings and decoded back, so that any value a
``set_params`` accepts can be searched.

:class:`CrossValidationTuner` is the Keras Tuner worker of
:class:`~sklstm.tuning.KerasTunerSearchCV`: one trial is one time-ordered
cross-validation of the configured estimator. Its results are written next to
Keras Tuner's own files, so that a resumed search has them, and
:func:`cv_results` turns them into GridSearchCV's ``cv_results_``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import math
import os
import sys
import warnings
from numbers import Integral, Real

import keras
import keras_tuner as kt
import numpy as np
from keras_tuner import errors as kt_errors
from keras_tuner.engine.base_tuner import BaseTuner
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import cross_validate
from sklearn.utils import check_random_state

__all__ = [
    "Choice",
    "CrossValidationTuner",
    "Float",
    "Int",
    "TrialRunner",
    "budget_params",
    "check_search_space",
    "configured",
    "cv_results",
    "declare",
    "decode",
    "load_json",
    "make_oracle",
    "quiet",
    "save_json",
    "warn_without_tensorboard",
]

_PRIMITIVE = (bool, int, float, str)


def _plain(value):
    """A NumPy scalar as the Python scalar Keras Tuner accepts."""
    return value.item() if isinstance(value, np.generic) else value


def _is_int(value):
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, Real) and not isinstance(value, bool)


class Int:
    """A range of integers to search, from ``low`` to ``high`` inclusive.

    Parameters
    ----------
    low : int
        Smallest value.

    high : int
        Largest value; at least ``low``.

    step : int, default=1
        Distance between the candidates ``low, low + step, ...``. With
        ``log=True``, the factor between them (at least 2, as in Keras
        Tuner), or 1 for every integer.

    log : bool, default=False
        Sample uniformly in ``log(value)``, for ranges that span orders of
        magnitude. Needs ``low >= 1``.

    See Also
    --------
    Float : A range of floats.
    Choice : A list of values.

    Examples
    --------
    >>> from sklstm.tuning import Int
    >>> Int(16, 128, step=16)
    Int(16, 128, step=16)
    """

    def __init__(self, low, high, *, step=1, log=False):
        low, high, step = _plain(low), _plain(high), _plain(step)
        for name, value in (("low", low), ("high", high), ("step", step)):
            if not _is_int(value):
                raise TypeError(
                    f"Int expected {name} to be an int; got {value!r} of type "
                    f"{type(value).__name__}. Use Float for a range of floats."
                )
        if low > high:
            raise ValueError(
                f"Int expected low <= high; got low={low!r} and high={high!r}. "
                f"Swap them."
            )
        if step < 1:
            raise ValueError(f"Int expected step >= 1; got step={step!r}.")
        if log and low < 1:
            raise ValueError(
                f"Int expected low >= 1 with log=True (a log scale has no zero "
                f"or negative values); got low={low!r}. Raise low or set "
                f"log=False."
            )
        self.low, self.high, self.step, self.log = int(low), int(high), step, log

    def __repr__(self):
        extra = (f", step={self.step}" if self.step != 1 else "") + (
            ", log=True" if self.log else ""
        )
        return f"Int({self.low}, {self.high}{extra})"

    def __eq__(self, other):
        return type(other) is type(self) and repr(other) == repr(self)

    def __hash__(self):
        return hash(repr(self))

    def _declare(self, hp, name):
        step = None if self.log and self.step == 1 else self.step
        sampling = "log" if self.log else "linear"
        return hp.Int(name, self.low, self.high, step=step, sampling=sampling)

    def _from_raw(self, value, name):
        return int(value)

    def _example(self):
        return self.low


class Float:
    """A range of floats to search, from ``low`` to ``high`` inclusive.

    Parameters
    ----------
    low : float
        Smallest value.

    high : float
        Largest value; at least ``low``.

    step : float or None, default=None
        None searches the whole interval. Otherwise the distance between the
        candidates ``low, low + step, ..., high``; with ``log=True``, the
        factor between them (greater than 1, as in Keras Tuner).

    log : bool, default=False
        Sample uniformly in ``log(value)``, e.g. for a learning rate. Needs
        ``low > 0``.

    See Also
    --------
    Int : A range of integers.
    Choice : A list of values.

    Examples
    --------
    >>> from sklstm.tuning import Float
    >>> Float(1e-4, 1e-2, log=True)
    Float(0.0001, 0.01, log=True)
    """

    def __init__(self, low, high, *, step=None, log=False):
        low, high, step = _plain(low), _plain(high), _plain(step)
        for name, value in (("low", low), ("high", high)):
            if not _is_real(value) or not math.isfinite(value):
                raise TypeError(
                    f"Float expected {name} to be a finite number; got "
                    f"{value!r}. Pass a float such as 0.1."
                )
        if low > high:
            raise ValueError(
                f"Float expected low <= high; got low={low!r} and high={high!r}. "
                f"Swap them."
            )
        if step is not None and (not _is_real(step) or step <= (1 if log else 0)):
            expected = "a factor > 1 with log=True" if log else "> 0"
            raise ValueError(
                f"Float expected step to be None or {expected}; got step={step!r}."
            )
        if log and low <= 0:
            raise ValueError(
                f"Float expected low > 0 with log=True (a log scale has no zero "
                f"or negative values); got low={low!r}. Raise low or set "
                f"log=False."
            )
        self.low, self.high, self.log = float(low), float(high), log
        self.step = None if step is None else float(step)

    def __repr__(self):
        extra = (f", step={self.step!r}" if self.step is not None else "") + (
            ", log=True" if self.log else ""
        )
        return f"Float({self.low!r}, {self.high!r}{extra})"

    def __eq__(self, other):
        return type(other) is type(self) and repr(other) == repr(self)

    def __hash__(self):
        return hash(repr(self))

    def _declare(self, hp, name):
        high = self.high
        if self.step is not None and not self.log:
            # Keras Tuner counts the candidates with a floor division, which
            # drops ``high`` to round-off (0.3 // 0.1 == 2.0): widen by a hair.
            high = self.high + self.step * 1e-6
        sampling = "log" if self.log else "linear"
        return hp.Float(name, self.low, high, step=self.step, sampling=sampling)

    def _from_raw(self, value, name):
        if self.step is not None and not self.log:
            value = self.low + round((value - self.low) / self.step) * self.step
        return float(f"{min(max(value, self.low), self.high):.12g}")

    def _example(self):
        return self.low


class Choice:
    """A list of values to search.

    In a search space, a plain list or tuple means the same.

    Parameters
    ----------
    values : list or tuple
        The candidates, distinct. Any value is allowed: Keras Tuner itself
        takes only ``int``, ``float``, ``str`` and ``bool`` values of one type,
        so others (tuples such as ``(64, 32)``, None, estimators, mixed types)
        are handed to it as their ``repr`` strings and decoded back.

    See Also
    --------
    Int : A range of integers.
    Float : A range of floats.

    Examples
    --------
    >>> from sklstm.tuning import Choice
    >>> Choice([(32,), (64, 32)])
    Choice([(32,), (64, 32)])
    """

    def __init__(self, values):
        if isinstance(values, str) or not isinstance(values, list | tuple):
            raise TypeError(
                f"Choice expected a list or tuple of candidate values; got "
                f"{values!r}. Write e.g. Choice([16, 32, 64])."
            )
        if not values:
            raise ValueError(
                "Choice expected at least one candidate value; got an empty "
                "list. List the values to try, e.g. Choice([16, 32])."
            )
        self.values = [_plain(v) for v in values]
        native = _native_values(self.values)
        self._labels = native if native is not None else [repr(v) for v in values]
        if len(set(self._labels)) != len(self._labels):
            raise ValueError(
                f"Choice expected distinct values; got {list(values)!r}. Remove "
                f"the duplicates."
            )
        self._decode = dict(zip(self._labels, self.values, strict=True))

    def __repr__(self):
        return f"Choice({self.values!r})"

    def __eq__(self, other):
        return type(other) is type(self) and repr(other) == repr(self)

    def __hash__(self):
        return hash(repr(self))

    def _declare(self, hp, name):
        if all(type(v) is bool for v in self._labels):
            # Keras Tuner's Choice stores bools as 0 and 1; Boolean keeps them.
            if len(self._labels) == 1:
                return hp.Fixed(name, self._labels[0])
            return hp.Boolean(name, default=self._labels[0])
        return hp.Choice(name, self._labels)

    def _from_raw(self, label, name):
        try:
            return self._decode[label]
        except KeyError:
            raise ValueError(
                f"Choice of {name!r} got the value {label!r} from Keras Tuner, "
                f"which is not one of its candidates {self.values!r}: the "
                f"saved search was run with another search space. Pass "
                f"overwrite=True or another directory."
            ) from None

    def _example(self):
        return self.values[0]


class _Fixed(Choice):
    """A value that the search keeps fixed (a scalar in a search space)."""

    def __init__(self, value):
        super().__init__([value])

    def __repr__(self):
        return repr(self.values[0])

    def _declare(self, hp, name):
        return hp.Fixed(name, self._labels[0])


def _native_values(values):
    """The values as Keras Tuner takes them (one primitive type), or None."""
    if not all(type(v) in _PRIMITIVE for v in values):
        return None
    types = {type(v) for v in values}
    if types == {int, float}:
        return [float(v) for v in values]
    return list(values) if len(types) == 1 else None


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


def as_dimension(owner, name, spec):
    """One entry of a search space as an :class:`Int`, :class:`Float` or choice."""
    if not isinstance(name, str) or not name:
        raise TypeError(
            f"{owner} expected search_space keys to be parameter names (str); "
            f"got {name!r}."
        )
    if isinstance(spec, Int | Float | Choice):
        return spec
    if isinstance(spec, list | tuple):
        return Choice(spec)
    if isinstance(spec, set | dict | range | np.ndarray):
        raise TypeError(
            f"{owner} expected the search space of {name!r} to be Int, Float, "
            f"Choice, a list of values or one fixed value; got {spec!r}. Pass "
            f"Choice(list(...)) to search its values."
        )
    return _Fixed(spec)


def check_search_space(owner, search_space):
    """Validate a search-space dict; return ``{name: dimension}``."""
    if not isinstance(search_space, dict):
        raise TypeError(
            f"{owner} expected search_space to be a dict mapping parameter "
            f"names to Int, Float, Choice or a list of values; got "
            f"{search_space!r}."
        )
    if not search_space:
        raise ValueError(
            f"{owner} expected a non-empty search_space; got {{}}. Add the "
            f"parameters to tune, e.g. {{'regressor__units': Int(8, 64)}}."
        )
    return {
        name: as_dimension(owner, name, spec) for name, spec in search_space.items()
    }


def declare(hp, dimensions):
    """Declare ``dimensions`` in ``hp``; return the trial's values, decoded."""
    return {
        name: dim._from_raw(dim._declare(hp, name), name)
        for name, dim in dimensions.items()
    }


def decode(dimensions, values):
    """The decoded values of those ``dimensions`` that ``values`` holds."""
    return {
        name: dim._from_raw(values[name], name)
        for name, dim in dimensions.items()
        if name in values
    }


# --- trials of KerasTunerSearchCV ---------------------------------------------

#: File of each trial's cross-validation results, in its Keras Tuner folder.
_TRIAL_FILE = "sklstm_cv.json"
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
        if not isinstance(max_epochs, Integral) or max_epochs < 1:
            raise ValueError(
                f"KerasTunerSearchCV expected max_epochs, or the estimator's "
                f"{epochs!r}, to be an int >= 1; got {max_epochs!r}. Pass "
                f"max_epochs."
            )
    return epochs, stopping, int(max_epochs)


def make_oracle(tuner, hp, *, max_trials, max_epochs, factor, random_state):
    """Keras Tuner's oracle of ``tuner``, over the hyperparameters ``hp``."""
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
        oracle = kt.oracles.HyperbandOracle(
            max_epochs=max_epochs, factor=factor, **common
        )
        oracle.max_trials = max_trials
    elif tuner == "bayesian":
        oracle = kt.oracles.BayesianOptimizationOracle(
            max_trials=max_trials or _DEFAULT_MAX_TRIALS, **common
        )
    else:
        oracle = kt.oracles.RandomSearchOracle(
            max_trials=max_trials or _DEFAULT_MAX_TRIALS, **common
        )
    return oracle


def save_json(path, data):
    """Write ``data`` as JSON to ``path``."""
    with open(path, "w", encoding="utf-8") as file:
        json.dump(data, file)


def load_json(path):
    """The JSON data in ``path``, or None when there is no such file."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as file:
        return json.load(file)


class TrialRunner:
    """Everything a trial needs: the estimator, the space, the CV and the budget.

    Lives only during :meth:`KerasTunerSearchCV.fit`; never stored on it.
    """

    def __init__(self, estimator, dimensions, *, tuner, cv, scoring, budget, params):
        self.estimator = estimator
        self.dimensions = dimensions
        self.tuner = tuner
        self.cv = cv
        self.scoring = scoring
        self.epochs_param, self.stopping_param, self.max_epochs = budget
        self.fit_params = params

    def params_of(self, values):
        """The estimator parameters of a trial, from its Keras Tuner values.

        With Hyperband, the trial's budget ``tuner/epochs`` becomes the
        estimator's epochs, and its early stopping is switched off.
        """
        params = decode(self.dimensions, values)
        if self.tuner == "hyperband":
            params[self.epochs_param] = int(values["tuner/epochs"])
            if self.stopping_param is not None:
                params[self.stopping_param] = False
        elif self.max_epochs is not None:
            params[self.epochs_param] = self.max_epochs
        return params

    def evaluate(self, params, X, y):
        """Cross-validate the estimator with ``params``; raise on any failure."""
        result = cross_validate(
            configured(self.estimator, params),
            X,
            y,
            cv=self.cv,
            scoring=self.scoring,
            error_score="raise",
            params=self.fit_params or None,
        )
        scores = np.asarray(result["test_score"], dtype=np.float64)
        if not np.isfinite(scores).all():
            raise ValueError(
                f"the scores of the {len(scores)} splits, {scores.tolist()!r}, "
                f"are not all finite numbers"
            )
        return {
            "split_test_scores": scores.tolist(),
            "fit_time": np.asarray(result["fit_time"]).tolist(),
            "score_time": np.asarray(result["score_time"]).tolist(),
        }


def configured(estimator, params):
    """A clone of ``estimator`` with ``params`` set (values cloned too)."""
    return clone(estimator).set_params(
        **{name: clone(value, safe=False) for name, value in params.items()}
    )


class CrossValidationTuner(BaseTuner):
    """Keras Tuner's worker: one trial is one time-ordered cross-validation."""

    def __init__(self, oracle, runner, **kwargs):
        self.runner = runner
        super().__init__(oracle, hypermodel=None, **kwargs)

    def run_trial(self, trial, X, y):
        params = self.runner.params_of(trial.hyperparameters.values)
        path = os.path.join(self.get_trial_dir(trial.trial_id), _TRIAL_FILE)
        try:
            result = self.runner.evaluate(params, X, y)
        except Exception as exc:  # report every failure, then go on
            error = f"{type(exc).__name__}: {str(exc).rstrip('.')}"
            save_json(path, {"error": error})
            warnings.warn(
                f"KerasTunerSearchCV trial {trial.trial_id} with parameters "
                f"{params!r} failed, so it gets no score (status 'FAILED' in "
                f"cv_results_) and the search goes on: {error}. Fix or remove "
                f"the failing values of the search space to silence this "
                f"warning.",
                FitFailedWarning,
                stacklevel=1,
            )
            raise kt_errors.FailedTrialError(error) from exc
        save_json(path, result)
        return {"score": float(np.mean(result["split_test_scores"]))}

    def records(self):
        """``(trial_id, status, params, record)`` of every trial, in order."""
        trials = sorted(self.oracle.trials.values(), key=lambda t: int(t.trial_id))
        return [
            (
                trial.trial_id,
                trial.status,
                self.runner.params_of(trial.hyperparameters.values),
                load_json(os.path.join(self.get_trial_dir(trial.trial_id), _TRIAL_FILE))
                or {},
            )
            for trial in trials
        ]


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


def cv_results(records, n_splits):
    """GridSearchCV's ``cv_results_`` from the trials' records.

    Returns the dict and the first failed trial's error (None if none).
    """
    n_trials = len(records)
    splits = np.full((n_trials, n_splits), np.nan)
    fit_time = np.full((n_trials, n_splits), np.nan)
    score_time = np.full((n_trials, n_splits), np.nan)
    status = []
    for i, (_, state, _, record) in enumerate(records):
        scores = record.get("split_test_scores")
        completed = state == "COMPLETED" and scores and len(scores) == n_splits
        status.append("COMPLETED" if completed else str(state))
        if completed:
            splits[i] = scores
            fit_time[i] = record["fit_time"]
            score_time[i] = record["score_time"]
    params = [p for _, _, p, _ in records]
    results = {"params": params}
    for name in dict.fromkeys(name for p in params for name in p):
        column = np.ma.MaskedArray(np.empty(n_trials, dtype=object), mask=True)
        for i, p in enumerate(params):
            if name in p:
                column[i] = p[name]
        results[f"param_{name}"] = column
    for k in range(n_splits):
        results[f"split{k}_test_score"] = splits[:, k]
    with warnings.catch_warnings():  # the all-NaN rows of failed trials
        warnings.simplefilter("ignore", RuntimeWarning)
        for key, values in (
            ("test_score", splits),
            ("fit_time", fit_time),
            ("score_time", score_time),
        ):
            results[f"mean_{key}"] = np.nanmean(values, axis=1)
            results[f"std_{key}"] = np.nanstd(values, axis=1)
    mean = results["mean_test_score"]
    finite = np.isfinite(mean)
    rank = np.full(n_trials, finite.sum() + 1, dtype=np.int32)
    rank[finite] = rankdata(-mean[finite], method="min").astype(np.int32)
    results["rank_test_score"] = rank
    results["status"] = np.asarray(status, dtype=object)
    results["trial_id"] = np.asarray([r[0] for r in records], dtype=object)
    errors = (
        f"trial {trial_id} with {params!r} raised {record['error']}"
        for trial_id, _, params, record in records
        if record.get("error")
    )
    return results, next(errors, None)
