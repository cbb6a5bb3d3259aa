"""Baseline forecasters that sit in the same pipeline as the LSTM.

:class:`NaiveRegressor` reads the target's own history from the windows that
:class:`~sklstm.SequenceWindower` makes (3-D, or flattened) and forecasts the
last observed value, the value one season earlier, or the last value plus the
average change over the window. It needs no Keras.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from ._inputs import never_observed_message, window_regressor_tags
from ._validation import (
    StrOptions,
    _fit_context,
    check_is_fitted,
    check_numeric,
    int_at_least,
    validate_data,
)
from ._versions import VersionedPickleMixin

__all__ = ["NaiveRegressor", "n_distinct"]

# An exact relation holds to rounding: this many units in the last place of
# the windows' dtype, relative to the largest |y|.
_ULPS = 1000
# Fewest (window, y) pairs that show a relation: two fix the affine map, the
# rest must agree with it.
_MIN_PAIRS = 3
# Rows checked at once for every candidate lag before a full check.
_PROBES = 16


class NaiveRegressor(VersionedPickleMixin, RegressorMixin, BaseEstimator):
    """Naive, seasonal-naive and drift forecasts, as a scikit-learn regressor.

    The baselines every forecast should beat, computed from the windows of the
    target's own history, so that they fit in the same
    :class:`~sklearn.pipeline.Pipeline` (after the scaler and the
    :class:`~sklstm.SequenceWindower`) and the same cross-validation as the
    LSTM regressors, e.g. ``make_lstm_pipeline(window, NaiveRegressor())``.
    For the forecast ``h`` steps after the origin (the window's last row):

    - ``"last"`` (naive): the last observed value;
    - ``"seasonal"`` (seasonal naive): the value of the same season in the last
      observed cycle, ``season * ceil(h / season) - h`` steps before the origin;
    - ``"drift"``: the last observed value plus ``h`` times the average change
      per step over the window (from its first to its last observed step).

    Forecasts are in the units of ``y`` whatever scaler precedes the estimator:
    a naive forecast is the last observed value itself (see Notes).

    Parameters
    ----------
    strategy : {"last", "seasonal", "drift"}, default="last"
        Which baseline to forecast.

    season : int, default=1
        Length of the seasonal cycle in rows (e.g. 7 for daily data with a
        weekly cycle, 12 for monthly data). Used only by
        ``strategy="seasonal"``; ``season=1`` makes it the naive forecast.

    target : int or None, default=None
        Position of the target among the features of the windows (the column
        of the target in the ``X`` of :func:`~sklstm.make_supervised`). None
        finds it in :term:`fit`: the first feature whose windows ``y`` follows
        exactly (see Notes); with ``rescale=False``, None means feature 0.

    rescale : bool, default=True
        Whether to learn, in :term:`fit`, the affine map from the windows'
        (scaled) values of the target to the units of ``y`` and the horizon of
        each output, from the exact lag relation between the windows and
        ``y``. If False, forecasts stay in the windows' own units and the
        outputs are taken to be the next ``1, ..., n_outputs`` steps: use it
        only when nothing rescales the target before the windows and ``y``
        is not the target column shifted.

    Attributes
    ----------
    target_ : int
        Position of the target among the features of the windows.

    horizons_ : ndarray of shape (n_outputs,)
        How many steps after the origin each output of ``y`` lies.

    unit_scale_ : ndarray of shape (n_outputs,)
        Slope of the affine map from the windows' target values to the units
        of each output of ``y``: ``y = unit_scale_ * value + unit_offset_``
        (1.0 when ``rescale=False``).

    unit_offset_ : ndarray of shape (n_outputs,)
        Intercept of that map (0.0 when ``rescale=False``).

    sequence_shape_ : tuple of int
        ``(window, n_features)``: time steps and features of each window.

    n_outputs_ : int
        Number of outputs (columns of ``y``; 1 for a 1-D ``y``).

    n_features_in_ : int
        Number of features seen during :term:`fit` (for 3-D windows, as in
        scikit-learn, the size of the second axis: the time steps).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.dummy.DummyRegressor : Baselines that ignore ``X``.
    sklstm.backtest : Time-ordered evaluation with a per-step report.
    sklstm.make_lstm_pipeline : The pipeline it plugs into.

    Notes
    -----
    **Units.** The estimator sees the windows after the scaler, not the scaler
    itself, so it learns the way back from ``y``. :func:`~sklstm.make_supervised`
    sets ``y[t]`` to the target ``h`` rows after row ``t``, and the last step of
    the window of row ``t + h`` holds the same value, scaled. In :term:`fit`,
    for each output, the smallest ``h >= 1`` is found for which ``y[t] = a *
    window[t + h, -1, target] + b`` holds exactly (to rounding) over all
    training rows, with at least half of the rows paired; ``a`` and ``b`` are
    ``unit_scale_`` and ``unit_offset_``. Any affine per-feature scaler
    (standard, min-max, robust, max-abs) or none at all is undone this way, so
    a naive forecast equals the last observed value up to floating-point
    rounding (about 1e-15 relative in float64). When no such relation exists,
    for instance because ``y`` is not the target column shifted, :term:`fit`
    raises a ``ValueError``. A target that is constant over the training rows
    gets ``a = 1``, which is exact for the scalers above.

    **Missing steps.** Steps before the first row a windower knows are NaN
    (keep ``fill_value=np.nan``, the default of
    :func:`~sklstm.make_lstm_pipeline`: a numeric fill value is read as an
    observation). "Last observed value" is the last non-NaN step of the
    target. When the seasonal value is missing, the seasonal forecast falls
    back to the last observed value; when the window holds a single observed
    step, drift falls back to it too. Such forecasts are flagged by
    ``predict(X, return_fallback=True)``. A window whose target is missing at
    every step has no forecast: NaN, with a warning.

    **Flattened windows.** 2-D ``X`` is read as the output of
    ``SequenceWindower(flatten=True)``, shape ``(n_samples, window *
    n_features)``, time-major. The number of features per step is found in
    fit as the smallest one for which each row repeats the previous row
    shifted by one step, as consecutive windows do; without that structure
    (or with a single row) each row is one step. For a single feature this
    agrees with the sklstm regressors' reading of 2-D ``X``. Pass 3-D windows
    to leave nothing to find.

    Examples
    --------
    A series with a cycle of two rows, forecast one and two steps ahead from
    windows of four rows, standardised first:

    >>> import numpy as np
    >>> from sklstm import NaiveRegressor, make_lstm_pipeline, make_supervised
    >>> series = np.array([10.0, 12, 11, 13, 12, 14, 13, 15, 14, 16])
    >>> X, y = make_supervised(series, horizon=[1, 2])
    >>> for strategy in ["last", "seasonal", "drift"]:
    ...     pipe = make_lstm_pipeline(4, NaiveRegressor(strategy, season=2))
    ...     print(strategy, np.asarray(pipe.fit(X, y).predict(X))[-1])
    last [15. 15.]
    seasonal [13. 15.]
    drift [16. 17.]

    The last window holds 12, 14, 13, 15 (in the units of the series): naive
    repeats 15, the seasonal naive takes 13 and 15 from the last cycle, and
    drift adds the average change, 1 per step. What was learned in fit:

    >>> baseline = pipe[-1]
    >>> baseline.target_, baseline.horizons_
    (0, array([1, 2]))

    The first row has no value one season back; its seasonal forecast falls
    back to the last observed value, and says so:

    >>> pipe.set_params(regressor__strategy="seasonal").fit(X, y)
    Pipeline(...)
    >>> y_pred, fallback = pipe.predict(X, return_fallback=True)
    >>> np.asarray(y_pred)[0], fallback[0]
    (array([10., 10.]), array([ True, False]))
    """

    _parameter_constraints: dict = {
        "strategy": [StrOptions({"last", "seasonal", "drift"})],
        "season": [int_at_least(1)],
        "target": [int_at_least(0), None],
        "rescale": ["boolean"],
    }

    def __init__(self, strategy="last", *, season=1, target=None, rescale=True):
        self.strategy = strategy
        self.season = season
        self.target = target
        self.rescale = rescale

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn where the target is, the horizons and the units of ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or \
                (n_samples, window * n_features)
            Windows of time-ordered rows, as :class:`~sklstm.SequenceWindower`
            makes them (3-D, or flattened).

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets: the target column ``h`` rows later, one column per
            horizon, as :func:`~sklstm.make_supervised` builds them.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_numeric(self, X)
        _check_ndim(self, X)
        X, y = validate_data(
            self,
            X,
            y,
            allow_nd=True,
            dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan",
            multi_output=True,
            y_numeric=True,
        )
        if X.ndim == 3:
            self.sequence_shape_ = (X.shape[1], X.shape[2])
        else:
            n_features = _features_per_step(X)
            self.sequence_shape_ = (X.shape[1] // n_features, n_features)
        windows = X.reshape(len(X), *self.sequence_shape_)
        Y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        self.n_outputs_ = Y.shape[1]
        self._y_ndim = np.ndim(y)
        n_features = self.sequence_shape_[1]
        if self.target is not None and self.target >= n_features:
            raise ValueError(
                f"{type(self).__name__} expected target as the position of the "
                f"target among the {n_features} feature(s) of the windows, in "
                f"[0, {n_features}); got target={self.target}."
            )
        if self.rescale:
            self._learn_units(windows, Y)
        else:
            self.target_ = 0 if self.target is None else int(self.target)
            self.horizons_ = np.arange(1, self.n_outputs_ + 1)
            self.unit_scale_ = np.ones(self.n_outputs_)
            self.unit_offset_ = np.zeros(self.n_outputs_)
        if self.strategy == "seasonal":
            self._check_season_fits()
        return self

    def _learn_units(self, windows, Y):
        """Set ``target_``, ``horizons_`` and the map to y's units, or raise."""
        name = type(self).__name__
        n_samples, _, n_features = windows.shape
        max_h = n_samples - max(_MIN_PAIRS, -(-n_samples // 2))
        if max_h < 1:
            raise ValueError(
                f"{name} needs at least {_MIN_PAIRS + 1} rows to learn the "
                f"horizons and units of y from the windows (rescale=True); got "
                f"{n_samples}."
            )
        eps = float(np.finfo(windows.dtype).eps)  # a Python float: no float32 overflow
        columns = range(n_features) if self.target is None else [self.target]
        # An affine image of a feature has no more distinct values than it:
        # a flag or a constant (a one-hot series id) cannot be y's history.
        distinct = min(3, n_distinct(Y))
        for column in columns:
            last = windows[:, -1, column].astype(np.float64)
            if n_distinct(last) < distinct:
                continue
            found = [_exact_lag(last, Y[:, k], max_h, eps) for k in range(Y.shape[1])]
            if all(f is not None for f in found):
                self.target_ = int(column)
                self.horizons_ = np.array([h for h, _, _ in found])
                self.unit_scale_ = np.array([a for _, a, _ in found])
                self.unit_offset_ = np.array([b for _, _, b in found])
                return
        never = np.flatnonzero(np.isnan(windows).all(axis=(0, 1)))
        if never.size:  # no relation can be found in NaN: say why they are
            raise ValueError(never_observed_message(self, never, n_features))
        where = (
            f"feature {self.target}"
            if self.target is not None
            else f"any of the {n_features} feature(s)"
        )
        raise ValueError(
            f"{name} could not learn the units of y: y is not an exact affine "
            f"image of {where} of the windows 1 to {max_h} rows later (y[t] = "
            f"a * window[t + h, -1, target] + b), as make_supervised builds "
            f"it. Build X and y with make_supervised and put the scaler before "
            f"the windower (make_lstm_pipeline does), pass target= the "
            f"position of the target column, or set rescale=False if the "
            f"windows are in the units of y already."
        )

    def _check_season_fits(self):
        """The seasonal lag of every horizon must lie inside the window."""
        window = self.sequence_shape_[0]
        lags = self._seasonal_lags()
        if lags.max() >= window:
            h = int(self.horizons_[np.argmax(lags)])
            raise ValueError(
                f"{type(self).__name__}(strategy='seasonal', season="
                f"{self.season}) reads, for horizon {h}, the value "
                f"{lags.max()} step(s) before the forecast origin, but the "
                f"windows have {window} step(s). Use a window of at least "
                f"{lags.max() + 1} (e.g. windower__window={lags.max() + 1})."
            )

    def _seasonal_lags(self):
        """Steps before the origin of the seasonal value, per output."""
        m, h = self.season, self.horizons_
        return m * -(-h // m) - h

    def predict(self, X, return_fallback=False):
        """Forecast each output of ``y`` from each window.

        Parameters
        ----------
        X : array-like of shape (n_samples, window, n_features) or \
                (n_samples, window * n_features)
            Windows shaped as in :meth:`fit`.

        return_fallback : bool, default=False
            Whether to return, with the forecasts, which of them fell back to
            the last observed value because the value they need was missing
            (the seasonal value, or a second observed step for drift). In a
            pipeline, ``pipe.predict(X, return_fallback=True)`` passes it on.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Forecasts in the units of ``y``, shaped as the ``y`` of fit.

        fallback : ndarray of bool, shaped as y_pred
            True where the forecast fell back (or is NaN for lack of any
            observed value). Returned only if ``return_fallback=True``.
        """
        check_is_fitted(self)
        check_numeric(self, X)
        _check_ndim(self, X)
        X = validate_data(
            self,
            X,
            reset=False,
            allow_nd=True,
            dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan",
        )
        window, n_features = self.sequence_shape_
        shape = (X.shape[1], X.shape[2]) if X.ndim == 3 else None
        if (shape is not None and shape != self.sequence_shape_) or (
            shape is None and X.shape[1] != window * n_features
        ):
            raise ValueError(
                f"{type(self).__name__} was fitted on windows of {window} "
                f"time step(s) and {n_features} feature(s); got X of shape "
                f"{X.shape}. Window the data as in fit."
            )
        series = X.reshape(len(X), window, n_features)[:, :, self.target_]
        values, fallback = self._forecast(series.astype(np.float64))
        y_pred = values * self.unit_scale_ + self.unit_offset_
        if self._y_ndim == 1:
            y_pred, fallback = y_pred[:, 0], fallback[:, 0]
        if return_fallback:
            return y_pred, fallback
        return y_pred

    def _forecast(self, series):
        """Forecasts in the windows' units and fallback flags, per output."""
        n_samples, window = series.shape
        observed = ~np.isnan(series)
        any_observed = observed.any(axis=1)
        rows = np.arange(n_samples)
        last_pos = window - 1 - np.argmax(observed[:, ::-1], axis=1)
        last = series[rows, last_pos]
        if not any_observed.all():
            warnings.warn(
                f"{type(self).__name__} got {np.count_nonzero(~any_observed)} "
                f"window(s) whose target is missing (NaN) at every step; their "
                f"forecasts are NaN.",
                UserWarning,
                stacklevel=3,
            )
        forecast = np.repeat(last[:, np.newaxis], self.n_outputs_, axis=1)
        fallback = np.repeat(~any_observed[:, np.newaxis], self.n_outputs_, axis=1)
        if self.strategy == "seasonal":
            seasonal = series[:, window - 1 - self._seasonal_lags()]
            missing = np.isnan(seasonal)
            forecast = np.where(missing, forecast, seasonal)
            fallback |= missing & any_observed[:, np.newaxis]
        elif self.strategy == "drift":
            first_pos = np.argmax(observed, axis=1)
            span = last_pos - first_pos
            with np.errstate(invalid="ignore", divide="ignore"):
                slope = np.where(span > 0, (last - series[rows, first_pos]) / span, 0.0)
            # Steps from the last observed one to each target.
            ahead = self.horizons_[np.newaxis, :] + (window - 1 - last_pos)[:, None]
            forecast = forecast + ahead * slope[:, np.newaxis]
            fallback |= ((span == 0) & any_observed)[:, np.newaxis]
        return forecast, fallback

    def __sklearn_tags__(self):
        return window_regressor_tags(super().__sklearn_tags__())


def _check_ndim(owner, X):
    """Windows are 2-D (flattened) or 3-D; say so before scikit-learn does."""
    ndim = np.ndim(X) if hasattr(X, "shape") else np.asarray(X, dtype=object).ndim
    if ndim not in (2, 3):
        raise ValueError(
            f"{type(owner).__name__} expected windows X of shape (n_samples, "
            f"window, n_features) or (n_samples, window * n_features); got an "
            f"array of shape {np.shape(X)}. Reshape your data: window it first, "
            f"e.g. with SequenceWindower or make_lstm_pipeline."
        )


def _features_per_step(X):
    """Features per step of flattened windows: the smallest shift that fits.

    Consecutive windows of a time-major lag matrix overlap: row ``t`` without
    its first ``F`` columns equals row ``t - 1`` without its last ``F``. The
    smallest such ``F`` (dividing the number of columns) is the number of
    features; without one, each row is a single step of all its columns.
    """
    n_samples, n_columns = X.shape
    if n_samples < 2:
        return n_columns
    for n_features in range(1, n_columns):
        if n_columns % n_features == 0 and np.array_equal(
            X[1:, :-n_features], X[:-1, n_features:], equal_nan=True
        ):
            return n_features
    return n_columns


def n_distinct(values):
    """The number of distinct non-NaN values."""
    values = np.asarray(values)
    return len(np.unique(values[~np.isnan(values)]))


def _exact_lag(last, y, max_h, eps):
    """Smallest ``h`` and ``(a, b)`` with ``y[t] = a * last[t + h] + b``, or None.

    ``last`` is the target's value at each window's last step (its row), in
    the windows' units. Every lag ``1 .. max_h`` is first checked on a few
    rows at once; only those that pass get a full least-squares check.
    """
    n_samples = len(last)
    tolerance = _ULPS * eps * float(np.max(np.abs(y)))
    lags = np.arange(1, max_h + 1)
    probes = np.arange(min(_PROBES, n_samples - max_h))
    z = last[lags[:, np.newaxis] + probes]  # (n_lags, n_probes)
    yp = y[probes]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        a = (yp[1] - yp[0]) / (z[:, 1] - z[:, 0])
        b = yp[0] - a * z[:, 0]
        residual = np.abs(a[:, np.newaxis] * z[:, 2:] + b[:, np.newaxis] - yp[2:])
    # NaN (missing steps, equal probe values) proves nothing: keep the lag.
    rejected = (residual > tolerance).any(axis=1)
    for h in lags[~rejected]:
        fit = _affine_fit(last[h:], y[: n_samples - h], tolerance)
        if fit is not None:
            return int(h), *fit
    return None


def _affine_fit(z, y, tolerance):
    """``(a, b)`` with ``y = a * z + b`` within ``tolerance``, or None."""
    keep = ~np.isnan(z)
    z, y = z[keep], y[keep]
    if len(z) < _MIN_PAIRS:
        return None
    z_mean, y_mean = z.mean(), y.mean()
    centred = z - z_mean
    spread = centred @ centred
    # A constant target: every affine scaler maps it with slope 1.
    a = (centred @ (y - y_mean)) / spread if spread > 0 else 1.0
    b = y_mean - a * z_mean
    if np.max(np.abs(a * z + b - y)) <= tolerance:
        return float(a), float(b)
    return None
