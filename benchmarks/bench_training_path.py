"""Benchmark: which training path is fastest for the default LSTMRegressor?

Times whole ``fit`` calls (compilation included, as a user pays it) of
``LSTMRegressor`` on windows of a real-sized series, for XLA on/off and
``steps_per_execution`` 1/32, in repeated alternating runs (single timings on
a shared 2-core machine vary by +-40%). Run from the repository root::

    python benchmarks/bench_training_path.py [--quick]

Prints a markdown table and writes ``benchmarks/results/training_path.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from sklstm import LSTMRegressor, SequenceWindower  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, window, repeats = (400, 10, 1) if args.quick else (1400, 30, 3)
    rng = np.random.default_rng(0)
    t = np.arange(n + 1)
    series = np.sin(2 * np.pi * t / 365.25) + 0.3 * rng.standard_normal(n + 1)
    X = SequenceWindower(window).fit_transform(series[:-1, None])
    y = series[1:]
    configs = [
        ("XLA, steps_per_execution=32", True, 32),
        ("no XLA, steps_per_execution=32", False, 32),
        ("XLA, steps_per_execution=1", True, 1),
        ("no XLA, steps_per_execution=1 (Keras default)", False, 1),
    ]
    rows = []
    for epochs in (5, 50) if not args.quick else (2,):
        times = {name: [] for name, *_ in configs}
        losses = {name: [] for name, *_ in configs}
        for _ in range(repeats):
            for name, jit, spe in configs:
                reg = LSTMRegressor(
                    epochs=epochs, random_state=0, jit_compile=jit,
                    steps_per_execution=spe,
                )  # fmt: skip
                start = time.perf_counter()
                reg.fit(X, y)
                times[name].append(time.perf_counter() - start)
                losses[name].append(reg.history_["loss"][-1])
        base = statistics.median(times[configs[-1][0]])
        for name, *_ in configs:
            med = statistics.median(times[name])
            rows.append(
                f"| {epochs} | {name} | {med:.2f} | {med / base:.2f} | "
                f"{min(times[name]):.2f}-{max(times[name]):.2f} | "
                f"{statistics.median(losses[name]):.4f} |"
            )
    table = (
        f"Whole `fit` of the default LSTMRegressor (50 units, batch 32) on "
        f"{n} windows of {window} steps; median of {repeats} alternating runs. "
        f"Keras {keras.__version__}, {platform.machine()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}.\n\n"
        "| epochs | path | median s | ratio to Keras default | range s | "
        "final loss |\n|---:|---|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )
    print(table)
    if not args.quick:
        out = Path(__file__).parent / "results" / "training_path.md"
        out.write_text(table)


if __name__ == "__main__":
    main()
