"""The safe format: ``save`` estimators as plain data, and the types it knows.

An archive (one zip file, see :mod:`sklstm._archive`) holds a JSON description
of the estimator (its type, its parameters and fitted attributes, nested steps
for a pipeline) and ``.npy`` arrays, plus the versions that wrote it. Loading
runs no code from the file: the description's types are looked up in a closed
list of estimators that sklstm knows how to rebuild (:data:`SAFE_TYPES`), each
is constructed from plain values with its own class, and anything else is
refused. A Keras network is stored as the arguments of
:func:`sklstm._networks.build_network` that the regressor recorded and the
weights of each layer; it loads as a :class:`~sklstm._frozen.FrozenRegressor`
that predicts with :mod:`sklstm.gates` (no Keras), or, on request, as the
trainable regressor with its Keras network rebuilt. Loading lives in
:mod:`sklstm._loading`.

Adding a type: give it an entry in :data:`SAFE_TYPES` (its public module and
name, and whether its state is generic plain data or needs the regressor
codec below) and a round-trip test in ``tests/test_persistence.py``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import importlib
import os
import re
import uuid

from ._archive import Writer
from ._frozen import FrozenRegressor, NumpyNetwork
from ._versions import current_versions

__all__ = ["FORMAT", "FORMAT_VERSION", "SAFE_TYPES", "save"]

#: The name and version of the format, written into every archive.
FORMAT = "sklstm-safe-archive"
FORMAT_VERSION = 1

#: The closed list of types the safe format stores and rebuilds:
#: ``{name in the archive: (module, class name, codec)}``. "plain" types are
#: rebuilt from their parameters and their other instance attributes, all
#: plain data; "pipeline" from its steps; "network" are the sklstm regressors
#: with a Keras network.
SAFE_TYPES = {
    "sklearn.pipeline.Pipeline": ("sklearn.pipeline", "Pipeline", "pipeline"),
    "sklearn.preprocessing.StandardScaler": (
        "sklearn.preprocessing",
        "StandardScaler",
        "plain",
    ),
    "sklearn.preprocessing.MinMaxScaler": (
        "sklearn.preprocessing",
        "MinMaxScaler",
        "plain",
    ),
    "sklearn.preprocessing.RobustScaler": (
        "sklearn.preprocessing",
        "RobustScaler",
        "plain",
    ),
    "sklearn.preprocessing.MaxAbsScaler": (
        "sklearn.preprocessing",
        "MaxAbsScaler",
        "plain",
    ),
    "sklearn.linear_model.Ridge": ("sklearn.linear_model", "Ridge", "plain"),
    "sklearn.linear_model.LinearRegression": (
        "sklearn.linear_model",
        "LinearRegression",
        "plain",
    ),
    "sklstm.SequenceWindower": ("sklstm", "SequenceWindower", "plain"),
    "sklstm.NaiveRegressor": ("sklstm", "NaiveRegressor", "plain"),
    "sklstm.ConformalForecaster": ("sklstm", "ConformalForecaster", "plain"),
    "sklstm.SeriesScaler": ("sklstm", "SeriesScaler", "plain"),
    "sklstm.SeriesScaledRegressor": ("sklstm", "SeriesScaledRegressor", "plain"),
    "sklstm.LSTMRegressor": ("sklstm", "LSTMRegressor", "network"),
    "sklstm.StackedLSTMRegressor": ("sklstm", "StackedLSTMRegressor", "network"),
    "sklstm.BiLSTMRegressor": ("sklstm", "BiLSTMRegressor", "network"),
}

#: Attributes of a fitted sklstm regressor that are not stored as they are:
#: rebuilt (the network, target scaling, level, history) or made afresh by
#: the constructor and compile (SciKeras's bookkeeping, the callbacks).
_REGRESSOR_SPECIAL = {
    "model_",
    "target_scaler_",
    "level_",
    "history_",
    "_network_args",
    "_user_params",
    "_fit_callbacks",
    "_predict_callbacks",
}

_ATTRIBUTE = re.compile(r"_?[A-Za-z][A-Za-z0-9_]*")


def _class(name):
    module, attribute, _ = SAFE_TYPES[name]
    return getattr(importlib.import_module(module), attribute)


def _type_name(estimator):
    """The archive name of ``estimator``'s type, if it is in the closed list."""
    cls = type(estimator)
    if cls is FrozenRegressor:
        name = f"sklstm.{estimator.estimator_type}"
        if SAFE_TYPES.get(name, (None, None, None))[2] == "network":
            return name
    for name, (_, attribute, _) in SAFE_TYPES.items():
        if cls.__name__ == attribute and _class(name) is cls:
            return name
    if cls.__name__ == "SequenceRegressor" and cls.__module__.startswith("sklstm."):
        raise TypeError(
            "sklstm.save cannot store a SequenceRegressor: its network is your "
            "own function's, which the safe format could only rebuild by "
            "running code. Save it with pickle or joblib (for files you trust "
            "only), or use LSTMRegressor, StackedLSTMRegressor or "
            "BiLSTMRegressor."
        )
    raise TypeError(
        f"sklstm.save cannot store a {cls.__module__}.{cls.__qualname__}: the "
        f"safe format rebuilds only the types it knows, "
        f"{sorted(SAFE_TYPES)}. Save it with pickle or joblib (for files you "
        f"trust only)."
    )


# --- writing -------------------------------------------------------------------


def save(estimator, path):
    """Write a fitted estimator to a safe archive: plain data, no code.

    The archive (one zip file) holds a JSON description of the estimator (or
    pipeline): types, parameters and fitted attributes, the versions of
    sklstm and the packages it builds on, and NumPy arrays (scaler statistics,
    the windower's memory, network weights, target scaling). Loading it with
    :func:`load` runs no code from the file, and needs neither Keras nor
    TensorFlow to predict.

    Parameters
    ----------
    estimator : estimator
        A :class:`~sklearn.pipeline.Pipeline` or single estimator made of the
        types the format knows: :class:`~sklstm.LSTMRegressor`,
        :class:`~sklstm.StackedLSTMRegressor`, :class:`~sklstm.BiLSTMRegressor`
        (quantile heads and ``known_future=True`` included),
        :class:`~sklstm.ConformalForecaster`,
        :class:`~sklstm.SeriesScaledRegressor`, :class:`~sklstm.SeriesScaler`,
        :class:`~sklstm.NaiveRegressor`,
        :class:`~sklstm.SequenceWindower`, scikit-learn's ``StandardScaler``,
        ``MinMaxScaler``, ``RobustScaler``, ``MaxAbsScaler``, ``Ridge`` and
        ``LinearRegression``. Parameters must be plain data (e.g.
        ``callbacks=None``, an optimizer by name).

    path : str or path-like
        The file to write (``.sklstm`` by convention). It is replaced only
        once the archive is complete.

    Returns
    -------
    None
        The archive is written to ``path``.

    Raises
    ------
    TypeError
        If the estimator, a step, a parameter or a fitted attribute is not
        something the format can store; the message names it.

    See Also
    --------
    load : Read the archive back.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import sklstm
    >>> from sklstm import NaiveRegressor, make_lstm_pipeline, make_supervised
    >>> X, y = make_supervised(np.sin(np.arange(60) / 4), horizon=2)
    >>> pipe = make_lstm_pipeline(6, NaiveRegressor()).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "naive.sklstm")
    >>> sklstm.save(pipe, path)
    >>> loaded = sklstm.load(path)
    >>> bool(np.allclose(loaded.predict(X), pipe.predict(X)))
    True
    """
    writer = Writer()
    node = _encode(estimator, writer, "the estimator")
    description = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "versions": current_versions(),
        "estimator": node,
    }
    if not isinstance(path, str | os.PathLike):
        writer.write(path, description)  # a file object
        return
    path = os.fspath(path)
    partial = f"{path}.{uuid.uuid4().hex[:12]}.part"  # next to it: same disk
    try:
        with open(partial, "xb") as file:
            writer.write(file, description)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _encode(estimator, writer, where):
    name = _type_name(estimator)
    codec = SAFE_TYPES[name][2]
    where = f"{where} ({type(estimator).__name__})"
    if codec == "pipeline":
        return _encode_pipeline(estimator, writer, where, name)
    if codec == "network":
        return _encode_regressor(estimator, writer, where, name)
    params = estimator.get_params(deep=False)
    state = {k: v for k, v in vars(estimator).items() if k not in params}
    return {
        "type": name,
        "params": _encode_params(params, writer, where),
        "state": _encode_state(state, writer, where),
    }


def _is_estimator(value):
    return hasattr(value, "get_params") and not isinstance(value, type)


def _encode_value(value, writer, where):
    """Plain data, or an estimator (e.g. a wrapper's) as a nested description."""
    if _is_estimator(value):
        return {"__estimator__": _encode(value, writer, where)}
    return writer.encode(value, where)


def _encode_params(params, writer, where):
    return {
        key: _encode_value(value, writer, f"{where} parameter {key!r}")
        for key, value in params.items()
    }


def _encode_state(state, writer, where):
    return {
        key: _encode_value(value, writer, f"{where} attribute {key!r}")
        for key, value in state.items()
    }


def _encode_pipeline(pipeline, writer, where, name):
    params = pipeline.get_params(deep=False)
    if params.get("memory") is not None:
        raise TypeError(
            f"sklstm.save cannot store {where} with memory={params['memory']!r}: "
            f"a cache directory is not part of a model. Set memory=None first."
        )
    steps = []
    for step_name, step in pipeline.steps:
        if step is None or isinstance(step, str):
            raise TypeError(
                f"sklstm.save cannot store the step {step_name!r}={step!r}."
            )
        steps.append([step_name, _encode(step, writer, f"step {step_name!r}")])
    params = {k: v for k, v in params.items() if k != "steps"}
    state = {
        k: v for k, v in vars(pipeline).items() if k not in params and k != "steps"
    }
    return {
        "type": name,
        "steps": steps,
        "params": _encode_params(params, writer, where),
        "state": _encode_state(state, writer, where),
    }


def _encode_regressor(reg, writer, where, name):
    frozen = isinstance(reg, FrozenRegressor)
    if not hasattr(reg, "network_" if frozen else "model_"):  # unfitted
        params = reg.params if frozen else reg.get_params(deep=False)
        return {
            "type": name,
            "params": _encode_params(dict(params or {}), writer, where),
            "network": None,
        }
    if frozen:  # saved again: its parts as loaded
        network = reg.network_
        params = dict(reg.params)
        input_shape, n_outputs = network.input_shape, network.n_outputs
        args, layers = network.recorded_args, network.layers
        skip = {"estimator_type", "params", "network_"}
    else:
        args = getattr(reg, "_network_args", None)
        if args is None:
            raise TypeError(
                f"sklstm.save cannot store {where}: it was fitted by a version "
                f"of sklstm that did not record its network's arguments. Refit "
                f"it."
            )
        params = reg.get_params(deep=False)
        args = dict(args)
        input_shape, n_outputs = args.pop("input_shape"), args.pop("n_outputs")
        if not args.get("future_steps", 0):
            # build_network's default: left out, so that an archive of a
            # network without known-future covariates stays readable by the
            # sklstm versions that preceded them.
            args.pop("future_steps", None)
        layers = [
            (layer.name, list(layer.get_weights()))
            for layer in reg.model_.layers
            if layer.get_weights()
        ]
        skip = set()
        try:
            NumpyNetwork(input_shape, n_outputs, args, layers)  # load's checks
        except ValueError as exc:
            raise TypeError(
                f"sklstm.save cannot store {where}: its network is not one the "
                f"safe format can rebuild without Keras ({exc})."
            ) from None
    state = {
        k: v
        for k, v in vars(reg).items()
        if k not in params and k not in _REGRESSOR_SPECIAL and k not in skip
    }
    scaler = reg.target_scaler_
    level = getattr(reg, "level_", None)
    history = getattr(reg, "history_", None)
    if history is not None:
        history = writer.encode(dict(history), f"{where} history_")
    return {
        "type": name,
        "params": _encode_params(params, writer, where),
        "state": _encode_state(state, writer, where),
        "history": history,
        "level": None if level is None else _encode(level, writer, f"{where} level_"),
        "target_scaler": {
            "standardize": bool(scaler.standardize),
            "y_ndim": int(scaler.y_ndim_),
            "mean": writer.encode(scaler.mean_, f"{where} target mean"),
            "scale": writer.encode(scaler.scale_, f"{where} target scale"),
        },
        "network": {
            "input_shape": [int(d) for d in input_shape],
            "n_outputs": int(n_outputs),
            "args": writer.encode(args, f"{where} network argument"),
            "layers": [
                {
                    "name": layer_name,
                    "weights": [writer.encode(w, f"{where} weights") for w in weights],
                }
                for layer_name, weights in layers
            ],
        },
    }


# --- reading -------------------------------------------------------------------
