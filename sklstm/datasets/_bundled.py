"""Loaders for the real series shipped inside sklstm (no extra install needed).

The files live in ``sklstm/datasets/data/``; their sources, licences, units and
SHA-256 checksums are recorded in ``sklstm/datasets/data/PROVENANCE.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from importlib import resources
from io import BytesIO

import pandas as pd

__all__ = ["load_air_passengers", "load_seattle_weather"]

# The fixed label set of the ``weather`` column, in alphabetical order.
WEATHER_CATEGORIES = ("drizzle", "fog", "rain", "snow", "sun")

_WEATHER_NUMERIC = ("precipitation", "temp_max", "temp_min", "wind")


def _read_bundled_csv(filename: str, **read_csv_kwargs) -> pd.DataFrame:
    """Read a CSV file of ``sklstm/datasets/data`` (works from a zip too)."""
    resource = resources.files(__package__) / "data" / filename
    return pd.read_csv(BytesIO(resource.read_bytes()), **read_csv_kwargs)


def load_seattle_weather():
    """Load the daily Seattle weather of 2012-2015, a multi-feature series.

    Daily NOAA weather observations for Seattle, as the vega-datasets project
    publishes them: 1461 days from 2012-01-01 to 2015-12-31, with no gaps. The
    data ship with sklstm, so no download and no extra package is needed.

    =================  ======================================================
    Column             Meaning
    =================  ======================================================
    ``precipitation``  Daily precipitation total, in millimetres (float64).
    ``temp_max``       Daily maximum temperature, in degrees Celsius (float64).
    ``temp_min``       Daily minimum temperature, in degrees Celsius (float64).
    ``wind``           Daily mean wind speed, in metres per second (float64).
    ``weather``        Summary label, a categorical with the categories
                       ``drizzle``, ``fog``, ``rain``, ``snow`` and ``sun``.
    =================  ======================================================

    Returns
    -------
    data : DataFrame of shape (1461, 5)
        One row per day, oldest first, indexed by a
        :class:`~pandas.DatetimeIndex` named ``"date"`` with daily frequency
        (``data.index.freq`` is ``<Day>``).

    See Also
    --------
    sklstm.make_supervised : Pair each row with the value to forecast.
    sklstm.SequenceWindower : Turn the table into look-back windows.

    Notes
    -----
    :class:`~sklstm.SequenceWindower` and the regressors need numeric columns,
    so drop the categorical ``weather`` column
    (``data.drop(columns="weather")``) or encode it, e.g. with
    ``pd.get_dummies(data, columns=["weather"], dtype=float)`` or a
    :class:`~sklearn.preprocessing.OneHotEncoder`.

    The ``weather`` label comes from vega-datasets, which does not document how
    it was derived. Treat it with care: in this file, days labelled ``fog``
    average 6.5 mm of precipitation, more than those labelled ``rain``.

    The file is a byte-for-byte copy of ``seattle-weather.csv`` from the
    ``vega_datasets`` Python package 0.9.0 (vega-datasets v1.29.0). The
    observations are public-domain NOAA data. Sources, licences and the file's
    checksum are in ``sklstm/datasets/data/PROVENANCE.md``.

    References
    ----------
    .. [1] vega-datasets, "seattle-weather.csv",
           https://github.com/vega/vega-datasets

    Examples
    --------
    >>> from sklstm.datasets import load_seattle_weather
    >>> weather = load_seattle_weather()
    >>> weather.shape
    (1461, 5)
    >>> list(weather.columns)
    ['precipitation', 'temp_max', 'temp_min', 'wind', 'weather']
    >>> weather.index.min(), weather.index.max()
    (Timestamp('2012-01-01 00:00:00'), Timestamp('2015-12-31 00:00:00'))
    >>> weather.drop(columns="weather").dtypes.unique().tolist()
    [dtype('float64')]
    """
    dtypes = {name: "float64" for name in _WEATHER_NUMERIC}
    dtypes["weather"] = pd.CategoricalDtype(list(WEATHER_CATEGORIES))
    data = _read_bundled_csv("seattle-weather.csv", dtype=dtypes)
    dates = pd.to_datetime(data.pop("date"), format="%Y/%m/%d")
    # Passing freq makes pandas check that the dates are daily, with no gaps.
    data.index = pd.DatetimeIndex(dates, freq=pd.offsets.Day(), name="date")
    return data


def load_air_passengers():
    """Load the monthly international airline passengers of 1949-1960.

    The classic Box & Jenkins "Series G": monthly totals of international
    airline passengers, in thousands, from January 1949 to December 1960
    (144 months). It shows a trend and a yearly seasonality whose amplitude
    grows with the level, so a log transform is the usual first step. The data
    ship with sklstm, so no download and no extra package is needed.

    Returns
    -------
    passengers : Series of shape (144,)
        Passengers in thousands (float64), named ``"passengers"``, indexed by a
        :class:`~pandas.DatetimeIndex` named ``"date"`` whose labels are the
        first day of each month, with month-start frequency
        (``passengers.index.freq`` is ``<MonthBegin>``).

    See Also
    --------
    load_seattle_weather : A daily multi-feature series, also shipped.

    Notes
    -----
    The 144 values match ``AirPassengers`` in R's ``datasets`` package; they
    were checked against two independent Python distributions of the series.
    Sources and the file's checksum are in
    ``sklstm/datasets/data/PROVENANCE.md``.

    References
    ----------
    .. [1] Box, G. E. P., Jenkins, G. M. and Reinsel, G. C. (1976). *Time Series
           Analysis, Forecasting and Control*, third edition. Holden-Day.
           Series G.

    Examples
    --------
    >>> from sklstm.datasets import load_air_passengers
    >>> passengers = load_air_passengers()
    >>> passengers.shape
    (144,)
    >>> passengers.head(3)
    date
    1949-01-01    112.0
    1949-02-01    118.0
    1949-03-01    132.0
    Freq: MS, Name: passengers, dtype: float64
    """
    data = _read_bundled_csv("air-passengers.csv", dtype={"passengers": "float64"})
    months = pd.to_datetime(data["month"], format="%Y-%m")
    index = pd.DatetimeIndex(months, freq=pd.offsets.MonthBegin(), name="date")
    return pd.Series(data["passengers"].to_numpy(), index=index, name="passengers")
