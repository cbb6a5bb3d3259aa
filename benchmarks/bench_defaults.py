"""Benchmark: do the default LSTM pipelines beat a naive forecast on real data?

One-step-ahead forecasts of two real Seattle series that ship with
``vega_datasets`` (the ``datasets`` extra): daily maximum temperature
(2012-2015, with minimum temperature, precipitation and wind as features) and
hourly temperature (the last 3000 hours of 2010). Time-ordered evaluation: three
``TimeSeriesSplit`` folds with fixed-size test folds; the pipeline (scaler,
windower, model) is refitted on each training fold. Models: the naive
last-value forecast, Ridge on the lag matrix, and ``LSTMRegressor`` with its
defaults and with a few settings changed. Run from the repository root::

    python benchmarks/bench_defaults.py

Prints a markdown table (MAE per fold and mean) and writes
``benchmarks/results/defaults.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import platform
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.metrics import mean_absolute_error  # noqa: E402
from sklearn.model_selection import TimeSeriesSplit  # noqa: E402

from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised  # noqa: E402


def load(name):
    import vega_datasets

    folder = Path(vega_datasets.__file__).parent / "_data"
    if name == "daily":
        df = pd.read_csv(
            folder / "seattle-weather.csv", parse_dates=["date"], index_col="date"
        )
        data = df[["temp_max", "temp_min", "precipitation", "wind"]]
        return data, "temp_max", 14, 180
    df = pd.read_csv(
        folder / "seattle-temps.csv", parse_dates=["date"], index_col="date"
    )
    return df[["temp"]].iloc[-3000:], "temp", 24, 400


MODELS = {
    "LSTMRegressor() defaults": {},
    "learning_rate=0.001 (Keras's)": {"learning_rate": 0.001},
    "early_stopping=False (100 epochs)": {"early_stopping": False},
    'linear_skip="last"': {"linear_skip": "last"},
}


def evaluate(model, X, y, target, folds):
    """MAE per fold of ``model`` (None: the naive last value) refitted per fold."""
    maes = []
    for train, test in folds:
        if model is None:
            pred = X[target].iloc[test]
        else:
            model.fit(X.iloc[train], y.iloc[train])
            pred = model.predict(X.iloc[test])
        maes.append(mean_absolute_error(y.iloc[test], pred))
    return maes


def main():
    rows = []
    for name in ("daily", "hourly"):
        data, target, window, test_size = load(name)
        X, y = make_supervised(data, target=target, horizon=1)
        cv = TimeSeriesSplit(n_splits=3, test_size=test_size)
        folds = list(cv.split(X))

        candidates = {"naive (last value)": None}
        candidates["Ridge on lags"] = make_lstm_pipeline(
            window, Ridge(), fill_value=0.0
        )
        for label, params in MODELS.items():
            regressor = LSTMRegressor(random_state=0, **params)
            candidates[label] = make_lstm_pipeline(window, regressor)
        naive = None
        for label, model in candidates.items():
            start = time.perf_counter()
            maes = evaluate(model, X, y, target, folds)
            seconds = time.perf_counter() - start
            if naive is None:
                naive, verdict = maes, "-"
            else:
                beats = all(m < n for m, n in zip(maes, naive, strict=True))
                verdict = "yes" if beats else "no"
            rows.append(
                f"| {name} ({target}, window {window}) | {label} | "
                + " | ".join(f"{m:.3f}" for m in maes)
                + f" | {np.mean(maes):.3f} | {verdict} | "
                f"{seconds:.0f} |"
            )
            print(rows[-1], flush=True)
    table = (
        "One-step forecasts, MAE in degrees C on three time-ordered test folds "
        "(daily: 180 days each; hourly: 400 hours each); `beats naive` means on "
        f"every fold. Keras {keras.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}; `s` is the "
        "wall time of the three fits.\n\n"
        "| series | model | fold 1 | fold 2 | fold 3 | mean | beats naive | s |\n"
        "|---|---|---:|---:|---:|---:|---|---:|\n" + "\n".join(rows) + "\n"
    )
    print(table)
    out = Path(__file__).parent / "results" / "defaults.md"
    out.write_text(table)


if __name__ == "__main__":
    main()
