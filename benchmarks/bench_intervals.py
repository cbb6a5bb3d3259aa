"""Benchmark: coverage of sklstm's prediction intervals on real series.

Bundled series only (nothing is downloaded): Seattle daily maximum and minimum
temperature (the last 1000 days) and AirPassengers (log scale, 144 months).

Protocol, per series and horizon (1 step, and 1..3 steps as a direct model):

- ``X, y = make_supervised(series, horizon=...)``;
- ``backtest`` over ``TimeSeriesSplit(n_splits=4, test_size=T, gap=h - 1)``
  (T = 120 days, 18 months): every fold refits the model on its training
  rows and forecasts each test row from its real history;
- models: ``ConformalForecaster`` (calibration on the last 20% of each
  training set, 30% for AirPassengers so that 95% has its 19 rows, gap
  ``h - 1``, refit on all training rows) around a Ridge on the lag window
  (28 days / 24 months), and the same around the naive (last value)
  forecast: the "naive-residual interval"; with ``--lstm``, also around the
  default ``LSTMRegressor(random_state=0)`` (the window as above);
- nominal coverage 0.8 and 0.95; reported: empirical coverage, mean width
  and Winkler interval score on the test folds, per series and step.

Cost, on Seattle daily temp_max: fit time of the quantile LSTM
(``quantiles=(0.1, 0.5, 0.9)``) against the point LSTM (32 units, 20 epochs,
no early stopping, window 28): one untimed fit of each, then 5 timed pairs
whose order alternates (ABBA), median per kind; and the coverage of its raw
0.1-0.9 band and of the CQR band on the last fold.

skforecast is not installed beside the stack, so its intervals are not
compared here.

Run: ``python benchmarks/bench_intervals.py`` (about 3-6 minutes on 2 shared
cores). Writes ``benchmarks/results/intervals.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit

from sklstm import (
    ConformalForecaster,
    NaiveRegressor,
    backtest,
    backtest_report,
    interval_coverage,
    make_lstm_pipeline,
    make_supervised,
)
from sklstm.datasets import load_air_passengers, load_seattle_weather

RESULTS = Path(__file__).parent / "results" / "intervals.md"


def markdown(frame, index=True):
    """A DataFrame as a Markdown table (no tabulate needed)."""
    frame = frame.reset_index() if index else frame
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(map(str, row)) + " |" for row in frame.to_numpy()]
    return "\n".join([head, rule, *body])


def series():
    weather = load_seattle_weather()
    return {
        "Seattle temp_max (daily)": (weather["temp_max"].iloc[-1000:], 28, 120, 0.2),
        "Seattle temp_min (daily)": (weather["temp_min"].iloc[-1000:], 28, 120, 0.2),
        # 95% needs 19 calibration rows; the first fold trains on 71 months.
        "AirPassengers (log, monthly)": (np.log(load_air_passengers()), 24, 18, 0.3),
    }


def coverage_table(lstm=False):
    from sklstm import LSTMRegressor

    regressors = [("Ridge", Ridge()), ("naive", NaiveRegressor())]
    if lstm:
        regressors.append(("LSTM", LSTMRegressor(random_state=0)))
    rows = []
    for name, (y, window, test_size, size) in series().items():
        for horizon in (1, 3):
            X, Y = make_supervised(y.to_frame(), horizon=range(1, horizon + 1))
            cv = TimeSeriesSplit(n_splits=4, test_size=test_size, gap=horizon - 1)
            for label, regressor in regressors:
                for coverage in (0.8, 0.95):
                    model = ConformalForecaster(
                        make_lstm_pipeline(window, regressor),
                        coverage=coverage,
                        calibration_size=size,
                        gap=horizon - 1,
                    )
                    start = time.perf_counter()
                    results = backtest(model, X, Y, cv=cv)
                    seconds = time.perf_counter() - start
                    report = backtest_report(results)
                    width = (results["upper"] - results["lower"]).groupby(
                        results["step"]
                    )
                    for step, row in report.iterrows():
                        rows.append(
                            {
                                "series": name,
                                "horizon": horizon,
                                "model": f"conformal {label}",
                                "nominal": coverage,
                                "step": step,
                                "coverage": row["coverage"],
                                "width": width.mean()[step],
                                "interval_score": row["interval_score"],
                                "n": row["n"],
                                "seconds": seconds,
                            }
                        )
    return pd.DataFrame(rows)


def quantile_cost(repeats=5):
    from sklstm import LSTMRegressor

    y = load_seattle_weather()["temp_max"].iloc[-1000:].to_frame()
    X, Y = make_supervised(y)
    params = dict(units=32, epochs=20, early_stopping=False, random_state=0)
    times = {"point": [], "quantile": []}

    def fit(kind):
        extra = {"quantiles": (0.1, 0.5, 0.9)} if kind == "quantile" else {}
        pipe = make_lstm_pipeline(28, LSTMRegressor(**params, **extra))
        start = time.perf_counter()
        pipe.fit(X.iloc[:-120], Y.iloc[:-120])
        return pipe, time.perf_counter() - start

    fit("point"), fit("quantile")  # untimed: TensorFlow's one-time start-up
    for repeat in range(repeats):
        # Alternating which goes first, so that neither always runs second.
        order = ("point", "quantile") if repeat % 2 == 0 else ("quantile", "point")
        for kind in order:
            fitted, seconds = fit(kind)
            times[kind].append(seconds)
            if kind == "quantile":
                pipe = fitted
    # Coverage of the last fitted quantile model on the last 120 days.
    q = pipe[-1].predict_quantiles(pipe[:-1].transform(X))[-120:]
    raw = interval_coverage(Y.iloc[-120:], q[:, [0, 2]])
    cqr = ConformalForecaster(
        make_lstm_pipeline(28, LSTMRegressor(**params, quantiles=(0.1, 0.5, 0.9))),
        coverage=0.8,
    )
    start = time.perf_counter()
    cqr.fit(X.iloc[:-120], Y.iloc[:-120])
    cqr_seconds = time.perf_counter() - start
    cqr_coverage = interval_coverage(Y.iloc[-120:], cqr.predict_interval(X)[-120:])
    return times, raw, cqr_coverage, cqr_seconds


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lstm",
        action="store_true",
        help="also backtest a conformal LSTMRegressor (defaults, seed 0): about "
        "100 more fits",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    table = coverage_table(lstm=args.lstm)
    summary = table.groupby(["model", "nominal"])["coverage"].agg(
        ["mean", "min", "max"]
    )
    times, raw, cqr_coverage, cqr_seconds = quantile_cost()
    point, quantile = np.median(times["point"]), np.median(times["quantile"])
    lines = [
        "# Prediction intervals: coverage on real series",
        "",
        "Produced by `python benchmarks/bench_intervals.py` (protocol in its "
        f"docstring{', with --lstm' if args.lstm else ''}), on 2 CPU cores, "
        f"{time.strftime('%Y-%m-%d')}; load average at the end "
        f"{os.getloadavg()[0]:.1f}.",
        "",
        "## Conformal intervals, test folds (4 folds, refit per fold)",
        "",
        markdown(table.round(3), index=False),
        "",
        "Empirical coverage over series and steps, per model:",
        "",
        markdown(summary.round(3)),
        "",
        "## Quantile LSTM (Seattle temp_max, 32 units, 20 epochs)",
        "",
        f"- fit time, median of {len(times['point'])} alternating runs: point "
        f"{point:.1f} s, quantile {quantile:.1f} s, ratio {quantile / point:.2f} "
        f"(runs: point {np.round(times['point'], 1).tolist()}, quantile "
        f"{np.round(times['quantile'], 1).tolist()})",
        f"- raw 0.1-0.9 band on the last 120 days: coverage {raw:.3f} (nominal 0.8)",
        f"- CQR (ConformalForecaster, coverage 0.8) around it: coverage "
        f"{cqr_coverage:.3f}; its fit (calibration fit + refit) took "
        f"{cqr_seconds:.1f} s",
        "",
        f"Total run time: {time.perf_counter() - start:.0f} s.",
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
