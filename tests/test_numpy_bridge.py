# SPDX-License-Identifier: BSD-3-Clause
"""Tests of ``sklstm._numpy_bridge``: fitted networks run through ``sklstm.gates``."""

import keras
import numpy as np
import pytest
from numpy.testing import assert_allclose

from sklstm import _networks, _numpy_bridge, gates

NETWORKS = [
    dict(units=(4,)),
    dict(units=(4, 3)),
    dict(units=(3,), bidirectional=True, merge_mode="sum"),
    dict(units=(3, 2), bidirectional=True),
    dict(units=(4,), linear_skip="last"),
    dict(units=(4,), linear_skip="window", n_outputs=3),
    dict(units=(4,), linear_skip="relative", relative=True, n_outputs=2),
    dict(units=(3,), linear_skip="relative", relative=True, scaled=True),
    dict(units=(3,), linear_skip="relative", relative=True, static=(1,)),
]


def _windows(seed=0, n=16, steps=6, features=2):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, steps, features)).astype(np.float32)
    X[:4, :3] = np.nan  # left padding, as the windower gives
    X[5, 2] = np.nan  # a gap inside a window
    return X


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("kwargs", NETWORKS)
def test_numpy_forward_equals_keras(cell, kwargs):
    keras.utils.set_random_seed(0)
    model = _networks.build_network((6, 2), cell=cell, **kwargs)
    X = _windows()
    assert _numpy_bridge.supports_numpy_forward(model)
    expected = keras.ops.convert_to_numpy(model(X))
    assert_allclose(_numpy_bridge.numpy_forward(model, X), expected, atol=1e-5)


def test_numpy_forward_defers_to_keras_for_other_networks():
    inputs = keras.Input((6, 2))
    x = keras.layers.Conv1D(2, 3)(inputs)
    other = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(x)))
    assert not _numpy_bridge.supports_numpy_forward(other)
    wrapped = _networks.wrap_network(other, (6, 2))
    assert not _numpy_bridge.supports_numpy_forward(wrapped)
    relu_head = _networks.build_network((6, 2), units=(2,))
    relu_head.get_layer("head").activation = keras.activations.relu
    assert not _numpy_bridge.supports_numpy_forward(relu_head)


def test_gate_activations_of_a_gru_follow_gates_gru_forward():
    keras.utils.set_random_seed(1)
    model = _networks.build_network((6, 2), cell="gru", units=(3,))
    X = _windows(seed=1)
    out = _numpy_bridge.gate_activations(model, X)
    assert sorted(out) == ["candidate", "hidden", "reset", "update"]
    weights = gates.GRUWeights.from_keras(_networks.recurrent_layers(model)[0])
    x, mask = np.nan_to_num(X), ~np.isnan(X).any(axis=-1)
    h = gates.gru_forward(x, weights, mask=mask, return_sequences=True)
    observed = mask[..., np.newaxis]
    assert_allclose(
        np.where(observed, out["hidden"], 0), np.where(observed, h, 0), atol=1e-6
    )
    assert (
        np.isnan(out["update"][0, 0]).all() and not np.isnan(out["update"][0, -1]).any()
    )


def test_gate_activations_of_an_lstm_keep_their_names():
    keras.utils.set_random_seed(2)
    model = _networks.build_network((6, 2), units=(3,))
    out = _numpy_bridge.gate_activations(model, _windows(seed=2))
    assert sorted(out) == ["candidate", "cell", "forget", "hidden", "input", "output"]
