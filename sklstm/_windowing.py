"""Windowing a time-ordered table: ``SequenceWindower`` and ``make_supervised``.

Both keep the row-alignment contract of sklstm: the windower returns one output
row per input row (the window *ending* at that row), so that it can sit inside
a scikit-learn :class:`~sklearn.pipeline.Pipeline`; ``make_supervised`` builds the
targets outside the pipeline, before any splitting.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import as_strided, sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.metaestimators import available_if

from ._validation import (
    Integral,
    Interval,
    Real,
    _check_feature_names_in,
    _fit_context,
    check_is_fitted,
    check_numeric,
    check_table,
    validate_data,
)

__all__ = ["SequenceWindower", "make_supervised"]


def _is_flat(windower):
    return windower.flatten


class SequenceWindower(TransformerMixin, BaseEstimator):
    """Turn a time-ordered table into one look-back window per row.

    Output row ``t`` holds input rows ``t - window + 1, ..., t``, oldest first.
    The first ``window - 1`` rows have too little history; their missing steps
    are filled with ``fill_value`` (NaN by default, which the sklstm regressors
    mask). The number of rows never changes, so the windower fits inside a
    :class:`~sklearn.pipeline.Pipeline` and every prediction stays aligned with
    its input row.

    Parameters
    ----------
    window : int, default=10
        Number of time steps in each window (the look-back length).

    fill_value : float, default=np.nan
        Value of the steps before the first row of ``X``. Keep NaN to have the
        regressors skip (mask) those steps.

    flatten : bool, default=False
        If False, return an array of shape ``(n_samples, window, n_features)``
        for the LSTM regressors. If True, return the 2-D lag matrix of shape
        ``(n_samples, window * n_features)`` for any tabular regressor; its
        columns are time-major: all features of the oldest step first, ending
        with the current row (see :meth:`get_feature_names_out`).

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    make_supervised : Build the targets (the next value, or several) of a series.
    numpy.lib.stride_tricks.sliding_window_view : The zero-copy view behind it.

    Notes
    -----
    No look-ahead: output row ``t`` depends only on input rows ``<= t``.

    Each call of :meth:`transform` windows only the rows it receives, so the
    first ``window - 1`` rows of a test fold are padded rather than filled from
    the training fold: no information crosses the split. Because an output row
    depends on the rows before it, the windower is by design neither invariant
    to the order of the rows nor to transforming a subset of them.

    The output, 3-D or flattened, is a read-only strided view over one padded
    copy of ``X``: it needs memory for ``n_samples + window - 1`` rows, not
    ``window`` copies of the series. Call ``np.array(Xt)`` when a writable copy
    is needed.

    NaN in ``X`` is kept (it marks a missing observation); infinity is an error.
    Integer input becomes float64; float32 and float64 are preserved.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SequenceWindower
    >>> X = np.arange(8.0).reshape(4, 2)
    >>> windows = SequenceWindower(window=3).fit_transform(X)
    >>> windows.shape
    (4, 3, 2)
    >>> windows[3]
    array([[2., 3.],
           [4., 5.],
           [6., 7.]])
    >>> windows[0]
    array([[nan, nan],
           [nan, nan],
           [ 0.,  1.]])
    >>> lags = SequenceWindower(window=2, flatten=True).fit(X)
    >>> lags.get_feature_names_out()
    array(['x0_lag1', 'x1_lag1', 'x0_lag0', 'x1_lag0'], dtype=object)
    """

    _parameter_constraints: dict = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "fill_value": [Real],
        "flatten": ["boolean"],
    }

    def __init__(self, window=10, *, fill_value=np.nan, flatten=False):
        self.window = window
        self.fill_value = fill_value
        self.flatten = flatten

    def _validate(self, X, *, reset):
        check_table(self, X)
        check_numeric(self, X)
        return validate_data(
            self,
            X,
            reset=reset,
            dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan",
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the number (and names) of the features of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first.

        y : None
            Ignored; present for :class:`~sklearn.pipeline.Pipeline` compatibility.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        self._validate(X, reset=True)
        return self

    def transform(self, X):
        """Return the window ending at each row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first, with the features seen in
            :meth:`fit`.

        Returns
        -------
        X_windows : ndarray of shape (n_samples, window, n_features) or \
                (n_samples, window * n_features)
            The windows, oldest step first; 2-D when ``flatten=True``.
        """
        check_is_fitted(self)
        X = self._validate(X, reset=False)
        windows = _sliding_windows(X, self.window, self.fill_value)
        if self.flatten:
            return windows.reshape(X.shape[0], -1)
        return windows

    @available_if(_is_flat)
    def get_feature_names_out(self, input_features=None):
        """Get the names of the lag columns of the flattened output.

        Available only when ``flatten=True``. Column ``{name}_lag{k}`` holds
        feature ``name`` observed ``k`` rows before the current one; the order
        is time-major, from ``lag{window - 1}`` (all features) down to ``lag0``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names. If None, ``feature_names_in_`` is used when
            defined, else ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``window * n_features_in_`` names.
        """
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)
        return np.asarray(
            [
                f"{name}_lag{lag}"
                for lag in range(self.window - 1, -1, -1)
                for name in names
            ],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _sliding_windows(X, window, fill_value):
    """The windows ending at each row of ``X``, as a read-only view.

    One padded copy of ``X`` (``window - 1`` rows of ``fill_value`` on top) is
    made; the windows are a strided view over it of shape
    ``(n_samples, window, n_features)``.
    """
    n_samples, n_features = X.shape
    padded = np.empty((n_samples + window - 1, n_features), dtype=X.dtype)
    padded[: window - 1] = fill_value
    padded[window - 1 :] = X
    # sliding_window_view puts the window axis last: (n, n_features, window).
    return sliding_window_view(padded, window, axis=0).transpose(0, 2, 1)


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


def _check_horizons(horizon):
    """Return the horizons as a tuple of ints >= 1, and whether one was given."""
    if isinstance(horizon, Integral) and not isinstance(horizon, bool):
        steps, single = (int(horizon),), True
    elif isinstance(horizon, Iterable) and not isinstance(horizon, str | bytes):
        steps, single = tuple(horizon), False
    else:
        raise TypeError(
            f"make_supervised expected horizon as an int >= 1 or a sequence of "
            f"them, e.g. 1 or range(1, 8); got {horizon!r}."
        )
    if not steps or not all(
        isinstance(h, Integral) and not isinstance(h, bool) and h >= 1 for h in steps
    ):
        raise ValueError(
            f"make_supervised expected horizon as an int >= 1 or a non-empty "
            f"sequence of them, e.g. 1 or range(1, 8); got {horizon!r}."
        )
    return tuple(int(h) for h in steps), single


def _target_column(data, target):
    """Split 2-D ``data`` into the target column's position and its name."""
    n_columns = data.shape[1]
    if isinstance(data, pd.DataFrame):
        columns = list(data.columns)
        if target is None:
            if n_columns == 1:
                return 0, columns[0]
            raise ValueError(
                f"make_supervised expected target= naming the column to "
                f"forecast when data has {n_columns} columns; got target=None. "
                f"Pass e.g. target={columns[0]!r}; columns are {columns!r}."
            )
        if target not in columns:
            raise ValueError(
                f"make_supervised expected target to be one of the columns "
                f"{columns!r}; got {target!r}."
            )
        return columns.index(target), target
    if target is None:
        if n_columns == 1:
            return 0, None
        raise ValueError(
            f"make_supervised expected target= (the index of the column to "
            f"forecast) when data has {n_columns} columns; got target=None. "
            f"Pass e.g. target=0."
        )
    if not (
        isinstance(target, Integral)
        and not isinstance(target, bool)
        and -n_columns <= target < n_columns
    ):
        raise ValueError(
            f"make_supervised expected target as a column index in "
            f"[0, {n_columns}) for an array with {n_columns} columns; got "
            f"{target!r}."
        )
    return int(target) % n_columns, None


def make_supervised(data, *, target=None, horizon=1):
    """Pair each row of a series with the value(s) that follow it.

    Builds the supervised-learning table of a forecasting problem: ``X`` holds
    rows ``0 .. n - h - 1`` of ``data`` (all features, the target's own history
    included) and ``y[t]`` is the target ``h`` rows after row ``t``. Do this once,
    before splitting; windowing and scaling belong inside the pipeline.

    Parameters
    ----------
    data : array-like of shape (n_samples,) or (n_samples, n_features)
        Time-ordered observations, oldest first: a 1-D array or Series for a
        single series, a 2-D array or DataFrame for several features.

    target : str, int or None, default=None
        The column to forecast in 2-D ``data``: a column label for a DataFrame,
        a column index for an array. May be None when ``data`` has one column.

    horizon : int or sequence of int, default=1
        How many rows ahead to forecast. A sequence such as ``range(1, 8)``
        builds one target column per horizon, for direct multi-step
        forecasting.

    Returns
    -------
    X : ndarray or DataFrame of shape (n_samples - max(horizon), n_features)
        The inputs; a DataFrame (same index) when ``data`` is a pandas object,
        2-D even for a single series.

    y : ndarray or Series of shape (n_samples - max(horizon),), or \
            ndarray or DataFrame of shape (n_samples - max(horizon), n_horizons)
        The targets, aligned with ``X`` (``y`` at row ``t`` is the target at row
        ``t + h``); 1-D for an int ``horizon``. pandas targets share ``X``'s
        index, the forecast origin, and are named ``{target}`` (one horizon) or
        ``{target}_t+{h}`` (several).

    See Also
    --------
    SequenceWindower : The windows inside the pipeline.
    sklearn.model_selection.TimeSeriesSplit : Time-ordered cross-validation.

    Notes
    -----
    With a horizon ``h > 1`` neighbouring targets overlap: the target of the
    last training row lies ``h - 1`` rows inside the test fold that follows.
    Cross-validate with ``TimeSeriesSplit(gap=h - 1)`` or more (for several
    horizons, ``gap=max(horizon) - 1``), so that no test label is seen in
    training.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import make_supervised
    >>> X, y = make_supervised(np.arange(6.0), horizon=2)
    >>> X.ravel(), y
    (array([0., 1., 2., 3.]), array([2., 3., 4., 5.]))
    >>> X, Y = make_supervised(np.arange(6.0), horizon=range(1, 3))
    >>> Y
    array([[1., 2.],
           [2., 3.],
           [3., 4.],
           [4., 5.]])
    """
    steps, single = _check_horizons(horizon)
    is_pandas = isinstance(data, pd.Series | pd.DataFrame)
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "y")
    elif not is_pandas:
        data = np.asarray(data)
        if data.ndim == 1:
            data = data.reshape(-1, 1)
    if data.ndim != 2:
        raise ValueError(
            f"make_supervised expected data of shape (n_samples,) or "
            f"(n_samples, n_features); got shape {data.shape}."
        )
    column, name = _target_column(data, target)
    longest = max(steps)
    n_samples = data.shape[0]
    if n_samples < longest + 1:
        raise ValueError(
            f"make_supervised expected a series longer than the horizon: at "
            f"least {longest + 1} rows for horizon {longest}; got {n_samples} "
            f"row(s). Use a shorter horizon or more data."
        )
    n_rows = n_samples - longest
    if is_pandas:
        X = data.iloc[:n_rows].copy()
        series = data.iloc[:, column].to_numpy()
        values = np.column_stack([series[h : h + n_rows] for h in steps])
        if single:
            return X, pd.Series(values[:, 0], index=X.index, name=name)
        columns = [f"{name}_t+{h}" for h in steps]
        return X, pd.DataFrame(values, index=X.index, columns=columns)
    X = data[:n_rows].copy()
    values = np.column_stack([data[h : h + n_rows, column] for h in steps])
    return X, (values[:, 0].copy() if single else values)
