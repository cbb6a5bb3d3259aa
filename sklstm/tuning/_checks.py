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
    """
    for split, (train, test) in enumerate(splits):
        train, test = np.asarray(train), np.asarray(test)
        if len(train) and len(test) and test.min() < train.max():
            warnings.warn(
                f"{owner} got cv={cv!r}, whose split {split} tests on row "
                f"{test.min()} and trains on row {train.max()}, after it: a "
                f"splitter that shuffles the rows, or whose test rows precede "
                f"or interleave with its training rows, trains on the future "
                f"to predict the past and overrates every trial. Pass cv=None "
                f"(TimeSeriesSplit) or an int to silence this warning.",
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
