"""Benchmark: the default LSTMRegressor against raw Keras, training and predicting.

Answers three questions on real data (daily Seattle weather 2012-2015, shipped
with sklstm: temp_max, temp_min, precipitation and wind as features, next day's
temp_max as target, windows of 30 days, the last 10% of the windows, in time
order, held out for validation; features standardised with a scaler fitted on
the training part; the 29 incomplete leading windows are dropped, so no model
sees NaN):

1. Tutorial against defaults. The tutorial's raw Keras code,
   ``Sequential([Input((30, 4)), LSTM(50, activation="relu"), Dense(1)])``
   compiled with ``optimizer="adam", loss="mse"`` and fitted with
   ``batch_size=32, shuffle=True`` on a target standardised as LSTMRegressor
   does internally (its best shot), against ``LSTMRegressor(random_state=s)``
   with every default. Steady-state seconds per epoch (median of epochs 2..E of
   each Keras ``fit``, timed by a callback), whole-fit wall time and validation
   MSE/MAE in degrees C. Target: >= 1.5x faster per epoch at equal or better
   validation MSE.
2. Wrapper overhead. Raw Keras with the settings LSTMRegressor uses (the network
   of ``sklstm._networks.build_network``, Adam(0.01), MSE,
   ``steps_per_execution=32``, the ``jit_compile`` that ``"auto"`` resolves to,
   batch 32, shuffle) against ``LSTMRegressor(early_stopping=False, epochs=E)``.
   Whole ``fit`` wall time. Target: at most 5% slower.
3. Prediction. The fitted default estimator's ``predict`` on 1 and 100 windows
   against ``model_.predict(X, verbose=0)`` and ``model_(X)``. Target: >= 20x
   faster for one window.

Every figure is a median over runs that alternate (A, B, A, B, ...) in this
process, because single timings on a shared 2-core machine vary a lot. Run from
the repository root, niced when the machine is shared::

    nice -n 5 python benchmarks/bench_vs_keras.py

``SKLSTM_BENCH_FAST=1`` runs a smoke test (a shorter series, a few epochs, one
repeat) and writes nothing. The full run prints Markdown tables and writes
``benchmarks/results/vs_keras.md`` and, with every single run,
``benchmarks/results/vs_keras.csv``.
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
import sklearn  # noqa: E402
import tensorflow as tf  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

import sklstm  # noqa: E402
from sklstm import LSTMRegressor, SequenceWindower, make_supervised  # noqa: E402
from sklstm._networks import build_network, default_jit_compile  # noqa: E402
from sklstm.datasets import load_seattle_weather  # noqa: E402

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
FEATURES = ["temp_max", "temp_min", "precipitation", "wind"]
TARGET = "temp_max"
WINDOW, BATCH, UNITS = 30, 32, 50
if FAST:
    N_ROWS, REPEATS, TUTORIAL_EPOCHS, OURS_EPOCHS = 400, 1, 3, 3
    OVERHEAD = ((3, 1),)  # (epochs, alternating pairs)
    PREDICT_REPEATS = 5
else:
    N_ROWS, REPEATS, TUTORIAL_EPOCHS, OURS_EPOCHS = None, 3, 100, None
    OVERHEAD = ((20, 5), (50, 5))
    PREDICT_REPEATS = 50
RESULTS = Path(__file__).parent / "results"
CSV_ROWS = []  # (part, config, repeat, metric, value)
WARNINGS = {}  # label -> set of "Category: message"


class EpochTimer(keras.callbacks.Callback):
    """Wall time of each epoch, one list per call of Keras ``fit``."""

    def __init__(self):
        super().__init__()
        self.runs = []

    def on_train_begin(self, logs=None):
        self.runs.append([])

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.runs[-1].append(time.perf_counter() - self._start)


def steady_epochs(timer):
    """Epoch times after the first of every ``fit`` (which pays compilation)."""
    return [t for run in timer.runs for t in run[1:]]


def steady_epoch_s(timer):
    """Median steady-state epoch time; NaN if no fit ran two epochs."""
    times = steady_epochs(timer)
    return statistics.median(times) if times else float("nan")


def record(part, config, repeat, **metrics):
    for name, value in metrics.items():
        CSV_ROWS.append((part, config, repeat, name, value))


def catching(label, func):
    """Call ``func``, noting the warnings it raises under ``label``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        result = func()
    for w in caught:
        first_line = str(w.message).strip().splitlines()[0][:160]
        WARNINGS.setdefault(label, set()).add(f"{w.category.__name__}: {first_line}")
    return result


def load_windows():
    """Training and validation windows and targets, time-ordered, no NaN.

    Returns the windows as the windower's (strided, float32) view for sklstm
    and the same values as a contiguous array for raw Keras.
    """
    data = load_seattle_weather()[FEATURES]
    if N_ROWS:
        data = data.iloc[:N_ROWS]
    X, y = make_supervised(data, target=TARGET, horizon=1)
    n_windows = len(X) - (WINDOW - 1)
    n_val = max(1, n_windows // 10)
    n_train = n_windows - n_val
    table = X.to_numpy()
    scaler = StandardScaler().fit(table[: WINDOW - 1 + n_train])
    scaled = scaler.transform(table).astype(np.float32)
    windows = SequenceWindower(WINDOW).fit_transform(scaled)[WINDOW - 1 :]
    target = y.to_numpy()[WINDOW - 1 :]
    assert not np.isnan(windows).any()
    return {
        "X_train": windows[:n_train],
        "X_val": windows[n_train:],
        "X_train_array": np.ascontiguousarray(windows[:n_train]),
        "X_val_array": np.ascontiguousarray(windows[n_train:]),
        "y_train": target[:n_train],
        "y_val": target[n_train:],
    }


def scaled_target(y):
    """y standardised as LSTMRegressor does internally (mean, population std)."""
    mean, scale = float(y.mean()), float(y.std())
    return ((y - mean) / scale).astype(np.float32).reshape(-1, 1), mean, scale


def errors(pred, y):
    pred = np.asarray(pred, dtype=np.float64).ravel()
    return float(np.mean((pred - y) ** 2)), float(np.mean(np.abs(pred - y)))


def fit_ours(d, seed, label, **params):
    timer = EpochTimer()
    est = LSTMRegressor(random_state=seed, callbacks=[timer], **params)
    start = time.perf_counter()
    catching(label, lambda: est.fit(d["X_train"], d["y_train"]))
    wall = time.perf_counter() - start
    return est, timer, wall


def train_raw(label, model, d, epochs, timer, start):
    """Fit a compiled raw Keras model on the standardised target; predict in deg C."""
    y, mean, scale = scaled_target(d["y_train"])
    history = catching(
        label,
        lambda: model.fit(
            d["X_train_array"],
            y,
            epochs=epochs,
            batch_size=BATCH,
            shuffle=True,
            verbose=0,
            callbacks=[timer],
        ),
    )
    wall = time.perf_counter() - start
    pred = model.predict(d["X_val_array"], verbose=0)[:, 0] * scale + mean
    return model, timer, wall, pred, history.history["loss"][-1]


def fit_tutorial(d, seed, epochs):
    """The tutorial's code, on a standardised target; predictions in deg C."""
    timer = EpochTimer()
    start = time.perf_counter()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((WINDOW, len(FEATURES))),
            keras.layers.LSTM(UNITS, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return train_raw("tutorial Keras", model, d, epochs, timer, start)


def fit_raw_identical(d, seed, epochs, jit_compile):
    """Raw Keras with LSTMRegressor's network and training settings."""
    timer = EpochTimer()
    start = time.perf_counter()
    keras.utils.set_random_seed(seed)
    model = build_network((WINDOW, len(FEATURES)), units=(UNITS,), n_outputs=1)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="mse",
        steps_per_execution=32,
        jit_compile=jit_compile,
    )
    return train_raw("raw Keras, identical settings", model, d, epochs, timer, start)


def med(values):
    return statistics.median(values)


def yes_no(ok):
    return "**yes**" if ok else "**no**"


def part_tutorial(d):
    """(1) The tutorial's raw Keras against the default LSTMRegressor."""
    rows = {k: [] for k in ("ours", "tut", "tut_best")}
    fitted = None
    extra = {} if OURS_EPOCHS is None else {"epochs": OURS_EPOCHS}
    for rep in range(REPEATS):
        seed = rep

        def run_ours(seed=seed, rep=rep):
            est, timer, wall = fit_ours(d, seed, "LSTMRegressor defaults", **extra)
            mse, mae = errors(est.predict(d["X_val"]), d["y_val"])
            best = getattr(est, "best_epoch_", None)
            runs = [len(r) for r in timer.runs]
            res = {
                "epoch_s": steady_epoch_s(timer),
                "wall_s": wall,
                "mse": mse,
                "mae": mae,
                "epochs": runs,
                "best_epoch": best,
                "jit": est.model_.jit_compile,
            }
            scalars = {k: v for k, v in res.items() if k not in ("epochs", "jit")}
            record("1", "LSTMRegressor defaults", rep, **scalars)
            record("1", "LSTMRegressor defaults", rep, epochs_per_fit=str(runs))
            rows["ours"].append(res)
            return est

        def run_tutorial(epochs, key, rep=rep, seed=seed):
            model, timer, wall, pred, loss = fit_tutorial(d, seed, epochs)
            mse, mae = errors(pred, d["y_val"])
            res = {
                "epoch_s": steady_epoch_s(timer),
                "wall_s": wall,
                "mse": mse,
                "mae": mae,
                "epochs": [epochs],
                "jit": model.jit_compile,
            }
            name = f"tutorial, {'100' if key == 'tut' else 'best'} epochs"
            record("1", name, rep, epoch_s=res["epoch_s"], wall_s=wall)
            record("1", name, rep, mse=mse, mae=mae, epochs=epochs)
            rows[key].append(res)

        # Alternate which model goes first; the tutorial at ours' number of
        # epochs needs ours' best_epoch_, so it comes after both.
        if rep % 2 == 0:
            fitted = run_ours()
            run_tutorial(TUTORIAL_EPOCHS, "tut")
        else:
            run_tutorial(TUTORIAL_EPOCHS, "tut")
            fitted = run_ours()
        best = fitted.best_epoch_ if hasattr(fitted, "best_epoch_") else None
        run_tutorial(best or TUTORIAL_EPOCHS, "tut_best")
        print(
            f"  part 1, repeat {rep + 1}/{REPEATS}: ours "
            f"{rows['ours'][-1]['epoch_s']:.3f} s/epoch, tutorial "
            f"{rows['tut'][-1]['epoch_s']:.3f} s/epoch",
            flush=True,
        )

    def summary(key, name):
        rs = rows[key]
        epochs = [r["epochs"] for r in rs]
        return (
            f"| {name} | {', '.join('+'.join(map(str, e)) for e in epochs)} | "
            f"{rs[0]['jit']} | {med([r['epoch_s'] for r in rs]):.3f} | "
            f"{med([r['wall_s'] for r in rs]):.1f} | "
            f"{med([r['mse'] for r in rs]):.2f} | {med([r['mae'] for r in rs]):.3f} |"
        )

    ours_epoch = med([r["epoch_s"] for r in rows["ours"]])
    tut_epoch = med([r["epoch_s"] for r in rows["tut"]])
    # Ratio of each alternating pair, then their median.
    pair_ratio = med(
        [
            t["epoch_s"] / o["epoch_s"]
            for t, o in zip(rows["tut"], rows["ours"], strict=True)
        ]
    )
    ours_mse = med([r["mse"] for r in rows["ours"]])
    tut_mse = med([r["mse"] for r in rows["tut"]])
    tut_best_mse = med([r["mse"] for r in rows["tut_best"]])
    wall_ratio = med([r["wall_s"] for r in rows["tut"]]) / med(
        [r["wall_s"] for r in rows["ours"]]
    )
    lines = [
        "| model | epochs per run | XLA | s/epoch (median) | whole fit s | "
        "val MSE (degC^2) | val MAE (degC) |",
        "|---|---|---|---:|---:|---:|---:|",
        summary("ours", "`LSTMRegressor(random_state=s)` (defaults)"),
        summary("tut", f"tutorial Keras, {TUTORIAL_EPOCHS} epochs"),
        summary("tut_best", "tutorial Keras, ours' `best_epoch_` epochs"),
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| >= 1.5x faster per epoch | {tut_epoch / ours_epoch:.2f}x (median of "
        f"pair ratios {pair_ratio:.2f}x) | {yes_no(pair_ratio >= 1.5)} |",
        f"| ... at equal or better val MSE (vs tutorial, {TUTORIAL_EPOCHS} epochs) "
        f"| {ours_mse:.2f} vs {tut_mse:.2f} | {yes_no(ours_mse <= tut_mse)} |",
        f"| (no target) val MSE vs tutorial at ours' epochs | {ours_mse:.2f} vs "
        f"{tut_best_mse:.2f} | {'better' if ours_mse <= tut_best_mse else 'worse'} |",
        f"| (no target) whole fit, tutorial {TUTORIAL_EPOCHS} epochs / ours | "
        f"{wall_ratio:.2f}x | - |",
    ]
    return "\n".join(lines), fitted


def part_overhead(d):
    """(2) LSTMRegressor against raw Keras with identical settings."""
    n_batches = -(-len(d["y_train"]) // BATCH)
    out = [
        "| epochs | XLA | pairs | raw Keras fit s | LSTMRegressor fit s | "
        "overhead (median of pair ratios) | range of pair ratios | "
        "s/epoch raw / ours | fixed s raw / ours | final loss raw / ours | "
        "val MSE raw / ours | <= 5% |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for epochs, pairs in OVERHEAD:
        jit = default_jit_compile(epochs * n_batches)
        runs = {"raw": [], "ours": []}

        def run_raw(rep, epochs=epochs, jit=jit, runs=runs):
            _, timer, wall, pred, loss = fit_raw_identical(d, rep, epochs, jit)
            res = {
                "wall_s": wall,
                "epoch_s": steady_epoch_s(timer),
                "fixed_s": wall - sum(sum(r) for r in timer.runs),
                "loss": loss,
                "mse": errors(pred, d["y_val"])[0],
            }
            record("2", f"raw Keras identical, {epochs} epochs", rep, **res)
            runs["raw"].append(res)

        def run_ours(rep, epochs=epochs, jit=jit, runs=runs):
            label = "LSTMRegressor(early_stopping=False)"
            est, timer, wall = fit_ours(
                d, rep, label, early_stopping=False, epochs=epochs
            )
            if est.model_.jit_compile != jit:
                raise RuntimeError(
                    f"LSTMRegressor resolved jit_compile={est.model_.jit_compile}, "
                    f"expected {jit}: the raw Keras run would not be identical."
                )
            res = {
                "wall_s": wall,
                "epoch_s": steady_epoch_s(timer),
                "fixed_s": wall - sum(sum(r) for r in timer.runs),
                "loss": est.history_["loss"][-1],
                "mse": errors(est.predict(d["X_val"]), d["y_val"])[0],
            }
            name = f"LSTMRegressor early_stopping=False, {epochs} epochs"
            record("2", name, rep, **res)
            runs["ours"].append(res)

        # Warm-up (not timed): one short fit of each, with this XLA setting.
        fit_raw_identical(d, 99, 2, jit)
        fit_ours(d, 99, "warm-up", early_stopping=False, epochs=2, jit_compile=jit)
        for rep in range(pairs):
            first, second = (run_raw, run_ours) if rep % 2 == 0 else (run_ours, run_raw)
            first(rep)
            second(rep)
        ratios = [
            o["wall_s"] / r["wall_s"]
            for r, o in zip(runs["raw"], runs["ours"], strict=True)
        ]
        overhead = med(ratios) - 1

        def m(key, name, runs=runs):
            return med([r[name] for r in runs[key]])

        out.append(
            f"| {epochs} | {jit} | {pairs} | {m('raw', 'wall_s'):.2f} | "
            f"{m('ours', 'wall_s'):.2f} | {overhead:+.1%} | "
            f"{min(ratios) - 1:+.1%} to {max(ratios) - 1:+.1%} | "
            f"{m('raw', 'epoch_s'):.3f} / {m('ours', 'epoch_s'):.3f} | "
            f"{m('raw', 'fixed_s'):.2f} / {m('ours', 'fixed_s'):.2f} | "
            f"{m('raw', 'loss'):.4f} / {m('ours', 'loss'):.4f} | "
            f"{m('raw', 'mse'):.2f} / {m('ours', 'mse'):.2f} | "
            f"{yes_no(overhead <= 0.05)} |"
        )
        print(f"  part 2, {epochs} epochs: overhead {overhead:+.1%}", flush=True)
    return "\n".join(out)


def time_calls(funcs, repeats):
    """Median seconds per call of each function, calls alternating."""
    for func in funcs.values():  # warm-up: tracing, caches
        for _ in range(3):
            func()
    times = {name: [] for name in funcs}
    for _ in range(repeats):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    return {name: med(ts) for name, ts in times.items()}


def part_predict(est, d):
    """(3) The fitted estimator's predict against the Keras model's."""
    out = [
        "| windows | call | median ms | model_.predict / this | target | met |",
        "|---:|---|---:|---:|---|---|",
    ]

    def predict_with_keras(x):
        est.predict_backend = "keras"
        try:
            return est.predict(x)
        finally:
            est.predict_backend = "auto"

    diffs = []
    for n in (1, 100):
        x = np.ascontiguousarray(d["X_val"][:n])  # fewer in FAST mode
        raw = est.model_.predict(x, verbose=0)
        ours = est.predict(x)
        diffs.append(
            float(
                np.abs(est.target_scaler_.inverse_transform(raw).ravel() - ours).max()
            )
        )
        funcs = {
            "`est.predict(X)` (default `predict_backend='auto'`)": lambda x=x: (
                est.predict(x)
            ),
            "`est.model_.predict(X, verbose=0)`": lambda x=x: est.model_.predict(
                x, verbose=0
            ),
            "`est.model_(X)` (direct call, to NumPy)": lambda x=x: (
                keras.ops.convert_to_numpy(est.model_(x))
            ),
            "`est.predict(X)` with `predict_backend='keras'`": lambda x=x: (
                predict_with_keras(x)
            ),
        }
        times = time_calls(funcs, PREDICT_REPEATS)
        base = times["`est.model_.predict(X, verbose=0)`"]
        for i, (name, seconds) in enumerate(times.items()):
            ratio = base / seconds
            target, met = "-", "-"
            if i == 0:
                target = ">= 20x" if n == 1 else "(none)"
                met = yes_no(ratio >= 20) if n == 1 else "-"
            out.append(
                f"| {len(x)} | {name} | {seconds * 1e3:.3f} | {ratio:.1f}x | "
                f"{target} | {met} |"
            )
            record("3", name, n, median_ms=seconds * 1e3, ratio=ratio)
    out.append("")
    out.append(
        f"Largest difference between `est.predict` and the un-standardised "
        f"`model_.predict`: {max(diffs):.1e} degC. Median of {PREDICT_REPEATS} "
        f"alternating calls each, after 3 warm-up calls."
    )
    return "\n".join(out)


def main():
    t_start = time.perf_counter()
    load_start = os.getloadavg()[0]
    d = load_windows()
    n_train, n_val = len(d["y_train"]), len(d["y_val"])
    print(
        f"{n_train} training and {n_val} validation windows of {WINDOW} x "
        f"{len(FEATURES)}{' (FAST mode)' if FAST else ''}",
        flush=True,
    )
    table1, fitted = part_tutorial(d)
    print(table1, flush=True)
    table2 = part_overhead(d)
    print(table2, flush=True)
    table3 = part_predict(fitted, d)
    print(table3, flush=True)
    elapsed = time.perf_counter() - t_start
    warned = [
        f"- {label}: {msg}"
        for label in sorted(WARNINGS)
        for msg in sorted(WARNINGS[label])
    ] or ["- none"]
    text = "\n".join(
        [
            "# sklstm against raw Keras",
            "",
            "Written by `nice -n 5 python benchmarks/bench_vs_keras.py` on "
            f"{time.strftime('%Y-%m-%d %H:%M')} in {elapsed / 60:.1f} min.",
            "",
            f"- Machine: {platform.machine()}, {os.cpu_count()} CPU cores, "
            f"{platform.system()}, no GPU used; niceness {os.nice(0)}; load "
            f"average {load_start:.2f} at the start, {os.getloadavg()[0]:.2f} at "
            "the end (the machine was shared with another CPU-heavy benchmark, "
            "hence alternating runs and medians)",
            f"- Python {platform.python_version()}, sklstm {sklstm.__version__}, "
            f"Keras {keras.__version__}, TensorFlow {tf.__version__} (backend "
            f"{keras.backend.backend()}), scikit-learn {sklearn.__version__}, "
            f"NumPy {np.__version__}",
            f"- Data: `load_seattle_weather()`, features {', '.join(FEATURES)} "
            f"(standardised with a StandardScaler fitted on the training rows), "
            f"target next day's {TARGET} in degC; windows of {WINDOW} days, the "
            f"first {WINDOW - 1} (incomplete) dropped: {n_train} training and "
            f"{n_val} validation windows (the last 10%, in time order). Batch "
            f"size {BATCH} everywhere.",
            "",
            "## 1. Training: tutorial Keras against the default LSTMRegressor",
            "",
            f"Median of {REPEATS} repeats (seeds 0..{REPEATS - 1}); the model "
            "that goes first alternates. Tutorial: "
            '`Sequential([Input((30, 4)), LSTM(50, activation="relu"), Dense(1)])`'
            ', `compile(optimizer="adam", loss="mse")` (Keras defaults: lr 0.001, '
            "`steps_per_execution=1`, `jit_compile='auto'`, i.e. no XLA on a "
            "CPU), `fit(X, y, epochs, batch_size=32, shuffle=True)`, with y "
            "standardised exactly as LSTMRegressor does internally (the "
            "tutorial's best shot; on raw degC it trains worse). Tutorial "
            "predictions are un-standardised. Ours: `LSTMRegressor(random_state="
            "s)`, all defaults (early stopping: a holdout run on the first 90% "
            "of the training windows, patience 10, then a refit on all of them "
            "for `best_epoch_` epochs; 'epochs per run' lists holdout+refit).",
            "",
            "s/epoch is the steady-state epoch time: the median over epochs 2.. of "
            "every Keras `fit` (for ours, pooled over the holdout run, whose "
            "epochs also evaluate `val_loss` on the 10% held out, and the refit). "
            "Whole fit is the wall time of `fit`, compilation included (the "
            "tutorial's includes building and compiling the model).",
            "",
            table1,
            "",
            "## 2. Wrapper overhead: LSTMRegressor against raw Keras, same settings",
            "",
            "Raw Keras: `sklstm._networks.build_network((30, 4), units=(50,))` "
            "(the NaN-masking layer, LSTM(50, tanh), Dense(1); the same network "
            "LSTMRegressor builds), `compile(Adam(learning_rate=0.01), 'mse', "
            "steps_per_execution=32, jit_compile=<what 'auto' resolves to>)`, "
            "`keras.utils.set_random_seed(s)`, y standardised by hand, "
            "`fit(X, y, epochs, batch_size=32, shuffle=True)` on the contiguous "
            "window array. Ours: `LSTMRegressor(early_stopping=False, epochs=E, "
            "random_state=s)` on the windower's view of the same windows. Timed: "
            "the whole call (model building, compilation and data handling "
            "included). Runs alternate raw/ours (first one alternating) after one "
            "untimed 2-epoch warm-up of each; overhead is the median over pairs of "
            "ours/raw - 1. 'fixed s' is the fit's wall time minus the time "
            "inside its epochs (building, compiling, data set-up, seeding). "
            "Whole-fit times include the XLA compilation inside the first "
            "epoch(s), several seconds and most of a short fit, whose spread "
            "from run to run on a loaded machine is far above 5%; the s/epoch "
            "and fixed-s columns isolate the wrapper's own costs.",
            "",
            table2,
            "",
            "## 3. Prediction: fitted estimator against `model_.predict`",
            "",
            "The default estimator fitted in part 1 (last repeat), predicting the "
            "first validation windows. `predict_backend='auto'` answers up to 1024 "
            "windows with the NumPy forward pass of `sklstm.gates`; the last row "
            "forces its Keras path (`model_.predict` on sklstm's batched window "
            "data set, plus validation and target scaling).",
            "",
            table3,
            "",
            "## Warnings raised during the timed fits",
            "",
            *warned,
            "",
        ]
    )
    print("\nWarnings raised during the timed fits:", *warned, sep="\n")
    print(f"\ntotal {elapsed / 60:.1f} min", flush=True)
    if FAST:
        print("(FAST mode: nothing written)")
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "vs_keras.md").write_text(text)
    with open(RESULTS / "vs_keras.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["part", "config", "repeat", "metric", "value"])
        writer.writerows(CSV_ROWS)
    print(f"wrote {RESULTS / 'vs_keras.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
