"""Quantile networks: a head whose quantiles never cross, and the pinball loss.

A quantile regressor's network ends in one Dense layer of ``n_outputs *
n_quantiles`` units followed by :class:`MonotoneQuantiles`, which reads, per
output, the first unit as the lowest quantile and the others as the gaps to
the next quantile through a softplus. Every gap is positive, so the quantiles
are sorted for every input, by construction (no sorting after the fact, no
penalty that only discourages crossing). :class:`PinballLoss` trains all
quantiles of all outputs at once. :func:`monotone_quantiles` is the same
arithmetic for NumPy or ``keras.ops``, so that :mod:`sklstm._numpy_bridge`
reproduces the head without Keras.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numbers

import keras
import numpy as np
from keras import layers, ops

__all__ = [
    "MonotoneQuantiles",
    "PinballLoss",
    "check_quantiles",
    "monotone_quantiles",
]


def check_quantiles(owner, quantiles, *, need_median=True):
    """``quantiles`` as a sorted tuple of floats in (0, 1), or fail teaching.

    With ``need_median``, 0.5 must be among them: it is what ``predict``
    returns.
    """
    name = type(owner).__name__
    try:
        values = tuple(float(q) for q in quantiles)
    except (TypeError, ValueError):
        values = None
    if (
        not values
        or not all(isinstance(q, numbers.Real) for q in quantiles)
        or not all(0.0 < q < 1.0 for q in values)
    ):
        raise ValueError(
            f"{name} expected quantiles as a non-empty sequence of floats "
            f"strictly between 0 and 1, e.g. (0.05, 0.5, 0.95); got "
            f"{quantiles!r}."
        )
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(
            f"{name} expected quantiles sorted in increasing order without "
            f"repeats; got {quantiles!r}. Pass {tuple(sorted(set(values)))!r}."
        )
    if need_median and 0.5 not in values:
        raise ValueError(
            f"{name} expected 0.5 among the quantiles, the median that predict "
            f"returns; got {quantiles!r}. Add 0.5, e.g. "
            f"{tuple(sorted({*values, 0.5}))!r}."
        )
    return values


def monotone_quantiles(raw, n_quantiles, xp):
    """Sorted quantiles from a head's raw output, for NumPy or ``keras.ops``.

    ``raw`` has shape ``(n_samples, n_outputs * n_quantiles)``, output-major;
    the result has shape ``(n_samples, n_outputs, n_quantiles)``: the first
    value of each output, then that value plus the cumulative softplus of the
    others.
    """
    raw = xp.reshape(raw, (-1, raw.shape[-1] // n_quantiles, n_quantiles))
    if n_quantiles == 1:
        return raw
    if xp is np:
        gaps = np.logaddexp(0.0, raw[..., 1:]).astype(raw.dtype)
    else:
        gaps = ops.softplus(raw[..., 1:])
    return xp.concatenate(
        [raw[..., :1], raw[..., :1] + xp.cumsum(gaps, axis=-1)], axis=-1
    )


@keras.saving.register_keras_serializable(package="sklstm")
class MonotoneQuantiles(layers.Layer):
    """Turn a head's raw output into sorted quantiles, per output.

    Input ``(batch, n_outputs * n_quantiles)``; output ``(batch, n_outputs,
    n_quantiles)``: a base value (the lowest quantile) plus softplus
    increments, so quantile ``k + 1`` exceeds quantile ``k`` for every input.

    Parameters
    ----------
    n_quantiles : int
        Quantiles per output.
    **kwargs : dict
        Arguments of :class:`keras.layers.Layer`, e.g. ``name``.
    """

    def __init__(self, n_quantiles, **kwargs):
        super().__init__(**kwargs)
        self.n_quantiles = int(n_quantiles)

    def call(self, inputs):
        return monotone_quantiles(inputs, self.n_quantiles, ops)

    def compute_output_shape(self, input_shape):
        q = self.n_quantiles
        return (input_shape[0], input_shape[-1] // q, q)

    def get_config(self):
        return {**super().get_config(), "n_quantiles": self.n_quantiles}


@keras.saving.register_keras_serializable(package="sklstm")
class PinballLoss(keras.losses.Loss):
    """The pinball (quantile) loss, averaged over outputs and quantiles.

    For a target ``y`` of shape ``(batch, n_outputs)`` and predictions ``q``
    of shape ``(batch, n_outputs, n_quantiles)``, the loss of one sample is
    the mean over outputs and levels ``tau`` of
    ``max(tau * (y - q), (tau - 1) * (y - q))``.

    Parameters
    ----------
    quantiles : sequence of float
        The levels ``tau``, in the order of the network's quantiles.
    **kwargs : dict
        Arguments of :class:`keras.losses.Loss`, e.g. ``name``.
    """

    def __init__(self, quantiles, name="pinball", **kwargs):
        super().__init__(name=name, **kwargs)
        self.quantiles = tuple(float(q) for q in quantiles)

    def call(self, y_true, y_pred):
        y_true = ops.reshape(y_true, (-1, y_pred.shape[1], 1))
        tau = ops.convert_to_tensor(self.quantiles, dtype=y_pred.dtype)
        error = ops.cast(y_true, y_pred.dtype) - y_pred
        loss = ops.maximum(tau * error, (tau - 1.0) * error)
        return ops.mean(loss, axis=(1, 2))

    def get_config(self):
        return {**super().get_config(), "quantiles": self.quantiles}
