"""The command line: ``python -m sklstm demo`` and ``python -m sklstm forecast``.

``demo`` runs the main job on the weather data that ships inside the package;
``forecast`` does the same for a CSV file of the user's. Expected problems (a
missing file or column, a series too short) end with a one-line message and exit
status 2, never a traceback.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import os
import sys
import tempfile
import time

import pandas as pd

from ._cli_args import MODELS, build_parser
from ._cli_input import (
    CLIError,
    panel_frequency,
    read_csv,
    read_future,
    season_from_frequency,
    warn,
)

__all__ = ["main"]


def _log(message):
    print(message, file=sys.stderr, flush=True)


def _quiet(message):
    """The log of ``--quiet``: nothing."""


#: What TensorFlow's C++ runtime writes to standard error while it is imported,
#: before its logging is set up, so that TF_CPP_MIN_LOG_LEVEL cannot silence it
#: (absl's notice, CUDA driver probing, CPU instruction and oneDNN notices).
_TF_STARTUP_NOISE = (
    "All log messages before absl::InitializeLog() is called",
    "cudart_stub.cc",
    "cuda_platform.cc",
    "cuda_executor.cc",
    "cpu_feature_guard.cc",
    "To enable the following instructions",
    "oneDNN custom operations are on",
    "Unable to register cu",
    "computation placer already registered",
    "TF-TRT Warning",
)


def startup_noise(line):
    """Whether ``line`` is one of TensorFlow's start-up log lines."""
    return any(marker in line for marker in _TF_STARTUP_NOISE)


def quiet_tensorflow():
    """Import TensorFlow with its start-up log lines kept off standard error.

    TensorFlow's C++ runtime prints them (CUDA driver probing, CPU and oneDNN
    notices) while it loads, before ``TF_CPP_MIN_LOG_LEVEL`` takes effect, so
    the import runs with the standard error file descriptor captured, and
    every other line is written back. Setting ``TF_CPP_MIN_LOG_LEVEL`` to
    0, 1 or 2 asks for TensorFlow's logs: then nothing is filtered.
    """
    if os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3") != "3":
        return
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        except ImportError:
            pass  # reported where sklstm needs it, with the usual message
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        lines = captured.read().decode(errors="replace").splitlines()
    kept = [line for line in lines if not startup_noise(line)]
    if kept:
        print("\n".join(kept), file=sys.stderr, flush=True)


def _epoch_progress():
    """A Keras callback printing one line per epoch to standard error."""
    import keras

    class EpochProgress(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            parts = [f"epoch {epoch + 1}"] + [
                f"{key} {value:.4f}"
                for key, value in (logs or {}).items()
                if "loss" in key
            ]
            print("  " + ", ".join(parts), file=sys.stderr, flush=True)

    return EpochProgress()


def _progress(log):
    """Fit arguments that show the epochs, for this fit only (not saved)."""
    return {} if log is _quiet else {"regressor__callbacks": [_epoch_progress()]}


def _regressor(model, *, fast, random_state=0):
    import sklstm

    params = {"random_state": random_state}
    if fast:
        params.update(units=16, epochs=3, early_stopping=False)
    return getattr(sklstm, MODELS[model])(**params)


def run_forecast(
    data, target, *, window, horizon, model, period, splits, fast, log,
    interval=None, known_future=None, future=None,
):  # fmt: skip
    """Cross-validate the LSTM pipeline against baselines, then forecast.

    Returns the score table (DataFrame), the forecast (Series, or a DataFrame
    with ``lower`` and ``upper`` columns with ``interval``) and the pipeline
    fitted on all rows (inside a ConformalForecaster with ``interval``).
    With ``known_future`` (column names), the LSTM pipeline also reads their
    values at the target times: ``future``, at the forecast's, indexed by them;
    the naive baselines read only the past.
    """
    from sklearn.model_selection import TimeSeriesSplit

    quiet_tensorflow()
    from . import (
        ConformalForecaster,
        NaiveRegressor,
        backtest,
        backtest_report,
        forecast,
        make_lstm_pipeline,
        make_supervised,
    )
    from ._known_future import lead_name

    horizons = range(1, horizon + 1)
    X, Y = make_supervised(
        data, target=target, horizon=horizons, known_future=known_future
    )
    leads = [lead_name(c, h) for h in horizons for c in known_future or ()]
    Y = Y.to_frame() if isinstance(Y, pd.Series) else Y
    min_rows = window + 2 * splits + 1
    if len(X) < min_rows:
        raise CLIError(
            f"the series is too short: {len(data)} rows leave {len(X)} training "
            f"rows for horizon {horizon}, fewer than the {min_rows} needed for "
            f"window {window} and {splits} folds; use a smaller --window or "
            f"--horizon, or more data"
        )
    test_size = max(1, min(180, len(X) // (splits + 2)))
    first_train = len(X) - splits * test_size - (horizon - 1)
    if window > first_train / 3:
        warn(
            f"the window ({window} rows) is longer than a third of the first "
            f"fold's {first_train} training rows: few complete windows to learn "
            f"from; consider a smaller --window"
        )
    cv = TimeSeriesSplit(n_splits=splits, test_size=test_size, gap=horizon - 1)

    # The baselines sit in the same pipeline and cross-validation as the LSTM;
    # the seasonal one reads a window that reaches one season back.
    def lstm_pipeline():
        regressor = _regressor(model, fast=fast)
        pipe = make_lstm_pipeline(window, regressor, known_future=known_future)
        if interval is None:
            return pipe
        # Calibrated on the most recent fifth of each training set, per step.
        return ConformalForecaster(pipe, coverage=interval, gap=horizon - 1)

    models = {
        "LSTM pipeline": lstm_pipeline(),
        "naive (last value)": make_lstm_pipeline(window, NaiveRegressor()),
    }
    if period is not None and period > 1:
        seasonal = NaiveRegressor("seasonal", season=period)
        models[f"seasonal naive ({period} rows)"] = make_lstm_pipeline(
            max(window, period), seasonal
        )
    rows = []
    for name, pipe in models.items():
        start = time.perf_counter()
        log(
            f"{name}: {splits} time-ordered folds of {test_size} rows (each test "
            f"row predicted with its real history, gap {horizon - 1})"
        )
        lstm = name == "LSTM pipeline"
        params = _progress(log) if lstm and not interval else None
        inputs = X if lstm else X.drop(columns=leads)  # baselines: the past only
        results = backtest(pipe, inputs, Y, cv=cv, season=period or 1, params=params)
        report = backtest_report(results, by="fold")
        columns = [c for c in ("MAE", "RMSE", "MASE", "coverage") if c in report]
        rows.append(report[columns].mean().rename(name))
        log(f"{name}: MAE {rows[-1]['MAE']:.3f} ({time.perf_counter() - start:.0f} s)")
    table = pd.DataFrame(rows)
    log(f"final fit on all {len(X)} rows")
    pipe = lstm_pipeline()
    pipe.fit(X, Y, **({} if interval else _progress(log)))
    if interval is None:
        prediction = forecast(pipe, data, future=future).rename(f"{target}_forecast")
    else:
        prediction = forecast(pipe, data, coverage=interval, future=future)
        prediction.columns = [f"{target}_forecast", "lower", "upper"]
    return table, prediction, pipe


def _save_plot(path, data, target, forecast, title):
    from .plotting import plot_forecast

    band = None
    if isinstance(forecast, pd.DataFrame):  # with an interval
        band = forecast[["lower", "upper"]]
        forecast = forecast.iloc[:, 0]
    history = data[target].iloc[-8 * len(forecast) :]
    # The forecast line starts at the last observation; NaN leaves no line.
    lead = history.where(history.index == history.index[-1])
    combined = pd.concat([lead, forecast.rename(target)])
    if band is not None:
        empty = pd.DataFrame(float("nan"), index=history.index, columns=band.columns)
        band = pd.concat([empty, band])
    ax = plot_forecast(
        history,
        combined,
        horizon=len(forecast),
        labels=("observed", "forecast"),
        interval=band,
    )
    ax.set_title(title)
    ax.figure.savefig(path, dpi=120, bbox_inches="tight")


def _report(table, forecast, target, series_id=None):
    print()
    if series_id is None:
        print("Cross-validated error (mean over folds and steps ahead):")
    else:
        print(
            "Cross-validated error (mean over folds, steps ahead and series; MAE "
            "and RMSE in each series' units, so large series weigh most; MASE "
            "scales each series by its own naive error):"
        )
    print(table.round(3).to_string())
    metric = "MAE" if series_id is None else "MASE"  # a panel: every series alike
    lstm = table.loc["LSTM pipeline", metric]
    naive = table[metric].drop("LSTM pipeline")
    if (naive < lstm).any():
        best = naive.idxmin()
        print(
            f"\nCaveat: the LSTM's cross-validated {metric} ({lstm:.3f}) is worse "
            f"than the {best} forecast's ({naive[best]:.3f}); prefer that baseline, "
            f"or try another --window or --model, before trusting this forecast."
        )
    print()
    _print_forecast(forecast, target, series_id)


def _print_forecast(forecast, target, series_id):
    if series_id is None:
        print(f"Forecast of {target}:")
        print(forecast.round(2).to_string())
    else:
        print(f"Forecast of {target}, per {series_id}:")
        values = [c for c in ("forecast", "lower", "upper") if c in forecast]
        print(forecast.round(dict.fromkeys(values, 2)).to_string(index=False))


def _write_forecast(forecast, path, index_label, series_id):
    if series_id is None:
        forecast.rename_axis(index_label).to_csv(path)
    else:  # the long table: series id, target_time, forecast
        forecast.to_csv(path, index=False)
    print(f"\nForecast written to {path}")


def _demo(args):
    from .datasets import load_seattle_weather

    data = load_seattle_weather().drop(columns="weather")
    log = _quiet if args.quiet else _log
    log(
        f"Seattle daily weather, {data.index[0]:%Y-%m-%d} to {data.index[-1]:%Y-%m-%d} "
        f"({len(data)} days): forecasting temp_max 7 days ahead from 14 days of "
        f"{', '.join(data.columns)}"
    )
    table, forecast, _ = run_forecast(
        data, "temp_max", window=14, horizon=7, model=args.model, period=365,
        splits=2 if args.fast else 3, fast=args.fast, log=log,
    )  # fmt: skip
    _report(table, forecast, "temp_max")
    _save_plot(
        args.plot, data, "temp_max", forecast, "Seattle temp_max: 7-day forecast"
    )
    print(f"\nPlot written to {args.plot}")
    return 0


def _forecast(args):
    if args.model_file:
        return _forecast_from_model(args)
    if args.future is not None and not args.known_future:
        raise CLIError(
            "--future gives the values of the --known-future columns at the "
            "forecast's target times; name those columns with --known-future "
            "COL[,COL...]"
        )
    series_id = args.series_id
    log = _quiet if args.quiet else _log
    data = read_csv(args)
    _log_data(log, args, data)
    future = None
    if args.known_future:
        horizons = range(1, args.horizon + 1)
        source = "the model (--known-future)"
        future = read_future(args, data, args.known_future, horizons, source)
        log(f"{args.future}: {', '.join(args.known_future)} at the forecast dates")
    period = args.season
    if period is None:
        freq = getattr(data.index, "freq", None)
        if series_id is not None:
            freq = panel_frequency(data, series_id)
        period = season_from_frequency(freq)
        if period is None:
            warn(
                "no --season given and none follows from the dates: the "
                "seasonal naive baseline is left out"
            )
        else:
            log(f"season: {period} rows per cycle (from the dates' frequency)")
    options = dict(
        window=args.window, horizon=args.horizon, model=args.model,
        period=period, splits=args.splits, fast=args.fast, log=log,
        known_future=args.known_future, future=future,
    )  # fmt: skip
    if series_id is None:
        table, forecast, pipe = run_forecast(
            data, args.target, interval=args.interval, **options
        )
    else:
        from ._cli_panel import run_panel_forecast

        table, forecast, pipe = run_panel_forecast(
            data, args.target, series_id, interval=args.interval, **options
        )
    _report(table, forecast, args.target, series_id)
    if args.output:
        _write_forecast(forecast, args.output, args.date_column or "step", series_id)
    if args.plot:
        _plot(args, data, forecast, series_id)
    if args.save:
        _save_model(pipe, args.save)
    return 0


#: Extensions of --save that ask for a pickle (joblib) rather than the safe format.
_PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib")


def _log_data(log, args, data):
    if args.series_id is None:
        log(f"{args.csv}: {len(data)} rows, features {list(data.columns)}")
        return
    keys = pd.unique(data[args.series_id])
    shown = ", ".join(map(repr, keys[:5])) + (", ..." if len(keys) > 5 else "")
    features = [c for c in data.columns if c != args.series_id]
    log(
        f"{args.csv}: {len(data)} rows of {len(keys)} series ({shown}), "
        f"features {features}"
    )


def _plot(args, data, forecast, series_id):
    title = f"{args.target}: forecast"
    if series_id is None:
        _save_plot(args.plot, data, args.target, forecast, title)
    else:
        from ._cli_panel import save_panel_plot

        save_panel_plot(args.plot, data, args.target, series_id, forecast, title)
    print(f"Plot written to {args.plot}")


def _save_model(pipe, path):
    if path.lower().endswith(_PICKLE_SUFFIXES):
        import joblib

        joblib.dump(pipe, path)
        print(
            f"Fitted pipeline written to {path} (joblib: a pickle, which runs "
            f"code when loaded; load only files you trust)"
        )
        return
    from ._persistence import save

    try:
        save(pipe, path)
    except OSError as exc:
        raise CLIError(f"could not write {path}: {exc}") from None
    print(
        f"Fitted pipeline written to {path} (safe format; forecast from it with "
        f"--model-file {path})"
    )


def _forecast_from_model(args):
    """Forecast with a saved model, without training: the --model-file path."""
    from ._forecasting import _known_future_of, _series_id_of, forecast
    from ._loading import load

    if args.save:
        raise CLIError("--save does not apply with --model-file: nothing is trained")
    log = _quiet if args.quiet else _log
    if not os.path.isfile(args.model_file):
        raise CLIError(f"no such model file: {args.model_file}")
    pipe = load(args.model_file)
    series_id = _series_id_of(pipe)
    if series_id != args.series_id:
        raise CLIError(_series_id_mismatch(args, series_id))
    data = read_csv(args)
    _log_data(log, args, data)
    log(f"{args.model_file}: {_describe_model(pipe)}")
    conformal = hasattr(pipe, "predict_interval")
    if args.interval is not None and not conformal:
        raise CLIError(
            f"{args.model_file} holds no interval calibration: train and save "
            f"it with --interval to forecast intervals from it"
        )
    known = _known_future_of(pipe)
    future = None
    if known is not None:
        source = f"the model in {args.model_file}"
        future = read_future(args, data, known[0], known[1], source)
    elif args.future is not None:
        raise CLIError(
            f"--future does not apply: {args.model_file} was trained without "
            f"covariates known in advance (--known-future)"
        )
    if conformal:  # the coverage it was calibrated for, unless asked otherwise
        coverage = args.interval if args.interval is not None else pipe.coverage
        prediction = forecast(pipe, data, coverage=coverage, future=future)
        if series_id is None:
            prediction.columns = [f"{args.target}_forecast", "lower", "upper"]
    else:
        prediction = forecast(pipe, data, future=future)
        if series_id is None:
            prediction = prediction.rename(f"{args.target}_forecast")
    _print_forecast(prediction, args.target, series_id)
    if args.output:
        index_label = args.date_column or "step"
        _write_forecast(prediction, args.output, index_label, series_id)
    if args.plot:
        _plot(args, data, prediction, series_id)
    return 0


def _series_id_mismatch(args, series_id):
    if args.series_id is None:
        return (
            f"{args.model_file} was trained on a panel: name its series id "
            f"column with --series-id {series_id}"
        )
    if series_id is None:
        return (
            f"--series-id does not apply: {args.model_file} was trained on one series"
        )
    return (
        f"--series-id {args.series_id}: {args.model_file} was trained on a "
        f"panel whose series id column is {series_id!r}"
    )


def _describe_model(pipe):
    if hasattr(pipe, "predict_interval"):  # a ConformalForecaster
        inner = _describe_model(pipe.estimator_)
        return f"{inner}, with conformal intervals ({pipe.coverage:.0%})"
    steps = getattr(pipe, "steps", [(None, pipe)])
    names = []
    for _, step in steps:
        name = type(step).__name__
        if hasattr(step, "estimator_type"):
            name = f"{step.estimator_type} (NumPy, no TensorFlow)"
        names.append(name)
    return " -> ".join(names)


def main(argv=None):
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        return _demo(args) if args.command == "demo" else _forecast(args)
    except (CLIError, ValueError, TypeError) as exc:
        # Expected problems and sklstm's own input errors: one line, no traceback.
        print(f"sklstm {args.command}: error: {exc}", file=sys.stderr)
        return 2
