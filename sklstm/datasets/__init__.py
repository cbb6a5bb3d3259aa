"""Real time series to try sklstm on, returned as pandas objects.

``load_seattle_weather``, ``load_air_passengers`` and ``load_bike_sharing``
read data shipped inside sklstm. The other loaders read the copy of a series
that an optional package installs with itself
(``pip install 'sklstm[datasets]'``); nothing is ever downloaded. Every
loader of a single series returns a time-ordered pandas object with a regular
:class:`~pandas.DatetimeIndex` named ``"date"`` whose ``freq`` is set;
``load_tourism`` returns a panel (many series in one long table) on an integer
time index, since its source has no dates.

Importing this module is cheap: it needs pandas only, never Keras.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._bundled import load_air_passengers, load_bike_sharing, load_seattle_weather
from ._external import (
    load_electricity_demand,
    load_seattle_hourly_temperature,
    load_sunspots,
    load_tourism,
)

__all__ = [
    "load_air_passengers",
    "load_bike_sharing",
    "load_electricity_demand",
    "load_seattle_hourly_temperature",
    "load_seattle_weather",
    "load_sunspots",
    "load_tourism",
]
