"""What the regressors receive: windows and targets checked, targets scaled.

:func:`validate_windows` checks ``X`` once and returns it as a
:class:`~sklstm._windows.Windows` value over float32 rows, which training and
prediction then consume without going back to 3-D arrays;
:func:`validate_target` checks ``y``; :class:`TargetScaler` standardises it.
:func:`window_regressor_tags` sets the scikit-learn tags that say so.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import _check_sample_weight, check_consistent_length

from ._validation import check_is_fitted, check_numeric, validate_data
from ._windows import as_windows

__all__ = [
    "TargetScaler",
    "never_observed_message",
    "positive_weights",
    "validate_target",
    "validate_windows",
    "validate_windows_and_target",
    "window_regressor_tags",
]


class TargetScaler:
    """Standardise y per output (when asked) and map predictions back.

    The network then learns a target of mean 0 and unit variance whatever the
    units of y (degrees, MW, ...). Weighted, when fitted with weights.
    """

    def __init__(self, standardize=True, owner="TargetScaler"):
        self.standardize = standardize
        self.owner = owner

    def fit(self, y, sample_weight=None):
        y2d = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        self.y_ndim_ = np.ndim(y)
        self.n_outputs_ = y2d.shape[1]
        if self.standardize:
            with np.errstate(over="ignore", invalid="ignore"):
                self.mean_ = np.average(y2d, axis=0, weights=sample_weight)
                variance = np.average(
                    (y2d - self.mean_) ** 2, axis=0, weights=sample_weight
                )
            scale = np.sqrt(variance)
            self.scale_ = np.where(scale > 0, scale, 1.0)
            if not (np.isfinite(self.mean_).all() and np.isfinite(scale).all()):
                raise ValueError(
                    f"{self.owner} cannot standardize y: its values are too "
                    f"large for float64 arithmetic (largest |y| "
                    f"{np.abs(y2d).max():.3g}), so their mean or standard "
                    f"deviation overflows to infinity. Divide y by a power of "
                    f"ten before fitting (e.g. y / 1e6) and multiply the "
                    f"predictions back."
                )
        else:
            self.mean_ = np.zeros(y2d.shape[1])
            self.scale_ = np.ones(y2d.shape[1])
            largest = np.abs(y2d).max() if y2d.size else 0.0
            if largest > np.finfo(np.float32).max:
                raise ValueError(
                    f"{self.owner} cannot train on y as it is: the network "
                    f"trains in float32, whose largest value is "
                    f"{np.finfo(np.float32).max:.3g}, and |y| reaches "
                    f"{largest:.3g}. Set standardize_target=True, or divide y "
                    f"by a power of ten before fitting."
                )
        return self

    def transform(self, y):
        y2d = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        return ((y2d - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, y):
        y2d = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        y2d = y2d * self.scale_ + self.mean_
        return y2d.reshape(-1) if self.y_ndim_ == 1 else y2d


def validate_windows(owner, X, *, reset):
    """``X`` checked once, as a :class:`Windows` value over float32 rows."""
    name = type(owner).__name__
    check_numeric(owner, X)
    shape = np.shape(X) if hasattr(X, "shape") else np.shape(np.asarray(X))
    if len(shape) not in (2, 3):
        hint = (
            " Reshape your data: a 1-D series needs windowing first, e.g. "
            "with SequenceWindower."
            if len(shape) < 2
            else ""
        )
        raise ValueError(
            f"{name} expected X of shape (n_samples, n_timesteps) or "
            f"(n_samples, n_timesteps, n_features); got shape {shape}.{hint}"
        )
    sequence_shape = tuple(shape[1:]) if len(shape) == 3 else (shape[1], 1)
    if not reset:
        check_is_fitted(owner)
        if sequence_shape != owner.sequence_shape_:
            steps, features = owner.sequence_shape_
            # scikit-learn's phrase, where it holds: its "features" are the
            # second axis, here the time steps.
            sklearn_phrase = (
                f"X has {shape[1]} features, but {name} is expecting "
                f"{owner.n_features_in_} features as input: "
                if shape[1] != owner.n_features_in_
                else ""
            )
            raise ValueError(
                f"{sklearn_phrase}{name} was fitted on windows of {steps} time step(s) "
                f"and {features} feature(s), X of shape (n_samples, "
                f"{steps}, {features}); got X of shape {shape}, windows of "
                f"{sequence_shape[0]} time step(s) and {sequence_shape[1]} "
                f"feature(s). Window the data as in fit."
            )
    X = validate_data(
        owner,
        X,
        reset=reset,
        allow_nd=True,
        dtype=[np.float32, np.float64],
        ensure_all_finite=False,  # checked below, on the rows
    )
    if X.ndim == 2:
        X = X[:, :, np.newaxis]
    # The checks and the cast to float32 work on the rows behind the
    # windows, so a strided view of windows is never materialised.
    windows = as_windows(X)
    with np.errstate(over="ignore"):  # too large for float32: inf, caught here
        windows = windows.with_rows(windows.rows.astype(np.float32, copy=False))
    if np.isinf(windows.rows).any():
        raise ValueError(
            f"Input X contains infinity or a value too large for "
            f"dtype('float32'). {name} masks NaN time steps but cannot "
            f"use infinite ones; replace them with NaN (or finite values) "
            f"first."
        )
    if reset:
        owner.sequence_shape_ = (windows.length, windows.n_features)
        check_observed(owner, windows)
    return windows


def check_observed(owner, windows):
    """Every training window needs one observed step (no NaN)."""
    rows, starts = windows.rows, windows.starts
    observed = np.concatenate([[0], np.cumsum(~np.isnan(rows).any(axis=1))])
    empty = observed[starts + windows.length] == observed[starts]
    if empty.any():
        bad = np.flatnonzero(empty)
        never = np.flatnonzero(np.isnan(rows).all(axis=0))
        if never.size:
            raise ValueError(never_observed_message(owner, never, rows.shape[1]))
        raise ValueError(
            f"{type(owner).__name__} expected every training window to have "
            f"at least one observed time step (a step with no NaN); got "
            f"{bad.size} window(s) with none, at row(s) "
            f"{bad[:5].tolist()}{'...' if bad.size > 5 else ''}. Drop "
            f"those rows (and their targets), or impute the missing "
            f"values before windowing."
        )


def never_observed_message(owner, features, n_features):
    """Why ``features`` are NaN at every step: most often a scaler's overflow."""
    shown = f"{features[:5].tolist()}{'...' if len(features) > 5 else ''}"
    return (
        f"{type(owner).__name__} got windows in which feature(s) {shown} (of "
        f"{n_features}) are NaN at every time step, so no step is observed. "
        f"Most often a scaler before the windower overflowed: values too large "
        f"for float64 arithmetic (near 1e154 or beyond) make StandardScaler's "
        f"variance infinite and its output NaN. Divide those columns by a "
        f"power of ten before the pipeline, or drop the empty feature(s)."
    )


def validate_target(owner, y, *, reset):
    """``y`` as float64, 1-D or 2-D, finite; its dimension recorded at reset."""
    name = type(owner).__name__
    if y is None:
        raise ValueError(
            f"{name} requires y to be passed, but the target y is None. "
            f"Pass the values to forecast, e.g. from sklstm.make_supervised."
        )
    try:
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} expected numeric y; got values that are not numbers ({exc})."
        ) from None
    if y.ndim not in (1, 2):
        raise ValueError(
            f"{name} expected y of shape (n_samples,) or (n_samples, "
            f"n_outputs); got shape {y.shape}."
        )
    bad = ~np.isfinite(y.reshape(len(y), -1)).all(axis=1)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise ValueError(
            f"{name} expected finite y; got NaN or infinity in "
            f"{rows.size} row(s), first at row {rows[0]}. Drop those rows "
            f"(and the matching rows of X) before fitting."
        )
    if reset:
        owner.y_ndim_ = y.ndim
    elif y.ndim != owner.y_ndim_:
        raise ValueError(
            f"{name} was fitted on a {owner.y_ndim_}-D y; got a {y.ndim}-D y."
        )
    return y


def validate_windows_and_target(owner, X, y, *, reset):
    """Windows and targets of one fit, checked together."""
    windows = validate_windows(owner, X, reset=reset)
    y = validate_target(owner, y, reset=reset)
    check_consistent_length(windows.starts, y)
    return windows, y


def positive_weights(owner, sample_weight, windows, y):
    """The windows with a positive weight, their targets and weights."""
    if sample_weight is None:
        return windows, y, None
    if not np.any(np.asarray(sample_weight)):
        raise ValueError(
            f"{type(owner).__name__} got a sample_weight of zeros only, so "
            f"there is nothing to train on; give some windows a positive "
            f"weight."
        )
    sample_weight = _check_sample_weight(
        sample_weight, windows.starts, dtype=np.float32
    )
    negative = np.flatnonzero(sample_weight < 0)
    if negative.size:
        raise ValueError(
            f"{type(owner).__name__} expected sample_weight >= 0 (a weight "
            f"scales a window's loss; 0 leaves the window out); got "
            f"{negative.size} negative weight(s), the first "
            f"{sample_weight[negative[0]]:g} at row {negative[0]}."
        )
    kept = sample_weight != 0
    return windows.take(kept), y[kept], sample_weight[kept]


def window_regressor_tags(tags):
    """``tags`` of a regressor of windows, set: 3-D ``X`` holding NaN (masked
    steps), a required 1-D or 2-D ``y``, and ``poor_score``."""
    tags.input_tags.three_d_array = True
    tags.input_tags.allow_nan = True
    tags.target_tags.required = True
    tags.target_tags.single_output = True
    tags.target_tags.multi_output = True
    tags.regressor_tags.poor_score = True
    return tags
