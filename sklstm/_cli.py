"""The command line: ``python -m sklstm demo`` and ``python -m sklstm forecast``.

``demo`` runs the main job on the weather data that ships inside the package;
``forecast`` does the same for a CSV file of the user's. Expected problems (a
missing file or column, a series too short) end with a one-line message and exit
status 2, never a traceback.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

__all__ = ["main"]

MODELS = {
    "lstm": "LSTMRegressor",
    "stacked": "StackedLSTMRegressor",
    "bilstm": "BiLSTMRegressor",
}


class CLIError(Exception):
    """An expected problem with the user's input: reported in one line."""


def _log(message):
    print(message, file=sys.stderr, flush=True)


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


def _progress():
    """Fit arguments that show the epochs, for this fit only (not saved)."""
    return {"regressor__callbacks": [_epoch_progress()]}


def _regressor(model, *, fast, random_state=0):
    import sklstm

    params = {"random_state": random_state}
    if fast:
        params.update(units=16, epochs=3, early_stopping=False)
    return getattr(sklstm, MODELS[model])(**params)


def _baselines(series, index, horizons, period):
    """Naive and seasonal-naive forecasts for the origins ``index``."""
    values = series.to_numpy()
    naive = np.repeat(values[index, None], len(horizons), axis=1)
    # The same season, last cycle: never a value after the origin.
    seasonal = np.column_stack(
        [
            values[np.clip(index + h - period * -(-h // period), 0, None)]
            for h in horizons
        ]
    )
    return {"naive (last value)": naive, f"seasonal naive ({period} rows)": seasonal}


def _scores(y_true, y_pred):
    error = np.asarray(y_pred, float) - np.asarray(y_true, float)
    return float(np.mean(np.abs(error))), float(np.sqrt(np.mean(error**2)))


def run_forecast(data, target, *, window, horizon, model, period, splits, fast, log):
    """Cross-validate the LSTM pipeline against baselines, then forecast.

    Returns the score table (DataFrame), the forecast (Series) and the pipeline
    fitted on all rows.
    """
    from sklearn.model_selection import TimeSeriesSplit

    from . import make_lstm_pipeline, make_supervised

    horizons = range(1, horizon + 1)
    X, Y = make_supervised(data, target=target, horizon=horizons)
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
    cv = TimeSeriesSplit(n_splits=splits, test_size=test_size, gap=horizon - 1)
    scores = {}
    for fold, (train, test) in enumerate(cv.split(X), start=1):
        start = time.perf_counter()
        log(
            f"fold {fold}/{splits}: training on {len(train)} rows, testing on the "
            f"next {len(test)} (after a gap of {horizon - 1})"
        )
        pipe = make_lstm_pipeline(window, _regressor(model, fast=fast))
        pipe.fit(X.iloc[train], Y.iloc[train], **_progress())
        pred = pipe.predict(X.iloc[test])
        fold_scores = {"LSTM pipeline": _scores(Y.iloc[test], pred)}
        for name, base in _baselines(data[target], test, horizons, period).items():
            fold_scores[name] = _scores(Y.iloc[test], base)
        for name, value in fold_scores.items():
            scores.setdefault(name, []).append(value)
        mae, seconds = fold_scores["LSTM pipeline"][0], time.perf_counter() - start
        log(f"fold {fold}/{splits}: LSTM MAE {mae:.3f} ({seconds:.0f} s)")
    table = pd.DataFrame(
        {name: np.mean(values, axis=0) for name, values in scores.items()},
        index=["MAE", "RMSE"],
    ).T
    log(f"final fit on all {len(X)} rows")
    pipe = make_lstm_pipeline(window, _regressor(model, fast=fast))
    pipe.fit(X, Y, **_progress())
    last = np.asarray(pipe.predict(data.iloc[-window:]))[-1]
    index = data.index
    if isinstance(index, pd.DatetimeIndex) and index.freq is not None:
        future = pd.date_range(index[-1], periods=horizon + 1, freq=index.freq)[1:]
    else:
        future = pd.RangeIndex(len(data), len(data) + horizon)
    forecast = pd.Series(last, index=future, name=f"{target}_forecast")
    return table, forecast, pipe


def _save_plot(path, data, target, forecast, title):
    from .plotting import plot_forecast

    history = data[target].iloc[-8 * len(forecast) :]
    # The forecast line starts at the last observation; NaN leaves no line.
    lead = history.where(history.index == history.index[-1])
    combined = pd.concat([lead, forecast.rename(target)])
    ax = plot_forecast(
        history, combined, horizon=len(forecast), labels=("observed", "forecast")
    )
    ax.set_title(title)
    ax.figure.savefig(path, dpi=120, bbox_inches="tight")


def _report(table, forecast, target):
    print()
    print("Cross-validated error (mean over folds and horizons):")
    print(table.round(3).to_string())
    print()
    print(f"Forecast of {target}:")
    print(forecast.round(2).to_string())


def _demo(args):
    from .datasets import load_seattle_weather

    data = load_seattle_weather().drop(columns="weather")
    _log(
        f"Seattle daily weather, {data.index[0]:%Y-%m-%d} to {data.index[-1]:%Y-%m-%d} "
        f"({len(data)} days): forecasting temp_max 7 days ahead from 14 days of "
        f"{', '.join(data.columns)}"
    )
    table, forecast, _ = run_forecast(
        data, "temp_max", window=14, horizon=7, model=args.model, period=365,
        splits=2 if args.fast else 3, fast=args.fast, log=_log,
    )  # fmt: skip
    _report(table, forecast, "temp_max")
    _save_plot(
        args.plot, data, "temp_max", forecast, "Seattle temp_max: 7-day forecast"
    )
    print(f"\nPlot written to {args.plot}")
    return 0


def _read_csv(args):
    if not os.path.isfile(args.csv):
        raise CLIError(f"no such file: {args.csv}")
    try:
        data = pd.read_csv(args.csv)
    except (ValueError, OSError) as exc:
        raise CLIError(f"could not read {args.csv} as CSV: {exc}") from None
    if args.date_column is not None:
        if args.date_column not in data.columns:
            raise CLIError(
                f"no column {args.date_column!r} in {args.csv}; columns are "
                f"{list(data.columns)}"
            )
        dates = pd.to_datetime(data.pop(args.date_column), errors="coerce")
        if dates.isna().any():
            raise CLIError(
                f"column {args.date_column!r} holds values that are not dates"
            )
        data.index = pd.DatetimeIndex(dates)
        data = data.sort_index()
        if len(data) > 2:  # a regular index lets the forecast carry dates on
            data.index = pd.DatetimeIndex(data.index, freq="infer")
    if args.target not in data.columns:
        raise CLIError(
            f"no column {args.target!r} in {args.csv}; columns are {list(data.columns)}"
        )
    if not pd.api.types.is_numeric_dtype(data[args.target]):
        raise CLIError(f"target column {args.target!r} is not numeric")
    numeric = data.select_dtypes("number")
    if numeric[args.target].isna().any():
        raise CLIError(f"target column {args.target!r} has missing values")
    return numeric


def _forecast(args):
    data = _read_csv(args)
    _log(f"{args.csv}: {len(data)} rows, features {list(data.columns)}")
    table, forecast, pipe = run_forecast(
        data, args.target, window=args.window, horizon=args.horizon,
        model=args.model, period=args.season, splits=args.splits, fast=args.fast,
        log=_log,
    )  # fmt: skip
    _report(table, forecast, args.target)
    if args.output:
        forecast.to_csv(args.output)
        print(f"\nForecast written to {args.output}")
    if args.plot:
        _save_plot(args.plot, data, args.target, forecast, f"{args.target}: forecast")
        print(f"Plot written to {args.plot}")
    if args.save:
        import joblib

        joblib.dump(pipe, args.save)
        print(f"Fitted pipeline written to {args.save}")
    return 0


def _int_at_least(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected an integer >= {minimum}; got {text!r}"
            )
        return value

    return parse


def _parser():
    parser = argparse.ArgumentParser(
        prog="sklstm", description="LSTM forecasting that behaves like scikit-learn."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="forecast Seattle's weather (bundled data)")
    forecast = sub.add_parser("forecast", help="forecast a column of a CSV file")
    forecast.add_argument("csv", help="CSV file, one row per time step, oldest first")
    forecast.add_argument("--target", required=True, help="column to forecast")
    forecast.add_argument("--date-column", help="column of dates (sorted on it)")
    forecast.add_argument("--window", type=_int_at_least(1), default=24)
    forecast.add_argument("--horizon", type=_int_at_least(1), default=1)
    forecast.add_argument(
        "--season", type=_int_at_least(1), default=7, help="period of seasonal naive"
    )
    forecast.add_argument("--splits", type=_int_at_least(2), default=3)
    forecast.add_argument("--output", help="write the forecast to this CSV")
    forecast.add_argument("--save", help="write the fitted pipeline (joblib)")
    forecast.add_argument("--plot", help="write a PNG plot")
    for command in (demo, forecast):
        command.add_argument("--model", choices=sorted(MODELS), default="lstm")
        command.add_argument(
            "--fast", action="store_true", help="tiny network, few epochs (smoke test)"
        )
    demo.add_argument("--plot", default="sklstm_demo.png", help="PNG plot path")
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        return _demo(args) if args.command == "demo" else _forecast(args)
    except (CLIError, ValueError, TypeError) as exc:
        # Expected problems and sklstm's own input errors: one line, no traceback.
        print(f"sklstm {args.command}: error: {exc}", file=sys.stderr)
        return 2
