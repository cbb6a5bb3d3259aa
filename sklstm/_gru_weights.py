"""The weights of a GRU layer, in Keras's layout, and their checks.

:class:`~sklstm.gates.GRUWeights` holds one layer's ``kernel``,
``recurrent_kernel`` and ``bias``, the three gates side by side in the order
``(z, r, h)``, with its activations and Keras's ``reset_after`` convention. It is
public in :mod:`sklstm.gates`, which re-exports it; ``_check_gru_weights`` checks
the ``weights`` argument of the GRU functions. NumPy only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._activations import _activation_name
from ._lstm_weights import _weight_array

Array = NDArray[np.floating]

_LAYOUT_HINT = "Pass the weights in Keras's layout, e.g. GRUWeights.from_keras(layer)."


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class GRUWeights:
    """The weights of one GRU layer, in Keras's layout and gate order.

    The three gates sit side by side in the columns, in the order ``(z, r, h)``:
    update gate, reset gate, candidate state. Column block ``k`` (``k * units``
    to ``(k + 1) * units``) holds gate ``k``. With ``reset_after=True`` (Keras's
    default, the cuDNN-compatible variant) the bias has two rows: row 0 is added
    to the input projection ``x_t W`` and row 1 to the recurrent projection
    ``h_{t-1} U``, so the reset gate can scale the recurrent part of the
    candidate *after* its matrix product. With ``reset_after=False`` there is one
    bias row, added to the input projection. The arrays are copied, converted to
    one floating dtype and made read-only; use :func:`dataclasses.replace` to
    change one.

    Parameters
    ----------
    kernel : array-like of shape (n_features, 3 * units)
        Input weights ``[W_z | W_r | W_h]``.
    recurrent_kernel : array-like of shape (units, 3 * units)
        Recurrent weights ``[U_z | U_r | U_h]``.
    bias : array-like of shape (2, 3 * units) or (3 * units,), or None, \
default=None
        Biases. With ``reset_after=True``, shape ``(2, 3 * units)``: the input
        biases ``[b_z | b_r | b_h]`` in row 0 and the recurrent biases
        ``[rb_z | rb_r | rb_h]`` in row 1, as Keras stores them. With
        ``reset_after=False``, shape ``(3 * units,)``: ``[b_z | b_r | b_h]``.
        None means no bias (a Keras layer with ``use_bias=False``) and is stored
        as zeros of the shape for ``reset_after``.
    activation : str, callable or None, default="tanh"
        Activation ``phi`` of the candidate state. One of 'hard_sigmoid',
        'linear', 'relu', 'sigmoid', 'softplus', 'softsign', 'tanh' (Keras's
        definitions), a Keras activation function of one of these names, or
        None for 'linear'.
    recurrent_activation : str, callable or None, default="sigmoid"
        Activation ``sigma`` of the update and reset gates; same choices.
    reset_after : bool, default=True
        Keras's GRU convention: True (the default of
        :class:`keras.layers.GRU`) applies the reset gate to the recurrent
        projection, ``r_t * (h_{t-1} U_h + rb_h)``; False applies it to the
        state before the product, ``(r_t * h_{t-1}) U_h``.

    Attributes
    ----------
    units : int
        Number of units (the size of ``h``).
    n_features : int
        Number of input features.
    dtype : numpy.dtype
        Floating dtype of the weights.

    See Also
    --------
    GRUWeights.from_keras : Read the weights of a Keras GRU layer.
    GRUWeights.random : Draw weights as Keras initialises a new layer.
    LSTMWeights : The weights of an LSTM layer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import GRUWeights
    >>> w = GRUWeights(np.zeros((4, 9)), np.zeros((3, 9)), np.zeros((2, 9)))
    >>> w
    GRUWeights(n_features=4, units=3, dtype=float64, activation='tanh', \
recurrent_activation='sigmoid', reset_after=True)
    >>> w.bias.shape
    (2, 9)
    """

    kernel: Array
    recurrent_kernel: Array
    bias: Array | None = None
    activation: str = "tanh"
    recurrent_activation: str = "sigmoid"
    reset_after: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.reset_after, bool | np.bool_):
            raise TypeError(
                "GRUWeights expected reset_after to be True or False; got "
                f"{self.reset_after!r}. Pass the layer's reset_after (Keras's "
                "default is True)."
            )
        reset_after = bool(self.reset_after)
        object.__setattr__(self, "reset_after", reset_after)
        kernel, recurrent = (
            _weight_array(getattr(self, name), name, "GRUWeights", _LAYOUT_HINT)
            for name in ("kernel", "recurrent_kernel")
        )
        bias = None
        if self.bias is not None:
            bias = _weight_array(self.bias, "bias", "GRUWeights", _LAYOUT_HINT)

        if (
            recurrent.ndim != 2
            or recurrent.shape[0] < 1
            or (recurrent.shape[1] != 3 * recurrent.shape[0])
        ):
            raise ValueError(
                "GRUWeights expected recurrent_kernel of shape (units, 3 * units) "
                f"with units >= 1; got shape {recurrent.shape}. {_LAYOUT_HINT}"
            )
        units = recurrent.shape[0]
        if kernel.ndim != 2 or kernel.shape[0] < 1 or kernel.shape[1] != 3 * units:
            raise ValueError(
                "GRUWeights expected kernel of shape (n_features, 3 * units) = "
                f"(?, {3 * units}) with recurrent_kernel of shape {recurrent.shape}"
                f"; got kernel of shape {kernel.shape}. {_LAYOUT_HINT}"
            )
        bias_shape: tuple[int, ...]
        if reset_after:
            bias_shape, shown = (2, 3 * units), "(2, 3 * units)"
            other = "a (3 * units,) bias belongs to reset_after=False"
        else:
            bias_shape, shown = (3 * units,), "(3 * units,)"
            other = "a (2, 3 * units) bias belongs to reset_after=True"
        if bias is not None and bias.shape != bias_shape:
            raise ValueError(
                f"GRUWeights expected bias of shape {shown} = {bias_shape} with "
                f"reset_after={reset_after} and recurrent_kernel of shape "
                f"{recurrent.shape}; got bias of shape {bias.shape}. Pass the "
                f"layer's reset_after with its bias ({other})."
            )

        arrays = [kernel, recurrent] + ([] if bias is None else [bias])
        dtype = np.result_type(*arrays)
        if not np.issubdtype(dtype, np.floating):
            dtype = np.dtype(np.float64)
        if bias is None:
            bias = np.zeros(bias_shape, dtype=dtype)
        for name, arr in (
            ("kernel", kernel),
            ("recurrent_kernel", recurrent),
            ("bias", bias),
        ):
            arr = np.array(arr, dtype=dtype, copy=True)
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)
        for name in ("activation", "recurrent_activation"):
            value = _activation_name(getattr(self, name), "GRUWeights", name)
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return (
            f"GRUWeights(n_features={self.n_features}, units={self.units}, "
            f"dtype={self.dtype}, activation={self.activation!r}, "
            f"recurrent_activation={self.recurrent_activation!r}, "
            f"reset_after={self.reset_after})"
        )

    @property
    def units(self) -> int:
        """Number of units, the size of ``h``."""
        return int(self.recurrent_kernel.shape[0])

    @property
    def n_features(self) -> int:
        """Number of input features, the rows of ``kernel``."""
        return int(self.kernel.shape[0])

    @property
    def dtype(self) -> np.dtype[Any]:
        """Floating dtype of the three arrays."""
        return self.kernel.dtype

    @classmethod
    def from_keras(cls, layer: Any) -> GRUWeights:
        """Read the weights and activations of a built Keras GRU layer.

        Keras is not imported: any object with ``get_weights()``, ``units``,
        ``activation``, ``recurrent_activation`` and ``reset_after`` works, such
        as :class:`keras.layers.GRU` or :class:`keras.layers.GRUCell`. A layer
        built with ``use_bias=False`` gets a zero bias.

        Parameters
        ----------
        layer : keras.layers.GRU or keras.layers.GRUCell
            A built layer (called once on data, or inside a built model). For a
            :class:`keras.layers.Bidirectional` wrapper, read each direction:
            ``from_keras(bidi.forward_layer)`` and
            ``from_keras(bidi.backward_layer)``.

        Returns
        -------
        weights : GRUWeights
            Copies of the layer's weights (float32 for a default layer), with its
            activations and ``reset_after``.

        Examples
        --------
        >>> import keras
        >>> import numpy as np
        >>> from sklstm.gates import GRUWeights
        >>> layer = keras.layers.GRU(3)
        >>> _ = layer(np.zeros((1, 5, 4), dtype="float32"))
        >>> GRUWeights.from_keras(layer)
        GRUWeights(n_features=4, units=3, dtype=float32, activation='tanh', \
recurrent_activation='sigmoid', reset_after=True)
        """
        if hasattr(layer, "forward_layer") and hasattr(layer, "backward_layer"):
            raise TypeError(
                "GRUWeights.from_keras expected one GRU layer; got a "
                "Bidirectional wrapper. Read each direction on its own: "
                "GRUWeights.from_keras(layer.forward_layer) and "
                "GRUWeights.from_keras(layer.backward_layer)."
            )
        needed = (
            "get_weights",
            "units",
            "activation",
            "recurrent_activation",
            "reset_after",
        )
        missing = [name for name in needed if not hasattr(layer, name)]
        if missing:
            raise TypeError(
                "GRUWeights.from_keras expected a Keras GRU layer with "
                f"{', '.join(needed)}; got {type(layer).__name__} without "
                f"{', '.join(missing)}. Pass a keras.layers.GRU or GRUCell; read "
                "an LSTM with LSTMWeights.from_keras(layer)."
            )
        arrays = [np.asarray(w) for w in layer.get_weights()]
        if not arrays:
            raise ValueError(
                f"GRUWeights.from_keras expected a built layer; got "
                f"{type(layer).__name__} {getattr(layer, 'name', '')!r} with no "
                "weights yet. Call it once on data of shape (n_samples, "
                "n_timesteps, n_features), or fit its model, first."
            )
        use_bias = bool(getattr(layer, "use_bias", len(arrays) == 3))
        expected = 3 if use_bias else 2
        if len(arrays) != expected:
            raise ValueError(
                f"GRUWeights.from_keras expected {expected} weight arrays (kernel, "
                f"recurrent_kernel{', bias' if use_bias else ''}) from "
                f"{type(layer).__name__}.get_weights(); got {len(arrays)}. Pass a "
                "keras.layers.GRU or GRUCell."
            )
        return cls(
            arrays[0],
            arrays[1],
            arrays[2] if use_bias else None,
            activation=layer.activation,
            recurrent_activation=layer.recurrent_activation,
            reset_after=bool(layer.reset_after),
        )

    @classmethod
    def random(
        cls,
        n_features: int,
        units: int,
        *,
        seed: int | np.random.Generator | None = None,
        dtype: Any = np.float64,
        activation: str = "tanh",
        recurrent_activation: str = "sigmoid",
        reset_after: bool = True,
    ) -> GRUWeights:
        """Draw weights as Keras initialises a new GRU layer.

        The kernel is Glorot-uniform, the recurrent kernel has orthonormal rows,
        and the bias is zero. The values follow Keras's recipe, not its random
        stream.

        Parameters
        ----------
        n_features : int
            Number of input features.
        units : int
            Number of units.
        seed : int, numpy.random.Generator or None, default=None
            Seed of the draw, as for :func:`numpy.random.default_rng`.
        dtype : dtype, default=np.float64
            Floating dtype of the weights.
        activation : str, default="tanh"
            Activation of the candidate state.
        recurrent_activation : str, default="sigmoid"
            Activation of the update and reset gates.
        reset_after : bool, default=True
            Keras's GRU convention; it sets the shape of the bias,
            ``(2, 3 * units)`` or ``(3 * units,)``.

        Returns
        -------
        weights : GRUWeights
            New weights.

        Examples
        --------
        >>> from sklstm.gates import GRUWeights
        >>> w = GRUWeights.random(4, 3, seed=0)
        >>> w.kernel.shape, w.recurrent_kernel.shape, w.bias.shape
        ((4, 9), (3, 9), (2, 9))
        """
        for name, value in (("n_features", n_features), ("units", units)):
            if (
                not isinstance(value, int | np.integer)
                or isinstance(value, bool)
                or value < 1
            ):
                raise ValueError(
                    f"GRUWeights.random expected {name} to be a positive "
                    f"integer; got {value!r}. Pass e.g. {name}=4."
                )
        rng = np.random.default_rng(seed)
        limit = np.sqrt(6 / (n_features + 3 * units))
        kernel = rng.uniform(-limit, limit, size=(n_features, 3 * units))
        q, r = np.linalg.qr(rng.standard_normal((3 * units, units)))
        q *= np.sign(np.diag(r))
        return cls(
            kernel.astype(dtype),
            q.T.astype(dtype),
            None,
            activation=activation,
            recurrent_activation=recurrent_activation,
            reset_after=reset_after,
        )


# Shared by every public function of sklstm.gates that takes a GRUWeights.
def _check_gru_weights(weights: Any, who: str) -> GRUWeights:
    if not isinstance(weights, GRUWeights):
        hint = (
            " An LSTMWeights runs with lstm_step and lstm_forward."
            if type(weights).__name__ == "LSTMWeights"
            else ""
        )
        raise TypeError(
            f"{who} expected weights to be a GRUWeights; got "
            f"{type(weights).__name__}. Build one with GRUWeights(kernel, "
            f"recurrent_kernel, bias) or GRUWeights.from_keras(layer).{hint}"
        )
    return weights
