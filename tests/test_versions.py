# SPDX-License-Identifier: BSD-3-Clause
"""Tests for the version records (sklstm/_versions.py) and the golden files.

The golden files in tests/data were written by an earlier version of sklstm
(tests/data/make_golden.py, versions in golden_versions.json): each release
must still load them, as pickles and as safe archives, and predict as they
did, or at least warn clearly that the versions differ.
"""

import copy
import json
import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.exceptions import InconsistentVersionWarning as SklearnWarning

import sklstm
from sklstm import (
    InconsistentVersionWarning,
    LSTMRegressor,
    NaiveRegressor,
    SequenceWindower,
    _versions,
    make_lstm_pipeline,
    make_supervised,
)

DATA = Path(__file__).parent / "data"
GOLDEN = ["naive_pipeline", "lstm_pipeline", "bigru_pipeline", "quantile_conformal"]


@pytest.fixture(scope="module")
def supervised():
    t = np.arange(40)
    return make_supervised(pd.DataFrame({"y": np.sin(t / 4)}))


def test_current_versions_name_the_stack_without_importing_keras():
    versions = sklstm._versions.current_versions()
    assert set(versions) == {
        "sklstm",
        "scikit-learn",
        "numpy",
        "pandas",
        "keras",
        "tensorflow",
    }
    assert versions["sklstm"] == sklstm.__version__
    assert versions["numpy"] == np.__version__


def test_a_fitted_regressor_records_its_versions(supervised):
    X, y = supervised
    reg = LSTMRegressor(units=2, epochs=1, early_stopping=False, random_state=0)
    pipe = make_lstm_pipeline(3, reg).fit(X, y)
    assert pipe[-1].versions_ == _versions.current_versions()
    assert "versions_" not in clone(pipe[-1]).__dict__


def _pickled_under(estimator, monkeypatch, **versions):
    fake = {**_versions.current_versions(), **versions}
    with monkeypatch.context() as m:
        m.setattr(_versions, "current_versions", lambda: dict(fake))
        return pickle.dumps(estimator)


@pytest.mark.parametrize(
    "estimator",
    [SequenceWindower(3), NaiveRegressor(), make_lstm_pipeline(3, NaiveRegressor())],
    ids=["windower", "naive", "pipeline"],
)
def test_unpickling_under_other_versions_warns_naming_both(
    estimator, supervised, monkeypatch
):
    X, y = supervised
    estimator = (
        estimator.fit(X)
        if isinstance(estimator, SequenceWindower)
        else estimator.fit(X, y)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(pickle.dumps(estimator))  # same versions: silent
        copy.deepcopy(estimator)
    data = _pickled_under(estimator, monkeypatch, sklstm="0.0.1", numpy="1.0.0")
    with pytest.warns(InconsistentVersionWarning) as record:
        restored = pickle.loads(data)
    message = str(record[0].message)
    assert re.search(
        r"saved with sklstm 0\.0\.1, numpy 1\.0\.0 under sklstm \S+, numpy", message
    )
    assert np.__version__ in message and sklstm.__version__ in message
    assert record[0].message.differences["numpy"] == ("1.0.0", np.__version__)
    # scikit-learn's own filters apply to it.
    assert isinstance(record[0].message, SklearnWarning)
    assert type(restored) is type(estimator)


def test_unpickling_a_keras_regressor_under_other_versions_warns(
    supervised, monkeypatch
):
    X, y = supervised
    reg = LSTMRegressor(units=2, epochs=1, early_stopping=False, random_state=0)
    reg.fit(SequenceWindower(3).fit_transform(X), y)
    data = _pickled_under(reg, monkeypatch, keras="2.0.0", tensorflow="2.0.0")
    with pytest.warns(
        InconsistentVersionWarning, match="saved with keras 2.0.0, tensorflow 2.0.0"
    ):
        pickle.loads(data)


def test_loading_an_archive_under_other_versions_warns(
    supervised, tmp_path, monkeypatch
):
    X, y = supervised
    pipe = make_lstm_pipeline(3, NaiveRegressor()).fit(X, y)
    fake = {**_versions.current_versions(), "sklstm": "0.0.1", "keras": "2.0.0"}
    with monkeypatch.context() as m:
        m.setattr(sklstm._persistence, "current_versions", lambda: dict(fake))
        sklstm.save(pipe, tmp_path / "m.sklstm")
    with pytest.warns(InconsistentVersionWarning) as record:
        sklstm.load(tmp_path / "m.sklstm")
    # Keras is not used by a model loaded without it: only sklstm is named.
    assert "saved with sklstm 0.0.1 under" in str(record[0].message)
    assert "keras" not in str(record[0].message)


def _load_golden(path):
    """Load a golden file; a version warning is allowed, nothing else."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if path.suffix == ".pkl":
            with open(path, "rb") as f:
                model = pickle.load(f)
        else:
            model = sklstm.load(path)
    unexpected = [
        w
        for w in caught
        if not issubclass(w.category, InconsistentVersionWarning | DeprecationWarning)
    ]
    assert not unexpected, [str(w.message) for w in unexpected]
    return model


@pytest.mark.parametrize("suffix", [".sklstm", ".pkl"])
@pytest.mark.parametrize("name", GOLDEN)
def test_golden_files_still_load_and_predict(name, suffix):
    X = pd.read_csv(DATA / "golden_X.csv", index_col="date", parse_dates=True)
    expected = np.load(DATA / "golden_expected.npz", allow_pickle=False)[name]
    model = _load_golden(DATA / f"golden_{name}{suffix}")
    assert_allclose(model.predict(X), expected, atol=1e-6)
    if not hasattr(model, "predict_interval"):
        # The windower remembers the end of the fitted rows (a conformal model
        # with refit=False was fitted on the rows before its calibration).
        assert_allclose(model.predict(X.iloc[[-1]]), expected[-1:], atol=1e-6)
    else:
        interval = np.load(DATA / "golden_expected.npz")[f"{name}_interval"]
        assert_allclose(np.stack(model.predict_interval(X)), interval, atol=1e-6)


def test_golden_versions_are_recorded():
    versions = json.loads((DATA / "golden_versions.json").read_text())
    assert set(versions) == set(_versions.current_versions())
