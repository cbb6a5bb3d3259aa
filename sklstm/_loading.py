"""Loading the safe format: ``sklstm.load`` rebuilds known types from plain data.

The counterpart of :mod:`sklstm._persistence` (``save`` and the closed list of
types). Loading runs no code from the file: only the types of
:data:`sklstm._persistence.SAFE_TYPES` are rebuilt, from JSON and arrays read
without pickle; anything else is refused with a message naming it.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import inspect
from collections import defaultdict

from ._archive import ArchiveError, Reader
from ._frozen import FrozenRegressor, NumpyNetwork
from ._inputs import TargetScaler
from ._persistence import _ATTRIBUTE, FORMAT, FORMAT_VERSION, SAFE_TYPES, _class
from ._validation import is_int
from ._versions import NUMPY_PACKAGES, PACKAGES, check_versions

__all__ = ["load", "thaw"]


def load(path, *, trainable=False):
    """Read an estimator from a safe archive written by :func:`save`.

    Nothing in the file is executed: the JSON description is parsed, arrays
    are read with ``allow_pickle=False``, and only the types of a closed list
    are rebuilt, from plain values. An archive that holds anything else (a
    pickle, an unknown type, an array of the wrong shape or dtype, a missing
    or extra member) or is truncated is refused with a :class:`ValueError`
    that says what is wrong.

    Parameters
    ----------
    path : str, path-like or file object
        The archive.

    trainable : bool, default=False
        False: each sklstm regressor loads as a
        :class:`~sklstm.FrozenRegressor`, which predicts with
        :mod:`sklstm.gates` and imports neither Keras nor TensorFlow. True:
        it loads as the regressor it was saved from, with its Keras network
        rebuilt from the weights (and a fresh optimizer), ready to predict
        or to train on (``warm_start``, ``partial_fit``).

    Returns
    -------
    estimator : estimator
        The estimator or pipeline, fitted as it was saved.

    Warns
    -----
    InconsistentVersionWarning
        When the archive was written under other versions of sklstm,
        scikit-learn, NumPy or pandas (and, with ``trainable=True``, Keras or
        TensorFlow) than those installed; the warning names both.

    See Also
    --------
    save : Write an archive.
    FrozenRegressor : What a regressor loads as by default.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import sklstm
    >>> from sklstm import NaiveRegressor, make_lstm_pipeline, make_supervised
    >>> X, y = make_supervised(np.arange(40.0))
    >>> pipe = make_lstm_pipeline(3, NaiveRegressor()).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "naive.sklstm")
    >>> sklstm.save(pipe, path)
    >>> [name for name, _ in sklstm.load(path).steps]
    ['scaler', 'windower', 'regressor']
    """
    reader = Reader(path)
    description = reader.description
    if not isinstance(description, dict) or description.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not an sklstm archive (no format {FORMAT!r}).")
    version = description.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArchiveError(f"{path} has an invalid format_version {version!r}.")
    if version > FORMAT_VERSION:
        raise ArchiveError(
            f"{path} is an archive of format version {version}, written by a "
            f"newer sklstm; this one reads versions up to {FORMAT_VERSION}. "
            f"Upgrade sklstm to load it."
        )
    node = description.get("estimator")
    versions = description.get("versions")
    if isinstance(versions, dict) and isinstance(node, dict):
        check_versions(
            str(node.get("type", "estimator")).rsplit(".", 1)[-1],
            versions,
            packages=PACKAGES if trainable else NUMPY_PACKAGES,
        )
    estimator = _decode(reader, node, "the estimator", trainable)
    reader.check_all_used()
    return estimator


def _node_type(reader, node, where):
    if not isinstance(node, dict) or not isinstance(node.get("type"), str):
        raise ArchiveError(f"{reader.path}: {where} is not an estimator description.")
    name = node["type"]
    if name not in SAFE_TYPES:
        raise ArchiveError(
            f"{reader.path}: {where} is of type {name!r}, which sklstm does not "
            f"rebuild; refused. The safe format rebuilds only {sorted(SAFE_TYPES)}."
        )
    return name


def _members(reader, node, where, keys):
    missing = [key for key in keys if key not in node]
    if missing:
        raise ArchiveError(f"{reader.path}: {where} lacks {missing}.")
    return [node[key] for key in keys]


def _part(reader, data, where, keys):
    """The members ``keys`` of ``data``, a part of a regressor that must be there."""
    if not isinstance(data, dict):
        raise ArchiveError(f"{reader.path}: {where} is missing.")
    return _members(reader, data, where, keys)


def _decode(reader, node, where, trainable):
    name = _node_type(reader, node, where)
    codec = SAFE_TYPES[name][2]
    where = f"{where} ({name.rsplit('.', 1)[-1]})"
    if codec == "pipeline":
        steps_data, params, state = _members(
            reader, node, where, ["steps", "params", "state"]
        )
        if not isinstance(steps_data, list) or not all(
            isinstance(s, list) and len(s) == 2 and isinstance(s[0], str)
            for s in steps_data
        ):
            raise ArchiveError(f"{reader.path}: {where} has no valid list of steps.")
        steps = [
            (step, _decode(reader, data, f"step {step!r}", trainable))
            for step, data in steps_data
        ]
        params = _decode_dict(reader, params, f"{where} parameters")
        if params.get("memory") is not None:
            raise ArchiveError(f"{reader.path}: {where} has a memory; refused.")
        return _build(reader, name, {**params, "steps": steps}, state, where)
    if codec == "network":
        return _decode_regressor(reader, node, name, where, trainable)
    params, state = _members(reader, node, where, ["params", "state"])
    return _build(
        reader, name, _decode_dict(reader, params, f"{where} parameters"), state, where
    )


def _decode_dict(reader, data, where, trainable=False):
    if not isinstance(data, dict):
        raise ArchiveError(f"{reader.path}: {where} is not a mapping.")
    return {
        key: _decode_value(reader, value, f"{where}[{key!r}]", trainable)
        for key, value in data.items()
    }


def _decode_value(reader, data, where, trainable):
    if isinstance(data, dict) and set(data) == {"__estimator__"}:
        return _decode(reader, data["__estimator__"], where, trainable)
    return reader.decode(data, where)


def _construct(reader, cls, params, where):
    """``cls(**params)``, its parameters validated, or an ArchiveError."""
    accepted = inspect.signature(cls.__init__).parameters
    takes_kwargs = any(p.kind == p.VAR_KEYWORD for p in accepted.values())
    unknown = [key for key in params if key not in accepted and not takes_kwargs]
    if unknown:
        raise ArchiveError(
            f"{reader.path}: {where} has unknown parameter(s) {unknown}."
        )
    try:
        estimator = cls(**params)
        if hasattr(estimator, "_validate_params"):
            estimator._validate_params()
    except (TypeError, ValueError) as exc:
        raise ArchiveError(
            f"{reader.path}: {where} has invalid parameters: {exc}"
        ) from None
    return estimator


def _set_state(reader, estimator, state, where, skip=(), trainable=False):
    state = _decode_dict(reader, state, f"{where} attributes", trainable)
    cls = type(estimator)
    for key, value in state.items():
        if key in skip:
            continue
        if not _ATTRIBUTE.fullmatch(key) or key.startswith("__") or hasattr(cls, key):
            raise ArchiveError(
                f"{reader.path}: {where} sets the attribute {key!r}, which is "
                f"not a fitted attribute; refused."
            )
        setattr(estimator, key, value)
    return estimator


def _build(reader, name, params, state, where, trainable=False):
    estimator = _construct(reader, _class(name), params, where)
    return _set_state(reader, estimator, state, where, trainable=trainable)


def _decode_regressor(reader, node, name, where, trainable):
    if node.get("network", ...) is None:  # an unfitted regressor
        (params,) = _members(reader, node, where, ["params"])
        params = _decode_dict(reader, params, f"{where} parameters")
        frozen = FrozenRegressor(estimator_type=name.rsplit(".", 1)[-1], params=params)
        return thaw(frozen) if trainable else frozen
    keys = ["params", "state", "history", "level", "target_scaler", "network"]
    params, state, history, level, scaler, network = _members(reader, node, where, keys)
    params = _decode_dict(reader, params, f"{where} parameters")
    history = None if history is None else reader.decode(history, f"{where} history")
    if level is not None:
        level = _decode(reader, level, f"{where} level", trainable)
        if type(level).__name__ != "NaiveRegressor":
            raise ArchiveError(
                f"{reader.path}: {where} has a level that is not a NaiveRegressor."
            )
    scaler = _decode_scaler(reader, scaler, where)
    network = _decode_network(reader, network, where)
    frozen = FrozenRegressor(estimator_type=name.rsplit(".", 1)[-1], params=params)
    _set_state(reader, frozen, state, where)
    # The forecast steps of covariates known in advance: the level (and a
    # trainable regressor) read the past steps before them. Archives written
    # before known_future have neither the attribute nor the argument.
    n_future = network.args["future_steps"]
    stored = getattr(frozen, "n_future_steps_", n_future)
    if not is_int(stored, 0) or stored != n_future:
        raise ArchiveError(
            f"{reader.path}: {where} has n_future_steps_={stored!r}, but its "
            f"network reads {n_future} forecast step(s); refused."
        )
    frozen.n_future_steps_ = int(n_future)
    frozen.network_ = network
    frozen.target_scaler_ = scaler
    frozen.level_ = level
    if history is not None:
        frozen.history_ = history
    return thaw(frozen) if trainable else frozen


def _decode_scaler(reader, data, where):
    where = f"{where} target scaling"
    standardize, y_ndim, mean, scale = _part(
        reader, data, where, ["standardize", "y_ndim", "mean", "scale"]
    )
    mean = reader.array(mean, f"{where} mean", kinds="f")
    scale = reader.array(scale, f"{where} scale", kinds="f")
    if (
        not isinstance(standardize, bool)
        or y_ndim not in (1, 2)
        or mean.ndim != 1
        or mean.shape != scale.shape
    ):
        raise ArchiveError(f"{reader.path}: {where} is not valid.")
    scaler = TargetScaler(standardize)
    scaler.y_ndim_, scaler.n_outputs_ = y_ndim, len(mean)
    scaler.mean_, scaler.scale_ = mean, scale
    return scaler


def _decode_network(reader, data, where):
    where = f"{where} network"
    input_shape, n_outputs, args, layers = _part(
        reader, data, where, ["input_shape", "n_outputs", "args", "layers"]
    )
    args = reader.decode(args, f"{where} arguments")
    if not isinstance(args, dict) or not isinstance(layers, list):
        raise ArchiveError(f"{reader.path}: {where} is not valid.")
    decoded = []
    for index, layer in enumerate(layers):
        if not (
            isinstance(layer, dict)
            and isinstance(layer.get("name"), str)
            and isinstance(layer.get("weights"), list)
        ):
            raise ArchiveError(f"{reader.path}: {where} layer {index} is not valid.")
        arrays = [
            reader.array(w, f"{where} layer {layer['name']!r} weight {k}", kinds="f")
            for k, w in enumerate(layer["weights"])
        ]
        decoded.append((layer["name"], arrays))
    try:
        return NumpyNetwork(input_shape, n_outputs, args, decoded)
    except (TypeError, ValueError) as exc:
        raise ArchiveError(
            f"{reader.path}: {where} does not match its weights; refused ({exc})."
        ) from None


def thaw(frozen):
    """The trainable regressor behind a :class:`FrozenRegressor` (imports Keras)."""
    from . import _networks

    name = f"sklstm.{frozen.estimator_type}"
    if name not in SAFE_TYPES or SAFE_TYPES[name][2] != "network":
        raise ValueError(f"FrozenRegressor cannot thaw a {frozen.estimator_type!r}.")
    where = f"the {frozen.estimator_type}"
    reader_path = "the archive"
    cls = _class(name)
    try:
        reg = cls(**(frozen.params or {}))
        reg._validate_params()
    except (TypeError, ValueError) as exc:
        raise ArchiveError(
            f"{reader_path}: {where} has invalid parameters: {exc}"
        ) from None
    if not hasattr(frozen, "network_"):
        return reg  # unfitted, with its parameters
    fitted = {
        key: value
        for key, value in vars(frozen).items()
        if key.endswith("_")
        and key not in ("network_", "history_", "target_scaler_", "level_")
    }
    vars(reg).update(fitted)
    reg.target_scaler_ = frozen.target_scaler_
    reg.level_ = getattr(frozen, "level_", None)
    reg.history_ = defaultdict(list, getattr(frozen, "history_", {}) or {})
    network = frozen.network_
    model = _networks.build_network(
        network.input_shape, n_outputs=network.n_outputs, **network.recorded_args
    )
    weights = dict(network.layers)
    for layer in model.layers:
        if layer.get_weights():
            layer.set_weights(weights[layer.name])
    reg._build_and_compile(train_steps=None, batches_per_epoch=None, network=model)
    reg._network_args = {
        "input_shape": network.input_shape,
        "n_outputs": network.n_outputs,
        **network.recorded_args,
    }
    return reg
