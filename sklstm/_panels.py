"""Panels: many series in one long table, windowed and scaled series by series.

A panel is a long table whose ``series_id`` column names the series of each
row, each series in time order (any interleaving of the series). The
:class:`~sklstm.SequenceWindower` with ``series_id`` windows each series
apart (:func:`panel_windows`), so that no window crosses from one series into
another, and remembers the last rows of every series (:func:`panel_memory`)
so that later rows of a series get that series' history;
:class:`SeriesScaler` standardises each series with its own statistics.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from ._validation import (
    StrOptions,
    _fit_context,
    check_is_fitted,
    check_numeric,
    record_output_setting,
    validate_data,
)
from ._versions import VersionedPickleMixin

__all__ = [
    "SeriesScaler",
    "panel_memory",
    "panel_windows",
    "series_rows",
    "series_shorter_than",
    "split_series_id",
    "usable_scale",
]


def split_series_id(owner, X, series_id):
    """The series id of each row and ``X`` without the id column."""
    if not isinstance(X, pd.DataFrame) or series_id not in X.columns:
        columns = list(X.columns) if isinstance(X, pd.DataFrame) else None
        raise ValueError(
            f"{type(owner).__name__} expected X as a DataFrame with the series "
            f"id column {series_id!r}; got {type(X).__name__} with columns "
            f"{columns!r}. Build X with make_supervised(..., series_id="
            f"{series_id!r}), which keeps it."
        )
    ids = X[series_id]
    if ids.isna().any():
        raise ValueError(
            f"{type(owner).__name__} expected a series id on every row; the "
            f"column {series_id!r} has {int(ids.isna().sum())} missing value(s)."
        )
    return ids.to_numpy(), X.drop(columns=series_id)


def series_shorter_than(table, series_id, rows):
    """The row counts of the series of ``table`` that have fewer than
    ``rows`` rows, in the order the series first appear."""
    counts = table.groupby(series_id, sort=False).size()
    return counts[counts < rows]


def _groups(ids):
    """Row positions of each series, in order of first appearance."""
    return pd.Series(ids).groupby(ids, sort=False).indices


def usable_scale(spread):
    """``spread`` with the zero or undefined values set to 1 (a scale)."""
    return np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)


def series_rows(owner, ids, fitted, unseen):
    """The position in ``fitted`` (the series seen in fit) of each row's
    series; ``len(fitted)`` (the pooled statistics) for a series not seen,
    which ``unseen="error"`` refuses instead, naming the owner."""
    where = {key: k for k, key in enumerate(fitted)}
    missing = sorted({key for key in ids if key not in where}, key=str)
    if missing and unseen == "error":
        raise ValueError(
            f"{type(owner).__name__} got series it was not fitted on: "
            f"{missing[:5]!r}{' ...' if len(missing) > 5 else ''}. Fit it on "
            f"rows of every series, or set unseen='pooled' to use the "
            f"statistics of all fitted rows."
        )
    return np.array([where.get(key, len(fitted)) for key in ids], np.int64)


def _series_index(index, positions, regular_index):
    """The index of one series' rows if it gives them positions, else None."""
    return regular_index(pd.DataFrame(index=index[positions]))


def panel_memory(index, ids, values, window, regular_index):
    """The last ``window`` rows of every series, with their index and id.

    Returns ``(memory, memory_index, memory_series, freq)``: the rows stacked
    series after series, their index labels (no ``freq``: the series repeat
    the same times), their ids, and the frequency of a DatetimeIndex (its
    string form) or None. A series whose rows have no positions (an irregular
    index) is not remembered.
    """
    rows, labels, series, freq = [], [], [], None
    for key, positions in _groups(ids).items():
        own = _series_index(index, positions, regular_index)
        if own is None:
            continue
        if isinstance(own, pd.DatetimeIndex):
            freq = freq or own.freq.freqstr
        keep = positions[-window:]
        rows.append(values[keep])
        labels.append(index[keep])
        series.append(np.full(len(keep), key, dtype=object))
    if not rows:
        return None, None, None, None
    memory_index = labels[0].append(labels[1:]) if len(labels) > 1 else labels[0]
    if isinstance(memory_index, pd.DatetimeIndex):
        memory_index = pd.DatetimeIndex(memory_index, freq=None)
    return (
        np.array(np.concatenate(rows)),
        memory_index,
        np.concatenate(series),
        freq,
    )


def panel_windows(windower, ids, index, values, sliding_windows, remembered):
    """The windows ending at each row, each series windowed apart.

    ``sliding_windows(X, lags, rows)`` windows one series' rows after the
    remembered ``rows`` at ``lags``; ``remembered(memory, memory_index,
    index)`` finds those in one series' memory. Returns the windows in the
    rows' order, and the series that had fewer rows than the window and no
    remembered history.
    """
    window = windower.window
    out = np.empty((len(values), window, values.shape[1]), dtype=values.dtype)
    memory_series = getattr(windower, "memory_series_", None)
    # Each series' remembered rows, found once (not a scan per series).
    remembered_rows = {} if memory_series is None else _groups(memory_series)
    truncated = []
    for key, positions in _groups(ids).items():
        lags, rows = np.empty(0, dtype=np.int64), None
        if index is not None:
            mine = remembered_rows.get(key)
            if mine is not None:
                memory_index = windower.memory_index_[mine]
                if windower.memory_freq_ is not None:
                    memory_index = pd.DatetimeIndex(
                        memory_index, freq=windower.memory_freq_
                    )
                lags, rows = remembered(
                    windower.memory_[mine], memory_index, index[positions]
                )
        if len(positions) < window and not len(lags):
            truncated.append(key)
        out[positions] = sliding_windows(values[positions], lags, rows)
    return out, truncated


class SeriesScaler(VersionedPickleMixin, TransformerMixin, BaseEstimator):
    """Standardise every column of each series with that series' own statistics.

    The level and scale of series in a panel can differ by orders of
    magnitude; one :class:`~sklearn.preprocessing.StandardScaler` over all
    rows lets the largest series dominate. This scaler learns, on the rows it
    is fitted on (the training rows of each cross-validation fold), the mean
    and standard deviation of every numeric column within each series, and
    scales each row by those of its series. The ``series_id`` column passes
    through unchanged, so that a :class:`~sklstm.SequenceWindower` after it
    can window each series apart.

    Parameters
    ----------
    series_id : str
        The column naming the series of each row.

    unseen : {"error", "pooled"}, default="error"
        What :meth:`transform` does with a series that :meth:`fit` did not
        see: ``"error"`` raises, naming it; ``"pooled"`` scales it with the
        statistics of all fitted rows together.

    Attributes
    ----------
    series_ : ndarray of shape (n_series,)
        The series seen in :term:`fit`.

    mean_, scale_ : ndarray of shape (n_series, n_features)
        Each series' mean and standard deviation (1 where it is 0 or
        undefined) of every column but ``series_id``, in order of
        ``feature_names_in_`` without it.

    pooled_mean_, pooled_scale_ : ndarray of shape (n_features,)
        The statistics of all fitted rows together.

    n_features_in_ : int
        Number of columns seen during :term:`fit`, ``series_id`` excluded.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Their names.

    See Also
    --------
    SequenceWindower : Windows each series apart with ``series_id``.
    sklearn.preprocessing.StandardScaler : The same over all rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import SeriesScaler
    >>> X = pd.DataFrame(
    ...     {"store": ["a", "a", "b", "b"], "sales": [1.0, 3.0, 100.0, 300.0]}
    ... )
    >>> SeriesScaler("store").fit_transform(X)
      store  sales
    0     a   -1.0
    1     a    1.0
    2     b   -1.0
    3     b    1.0
    """

    _parameter_constraints: dict = {
        "series_id": [str],
        "unseen": [StrOptions({"error", "pooled"})],
    }

    def __init__(self, series_id, *, unseen="error"):
        self.series_id = series_id
        self.unseen = unseen

    def _values(self, X, *, reset):
        ids, features = split_series_id(self, X, self.series_id)
        check_numeric(self, features)
        values = validate_data(
            self, features, reset=reset, dtype=np.float64, ensure_all_finite="allow-nan"
        )
        return ids, values

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn each series' mean and standard deviation.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features + 1)
            The panel, with the ``series_id`` column.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted scaler.
        """
        ids, values = self._values(X, reset=True)
        groups = _groups(ids)
        self.series_ = np.array(list(groups), dtype=object)
        self.mean_ = np.vstack([np.nanmean(values[p], axis=0) for p in groups.values()])
        spread = np.vstack([np.nanstd(values[p], axis=0) for p in groups.values()])
        self.scale_ = usable_scale(spread)
        self.mean_ = np.where(np.isfinite(self.mean_), self.mean_, 0.0)
        self.pooled_mean_ = np.nan_to_num(np.nanmean(values, axis=0))
        self.pooled_scale_ = usable_scale(np.nanstd(values, axis=0))
        return self

    def _statistics(self, ids):
        """The mean and scale of each row's series."""
        rows = series_rows(self, ids, self.series_, self.unseen)
        mean = np.vstack([self.mean_, self.pooled_mean_])
        scale = np.vstack([self.scale_, self.pooled_scale_])
        return mean[rows], scale[rows]

    def transform(self, X):
        """Scale each row with its series' statistics.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features + 1)
            The panel, with the ``series_id`` column.

        Returns
        -------
        X_scaled : DataFrame of shape (n_samples, n_features + 1)
            ``series_id``, then the scaled columns, on the index of ``X``.
        """
        check_is_fitted(self)
        ids, values = self._values(X, reset=False)
        mean, scale = self._statistics(ids)
        return self._table(X, (values - mean) / scale)

    def inverse_transform(self, X):
        """Undo :meth:`transform`.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features + 1)
            Scaled rows with the ``series_id`` column.

        Returns
        -------
        X_original : DataFrame of shape (n_samples, n_features + 1)
            The rows in their original units.
        """
        check_is_fitted(self)
        ids, values = self._values(X, reset=False)
        mean, scale = self._statistics(ids)
        return self._table(X, values * scale + mean)

    def _table(self, X, values):
        """``series_id`` first, then the scaled columns, on the index of X."""
        out = pd.DataFrame(values, index=X.index, columns=self.feature_names_in_)
        out.insert(0, self.series_id, X[self.series_id].to_numpy())
        return out

    def set_output(self, *, transform=None):
        """Record the output setting; the output is always a DataFrame.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Kept for :class:`~sklearn.pipeline.Pipeline` compatibility.

        Returns
        -------
        self : object
            The scaler.
        """
        return record_output_setting(self, transform)

    def get_feature_names_out(self, input_features=None):
        """The output columns: ``series_id``, then the scaled ones.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; the fitted names are used.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``series_id``, then the names of the scaled columns.
        """
        check_is_fitted(self)
        return np.asarray([self.series_id, *self.feature_names_in_], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags


def series_categories(windower, ids):
    """The sorted series of ``ids`` for a one-hot static input, or None."""
    if not windower.static_id:
        return None
    if ids is None:
        raise ValueError(
            f"{type(windower).__name__} got static_id=True without series_id: "
            f"the static input is the series id. Pass series_id (the id "
            f"column of the panel) or leave static_id=False."
        )
    categories = pd.unique(ids)
    try:
        return np.asarray(sorted(categories), dtype=ids.dtype)
    except TypeError:  # ids of mixed types: order of first appearance
        return np.asarray(categories, dtype=ids.dtype)


def one_hot(windower, ids):
    """The one-hot series id of each row over ``series_ids_`` (float)."""
    categories = windower.series_ids_
    codes = pd.Index(categories).get_indexer(ids)
    unseen = codes < 0
    if unseen.any():
        shown = ", ".join(map(repr, pd.unique(ids[unseen])[:5]))
        warnings.warn(
            f"{type(windower).__name__} got series not seen in fit ({shown}): "
            f"their static id input is all zeros, so the network forecasts "
            f"them as an average series. Refit with their rows to learn them.",
            UserWarning,
            stacklevel=4,
        )
    table = np.zeros((len(ids), len(categories)))
    table[np.flatnonzero(~unseen), codes[~unseen]] = 1.0
    return table


def with_unknown_features(steps, n_features):
    """Forecast ``steps`` (3-D) with ``n_features`` more features, all NaN."""
    n, length, _ = steps.shape
    unknown = np.full((n, length, n_features), np.nan, dtype=steps.dtype)
    return np.concatenate([steps, unknown], axis=2)
