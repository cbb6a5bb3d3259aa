"""A fitted sklstm network in NumPy: what a safe archive loads without Keras.

:class:`NumpyNetwork` is a network of :func:`sklstm._networks.build_network`
described by the arguments it was built with and its weights, layer by layer
(forecast steps of covariates known in advance included, through the
Keras-free arithmetic of :mod:`sklstm._known_future`);
it checks every weight's shape against those arguments and computes the
network's output with :mod:`sklstm.gates` (the same steps as
:mod:`sklstm._numpy_bridge`, which reads a Keras model instead).
:class:`FrozenRegressor` is the regressor around it: the fitted attributes,
the target scaling and the level of the regressor it was saved from, and
``predict``. Neither imports Keras or TensorFlow.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from . import gates
from ._activations import _ACTIVATIONS
from ._inputs import validate_windows
from ._known_future import future_inputs, future_term
from ._levels import (
    in_units,
    quantiles_in_units,
    relative_window,
    skip_inputs,
    window_spread,
)
from ._validation import check_is_fitted, is_int

__all__ = ["NETWORK_ARGS", "FrozenRegressor", "NumpyNetwork"]

#: The arguments of build_network that a saved network may have, with the
#: defaults build_network gives them. Others are refused: the NumPy forward
#: pass would not know what they do. (``dropout``, ``recurrent_dropout`` and
#: ``unit_forget_bias`` act in training only.)
NETWORK_ARGS = {
    "cell": "lstm",
    "units": (50,),
    "bidirectional": False,
    "merge_mode": "concat",
    "activation": "tanh",
    "recurrent_activation": "sigmoid",
    "dropout": 0.0,
    "recurrent_dropout": 0.0,
    "mask_missing": True,
    "linear_skip": None,
    "relative": False,
    "quantiles": None,
    "reset_after": True,
    "use_bias": True,
    "unit_forget_bias": True,
    "future_steps": 0,
    "scaled": False,
    "static": (),
}

_GATES = {"lstm": 4, "gru": 3}
_MERGE_MODES = ("concat", "sum", "mul", "ave")


def _bool(value):
    return isinstance(value, bool | np.bool_)


def network_args(args):
    """``args`` with build_network's defaults filled in, checked; or ValueError."""
    unknown = sorted(set(args) - set(NETWORK_ARGS))
    if unknown:
        raise ValueError(
            f"network argument(s) {unknown} that the safe format does not know; "
            f"it knows {sorted(NETWORK_ARGS)}"
        )
    args = {**NETWORK_ARGS, **args}
    units = args["units"]
    units = tuple(units) if isinstance(units, tuple | list) else (units,)
    problems = []
    if args["cell"] not in _GATES:
        problems.append(f"cell={args['cell']!r} (expected 'lstm' or 'gru')")
    if not units or not all(is_int(u, 1) for u in units):
        problems.append(f"units={args['units']!r} (expected ints >= 1)")
    for name in ("activation", "recurrent_activation"):
        if args[name] not in _ACTIVATIONS:
            problems.append(
                f"{name}={args[name]!r} (sklstm.gates computes {sorted(_ACTIVATIONS)})"
            )
    if args["merge_mode"] not in _MERGE_MODES:
        problems.append(f"merge_mode={args['merge_mode']!r}")
    if args["linear_skip"] not in (None, "last", "window", "relative"):
        problems.append(f"linear_skip={args['linear_skip']!r}")
    if not is_int(args["future_steps"], 0):
        problems.append(f"future_steps={args['future_steps']!r} (expected an int >= 0)")
    for name in (
        "bidirectional",
        "mask_missing",
        "relative",
        "scaled",
        "reset_after",
        "use_bias",
    ):
        if not _bool(args[name]):
            problems.append(f"{name}={args[name]!r} (expected True or False)")
    quantiles = args["quantiles"]
    if quantiles is not None:
        values = list(quantiles) if isinstance(quantiles, tuple | list) else []
        if not (
            values
            and all(isinstance(q, float | int) and not _bool(q) for q in values)
            and all(0 < q < 1 for q in values)
            and all(a < b for a, b in zip(values, values[1:], strict=False))
            and 0.5 in values
        ):
            problems.append(
                f"quantiles={quantiles!r} (expected increasing levels in (0, 1) "
                f"with 0.5 among them)"
            )
        else:
            quantiles = tuple(float(q) for q in values)
    static = args["static"]
    if not isinstance(static, tuple | list) or not all(is_int(f, 0) for f in static):
        problems.append(f"static={static!r} (expected feature indices >= 0)")
    if problems:
        raise ValueError(f"invalid network argument(s): {', '.join(problems)}")
    return {
        **args,
        "static": tuple(int(f) for f in static),
        "units": tuple(int(u) for u in units),
        "quantiles": quantiles,
        "future_steps": int(args["future_steps"]),
    }


def expected_layers(input_shape, n_outputs, args):
    """The weighted layers of the network, ``[(name, [shape, ...]), ...]``.

    The recurrent layers first to last, then the head, then (with
    ``future_steps``) the two Dense layers that read the forecast steps,
    ``future_hidden`` and ``future_head``; each with the shapes of its Keras
    layer's ``get_weights()``. A bidirectional layer lists its forward
    direction's weights, then its backward direction's.
    """
    steps, n_features = input_shape
    n_future = args["future_steps"]
    if n_future and n_future != n_outputs:
        raise ValueError(
            f"future_steps={n_future} for n_outputs={n_outputs} (build_network "
            f"makes one forecast step per output)"
        )
    if n_future >= steps:
        raise ValueError(
            f"future_steps={n_future} for windows of {steps} step(s) (expected "
            f"at least one past step before the forecast steps)"
        )
    steps -= n_future  # the recurrent layers and the skip read the past only
    cell, units = args["cell"], args["units"]
    k = _GATES[cell]
    if not args["use_bias"]:
        bias = []
    elif cell == "gru" and args["reset_after"]:
        bias = [(2, None)]
    else:
        bias = [(None,)]
    directions = 2 if args["bidirectional"] else 1
    widen = directions if args["merge_mode"] == "concat" else 1
    layers, width = [], n_features
    for index, u in enumerate(units):
        shapes = [(width, k * u), (u, k * u)] + [
            tuple(k * u if d is None else d for d in shape) for shape in bias
        ]
        name = f"bidirectional_{index}" if args["bidirectional"] else f"{cell}_{index}"
        layers.append((name, shapes * directions))
        width = u * widen
    skip = {None: 0, "last": n_features, "window": steps * n_features}
    skip["relative"] = skip["window"]
    width += skip[args["linear_skip"]]
    head = n_outputs * (1 if args["quantiles"] is None else len(args["quantiles"]))
    layers.append(("head", [(width, head), (head,)]))
    if n_future:
        known, hidden = n_future * n_features, units[-1]
        layers.append(("future_hidden", [(width + known, hidden), (hidden,)]))
        layers.append(("future_head", [(hidden + known, head), (head,)]))
    return layers


def check_layers(input_shape, n_outputs, args, layers):
    """Raise ValueError unless ``layers`` (``[(name, [array, ...])]``) fit."""
    expected = dict(expected_layers(input_shape, n_outputs, args))
    names = [name for name, _ in layers]
    # By name: Keras lists a functional model's layers in an order of its own
    # (the future layers among the others); the forward pass looks them up by name.
    if len(set(names)) != len(names) or set(names) != set(expected):
        raise ValueError(
            f"the network's weighted layers are {names}; its arguments give "
            f"{list(expected)}"
        )
    for name, arrays in layers:
        shapes = expected[name]
        got = [tuple(np.shape(a)) for a in arrays]
        if got != shapes:
            raise ValueError(
                f"layer {name!r} has weights of shapes {got}; the network's "
                f"arguments give {shapes}"
            )
        for array in arrays:
            if not np.issubdtype(np.asarray(array).dtype, np.floating):
                raise ValueError(
                    f"layer {name!r} has weights of dtype "
                    f"{np.asarray(array).dtype}; expected floats"
                )


def window_spread_np(x):
    """Each window's spread per feature (:func:`sklstm._levels.window_spread`)."""
    return window_spread(x, np)


def last_observed(x):
    """Each window's last step with no NaN, per feature (zeros if none).

    The NumPy twin of :func:`sklstm._networks.last_observed`, which needs Keras
    to import.
    """
    observed = ~np.isnan(x).any(axis=-1)
    position = np.arange(x.shape[1])
    last = np.max(np.where(observed, position, -1), axis=1)
    pick = position[None, :] == last[:, None]
    filled = np.where(np.isnan(x), 0, x)
    return np.sum(np.where(pick[:, :, None], filled, 0), axis=1).astype(x.dtype)


class NumpyNetwork:
    """A network of ``build_network``: its arguments, weights and forward pass.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_timesteps, n_features)``.
    n_outputs : int
        Width of the head.
    args : dict
        The arguments of :func:`sklstm._networks.build_network`.
    layers : list of (str, list of ndarray)
        Each weighted layer's name and ``get_weights()``, in model order.
    """

    def __init__(self, input_shape, n_outputs, args, layers):
        if not (
            isinstance(input_shape, tuple | list)
            and len(input_shape) == 2
            and all(is_int(d, 1) for d in input_shape)
        ):
            raise ValueError(f"invalid input_shape {input_shape!r}")
        if not is_int(n_outputs, 1):
            raise ValueError(f"invalid n_outputs {n_outputs!r}")
        self.input_shape = tuple(int(d) for d in input_shape)
        self.n_outputs = int(n_outputs)
        self.recorded_args = dict(args)  # as given to build_network
        self.args = network_args(args)  # with its defaults, for the forward pass
        self.layers = [
            (name, [np.asarray(a) for a in arrays]) for name, arrays in layers
        ]
        check_layers(self.input_shape, self.n_outputs, self.args, self.layers)
        self._by_name = dict(self.layers)
        self._recurrent = [
            self._weights(self._by_name[name])
            for name, _ in expected_layers(self.input_shape, self.n_outputs, self.args)
            if name not in ("head", "future_hidden", "future_head")
        ]

    def _weights(self, arrays):
        args = self.args
        per = len(arrays) // (2 if args["bidirectional"] else 1)
        directions = [arrays[i : i + per] for i in range(0, len(arrays), per)]
        made = []
        for kernel, recurrent, *bias in directions:
            common = {
                "activation": args["activation"],
                "recurrent_activation": args["recurrent_activation"],
            }
            bias = bias[0] if bias else None
            if args["cell"] == "gru":
                made.append(
                    gates.GRUWeights(
                        kernel,
                        recurrent,
                        bias,
                        reset_after=args["reset_after"],
                        **common,
                    )
                )
            else:
                made.append(gates.LSTMWeights(kernel, recurrent, bias, **common))
        return made

    def forward(self, X):
        """The network's output for windows ``X`` (n_samples, steps, features)."""
        X = np.asarray(X, dtype=np.float32)
        args = self.args
        n_future = args["future_steps"]
        if n_future:  # the forecast steps, read beside the state (PastSteps...)
            X, future = X[:, :-n_future], X[:, -n_future:]
            spread = window_spread_np if args.get("scaled") else None
            future = future_inputs(X, future, args["relative"], last_observed, spread)
        x = X
        if args["relative"]:
            spread = window_spread_np(X) if args["scaled"] else None
            x = relative_window(X, last_observed(X), spread, args["static"])
        relative = x  # what the recurrent layers (and a relative skip) read
        mask = None
        if args["mask_missing"]:
            missing = np.isnan(x)
            mask = ~missing.any(axis=-1)
            x = np.where(missing, 0, x).astype(np.float32)
        last = len(self._recurrent) - 1
        for index, weights in enumerate(self._recurrent):
            sequences = index < last
            if args["bidirectional"]:
                x = gates.bidirectional_forward(
                    x,
                    *weights,
                    merge_mode=args["merge_mode"],
                    mask=mask,
                    return_sequences=sequences,
                )
            else:
                forward = (
                    gates.gru_forward if args["cell"] == "gru" else gates.lstm_forward
                )
                x = forward(x, weights[0], mask=mask, return_sequences=sequences)
        if args["linear_skip"] is not None:
            mode = args["linear_skip"]
            skip = skip_inputs(relative if mode == "relative" else X, mode)
            x = np.concatenate([x, skip.astype(X.dtype)], axis=1)
        kernel, bias = self._by_name["head"]
        out = x @ kernel + bias
        if n_future:
            hidden, last = self._by_name["future_hidden"], self._by_name["future_head"]
            out = out + future_term(x, future, hidden, last)
        if args["quantiles"] is not None:
            out = monotone_quantiles(out, len(args["quantiles"]))
        return out


def monotone_quantiles(raw, n_quantiles):
    """Sorted quantiles from a quantile head's raw output, in NumPy.

    The NumPy branch of :func:`sklstm._quantiles.monotone_quantiles` (which
    needs Keras to import): ``(n, n_outputs * n_quantiles)`` to
    ``(n, n_outputs, n_quantiles)``, the lowest quantile and then the
    cumulative softplus gaps.
    """
    raw = raw.reshape(-1, raw.shape[-1] // n_quantiles, n_quantiles)
    if n_quantiles == 1:
        return raw
    gaps = np.logaddexp(0.0, raw[..., 1:]).astype(raw.dtype)
    return np.concatenate([raw[..., :1], raw[..., :1] + np.cumsum(gaps, axis=-1)], -1)


class FrozenRegressor(RegressorMixin, BaseEstimator):
    """A fitted sklstm regressor loaded from a safe archive, predicting in NumPy.

    :func:`sklstm.load` returns it in place of an
    :class:`~sklstm.LSTMRegressor`, :class:`~sklstm.StackedLSTMRegressor` or
    :class:`~sklstm.BiLSTMRegressor`, so that a saved model forecasts without
    importing Keras or TensorFlow: its network runs through
    :mod:`sklstm.gates`, with the same predictions as the regressor it was
    saved from (to float32 round-off). It does not train; :meth:`thaw` (or
    ``sklstm.load(path, trainable=True)``) gives the trainable regressor back.

    Parameters
    ----------
    estimator_type : str or None, default=None
        Name of the regressor it was saved from, e.g. ``"LSTMRegressor"``.
    params : dict or None, default=None
        That regressor's parameters.

    Attributes
    ----------
    network_ : object
        The network: its arguments, weights and NumPy forward pass.
    n_features_in_ : int
        As in the saved regressor: the number of time steps of the windows.
    sequence_shape_ : tuple of int
        ``(n_timesteps, n_features)`` of one window.
    n_outputs_ : int
        Number of outputs.
    n_future_steps_ : int
        How many of the last steps of each window are forecast steps holding
        covariates known in advance (``known_future=True``); 0 otherwise.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns of a 2-D DataFrame ``X`` seen during fit.
        Defined only when the saved regressor had them.
    history_ : dict of str to list of float
        The training history of the saved regressor.
    versions_ : dict of str to str
        Versions of the packages that fitted the saved regressor.

    See Also
    --------
    sklstm.save : Write an estimator to a safe archive.
    sklstm.load : Read one.

    Examples
    --------
    >>> import numpy as np
    >>> import sklstm
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((32, 4, 1))
    >>> reg = sklstm.LSTMRegressor(units=2, epochs=1, random_state=0)
    >>> reg = reg.fit(X, X[:, -1, 0])
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "model.sklstm")
    >>> sklstm.save(reg, path)
    >>> frozen = sklstm.load(path)
    >>> frozen
    FrozenRegressor(estimator_type='LSTMRegressor', params={...})
    >>> bool(np.allclose(frozen.predict(X), reg.predict(X), atol=1e-6))
    True
    """

    def __init__(self, estimator_type=None, params=None):
        self.estimator_type = estimator_type
        self.params = params

    def fit(self, X, y=None, **fit_params):
        """Refuse to train: a frozen regressor predicts only.

        Parameters
        ----------
        X : array-like
            Ignored.
        y : array-like, default=None
            Ignored.
        **fit_params : dict
            Ignored.

        Returns
        -------
        self : object
            Never returns.

        Raises
        ------
        TypeError
            Always. Call :meth:`thaw` first.
        """
        raise TypeError(
            f"FrozenRegressor (a {self.estimator_type} loaded from a safe "
            f"archive) predicts only; it does not train. Load it with "
            f"sklstm.load(path, trainable=True), or call .thaw(), to get the "
            f"trainable {self.estimator_type} back."
        )

    def predict(self, X):
        """Predict the target of each window, with NumPy.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows shaped as in the saved regressor's fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions in the units of ``y``; the median for a quantile
            regressor.
        """
        check_is_fitted(self)
        windows = validate_windows(self, X, reset=False)
        raw = self.network_.forward(windows.to_array())
        return in_units(self, raw, windows, self.network_.args["quantiles"])

    def predict_quantiles(self, X):
        """Predict the quantiles of the target of each window, with NumPy.

        Available when the saved regressor was fitted with ``quantiles``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features)
            Windows shaped as in the saved regressor's fit.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_quantiles) or \
                (n_samples, n_outputs, n_quantiles)
            The quantiles, in the order of ``quantiles``, in the units of
            ``y``.
        """
        check_is_fitted(self)
        if self.network_.args["quantiles"] is None:
            raise ValueError(
                f"FrozenRegressor (a {self.estimator_type} fitted without "
                f"quantiles) has no quantiles to predict."
            )
        windows = validate_windows(self, X, reset=False)
        raw = self.network_.forward(windows.to_array())
        return quantiles_in_units(self, raw, windows)

    @property
    def normalize(self):
        """The ``normalize`` of the regressor it was saved from."""
        return (self.params or {}).get("normalize")

    @property
    def quantiles(self):
        """The ``quantiles`` of the regressor it was saved from, or None."""
        return (self.params or {}).get("quantiles")

    def thaw(self):
        """The trainable regressor, with Keras: the network rebuilt from its weights.

        Imports Keras and TensorFlow. The optimizer starts afresh: its state
        (e.g. Adam's moments) is not saved.

        Returns
        -------
        estimator : LSTMRegressor, StackedLSTMRegressor or BiLSTMRegressor
            The regressor, fitted and predicting as this one does (unfitted,
            with the same parameters, if this one is).
        """
        from ._loading import thaw

        return thaw(self)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        tags.target_tags.multi_output = True
        tags.non_deterministic = False
        return tags
