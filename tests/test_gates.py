"""Tests of ``sklstm.gates``: the NumPy LSTM, against hand math and real Keras.

The parity tests draw random layers with hypothesis and compare with
``keras.layers.LSTM`` and ``keras.layers.Bidirectional`` (float32, max abs
difference <= 1e-5). The gradient tests use central finite differences in float64
and TensorFlow's own gradients of the same Keras layer.
"""

# SPDX-License-Identifier: BSD-3-Clause

import dataclasses
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sklstm.gates import (
    GateWeights,
    LSTMGates,
    LSTMWeights,
    bidirectional_forward,
    candidate,
    cell_update,
    forget_gate,
    hidden_state,
    input_gate,
    lstm_backward,
    lstm_forward,
    lstm_step,
    output_gate,
    sigmoid,
)

ACTIVATIONS = [
    "hard_sigmoid",
    "linear",
    "relu",
    "sigmoid",
    "softplus",
    "softsign",
    "tanh",
]
# Bounded recurrent activations keep random recurrences from overflowing.
BOUNDED = ["hard_sigmoid", "sigmoid", "softsign", "tanh"]
PARITY_ATOL = 1e-5  # float32, the bound
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------


def _weights(rng, n_features, units, *, dtype=np.float64, **activations):
    """Random weights with a random bias, scaled to keep the gates unsaturated."""
    arrays = (
        rng.standard_normal((n_features, 4 * units)) / np.sqrt(n_features),
        rng.standard_normal((units, 4 * units)) / np.sqrt(units),
        0.5 * rng.standard_normal(4 * units),
    )
    return LSTMWeights(*(a.astype(dtype) for a in arrays), **activations)


def _mask(rng, kind, n, steps):
    """A (n, steps) mask: None, random, left- or right-padded (rows may be empty)."""
    if kind == "none":
        return None
    if kind == "random":
        return rng.random((n, steps)) < 0.7
    lengths = rng.integers(0, steps + 1, size=n)
    positions = np.arange(steps)[None, :]
    if kind == "left":
        return positions >= (steps - lengths)[:, None]
    return positions < lengths[:, None]


def _keras_lstm(weights, input_shape, **kwargs):
    """A built keras.layers.LSTM holding ``weights``."""
    keras = pytest.importorskip("keras")
    layer = keras.layers.LSTM(
        weights.units,
        activation=weights.activation,
        recurrent_activation=weights.recurrent_activation,
        dtype=str(weights.dtype),
        **kwargs,
    )
    layer.build(input_shape)
    layer.set_weights([weights.kernel, weights.recurrent_kernel, weights.bias])
    return layer


def _numpy(tensor):
    keras = pytest.importorskip("keras")
    return keras.ops.convert_to_numpy(tensor)


def _call(layer, x, mask=None, **kwargs):
    if mask is not None:
        kwargs["mask"] = _numpy_to_tensor(mask)
    return layer(x, **kwargs)


def _numpy_to_tensor(array):
    keras = pytest.importorskip("keras")
    return keras.ops.convert_to_tensor(array)


# --------------------------------------------------------------------------
# Import and activations.
# --------------------------------------------------------------------------


def test_gates_import_loads_neither_keras_nor_tensorflow():
    code = (
        "import sys, sklstm.gates; "
        "print(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'keras', 'tensorflow'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    assert out.stdout.strip() == "[]"


def test_sigmoid_is_stable_for_large_inputs():
    x = np.array([-1e5, -745.0, -40.0, 0.0, 40.0, 1e5])
    with np.errstate(all="raise"):
        s = sigmoid(x)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    # Full relative precision in the lower tail, where 1 + tanh(x / 2) is 0.
    assert s[2] == pytest.approx(math.exp(-40.0) / (1 + math.exp(-40.0)), rel=1e-15)
    assert np.all(np.isfinite(sigmoid(np.float32([-1e4, 1e4]))))


def test_sigmoid_keeps_dtype_and_symmetry():
    x = np.linspace(-20, 20, 101)
    assert sigmoid(x.astype(np.float32)).dtype == np.float32
    assert sigmoid([1, 2]).dtype == np.float64
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_matches_keras_definition(name):
    keras = pytest.importorskip("keras")
    x = np.linspace(-8, 8, 161).astype(np.float32)
    expected = _numpy(keras.activations.get(name)(x))
    w = LSTMWeights(np.zeros((1, 4)), np.zeros((1, 4)), activation=name)
    got = hidden_state(np.ones_like(x), x, activation=w.activation)
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert got.dtype == np.float32


def test_hard_sigmoid_is_relu6_of_x_plus_3_over_6():
    x = np.array([-4.0, -3.0, -1.5, 0.0, 1.5, 3.0, 4.0])
    got = hidden_state(np.ones_like(x), x, activation="hard_sigmoid")
    np.testing.assert_array_equal(got, [0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0])


# --------------------------------------------------------------------------
# LSTMWeights.
# --------------------------------------------------------------------------


def test_weights_views_slice_keras_gate_order(rng):
    w = _weights(rng, 4, 3)
    for k, gate in enumerate((w.input, w.forget, w.candidate, w.output)):
        assert isinstance(gate, GateWeights)
        cols = slice(3 * k, 3 * k + 3)
        np.testing.assert_array_equal(gate.kernel, w.kernel[:, cols])
        np.testing.assert_array_equal(
            gate.recurrent_kernel, w.recurrent_kernel[:, cols]
        )
        np.testing.assert_array_equal(gate.bias, w.bias[cols])
        assert np.shares_memory(gate.kernel, w.kernel)
    assert (w.n_features, w.units, w.dtype) == (4, 3, np.float64)


def test_weights_are_read_only_copies(rng):
    kernel = rng.standard_normal((2, 8))
    w = LSTMWeights(kernel, np.zeros((2, 8)))
    kernel[:] = 0
    assert np.any(w.kernel != 0)
    with pytest.raises(ValueError, match="read-only"):
        w.kernel[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.units = 3
    np.testing.assert_array_equal(w.bias, np.zeros(8))
    w2 = dataclasses.replace(w, activation="relu")
    assert (w2.activation, w2.recurrent_activation) == ("relu", "sigmoid")


def test_weights_accept_none_callable_and_promote_integers():
    w = LSTMWeights(
        np.ones((2, 4), dtype=int),
        np.ones((1, 4), dtype=np.float32),
        activation=None,
        recurrent_activation=np.tanh,
    )
    assert (w.activation, w.recurrent_activation) == ("linear", "tanh")
    assert w.dtype == np.float64
    w32 = LSTMWeights(np.ones((2, 4), np.float32), np.ones((1, 4), np.float32))
    assert w32.dtype == np.float32 and w32.bias.dtype == np.float32
    assert repr(w32) == (
        "LSTMWeights(n_features=2, units=1, dtype=float32, activation='tanh', "
        "recurrent_activation='sigmoid')"
    )


def test_weights_random_follows_keras_initialisation():
    w = LSTMWeights.random(5, 4, seed=3, dtype=np.float32)
    assert w.dtype == np.float32
    np.testing.assert_allclose(
        w.recurrent_kernel @ w.recurrent_kernel.T, np.eye(4), atol=1e-6
    )
    limit = np.sqrt(6 / (5 + 16))
    assert np.all(np.abs(w.kernel) <= limit)
    np.testing.assert_array_equal(w.bias, np.repeat([0.0, 1.0, 0.0, 0.0], 4))
    again = LSTMWeights.random(5, 4, seed=3, dtype=np.float32)
    np.testing.assert_array_equal(w.kernel, again.kernel)


def test_weights_from_keras_reads_layer_and_activations():
    keras = pytest.importorskip("keras")
    layer = keras.layers.LSTM(3, activation="relu", recurrent_activation="hard_sigmoid")
    layer.build((None, 5, 2))
    w = LSTMWeights.from_keras(layer)
    assert (w.activation, w.recurrent_activation) == ("relu", "hard_sigmoid")
    kernel, recurrent, bias = layer.get_weights()
    np.testing.assert_array_equal(w.kernel, kernel)
    np.testing.assert_array_equal(w.recurrent_kernel, recurrent)
    # unit_forget_bias only initialises b_f to one; the layout stays (i, f, c, o).
    np.testing.assert_array_equal(w.forget.bias, np.ones(3))
    np.testing.assert_array_equal(w.input.bias, np.zeros(3))
    # An LSTMCell works too.
    cell = keras.layers.LSTMCell(3)
    cell.build((None, 2))
    assert LSTMWeights.from_keras(cell).units == 3


def test_weights_from_keras_without_bias_matches_layer(rng):
    keras = pytest.importorskip("keras")
    layer = keras.layers.LSTM(4, use_bias=False, activation=None)
    x = rng.standard_normal((3, 6, 2)).astype(np.float32)
    expected = _numpy(layer(x))
    w = LSTMWeights.from_keras(layer)
    assert w.activation == "linear"
    np.testing.assert_array_equal(w.bias, np.zeros(16, dtype=np.float32))
    np.testing.assert_allclose(lstm_forward(x, w), expected, atol=PARITY_ATOL)


# --------------------------------------------------------------------------
# Golden values and properties.
# --------------------------------------------------------------------------


def test_lstm_forward_golden_values_from_constant_weights():
    # Every weight equal: all units and all gates share one value per step,
    # so two steps can be written out with math alone.
    n_features, units, a, b, beta = 2, 3, 0.1, 0.2, 0.05
    w = LSTMWeights(
        np.full((n_features, 4 * units), a),
        np.full((units, 4 * units), b),
        np.full(4 * units, beta),
    )
    x = np.ones((1, 2, n_features))

    def sig(v):
        return 1 / (1 + math.exp(-v))

    z1 = n_features * a + beta
    c1 = sig(z1) * math.tanh(z1)  # f * 0 + i * g
    h1 = sig(z1) * math.tanh(c1)
    z2 = n_features * a + units * b * h1 + beta
    c2 = sig(z2) * c1 + sig(z2) * math.tanh(z2)
    h2 = sig(z2) * math.tanh(c2)

    y, h, c = lstm_forward(x, w, return_sequences=True, return_state=True)
    np.testing.assert_allclose(y[0, :, 0], [h1, h2], rtol=1e-15)
    np.testing.assert_allclose(c, np.full((1, units), c2), rtol=1e-15)
    assert h1 == pytest.approx(0.0769192251, abs=1e-10)
    assert h2 == pytest.approx(0.1372273741, abs=1e-10)


def test_lstm_forward_golden_value_matches_keras_constant_layer():
    keras = pytest.importorskip("keras")
    layer = keras.layers.LSTM(
        3,
        kernel_initializer=keras.initializers.Constant(0.1),
        recurrent_initializer=keras.initializers.Constant(0.2),
        bias_initializer=keras.initializers.Constant(0.05),
        unit_forget_bias=False,
    )
    x = np.ones((1, 2, 2), dtype=np.float32)
    expected = _numpy(layer(x))
    np.testing.assert_allclose(expected, np.full((1, 3), 0.1372273741), atol=1e-7)
    got = lstm_forward(x, LSTMWeights.from_keras(layer))
    np.testing.assert_allclose(got, expected, atol=1e-7)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 5),
    steps=st.integers(1, 12),
    n_features=st.integers(1, 4),
    units=st.integers(1, 8),
    scale=st.floats(0.1, 20.0),
)
def test_lstm_forward_hidden_state_stays_in_open_unit_interval(
    seed, n, steps, n_features, units, scale
):
    rng = np.random.default_rng(seed)
    w = _weights(rng, n_features, units)
    w = LSTMWeights(scale * w.kernel, scale * w.recurrent_kernel, scale * w.bias)
    x = scale * rng.standard_normal((n, steps, n_features))
    y, h, c, gates = lstm_forward(
        x, w, return_sequences=True, return_state=True, return_gates=True
    )
    assert np.all(np.abs(y) <= 1) and np.all(np.abs(h) <= 1)
    for gate in (gates.input, gates.forget, gates.output):
        assert np.all((gate >= 0) & (gate <= 1))
    assert np.all(np.abs(gates.candidate) <= 1)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 5),
    steps=st.integers(1, 10),
    n_features=st.integers(1, 4),
    units=st.integers(1, 8),
    activations=st.tuples(st.sampled_from(ACTIVATIONS), st.sampled_from(BOUNDED)),
)
def test_lstm_step_agrees_with_lstm_forward(
    seed, n, steps, n_features, units, activations
):
    rng = np.random.default_rng(seed)
    act, ract = activations
    w = _weights(rng, n_features, units, activation=act, recurrent_activation=ract)
    x = rng.standard_normal((n, steps, n_features))
    h0, c0 = rng.standard_normal((2, n, units))
    y, h_last, c_last, gates = lstm_forward(
        x,
        w,
        initial_state=[h0, c0],
        return_sequences=True,
        return_state=True,
        return_gates=True,
    )
    h, c = h0, c0
    for t in range(steps):
        h, c, step_gates = lstm_step(x[:, t], h, c, w)
        np.testing.assert_allclose(y[:, t], h, rtol=1e-12, atol=1e-12)
        for got, expected in zip(step_gates, gates, strict=True):
            np.testing.assert_allclose(got, expected[:, t], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h_last, h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c_last, c, rtol=1e-12, atol=1e-12)


def test_gate_functions_compose_to_lstm_step(rng):
    w = _weights(rng, 3, 4, activation="relu", recurrent_activation="hard_sigmoid")
    x_t = rng.standard_normal((5, 3))
    h_prev, c_prev = rng.standard_normal((2, 5, 4))
    i = input_gate(x_t, h_prev, w)
    f = forget_gate(x_t, h_prev, w)
    g = candidate(x_t, h_prev, w)
    o = output_gate(x_t, h_prev, w)
    c = cell_update(c_prev, f, i, g)
    h = hidden_state(o, c, activation=w.activation)
    h_step, c_step, gates = lstm_step(x_t, h_prev, c_prev, w)
    assert isinstance(gates, LSTMGates)
    for got, expected in zip((i, f, g, o), gates, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-14)
    np.testing.assert_allclose(c, c_step, rtol=1e-14)
    np.testing.assert_allclose(h, h_step, rtol=1e-14)
    # A gate's own view, with the activation given explicitly, is the same.
    f_view = forget_gate(x_t, h_prev, w.forget, activation="hard_sigmoid")
    np.testing.assert_allclose(f_view, f, rtol=1e-14)
    # A GateWeights defaults to the standard sigmoid / tanh.
    np.testing.assert_allclose(
        candidate(x_t, h_prev, w.candidate),
        np.tanh(
            x_t @ w.candidate.kernel
            + h_prev @ w.candidate.recurrent_kernel
            + w.candidate.bias
        ),
        rtol=1e-14,
    )


def test_lstm_forward_masked_steps_keep_state_and_repeat_output(rng):
    w = _weights(rng, 2, 3)
    x = rng.standard_normal((4, 7, 2))
    mask = rng.random((4, 7)) < 0.6
    mask[0] = False
    mask[1, :3] = False
    y, h, c = lstm_forward(x, w, mask=mask, return_sequences=True, return_state=True)
    for s in range(4):
        kept = x[s : s + 1, mask[s]]
        if kept.shape[1]:
            _, h_s, c_s = lstm_forward(kept, w, return_state=True)
        else:
            h_s, c_s = np.zeros((2, 1, 3))
        np.testing.assert_allclose(h[s : s + 1], h_s, rtol=1e-13)
        np.testing.assert_allclose(c[s : s + 1], c_s, rtol=1e-13)
        previous = np.zeros(3)
        for t in range(7):
            if not mask[s, t]:
                np.testing.assert_array_equal(y[s, t], previous)
            previous = y[s, t]
    zeroed = lstm_forward(
        x, w, mask=mask, return_sequences=True, zero_output_for_mask=True
    )
    np.testing.assert_array_equal(zeroed[~mask], 0.0)
    np.testing.assert_array_equal(zeroed[mask], y[mask])


def test_lstm_forward_go_backwards_is_reversed_input(rng):
    w = _weights(rng, 2, 3)
    x = rng.standard_normal((2, 6, 2))
    mask = rng.random((2, 6)) < 0.7
    back = lstm_forward(x, w, mask=mask, go_backwards=True, return_sequences=True)
    forward = lstm_forward(x[:, ::-1], w, mask=mask[:, ::-1], return_sequences=True)
    np.testing.assert_array_equal(back, forward)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lstm_forward_computes_in_input_dtype(dtype, rng):
    w = _weights(rng, 3, 2, dtype=dtype)
    x = rng.standard_normal((2, 4, 3)).astype(dtype)
    y, h, c, gates = lstm_forward(
        x,
        w,
        mask=[[1, 0, 1, 1]] * 2,
        return_sequences=True,
        return_state=True,
        return_gates=True,
    )
    assert {y.dtype, h.dtype, c.dtype, gates.forget.dtype} == {np.dtype(dtype)}
    assert lstm_backward(x, w, np.ones((2, 2), dtype)).kernel.dtype == dtype
    h_step, c_step, _ = lstm_step(x[:, 0], h, c, w)
    assert h_step.dtype == c_step.dtype == dtype
    assert lstm_forward(np.ones((1, 2, 3), dtype=int), w).dtype == np.float64


def test_bidirectional_forward_merges_both_directions(rng):
    fw, bw = _weights(rng, 2, 3), _weights(rng, 2, 3)
    x = rng.standard_normal((2, 5, 2))
    y = lstm_forward(x, fw, return_sequences=True)
    y_rev = lstm_forward(x, bw, go_backwards=True, return_sequences=True)[:, ::-1]
    got = bidirectional_forward(x, fw, bw, merge_mode=None, return_sequences=True)
    np.testing.assert_array_equal(got[0], y)
    np.testing.assert_array_equal(got[1], y_rev)
    expected = {
        "concat": np.concatenate([y, y_rev], axis=-1),
        "sum": y + y_rev,
        "mul": y * y_rev,
        "ave": (y + y_rev) / 2,
    }
    for mode, value in expected.items():
        np.testing.assert_array_equal(
            bidirectional_forward(x, fw, bw, merge_mode=mode, return_sequences=True),
            value,
        )
    last = bidirectional_forward(x, fw, bw)
    np.testing.assert_array_equal(last, np.concatenate([y[:, -1], y_rev[:, 0]], -1))


# --------------------------------------------------------------------------
# Parity with Keras (float32, max abs difference <= 1e-5).
# --------------------------------------------------------------------------

MASK_KINDS = st.sampled_from(["none", "random", "left", "right"])


@settings(FAST, max_examples=50)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 16),
    steps=st.integers(1, 40),
    n_features=st.integers(1, 8),
    units=st.integers(1, 64),
    mask_kind=MASK_KINDS,
    return_sequences=st.booleans(),
    go_backwards=st.booleans(),
)
@example(
    seed=0,
    n=16,
    steps=40,
    n_features=8,
    units=64,
    mask_kind="left",
    return_sequences=True,
    go_backwards=False,
)
@example(
    seed=1,
    n=16,
    steps=40,
    n_features=8,
    units=64,
    mask_kind="random",
    return_sequences=False,
    go_backwards=True,
)
def test_lstm_forward_matches_keras_lstm(
    seed, n, steps, n_features, units, mask_kind, return_sequences, go_backwards
):
    rng = np.random.default_rng(seed)
    w = _weights(rng, n_features, units, dtype=np.float32)
    x = rng.standard_normal((n, steps, n_features)).astype(np.float32)
    mask = _mask(rng, mask_kind, n, steps)
    layer = _keras_lstm(
        w,
        x.shape,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        return_state=True,
    )
    expected = [_numpy(t) for t in _call(layer, x, mask)]
    got = lstm_forward(
        x,
        LSTMWeights.from_keras(layer),
        mask=mask,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        return_state=True,
    )
    for g, e in zip(got, expected, strict=True):
        assert g.dtype == np.float32 and g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=0, atol=PARITY_ATOL)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 16),
    steps=st.integers(1, 40),
    n_features=st.integers(1, 8),
    units=st.tuples(st.integers(1, 64), st.integers(1, 64)),
    mask_kind=MASK_KINDS,
    return_sequences=st.booleans(),
    go_backwards=st.tuples(st.booleans(), st.booleans()),
)
@example(
    seed=2,
    n=16,
    steps=40,
    n_features=8,
    units=(64, 64),
    mask_kind="left",
    return_sequences=True,
    go_backwards=(False, True),
)
def test_lstm_forward_matches_two_stacked_keras_lstms(
    seed, n, steps, n_features, units, mask_kind, return_sequences, go_backwards
):
    rng = np.random.default_rng(seed)
    w1 = _weights(rng, n_features, units[0], dtype=np.float32)
    w2 = _weights(rng, units[0], units[1], dtype=np.float32)
    x = rng.standard_normal((n, steps, n_features)).astype(np.float32)
    mask = _mask(rng, mask_kind, n, steps)
    first = _keras_lstm(
        w1, x.shape, return_sequences=True, go_backwards=go_backwards[0]
    )
    second = _keras_lstm(
        w2,
        (n, steps, units[0]),
        return_sequences=return_sequences,
        go_backwards=go_backwards[1],
    )
    expected = _numpy(_call(second, _call(first, x, mask), mask))
    hidden = lstm_forward(
        x, w1, mask=mask, return_sequences=True, go_backwards=go_backwards[0]
    )
    got = lstm_forward(
        hidden,
        w2,
        mask=mask,
        return_sequences=return_sequences,
        go_backwards=go_backwards[1],
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=PARITY_ATOL)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 16),
    steps=st.integers(1, 40),
    n_features=st.integers(1, 8),
    units=st.integers(1, 64),
    mask_kind=MASK_KINDS,
    return_sequences=st.booleans(),
    merge_mode=st.sampled_from(["concat", "sum", "mul", "ave"]),
)
@example(
    seed=3,
    n=16,
    steps=40,
    n_features=8,
    units=64,
    mask_kind="left",
    return_sequences=True,
    merge_mode="concat",
)
def test_bidirectional_forward_matches_keras_bidirectional(
    seed, n, steps, n_features, units, mask_kind, return_sequences, merge_mode
):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, steps, n_features)).astype(np.float32)
    mask = _mask(rng, mask_kind, n, steps)
    bidi = keras.layers.Bidirectional(
        keras.layers.LSTM(units, return_sequences=return_sequences),
        merge_mode=merge_mode,
    )
    bidi.build(x.shape)
    for layer in (bidi.forward_layer, bidi.backward_layer):
        w = _weights(rng, n_features, units, dtype=np.float32)
        layer.set_weights([w.kernel, w.recurrent_kernel, w.bias])
    expected = _numpy(_call(bidi, x, mask))
    got = bidirectional_forward(
        x,
        LSTMWeights.from_keras(bidi.forward_layer),
        LSTMWeights.from_keras(bidi.backward_layer),
        merge_mode=merge_mode,
        mask=mask,
        return_sequences=return_sequences,
    )
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=PARITY_ATOL)


@pytest.mark.parametrize(
    ("activation", "recurrent_activation"),
    [
        ("relu", "sigmoid"),
        ("tanh", "hard_sigmoid"),
        ("linear", "sigmoid"),
        ("softsign", "softplus"),
        ("relu", "hard_sigmoid"),
    ],
)
def test_lstm_forward_matches_keras_with_other_activations(
    activation, recurrent_activation, rng
):
    w = _weights(
        rng,
        4,
        8,
        dtype=np.float32,
        activation=activation,
        recurrent_activation=recurrent_activation,
    )
    x = rng.standard_normal((5, 30, 4)).astype(np.float32)
    mask = _mask(rng, "left", 5, 30)
    layer = _keras_lstm(w, x.shape, return_sequences=True)
    expected = _numpy(_call(layer, x, mask))
    got = lstm_forward(x, w, mask=mask, return_sequences=True)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=PARITY_ATOL)


def test_lstm_forward_matches_keras_initial_state_with_left_padding(rng):
    # Before the first unmasked step Keras outputs zeros, not h0, while the
    # state stays h0: the output and the state are two different carries.
    w = _weights(rng, 3, 4, dtype=np.float32)
    x = rng.standard_normal((3, 6, 3)).astype(np.float32)
    h0, c0 = rng.standard_normal((2, 3, 4)).astype(np.float32)
    mask = _mask(rng, "left", 3, 6)
    mask[0, :2] = False
    mask[1] = False
    layer = _keras_lstm(w, x.shape, return_sequences=True, return_state=True)
    expected = [_numpy(t) for t in _call(layer, x, mask, initial_state=[h0, c0])]
    got = lstm_forward(
        x,
        w,
        mask=mask,
        initial_state=[h0, c0],
        return_sequences=True,
        return_state=True,
    )
    np.testing.assert_array_equal(got[0][0, :2], 0.0)
    np.testing.assert_array_equal(got[1][1], h0[1])
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=0, atol=PARITY_ATOL)


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_lstm_forward_matches_keras_zero_output_for_mask(
    return_sequences, go_backwards, rng
):
    w = _weights(rng, 2, 4, dtype=np.float32)
    x = rng.standard_normal((3, 6, 2)).astype(np.float32)
    mask = rng.random((3, 6)) < 0.6
    mask[0, [0, -1]] = False  # the last processed step is masked either way
    layer = _keras_lstm(
        w,
        x.shape,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        zero_output_for_mask=True,
    )
    expected = _numpy(_call(layer, x, mask))
    got = lstm_forward(
        x,
        w,
        mask=mask,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        zero_output_for_mask=True,
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=PARITY_ATOL)
    if not return_sequences:
        np.testing.assert_array_equal(got[0], 0.0)


def test_lstm_forward_matches_keras_in_float64(rng):
    w = _weights(rng, 3, 5, dtype=np.float64)
    x = rng.standard_normal((4, 12, 3))
    mask = _mask(rng, "random", 4, 12)
    layer = _keras_lstm(w, x.shape, return_sequences=True, go_backwards=True)
    expected = _numpy(_call(layer, x, mask))
    assert expected.dtype == np.float64
    got = lstm_forward(x, w, mask=mask, return_sequences=True, go_backwards=True)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-13)


# --------------------------------------------------------------------------
# Gradients.
# --------------------------------------------------------------------------

GRADIENT_CASES = [
    # (activation, recurrent_activation, mask kind, return_sequences,
    #  go_backwards, zero_output_for_mask)
    ("tanh", "sigmoid", "none", False, False, False),
    ("tanh", "sigmoid", "left", True, True, False),
    ("tanh", "sigmoid", "random", False, False, False),
    ("softsign", "softplus", "right", False, True, True),
    ("linear", "tanh", "random", True, False, True),
    ("tanh", "softsign", "random", True, True, False),
]


def _loss_parts(rng, n, steps, units, return_sequences):
    shape = (n, steps, units) if return_sequences else (n, units)
    return rng.standard_normal(shape), rng.standard_normal((2, n, units))


@pytest.mark.parametrize(
    ("act", "ract", "mask_kind", "return_sequences", "go_backwards", "zero_output"),
    GRADIENT_CASES,
)
def test_lstm_backward_matches_finite_differences(
    act, ract, mask_kind, return_sequences, go_backwards, zero_output, rng
):
    n, steps, n_features, units = 2, 5, 3, 4
    w = _weights(rng, n_features, units, activation=act, recurrent_activation=ract)
    x = rng.standard_normal((n, steps, n_features))
    h0, c0 = rng.standard_normal((2, n, units))
    mask = _mask(rng, mask_kind, n, steps)
    if mask is not None:
        mask[0, 1] = False  # at least one masked step
    dy, (dh, dc) = _loss_parts(rng, n, steps, units, return_sequences)
    options = {
        "mask": mask,
        "return_sequences": return_sequences,
        "go_backwards": go_backwards,
        "zero_output_for_mask": zero_output,
    }

    def loss(kernel, recurrent, bias, inputs, h_init, c_init):
        wk = LSTMWeights(kernel, recurrent, bias, act, ract)
        y, h, c = lstm_forward(
            inputs, wk, initial_state=[h_init, c_init], return_state=True, **options
        )
        return np.sum(y * dy) + np.sum(h * dh) + np.sum(c * dc)

    params = [w.kernel, w.recurrent_kernel, w.bias, x, h0, c0]
    grads = lstm_backward(x, w, dy, initial_state=[h0, c0], dstate=[dh, dc], **options)
    eps = 1e-6
    for k, (param, grad) in enumerate(zip(params, grads, strict=True)):
        numeric = np.empty_like(param)
        for index in np.ndindex(param.shape):
            values = [p.copy() for p in params]
            values[k][index] += eps
            up = loss(*values)
            values[k][index] -= 2 * eps
            numeric[index] = (up - loss(*values)) / (2 * eps)
        error = np.linalg.norm(grad - numeric) / max(np.linalg.norm(numeric), 1e-12)
        assert error < 1e-6, (grads._fields[k], error)


@pytest.mark.parametrize(
    ("act", "ract", "mask_kind", "return_sequences", "go_backwards", "dtype"),
    [
        ("tanh", "sigmoid", "none", False, False, np.float64),
        ("tanh", "sigmoid", "left", True, True, np.float64),
        ("relu", "hard_sigmoid", "random", True, False, np.float64),
        ("linear", "softsign", "right", False, True, np.float64),
        ("tanh", "sigmoid", "random", True, False, np.float32),
    ],
)
def test_lstm_backward_matches_tensorflow_gradients(
    act, ract, mask_kind, return_sequences, go_backwards, dtype, rng
):
    tf = pytest.importorskip("tensorflow")
    n, steps, n_features, units = 3, 8, 2, 5
    w = _weights(
        rng, n_features, units, dtype=dtype, activation=act, recurrent_activation=ract
    )
    x = rng.standard_normal((n, steps, n_features)).astype(dtype)
    h0, c0 = rng.standard_normal((2, n, units)).astype(dtype)
    mask = _mask(rng, mask_kind, n, steps)
    dy, _ = _loss_parts(rng, n, steps, units, return_sequences)
    dy = dy.astype(dtype)
    layer = _keras_lstm(
        w, x.shape, return_sequences=return_sequences, go_backwards=go_backwards
    )
    tx, th0, tc0 = (tf.constant(a) for a in (x, h0, c0))
    with tf.GradientTape() as tape:
        tape.watch([tx, th0, tc0])
        out = _call(layer, tx, mask, initial_state=[th0, tc0])
        loss = tf.reduce_sum(out * dy)
    expected = tape.gradient(loss, [*layer.trainable_weights, tx, th0, tc0])
    got = lstm_backward(
        x,
        w,
        dy,
        mask=mask,
        initial_state=[h0, c0],
        return_sequences=return_sequences,
        go_backwards=go_backwards,
    )
    atol = 1e-12 if dtype == np.float64 else 1e-5
    for name, g, e in zip(got._fields, got, expected, strict=True):
        e = np.asarray(e)
        assert g.dtype == dtype and g.shape == e.shape, name
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=atol, err_msg=name)


# --------------------------------------------------------------------------
# Error messages.
# --------------------------------------------------------------------------

_W = LSTMWeights(np.zeros((4, 12)), np.zeros((3, 12)))


class _LayerWithoutBias:
    """Looks like a Keras LSTM with use_bias=False but holds one array."""

    units, activation, recurrent_activation, use_bias = 3, "tanh", "sigmoid", False

    def get_weights(self):
        return [np.zeros((4, 12))]


_LAYOUT = "Pass the weights in Keras's layout, e.g. LSTMWeights.from_keras(layer)."
_NAMES = "'hard_sigmoid', 'linear', 'relu', 'sigmoid', 'softplus', 'softsign', 'tanh'"

ERRORS = [
    (
        lambda: LSTMWeights(np.zeros((4, 10)), np.zeros((3, 12))),
        ValueError,
        "LSTMWeights expected kernel of shape (n_features, 4 * units) = (?, 12) "
        "with recurrent_kernel of shape (3, 12); got kernel of shape (4, 10). "
        + _LAYOUT,
    ),
    (
        lambda: LSTMWeights(np.zeros((4, 12)), np.zeros((3, 4))),
        ValueError,
        "LSTMWeights expected recurrent_kernel of shape (units, 4 * units) with "
        f"units >= 1; got shape (3, 4). {_LAYOUT}",
    ),
    (
        lambda: LSTMWeights(np.zeros((4, 12)), np.zeros((3, 12)), np.zeros(3)),
        ValueError,
        "LSTMWeights expected bias of shape (4 * units,) = (12,) with "
        f"recurrent_kernel of shape (3, 12); got bias of shape (3,). {_LAYOUT}",
    ),
    (
        lambda: LSTMWeights(np.full((4, 12), "a"), np.zeros((3, 12))),
        TypeError,
        "LSTMWeights expected kernel to hold real numbers; got an array of dtype "
        f"<U1. {_LAYOUT}",
    ),
    (
        lambda: LSTMWeights(np.zeros((4, 12)), np.zeros((3, 12)), activation="gelu"),
        ValueError,
        f"LSTMWeights expected activation to be one of {_NAMES} (Keras's "
        "definitions); got 'gelu'. Use one of these activations in the Keras "
        "layer, or compute the gates yourself from the pre-activations.",
    ),
    (
        lambda: LSTMWeights(
            np.zeros((4, 12)), np.zeros((3, 12)), recurrent_activation=np.exp
        ),
        ValueError,
        f"LSTMWeights expected recurrent_activation to be one of {_NAMES} "
        "(Keras's definitions); got a function named 'exp'.",
    ),
    (
        lambda: LSTMWeights(np.zeros((4, 12)), np.zeros((3, 12)), activation=3),
        TypeError,
        "LSTMWeights expected activation to be an activation name such as 'tanh' "
        f"or a Keras activation function; got 3. Pass one of {_NAMES}.",
    ),
    (
        lambda: LSTMWeights.random(0, 3),
        ValueError,
        "LSTMWeights.random expected n_features to be a positive integer; got 0. "
        "Pass e.g. n_features=4.",
    ),
    (
        lambda: LSTMWeights.from_keras(object()),
        TypeError,
        "LSTMWeights.from_keras expected a Keras LSTM layer with get_weights, "
        "units, activation, recurrent_activation; got object without get_weights, "
        "units, activation, recurrent_activation. Pass a keras.layers.LSTM or "
        "LSTMCell.",
    ),
    (
        lambda: LSTMWeights.from_keras(_LayerWithoutBias()),
        ValueError,
        "LSTMWeights.from_keras expected 2 weight arrays (kernel, recurrent_kernel) "
        "from _LayerWithoutBias.get_weights(); got 1. Pass a keras.layers.LSTM or "
        "LSTMCell.",
    ),
    (
        lambda: lstm_forward(np.zeros((5, 4)), _W),
        ValueError,
        "lstm_forward expected x of shape (n_samples, n_timesteps, n_features) with "
        "n_features=4, as in the kernel; got shape (5, 4). For a single sequence, "
        "add a batch axis: x[np.newaxis].",
    ),
    (
        lambda: lstm_forward(np.zeros((2, 5, 3)), _W),
        ValueError,
        "lstm_forward expected x of shape (n_samples, n_timesteps, n_features) with "
        "n_features=4, as in the kernel; got shape (2, 5, 3). Pass the features "
        "the weights were fitted on.",
    ),
    (
        lambda: lstm_forward(np.zeros((2, 0, 4)), _W),
        ValueError,
        "lstm_forward expected x with at least one time step; got shape (2, 0, 4). "
        "Pass sequences of length >= 1.",
    ),
    (
        lambda: lstm_forward(np.zeros((2, 5, 4)), _W, mask=np.ones((2, 4))),
        ValueError,
        "lstm_forward expected mask of shape (n_samples, n_timesteps) = (2, 5); got "
        "shape (2, 4). Pass True for the steps to use and False for padding.",
    ),
    (
        lambda: lstm_forward(np.zeros((2, 5, 4)), _W, initial_state=[np.zeros((2, 3))]),
        ValueError,
        "lstm_forward expected initial_state to be [h0, c0], two arrays of shape "
        "(n_samples, units) = (2, 3); got shapes [(2, 3)]. Pass the states "
        "returned with return_state=True, or zeros.",
    ),
    (
        lambda: lstm_forward(np.zeros((2, 5, 4)), [np.zeros((4, 12))]),
        TypeError,
        "lstm_forward expected weights to be an LSTMWeights; got list. Build one "
        "with LSTMWeights(kernel, recurrent_kernel, bias) or "
        "LSTMWeights.from_keras(layer).",
    ),
    (
        lambda: lstm_step(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3)), _W),
        ValueError,
        "lstm_step expected x_t of shape (n_samples, n_features) with n_features=4, "
        "as in the kernel; got shape (2, 3). Pass one time step x[:, t, :] of the "
        "sequences.",
    ),
    (
        lambda: lstm_step(np.zeros((2, 4)), np.zeros((1, 3)), np.zeros((2, 3)), _W),
        ValueError,
        "lstm_step expected h_prev of shape (n_samples, units) = (2, 3); got shape "
        "(1, 3). Start from np.zeros((2, 3)) or the previous step's h.",
    ),
    (
        lambda: lstm_step(np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((3,)), _W),
        ValueError,
        "lstm_step expected c_prev of shape (n_samples, units) = (2, 3), like "
        "h_prev; got shape (3,). Start from np.zeros((2, 3)) or the previous "
        "step's c.",
    ),
    (
        lambda: forget_gate(np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((4, 3))),
        TypeError,
        "forget_gate expected weights to be an LSTMWeights or a GateWeights; got "
        "ndarray. Pass LSTMWeights.from_keras(layer), or one gate's view such as "
        "weights.forget.",
    ),
    (
        lambda: input_gate(np.zeros((2, 4)), np.zeros((2, 3)), _W, activation="swish"),
        ValueError,
        f"input_gate expected activation to be one of {_NAMES} (Keras's "
        "definitions); got 'swish'.",
    ),
    (
        lambda: hidden_state(np.zeros(2), np.zeros(2), activation="elu"),
        ValueError,
        f"hidden_state expected activation to be one of {_NAMES}",
    ),
    (
        lambda: bidirectional_forward(np.zeros((1, 2, 4)), _W, _W, merge_mode="max"),
        ValueError,
        "bidirectional_forward expected merge_mode to be one of 'concat', 'sum', "
        "'mul', 'ave' or None; got 'max'. Use Keras's names for the merge modes.",
    ),
    (
        lambda: bidirectional_forward(
            np.zeros((1, 2, 4)),
            _W,
            LSTMWeights(np.zeros((4, 8)), np.zeros((2, 8))),
            merge_mode="sum",
        ),
        ValueError,
        "bidirectional_forward expected both layers to have the same units for "
        "merge_mode='sum'; got 3 forward and 2 backward. Use merge_mode='concat', "
        "or equal units.",
    ),
    (
        lambda: lstm_backward(np.zeros((2, 5, 4)), _W, np.zeros((2, 5, 3))),
        ValueError,
        "lstm_backward expected dy of shape (2, 3), the shape of the output with "
        "return_sequences=False; got shape (2, 5, 3). Pass the gradient of the "
        "loss with respect to that output.",
    ),
    (
        lambda: lstm_backward(
            np.zeros((2, 5, 4)), _W, np.zeros((2, 3)), dstate=[np.zeros((2, 3))]
        ),
        ValueError,
        "lstm_backward expected dstate to be [dh, dc], two arrays of shape "
        "(n_samples, units) = (2, 3); got shapes [(2, 3)]. Pass the gradients of "
        "the final states, or None.",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), ERRORS)
def test_gates_error_messages(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_weights_from_keras_error_messages():
    keras = pytest.importorskip("keras")
    bidi = keras.layers.Bidirectional(keras.layers.LSTM(2))
    with pytest.raises(
        TypeError,
        match=re.escape(
            "LSTMWeights.from_keras expected one LSTM layer; got a Bidirectional "
            "wrapper. Read each direction on its own: "
            "LSTMWeights.from_keras(layer.forward_layer) and "
            "LSTMWeights.from_keras(layer.backward_layer)."
        ),
    ):
        LSTMWeights.from_keras(bidi)
    layer = keras.layers.LSTM(2, name="unbuilt")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "LSTMWeights.from_keras expected a built layer; got LSTM 'unbuilt' with "
            "no weights yet. Call it once on data of shape (n_samples, n_timesteps, "
            "n_features), or fit its model, first."
        ),
    ):
        LSTMWeights.from_keras(layer)
