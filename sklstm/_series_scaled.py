"""A regressor fitted on each series' scaled data, its forecasts mapped back.

The per-series analogue of scikit-learn's
:class:`~sklearn.compose.TransformedTargetRegressor`: a panel's inputs are
standardised series by series (:class:`~sklstm.SeriesScaler`), so is its
target, the wrapped regressor (a whole windowing pipeline) learns on those
units, and each forecast is mapped back with the statistics of its own series.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_consistent_length

from ._conformal import predict_quantiles, quantile_levels
from ._panels import (
    SeriesScaler,
    _groups,
    series_rows,
    split_series_id,
    usable_scale,
)
from ._validation import HasMethods, StrOptions, _fit_context, check_is_fitted

__all__ = ["SeriesScaledRegressor"]


class SeriesScaledRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Fit a regressor on each series' standardised data; map forecasts back.

    One model over a panel learns best when every series reaches it in
    comparable units. This meta-estimator standardises, on the rows it is
    fitted on (the training rows of each cross-validation fold), every input
    column of each series with that series' mean and standard deviation
    (a :class:`~sklstm.SeriesScaler`, fitted inside), and the target ``y``
    of each series with the statistics of its own history, fits the wrapped
    ``estimator`` on those, and maps each prediction back with the statistics
    of the series of its row. It is the per-series form of scikit-learn's
    :class:`~sklearn.compose.TransformedTargetRegressor`, for a regressor or
    a whole pipeline that windows each series (the inverse is applied to the
    forecasts, which a transformer inside a pipeline cannot do).

    Parameters
    ----------
    estimator : estimator object
        The regressor, or a pipeline ending in one, fitted on the scaled
        panel: it receives ``X`` with the ``series_id`` column first and every
        other column scaled, e.g. ``make_lstm_pipeline(window, ...,
        series_id="store", scaler=None)``. It is cloned.

    series_id : str
        The column of ``X`` naming the series of each row (as passed to
        :func:`~sklstm.make_supervised`).

    target : str or None, default=None
        The column of ``X`` that holds the target's own history (the
        ``target`` of :func:`~sklstm.make_supervised`). Its per-series
        statistics then scale ``y`` too, so that the target and its history
        reach the estimator in the same units (a naive forecast stays exact).
        None means the statistics of ``y`` itself, per series (all its
        columns together, so that the steps of a multi-step target share
        them).

    unseen : {"error", "pooled"}, default="error"
        What :meth:`predict` does with a series that :meth:`fit` did not see:
        ``"error"`` raises, naming it; ``"pooled"`` scales its inputs and
        target with the statistics of all fitted rows together.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``.

    scaler_ : SeriesScaler
        The fitted scaler of the inputs.

    series_ : ndarray of shape (n_series,)
        The series seen in :term:`fit`.

    target_mean_, target_scale_ : ndarray of shape (n_series,)
        The level and scale of each series' target, in order of ``series_``.

    pooled_target_mean_, pooled_target_scale_ : float
        Those of all fitted rows together (``unseen="pooled"``).

    n_features_in_ : int
        Number of columns of ``X`` seen during :term:`fit`, ``series_id``
        included.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Their names.

    See Also
    --------
    SeriesScaler : The scaler of the inputs alone.
    sklearn.compose.TransformedTargetRegressor : One transformation of ``y``
        for all rows.

    Notes
    -----
    The sklstm regressors in a panel pipeline already read each window in its
    own level and scale (``normalize="window"``, which
    :func:`~sklstm.make_lstm_pipeline` sets with ``series_id``); this
    meta-estimator serves regressors that do not (a linear model, a user's
    network) and anyone who wants fixed per-series statistics instead.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import SeriesScaledRegressor, make_lstm_pipeline, make_supervised
    >>> t = np.arange(40.0)
    >>> table = pd.DataFrame({
    ...     "store": ["a"] * 40 + ["b"] * 40,
    ...     "sales": np.r_[10 + np.sin(t), 5000 + 300 * np.sin(t)],
    ... }, index=pd.RangeIndex(80))
    >>> X, y = make_supervised(table, target="sales", series_id="store")
    >>> pipe = make_lstm_pipeline(6, Ridge(1e-3), series_id="store", scaler=None)
    >>> model = SeriesScaledRegressor(pipe, "store", target="sales").fit(X, y)
    >>> model.target_scale_.round(1)
    array([  0.7, 209.1])
    >>> error = np.abs(model.predict(X) - y).groupby(X["store"]).mean()
    >>> (error / model.target_scale_).round(2)  # equal in each series' units
    store
    a    0.06
    b    0.06
    Name: sales, dtype: float64
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "series_id": [str],
        "target": [str, None],
        "unseen": [StrOptions({"error", "pooled"})],
    }

    def __init__(self, estimator, series_id, *, target=None, unseen="error"):
        self.estimator = estimator
        self.series_id = series_id
        self.target = target
        self.unseen = unseen

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Scale each series, fit the estimator on the scaled panel.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            The panel, with the ``series_id`` column.

        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target of each row.

        **fit_params : dict
            Passed to the ``fit`` of the estimator.

        Returns
        -------
        self : object
            Fitted meta-estimator.
        """
        name = type(self).__name__
        if y is None:
            raise ValueError(
                f"{name} requires y to be passed, but the target y is None. "
                f"Pass the targets, e.g. from make_supervised."
            )
        ids, _ = split_series_id(self, X, self.series_id)
        check_consistent_length(X, y)
        self.scaler_ = SeriesScaler(self.series_id, unseen=self.unseen).fit(X)
        self.series_ = self.scaler_.series_
        values = np.asarray(y, dtype=np.float64).reshape(len(ids), -1)
        if self.target is not None:
            columns = list(self.scaler_.feature_names_in_)
            if self.target not in columns:
                raise ValueError(
                    f"{name} got target={self.target!r}, which is not a column "
                    f"of X other than the series id; got columns {columns!r}. "
                    f"Pass the column holding the target's history (the target "
                    f"of make_supervised), or target=None to scale y by its own "
                    f"statistics."
                )
            k = columns.index(self.target)
            self.target_mean_ = self.scaler_.mean_[:, k].copy()
            self.target_scale_ = self.scaler_.scale_[:, k].copy()
            self.pooled_target_mean_ = float(self.scaler_.pooled_mean_[k])
            self.pooled_target_scale_ = float(self.scaler_.pooled_scale_[k])
        else:
            # Series in order of first appearance, as the scaler's series_.
            own = [values[rows] for rows in _groups(ids).values()]
            self.target_mean_ = np.nan_to_num(np.array([np.nanmean(v) for v in own]))
            self.target_scale_ = usable_scale(np.array([np.nanstd(v) for v in own]))
            self.pooled_target_mean_ = float(np.nan_to_num(np.nanmean(values)))
            self.pooled_target_scale_ = float(usable_scale(np.nanstd(values)))
        mean, scale = self._target_statistics(ids)
        scaled = (values - mean[:, None]) / scale[:, None]
        self.estimator_ = clone(self.estimator).fit(
            self.scaler_.transform(X), _like(y, scaled), **fit_params
        )
        self.n_features_in_ = X.shape[1]
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        return self

    def _target_statistics(self, ids):
        """The target's level and scale of each row's series (the unseen
        policy applied: an error names this estimator)."""
        rows = series_rows(self, ids, self.series_, self.unseen)
        mean = np.append(self.target_mean_, self.pooled_target_mean_)
        scale = np.append(self.target_scale_, self.pooled_target_scale_)
        return mean[rows], scale[rows]

    def _scaled(self, X):
        """``X`` scaled per series, and the target statistics of its rows."""
        check_is_fitted(self)
        ids, _ = split_series_id(self, X, self.series_id)
        mean, scale = self._target_statistics(ids)  # before the scaler's check
        return self.scaler_.transform(X), mean, scale

    def predict(self, X):
        """Forecast with the estimator, in each series' own units.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Rows to forecast from, with the ``series_id`` column.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps)
            The estimator's forecasts on the scaled rows, each multiplied by
            the scale of its series' target and added to its level.
        """
        scaled, mean, scale = self._scaled(X)
        return _unscaled(self.estimator_.predict(scaled), mean, scale)

    @property
    def quantiles(self):
        """Quantile levels of the wrapped quantile regressor, or None."""
        return quantile_levels(self.estimator)

    @available_if(lambda self: quantile_levels(self.estimator) is not None)
    def predict_quantiles(self, X):
        """Forecast quantiles with the wrapped quantile regressor, in each
        series' own units (a positive scale keeps their order).

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_features)
            Rows to forecast from, with the ``series_id`` column.

        Returns
        -------
        y_quantiles : ndarray
            As the wrapped regressor's ``predict_quantiles``, mapped back.
        """
        scaled, mean, scale = self._scaled(X)
        return _unscaled(predict_quantiles(self.estimator_, scaled), mean, scale)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.string = True  # the series id
        tags.target_tags.multi_output = inner.target_tags.multi_output
        tags.non_deterministic = inner.non_deterministic
        return tags


def _unscaled(predictions, mean, scale):
    """``predictions`` (rows first, any shape) in their rows' units."""
    values = np.asarray(predictions, dtype=np.float64)
    shape = (-1,) + (1,) * (values.ndim - 1)
    return values * scale.reshape(shape) + mean.reshape(shape)


def _like(y, values):
    """``values`` (2-D) in the type and shape of ``y``."""
    if isinstance(y, pd.DataFrame):
        return pd.DataFrame(values, index=y.index, columns=y.columns)
    if isinstance(y, pd.Series):
        return pd.Series(values[:, 0], index=y.index, name=y.name)
    return values.reshape(np.shape(y))
