"""Benchmark: SequenceWindower against the tutorial's ``create_sequences`` loop.

Measures the wall time and the peak of memory allocated (NumPy reports its
allocations to :mod:`tracemalloc`) while windowing a float32 series, for
``SequenceWindower.transform`` (a strided view over one padded copy) and for the
tutorial's Python loop that materialises every window. Run it from the
repository root::

    python benchmarks/bench_windowing.py [--quick]

It prints a markdown table and writes it to ``benchmarks/results/windowing.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import platform
import time
import tracemalloc
from pathlib import Path

import numpy as np

import sklstm
from sklstm import SequenceWindower


def create_sequences(data, window):
    """The tutorial's windowing loop (one window per complete position)."""
    xs = []
    for i in range(len(data) - window):
        xs.append(data[i : i + window])
    return np.array(xs)


def measure(fn, repeats):
    """Best wall time over ``repeats`` runs, and the peak allocation of one run."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller series only")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    window, n_features = 128, 8
    sizes = [10**4] if args.quick else [10**5, 10**6]
    rows = []
    for n in sizes:
        X = rng.standard_normal((n, n_features)).astype(np.float32)
        windower = SequenceWindower(window).fit(X)
        input_mb = X.nbytes / 2**20
        materialised_mb = n * window * n_features * 4 / 2**20
        t_view, m_view = measure(lambda X=X, w=windower: w.transform(X), repeats=5)
        loop_repeats = 1 if n >= 10**6 else 3
        t_loop, m_loop = measure(
            lambda X=X: create_sequences(X, window), repeats=loop_repeats
        )
        rows.append(
            (n, input_mb, materialised_mb, t_view, m_view / 2**20, t_loop,
             m_loop / 2**20)
        )  # fmt: skip

    header = (
        f"Windowing float32 series of {n_features} features, window {window}. "
        f"sklstm {sklstm.__version__}, NumPy {np.__version__}, Python "
        f"{platform.python_version()}, {platform.machine()}, "
        f"{time.strftime('%Y-%m-%d')}.\n\n"
        "| rows | input MiB | all windows MiB | SequenceWindower s | "
        "SequenceWindower peak MiB | tutorial loop s | tutorial loop peak MiB | "
        "speed-up |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = [
        f"| {n:,} | {inp:.1f} | {mat:.0f} | {tv:.4f} | {mv:.1f} | {tl:.2f} | "
        f"{ml:.0f} | {tl / tv:,.0f}x |"
        for n, inp, mat, tv, mv, tl, ml in rows
    ]
    table = header + "\n".join(lines) + "\n"
    print(table)
    if not args.quick:
        out = Path(__file__).parent / "results" / "windowing.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(table)
        print(f"written to {out}")


if __name__ == "__main__":
    main()
