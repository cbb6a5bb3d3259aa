"""The weights of an LSTM layer, in Keras's layout, and their checks.

:class:`~sklstm.gates.LSTMWeights` holds one layer's ``kernel``,
``recurrent_kernel`` and ``bias``, the four gates side by side in the order
``(i, f, c, o)``, with its activations; :class:`~sklstm.gates.GateWeights` is one
gate's view of them. Both are public in :mod:`sklstm.gates`, which re-exports
them. The helpers check the weight arrays and the ``weights`` argument of the
public functions. NumPy only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._activations import _activation_name

Array = NDArray[np.floating]

_LAYOUT_HINT = "Pass the weights in Keras's layout, e.g. LSTMWeights.from_keras(layer)."


class GateWeights(NamedTuple):
    """The weights of one gate: views into the columns of an :class:`LSTMWeights`.

    Parameters
    ----------
    kernel : ndarray of shape (n_features, units)
        Input weights of the gate, ``W`` in the equations.
    recurrent_kernel : ndarray of shape (units, units)
        Recurrent weights of the gate, ``U`` in the equations.
    bias : ndarray of shape (units,)
        Bias of the gate, ``b`` in the equations.
    """

    kernel: Array
    recurrent_kernel: Array
    bias: Array


def _weight_array(
    value: Any, name: str, owner: str = "LSTMWeights", hint: str = _LAYOUT_HINT
) -> Array:
    arr = np.asarray(value)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or arr.dtype == bool
    ):
        raise TypeError(
            f"{owner} expected {name} to hold real numbers; got an array of "
            f"dtype {arr.dtype}. {hint}"
        )
    return arr


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class LSTMWeights:
    """The weights of one LSTM layer, in Keras's layout and gate order.

    The four gates sit side by side in the columns, in the order ``(i, f, c, o)``:
    input gate, forget gate, candidate cell state, output gate. Column block ``k``
    (``k * units`` to ``(k + 1) * units``) holds gate ``k``; the views
    :attr:`input`, :attr:`forget`, :attr:`candidate` and :attr:`output` slice it.
    The arrays are copied, converted to one floating dtype and made read-only;
    use :func:`dataclasses.replace` to change one.

    Parameters
    ----------
    kernel : array-like of shape (n_features, 4 * units)
        Input weights ``[W_i | W_f | W_c | W_o]``.
    recurrent_kernel : array-like of shape (units, 4 * units)
        Recurrent weights ``[U_i | U_f | U_c | U_o]``.
    bias : array-like of shape (4 * units,) or None, default=None
        Biases ``[b_i | b_f | b_c | b_o]``. None means no bias (a Keras layer
        with ``use_bias=False``) and is stored as zeros. Keras's
        ``unit_forget_bias=True`` only *initialises* ``b_f`` to one; the layout
        does not change.
    activation : str, callable or None, default="tanh"
        Activation ``phi`` of the candidate and of the cell state in
        ``h_t = o_t * phi(c_t)``. One of 'hard_sigmoid', 'linear', 'relu',
        'sigmoid', 'softplus', 'softsign', 'tanh' (Keras's definitions), a Keras
        activation function of one of these names, or None for 'linear'.
    recurrent_activation : str, callable or None, default="sigmoid"
        Activation ``sigma`` of the input, forget and output gates; same choices.

    Attributes
    ----------
    units : int
        Number of units (the size of ``h`` and ``c``).
    n_features : int
        Number of input features.
    dtype : numpy.dtype
        Floating dtype of the weights.

    See Also
    --------
    LSTMWeights.from_keras : Read the weights of a Keras LSTM layer.
    LSTMWeights.random : Draw weights as Keras initialises a new layer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import LSTMWeights
    >>> w = LSTMWeights(np.zeros((4, 12)), np.zeros((3, 12)), np.zeros(12))
    >>> w
    LSTMWeights(n_features=4, units=3, dtype=float64, activation='tanh', \
recurrent_activation='sigmoid')
    >>> w.forget.kernel.shape
    (4, 3)
    """

    kernel: Array
    recurrent_kernel: Array
    bias: Array | None = None
    activation: str = "tanh"
    recurrent_activation: str = "sigmoid"

    def __post_init__(self) -> None:
        kernel = _weight_array(self.kernel, "kernel")
        recurrent = _weight_array(self.recurrent_kernel, "recurrent_kernel")
        bias = None if self.bias is None else _weight_array(self.bias, "bias")

        if (
            recurrent.ndim != 2
            or recurrent.shape[0] < 1
            or (recurrent.shape[1] != 4 * recurrent.shape[0])
        ):
            raise ValueError(
                "LSTMWeights expected recurrent_kernel of shape (units, 4 * units) "
                f"with units >= 1; got shape {recurrent.shape}. {_LAYOUT_HINT}"
            )
        units = recurrent.shape[0]
        if kernel.ndim != 2 or kernel.shape[0] < 1 or kernel.shape[1] != 4 * units:
            raise ValueError(
                "LSTMWeights expected kernel of shape (n_features, 4 * units) = "
                f"(?, {4 * units}) with recurrent_kernel of shape {recurrent.shape}"
                f"; got kernel of shape {kernel.shape}. {_LAYOUT_HINT}"
            )
        if bias is not None and bias.shape != (4 * units,):
            raise ValueError(
                "LSTMWeights expected bias of shape (4 * units,) = "
                f"({4 * units},) with recurrent_kernel of shape {recurrent.shape}; "
                f"got bias of shape {bias.shape}. {_LAYOUT_HINT}"
            )

        arrays = [kernel, recurrent] + ([] if bias is None else [bias])
        dtype = np.result_type(*arrays)
        if not np.issubdtype(dtype, np.floating):
            dtype = np.dtype(np.float64)
        if bias is None:
            bias = np.zeros(4 * units, dtype=dtype)
        for name, arr in (
            ("kernel", kernel),
            ("recurrent_kernel", recurrent),
            ("bias", bias),
        ):
            arr = np.array(arr, dtype=dtype, copy=True)
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)
        for name in ("activation", "recurrent_activation"):
            value = _activation_name(getattr(self, name), "LSTMWeights", name)
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return (
            f"LSTMWeights(n_features={self.n_features}, units={self.units}, "
            f"dtype={self.dtype}, activation={self.activation!r}, "
            f"recurrent_activation={self.recurrent_activation!r})"
        )

    @property
    def units(self) -> int:
        """Number of units, the size of ``h`` and ``c``."""
        return int(self.recurrent_kernel.shape[0])

    @property
    def n_features(self) -> int:
        """Number of input features, the rows of ``kernel``."""
        return int(self.kernel.shape[0])

    @property
    def dtype(self) -> np.dtype[Any]:
        """Floating dtype of the three arrays."""
        return self.kernel.dtype

    def _gate(self, k: int) -> GateWeights:
        cols = slice(k * self.units, (k + 1) * self.units)
        assert self.bias is not None  # set in __post_init__
        return GateWeights(
            self.kernel[:, cols], self.recurrent_kernel[:, cols], self.bias[cols]
        )

    @property
    def input(self) -> GateWeights:
        """Weights ``(W_i, U_i, b_i)`` of the input gate: column block 0."""
        return self._gate(0)

    @property
    def forget(self) -> GateWeights:
        """Weights ``(W_f, U_f, b_f)`` of the forget gate: column block 1."""
        return self._gate(1)

    @property
    def candidate(self) -> GateWeights:
        """Weights ``(W_c, U_c, b_c)`` of the candidate: column block 2."""
        return self._gate(2)

    @property
    def output(self) -> GateWeights:
        """Weights ``(W_o, U_o, b_o)`` of the output gate: column block 3."""
        return self._gate(3)

    @classmethod
    def from_keras(cls, layer: Any) -> LSTMWeights:
        """Read the weights and activations of a built Keras LSTM layer.

        Keras is not imported: any object with ``get_weights()``, ``units``,
        ``activation`` and ``recurrent_activation`` works, such as
        :class:`keras.layers.LSTM` or :class:`keras.layers.LSTMCell`. A layer
        built with ``use_bias=False`` gets a zero bias.

        Parameters
        ----------
        layer : keras.layers.LSTM or keras.layers.LSTMCell
            A built layer (called once on data, or inside a built model). For a
            :class:`keras.layers.Bidirectional` wrapper, read each direction:
            ``from_keras(bidi.forward_layer)`` and
            ``from_keras(bidi.backward_layer)``.

        Returns
        -------
        weights : LSTMWeights
            Copies of the layer's weights (float32 for a default layer).

        Examples
        --------
        >>> import keras
        >>> import numpy as np
        >>> from sklstm.gates import LSTMWeights
        >>> layer = keras.layers.LSTM(3)
        >>> _ = layer(np.zeros((1, 5, 4), dtype="float32"))
        >>> LSTMWeights.from_keras(layer)
        LSTMWeights(n_features=4, units=3, dtype=float32, activation='tanh', \
recurrent_activation='sigmoid')
        """
        if hasattr(layer, "forward_layer") and hasattr(layer, "backward_layer"):
            raise TypeError(
                "LSTMWeights.from_keras expected one LSTM layer; got a "
                "Bidirectional wrapper. Read each direction on its own: "
                "LSTMWeights.from_keras(layer.forward_layer) and "
                "LSTMWeights.from_keras(layer.backward_layer)."
            )
        if hasattr(layer, "reset_after"):
            raise TypeError(
                "LSTMWeights.from_keras expected an LSTM layer; got "
                f"{type(layer).__name__} {getattr(layer, 'name', '')!r}, which has "
                "reset_after like a GRU. Read a GRU with GRUWeights.from_keras(layer) "
                "and run it with gru_forward."
            )
        needed = ("get_weights", "units", "activation", "recurrent_activation")
        missing = [name for name in needed if not hasattr(layer, name)]
        if missing:
            raise TypeError(
                "LSTMWeights.from_keras expected a Keras LSTM layer with "
                f"{', '.join(needed)}; got {type(layer).__name__} without "
                f"{', '.join(missing)}. Pass a keras.layers.LSTM or LSTMCell."
            )
        arrays = [np.asarray(w) for w in layer.get_weights()]
        if not arrays:
            raise ValueError(
                f"LSTMWeights.from_keras expected a built layer; got "
                f"{type(layer).__name__} {getattr(layer, 'name', '')!r} with no "
                "weights yet. Call it once on data of shape (n_samples, "
                "n_timesteps, n_features), or fit its model, first."
            )
        use_bias = bool(getattr(layer, "use_bias", len(arrays) == 3))
        expected = 3 if use_bias else 2
        if len(arrays) != expected:
            raise ValueError(
                f"LSTMWeights.from_keras expected {expected} weight arrays (kernel, "
                f"recurrent_kernel{', bias' if use_bias else ''}) from "
                f"{type(layer).__name__}.get_weights(); got {len(arrays)}. Pass a "
                "keras.layers.LSTM or LSTMCell."
            )
        return cls(
            arrays[0],
            arrays[1],
            arrays[2] if use_bias else None,
            activation=layer.activation,
            recurrent_activation=layer.recurrent_activation,
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
    ) -> LSTMWeights:
        """Draw weights as Keras initialises a new LSTM layer.

        The kernel is Glorot-uniform, the recurrent kernel has orthonormal rows,
        and the bias is zero except for the forget gate, which is one
        (``unit_forget_bias=True``). The values follow Keras's recipe, not its
        random stream.

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
            Activation of the candidate and the cell state.
        recurrent_activation : str, default="sigmoid"
            Activation of the input, forget and output gates.

        Returns
        -------
        weights : LSTMWeights
            New weights.

        Examples
        --------
        >>> from sklstm.gates import LSTMWeights
        >>> w = LSTMWeights.random(4, 3, seed=0)
        >>> w.kernel.shape, w.recurrent_kernel.shape, w.bias.shape
        ((4, 12), (3, 12), (12,))
        >>> w.forget.bias
        array([1., 1., 1.])
        """
        for name, value in (("n_features", n_features), ("units", units)):
            if (
                not isinstance(value, int | np.integer)
                or isinstance(value, bool)
                or value < 1
            ):
                raise ValueError(
                    f"LSTMWeights.random expected {name} to be a positive "
                    f"integer; got {value!r}. Pass e.g. {name}=4."
                )
        rng = np.random.default_rng(seed)
        limit = np.sqrt(6 / (n_features + 4 * units))
        kernel = rng.uniform(-limit, limit, size=(n_features, 4 * units))
        q, r = np.linalg.qr(rng.standard_normal((4 * units, units)))
        q *= np.sign(np.diag(r))
        bias = np.zeros(4 * units)
        bias[units : 2 * units] = 1.0
        return cls(
            kernel.astype(dtype),
            q.T.astype(dtype),
            bias.astype(dtype),
            activation=activation,
            recurrent_activation=recurrent_activation,
        )


# Shared by every public function of sklstm.gates that takes an LSTMWeights.
def _check_weights(weights: Any, who: str) -> LSTMWeights:
    if not isinstance(weights, LSTMWeights):
        raise TypeError(
            f"{who} expected weights to be an LSTMWeights; got "
            f"{type(weights).__name__}. Build one with LSTMWeights(kernel, "
            "recurrent_kernel, bias) or LSTMWeights.from_keras(layer)."
        )
    return weights
