# SPDX-License-Identifier: BSD-3-Clause
"""Tests of ``SequenceRegressor``: a user's own Keras network, trained as sklstm's."""

import pickle
import re

import keras
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone

from sklstm import LSTMRegressor, SequenceRegressor, make_lstm_pipeline, make_supervised

FAST = dict(epochs=2, random_state=0, early_stopping=False)


def simple_rnn(input_shape, n_outputs, units=3):
    """A module-level network function: SequenceRegressor pickles with it."""
    inputs = keras.Input(input_shape)
    x = keras.layers.SimpleRNN(units, bias_initializer="ones")(inputs)
    return keras.Model(inputs, keras.layers.Dense(n_outputs)(x))


def not_a_model(input_shape, n_outputs):
    return "model"


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((96, 6, 2))
    X[:5, :3] = np.nan
    y = np.nansum(X[:, -2:, 0], axis=1) + 10.0
    return X, y


def test_sequence_regressor_fits_predicts_and_pickles(data):
    X, y = data
    est = SequenceRegressor(simple_rnn, **FAST, model__units=4).fit(X, y)
    pred = est.predict(X)
    assert pred.shape == (len(X),) and np.isfinite(pred).all()
    assert est.model_.get_layer(index=2).get_layer(index=1).units == 4
    assert abs(np.mean(pred) - np.mean(y)) < 3 * np.std(y)  # target scaled back
    again = pickle.loads(pickle.dumps(est))
    assert_array_equal(again.predict(X), pred)
    assert clone(est).get_params()["network"] is simple_rnn


def test_sequence_regressor_masks_nan_steps(data):
    X, y = data
    est = SequenceRegressor(simple_rnn, **FAST).fit(X, y)
    padded, shorter = X[:4].copy(), X[:4, 3:]
    padded[:, :3] = np.nan
    inner = est.model_.get_layer(index=2)
    alone = simple_rnn((3, 2), 1)
    alone.set_weights(inner.get_weights())
    expected = est.target_scaler_.inverse_transform(alone.predict(shorter, verbose=0))
    assert_allclose(est.predict(padded), expected, rtol=1e-5)


def test_sequence_regressor_early_stopping_and_multi_output(data):
    X, y = data
    Y = np.column_stack([y, 2 * y])
    est = SequenceRegressor(simple_rnn, epochs=4, patience=1, random_state=0)
    est.fit(X, Y)
    assert est.predict(X).shape == (len(X), 2)
    assert 1 <= est.best_epoch_ <= 4 and "val_loss" in est.history_


def test_sequence_regressor_in_a_pipeline():
    X, y = make_supervised(np.sin(np.arange(80) / 4.0))
    pipe = make_lstm_pipeline(5, SequenceRegressor(simple_rnn, **FAST))
    assert len(pipe.fit(X, y).predict(X)) == len(X)


def test_sequence_regressor_gate_activations_say_what_to_do(data):
    X, y = data
    est = SequenceRegressor(simple_rnn, **FAST).fit(X, y)
    msg = "SequenceRegressor can report gate activations of the networks sklstm builds"
    with pytest.raises(ValueError, match=re.escape(msg)):
        est.gate_activations(X)


@pytest.mark.parametrize(
    "network, error, msg",
    [
        (
            None,
            ValueError,
            "SequenceRegressor expected network to be a function network("
            "input_shape, n_outputs, **model_params) returning a keras.Model; "
            "got None.",
        ),
        (
            not_a_model,
            TypeError,
            "SequenceRegressor expected network(...) to return a keras.Model; got str.",
        ),
    ],
)
def test_sequence_regressor_errors(network, error, msg, data):
    X, y = data
    with pytest.raises(error, match=re.escape(msg)):
        SequenceRegressor(network, **FAST).fit(X, y)


def test_sequence_regressor_shares_the_regressors_parameter_docs():
    import inspect

    def entries(cls):
        doc = inspect.getdoc(cls)
        params = doc.split("Parameters\n----------\n")[1].split("Attributes\n")[0]
        blocks = re.split(r"\n(?=\S)", params.strip())
        return {b.split(" :")[0]: b for b in blocks}

    ours, theirs = entries(SequenceRegressor), entries(LSTMRegressor)
    # A user's network has no window normalisation, so its loss stays "mse"
    # where the built-in ones have "auto" (the absolute error for panels).
    shared = (set(ours) & set(theirs)) - {"**kwargs", "loss"}
    assert {"epochs", "early_stopping", "random_state"} <= shared
    assert 'default="mse"' in ours["loss"] and 'default="auto"' in theirs["loss"]
    for name in shared:
        assert ours[name] == theirs[name], name
