"""The level a level-free network's output is added to (``normalize``).

With ``normalize="auto"`` or ``"last"`` a regressor learns ``y`` as its change
from the last observed value of the target's own history. :func:`fit_level`
finds that history among the windows' features (through
:class:`~sklstm.NaiveRegressor`'s exact lag relation, whatever affine scaler
precedes the windower); :func:`level_of` gives each window's last observed
value in the units of ``y``, computed on the rows behind the windows;
:func:`in_units` and :func:`quantiles_in_units` move the network's scaled
output back to the units of ``y`` and add that level (for the Keras regressors
and, without Keras, for :class:`~sklstm.FrozenRegressor` alike).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings

import numpy as np

__all__ = [
    "change_of",
    "fit_level",
    "in_units",
    "level_of",
    "past_of",
    "quantiles_in_units",
    "relative_window",
    "skip_inputs",
    "spread_of",
    "static_features",
    "window_spread",
]


def past_of(owner, windows):
    """The past steps of ``windows``: without the forecast steps of the
    covariates known in advance (``n_future_steps_``), if any."""
    n_future = getattr(owner, "n_future_steps_", 0)
    if not n_future:
        return windows
    return type(windows)(windows.rows, windows.starts, windows.length - n_future)


def fit_level(owner, windows, y):
    """The naive forecast the network corrects, when normalising.

    A :class:`~sklstm.NaiveRegressor` fitted on each window's last step
    finds the target's own history among the features (the column that
    :func:`make_supervised` shifted into ``y``) and the affine map from
    its scaled values to the units of ``y``. None with
    ``normalize=None``, or when no feature is the target's history (with a
    warning when ``normalize="last"`` asked for it).
    """
    normalize = getattr(owner, "normalize", None)
    if normalize is None:
        return None
    from ._baselines import NaiveRegressor

    windows = past_of(owner, windows)
    last_steps = windows.rows[windows.starts + windows.length - 1]
    try:
        return NaiveRegressor("last").fit(last_steps[:, np.newaxis, :], y)
    except ValueError as exc:
        found = _shared_values(last_steps, y)
        if found is not None:
            return found
        if normalize == "auto":
            return None  # levels, as documented
        warnings.warn(
            f"{type(owner).__name__} with normalize={normalize!r} found no feature "
            f"of the windows that is the target's own history ({exc}), so "
            f"it learns the level of y directly. Build X and y with "
            f"make_supervised so that it can forecast the change from the "
            f"last value, or set normalize=None to silence this warning.",
            UserWarning,
            stacklevel=4,
        )
        return None


def _shared_values(last_steps, y):
    """The feature whose values ``y`` takes, when rows are not consecutive.

    In a panel (several series interleaved, ``series_id``) the row ``h``
    rows later belongs to another series, so the exact lag relation that
    :class:`~sklstm.NaiveRegressor` looks for does not hold. Unscaled inputs
    (a panel's pipeline has no scaler) still share their values with ``y``:
    the target of one row is the last observed value of a later row of the
    same series. The feature that holds, for every output, most of the
    values of ``y`` (at least half, compared in float32 as the windows are
    stored) is the target's history, in the units of ``y``.
    """
    from ._baselines import NaiveRegressor, n_distinct

    y2d = np.asarray(y, dtype=np.float64).reshape(len(y), -1).astype(np.float32)
    best, best_share = None, 0.5
    for column in range(last_steps.shape[1]):
        values = last_steps[:, column].astype(np.float32)
        if n_distinct(values) < 3:
            continue  # a flag or a constant shares values with anything
        share = min(np.isin(y2d[:, k], values).mean() for k in range(y2d.shape[1]))
        if share > best_share:
            best, best_share = column, share
    if best is None:
        return None

    # In the units of y already: no map to learn.
    naive = NaiveRegressor("last", target=best, rescale=False)
    return naive.fit(last_steps[:, np.newaxis, :], y)


def level_of(owner, windows):
    """The level the network's output is added to: the last value, or 0.

    The target's last observed value in each window, in the units of
    ``y`` (one column per output), found through a running "last observed
    row" over the rows behind the windows: no window-sized temporaries.
    """
    level = getattr(owner, "level_", None)
    if level is None:
        return 0.0
    windows = past_of(owner, windows)
    column = windows.rows[:, level.target_].astype(np.float64)
    observed = ~np.isnan(column)
    position = np.arange(len(column))
    latest = np.maximum.accumulate(np.where(observed, position, -1))
    ends = windows.starts + windows.length - 1
    found = latest[ends]
    inside = found >= windows.starts  # an observed value within the window
    value = np.where(inside, column[np.maximum(found, 0)], np.nan)
    out = value[:, np.newaxis] * level.unit_scale_ + level.unit_offset_
    return out[:, 0] if owner.y_ndim_ == 1 else out


def change_of(owner, windows, y):
    """``y`` as the network learns it: its change from each window's level,
    in units of the window's spread (both neutral without ``normalize``)."""
    return (y - level_of(owner, windows)) / spread_of(owner, windows)


def spread_of(owner, windows):
    """The scale of each window's change with ``normalize="window"``, else 1.

    The spread (:func:`window_spread`) of the target's own history over each
    window, in the units of ``y`` (one column per output). The network then
    learns the change from the last value in units of the window's own
    spread, whatever the scale of the series (the idea of ES-RNN's
    per-series level and of reversible instance normalisation).
    """
    level = getattr(owner, "level_", None)
    if level is None or getattr(owner, "normalize", None) != "window":
        return 1.0
    windows = past_of(owner, windows)
    history = windows.to_array()[:, :, level.target_].astype(np.float64)
    in_units = history[:, :, np.newaxis] * level.unit_scale_ + level.unit_offset_
    spread = window_spread(in_units, np)
    return spread[:, 0] if owner.y_ndim_ == 1 else spread


def quantiles_in_units(owner, raw, windows):
    """Scaled quantiles ``(n, n_outputs, n_quantiles)`` in the units of y:
    unscaled, times the window's spread and plus the level (the quantiles of
    the change, moved)."""
    scaler = owner.target_scaler_
    quantiles = np.asarray(raw, dtype=np.float64)
    quantiles = quantiles * scaler.scale_[:, None] + scaler.mean_[:, None]
    spread = np.asarray(spread_of(owner, windows), dtype=np.float64)
    if spread.ndim:
        quantiles = quantiles * spread.reshape(len(spread), -1, 1)
    level = np.asarray(level_of(owner, windows), dtype=np.float64)
    quantiles = (
        quantiles + level.reshape(len(level), -1, 1) if level.ndim else quantiles
    )
    return quantiles[:, 0, :] if owner.y_ndim_ == 1 else quantiles


def in_units(owner, raw, windows, quantiles):
    """The network's raw output as predictions in the units of y: the median
    of the ``quantiles`` (a tuple of levels) when there are some."""
    if quantiles is not None:
        return quantiles_in_units(owner, raw, windows)[..., quantiles.index(0.5)]
    change = owner.target_scaler_.inverse_transform(raw)
    return change * spread_of(owner, windows) + level_of(owner, windows)


def relative_window(x, last, spread=None, static=(), *, xp=np):
    """Each window relative to its last observed step: the network's input.

    ``last`` holds each window's last observed values (n, features);
    ``spread``, if given, each window's spread (:func:`window_spread`), which
    the change is divided by. The ``static`` features (indices) are kept as
    they are: constant over every window (a one-hot series id), they would
    read as zeros. ``xp`` is :mod:`numpy` or :mod:`keras.ops`; the Keras
    layer, the NumPy predict path and the frozen network all call this.
    """
    relative = x - last[:, None, :]
    if spread is not None:
        relative = relative / spread[:, None, :]
    if len(static):
        keep = np.isin(np.arange(x.shape[-1]), static)
        relative = xp.where(keep, x, relative)
    return relative


def skip_inputs(x, mode, xp=np):
    """What a linear skip path reads of windows ``x``: the last step
    (``mode="last"``) or every step, flattened; steps with a NaN read as
    zeros. For ``mode="relative"`` pass the windows as the recurrent layers
    read them (:func:`relative_window`)."""
    observed = xp.logical_not(xp.any(xp.isnan(x), axis=-1, keepdims=True))
    x = xp.where(observed, x, xp.zeros_like(x))
    if mode == "last":
        return x[:, -1, :]
    return xp.reshape(x, (-1, x.shape[1] * x.shape[2]))


def static_features(windows):
    """The features that never change within any window (indices, a tuple).

    Read relative to the window's last step they would be all zeros, so the
    network reads them as they are: a series id appended to every step
    (``SequenceWindower(static_id=True)``) is one. Steps next to a NaN are
    not compared.
    """
    step = np.diff(windows.rows, axis=0)
    changes = np.concatenate(
        [np.zeros((1, windows.n_features)), np.cumsum(step != 0, axis=0)]
    )  # NaN != 0 is True: exclude the steps next to a NaN
    changes -= np.concatenate(
        [np.zeros((1, windows.n_features)), np.cumsum(np.isnan(step), axis=0)]
    )
    last = windows.starts + windows.length - 1
    within = changes[last] - changes[windows.starts]  # (n_windows, features)
    return tuple(int(f) for f in np.flatnonzero(~np.any(within > 0, axis=0)))


def window_spread(x, xp):
    """Each window's spread over its observed steps, per feature.

    The larger of the standard deviation and the mean absolute value (the
    scale DeepAR divides by); 1 where both are 0. A window that barely
    moves, or has one or two observed steps, is then not divided by almost
    nothing: chosen on validation periods of Tourism quarterly (MASE 1.81
    against 2.57 with the standard deviation floored at 1% of the mean
    absolute value) and M3 monthly (1.08 against 1.07), not on their test
    periods. It scales with the series: multiplying a window by ``a``
    multiplies its spread by ``|a|``. ``xp`` is :mod:`numpy` or
    :mod:`keras.ops`.
    """
    observed = xp.logical_not(xp.isnan(x))
    filled = xp.where(observed, x, xp.zeros_like(x))
    count = xp.sum(_as_float(xp, observed, x), axis=1)
    count = xp.maximum(count, 1)
    mean = xp.sum(filled, axis=1) / count
    deviation = xp.where(observed, x - mean[:, None, :], xp.zeros_like(x))
    spread = xp.sqrt(xp.sum(deviation * deviation, axis=1) / count)
    spread = xp.maximum(spread, xp.sum(xp.abs(filled), axis=1) / count)
    return xp.where(spread > 0, spread, xp.ones_like(spread))


def _as_float(xp, mask, like):
    """A boolean mask as numbers of ``like``'s dtype (NumPy or Keras ops)."""
    return xp.cast(mask, like.dtype) if hasattr(xp, "cast") else mask.astype(like.dtype)
