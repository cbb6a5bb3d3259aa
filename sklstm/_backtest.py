"""Time-ordered backtests: one forecast per origin and step, and their errors.

:func:`backtest` refits an estimator on the training rows of each fold of a
time-ordered split and forecasts the test rows from the history they really
had; :func:`backtest_report` sums the errors up per step ahead (MAE, RMSE and
MASE).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit
from sklearn.utils.validation import check_consistent_length

from ._forecasting import _context_length
from ._panel_split import PanelSplit
from ._validation import _num_samples, is_int

__all__ = ["backtest", "backtest_report"]

_STEP_NAME = re.compile(r"_t\+(\d+)$")


def backtest(estimator, X, y, *, cv=None, horizon=None, season=1, params=None):
    """Forecast every test row of a time-ordered split from its real history.

    For each fold of ``cv``, a clone of ``estimator`` is fitted on the
    training rows and forecasts the test rows. The forecasts are made from
    the rows up to the end of the test fold (only the last ``window - 1``
    before it for a pipeline with a :class:`~sklstm.SequenceWindower`) and the
    test rows are kept, so every test row's window holds the observations
    that preceded it, whether or not the windower remembers its training
    data. Inputs are observed before the rows they precede, so nothing leaks;
    the ``gap`` of a splitter keeps overlapping *labels* out of training, and
    the rows in a gap still serve as inputs, as they would in production.

    Parameters
    ----------
    estimator : estimator
        Unfitted estimator, e.g. a pipeline from
        :func:`~sklstm.make_lstm_pipeline`; it is cloned for each fold.

    X : array-like of shape (n_samples, n_features)
        Time-ordered inputs, oldest first, as :func:`~sklstm.make_supervised`
        returns them. A pandas index (integers or a
        :class:`~pandas.DatetimeIndex`) dates the forecasts.

    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Targets aligned with ``X``: one column per horizon for a direct
        multi-step forecast.

    cv : int, cross-validation generator or iterable, default=None
        Time-ordered split: None for ``TimeSeriesSplit()`` (5 folds), an int
        for ``TimeSeriesSplit(n_splits=cv)``, a splitter such as
        ``TimeSeriesSplit(n_splits=3, test_size=90, gap=6)``, or an iterable
        of ``(train, test)`` index arrays. Every training row must precede
        every test row of its fold. A :class:`~sklstm.PanelSplit` is accepted
        over one series (one row per time) and refused over a panel.

    horizon : int, sequence of int or None, default=None
        How many rows ahead each column of ``y`` lies (the ``horizon`` given to
        :func:`~sklstm.make_supervised`). None reads it from column names
        ending in ``_t+{h}`` (as ``make_supervised`` names several horizons),
        else takes ``1, ..., n_outputs``.

    season : int, default=1
        Season ``m`` of the seasonal naive forecast that scales the errors for
        MASE: ``mase_scale`` is its in-sample MAE on the training targets of
        the fold. 1 (the naive forecast) is the usual choice for data without
        a cycle.

    params : dict or None, default=None
        Parameters passed to the ``fit`` of each clone, e.g.
        ``{"regressor__verbose": 0}`` for a pipeline. Arrays with one value
        per row of ``X`` (such as ``regressor__sample_weight``) are cut to the
        training rows of each fold.

    Returns
    -------
    results : DataFrame
        One row per test origin and output, ordered by fold, origin and step,
        with the columns:

        - ``fold``: the fold, from 0;
        - ``origin``: the index label (position, for NumPy ``X``) of the row
          whose window made the forecast;
        - ``step``: how many rows after the origin the target lies;
        - ``target_time``: ``origin + step``, in the units of the index (for a
          DatetimeIndex, ``step`` times its frequency; NaT, with a warning,
          when it has none);
        - ``y_true`` and ``y_pred``: the target and its forecast;
        - ``mase_scale``: the fold's in-sample seasonal-naive MAE, mean of
          ``|y[t] - y[t - season]|`` over consecutive training targets of the
          same output (NaN when the training targets are constant or shorter
          than a season);
        - ``lower``, ``upper`` and ``nominal_coverage``, when the estimator
          has ``predict_interval`` (e.g. :class:`~sklstm.ConformalForecaster`):
          its interval at its own ``coverage``, which
          :func:`backtest_report` sums up as coverage and interval score.

    See Also
    --------
    backtest_report : Errors per step ahead: MAE, RMSE, MASE.
    sklearn.model_selection.cross_val_predict : Predicts each test fold alone.
    sklstm.NaiveRegressor : Baselines to backtest in the same way.

    Notes
    -----
    With a horizon ``h > 1`` neighbouring targets overlap, so leave a gap of
    ``h - 1`` rows (``TimeSeriesSplit(gap=h - 1)``) to keep test labels out of
    training.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import TimeSeriesSplit
    >>> from sklstm import backtest, backtest_report, make_lstm_pipeline
    >>> from sklstm import make_supervised
    >>> days = pd.date_range("2024-01-01", periods=200, freq="D")
    >>> noise = np.random.default_rng(0).normal(scale=0.1, size=200)
    >>> series = pd.Series(np.sin(np.arange(200) / 5) + noise, index=days, name="y")
    >>> X, y = make_supervised(series, horizon=range(1, 4))
    >>> pipe = make_lstm_pipeline(10, Ridge(), fill_value=0.0)
    >>> cv = TimeSeriesSplit(n_splits=3, test_size=30, gap=2)
    >>> results = backtest(pipe, X, y, cv=cv)
    >>> results[["fold", "origin", "step", "target_time"]].head(4)
       fold     origin  step target_time
    0     0 2024-04-17     1  2024-04-18
    1     0 2024-04-17     2  2024-04-19
    2     0 2024-04-17     3  2024-04-20
    3     0 2024-04-18     1  2024-04-19
    >>> len(results)  # 3 folds x 30 origins x 3 steps
    270
    >>> backtest_report(results).round(3)
            MAE   RMSE   MASE   n
    step
    1     0.086  0.114  0.541  90
    2     0.083  0.111  0.529  90
    3     0.088  0.117  0.558  90
    """
    n_samples = _num_samples(X)
    check_consistent_length(X, y)
    if not is_int(season, 1):
        raise ValueError(f"backtest expected season as an int >= 1; got {season!r}.")
    Y = np.asarray(y, dtype=np.float64).reshape(n_samples, -1)
    steps = _steps(y, Y.shape[1], horizon)
    index = X.index if isinstance(X, pd.DataFrame | pd.Series) else None
    if index is None:
        index = pd.RangeIndex(n_samples)
    context = _context_length(estimator)
    params = {} if params is None else params
    frames = []
    for fold, (train, test) in enumerate(_folds(cv, X, y)):
        fit_params = {
            key: _take(value, train) if _per_row(value, n_samples) else value
            for key, value in params.items()
        }
        model = clone(estimator).fit(_take(X, train), _take(y, train), **fit_params)
        stop = int(test.max()) + 1
        start = 0 if context is None else max(0, int(test.min()) - context + 1)
        history = _take(X, np.arange(start, stop))
        pred = np.asarray(model.predict(history), dtype=np.float64)
        pred = pred.reshape(stop - start, -1)[test - start]
        if pred.shape[1] != Y.shape[1]:
            raise ValueError(
                f"backtest expected {Y.shape[1]} output(s) per row from the "
                f"estimator, as in y; its predict returned {pred.shape[1]}."
            )
        if np.isnan(pred).any():
            warnings.warn(
                f"backtest: fold {fold} has {np.count_nonzero(np.isnan(pred))} "
                f"NaN forecast(s); they count in no error of backtest_report.",
                UserWarning,
                stacklevel=2,
            )
        n_test, n_outputs = pred.shape
        frame = pd.DataFrame(
            {
                "fold": fold,
                "origin": np.repeat(index[test], n_outputs),
                "step": np.tile(steps, n_test),
                "target_time": _target_times(index, test, steps),
                "y_true": Y[test].ravel(),
                "y_pred": pred.ravel(),
                "mase_scale": np.tile(_naive_mae(Y[train], season), n_test),
            }
        )
        if hasattr(model, "predict_interval"):
            bounds = np.asarray(model.predict_interval(history), dtype=np.float64)
            bounds = bounds.reshape(stop - start, -1, 2)[test - start]
            frame["lower"] = bounds[..., 0].ravel()
            frame["upper"] = bounds[..., 1].ravel()
            frame["nominal_coverage"] = model.get_params()["coverage"]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def backtest_report(results, *, by="step"):
    """Sum up the errors of a backtest per step ahead: MAE, RMSE and MASE.

    Parameters
    ----------
    results : DataFrame
        The output of :func:`backtest` (columns ``step``, ``y_true``,
        ``y_pred`` and ``mase_scale`` at least, and those named in ``by``).

    by : str or list of str, default="step"
        Columns to group by, e.g. ``["fold", "step"]`` for one row per fold
        and step.

    Returns
    -------
    report : DataFrame
        One row per group, with the columns ``MAE`` (mean absolute error),
        ``RMSE`` (root mean squared error), ``MASE`` (mean absolute scaled
        error) and ``n`` (the number of forecasts); with intervals in
        ``results`` (columns ``lower``, ``upper``, ``nominal_coverage``), also
        ``coverage`` (the fraction of targets inside their interval) and
        ``interval_score`` (Winkler's, see :func:`~sklstm.interval_score`).

    See Also
    --------
    backtest : Make the forecasts.

    Notes
    -----
    MASE is the mean of ``|y_true - y_pred| / mase_scale``: each error is
    scaled by the in-sample MAE of the seasonal naive forecast (season as
    given to :func:`backtest`) on the training targets of its fold [1]_.
    Below 1, the forecasts beat, out of sample, what the seasonal naive
    achieved in sample; the naive forecast itself scores close to 1 at step 1
    and usually above it further ahead. NaN forecasts are left out.

    References
    ----------
    .. [1] Hyndman, R. J. and Koehler, A. B. (2006). Another look at measures
           of forecast accuracy. *International Journal of Forecasting*,
           22(4), 679-688.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm import backtest_report
    >>> results = pd.DataFrame(
    ...     {
    ...         "step": [1, 2, 1, 2],
    ...         "y_true": [1.0, 2.0, 3.0, 4.0],
    ...         "y_pred": [1.5, 2.0, 2.0, 5.0],
    ...         "mase_scale": [1.0, 1.0, 2.0, 2.0],
    ...     }
    ... )
    >>> backtest_report(results)
           MAE      RMSE  MASE  n
    step
    1     0.75  0.790569  0.50  2
    2     0.50  0.707107  0.25  2
    """
    keys = [by] if isinstance(by, str) else list(by)
    missing = [
        name
        for name in [*keys, "y_true", "y_pred", "mase_scale"]
        if name not in results.columns
    ]
    if missing:
        raise ValueError(
            f"backtest_report expected the output of backtest, with the "
            f"column(s) {missing!r}; got columns {list(results.columns)!r}."
        )
    error = results["y_pred"] - results["y_true"]
    scale = results["mase_scale"].where(results["mase_scale"] > 0)
    frame = pd.DataFrame(
        {"abs": error.abs(), "sq": error**2, "scaled": error.abs() / scale}
    )
    frame[keys] = results[keys]
    frame["counted"] = error.notna()
    groups = frame.groupby(keys)
    report = pd.DataFrame(
        {
            "MAE": groups["abs"].mean(),
            "RMSE": np.sqrt(groups["sq"].mean()),
            "MASE": groups["scaled"].mean(),
            "n": groups["counted"].sum().astype(int),
        }
    )
    if {"lower", "upper", "nominal_coverage"} <= set(results.columns):
        y, lower, upper = results["y_true"], results["lower"], results["upper"]
        alpha = 1.0 - results["nominal_coverage"]
        frame["inside"] = ((y >= lower) & (y <= upper)).astype(float)
        frame["winkler"] = (
            (upper - lower)
            + 2.0 / alpha * (lower - y).clip(lower=0)
            + 2.0 / alpha * (y - upper).clip(lower=0)
        )
        groups = frame.groupby(keys)
        report["coverage"] = groups["inside"].mean()
        report["interval_score"] = groups["winkler"].mean()
    return report


def _folds(cv, X, y):
    """The ``(train, test)`` index arrays of ``cv``, checked for time order."""
    if cv is None:
        cv = TimeSeriesSplit()
    elif is_int(cv):
        cv = TimeSeriesSplit(n_splits=int(cv))
    splittable = hasattr(cv, "split") or hasattr(cv, "__iter__")
    if isinstance(cv, str | bytes) or not splittable:
        raise ValueError(
            f"backtest expected cv as None, an int, a splitter such as "
            f"TimeSeriesSplit(...) or an iterable of (train, test) arrays; "
            f"got {cv!r}."
        )
    if isinstance(cv, PanelSplit):
        _check_one_series(cv, X)
    folds = cv.split(X, y) if hasattr(cv, "split") else cv
    for fold, (train, test) in enumerate(folds):
        train = np.sort(np.asarray(train, dtype=np.int64))
        test = np.sort(np.asarray(test, dtype=np.int64))
        if len(train) == 0 or len(test) == 0:
            raise ValueError(
                f"backtest expected training and test rows in every fold; fold "
                f"{fold} has {len(train)} training and {len(test)} test rows."
            )
        if train[-1] >= test[0]:
            raise ValueError(
                f"backtest expected time-ordered folds, every training row "
                f"before every test row; fold {fold} trains on row {train[-1]} "
                f"and tests on row {test[0]}. Use TimeSeriesSplit: a shuffled "
                f"or K-fold split trains on the future."
            )
        yield train, test


def _check_one_series(cv, X):
    """Refuse a panel: backtest's windows run over consecutive rows."""
    codes, n_times = cv._time_codes(X)
    if n_times < len(codes):
        counts = np.bincount(codes)
        row = int(np.flatnonzero(codes == np.argmax(counts))[0])
        time = cv._read_times(X)[0][row]
        raise ValueError(
            f"backtest expected one series, one row per time; got cv={cv!r} "
            f"over a panel of {len(codes)} rows at {n_times} distinct times "
            f"(time {time} has {counts.max()} rows). Its forecasts would "
            f"read windows across series. Backtest each series alone (its rows, "
            f"oldest first), or score a model on the whole panel with "
            f"cross_val_score(estimator, X, y, cv=PanelSplit(...))."
        )


def _take(data, rows):
    """Rows of an array or pandas object; a slice when they are contiguous."""
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        rows = slice(int(rows[0]), int(rows[-1]) + 1)  # keeps a DatetimeIndex's freq
    if isinstance(data, pd.DataFrame | pd.Series):
        return data.iloc[rows]
    return np.asarray(data)[rows]


def _per_row(value, n_samples):
    """Whether a fit parameter holds one value per row (an array or pandas)."""
    shape = getattr(value, "shape", None)
    return shape is not None and len(shape) >= 1 and shape[0] == n_samples


def _steps(y, n_outputs, horizon):
    """How many rows ahead each column of ``y`` lies."""
    if horizon is None:
        names = [str(c) for c in getattr(y, "columns", [])]
        found = [_STEP_NAME.search(name) for name in names]
        if names and all(found):
            return np.array([int(m.group(1)) for m in found])
        return np.arange(1, n_outputs + 1)
    steps = [horizon] if is_int(horizon) else list(np.ravel(horizon))
    if len(steps) != n_outputs or not all(is_int(h, 1) for h in steps):
        raise ValueError(
            f"backtest expected horizon as an int >= 1 or a sequence of them, "
            f"one per column of y ({n_outputs}); got {horizon!r}."
        )
    return np.array(steps, dtype=np.int64)


def _target_times(index, rows, steps):
    """``origin + step`` for each test row and step, origin-major."""
    origins = index[rows]
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (
            pd.DatetimeIndex(index, freq="infer").freq if len(index) >= 3 else None
        )
        if freq is None:
            warnings.warn(
                "backtest: the DatetimeIndex of X has no regular frequency, so "
                "target_time is NaT; give it one, e.g. X.asfreq('D').",
                UserWarning,
                stacklevel=3,
            )
            return pd.NaT
        offset = pd.tseries.frequencies.to_offset(freq)
        times = [origins + int(h) * offset for h in steps]
    elif isinstance(index, pd.PeriodIndex) or pd.api.types.is_integer_dtype(index):
        times = [origins + int(h) for h in steps]
    else:
        warnings.warn(
            f"backtest: X's index of dtype {index.dtype} has no arithmetic, so "
            f"target_time is missing; use integer positions or a DatetimeIndex.",
            UserWarning,
            stacklevel=3,
        )
        return None
    # Columns are steps; rows are origins: read them origin by origin.
    return pd.Index(
        np.column_stack([np.asarray(t, dtype=object) for t in times]).ravel(),
        dtype=index.dtype,
    )


def _naive_mae(Y, season):
    """In-sample MAE of the seasonal naive forecast, per output (NaN if none)."""
    if len(Y) <= season:
        return np.full(Y.shape[1], np.nan)
    mae = np.nanmean(np.abs(Y[season:] - Y[:-season]), axis=0)
    return np.where(mae > 0, mae, np.nan)
