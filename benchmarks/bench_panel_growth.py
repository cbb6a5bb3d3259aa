"""Benchmark: how the default global LSTM's cost grows with the number of series.

One global model over a panel (:ref:`panels`): ``make_lstm_pipeline(24,
LSTMRegressor(epochs=E, early_stopping=False, random_state=0),
series_id="series")``, the regressor otherwise at its defaults (50 units, batch
32, ``normalize="window"`` set by the pipeline) except ``jit_compile=True``, on 10,
100 and 1000 synthetic series of ``ROWS`` (100) monthly rows each. Each series
is ``level * (1 + trend + seasonal + AR(1) noise)`` with its own level (log-
uniform from 1 to 10^4), trend, seasonal amplitude and phase (12 months) and
noise, so that the series differ in scale by four orders of magnitude as real
panels do. The target is the next month (``make_supervised(..., horizon=1)``).

For each size it measures

- the windower's time: ``SequenceWindower(24, series_id="series")``
  ``fit_transform`` of the whole table;
- the bytes of the 3-D array of windows it returns (``n_rows x 24 x 1``);
- one epoch's time: a fit with ``epochs=1`` and one with ``epochs=3`` (the
  whole pipeline, windowing included), their difference divided by 2, which
  removes the compilation and the windowing (both paid once per fit). As a
  cross-check, a Keras callback also times the third epoch of the 3-epoch fit.

A first, unmeasured fit warms up TensorFlow. The sizes run in turn, the
starting size rotating between the 3 repeats, and
each figure is the median over repeats. The growth factor is the ratio of a
figure to the one at the next smaller size (10x the series): 10 is linear.
Run from the repository root, niced when the machine is shared::

    nice -n 10 python benchmarks/bench_panel_growth.py

``SKLSTM_BENCH_FAST=1`` runs a smoke test (fewer rows, one repeat) and writes
nothing. The full run prints a Markdown table and writes
``benchmarks/results/panel_growth.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import platform
import statistics
import time
import warnings
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402

import sklstm  # noqa: E402
from sklstm import (  # noqa: E402
    LSTMRegressor,
    SequenceWindower,
    make_lstm_pipeline,
    make_supervised,
)

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
WINDOW = 24
SIZES = (10, 100, 1000)
# 300 rows per series made the 1000-series size too slow on 2 shared cores
# (the windower alone grows faster than linearly with the series): 100 rows.
ROWS = int(os.environ.get("SKLSTM_BENCH_ROWS", "60" if FAST else "100"))
REPEATS = 1 if FAST else 3
RESULTS = Path(__file__).parent / "results"


class EpochTimer(keras.callbacks.Callback):
    """Wall time of each epoch of the last Keras ``fit``.

    The times live on the class: the regressor fits a copy of its callbacks.
    """

    times = []

    def on_train_begin(self, logs=None):
        type(self).times = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        type(self).times.append(time.perf_counter() - self._start)


def synthetic_panel(n_series, n_rows, seed=0):
    """``n_series`` monthly series of ``n_rows``: level x (trend, season, noise)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_rows)
    dates = pd.date_range("2000-01-01", periods=n_rows, freq="MS", name="date")
    frames = []
    for i in range(n_series):
        level = 10 ** rng.uniform(0, 4)
        trend = rng.normal(0, 0.002) * t
        season = rng.uniform(0, 0.4) * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 6.3))
        shocks = rng.normal(0, rng.uniform(0.02, 0.1), n_rows)
        noise = np.empty(n_rows)
        noise[0] = shocks[0]
        phi = rng.uniform(0, 0.8)
        for k in range(1, n_rows):
            noise[k] = phi * noise[k - 1] + shocks[k]
        values = level * np.maximum(1 + trend + season + noise, 0.05)
        frames.append(pd.DataFrame({"series": f"s{i}", "value": values}, index=dates))
    return pd.concat(frames)


def pipeline(epochs, timer=None):
    regressor = LSTMRegressor(
        epochs=epochs,
        early_stopping=False,
        jit_compile=True,
        random_state=0,
        callbacks=[timer] if timer is not None else None,
    )
    return make_lstm_pipeline(WINDOW, regressor, series_id="series")


def timed_fit(X, y, epochs, warned, timer=None):
    pipe = pipeline(epochs, timer)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        start = time.perf_counter()
        pipe.fit(X, y)
        wall = time.perf_counter() - start
    for w in caught:
        first_line = str(w.message).strip().splitlines()[0][:160]
        warned.add(f"{w.category.__name__}: {first_line}")
    regressor = pipe[-1]
    return wall, regressor.model_.jit_compile, regressor.history_["loss"][-1]


def measure(X, y, warned):
    start = time.perf_counter()
    windows = SequenceWindower(WINDOW, series_id="series").fit_transform(X)
    transform = time.perf_counter() - start
    nbytes, dtype = windows.nbytes, windows.dtype
    del windows
    fit1, xla1, _ = timed_fit(X, y, 1, warned)
    timer = EpochTimer()
    fit3, xla3, loss = timed_fit(X, y, 3, warned, timer)
    return {
        "transform": transform,
        "bytes": nbytes,
        "dtype": str(dtype),
        "fit1": fit1,
        "fit3": fit3,
        "epoch": (fit3 - fit1) / 2,
        "epoch3": EpochTimer.times[2],
        "xla": (xla1, xla3),
        "loss": loss,
    }


def main():
    t_start = time.perf_counter()
    load_start = os.getloadavg()[0]
    data = {}
    for n_series in SIZES:
        panel = synthetic_panel(n_series, ROWS)
        X, y = make_supervised(panel, target="value", series_id="series")
        data[n_series] = (X, y)
    runs = {n: [] for n in SIZES}
    warned = set()
    # The first fit of the process pays TensorFlow's one-off start-up (seconds),
    # which would make the measured 1-epoch fit the slower one: warm up first.
    timed_fit(*data[SIZES[0]], 1, set())
    for rep in range(REPEATS):
        order = SIZES[rep % len(SIZES) :] + SIZES[: rep % len(SIZES)]
        for n_series in order:
            result = measure(*data[n_series], warned)
            runs[n_series].append(result)
            print(
                f"  repeat {rep + 1}/{REPEATS}, {n_series} series: windower "
                f"{result['transform']:.3f} s, fit(1) {result['fit1']:.1f} s, "
                f"fit(3) {result['fit3']:.1f} s, epoch {result['epoch']:.2f} s "
                f"(epoch 3 {result['epoch3']:.2f} s), XLA {result['xla']}",
                flush=True,
            )

    def med(n_series, key):
        return statistics.median(r[key] for r in runs[n_series])

    rows, previous = [], None
    for n_series in SIZES:
        X, _ = data[n_series]
        figures = {
            key: med(n_series, key)
            for key in ("transform", "bytes", "fit1", "fit3", "epoch", "epoch3")
        }
        epochs = [r["epoch"] for r in runs[n_series]]
        xla = sorted({"/".join(map(str, r["xla"])) for r in runs[n_series]})
        growth = {
            key: (f"{figures[key] / previous[key]:.1f}x" if previous else "-")
            for key in ("transform", "bytes", "epoch", "epoch3")
        }
        rows.append(
            f"| {n_series:,} | {len(X):,} | {figures['transform']:.3f} | "
            f"{growth['transform']} | {figures['bytes'] / 2**20:.1f} | "
            f"{growth['bytes']} | {figures['fit1']:.1f} | {figures['fit3']:.1f} | "
            f"{figures['epoch']:.2f} | {min(epochs):.2f}-{max(epochs):.2f} | "
            f"{growth['epoch']} | {figures['epoch3']:.2f} | {growth['epoch3']} | "
            f"{figures['epoch'] / len(X) * 1e6:.0f} | {', '.join(xla)} |"
        )
        previous = figures
    table = "\n".join(
        [
            "| series | windows (rows) | windower s | growth | windows MiB | "
            "growth | fit epochs=1 s | fit epochs=3 s | epoch s ((3-1)/2) | "
            "range | growth | epoch 3 s (callback) | growth | us per window | "
            "XLA |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
            "---:|:--|",
            *rows,
        ]
    )
    elapsed = time.perf_counter() - t_start
    warned_lines = [f"- {w}" for w in sorted(warned)] or ["- none"]
    dtype = runs[SIZES[0]][0]["dtype"]
    print(table)
    print("\nWarnings raised during the fits:", *warned_lines, sep="\n")
    print(f"\ntotal {elapsed / 60:.1f} min", flush=True)
    text = "\n".join(
        [
            "# Cost of the global LSTM as the number of series grows",
            "",
            "Written by `python benchmarks/bench_panel_growth.py` on "
            f"{time.strftime('%Y-%m-%d %H:%M')} in {elapsed / 60:.1f} min.",
            "",
            f"- Machine: {platform.machine()}, {os.cpu_count()} CPU cores shared "
            f"with other jobs, {platform.system()}, no GPU used; niceness "
            f"{os.nice(0)}; load average {load_start:.2f} at the start, "
            f"{os.getloadavg()[0]:.2f} at the end",
            f"- Python {platform.python_version()}, sklstm {sklstm.__version__}, "
            f"Keras {keras.__version__}, TensorFlow {tf.__version__} (backend "
            f"{keras.backend.backend()}), NumPy {np.__version__}, pandas "
            f"{pd.__version__}",
            f"- Data: 10, 100 and 1000 synthetic monthly series of {ROWS} rows "
            "each, `level * (1 + trend + seasonal + AR(1) noise)` with levels "
            "log-uniform from 1 to 10^4 and each series' own trend, seasonal "
            "amplitude and phase (12 months), noise and AR coefficient; "
            "`make_supervised(panel, target='value', series_id='series')` "
            f"(next month, the last row of each series dropped: {ROWS - 1} "
            "rows, each one window, per series).",
            f"- Model: `make_lstm_pipeline({WINDOW}, LSTMRegressor(epochs=E, "
            "early_stopping=False, jit_compile=True, random_state=0), "
            "series_id='series')` (no scaler, `normalize='window'`, 50 units, "
            "batch 32). `jit_compile` is pinned: `'auto'` (XLA from 500 "
            "training steps) switched mode between the 1- and 3-epoch fits "
            "of 100 series, which the difference would have measured.",
            "- Windower s: `SequenceWindower(24, series_id='series')."
            f"fit_transform(X)`; windows MiB: bytes of the 3-D {dtype} array "
            "it returns. Epoch s: (fit with epochs=3 - fit with epochs=1) / 2, "
            "whole pipeline, which removes what a fit pays once (windowing, "
            "building, compiling); epoch 3 s: the third epoch of the 3-epoch "
            "fit timed by a Keras callback, as a cross-check. Growth: the "
            "figure over the one at 10x fewer series (10.0x = linear). XLA: "
            "the `jit_compile` of the 1-epoch/3-epoch fits.",
            "- A first, unmeasured fit warms TensorFlow up (the first fit of a "
            "process pays seconds of one-off start-up). "
            f"Median over {REPEATS} repeats; within a repeat the sizes run "
            "in turn, the starting size rotating between repeats.",
            "",
            table,
            "",
            "## Warnings raised during the fits",
            "",
            *warned_lines,
            "",
        ]
    )
    if FAST:
        print("(FAST mode: nothing written)")
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "panel_growth.md").write_text(text)
    print(f"wrote {RESULTS / 'panel_growth.md'}")


if __name__ == "__main__":
    main()
