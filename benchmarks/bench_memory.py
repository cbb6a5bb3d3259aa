"""Benchmark: peak memory of training on a long series.

A series of 10^6 rows and 4 features (float32, 16 MB) cut into windows of 128
steps would take n x window x features x 4 bytes = 2.05 GB if every window were
materialised, as the tutorial's loop (and Keras, given the windows as one
array) does. ``SequenceWindower`` returns a strided view instead, and the
sklstm regressors feed Keras batches gathered from the series itself. Each case
runs in a fresh process, which reports its peak resident set size
(``ru_maxrss``) just before the fit and at the end; the difference is what the
fit added. The same fit on 100 times fewer rows shows the fixed part (tracing
the graphs, TensorFlow's thread pools). The Keras case is ``model.fit`` on the
same strided view with the same network. Training is cut short after a few
batches by a callback (an epoch over 10^6 windows of 128 steps takes many
minutes on a CPU): the input pipeline is built in full before the first batch,
so the memory it takes is all there by then. Run from the repository root::

    python benchmarks/bench_memory.py

Prints a markdown table and writes ``benchmarks/results/memory.md``.
``SKLSTM_BENCH_FAST=1`` runs 10^5 rows and writes nothing.
"""

# SPDX-License-Identifier: BSD-3-Clause

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
ROWS = 100_000 if FAST else 1_000_000
WINDOW, FEATURES, BATCHES = 128, 4, 20


class StopAfter(keras.callbacks.Callback):
    """Ends training after ``BATCHES`` batches."""

    def on_train_batch_end(self, batch, logs=None):
        if batch + 1 >= BATCHES:
            self.model.stop_training = True


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(case):
    """Fit once in this process; return the peak RSS before and after."""
    import numpy as np

    from sklstm import LSTMRegressor, SequenceWindower

    rng = np.random.default_rng(0)
    rows = ROWS // 100 if case == "small" else ROWS
    series = rng.standard_normal((rows, FEATURES)).cumsum(axis=0).astype(np.float32)
    y = series[:, 0].copy()  # a stand-in target; memory is the point here
    X = SequenceWindower(window=WINDOW).fit_transform(series)
    regressor = LSTMRegressor(
        units=8,
        epochs=1,
        batch_size=256,
        early_stopping=False,
        steps_per_execution=1,
        jit_compile=False,
        callbacks=[StopAfter()],
        random_state=0,
    )
    if case == "keras":
        # The same network, compiled the same way, given the view directly.
        regressor.fit(X[:1024], y[:1024])
        model = regressor.model_
    before = peak_mib()
    start = time.perf_counter()
    if case in ("sklstm", "small"):
        regressor.fit(X, y)
    else:
        y2d = y[:, None]  # the rank the network was traced with
        model.fit(X, y2d, batch_size=256, epochs=1, verbose=0, callbacks=[StopAfter()])
    seconds = time.perf_counter() - start
    return {"before": before, "after": peak_mib(), "seconds": seconds}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return
    import numpy as np

    windows_mib = ROWS * WINDOW * FEATURES * 4 / 2**20
    rows = []
    for case, label in (
        ("sklstm", "`LSTMRegressor.fit` on the windower's view"),
        ("keras", "Keras `model.fit` on the same view"),
        ("small", f"`LSTMRegressor.fit` on {ROWS // 100:,} rows (fixed costs)"),
    ):
        out = subprocess.run(
            [sys.executable, __file__, "--case", case],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        added = result["after"] - result["before"]
        rows.append(
            f"| {label} | {result['before']:.0f} | {result['after']:.0f} | "
            f"{added:.0f} | {added / windows_mib:.2f} |"
        )
        print(rows[-1], flush=True)
    table = (
        f"{ROWS:,} rows x {FEATURES} features (float32), window {WINDOW}: all "
        f"windows materialised would take {windows_mib:.0f} MiB. Peak RSS in "
        f"MiB of a fresh process before and after the fit ({BATCHES} batches "
        f"of 256 windows). NumPy {np.__version__}, Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} "
        f"cores, {time.strftime('%Y-%m-%d')}.\n\n"
        "| fit | peak before | peak after | added | added / all windows |\n"
        "|---|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )
    print(table)
    if not FAST:
        (Path(__file__).parent / "results" / "memory.md").write_text(table)


if __name__ == "__main__":
    main()
