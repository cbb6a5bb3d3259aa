"""The LSTM cell in NumPy, gate by gate, numerically equal to Keras.

This module is the LSTM of :class:`keras.layers.LSTM` written out in NumPy: one
function per gate, one step, a whole sequence (with masking, initial states and
``go_backwards``), the :class:`keras.layers.Bidirectional` wrapper, and
backpropagation through time. It reads the weights of a fitted Keras layer and
reproduces its outputs to float32 round-off, so a model can be inspected, taught
and run without TensorFlow. It imports NumPy only.

For one time step, with the row-vector convention of Keras (``x_t`` has shape
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
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "GateWeights",
    "LSTMGates",
    "LSTMGradients",
    "LSTMWeights",
    "bidirectional_forward",
    "candidate",
    "cell_update",
    "forget_gate",
    "hidden_state",
    "input_gate",
    "lstm_backward",
    "lstm_forward",
    "lstm_step",
    "output_gate",
    "sigmoid",
]

Array = NDArray[np.floating]

_LAYOUT_HINT = "Pass the weights in Keras's layout, e.g. LSTMWeights.from_keras(layer)."


# --------------------------------------------------------------------------
# Activations, with Keras's definitions, and their derivatives.
# --------------------------------------------------------------------------


def _as_float(x: ArrayLike) -> Array:
    """Return ``x`` as a floating array (integers and booleans become float64)."""
    arr = np.asarray(x)
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def sigmoid(x: ArrayLike) -> Array:
    """Logistic sigmoid, ``1 / (1 + exp(-x))``, safe for large ``|x|``.

    Parameters
    ----------
    x : array-like
        Input values. Integer input is computed in float64; float32 stays float32.

    Returns
    -------
    s : ndarray
        Values in ``[0, 1]``, of the shape and floating dtype of ``x``.

    Notes
    -----
    For ``x`` far below zero, ``exp(-x)`` overflows to infinity and the result
    is exactly 0 (the overflow, and any underflow, is expected and silenced);
    for ``x`` far above zero the result is exactly 1. In between, the formula
    keeps full relative precision in both tails, unlike
    ``0.5 * (1 + tanh(x / 2))``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.gates import sigmoid
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    x = _as_float(x)
    with np.errstate(over="ignore", under="ignore"):
        return 1 / (1 + np.exp(-x))


def _sigmoid_unchecked(x: Array) -> Array:
    # The caller silences overflow and underflow (np.errstate) around its loop.
    return 1 / (1 + np.exp(-x))


def _hard_sigmoid(x: Array) -> Array:
    # Keras 3: relu6(x + 3) / 6, i.e. 0 below -3, 1 above 3, x / 6 + 0.5 between.
    return np.clip(x + 3, 0, 6) / 6


def _relu(x: Array) -> Array:
    return np.maximum(x, 0)


def _linear(x: Array) -> Array:
    return x.copy()


def _softsign(x: Array) -> Array:
    return x / (1 + np.abs(x))


def _softplus(x: Array) -> Array:
    return np.logaddexp(0, x)


def _d_sigmoid(z: Array, a: Array) -> Array:
    return a * (1 - a)


def _d_tanh(z: Array, a: Array) -> Array:
    return 1 - a * a


def _d_hard_sigmoid(z: Array, a: Array) -> Array:
    # TensorFlow's gradient of relu6 is 1 strictly inside (0, 6), else 0.
    y = z + 3
    return ((y > 0) & (y < 6)).astype(z.dtype) / 6


def _d_relu(z: Array, a: Array) -> Array:
    return (z > 0).astype(z.dtype)


def _d_linear(z: Array, a: Array) -> Array:
    return np.ones_like(z)


def _d_softsign(z: Array, a: Array) -> Array:
    return 1 / np.square(1 + np.abs(z))


def _d_softplus(z: Array, a: Array) -> Array:
    return _sigmoid_unchecked(z)


class _Activation(NamedTuple):
    fn: Callable[[Array], Array]
    grad: Callable[[Array, Array], Array]


_ACTIVATIONS: dict[str, _Activation] = {
    "tanh": _Activation(np.tanh, _d_tanh),
    "sigmoid": _Activation(_sigmoid_unchecked, _d_sigmoid),
    "hard_sigmoid": _Activation(_hard_sigmoid, _d_hard_sigmoid),
    "relu": _Activation(_relu, _d_relu),
    "linear": _Activation(_linear, _d_linear),
    "softsign": _Activation(_softsign, _d_softsign),
    "softplus": _Activation(_softplus, _d_softplus),
}
_ACTIVATION_NAMES = ", ".join(repr(name) for name in sorted(_ACTIVATIONS))


def _activation_name(value: Any, owner: str, param: str) -> str:
    """Normalise an activation given as a name, None or a Keras function."""
    if value is None:
        return "linear"
    if isinstance(value, str):
        name, shown = value, repr(value)
    elif callable(value):
        name = getattr(value, "__name__", "")
        shown = f"a function named {name!r}"
    else:
        raise TypeError(
            f"{owner} expected {param} to be an activation name such as 'tanh' "
            f"or a Keras activation function; got {value!r}. Pass one of "
            f"{_ACTIVATION_NAMES}."
        )
    if name not in _ACTIVATIONS:
        raise ValueError(
            f"{owner} expected {param} to be one of {_ACTIVATION_NAMES} (Keras's "
            f"definitions); got {shown}. Use one of these activations in the "
            f"Keras layer, or compute the gates yourself from the pre-activations."
        )
    return name


def _apply(name: str, x: Array) -> Array:
    with np.errstate(over="ignore", under="ignore"):
        return _ACTIVATIONS[name].fn(x)


# --------------------------------------------------------------------------
# Weights.
# --------------------------------------------------------------------------


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


def _weight_array(value: Any, name: str) -> Array:
    arr = np.asarray(value)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or arr.dtype == bool
    ):
        raise TypeError(
            f"LSTMWeights expected {name} to hold real numbers; got an array of "
            f"dtype {arr.dtype}. {_LAYOUT_HINT}"
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
            if not isinstance(value, int | np.integer) or value < 1:
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


# --------------------------------------------------------------------------
# Input checks shared by the public functions.
# --------------------------------------------------------------------------


def _check_weights(weights: Any, who: str) -> LSTMWeights:
    if not isinstance(weights, LSTMWeights):
        raise TypeError(
            f"{who} expected weights to be an LSTMWeights; got "
            f"{type(weights).__name__}. Build one with LSTMWeights(kernel, "
            "recurrent_kernel, bias) or LSTMWeights.from_keras(layer)."
        )
    return weights


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
# A step, a sequence, both directions.
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


class _Trace(NamedTuple):
    """What the forward pass keeps for backpropagation, time-major."""

    z: Array  # pre-activations (T, n, 4u)
    a: Array  # gate activations (T, n, 4u)
    h_prev: Array  # h_{t-1} (T, n, u)
    c_prev: Array  # c_{t-1} (T, n, u)
    c_new: Array  # unmasked c_t (T, n, u)
    phi_c: Array  # phi(c_t) (T, n, u)


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
    x = _as_float(x)
    if x.ndim != 3 or x.shape[2] != weights.n_features:
        hint = (
            " For a single sequence, add a batch axis: x[np.newaxis]."
            if x.ndim == 2
            else " Pass the features the weights were fitted on."
        )
        raise ValueError(
            f"{who} expected x of shape (n_samples, n_timesteps, n_features) with "
            f"n_features={weights.n_features}, as in the kernel; got shape "
            f"{x.shape}.{hint}"
        )
    n, steps, _ = x.shape
    if steps < 1:
        raise ValueError(
            f"{who} expected x with at least one time step; got shape {x.shape}. "
            "Pass sequences of length >= 1."
        )
    dtype = np.result_type(x.dtype, weights.dtype)
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


_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def bidirectional_forward(
    x: ArrayLike,
    forward_weights: LSTMWeights,
    backward_weights: LSTMWeights,
    *,
    merge_mode: str | None = "concat",
    mask: ArrayLike | None = None,
    return_sequences: bool = False,
) -> Array | tuple[Array, Array]:
    """Run a ``keras.layers.Bidirectional`` LSTM: both directions, then merge.

    The forward layer reads the sequence as given; the backward layer reads it
    from the last step to the first (``go_backwards=True``). With
    ``return_sequences=True`` the backward outputs are flipped back into the
    original time order before merging, and, as Keras forces for both layers,
    the output at a masked step is zero. Without it, each layer gives its last
    output: the forward one after the last step, the backward one after the
    first step.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_timesteps, n_features)
        Input sequences.
    forward_weights : LSTMWeights
        Weights of the forward layer, e.g.
        ``LSTMWeights.from_keras(bidi.forward_layer)``.
    backward_weights : LSTMWeights
        Weights of the backward layer, e.g.
        ``LSTMWeights.from_keras(bidi.backward_layer)``.
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
    >>> from sklstm.gates import LSTMWeights, bidirectional_forward
    >>> fw, bw = LSTMWeights.random(4, 3, seed=0), LSTMWeights.random(4, 3, seed=1)
    >>> x = np.ones((2, 5, 4))
    >>> bidirectional_forward(x, fw, bw).shape
    (2, 6)
    >>> bidirectional_forward(x, fw, bw, merge_mode="sum", return_sequences=True).shape
    (2, 5, 3)
    """
    if merge_mode not in _MERGE_MODES:
        raise ValueError(
            "bidirectional_forward expected merge_mode to be one of 'concat', "
            f"'sum', 'mul', 'ave' or None; got {merge_mode!r}. Use Keras's names "
            "for the merge modes."
        )
    fw = _check_weights(forward_weights, "bidirectional_forward")
    bw = _check_weights(backward_weights, "bidirectional_forward")
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
    y = lstm_forward(x, fw, **kwargs)
    y_rev = lstm_forward(x, bw, go_backwards=True, **kwargs)
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


# --------------------------------------------------------------------------
# Backpropagation through time.
# --------------------------------------------------------------------------


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
