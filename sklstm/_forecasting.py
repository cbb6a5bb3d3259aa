"""Forecasting helpers: the standard pipeline and recursive multi-step forecasts."""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags

from ._known_future import future_table, lead_name
from ._panels import SeriesScaler, series_shorter_than
from ._validation import is_int
from ._windowing import SequenceWindower

__all__ = ["make_lstm_pipeline", "recursive_forecast"]


def make_lstm_pipeline(
    window,
    regressor=None,
    *,
    scaler="standard",
    fill_value="auto",
    known_future=None,
    series_id=None,
    static_id=False,
):
    """The standard leakage-safe LSTM pipeline: scale, window, regress.

    Parameters
    ----------
    window : int
        Look-back length of the windows (time steps per sample).

    regressor : estimator or None, default=None
        The model that reads the windows. None means
        ``LSTMRegressor()`` with its defaults. It is cloned. A regressor that
        takes no 3-D input (per its tags), e.g. ``Ridge()``, gets the flattened
        lag matrix (``SequenceWindower(flatten=True)``).

    scaler : "standard", transformer or None, default="standard"
        Scaling of the features, fitted on the training rows of each fit (of
        each cross-validation fold): ``"standard"`` for
        :class:`~sklearn.preprocessing.StandardScaler` (with ``series_id``,
        none: see ``series_id``), any transformer (it is
        cloned), or None for no scaling. Its output is set to pandas
        (``set_output(transform="pandas")``) when it offers ``set_output``, so
        that the index of ``X`` reaches the windower (see Notes).

    fill_value : float or "auto", default="auto"
        Value of the steps never observed before a row. "auto" means NaN for a
        regressor that accepts missing values (per its tags: the sklstm
        regressors mask NaN steps, :class:`~sklstm.NaiveRegressor` skips them)
        and 0.0 for one that does not, e.g. ``Ridge()``.

    known_future : list of str or None, default=None
        The columns declared known in advance to :func:`make_supervised`,
        whose lead columns ``X`` holds: the windower appends them to each
        window as forecast steps and the regressor reads them
        (``known_future=True`` is set on it); a tabular regressor gets them
        as plain columns after the lags. See :ref:`known-future`.

        .. versionadded:: 0.1

    series_id : str or None, default=None
        The series id column of a panel (see :func:`make_supervised`): each
        series is windowed apart. ``scaler="standard"`` then means no scaler
        and an sklstm regressor's ``normalize="auto"`` becomes ``"window"``:
        each window is read relative to its last value and in units of its
        own spread, so one network serves series of any level and scale; a
        regressor that does not (e.g. ``Ridge()``) can be wrapped in
        :class:`~sklstm.SeriesScaledRegressor` with ``scaler=None``.
        ``scaler=SeriesScaler(...)`` is refused: it scales each series'
        inputs but leaves ``y`` in its units, so no regressor after it could
        map its forecasts back per series; wrap the pipeline in
        :class:`~sklstm.SeriesScaledRegressor` for that. See :ref:`panels`.

        .. versionadded:: 0.1

    static_id : bool, default=False
        With ``series_id``: also give the regressor each series' id, one-hot,
        as a static input (``SequenceWindower(static_id=True)``), so that one
        global network can learn what sets each series apart. See
        :ref:`panels`.

        .. versionadded:: 0.1

    Returns
    -------
    pipeline : Pipeline
        Steps ``"scaler"`` (if any), ``"windower"`` and ``"regressor"``, so
        that searches address e.g. ``windower__window`` and
        ``regressor__units``.

    See Also
    --------
    make_supervised : Build ``X`` and ``y`` from a series first.

    Notes
    -----
    Pass ``X`` as a DataFrame with a regular index (as
    :func:`make_supervised` returns it): the windower then remembers the end
    of the training rows and windows rows that continue them (a
    :class:`~sklearn.model_selection.TimeSeriesSplit` test fold,
    ``X.iloc[[-1]]``) with the history before them. A scaler without
    ``set_output`` that returns an array drops the index, and with it that
    memory: every call of ``predict`` is then windowed on its own rows.

    ``set_output(transform="pandas")`` on the pipeline is allowed; the
    windows fed to an LSTM stay a 3-D array.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import make_lstm_pipeline
    >>> pipe = make_lstm_pipeline(24, Ridge())
    >>> [name for name, _ in pipe.steps]
    ['scaler', 'windower', 'regressor']
    >>> pipe.named_steps["windower"].fill_value  # Ridge takes no NaN
    0.0
    """
    if regressor is None:
        from ._regressors import LSTMRegressor

        regressor = LSTMRegressor()
    else:
        regressor = clone(regressor)
    steps = []
    if isinstance(scaler, str):
        if scaler != "standard":
            raise ValueError(
                f"make_lstm_pipeline expected scaler='standard', a transformer "
                f"or None; got {scaler!r}."
            )
        if series_id is None:
            steps.append(("scaler", StandardScaler().set_output(transform="pandas")))
    elif scaler is not None:
        if isinstance(scaler, SeriesScaler):
            raise ValueError(
                f"make_lstm_pipeline got scaler={scaler!r}, which scales each "
                f"series' inputs but not y: no regressor after it can map its "
                f"forecasts back to each series' units. For a panel "
                f"(series_id=...) keep the default scaler='standard', which "
                f"adds no scaler (an sklstm regressor reads each window in its "
                f"own level and scale), or scale inputs and target per series "
                f"around the pipeline: SeriesScaledRegressor(make_lstm_pipeline("
                f"..., series_id={scaler.series_id!r}, scaler=None), "
                f"{scaler.series_id!r}, target=<the target column>)."
            )
        scaler = clone(scaler)
        if hasattr(scaler, "set_output"):
            # Keep the index of X: the windower reads positions from it.
            scaler.set_output(transform="pandas")
        steps.append(("scaler", scaler))
    if (
        series_id is not None
        and regressor.get_params(deep=False).get("normalize") == "auto"
    ):
        regressor.set_params(normalize="window")
    # A tabular regressor (no 3-D input) gets the flattened lag matrix.
    tags = get_tags(regressor)
    flatten = not tags.input_tags.three_d_array
    if isinstance(fill_value, str):
        if fill_value != "auto":
            raise ValueError(
                f"make_lstm_pipeline expected fill_value as a float or 'auto'; "
                f"got {fill_value!r}."
            )
        fill_value = np.nan if tags.input_tags.allow_nan else 0.0
    if known_future is not None and not flatten:
        if "known_future" not in regressor.get_params(deep=False):
            raise ValueError(
                f"make_lstm_pipeline got known_future={known_future!r}, but "
                f"{type(regressor).__name__} takes windows without a "
                f"known_future parameter, so it cannot read the forecast steps. "
                f"Use an sklstm regressor, a tabular regressor (it gets the "
                f"lead columns as plain columns), or leave known_future=None."
            )
        regressor.set_params(known_future=True)
    windower = SequenceWindower(
        window,
        fill_value=fill_value,
        flatten=flatten,
        known_future=known_future,
        series_id=series_id,
        static_id=static_id,
    )
    steps.append(("windower", windower))
    steps.append(("regressor", regressor))
    return Pipeline(steps)


def _windowers(estimator):
    """The :class:`SequenceWindower` steps of a pipeline.

    A meta-estimator (e.g. :class:`~sklstm.ConformalForecaster`) is looked
    into: its fitted ``estimator_``, else its ``estimator``.
    """
    while not isinstance(estimator, Pipeline) and hasattr(estimator, "estimator"):
        estimator = getattr(estimator, "estimator_", estimator.estimator)
    steps = estimator.steps if isinstance(estimator, Pipeline) else []
    return [step for _, step in steps if isinstance(step, SequenceWindower)]


def _context_length(estimator):
    """Rows of history the estimator reads: the largest windower's window."""
    windows = [windower.window for windower in _windowers(estimator)]
    return max(windows) if windows else None


def _series_id_of(estimator):
    """The series id column of a panel pipeline, or None."""
    for windower in _windowers(estimator):
        if getattr(windower, "series_id", None) is not None:
            return windower.series_id
    return None


def _forecast_panel(estimator, history, series_id, *, future, **kwargs):
    """:func:`forecast` for each series of a panel, as one long table."""
    if series_id not in history.columns:
        raise ValueError(
            f"forecast expected the history of a panel with its series id "
            f"column {series_id!r}; got columns {list(history.columns)!r}."
        )
    if isinstance(future, pd.DataFrame) and series_id not in future.columns:
        raise ValueError(
            f"forecast expected future for a panel with the series id column "
            f"{series_id!r} (the known values of each series at its target "
            f"times); got columns {list(future.columns)!r}."
        )
    one = {k: v for k, v in kwargs.items() if k != "origins"}
    window = _context_length(estimator) or 1
    short = series_shorter_than(history, series_id, window)
    if kwargs.get("origins") is None and len(short):
        listed = ", ".join(f"{k!r} ({n})" for k, n in short.iloc[:5].items())
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        raise ValueError(
            f"forecast expected at least {window} row(s) of history for every "
            f"series of the panel (the window of the fitted pipeline), so that "
            f"each forecast origin's window is observed; {len(short)} series "
            f"have fewer (rows): {listed}{more}. Pass more history for them, "
            f"or leave them out of history."
        )
    tables = []
    for key, rows in history.groupby(series_id, sort=False):
        own = future
        if isinstance(future, pd.DataFrame):
            own = future[future[series_id] == key].drop(columns=series_id)
        origins = kwargs.get("origins")
        if origins is not None:
            # Each series from the origins it has (the series may be ragged).
            origins = [o for o in pd.unique(np.asarray(origins)) if o in rows.index]
            if not origins:
                continue
        ahead = (
            _forecast_origins(estimator, rows, origins, future=own, **one)
            if origins is not None
            else _forecast_one(estimator, rows, future=own, **one)
        )
        table = ahead.to_frame() if isinstance(ahead, pd.Series) else ahead
        if "origin" not in table.columns:
            table = table.rename(columns={table.columns[0]: "forecast"})
            table.insert(0, "target_time", table.index)
            table = table.reset_index(drop=True)
        table.insert(0, series_id, key)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def _known_future_of(estimator):
    """The declared known-future columns and their steps, or None."""
    for windower in _windowers(estimator):
        if windower.known_future is not None and hasattr(windower, "lead_steps_"):
            return list(windower.known_future), windower.lead_steps_
    return None


def _with_leads(estimator, rows, future):
    """``rows`` with the lead columns of a known-future model, from ``future``.

    The last row (the forecast origin) gets the values of ``future`` at its
    target times. The rows before it only give it their history (their own
    forecasts are not used); they get the same values, so that a regressor
    that takes no NaN reads them.
    """
    known = _known_future_of(estimator)
    if known is None:
        if future is not None:
            raise ValueError(
                f"forecast got future=..., but {type(estimator).__name__} was "
                f"fitted without covariates known in advance, so it has no use "
                f"for them. Declare them: make_supervised(..., known_future=[...]) "
                f"and make_lstm_pipeline(window, known_future=[...])."
            )
        return rows, None
    declared, steps = known
    times = _future_index(getattr(rows, "index", None), len(rows), steps)
    if future is None:
        raise ValueError(
            f"forecast expected future=, a DataFrame indexed by the target times "
            f"{list(map(str, times[:3]))}{' ...' if len(times) > 3 else ''} "
            f"holding {declared!r}: {type(estimator).__name__} was fitted with "
            f"these covariates known in advance and needs their values at "
            f"every forecast step."
        )
    table = future_table("forecast", future, declared, times)
    names = [lead_name(name, h) for h in steps for name in declared]
    rows = rows.drop(columns=[c for c in names if c in rows.columns])
    values = table.to_numpy(dtype=np.float64).ravel()
    leads = pd.DataFrame(
        np.broadcast_to(values, (len(rows), len(values))), rows.index, names
    )
    rows = pd.concat([rows, leads], axis=1)
    order = getattr(estimator, "feature_names_in_", None)
    if order is not None and set(order) == set(rows.columns):
        rows = rows[list(order)]
    return rows, steps


def recursive_forecast(estimator, history, steps):
    """Forecast ``steps`` values ahead by feeding predictions back as inputs.

    The tutorial's "predict the next value", extended: a fitted one-step
    model of a single series (rows ``(n_samples, 1)`` in, the next value out,
    e.g. a pipeline from :func:`make_lstm_pipeline` fitted on
    ``make_supervised(series)``) predicts the value after ``history``, appends
    it, and repeats.

    Parameters
    ----------
    estimator : fitted estimator
        One-step forecaster of a univariate series: ``predict`` takes rows of
        shape ``(n_samples, 1)`` and returns the next value of each row.

    history : array-like of shape (n_samples,) or (n_samples, 1)
        The observed series, oldest first. Only its last ``window`` rows are
        read when the estimator is a pipeline with a
        :class:`SequenceWindower`.

    steps : int
        Number of future values to forecast.

    Returns
    -------
    forecast : ndarray of shape (steps,) or Series
        The forecasts. A Series with a continued index when ``history`` is a
        Series whose DatetimeIndex has a frequency.

    Notes
    -----
    Errors compound: each forecast rests on earlier forecasts. For a fixed
    horizon, a direct model (``make_supervised(..., horizon=range(1, h + 1))``)
    is often more accurate.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import make_lstm_pipeline, make_supervised, recursive_forecast
    >>> series = np.arange(50.0)
    >>> X, y = make_supervised(series)
    >>> pipe = make_lstm_pipeline(3, Ridge(alpha=1e-6), fill_value=0.0).fit(X, y)
    >>> recursive_forecast(pipe, series, steps=3).round(3)
    array([50., 51., 52.])
    """
    if not is_int(steps, 1):
        raise ValueError(
            f"recursive_forecast expected steps as an int >= 1; got {steps!r}."
        )
    values = np.asarray(history, dtype=np.float64)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"recursive_forecast expected a non-empty univariate history of "
            f"shape (n_samples,) or (n_samples, 1); got shape "
            f"{np.shape(history)}. For several features, forecast directly with "
            f"make_supervised(..., horizon=range(1, h + 1))."
        )
    context = _context_length(estimator) or values.size
    names = getattr(estimator, "feature_names_in_", None)  # fitted on a DataFrame
    buffer = np.concatenate([values[-context:], np.empty(steps)])
    start = buffer.size - steps
    for k in range(steps):
        rows = buffer[max(0, start + k - context) : start + k, None]
        if names is not None:
            rows = pd.DataFrame(rows, columns=names)
        pred = np.asarray(estimator.predict(rows), dtype=np.float64)
        if pred.ndim == 2 and pred.shape[1] != 1:
            raise ValueError(
                f"recursive_forecast expected a one-step estimator; its predict "
                f"returned {pred.shape[1]} outputs per row. A multi-output "
                f"(direct) model already forecasts every horizon from the last "
                f"row of the history: sklstm.forecast(estimator, history)."
            )
        buffer[start + k] = pred.reshape(len(rows), -1)[-1, 0]
    forecast = buffer[start:].copy()
    index = getattr(history, "index", None)
    if isinstance(index, pd.DatetimeIndex) and index.freq is not None:
        future = pd.date_range(index[-1], periods=steps + 1, freq=index.freq)[1:]
        return pd.Series(forecast, index=future, name=history.name)
    return forecast


def _future_index(index, n_rows, horizons):
    """The target times of ``horizons`` steps after the last row of ``index``."""
    if isinstance(index, pd.DatetimeIndex) and len(index) >= 3:
        # freq="infer" rather than pd.infer_freq, which warns under pandas 3.
        freq = index.freq or pd.DatetimeIndex(index, freq="infer").freq
        if freq is not None:
            offset = pd.tseries.frequencies.to_offset(freq)
            if list(horizons) == list(range(1, len(horizons) + 1)):
                return pd.date_range(
                    index[-1] + offset, periods=len(horizons), freq=offset
                )
            return pd.DatetimeIndex([index[-1] + h * offset for h in horizons])
    if index is not None and pd.api.types.is_integer_dtype(index):
        return pd.Index([int(index[-1]) + h for h in horizons])
    return pd.RangeIndex(n_rows, n_rows + max(horizons))[[h - 1 for h in horizons]]


def forecast(
    estimator,
    history,
    *,
    steps=None,
    horizons=None,
    coverage=None,
    origins=None,
    future=None,
):
    """Forecast from the end of ``history``: one value per step ahead.

    The last row of ``history`` is the forecast origin; its window is read
    with its real history (the rows before it in ``history``). A direct
    model (fitted on ``make_supervised(..., horizon=range(1, h + 1))``, one
    output per step) gives every step from that one window; a one-step model
    of a single series is rolled forward ``steps`` times, each forecast fed
    back as the next input.

    Parameters
    ----------
    estimator : fitted estimator
        A fitted pipeline (e.g. from :func:`make_lstm_pipeline`) or regressor
        whose ``predict`` takes rows of ``history``.

    history : DataFrame, Series or array-like of shape (n_samples, n_features)
        The observed rows, oldest first, with the columns of the ``X`` the
        estimator was fitted on. At least the window of the pipeline's
        :class:`SequenceWindower`.

    steps : int or None, default=None
        Steps ahead for a one-step model (rolled forward recursively; a single
        series only). None means one step, or, for a direct model, its
        outputs.

    horizons : sequence of int or None, default=None
        The steps ahead of a direct model's outputs, as given to
        :func:`make_supervised`; None means ``1, 2, ..., n_outputs``.

    coverage : float or None, default=None
        Also return a prediction interval of this nominal coverage (strictly
        between 0 and 1), from the estimator's ``predict_interval``, e.g. a
        :class:`~sklstm.ConformalForecaster`. Direct (or one-step) models
        only: intervals of a recursion would ignore the compounding errors.

        .. versionadded:: 0.1

    origins : array-like of index labels or None, default=None
        Forecast from each of these rows of ``history`` (labels of its
        index), each from the rows up to it, as if the data ended there.
        None forecasts from the last row only.

        .. versionadded:: 0.1

    future : DataFrame, callable or None, default=None
        For a model fitted with covariates known in advance
        (``make_supervised(..., known_future=[...])``): their values at the
        forecast's target times, as a DataFrame indexed by exactly those
        times (a missing, duplicated or extra timestamp, or a NaN, is an
        error that names it), or a callable that returns one for the index
        of target times (e.g. ``sklstm.calendar_features``). The history
        needs no lead columns. With ``origins``, the values come from the
        history itself where it reaches the target times, then from
        ``future``. See :ref:`known-future`.

        .. versionadded:: 0.1

    Returns
    -------
    forecast : Series or DataFrame
        One value per step ahead, indexed by the target times: timestamps
        for a DatetimeIndex with a (given or inferred) frequency, integer
        positions after the last label for an integer index, else positions
        counted from the start of ``history``. With ``coverage``, a DataFrame
        with the forecast's column and ``lower`` and ``upper``. For a quantile
        regressor (``quantiles=`` on an sklstm regressor), a DataFrame with the
        forecast (the median) and one column per quantile, ``q0.05``,
        ``q0.5``, ... For a panel, one long table: the series id,
        ``target_time``, ``forecast`` and the other columns. With
        ``origins``, one long DataFrame: ``origin``, ``step``,
        ``target_time``, ``forecast`` (and ``lower``, ``upper``).

    See Also
    --------
    recursive_forecast : The recursion alone, on a NumPy series.
    make_supervised : Build the targets of a direct multi-step model.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import forecast, make_lstm_pipeline, make_supervised
    >>> days = pd.date_range("2024-01-01", periods=60, freq="D")
    >>> series = pd.Series(np.arange(60.0), index=days, name="level")
    >>> X, y = make_supervised(series.to_frame(), horizon=range(1, 4))
    >>> pipe = make_lstm_pipeline(5, Ridge(alpha=1e-6), fill_value=0.0).fit(X, y)
    >>> forecast(pipe, series.to_frame()).round(2)
    2024-03-01    60.0
    2024-03-02    61.0
    2024-03-03    62.0
    Freq: D, Name: level, dtype: float64

    With an interval (the estimator needs ``predict_interval``):

    >>> from sklstm import ConformalForecaster
    >>> model = ConformalForecaster(pipe, coverage=0.8).fit(X, y)
    >>> forecast(model, series.to_frame(), coverage=0.8).columns.tolist()
    ['level', 'lower', 'upper']
    """
    series_id = _series_id_of(estimator)
    if series_id is not None and isinstance(history, pd.DataFrame):
        return _forecast_panel(
            estimator, history, series_id, steps=steps, horizons=horizons,
            coverage=coverage, origins=origins, future=future,
        )  # fmt: skip
    if origins is not None:
        return _forecast_origins(
            estimator, history, origins, steps=steps, horizons=horizons,
            coverage=coverage, future=future,
        )  # fmt: skip
    return _forecast_one(
        estimator, history, steps=steps, horizons=horizons, coverage=coverage,
        future=future,
    )  # fmt: skip


def _forecast_one(estimator, history, *, steps, horizons, coverage, future):
    """:func:`forecast` from the last row of one series' ``history``."""
    rows = history if hasattr(history, "iloc") else np.asarray(history)
    if isinstance(rows, pd.Series):
        rows = rows.to_frame()
    elif not hasattr(rows, "iloc"):
        rows = rows.reshape(len(rows), -1) if rows.ndim < 2 else rows
        names = getattr(estimator, "feature_names_in_", None)
        rows = pd.DataFrame(rows, columns=names)
    window = _context_length(estimator) or 1
    if len(rows) < window:
        raise ValueError(
            f"forecast expected a history of at least {window} row(s), the "
            f"window of the fitted pipeline, so that the forecast origin's "
            f"window is observed; got {len(rows)} row(s). Pass more history "
            f"(the rows before the origin)."
        )
    if steps is not None and not is_int(steps, 1):
        raise ValueError(
            f"forecast expected steps as an int >= 1 or None; got {steps!r}."
        )
    rows, lead_steps = _with_leads(estimator, rows, future)
    if lead_steps is not None and horizons is None:
        horizons = lead_steps
    if coverage is not None and not hasattr(estimator, "predict_interval"):
        raise ValueError(
            f"forecast got coverage={coverage!r}, but {type(estimator).__name__} "
            f"has no predict_interval, so it gives no interval. Wrap it: "
            f"sklstm.ConformalForecaster(estimator, coverage={coverage!r})."
        )
    last = np.asarray(estimator.predict(rows.iloc[-window:]), dtype=np.float64)[-1]
    values = np.atleast_1d(last)
    name = history.name if isinstance(history, pd.Series) else None
    if coverage is not None and values.size == 1 and steps not in (None, 1):
        raise ValueError(
            f"forecast gives intervals of direct models only; got steps="
            f"{steps!r} for a one-step model, whose recursion would compound "
            f"errors that its interval ignores. Fit a direct model with "
            f"make_supervised(..., horizon=range(1, {steps + 1}))."
        )
    if values.size > 1 or steps in (None, 1):  # a direct model, or one step
        if steps not in (None, values.size) and values.size > 1:
            raise ValueError(
                f"forecast got steps={steps!r} for a direct model with "
                f"{values.size} outputs, which forecasts exactly those steps; "
                f"leave steps=None."
            )
        horizons = tuple(range(1, values.size + 1)) if horizons is None else horizons
        if isinstance(horizons, str) or not all(is_int(h, 1) for h in horizons):
            raise ValueError(
                f"forecast expected horizons as a sequence of ints >= 1, the "
                f"steps ahead of the estimator's outputs; got {horizons!r}."
            )
        if len(horizons) != values.size:
            raise ValueError(
                f"forecast expected one horizon per output of the estimator "
                f"({values.size}); got horizons={tuple(horizons)!r}."
            )
        index = _future_index(getattr(rows, "index", None), len(rows), horizons)
        if name is None and rows.shape[1] == 1:
            name = rows.columns[0]
        point = pd.Series(values, index=index, name=name)
        from ._conformal import predict_quantiles, quantile_levels  # a cycle

        levels = quantile_levels(estimator)
        if coverage is None and levels is not None:
            # A quantile regressor: its quantiles beside the median.
            quantiles = predict_quantiles(estimator, rows.iloc[-window:])
            quantiles = np.asarray(quantiles, dtype=np.float64)[-1]
            table = point.to_frame("forecast" if name is None else name)
            for k, level in enumerate(levels):
                table[f"q{level:g}"] = quantiles.reshape(-1, len(levels))[:, k]
            return table
        if coverage is None:
            return point
        bounds = estimator.predict_interval(rows.iloc[-window:], coverage=coverage)
        bounds = np.asarray(bounds, dtype=np.float64)[-1].reshape(-1, 2)
        return pd.DataFrame(
            {
                "forecast" if name is None else name: values,
                "lower": bounds[:, 0],
                "upper": bounds[:, 1],
            },
            index=index,
        )
    if rows.shape[1] != 1:
        raise ValueError(
            f"forecast can roll a one-step model forward only on a single "
            f"series: the future values of the other {rows.shape[1] - 1} "
            f"input column(s) are not known. Fit a direct model instead, with "
            f"make_supervised(..., horizon=range(1, {steps + 1})), and call "
            f"forecast(estimator, history) without steps."
        )
    values = recursive_forecast(estimator, rows.iloc[:, 0], steps)
    index = _future_index(rows.index, len(rows), range(1, steps + 1))
    return pd.Series(np.asarray(values), index=index, name=rows.columns[0])


def _forecast_origins(estimator, history, origins, **kwargs):
    """:func:`forecast` from several rows of ``history``, as one long table."""
    if not hasattr(history, "loc") or not history.index.is_monotonic_increasing:
        raise ValueError(
            "forecast expected a pandas history with an increasing index to "
            "forecast from several origins (their labels are looked up in "
            f"it); got {type(history).__name__}. Pass a DataFrame or Series."
        )
    known = _known_future_of(estimator)
    future = kwargs.pop("future", None)
    if known is not None and not callable(future):
        # Each origin's target times are read from the history where it reaches
        # them, else from future.
        values = history[known[0]] if hasattr(history, "columns") else None
        if future is not None and values is not None:
            values = pd.concat([values, future[known[0]]])
            values = values[~values.index.duplicated(keep="first")]
        if values is not None:

            def future(times, values=values):
                return values.loc[values.index.intersection(times)]

    tables = []
    for origin in origins:
        if origin not in history.index:
            raise ValueError(
                f"forecast got origin {origin!r}, which is not a label of the "
                f"history's index; pass labels such as {history.index[-1]!r}."
            )
        ahead = _forecast_one(estimator, history.loc[:origin], future=future, **kwargs)
        table = ahead.to_frame() if isinstance(ahead, pd.Series) else ahead
        table = table.rename(columns={table.columns[0]: "forecast"})
        table.insert(0, "target_time", table.index)
        table.insert(0, "step", np.arange(1, len(table) + 1))
        table.insert(0, "origin", origin)
        tables.append(table.reset_index(drop=True))
    return pd.concat(tables, ignore_index=True)
