"""Benchmark: cross-validated errors with padded test folds against real history.

Before the windower remembered the end of its training data, every call of
``transform`` windowed only the rows it received, so the first ``window - 1``
rows of each ``TimeSeriesSplit`` test fold were scored on padded (truncated)
windows although the rows before them were observed. This script measures what
that did to cross-validated errors and to the window that ``GridSearchCV``
picks, on four real series:

- Seattle daily ``temp_max`` (bundled, deg C, 1461 days), 5 folds of 90 days;
- AirPassengers (bundled, thousands, 144 months), 4 folds of 12 months;
- sunspots (statsmodels, yearly 1700-2008), 5 folds of 20 years;
- Mauna Loa CO2 (statsmodels ``co2``, weekly 1958-2001, averaged per month and
  the 5 empty months interpolated linearly), 5 folds of 24 months.

Each series goes through ``make_supervised(series)`` (next value) and
``TimeSeriesSplit(n_splits, test_size)``. For every fold one pipeline is fitted
on the training rows and its test fold predicted three ways:

- *padded* (before): the test rows as a NumPy array, which has no positions, so
  the windows are filled from nothing, as every fold was before;
- *memory* (after): the test rows as the DataFrame that ``cross_val_score``
  hands over, with their index, so the windower fills their first windows from
  its memory of the training rows;
- *backtest*: a hand-written history-aware reference that predicts all rows up
  to the end of the fold and keeps the last ``test_size``; the script checks
  that it equals *memory* (see below for how exactly).

Fitting is the same in both cases (the windows of the training rows do not
change), so one fit per fold serves both. The Ridge figures are also checked
against ``cross_val_score`` on NumPy (before) and pandas (after) input. The
models: ``make_lstm_pipeline(w, Ridge(), fill_value=0.0)`` for several windows
per series, and the default LSTM ``make_lstm_pipeline(w)`` (``LSTMRegressor``
defaults, ``random_state=0``) for one window per series. The windows of
*memory* and *backtest* are asserted equal bit for bit, and so are Ridge's
predictions; the LSTM's predictions are asserted equal within ``rtol=1e-5``
(float32 products in batches of other sizes round differently, and ``"auto"``
predicts more than 1024 windows through Keras instead of NumPy). Finally
``GridSearchCV`` over ``windower__window`` in ``[7, 30, 90]`` on Seattle, with
NumPy (before) and pandas (after) input, against the window the backtest picks.

Run from the repository root (the script puts the repository first on
``sys.path``), niced when the machine is shared::

    nice -n 5 python benchmarks/bench_cv_history.py

``SKLSTM_BENCH_FAST=1`` runs the Ridge part only and writes nothing. The full
run prints Markdown and writes ``benchmarks/results/cv_history.md``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import platform
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.metrics import mean_absolute_error  # noqa: E402
from sklearn.model_selection import (  # noqa: E402
    GridSearchCV,
    TimeSeriesSplit,
    cross_val_score,
)

import sklstm  # noqa: E402
from sklstm import make_lstm_pipeline, make_supervised  # noqa: E402
from sklstm.datasets import (  # noqa: E402
    load_air_passengers,
    load_seattle_weather,
    load_sunspots,
)

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
RESULTS = ROOT / "benchmarks" / "results" / "cv_history.md"
MAE = "neg_mean_absolute_error"


def _co2_monthly():
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean().interpolate("linear")
    monthly.index.name = "date"
    return monthly.rename("co2")


def _series():
    """(name, series, n_splits, test_size, Ridge windows, LSTM window)."""
    return [
        (
            "Seattle temp_max (daily)",
            load_seattle_weather()["temp_max"],
            5,
            90,
            (7, 30, 90),
            30,
        ),
        ("AirPassengers (monthly)", load_air_passengers(), 4, 12, (6, 12, 24), 24),
        ("Sunspots (yearly)", load_sunspots(), 5, 20, (5, 11, 22), 22),
        ("Mauna Loa CO2 (monthly)", _co2_monthly(), 5, 24, (6, 12, 24), 24),
    ]


def _fold_errors(pipe, X, y, cv):
    """Mean test MAE over the folds: padded, with memory, and the backtest."""
    padded, memory, backtest = [], [], []
    for train, test in cv.split(X):
        model = clone(pipe).fit(X.iloc[train], y.iloc[train])
        truth = y.iloc[test].to_numpy()
        with warnings.catch_warnings():
            # An array has no feature names, unlike the fitted DataFrame.
            warnings.simplefilter("ignore", UserWarning)
            pred_padded = model.predict(X.iloc[test].to_numpy())
        pred_memory = model.predict(X.iloc[test])
        history = X.iloc[: test[-1] + 1]
        pred_backtest = model.predict(history)[-len(test) :]
        # The windows are the same, bit for bit; so are Ridge's predictions.
        # An LSTM's float32 products may round differently in a batch of
        # another size (~1e-7 relative), which has nothing to do with windows.
        np.testing.assert_array_equal(
            model[:-1].transform(X.iloc[test]),
            model[:-1].transform(history)[-len(test) :],
        )
        np.testing.assert_allclose(pred_memory, pred_backtest, rtol=1e-5)
        padded.append(mean_absolute_error(truth, pred_padded))
        memory.append(mean_absolute_error(truth, pred_memory))
        backtest.append(mean_absolute_error(truth, pred_backtest))
    return np.mean(padded), np.mean(memory), np.mean(backtest)


def _ridge_rows(name, X, y, cv, windows):
    rows = []
    for window in windows:
        pipe = make_lstm_pipeline(window, Ridge(), fill_value=0.0)
        start = time.perf_counter()
        padded, memory, backtest = _fold_errors(pipe, X, y, cv)
        # The same figures through scikit-learn: NumPy folds (no positions, as
        # before) and pandas folds (the index kept, the memory used).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            before = -cross_val_score(
                pipe, X.to_numpy(), y.to_numpy(), cv=cv, scoring=MAE
            ).mean()
        after = -cross_val_score(pipe, X, y, cv=cv, scoring=MAE).mean()
        assert np.isclose(before, padded, rtol=1e-12, atol=0), (before, padded)
        assert after == memory, (after, memory)
        rows.append(
            (
                name,
                "Ridge",
                window,
                padded,
                memory,
                backtest,
                time.perf_counter() - start,
            )
        )
    return rows


def _lstm_rows(name, X, y, cv, window):
    from sklstm import LSTMRegressor

    pipe = make_lstm_pipeline(window, LSTMRegressor(random_state=0))
    start = time.perf_counter()
    padded, memory, backtest = _fold_errors(pipe, X, y, cv)
    return [
        (name, "LSTM", window, padded, memory, backtest, time.perf_counter() - start)
    ]


def _grid_search(X, y, cv, windows=(7, 30, 90)):
    pipe = make_lstm_pipeline(windows[0], Ridge(), fill_value=0.0)
    grid = {"windower__window": list(windows)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        before = GridSearchCV(pipe, grid, cv=cv, scoring=MAE).fit(
            X.to_numpy(), y.to_numpy()
        )
    after = GridSearchCV(pipe, grid, cv=cv, scoring=MAE).fit(X, y)
    backtest = [
        _fold_errors(clone(pipe).set_params(windower__window=w), X, y, cv)[2]
        for w in windows
    ]
    return {
        "windows": windows,
        "before": -before.cv_results_["mean_test_score"],
        "after": -after.cv_results_["mean_test_score"],
        "backtest": np.array(backtest),
        "picked_before": before.best_params_["windower__window"],
        "picked_after": after.best_params_["windower__window"],
        "picked_backtest": windows[int(np.argmin(backtest))],
    }


def _table(rows):
    lines = [
        "| series | model | window | MAE padded (before) | MAE with memory "
        "(after) | history-aware backtest | change | s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, model, window, padded, memory, backtest, seconds in rows:
        change = 100.0 * (memory - padded) / padded
        lines.append(
            f"| {name} | {model} | {window} | {padded:.4f} | {memory:.4f} | "
            f"{backtest:.4f} | {change:+.1f}% | {seconds:.1f} |"
        )
    return "\n".join(lines)


def _search_table(search):
    lines = [
        "| window | CV MAE before (NumPy folds, padded) | CV MAE after (pandas "
        "folds, memory) | history-aware backtest |",
        "|---:|---:|---:|---:|",
    ]
    for w, b, a, h in zip(
        search["windows"],
        search["before"],
        search["after"],
        search["backtest"],
        strict=True,
    ):
        lines.append(f"| {w} | {b:.4f} | {a:.4f} | {h:.4f} |")
    lines.append(
        f"\nWindow picked: before **{search['picked_before']}**, after "
        f"**{search['picked_after']}**, history-aware backtest "
        f"**{search['picked_backtest']}**."
    )
    return "\n".join(lines)


def main():
    started = time.perf_counter()
    print(f"sklstm from {Path(sklstm.__file__).parent}", file=sys.stderr)
    ridge, lstm, protocol = [], [], []
    datasets = _series()
    for name, series, n_splits, test_size, windows, lstm_window in datasets:
        X, y = make_supervised(series)
        cv = TimeSeriesSplit(n_splits=n_splits, test_size=test_size)
        protocol.append(
            f"| {name} | {len(series)} | {n_splits} x {test_size} | "
            f"{', '.join(map(str, windows))} | {lstm_window} |"
        )
        ridge += _ridge_rows(name, X, y, cv, windows)
        print(_table(ridge[-len(windows) :]), file=sys.stderr)
        if not FAST:
            lstm += _lstm_rows(name, X, y, cv, lstm_window)
            print(_table(lstm[-1:]), file=sys.stderr)
    X, y = make_supervised(datasets[0][1])
    search = _grid_search(X, y, TimeSeriesSplit(n_splits=5, test_size=90))
    elapsed = time.perf_counter() - started

    import keras
    import statsmodels
    import tensorflow as tf

    report = "\n".join(
        [
            "# Cross-validation with the history before each test fold",
            "",
            f"Run {time.strftime('%Y-%m-%d %H:%M')} by "
            f"`benchmarks/bench_cv_history.py` in {elapsed / 60:.1f} min.",
            "",
            f"- Machine: {platform.platform()}, {platform.machine()}, "
            f"{os.cpu_count()} CPU cores, no GPU used.",
            f"- Python {platform.python_version()}, numpy {np.__version__}, "
            f"pandas {pd.__version__}, scikit-learn {sklearn.__version__}, keras "
            f"{keras.__version__}, tensorflow {tf.__version__}, statsmodels "
            f"{statsmodels.__version__}.",
            "",
            "Protocol (details in the script's docstring): "
            "`make_supervised(series)` (next value), "
            "`TimeSeriesSplit(n_splits, test_size)`, one fit per fold; each "
            "test fold predicted as a NumPy array (*padded*: no positions, the "
            "windows filled from nothing, as every fold was before the "
            "windower's memory) and as the DataFrame `cross_val_score` passes "
            "(*memory*: the first windows filled from the training rows). "
            "*history-aware backtest*: each fold predicted as the tail of a "
            "prediction over all rows up to its end; it equals *memory* "
            "(asserted). Ridge: `make_lstm_pipeline(w, Ridge(), "
            "fill_value=0.0)`, its figures also equal `cross_val_score` on "
            "NumPy and pandas input (asserted). LSTM: `make_lstm_pipeline(w)`, "
            "the default `LSTMRegressor(random_state=0)`; the windows of *memory* "
            "and *backtest* are equal bit for bit, the LSTM's predictions within "
            "`rtol=1e-5` (float32 in batches of other sizes). MAE in the units of "
            "each series, mean over the folds; `change` is after against "
            "before; `s` is the wall time of the row.",
            "",
            "| series | rows | folds x test rows | Ridge windows | LSTM window |",
            "|---|---:|---|---|---:|",
            *protocol,
            "",
            "## Ridge on lags",
            "",
            _table(ridge),
            "",
            "## Default LSTM",
            "",
            _table(lstm) if lstm else "(not run: SKLSTM_BENCH_FAST=1)",
            "",
            "## GridSearchCV over the window (Seattle temp_max, Ridge)",
            "",
            "`GridSearchCV(make_lstm_pipeline(7, Ridge(), fill_value=0.0), "
            "{'windower__window': [7, 30, 90]}, "
            "cv=TimeSeriesSplit(5, test_size=90), "
            "scoring='neg_mean_absolute_error')`, fitted on NumPy input (as "
            "before: no positions) and on the pandas output of "
            "`make_supervised` (after).",
            "",
            _search_table(search),
            "",
        ]
    )
    print(report)
    if not FAST:
        RESULTS.write_text(report)


if __name__ == "__main__":
    main()
