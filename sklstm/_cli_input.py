"""The command line's input: a user's CSV read, checked and put on a regular grid.

Expected problems end in :class:`CLIError` (one line, no traceback); problems
that can be mended (duplicated dates, a few missing rows) are mended with a
warning that says what was done. The seasonal period follows from the dates'
frequency. The table of ``--future`` (the covariates known in advance at the
forecast's target times) is read and checked here too, but never mended: its
dates must be exactly the target times.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import os
import sys

import pandas as pd

__all__ = [
    "CLIError",
    "panel_frequency",
    "read_csv",
    "read_future",
    "regular_dates",
    "season_from_frequency",
    "warn",
]


class CLIError(Exception):
    """An expected problem with the user's input: reported in one line."""


def warn(message):
    """A warning about the user's data: shown even with ``--quiet``."""
    print(f"sklstm: warning: {message}", file=sys.stderr, flush=True)


#: Rows per year of calendar frequencies, by the start of their name.
_PER_YEAR = {"W": 52, "M": 12, "SM": 24, "Q": 4, "Y": 1, "A": 1}


def season_from_frequency(freq):
    """Rows per seasonal cycle for a pandas frequency, or None if unknown.

    Sub-daily data cycle daily (hourly: 24, 30 min: 48), daily data weekly
    (7; business days 5), weekly, monthly and quarterly data yearly (52, 12,
    4); yearly data have no season (1).
    """
    if freq is None:
        return None
    offset = pd.tseries.frequencies.to_offset(freq)
    if offset.rule_code == "D":  # a calendar day (not a Tick in pandas >= 3)
        return 7 if offset.n == 1 else None
    if isinstance(offset, pd.offsets.Tick):
        per_day = pd.Timedelta(days=1) / pd.Timedelta(offset)
        if per_day == 1:
            return 7
        return int(per_day) if per_day > 1 and per_day.is_integer() else None
    if offset.rule_code.startswith("B"):
        return 5 if offset.n == 1 else None
    prefix = offset.rule_code.split("-")[0].rstrip("SE") or offset.rule_code[:1]
    per_year = _PER_YEAR.get(prefix) or _PER_YEAR.get(prefix[:1])
    if per_year is None or per_year % offset.n:
        return None
    return per_year // offset.n


def regular_dates(data, where=""):
    """Rows on a regular grid of dates: duplicates and gaps mended, with a warning.

    Duplicated dates keep their last row. When most dates are one step apart
    and a few rows are missing, the grid of that step is restored and the
    missing rows are filled by linear interpolation in time, so that the
    forecast carries the right dates and the seasonal naive stays aligned.
    ``where`` starts each warning (e.g. ``"series 'a': "`` in a panel).
    """
    duplicated = data.index.duplicated(keep="last")
    if duplicated.any():
        warn(
            f"{where}{duplicated.sum()} duplicated date(s), e.g. "
            f"{data.index[duplicated][0]}: kept the last row of each"
        )
        data = data[~duplicated]
    if len(data) < 3:
        return data
    # freq="infer" rather than pd.infer_freq, which warns under pandas 3.
    freq = pd.DatetimeIndex(data.index, freq="infer").freq
    if freq is None:
        step = data.index.to_series().diff().mode().iloc[0]
        grid = pd.date_range(data.index[0], data.index[-1], freq=step)
        missing = grid.difference(data.index)
        if len(missing) and data.index.isin(grid).all():
            warn(
                f"{where}{len(missing)} date(s) missing from a regular grid of "
                f"{step}, e.g. {missing[0]}: filled by linear interpolation"
            )
            numeric = data.select_dtypes("number").reindex(grid)
            data = numeric.interpolate(method="time").rename_axis(data.index.name)
        else:
            warn(
                f"{where}the dates are irregular (no common step): the forecast "
                f"is indexed by rows after the last one, and --season must be given"
            )
            return data
    # Inferred afresh from the dates (a grid built from a step says "24h").
    data.index = pd.DatetimeIndex(
        data.index.to_numpy(), freq="infer", name=data.index.name
    )
    return data


def _read_table(path, what):
    if not os.path.isfile(path):
        raise CLIError(f"no such file: {path}")
    try:
        data = pd.read_csv(path)
    except (ValueError, OSError) as exc:
        raise CLIError(f"could not read {path} as CSV: {exc}") from None
    if data.empty:
        raise CLIError(f"{path} has no rows (only a header): {what}")
    return data


def read_csv(args):
    """The user's CSV, checked; with ``--series-id``, a panel (see :func:`_panel`)."""
    data = _read_table(args.csv, "nothing to forecast")
    series_id = getattr(args, "series_id", None)
    if series_id is not None:
        _check_series_id(args, data)
    if args.date_column is not None:
        if args.date_column not in data.columns:
            raise CLIError(
                f"no column {args.date_column!r} in {args.csv}; columns are "
                f"{list(data.columns)}"
            )
        dates = pd.to_datetime(data.pop(args.date_column), errors="coerce")
        if dates.isna().any():
            raise CLIError(
                f"column {args.date_column!r} holds values that are not dates"
            )
        data.index = pd.DatetimeIndex(dates, name=args.date_column)
        data = data.sort_index(kind="stable")
        data = regular_dates(data) if series_id is None else _panel(data, series_id)
    if args.target not in data.columns:
        raise CLIError(
            f"no column {args.target!r} in {args.csv}; columns are {list(data.columns)}"
        )
    if not pd.api.types.is_numeric_dtype(data[args.target]):
        raise CLIError(f"target column {args.target!r} is not numeric")
    for name in getattr(args, "known_future", None) or []:
        if name == args.target:
            raise CLIError(
                f"the target {name!r} cannot be --known-future: the value to "
                f"forecast is not known in advance (its past is read already)"
            )
        if name not in data.columns:
            raise CLIError(
                f"no column {name!r} (--known-future) in {args.csv}; columns are "
                f"{list(data.columns)}"
            )
        if not pd.api.types.is_numeric_dtype(data[name]):
            raise CLIError(
                f"known-future column {name!r} is not numeric; encode it as "
                f"numbers (0/1 flags; sklstm.calendar_features for dates)"
            )
    numeric = data.select_dtypes("number")
    if series_id is not None:  # the id, whatever its type, and not as a feature
        numeric = pd.concat(
            [data[[series_id]], numeric.drop(columns=series_id, errors="ignore")],
            axis=1,
        )
    if numeric[args.target].isna().any():
        raise CLIError(f"target column {args.target!r} has missing values")
    return numeric


def _check_series_id(args, data):
    """The ``--series-id`` column: present, not the target, no missing id."""
    series_id = args.series_id
    if series_id not in data.columns:
        raise CLIError(
            f"no column {series_id!r} (--series-id) in {args.csv}; columns are "
            f"{list(data.columns)}"
        )
    if series_id == args.target:
        raise CLIError(
            f"the target {series_id!r} cannot be the --series-id: name the "
            f"column that says which series each row belongs to"
        )
    if series_id == args.date_column:
        raise CLIError(
            f"the date column {series_id!r} cannot be the --series-id: name "
            f"the column that says which series each row belongs to"
        )
    if args.date_column is None:
        raise CLIError(
            "--series-id needs --date-column: the rows of all series are put "
            "in time order, and cross-validated at common cutoff dates, by "
            "their dates"
        )
    if data[series_id].isna().any():
        raise CLIError(
            f"column {series_id!r} (--series-id) has "
            f"{int(data[series_id].isna().sum())} empty value(s): every row "
            f"needs the id of its series"
        )


def _panel(data, series_id):
    """Each series of a panel on its own regular grid; rows in time order.

    Duplicated dates and missing rows are mended within each series, as
    :func:`regular_dates` mends one series, with warnings that name it. The
    rows of all series are then sorted by date (stably: series in the order
    they first appear at each date).
    """
    parts = []
    for key, rows in data.groupby(series_id, sort=False):
        own = regular_dates(rows.drop(columns=series_id), where=f"series {key!r}: ")
        own.insert(0, series_id, key)
        parts.append(own)
    return pd.concat(parts).sort_index(kind="stable")


def panel_frequency(data, series_id):
    """The frequency of the dates of every series of a panel, or None."""
    freqs = set()
    for _, rows in data.groupby(series_id, sort=False):
        if len(rows) < 3:
            return None
        freqs.add(pd.DatetimeIndex(rows.index, freq="infer").freq)
    return freqs.pop() if len(freqs) == 1 else None


def read_future(args, data, known_future, horizons, source):
    """The ``--future`` table: ``known_future`` at the forecast's target times.

    The target times are the ``horizons`` steps after the last row of
    ``data``. The table is read from ``args.future`` and indexed by its
    ``--date-column``; its dates must be exactly the target times (nothing is
    mended), and the checks are those of :func:`sklstm.forecast`, whose
    message is given with the file's name. With ``--series-id``, the table
    also has the id column, and each series' rows are checked against that
    series' target times. ``source`` names what reads
    ``known_future``, for the message when ``--future`` is not given.
    """
    from ._forecasting import _future_index
    from ._known_future import future_table

    series_id = getattr(args, "series_id", None)
    if series_id is None:
        times = _future_index(data.index, len(data), horizons)
    else:  # the first series' target times, for the message
        first = data[data[series_id] == data[series_id].iloc[0]]
        times = _future_index(first.index, len(first), horizons)
    if args.future is None:
        shown = ", ".join(map(str, times[:3])) + (" ..." if len(times) > 3 else "")
        raise CLIError(
            f"{source} reads the covariates {known_future!r} at the forecast's "
            f"target times ({shown}): give their values there with --future "
            f"FILE, a CSV with the date column and those columns"
        )
    if args.date_column is None:
        raise CLIError(
            "--future needs --date-column: its rows are matched to the "
            "forecast's target times by their dates"
        )
    path, date_column = args.future, args.date_column
    table = _read_table(path, "no values known in advance")
    if date_column not in table.columns:
        raise CLIError(
            f"no column {date_column!r} (--date-column) in {path}; columns are "
            f"{list(table.columns)}"
        )
    if series_id is not None and series_id not in table.columns:
        raise CLIError(
            f"no column {series_id!r} (--series-id) in {path}: with a panel, "
            f"each row of --future names its series; columns are "
            f"{list(table.columns)}"
        )
    absent = [name for name in known_future if name not in table.columns]
    if absent:
        raise CLIError(
            f"no column(s) {absent!r} (--known-future) in {path}; columns are "
            f"{list(table.columns)}"
        )
    dates = pd.to_datetime(table.pop(date_column), errors="coerce")
    if dates.isna().any():
        raise CLIError(
            f"column {date_column!r} of {path} holds values that are not dates"
        )
    columns = list(known_future) if series_id is None else [series_id, *known_future]
    future = table[columns].set_axis(pd.DatetimeIndex(dates, name=date_column))
    if series_id is None:
        parts = [("", data, future)]
    else:  # each series at its own target times
        parts = [
            (f"series {key!r}: ", rows, future[future[series_id] == key])
            for key, rows in data.groupby(series_id, sort=False)
        ]
    for where, rows, own in parts:
        times = _future_index(rows.index, len(rows), horizons)
        try:  # before training, rather than after it, in sklstm.forecast
            future_table("forecast", own[list(known_future)], list(known_future), times)
        except (ValueError, TypeError) as exc:
            raise CLIError(f"{path}: {where}{exc}") from None
    return future
