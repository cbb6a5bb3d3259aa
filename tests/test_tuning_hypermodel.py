"""Tests for LSTMHyperModel (sklstm/tuning/_hypermodel.py): the networks it
builds, the compile policy it shares with the regressors, and training on the
standardised target, validated on the last windows."""

# SPDX-License-Identifier: BSD-3-Clause

import importlib.util
import re

import keras
import keras_tuner as kt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklstm import SequenceWindower, _networks, make_supervised
from sklstm.tuning import Choice, Int, LSTMHyperModel

# Keras Tuner 1.4.8 calls threading's deprecated currentThread() on every
# oracle call: upstream noise, ignored by module.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras_tuner")


def _series(n=121, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = np.sin(2 * np.pi * t / 12) + 0.1 * rng.standard_normal(n)
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=n, freq="D"))


def _recorded_fit(model):
    """Replace ``model.fit`` by a recorder of what it receives."""
    calls = []

    def fit(x, y, **kwargs):
        calls.append((x, y, kwargs))
        return "history"

    model.fit = fit
    return calls


def _built(hypermodel, **values):
    hp = kt.HyperParameters()
    for name, value in values.items():
        hp.Fixed(name, value)
    return hypermodel.build(hp)


@pytest.mark.parametrize(
    "space, names",
    [
        ({"num_layers": 1, "bidirectional": False}, ["lstm_0"]),
        ({"num_layers": 2, "bidirectional": False}, ["lstm_0", "lstm_1"]),
        ({"num_layers": 1, "bidirectional": True}, ["bidirectional_0"]),
        ({"num_layers": 2, "cell": "gru"}, ["gru_0", "gru_1"]),
    ],
)
def test_lstm_hypermodel_builds_the_networks_of_the_regressors(space, names):
    space = {"units": 3, "bidirectional": False, **space}
    hypermodel = LSTMHyperModel((6, 2), 3, search_space=space)
    model = hypermodel.build(kt.HyperParameters())
    layers = [layer.name for layer in model.layers]
    assert layers == ["windows", "nan_mask", *names, "head"]
    assert model.output_shape == (None, 3)
    assert model.optimizer.__class__.__name__ == "Adam"


def test_lstm_hypermodel_declares_its_default_space():
    hp = kt.HyperParameters()
    LSTMHyperModel((5,)).build(hp)
    assert [p.name for p in hp.space] == [
        "units",
        "num_layers",
        "bidirectional",
        "dropout",
        "learning_rate",
        "activation",
    ]
    assert hp.get("units") == 16 and hp.get("bidirectional") is False


def test_lstm_hypermodel_searches_the_cell():
    hypermodel = LSTMHyperModel(
        (5,), search_space={"cell": Choice(["lstm", "gru"]), "num_layers": 1}
    )
    hp = kt.HyperParameters()
    hypermodel.build(hp)
    assert hp.space[-1].name == "cell" and hp.space[-1].values == ["lstm", "gru"]
    assert [layer.name for layer in _built(hypermodel, cell="gru").layers][2] == (
        "gru_0"
    )


def test_lstm_hypermodel_compiles_like_the_regressors():
    hypermodel = LSTMHyperModel((5, 1), search_space={"units": 2, "num_layers": 1})
    model = _built(hypermodel, learning_rate=0.005)
    assert model.steps_per_execution == 32
    assert_allclose(float(model.optimizer.learning_rate), 0.005, rtol=1e-6)
    assert model.loss == "mse"


def test_lstm_hypermodel_rejects_bad_arguments():
    with pytest.raises(ValueError, match=re.escape("Did you mean 'units'?")):
        LSTMHyperModel((5, 1), search_space={"unit": [4, 8]})
    with pytest.raises(ValueError, match=re.escape("pass X.shape[1:]")):
        LSTMHyperModel((0, 1))
    with pytest.raises(ValueError, match=re.escape("pass X.shape[1:]")):
        LSTMHyperModel((True, 1))
    with pytest.raises(ValueError, match=re.escape("validation_fraction in [0, 1)")):
        LSTMHyperModel((5, 1), validation_fraction=1.0)
    with pytest.raises(ValueError, match=re.escape("n_outputs to be an int >= 1")):
        LSTMHyperModel((5, 1), n_outputs=True)
    with pytest.raises(ValueError, match=re.escape("steps_per_execution to be an")):
        LSTMHyperModel((5, 1), steps_per_execution=0)
    with pytest.raises(ValueError, match=re.escape("jit_compile to be True, False")):
        LSTMHyperModel((5, 1), jit_compile="yes")
    with pytest.raises(ValueError, match=re.escape("expected cell among")):
        _built(LSTMHyperModel((5, 1), search_space={"cell": "rnn"}))


def test_lstm_hypermodel_fit_trains_on_the_standardised_target():
    x = np.arange(20.0).reshape(10, 2)  # 2-D: one feature per step
    y = 100.0 + 10.0 * np.arange(10.0)  # in "degrees": far from unit scale
    hypermodel = LSTMHyperModel(
        (2,), search_space={"units": 2}, validation_fraction=0.3
    )
    model = _built(hypermodel)
    calls = _recorded_fit(model)
    result = hypermodel.fit(kt.HyperParameters(), model, x, y, epochs=1)
    assert result == "history"
    (x_train, y_train, kwargs) = calls[0]
    assert x_train.shape == (7, 2, 1) and x_train.dtype == np.float32
    # Standardised with the mean and scale of the training part only.
    mean, scale = y[:7].mean(), y[:7].std()
    assert_allclose(y_train[:, 0], (y[:7] - mean) / scale, rtol=1e-6)
    x_val, y_val = kwargs["validation_data"]
    assert_array_equal(x_val[:, :, 0], x[7:])  # the last 30%, in order
    assert_allclose(y_val[:, 0], (y[7:] - mean) / scale, rtol=1e-6)
    assert kwargs["epochs"] == 1
    scaler = hypermodel.target_scaler_
    assert_allclose(scaler.inverse_transform(y_train), y[:7], rtol=1e-6)


def test_lstm_hypermodel_fit_compiles_for_the_training_it_gets():
    hypermodel = LSTMHyperModel(
        (3, 1), search_space={"units": 2}, validation_fraction=0
    )
    model = _built(hypermodel)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mae")  # a tuner's
    _recorded_fit(model)
    x, y = np.zeros((40, 3, 1)), np.zeros(40)
    hypermodel.fit(None, model, x, y, batch_size=16, epochs=2)
    # 40 windows in batches of 16: 3 batches per epoch, 6 steps in all.
    assert model.steps_per_execution == 3
    assert model.jit_compile == _networks.default_jit_compile(6)
    # The optimizer and loss it had (here a tuner's override) are kept.
    assert model.loss == "mae"
    assert type(model.optimizer).__name__ == "SGD"
    assert_allclose(float(model.optimizer.learning_rate), 0.1, rtol=1e-6)


def test_lstm_hypermodel_fit_keeps_the_callers_validation():
    x, y = np.zeros((10, 2, 1)), np.arange(10.0)
    hypermodel = LSTMHyperModel((2, 1), search_space={"units": 2})
    model = _built(hypermodel)
    calls = _recorded_fit(model)
    hypermodel.fit(None, model, x, y, validation_data=(x[:2], y[:2]))
    x_train, y_train, kwargs = calls[-1]
    assert len(x_train) == 10 and len(kwargs["validation_data"][0]) == 2
    assert_allclose(kwargs["validation_data"][1][:, 0], y_train[:2, 0])  # scaled
    # validation_split is applied here, as Keras would: the last windows.
    hypermodel.fit(None, model, x, y, validation_split=0.5)
    x_train, y_train, kwargs = calls[-1]
    assert len(x_train) == 5 and "validation_split" not in kwargs
    assert len(kwargs["validation_data"][0]) == 5
    with pytest.raises(ValueError, match="got 1 window"):
        hypermodel.fit(None, model, x[:1], y[:1])
    with pytest.raises(TypeError, match="expected the targets y as an array"):
        hypermodel.fit(None, model, x, None)


def test_lstm_hypermodel_fit_splits_sample_weights_with_the_windows():
    x, y = np.zeros((10, 2, 1)), np.arange(10.0)
    weight = np.r_[np.ones(8), 2.0, 3.0]
    hypermodel = LSTMHyperModel((2, 1), search_space={"units": 2})
    model = _built(hypermodel)
    calls = _recorded_fit(model)
    hypermodel.fit(None, model, x, y, sample_weight=weight)
    _, _, kwargs = calls[-1]
    assert_array_equal(kwargs["sample_weight"], np.ones(8))
    assert_array_equal(kwargs["validation_data"][2], [2.0, 3.0])


def test_lstm_hypermodel_fit_without_standardisation_keeps_y():
    x, y = np.zeros((10, 2, 1)), 50.0 + np.arange(10.0)
    hypermodel = LSTMHyperModel(
        (2, 1), search_space={"units": 2}, standardize_target=False
    )
    model = _built(hypermodel)
    calls = _recorded_fit(model)
    hypermodel.fit(None, model, x, y)
    _, y_train, kwargs = calls[-1]
    assert_array_equal(y_train[:, 0], y[:8])
    assert_array_equal(kwargs["validation_data"][1][:, 0], y[8:])


def test_lstm_hypermodel_warns_without_tensorboard(monkeypatch):
    find_spec = importlib.util.find_spec

    def no_tensorboard(name, *args, **kwargs):
        return None if name == "tensorboard" else find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", no_tensorboard)
    with pytest.warns(UserWarning, match="pip install tensorboard"):
        LSTMHyperModel((5, 1))


@pytest.mark.filterwarnings("ignore:Skipping variable loading:UserWarning")
def test_lstm_hypermodel_random_search_on_windowed_arrays(tmp_path):
    pytest.importorskip(
        "tensorboard", reason="Keras Tuner 1.4.8's tuners import it in every trial"
    )
    # A trend makes the last windows' loss unlike that of any other part, and
    # a level far from 0 makes the unscaled loss unlike the standardised one.
    X, y = make_supervised(_series().to_numpy() + np.linspace(20.0, 24.0, 121))
    windows, y = SequenceWindower(5).fit_transform(X)[4:], np.asarray(y)[4:]
    hypermodel = LSTMHyperModel(
        windows.shape[1:], search_space={"units": Int(2, 4), "num_layers": 1}
    )
    tuner = kt.RandomSearch(
        hypermodel,
        objective="val_loss",
        max_trials=2,
        seed=1,
        directory=tmp_path,
        project_name="tutorial",
    )
    tuner.search(windows, y, epochs=1, verbose=0)
    best = tuner.oracle.get_best_trials(1)[0]
    assert best.status == "COMPLETED" and best.score is not None
    # val_loss is the loss on the last 20% of the windows, not on a sample,
    # with the target standardised by the mean and scale of the first 80%.
    split = int(len(windows) * 0.8)
    n_val = len(windows) - split
    scaled = (y - y[:split].mean()) / y[:split].std()
    model = tuner.get_best_models(1)[0]
    last = model.evaluate(windows[split:], scaled[split:], verbose=0)
    first = model.evaluate(windows[:n_val], scaled[:n_val], verbose=0)
    assert_allclose(best.score, last, rtol=1e-5)
    assert not np.isclose(best.score, first, rtol=0.1)
    unscaled = model.evaluate(windows[split:], y[split:], verbose=0)
    assert best.score < unscaled / 10
