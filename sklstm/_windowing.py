"""Windowing a time-ordered table: ``SequenceWindower``.

The windower keeps the row-alignment contract of sklstm: it returns one output
row per input row (the window *ending* at that row), so that it can sit inside
a scikit-learn :class:`~sklearn.pipeline.Pipeline`; ``make_supervised``
(``sklstm/_supervised.py``) builds the targets outside the pipeline, before any
splitting.

The windower remembers the last rows it was fitted on, with their positions in
time (from a pandas index), so that rows which continue the fitted data (a
cross-validation test fold, the last row, new data) are windowed with the
history that was really observed before them. Steps that were never observed
stay ``fill_value`` (NaN, masked by the regressors).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from pandas.api.types import is_integer_dtype
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.metaestimators import available_if

from ._known_future import LeadLayout, undeclared_leads
from ._panels import (
    one_hot,
    panel_memory,
    panel_windows,
    series_categories,
    split_series_id,
    with_unknown_features,
)
from ._validation import (
    Real,
    _check_feature_names_in,
    _fit_context,
    check_is_fitted,
    check_numeric,
    check_table,
    int_at_least,
    record_output_setting,
    validate_data,
)
from ._versions import VersionedPickleMixin

__all__ = ["SequenceWindower"]


def _is_flat(windower):
    return windower.flatten


class SequenceWindower(VersionedPickleMixin, TransformerMixin, BaseEstimator):
    """Turn a time-ordered table into one look-back window per row.

    Output row ``t`` holds input rows ``t - window + 1, ..., t``, oldest first.
    The steps before the first row of ``X`` are taken from the windower's
    memory of the data it was fitted on when ``X`` continues that data (the
    positions of the rows are read from a pandas index); steps that were never
    observed are filled with ``fill_value`` (NaN by default, which the sklstm
    regressors mask). The number of rows never changes, so the windower fits
    inside a :class:`~sklearn.pipeline.Pipeline` and every prediction stays
    aligned with its input row.

    Parameters
    ----------
    window : int, default=10
        Number of time steps in each window (the look-back length).

    fill_value : float, default=np.nan
        Value of the steps that were never observed: the steps before the
        first row of ``X`` that the memory does not hold. Keep NaN to have the
        regressors skip (mask) those steps.

    flatten : bool, default=False
        If False, return an array of shape ``(n_samples, window, n_features)``
        for the LSTM regressors. If True, return the 2-D lag matrix of shape
        ``(n_samples, window * n_features)`` for any tabular regressor; its
        columns are time-major: all features of the oldest step first, ending
        with the current row (see :meth:`get_feature_names_out`).

    known_future : list of str or None, default=None
        Columns whose values are known in advance, declared as to
        :func:`make_supervised`, whose lead columns (``c_t+h``) ``X`` holds.
        Those lead columns are not windowed over the past: each 3-D window
        gets one *forecast step* per horizon after its ``window`` past steps,
        holding the lead value of each declared column at that column's
        position and NaN elsewhere (unknown in advance), so the output has
        shape ``(n_samples, window + n_steps, n_past_features)`` for a
        regressor with ``known_future=True``. With ``flatten=True`` the lead
        columns follow the lag matrix as plain columns. See
        :ref:`known-future`.

        .. versionadded:: 0.1

    series_id : str or None, default=None
        The column of a panel (a long table of several series, as
        ``make_supervised(..., series_id=...)`` returns it) that names each
        row's series. Each series is windowed apart, so no window crosses
        from one series into another, and the memory holds the last rows of
        every series. The column itself is not windowed. See :ref:`panels`.

        .. versionadded:: 0.1

    static_id : bool, default=False
        With ``series_id``: also give each window the series' id as a static
        input, one-hot over the series seen in :meth:`fit` (``series_ids_``),
        appended to every past step as features ``{series_id}={id}`` (once,
        after the lags, with ``flatten=True``). The sklstm regressors read
        such features as they are, not relative to the last step. A series
        not seen in fit gets all zeros (with a warning): the network then
        forecasts it as an average series.

        .. versionadded:: 0.1

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    memory_ : ndarray of shape (n_memory, `n_features_in_`) or None
        The last ``n_memory = min(window, n_samples)`` rows of the ``X`` seen
        during :term:`fit` (as the windower received them, i.e. after the
        preceding steps of a pipeline), oldest first. None when the rows of
        that ``X`` have no positions: a NumPy array, or a DataFrame whose index
        is not regular (see Notes).

    lead_steps_ : tuple of int
        The horizons of the forecast steps (with ``known_future`` only).

    memory_index_ : pandas.Index of length n_memory or None
        The index labels of the rows in ``memory_``: consecutive integers, or
        timestamps of a DatetimeIndex whose ``freq`` is set to the frequency
        of the fitted data. None when ``memory_`` is None.

    memory_series_ : ndarray of shape (n_memory,)
        With ``series_id``: the series of each row of ``memory_``, which then
        holds the last ``window`` rows of every series, series after series.

    memory_freq_ : str or None
        With ``series_id``: the frequency of a DatetimeIndex, as a string
        (``memory_index_`` repeats the times of the series and has none).

    series_ids_ : ndarray of shape (n_series,) or None
        With ``static_id=True``: the series seen in :meth:`fit`, sorted, in
        the order of the one-hot features. None otherwise.

    See Also
    --------
    make_supervised : Build the targets (the next value, or several) of a series.
    numpy.lib.stride_tricks.sliding_window_view : The zero-copy view behind it.

    Notes
    -----
    No look-ahead: output row ``t`` depends only on input rows ``<= t`` and on
    the memory of the fitted data (rows observed before ``X``).

    **Edge policy.** A window may use everything observed before its row and
    nothing else. :meth:`fit` keeps the last ``window`` rows of its input with
    their positions. :meth:`transform` windows its input in row order and, when
    the first row of its input has position ``p0``, fills the step of position
    ``p0 - k`` (``k = 1 .. window - 1``) with the remembered row of that
    position, if the memory holds it. So a test fold of
    :class:`~sklearn.model_selection.TimeSeriesSplit` is windowed with the
    training rows before it, and ``predict(X.iloc[[-1]])`` after ``fit(X, y)``
    equals ``predict(X)[-1]``. Positions that were never observed (the rows of
    a ``TimeSeriesSplit(gap=g)`` gap, data far after the fit, rows before the
    memory) stay ``fill_value``: never guessed. Transforming the fitted data
    itself is unchanged, since the rows before its first row were not seen.

    **Positions** come from the index of a pandas DataFrame: an integer index
    whose labels increase by one from row to row (the labels are the
    positions; a RangeIndex as :func:`make_supervised` returns), or a
    DatetimeIndex with a regular frequency, given (``index.freq``) or inferred
    (at least three rows); a timestamp's position is its number of steps of
    that frequency from the first remembered row, and a timestamp off that grid
    has none. Any other input has no positions and is windowed on its own, as
    if nothing came before it: a NumPy array, and an index that is irregular
    (missing rows), decreasing, duplicated or of another kind. The input of
    :meth:`transform` must itself be regular in the same way (a single row
    always is). When :meth:`transform` gets fewer rows than ``window`` and no
    remembered row precedes them, every window is padded and a
    ``UserWarning`` says so.

    Because an output row depends on the rows before it, the windower is by
    design neither invariant to the order of the rows nor to transforming a
    subset of them.

    The output, 3-D or flattened, is a read-only strided view over one padded
    copy of ``X``: it needs memory for ``n_samples + window - 1`` rows, not
    ``window`` copies of the series. Call ``np.array(Xt)`` when a writable copy
    is needed. The memory costs ``window * n_features`` values.

    With ``set_output(transform="pandas")`` the flattened output is a
    DataFrame with the input's index and the columns of
    :meth:`get_feature_names_out`; the 3-D output stays an ndarray, which no
    DataFrame can hold.

    NaN in ``X`` is kept (it marks a missing observation); infinity is an error.
    Integer input becomes float64; float32 and float64 are preserved.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
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

    Rows that continue the fitted data, by their index, get its history:

    >>> series = pd.DataFrame({"y": np.arange(6.0)})
    >>> windower = SequenceWindower(window=3).fit(series.iloc[:4])
    >>> windower.memory_index_
    RangeIndex(start=1, stop=4, step=1)
    >>> windower.transform(series.iloc[4:])[:, :, 0]
    array([[2., 3., 4.],
           [3., 4., 5.]])
    """

    _parameter_constraints: dict = {
        "window": [int_at_least(1)],
        "fill_value": [Real],
        "flatten": ["boolean"],
        "known_future": [list, tuple, None],
        "series_id": [str, None],
    }

    def __init__(
        self,
        window=10,
        *,
        fill_value=np.nan,
        flatten=False,
        known_future=None,
        series_id=None,
        static_id=False,
    ):
        self.window = window
        self.fill_value = fill_value
        self.flatten = flatten
        self.known_future = known_future
        self.series_id = series_id
        self.static_id = static_id

    def __setstate__(self, state):
        # A windower pickled before known_future, series_id and static_id.
        state = {"known_future": None, "series_id": None, "static_id": False, **state}
        super().__setstate__(state)

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
        """Learn the features of ``X`` and remember its last rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first. A DataFrame with a regular index
            (consecutive integers or a DatetimeIndex with a frequency) gives
            the rows positions, so that :meth:`transform` can window later
            rows with the history before them.

        y : None
            Ignored; present for :class:`~sklearn.pipeline.Pipeline` compatibility.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        ids = None
        if self.series_id is not None:
            ids, X = split_series_id(self, X, self.series_id)
        self.series_ids_ = series_categories(self, ids)
        index = _regular_index(X)
        values = self._validate(X, reset=True)
        layout = self._lead_layout()
        if layout is not None:
            self.lead_steps_ = layout.steps
            values = values[:, layout.past]
        else:
            self._warn_undeclared_leads()
        if self.series_ids_ is not None and not self.flatten:
            # Every past step carries the id, so the memory's rows do too.
            values = np.hstack([values, one_hot(self, ids).astype(values.dtype)])
        if ids is not None:
            self.memory_, self.memory_index_, self.memory_series_, self.memory_freq_ = (
                panel_memory(X.index, ids, values, self.window, _regular_index)
            )
            return self
        if index is None:
            self.memory_, self.memory_index_ = None, None
            return self
        n_memory = min(self.window, values.shape[0])
        # A copy, not a view: the memory must not keep the whole series alive.
        self.memory_ = np.array(values[-n_memory:])
        self.memory_index_ = index[-n_memory:]
        if isinstance(index, pd.DatetimeIndex):
            self.memory_index_ = pd.DatetimeIndex(self.memory_index_, freq=index.freq)
        return self

    def transform(self, X):
        """Return the window ending at each row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first, with the features seen in
            :meth:`fit`. When ``X`` is a DataFrame whose index continues (or
            overlaps the end of) the data seen in :meth:`fit`, the steps before
            its first row come from the memory of that data.

        Returns
        -------
        X_windows : ndarray of shape (n_samples, window, n_features) or \
                (n_samples, window * n_features)
            The windows, oldest step first; 2-D when ``flatten=True``.
        """
        check_is_fitted(self)
        ids = None
        if self.series_id is not None:
            ids, X = split_series_id(self, X, self.series_id)
        index = X.index if isinstance(X, pd.DataFrame) else None
        lags, rows = self._remembered_before(X) if ids is None else (None, None)
        X = self._validate(X, reset=False)
        layout = self._lead_layout()
        table, X = X, X if layout is None else X[:, layout.past]
        categories = getattr(self, "series_ids_", None)  # None before 0.1
        static = None if categories is None else one_hot(self, ids)
        if static is not None and not self.flatten:
            X = np.hstack([X, static.astype(X.dtype)])  # windowed as a feature
        if ids is not None:
            windows = self._panel_windows(ids, index, X)
        elif X.shape[0] < self.window and not len(lags):
            warnings.warn(
                f"SequenceWindower got {X.shape[0]} row(s), fewer than "
                f"window={self.window}, and no remembered row precedes them: "
                f"every window is padded with fill_value={self.fill_value!r}, so "
                f"the output rests on a truncated history. Pass the rows with "
                f"the history before them (at least {self.window} rows), or as "
                f"a DataFrame whose index continues the data the windower was "
                f"fitted on (consecutive integers or a regular DatetimeIndex).",
                UserWarning,
                stacklevel=3,  # past scikit-learn's set_output wrapper
            )
        if ids is None:
            windows = _sliding_windows(X, self.window, self.fill_value, lags, rows)
        if self.flatten:
            windows = windows.reshape(X.shape[0], -1)
            if layout is not None:
                windows = np.hstack([windows, table[:, layout.leads.ravel()]])
            return windows if static is None else np.hstack([windows, static])
        if layout is None:
            return windows
        steps = layout.forecast_steps(table)
        if static is not None:  # not a covariate known in advance: NaN
            steps = with_unknown_features(steps, static.shape[1])
        return np.concatenate([windows, steps], axis=1)

    def _panel_windows(self, ids, index, X):
        """The windows of a panel, each series apart (:mod:`sklstm._panels`)."""

        def slide(values, lags, rows):
            return _sliding_windows(values, self.window, self.fill_value, lags, rows)

        def remembered(memory, memory_index, own_index):
            return _remembered(memory, memory_index, own_index, self.window)

        windows, truncated = panel_windows(self, ids, index, X, slide, remembered)
        if truncated:
            shown = ", ".join(map(repr, truncated[:5]))
            warnings.warn(
                f"SequenceWindower got fewer than window={self.window} row(s) "
                f"and no remembered history for {len(truncated)} series "
                f"({shown}{', ...' if len(truncated) > 5 else ''}): their windows "
                f"are padded with fill_value={self.fill_value!r}. Pass the rows "
                f"with the history before them.",
                UserWarning,
                stacklevel=4,
            )
        return windows

    def _lead_layout(self):
        """Where the past and the lead columns of ``X`` lie, or None."""
        if self.known_future is None:
            return None
        return LeadLayout.find(
            type(self).__name__,
            getattr(self, "feature_names_in_", None),
            self.known_future,
        )

    def _warn_undeclared_leads(self):
        """Warn when ``X`` holds lead columns that ``known_future`` left out."""
        names = getattr(self, "feature_names_in_", None)
        leads = undeclared_leads([] if names is None else names)
        if leads:
            shown = ", ".join(map(repr, leads[:3])) + (
                ", ..." if len(leads) > 3 else ""
            )
            warnings.warn(
                f"SequenceWindower got columns that look like lead columns of "
                f"covariates known in advance ({shown}) "
                f"but known_future=None, so it windows them over the past like "
                f"any input. Declare them, e.g. make_lstm_pipeline(window, "
                f"known_future=[...]) with the columns given to "
                f"make_supervised, so that they reach the forecast steps.",
                UserWarning,
                stacklevel=4,
            )

    def _remembered_before(self, X):
        """The remembered rows before the first row of ``X``, by lag.

        Returns ``lags`` (int64, each in ``1 .. window - 1``) and ``rows`` of
        shape ``(len(lags), n_features)``: the step ``lags[i]`` rows before the
        first row of ``X`` is ``rows[i]``. Both are empty when ``X`` has no
        position that lines up with the memory.
        """
        if not isinstance(X, pd.DataFrame):
            return np.empty(0, dtype=np.int64), None
        memory_index = getattr(self, "memory_index_", None)
        return _remembered(self.memory_, memory_index, X.index, self.window)

    def set_output(self, *, transform=None):
        """Set the output container of :meth:`transform` and ``fit_transform``.

        With ``flatten=True`` the lag matrix becomes a DataFrame (or polars
        frame) with the columns of :meth:`get_feature_names_out` and, for
        pandas, the input's index. The 3-D output (``flatten=False``) has no
        DataFrame form and stays an ndarray whatever the setting; the method
        exists in both modes so that ``set_output`` on a whole pipeline works.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Output container of the flattened windows; None leaves it
            unchanged.

        Returns
        -------
        self : object
            The windower.
        """
        # scikit-learn offers set_output only with get_feature_names_out (the
        # flat mode); record the setting in both modes. Its output wrapping
        # leaves output without column names (the 3-D windows) an array.
        return record_output_setting(self, transform)

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
        layout = self._lead_layout()
        past = names if layout is None else names[layout.past]
        lags = [
            f"{name}_lag{lag}"
            for lag in range(self.window - 1, -1, -1)
            for name in past
        ]
        leads = [] if layout is None else list(names[layout.leads.ravel()])
        ids = getattr(self, "series_ids_", None)
        ids = [] if ids is None else list(ids)
        static = [f"{self.series_id}={key}" for key in ids]
        return np.asarray(lags + leads + static, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _is_consecutive(values):
    """Whether integer ``values`` increase by exactly one from each to the next."""
    return values.size < 2 or bool(np.all(np.diff(values) == 1))


def _regular_index(X):
    """The index of ``X`` when it gives its rows positions, else None.

    That is a DataFrame's integer index of consecutive labels, or its
    increasing DatetimeIndex with a frequency (given or inferred), returned
    with ``freq`` set.
    """
    if not isinstance(X, pd.DataFrame) or not len(X):
        return None
    index = X.index
    if isinstance(index, pd.DatetimeIndex):
        if not (index.is_monotonic_increasing and index.is_unique):
            return None
        if index.freq is None:
            # freq="infer" leaves freq None when the index is not regular (or
            # has fewer than three rows).
            index = pd.DatetimeIndex(index, freq="infer")
        return index if index.freq is not None else None
    if (
        type(index) in (pd.Index, pd.RangeIndex)
        and is_integer_dtype(index.dtype)
        and _is_consecutive(index.to_numpy(dtype=np.int64))
    ):
        return index
    return None


def _first_position(index, memory_index, window):
    """The position of ``index[0]`` in the coordinates of the memory, or None.

    Integer positions are the labels. Datetime positions count steps of the
    memory's frequency from its first row; only the part of the grid that the
    windows can reach (``len(memory_index) + window - 1`` steps) is built, since
    a row further on has no remembered row within its window. ``index`` itself
    must be regular on the same terms, or it has no positions.
    """
    if isinstance(memory_index, pd.DatetimeIndex):
        if not isinstance(index, pd.DatetimeIndex) or not (
            index.is_monotonic_increasing and index.is_unique
        ):
            return None
        freq = memory_index.freq
        if len(index) > 1 and index.freq != freq:
            with warnings.catch_warnings():
                # Offsets without a vectorised form warn that they loop.
                warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
                if not (index[:-1] + freq).equals(index[1:]):
                    return None
        grid = pd.date_range(
            memory_index[0], periods=len(memory_index) + window - 1, freq=freq
        )
        try:
            first = grid.get_indexer(index[:1])[0]
        except TypeError:  # e.g. time zone-aware against naive timestamps
            return None
        return int(first) if first >= 0 else None
    if type(index) not in (pd.Index, pd.RangeIndex) or not is_integer_dtype(
        index.dtype
    ):
        return None
    labels = index.to_numpy(dtype=np.int64)
    return int(labels[0]) if _is_consecutive(labels) else None


def _remembered(memory, memory_index, index, window):
    """The rows of ``memory`` before the first label of ``index``, by lag.

    Returns ``lags`` (each in ``1 .. window - 1``) and their ``rows``; both
    empty when ``index`` has no position that lines up with the memory.
    """
    none = np.empty(0, dtype=np.int64), None
    if memory_index is None or not len(index):
        return none
    first = _first_position(index, memory_index, window)
    if first is None:
        return none
    if isinstance(memory_index, pd.DatetimeIndex):
        positions = np.arange(len(memory_index), dtype=np.int64)
    else:
        positions = memory_index.to_numpy(dtype=np.int64)
    lags = first - positions
    known = (lags >= 1) & (lags <= window - 1)
    return lags[known], memory[known]


def _sliding_windows(X, window, fill_value, lags=None, rows=None):
    """The windows ending at each row of ``X``, as a read-only view.

    One padded copy of ``X`` (``window - 1`` rows on top) is made; the windows
    are a strided view over it of shape ``(n_samples, window, n_features)``.
    The padding is ``fill_value``, except the step ``lags[i]`` rows before the
    first row of ``X``, which is ``rows[i]`` (remembered history).
    """
    n_samples, n_features = X.shape
    padded = np.empty((n_samples + window - 1, n_features), dtype=X.dtype)
    padded[: window - 1] = fill_value
    if lags is not None and len(lags):
        padded[window - 1 - lags] = rows
    padded[window - 1 :] = X
    # sliding_window_view puts the window axis last: (n, n_features, window).
    return sliding_window_view(padded, window, axis=0).transpose(0, 2, 1)
