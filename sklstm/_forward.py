"""The forward pass of one LSTM layer over whole sequences.

:func:`~sklstm.gates.lstm_forward` and the :class:`~sklstm.gates.LSTMGates` it
returns, both public in :mod:`sklstm.gates`, which re-exports them.
``_prepare_inputs`` checks the sequences and the mask and puts them in
time-major order (the GRU in :mod:`sklstm._gru` shares it); ``_prepare`` adds
the LSTM's states; ``_scan`` is the recurrence, the only Python loop being over
time, and keeps the trace that backpropagation (:mod:`sklstm._bptt`) needs.
NumPy only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._activations import _ACTIVATIONS, _as_float
from ._lstm_weights import LSTMWeights, _check_weights

Array = NDArray[np.floating]


class LSTMGates(NamedTuple):
    """The four gate activations of an LSTM, in Keras's order ``(i, f, c, o)``.

    Each field has shape ``(n_samples, units)`` for one step, or
    ``(n_samples, n_timesteps, units)`` for a sequence.

    Parameters
    ----------
    input : ndarray
        Input gate ``i_t``: how much of the candidate enters the cell.
    forget : ndarray
        Forget gate ``f_t``: how much of the previous cell state is kept.
    candidate : ndarray
        Candidate cell state ``g_t`` (Keras's ``c`` slice of the weights).
    output : ndarray
        Output gate ``o_t``: how much of the squashed cell state is emitted.
    """

    input: Array
    forget: Array
    candidate: Array
    output: Array


class _Trace(NamedTuple):
    """What the forward pass keeps for backpropagation, time-major."""

    z: Array  # pre-activations (T, n, 4u)
    a: Array  # gate activations (T, n, 4u)
    h_prev: Array  # h_{t-1} (T, n, u)
    c_prev: Array  # c_{t-1} (T, n, u)
    c_new: Array  # unmasked c_t (T, n, u)
    phi_c: Array  # phi(c_t) (T, n, u)


def _check_step_inputs(
    x_t: ArrayLike, h_prev: ArrayLike, n_features: int, units: int, who: str
) -> tuple[Array, Array]:
    x_t, h_prev = _as_float(x_t), _as_float(h_prev)
    if x_t.ndim != 2 or x_t.shape[1] != n_features:
        raise ValueError(
            f"{who} expected x_t of shape (n_samples, n_features) with "
            f"n_features={n_features}, as in the kernel; got shape {x_t.shape}. "
            "Pass one time step x[:, t, :] of the sequences."
        )
    if h_prev.shape != (x_t.shape[0], units):
        raise ValueError(
            f"{who} expected h_prev of shape (n_samples, units) = "
            f"({x_t.shape[0]}, {units}); got shape {h_prev.shape}. Start from "
            f"np.zeros(({x_t.shape[0]}, {units})) or the previous step's h."
        )
    return x_t, h_prev


def _prepare_inputs(
    x: ArrayLike,
    n_features: int,
    weights_dtype: np.dtype[Any],
    mask: ArrayLike | None,
    who: str,
) -> tuple[Array, NDArray[np.bool_] | None]:
    """Validate and cast ``x`` and ``mask``; return them time-major.

    The mask comes back as None when it keeps every step, else of shape
    ``(n_timesteps, n_samples, 1)``. Neither is reversed for ``go_backwards``.
    """
    x = _as_float(x)
    if x.ndim != 3 or x.shape[2] != n_features:
        hint = (
            " For a single sequence, add a batch axis: x[np.newaxis]."
            if x.ndim == 2
            else " Pass the features the weights were fitted on."
        )
        raise ValueError(
            f"{who} expected x of shape (n_samples, n_timesteps, n_features) with "
            f"n_features={n_features}, as in the kernel; got shape "
            f"{x.shape}.{hint}"
        )
    n, steps, _ = x.shape
    if steps < 1:
        raise ValueError(
            f"{who} expected x with at least one time step; got shape {x.shape}. "
            "Pass sequences of length >= 1."
        )
    dtype = np.result_type(x.dtype, weights_dtype)
    x_tm = np.ascontiguousarray(np.swapaxes(x.astype(dtype, copy=False), 0, 1))

    mask_tm = None
    if mask is not None:
        m = np.asarray(mask)
        if m.shape != (n, steps):
            raise ValueError(
                f"{who} expected mask of shape (n_samples, n_timesteps) = "
                f"({n}, {steps}); got shape {m.shape}. Pass True for the steps "
                "to use and False for padding."
            )
        m = m.astype(bool)
        if not m.all():
            mask_tm = np.ascontiguousarray(m.T[:, :, None])
    return x_tm, mask_tm


def _prepare(
    x: ArrayLike,
    weights: LSTMWeights,
    mask: ArrayLike | None,
    initial_state: Sequence[ArrayLike] | None,
    go_backwards: bool,
    who: str,
) -> tuple[Array, NDArray[np.bool_] | None, Array, Array]:
    """Validate, cast and put in time-major processing order."""
    weights = _check_weights(weights, who)
    x_tm, mask_tm = _prepare_inputs(x, weights.n_features, weights.dtype, mask, who)
    n, dtype = x_tm.shape[1], x_tm.dtype

    u = weights.units
    if initial_state is None:
        h0 = np.zeros((n, u), dtype=dtype)
        c0 = np.zeros((n, u), dtype=dtype)
    else:
        states = list(initial_state)
        shapes = [np.shape(s) for s in states]
        if len(states) != 2 or any(s != (n, u) for s in shapes):
            raise ValueError(
                f"{who} expected initial_state to be [h0, c0], two arrays of shape "
                f"(n_samples, units) = ({n}, {u}); got shapes {shapes}. Pass the "
                "states returned with return_state=True, or zeros."
            )
        h0 = np.asarray(states[0]).astype(dtype)
        c0 = np.asarray(states[1]).astype(dtype)

    if go_backwards:
        x_tm = x_tm[::-1]
        if mask_tm is not None:
            mask_tm = mask_tm[::-1]
    return x_tm, mask_tm, h0, c0


def _scan(
    x_tm: Array,
    w: LSTMWeights,
    mask_tm: NDArray[np.bool_] | None,
    h: Array,
    c: Array,
    *,
    return_sequences: bool,
    zero_output_for_mask: bool,
    keep_gates: bool,
    keep_trace: bool,
) -> tuple[Array, Array, Array, Array | None, _Trace | None]:
    """Run the recurrence; the only Python loop is over time."""
    steps, n, _ = x_tm.shape
    u = w.units
    dtype = x_tm.dtype
    kernel = w.kernel.astype(dtype, copy=False)
    recurrent = w.recurrent_kernel.astype(dtype, copy=False)
    bias = w.bias.astype(dtype, copy=False)  # type: ignore[union-attr]
    act = _ACTIVATIONS[w.activation].fn
    ract = _ACTIVATIONS[w.recurrent_activation].fn
    cand = slice(2 * u, 3 * u)

    xk = x_tm @ kernel  # (T, n, 4u): the input projections of all steps at once
    ys = np.empty((steps, n, u), dtype=dtype) if return_sequences else None
    gates = np.empty((steps, n, 4 * u), dtype=dtype) if keep_gates else None
    trace = None
    if keep_trace:
        trace = _Trace(
            *(np.empty((steps, n, k * u), dtype=dtype) for k in (4, 4, 1, 1, 1, 1))
        )
    y = np.zeros((n, u), dtype=dtype)

    with np.errstate(over="ignore", under="ignore"):
        for t in range(steps):
            z = xk[t] + h @ recurrent
            z += bias
            a = ract(z)
            a[:, cand] = act(z[:, cand])
            c_new = a[:, u : 2 * u] * c + a[:, :u] * a[:, cand]
            phi_c = act(c_new)
            h_new = a[:, 3 * u :] * phi_c
            if trace is not None:
                trace.z[t] = z
                trace.a[t] = a
                trace.h_prev[t] = h
                trace.c_prev[t] = c
                trace.c_new[t] = c_new
                trace.phi_c[t] = phi_c
            if gates is not None:
                gates[t] = a
            if mask_tm is None:
                h, c, y = h_new, c_new, h_new
            else:
                m = mask_tm[t]
                y = np.where(m, h_new, 0 if zero_output_for_mask else y)
                h = np.where(m, h_new, h)
                c = np.where(m, c_new, c)
            if ys is not None:
                ys[t] = y
    if ys is not None:
        output = np.swapaxes(ys, 0, 1)
    else:
        output = y.copy() if y is h else y  # never hand out one array twice
    return output, h, c, gates, trace


def lstm_forward(
    x: ArrayLike,
    weights: LSTMWeights,
    *,
    mask: ArrayLike | None = None,
    initial_state: Sequence[ArrayLike] | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
    return_gates: bool = False,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
) -> Array | tuple[Any, ...]:
    """Run an LSTM layer over a batch of sequences, as ``keras.layers.LSTM`` does.

    At each step ``t`` the cell computes the gates ``(i, f, c, o)`` from ``x_t``
    and ``h_{t-1}``, then ``c_t = f_t * c_{t-1} + i_t * g_t`` and
    ``h_t = o_t * phi(c_t)``. The batch is vectorised; the only loop is over
    time. The computation runs in the dtype of ``x`` combined with that of the
    weights (float32 with float32 stays float32; integers become float64).

    Parameters
    ----------
    x : array-like of shape (n_samples, n_timesteps, n_features)
        Input sequences, oldest step first.
    weights : LSTMWeights
        The layer's weights and activations.
    mask : array-like of shape (n_samples, n_timesteps) or None, default=None
        True for the steps to use, False for padding. At a masked step ``h`` and
        ``c`` are carried over unchanged and the output repeats the previous
        output (zero before the first unmasked step), as in Keras.
    initial_state : sequence of two array-likes of shape (n_samples, units), \
default=None
        ``[h0, c0]``. None means zeros.
    return_sequences : bool, default=False
        If True, return the output of every step, shape
        ``(n_samples, n_timesteps, units)``; else only the last one,
        ``(n_samples, units)``.
    return_state : bool, default=False
        If True, also return the final ``h`` and ``c``.
    return_gates : bool, default=False
        If True, also return the gate activations of every step as an
        :class:`LSTMGates` of arrays of shape ``(n_samples, n_timesteps, units)``
        (in processing order; at masked steps, the values computed and then
        discarded).
    go_backwards : bool, default=False
        If True, process the sequence (and the mask) from the last step to the
        first. As in Keras, the returned sequence is then in that reversed order.
    zero_output_for_mask : bool, default=False
        If True, the output at a masked step is zero instead of the previous
        output. ``keras.layers.Bidirectional`` sets this for its layers when
        they return sequences.

    Returns
    -------
    output : ndarray of shape (n_samples, units) or (n_samples, n_timesteps, units)
        The last output, or all outputs with ``return_sequences=True``. Returned
        alone when ``return_state`` and ``return_gates`` are False.
    h : ndarray of shape (n_samples, units)
        Final hidden state; only with ``return_state=True``.
    c : ndarray of shape (n_samples, units)
        Final cell state; only with ``return_state=True``.
    gates : LSTMGates
        Gate activations; only with ``return_gates=True``.

    See Also
    --------
    lstm_step : One step of the same recurrence.
    bidirectional_forward : Both directions, merged.
    lstm_backward : Gradients of the same computation.

    Notes
    -----
    The semantics are those of Keras's default loop (``unroll=False``). With
    ``zero_output_for_mask=True`` and ``return_sequences=False``, the output is
    zero when the last processed step is masked, as in Keras. Keras's
    ``unroll=True`` path differs in one case: with ``go_backwards``,
    ``zero_output_for_mask`` and ``return_sequences`` all True, it zeroes the
    reversed outputs with the mask in the original order.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import LSTMWeights, lstm_forward
    >>> w = LSTMWeights.random(4, 3, seed=0)
    >>> x = np.random.default_rng(0).standard_normal((2, 5, 4))
    >>> lstm_forward(x, w).shape
    (2, 3)
    >>> y, h, c = lstm_forward(x, w, return_sequences=True, return_state=True)
    >>> y.shape, bool(np.all(y[:, -1] == h))
    ((2, 5, 3), True)
    """
    w = _check_weights(weights, "lstm_forward")
    x_tm, mask_tm, h0, c0 = _prepare(
        x, w, mask, initial_state, go_backwards, "lstm_forward"
    )
    output, h, c, gates, _ = _scan(
        x_tm,
        w,
        mask_tm,
        h0,
        c0,
        return_sequences=return_sequences,
        zero_output_for_mask=zero_output_for_mask,
        keep_gates=return_gates,
        keep_trace=False,
    )
    if not (return_state or return_gates):
        return output
    result: tuple[Any, ...] = (output,)
    if return_state:
        result += (h, c)
    if return_gates:
        assert gates is not None
        g = np.swapaxes(gates, 0, 1)
        u = w.units
        result += (LSTMGates(*(g[..., k * u : (k + 1) * u] for k in range(4))),)
    return result
