"""Benchmark: does LSTMRegressor's epoch time grow linearly with the series?

Times training epochs of ``LSTMRegressor(epochs=5, early_stopping=False,
jit_compile=True, random_state=0)`` (50 units, batch 32, the other defaults) on
series of 10^3, 3x10^3, 10^4, 3x10^4 and 10^5 rows, one feature, windows of 24
steps, next-hour target. The series is the hourly Seattle temperature of 2010
(``sklstm.datasets.load_seattle_hourly_temperature``, 8760 hours, needs
``vega_datasets``), standardised, and tiled end to end (11.4 copies for 10^5
rows; each join goes from 31 December 23:00 back to 1 January 00:00, a small
jump) because no longer real hourly series ships with sklstm.

``jit_compile`` is fixed to True: with ``"auto"`` the smallest sizes (fewer
than 500 training steps, epochs x batches) would train without XLA and the
others with it, which would not compare like with like. The steady-state epoch
time is the median of epochs 3..5 of a fit, timed by a Keras callback: epoch 1
pays the XLA compilation, and epoch 2 is often seconds slower than the later
ones (apparently a second compilation; its time is reported separately). The
sizes are run in turn, the order rotating between repeats, and each figure is
the median over repeats. The log-log slope of
epoch time against the number of windows should be close to 1. Run from the
repository root, niced when the machine is shared::

    nice -n 5 python benchmarks/bench_growth.py

``SKLSTM_BENCH_FAST=1`` runs a smoke test (small sizes, one repeat) and writes
nothing. The full run prints a Markdown table and writes
``benchmarks/results/growth.md`` and ``benchmarks/results/growth.csv``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import sklstm  # noqa: E402
from sklstm import LSTMRegressor, SequenceWindower, make_supervised  # noqa: E402
from sklstm.datasets import load_seattle_hourly_temperature  # noqa: E402

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
WINDOW, EPOCHS, STEADY_FROM = 24, 5, 3  # steady state: epochs 3..5
if FAST:
    SIZES, REPEATS = (300, 1000, 3000), 1
else:
    SIZES, REPEATS = (1_000, 3_000, 10_000, 30_000, 100_000), 3
RESULTS = Path(__file__).parent / "results"


class EpochTimer(keras.callbacks.Callback):
    """Wall time of each epoch of the last Keras ``fit``."""

    def on_train_begin(self, logs=None):
        self.times = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self._start)


def series_of(n_rows, base):
    """The first ``n_rows`` of ``base`` tiled end to end, and how many copies."""
    copies = -(-n_rows // len(base))
    return np.tile(base, copies)[:n_rows], n_rows / len(base)


def windows_of(series):
    """Complete windows of ``WINDOW`` hours and the next hour's value."""
    X, y = make_supervised(series, horizon=1)
    windows = SequenceWindower(WINDOW).fit_transform(X.astype(np.float32))
    return windows[WINDOW - 1 :], y[WINDOW - 1 :]


def fit_once(X, y, warned):
    timer = EpochTimer()
    est = LSTMRegressor(
        epochs=EPOCHS,
        early_stopping=False,
        jit_compile=True,
        random_state=0,
        callbacks=[timer],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        start = time.perf_counter()
        est.fit(X, y)
        wall = time.perf_counter() - start
    for w in caught:
        first_line = str(w.message).strip().splitlines()[0][:160]
        warned.add(f"{w.category.__name__}: {first_line}")
    if est.model_.jit_compile is not True:
        raise RuntimeError(f"expected XLA, got jit_compile={est.model_.jit_compile}")
    return timer.times, wall, est.history_["loss"][-1]


def main():
    t_start = time.perf_counter()
    load_start = os.getloadavg()[0]
    temp = load_seattle_hourly_temperature().to_numpy()
    base = (temp - temp.mean()) / temp.std()
    data = {}
    for n_rows in SIZES:
        series, copies = series_of(n_rows, base)
        data[n_rows] = (*windows_of(series), copies)
    runs = {n: [] for n in SIZES}
    warned = set()
    csv_rows = []
    for rep in range(REPEATS):
        order = SIZES[rep % len(SIZES) :] + SIZES[: rep % len(SIZES)]
        for n_rows in order:
            X, y, _ = data[n_rows]
            times, wall, loss = fit_once(X, y, warned)
            steady = statistics.median(times[STEADY_FROM - 1 :])
            runs[n_rows].append(
                {"epochs": times, "steady": steady, "wall": wall, "loss": loss}
            )
            csv_rows.append(
                [rep, n_rows, len(y), f"{wall:.4f}", f"{loss:.5f}"]
                + [f"{t:.4f}" for t in times]
            )
            print(
                f"  repeat {rep + 1}/{REPEATS}, {n_rows} rows: steady "
                f"{steady:.3f} s/epoch, epochs "
                f"{', '.join(f'{t:.2f}' for t in times)}",
                flush=True,
            )

    n_windows = np.array([len(data[n][1]) for n in SIZES], dtype=float)
    steady = np.array([statistics.median(r["steady"] for r in runs[n]) for n in SIZES])
    slope_all = np.polyfit(np.log(n_windows), np.log(steady), 1)[0]
    slope_big = np.polyfit(np.log(n_windows[-3:]), np.log(steady[-3:]), 1)[0]
    per_1000 = steady / (n_windows / 1000)
    rows = []
    for i, n_rows in enumerate(SIZES):
        rs = runs[n_rows]

        def med(key, index=None, rs=rs):
            values = [r[key] if index is None else r[key][index] for r in rs]
            return statistics.median(values)

        steadies = [r["steady"] for r in rs]
        rows.append(
            f"| {n_rows:,} | {data[n_rows][2]:.2f} | {int(n_windows[i]):,} | "
            f"{-(-int(n_windows[i]) // 32):,} | {med('epochs', 0):.2f} | "
            f"{med('epochs', 1):.3f} | {steady[i]:.3f} | "
            f"{min(steadies):.3f}-{max(steadies):.3f} | "
            f"{per_1000[i] * 1e3:.1f} | {per_1000[i] / per_1000[-1]:.2f} | "
            f"{med('wall'):.1f} | {med('loss'):.4f} |"
        )
    table = "\n".join(
        [
            "| rows | copies of the year | windows | batches/epoch | epoch 1 s "
            "(compiles) | epoch 2 s | steady s/epoch (epochs 3..5) | range | "
            "ms per 1000 windows | vs largest | whole fit s | final loss |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"Log-log slope of steady epoch time against windows: "
            f"**{slope_all:.2f}** over all sizes, **{slope_big:.2f}** over the "
            f"three largest (1 = linear).",
        ]
    )
    elapsed = time.perf_counter() - t_start
    warned_lines = [f"- {w}" for w in sorted(warned)] or ["- none"]
    print(table)
    print("\nWarnings raised during the fits:", *warned_lines, sep="\n")
    print(f"\ntotal {elapsed / 60:.1f} min", flush=True)
    text = "\n".join(
        [
            "# Epoch time as the series grows",
            "",
            "Written by `nice -n 5 python benchmarks/bench_growth.py` on "
            f"{time.strftime('%Y-%m-%d %H:%M')} in {elapsed / 60:.1f} min.",
            "",
            f"- Machine: {platform.machine()}, {os.cpu_count()} CPU cores, "
            f"{platform.system()}, no GPU used; niceness {os.nice(0)}; load "
            f"average {load_start:.2f} at the start, {os.getloadavg()[0]:.2f} at "
            "the end (the machine was shared with another CPU-heavy benchmark)",
            f"- Python {platform.python_version()}, sklstm {sklstm.__version__}, "
            f"Keras {keras.__version__}, TensorFlow {tf.__version__} (backend "
            f"{keras.backend.backend()}), NumPy {np.__version__}",
            "- Data: `load_seattle_hourly_temperature()` (8760 hours of 2010), "
            "standardised, tiled end to end to reach each size (the joins jump "
            "from 31 December 23:00 to 1 January 00:00); windows of "
            f"{WINDOW} hours, one feature, next-hour target; the {WINDOW - 1} "
            "incomplete leading windows dropped.",
            "- Model: `LSTMRegressor(epochs=5, early_stopping=False, "
            "jit_compile=True, random_state=0)` (50 units, batch 32, "
            "`steps_per_execution=32`). `jit_compile` is fixed to True so that "
            "every size trains with XLA (`'auto'` would leave the smallest "
            "sizes, under 500 training steps, without it).",
            f"- Median over {REPEATS} repeats; within a repeat the sizes run "
            "in turn, the starting size rotating between repeats. Steady "
            "s/epoch is the median of epochs 3..5 of a fit (timed by a Keras "
            "callback): epoch 1 compiles, and epoch 2 is often seconds "
            "slower, apparently compiling again (see its column). 'vs "
            "largest' is ms per 1000 windows relative to the largest size "
            "(1.00 = linear).",
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
    (RESULTS / "growth.md").write_text(text)
    with open(RESULTS / "growth.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["repeat", "rows", "windows", "fit_s", "final_loss"]
            + [f"epoch{i + 1}_s" for i in range(EPOCHS)]
        )
        writer.writerows(csv_rows)
    print(f"wrote {RESULTS / 'growth.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
