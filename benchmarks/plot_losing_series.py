"""Figure: forecast against truth on the series where the default LSTM loses.

On four series of the accuracy benchmark (``bench_accuracy.py``) the default
sklstm pipeline, ``make_lstm_pipeline(window, LSTMRegressor(random_state=0))``,
is not better than a baseline (naive on M3 N1879) or is furthest behind the
best model (Ridge on lags on AirPassengers, Sunspots and Seattle's hourly
temperature: 1.23-1.33 times its MASE, by the median of five seeds). This
script refits, on each of the three test folds of each series
(the last one the official test period of the M3/Tourism series), the naive
forecast, the damped-trend ETS, the Ridge on lags and the default LSTM (seed
0), with the benchmark's own series, folds, predictors and MASE, and draws the
one-step forecasts (each from the actual values before it) against the
truth, 2x2, one panel per series, with three test lengths of training values
before them.

Run from the repository root (a few minutes on 2 CPU cores)::

    python benchmarks/plot_losing_series.py

It prints a table of MASE per series and model, plus each forecast's mean
error (bias) and its mean absolute distance from the naive forecast (the
truth one step late), and writes ``docs/_static/losing_series.png`` and
``benchmarks/results/losing_series.md``. ``SKLSTM_BENCH_FAST=1`` (the LSTM
trained for 2 epochs) only prints.
"""

# SPDX-License-Identifier: BSD-3-Clause

import sys
import time
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))

import bench_accuracy as ba  # noqa: E402

from sklstm import LSTMRegressor, make_supervised  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIGURE = ROOT / "docs" / "_static" / "losing_series.png"
TABLE = ba.RESULTS / "losing_series.md"
SERIES = (
    "M3 N1879 (monthly)",
    "AirPassengers (monthly)",
    "Sunspots (yearly)",
    "Seattle temperature (hourly)",
)
LSTM = "LSTM (default, seed 0)"
HISTORY = 3  # training values shown: this many test lengths


def predictors():
    """(label, predictor, line style) of the four models, as bench_accuracy."""
    epochs = {"epochs": 2} if ba.FAST else {}
    return [
        ("naive", ba.predict_naive, {"color": "tab:gray", "ls": ":"}),
        ("ETS (damped)", ba.predict_ets, {"color": "tab:green", "ls": "--"}),
        (
            "Ridge on lags",
            ba.pipeline_predictor(Ridge(), fill_value=0.0),
            {"color": "tab:blue", "ls": "-."},
        ),
        (
            LSTM,
            ba.pipeline_predictor(LSTMRegressor(random_state=0, **epochs)),
            {"color": "tab:red", "ls": "-", "lw": 1.8},
        ),
    ]


def all_folds(spec, models):
    """Forecasts over every test fold of one series (the folds are adjacent),
    and its table rows: MASE as ``bench_accuracy`` (each fold scaled by its
    own training part, then the mean over folds)."""
    s = spec.values.to_numpy(dtype=np.float64)
    X, y = make_supervised(spec.values.to_frame(), horizon=1)
    data = ba.Data(s, X, y)
    folds = ba.folds_of(spec)
    a0, b_last = folds[0][1][0], folds[-1][1][-1] + 1
    m = spec.m
    forecasts, rows = {}, []
    for label, predict, _ in models:
        start = time.perf_counter()
        preds, mases, errors, from_naive = [], [], [], []
        for train, test in folds:
            a, b = test[0], test[-1] + 1
            assert train[-1] == a - 1 and b - a == test.size
            truth = s[a + 1 : b + 1]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pred = np.asarray(predict(data, a, b, spec), dtype=np.float64)
            assert pred.shape == truth.shape
            scale = np.mean(np.abs(s[m : a + 1] - s[: a + 1 - m]))
            preds.append(pred)
            errors.append(pred - truth)
            mases.append(np.mean(np.abs(pred - truth)) / scale)
            from_naive.append(pred - ba.predict_naive(data, a, b, spec))
        seconds = time.perf_counter() - start
        forecasts[label] = np.concatenate(preds)
        error = np.concatenate(errors)
        rows.append(
            {
                "series": spec.name,
                "model": label,
                "mase": float(np.mean(mases)),
                "folds": " / ".join(f"{v:.3f}" for v in mases),
                "bias": float(np.mean(error)),
                "from_naive": float(np.mean(np.abs(np.concatenate(from_naive)))),
                "mae": float(np.mean(np.abs(error))),
                "seconds": seconds,
            }
        )
        print(
            f"  {label:<24} MASE {rows[-1]['mase']:6.3f} ({rows[-1]['folds']})"
            f"  {seconds:6.1f} s",
            flush=True,
        )
    return a0, b_last, forecasts, rows


def draw(ax, spec, a, b, forecasts, rows, models):
    """One panel: recent training values, the test truth and the forecasts."""
    s = spec.values.to_numpy(dtype=np.float64)
    index = spec.values.index
    lo = max(0, a + 1 - HISTORY * spec.test_size)
    ax.plot(index[lo : a + 2], s[lo : a + 2], color="0.65", lw=1, label="training")
    ax.plot(
        index[a + 1 : b + 1], s[a + 1 : b + 1], color="black", lw=1.4, label="truth"
    )
    mase = {row["model"]: row["mase"] for row in rows}
    for label, _, style in models:
        ax.plot(
            index[a + 1 : b + 1],
            forecasts[label],
            label=f"{label} MASE {mase[label]:.2f}",
            **style,
        )
    if isinstance(index, pd.DatetimeIndex):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    else:
        ax.set_xlabel("time step", fontsize=8)
    ax.set_title(spec.name, fontsize=10)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, loc="best")


def markdown(df):
    lines = [
        "# Forecast against truth where the default LSTM loses",
        "",
        f"Written {time.strftime('%Y-%m-%d %H:%M')} by "
        "`benchmarks/plot_losing_series.py`: seed 0 of the default "
        "`LSTMRegressor` pipeline (the benchmark page reports the median of "
        "several seeds), the three test folds of `bench_accuracy.py` (the last "
        "one the official test period of the M3/Tourism series), each model "
        "refitted per fold, one-step forecasts each from the actual values "
        "before it; MASE per fold (its own training part's scale) and their "
        "mean. Figure: `docs/_static/losing_series.png`.",
        "",
        "bias: mean of forecast - truth; from naive: mean absolute distance "
        "from the naive forecast (the truth one step late), in the series' "
        "units.",
        "",
        "| series | model | MASE | MASE per fold | MAE | bias | from naive |",
        "|---|---|---:|---|---:|---:|---:|",
    ]
    for row in df.itertuples():
        lines.append(
            f"| {row.series} | {row.model} | {row.mase:.3f} | {row.folds} | "
            f"{row.mae:.4g} | "
            f"{row.bias:+.4g} | {row.from_naive:.4g} |"
        )
    return "\n".join(lines) + "\n"


def main():
    specs = {spec.name: spec for spec in ba.load_specs()}
    missing = [name for name in SERIES if name not in specs]
    if missing:
        raise SystemExit(f"series not in bench_accuracy's specs: {missing}")
    models = predictors()
    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    rows = []
    for ax, name in zip(axes.ravel(), SERIES, strict=True):
        spec = specs[name]
        print(f"{name} (m={spec.m}, window={spec.window})", flush=True)
        a, b, forecasts, series_rows = all_folds(spec, models)
        draw(ax, spec, a, b, forecasts, series_rows, models)
        rows += series_rows
    fig.suptitle(
        "One-step forecasts with real history over the three test folds "
        "(MASE: mean over folds)"
    )
    fig.tight_layout()
    df = pd.DataFrame(rows)
    print()
    print(
        df[["series", "model", "mase", "bias", "from_naive"]].to_string(
            index=False, float_format="{:.3f}".format
        )
    )
    if ba.FAST:
        print("SKLSTM_BENCH_FAST=1: figure and table not written.")
        return
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(FIGURE, dpi=110)
    ba.RESULTS.mkdir(exist_ok=True)
    TABLE.write_text(markdown(df))
    print(f"wrote {FIGURE.relative_to(ROOT)} and {TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
