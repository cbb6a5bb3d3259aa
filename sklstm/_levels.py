"""The level a level-free network's output is added to (``normalize``).

With ``normalize="auto"`` or ``"last"`` a regressor learns ``y`` as its change
from the last observed value of the target's own history. :func:`fit_level`
finds that history among the windows' features (through
:class:`~sklstm.NaiveRegressor`'s exact lag relation, whatever affine scaler
precedes the windower); :func:`level_of` gives each window's last observed
value in the units of ``y``, computed on the rows behind the windows.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["fit_level", "level_of", "past_of"]


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
