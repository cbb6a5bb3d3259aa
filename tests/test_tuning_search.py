"""Tests for KerasTunerSearchCV (sklstm/tuning/_search.py, _oracle.py, _results.py).

The budgets are tiny (2-3 trials, 1-2 epochs, 120 rows, 2-4 units): they
prove the mechanics, not the tuning. Most search mechanics run on fast
scikit-learn estimators; the LSTM pipelines prove each tuner end to end.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import pickle
import re
import tempfile

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin, clone, is_regressor
from sklearn.exceptions import FitFailedWarning, NotFittedError
from sklearn.linear_model import Lasso, Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags

from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised
from sklstm.tuning import Choice, Float, Int, KerasTunerSearchCV

# Keras Tuner 1.4.8 calls threading's deprecated currentThread() on every
# oracle call: upstream noise, ignored by module (KerasTunerSearchCV ignores it
# itself; Keras Tuner's own tuners do not).
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras_tuner")


def _series(n=121, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = np.sin(2 * np.pi * t / 12) + 0.1 * rng.standard_normal(n)
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=n, freq="D"))


@pytest.fixture(scope="module")
def data():
    """120 rows: a DataFrame X and a pandas Series y."""
    return make_supervised(_series())


def _ridge_pipeline():
    return make_lstm_pipeline(4, Ridge(), fill_value=0.0)


def _lstm_pipeline():
    regressor = LSTMRegressor(units=2, epochs=1, early_stopping=False, random_state=0)
    return make_lstm_pipeline(4, regressor)


class _Recorder(RegressorMixin, BaseEstimator):
    """Predicts the training mean; logs the rows and the epochs of each call."""

    log = []

    def __init__(self, alpha=1.0, epochs=5, early_stopping=True):
        self.alpha = alpha
        self.epochs = epochs
        self.early_stopping = early_stopping

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        _Recorder.log.append(("fit", X[:, 0].copy(), self.epochs, self.early_stopping))
        self.mean_ = float(np.mean(y))
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        _Recorder.log.append(("predict", X[:, 0].copy(), self.epochs, None))
        return np.full(len(X), self.mean_ + 0.01 * self.alpha)


@pytest.fixture
def recorder():
    _Recorder.log.clear()
    yield _Recorder
    _Recorder.log.clear()


def _fits(log):
    return [entry for entry in log if entry[0] == "fit"]


# --- KerasTunerSearchCV: mechanics on fast estimators ------------------------


def test_search_cv_random_search_on_a_pipeline(data):
    X, y = data
    space = {"windower__window": Int(2, 8), "regressor__alpha": Float(0.01, 10.0)}
    search = KerasTunerSearchCV(
        _ridge_pipeline(), space, tuner="random", max_trials=3, random_state=0
    ).fit(X, y)
    results = search.cv_results_
    keys = {
        "params",
        "param_windower__window",
        "param_regressor__alpha",
        "split0_test_score",
        "split1_test_score",
        "split2_test_score",
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        "mean_fit_time",
        "std_fit_time",
        "mean_score_time",
        "std_score_time",
        "status",
        "trial_id",
    }
    assert set(results) == keys
    assert results["status"].tolist() == ["COMPLETED"] * 3
    assert search.n_splits_ == 3
    assert results["rank_test_score"][search.best_index_] == 1
    assert search.best_score_ == results["mean_test_score"].max()
    assert search.best_params_ == results["params"][search.best_index_]
    assert set(search.best_params_) == set(space)
    assert 2 <= search.best_params_["windower__window"] <= 8
    assert (
        search.best_estimator_.get_params()["windower__window"]
        == (search.best_params_["windower__window"])
    )
    assert search.predict(X).shape == (len(X),)
    assert np.isfinite(search.score(X, y))
    assert search.n_features_in_ == 1
    assert search.refit_time_ >= 0


def test_search_cv_is_repeatable_with_random_state(data):
    X, y = data
    space = {"regressor__alpha": Float(0.01, 10.0, log=True)}

    def params():
        search = KerasTunerSearchCV(
            _ridge_pipeline(), space, tuner="bayesian", max_trials=3, random_state=3
        )
        return search.fit(X, y).cv_results_["params"]

    assert params() == params()


def test_search_cv_searches_any_values(data):
    X, y = data
    space = {
        "regressor": [Ridge(alpha=0.1), Lasso(alpha=0.01)],
        "scaler": Choice([StandardScaler(), "passthrough"]),
        "windower__window": (2, 4),
    }
    search = KerasTunerSearchCV(
        _ridge_pipeline(), space, tuner="random", max_trials=3, random_state=0
    ).fit(X, y)
    best = search.best_params_
    assert type(best["regressor"]) in (Ridge, Lasso)
    assert best["scaler"] == "passthrough" or isinstance(best["scaler"], StandardScaler)
    assert best["windower__window"] in (2, 4)
    chosen = search.best_estimator_.named_steps["regressor"]
    assert chosen is not best["regressor"]  # cloned, as GridSearchCV does
    assert repr(chosen) == repr(best["regressor"])


def test_search_cv_default_cv_is_time_ordered(recorder):
    X, y = np.arange(120.0).reshape(-1, 1), np.arange(120.0)
    search = KerasTunerSearchCV(
        recorder(), {"alpha": [1.0, 2.0]}, tuner="random", max_trials=1, refit=False
    ).fit(X, y)
    assert search.n_splits_ == 3
    calls = recorder.log
    assert [kind for kind, *_ in calls] == ["fit", "predict"] * 3
    for (_, train, *_), (_, test, *_) in zip(calls[::2], calls[1::2], strict=True):
        assert_array_equal(train, np.arange(len(train)))  # a prefix, in order
        assert_array_equal(test, np.arange(len(train), len(train) + 30))
    assert [len(train) for _, train, *_ in calls[::2]] == [30, 60, 90]


def test_search_cv_int_cv_means_time_series_split(recorder):
    X, y = np.arange(120.0).reshape(-1, 1), np.arange(120.0)
    search = KerasTunerSearchCV(
        recorder(), {"alpha": [1.0]}, tuner="random", cv=2, refit=False
    ).fit(X, y)
    assert search.n_splits_ == 2
    assert [len(train) for _, train, *_ in _fits(recorder.log)] == [40, 80]


def test_search_cv_warns_about_shuffled_cv(data):
    X, y = data
    search = KerasTunerSearchCV(
        _ridge_pipeline(),
        {"regressor__alpha": [1.0]},
        tuner="random",
        cv=KFold(3, shuffle=True, random_state=0),
    )
    with pytest.warns(UserWarning, match="shuffles the rows"):
        search.fit(X, y)


def test_search_cv_reports_a_failed_trial(data):
    X, y = data
    search = KerasTunerSearchCV(
        _ridge_pipeline(),
        {"regressor__alpha": Choice([-1.0, 1.0])},
        tuner="random",
        max_trials=2,
        random_state=0,
    )
    with pytest.warns(FitFailedWarning) as record:
        search.fit(X, y)
    failures = [w for w in record if issubclass(w.category, FitFailedWarning)]
    assert len(failures) == 1  # once per failed trial
    message = str(failures[0].message)
    assert "{'regressor__alpha': -1.0} failed" in message
    assert "InvalidParameterError" in message
    results = search.cv_results_
    failed = results["status"].tolist().index("FAILED")
    assert np.isnan(results["mean_test_score"][failed])
    assert results["rank_test_score"][failed] == 2
    assert search.best_params_ == {"regressor__alpha": 1.0}


def test_search_cv_raises_when_every_trial_failed(data):
    X, y = data
    search = KerasTunerSearchCV(
        _ridge_pipeline(),
        {"regressor__alpha": Choice([-1.0, -2.0])},
        tuner="random",
        max_trials=2,
    )
    with pytest.warns(FitFailedWarning), pytest.raises(ValueError) as error:
        search.fit(X, y)
    message = str(error.value)
    assert "expected at least one trial to succeed; all 2 failed" in message
    assert "'alpha' parameter" in message and "fix the search space" in message


def test_search_cv_rejects_unknown_parameters(data):
    X, y = data
    search = KerasTunerSearchCV(_ridge_pipeline(), {"window": [2, 3]}, tuner="random")
    with pytest.raises(ValueError, match=re.escape("Did you mean 'windower__window'?")):
        search.fit(X, y)


def test_search_cv_hyperband_needs_one_epochs_parameter(data):
    X, y = data
    search = KerasTunerSearchCV(_ridge_pipeline(), {"regressor__alpha": [1.0, 2.0]})
    with pytest.raises(ValueError, match=re.escape("found none. Use tuner=")):
        search.fit(X, y)
    for name in ("regressor__epochs", "regressor__early_stopping"):
        search = KerasTunerSearchCV(_lstm_pipeline(), {name: [1, 2]})
        with pytest.raises(ValueError, match="got it in search_space too"):
            search.fit(X, y)


def test_search_cv_hyperband_maps_the_budget_onto_epochs(recorder):
    X, y = np.arange(60.0).reshape(-1, 1), np.arange(60.0)
    search = KerasTunerSearchCV(
        recorder(), {"alpha": Float(0.0, 1.0)}, max_epochs=3, cv=2, random_state=0
    ).fit(X, y)
    epochs = search.cv_results_["param_epochs"].tolist()
    # Hyperband's first bracket: 3 configurations for 1 epoch, the best for 3;
    # then its second: 2 configurations for 3 epochs.
    assert epochs == [1, 1, 1, 3, 3, 3]
    assert search.cv_results_["params"][3]["alpha"] in [
        p["alpha"] for p in search.cv_results_["params"][:3]
    ]
    fits = _fits(recorder.log)
    assert [e for _, _, e, _ in fits] == [1] * 6 + [3] * 6 + [
        search.best_params_["epochs"]
    ]
    assert {stopping for *_, stopping in fits} == {False}


def test_search_cv_max_epochs_sets_epochs_of_other_tuners(recorder):
    X, y = np.arange(60.0).reshape(-1, 1), np.arange(60.0)
    search = KerasTunerSearchCV(
        recorder(), {"alpha": [1.0]}, tuner="random", max_epochs=7, refit=False
    ).fit(X, y)
    assert search.best_params_ == {"alpha": 1.0, "epochs": 7}
    assert {(e, s) for _, _, e, s in _fits(recorder.log)} == {(7, True)}


def test_search_cv_resumes_from_its_directory(recorder, tmp_path):
    X, y = np.arange(60.0).reshape(-1, 1), np.arange(60.0)
    space = {"alpha": Float(0.0, 1.0)}
    search = KerasTunerSearchCV(
        recorder(),
        space,
        tuner="random",
        max_trials=2,
        directory=tmp_path / "search",
        refit=False,
        random_state=0,
    )
    first = search.fit(X, y).cv_results_
    assert len(_fits(recorder.log)) == 2 * 3
    recorder.log.clear()
    again = clone(search).set_params(max_trials=3).fit(X, y).cv_results_
    assert len(_fits(recorder.log)) == 1 * 3  # only the missing trial ran
    assert len(again["params"]) == 3
    assert again["params"][:2] == first["params"]
    assert_array_equal(again["mean_test_score"][:2], first["mean_test_score"])
    recorder.log.clear()
    clone(search).set_params(max_trials=3).fit(X, y)
    assert recorder.log == []  # finished: nothing left to run


def test_search_cv_refuses_to_continue_another_search(recorder, tmp_path):
    X, y = np.arange(60.0).reshape(-1, 1), np.arange(60.0)
    search = KerasTunerSearchCV(
        recorder(),
        {"alpha": Float(0.0, 1.0)},
        tuner="random",
        max_trials=1,
        directory=tmp_path,
        refit=False,
    ).fit(X, y)
    other = clone(search).set_params(search_space={"alpha": Float(0.0, 2.0)})
    with pytest.raises(ValueError, match="whose search_space differ"):
        other.fit(X, y)
    other.set_params(overwrite=True, max_trials=2).fit(X, y)
    assert len(other.cv_results_["params"]) == 2  # started afresh


def test_search_cv_removes_its_temporary_directory(data, monkeypatch, tmp_path):
    X, y = data
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    cwd = set(os.listdir())
    KerasTunerSearchCV(
        _ridge_pipeline(), {"regressor__alpha": [1.0, 2.0]}, tuner="random"
    ).fit(X, y)
    assert os.listdir(tmp_path) == []
    assert set(os.listdir()) == cwd


def test_search_cv_clone_and_get_params():
    search = KerasTunerSearchCV(
        _ridge_pipeline(),
        {"windower__window": Int(2, 8), "regressor__alpha": [0.1, 1.0]},
        tuner="bayesian",
        max_trials=4,
        random_state=1,
    )
    cloned = clone(search)
    params = search.get_params(deep=False)
    assert cloned.get_params(deep=False).keys() == params.keys()
    for name, value in cloned.get_params(deep=False).items():
        if name != "estimator":
            assert value == params[name], name
    assert "estimator__windower__window" in search.get_params(deep=True)
    assert "Int(2, 8)" in repr(search)


def test_search_cv_refit_false_keeps_no_best_estimator(data):
    X, y = data
    search = KerasTunerSearchCV(
        _ridge_pipeline(), {"regressor__alpha": [1.0]}, tuner="random", refit=False
    )
    assert not hasattr(search, "predict")
    search.fit(X, y)
    assert not hasattr(search, "best_estimator_")
    with pytest.raises(AttributeError, match="no attribute 'predict'") as error:
        search.predict(X)
    assert "refit=False" in str(error.value.__cause__)


def test_search_cv_predict_before_fit_raises(data):
    X, _ = data
    search = KerasTunerSearchCV(_ridge_pipeline(), {"regressor__alpha": [1.0]})
    with pytest.raises(NotFittedError):
        search.predict(X)


def test_search_cv_score_uses_scoring(data):
    X, y = data
    search = KerasTunerSearchCV(
        _ridge_pipeline(),
        {"regressor__alpha": [0.1, 1.0]},
        tuner="random",
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    expected = -mean_absolute_error(y, search.best_estimator_.predict(X))
    assert_allclose(search.score(X, y), expected)
    assert search.best_score_ < 0


def test_search_cv_tags_follow_the_estimator():
    search = KerasTunerSearchCV(LSTMRegressor(), {"units": [2, 4]})
    tags = get_tags(search)
    assert is_regressor(search)
    assert tags.input_tags.allow_nan and tags.input_tags.three_d_array
    assert tags.non_deterministic
    assert not get_tags(KerasTunerSearchCV(Ridge(), {})).input_tags.allow_nan


def test_search_cv_checks_the_data_before_any_trial(recorder):
    X = np.arange(20.0).reshape(-1, 1)
    search = KerasTunerSearchCV(recorder(), {"alpha": [1.0]}, tuner="random")
    with pytest.raises(ValueError, match="requires y to be passed"):
        search.fit(X, None)
    with pytest.raises(ValueError, match=re.escape("split n_samples=2 rows")):
        search.fit(X[:2], np.arange(2.0))
    assert recorder.log == []  # no trial ran


def test_search_cv_rejects_bools_as_counts(data):
    X, y = data
    search = KerasTunerSearchCV(
        _ridge_pipeline(), {"regressor__alpha": [1.0]}, tuner="random", max_trials=True
    )
    with pytest.raises(ValueError, match="'max_trials' parameter"):
        search.fit(X, y)


def test_search_cv_tags_follow_the_estimators_targets():
    tags = get_tags(KerasTunerSearchCV(Ridge(), {"alpha": [1.0]}))
    assert tags.target_tags.required and tags.target_tags.multi_output


# --- KerasTunerSearchCV on LSTM pipelines ------------------------------------


@pytest.fixture(scope="module")
def lstm_search(data):
    """A random search of a tiny LSTM pipeline, fitted on a Series y."""
    X, y = data
    assert isinstance(y, pd.Series)
    space = {
        "windower__window": Int(2, 6),
        "regressor__units": Int(2, 4),
        "regressor__learning_rate": Float(1e-3, 1e-1, log=True),
    }
    search = KerasTunerSearchCV(
        _lstm_pipeline(), space, tuner="random", max_trials=2, cv=2, random_state=0
    )
    return search.fit(X, y)


def test_search_cv_tunes_an_lstm_pipeline_with_random_search(lstm_search, data):
    X, y = data
    assert lstm_search.cv_results_["status"].tolist() == ["COMPLETED"] * 2
    assert set(lstm_search.best_params_) == {
        "windower__window",
        "regressor__units",
        "regressor__learning_rate",
    }
    assert lstm_search.predict(X).shape == (len(X),)
    assert np.isfinite(lstm_search.score(X, y))


def test_search_cv_pickle_round_trip_predicts_identically(lstm_search, data):
    X, _ = data
    kinds = {type(v).__module__.split(".")[0] for v in vars(lstm_search).values()}
    assert "keras_tuner" not in kinds  # plain results only
    restored = pickle.loads(pickle.dumps(lstm_search))
    assert_array_equal(restored.predict(X), lstm_search.predict(X))
    assert restored.best_params_ == lstm_search.best_params_


def test_search_cv_tunes_an_lstm_pipeline_with_bayesian_optimization(data):
    X, y = data
    search = KerasTunerSearchCV(
        _lstm_pipeline(),
        {"regressor__units": Int(2, 4), "windower__window": [3, 5]},
        tuner="bayesian",
        max_trials=2,
        cv=2,
        refit=False,
        random_state=0,
    ).fit(X, y)
    assert search.cv_results_["status"].tolist() == ["COMPLETED"] * 2
    assert np.isfinite(search.best_score_)


def test_search_cv_hyperband_trains_survivors_longer(data):
    X, y = data
    trained = []

    def scorer(estimator, X, y):
        trained.append(len(estimator[-1].history_["loss"]))
        return -mean_absolute_error(y, estimator.predict(X))

    search = KerasTunerSearchCV(
        _lstm_pipeline(),
        {"regressor__units": Int(2, 4)},
        tuner="hyperband",
        max_epochs=2,
        factor=2,
        max_trials=3,
        cv=2,
        scoring=scorer,
        refit=False,
        random_state=0,
    ).fit(X, y)
    results = search.cv_results_
    assert results["param_regressor__epochs"].tolist() == [1, 1, 2]
    assert results["param_regressor__early_stopping"].tolist() == [False] * 3
    assert trained == [1, 1, 1, 1, 2, 2]  # epochs actually trained, per split
    promoted = results["params"][2]["regressor__units"]
    best_first = results["params"][int(np.argmax(results["mean_test_score"][:2]))]
    assert promoted == best_first["regressor__units"]


def test_search_cv_refuses_keras_tuners_distributed_mode(data, monkeypatch):
    # Its chief would run every trial itself while its workers wait for it.
    X, y = data
    monkeypatch.setenv("KERASTUNER_ORACLE_IP", "127.0.0.1")
    monkeypatch.setenv("KERASTUNER_ORACLE_PORT", "8000")
    monkeypatch.setenv("KERASTUNER_TUNER_ID", "chief")
    search = KerasTunerSearchCV(
        _ridge_pipeline(), {"regressor__alpha": [1.0]}, tuner="random"
    )
    with pytest.raises(ValueError, match="does not run in Keras Tuner's distributed"):
        search.fit(X, y)
