"""Forecasting helpers: the standard pipeline and recursive multi-step forecasts."""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags

from ._windowing import SequenceWindower

__all__ = ["make_lstm_pipeline", "recursive_forecast"]


def make_lstm_pipeline(window, regressor=None, *, scaler="standard", fill_value=np.nan):
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
        :class:`~sklearn.preprocessing.StandardScaler`, any transformer (it is
        cloned), or None for no scaling. Its output is set to pandas
        (``set_output(transform="pandas")``) when it offers ``set_output``, so
        that the index of ``X`` reaches the windower (see Notes).

    fill_value : float, default=np.nan
        Value of the steps before the first row (NaN steps are masked by the
        sklstm regressors; use e.g. 0.0 for a tabular regressor).

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
    >>> pipe = make_lstm_pipeline(24, Ridge(), fill_value=0.0)
    >>> [name for name, _ in pipe.steps]
    ['scaler', 'windower', 'regressor']
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
        steps.append(("scaler", StandardScaler().set_output(transform="pandas")))
    elif scaler is not None:
        scaler = clone(scaler)
        if hasattr(scaler, "set_output"):
            # Keep the index of X: the windower reads positions from it.
            scaler.set_output(transform="pandas")
        steps.append(("scaler", scaler))
    # A tabular regressor (no 3-D input) gets the flattened lag matrix.
    flatten = not get_tags(regressor).input_tags.three_d_array
    windower = SequenceWindower(window, fill_value=fill_value, flatten=flatten)
    steps.append(("windower", windower))
    steps.append(("regressor", regressor))
    return Pipeline(steps)


def _context_length(estimator):
    """Rows of history the estimator reads: the largest windower's window."""
    steps = estimator.steps if isinstance(estimator, Pipeline) else []
    windows = [step.window for _, step in steps if isinstance(step, SequenceWindower)]
    return max(windows) if windows else None


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
    if not (isinstance(steps, Integral) and not isinstance(steps, bool) and steps >= 1):
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
                f"row: estimator.predict(X[-1:])."
            )
        buffer[start + k] = pred.reshape(len(rows), -1)[-1, 0]
    forecast = buffer[start:].copy()
    index = getattr(history, "index", None)
    if isinstance(index, pd.DatetimeIndex) and index.freq is not None:
        future = pd.date_range(index[-1], periods=steps + 1, freq=index.freq)[1:]
        return pd.Series(forecast, index=future, name=history.name)
    return forecast
