# SPDX-License-Identifier: BSD-3-Clause
"""sklstm pipelines inside MAPIE's conformal regressors (skipped without MAPIE)."""

import numpy as np
import pytest

from sklstm import LSTMRegressor, interval_coverage, make_lstm_pipeline, make_supervised

mapie_regression = pytest.importorskip("mapie.regression")


def _supervised(n=400):
    rng = np.random.default_rng(0)
    return make_supervised(np.sin(np.arange(n) / 8) + rng.normal(scale=0.2, size=n))


def test_lstm_pipeline_in_mapie_split_conformal_prefit():
    X, y = _supervised()
    regressor = LSTMRegressor(
        units=3, epochs=2, random_state=0, early_stopping=False, run_eagerly=True
    )
    pipe = make_lstm_pipeline(8, regressor).fit(X.iloc[:250], y.iloc[:250])
    model = mapie_regression.SplitConformalRegressor(
        pipe, confidence_level=0.8, prefit=True
    ).conformalize(X.iloc[250:320], y.iloc[250:320])
    # MAPIE predicts the rows it is given: pass them with the history before
    # them (rows that continue the fitted ones) and keep the test rows.
    point, bounds = model.predict_interval(X.iloc[250:])
    assert point.shape == (149,) and bounds.shape == (149, 2, 1)
    assert (bounds[:, 0, 0] <= bounds[:, 1, 0]).all()


@pytest.mark.filterwarnings("ignore")  # MAPIE's own notices about resamplings
def test_ridge_lag_pipeline_in_mapie_time_series_enbpi():
    from mapie.subsample import BlockBootstrap
    from sklearn.linear_model import Ridge

    X, y = _supervised()
    cv = BlockBootstrap(n_resamplings=5, n_blocks=5, overlapping=False, random_state=0)
    model = mapie_regression.TimeSeriesRegressor(
        make_lstm_pipeline(12, Ridge()), method="enbpi", cv=cv, agg_function="mean"
    ).fit(X.iloc[:320], y.iloc[:320])
    _, bounds = model.predict(X, confidence_level=0.8, ensemble=True)
    got = interval_coverage(y.iloc[320:], bounds[320:, :, 0])
    assert 0.6 < got <= 1.0
