# SPDX-License-Identifier: BSD-3-Clause
"""Interval and quantile metrics, and their scorers."""

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_pinball_loss
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

from sklstm import (
    ConformalForecaster,
    crps_from_quantiles,
    interval_coverage,
    interval_score,
    interval_width,
    make_interval_scorer,
    pinball_loss,
)


def test_coverage_and_width_per_step():
    y = np.array([[1.0, 10.0], [2.0, 20.0]])
    bounds = np.array([[[0, 2], [0, 5]], [[0, 1], [15, 25]]], dtype=float)
    assert interval_coverage(y, bounds) == 0.5
    assert_allclose(interval_coverage(y, bounds, multioutput="raw_values"), [0.5, 0.5])
    assert_allclose(interval_width(y, bounds, multioutput="raw_values"), [1.5, 7.5])


def test_interval_score_is_winkler():
    y = np.array([1.0, -1.0, 4.0])
    bounds = np.array([[0.0, 2.0], [0.0, 2.0], [0.0, 2.0]])
    alpha = 0.1
    expected = np.mean([2.0, 2.0 + 2 / alpha * 1.0, 2.0 + 2 / alpha * 2.0])
    assert interval_score(y, bounds, coverage=0.9) == pytest.approx(expected)


def test_pinball_loss_per_quantile_equals_scikit_learn(rng):
    y = rng.standard_normal((30, 2))
    levels = [0.1, 0.5, 0.9]
    q = np.sort(rng.standard_normal((30, 2, 3)), axis=-1)
    raw = pinball_loss(y, q, quantiles=levels, multioutput="raw_values")
    assert raw.shape == (2, 3)
    for j in range(2):
        for k, tau in enumerate(levels):
            assert raw[j, k] == pytest.approx(
                mean_pinball_loss(y[:, j], q[:, j, k], alpha=tau)
            )
    one_step = pinball_loss(
        y[:, 0], q[:, 0], quantiles=levels, multioutput="raw_values"
    )
    assert_allclose(one_step, raw[0])


def test_crps_from_many_quantiles_approaches_the_gaussian_closed_form():
    # CRPS of N(0, 1) at y: y(2 Phi(y) - 1) + 2 phi(y) - 1 / sqrt(pi).
    from scipy.stats import norm

    y = np.array([0.0, 1.0, -2.0])
    levels = np.linspace(0.005, 0.995, 199)
    q = np.tile(norm.ppf(levels), (3, 1))
    exact = y * (2 * norm.cdf(y) - 1) + 2 * norm.pdf(y) - 1 / np.sqrt(np.pi)
    got = crps_from_quantiles(y, q, quantiles=levels, multioutput="raw_values")
    assert got == pytest.approx(exact.mean(), abs=0.01)


def test_crps_of_a_median_is_the_absolute_error():
    assert crps_from_quantiles([1.0, 3.0], [[1.5], [2.0]], quantiles=[0.5]) == 0.75


@pytest.mark.parametrize(
    "call, msg",
    [
        (
            lambda: interval_coverage([1.0, 2.0], [[0.0, 1.0, 2.0]] * 2),
            "interval_coverage expected y_interval of shape (n_samples, 2) or "
            "(n_samples, n_steps, 2) matching y_true of shape (2,); got shape (2, 3).",
        ),
        (
            lambda: interval_score([1.0], [[0.0, 1.0]], coverage=1.5),
            "interval_score expected coverage strictly between 0 and 1; got 1.5.",
        ),
        (
            lambda: pinball_loss([1.0], [[0.0, 1.0]], quantiles=[0.9, 0.1]),
            "pinball_loss expected quantiles sorted, without repeats, strictly "
            "between 0 and 1; got [0.9, 0.1].",
        ),
        (
            lambda: interval_width([1.0], [[0.0, 1.0]], multioutput="mean"),
            "interval_width expected multioutput='uniform_average' or "
            "'raw_values'; got 'mean'.",
        ),
        (
            lambda: make_interval_scorer("auc"),
            "make_interval_scorer expected metric as one of ['coverage_error', "
            "'interval_coverage', 'interval_score', 'interval_width']; got 'auc'.",
        ),
    ],
)
def test_metric_errors(call, msg):
    with pytest.raises(ValueError, match=re.escape(msg)):
        call()


def test_interval_scorers_in_cross_validation(rng):
    X = rng.standard_normal((240, 3))
    y = X @ [1.0, -2.0, 0.5] + rng.standard_normal(240)
    model = ConformalForecaster(Ridge(), coverage=0.8, calibration_size=40)
    cv = TimeSeriesSplit(n_splits=3)
    for metric in ("interval_score", "coverage_error", "interval_width"):
        scores = cross_val_score(
            model, X, y, cv=cv, scoring=make_interval_scorer(metric, coverage=0.8)
        )
        assert (scores <= 0).all()
    coverage = cross_val_score(
        model, X, y, cv=cv, scoring=make_interval_scorer("interval_coverage")
    )
    assert 0.6 < coverage.mean() < 0.95
