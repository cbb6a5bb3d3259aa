# SPDX-License-Identifier: BSD-3-Clause
"""Tests for the command line, ``python -m sklstm``."""

import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from sklstm._cli import main


@pytest.fixture
def weather_csv(tmp_path):
    """The bundled Seattle weather, written out as a user's CSV file."""
    from sklstm.datasets import load_seattle_weather

    path = tmp_path / "weather.csv"
    load_seattle_weather().iloc[-400:].to_csv(path, index_label="date")
    return path


def _error_line(capsys):
    """The error: the last line on standard error, with no traceback."""
    err = capsys.readouterr().err.strip().splitlines()
    assert err and not any("Traceback" in line for line in err), err
    assert err[-1].startswith("sklstm forecast: error: ")
    return err[-1]


def test_cli_help_runs_as_module():
    out = subprocess.run(
        [sys.executable, "-m", "sklstm", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert "demo" in out.stdout and "forecast" in out.stdout


def test_cli_forecast_missing_file(capsys, tmp_path):
    missing = tmp_path / "nope.csv"
    assert main(["forecast", str(missing), "--target", "x"]) == 2
    assert _error_line(capsys) == f"sklstm forecast: error: no such file: {missing}"


def test_cli_forecast_missing_column(capsys, weather_csv):
    assert main(["forecast", str(weather_csv), "--target", "sales"]) == 2
    line = _error_line(capsys)
    assert line.startswith("sklstm forecast: error: no column 'sales' in ")
    assert "'temp_max'" in line


def test_cli_forecast_non_numeric_target(capsys, weather_csv):
    assert main(["forecast", str(weather_csv), "--target", "weather"]) == 2
    assert _error_line(capsys) == (
        "sklstm forecast: error: target column 'weather' is not numeric"
    )


def test_cli_forecast_series_too_short(capsys, tmp_path):
    path = tmp_path / "short.csv"
    pd.DataFrame({"y": np.arange(20.0)}).to_csv(path, index=False)
    assert main(["forecast", str(path), "--target", "y", "--window", "24"]) == 2
    assert "the series is too short: 20 rows" in _error_line(capsys)


def test_cli_forecast_writes_forecast_plot_and_model(capsys, weather_csv, tmp_path):
    out, plot, model = tmp_path / "f.csv", tmp_path / "f.png", tmp_path / "m.pkl"
    argv = [
        "forecast", str(weather_csv), "--target", "temp_max", "--date-column", "date",
        "--window", "7", "--horizon", "3", "--splits", "2", "--fast",
        "--output", str(out), "--plot", str(plot), "--save", str(model),
    ]  # fmt: skip
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "LSTM pipeline" in stdout and "naive (last value)" in stdout
    forecast = pd.read_csv(out, index_col=0, parse_dates=True)
    assert len(forecast) == 3
    assert str(forecast.index[0].date()) == "2016-01-01"
    assert plot.stat().st_size > 1000
    pipe = joblib.load(model)
    data = pd.read_csv(weather_csv, index_col="date").select_dtypes("number")
    assert pipe.predict(data.iloc[-7:]).shape == (7, 3)


def test_cli_demo_fast(capsys, tmp_path):
    plot = tmp_path / "demo.png"
    assert main(["demo", "--fast", "--plot", str(plot)]) == 0
    captured = capsys.readouterr()
    assert "Seattle daily weather, 2012-01-01 to 2015-12-31" in captured.err
    assert "seasonal naive (365 rows)" in captured.out
    assert "2016-01-07" in captured.out  # the 7th forecast day
    assert plot.stat().st_size > 1000


@pytest.mark.parametrize(
    "freq, season",
    [("D", 7), ("B", 5), ("h", 24), ("30min", 48), ("W-SUN", 52), ("MS", 12),
     ("QS-OCT", 4), ("YS", 1), ("2D", None), (None, None)],
)  # fmt: skip
def test_cli_season_follows_the_date_frequency(freq, season):
    from sklstm._cli_input import season_from_frequency

    assert season_from_frequency(freq) == season


def test_cli_regular_dates_mend_duplicates_and_gaps(capsys):
    from sklstm._cli_input import regular_dates

    days = pd.date_range("2024-01-01", periods=10, freq="D")
    data = pd.DataFrame({"y": np.arange(10.0)}, index=days)
    gappy = data.drop(days[[3, 6]])
    gappy = pd.concat([gappy, gappy.iloc[[0]] + 100]).sort_index()  # a duplicate
    mended = regular_dates(gappy)
    err = capsys.readouterr().err
    assert "1 duplicated date(s), e.g. 2024-01-01" in err
    assert "2 date(s) missing from a regular grid" in err
    assert mended.index.freqstr == "D" and len(mended) == 10
    assert mended["y"].iloc[0] == 100.0  # the last row of the duplicates
    np.testing.assert_allclose(mended["y"].iloc[1:], np.arange(1.0, 10.0))


def test_cli_header_only_csv_says_there_are_no_rows(capsys, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("date,y\n")
    assert main(["forecast", str(path), "--target", "y"]) == 2
    assert "has no rows (only a header)" in _error_line(capsys)


def test_cli_quiet_monthly_forecast_with_caveat_and_named_index(capsys, tmp_path):
    from sklstm.datasets import load_air_passengers

    path, out = tmp_path / "air.csv", tmp_path / "f.csv"
    load_air_passengers().to_csv(path, index_label="month")
    argv = [
        "forecast", str(path), "--target", "passengers", "--date-column", "month",
        "--window", "40", "--splits", "2", "--fast", "--quiet", "--output", str(out),
    ]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "seasonal naive (12 rows)" in captured.out  # season from 'MS'
    assert "fold 1/2" not in captured.err and "epoch 1" not in captured.err
    assert "longer than a third of the first fold's" in captured.err
    written = pd.read_csv(out)
    assert written.columns[0] == "month" and written["month"][0] == "1961-01-01"


# --- the safe format and a quiet TensorFlow ------------------------------------

_NOISE = ("absl::InitializeLog", "cudart_stub", "cpu_feature_guard", "oneDNN")


@pytest.fixture(scope="module")
def tiny_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "tiny.csv"
    t = np.arange(60)
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    frame = pd.DataFrame({"date": days, "y": np.sin(t / 4) + t / 30, "x": np.cos(t)})
    frame.to_csv(path, index=False)
    return path


def _run(*args, cwd):
    """``python *args`` in ``cwd``, with this sklstm and TensorFlow's default logs."""
    import os

    import sklstm

    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    root = os.path.dirname(os.path.dirname(os.path.abspath(sklstm.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([root, env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_cli_is_quiet_saves_safely_and_forecasts_from_the_saved_model(tiny_csv):
    """One training run of the real entry point, then a forecast from its file."""
    folder = tiny_csv.parent
    common = ["forecast", str(tiny_csv), "--target", "y", "--date-column", "date"]
    trained = _run(
        "-m", "sklstm", *common, "--window", "3", "--splits", "2", "--fast",
        "--quiet", "--save", "model.sklstm", cwd=folder,
    )  # fmt: skip
    assert trained.returncode == 0, trained.stderr
    assert not any(noise in trained.stderr for noise in _NOISE), trained.stderr
    assert "written to model.sklstm (safe format" in trained.stdout
    reloaded = _run(
        "-X", "importtime", "-m", "sklstm", *common, "--model-file", "model.sklstm",
        "--output", "f.csv", cwd=folder,
    )  # fmt: skip
    assert reloaded.returncode == 0, reloaded.stderr
    imported = [
        line.rsplit("|", 1)[-1].strip() for line in reloaded.stderr.splitlines()
    ]
    assert not [m for m in imported if m.split(".")[0] in ("tensorflow", "keras")]
    assert "LSTMRegressor (NumPy, no TensorFlow)" in reloaded.stderr
    # The same forecast as the run that trained the model.
    trained_value = trained.stdout.split("Forecast of y:")[1].split()[1]
    forecast = pd.read_csv(folder / "f.csv", index_col=0)
    assert list(forecast.index) == ["2024-03-01"]  # the day after the last row
    # Printed to two decimals (a trailing zero dropped, as pandas prints it).
    assert forecast["y_forecast"].iloc[0] == pytest.approx(
        float(trained_value), abs=0.005
    )


def test_cli_model_file_errors(capsys, tiny_csv, tmp_path):
    argv = ["forecast", str(tiny_csv), "--target", "y"]
    assert main([*argv, "--model-file", str(tmp_path / "nope.sklstm")]) == 2
    assert _error_line(capsys).endswith(
        f"no such model file: {tmp_path / 'nope.sklstm'}"
    )
    (tmp_path / "bad.sklstm").write_bytes(b"not a zip")
    assert main([*argv, "--model-file", str(tmp_path / "bad.sklstm")]) == 2
    assert "is not a complete sklstm archive" in _error_line(capsys)
    assert main([*argv, "--model-file", "m.sklstm", "--save", "x.sklstm"]) == 2
    assert "--save does not apply with --model-file" in _error_line(capsys)
    import sklstm
    from sklstm import NaiveRegressor, make_lstm_pipeline, make_supervised

    data = pd.read_csv(tiny_csv, index_col="date")
    X, y = make_supervised(data, target="y")
    sklstm.save(
        make_lstm_pipeline(3, NaiveRegressor()).fit(X, y), tmp_path / "n.sklstm"
    )
    argv = [*argv, "--model-file", str(tmp_path / "n.sklstm")]
    assert main([*argv, "--interval", "0.8"]) == 2
    assert "holds no interval calibration" in _error_line(capsys)
    assert main(argv) == 0
    assert "Forecast of y:" in capsys.readouterr().out


def test_cli_model_file_with_conformal_intervals(capsys, tiny_csv, tmp_path):
    from sklearn.linear_model import Ridge

    import sklstm
    from sklstm import ConformalForecaster, make_lstm_pipeline, make_supervised

    data = pd.read_csv(tiny_csv, index_col="date", parse_dates=True)
    X, y = make_supervised(data, target="y")
    model = ConformalForecaster(make_lstm_pipeline(3, Ridge()), coverage=0.8).fit(X, y)
    sklstm.save(model, tmp_path / "c.sklstm")
    out = tmp_path / "f.csv"
    argv = ["forecast", str(tiny_csv), "--target", "y", "--date-column", "date"]
    argv += ["--model-file", str(tmp_path / "c.sklstm"), "--output", str(out)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "with conformal intervals (80%)" in captured.err
    written = pd.read_csv(out, index_col=0)
    assert list(written.columns) == ["y_forecast", "lower", "upper"]
    expected = sklstm.forecast(model, data, coverage=0.8)
    assert_allclose(written.to_numpy(), expected.to_numpy(), rtol=1e-6)


def test_cli_filters_only_tensorflows_startup_lines():
    from sklstm._cli import startup_noise

    assert startup_noise(
        "I0000 00:00:17 5427 cudart_stub.cc:31] Could not find cuda drivers on "
        "your machine, GPU will not be used."
    )
    assert startup_noise(
        "WARNING: All log messages before absl::InitializeLog() is called are "
        "written to STDERR"
    )
    assert not startup_noise("Traceback (most recent call last):")
    assert not startup_noise("ImportError: libcudnn.so.9: cannot open shared object")


@pytest.mark.slow  # six small LSTM fits: ~30 s alone, ~90 s on a shared CPU
def test_cli_interval_writes_lower_and_upper(capsys, weather_csv, tmp_path):
    out, plot = tmp_path / "f.csv", tmp_path / "f.png"
    argv = [
        "forecast", str(weather_csv), "--target", "temp_max", "--date-column", "date",
        "--window", "7", "--horizon", "2", "--splits", "2", "--fast",
        "--interval", "0.8", "--output", str(out), "--plot", str(plot), "--quiet",
    ]  # fmt: skip
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "coverage" in stdout
    forecast = pd.read_csv(out, index_col=0, parse_dates=True)
    assert list(forecast.columns) == ["temp_max_forecast", "lower", "upper"]
    assert (forecast["lower"] <= forecast["upper"]).all()
    assert plot.stat().st_size > 1000


def test_cli_interval_outside_the_unit_interval(capsys, weather_csv):
    argv = ["forecast", str(weather_csv), "--target", "temp_max", "--interval", "90"]
    with pytest.raises(SystemExit):
        main(argv)
    assert "expected a coverage strictly between 0 and 1" in capsys.readouterr().err


def test_cli_report_warns_when_a_baseline_beats_the_lstm(capsys):
    from sklstm._cli import _report

    forecast = pd.Series([1.0], index=pd.RangeIndex(5, 6))
    table = pd.DataFrame(
        {"MAE": [2.0, 1.5, 3.0], "RMSE": [2.5, 2.0, 3.5], "MASE": [1.2, 0.9, 1.8]},
        index=["LSTM pipeline", "naive (last value)", "seasonal naive (7 rows)"],
    )
    _report(table, forecast, "y")
    out = capsys.readouterr().out
    assert (
        "Caveat: the LSTM's cross-validated MAE (2.000) is worse than the naive "
        "(last value) forecast's (1.500)"
    ) in out
    _report(table.assign(MAE=[1.0, 1.5, 3.0]), forecast, "y")
    assert "Caveat" not in capsys.readouterr().out


# --- covariates known in advance: --known-future and --future -------------------


def _future_csv(path, dates, **columns):
    """A --future table: the date column and the given columns at ``dates``."""
    pd.DataFrame({"date": pd.to_datetime(dates), **columns}).to_csv(path, index=False)
    return path


def test_cli_known_future_forecasts_at_the_future_dates(capsys, tiny_csv, tmp_path):
    import sklstm

    days = ["2024-03-01", "2024-03-02"]
    future = _future_csv(tmp_path / "future.csv", days, x=[0.5, -0.5])
    out, plot, model = tmp_path / "f.csv", tmp_path / "f.png", tmp_path / "m.pkl"
    argv = [
        "forecast", str(tiny_csv), "--target", "y", "--date-column", "date",
        "--known-future", "x", "--future", str(future), "--window", "3",
        "--horizon", "2", "--splits", "2", "--fast", "--quiet",
        "--output", str(out), "--plot", str(plot), "--save", str(model),
    ]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert "naive (last value)" in capsys.readouterr().out  # baselines still run
    written = pd.read_csv(out, index_col="date", parse_dates=True)
    assert list(written.index.strftime("%Y-%m-%d")) == ["2024-03-01", "2024-03-02"]
    assert plot.stat().st_size > 1000
    # The forecast is the saved pipeline's, with the values of the --future file.
    pipe = joblib.load(model)
    data = pd.read_csv(tiny_csv, index_col="date", parse_dates=True)
    table = pd.read_csv(future, index_col="date", parse_dates=True)
    expected = sklstm.forecast(pipe, data, future=table)
    assert_allclose(written["y_forecast"], expected, rtol=1e-6)
    other = sklstm.forecast(pipe, data, future=table.assign(x=[-3.0, 3.0]))
    assert not np.allclose(other, expected)  # the known values are read


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--future", "{future}"],
            "--future gives the values of the --known-future columns at the "
            "forecast's target times; name those columns with --known-future "
            "COL[,COL...]",
        ),
        (
            ["--known-future", "x"],
            "the model (--known-future) reads the covariates ['x'] at the "
            "forecast's target times (2024-03-01 00:00:00, 2024-03-02 00:00:00): "
            "give their values there with --future FILE",
        ),
        (
            ["--known-future", "wind", "--future", "{future}"],
            "no column 'wind' (--known-future) in ",
        ),
        (
            ["--known-future", "y", "--future", "{future}"],
            "the target 'y' cannot be --known-future",
        ),
        (
            ["--known-future", "x", "--future", "{one_day}"],
            "one_day.csv: forecast expected future indexed by exactly the target "
            "times of the forecast, [2024-03-01 00:00:00, 2024-03-02 00:00:00] "
            "(2); got missing [2024-03-02 00:00:00] (1).",
        ),
        (
            ["--known-future", "x", "--future", "{extra_day}"],
            "got extra [2024-03-03 00:00:00] (1).",
        ),
        (
            ["--known-future", "x", "--future", "{empty_value}"],
            "empty_value.csv: forecast got NaN in future, where the values "
            "known in advance must be given: {'x': '[2024-03-02 00:00:00] (1)'}",
        ),
        (
            ["--known-future", "x", "--future", "{no_x}"],
            "no column(s) ['x'] (--known-future) in ",
        ),
    ],
)
def test_cli_known_future_errors(capsys, tiny_csv, tmp_path, argv, message):
    """Each problem is reported before any training, in one line."""
    days = ["2024-03-01", "2024-03-02"]
    files = {
        "future": _future_csv(tmp_path / "future.csv", days, x=[0.5, -0.5]),
        "one_day": _future_csv(tmp_path / "one_day.csv", days[:1], x=[0.5]),
        "extra_day": _future_csv(
            tmp_path / "extra_day.csv", [*days, "2024-03-03"], x=[0.5, -0.5, 0.0]
        ),
        "empty_value": _future_csv(tmp_path / "empty_value.csv", days, x=[0.5, np.nan]),
        "no_x": _future_csv(tmp_path / "no_x.csv", days, z=[0.5, -0.5]),
    }
    argv = [arg.format(**files) for arg in argv]
    common = ["forecast", str(tiny_csv), "--target", "y", "--date-column", "date"]
    assert main([*common, "--horizon", "2", "--fast", *argv]) == 2
    assert message in _error_line(capsys)


def test_cli_future_needs_the_date_column(capsys, tiny_csv, tmp_path):
    future = _future_csv(tmp_path / "future.csv", ["2024-03-01"], x=[0.5])
    argv = ["forecast", str(tiny_csv), "--target", "y", "--known-future", "x"]
    assert main([*argv, "--future", str(future)]) == 2
    assert _error_line(capsys).endswith(
        "--future needs --date-column: its rows are matched to the forecast's "
        "target times by their dates"
    )


def test_cli_known_future_takes_column_names_separated_by_commas(capsys, tiny_csv):
    argv = ["forecast", str(tiny_csv), "--target", "y", "--known-future", "x,"]
    with pytest.raises(SystemExit):
        main(argv)
    assert "expected column names separated by commas, e.g. temp,holiday; got 'x,'" in (
        capsys.readouterr().err
    )
    with pytest.raises(SystemExit):
        main(["forecast", "--help"])
    assert "sklstm.calendar_features" in capsys.readouterr().out


def test_cli_model_file_with_known_future(capsys, tiny_csv, tmp_path):
    """A saved model that reads known values takes them from --future.

    A tabular regressor stands in for the LSTM: the safe format does not
    store networks with known-future inputs yet.
    """
    from sklearn.linear_model import Ridge

    import sklstm
    from sklstm import make_lstm_pipeline, make_supervised

    data = pd.read_csv(tiny_csv, index_col="date", parse_dates=True)
    X, Y = make_supervised(data, target="y", horizon=[1, 2], known_future=["x"])
    model = make_lstm_pipeline(3, Ridge(), known_future=["x"]).fit(X, Y)
    sklstm.save(model, tmp_path / "kf.sklstm")
    days = ["2024-03-01", "2024-03-02"]
    future = _future_csv(tmp_path / "future.csv", days, x=[0.5, -0.5])
    out = tmp_path / "f.csv"
    argv = ["forecast", str(tiny_csv), "--target", "y", "--date-column", "date"]
    argv += ["--model-file", str(tmp_path / "kf.sklstm")]
    assert main(argv) == 2
    assert "the model in " in _error_line(capsys)
    assert main([*argv, "--future", str(future), "--output", str(out)]) == 0
    written = pd.read_csv(out, index_col="date", parse_dates=True)
    table = pd.read_csv(future, index_col="date", parse_dates=True)
    expected = sklstm.forecast(model, data, future=table)
    assert written.index.equals(expected.index.rename("date"))
    assert_allclose(written["y_forecast"], expected, rtol=1e-6)
    # A model trained without known values has no use for --future.
    X, y = make_supervised(data[["y"]], target="y")
    sklstm.save(make_lstm_pipeline(3, Ridge()).fit(X, y), tmp_path / "plain.sklstm")
    argv[-1] = str(tmp_path / "plain.sklstm")
    assert main([*argv, "--future", str(future)]) == 2
    assert _error_line(capsys).endswith(
        f"--future does not apply: {tmp_path / 'plain.sklstm'} was trained "
        f"without covariates known in advance (--known-future)"
    )


# --- a panel: several series in one long table, --series-id ---------------------


def _panel_frame(lengths=(40, 36, 32), scales=(1.0, 10.0, 100.0)):
    """Stores of very different sizes, ragged starts, stacked series by series."""
    rng = np.random.default_rng(0)
    frames = []
    for k, (n, scale) in enumerate(zip(lengths, scales, strict=True)):
        t = np.arange(n)
        end = pd.Timestamp("2024-02-09")
        days = pd.date_range(end=end, periods=n, freq="D")
        sales = scale * (5 + np.sin(2 * np.pi * t / 7) + 0.1 * rng.normal(size=n))
        frames.append(
            pd.DataFrame(
                {"date": days, "store": f"s{k}", "sales": sales, "promo": t % 5 == 0}
            ).astype({"promo": float})
        )
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def panel_csv(tmp_path):
    path = tmp_path / "panel.csv"
    _panel_frame().to_csv(path, index=False)
    return path


def _panel_future(path, stores=("s0", "s1", "s2"), days=("2024-02-10", "2024-02-11")):
    """A --future table of a panel: the date, the series id and promo."""
    rows = [(day, store, 1.0) for store in stores for day in days]
    table = pd.DataFrame(rows, columns=["date", "store", "promo"])
    table.to_csv(path, index=False)
    return path


def _read_panel(path):
    data = pd.read_csv(path, parse_dates=["date"]).set_index("date")
    return data.sort_index(kind="stable")


def test_cli_series_id_forecasts_each_series(capsys, panel_csv, tmp_path):
    """One network for all stores, scored with PanelSplit, one forecast per store."""
    import sklstm

    future = _panel_future(tmp_path / "future.csv")
    out, plot, model = tmp_path / "f.csv", tmp_path / "f.png", tmp_path / "m.sklstm"
    argv = [
        "forecast", str(panel_csv), "--target", "sales", "--date-column", "date",
        "--series-id", "store", "--known-future", "promo", "--future", str(future),
        "--window", "5", "--horizon", "2", "--splits", "2", "--fast", "--quiet",
        "--output", str(out), "--plot", str(plot), "--save", str(model),
    ]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    stdout = capsys.readouterr().out
    assert "mean over folds, steps ahead and series" in stdout
    for name in ("LSTM pipeline", "naive (last value)", "seasonal naive (7 rows)"):
        assert name in stdout
    assert "Forecast of sales, per store:" in stdout
    written = pd.read_csv(out, parse_dates=["target_time"])
    assert list(written.columns) == ["store", "target_time", "forecast"]
    assert list(written["store"]) == ["s0", "s0", "s1", "s1", "s2", "s2"]
    days = written["target_time"].dt.strftime("%Y-%m-%d")
    assert list(days) == ["2024-02-10", "2024-02-11"] * 3
    assert plot.stat().st_size > 1000
    # The forecast is the saved pipeline's (safe format, loaded without
    # Keras), read with the --future values.
    pipe = sklstm.load(model)
    table = pd.read_csv(future, parse_dates=["date"]).set_index("date")
    expected = sklstm.forecast(pipe, _read_panel(panel_csv), future=table)
    assert_allclose(written["forecast"], expected["forecast"], rtol=1e-6)


def test_cli_series_id_interval_is_calibrated_per_series(capsys, panel_csv, tmp_path):
    """--interval on a panel: each store's band in its own units."""
    out, plot = tmp_path / "f.csv", tmp_path / "f.png"
    argv = [
        "forecast", str(panel_csv), "--target", "sales", "--date-column", "date",
        "--series-id", "store", "--interval", "0.8", "--window", "5",
        "--horizon", "2", "--splits", "2", "--fast", "--quiet",
        "--output", str(out), "--plot", str(plot),
    ]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    stdout = capsys.readouterr().out
    assert "coverage" in stdout
    written = pd.read_csv(out)
    assert list(written.columns) == [
        "store", "target_time", "forecast", "lower", "upper"
    ]  # fmt: skip
    assert (written["lower"] < written["forecast"]).all()
    assert (written["forecast"] < written["upper"]).all()
    width = (written["upper"] - written["lower"]).groupby(written["store"]).mean()
    # The stores' sizes differ 10-fold and 100-fold; so do their bands.
    assert 3 < width["s1"] / width["s0"] < 30, width
    assert 30 < width["s2"] / width["s0"] < 300, width
    assert plot.stat().st_size > 1000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--series-id", "shop"],
            "no column 'shop' (--series-id) in {csv}; columns are ['date', "
            "'store', 'sales', 'promo']",
        ),
        (
            ["--series-id", "sales"],
            "the target 'sales' cannot be the --series-id: name the column that "
            "says which series each row belongs to",
        ),
        (
            ["--series-id", "store", "--window", "30"],
            "series 's2' is too short: 32 rows, fewer than the 33 needed for one "
            "window of 30 rows and its 3 step(s) ahead; use a smaller --window "
            "or --horizon, or leave the series out of the CSV",
        ),
        (
            ["--series-id", "store", "--window", "28", "--splits", "5"],
            "the panel is too short: its series span 37 dates with training rows "
            "for horizon 3, fewer than the 39 needed for window 28 and 5 folds",
        ),
        (
            ["--series-id", "store", "--known-future", "promo", "--future", "{no_id}"],
            "no column 'store' (--series-id) in {no_id}: with a panel, each row "
            "of --future names its series",
        ),
        (
            ["--series-id", "store", "--known-future", "promo", "--future", "{two}"],
            "two.csv: series 's2': forecast expected future indexed by exactly "
            "the target times",
        ),
    ],
)
def test_cli_series_id_errors(capsys, panel_csv, tmp_path, argv, message):
    """Each problem is reported in one line, with status 2, before training."""
    files = {"csv": panel_csv, "no_id": tmp_path / "no_id.csv"}
    pd.DataFrame({"date": ["2024-02-10"], "promo": [1.0]}).to_csv(
        files["no_id"], index=False
    )
    days = ("2024-02-10", "2024-02-11", "2024-02-12")  # --horizon 3
    files["two"] = _panel_future(tmp_path / "two.csv", ("s0", "s1"), days)
    argv = [arg.format(**files) for arg in argv]
    common = ["forecast", str(panel_csv), "--target", "sales", "--date-column"]
    assert main([*common, "date", "--horizon", "3", "--fast", *argv]) == 2
    assert message.format(**files) in _error_line(capsys)


def test_cli_series_id_needs_the_date_column(capsys, panel_csv):
    argv = ["forecast", str(panel_csv), "--target", "sales", "--series-id", "store"]
    assert main(argv) == 2
    assert _error_line(capsys).endswith(
        "--series-id needs --date-column: the rows of all series are put in time "
        "order, and cross-validated at common cutoff dates, by their dates"
    )


def test_cli_series_id_with_a_saved_panel_model(capsys, panel_csv, tmp_path):
    """--model-file forecasts a panel model saved in the safe format.

    A tabular regressor stands in for the LSTM, which the safe format does
    not store on a panel yet; the windower's series memory is stored.
    """
    from sklearn.linear_model import Ridge

    import sklstm
    from sklstm import make_lstm_pipeline, make_supervised

    data = _read_panel(panel_csv)
    X, Y = make_supervised(data, target="sales", horizon=[1, 2], series_id="store")
    model = make_lstm_pipeline(5, Ridge(), series_id="store").fit(X, Y)
    sklstm.save(model, tmp_path / "p.sklstm")
    out = tmp_path / "f.csv"
    argv = ["forecast", str(panel_csv), "--target", "sales", "--date-column", "date"]
    argv += ["--model-file", str(tmp_path / "p.sklstm")]
    assert main(argv) == 2
    assert _error_line(capsys).endswith(
        f"{tmp_path / 'p.sklstm'} was trained on a panel: name its series id "
        f"column with --series-id store"
    )
    assert main([*argv, "--series-id", "store", "--output", str(out)]) == 0
    written = pd.read_csv(out, parse_dates=["target_time"])
    expected = sklstm.forecast(model, data)
    assert list(written.columns) == ["store", "target_time", "forecast"]
    assert_allclose(written["forecast"], expected["forecast"], rtol=1e-6)


def test_cli_panel_plot_shows_the_first_six_series(capsys, tmp_path):
    from sklstm._cli_panel import save_panel_plot

    days = pd.date_range("2024-01-01", periods=10, freq="D")
    frames = [
        pd.DataFrame({"store": k, "sales": np.arange(10.0) + k}, days) for k in range(8)
    ]
    data = pd.concat(frames).sort_index(kind="stable")
    ahead = pd.DataFrame(
        {
            "store": np.repeat(range(8), 2),
            "target_time": np.tile(days[-1] + pd.to_timedelta([1, 2], "D"), 8),
            "forecast": 1.0,
        }
    )
    save_panel_plot(tmp_path / "p.png", data, "sales", "store", ahead, "sales")
    assert "the plot shows the first 6 of the 8 series" in capsys.readouterr().err
    assert (tmp_path / "p.png").stat().st_size > 1000
