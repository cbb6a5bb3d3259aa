"""Conformal prediction intervals for any forecaster, calibrated in time order.

:class:`ConformalForecaster` wraps a regressor or pipeline (an sklstm pipeline,
a Ridge on lags, a baseline), measures its errors on the most recent rows (or
on the test folds of a time-ordered split) forecast from their real history,
and widens its forecasts by the conformal quantile of those errors, per step
ahead. With a quantile regressor inside it conformalises the quantiles (CQR);
:meth:`ConformalForecaster.update` adapts the level online as new
observations arrive (adaptive conformal inference).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils.validation import check_consistent_length

from ._forecasting import _context_length
from ._panel_split import PanelSplit
from ._validation import (
    HasMethods,
    Integral,
    Interval,
    Real,
    StrOptions,
    _fit_context,
    _num_samples,
    check_is_fitted,
    int_at_least,
    is_int,
)

__all__ = ["ConformalForecaster", "quantile_levels", "predict_quantiles"]


def _take(data, rows):
    """Rows of any input scikit-learn takes; a slice when contiguous, which
    keeps a DatetimeIndex's frequency."""
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        rows = slice(int(rows[0]), int(rows[-1]) + 1)
    if not hasattr(data, "__getitem__"):  # array-likes with __array__ only
        data = np.asarray(data)
    return _safe_indexing(data, rows)


def _final(estimator):
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator


def quantile_levels(estimator):
    """The ``quantiles`` of a quantile regressor (or a pipeline ending in
    one), else None."""
    levels = getattr(_final(estimator), "quantiles", None)
    return None if levels is None else tuple(float(q) for q in levels)


def predict_quantiles(estimator, X):
    """``predict_quantiles`` of a regressor, or of a pipeline's last step on
    ``X`` transformed by the steps before it (scikit-learn's ``Pipeline``
    forwards only its own methods)."""
    if isinstance(estimator, Pipeline):
        return estimator[-1].predict_quantiles(estimator[:-1].transform(X))
    return estimator.predict_quantiles(X)


def series_scales(ids, y):
    """Each series' scale: the mean absolute change between its consecutive
    targets (the first step of a multi-step target), rows in time order.

    A series with fewer than two rows, or constant, gets the median of the
    other series' scales (1.0 if none has one).
    """
    first = np.asarray(y, dtype=np.float64).reshape(len(ids), -1)[:, 0]
    scales = {}
    for key in pd.unique(ids):
        steps = np.abs(np.diff(first[ids == key]))
        scales[key] = float(np.mean(steps)) if steps.size else np.nan
    usable = [v for v in scales.values() if np.isfinite(v) and v > 0]
    fallback = float(np.median(usable)) if usable else 1.0
    return {
        key: (value if np.isfinite(value) and value > 0 else fallback)
        for key, value in scales.items()
    }


def _row_scales(ids, scales):
    """The scale of each row's series; a series missing from ``scales`` (no
    training rows in a calibration fold) gets the median scale."""
    fallback = float(np.median(list(scales.values()))) if scales else 1.0
    return np.array([scales.get(key, fallback) for key in ids], dtype=np.float64)


def _calibration_count(size, n):
    """``calibration_size`` as a count out of ``n`` (rows or time points)."""
    return int(size) if is_int(size) else max(1, int(round(size * n)))


def _check_coverage(owner, coverage):
    if (
        isinstance(coverage, bool)
        or not isinstance(coverage, Real)
        or not 0.0 < coverage < 1.0
    ):
        raise ValueError(
            f"{type(owner).__name__} expected coverage as a float strictly "
            f"between 0 and 1, e.g. 0.9 for a 90% interval; got {coverage!r}."
        )
    return float(coverage)


def _rank(n, level):
    """The conformal rank ``ceil((n + 1) * level)`` (1-based)."""
    return math.ceil((n + 1) * level - 1e-9)


def _min_calibration_rows(coverage):
    """Fewest calibration rows with a finite conformal quantile at ``coverage``."""
    return math.ceil(coverage / (1.0 - coverage) - 1e-9)


class ConformalForecaster(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Prediction intervals for any forecaster, calibrated on time-ordered errors.

    Split conformal prediction for time series: the wrapped ``estimator`` is
    fitted on the older rows, forecasts the most recent ones (the calibration
    rows) from their real history, and the absolute errors of those forecasts
    become the conformity scores. An interval is the forecast plus or minus
    the conformal quantile of the scores, separately for each step ahead of
    a multi-step (multi-output) model. With a quantile regressor inside
    (``quantiles`` set, e.g. :class:`~sklstm.LSTMRegressor`), its outermost
    quantiles are conformalised instead (CQR): the scores are how far each
    target falls outside them. :meth:`update` adapts the level online
    (adaptive conformal inference) as the truth of new forecasts arrives.

    Parameters
    ----------
    estimator : estimator
        The forecaster, unfitted, e.g. a pipeline from
        :func:`~sklstm.make_lstm_pipeline`; it is cloned.

    coverage : float, default=0.9
        Nominal coverage of the intervals, strictly between 0 and 1.

    calibration : {"last", "cv"}, default="last"
        Where the scores come from: "last" fits on all but the last
        ``calibration_size`` rows and scores those; "cv" scores the test
        rows of every fold of ``cv``, a time-ordered split (more scores, one
        fit per fold).

    calibration_size : int or float, default=0.2
        With ``calibration="last"``, the calibration rows: a count, or a
        fraction of the rows.

    cv : int, cross-validation generator or iterable, default=None
        With ``calibration="cv"``: None for ``TimeSeriesSplit(n_splits=5)``,
        an int for that many folds, a splitter such as
        ``TimeSeriesSplit(n_splits=4, gap=2)``, or ``(train, test)`` index
        arrays. Every training row must precede every test row.

    gap : int, default=0
        With ``calibration="last"``, rows left out between the training and
        the calibration rows: ``h - 1`` for targets ``h`` steps ahead keeps
        the overlapping labels of the training rows out of the calibration
        period, as ``TimeSeriesSplit(gap=h - 1)`` does.

    refit : bool, default=True
        Refit the estimator on all rows after calibrating, so that forecasts
        use the most recent data. False keeps the model whose errors were
        scored (the last fold's with ``calibration="cv"``).

    adaptation_rate : float, default=0.005
        Step size ``gamma`` of adaptive conformal inference in
        :meth:`update`: after each new observation the miscoverage level
        moves by ``gamma * (alpha - err)``. 0 keeps the level fixed (the
        scores still roll forward).

    series_id : str or None, default=None
        The series id column of a panel (see :func:`~sklstm.make_supervised`
        and :ref:`panels`). The scores are then pooled over the series in
        units of each series' own scale (the mean absolute change between
        its consecutive targets in the rows the model was fitted on), so an
        interval is as wide, relative to its series, for a series of hundreds
        as for a series of millions; ``calibration="last"`` takes the last
        ``calibration_size`` *time points* (read from ``X``'s index, as
        :class:`~sklstm.PanelSplit` reads them) of every series, and
        ``gap`` counts time points. Forecasting a series not seen in fit is
        an error.

    Attributes
    ----------
    estimator_ : estimator
        The fitted forecaster that :meth:`predict` and
        :meth:`predict_interval` use.

    calibration_scores_ : ndarray of shape (n_calibration, n_steps)
        Conformity scores of the calibration rows, oldest first, one column
        per step ahead (output). :meth:`update` rolls them forward.

    alpha_ : ndarray of shape (n_steps,)
        Current miscoverage level per step, ``1 - coverage`` after
        :meth:`fit`, moved by :meth:`update`.

    alpha_history_ : list of ndarray
        The levels before each row passed to :meth:`update`.

    method_ : {"absolute", "cqr"}
        "cqr" when the estimator predicts quantiles, else "absolute".

    series_scales_ : dict
        With ``series_id``: each series' scale (see ``series_id``), from all
        the rows of :meth:`fit`, by which its intervals are multiplied.

    n_features_in_ : int
        Number of features seen during :term:`fit` (of the estimator).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during :term:`fit`. Defined only when the
        estimator defines it.

    See Also
    --------
    sklstm.LSTMRegressor : Quantile forecasts with ``quantiles=...``.
    sklstm.interval_coverage : Empirical coverage of intervals.
    sklstm.interval_score : Winkler's interval score.

    Notes
    -----
    Split conformal prediction guarantees coverage of at least ``coverage``
    when the calibration rows and the new row are exchangeable [1]_. Time
    series are not: errors are autocorrelated and their scale drifts. The
    coverage is then approximate; it holds well when the recent past looks
    like the near future and fails after a change of regime. Refitting on
    all rows (``refit=True``) also scores a slightly different model than
    the one that forecasts. Measure it with :func:`~sklstm.backtest` and
    :func:`~sklstm.interval_coverage` (the user guide, :doc:`/intervals`,
    shows measured coverage on real series). Adaptive conformal inference
    [2]_ (:meth:`update`) guarantees that the long-run average miscoverage
    approaches ``1 - coverage`` for any sequence, without exchangeability.

    References
    ----------
    .. [1] Vovk, V., Gammerman, A. and Shafer, G. (2005). *Algorithmic
           Learning in a Random World*. Springer.
    .. [2] Gibbs, I. and Candès, E. (2021). Adaptive conformal inference under
           distribution shift. *Advances in Neural Information Processing
           Systems*, 34.
    .. [3] Romano, Y., Patterson, E. and Candès, E. (2019). Conformalized
           quantile regression. *Advances in Neural Information Processing
           Systems*, 32.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import ConformalForecaster, make_lstm_pipeline, make_supervised
    >>> rng = np.random.default_rng(0)
    >>> series = np.sin(np.arange(300) / 8) + rng.normal(scale=0.1, size=300)
    >>> X, y = make_supervised(series)
    >>> model = ConformalForecaster(make_lstm_pipeline(12, Ridge()), coverage=0.8)
    >>> model.fit(X, y).predict_interval(X.iloc[-3:]).shape
    (3, 2)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "coverage": [Interval(Real, 0, 1, closed="neither")],
        "calibration": [StrOptions({"last", "cv"})],
        "calibration_size": [
            int_at_least(1),
            Interval(Real, 0, 1, closed="neither"),
        ],
        "cv": ["cv_object", "array-like"],
        "gap": [int_at_least(0)],
        "refit": ["boolean"],
        "adaptation_rate": [Interval(Real, 0, None, closed="left")],
        "series_id": [str, None],
    }

    def __init__(
        self,
        estimator,
        coverage=0.9,
        *,
        calibration="last",
        calibration_size=0.2,
        cv=None,
        gap=0,
        refit=True,
        adaptation_rate=0.005,
        series_id=None,
    ):
        self.estimator = estimator
        self.coverage = coverage
        self.calibration = calibration
        self.calibration_size = calibration_size
        self.cv = cv
        self.gap = gap
        self.refit = refit
        self.adaptation_rate = adaptation_rate
        self.series_id = series_id

    def __setstate__(self, state):
        # A forecaster pickled before series_id existed.
        state = {"series_id": None, **state}
        super().__setstate__(state)

    # --- fit -----------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the estimator and calibrate its intervals on time-ordered errors.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered inputs, oldest first, e.g. from
            :func:`~sklstm.make_supervised`.

        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            Targets; one column per step ahead for a multi-step model.

        **fit_params : dict
            Passed to the ``fit`` of every clone of the estimator.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if y is None:
            raise ValueError(
                "ConformalForecaster requires y to be passed, but the target y "
                "is None. Pass the targets of X, e.g. from sklstm.make_supervised."
            )
        if issparse(X):
            raise TypeError(
                "ConformalForecaster does not support sparse input X: it takes "
                "time-ordered rows. Pass a dense array or a DataFrame."
            )
        check_consistent_length(X, y)
        n_samples = _num_samples(X)
        self._y_ndim = np.asarray(y).ndim
        levels = quantile_levels(self.estimator)
        self.method_ = "absolute" if levels is None else "cqr"
        ids = self._series_ids(X)
        scores, model = [], None
        for train, test in self._calibration_folds(X, y, n_samples):
            model = clone(self.estimator).fit(
                _take(X, train), _take(y, train), **fit_params
            )
            score = self._scores(model, X, y, test)
            if ids is not None:
                scales = series_scales(ids[train], _take(y, train))
                score = score / _row_scales(ids[test], scales)[:, None]
            scores.append(score)
        self.calibration_scores_ = np.concatenate(scores)
        n_calibration = len(self.calibration_scores_)
        needed = _min_calibration_rows(self.coverage)
        if n_calibration < needed:
            raise ValueError(
                f"ConformalForecaster needs at least {needed} calibration rows "
                f"for coverage={self.coverage!r} (a finite conformal quantile "
                f"needs (n + 1) * coverage <= n); got {n_calibration} from "
                f"{n_samples} sample(s). Pass more rows, a larger "
                f"calibration_size, or a lower coverage."
            )
        self.estimator_ = (
            clone(self.estimator).fit(X, y, **fit_params) if self.refit else model
        )
        if ids is not None:
            self.series_scales_ = series_scales(ids, y)
        self.alpha_ = np.full(self.calibration_scores_.shape[1], 1.0 - self.coverage)
        self.alpha_history_ = []
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, name):
                setattr(self, name, getattr(self.estimator_, name))
        return self

    def _calibration_folds(self, X, y, n_samples):
        """``(train, calibration)`` index arrays, time-ordered."""
        if self.calibration == "last" and self.series_id is not None:
            yield self._last_times(X)
            return
        if self.calibration == "last":
            size = self.calibration_size
            n_cal = _calibration_count(size, n_samples)
            n_train = n_samples - n_cal - self.gap
            if n_train < 1:
                raise ValueError(
                    f"ConformalForecaster expected rows to train on before the "
                    f"{n_cal} calibration row(s) and the gap of {self.gap}; "
                    f"got {n_samples} sample(s). Pass more rows or a smaller "
                    f"calibration_size."
                )
            yield np.arange(n_train), np.arange(n_samples - n_cal, n_samples)
            return
        cv = self.cv
        if cv is None or isinstance(cv, Integral):
            splitter = TimeSeriesSplit if self.series_id is None else PanelSplit
            cv = splitter(n_splits=5 if cv is None else int(cv))
        folds = cv.split(X, y) if hasattr(cv, "split") else cv
        # Rows of a panel are ordered by their time, not by their position.
        if isinstance(cv, PanelSplit):
            order = cv._time_codes(X)[0]
        elif self.series_id is not None:
            order = PanelSplit()._time_codes(X)[0]
        else:
            order = np.arange(n_samples)
        for fold, (train, test) in enumerate(folds):
            train, test = np.sort(np.asarray(train)), np.sort(np.asarray(test))
            if (
                len(train) == 0
                or len(test) == 0
                or order[train].max() >= order[test].min()
            ):
                raise ValueError(
                    f"ConformalForecaster expected time-ordered folds with "
                    f"training rows before test rows; fold {fold} does not "
                    f"have them. Use TimeSeriesSplit (PanelSplit for a panel): "
                    f"errors measured on rows older than the training rows are "
                    f"not forecast errors."
                )
            yield train, test

    def _last_times(self, X):
        """``(train, calibration)`` of a panel: the last time points of every
        series against the times before them (and the gap)."""
        codes, n_times = PanelSplit()._time_codes(X)
        size = self.calibration_size
        n_cal = _calibration_count(size, n_times)
        first_cal = n_times - n_cal
        if first_cal - self.gap < 1:
            raise ValueError(
                f"ConformalForecaster expected time points to train on before "
                f"the {n_cal} calibration time point(s) and the gap of "
                f"{self.gap}; got a panel of {n_times} distinct time(s). Pass "
                f"more rows or a smaller calibration_size."
            )
        return (
            np.flatnonzero(codes < first_cal - self.gap),
            np.flatnonzero(codes >= first_cal),
        )

    def _series_ids(self, X):
        """The series id of each row of ``X``, or None without ``series_id``."""
        if self.series_id is None:
            return None
        if not isinstance(X, pd.DataFrame) or self.series_id not in X.columns:
            got = (
                f"columns {list(X.columns)!r}"
                if isinstance(X, pd.DataFrame)
                else f"a {type(X).__name__}"
            )
            raise ValueError(
                f"ConformalForecaster expected X as a DataFrame with the series "
                f"id column series_id={self.series_id!r}; got {got}. Pass the "
                f"panel's rows with their id column, e.g. from "
                f"sklstm.make_supervised(..., series_id=...)."
            )
        return X[self.series_id].to_numpy()

    def _scales_of(self, X):
        """Each row's interval scale: 1, or its series' scale."""
        ids = self._series_ids(X)
        if ids is None:
            return np.ones(_num_samples(X))
        unseen = [k for k in pd.unique(ids) if k not in self.series_scales_]
        if unseen:
            raise ValueError(
                f"ConformalForecaster has no scale for series {unseen[:5]!r} "
                f"(not in the rows of fit), so their intervals would be in "
                f"another series' units. Refit with rows of those series."
            )
        return _row_scales(ids, self.series_scales_)

    def _scores(self, model, X, y, rows):
        """Conformity scores of ``rows``, forecast from their real history."""
        context = _context_length(model)
        start = 0 if context is None else max(0, int(rows[0]) - context + 1)
        history = _take(X, np.arange(start, int(rows[-1]) + 1))
        lower, upper = self._base_bounds(model, history)
        lower, upper = lower[rows - start], upper[rows - start]
        truth = np.asarray(y, dtype=np.float64).reshape(_num_samples(y), -1)
        truth = truth[rows]
        return np.maximum(lower - truth, truth - upper)

    def _base_bounds(self, model, X):
        """The base forecast as ``(lower, upper)``, each ``(n, n_steps)``: the
        point forecast twice, or the outermost quantiles."""
        n = _num_samples(X)
        if self.method_ == "cqr":
            q = np.asarray(predict_quantiles(model, X), dtype=np.float64)
            q = q.reshape(n, -1, q.shape[-1])
            return q[..., 0], q[..., -1]
        point = np.asarray(model.predict(X), dtype=np.float64).reshape(n, -1)
        return point, point

    # --- prediction ----------------------------------------------------------

    def predict(self, X):
        """Point forecasts of the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to forecast from, as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps)
            The estimator's forecasts (the median of a quantile regressor).
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def _quantile(self, levels):
        """Conformal quantile of the scores per step at ``levels`` (1 - alpha);
        +inf above the largest rank, -inf for an empty interval (level <= 0)."""
        scores = np.sort(self.calibration_scores_, axis=0)
        n = len(scores)
        out = np.empty(scores.shape[1])
        for j, level in enumerate(levels):
            rank = _rank(n, level)
            out[j] = (
                np.inf if rank > n else (-np.inf if rank < 1 else scores[rank - 1, j])
            )
        return out

    def _intervals(self, X, levels):
        scale = self._scales_of(X)
        lower, upper = self._base_bounds(self.estimator_, X)
        width = self._quantile(levels)
        empty = np.isneginf(width)
        width = np.where(empty, 0.0, width) * scale[:, None]
        lo, hi = lower - width, upper + width
        # An empty interval (alpha >= 1 in adaptive inference) is reported as
        # the single centre point, which counts as a miss almost surely.
        centre = (lower + upper) / 2
        lo, hi = np.where(empty, centre, lo), np.where(empty, centre, hi)
        return lo, hi

    def predict_interval(self, X, coverage=None):
        """Prediction intervals at ``coverage``, per row and step ahead.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to forecast from, as in :meth:`fit`.

        coverage : float or None, default=None
            Nominal coverage, strictly between 0 and 1. None means the
            current adaptive level ``1 - alpha_`` (``coverage`` until
            :meth:`update` moves it).

        Returns
        -------
        intervals : ndarray of shape (n_samples, 2) or (n_samples, n_steps, 2)
            Lower and upper bounds; 3-D when ``y`` of fit was 2-D.
        """
        check_is_fitted(self)
        if coverage is None:
            levels = 1.0 - self.alpha_
        else:
            coverage = _check_coverage(self, coverage)
            n = len(self.calibration_scores_)
            if _rank(n, coverage) > n:
                raise ValueError(
                    f"ConformalForecaster was calibrated on {n} row(s), too few "
                    f"for coverage={coverage!r}: a finite conformal quantile "
                    f"needs at least {_min_calibration_rows(coverage)}. Ask for "
                    f"a lower coverage or refit with more calibration rows."
                )
            levels = np.full(len(self.alpha_), coverage)
        lo, hi = self._intervals(X, levels)
        out = np.stack([lo, hi], axis=-1)
        return out[:, 0, :] if self._one_step else out

    @property
    def _one_step(self):
        return getattr(self, "_y_ndim", 1) == 1

    # --- online adaptation ---------------------------------------------------

    def update(self, X, y):
        """Adapt to new observations: adaptive conformal inference.

        For each row of ``X`` in time order, the interval at the current
        level ``1 - alpha_t`` is checked against its target (``err_t`` is 1
        when it misses), the level moves by Gibbs and Candès' rule
        ``alpha_{t+1} = alpha_t + adaptation_rate * (alpha - err_t)`` (per
        step ahead, ``alpha = 1 - coverage``), and the row's conformity score
        replaces the oldest calibration score. The estimator is not refitted.

        Rows whose target is NaN (in any step) are history only: they fill
        the windows of the rows after them and are neither checked nor
        scored. So a windowed pipeline can be updated one observation at a
        time from anywhere in the series: pass the row whose targets were
        just observed together with the ``window - 1`` rows before it, with
        NaN targets for those (see the example).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New rows, oldest first, with enough history before them for the
            estimator's window: rows that continue the fitted data, or
            history rows first (NaN targets).

        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            Their targets, NaN for rows that are history only.

        Returns
        -------
        self : object
            The adapted estimator.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> from sklearn.linear_model import Ridge
        >>> from sklstm import ConformalForecaster, make_lstm_pipeline
        >>> from sklstm import make_supervised
        >>> rng = np.random.default_rng(0)
        >>> series = pd.Series(np.cumsum(rng.normal(size=300)), name="y")
        >>> X, y = make_supervised(series)
        >>> model = ConformalForecaster(make_lstm_pipeline(5, Ridge()), coverage=0.8)
        >>> model = model.fit(X.iloc[:200], y.iloc[:200])
        >>> t = 250  # the target of row t has just been observed
        >>> targets = y.iloc[t - 4 : t + 1].copy()
        >>> targets.iloc[:-1] = np.nan  # the 4 rows before it: history only
        >>> model = model.update(X.iloc[t - 4 : t + 1], targets)
        >>> len(model.alpha_history_)  # one observation checked and scored
        1
        """
        check_is_fitted(self)
        n = _num_samples(X)
        scale = self._scales_of(X)
        lower, upper = self._base_bounds(self.estimator_, X)
        truth = np.asarray(y, dtype=np.float64).reshape(n, -1)
        if truth.shape != lower.shape:
            raise ValueError(
                f"ConformalForecaster expected y of {lower.shape[1]} column(s) "
                f"for {n} row(s); got shape {np.shape(y)}."
            )
        target = 1.0 - self.coverage
        observed = ~np.isnan(truth).any(axis=1)
        for t in np.flatnonzero(observed):
            width = self._quantile(1.0 - self.alpha_) * scale[t]
            miss = np.where(
                np.isneginf(width),
                True,
                (truth[t] < lower[t] - width) | (truth[t] > upper[t] + width),
            )
            self.alpha_history_.append(self.alpha_.copy())
            self.alpha_ = self.alpha_ + self.adaptation_rate * (target - miss)
            score = np.maximum(lower[t] - truth[t], truth[t] - upper[t]) / scale[t]
            self.calibration_scores_ = np.vstack([self.calibration_scores_[1:], score])
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.three_d_array = inner.input_tags.three_d_array
        tags.target_tags.multi_output = inner.target_tags.multi_output
        tags.non_deterministic = inner.non_deterministic
        return tags
