# SPDX-License-Identifier: BSD-3-Clause
"""Tests of ``sklstm.calendar_features``: values, encodings, holidays, errors."""

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sklstm import calendar_features

ALL_FEATURES = ("hour", "day_of_week", "day_of_year", "month", "weekend")


# --- Values at known times --------------------------------------------------


def test_calendar_features_default_columns_on_the_same_index():
    times = pd.date_range("2024-01-01", periods=5, freq="h", name="date")
    calendar = calendar_features(times)
    assert list(calendar.columns) == [
        "hour_sin",
        "hour_cos",
        "day_of_week_sin",
        "day_of_week_cos",
        "month_sin",
        "month_cos",
    ]
    pd.testing.assert_index_equal(calendar.index, times)
    assert calendar.index.freq == times.freq
    assert (calendar.dtypes == np.float64).all()


def test_calendar_features_monday_midnight_in_january_is_angle_zero():
    # 2024-01-01 00:00 is a Monday, the first day of the year.
    calendar = calendar_features(
        pd.DatetimeIndex(["2024-01-01 00:00"]), features=ALL_FEATURES
    )
    row = calendar.iloc[0]
    for name in ["hour", "day_of_week", "day_of_year", "month"]:
        assert row[f"{name}_sin"] == 0.0, name
        assert row[f"{name}_cos"] == 1.0, name
    assert row["weekend"] == 0


def test_calendar_features_plain_values_at_known_times():
    times = pd.DatetimeIndex(
        ["2024-01-01 00:00", "2024-01-01 12:30", "2024-07-13 23:59:30", "2024-12-31"]
    )
    calendar = calendar_features(times, features=ALL_FEATURES, cyclic=False)
    assert list(calendar.columns) == list(ALL_FEATURES)
    np.testing.assert_allclose(
        calendar["hour"], [0.0, 12.5, 23 + 59 / 60 + 30 / 3600, 0.0]
    )
    # Monday, Monday, Saturday, Tuesday.
    assert calendar["day_of_week"].tolist() == [0, 0, 5, 1]
    assert calendar["day_of_year"].tolist() == [1, 1, 195, 366]
    assert calendar["month"].tolist() == [1, 1, 7, 12]
    assert calendar["weekend"].tolist() == [0, 0, 1, 0]
    assert calendar["hour"].dtype == np.float64
    for name in ["day_of_week", "day_of_year", "month", "weekend"]:
        assert calendar[name].dtype == np.int64, name


def test_calendar_features_cyclic_values_at_quarter_turns():
    times = pd.DatetimeIndex(["2024-01-01 06:00", "2024-01-04 12:00", "2024-04-01"])
    calendar = calendar_features(times, features=("hour", "month"))
    np.testing.assert_array_equal(calendar["hour_sin"], [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(calendar["hour_cos"], [0.0, -1.0, 1.0])
    # April is three months after January: a quarter turn.
    np.testing.assert_array_equal(calendar["month_sin"], [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(calendar["month_cos"], [1.0, 1.0, 0.0])
    # Thursday is day 3 of 7.
    dow = calendar_features(times[1:2], features="day_of_week")
    np.testing.assert_allclose(
        dow.iloc[0], [np.sin(6 * np.pi / 7), np.cos(6 * np.pi / 7)]
    )


def test_calendar_features_half_hourly_gives_48_hour_values():
    times = pd.date_range("2024-01-01", periods=48 * 3, freq="30min")
    plain = calendar_features(times, features="hour", cyclic=False)["hour"]
    assert plain.nunique() == 48
    np.testing.assert_array_equal(np.unique(plain), np.arange(48) / 2)
    cyclic = calendar_features(times, features="hour")
    assert len(cyclic.drop_duplicates()) == 48


def test_calendar_features_cyclic_columns_lie_on_the_unit_circle():
    times = pd.date_range("2023-01-01", "2024-12-31 23:00", freq="7h")
    calendar = calendar_features(times, features=ALL_FEATURES)
    for name in ["hour", "day_of_week", "day_of_year", "month"]:
        radius = calendar[f"{name}_sin"] ** 2 + calendar[f"{name}_cos"] ** 2
        np.testing.assert_allclose(radius, 1.0, rtol=0, atol=1e-12, err_msg=name)


def test_calendar_features_day_of_year_uses_the_year_length():
    # The last day of a year sits one step before the angle of January 1st,
    # one 365th of a turn in 2023 and one 366th in the leap year 2024.
    times = pd.DatetimeIndex(["2023-12-31", "2024-12-31"])
    calendar = calendar_features(times, features="day_of_year")
    np.testing.assert_allclose(
        calendar["day_of_year_sin"],
        [np.sin(-2 * np.pi / 365), np.sin(-2 * np.pi / 366)],
    )


def test_calendar_features_weekend_is_never_cyclic():
    times = pd.date_range("2024-01-01", periods=7, freq="D")
    calendar = calendar_features(times, features=("weekend",), cyclic=True)
    assert list(calendar.columns) == ["weekend"]
    assert calendar["weekend"].tolist() == [0, 0, 0, 0, 0, 1, 1]


def test_calendar_features_keeps_the_order_of_features_without_repeats():
    times = pd.date_range("2024-01-01", periods=3, freq="D")
    calendar = calendar_features(
        times, features=["weekend", "month", "weekend"], cyclic=False
    )
    assert list(calendar.columns) == ["weekend", "month"]


def test_calendar_features_reads_the_index_of_a_frame_or_series():
    times = pd.date_range("2024-01-01", periods=4, freq="D", name="date")
    frame = pd.DataFrame({"demand": np.arange(4.0)}, index=times)
    expected = calendar_features(times)
    pd.testing.assert_frame_equal(calendar_features(frame), expected)
    pd.testing.assert_frame_equal(calendar_features(frame["demand"]), expected)


def test_calendar_features_timezone_aware_index_uses_local_time():
    # 2024-03-31 01:00 UTC is 02:00 in London: British Summer Time began.
    utc = pd.date_range("2024-03-30 23:00", periods=4, freq="h", tz="UTC")
    london = utc.tz_convert("Europe/London")
    calendar = calendar_features(london, features=("hour", "day_of_week"), cyclic=False)
    pd.testing.assert_index_equal(calendar.index, london)
    assert calendar["hour"].tolist() == [23.0, 0.0, 2.0, 3.0]
    assert calendar["day_of_week"].tolist() == [5, 6, 6, 6]
    # The same instants in Tokyo are already on Sunday morning.
    tokyo = calendar_features(
        utc.tz_convert("Asia/Tokyo"), features="hour", cyclic=False
    )
    assert tokyo["hour"].tolist() == [8.0, 9.0, 10.0, 11.0]


def test_calendar_features_empty_index_gives_empty_columns():
    calendar = calendar_features(pd.DatetimeIndex([]), features=ALL_FEATURES)
    assert calendar.shape == (0, 9)


# --- Holidays ---------------------------------------------------------------


def test_calendar_features_holidays_from_a_country_code():
    pytest.importorskip("holidays")
    days = pd.date_range("2024-12-23", "2024-12-27", freq="D")
    calendar = calendar_features(days, features="day_of_week", holidays="US")
    assert list(calendar.columns) == ["day_of_week_sin", "day_of_week_cos", "holiday"]
    assert calendar["holiday"].dtype == np.int64
    flags = calendar["holiday"]
    assert flags["2024-12-25"] == 1
    assert flags["2024-12-24"] == 0
    assert flags.tolist() == [0, 0, 1, 0, 0]
    # Boxing Day is a holiday in Great Britain, not in the United States.
    gb = calendar_features(days, features="month", holidays="GB")["holiday"]
    assert gb.tolist() == [0, 0, 1, 1, 0]


def test_calendar_features_holidays_object_with_subdivision():
    holidays = pytest.importorskip("holidays")
    days = pd.DatetimeIndex(["2024-03-18", "2024-08-05"])
    # St Patrick's Day (observed) in Northern Ireland only; the August bank
    # holiday is the first Monday in Scotland and the last in England.
    ni = holidays.country_holidays("GB", subdiv="NIR")
    sct = holidays.country_holidays("GB", subdiv="SCT")
    assert calendar_features(days, holidays=ni)["holiday"].tolist() == [1, 0]
    assert calendar_features(days, holidays=sct)["holiday"].tolist() == [0, 1]


def test_calendar_features_holidays_as_a_list_of_dates():
    times = pd.date_range("2024-12-24 22:00", periods=4, freq="h")
    calendar = calendar_features(times, features="hour", holidays=["2024-12-25"])
    # Every hour of the holiday is flagged, not only midnight.
    assert calendar["holiday"].tolist() == [0, 0, 1, 1]


def test_calendar_features_holidays_use_the_local_date():
    # 23:30 in New York on Christmas Eve is already Christmas in UTC.
    times = pd.DatetimeIndex(["2024-12-25 04:30"], tz="UTC").tz_convert(
        "America/New_York"
    )
    calendar = calendar_features(times, features="hour", holidays=["2024-12-25"])
    assert calendar["holiday"].tolist() == [0]


def test_calendar_features_holidays_asks_any_container():
    class Fridays:
        def __contains__(self, date):
            return date.weekday() == 4

    days = pd.date_range("2024-01-01", periods=7, freq="D")
    calendar = calendar_features(days, features="month", holidays=Fridays())
    assert calendar["holiday"].tolist() == [0, 0, 0, 0, 1, 0, 0]


def test_calendar_features_needs_no_keras_and_loads_holidays_only_when_asked():
    code = (
        "import sys, pandas as pd; from sklstm import calendar_features; "
        "calendar_features(pd.date_range('2024-01-01', periods=3, freq='D'), "
        "holidays=['2024-01-01']); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'keras', 'tensorflow', 'holidays'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# --- Errors -----------------------------------------------------------------


def test_calendar_features_missing_holidays_package_names_the_extra(monkeypatch):
    # A None entry in sys.modules makes the import fail as if it were absent.
    monkeypatch.setitem(sys.modules, "holidays", None)
    msg = (
        "calendar_features needs the holidays package for holidays='US', which "
        "is not installed. Install the calendar extra: pip install "
        "'sklstm[calendar]', or pass your own holiday dates as a list."
    )
    with pytest.raises(ImportError, match=re.escape(msg)):
        calendar_features(pd.date_range("2024-01-01", periods=2), holidays="US")


def test_calendar_features_rejects_an_unknown_country_code():
    pytest.importorskip("holidays")
    msg = (
        "calendar_features expected holidays as a country code known to the "
        "holidays package, e.g. 'US' or 'GB'; got 'XX'."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        calendar_features(pd.date_range("2024-01-01", periods=2), holidays="XX")


def test_calendar_features_rejects_a_holidays_object_it_cannot_ask():
    msg = (
        "calendar_features expected holidays as None, a country code such as "
        "'US', a list of dates, or an object answering `date in holidays`"
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        calendar_features(pd.date_range("2024-01-01", periods=2), holidays=1)


def test_calendar_features_rejects_an_index_without_dates():
    msg = (
        "calendar_features expected a DatetimeIndex, or a DataFrame or Series "
        "indexed by one; got ndarray. Convert the dates with "
        "pd.DatetimeIndex(...) or pd.to_datetime(...)."
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        calendar_features(np.arange(3))


def test_calendar_features_rejects_a_frame_not_indexed_by_dates():
    msg = (
        "calendar_features expected a DatetimeIndex, or a DataFrame or Series "
        "indexed by one; got a DataFrame indexed by RangeIndex. Set the dates as "
        "the index first"
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        calendar_features(pd.DataFrame({"x": [1.0, 2.0]}))


def test_calendar_features_rejects_an_unknown_feature_with_a_suggestion():
    msg = (
        "calendar_features expected feature names among ['hour', 'day_of_week', "
        "'day_of_year', 'month', 'weekend']; got 'dayofweek'. Did you mean "
        "'day_of_week'?"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        calendar_features(
            pd.date_range("2024-01-01", periods=2), features=["dayofweek"]
        )


def test_calendar_features_rejects_empty_features():
    msg = (
        "calendar_features expected at least one name in features; got (). "
        "Pass e.g. features=('day_of_week', 'month')."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        calendar_features(pd.date_range("2024-01-01", periods=2), features=())


def test_calendar_features_rejects_features_that_are_not_names():
    msg = "calendar_features expected features as a sequence of names among"
    with pytest.raises(TypeError, match=re.escape(msg)):
        calendar_features(pd.date_range("2024-01-01", periods=2), features=None)


def test_calendar_features_rejects_a_non_boolean_cyclic():
    msg = "calendar_features expected cyclic as True or False; got 'yes'."
    with pytest.raises(TypeError, match=re.escape(msg)):
        calendar_features(pd.date_range("2024-01-01", periods=2), cyclic="yes")


def test_calendar_features_rejects_missing_times():
    msg = (
        "calendar_features expected an index without missing times; got 1 NaT. "
        "Drop or fill them first."
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        calendar_features(pd.DatetimeIndex(["2024-01-01", None]))
