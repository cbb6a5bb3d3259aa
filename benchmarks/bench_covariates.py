"""Benchmark: what covariates known in advance add to a daily demand forecast.

Data: the UCI bike-sharing daily table that ships with sklstm
(:func:`sklstm.datasets.load_bike_sharing`, 731 days of 2011-2012, target
``count``). No hourly or half-hourly demand series with temperature installs
offline here; this daily demand series with its weather is the closest (the
half-hourly Taylor electricity series of pmdarima has no temperature).

Two tasks: one step ahead (``horizon=1``) and a week ahead as a direct model
(``horizon=range(1, 8)``, one output per day). Four input sets, each cumulative:

(a) ``count`` only (its past);
(b) + past weather: ``temp``, ``humidity``, ``windspeed`` as past inputs only;
(c) + known-future calendar: ``calendar_features(index, features=
    ("day_of_week", "day_of_year"))`` (cyclic, four columns) and UCI's
    ``holiday`` and ``workingday`` columns, all declared ``known_future``;
(d) (c) + the temperature at the target time declared ``known_future``: an
    *oracle* upper bound, the observed temperature standing in for a perfect
    weather forecast.

Models, each on each input set: the default LSTM pipeline
``make_lstm_pipeline(28, LSTMRegressor(random_state=seed))`` (seeds 0, 1, 2;
the median and the range over seeds are reported) and
``make_lstm_pipeline(28, Ridge())`` (Ridge reads the 28-day lag matrix, and
the leads as plain columns). Baselines on ``count``: naive (last value) and
seasonal naive (lag 7), through ``NaiveRegressor`` in the same pipeline.

Evaluation: :func:`sklstm.backtest` over ``TimeSeriesSplit(n_splits=3,
test_size=90, gap=horizon - 1)`` on the rows of ``make_supervised``: each fold
refits the pipeline on its training rows and forecasts every test row from the
history it really had. MAE and MASE (each error scaled by the in-sample MAE of
the seasonal naive forecast, lag 7, on the fold's training targets), averaged
over the folds; the per-step MAE of the week-ahead task; wall seconds of the
backtest (3 fits and their forecasts) per model and seed.

Run from the repository root (about 30-60 minutes on 2 shared cores)::

    python benchmarks/bench_covariates.py

Writes ``benchmarks/results/covariates.md`` and ``covariates.csv``.
``SKLSTM_BENCH_FAST=1`` runs a smoke test (the last fold, one seed, 5 epochs)
in a minute or two and writes nothing. The backtests run in
``SKLSTM_BENCH_JOBS`` worker processes (default 3); with
``SKLSTM_BENCH_PARTIAL=rows.jsonl`` each finished backtest appends its row to
that file, and ``python benchmarks/bench_covariates.py --report-from
rows.jsonl MINUTES`` writes the report of the rows it holds.
"""

# SPDX-License-Identifier: BSD-3-Clause

import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
import tensorflow as tf  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import TimeSeriesSplit  # noqa: E402

from sklstm import (  # noqa: E402
    LSTMRegressor,
    NaiveRegressor,
    backtest,
    backtest_report,
    calendar_features,
    make_lstm_pipeline,
    make_supervised,
)
from sklstm.datasets import load_bike_sharing  # noqa: E402

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
SEEDS = (0,) if FAST else (0, 1, 2)
#: Backtests run at once, in worker processes (``SKLSTM_BENCH_JOBS``).
N_JOBS = int(os.environ.get("SKLSTM_BENCH_JOBS", "3"))
#: A JSON-lines file that gets each row as its backtest ends (``SKLSTM_BENCH_PARTIAL``).
PARTIAL = os.environ.get("SKLSTM_BENCH_PARTIAL")
WINDOW = 28
TEST_SIZE = 90
SEASON = 7
RESULTS = Path(__file__).parent / "results"

WEATHER = ["temp", "humidity", "windspeed"]
CALENDAR = [
    "day_of_week_sin",
    "day_of_week_cos",
    "day_of_year_sin",
    "day_of_year_cos",
    "holiday",
    "workingday",
]
#: name -> (columns of X before the leads, known_future columns)
INPUT_SETS = {
    "(a) count": (["count"], None),
    "(b) + past weather": (["count", *WEATHER], None),
    "(c) + known calendar": (["count", *WEATHER, *CALENDAR], CALENDAR),
    "(d) + known temp (oracle)": (
        ["count", *WEATHER, *CALENDAR],
        [*CALENDAR, "temp"],
    ),
}
TASKS = {"one-step": 1, "week-ahead": range(1, 8)}


def markdown(frame, index=True):
    """A DataFrame as a Markdown table (no tabulate needed)."""
    frame = frame.reset_index() if index else frame
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(map(str, row)) + " |" for row in frame.to_numpy()]
    return "\n".join([head, rule, *body])


def bike_table():
    """The bike table with its cyclic calendar columns."""
    bikes = load_bike_sharing()
    calendar = calendar_features(bikes.index, features=("day_of_week", "day_of_year"))
    return pd.concat(
        [bikes[["count", *WEATHER, "holiday", "workingday"]], calendar], axis=1
    )


def lstm(seed):
    extra = {"epochs": 5, "early_stopping": False} if FAST else {}
    return LSTMRegressor(random_state=seed, **extra)


def folds(X, horizon):
    gap = (horizon if isinstance(horizon, int) else max(horizon)) - 1
    cv = TimeSeriesSplit(n_splits=3, test_size=TEST_SIZE, gap=gap)
    splits = list(cv.split(X))
    return splits[-1:] if FAST else splits


def run_one(pipe, X, Y, cv):
    """Backtest ``pipe``: fold-averaged MAE and MASE, per-step MAE, seconds."""
    start = time.perf_counter()
    results = backtest(pipe, X, Y, cv=cv, season=SEASON)
    seconds = time.perf_counter() - start
    by_fold = backtest_report(results, by="fold")
    by_step = backtest_report(results, by=["fold", "step"])["MAE"]
    per_step = by_step.groupby(level="step").mean()
    return by_fold["MAE"].mean(), by_fold["MASE"].mean(), per_step, seconds


def jobs(data):
    """One (key, pipeline, X, Y, folds) per backtest: Ridge and baselines
    first, then the LSTMs seed by seed (a complete set of inputs per seed)."""
    tables = {}
    for task, horizon in TASKS.items():
        count, Y = make_supervised(data[["count"]], target="count", horizon=horizon)
        cv = folds(Y, horizon)
        for label, regressor in [
            ("naive (last value)", NaiveRegressor()),
            ("seasonal naive (lag 7)", NaiveRegressor("seasonal", season=SEASON)),
        ]:
            pipe = make_lstm_pipeline(WINDOW, regressor)
            yield (task, "count", label, None), pipe, count, Y, cv
        for name, (columns, known) in INPUT_SETS.items():
            X, Y = make_supervised(
                data[columns], target="count", horizon=horizon, known_future=known
            )
            tables[task, name] = X, Y, cv, known
            pipe = make_lstm_pipeline(WINDOW, Ridge(), known_future=known)
            yield (task, name, "Ridge", None), pipe, X, Y, cv
    for seed in SEEDS:
        for (task, name), (X, Y, cv, known) in tables.items():
            pipe = make_lstm_pipeline(WINDOW, lstm(seed), known_future=known)
            yield (task, name, "LSTM", seed), pipe, X, Y, cv


def run_job(key, pipe, X, Y, cv):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    mae, mase, per_step, seconds = run_one(pipe, X, Y, cv)
    task, name, label, seed = key
    print(
        f"{task:10s} {name:26s} {label:22s} seed {seed} MAE {mae:7.1f} "
        f"MASE {mase:.3f} {seconds:6.1f} s",
        flush=True,
    )
    row = dict(
        task=task,
        inputs=name,
        model=label,
        seed=seed,
        MAE=mae,
        MASE=mase,
        seconds=seconds,
    )
    row.update({f"MAE day {step}": mae for step, mae in per_step.items()})
    if PARTIAL:  # one JSON line per finished backtest, to report a cut-short run
        with open(PARTIAL, "a") as log:
            log.write(json.dumps(row) + "\n")
    return row


def measure():
    """Run every backtest, ``N_JOBS`` processes at a time."""
    done = Parallel(n_jobs=N_JOBS, verbose=0)(
        delayed(run_job)(*job) for job in jobs(bike_table())
    )
    return pd.DataFrame(done)


def summary(table):
    """Median over seeds, with the range, one row per task, inputs and model."""

    def spread(values):
        return "" if len(values) < 2 else f"{values.min():.0f}-{values.max():.0f}"

    grouped = table.groupby(["task", "inputs", "model"], sort=False)
    out = grouped.agg(
        MAE=("MAE", "median"),
        MASE=("MASE", "median"),
        seconds=("seconds", "median"),
        n_seeds=("MAE", "size"),
    )
    out["MAE range over seeds"] = grouped["MAE"].apply(spread)
    out["MAE"] = out["MAE"].round(1)
    out["MASE"] = out["MASE"].round(3)
    out["seconds"] = out["seconds"].round(1)
    return out[["MAE", "MAE range over seeds", "MASE", "seconds", "n_seeds"]]


def report(table, minutes):
    """The Markdown report of a results table."""
    overview = summary(table)
    seeds = ", ".join(
        str(int(seed)) for seed in sorted(table["seed"].dropna().unique())
    )
    week = table[table["task"] == "week-ahead"]
    days = [column for column in week.columns if column.startswith("MAE day")]
    week = week.groupby(["inputs", "model"], sort=False)[days].median().round(0)
    lines = [
        "# Covariates known in advance: bike rentals, a day and a week ahead",
        "",
        f"Produced by `SKLSTM_BENCH_JOBS={N_JOBS} nice -n 10 python "
        f"benchmarks/bench_covariates.py` on {date.today().isoformat()} "
        f"(protocol in its docstring), on 2 CPU cores shared with other jobs, "
        f"{N_JOBS} backtests at a time: wall seconds are indicative only. Python "
        f"{platform.python_version()}, TensorFlow {tf.__version__}, Keras "
        f"{keras.__version__}, scikit-learn {sklearn.__version__}, pandas "
        f"{pd.__version__}, NumPy {np.__version__}; {platform.machine()} "
        f"{sys.platform}. Total run time: {minutes:.0f} min. Per-seed figures: "
        f"`covariates.csv`.",
        "",
        "Data: UCI bike sharing, daily (`sklstm.datasets.load_bike_sharing`, "
        "target `count`, 731 days of 2011-2012). No hourly or half-hourly "
        "demand series with temperature installs offline here; this daily "
        "demand series is the closest (pmdarima's half-hourly Taylor "
        "electricity series has no temperature).",
        "",
        "Protocol: `backtest` over `TimeSeriesSplit(n_splits=3, test_size=90, "
        "gap=horizon - 1)` (the test folds span roughly the last 270 days of "
        "2012), each test row forecast from its real history; window 28 days. "
        "MAE in bikes per day and MASE (scaled by the in-sample seasonal-naive-7 "
        "MAE of each fold's training targets), averaged over the 3 folds; the "
        "week-ahead figures average the 7 steps. LSTM: the default "
        "`LSTMRegressor(random_state=seed)` (50 units, up to 100 epochs, early "
        f"stopping), median over seeds {seeds} with the range; Ridge: "
        "`Ridge()` (alpha 1) on the standardised 28-day lag matrix plus the "
        "leads. Seconds: one backtest (3 fits and their forecasts), median over "
        "seeds.",
        "",
        "Input sets: (a) `count` only; (b) + past `temp`, `humidity`, "
        "`windspeed`; (c) + calendar (cyclic day of week and day of year, UCI's "
        "`holiday`, `workingday`) declared known-future; (d) (c) + `temp` at the "
        "target time declared known-future, an **oracle** (the observed "
        "temperature stands in for a perfect weather forecast): an upper bound, "
        "not an achievable result.",
        "",
        "## MAE and MASE",
        "",
        markdown(overview),
        "",
        "## Week ahead: MAE per step (median over seeds)",
        "",
        markdown(week),
        "",
    ]
    return "\n".join(lines)


def main():
    start = time.perf_counter()
    if sys.argv[1:2] == ["--report-from"]:  # a partial run's JSON lines
        table = pd.read_json(sys.argv[2], lines=True)
        minutes = float(sys.argv[3])
    else:
        table = measure()
        minutes = (time.perf_counter() - start) / 60
    print(summary(table).to_string())
    if FAST:
        print(f"SKLSTM_BENCH_FAST=1: results not written ({minutes:.1f} min).")
        return
    table.to_csv(RESULTS / "covariates.csv", index=False)
    text = report(table, minutes)
    (RESULTS / "covariates.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
