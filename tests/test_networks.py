# SPDX-License-Identifier: BSD-3-Clause
"""Tests of ``sklstm._networks``: the builder, the cell choice, the compile policy."""

import keras
import numpy as np
import pytest
from numpy.testing import assert_allclose

from sklstm import _networks


@pytest.mark.parametrize(
    "cell, layer", [("lstm", keras.layers.LSTM), ("gru", keras.layers.GRU)]
)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_build_network_uses_the_chosen_cell(cell, layer, bidirectional):
    model = _networks.build_network(
        (5, 2), cell=cell, units=(4, 3), n_outputs=2, bidirectional=bidirectional
    )
    recurrent = _networks.recurrent_layers(model)
    assert len(recurrent) == 2
    for index, found in enumerate(recurrent):
        inner = found.forward_layer if bidirectional else found
        assert isinstance(inner, layer)
        assert inner.return_sequences == (index == 0)
    assert model.output_shape == (None, 2)
    assert model.name == f"sklstm_{cell}"


def test_build_network_passes_cell_arguments_and_gru_defaults_to_reset_after():
    default = _networks.build_network((5, 2), cell="gru", units=(3,))
    assert _networks.recurrent_layers(default)[0].reset_after is True
    classic = _networks.build_network((5, 2), cell="gru", units=(3,), reset_after=False)
    assert _networks.recurrent_layers(classic)[0].reset_after is False


def _compiled(**kwargs):
    model = _networks.build_network((4, 1), units=(2,))
    return _networks.compile_network(model, **kwargs)


def test_compile_network_caps_steps_per_execution_at_the_batches_per_epoch():
    assert (
        _compiled(steps_per_execution=32, batches_per_epoch=5).steps_per_execution == 5
    )
    assert (
        _compiled(steps_per_execution=4, batches_per_epoch=53).steps_per_execution == 4
    )
    assert _compiled(steps_per_execution=8).steps_per_execution == 8


def test_steps_per_execution_divide_the_epoch_when_a_divisor_is_near():
    steps = _networks.steps_dividing_epoch
    assert [steps(32, n) for n in (1, 7, 32)] == [1, 7, 32]  # the whole epoch
    assert steps(32, 44) == 22  # two calls per epoch, none reads past it
    assert steps(32, 96) == 32
    assert steps(32, 41) == 32  # prime: no divisor from 16 up, kept
    assert steps(32, 34) == 17
    assert steps(4, 50) == 2
    assert (
        _compiled(steps_per_execution=32, batches_per_epoch=44).steps_per_execution
        == 22
    )


def test_steps_per_execution_shared_with_a_later_run_divide_both_epochs():
    steps = _networks.steps_dividing_epochs
    assert steps(32, 6, 8) == 2  # early stopping's run and the refit
    assert steps(32, 4, 5) == 1  # four calls an epoch: cheap
    assert steps(32, 12, 15) == 3
    # A common divisor that would cost more calls than a new trace: the
    # first epoch's own steps, which the later run cannot share.
    limit = _networks.SHARED_STEP_MAX_CALLS
    assert steps(32, limit + 1, limit + 2) == limit + 1
    assert steps(32, 160, 200) == 20  # 40 divides both, above 32
    assert steps(32, 44, 53) == 22
    assert (
        _compiled(
            steps_per_execution=32, batches_per_epoch=6, later_batches=8
        ).steps_per_execution
        == 2
    )


def test_compile_network_makes_a_fresh_optimizer_with_the_learning_rate():
    given = keras.optimizers.Adam(learning_rate=0.5, beta_1=0.7)
    first = _compiled(optimizer=given, learning_rate=0.01)
    second = _compiled(optimizer=given)
    assert first.optimizer is not given and second.optimizer is not first.optimizer
    assert float(given.learning_rate) == pytest.approx(0.5)  # not mutated
    assert float(first.optimizer.learning_rate) == pytest.approx(0.01)
    assert float(second.optimizer.learning_rate) == pytest.approx(0.5)
    assert first.optimizer.beta_1 == pytest.approx(0.7)
    by_name = _compiled(optimizer="rmsprop", learning_rate=0.2)
    assert isinstance(by_name.optimizer, keras.optimizers.RMSprop)
    assert float(by_name.optimizer.learning_rate) == pytest.approx(0.2)


@pytest.mark.skipif(
    _networks.default_jit_compile(1) == "auto", reason="XLA rule is for CPUs only"
)
def test_compile_network_applies_the_xla_rule_to_the_training_steps():
    few = _compiled(train_steps=_networks.XLA_MIN_TRAIN_STEPS - 1)
    many = _compiled(train_steps=_networks.XLA_MIN_TRAIN_STEPS)
    assert few.jit_compile is False and many.jit_compile is True
    assert _networks.default_jit_compile(None) == "auto"
    assert _compiled(jit_compile=False, train_steps=10**6).jit_compile is False


def _simple_rnn(input_shape, n_outputs):
    inputs = keras.Input(input_shape)
    x = keras.layers.SimpleRNN(3, bias_initializer="ones")(inputs)
    return keras.Model(inputs, keras.layers.Dense(n_outputs)(x))


def test_wrap_network_skips_nan_steps_inside_a_users_network():
    keras.utils.set_random_seed(0)
    inner = _simple_rnn((5, 2), 1)
    wrapped = _networks.wrap_network(inner, (5, 2))
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 5, 2)).astype(np.float32)
    padded = X.copy()
    padded[:, :2] = np.nan
    # Masked steps are skipped: the same as running on the last 3 steps only.
    short = _simple_rnn((3, 2), 1)
    short.set_weights(inner.get_weights())
    expected = short.predict(X[:, 2:], verbose=0)
    assert_allclose(wrapped.predict(padded, verbose=0), expected, atol=1e-6)
    zeros = X.copy()
    zeros[:, :2] = 0.0  # zeros are read as numbers: not the same
    assert not np.allclose(wrapped.predict(zeros, verbose=0), expected, atol=1e-3)
    assert _networks.wrap_network(inner, (5, 2), mask_missing=False) is inner
