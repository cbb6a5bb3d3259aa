"""Windows held as the rows behind them: the ``Windows`` value and ``as_windows``.

The stride contract with the regressors: the windower's 3-D output is a
read-only strided view over one padded copy of the rows, consecutive windows
one row apart (strides ``(r, r, f)`` for a row stride ``r``). :func:`as_windows`
recovers those rows and each window's start without copying (every ``k``-th
window, ``X[::k]``, too), as a :class:`Windows` value that the regressors
validate once and then train on (batches gathered from the rows) and predict
from; any other 3-D array is read as contiguous windows laid end to end.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["Windows", "as_windows"]


@dataclass(frozen=True)
class Windows:
    """Windows held as the rows behind them: one small value, no copies.

    Window ``i`` is ``rows[starts[i] : starts[i] + length]``. This is the form
    in which the regressors validate their input once and then train
    (:mod:`sklstm._feed` gathers each batch from ``rows``) and predict.

    Parameters
    ----------
    rows : ndarray of shape (n_rows, n_features)
        The rows behind the windows (for a windower's output, a view of the
        padded series itself).
    starts : ndarray of shape (n_windows,), dtype int64
        First row of each window.
    length : int
        Time steps per window.
    """

    rows: np.ndarray
    starts: np.ndarray
    length: int

    def __len__(self):
        return len(self.starts)

    @property
    def n_features(self):
        """Features per time step."""
        return self.rows.shape[1]

    def take(self, index):
        """The windows selected by ``index`` (a mask or positions), same rows."""
        return Windows(self.rows, self.starts[index], self.length)

    def with_rows(self, rows):
        """The same windows over other rows of the same shape (e.g. a cast)."""
        return Windows(rows, self.starts, self.length)

    def to_array(self):
        """The windows as a 3-D array ``(n_windows, length, n_features)``.

        A read-only strided view when the starts are evenly spaced (as
        :func:`as_windows` returns them), else a gathered copy.
        """
        starts, rows = self.starts, self.rows
        step = int(starts[1] - starts[0]) if len(starts) > 1 else 1
        if step < 1 or np.any(np.diff(starts) != step):
            return rows[starts[:, np.newaxis] + np.arange(self.length)]
        if len(starts):
            rows = rows[int(starts[0]) :]
        by_row, by_feature = rows.strides
        return as_strided(
            rows,
            shape=(len(starts), self.length, rows.shape[1]),
            strides=(step * by_row, by_row, by_feature),
            writeable=False,
        )


def as_windows(X):
    """The rows and start offsets behind 3-D windows, without copying them.

    The stride contract with :class:`SequenceWindower`: its output is a
    read-only strided view of shape ``(n_samples, window, n_features)`` over
    one padded array, whose strides are ``(k * r, r, f)`` for a row stride
    ``r``, a feature stride ``f`` and consecutive windows ``k`` rows apart
    (``k = 1``; ``k > 1`` for every k-th window, e.g. ``X[::k]``). For such
    windows, with ``1 <= k <= window`` (so that every row of the span lies in
    some window and nothing foreign is read), ``rows`` is a view of that
    padded series and ``starts = k * arange(n_samples)``: feeding batches
    gathered from it never holds all windows in memory. Any other array is
    made contiguous and its windows laid end to end
    (``starts = window * arange(n_samples)``).

    Parameters
    ----------
    X : ndarray of shape (n_samples, window, n_features)
        Windows.

    Returns
    -------
    windows : Windows
        ``windows.to_array()`` equals ``X``.
    """
    n_samples, window, n_features = X.shape
    by_sample, by_step, by_feature = X.strides
    if n_samples and by_step > 0 and by_sample % by_step == 0:
        k = by_sample // by_step
        if 1 <= k <= window:
            rows = as_strided(
                X,
                shape=((n_samples - 1) * k + window, n_features),
                strides=(by_step, by_feature),
                writeable=False,
            )
            return Windows(rows, np.arange(n_samples, dtype=np.int64) * k, window)
    X = np.ascontiguousarray(X)
    starts = np.arange(n_samples, dtype=np.int64) * window
    return Windows(X.reshape(n_samples * window, n_features), starts, window)
