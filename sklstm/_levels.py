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

__all__ = ["fit_level", "in_units", "level_of", "quantiles_in_units"]


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

    last_steps = windows.rows[windows.starts + windows.length - 1]
    try:
        return NaiveRegressor("last").fit(last_steps[:, np.newaxis, :], y)
    except ValueError as exc:
        if normalize == "auto":
            return None  # levels, as documented
        warnings.warn(
            f"{type(owner).__name__} with normalize='last' found no feature "
            f"of the windows that is the target's own history ({exc}), so "
            f"it learns the level of y directly. Build X and y with "
            f"make_supervised so that it can forecast the change from the "
            f"last value, or set normalize=None to silence this warning.",
            UserWarning,
            stacklevel=4,
        )
        return None


def level_of(owner, windows):
    """The level the network's output is added to: the last value, or 0.

    The target's last observed value in each window, in the units of
    ``y`` (one column per output), found through a running "last observed
    row" over the rows behind the windows: no window-sized temporaries.
    """
    level = getattr(owner, "level_", None)
    if level is None:
        return 0.0
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


def quantiles_in_units(owner, raw, windows):
    """Scaled quantiles ``(n, n_outputs, n_quantiles)`` in the units of y:
    unscaled, plus the level (the quantiles of the change, moved)."""
    scaler = owner.target_scaler_
    quantiles = np.asarray(raw, dtype=np.float64)
    quantiles = quantiles * scaler.scale_[:, None] + scaler.mean_[:, None]
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
    return owner.target_scaler_.inverse_transform(raw) + level_of(owner, windows)
