"""The regressors' parameters: names, routing, suggestions and the checks of fit.

scikit-learn validates types and ranges through ``_parameter_constraints``;
this module holds what those cannot say: which names are parameters at all
(routed ones included), a did-you-mean for a misspelled one, Keras activation
names, and parameters that would make a fitted model unpicklable.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import copy
import difflib
import inspect
import pickle

import keras
import numpy as np
from sklearn.utils import check_random_state

__all__ = [
    "ROUTING_PREFIXES",
    "check_fit_params",
    "check_param_names",
    "constructor_arguments",
    "did_you_mean",
    "seed_of",
    "valid_param_names",
]

#: Prefixes of the routed parameters (``optimizer__learning_rate``, ...).
ROUTING_PREFIXES = (
    "model",
    "compile",
    "optimizer",
    "loss",
    "metrics",
    "fit",
    "predict",
    "callbacks",
)

#: Parameters SciKeras accepts that the regressors do not list.
_SCIKERAS_PARAMS = ("model", "build_fn", "run_eagerly", "validation_batch_size")


def constructor_arguments(frame_locals):
    """The arguments of a regressor's ``__init__``, from its ``locals()``.

    The regressors write out their signature (scikit-learn reads defaults from
    it) and hand everything to the base in one line, instead of repeating every
    name a second time.
    """
    params = {
        name: value
        for name, value in frame_locals.items()
        if name not in ("self", "kwargs", "__class__")
    }
    return {**params, **frame_locals.get("kwargs", {})}


def _without_model(callback):
    """A shallow copy of a Keras callback, without the model it was last set to."""
    if not isinstance(callback, keras.callbacks.Callback):
        return callback
    callback = copy.copy(callback)
    vars(callback).pop("_model", None)
    return callback


def _picklable_or_raise(owner, name, value):
    """Fail early, with a fix, when a parameter would make the model unpicklable."""
    if name == "callbacks" and isinstance(value, list):
        # A callback used before holds that model: pickling it would save it.
        value = [_without_model(callback) for callback in value]
    try:
        pickle.dumps(value)
    except Exception as exc:  # pickle raises several types for the same problem
        raise TypeError(
            f"{type(owner).__name__} expected a picklable {name}, so that the "
            f"fitted estimator can be pickled, cloned into worker processes "
            f"(n_jobs > 1) and saved; got {value!r} ({exc}). Define it as a "
            f"module-level function or a Keras class instead of a lambda or "
            f"a local function."
        ) from None


def did_you_mean(param, valid):
    """A suggestion for a misspelled parameter name, or ``""``."""
    guess = param.replace("_", "__", 1) if "__" not in param else None
    if guess and guess.split("__")[0] in ROUTING_PREFIXES:
        return f" Did you mean {guess!r}?"
    close = difflib.get_close_matches(param, sorted(valid), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def valid_param_names(cls):
    """The parameter names of an estimator class: its signature and SciKeras's."""
    signature = inspect.signature(cls.__init__).parameters.values()
    named = {p.name for p in signature if p.kind == p.KEYWORD_ONLY}
    named |= {p.name for p in signature if p.kind == p.POSITIONAL_OR_KEYWORD}
    return (named - {"self"}) | set(_SCIKERAS_PARAMS)


def check_param_names(owner, names, *, also=()):
    """Fail, with a suggestion, on a name that is neither a parameter nor routed."""
    valid = valid_param_names(type(owner)) | set(also)
    for param in names:
        routed = any(param.startswith(f"{p}__") for p in ROUTING_PREFIXES)
        if not routed and param.split("__")[0] not in valid:
            raise ValueError(
                f"Invalid parameter {param!r} for estimator "
                f"{type(owner).__name__}.{did_you_mean(param, valid)} Valid "
                f"parameters are: {sorted(valid)!r}; routed parameters "
                f"start with one of {', '.join(ROUTING_PREFIXES)} and '__'."
            )


def check_fit_params(owner):
    """Checks of the parameters that need no data, at the start of fit."""
    name = type(owner).__name__
    check_param_names(owner, owner.get_params(deep=False))
    for param in ("activation", "recurrent_activation"):
        value = getattr(owner, param, None)  # a custom network has neither
        if isinstance(value, str):
            try:
                keras.activations.get(value)
            except ValueError:
                raise ValueError(
                    f"{name} expected {param} to be a Keras activation such "
                    f"as 'tanh', 'sigmoid', 'relu', 'hard_sigmoid' or "
                    f"'linear'; got {value!r}."
                ) from None
    for param in ("activation", "recurrent_activation", "loss", "callbacks"):
        _picklable_or_raise(owner, param, getattr(owner, param, None))


def seed_of(random_state):
    """An int seed for Keras from ``random_state`` (None stays None).

    A ``RandomState`` instance gives a seed drawn from it, so that the same
    instance state gives the same seed.
    """
    if random_state is None:
        return None
    if isinstance(random_state, int | np.integer):
        return int(random_state)
    rng = check_random_state(random_state)
    return int(rng.randint(np.iinfo(np.int32).max))
