"""Tests for the batches of a search (sklstm/tuning/_batches.py, the loop in
_oracle.py): the trials that run together are those the one-at-a-time loop
proposes, so batching never changes a search, and an interrupted batch
resumes."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.exceptions import FitFailedWarning

from sklstm.tuning import Float, KerasTunerSearchCV
from sklstm.tuning._execution import fit_and_score, run_serially
from sklstm.tuning._oracle import CrossValidationTuner

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras_tuner")


class _Scored(RegressorMixin, BaseEstimator):
    """Fast and deterministic: predicts the training mean shifted by a score
    that depends on ``alpha`` and ``epochs``; fails for ``alpha > 0.66``.
    Counts its fits."""

    n_fits = 0

    def __init__(self, alpha=1.0, gamma=0.5, epochs=5, early_stopping=True):
        self.alpha = alpha
        self.gamma = gamma
        self.epochs = epochs
        self.early_stopping = early_stopping

    def fit(self, X, y):
        _Scored.n_fits += 1
        if self.alpha > 0.66:
            raise ValueError(f"alpha={self.alpha} is too large")
        self.mean_ = float(np.mean(y))
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        shift = (self.alpha - 0.3) ** 2 + 0.1 * self.gamma + 1.0 / self.epochs
        return np.full(len(X), self.mean_ + shift)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((60, 1)), rng.standard_normal(60)


class _ReversingExecutor:
    """Runs each batch last task first (as a parallel executor may) and
    records how many tasks each batch had."""

    def __init__(self):
        self.sizes = []

    def __call__(self, tasks):
        self.sizes.append(len(tasks))
        return [fit_and_score(task) for task in reversed(tasks)][::-1]


def _search(monkeypatch, executor, tuner, X, y, *, max_batch=None, **params):
    monkeypatch.setattr(KerasTunerSearchCV, "_executor", lambda self: executor)
    monkeypatch.setattr(CrossValidationTuner, "max_batch", max_batch)
    space = {"alpha": Float(0.0, 1.0), "gamma": Float(0.0, 1.0)}
    search = KerasTunerSearchCV(
        _Scored(), space, tuner=tuner, cv=2, refit=False, random_state=0, **params
    )
    with warnings.catch_warnings():  # alpha > 0.66 fails some trials
        warnings.simplefilter("ignore", FitFailedWarning)
        return search.fit(X, y)


@pytest.mark.parametrize(
    "tuner, params, batches",
    [
        ("random", {"max_trials": 12}, [12]),
        # 2 dimensions: 6 initial random points together; the first failed,
        # so a 7th is random too, alone (then, were there more trials, each
        # Gaussian-process proposal alone).
        ("bayesian", {"max_trials": 7}, [6, 1]),
        # Hyperband's rounds with max_epochs=9: 9, 3, 1 | 5, 2 | 3 trials,
        # fewer promotions where trials of the round before failed.
        ("hyperband", {"max_epochs": 9}, None),
    ],
)
def test_batches_reproduce_the_one_at_a_time_search(
    tuner, params, batches, data, monkeypatch, assert_same_cv_results
):
    X, y = data
    serial = _search(monkeypatch, run_serially, tuner, X, y, max_batch=1, **params)
    executor = _ReversingExecutor()
    batched = _search(monkeypatch, executor, tuner, X, y, **params)
    assert_same_cv_results(batched.cv_results_, serial.cv_results_)
    assert batched.best_params_ == serial.best_params_
    assert "FAILED" in batched.cv_results_["status"].tolist()
    trials_per_batch = [size // 2 for size in executor.sizes]
    assert sum(trials_per_batch) == len(serial.cv_results_["params"])
    if batches is not None:
        assert trials_per_batch == batches
    else:  # one batch per round: its trials share their epochs
        epochs = batched.cv_results_["param_epochs"].tolist()
        start = 0
        for size in trials_per_batch:
            assert len(set(epochs[start : start + size])) == 1
            start += size
        assert trials_per_batch[0] == 9 and len(trials_per_batch) <= 6


def test_hyperband_batches_are_its_rounds(monkeypatch):
    X, y = np.arange(60.0).reshape(-1, 1), np.arange(60.0)
    monkeypatch.setattr(_Scored, "fit", _fit_never_failing)
    executor = _ReversingExecutor()
    monkeypatch.setattr(KerasTunerSearchCV, "_executor", lambda self: executor)
    search = KerasTunerSearchCV(
        _Scored(),
        {"alpha": Float(0.0, 1.0)},
        max_epochs=9,
        cv=2,
        refit=False,
        random_state=0,
    ).fit(X, y)
    assert [size // 2 for size in executor.sizes] == [9, 3, 1, 5, 2, 3]
    assert search.cv_results_["param_epochs"].tolist() == (
        [1] * 9 + [3] * 3 + [9] + [3] * 5 + [9] * 2 + [9] * 3
    )


def _fit_never_failing(self, X, y):
    self.mean_ = float(np.mean(y))
    self.n_features_in_ = np.shape(X)[1]
    return self


class _InterruptingExecutor:
    """Returns the results of the first ``n`` tasks, then is interrupted."""

    def __init__(self, n):
        self.n = n

    def __call__(self, tasks):
        for task in tasks[: self.n]:
            yield fit_and_score(task)
        raise KeyboardInterrupt


@pytest.mark.parametrize("tuner", ["random", "hyperband"])
def test_an_interrupted_batch_resumes(
    tuner, data, monkeypatch, tmp_path, assert_same_cv_results
):
    X, y = data
    params = {"max_trials": 6} if tuner == "random" else {"max_epochs": 3}
    whole = _search(monkeypatch, run_serially, tuner, X, y, **params)
    n_trials = len(whole.cv_results_["params"])
    # The first batch is interrupted after two trials (four fits) ended.
    directory = tmp_path / "search"
    with pytest.raises(KeyboardInterrupt):
        _search(
            monkeypatch,
            _InterruptingExecutor(4),
            tuner,
            X,
            y,
            directory=str(directory),
            **params,
        )
    _Scored.n_fits = 0
    resumed = _search(
        monkeypatch, run_serially, tuner, X, y, directory=str(directory), **params
    )
    assert _Scored.n_fits == 2 * (n_trials - 2)  # the two that ended are kept
    assert_same_cv_results(resumed.cv_results_, whole.cv_results_)
    assert resumed.best_params_ == whole.best_params_
    # Finished: fitting again runs nothing.
    _Scored.n_fits = 0
    clone(resumed).fit(X, y)
    assert _Scored.n_fits == 0
