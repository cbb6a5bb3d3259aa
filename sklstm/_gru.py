"""The GRU cell: one step and whole sequences, as ``keras.layers.GRU`` computes them.

:func:`~sklstm.gates.gru_step`, :func:`~sklstm.gates.gru_forward` and the
:class:`~sklstm.gates.GRUGates` they return, all public in :mod:`sklstm.gates`,
which re-exports them. ``_gru_cell`` is the one place where the GRU equations
are written (for both of Keras's ``reset_after`` conventions); the step and the
sequence both call it, so they agree exactly. The sequences and the mask are
checked by the helpers the LSTM uses (:mod:`sklstm._forward`). NumPy only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._activations import _ACTIVATIONS
from ._forward import _check_step_inputs, _prepare_inputs
from ._gru_weights import GRUWeights, _check_gru_weights

Array = NDArray[np.floating]
_Fn = Callable[[Array], Array]


class GRUGates(NamedTuple):
    """The gate activations of a GRU, in Keras's order ``(z, r, h)``.

    Each field has shape ``(n_samples, units)`` for one step, or
    ``(n_samples, n_timesteps, units)`` for a sequence.

    Parameters
    ----------
    update : ndarray
        Update gate ``z_t``: how much of the previous state is kept;
        ``h_t = z_t * h_{t-1} + (1 - z_t) * hh_t``.
    reset : ndarray
        Reset gate ``r_t``: how much of the previous state enters the candidate.
    candidate : ndarray
        Candidate state ``hh_t`` (Keras's ``h`` slice of the weights).
    """

    update: Array
    reset: Array
    candidate: Array


class _Cell(NamedTuple):
    """The weights of one GRU layer cast to the computation's dtype."""

    kernel: Array  # (n_features, 3u)
    input_bias: Array  # (3u,)
    recurrent: Array  # (u, 3u)
    recurrent_bias: Array | None  # (3u,) with reset_after, else None
    act: _Fn
    ract: _Fn
    units: int


def _cell(w: GRUWeights, dtype: np.dtype[Any]) -> _Cell:
    bias = np.asarray(w.bias).astype(dtype, copy=False)
    return _Cell(
        kernel=w.kernel.astype(dtype, copy=False),
        input_bias=bias[0] if w.reset_after else bias,
        recurrent=w.recurrent_kernel.astype(dtype, copy=False),
        recurrent_bias=bias[1] if w.reset_after else None,
        act=_ACTIVATIONS[w.activation].fn,
        ract=_ACTIVATIONS[w.recurrent_activation].fn,
        units=w.units,
    )


def _gru_cell(xk: Array, h: Array, cell: _Cell) -> tuple[Array, Array, Array]:
    """One step from the input projection ``xk = x_t @ kernel + b`` (n, 3u).

    Returns the new ``h``, the update and reset gates side by side (n, 2u) and
    the candidate (n, u), in Keras's order of operations. The caller silences
    overflow and underflow (np.errstate).
    """
    u = cell.units
    if cell.recurrent_bias is not None:  # reset_after=True
        hk = h @ cell.recurrent
        hk += cell.recurrent_bias
        zr = cell.ract(xk[:, : 2 * u] + hk[:, : 2 * u])
        hh = cell.act(xk[:, 2 * u :] + zr[:, u:] * hk[:, 2 * u :])
    else:  # reset_after=False: the reset gate scales h before the product
        zr = cell.ract(xk[:, : 2 * u] + h @ cell.recurrent[:, : 2 * u])
        hh = cell.act(xk[:, 2 * u :] + (zr[:, u:] * h) @ cell.recurrent[:, 2 * u :])
    z = zr[:, :u]
    return z * h + (1 - z) * hh, zr, hh


def gru_step(
    x_t: ArrayLike, h_prev: ArrayLike, weights: GRUWeights
) -> tuple[Array, GRUGates]:
    """One GRU time step for a batch: the three gates and the new ``h``.

    With Keras's default ``reset_after=True``, ``x_t @ kernel + bias[0]`` and
    ``h_{t-1} @ recurrent_kernel + bias[1]`` are computed once for the three
    gates ``(z, r, h)``; then ``z_t`` and ``r_t`` apply the recurrent
    activation ``sigma`` to their sums, the candidate is
    ``hh_t = phi(x_t W_h + b_h + r_t * (h_{t-1} U_h + rb_h))`` and
    ``h_t = z_t * h_{t-1} + (1 - z_t) * hh_t``. With ``reset_after=False`` the
    candidate is ``phi(x_t W_h + b_h + (r_t * h_{t-1}) U_h)``.

    Parameters
    ----------
    x_t : array-like of shape (n_samples, n_features)
        Inputs at step ``t``.
    h_prev : array-like of shape (n_samples, units)
        Hidden state ``h_{t-1}``.
    weights : GRUWeights
        The layer's weights, activations and ``reset_after``.

    Returns
    -------
    h : ndarray of shape (n_samples, units)
        New hidden state ``h_t``, which is also the layer's output at step ``t``.
    gates : GRUGates
        The update gate, reset gate and candidate, each of shape
        ``(n_samples, units)``.

    See Also
    --------
    gru_forward : The same step over whole sequences.
    lstm_step : One step of an LSTM.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import GRUWeights, gru_step
    >>> w = GRUWeights.random(4, 3, seed=0)
    >>> h, gates = gru_step(np.ones((2, 4)), np.zeros((2, 3)), w)
    >>> h.shape, gates.update.shape, gates._fields
    ((2, 3), (2, 3), ('update', 'reset', 'candidate'))
    """
    w = _check_gru_weights(weights, "gru_step")
    x_t, h_prev = _check_step_inputs(x_t, h_prev, w.n_features, w.units, "gru_step")
    dtype = np.result_type(x_t.dtype, h_prev.dtype, w.dtype)
    cell = _cell(w, dtype)
    x_t, h_prev = x_t.astype(dtype, copy=False), h_prev.astype(dtype, copy=False)
    with np.errstate(over="ignore", under="ignore"):
        xk = x_t @ cell.kernel
        xk += cell.input_bias
        h, zr, hh = _gru_cell(xk, h_prev, cell)
    u = w.units
    return h, GRUGates(zr[:, :u], zr[:, u:], hh)


def _initial_h(
    initial_state: Any, n: int, u: int, dtype: np.dtype[Any], who: str
) -> Array:
    if initial_state is None:
        return np.zeros((n, u), dtype=dtype)
    if isinstance(initial_state, list | tuple):
        states = list(initial_state)
    else:
        states = [initial_state]
    shapes = [np.shape(s) for s in states]
    if len(states) != 1 or shapes[0] != (n, u):
        raise ValueError(
            f"{who} expected initial_state to be h0 or [h0], one array of shape "
            f"(n_samples, units) = ({n}, {u}); got shapes {shapes}. Pass the "
            "state returned with return_state=True, or zeros."
        )
    return np.asarray(states[0]).astype(dtype)


def _gru_scan(
    x_tm: Array,
    w: GRUWeights,
    mask_tm: NDArray[np.bool_] | None,
    h: Array,
    *,
    return_sequences: bool,
    zero_output_for_mask: bool,
    keep_gates: bool,
) -> tuple[Array, Array, Array | None]:
    """Run the recurrence; the only Python loop is over time."""
    steps, n, _ = x_tm.shape
    u = w.units
    dtype = x_tm.dtype
    cell = _cell(w, dtype)

    xk = x_tm @ cell.kernel  # (T, n, 3u): the input projections of all steps
    xk += cell.input_bias
    ys = np.empty((steps, n, u), dtype=dtype) if return_sequences else None
    gates = np.empty((steps, n, 3 * u), dtype=dtype) if keep_gates else None
    y = np.zeros((n, u), dtype=dtype)

    with np.errstate(over="ignore", under="ignore"):
        for t in range(steps):
            h_new, zr, hh = _gru_cell(xk[t], h, cell)
            if gates is not None:
                gates[t, :, : 2 * u] = zr
                gates[t, :, 2 * u :] = hh
            if mask_tm is None:
                h, y = h_new, h_new
            else:
                m = mask_tm[t]
                y = np.where(m, h_new, 0 if zero_output_for_mask else y)
                h = np.where(m, h_new, h)
            if ys is not None:
                ys[t] = y
    output: Array
    if ys is not None:
        output = np.swapaxes(ys, 0, 1)
    else:
        output = y.copy() if y is h else y  # never hand out one array twice
    return output, h, gates


def gru_forward(
    x: ArrayLike,
    weights: GRUWeights,
    *,
    mask: ArrayLike | None = None,
    initial_state: Any = None,
    return_sequences: bool = False,
    return_state: bool = False,
    return_gates: bool = False,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
) -> Array | tuple[Any, ...]:
    """Run a GRU layer over a batch of sequences, as ``keras.layers.GRU`` does.

    At each step ``t`` the cell computes the update gate ``z_t``, the reset gate
    ``r_t`` and the candidate ``hh_t`` from ``x_t`` and ``h_{t-1}`` (see
    :func:`gru_step`), then ``h_t = z_t * h_{t-1} + (1 - z_t) * hh_t``. The
    batch is vectorised; the only loop is over time. The computation runs in
    the dtype of ``x`` combined with that of the weights (float32 with float32
    stays float32; integers become float64).

    Parameters
    ----------
    x : array-like of shape (n_samples, n_timesteps, n_features)
        Input sequences, oldest step first.
    weights : GRUWeights
        The layer's weights, activations and ``reset_after``.
    mask : array-like of shape (n_samples, n_timesteps) or None, default=None
        True for the steps to use, False for padding. At a masked step ``h`` is
        carried over unchanged and the output repeats the previous output (zero
        before the first unmasked step), as in Keras.
    initial_state : array-like of shape (n_samples, units), a list of one such \
array, or None, default=None
        ``h0`` or ``[h0]``, as Keras accepts it. None means zeros.
    return_sequences : bool, default=False
        If True, return the output of every step, shape
        ``(n_samples, n_timesteps, units)``; else only the last one,
        ``(n_samples, units)``.
    return_state : bool, default=False
        If True, also return the final ``h``.
    return_gates : bool, default=False
        If True, also return the gate activations of every step as a
        :class:`GRUGates` of arrays of shape ``(n_samples, n_timesteps, units)``
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
    gates : GRUGates
        Gate activations; only with ``return_gates=True``.

    See Also
    --------
    gru_step : One step of the same recurrence.
    bidirectional_forward : Both directions, merged.
    lstm_forward : The same for an LSTM layer.

    Notes
    -----
    The semantics are those of Keras's default loop (``unroll=False``), as for
    :func:`lstm_forward`. On a GPU, Keras may run a GRU with cuDNN, which
    supports right-padded masks only; the numbers are the same up to round-off.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import GRUWeights, gru_forward
    >>> w = GRUWeights.random(4, 3, seed=0)
    >>> x = np.random.default_rng(0).standard_normal((2, 5, 4))
    >>> gru_forward(x, w).shape
    (2, 3)
    >>> y, h = gru_forward(x, w, return_sequences=True, return_state=True)
    >>> y.shape, bool(np.all(y[:, -1] == h))
    ((2, 5, 3), True)
    """
    w = _check_gru_weights(weights, "gru_forward")
    x_tm, mask_tm = _prepare_inputs(x, w.n_features, w.dtype, mask, "gru_forward")
    h0 = _initial_h(initial_state, x_tm.shape[1], w.units, x_tm.dtype, "gru_forward")
    if go_backwards:
        x_tm = x_tm[::-1]
        if mask_tm is not None:
            mask_tm = mask_tm[::-1]
    output, h, gates = _gru_scan(
        x_tm,
        w,
        mask_tm,
        h0,
        return_sequences=return_sequences,
        zero_output_for_mask=zero_output_for_mask,
        keep_gates=return_gates,
    )
    if not (return_state or return_gates):
        return output
    result: tuple[Any, ...] = (output,)
    if return_state:
        result += (h,)
    if return_gates:
        assert gates is not None
        g = np.swapaxes(gates, 0, 1)
        u = w.units
        result += (GRUGates(*(g[..., k * u : (k + 1) * u] for k in range(3))),)
    return result
