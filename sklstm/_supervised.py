"""Targets from a time-ordered table: ``make_supervised``.

Builds, outside any pipeline and before any splitting, the value(s) to forecast
for each row (``y[t]`` = the target ``h`` rows later, or several horizons),
keeping the rows of ``X`` aligned with them; the windows themselves are the
:class:`~sklstm.SequenceWindower`'s job (``sklstm/_windowing.py``).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ._known_future import check_declared, lead_columns
from ._validation import Integral

__all__ = ["make_supervised"]


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


def make_supervised(data, *, target=None, horizon=1, known_future=None, series_id=None):
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

    known_future : list of str or None, default=None
        Columns of a DataFrame ``data`` whose values are known in advance at
        every forecast step (calendar features, planned events, weather
        forecasts). For each such column ``c`` and each horizon ``h``, ``X``
        gets the lead column ``c_t+h``: the value of ``c`` at the target time
        of row ``t`` (row ``t + h``), aligned row by row exactly as ``y`` is.
        The past values of ``c`` stay in ``X`` as an ordinary input. Read
        them in a pipeline with ``make_lstm_pipeline(window,
        known_future=[...])``; see :ref:`known-future`.

        .. versionadded:: 0.1

    series_id : str or None, default=None
        The column of a long table (a *panel*: several series stacked, each in
        time order) that names the series of each row. Targets and lead
        columns are then taken within each series, never across: the last
        ``max(horizon)`` rows of every series are dropped, and a series with
        no more rows than that is dropped with a warning. ``X`` keeps the
        column (a :class:`SequenceWindower` with the same ``series_id``
        windows each series apart) and the rows keep their order. See
        :ref:`panels`.

        .. versionadded:: 0.1

    Returns
    -------
    X : DataFrame of shape (n_samples - max(horizon), n_features + n_leads)
        The inputs, 2-D even for a single series, followed by the lead columns
        of ``known_future`` (``n_leads = len(known_future) * len(horizon)``,
        step by step). For pandas ``data``, its
        index and column names; for an array, a RangeIndex (the row positions)
        and the column labels ``0 .. n_features - 1`` (integers, which
        scikit-learn does not take for feature names).

    y : Series of shape (n_samples - max(horizon),), or \
            DataFrame of shape (n_samples - max(horizon), n_horizons)
        The targets, aligned with ``X`` and sharing its index, the forecast
        origin (``y`` at row ``t`` is the target at row ``t + h``); a Series
        for an int ``horizon``. They are named ``{target}`` (one horizon) or
        ``{target}_t+{h}`` (several) for pandas ``data``; for an array, the
        Series has no name and the columns are ``t+{h}``.

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

    The output is pandas for every input so that the rows keep their
    positions: a :class:`SequenceWindower` uses them to window a test fold (or
    the last rows) with the history observed before it. Take ``.to_numpy()``
    where an array is needed.

    .. versionchanged:: 0.1
       An array ``data`` gives pandas ``X`` and ``y`` too (a RangeIndex).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklstm import make_supervised
    >>> X, y = make_supervised(np.arange(6.0), horizon=2)
    >>> pd.concat([X, y.rename("target")], axis=1)
         0  target
    0  0.0     2.0
    1  1.0     3.0
    2  2.0     4.0
    3  3.0     5.0
    >>> X, Y = make_supervised(np.arange(6.0), horizon=range(1, 3))
    >>> Y
       t+1  t+2
    0  1.0  2.0
    1  2.0  3.0
    2  3.0  4.0
    3  4.0  5.0
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
    if series_id is not None:
        return _panel(data, column, name, steps, single, known_future, series_id)
    if known_future is not None:
        if not is_pandas:
            raise ValueError(
                "make_supervised expected data as a DataFrame with named columns "
                "when known_future is given (the lead columns are named after "
                f"them); got {type(data).__name__}. Wrap it: pd.DataFrame(data, "
                "columns=[...])."
            )
        known_future = check_declared(
            "make_supervised", known_future, data.columns, target=data.columns[column]
        )
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
        columns = [f"{name}_t+{h}" for h in steps]
        if known_future is not None:
            leads = lead_columns("make_supervised", data, known_future, steps, n_rows)
            X = pd.concat([X, leads], axis=1)
    else:
        # A RangeIndex gives the rows the positions that the windower's memory
        # needs; integer column labels are not feature names to scikit-learn.
        X = pd.DataFrame(data[:n_rows], copy=True)
        series = data[:, column]
        columns = [f"t+{h}" for h in steps]
    values = np.column_stack([series[h : h + n_rows] for h in steps])
    if single:
        return X, pd.Series(values[:, 0], index=X.index, name=name)
    return X, pd.DataFrame(values, index=X.index, columns=columns)


def _panel(data, column, name, steps, single, known_future, series_id):
    """:func:`make_supervised` within each series of a long table."""
    if not isinstance(data, pd.DataFrame) or series_id not in data.columns:
        columns = list(data.columns) if isinstance(data, pd.DataFrame) else None
        raise ValueError(
            f"make_supervised expected series_id to name a column of a "
            f"DataFrame data; got series_id={series_id!r} for "
            f"{type(data).__name__} data with columns {columns!r}."
        )
    if name == series_id:
        raise ValueError(
            f"make_supervised got series_id={series_id!r}, the target itself; "
            f"name the column that identifies each row's series."
        )
    if known_future is not None:
        known_future = check_declared(
            "make_supervised", known_future, data.columns, target=name
        )
        if series_id in known_future:
            raise ValueError(
                f"make_supervised got the series_id column {series_id!r} among "
                f"the known_future columns; it is not a time-varying input."
            )
    if data[series_id].isna().any():
        raise ValueError(
            f"make_supervised expected a series id on every row; the column "
            f"{series_id!r} has {int(data[series_id].isna().sum())} missing "
            f"value(s)."
        )
    longest = max(steps)
    groups = data.groupby(series_id, sort=False).indices
    kept, targets, leads, short = [], [], [], []
    series = data.iloc[:, column].to_numpy()
    for key, positions in groups.items():
        index = data.index[positions]
        if len(index) > 1 and not index.is_monotonic_increasing:
            raise ValueError(
                f"make_supervised expected the rows of each series in time "
                f"order (an increasing index within the series); series "
                f"{key!r} is not. Sort the table by time first, e.g. "
                f"data.sort_index(kind='stable')."
            )
        n_rows = len(positions) - longest
        if n_rows < 1:
            short.append(key)
            continue
        kept.append(positions[:n_rows])
        targets.append(
            np.column_stack([series[positions[h : h + n_rows]] for h in steps])
        )
        if known_future is not None:
            rows = data.iloc[positions]
            leads.append(
                lead_columns("make_supervised", rows, known_future, steps, n_rows)
            )
    if short:
        shown = ", ".join(map(repr, short[:5])) + (", ..." if len(short) > 5 else "")
        warnings.warn(
            f"make_supervised dropped {len(short)} series with no more than "
            f"{longest} row(s), too short for horizon {longest}: {shown}.",
            UserWarning,
            stacklevel=3,
        )
    if not kept:
        raise ValueError(
            f"make_supervised expected at least one series longer than the "
            f"horizon ({longest + 1} rows or more); got none."
        )
    positions = np.concatenate(kept)
    order = np.argsort(positions, kind="stable")  # the rows keep their order
    X = data.iloc[positions[order]].copy()
    if known_future is not None:
        lead_table = pd.concat(leads).iloc[order]
        X = pd.concat([X, lead_table.set_axis(X.index)], axis=1)
    values = np.concatenate(targets)[order]
    if single:
        return X, pd.Series(values[:, 0], index=X.index, name=name)
    columns = [f"{name}_t+{h}" for h in steps]
    return X, pd.DataFrame(values, index=X.index, columns=columns)
