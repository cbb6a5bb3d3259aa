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
]

_DATASETS_EXTRA = "Install the datasets extra: pip install 'sklstm[datasets]'."

# How to get each optional package: all are in the datasets extra.
_INSTALL_HINTS = {
    "vega_datasets": _DATASETS_EXTRA,
    "statsmodels": _DATASETS_EXTRA,
    "pmdarima": _DATASETS_EXTRA,
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
