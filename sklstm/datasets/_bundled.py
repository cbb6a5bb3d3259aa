"""Loaders for the real series shipped inside sklstm (no extra install needed).

The files live in ``sklstm/datasets/data/``; their sources, licences, units and
SHA-256 checksums are recorded in ``sklstm/datasets/data/PROVENANCE.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from importlib import resources
from io import BytesIO

import pandas as pd

__all__ = ["load_air_passengers", "load_bike_sharing", "load_seattle_weather"]

# The fixed label set of the ``weather`` column, in alphabetical order.
WEATHER_CATEGORIES = ("drizzle", "fog", "rain", "snow", "sun")

_WEATHER_NUMERIC = ("precipitation", "temp_max", "temp_min", "wind")

# The bike-sharing table: measurements are float64, flags and codes int64.
_BIKE_FLOAT = (
    "count",
    "casual",
    "registered",
    "temp",
    "feels_like",
    "humidity",
    "windspeed",
)
_BIKE_INT = ("weather", "holiday", "workingday")


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


def load_bike_sharing():
    """Load the daily Capital Bikeshare rentals of 2011-2012, with weather.

    The daily table of the UCI "Bike Sharing" data set (Fanaee-T and Gama,
    2013): rentals of the Capital Bikeshare system in Washington, D.C., with
    the day's weather and whether it was a holiday or a working day. 731 days
    from 2011-01-01 to 2012-12-31, with no gaps and no missing values. The
    data ship with sklstm, so no download and no extra package is needed.

    ================  =======================================================
    Column            Meaning
    ================  =======================================================
    ``count``         Bikes rented that day, ``casual + registered``
                      (float64).
    ``casual``        Rentals by casual users (float64).
    ``registered``    Rentals by registered members (float64).
    ``temp``          Mean air temperature, in degrees Celsius (float64).
    ``feels_like``    Mean "feels like" temperature, in degrees Celsius
                      (float64).
    ``humidity``      Mean relative humidity, in percent (float64).
    ``windspeed``     Mean wind speed (float64); the source does not state
                      the unit.
    ``weather``       Weather situation code (int64): 1 clear or partly
                      cloudy, 2 mist or cloudy, 3 light rain or light snow,
                      4 heavy rain, snow or fog (never 4 in this table).
    ``holiday``       1 on a public holiday of Washington, D.C., else 0
                      (int64).
    ``workingday``    1 on a day that is neither a weekend nor a holiday,
                      else 0 (int64).
    ================  =======================================================

    Returns
    -------
    data : DataFrame of shape (731, 10)
        One row per day, oldest first, indexed by a
        :class:`~pandas.DatetimeIndex` named ``"date"`` with daily frequency
        (``data.index.freq`` is ``<Day>``).

    See Also
    --------
    sklstm.calendar_features : Day-of-week, month and holiday columns.
    sklstm.make_supervised : Pair each row with the value to forecast.

    Notes
    -----
    The calendar columns of the UCI file (season, year, month, weekday) are
    left out: :func:`sklstm.calendar_features` derives them from the index,
    for the past and for the days to forecast alike.

    UCI ships ``temp``, ``atemp``, ``hum`` and ``windspeed`` normalised to
    [0, 1]. sklstm undoes this with the constants of the UCI readme:
    ``temp = -8 + 47 * t``, ``feels_like = -16 + 66 * atemp``,
    ``humidity = 100 * hum`` and ``windspeed = 67 * windspeed``. Some
    redistributions use ``41 * t`` and ``50 * atemp`` instead; that scale
    makes the feels-like temperature higher than the air temperature even on
    the coldest days, while the readme's puts it lower on every cold day and
    higher on every hot one, as wind chill and heat index should be.

    Two caveats of the source: the humidity of 2011-03-10 is 0, an obvious
    recording error kept as is; and ``holiday`` marks the weekday on which a
    holiday was observed, so a holiday that fell on a weekend (2011-01-01,
    2011-12-25, ...) is 0.

    The source file, its licence (CC BY 4.0, which asks for the citation
    below), the transformation and the file's checksum are recorded in
    ``sklstm/datasets/data/PROVENANCE.md``.

    References
    ----------
    .. [1] Fanaee-T, H. and Gama, J. (2013). Event labeling combining ensemble
           detectors and background knowledge. *Progress in Artificial
           Intelligence*. Springer. doi:10.1007/s13748-013-0040-3.
    .. [2] UCI Machine Learning Repository, "Bike Sharing Dataset",
           https://archive.ics.uci.edu/dataset/275/bike+sharing+dataset

    Examples
    --------
    >>> from sklstm.datasets import load_bike_sharing
    >>> bikes = load_bike_sharing()
    >>> bikes.shape
    (731, 10)
    >>> list(bikes.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['count', 'casual', 'registered', 'temp', 'feels_like', 'humidity',
     'windspeed', 'weather', 'holiday', 'workingday']
    >>> bikes.index.min(), bikes.index.max()
    (Timestamp('2011-01-01 00:00:00'), Timestamp('2012-12-31 00:00:00'))
    >>> bikes[["count", "temp", "workingday"]].head(3)
                 count      temp  workingday
    date
    2011-01-01   985.0  8.175849           0
    2011-01-02   801.0  9.083466           0
    2011-01-03  1349.0  1.229108           1
    """
    dtypes = {name: "float64" for name in _BIKE_FLOAT}
    dtypes.update({name: "int64" for name in _BIKE_INT})
    data = _read_bundled_csv("bike-sharing-daily.csv", dtype=dtypes)
    dates = pd.to_datetime(data.pop("date"), format="%Y-%m-%d")
    # Passing freq makes pandas check that the dates are daily, with no gaps.
    data.index = pd.DatetimeIndex(dates, freq=pd.offsets.Day(), name="date")
    return data
