"""Backpropagation through time for one LSTM layer.

:func:`~sklstm.gates.lstm_backward` and the :class:`~sklstm.gates.LSTMGradients`
it returns, both public in :mod:`sklstm.gates`, which re-exports them. The
forward pass is the one of :func:`~sklstm.gates.lstm_forward` (``_scan`` of
:mod:`sklstm._forward`), run again with its trace kept. NumPy only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._activations import _ACTIVATIONS
from ._forward import _prepare, _scan
from ._lstm_weights import LSTMWeights, _check_weights

Array = NDArray[np.floating]


class LSTMGradients(NamedTuple):
    """Gradients of a loss with respect to the parameters and inputs of an LSTM.

    Parameters
    ----------
    kernel : ndarray of shape (n_features, 4 * units)
        Gradient with respect to ``kernel``.
    recurrent_kernel : ndarray of shape (units, 4 * units)
        Gradient with respect to ``recurrent_kernel``.
    bias : ndarray of shape (4 * units,)
        Gradient with respect to ``bias`` (computed even when the layer has no
        bias, where the bias is zero).
    inputs : ndarray of shape (n_samples, n_timesteps, n_features)
        Gradient with respect to ``x``, in the original time order.
    initial_h : ndarray of shape (n_samples, units)
        Gradient with respect to the initial hidden state.
    initial_c : ndarray of shape (n_samples, units)
        Gradient with respect to the initial cell state.
    """

    kernel: Array
    recurrent_kernel: Array
    bias: Array
    inputs: Array
    initial_h: Array
    initial_c: Array


def lstm_backward(
    x: ArrayLike,
    weights: LSTMWeights,
    dy: ArrayLike,
    *,
    mask: ArrayLike | None = None,
    initial_state: Sequence[ArrayLike] | None = None,
    return_sequences: bool = False,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
    dstate: Sequence[ArrayLike] | None = None,
) -> LSTMGradients:
    """Backpropagation through time for one LSTM layer.

    Runs :func:`lstm_forward` with the same arguments, then walks the steps
    backwards and returns the gradient of a loss ``L`` with respect to the
    weights, the inputs and the initial state, given ``dy = dL/d output``. With
    ``a = sigma`` for the gates and ``phi`` for the candidate and the cell::

        dh~_t = dL/dh_t (from the output and from step t + 1)
        do_t  = dh~_t * phi(c_t)
        dc_t  = dh~_t * o_t * phi'(c_t) + dL/dc_t (from step t + 1)
        di_t  = dc_t * g_t,   df_t = dc_t * c_{t-1},   dg_t = dc_t * i_t
        dz_t  = [di_t, df_t, dg_t, do_t] * a'(z_t)     (block by block)
        dkernel += x_t.T @ dz_t,   drecurrent_kernel += h_{t-1}.T @ dz_t
        dL/dh_{t-1} = dz_t @ recurrent_kernel.T,   dL/dc_{t-1} = dc_t * f_t

    A masked step passes the gradients of ``h``, ``c`` and of the carried
    output straight through, as its forward pass copies them.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_timesteps, n_features)
        Input sequences.
    weights : LSTMWeights
        The layer's weights and activations. Every supported activation has its
        derivative; at the kinks of relu and hard_sigmoid the derivative is
        that of TensorFlow (0 at the boundary).
    dy : array-like of shape (n_samples, units) or (n_samples, n_timesteps, units)
        Upstream gradient of the output: of the last output, or of every
        output (in the order :func:`lstm_forward` returns them) with
        ``return_sequences=True``.
    mask : array-like of shape (n_samples, n_timesteps) or None, default=None
        As in :func:`lstm_forward`.
    initial_state : sequence of two array-likes of shape (n_samples, units), \
default=None
        ``[h0, c0]``, as in :func:`lstm_forward`. None means zeros.
    return_sequences : bool, default=False
        Whether ``dy`` is for every output or for the last one.
    go_backwards : bool, default=False
        As in :func:`lstm_forward`.
    zero_output_for_mask : bool, default=False
        As in :func:`lstm_forward`.
    dstate : sequence of two array-likes of shape (n_samples, units), \
default=None
        ``[dh, dc]``, upstream gradients of the final states (those returned
        with ``return_state=True``). None means zeros.

    Returns
    -------
    grads : LSTMGradients
        Gradients with respect to ``kernel``, ``recurrent_kernel``, ``bias``,
        ``inputs`` (in the original time order), ``initial_h`` and ``initial_c``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import LSTMWeights, lstm_backward
    >>> w = LSTMWeights.random(4, 3, seed=0)
    >>> x = np.random.default_rng(0).standard_normal((2, 5, 4))
    >>> grads = lstm_backward(x, w, dy=np.ones((2, 3)))
    >>> grads.kernel.shape, grads.inputs.shape, grads.initial_c.shape
    ((4, 12), (2, 5, 4), (2, 3))
    """
    w = _check_weights(weights, "lstm_backward")
    x_tm, mask_tm, h0, c0 = _prepare(
        x, w, mask, initial_state, go_backwards, "lstm_backward"
    )
    steps, n, _ = x_tm.shape
    u = w.units
    dtype = x_tm.dtype
    expected = (n, steps, u) if return_sequences else (n, u)
    dy = np.asarray(dy)
    if dy.shape != expected:
        raise ValueError(
            f"lstm_backward expected dy of shape {expected}, the shape of the "
            f"output with return_sequences={return_sequences}; got shape "
            f"{dy.shape}. Pass the gradient of the loss with respect to that output."
        )
    dy = dy.astype(dtype, copy=False)
    if dstate is None:
        dh = np.zeros((n, u), dtype=dtype)
        dc = np.zeros((n, u), dtype=dtype)
    else:
        grads = list(dstate)
        shapes = [np.shape(s) for s in grads]
        if len(grads) != 2 or any(s != (n, u) for s in shapes):
            raise ValueError(
                "lstm_backward expected dstate to be [dh, dc], two arrays of shape "
                f"(n_samples, units) = ({n}, {u}); got shapes {shapes}. Pass the "
                "gradients of the final states, or None."
            )
        dh = np.asarray(grads[0]).astype(dtype)
        dc = np.asarray(grads[1]).astype(dtype)

    _, _, _, _, trace = _scan(
        x_tm,
        w,
        mask_tm,
        h0,
        c0,
        return_sequences=False,
        zero_output_for_mask=zero_output_for_mask,
        keep_gates=False,
        keep_trace=True,
    )
    assert trace is not None
    kernel = w.kernel.astype(dtype, copy=False)
    recurrent = w.recurrent_kernel.astype(dtype, copy=False)
    act = _ACTIVATIONS[w.activation]
    ract = _ACTIVATIONS[w.recurrent_activation]
    cand = slice(2 * u, 3 * u)

    dy_tm = np.swapaxes(dy, 0, 1) if return_sequences else None
    dz_all = np.empty((steps, n, 4 * u), dtype=dtype)
    gy = np.zeros((n, u), dtype=dtype)  # gradient of the carried output y_t
    with np.errstate(over="ignore", under="ignore"):
        for t in range(steps - 1, -1, -1):
            if dy_tm is not None:
                gy = gy + dy_tm[t]
            elif t == steps - 1:
                gy = dy
            z, a = trace.z[t], trace.a[t]
            i, f, g, o = (a[:, k * u : (k + 1) * u] for k in range(4))
            if mask_tm is None:
                dh_new = gy + dh
                dc_carry = dc
                keep = None
            else:
                m = mask_tm[t].astype(dtype)
                keep = 1 - m
                dh_new = m * (gy + dh)
                dc_carry = m * dc
                gy = np.zeros_like(gy) if zero_output_for_mask else keep * gy
            dc_new = dh_new * o * act.grad(trace.c_new[t], trace.phi_c[t]) + dc_carry
            da = np.empty_like(a)
            da[:, :u] = dc_new * g
            da[:, u : 2 * u] = dc_new * trace.c_prev[t]
            da[:, cand] = dc_new * i
            da[:, 3 * u :] = dh_new * trace.phi_c[t]
            dadz = ract.grad(z, a)
            dadz[:, cand] = act.grad(z[:, cand], g)
            dz = da * dadz
            dz_all[t] = dz
            if keep is None:
                dh = dz @ recurrent.T
                dc = dc_new * f
                gy = np.zeros_like(gy)
            else:
                dh = dz @ recurrent.T + keep * dh
                dc = dc_new * f + keep * dc

    flat_dz = dz_all.reshape(steps * n, 4 * u)
    d_kernel = x_tm.reshape(steps * n, -1).T @ flat_dz
    d_recurrent = trace.h_prev.reshape(steps * n, u).T @ flat_dz
    d_bias = flat_dz.sum(axis=0)
    dx_tm = dz_all @ kernel.T
    if go_backwards:
        dx_tm = dx_tm[::-1]
    return LSTMGradients(
        kernel=d_kernel,
        recurrent_kernel=d_recurrent,
        bias=d_bias,
        inputs=np.ascontiguousarray(np.swapaxes(dx_tm, 0, 1)),
        initial_h=dh,
        initial_c=dc,
    )
