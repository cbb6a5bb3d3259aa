"""The ``keras.layers.Bidirectional`` wrapper over the NumPy LSTM and GRU.

:func:`~sklstm.gates.bidirectional_forward`, public in :mod:`sklstm.gates`,
which re-exports it. It runs each direction with the forward pass of its
weights' cell (:func:`~sklstm.gates.lstm_forward` for an
:class:`~sklstm.gates.LSTMWeights`, :func:`~sklstm.gates.gru_forward` for a
:class:`~sklstm.gates.GRUWeights`) and merges them. NumPy only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._forward import lstm_forward
from ._gru import gru_forward
from ._gru_weights import GRUWeights
from ._lstm_weights import LSTMWeights

Array = NDArray[np.floating]

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _forward_of(weights: Any, name: str) -> Callable[..., Any]:
    """The forward pass for the cell of ``weights``."""
    if isinstance(weights, LSTMWeights):
        return lstm_forward
    if isinstance(weights, GRUWeights):
        return gru_forward
    raise TypeError(
        f"bidirectional_forward expected {name} to be an LSTMWeights or a "
        f"GRUWeights; got {type(weights).__name__}. Read each direction of the "
        "Keras layer with LSTMWeights.from_keras or GRUWeights.from_keras, e.g. "
        f"from_keras(bidi.{name.replace('_weights', '_layer')})."
    )


def bidirectional_forward(
    x: ArrayLike,
    forward_weights: LSTMWeights | GRUWeights,
    backward_weights: LSTMWeights | GRUWeights,
    *,
    merge_mode: str | None = "concat",
    mask: ArrayLike | None = None,
    return_sequences: bool = False,
) -> Array | tuple[Array, Array]:
    """Run a ``keras.layers.Bidirectional`` LSTM or GRU: both directions, merged.

    The forward layer reads the sequence as given; the backward layer reads it
    from the last step to the first (``go_backwards=True``). With
    ``return_sequences=True`` the backward outputs are flipped back into the
    original time order before merging, and, as Keras forces for both layers,
    the output at a masked step is zero. Without it, each layer gives its last
    output: the forward one after the last step, the backward one after the
    first step. Each direction runs the cell of its weights: an LSTM for an
    :class:`LSTMWeights` (:func:`lstm_forward`), a GRU for a
    :class:`GRUWeights` (:func:`gru_forward`).

    Parameters
    ----------
    x : array-like of shape (n_samples, n_timesteps, n_features)
        Input sequences.
    forward_weights : LSTMWeights or GRUWeights
        Weights of the forward layer, e.g.
        ``LSTMWeights.from_keras(bidi.forward_layer)`` or
        ``GRUWeights.from_keras(bidi.forward_layer)``.
    backward_weights : LSTMWeights or GRUWeights
        Weights of the backward layer, e.g.
        ``LSTMWeights.from_keras(bidi.backward_layer)`` or
        ``GRUWeights.from_keras(bidi.backward_layer)``.
    merge_mode : {"concat", "sum", "mul", "ave"} or None, default="concat"
        How to combine the forward output ``y`` and backward output ``y_rev``:
        ``[y, y_rev]`` on the last axis, ``y + y_rev``, ``y * y_rev``,
        ``(y + y_rev) / 2``, or None to return both.
    mask : array-like of shape (n_samples, n_timesteps) or None, default=None
        True for the steps to use, False for padding; used by both layers.
    return_sequences : bool, default=False
        If True, return the merged outputs of every step.

    Returns
    -------
    output : ndarray or tuple of two ndarrays
        Shape ``(n_samples, [n_timesteps,] 2 * units)`` for "concat",
        ``(n_samples, [n_timesteps,] units)`` for the others, or the tuple
        ``(y, y_rev)`` for ``merge_mode=None``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import GRUWeights, LSTMWeights, bidirectional_forward
    >>> fw, bw = LSTMWeights.random(4, 3, seed=0), LSTMWeights.random(4, 3, seed=1)
    >>> x = np.ones((2, 5, 4))
    >>> bidirectional_forward(x, fw, bw).shape
    (2, 6)
    >>> bidirectional_forward(x, fw, bw, merge_mode="sum", return_sequences=True).shape
    (2, 5, 3)
    >>> fw, bw = GRUWeights.random(4, 3, seed=0), GRUWeights.random(4, 3, seed=1)
    >>> bidirectional_forward(x, fw, bw).shape
    (2, 6)
    """
    if merge_mode not in _MERGE_MODES:
        raise ValueError(
            "bidirectional_forward expected merge_mode to be one of 'concat', "
            f"'sum', 'mul', 'ave' or None; got {merge_mode!r}. Use Keras's names "
            "for the merge modes."
        )
    forward = _forward_of(forward_weights, "forward_weights")
    backward = _forward_of(backward_weights, "backward_weights")
    fw, bw = forward_weights, backward_weights
    if merge_mode in ("sum", "mul", "ave") and fw.units != bw.units:
        raise ValueError(
            f"bidirectional_forward expected both layers to have the same units for "
            f"merge_mode={merge_mode!r}; got {fw.units} forward and {bw.units} "
            "backward. Use merge_mode='concat', or equal units."
        )
    kwargs: dict[str, Any] = {
        "mask": mask,
        "return_sequences": return_sequences,
        "zero_output_for_mask": return_sequences,
    }
    y = forward(x, fw, **kwargs)
    y_rev = backward(x, bw, go_backwards=True, **kwargs)
    assert isinstance(y, np.ndarray) and isinstance(y_rev, np.ndarray)
    if return_sequences:
        y_rev = y_rev[:, ::-1]
    if merge_mode == "concat":
        return np.concatenate([y, y_rev], axis=-1)
    if merge_mode == "sum":
        return y + y_rev
    if merge_mode == "mul":
        return y * y_rev
    if merge_mode == "ave":
        return (y + y_rev) / 2
    return y, np.ascontiguousarray(y_rev)
