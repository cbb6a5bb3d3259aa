"""Calendar columns from a DatetimeIndex: ``calendar_features``.

Hour of day, day of week, day of year, month, weekend and holiday flags are
known in advance for every future time, so they can be built for the rows
to forecast as well as for the past: a plain function of an index, not a
pipeline step. Needs pandas only (and the optional ``holidays`` package for
a country code), never Keras.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import difflib
from importlib import import_module

import numpy as np
import pandas as pd

__all__ = ["calendar_features"]

_CALENDAR_EXTRA = "Install the calendar extra: pip install 'sklstm[calendar]'"

# Periodic features and their period; "day_of_year" uses the length of each year.
_PERIODS = {"hour": 24, "day_of_week": 7, "day_of_year": None, "month": 12}
# Where each periodic feature starts, so the first value sits at angle 0.
_FIRST = {"hour": 0, "day_of_week": 0, "day_of_year": 1, "month": 1}
_FEATURES = (*_PERIODS, "weekend")

# Containers read as a list of holiday dates (others are asked `date in obj`).
_HOLIDAY_TYPES = (list, tuple, set, frozenset, np.ndarray, pd.Index, pd.Series)


def _as_datetime_index(index):
    """The DatetimeIndex of ``index`` (itself, or the index of a pandas object)."""
    if isinstance(index, pd.DataFrame | pd.Series):
        inner = index.index
        if isinstance(inner, pd.DatetimeIndex):
            return inner
        raise TypeError(
            f"calendar_features expected a DatetimeIndex, or a DataFrame or "
            f"Series indexed by one; got a {type(index).__name__} indexed by "
            f"{type(inner).__name__}. Set the dates as the index first, e.g. "
            f"data.set_index(pd.to_datetime(data['date']))."
        )
    if isinstance(index, pd.DatetimeIndex):
        return index
    raise TypeError(
        f"calendar_features expected a DatetimeIndex, or a DataFrame or Series "
        f"indexed by one; got {type(index).__name__}. Convert the dates with "
        f"pd.DatetimeIndex(...) or pd.to_datetime(...)."
    )


def _check_features(features):
    """The feature names as a tuple, in order, without repeats."""
    if isinstance(features, str):
        features = (features,)
    try:
        names = tuple(dict.fromkeys(features))
    except TypeError:
        raise TypeError(
            f"calendar_features expected features as a sequence of names among "
            f"{list(_FEATURES)}; got {features!r}. Pass e.g. "
            f"features=('day_of_week', 'month')."
        ) from None
    if not names:
        raise ValueError(
            f"calendar_features expected at least one name in features; got "
            f"{features!r}. Pass e.g. features=('day_of_week', 'month')."
        )
    for name in names:
        if name not in _FEATURES:
            close = difflib.get_close_matches(str(name), _FEATURES, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"calendar_features expected feature names among "
                f"{list(_FEATURES)}; got {name!r}.{hint}"
            )
    return names


def _country_holidays(code, years):
    """The holidays of country ``code`` from the optional ``holidays`` package."""
    try:
        holidays = import_module("holidays")
    except ImportError as exc:
        raise ImportError(
            f"calendar_features needs the holidays package for "
            f"holidays={code!r}, which is not installed. {_CALENDAR_EXTRA}, or "
            f"pass your own holiday dates as a list."
        ) from exc
    try:
        return holidays.country_holidays(code, years=years)
    except NotImplementedError:
        raise ValueError(
            f"calendar_features expected holidays as a country code known to "
            f"the holidays package, e.g. 'US' or 'GB'; got {code!r}. See "
            f"holidays.list_supported_countries()."
        ) from None


def _holiday_flags(holidays, local):
    """1 where the local date of ``local`` is a holiday, else 0."""
    dates = local.normalize()
    if isinstance(holidays, str):
        years = range(local.year.min(), local.year.max() + 1) if len(local) else ()
        holidays = _country_holidays(holidays, years)
    elif isinstance(holidays, _HOLIDAY_TYPES):
        holidays = set(pd.to_datetime(list(holidays)).normalize().date)
    elif not hasattr(holidays, "__contains__"):
        raise TypeError(
            f"calendar_features expected holidays as None, a country code such "
            f"as 'US', a list of dates, or an object answering `date in "
            f"holidays` (e.g. holidays.country_holidays('GB', subdiv='ENG')); "
            f"got {holidays!r}. Pass one of these."
        )
    # One question per distinct date, not per time.
    found = [day for day in dates.unique() if day.date() in holidays]
    return np.asarray(dates.isin(found), dtype=np.int64)


def _snap(values):
    """Round the float noise of sin/cos (6e-17 for cos(pi/2)) to exact 0."""
    return np.where(np.abs(values) < 1e-12, 0.0, values)


def calendar_features(
    index, *, features=("hour", "day_of_week", "month"), cyclic=True, holidays=None
):
    """Derive calendar columns from a DatetimeIndex.

    Calendar columns are known in advance: they exist for the times to
    forecast as well as for the past. Build them for the history before
    :func:`~sklstm.make_supervised`, and for the future target times when
    forecasting, from the same function. Times are read as local wall-clock
    time: a timezone-aware index gives the hour and date where it is.

    Parameters
    ----------
    index : DatetimeIndex, DataFrame or Series
        The times, or a pandas object indexed by them.
    features : str or sequence of str, default=("hour", "day_of_week", "month")
        Which columns to derive, in this order:

        - ``"hour"``: time of day in hours, ``hour + minute / 60 +
          second / 3600`` (12:30 is 12.5), period 24;
        - ``"day_of_week"``: 0 for Monday to 6 for Sunday, period 7;
        - ``"day_of_year"``: 1 to 365, or 366 in a leap year, with the year's
          length as the period;
        - ``"month"``: 1 to 12, period 12;
        - ``"weekend"``: 1 on Saturday and Sunday, else 0 (never cyclic).
    cyclic : bool, default=True
        Whether to encode each periodic feature ``name`` as the two columns
        ``name_sin`` and ``name_cos``, the point at angle
        ``2 * pi * (value - first) / period`` on the unit circle, where
        ``first`` is the feature's first value (0 for hour and day of week, 1
        for day of year and month). Then the last hour of the day lies next to
        the first, and Monday, January, January 1st and midnight sit at angle
        0 (sin 0, cos 1). With ``False``, each feature is one column ``name``
        holding the value itself.
    holidays : None, str, list of dates or object, default=None
        Adds a column ``"holiday"``, 1 on a holiday and 0 otherwise, tested on
        each time's local date. A country code such as ``"US"`` or ``"GB"``
        uses the optional ``holidays`` package
        (``pip install 'sklstm[calendar]'``); a list of dates (anything
        :func:`pandas.to_datetime` reads) gives the holidays themselves; any
        other object is asked ``date in holidays`` with a
        :class:`datetime.date`, for example
        ``holidays.country_holidays("GB", subdiv="ENG")``.

    Returns
    -------
    calendar : DataFrame of shape (n_times, n_columns)
        On the same index. Sine and cosine columns and ``"hour"`` are
        float64; the other columns are int64. The columns come in the order
        of ``features``, then ``"holiday"``.

    Raises
    ------
    TypeError
        If ``index`` holds no DatetimeIndex, or ``features``, ``cyclic`` or
        ``holidays`` has the wrong type.
    ValueError
        If ``features`` is empty or names an unknown feature, ``index``
        contains NaT, or the country code is unknown.
    ImportError
        If ``holidays`` is a country code and the ``holidays`` package is not
        installed.

    See Also
    --------
    sklstm.make_supervised : Pair each row with the value to forecast.
    sklstm.forecast : Forecast the times after the data.

    Notes
    -----
    A one-hot encoding of the day of week or month works too (e.g.
    ``pd.get_dummies(calendar_features(idx, cyclic=False), columns=["month"])``);
    the cyclic encoding keeps two columns per feature and tells the network
    that December is next to January.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import calendar_features
    >>> times = pd.date_range("2024-01-01", periods=3, freq="6h")
    >>> calendar_features(times, features=("hour", "day_of_week")).round(3)
                         hour_sin  hour_cos  day_of_week_sin  day_of_week_cos
    2024-01-01 00:00:00       0.0       1.0            0.0            1.0
    2024-01-01 06:00:00       1.0       0.0            0.0            1.0
    2024-01-01 12:00:00       0.0      -1.0            0.0            1.0
    >>> days = pd.date_range("2024-12-23", periods=4, freq="D")
    >>> calendar_features(
    ...     days, features=("day_of_week", "weekend"), cyclic=False,
    ...     holidays=["2024-12-25"],
    ... )
                day_of_week  weekend  holiday
    2024-12-23          0        0        0
    2024-12-24          1        0        0
    2024-12-25          2        0        1
    2024-12-26          3        0        0
    """
    times = _as_datetime_index(index)
    names = _check_features(features)
    if not isinstance(cyclic, bool | np.bool_):
        raise TypeError(
            f"calendar_features expected cyclic as True or False; got "
            f"{cyclic!r}. Pass cyclic=True for sin/cos columns, False for the "
            f"values themselves."
        )
    if times.hasnans:
        raise ValueError(
            f"calendar_features expected an index without missing times; got "
            f"{int(times.isna().sum())} NaT. Drop or fill them first."
        )
    # Wall-clock time where the index is: drop the timezone, keep local time.
    local = times.tz_localize(None) if times.tz is not None else times
    values = {
        "hour": local.hour + local.minute / 60 + local.second / 3600,
        "day_of_week": local.day_of_week,
        "day_of_year": local.day_of_year,
        "month": local.month,
    }
    periods = dict(_PERIODS, day_of_year=365 + local.is_leap_year)
    columns = {}
    for name in names:
        if name == "weekend":
            columns[name] = np.asarray(local.day_of_week >= 5, dtype=np.int64)
            continue
        value = np.asarray(values[name], dtype=np.float64)
        if cyclic:
            angle = 2 * np.pi * (value - _FIRST[name]) / periods[name]
            columns[f"{name}_sin"] = _snap(np.sin(angle))
            columns[f"{name}_cos"] = _snap(np.cos(angle))
        else:
            dtype = np.float64 if name == "hour" else np.int64
            columns[name] = value.astype(dtype)
    if holidays is not None:
        columns["holiday"] = _holiday_flags(holidays, local)
    return pd.DataFrame(columns, index=times)
