"""Checks a search makes before its first trial: time order and a writable folder.

Both fail (or warn) at once, before any network is trained: a splitter that
trains on the future overrates every trial, and a directory that cannot be
written would otherwise fail only after the first trial's work.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import os
import tempfile
import warnings

import numpy as np

__all__ = ["check_time_ordered", "check_writable"]


def check_time_ordered(owner, cv, splits, *, stacklevel=3):
    """Warn unless every split trains only on rows before its test rows.

    ``splits`` are the ``(train, test)`` index arrays of ``cv``. Any splitter
    whose test rows precede or interleave with its training rows is caught:
    shuffled ones (``KFold(shuffle=True)``, ``ShuffleSplit``) and ordered ones
    that put training rows after test rows (``KFold``).

    The check reads row positions, so it would flag a splitter that orders by
    *time* over rows that are not sorted by time: :class:`~sklstm.PanelSplit`
    on a panel sorted by series, whose folds interleave the rows of the
    series. Such a splitter declares itself with the class attribute
    ``_sklstm_time_ordered = True`` and is trusted without a look at its
    splits; a splitter of your own may declare it the same way.
    """
    if getattr(cv, "_sklstm_time_ordered", False) is True:
        return
    for split, (train, test) in enumerate(splits):
        train, test = np.asarray(train), np.asarray(test)
        if len(train) and len(test) and test.min() < train.max():
            warnings.warn(
                f"{owner} got cv={cv!r}, whose split {split} tests on row "
                f"{test.min()} and trains on row {train.max()}, after it: a "
                f"splitter that shuffles the rows, or whose test rows precede "
                f"or interleave with its training rows, trains on the future "
                f"to predict the past and overrates every trial. Pass cv=None "
                f"(TimeSeriesSplit), an int, or PanelSplit(...) for a panel of "
                f"series to silence this warning.",
                UserWarning,
                stacklevel=stacklevel,
            )
            return


def check_writable(owner, directory):
    """``directory`` as an absolute path, created and writable, or a ValueError."""
    path = os.path.abspath(os.fspath(directory))
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValueError(
            f"{owner} cannot write its search to directory={os.fspath(directory)!r} "
            f"({reason}). Pass a directory it can create and write to, or "
            f"directory=None for a temporary one."
        ) from None
    return path
