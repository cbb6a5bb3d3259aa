"""A time splitter for panels: one cutoff time for all series in each fold.

A panel is many series in one long table, one row per series and time. Split by
row position, as :class:`~sklearn.model_selection.TimeSeriesSplit` does, a panel
sorted by series tests on its last series and trains on the others' futures; a
panel sorted by time may be cut in the middle of a time point. :class:`PanelSplit`
splits the distinct time points instead, and each row follows its time.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.model_selection import BaseCrossValidator

from ._validation import is_int

__all__ = ["PanelSplit"]


class PanelSplit(BaseCrossValidator):
    """Time-ordered folds over a panel: one cutoff time for all series.

    The sorted distinct times of the rows are split as
    :class:`~sklearn.model_selection.TimeSeriesSplit` would split that many
    rows, and every row goes to the side of its time. So each fold trains on
    all series up to one cutoff time and tests all of them after it, whatever
    the order of the rows (sorted by series then time, by time then series, or
    neither). The parameters mean what they mean for ``TimeSeriesSplit``,
    counted in distinct time points instead of rows. On a single series with
    increasing times, the folds are those of ``TimeSeriesSplit``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.

    test_size : int or None, default=None
        Time points in each test fold. None takes
        ``n_times // (n_splits + 1)``, where ``n_times`` is the number of
        distinct times of ``X``.

    gap : int, default=0
        Time points left out between the end of each training period and the
        start of its test period. With targets ``h`` steps ahead, a gap of
        ``h - 1`` keeps the test labels out of training.

    max_train_size : int or None, default=None
        Most time points in a training period: the window slides instead of
        expanding. None trains on all times before the gap.

    time : str or None, default=None
        Where each row's time is read: None for the index of ``X`` (a
        :class:`~pandas.DatetimeIndex`, integers, or any sortable values;
        repeated, since each series repeats the times), or the name of a
        column of ``X`` (or of a level of its :class:`~pandas.MultiIndex`).

    See Also
    --------
    sklearn.model_selection.TimeSeriesSplit : The same folds by row position.
    sklstm.backtest : Time-ordered forecasts of one series.

    Notes
    -----
    The folds are time-ordered by time, not by row position: with a panel
    sorted by series, training rows of one series follow test rows of another.
    :class:`~sklstm.tuning.KerasTunerSearchCV` therefore does not warn about
    them (the class declares ``_sklstm_time_ordered = True``, which its check
    trusts).

    A series that starts after a cutoff has no training rows in that fold,
    and one that ends before a test period has no test rows in it. ``gap`` and
    ``max_train_size`` count the distinct times of the whole table, so for
    series sampled on different calendars they are time points of the union.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import PanelSplit
    >>> days = pd.date_range("2024-01-01", periods=4, freq="D")
    >>> panel = pd.DataFrame(
    ...     {"store": ["a"] * 4 + ["b"] * 4, "sales": range(8)},
    ...     index=days.append(days),
    ... )
    >>> cv = PanelSplit(n_splits=2, test_size=1)
    >>> cv
    PanelSplit(gap=0, max_train_size=None, n_splits=2, test_size=1, time=None)
    >>> for train, test in cv.split(panel):
    ...     print(train, test)
    [0 1 4 5] [2 6]
    [0 1 2 4 5 6] [3 7]
    """

    # Read by sklstm.tuning's check_time_ordered: folds ordered by time, not rows.
    _sklstm_time_ordered = True

    def __init__(
        self, n_splits=5, *, test_size=None, gap=0, max_train_size=None, time=None
    ):
        self.n_splits = n_splits
        self.test_size = test_size
        self.gap = gap
        self.max_train_size = max_train_size
        self.time = time

    def split(self, X, y=None, groups=None):
        """Generate the positions of the training and test rows of each fold.

        Parameters
        ----------
        X : DataFrame or Series of shape (n_samples, n_features)
            The panel, one row per series and time; its index holds the times
            (``time=None``), or its column ``time`` does.

        y : array-like of shape (n_samples,), default=None
            Always ignored, exists for API compatibility.

        groups : array-like of shape (n_samples,), default=None
            Always ignored (with a warning): every fold cuts all series at the
            same time, so the series need not be named.

        Returns
        -------
        folds : iterator of (train, test) tuples
            For each fold, oldest first, the sorted positions of the training
            rows and of the test rows (integer ndarrays). Invalid parameters
            or too few time points raise at once, before the first fold.
        """
        if groups is not None:
            warnings.warn(
                "PanelSplit ignores groups: every fold cuts all series at the "
                "same time, read from X's index or its time column. Drop "
                "groups= to silence this warning.",
                UserWarning,
                stacklevel=2,
            )
        self._check_params()
        codes, n_times = self._time_codes(X)
        test_size = self._check_times(n_times)
        return self._folds(codes, n_times, test_size)

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of folds.

        Parameters
        ----------
        X : object
            Always ignored, exists for API compatibility.

        y : object
            Always ignored, exists for API compatibility.

        groups : object
            Always ignored, exists for API compatibility.

        Returns
        -------
        n_splits : int
            The ``n_splits`` parameter.
        """
        return self.n_splits

    def _check_params(self):
        checks = [
            ("n_splits", self.n_splits, is_int(self.n_splits, 2), "an int >= 2"),
            (
                "test_size",
                self.test_size,
                self.test_size is None or is_int(self.test_size, 1),
                "an int >= 1 or None",
            ),
            ("gap", self.gap, is_int(self.gap, 0), "an int >= 0"),
            (
                "max_train_size",
                self.max_train_size,
                self.max_train_size is None or is_int(self.max_train_size, 1),
                "an int >= 1 or None",
            ),
        ]
        for name, value, ok, expected in checks:
            if not ok:
                raise ValueError(
                    f"PanelSplit expected {name} as {expected}, counted in "
                    f"distinct time points; got {value!r}."
                )

    def _time_codes(self, X):
        """Each row's rank among the sorted distinct times, and their count."""
        times, where = self._read_times(X)
        missing = np.asarray(pd.isna(times))
        if missing.any():
            raise ValueError(
                f"PanelSplit expected a time for every row; {where} has "
                f"{int(missing.sum())} missing time(s) (NaN or NaT), the first "
                f"at row {int(np.argmax(missing))}. Drop or fill those rows "
                f"before splitting."
            )
        try:
            codes, uniques = pd.factorize(times, sort=True)
            ordered = uniques.is_monotonic_increasing
        except TypeError:
            ordered = False
        if not ordered:
            raise TypeError(
                f"PanelSplit expected times that can be ordered; {where} holds "
                f"values of dtype {times.dtype} that cannot (mixed types?). "
                f"Convert them, e.g. with pd.to_datetime."
            )
        return codes, len(uniques)

    def _read_times(self, X):
        """The time of each row as a pandas Index, and where it was read."""
        if self.time is None:
            if not isinstance(X, pd.DataFrame | pd.Series):
                raise TypeError(
                    f"PanelSplit expected X as a pandas DataFrame or Series "
                    f"whose index holds each row's time, as time=None reads it; "
                    f"got {type(X).__name__}, which has no times. Index X by "
                    f"time, or pass time='<column>' naming its time column."
                )
            if isinstance(X.index, pd.MultiIndex):
                raise ValueError(
                    f"PanelSplit expected a single index of times with "
                    f"time=None; X has a MultiIndex with levels "
                    f"{list(X.index.names)!r}. Pass time='<level>' naming the "
                    f"level of the times."
                )
            return X.index, "X's index"
        if not isinstance(X, pd.DataFrame):
            raise TypeError(
                f"PanelSplit expected X as a pandas DataFrame to read its "
                f"column time={self.time!r}; got {type(X).__name__}. Pass a "
                f"DataFrame, or time=None to read X's index."
            )
        if self.time in X.columns:
            return pd.Index(X[self.time]), f"column {self.time!r}"
        if self.time in X.index.names:
            return X.index.get_level_values(self.time), f"index level {self.time!r}"
        raise ValueError(
            f"PanelSplit expected time={self.time!r} to name a column of X "
            f"or a level of its index; got columns {list(X.columns)!r} and "
            f"index names {list(X.index.names)!r}. Pass the name of the time "
            f"column, or time=None to read X's index."
        )

    def _check_times(self, n_times):
        """The test size in time points, or an error if the times are too few."""
        n_splits, gap = self.n_splits, self.gap
        test_size = self.test_size or n_times // (n_splits + 1)
        if n_splits + 1 > n_times:
            raise ValueError(
                f"PanelSplit expected at least n_splits + 1 = {n_splits + 1} "
                f"distinct time points for n_splits={n_splits}; got X with "
                f"{n_times}. Pass fewer splits, or more time points."
            )
        if n_times - gap - test_size * n_splits <= 0:
            raise ValueError(
                f"PanelSplit expected n_splits * test_size + gap < the "
                f"{n_times} distinct time points of X, to leave a time to "
                f"train on; got n_splits={n_splits}, test_size={test_size} and "
                f"gap={gap}. Lower n_splits, test_size or gap."
            )
        return test_size

    def _folds(self, codes, n_times, test_size):
        """Split ``range(n_times)`` as TimeSeriesSplit would; rows follow."""
        n_splits = self.n_splits
        for test_start in range(n_times - n_splits * test_size, n_times, test_size):
            train_end = test_start - self.gap
            train_start = 0
            if self.max_train_size and self.max_train_size < train_end:
                train_start = train_end - self.max_train_size
            train = np.flatnonzero((codes >= train_start) & (codes < train_end))
            test = np.flatnonzero(
                (codes >= test_start) & (codes < test_start + test_size)
            )
            yield train, test
