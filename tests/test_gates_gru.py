"""Tests of the GRU in ``sklstm.gates``, against hand math and real Keras.

The parity tests draw random layers with hypothesis and compare with
``keras.layers.GRU`` and ``keras.layers.Bidirectional`` (float32, max abs
difference <= 1e-5), for both of Keras's ``reset_after`` conventions.
"""

# SPDX-License-Identifier: BSD-3-Clause

import dataclasses
import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sklstm.gates import (
    GRUGates,
    GRUWeights,
    LSTMWeights,
    bidirectional_forward,
    gru_forward,
    gru_step,
    lstm_forward,
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
PARITY_ATOL = 1e-5  # float32, as for the LSTM
FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Each example of the parity tests builds Keras layers: keep them few.
PARITY = settings(FAST, max_examples=12)
MASK_KINDS = st.sampled_from(["none", "random", "left", "right"])


# --------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------


def _weights(rng, n_features, units, *, dtype=np.float64, reset_after=True, **acts):
    """Random weights with a random bias, scaled to keep the gates unsaturated."""
    bias_shape = (2, 3 * units) if reset_after else (3 * units,)
    arrays = (
        rng.standard_normal((n_features, 3 * units)) / np.sqrt(n_features),
        rng.standard_normal((units, 3 * units)) / np.sqrt(units),
        0.5 * rng.standard_normal(bias_shape),
    )
    return GRUWeights(
        *(a.astype(dtype) for a in arrays), reset_after=reset_after, **acts
    )


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


def _keras_gru(weights, input_shape, **kwargs):
    """A built keras.layers.GRU holding ``weights``."""
    keras = pytest.importorskip("keras")
    layer = keras.layers.GRU(
        weights.units,
        activation=weights.activation,
        recurrent_activation=weights.recurrent_activation,
        reset_after=weights.reset_after,
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
        keras = pytest.importorskip("keras")
        kwargs["mask"] = keras.ops.convert_to_tensor(mask)
    return layer(x, **kwargs)


def _sig(v):
    return 1 / (1 + math.exp(-v))


# --------------------------------------------------------------------------
# GRUWeights.
# --------------------------------------------------------------------------


def test_gru_weights_store_keras_layout(rng):
    w = _weights(rng, 4, 3)
    assert (w.n_features, w.units, w.dtype, w.reset_after) == (4, 3, np.float64, True)
    assert w.kernel.shape == (4, 9) and w.recurrent_kernel.shape == (3, 9)
    assert w.bias.shape == (2, 9)
    no_bias = GRUWeights(np.ones((2, 6)), np.ones((2, 6)))
    np.testing.assert_array_equal(no_bias.bias, np.zeros((2, 6)))
    before = GRUWeights(np.ones((2, 6)), np.ones((2, 6)), reset_after=False)
    np.testing.assert_array_equal(before.bias, np.zeros(6))


def test_gru_weights_are_read_only_copies(rng):
    kernel = rng.standard_normal((2, 6))
    w = GRUWeights(kernel, np.zeros((2, 6)))
    kernel[:] = 0
    assert np.any(w.kernel != 0)
    with pytest.raises(ValueError, match="read-only"):
        w.bias[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.units = 3
    w2 = dataclasses.replace(w, activation="relu")
    assert (w2.activation, w2.recurrent_activation) == ("relu", "sigmoid")


def test_gru_weights_accept_none_callable_and_promote_integers():
    w = GRUWeights(
        np.ones((2, 3), dtype=int),
        np.ones((1, 3), dtype=np.float32),
        activation=None,
        recurrent_activation=np.tanh,
        reset_after=np.bool_(False),
    )
    assert (w.activation, w.recurrent_activation) == ("linear", "tanh")
    assert w.dtype == np.float64 and w.reset_after is False
    w32 = GRUWeights(np.ones((2, 3), np.float32), np.ones((1, 3), np.float32))
    assert w32.dtype == np.float32 and w32.bias.dtype == np.float32
    assert repr(w32) == (
        "GRUWeights(n_features=2, units=1, dtype=float32, activation='tanh', "
        "recurrent_activation='sigmoid', reset_after=True)"
    )


def test_gru_weights_random_follows_keras_initialisation():
    w = GRUWeights.random(5, 4, seed=3, dtype=np.float32)
    assert w.dtype == np.float32
    np.testing.assert_allclose(
        w.recurrent_kernel @ w.recurrent_kernel.T, np.eye(4), atol=1e-6
    )
    assert np.all(np.abs(w.kernel) <= np.sqrt(6 / (5 + 12)))
    np.testing.assert_array_equal(w.bias, np.zeros((2, 12)))
    again = GRUWeights.random(5, 4, seed=3, dtype=np.float32)
    np.testing.assert_array_equal(w.kernel, again.kernel)
    assert GRUWeights.random(5, 4, reset_after=False).bias.shape == (12,)


def test_gru_weights_from_keras_reads_layer_and_activations():
    keras = pytest.importorskip("keras")
    layer = keras.layers.GRU(3, activation="relu", recurrent_activation="hard_sigmoid")
    layer.build((None, 5, 2))
    w = GRUWeights.from_keras(layer)
    assert (w.activation, w.recurrent_activation) == ("relu", "hard_sigmoid")
    assert w.reset_after is True
    for got, expected in zip(
        (w.kernel, w.recurrent_kernel, w.bias), layer.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(got, expected)
    before = keras.layers.GRU(3, reset_after=False)
    before.build((None, 5, 2))
    assert GRUWeights.from_keras(before).bias.shape == (9,)
    # A GRUCell works too.
    cell = keras.layers.GRUCell(3)
    cell.build((None, 2))
    assert GRUWeights.from_keras(cell).units == 3


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_weights_from_keras_without_bias_matches_layer(reset_after, rng):
    keras = pytest.importorskip("keras")
    layer = keras.layers.GRU(
        4, use_bias=False, activation=None, reset_after=reset_after
    )
    x = rng.standard_normal((3, 6, 2)).astype(np.float32)
    expected = _numpy(layer(x))
    w = GRUWeights.from_keras(layer)
    assert w.activation == "linear" and w.reset_after is reset_after
    assert not np.any(w.bias)
    np.testing.assert_allclose(gru_forward(x, w), expected, atol=PARITY_ATOL)


# --------------------------------------------------------------------------
# Golden values and properties.
# --------------------------------------------------------------------------

# Every weight equal: all units share one value per step, so two steps can be
# written out with math alone (kernel a, recurrent kernel b, input bias beta,
# recurrent bias gamma).
N_FEATURES, UNITS, A, B, BETA, GAMMA = 2, 3, 0.1, 0.2, 0.05, -0.1


def _constant_weights(reset_after, dtype=np.float64):
    bias = np.full((2, 3 * UNITS), BETA) if reset_after else np.full(3 * UNITS, BETA)
    if reset_after:
        bias[1] = GAMMA
    return GRUWeights(
        np.full((N_FEATURES, 3 * UNITS), A, dtype=dtype),
        np.full((UNITS, 3 * UNITS), B, dtype=dtype),
        bias.astype(dtype),
        reset_after=reset_after,
    )


def test_gru_forward_golden_values_from_constant_weights():
    x = np.ones((1, 2, N_FEATURES))
    xk = N_FEATURES * A + BETA
    # reset_after=True: r scales the recurrent projection, bias included.
    z1 = _sig(xk + GAMMA)
    h1 = (1 - z1) * math.tanh(xk + z1 * GAMMA)  # z * 0 + (1 - z) * hh, r == z
    hk = UNITS * B * h1 + GAMMA
    z2 = _sig(xk + hk)
    h2 = z2 * h1 + (1 - z2) * math.tanh(xk + z2 * hk)
    y, h = gru_forward(
        x, _constant_weights(True), return_sequences=True, return_state=True
    )
    np.testing.assert_allclose(y[0, :, 0], [h1, h2], rtol=1e-15)
    np.testing.assert_allclose(h, np.full((1, UNITS), h2), rtol=1e-15)
    assert h1 == pytest.approx(0.0896347670, abs=1e-10)
    assert h2 == pytest.approx(0.1485782326, abs=1e-10)
    # reset_after=False: r scales h before the product.
    z1 = _sig(xk)
    h1 = (1 - z1) * math.tanh(xk)
    z2 = _sig(xk + UNITS * B * h1)
    h2 = z2 * h1 + (1 - z2) * math.tanh(xk + UNITS * B * z2 * h1)
    y = gru_forward(x, _constant_weights(False), return_sequences=True)
    np.testing.assert_allclose(y[0, :, 0], [h1, h2], rtol=1e-15)
    assert h1 == pytest.approx(0.1072311458, abs=1e-10)
    assert h2 == pytest.approx(0.1799555885, abs=1e-10)


@pytest.mark.parametrize(
    ("reset_after", "expected"), [(True, 0.1485782326), (False, 0.1799555885)]
)
def test_gru_forward_golden_value_matches_keras_constant_layer(reset_after, expected):
    w = _constant_weights(reset_after, np.float32)
    layer = _keras_gru(w, (1, 2, N_FEATURES))
    x = np.ones((1, 2, N_FEATURES), dtype=np.float32)
    keras_out = _numpy(layer(x))
    np.testing.assert_allclose(keras_out, np.full((1, UNITS), expected), atol=1e-7)
    np.testing.assert_allclose(gru_forward(x, w), keras_out, atol=1e-7)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 5),
    steps=st.integers(1, 12),
    n_features=st.integers(1, 4),
    units=st.integers(1, 8),
    scale=st.floats(0.1, 20.0),
    reset_after=st.booleans(),
)
def test_gru_forward_hidden_state_stays_in_open_unit_interval(
    seed, n, steps, n_features, units, scale, reset_after
):
    rng = np.random.default_rng(seed)
    w = _weights(rng, n_features, units, reset_after=reset_after)
    w = dataclasses.replace(
        w,
        kernel=scale * w.kernel,
        recurrent_kernel=scale * w.recurrent_kernel,
        bias=scale * w.bias,
    )
    x = scale * rng.standard_normal((n, steps, n_features))
    y, h, gates = gru_forward(
        x, w, return_sequences=True, return_state=True, return_gates=True
    )
    # h_t is a convex combination of h_{t-1} and tanh(.), both in [-1, 1].
    assert np.all(np.abs(y) <= 1) and np.all(np.abs(h) <= 1)
    for gate in (gates.update, gates.reset):
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
    reset_after=st.booleans(),
)
def test_gru_step_agrees_with_gru_forward(
    seed, n, steps, n_features, units, activations, reset_after
):
    rng = np.random.default_rng(seed)
    act, ract = activations
    w = _weights(
        rng,
        n_features,
        units,
        reset_after=reset_after,
        activation=act,
        recurrent_activation=ract,
    )
    x = rng.standard_normal((n, steps, n_features))
    h0 = rng.standard_normal((n, units))
    y, h_last, gates = gru_forward(
        x,
        w,
        initial_state=[h0],
        return_sequences=True,
        return_state=True,
        return_gates=True,
    )
    h = h0
    for t in range(steps):
        h, step_gates = gru_step(x[:, t], h, w)
        np.testing.assert_allclose(y[:, t], h, rtol=1e-12, atol=1e-12)
        for got, expected in zip(step_gates, gates, strict=True):
            np.testing.assert_allclose(got, expected[:, t], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h_last, h, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_step_follows_the_gru_equations(reset_after, rng):
    w = _weights(rng, 3, 4, reset_after=reset_after)
    x_t, h_prev = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
    W_z, W_r, W_h = np.split(w.kernel, 3, axis=1)
    U_z, U_r, U_h = np.split(w.recurrent_kernel, 3, axis=1)
    if reset_after:
        (b_z, b_r, b_h), (rb_z, rb_r, rb_h) = (np.split(b, 3) for b in w.bias)
    else:
        (b_z, b_r, b_h), (rb_z, rb_r, rb_h) = np.split(w.bias, 3), (0, 0, 0)

    def sigma(v):
        return 1 / (1 + np.exp(-v))

    z = sigma(x_t @ W_z + b_z + h_prev @ U_z + rb_z)
    r = sigma(x_t @ W_r + b_r + h_prev @ U_r + rb_r)
    if reset_after:
        hh = np.tanh(x_t @ W_h + b_h + r * (h_prev @ U_h + rb_h))
    else:
        hh = np.tanh(x_t @ W_h + b_h + (r * h_prev) @ U_h)
    h, gates = gru_step(x_t, h_prev, w)
    assert isinstance(gates, GRUGates)
    assert gates._fields == ("update", "reset", "candidate")
    for got, expected in zip(gates, (z, r, hh), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-13)
    np.testing.assert_allclose(h, z * h_prev + (1 - z) * hh, rtol=1e-13)


def test_gru_forward_masked_steps_keep_state_and_repeat_output(rng):
    w = _weights(rng, 2, 3)
    x = rng.standard_normal((4, 7, 2))
    mask = rng.random((4, 7)) < 0.6
    mask[0] = False
    mask[1, :3] = False
    y, h = gru_forward(x, w, mask=mask, return_sequences=True, return_state=True)
    for s in range(4):
        kept = x[s : s + 1, mask[s]]
        if kept.shape[1]:
            _, h_s = gru_forward(kept, w, return_state=True)
        else:
            h_s = np.zeros((1, 3))
        np.testing.assert_allclose(h[s : s + 1], h_s, rtol=1e-13)
        previous = np.zeros(3)
        for t in range(7):
            if not mask[s, t]:
                np.testing.assert_array_equal(y[s, t], previous)
            previous = y[s, t]
    zeroed = gru_forward(
        x, w, mask=mask, return_sequences=True, zero_output_for_mask=True
    )
    np.testing.assert_array_equal(zeroed[~mask], 0.0)
    np.testing.assert_array_equal(zeroed[mask], y[mask])


def test_gru_forward_go_backwards_is_reversed_input(rng):
    w = _weights(rng, 2, 3)
    x = rng.standard_normal((2, 6, 2))
    mask = rng.random((2, 6)) < 0.7
    back = gru_forward(x, w, mask=mask, go_backwards=True, return_sequences=True)
    forward = gru_forward(x[:, ::-1], w, mask=mask[:, ::-1], return_sequences=True)
    np.testing.assert_array_equal(back, forward)


def test_gru_forward_accepts_h0_alone_or_in_a_list(rng):
    w = _weights(rng, 2, 3)
    x = rng.standard_normal((2, 4, 2))
    h0 = rng.standard_normal((2, 3))
    for state in (h0, [h0], (h0,)):
        np.testing.assert_array_equal(
            gru_forward(x, w, initial_state=state),
            gru_forward(x, w, initial_state=[h0]),
        )
    assert not np.allclose(gru_forward(x, w, initial_state=h0), gru_forward(x, w))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gru_forward_computes_in_input_dtype(dtype, rng):
    w = _weights(rng, 3, 2, dtype=dtype)
    x = rng.standard_normal((2, 4, 3)).astype(dtype)
    y, h, gates = gru_forward(
        x,
        w,
        mask=[[1, 0, 1, 1]] * 2,
        return_sequences=True,
        return_state=True,
        return_gates=True,
    )
    assert {y.dtype, h.dtype, gates.update.dtype} == {np.dtype(dtype)}
    h_step, step_gates = gru_step(x[:, 0], h, w)
    assert h_step.dtype == step_gates.candidate.dtype == dtype
    assert gru_forward(np.ones((1, 2, 3), dtype=int), w).dtype == np.float64


def test_bidirectional_forward_dispatches_on_the_weights_cell(rng):
    fw, bw = _weights(rng, 2, 3), _weights(rng, 2, 3, reset_after=False)
    x = rng.standard_normal((2, 5, 2))
    y = gru_forward(x, fw, return_sequences=True)
    y_rev = gru_forward(x, bw, go_backwards=True, return_sequences=True)[:, ::-1]
    got = bidirectional_forward(x, fw, bw, merge_mode=None, return_sequences=True)
    np.testing.assert_array_equal(got[0], y)
    np.testing.assert_array_equal(got[1], y_rev)
    np.testing.assert_array_equal(
        bidirectional_forward(x, fw, bw, merge_mode="ave", return_sequences=True),
        (y + y_rev) / 2,
    )
    last = bidirectional_forward(x, fw, bw)
    np.testing.assert_array_equal(last, np.concatenate([y[:, -1], y_rev[:, 0]], -1))
    # A mixed pair runs each direction with its own cell, as Keras allows.
    lstm_bw = LSTMWeights.random(2, 4, seed=0)
    mixed = bidirectional_forward(x, fw, lstm_bw)
    np.testing.assert_array_equal(
        mixed,
        np.concatenate([y[:, -1], lstm_forward(x, lstm_bw, go_backwards=True)], -1),
    )


# --------------------------------------------------------------------------
# Parity with Keras (float32, max abs difference <= 1e-5).
# --------------------------------------------------------------------------


@PARITY
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 16),
    steps=st.integers(1, 40),
    n_features=st.integers(1, 8),
    units=st.integers(1, 64),
    mask_kind=MASK_KINDS,
    return_sequences=st.booleans(),
    go_backwards=st.booleans(),
    reset_after=st.booleans(),
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
    reset_after=True,
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
    reset_after=False,
)
def test_gru_forward_matches_keras_gru(
    seed,
    n,
    steps,
    n_features,
    units,
    mask_kind,
    return_sequences,
    go_backwards,
    reset_after,
):
    rng = np.random.default_rng(seed)
    w = _weights(rng, n_features, units, dtype=np.float32, reset_after=reset_after)
    x = rng.standard_normal((n, steps, n_features)).astype(np.float32)
    mask = _mask(rng, mask_kind, n, steps)
    layer = _keras_gru(
        w,
        x.shape,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        return_state=True,
    )
    expected = [_numpy(t) for t in _call(layer, x, mask)]
    got = gru_forward(
        x,
        GRUWeights.from_keras(layer),
        mask=mask,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        return_state=True,
    )
    for g, e in zip(got, expected, strict=True):
        assert g.dtype == np.float32 and g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=0, atol=PARITY_ATOL)


@PARITY
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
def test_gru_forward_matches_two_stacked_keras_grus(
    seed, n, steps, n_features, units, mask_kind, return_sequences, go_backwards
):
    rng = np.random.default_rng(seed)
    w1 = _weights(rng, n_features, units[0], dtype=np.float32)
    w2 = _weights(rng, units[0], units[1], dtype=np.float32)
    x = rng.standard_normal((n, steps, n_features)).astype(np.float32)
    mask = _mask(rng, mask_kind, n, steps)
    first = _keras_gru(w1, x.shape, return_sequences=True, go_backwards=go_backwards[0])
    second = _keras_gru(
        w2,
        (n, steps, units[0]),
        return_sequences=return_sequences,
        go_backwards=go_backwards[1],
    )
    expected = _numpy(_call(second, _call(first, x, mask), mask))
    hidden = gru_forward(
        x, w1, mask=mask, return_sequences=True, go_backwards=go_backwards[0]
    )
    got = gru_forward(
        hidden,
        w2,
        mask=mask,
        return_sequences=return_sequences,
        go_backwards=go_backwards[1],
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=PARITY_ATOL)


def _keras_bidirectional_gru(rng, x, units, **kwargs):
    keras = pytest.importorskip("keras")
    return_sequences = kwargs.pop("return_sequences")
    bidi = keras.layers.Bidirectional(
        keras.layers.GRU(units, return_sequences=return_sequences), **kwargs
    )
    bidi.build(x.shape)
    for layer in (bidi.forward_layer, bidi.backward_layer):
        w = _weights(rng, x.shape[2], units, dtype=np.float32)
        layer.set_weights([w.kernel, w.recurrent_kernel, w.bias])
    return bidi


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_forward_matches_keras_bidirectional_gru_merge_modes(
    merge_mode, return_sequences, rng
):
    x = rng.standard_normal((4, 9, 3)).astype(np.float32)
    mask = _mask(rng, "left", 4, 9)
    mask[0, -1] = False  # one row that is not left-padded only
    bidi = _keras_bidirectional_gru(
        rng, x, 5, return_sequences=return_sequences, merge_mode=merge_mode
    )
    expected = _call(bidi, x, mask)
    got = bidirectional_forward(
        x,
        GRUWeights.from_keras(bidi.forward_layer),
        GRUWeights.from_keras(bidi.backward_layer),
        merge_mode=merge_mode,
        mask=mask,
        return_sequences=return_sequences,
    )
    if merge_mode is None:
        expected, got = [_numpy(e) for e in expected], list(got)
    else:
        expected, got = [_numpy(expected)], [got]
    for g, e in zip(got, expected, strict=True):
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=0, atol=PARITY_ATOL)


@PARITY
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
def test_bidirectional_forward_matches_keras_bidirectional_gru(
    seed, n, steps, n_features, units, mask_kind, return_sequences, merge_mode
):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, steps, n_features)).astype(np.float32)
    mask = _mask(rng, mask_kind, n, steps)
    bidi = _keras_bidirectional_gru(
        rng, x, units, return_sequences=return_sequences, merge_mode=merge_mode
    )
    expected = _numpy(_call(bidi, x, mask))
    got = bidirectional_forward(
        x,
        GRUWeights.from_keras(bidi.forward_layer),
        GRUWeights.from_keras(bidi.backward_layer),
        merge_mode=merge_mode,
        mask=mask,
        return_sequences=return_sequences,
    )
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=PARITY_ATOL)


@pytest.mark.parametrize(
    ("activation", "recurrent_activation", "reset_after"),
    [
        ("relu", "sigmoid", True),
        ("tanh", "hard_sigmoid", False),
        ("linear", "sigmoid", True),
        # Not softplus: an update gate above 1 makes h_t = z * h + (1 - z) * hh
        # grow without bound, in Keras as here.
        ("softsign", "hard_sigmoid", False),
    ],
)
def test_gru_forward_matches_keras_with_other_activations(
    activation, recurrent_activation, reset_after, rng
):
    w = _weights(
        rng,
        4,
        8,
        dtype=np.float32,
        reset_after=reset_after,
        activation=activation,
        recurrent_activation=recurrent_activation,
    )
    x = rng.standard_normal((5, 30, 4)).astype(np.float32)
    mask = _mask(rng, "left", 5, 30)
    layer = _keras_gru(w, x.shape, return_sequences=True)
    expected = _numpy(_call(layer, x, mask))
    got = gru_forward(x, w, mask=mask, return_sequences=True)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=PARITY_ATOL)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_forward_matches_keras_initial_state_with_left_padding(reset_after, rng):
    # Before the first unmasked step Keras outputs zeros, not h0, while the
    # state stays h0: the output and the state are two different carries.
    w = _weights(rng, 3, 4, dtype=np.float32, reset_after=reset_after)
    x = rng.standard_normal((3, 6, 3)).astype(np.float32)
    h0 = rng.standard_normal((3, 4)).astype(np.float32)
    mask = _mask(rng, "left", 3, 6)
    mask[0, :2] = False
    mask[1] = False
    layer = _keras_gru(w, x.shape, return_sequences=True, return_state=True)
    expected = [_numpy(t) for t in _call(layer, x, mask, initial_state=[h0])]
    got = gru_forward(
        x, w, mask=mask, initial_state=h0, return_sequences=True, return_state=True
    )
    np.testing.assert_array_equal(got[0][0, :2], 0.0)
    np.testing.assert_array_equal(got[1][1], h0[1])
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=0, atol=PARITY_ATOL)


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gru_forward_matches_keras_zero_output_for_mask(
    return_sequences, go_backwards, rng
):
    w = _weights(rng, 2, 4, dtype=np.float32)
    x = rng.standard_normal((3, 6, 2)).astype(np.float32)
    mask = rng.random((3, 6)) < 0.6
    mask[0, [0, -1]] = False  # the last processed step is masked either way
    options = {"return_sequences": return_sequences, "go_backwards": go_backwards}
    layer = _keras_gru(w, x.shape, zero_output_for_mask=True, **options)
    expected = _numpy(_call(layer, x, mask))
    got = gru_forward(x, w, mask=mask, zero_output_for_mask=True, **options)
    np.testing.assert_allclose(got, expected, rtol=0, atol=PARITY_ATOL)
    if not return_sequences:
        np.testing.assert_array_equal(got[0], 0.0)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_forward_matches_keras_in_float64(reset_after, rng):
    w = _weights(rng, 3, 5, dtype=np.float64, reset_after=reset_after)
    x = rng.standard_normal((4, 12, 3))
    mask = _mask(rng, "random", 4, 12)
    layer = _keras_gru(w, x.shape, return_sequences=True, go_backwards=True)
    expected = _numpy(_call(layer, x, mask))
    assert expected.dtype == np.float64
    got = gru_forward(x, w, mask=mask, return_sequences=True, go_backwards=True)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-13)


# --------------------------------------------------------------------------
# Error messages.
# --------------------------------------------------------------------------

_W = GRUWeights(np.zeros((4, 9)), np.zeros((3, 9)))
_LAYOUT = "Pass the weights in Keras's layout, e.g. GRUWeights.from_keras(layer)."
_NAMES = "'hard_sigmoid', 'linear', 'relu', 'sigmoid', 'softplus', 'softsign', 'tanh'"


class _LayerWithoutBias:
    """Looks like a Keras GRU with use_bias=False but holds one array."""

    units, activation, recurrent_activation, use_bias = 3, "tanh", "sigmoid", False
    reset_after = True

    def get_weights(self):
        return [np.zeros((4, 9))]


class _LSTMLike:
    """Looks like a Keras LSTM: no reset_after."""

    units, activation, recurrent_activation = 3, "tanh", "sigmoid"

    def get_weights(self):
        return [np.zeros((4, 12)), np.zeros((3, 12)), np.zeros(12)]


ERRORS = [
    (
        lambda: GRUWeights(np.zeros((4, 10)), np.zeros((3, 9))),
        ValueError,
        "GRUWeights expected kernel of shape (n_features, 3 * units) = (?, 9) with "
        f"recurrent_kernel of shape (3, 9); got kernel of shape (4, 10). {_LAYOUT}",
    ),
    (
        lambda: GRUWeights(np.zeros((4, 12)), np.zeros((3, 12))),
        ValueError,
        "GRUWeights expected recurrent_kernel of shape (units, 3 * units) with "
        f"units >= 1; got shape (3, 12). {_LAYOUT}",
    ),
    (
        lambda: GRUWeights(np.zeros((4, 9)), np.zeros((3, 9)), np.zeros(9)),
        ValueError,
        "GRUWeights expected bias of shape (2, 3 * units) = (2, 9) with "
        "reset_after=True and recurrent_kernel of shape (3, 9); got bias of shape "
        "(9,). Pass the layer's reset_after with its bias (a (3 * units,) bias "
        "belongs to reset_after=False).",
    ),
    (
        lambda: GRUWeights(
            np.zeros((4, 9)), np.zeros((3, 9)), np.zeros((2, 9)), reset_after=False
        ),
        ValueError,
        "GRUWeights expected bias of shape (3 * units,) = (9,) with "
        "reset_after=False and recurrent_kernel of shape (3, 9); got bias of shape "
        "(2, 9). Pass the layer's reset_after with its bias (a (2, 3 * units) bias "
        "belongs to reset_after=True).",
    ),
    (
        lambda: GRUWeights(np.zeros((4, 9)), np.zeros((3, 9)), reset_after="yes"),
        TypeError,
        "GRUWeights expected reset_after to be True or False; got 'yes'. Pass the "
        "layer's reset_after (Keras's default is True).",
    ),
    (
        lambda: GRUWeights(np.full((4, 9), "a"), np.zeros((3, 9))),
        TypeError,
        "GRUWeights expected kernel to hold real numbers; got an array of dtype "
        f"<U1. {_LAYOUT}",
    ),
    (
        lambda: GRUWeights(np.zeros((4, 9)), np.zeros((3, 9)), activation="gelu"),
        ValueError,
        f"GRUWeights expected activation to be one of {_NAMES} (Keras's "
        "definitions); got 'gelu'.",
    ),
    (
        lambda: GRUWeights.random(4, 0),
        ValueError,
        "GRUWeights.random expected units to be a positive integer; got 0. Pass "
        "e.g. units=4.",
    ),
    (
        lambda: GRUWeights.from_keras(_LSTMLike()),
        TypeError,
        "GRUWeights.from_keras expected a Keras GRU layer with get_weights, units, "
        "activation, recurrent_activation, reset_after; got _LSTMLike without "
        "reset_after. Pass a keras.layers.GRU or GRUCell; read an LSTM with "
        "LSTMWeights.from_keras(layer).",
    ),
    (
        lambda: GRUWeights.from_keras(_LayerWithoutBias()),
        ValueError,
        "GRUWeights.from_keras expected 2 weight arrays (kernel, recurrent_kernel) "
        "from _LayerWithoutBias.get_weights(); got 1. Pass a keras.layers.GRU or "
        "GRUCell.",
    ),
    (
        lambda: gru_forward(np.zeros((5, 4)), _W),
        ValueError,
        "gru_forward expected x of shape (n_samples, n_timesteps, n_features) with "
        "n_features=4, as in the kernel; got shape (5, 4). For a single sequence, "
        "add a batch axis: x[np.newaxis].",
    ),
    (
        lambda: gru_forward(np.zeros((2, 0, 4)), _W),
        ValueError,
        "gru_forward expected x with at least one time step; got shape (2, 0, 4). "
        "Pass sequences of length >= 1.",
    ),
    (
        lambda: gru_forward(np.zeros((2, 5, 4)), _W, mask=np.ones((2, 4))),
        ValueError,
        "gru_forward expected mask of shape (n_samples, n_timesteps) = (2, 5); got "
        "shape (2, 4). Pass True for the steps to use and False for padding.",
    ),
    (
        lambda: gru_forward(
            np.zeros((2, 5, 4)), _W, initial_state=[np.zeros((2, 3))] * 2
        ),
        ValueError,
        "gru_forward expected initial_state to be h0 or [h0], one array of shape "
        "(n_samples, units) = (2, 3); got shapes [(2, 3), (2, 3)]. Pass the state "
        "returned with return_state=True, or zeros.",
    ),
    (
        lambda: gru_forward(np.zeros((2, 5, 4)), LSTMWeights.random(4, 3)),
        TypeError,
        "gru_forward expected weights to be a GRUWeights; got LSTMWeights. Build "
        "one with GRUWeights(kernel, recurrent_kernel, bias) or "
        "GRUWeights.from_keras(layer). An LSTMWeights runs with lstm_step and "
        "lstm_forward.",
    ),
    (
        lambda: gru_step(np.zeros((2, 3)), np.zeros((2, 3)), _W),
        ValueError,
        "gru_step expected x_t of shape (n_samples, n_features) with n_features=4, "
        "as in the kernel; got shape (2, 3). Pass one time step x[:, t, :] of the "
        "sequences.",
    ),
    (
        lambda: gru_step(np.zeros((2, 4)), np.zeros((1, 3)), _W),
        ValueError,
        "gru_step expected h_prev of shape (n_samples, units) = (2, 3); got shape "
        "(1, 3). Start from np.zeros((2, 3)) or the previous step's h.",
    ),
    (
        lambda: gru_step(np.zeros((2, 4)), np.zeros((2, 3)), [np.zeros((4, 9))]),
        TypeError,
        "gru_step expected weights to be a GRUWeights; got list. Build one with "
        "GRUWeights(kernel, recurrent_kernel, bias) or GRUWeights.from_keras(layer).",
    ),
    (
        lambda: bidirectional_forward(np.zeros((1, 2, 4)), _W, "weights"),
        TypeError,
        "bidirectional_forward expected backward_weights to be an LSTMWeights or a "
        "GRUWeights; got str. Read each direction of the Keras layer with "
        "LSTMWeights.from_keras or GRUWeights.from_keras, e.g. "
        "from_keras(bidi.backward_layer).",
    ),
    (
        lambda: bidirectional_forward(
            np.zeros((1, 2, 4)),
            _W,
            GRUWeights(np.zeros((4, 6)), np.zeros((2, 6))),
            merge_mode="mul",
        ),
        ValueError,
        "bidirectional_forward expected both layers to have the same units for "
        "merge_mode='mul'; got 3 forward and 2 backward. Use merge_mode='concat', "
        "or equal units.",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), ERRORS)
def test_gru_error_messages(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_gru_weights_from_keras_error_messages():
    keras = pytest.importorskip("keras")
    bidi = keras.layers.Bidirectional(keras.layers.GRU(2))
    with pytest.raises(
        TypeError,
        match=re.escape(
            "GRUWeights.from_keras expected one GRU layer; got a Bidirectional "
            "wrapper. Read each direction on its own: "
            "GRUWeights.from_keras(layer.forward_layer) and "
            "GRUWeights.from_keras(layer.backward_layer)."
        ),
    ):
        GRUWeights.from_keras(bidi)
    layer = keras.layers.GRU(2, name="unbuilt")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "GRUWeights.from_keras expected a built layer; got GRU 'unbuilt' with "
            "no weights yet. Call it once on data of shape (n_samples, n_timesteps, "
            "n_features), or fit its model, first."
        ),
    ):
        GRUWeights.from_keras(layer)
    lstm = keras.layers.LSTM(2)
    lstm.build((None, 3, 1))
    with pytest.raises(TypeError, match=re.escape("got LSTM without reset_after.")):
        GRUWeights.from_keras(lstm)


def test_lstm_weights_from_keras_points_a_gru_to_gru_weights():
    keras = pytest.importorskip("keras")
    gru = keras.layers.GRU(2, name="gru_layer")
    gru.build((None, 3, 1))
    with pytest.raises(
        TypeError,
        match=re.escape(
            "LSTMWeights.from_keras expected an LSTM layer; got GRU 'gru_layer', "
            "which has reset_after like a GRU. Read a GRU with "
            "GRUWeights.from_keras(layer) and run it with gru_forward."
        ),
    ):
        LSTMWeights.from_keras(gru)
