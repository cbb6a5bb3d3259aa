"""Benchmark: coverage of sklstm's prediction intervals on real series.

The twelve series of the accuracy benchmark (``bench_accuracy.load_specs``:
electricity demand, hourly and daily temperature, AirPassengers, sunspots,
CO2, US GDP and unemployment, Tourism monthly/quarterly/yearly, M3 monthly;
nothing is downloaded), with the same window (look-back) and test-fold size.

Protocol, per series and horizon (1 step, and steps 1..3 as a direct model):

- ``X, Y = make_supervised(series, horizon=...)``;
- time-ordered folds ``TimeSeriesSplit(n_splits=k, test_size=T, gap=h - 1)``
  with T the accuracy benchmark's test size and k = max(3, the number of
  such folds in the last quarter of the series), so that the short quarterly
  series are judged on more than 24 targets; every fold refits the model on
  its training rows, keeps it over the test fold, and forecasts each test row
  from its real history (the rows before it);
- ``ConformalForecaster(pipeline, calibration="last", gap=h - 1)``: one fit
  on the first part of the training rows, the last ``calibration_size`` of
  them (20%, more on short series so that the first fold has 20 rows for the
  95% interval) give the scores, then the refit on all training rows; one
  fitted forecaster gives both the 80% and the 95% interval
  (``predict_interval(X, coverage=...)``);
- models inside it: the naive (last value) forecast (the "naive-residual
  interval"), a Ridge on the lag window, and the default ``LSTMRegressor
  (random_state=0)``, each in ``make_lstm_pipeline(window, ...)``;
- skforecast 0.26 (``--skforecast-only``, in its own environment, see
  ``skforecast_intervals.py``): a Ridge on the same lags, recursive for one
  step and direct for three, with its conformal and bootstrapped intervals
  from in-sample residuals (its default) and conformal ones from
  out-of-sample residuals (the analogue of ours); same folds, fitted on the
  same data, the same origins;
- reported per series, horizon, model, nominal coverage and step: empirical
  coverage, mean width, Winkler interval score, the number of targets.

Cost, on Seattle daily temp_max: fit time of the quantile LSTM
(``quantiles=(0.1, 0.5, 0.9)``) against the point LSTM (32 units, 20 epochs,
no early stopping, window 28): one untimed fit of each, then 5 timed pairs
whose order alternates (ABBA), median per kind; and the coverage of its raw
0.1-0.9 band and of the CQR band on the last 120 days.

The run goes in parts that resume (each part is a long CSV under
``benchmarks/results/intervals_parts/``; a (series, horizon, model) already
there is skipped)::

    nice -n 10 python benchmarks/bench_intervals.py --part baselines \
        --models naive ridge                                        # ~1 min
    nice -n 10 python benchmarks/bench_intervals.py --part lstm --models lstm
    # the LSTM: 2 hours on the 2-core machine shared with 3 other jobs
    /tmp/skf-venv/bin/python benchmarks/bench_intervals.py --skforecast-only
    nice -n 10 python benchmarks/bench_intervals.py --cost          # ~5 min
    python benchmarks/bench_intervals.py --report

``--report`` fits nothing: it merges the parts and writes
``benchmarks/results/intervals.md`` and ``intervals.csv`` (coverage per
series, horizon, model, nominal and step). ``--models`` picks among
``naive ridge lstm``; ``--series`` takes substrings of series names.
``SKLSTM_BENCH_FAST=1`` runs a smoke test (two short series, one fold, two
epochs) and writes nothing.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import copy
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit

sys.path.insert(0, str(Path(__file__).parent))
from bench_accuracy import load_specs  # noqa: E402

from sklstm import (  # noqa: E402
    ConformalForecaster,
    LSTMRegressor,
    NaiveRegressor,
    interval_coverage,
    interval_score,
    make_lstm_pipeline,
    make_supervised,
)
from sklstm.datasets import load_seattle_weather  # noqa: E402

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
RESULTS = Path(__file__).parent / "results"
PARTS = RESULTS / "intervals_parts"
COVERAGES = (0.8, 0.95)
HORIZONS = (1, 3)
MODELS = {"naive": "conformal naive", "ridge": "conformal Ridge"}
MODELS["lstm"] = "conformal LSTM"
ONLINE = {name: f"{label}, online" for name, label in MODELS.items()}
COLUMNS = [
    "series",
    "horizon",
    "model",
    "nominal",
    "fold",
    "origin",
    "step",
    "y_true",
    "y_pred",
    "lower",
    "upper",
    "fit_seconds",
]


def markdown(frame, index=True):
    """A DataFrame as a Markdown table (no tabulate needed)."""
    frame = frame.reset_index() if index else frame
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(map(str, row)) + " |" for row in frame.to_numpy()]
    return "\n".join([head, rule, *body])


def folds(spec, horizon):
    """Time-ordered (train, test) rows of the supervised table of a series."""
    n_rows = spec.values.size - horizon
    n_splits = 2 if FAST else max(3, int(0.25 * n_rows) // spec.test_size)
    cv = TimeSeriesSplit(n_splits=n_splits, test_size=spec.test_size, gap=horizon - 1)
    splits = list(cv.split(np.zeros(n_rows)))
    return splits[-1:] if FAST else splits


def calibration_fraction(first_train_rows):
    """20% of the training rows, at least 20 rows (95% needs 19), at most 60%.

    Where 60% is still too few for 95% (the yearly Tourism series at three
    steps), that interval is left out and the report says so.
    """
    return float(np.clip(20 / first_train_rows, 0.2, 0.6))


def regressor(name):
    if name == "naive":
        return NaiveRegressor()
    if name == "ridge":
        return Ridge()
    params = {"epochs": 2} if FAST else {}
    return LSTMRegressor(random_state=0, **params)


def online_bounds(model, X, Y, train, test, nominal, window):
    """Intervals of adaptive conformal inference over one test fold.

    A copy of the fitted forecaster at ``nominal`` forecasts each test row
    at its current level and, as each new value is observed, is updated
    with the row whose targets have all been observed by then (its window's
    rows before it passed as history, with NaN targets).
    """
    online = copy.deepcopy(model).set_params(coverage=nominal)
    online.alpha_ = np.full_like(model.alpha_, 1.0 - nominal)
    horizon = Y.shape[1]
    bounds = []
    for i in test:
        rows = X.iloc[max(0, i - window + 1) : i + 1]
        bounds.append(np.asarray(online.predict_interval(rows))[-1])
        j = i + 1 - horizon  # the row whose last target is the new value
        if j > train[-1]:
            lo = max(0, j - window + 1)
            targets = np.full((j + 1 - lo, horizon), np.nan)
            targets[-1] = Y[j]
            online.update(X.iloc[lo : j + 1], targets)
    return np.asarray(bounds).reshape(len(test), horizon, 2)


def conformal_rows(spec, horizon, name):
    """Backtest one conformal model; both coverages from each fitted fold,
    split conformal as fitted and with online updates (``update``)."""
    frame = spec.values.rename("y").reset_index(drop=True).to_frame()
    X, Y = make_supervised(frame, horizon=range(1, horizon + 1))
    Y = np.asarray(Y, dtype=np.float64).reshape(len(X), -1)
    splits = folds(spec, horizon)
    size = calibration_fraction(len(splits[0][0]))
    rows = []
    for fold, (train, test) in enumerate(splits):
        model = ConformalForecaster(
            make_lstm_pipeline(spec.window, regressor(name)),
            coverage=COVERAGES[0],
            calibration_size=size,
            gap=horizon - 1,
        )
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X.iloc[train], Y[train])
        seconds = time.perf_counter() - start
        # Every test row is forecast from the rows before it (real history).
        history = X.iloc[: test[-1] + 1]
        pred = np.asarray(model.predict(history)).reshape(len(history), -1)[test]
        for nominal in COVERAGES:
            try:
                bounds = model.predict_interval(history, coverage=nominal)
            except ValueError as exc:  # too few calibration rows for it
                print(f"{spec.name} h={horizon} fold {fold}: {exc}", flush=True)
                continue
            bounds = np.asarray(bounds).reshape(len(history), -1, 2)[test]
            online = online_bounds(model, X, Y, train, test, nominal, spec.window)
            for label, found in ((MODELS[name], bounds), (ONLINE[name], online)):
                for step in range(horizon):
                    rows.append(
                        pd.DataFrame(
                            {
                                "model": label,
                                "fold": fold,
                                "origin": test,
                                "step": step + 1,
                                "nominal": nominal,
                                "y_true": Y[test, step],
                                "y_pred": pred[:, step],
                                "lower": found[:, step, 0],
                                "upper": found[:, step, 1],
                                "fit_seconds": seconds,
                            }
                        )
                    )
    return pd.concat(rows, ignore_index=True)


def skforecast_rows(spec, horizon):
    from skforecast_intervals import skforecast_interval_rows

    values = spec.values.to_numpy(dtype=np.float64)
    start = time.perf_counter()
    out = skforecast_interval_rows(
        values,
        spec.window,
        horizon,
        folds(spec, horizon),
        coverages=COVERAGES,
        calibration_fraction=calibration_fraction(len(folds(spec, horizon)[0][0])),
    )
    out["fit_seconds"] = time.perf_counter() - start
    return out


def done(part_csv):
    if not part_csv.exists():
        return set()
    seen = pd.read_csv(part_csv, usecols=["series", "horizon", "model"])
    return set(seen.drop_duplicates().itertuples(index=False, name=None))


def run_part(part_csv, specs, names, skforecast=False):
    finished = done(part_csv)
    for spec in specs:
        for horizon in HORIZONS:
            jobs = ["skforecast"] if skforecast else names
            for name in jobs:
                label = "skforecast" if skforecast else MODELS[name]
                if any(
                    s == spec.name and h == horizon and m.startswith(label)
                    for s, h, m in finished
                ):
                    continue
                start = time.perf_counter()
                if skforecast:
                    rows = skforecast_rows(spec, horizon)
                else:
                    rows = conformal_rows(spec, horizon, name)
                rows["series"], rows["horizon"] = spec.name, horizon
                rows = rows[COLUMNS]
                print(
                    f"{spec.name} h={horizon} {label}: "
                    f"{time.perf_counter() - start:.1f} s",
                    flush=True,
                )
                if FAST:
                    continue
                part_csv.parent.mkdir(parents=True, exist_ok=True)
                rows.to_csv(
                    part_csv, mode="a", header=not part_csv.exists(), index=False
                )


def quantile_cost(repeats=5):
    y = load_seattle_weather()["temp_max"].iloc[-1000:].to_frame()
    X, Y = make_supervised(y)
    params = dict(units=32, epochs=2 if FAST else 20, early_stopping=False)
    params["random_state"] = 0
    times = {"point": [], "quantile": []}

    def fit(kind):
        extra = {"quantiles": (0.1, 0.5, 0.9)} if kind == "quantile" else {}
        pipe = make_lstm_pipeline(28, LSTMRegressor(**params, **extra))
        start = time.perf_counter()
        pipe.fit(X.iloc[:-120], Y.iloc[:-120])
        return pipe, time.perf_counter() - start

    fit("point"), fit("quantile")  # untimed: TensorFlow's one-time start-up
    for repeat in range(1 if FAST else repeats):
        # Alternating which goes first, so that neither always runs second.
        order = ("point", "quantile") if repeat % 2 == 0 else ("quantile", "point")
        for kind in order:
            fitted, seconds = fit(kind)
            times[kind].append(seconds)
            if kind == "quantile":
                pipe = fitted
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
    return {
        "point": times["point"],
        "quantile": times["quantile"],
        "raw_coverage": float(raw),
        "cqr_coverage": float(cqr_coverage),
        "cqr_seconds": cqr_seconds,
        "date": time.strftime("%Y-%m-%d"),
        "load_average_end": os.getloadavg()[0],
    }


def per_cell(long):
    """Coverage, mean width, interval score and count per cell of the table."""
    keys = ["series", "horizon", "model", "nominal", "step"]
    rows = []
    for key, group in long.groupby(keys, sort=False):
        y = group["y_true"].to_numpy()
        bounds = group[["lower", "upper"]].to_numpy()
        nominal = key[keys.index("nominal")]
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "coverage": interval_coverage(y, bounds),
                "width": float(np.mean(bounds[:, 1] - bounds[:, 0])),
                "infinite": float(np.mean(~np.isfinite(bounds).all(axis=1))),
                "interval_score": interval_score(y, bounds, coverage=nominal),
                "n": len(group),
            }
        )
    return pd.DataFrame(rows)


def finite_geometric_mean(ratios):
    """Geometric mean over the series whose intervals were all finite."""
    finite = ratios[np.isfinite(ratios)]
    return float(np.exp(np.log(finite).mean())) if len(finite) else np.nan


def summaries(cells, order):
    """Coverage over series (steps averaged) and scores relative to naive."""
    per_series = cells.groupby(
        ["series", "horizon", "model", "nominal"], sort=False
    ).agg(
        coverage=("coverage", "mean"),
        score=("interval_score", "mean"),
        infinite=("infinite", "mean"),
    )
    per_series["n"] = cells.groupby(
        ["series", "horizon", "model", "nominal"], sort=False
    )["n"].min()
    per_series = per_series.reset_index()
    naive = per_series[per_series["model"] == "conformal naive"].set_index(
        ["series", "horizon", "nominal"]
    )["score"]
    per_series["score_vs_naive"] = (
        per_series["score"].to_numpy()
        / naive.reindex(
            pd.MultiIndex.from_frame(per_series[["series", "horizon", "nominal"]])
        ).to_numpy()
    )
    error = per_series["coverage"] - per_series["nominal"]
    # The sampling noise of a coverage estimated on n targets (1.96 sd).
    noise = 1.96 * np.sqrt(per_series["nominal"] * (1 - per_series["nominal"]))
    per_series["abs_error"] = error.abs()
    per_series["off"] = error.abs() > 0.08
    per_series["beyond_noise"] = error.abs() > noise / np.sqrt(per_series["n"])
    table = per_series.groupby(["model", "horizon", "nominal"]).agg(
        series=("series", "size"),
        mean_coverage=("coverage", "mean"),
        min=("coverage", "min"),
        max=("coverage", "max"),
        mean_abs_error=("abs_error", "mean"),
        off_by_8=("off", "sum"),
        off_beyond_noise=("beyond_noise", "sum"),
        infinite=("infinite", "mean"),
        score_vs_naive=("score_vs_naive", finite_geometric_mean),
    )
    table = table.reindex(order, level="model")
    return per_series, table


def series_table(per_series, order):
    wide = per_series.pivot_table(
        index=["series", "horizon", "model"],
        columns="nominal",
        values=["coverage", "score_vs_naive"],
        sort=False,
    )
    wide.columns = [f"{what} {nominal:g}" for what, nominal in wide.columns]
    wide = wide.reset_index()
    wide["model"] = pd.Categorical(wide["model"], order)
    series_order = list(dict.fromkeys(per_series["series"]))
    wide["series"] = pd.Categorical(wide["series"], series_order)
    return wide.sort_values(["series", "horizon", "model"])


def report():
    parts = sorted(PARTS.glob("*.csv"))
    long = pd.concat([pd.read_csv(p) for p in parts], ignore_index=True)
    long = long.drop_duplicates(
        ["series", "horizon", "model", "nominal", "fold", "origin", "step"]
    )
    order = [
        m for pair in zip(MODELS.values(), ONLINE.values(), strict=True) for m in pair
    ]
    order += sorted(m for m in long["model"].unique() if m not in order)
    cells = per_cell(long)
    cells.round(4).to_csv(RESULTS / "intervals.csv", index=False)
    per_series, table = summaries(cells, order)
    seconds = (
        long.groupby(["series", "horizon", "model", "fold"])["fit_seconds"]
        .first()
        .groupby("model")
        .sum()
    )
    lines = [
        "# Prediction intervals: coverage on real series",
        "",
        "Produced by `python benchmarks/bench_intervals.py` in parts (protocol and "
        f"commands in its docstring); parts: {', '.join(p.name for p in parts)}; "
        f"report written {time.strftime('%Y-%m-%d')} on {platform.machine()} "
        f"({os.cpu_count()} CPU cores, shared with other jobs). Coverage per "
        "series is the mean over steps; `score_vs_naive` is the geometric mean "
        "over series of the Winkler interval score divided by the conformal "
        "naive's (below 1: better); `off_by_8` counts series whose coverage is "
        "more than 8 points from nominal, `off_beyond_noise` those further than "
        "1.96 binomial standard deviations for their number of targets; "
        "`infinite` is the mean share of infinite intervals (adaptive "
        "inference widens to the whole line while its level asks for a rank "
        "above the number of calibration scores), whose series the geometric "
        "mean leaves out.",
        "",
        "## Summary per model, horizon and nominal coverage",
        "",
        markdown(table.round(3)),
        "",
        "## Per series (coverage; interval score relative to the conformal naive)",
        "",
        markdown(series_table(per_series, order).round(3), index=False),
        "",
        "## Fit seconds per model, all series and folds",
        "",
        markdown(seconds.round(0).to_frame()),
        "",
        "Per-step cells (coverage, width, interval score, n): "
        "`benchmarks/results/intervals.csv`.",
        "",
    ]
    cost_file = PARTS / "cost.json"
    if cost_file.exists():
        cost = json.loads(cost_file.read_text())
        point, quantile = np.median(cost["point"]), np.median(cost["quantile"])
        lines += [
            "## Quantile LSTM (Seattle temp_max, 32 units, 20 epochs)",
            "",
            f"Run {cost['date']}, load average at its end "
            f"{cost['load_average_end']:.1f}.",
            "",
            f"- fit time, median of {len(cost['point'])} alternating (ABBA) pairs "
            f"after an untimed warm-up fit of each: point {point:.1f} s, quantile "
            f"{quantile:.1f} s, ratio {quantile / point:.2f} (runs: point "
            f"{np.round(cost['point'], 1).tolist()}, quantile "
            f"{np.round(cost['quantile'], 1).tolist()})",
            f"- raw 0.1-0.9 band on the last 120 days: coverage "
            f"{cost['raw_coverage']:.3f} (nominal 0.8)",
            f"- CQR (ConformalForecaster, coverage 0.8) around it: coverage "
            f"{cost['cqr_coverage']:.3f}; its fit (calibration fit + refit) took "
            f"{cost['cqr_seconds']:.1f} s",
            "",
        ]
    text = "\n".join(lines)
    (RESULTS / "intervals.md").write_text(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="models", help="name of the part CSV")
    parser.add_argument(
        "--models", nargs="+", choices=sorted(MODELS), default=sorted(MODELS)
    )
    parser.add_argument("--series", nargs="+", help="substrings of series names")
    parser.add_argument("--skforecast-only", action="store_true")
    parser.add_argument("--cost", action="store_true", help="quantile LSTM cost")
    parser.add_argument("--report", action="store_true", help="merge parts only")
    args = parser.parse_args()
    if args.report:
        report()
        return
    if args.cost:
        cost = quantile_cost()
        print(json.dumps(cost, indent=1))
        if not FAST:
            PARTS.mkdir(parents=True, exist_ok=True)
            (PARTS / "cost.json").write_text(json.dumps(cost, indent=1))
        return
    specs = load_specs()
    if args.series:
        specs = [s for s in specs if any(p in s.name for p in args.series)]
    if FAST:
        specs = [s for s in specs if s.values.size < 250][:2]
    part = "skforecast" if args.skforecast_only else args.part
    run_part(
        PARTS / f"{part}.csv",
        specs,
        args.models,
        skforecast=args.skforecast_only,
    )


if __name__ == "__main__":
    main()
