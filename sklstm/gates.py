"""The LSTM and GRU cells in NumPy, gate by gate, numerically equal to Keras.

This module holds two recurrent cells written out in NumPy: the LSTM of
:class:`keras.layers.LSTM` (one function per gate, one step, a whole sequence
with masking, initial states and ``go_backwards``, and backpropagation through
time) and the GRU of :class:`keras.layers.GRU` (one step and a whole sequence,
with the same options), plus the :class:`keras.layers.Bidirectional` wrapper
over either. It reads the weights of a fitted Keras layer and reproduces its
outputs to float32 round-off, so a model can be inspected, taught and run
without TensorFlow. It imports NumPy only.

For one LSTM step, with the row-vector convention of Keras (``x_t`` has shape
``(n_samples, n_features)``)::

    i_t = sigma(x_t W_i + h_{t-1} U_i + b_i)     input gate
    f_t = sigma(x_t W_f + h_{t-1} U_f + b_f)     forget gate
    g_t = phi(x_t W_c + h_{t-1} U_c + b_c)       candidate cell state
    o_t = sigma(x_t W_o + h_{t-1} U_o + b_o)     output gate
    c_t = f_t * c_{t-1} + i_t * g_t              cell update
    h_t = o_t * phi(c_t)                         hidden state (the output)

where ``sigma`` is the recurrent activation (sigmoid by default), ``phi`` the
activation (tanh by default) and ``*`` the element-wise product. The weights are
stored as Keras stores them: ``kernel`` of shape ``(n_features, 4 * units)``,
``recurrent_kernel`` of shape ``(units, 4 * units)`` and ``bias`` of shape
``(4 * units,)``, the four gates side by side in the order ``(i, f, c, o)``.
Keras initialises ``b_f`` to one (``unit_forget_bias=True``); the layout does
not change.

For one GRU step, with Keras's default ``reset_after=True``::

    z_t = sigma(x_t W_z + b_z + h_{t-1} U_z + rb_z)            update gate
    r_t = sigma(x_t W_r + b_r + h_{t-1} U_r + rb_r)            reset gate
    hh_t = phi(x_t W_h + b_h + r_t * (h_{t-1} U_h + rb_h))     candidate state
    h_t = z_t * h_{t-1} + (1 - z_t) * hh_t                     hidden state

The GRU's ``kernel`` has shape ``(n_features, 3 * units)`` and its
``recurrent_kernel`` ``(units, 3 * units)``, the gates in the order
``(z, r, h)``; its ``bias`` has shape ``(2, 3 * units)``, the input biases
``b`` in row 0 and the recurrent biases ``rb`` in row 1. With
``reset_after=False`` the candidate is ``phi(x_t W_h + b_h + (r_t * h_{t-1})
U_h)`` and the bias has the one row ``b``, shape ``(3 * units,)``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._activations import _activation_name, _apply, _as_float, sigmoid
from ._bidirectional import bidirectional_forward
from ._bptt import LSTMGradients, lstm_backward
from ._forward import LSTMGates, _check_step_inputs, lstm_forward
from ._gru import GRUGates, gru_forward, gru_step
from ._gru_weights import GRUWeights
from ._lstm_weights import GateWeights, LSTMWeights, _check_weights

__all__ = [
    "GRUGates",
    "GRUWeights",
    "GateWeights",
    "LSTMGates",
    "LSTMGradients",
    "LSTMWeights",
    "bidirectional_forward",
    "candidate",
    "cell_update",
    "forget_gate",
    "gru_forward",
    "gru_step",
    "hidden_state",
    "input_gate",
    "lstm_backward",
    "lstm_forward",
    "lstm_step",
    "output_gate",
    "sigmoid",
]

# The API is split by responsibility into private modules, re-exported above:
# _activations (sigmoid, Keras's other activations and their derivatives),
# _lstm_weights (LSTMWeights, GateWeights), _forward (lstm_forward, LSTMGates),
# _bptt (lstm_backward, LSTMGradients), _gru_weights (GRUWeights), _gru
# (gru_step, gru_forward, GRUGates) and _bidirectional (bidirectional_forward,
# for either cell). This module holds the LSTM cell itself: one gate at a time,
# and one step.

Array = NDArray[np.floating]


# --------------------------------------------------------------------------
# Input checks of the gate functions.
# --------------------------------------------------------------------------


def _gate_args(
    weights: LSTMWeights | GateWeights, k: int, default: str, who: str
) -> tuple[GateWeights, str]:
    if isinstance(weights, LSTMWeights):
        act = weights.activation if k == 2 else weights.recurrent_activation
        return weights._gate(k), act
    if isinstance(weights, GateWeights):
        return GateWeights(*(_as_float(w) for w in weights)), default
    raise TypeError(
        f"{who} expected weights to be an LSTMWeights or a GateWeights; got "
        f"{type(weights).__name__}. Pass LSTMWeights.from_keras(layer), or one "
        "gate's view such as weights.forget."
    )


def _one_gate(
    x_t: ArrayLike,
    h_prev: ArrayLike,
    weights: LSTMWeights | GateWeights,
    activation: Any,
    k: int,
    default: str,
    who: str,
) -> Array:
    gate, act = _gate_args(weights, k, default, who)
    if activation is not None:
        act = _activation_name(activation, who, "activation")
    units = gate.recurrent_kernel.shape[0]
    x_t, h_prev = _check_step_inputs(x_t, h_prev, gate.kernel.shape[0], units, who)
    z = x_t @ gate.kernel + h_prev @ gate.recurrent_kernel + gate.bias
    return _apply(act, z)


# --------------------------------------------------------------------------
# One gate at a time.
# --------------------------------------------------------------------------


def input_gate(
    x_t: ArrayLike,
    h_prev: ArrayLike,
    weights: LSTMWeights | GateWeights,
    *,
    activation: str | None = None,
) -> Array:
    """Input gate: how much of the candidate is written into the cell.

    ``i_t = sigma(x_t W_i + h_{t-1} U_i + b_i)``, with ``sigma`` the recurrent
    activation.

    Parameters
    ----------
    x_t : array-like of shape (n_samples, n_features)
        Inputs at step ``t``.
    h_prev : array-like of shape (n_samples, units)
        Hidden state ``h_{t-1}``.
    weights : LSTMWeights or GateWeights
        All the weights (column block 0 is used) or the gate's own
        ``weights.input``.
    activation : str or None, default=None
        Activation to apply. None means the ``recurrent_activation`` of an
        :class:`LSTMWeights`, or 'sigmoid' for a :class:`GateWeights`.

    Returns
    -------
    i : ndarray of shape (n_samples, units)
        Input gate values, in ``(0, 1)`` for the sigmoid.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import LSTMWeights, input_gate
    >>> w = LSTMWeights.random(4, 3, seed=0)
    >>> input_gate(np.zeros((2, 4)), np.zeros((2, 3)), w)
    array([[0.5, 0.5, 0.5],
           [0.5, 0.5, 0.5]])
    """
    return _one_gate(x_t, h_prev, weights, activation, 0, "sigmoid", "input_gate")


def forget_gate(
    x_t: ArrayLike,
    h_prev: ArrayLike,
    weights: LSTMWeights | GateWeights,
    *,
    activation: str | None = None,
) -> Array:
    """Forget gate: how much of the previous cell state is kept.

    ``f_t = sigma(x_t W_f + h_{t-1} U_f + b_f)``, with ``sigma`` the recurrent
    activation. A value near 1 keeps ``c_{t-1}``; near 0 erases it.

    Parameters
    ----------
    x_t : array-like of shape (n_samples, n_features)
        Inputs at step ``t``.
    h_prev : array-like of shape (n_samples, units)
        Hidden state ``h_{t-1}``.
    weights : LSTMWeights or GateWeights
        All the weights (column block 1 is used) or the gate's own
        ``weights.forget``.
    activation : str or None, default=None
        Activation to apply. None means the ``recurrent_activation`` of an
        :class:`LSTMWeights`, or 'sigmoid' for a :class:`GateWeights`.

    Returns
    -------
    f : ndarray of shape (n_samples, units)
        Forget gate values.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import LSTMWeights, forget_gate
    >>> w = LSTMWeights.random(4, 3, seed=0)  # forget bias 1, as in Keras
    >>> forget_gate(np.zeros((1, 4)), np.zeros((1, 3)), w).round(4)
    array([[0.7311, 0.7311, 0.7311]])
    """
    return _one_gate(x_t, h_prev, weights, activation, 1, "sigmoid", "forget_gate")


def candidate(
    x_t: ArrayLike,
    h_prev: ArrayLike,
    weights: LSTMWeights | GateWeights,
    *,
    activation: str | None = None,
) -> Array:
    """Candidate cell state: the new content the input gate may write.

    ``g_t = phi(x_t W_c + h_{t-1} U_c + b_c)``, with ``phi`` the activation
    (tanh by default). Keras calls this slice of the weights ``c``.

    Parameters
    ----------
    x_t : array-like of shape (n_samples, n_features)
        Inputs at step ``t``.
    h_prev : array-like of shape (n_samples, units)
        Hidden state ``h_{t-1}``.
    weights : LSTMWeights or GateWeights
        All the weights (column block 2 is used) or the gate's own
        ``weights.candidate``.
    activation : str or None, default=None
        Activation to apply. None means the ``activation`` of an
        :class:`LSTMWeights`, or 'tanh' for a :class:`GateWeights`.

    Returns
    -------
    g : ndarray of shape (n_samples, units)
        Candidate values, in ``(-1, 1)`` for tanh.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import LSTMWeights, candidate
    >>> w = LSTMWeights.random(4, 3, seed=0)
    >>> candidate(np.zeros((1, 4)), np.zeros((1, 3)), w)
    array([[0., 0., 0.]])
    """
    return _one_gate(x_t, h_prev, weights, activation, 2, "tanh", "candidate")


def output_gate(
    x_t: ArrayLike,
    h_prev: ArrayLike,
    weights: LSTMWeights | GateWeights,
    *,
    activation: str | None = None,
) -> Array:
    """Output gate: how much of the squashed cell state becomes the output.

    ``o_t = sigma(x_t W_o + h_{t-1} U_o + b_o)``, with ``sigma`` the recurrent
    activation.

    Parameters
    ----------
    x_t : array-like of shape (n_samples, n_features)
        Inputs at step ``t``.
    h_prev : array-like of shape (n_samples, units)
        Hidden state ``h_{t-1}``.
    weights : LSTMWeights or GateWeights
        All the weights (column block 3 is used) or the gate's own
        ``weights.output``.
    activation : str or None, default=None
        Activation to apply. None means the ``recurrent_activation`` of an
        :class:`LSTMWeights`, or 'sigmoid' for a :class:`GateWeights`.

    Returns
    -------
    o : ndarray of shape (n_samples, units)
        Output gate values.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import LSTMWeights, output_gate
    >>> w = LSTMWeights.random(4, 3, seed=0)
    >>> output_gate(np.zeros((1, 4)), np.zeros((1, 3)), w)
    array([[0.5, 0.5, 0.5]])
    """
    return _one_gate(x_t, h_prev, weights, activation, 3, "sigmoid", "output_gate")


def cell_update(c_prev: ArrayLike, f: ArrayLike, i: ArrayLike, g: ArrayLike) -> Array:
    """Cell update: forget part of the old cell state, write part of the candidate.

    ``c_t = f_t * c_{t-1} + i_t * g_t`` (element-wise), computed in this order,
    as Keras does.

    Parameters
    ----------
    c_prev : array-like of shape (n_samples, units)
        Cell state ``c_{t-1}``.
    f : array-like of shape (n_samples, units)
        Forget gate ``f_t``.
    i : array-like of shape (n_samples, units)
        Input gate ``i_t``.
    g : array-like of shape (n_samples, units)
        Candidate ``g_t``.

    Returns
    -------
    c : ndarray of shape (n_samples, units)
        New cell state ``c_t``.

    Examples
    --------
    >>> from sklstm.gates import cell_update
    >>> cell_update(c_prev=[[2.0]], f=[[0.5]], i=[[1.0]], g=[[0.25]])
    array([[1.25]])
    """
    return _as_float(f) * _as_float(c_prev) + _as_float(i) * _as_float(g)


def hidden_state(o: ArrayLike, c: ArrayLike, *, activation: str = "tanh") -> Array:
    """Hidden state: the output gate times the squashed cell state.

    ``h_t = o_t * phi(c_t)``, with ``phi`` the activation (tanh by default).

    Parameters
    ----------
    o : array-like of shape (n_samples, units)
        Output gate ``o_t``.
    c : array-like of shape (n_samples, units)
        Cell state ``c_t``.
    activation : str, default="tanh"
        Activation ``phi``; pass the weights' ``activation`` for other layers.

    Returns
    -------
    h : ndarray of shape (n_samples, units)
        Hidden state ``h_t``, which is also the layer's output at step ``t``.

    Examples
    --------
    >>> from sklstm.gates import hidden_state
    >>> hidden_state(o=[[0.5]], c=[[0.0]])
    array([[0.]])
    """
    act = _activation_name(activation, "hidden_state", "activation")
    return _as_float(o) * _apply(act, _as_float(c))


# --------------------------------------------------------------------------
# All four gates at once: one step (lstm_forward runs the sequence).
# --------------------------------------------------------------------------


def lstm_step(
    x_t: ArrayLike, h_prev: ArrayLike, c_prev: ArrayLike, weights: LSTMWeights
) -> tuple[Array, Array, LSTMGates]:
    """One LSTM time step for a batch: all four gates, the new ``c`` and ``h``.

    Computes ``z = x_t @ kernel + h_prev @ recurrent_kernel + bias`` (Keras's
    order of operations), splits it into the gates ``(i, f, c, o)``, then
    ``c_t = f * c_prev + i * g`` and ``h_t = o * phi(c_t)``.

    Parameters
    ----------
    x_t : array-like of shape (n_samples, n_features)
        Inputs at step ``t``.
    h_prev : array-like of shape (n_samples, units)
        Hidden state ``h_{t-1}``.
    c_prev : array-like of shape (n_samples, units)
        Cell state ``c_{t-1}``.
    weights : LSTMWeights
        The layer's weights and activations.

    Returns
    -------
    h : ndarray of shape (n_samples, units)
        New hidden state ``h_t``.
    c : ndarray of shape (n_samples, units)
        New cell state ``c_t``.
    gates : LSTMGates
        The four gate activations, each of shape ``(n_samples, units)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import LSTMWeights, lstm_step
    >>> w = LSTMWeights.random(4, 3, seed=0)
    >>> h, c, gates = lstm_step(np.ones((2, 4)), np.zeros((2, 3)), np.zeros((2, 3)), w)
    >>> h.shape, c.shape, gates.forget.shape
    ((2, 3), (2, 3), (2, 3))
    """
    weights = _check_weights(weights, "lstm_step")
    u = weights.units
    x_t, h_prev = _check_step_inputs(x_t, h_prev, weights.n_features, u, "lstm_step")
    c_prev = _as_float(c_prev)
    if c_prev.shape != h_prev.shape:
        raise ValueError(
            f"lstm_step expected c_prev of shape (n_samples, units) = "
            f"{h_prev.shape}, like h_prev; got shape {c_prev.shape}. Start from "
            f"np.zeros({h_prev.shape}) or the previous step's c."
        )
    z = x_t @ weights.kernel + h_prev @ weights.recurrent_kernel + weights.bias
    a = _apply(weights.recurrent_activation, z)
    a[:, 2 * u : 3 * u] = _apply(weights.activation, z[:, 2 * u : 3 * u])
    i, f, g, o = (a[:, k * u : (k + 1) * u] for k in range(4))
    c = f * c_prev + i * g
    h = o * _apply(weights.activation, c)
    return h, c, LSTMGates(i, f, g, o)
