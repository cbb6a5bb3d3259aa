"""Benchmark: choosing the default LSTM pipeline on validation periods only.

Issue #13 asks to choose the defaults (the early-stopping scheme, a linear path,
averaging networks) by measurement on the benchmark series, without tuning on a
test period. This script runs the candidates on the series of
``bench_accuracy.py`` with **the benchmark's test folds cut off**: from each
series the last ``3 * T`` values (the three test folds of ``bench_accuracy.py``,
whose last fold is the official test period of the M3/Tourism series) are
removed, and the candidates are compared on two earlier time-ordered folds of
``T`` rows each (``TimeSeriesSplit(n_splits=2, test_size=T)``, expanding
window), with the protocol of ``bench_accuracy.py`` otherwise (one-step
forecasts over each fold from the actual values before it, each test window
preceded by real history; MASE against the in-sample seasonal naive of the
fold's training part). The accuracy benchmark's own figures are then the
held-out check of the choice.

Candidates (``LSTMRegressor`` in ``make_lstm_pipeline(window, ...)``, the
window of ``bench_accuracy.py``):

- ``default``: the current defaults (early stopping on the last 10% of the
  windows, patience 10, then a refit from scratch on every window for the best
  epoch count);
- ``linear_skip="window"``: a linear path from the (normalised) window to the
  output beside the LSTM (LSTNet's autoregressive highway);
- ``restore best``: Keras's own scheme, no refit: ``validation_split=0.1`` and
  ``EarlyStopping(patience=10, restore_best_weights=True)``; the network that
  scored best on the held-out windows is kept (it never trains on them);
- ``no early stopping``: 100 epochs on every window;
- ``validation_fraction=0.25``: more validation windows for the epoch count
  (a floor against deciding on a handful of windows);
- ``mean of 3``: ``VotingRegressor`` averaging three default pipelines with
  different seeds (three times the fit cost);
- ``no early stopping, 50 epochs`` (the tutorial's epoch budget) and
  ``no early stopping + linear_skip="window"``, added after the first
  candidates' results on the two longest series (run as a third process
  with ``--candidates ... --no-baselines``);
- ``linear_skip="relative"`` (added after ``"window"`` became the default,
  run as ``--candidates 'linear_skip="relative"' --no-baselines --series
  ...``, first on the six shortest series, then on the six others after the
  feed change of 0.1 that draws a seeded fit's shuffles differently): the
  linear path reads the window as the LSTM does, relative to its last step,
  so it is an autoregression on the changes rather than on the levels. Over
  the twelve series it scored 1.009 times ``"window"`` (geometric mean of the
  median MASE), so the default stayed.
- ``restore best + linear_skip="window"`` (session 7: the current default's
  network with Keras's scheme, no refit) and ``keep best, continue``: the
  same, then the kept network trains on every window, the held-out ones
  included, for a tenth of its best epoch count (at least one epoch) instead
  of a refit from scratch (issue #13's "keeping the monitored network and
  continuing it"); both about halve the training of the default. Over the
  twelve series they scored 1.054 and 1.053 times the default's MASE
  (geometric mean of the medians; each better on 4-5 series) at a median
  0.49x and 0.55x of its fit time, so the default keeps its refit.

- Session 8, with the current defaults (``linear_skip="auto"``, the window's
  linear path, so against the ``linear_skip="window"`` rows): ``units=16`` (a
  smaller network) and ``learning_rate=0.003`` (slower, smoother training);
  then two of the issue's early-stopping options: ``smoothed validation
  curve`` (the epoch count and the stop decided on an exponentially smoothed
  ``val_loss``, weight 0.3 on the newest epoch) and ``at least 10 epochs``
  (monitoring starts at the 10th epoch, Keras's ``start_from_epoch``: a floor
  against deciding on the first, noisy epochs of a short series). All four ran
  while ``linear_skip="auto"`` meant ``"window"``, so they compare with those
  rows: 1.021, 1.067, 1.024 and 1.014 times its MASE; none was taken.

The ``default`` rows are those of the first run, when the default had no
linear path (``linear_skip=None``); the geometric means stay relative to it.

Each candidate is fitted with 3 seeds (``--seeds``). Reported per series: the
median, min and max MASE over the seeds, and the median against the naive and
seasonal naive forecasts of the same folds; overall: the geometric mean of the
median MASE relative to the default, and the number of series where the
candidate is better than naive for every seed.

Run from the repository root (about 40 minutes on 2 cores in two processes)::

    nice -n 5 python benchmarks/bench_default_choice.py --part 0 --parts 2 &
    nice -n 5 python benchmarks/bench_default_choice.py --part 1 --parts 2
    python benchmarks/bench_default_choice.py --report

``SKLSTM_BENCH_FAST=1`` runs a smoke test (two short series, one fold, 2
epochs) and writes nothing. Results: ``benchmarks/results/default_choice.csv``
(long table) and ``default_choice.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
import platform
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_accuracy as acc  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.ensemble import VotingRegressor  # noqa: E402
from sklearn.model_selection import TimeSeriesSplit  # noqa: E402

import sklstm._base as sklstm_base  # noqa: E402
from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised  # noqa: E402

FAST = acc.FAST
RESULTS = acc.RESULTS
CSV = RESULTS / "default_choice.csv"
COLUMNS = ["series", "candidate", "seed", "fold", "mase", "seconds"]


class _SmoothedEpochCount(sklstm_base._EpochCount):
    """The default's early stopping on an exponentially smoothed val_loss
    (weight 0.3 on the newest epoch): a noisy epoch neither stops the run nor
    becomes the epoch count."""

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self._smoothed = None

    def get_monitor_value(self, logs):
        value = super().get_monitor_value(logs)
        if value is not None:
            old = self._smoothed
            self._smoothed = value if old is None else 0.3 * value + 0.7 * old
            value = self._smoothed
        return value


class _FlooredEpochCount(sklstm_base._EpochCount):
    """The default's early stopping, counting from the 10th epoch on: the
    refit trains at least 10 epochs."""

    def __init__(self, patience):
        super().__init__(patience)
        self.start_from_epoch = 10


def with_epoch_count(stopper):
    """An LSTMRegressor whose early stopping uses ``stopper`` for the
    default's ``_EpochCount`` (patched in for its fit only)."""

    class Regressor(LSTMRegressor):
        def fit(self, X, y, **kwargs):
            default = sklstm_base._EpochCount
            sklstm_base._EpochCount = stopper
            try:
                return super().fit(X, y, **kwargs)
            finally:
                sklstm_base._EpochCount = default

    Regressor.__name__ = Regressor.__qualname__ = f"LSTMRegressor_{stopper.__name__}"
    return Regressor


SmoothedStopping = with_epoch_count(_SmoothedEpochCount)
FlooredStopping = with_epoch_count(_FlooredEpochCount)


def restore_best(seed, **extra):
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=10, restore_best_weights=True
    )
    return LSTMRegressor(
        early_stopping=False,
        validation_split=0.1,
        callbacks=[stop],
        random_state=seed,
        **extra,
    )


class KeepBestContinue(LSTMRegressor):
    """The network that did best on the held-out last tenth of the windows
    (Keras's ``EarlyStopping(restore_best_weights=True)``), then trained on
    every window for a tenth of its best epoch count, at least one epoch."""

    def fit(self, X, y, **kwargs):
        stop = keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=self.patience, restore_best_weights=True
        )
        self.set_params(early_stopping=False, validation_split=0.1, warm_start=True)
        super().fit(X, y, callbacks=[stop])
        more = max(1, int(np.ceil(0.1 * (stop.best_epoch + 1))))
        self.set_params(validation_split=0.0)
        super().fit(X, y, epochs=more)
        self.set_params(early_stopping=True, warm_start=False)
        self.best_epoch_ = stop.best_epoch + 1
        return self


def candidates(epochs):
    """name -> function(seed, window) returning an unfitted estimator."""

    def lstm(**kwargs):
        return lambda seed, window: make_lstm_pipeline(
            window, LSTMRegressor(random_state=seed, **{**kwargs, **epochs})
        )

    def mean_of_3(seed, window):
        seeds = (3 * seed + 100, 3 * seed + 101, 3 * seed + 102)
        return VotingRegressor([(f"s{k}", lstm()(k, window)) for k in seeds])

    return {
        "default": lstm(),
        'linear_skip="window"': lstm(linear_skip="window"),
        "restore best": lambda seed, window: make_lstm_pipeline(
            window, restore_best(seed, **epochs)
        ),
        "no early stopping": lstm(early_stopping=False),
        "validation_fraction=0.25": lstm(validation_fraction=0.25),
        "mean of 3": mean_of_3,
        "no early stopping, 50 epochs": lstm(early_stopping=False, epochs=50),
        'no early stopping + linear_skip="window"': lstm(
            early_stopping=False, linear_skip="window"
        ),
        'linear_skip="relative"': lstm(linear_skip="relative"),
        'restore best + linear_skip="window"': lambda seed, window: make_lstm_pipeline(
            window, restore_best(seed, linear_skip="window", **epochs)
        ),
        "keep best, continue": lambda seed, window: make_lstm_pipeline(
            window, KeepBestContinue(random_state=seed, **epochs)
        ),
        # Session 8: a smaller or slower-learning network with the current
        # defaults (linear_skip="auto", the window's linear path).
        "units=16": lstm(units=16),
        "learning_rate=0.003": lstm(learning_rate=0.003),
        "smoothed validation curve": lambda seed, window: make_lstm_pipeline(
            window, SmoothedStopping(random_state=seed, **epochs)
        ),
        "at least 10 epochs": lambda seed, window: make_lstm_pipeline(
            window, FlooredStopping(random_state=seed, **epochs)
        ),
    }


def validation_spec(spec):
    """The series without the benchmark's three test folds."""
    cut = 3 * spec.test_size
    values = spec.values.iloc[:-cut]
    return acc.Spec(spec.name, values, spec.m, spec.cycle, spec.test_size, spec.note)


def folds(spec):
    n_rows = spec.values.size - 1
    cv = TimeSeriesSplit(n_splits=2, test_size=spec.test_size)
    splits = list(cv.split(np.zeros(n_rows)))
    return splits[-1:] if FAST else splits


def mase(truth, pred, train, m):
    # Without a season of training values (Seattle daily, m = 365, once its
    # test folds are cut off) the scale is the naive forecast's.
    m = m if train.size > m else 1
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(truth - pred)) / scale)


def done_jobs():
    """(series, candidate, seed) with every fold in the CSV: a restarted run
    skips them."""
    if FAST or not CSV.exists():
        return set()
    df = pd.read_csv(CSV).dropna(subset=["mase"])
    counts = df.groupby(["series", "candidate", "seed"]).size()
    return {key for key, n in counts.items() if n == 2}


def run(part, parts, seeds, only=None, no_baselines=False, series=None):
    specs = [validation_spec(s) for s in acc.load_specs()]
    if series is not None:
        specs = [s for s in specs if s.name in series]
    if FAST:
        specs = [s for s in specs if "Y71" in s.name or "AirPassengers" in s.name]
    epochs = {"epochs": 2} if FAST else {}
    jobs = [
        (spec, name, build, seed)
        for spec in specs
        for name, build in candidates(epochs).items()
        if only is None or name in only
        for seed in seeds
        if (spec.name, name, seed) not in done_jobs()
    ]
    rows = []
    for k, (spec, name, build, seed) in enumerate(jobs):
        if k % parts != part:
            continue
        s = spec.values.to_numpy(dtype=np.float64)
        X, y = make_supervised(spec.values.to_frame(), horizon=1)
        for fold, (_, test) in enumerate(folds(spec)):
            a, b = test[0], test[-1] + 1
            model = build(seed, spec.window)
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(X.iloc[:a], y.iloc[:a])
                begin = max(0, a - spec.window + 1)
                pred = model.predict(X.iloc[begin:b])[-(b - a) :]
            seconds = time.perf_counter() - start
            score = mase(s[a + 1 : b + 1], pred, s[: a + 1], spec.m)
            rows.append([spec.name, name, seed, fold, score, seconds])
            print(f"{spec.name:35s} {name:26s} seed {seed} fold {fold}: "
                  f"MASE {score:.3f} ({seconds:.0f} s)", flush=True)  # fmt: skip
        if not FAST:
            out = pd.DataFrame(rows[-len(folds(spec)) :], columns=COLUMNS)
            out.to_csv(CSV, mode="a", header=not CSV.exists(), index=False)
    # The baselines on the same folds.
    for spec in specs if part == 0 and not no_baselines else []:
        s = spec.values.to_numpy(dtype=np.float64)
        for fold, (_, test) in enumerate(folds(spec)):
            a, b = test[0], test[-1] + 1
            baselines = [("naive", s[a:b])]
            if a + 1 >= spec.m:  # a season of history before the fold
                baselines.append(("seasonal naive", s[a + 1 - spec.m : b + 1 - spec.m]))
            for name, pred in baselines:
                score = mase(s[a + 1 : b + 1], pred, s[: a + 1], spec.m)
                rows.append([spec.name, name, "", fold, score, 0.0])
                if not FAST:
                    pd.DataFrame([rows[-1]], columns=COLUMNS).to_csv(
                        CSV, mode="a", header=not CSV.exists(), index=False
                    )
    return pd.DataFrame(rows, columns=COLUMNS)


def report(df):
    per_seed = (
        df.groupby(["series", "candidate", "seed"], dropna=False)
        .agg(mase=("mase", "mean"), seconds=("seconds", "sum"))
        .reset_index()
    )
    stats = per_seed.groupby(["series", "candidate"]).agg(
        median=("mase", "median"),
        lo=("mase", "min"),
        hi=("mase", "max"),
        seeds=("mase", "size"),
        seconds=("seconds", "median"),
    )
    naive = stats.xs("naive", level="candidate")["median"]
    snaive = stats.xs("seasonal naive", level="candidate")["median"]
    snaive = snaive.reindex(naive.index).fillna(np.inf)  # no season: naive only
    names = [c for c in candidates({}) if c in stats.index.get_level_values(1)]
    series = list(dict.fromkeys(df.series))
    lines = [
        "# Choosing the default LSTM pipeline on validation periods",
        "",
        f"Written by `benchmarks/bench_default_choice.py` on "
        f"{datetime.now():%Y-%m-%d %H:%M}; {platform.machine()}, "
        f"{os.cpu_count()} CPU cores shared with other jobs (seconds are "
        f"pessimistic), Python {platform.python_version()}, Keras "
        f"{keras.__version__}, scikit-learn {sklearn.__version__}.",
        "",
        "Each series of `bench_accuracy.py` without its three test folds (the "
        "last 3 T values), two earlier folds of T rows; one-step forecasts with "
        "real history; MASE (mean over the two folds) per seed; the cell shows "
        "the median over seeds [min-max]. Nothing here saw a test period of "
        "the accuracy benchmark.",
        "",
        "| series | naive | seasonal naive | " + " | ".join(names) + " |",
        "|---|---:|---:|" + "---:|" * len(names),
    ]
    for name in series:
        cells = [f"{naive[name]:.3f}", f"{snaive[name]:.3f}"]
        for c in names:
            if (name, c) in stats.index:
                r = stats.loc[(name, c)]
                cells.append(f"{r['median']:.3f} [{r.lo:.3f}-{r.hi:.3f}]")
            else:
                cells.append("-")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| candidate | geometric mean of median MASE / default's | "
              "series better than naive and seasonal naive (median) | "
              "series where every seed beats naive | median fit s per series "
              "and seed |", "|---|---:|---:|---:|---:|"]  # fmt: skip
    base = stats.xs("default", level="candidate")["median"]
    for c in names:
        sub = stats.xs(c, level="candidate")
        common = sub.index.intersection(base.index)
        ratio = float(np.exp(np.mean(np.log(sub["median"][common] / base[common]))))
        better = sum(sub.loc[n, "median"] < min(naive[n], snaive[n]) for n in sub.index)
        every = sum(sub.loc[n, "hi"] < naive[n] for n in sub.index)
        lines.append(
            f"| {c} | {ratio:.3f} | {better}/{len(sub)} | {every}/{len(sub)} | "
            f"{sub['seconds'].median():.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", type=int, default=0)
    parser.add_argument("--parts", type=int, default=1)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--report", action="store_true", help="fit nothing")
    parser.add_argument(
        "--candidates", nargs="+", default=None, help="only these (by name)"
    )
    parser.add_argument(
        "--no-baselines", action="store_true", help="a part that adds candidates"
    )
    parser.add_argument("--series", nargs="+", default=None, help="only these")
    args = parser.parse_args(argv)
    if args.report:
        df = pd.read_csv(CSV)
    else:
        seeds = [0] if FAST else args.seeds
        df = run(
            args.part, args.parts, seeds, args.candidates, args.no_baselines,
            args.series,
        )  # fmt: skip
        if args.parts > 1 and not FAST:
            return
        if not FAST:  # every result so far, baselines of other runs included
            df = pd.read_csv(CSV)
    text = report(df)
    print(text)
    if not FAST:
        (RESULTS / "default_choice.md").write_text(text)


if __name__ == "__main__":
    main()
