"""skforecast's prediction intervals under the protocol of bench_intervals.py.

Imported by ``benchmarks/bench_intervals.py`` (run it with a Python that has
skforecast, which needs pandas<3) so that our conformal intervals can be set
beside skforecast's. Checked against skforecast 0.26.0.

Protocol, per fold ``(train, test)`` over the rows of the supervised table
(row t: origin ``values[t]``, targets ``values[t+1 .. t+h]``): the forecaster
is fitted once on ``values[: test[0] + 1]``, the values our own models train
on, and kept over the fold; every origin t of ``test`` is forecast (steps
1..h) from its real history ``values[t - window + 1 : t + 1]``, passed as
``last_window`` with its own RangeIndex. Estimator: ``Ridge()`` on
``lags=window``, ``ForecasterRecursive`` for h = 1, ``ForecasterDirect(steps=h,
n_jobs=1)`` otherwise. ``predict_interval(interval=c)`` takes the nominal
coverage as a fraction (0-1, since 0.23; percentiles raise). Models:

- conformal (in-sample residuals): ``fit(store_in_sample_residuals=True)``,
  ``method="conformal"``: the band is pred +- ``np.quantile(|r|, c)`` of the
  training residuals (linear interpolation, no (n + 1) correction);
- bootstrapping (in-sample residuals): ``method="bootstrapping"``,
  ``n_boot=250, random_state=0`` (the same seed at every origin): quantiles
  (1 -+ c) / 2 of pred + resampled training residuals;
- conformal (out-of-sample residuals): split as ``ConformalForecaster``
  does, the last ``round(calibration_fraction * len(train))`` training rows
  calibrate. A model fitted on ``values[: c0 + 1]``, c0 the first calibration
  origin (i.e. on the rows before c0 less a gap of h - 1: every step of
  ``ForecasterDirect`` trains on the rows with all h targets, as ours do),
  forecasts each of them from its real history. ``fit`` clears
  ``out_sample_residuals_``, so the residuals are set with
  ``set_out_sample_residuals`` on the model refitted on all the fold's
  values; then ``use_in_sample_residuals=False``.

What affects the comparison:

- the 0.26 default is ``use_binned_residuals=True``: 10 bins of the
  predicted value, each with its own residual quantile. On AirPassengers
  (h = 1) that is 8-11 training and 2-3 calibration residuals per bin
  (skforecast itself warns below 10 that intervals come out too narrow, and
  fills empty bins with a random draw of the others); binned, its 95%
  in-sample conformal band covered 0.78 there, not 0.83. So ``BINNED =
  False`` here: one pool of residuals, as in our split conformal;
- ``ForecasterDirect`` pools the residuals of all its steps (in-sample and
  ``set_out_sample_residuals``, which takes one 1-D y_true/y_pred, no per-step
  form), so its unbinned band has the same width at every step; ours are
  calibrated per step;
- in-sample residuals are those of the fitted Ridge on its own training rows:
  optimistic, more so as the lag window grows against the series length.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pandas as pd
from skforecast.direct import ForecasterDirect
from skforecast.exceptions import warn_skforecast_categories
from skforecast.recursive import ForecasterRecursive
from sklearn.linear_model import Ridge

BINNED = False  # see the module docstring
N_BOOT = 250

CONFORMAL_IN = "skforecast conformal (in-sample residuals)"
BOOTSTRAP_IN = "skforecast bootstrapping (in-sample residuals)"
CONFORMAL_OUT = "skforecast conformal (out-of-sample residuals)"
VARIANTS = (
    (CONFORMAL_IN, {"method": "conformal", "use_in_sample_residuals": True}),
    (
        BOOTSTRAP_IN,
        {
            "method": "bootstrapping",
            "use_in_sample_residuals": True,
            "n_boot": N_BOOT,
            "random_state": 0,
        },
    ),
    (CONFORMAL_OUT, {"method": "conformal", "use_in_sample_residuals": False}),
)


def _fit(values, window, horizon, stop):
    """A forecaster fitted on ``values[:stop]`` (index 0 .. stop - 1)."""
    if horizon == 1:
        forecaster = ForecasterRecursive(estimator=Ridge(), lags=window)
    else:
        forecaster = ForecasterDirect(
            estimator=Ridge(), lags=window, steps=horizon, n_jobs=1
        )
    y = pd.Series(values[:stop], index=pd.RangeIndex(stop), name="y")
    forecaster.fit(y, store_in_sample_residuals=True, suppress_warnings=True)
    return forecaster


def _last_window(values, t, window):
    """The ``window`` values up to origin t, with their positions as index."""
    start = t - window + 1
    return pd.Series(values[start : t + 1], index=pd.RangeIndex(start, t + 1))


def _out_of_sample(values, window, horizon, train, calibration_fraction):
    """Pooled (y_true, y_pred) of the calibration rows of one training fold."""
    train = np.sort(np.asarray(train))
    n_cal = max(1, int(round(calibration_fraction * len(train))))
    origins = train[-n_cal:]
    forecaster = _fit(values, window, horizon, origins[0] + 1)
    y_true, y_pred = [], []
    for t in origins:
        last = _last_window(values, t, window)
        y_pred.append(forecaster.predict(steps=horizon, last_window=last).to_numpy())
        y_true.append(values[t + 1 : t + horizon + 1])
    return np.concatenate(y_true), np.concatenate(y_pred)


def skforecast_interval_rows(
    values, window, horizon, folds, coverages=(0.8, 0.95), calibration_fraction=0.2
):
    """values: 1-D float ndarray, the series oldest first.
    window: number of lags.
    horizon: 1 or 3 (direct forecasts of steps 1..horizon).
    folds: list of (train, test) integer index arrays over the rows of the
      supervised table: row t has origin value values[t] and targets
      values[t+1 .. t+horizon]; rows are t = 0 .. len(values)-1-horizon.
      The folds come from TimeSeriesSplit(n_splits=3, test_size=T, gap=horizon-1),
      so test[0] = train[-1] + horizon and the last training target is values[test[0]].
    Returns a pandas DataFrame with columns: model, nominal, fold, origin (row t),
      step (1..horizon), y_true (values[t+step]), y_pred, lower, upper.
    """
    values = np.asarray(values, dtype=np.float64)
    steps = np.arange(1, horizon + 1)
    frames = []
    for fold, (train, test) in enumerate(folds):
        y_true, y_pred = _out_of_sample(
            values, window, horizon, train, calibration_fraction
        )
        forecaster = _fit(values, window, horizon, int(np.min(test)) + 1)
        with warnings.catch_warnings():
            for category in warn_skforecast_categories:
                warnings.simplefilter("ignore", category)
            forecaster.set_out_sample_residuals(y_true=y_true, y_pred=y_pred)
        for t in np.sort(np.asarray(test)):
            last = _last_window(values, t, window)
            for model, kwargs in VARIANTS:
                for nominal in coverages:
                    band = forecaster.predict_interval(
                        steps=horizon,
                        last_window=last,
                        interval=nominal,
                        use_binned_residuals=BINNED,
                        suppress_warnings=True,
                        **kwargs,
                    )
                    frames.append(
                        pd.DataFrame(
                            {
                                "model": model,
                                "nominal": nominal,
                                "fold": fold,
                                "origin": int(t),
                                "step": steps,
                                "y_true": values[t + steps],
                                "y_pred": band["pred"].to_numpy(),
                                "lower": band["lower_bound"].to_numpy(),
                                "upper": band["upper_bound"].to_numpy(),
                            }
                        )
                    )
    return pd.concat(frames, ignore_index=True)


def summarize(rows):
    """Coverage and mean width per model, nominal and step."""
    rows = rows.assign(
        covered=(rows["lower"] <= rows["y_true"]) & (rows["y_true"] <= rows["upper"]),
        width=rows["upper"] - rows["lower"],
    )
    keys = ["model", "nominal", "step"]
    return rows.groupby(keys, sort=False)[["covered", "width"]].mean()


if __name__ == "__main__":
    import time

    from sklearn.model_selection import TimeSeriesSplit

    from sklstm.datasets import load_air_passengers

    series = np.log(np.asarray(load_air_passengers(), dtype=np.float64).ravel())
    pd.set_option("display.width", 120)
    for h in (1, 3):
        n_rows = len(series) - h
        cv = TimeSeriesSplit(n_splits=3, test_size=12, gap=h - 1)
        start = time.perf_counter()
        out = skforecast_interval_rows(series, 24, h, list(cv.split(np.zeros(n_rows))))
        seconds = time.perf_counter() - start
        print(f"\nAirPassengers (log), window 24, horizon {h}: {seconds:.1f} s")
        print(summarize(out).round(3).to_string())
