# SPDX-License-Identifier: BSD-3-Clause
"""Tests of ``sklstm.forecast``: from the end of the history to dated forecasts."""

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import Ridge

from sklstm import forecast, make_lstm_pipeline, make_supervised, recursive_forecast
from sklstm.datasets import load_air_passengers, load_seattle_weather


@pytest.fixture(scope="module")
def weather():
    return load_seattle_weather()[["temp_max", "temp_min", "wind"]].iloc[:400]


def test_forecast_direct_model_from_the_last_row_with_its_history(weather):
    X, y = make_supervised(weather, target="temp_max", horizon=range(1, 8))
    pipe = make_lstm_pipeline(14, Ridge(), fill_value=0.0).fit(X, y)
    got = forecast(pipe, weather)
    # The origin is the last row of the history, read with the 13 rows before it.
    expected = pipe.predict(weather.iloc[-14:])[-1]
    assert_allclose(got.to_numpy(), expected)
    start = weather.index[-1] + pd.Timedelta(days=1)
    pd.testing.assert_index_equal(got.index, pd.date_range(start, periods=7, freq="D"))
    # Not the padded one-row window the old advice gave.
    assert not np.allclose(got.to_numpy(), pipe.predict(weather.iloc[[-1]])[-1])


def test_forecast_uses_given_horizons_and_integer_positions(weather):
    data = weather.reset_index(drop=True)
    X, y = make_supervised(data, target="temp_max", horizon=[1, 7])
    pipe = make_lstm_pipeline(7, Ridge(), fill_value=0.0).fit(X, y)
    got = forecast(pipe, data, horizons=[1, 7])
    assert got.index.tolist() == [len(data), len(data) + 6]


def test_forecast_rolls_a_one_step_model_of_one_series():
    series = load_air_passengers()
    X, y = make_supervised(series.to_frame())
    pipe = make_lstm_pipeline(12, Ridge(), fill_value=0.0).fit(X, y)
    got = forecast(pipe, series.to_frame(), steps=6)
    assert_allclose(got.to_numpy(), recursive_forecast(pipe, series.to_numpy(), 6))
    assert got.index[0] == series.index[-1] + pd.offsets.MonthBegin()
    assert got.index.freqstr == "MS" and got.name == series.name


def test_forecast_errors(weather):
    X, y = make_supervised(weather, target="temp_max")
    pipe = make_lstm_pipeline(14, Ridge(), fill_value=0.0).fit(X, y)
    msg = (
        "forecast expected a history of at least 14 row(s), the window of the "
        "fitted pipeline"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        forecast(pipe, weather.iloc[-5:])
    msg = "forecast can roll a one-step model forward only on a single series"
    with pytest.raises(ValueError, match=re.escape(msg)):
        forecast(pipe, weather, steps=3)
    with pytest.raises(ValueError, match=re.escape("or None; got True.")):
        forecast(pipe, weather, steps=True)


def test_recursive_forecast_points_direct_models_to_forecast(weather):
    series = weather["temp_max"].to_numpy()
    X, y = make_supervised(series, horizon=range(1, 3))
    pipe = make_lstm_pipeline(5, Ridge(), fill_value=0.0).fit(X, y)
    msg = "sklstm.forecast(estimator, history)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        recursive_forecast(pipe, series, 2)


def test_forecast_from_several_origins_is_one_long_table(weather):
    X, y = make_supervised(weather, target="temp_max", horizon=range(1, 4))
    pipe = make_lstm_pipeline(14, Ridge()).fit(X, y)
    origins = weather.index[[-30, -1]]
    table = forecast(pipe, weather, origins=origins)
    assert table.columns.tolist() == ["origin", "step", "target_time", "forecast"]
    assert table["origin"].tolist() == [origins[0]] * 3 + [origins[1]] * 3
    first = forecast(pipe, weather.loc[: origins[0]])
    assert_allclose(table["forecast"].iloc[:3], first.to_numpy())
    assert table["target_time"].iloc[0] == origins[0] + pd.Timedelta(days=1)
    with pytest.raises(ValueError, match=re.escape("is not a label of the history")):
        forecast(pipe, weather, origins=["nope"])


def test_forecast_of_a_quantile_regressor_has_its_quantile_columns():
    from sklstm import LSTMRegressor

    days = pd.date_range("2024-01-01", periods=120, freq="D")
    series = pd.Series(np.sin(np.arange(120) / 5.0), index=days, name="y")
    X, Y = make_supervised(series.to_frame(), horizon=range(1, 4))
    regressor = LSTMRegressor(
        units=4, epochs=2, quantiles=(0.1, 0.5, 0.9), random_state=0
    )
    pipe = make_lstm_pipeline(8, regressor).fit(X, Y)
    out = forecast(pipe, series.to_frame())
    assert list(out.columns) == ["y", "q0.1", "q0.5", "q0.9"]
    assert out.index.equals(pd.date_range("2024-04-30", periods=3, freq="D"))
    quantiles = pipe[-1].predict_quantiles(pipe[:-1].transform(series.to_frame()))
    # Up to float32 round-off: forecast predicts fewer rows at once.
    assert_allclose(
        out[["q0.1", "q0.5", "q0.9"]].to_numpy(), quantiles[-1], rtol=1e-5, atol=1e-6
    )
    assert_allclose(out["y"], out["q0.5"])
    assert (out["q0.1"] <= out["q0.5"]).all() and (out["q0.5"] <= out["q0.9"]).all()
