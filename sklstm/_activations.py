"""Activations of the LSTM cell, with Keras's definitions, and their derivatives.

The private half of the activations of :mod:`sklstm.gates`, which re-exports
:func:`~sklstm.gates.sigmoid`, the one public activation. Every activation that a
Keras LSTM accepts by name here has a NumPy function ``fn(z)`` and a derivative
``grad(z, a)`` of ``a = fn(z)`` with respect to ``z``, equal to TensorFlow's at
the kinks. ``_activation_name`` normalises what a user or a Keras layer passes
(a name, None or a Keras function) and ``_apply`` evaluates one. NumPy only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.floating]


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
