"""Metrics of prediction intervals and quantile forecasts, and their scorers.

Plain functions in scikit-learn's style (``y_true`` first, ``multioutput`` to
get one value per step ahead): :func:`interval_coverage`,
:func:`interval_width`, :func:`interval_score` (Winkler), :func:`pinball_loss`
(per quantile) and :func:`crps_from_quantiles`. :func:`make_interval_scorer`
turns them into scorers for cross-validation and searches, through
:func:`sklearn.metrics.make_scorer`.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
from sklearn.metrics import make_scorer

__all__ = [
    "crps_from_quantiles",
    "interval_coverage",
    "interval_score",
    "interval_width",
    "make_interval_scorer",
    "pinball_loss",
]


def _intervals(name, y_true, y_interval):
    """``y_true`` as ``(n, n_steps)`` and the bounds as two such arrays."""
    y = np.asarray(y_true, dtype=np.float64)
    bounds = np.asarray(y_interval, dtype=np.float64)
    n = len(y)
    y = y.reshape(n, -1)
    if bounds.shape[-1:] != (2,) or bounds.reshape(n, -1, 2).shape[1] != y.shape[1]:
        raise ValueError(
            f"{name} expected y_interval of shape (n_samples, 2) or (n_samples, "
            f"n_steps, 2) matching y_true of shape {np.shape(y_true)}; got shape "
            f"{bounds.shape}."
        )
    bounds = bounds.reshape(n, -1, 2)
    return y, bounds[..., 0], bounds[..., 1]


def _average(name, values, multioutput):
    """Per-step values (last axis) averaged, or kept with ``"raw_values"``."""
    if multioutput == "raw_values":
        return values
    if multioutput == "uniform_average":
        return float(np.mean(values))
    raise ValueError(
        f"{name} expected multioutput='uniform_average' or 'raw_values'; got "
        f"{multioutput!r}."
    )


def _check_coverage(name, coverage):
    if isinstance(coverage, bool) or not 0.0 < float(coverage) < 1.0:
        raise ValueError(
            f"{name} expected coverage strictly between 0 and 1; got {coverage!r}."
        )
    return float(coverage)


def interval_coverage(y_true, y_interval, *, multioutput="uniform_average"):
    """Empirical coverage: the fraction of targets inside their interval.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed targets.

    y_interval : array-like of shape (n_samples, 2) or (n_samples, n_steps, 2)
        Lower and upper bounds, e.g. from
        :meth:`ConformalForecaster.predict_interval`.

    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over the steps ahead, or one value per step.

    Returns
    -------
    coverage : float or ndarray of shape (n_steps,)
        Between 0 and 1; compare it with the nominal coverage.

    Examples
    --------
    >>> from sklstm import interval_coverage
    >>> interval_coverage([1.0, 2.0, 3.0, 4.0], [[0, 2], [0, 1], [2, 4], [3, 5]])
    0.75
    """
    y, lower, upper = _intervals("interval_coverage", y_true, y_interval)
    inside = (y >= lower) & (y <= upper)
    return _average("interval_coverage", inside.mean(axis=0), multioutput)


def interval_width(y_true, y_interval, *, multioutput="uniform_average"):
    """Mean width of the intervals (``y_true`` is only checked, for scorers).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed targets.

    y_interval : array-like of shape (n_samples, 2) or (n_samples, n_steps, 2)
        Lower and upper bounds.

    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over the steps ahead, or one value per step.

    Returns
    -------
    width : float or ndarray of shape (n_steps,)
        Mean ``upper - lower``, in the units of ``y``.

    Examples
    --------
    >>> from sklstm import interval_width
    >>> interval_width([1.0, 2.0], [[0.0, 2.0], [1.0, 2.0]])
    1.5
    """
    _, lower, upper = _intervals("interval_width", y_true, y_interval)
    return _average("interval_width", (upper - lower).mean(axis=0), multioutput)


def interval_score(y_true, y_interval, *, coverage, multioutput="uniform_average"):
    """Compute Winkler's interval score: width plus penalties for misses.

    For an interval ``[l, u]`` of nominal coverage ``1 - alpha``, the score of
    a target ``y`` is ``(u - l) + 2 / alpha * (l - y) * [y < l] + 2 / alpha *
    (y - u) * [y > u]`` [1]_, averaged over the samples; lower is better. It
    rewards narrow intervals and punishes misses in proportion to their
    distance, so it is
    minimised in expectation by the true ``alpha / 2`` and ``1 - alpha / 2``
    quantiles.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed targets.

    y_interval : array-like of shape (n_samples, 2) or (n_samples, n_steps, 2)
        Lower and upper bounds.

    coverage : float
        Nominal coverage ``1 - alpha`` of the intervals, strictly between 0
        and 1.

    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over the steps ahead, or one value per step.

    Returns
    -------
    score : float or ndarray of shape (n_steps,)
        In the units of ``y``.

    References
    ----------
    .. [1] Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring
           rules, prediction, and estimation. *Journal of the American
           Statistical Association*, 102(477), 359-378.

    Examples
    --------
    >>> from sklstm import interval_score
    >>> round(interval_score([1.0, 5.0], [[0.0, 2.0], [0.0, 2.0]], coverage=0.8), 6)
    17.0
    """
    alpha = 1.0 - _check_coverage("interval_score", coverage)
    y, lower, upper = _intervals("interval_score", y_true, y_interval)
    score = (
        (upper - lower)
        + 2.0 / alpha * np.maximum(lower - y, 0.0)
        + 2.0 / alpha * np.maximum(y - upper, 0.0)
    )
    return _average("interval_score", score.mean(axis=0), multioutput)


def _quantile_inputs(name, y_true, y_quantiles, quantiles):
    y = np.asarray(y_true, dtype=np.float64)
    q = np.asarray(y_quantiles, dtype=np.float64)
    levels = np.asarray(quantiles, dtype=np.float64).reshape(-1)
    n = len(y)
    y = y.reshape(n, -1)
    if (
        levels.size == 0
        or not ((levels > 0) & (levels < 1)).all()
        or (np.diff(levels) <= 0).any()
    ):
        raise ValueError(
            f"{name} expected quantiles sorted, without repeats, strictly "
            f"between 0 and 1; got {quantiles!r}."
        )
    if q.shape[-1:] != (levels.size,) or q.size != n * y.shape[1] * levels.size:
        raise ValueError(
            f"{name} expected y_quantiles of shape (n_samples, {levels.size}) or "
            f"(n_samples, n_steps, {levels.size}) for {levels.size} quantile(s) "
            f"and y_true of shape {np.shape(y_true)}; got shape {q.shape}."
        )
    return y[:, :, None], q.reshape(n, y.shape[1], levels.size), levels


def _mean_pinball(y, q, levels):
    """Pinball loss of each step and level, averaged over the samples."""
    error = y - q
    return np.maximum(levels * error, (levels - 1.0) * error).mean(axis=0)


def pinball_loss(y_true, y_quantiles, *, quantiles, multioutput="uniform_average"):
    """Pinball (quantile) loss of each quantile forecast (lower is better).

    For a level ``tau`` and its forecast ``q``: the mean over samples of
    ``max(tau * (y - q), (tau - 1) * (y - q))``, as
    :func:`sklearn.metrics.mean_pinball_loss` computes for one level.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed targets.

    y_quantiles : array-like of shape (n_samples, n_quantiles) or \
            (n_samples, n_steps, n_quantiles)
        Quantile forecasts, e.g. from ``predict_quantiles``.

    quantiles : sequence of float
        Their levels, sorted, strictly between 0 and 1.

    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        The mean over steps and quantiles, or one value per quantile (1-D
        ``y_true``) or per step and quantile.

    Returns
    -------
    loss : float or ndarray of shape (n_quantiles,) or (n_steps, n_quantiles)
        In the units of ``y``.

    Examples
    --------
    >>> from sklstm import pinball_loss
    >>> pinball_loss([1.0, 2.0], [[0.0, 1.0], [0.0, 3.0]], quantiles=[0.1, 0.9],
    ...              multioutput="raw_values")
    array([0.15, 0.05])
    """
    y, q, levels = _quantile_inputs("pinball_loss", y_true, y_quantiles, quantiles)
    loss = _mean_pinball(y, q, levels)
    if np.ndim(y_true) == 1:
        loss = loss[0]
    return _average("pinball_loss", loss, multioutput)


def crps_from_quantiles(
    y_true, y_quantiles, *, quantiles, multioutput="uniform_average"
):
    """Approximate the continuous ranked probability score from quantiles.

    The CRPS equals twice the pinball loss integrated over all levels,
    ``2 * integral_0^1 pinball_tau d tau`` [1]_; here the integral is the
    average over the given levels, so the approximation is good for many
    evenly spaced levels (e.g. 0.05, 0.10, ..., 0.95) and coarse for three.
    Lower is better; for a point forecast (a single level 0.5) it is the
    absolute error.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_steps)
        Observed targets.

    y_quantiles : array-like of shape (n_samples, n_quantiles) or \
            (n_samples, n_steps, n_quantiles)
        Quantile forecasts.

    quantiles : sequence of float
        Their levels, sorted, strictly between 0 and 1.

    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over the steps ahead, or one value per step.

    Returns
    -------
    crps : float or ndarray of shape (n_steps,)
        In the units of ``y``.

    References
    ----------
    .. [1] Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring
           rules, prediction, and estimation. *Journal of the American
           Statistical Association*, 102(477), 359-378.

    Examples
    --------
    >>> from sklstm import crps_from_quantiles
    >>> crps_from_quantiles([1.0, 3.0], [[1.5], [2.0]], quantiles=[0.5])
    0.75
    """
    y, q, levels = _quantile_inputs(
        "crps_from_quantiles", y_true, y_quantiles, quantiles
    )
    loss = _mean_pinball(y, q, levels)
    return _average("crps_from_quantiles", 2.0 * loss.mean(axis=-1), multioutput)


def _coverage_error(y_true, y_interval, *, coverage):
    """|empirical coverage - nominal|, averaged over steps."""
    return abs(interval_coverage(y_true, y_interval) - coverage)


_SCORERS = {
    "interval_score": (interval_score, False, True),
    "coverage_error": (_coverage_error, False, True),
    "interval_width": (interval_width, False, False),
    "interval_coverage": (interval_coverage, True, False),
}


def make_interval_scorer(metric="interval_score", *, coverage=0.9):
    """A scorer of ``predict_interval`` for cross-validation and searches.

    Built with :func:`sklearn.metrics.make_scorer` and
    ``response_method="predict_interval"``, so it scores any estimator with
    that method (e.g. :class:`~sklstm.ConformalForecaster`) in
    :func:`~sklearn.model_selection.cross_val_score` or
    :class:`~sklearn.model_selection.GridSearchCV`. The estimator's intervals
    are at its own ``coverage``; give the same value here.

    Parameters
    ----------
    metric : {"interval_score", "coverage_error", "interval_width", \
            "interval_coverage"}, default="interval_score"
        What to score: Winkler's score, ``|coverage - nominal|``, the mean
        width (all negated, as lower is better), or the empirical coverage.

    coverage : float, default=0.9
        Nominal coverage of the estimator's intervals.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``; greater is better.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import ConformalForecaster, make_interval_scorer
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 2))
    >>> y = X.sum(axis=1) + rng.standard_normal(100)
    >>> model = ConformalForecaster(Ridge(), coverage=0.8).fit(X[:80], y[:80])
    >>> scorer = make_interval_scorer("interval_score", coverage=0.8)
    >>> bool(scorer(model, X[80:], y[80:]) < 0)  # a negated loss
    True
    """
    if metric not in _SCORERS:
        raise ValueError(
            f"make_interval_scorer expected metric as one of {sorted(_SCORERS)}; "
            f"got {metric!r}."
        )
    coverage = _check_coverage("make_interval_scorer", coverage)
    func, greater, needs_coverage = _SCORERS[metric]
    kwargs = {"coverage": coverage} if needs_coverage else {}
    return make_scorer(
        func,
        greater_is_better=greater,
        response_method=["predict_interval"],
        **kwargs,
    )
