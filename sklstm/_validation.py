"""Shared input checks and messages.

This is the one module that imports scikit-learn's private helpers
(``_fit_context``, ``_param_validation``, ``_check_feature_names_in``, and
``_safe_split`` and ``_check_method_params`` for the folds of a search) or relies
on its private attributes (the ``set_output`` setting), so that a move inside
scikit-learn changes one file. Every estimator of sklstm takes them
from here.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.base import _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import _safe_split
from sklearn.utils.validation import (
    _check_feature_names_in,
    _check_method_params,
    _num_samples,
    check_is_fitted,
    validate_data,
)

__all__ = [
    "HasMethods",
    "Integral",
    "Interval",
    "Real",
    "StrOptions",
    "_check_feature_names_in",
    "_check_method_params",
    "_fit_context",
    "_num_samples",
    "_safe_split",
    "check_is_fitted",
    "check_numeric",
    "check_table",
    "int_at_least",
    "is_int",
    "units_tuple",
    "record_output_setting",
    "validate_data",
]


def is_int(value: Any, minimum: int | None = None) -> bool:
    """Whether ``value`` is an integer (not a bool) of at least ``minimum``.

    ``bool`` is a subclass of ``int`` in Python, so ``isinstance(True, int)``
    holds; a flag is never a count, so it is rejected here.
    """
    return (
        isinstance(value, Integral | np.integer)
        and not isinstance(value, bool | np.bool_)
        and (minimum is None or value >= minimum)
    )


class _IntInterval(Interval):
    """scikit-learn's ``Interval(Integral, ...)``, without accepting bools."""

    def is_satisfied_by(self, val: Any) -> bool:
        return is_int(val) and super().is_satisfied_by(val)


def int_at_least(minimum: int) -> Interval:
    """The parameter constraint "an int (not a bool) >= ``minimum``".

    Use it in ``_parameter_constraints`` wherever a count is expected
    (``window``, ``epochs``, ``batch_size``, ...): scikit-learn's
    ``Interval(Integral, ...)`` lets ``True`` through as 1.
    """
    return _IntInterval(Integral, minimum, None, closed="left")


def units_tuple(owner: Any, units: Any) -> tuple[int, ...]:
    """``units`` as a non-empty tuple of ints >= 1, or a clear error."""
    values = tuple(units) if isinstance(units, tuple | list) else (units,)
    if not values or not all(is_int(u, 1) for u in values):
        raise ValueError(
            f"{_owner_name(owner)} expected units as an int >= 1 or a "
            f"non-empty tuple of them, e.g. 50 or (64, 32); got {units!r}."
        )
    return tuple(int(u) for u in values)


def _owner_name(owner: Any) -> str:
    """The name used in messages: a class name, or a string as given."""
    return owner if isinstance(owner, str) else type(owner).__name__


def check_numeric(owner: Any, X: Any) -> None:
    """Raise a clear error when ``X`` holds columns that are not numbers.

    scikit-learn's own message ("could not convert string to float") names
    neither the estimator nor the offending columns; this one names both.

    Parameters
    ----------
    owner : object or str
        The estimator (or a name) that the message names.
    X : array-like
        The input; pandas DataFrames are checked column by column.

    Raises
    ------
    TypeError
        If any column is neither numeric nor boolean.
    """
    name = _owner_name(owner)
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):
        bad = [
            str(col)
            for col, dtype in dtypes.items()
            if not (is_numeric_dtype(dtype) or is_bool_dtype(dtype))
        ]
        if bad:
            raise TypeError(
                f"{name} expected numeric columns; got non-numeric column(s) "
                f"{bad!r}. Encode or drop them before windowing, e.g. with "
                f"OneHotEncoder or DataFrame.drop(columns=...)."
            )
        return
    if hasattr(X, "__array__") or isinstance(X, list | tuple):
        arr = np.asarray(X)
        if arr.dtype.kind in "OUSVM":
            try:
                arr.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise TypeError(
                    f"{name} expected numeric X; got an array of dtype "
                    f"{arr.dtype} holding values that are not numbers ({exc}). "
                    f"Encode categorical values as numbers before windowing."
                ) from None


def check_table(owner: Any, X: Any) -> None:
    """Raise a clear error unless ``X`` is a 2-D table of rows.

    Parameters
    ----------
    owner : object or str
        The estimator (or a name) that the message names.
    X : array-like
        Expected of shape (n_samples, n_features).

    Raises
    ------
    ValueError
        If ``X`` is 1-D or has more than two dimensions.
    """
    name = _owner_name(owner)
    if hasattr(X, "dtypes"):  # DataFrame (2-D) or Series (1-D)
        ndim = getattr(X, "ndim", 2)
        shape = getattr(X, "shape", None)
    else:
        if not hasattr(X, "__array__") and not isinstance(X, list | tuple):
            return  # leave type errors to scikit-learn's validation
        arr = np.asarray(X, dtype=object if isinstance(X, list | tuple) else None)
        ndim, shape = arr.ndim, arr.shape
    if ndim == 1:
        raise ValueError(
            f"{name} expected X of shape (n_samples, n_features); got a 1-D "
            f"array of shape {shape}. Reshape your data with X.reshape(-1, 1) "
            f"for a single series (or series.to_frame() for a pandas Series)."
        )
    if ndim != 2:
        raise ValueError(
            f"{name} expected X of shape (n_samples, n_features); got an array "
            f"of shape {shape}. Pass the time-ordered table of rows, before "
            f"any windowing."
        )


def record_output_setting(estimator: Any, transform: str | None) -> Any:
    """Record a ``set_output(transform=...)`` setting as scikit-learn does.

    scikit-learn offers ``set_output`` only on transformers that define
    ``get_feature_names_out``; a transformer whose output sometimes has no
    column names (the 3-D windows) still needs the method so that
    ``Pipeline.set_output`` works. This stores the setting where
    scikit-learn's output wrapping reads it and where :func:`~sklearn.base.clone`
    copies it from (``_sklearn_output_config``); output without column names
    is left as it is by that wrapping.

    Parameters
    ----------
    estimator : object
        The transformer.
    transform : {"default", "pandas", "polars"} or None
        The output container; None leaves the setting unchanged.

    Returns
    -------
    estimator : object
        The same transformer.
    """
    if transform is None:
        return estimator
    if not hasattr(estimator, "_sklearn_output_config"):
        estimator._sklearn_output_config = {}
    estimator._sklearn_output_config["transform"] = transform
    return estimator
