"""Tests for trial execution (sklstm/tuning/_execution.py): every fit of a
search is an independent, picklable task that goes through one executor."""

# SPDX-License-Identifier: BSD-3-Clause

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from joblib._parallel_backends import ThreadingBackend
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.metrics import check_scoring
from sklearn.model_selection import TimeSeriesSplit

from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised
from sklstm.tuning import Float, Int, KerasTunerSearchCV
from sklstm.tuning._execution import (
    FitResult,
    FitTask,
    ParallelExecutor,
    TrialRunner,
    fit_and_score,
    run_serially,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras_tuner")


@pytest.fixture(scope="module")
def data():
    """120 rows: a DataFrame X and a pandas Series y."""
    rng = np.random.default_rng(0)
    t = np.arange(121)
    values = np.sin(2 * np.pi * t / 12) + 0.1 * rng.standard_normal(121)
    index = pd.date_range("2024-01-01", periods=121, freq="D")
    return make_supervised(pd.Series(values, index=index))


def _ridge_pipeline():
    return make_lstm_pipeline(4, Ridge(), fill_value=0.0)


def _ridge_runner(X, y, executor, *, scorer=None):
    """A TrialRunner of the Ridge pipeline on two time-ordered folds (scored
    as Ridge is, unless ``scorer`` is given)."""
    return TrialRunner(
        _ridge_pipeline(),
        X,
        y,
        cv=TimeSeriesSplit(2),
        scorer=check_scoring(Ridge()) if scorer is None else scorer,
        fit_params={},
        executor=executor,
    )


class _RecordingExecutor:
    """An executor that records its batches and runs them last task first.

    Running the tasks in another order than given, as a parallel executor
    may, shows that they do not depend on each other.
    """

    def __init__(self):
        self.batches = []

    def __call__(self, tasks):
        self.batches.append(list(tasks))
        results = [fit_and_score(task) for task in reversed(tasks)]
        return results[::-1]


def _without_times(results):
    return {
        key: value
        for key, value in results.items()
        if not key.endswith(("fit_time", "score_time"))
    }


def _assert_same_results(a, b):
    a, b = _without_times(a), _without_times(b)
    assert a.keys() == b.keys()
    for key in a:
        if key == "params" or key.startswith("param_"):
            assert repr(list(a[key])) == repr(list(b[key])), key
        else:
            assert_array_equal(a[key], b[key], err_msg=key)


def _search_with(executor, monkeypatch, estimator, space, X, y, **params):
    monkeypatch.setattr(KerasTunerSearchCV, "_executor", lambda self: executor)
    return KerasTunerSearchCV(estimator, space, **params).fit(X, y)


def test_search_runs_every_fit_through_the_executor(data, monkeypatch):
    X, y = data
    space = {"windower__window": Int(2, 8), "regressor__alpha": Float(0.01, 10.0)}
    params = dict(tuner="random", max_trials=3, cv=3, random_state=0)
    serial = KerasTunerSearchCV(_ridge_pipeline(), space, **params).fit(X, y)
    executor = _RecordingExecutor()
    search = _search_with(
        executor, monkeypatch, _ridge_pipeline(), space, X, y, **params
    )
    # Random search proposes every trial without looking at a score, so all
    # trials are one batch: one executor call with every trial's folds, trial
    # by trial and fold by fold.
    assert [len(batch) for batch in executor.batches] == [9]
    (batch,) = executor.batches
    trial_ids = search.cv_results_["trial_id"].tolist()
    for k, (trial_id, params_) in enumerate(
        zip(trial_ids, search.cv_results_["params"], strict=True)
    ):
        tasks = batch[3 * k : 3 * k + 3]
        assert [task.trial_id for task in tasks] == [trial_id] * 3
        assert [task.fold for task in tasks] == [0, 1, 2]
        assert all(task.params == params_ for task in tasks)
        assert [len(task.train) for task in tasks] == [30, 60, 90]
    # The same search, whatever order the executor ran the fits in.
    _assert_same_results(search.cv_results_, serial.cv_results_)
    assert search.best_params_ == serial.best_params_
    assert_array_equal(search.predict(X), serial.predict(X))


def test_tasks_pickle_and_run_the_same_after(data, monkeypatch):
    X, y = data
    executor = _RecordingExecutor()
    _search_with(
        executor,
        monkeypatch,
        _ridge_pipeline(),
        {"regressor__alpha": [0.5]},
        X,
        y,
        tuner="random",
        refit=False,
    )
    task = executor.batches[0][1]
    restored = pickle.loads(pickle.dumps(task))
    assert isinstance(restored, FitTask)
    here, there = fit_and_score(task), fit_and_score(restored)
    assert here.score == there.score and here.error is None
    assert (here.trial_id, here.fold) == (task.trial_id, 1)
    assert pickle.loads(pickle.dumps(here)) == here  # results travel back too


def test_fit_and_score_reports_a_failure_without_raising(data):
    X, y = data
    runner = _ridge_runner(X, y, run_serially)
    (task, _) = runner.tasks("7", {"regressor__alpha": -1.0})
    result = fit_and_score(task)
    assert isinstance(result, FitResult)
    assert result.score is None and result.trial_id == "7"
    assert result.error.startswith("InvalidParameterError: The 'alpha' parameter")
    assert "Traceback" in result.traceback
    (record,) = runner.run([("7", {"regressor__alpha": -1.0})])
    assert record["error"] == result.error  # the first failing fold's


class _MeanRegressor(RegressorMixin, BaseEstimator):
    """Predicts the (weighted) training mean; logs the weights it was given."""

    weights = []

    def fit(self, X, y, sample_weight=None):
        _MeanRegressor.weights.append(sample_weight)
        self.mean_ = float(np.average(y, weights=sample_weight))
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def test_fit_params_are_split_with_the_rows():
    X, y = np.arange(60.0).reshape(-1, 1), np.arange(60.0)
    weight = np.arange(1.0, 61.0)
    _MeanRegressor.weights.clear()
    runner = TrialRunner(
        _MeanRegressor(),
        X,
        y,
        cv=TimeSeriesSplit(2),
        scorer=check_scoring(_MeanRegressor()),
        fit_params={"sample_weight": weight},
        executor=run_serially,
    )
    runner.run([("0", {})])
    assert_array_equal(_MeanRegressor.weights[0], weight[:20])
    assert_array_equal(_MeanRegressor.weights[1], weight[:40])


class _CountingSplit(TimeSeriesSplit):
    calls = 0

    def split(self, X, y=None, groups=None):
        _CountingSplit.calls += 1
        return super().split(X, y, groups)


def test_folds_are_split_once_per_search(data):
    X, y = data
    _CountingSplit.calls = 0
    KerasTunerSearchCV(
        _ridge_pipeline(),
        {"regressor__alpha": Float(0.1, 1.0)},
        tuner="random",
        max_trials=3,
        cv=_CountingSplit(2),
        random_state=0,
        refit=False,
    ).fit(X, y)
    assert _CountingSplit.calls == 1


def test_a_non_finite_score_fails_the_trial(data):
    X, y = data
    runner = _ridge_runner(
        X, y, run_serially, scorer=lambda estimator, X, y: float("nan")
    )
    (record,) = runner.run([("0", {})])
    assert record == {
        "error": "ValueError: the scores of the 2 splits, [nan, nan], are not "
        "all finite numbers"
    }


def test_an_executor_must_return_one_result_per_task(data, monkeypatch):
    X, y = data
    with pytest.raises(RuntimeError, match="returned 0 results for 3 tasks"):
        _search_with(
            lambda tasks: [],
            monkeypatch,
            _ridge_pipeline(),
            {"regressor__alpha": [1.0]},
            X,
            y,
            tuner="random",
        )


def test_lstm_fits_do_not_depend_on_the_order_they_run_in(data, monkeypatch):
    # The property a parallel executor relies on: each fit seeds itself, so
    # fold 1 fitted before fold 0 (the recording executor's order) scores the
    # same as in the serial order.
    X, y = data
    regressor = LSTMRegressor(units=2, epochs=1, early_stopping=False, random_state=0)
    space = {"windower__window": Int(2, 6), "regressor__units": Int(2, 4)}
    params = dict(tuner="random", max_trials=1, cv=2, refit=False, random_state=0)
    pipe = make_lstm_pipeline(4, regressor)
    serial = KerasTunerSearchCV(pipe, space, **params).fit(X, y)
    search = _search_with(
        _RecordingExecutor(), monkeypatch, pipe, space, X, y, **params
    )
    _assert_same_results(search.cv_results_, serial.cv_results_)


def test_an_executor_must_return_the_results_in_task_order(data, monkeypatch):
    X, y = data
    with pytest.raises(RuntimeError, match=r"fold 2 in the place of trial \d+ fold 0"):
        _search_with(
            lambda tasks: [fit_and_score(task) for task in reversed(tasks)],
            monkeypatch,
            _ridge_pipeline(),
            {"regressor__alpha": [1.0]},
            X,
            y,
            tuner="random",
        )


def test_stream_yields_each_trial_as_its_folds_come_back(data):
    X, y = data
    done = []

    def executor(tasks):
        for task in tasks:
            done.append((task.trial_id, task.fold))
            yield fit_and_score(task)

    runner = _ridge_runner(X, y, executor)
    stream = runner.stream([("0", {}), ("1", {"regressor__alpha": 2.0})])
    trial_id, record = next(stream)
    assert trial_id == "0" and len(record["split_test_scores"]) == 2
    assert done == [("0", 0), ("0", 1)]  # trial 1 has not run yet
    assert [trial_id for trial_id, _ in stream] == ["1"]


class _NoStreamingBackend(ThreadingBackend):
    """joblib threads that cannot stream results (as multiprocessing, Ray)."""

    supports_return_generator = False


def test_parallel_executor_runs_on_any_joblib_backend(data, monkeypatch):
    X, y = data
    joblib.register_parallel_backend("sklstm-test-no-stream", _NoStreamingBackend)
    space = {"windower__window": Int(2, 8), "regressor__alpha": Float(0.01, 10.0)}
    params = dict(tuner="random", max_trials=3, cv=2, random_state=0, refit=False)
    serial = _search_with(
        run_serially, monkeypatch, _ridge_pipeline(), space, X, y, **params
    )
    monkeypatch.undo()
    for backend in ("threading", "sklstm-test-no-stream"):
        with joblib.parallel_backend(backend, n_jobs=2):
            search = KerasTunerSearchCV(_ridge_pipeline(), space, **params).fit(X, y)
        _assert_same_results(search.cv_results_, serial.cv_results_)
    executor = ParallelExecutor(n_jobs=2)
    runner = _ridge_runner(X, y, executor)
    with joblib.parallel_backend("sklstm-test-no-stream", n_jobs=2):
        assert isinstance(executor(runner.tasks("0", {})), list)
    with joblib.parallel_backend("threading", n_jobs=2):
        results = executor(runner.tasks("0", {}))
        assert not isinstance(results, list)  # streams
        assert [result.fold for result in results] == [0, 1]
