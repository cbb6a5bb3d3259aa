"""Benchmark: levels against the change from the last value (``normalize``).

One-step forecasts on two real series that ship with sklstm (AirPassengers,
monthly, trending, window 12; Seattle daily ``temp_max``, the last 700 days,
window 14) and three synthetic ones with a known structure (a linear trend with
noise, a random walk with drift, a step change in level with a cycle; 300
points, window 20). Each series is fitted once on its first 80% of rows and
forecasts the rest one step ahead, every test row with its real history (the
windower's memory). ``make_lstm_pipeline(window, LSTMRegressor(normalize=...,
random_state=seed))`` for ``normalize`` None (levels) and "last", three seeds
each. Reported: MAE relative to the naive last-value forecast on the same rows
(below 1 beats naive). Run from the repository root::

    python benchmarks/bench_normalize.py

Writes ``benchmarks/results/normalize.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import platform
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402

from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised  # noqa: E402
from sklstm.datasets import load_air_passengers, load_seattle_weather  # noqa: E402

SEEDS = (0, 1, 2)
OUT = Path(__file__).parent / "results" / "normalize.md"


def series():
    rng = np.random.default_rng(0)
    n = 300
    t = np.arange(n)
    return {
        "AirPassengers": (load_air_passengers().to_frame(), 12),
        "Seattle temp_max": (load_seattle_weather()[["temp_max"]].iloc[-700:], 14),
        "linear trend": (
            pd.DataFrame({"y": 0.05 * t + 0.3 * rng.standard_normal(n)}),
            20,
        ),
        "random walk + drift": (
            pd.DataFrame({"y": np.cumsum(0.2 + rng.standard_normal(n))}),
            20,
        ),
        "step change": (
            pd.DataFrame(
                {
                    "y": np.where(t < 220, 0.0, 5.0)
                    + np.sin(t / 3)
                    + 0.2 * rng.standard_normal(n)
                }
            ),
            20,
        ),
    }


def markdown(table):
    """A DataFrame as a markdown table (no tabulate needed)."""
    flat = table.reset_index()
    lines = ["| " + " | ".join(map(str, flat.columns)) + " |"]
    lines.append("|" + "---|" * len(flat.columns))
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in flat.itertuples(False)]
    return "\n".join(lines)


def summarise(rows):
    return (
        pd.DataFrame(rows)
        .groupby(["series", "normalize"], sort=False)["MAE / naive"]
        .agg(["median", "min", "max"])
        .round(3)
    )


def main():
    rows = []
    for name, (data, window) in series().items():
        X, y = make_supervised(data)
        cut = int(len(X) * 0.8)
        truth = y.iloc[cut:].to_numpy()
        naive = np.abs(truth - data.iloc[cut : len(X), 0].to_numpy()).mean()
        for normalize in (None, "last"):
            for seed in SEEDS:
                start = time.perf_counter()
                regressor = LSTMRegressor(normalize=normalize, random_state=seed)
                pipe = make_lstm_pipeline(window, regressor)
                pipe.fit(X.iloc[:cut], y.iloc[:cut])
                mae = np.abs(pipe.predict(X.iloc[cut:]) - truth).mean()
                rows.append(
                    {
                        "series": name,
                        "normalize": str(normalize),
                        "seed": seed,
                        "MAE / naive": mae / naive,
                        "fit s": time.perf_counter() - start,
                    }
                )
                print(rows[-1], flush=True)
    table = summarise(rows)
    header = (
        f"# normalize: levels against the change from the last value\n\n"
        f"{time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Keras {keras.__version__}, scikit-learn {sklearn.__version__}. "
        f"MAE relative to the naive forecast over {len(SEEDS)} seeds "
        f"(below 1 beats naive).\n\n"
    )
    OUT.write_text(header + markdown(table) + "\n")
    print(table.to_string())


if __name__ == "__main__":
    main()
