"""SeriesScaledRegressor: per-series scaling of the inputs and the target, inverted."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, cross_validate

from sklstm import (
    NaiveRegressor,
    PanelSplit,
    SeriesScaledRegressor,
    SeriesScaler,
    forecast,
    load,
    make_lstm_pipeline,
    make_supervised,
    save,
)

LEVELS = {"s0": 10.0, "s1": 5000.0, "s2": -3.0}
SWINGS = {"s0": 1.0, "s1": 400.0, "s2": 0.01}


def panel(n=60, seed=0):
    """Three daily series, a weekly cycle each, levels and swings far apart."""
    rng = np.random.default_rng(seed)
    times = pd.date_range("2024-01-01", periods=n, freq="D")
    frames = []
    for key, level in LEVELS.items():
        cycle = np.sin(np.arange(n) * 2 * np.pi / 7) + 0.1 * rng.standard_normal(n)
        frames.append(
            pd.DataFrame(
                {"store": key, "sales": level + SWINGS[key] * cycle}, index=times
            )
        )
    return pd.concat(frames).sort_index(kind="stable")


def supervised(horizon=1, data=None):
    return make_supervised(
        panel() if data is None else data,
        target="sales",
        series_id="store",
        horizon=horizon,
    )


def scaled_pipeline(regressor, window=7, **kwargs):
    pipe = make_lstm_pipeline(window, regressor, series_id="store", scaler=None)
    return SeriesScaledRegressor(pipe, "store", **kwargs)


def test_the_naive_forecast_stays_exact_through_the_scaling():
    X, y = supervised()
    model = scaled_pipeline(NaiveRegressor("last"), target="sales").fit(X, y)
    np.testing.assert_allclose(model.predict(X), X["sales"], rtol=1e-9)
    # Its inner regressor saw each series standardised, the target alike.
    for k, key in enumerate(model.series_):
        own = X.loc[X["store"] == key, "sales"]
        assert model.target_mean_[k] == pytest.approx(own.mean())
        assert model.target_scale_[k] == pytest.approx(own.std(ddof=0))


def test_without_target_y_is_scaled_by_its_own_statistics_per_series():
    X, Y = supervised(horizon=[1, 2])
    model = scaled_pipeline(Ridge(1e-3)).fit(X, Y)
    for k, key in enumerate(model.series_):
        own = Y[X["store"] == key].to_numpy()
        assert model.target_mean_[k] == pytest.approx(own.mean())
        assert model.target_scale_[k] == pytest.approx(own.std())
    assert model.predict(X).shape == Y.shape


def test_one_linear_model_forecasts_every_series_in_its_own_units():
    data = panel(n=90)
    X, y = supervised(data=data)
    train = X.index < X.index[-1] - pd.Timedelta(days=20)
    model = scaled_pipeline(Ridge(1e-3), target="sales").fit(X[train], y[train])
    test = ~train
    errors = np.abs(model.predict(X[test]) - y[test]).groupby(X["store"][test]).mean()
    naive = np.abs(X["sales"][test] - y[test]).groupby(X["store"][test]).mean()
    assert (errors < 0.5 * naive).all(), (errors, naive)
    # Without the scaling, one Ridge over the raw panel cannot serve the
    # series of small swing next to the one of large swing.
    raw = make_lstm_pipeline(7, Ridge(1e-3), series_id="store", scaler=None)
    raw.fit(X[train], y[train])
    raw_errors = np.abs(raw.predict(X[test]) - y[test]).groupby(X["store"][test]).mean()
    assert raw_errors["s2"] > 10 * errors["s2"]


def test_a_direct_panel_forecast_is_in_each_series_units():
    data = panel(n=80)
    X, Y = supervised(horizon=[1, 2], data=data)
    model = scaled_pipeline(Ridge(1e-3), target="sales").fit(X, Y)
    ahead = forecast(model, data)
    assert list(ahead.columns) == ["store", "target_time", "forecast"]
    assert len(ahead) == 2 * len(LEVELS)
    for key, rows in ahead.groupby("store"):
        own = data[data["store"] == key]
        expected = model.predict(own.iloc[-7:])[-1]
        np.testing.assert_allclose(rows["forecast"], expected)
        assert np.all(np.abs(rows["forecast"] - LEVELS[key]) < 2 * SWINGS[key])


def test_unseen_series_policy():
    X, y = supervised()
    seen = X["store"] != "s1"
    with pytest.raises(
        ValueError, match=r"SeriesScaledRegressor got series .* not fitted on: \['s1'\]"
    ):
        scaled_pipeline(Ridge()).fit(X[seen], y[seen]).predict(X)
    model = scaled_pipeline(Ridge(), unseen="pooled", target="sales")
    model.fit(X[seen], y[seen])
    rows = X["store"] == "s1"
    inner = model.estimator_.predict(model.scaler_.transform(X[rows]))
    expected = inner * model.pooled_target_scale_ + model.pooled_target_mean_
    np.testing.assert_allclose(model.predict(X[rows]), expected)
    assert model.pooled_target_mean_ == pytest.approx(X["sales"][seen].mean())


def test_quantiles_are_mapped_back_in_order(tmp_path):
    from sklstm import LSTMRegressor

    X, y = supervised()
    regressor = LSTMRegressor(
        units=2,
        quantiles=(0.1, 0.5, 0.9),
        epochs=1,
        early_stopping=False,
        random_state=0,
    )
    model = scaled_pipeline(regressor, target="sales").fit(X, y)
    assert model.quantiles == (0.1, 0.5, 0.9)
    inner = model.estimator_
    scaled = model.scaler_.transform(X)
    raw = inner[-1].predict_quantiles(inner[:-1].transform(scaled))
    mean, scale = model._target_statistics(X["store"].to_numpy())
    got = model.predict_quantiles(X)
    np.testing.assert_allclose(got, raw * scale[:, None] + mean[:, None], rtol=1e-6)
    assert np.all(np.diff(got, axis=-1) >= 0)
    # Saved safely, the network inside loads without Keras (FrozenRegressor).
    save(model, tmp_path / "quantile.sklstm")
    loaded = load(tmp_path / "quantile.sklstm")
    assert type(loaded.estimator_[-1]).__name__ == "FrozenRegressor"
    np.testing.assert_allclose(loaded.predict(X), model.predict(X), rtol=1e-5)
    assert not hasattr(scaled_pipeline(Ridge()), "predict_quantiles")
    assert scaled_pipeline(Ridge()).quantiles is None


def test_bad_input_names_the_estimator_and_the_fix():
    X, y = supervised()
    with pytest.raises(ValueError, match=r"SeriesScaledRegressor got target='price'"):
        scaled_pipeline(Ridge(), target="price").fit(X, y)
    with pytest.raises(ValueError, match=r"SeriesScaledRegressor requires y"):
        scaled_pipeline(Ridge()).fit(X, None)
    with pytest.raises(ValueError, match=r"SeriesScaledRegressor expected X as a Data"):
        scaled_pipeline(Ridge()).fit(X[["sales"]], y)
    with pytest.raises(ValueError, match="unseen"):
        scaled_pipeline(Ridge(), unseen="drop").fit(X, y)


def test_fit_is_repeatable_pickles_saves_clones_and_leaves_the_input_alone(
    tmp_path,
):
    X, y = supervised()
    X_before, y_before = X.copy(), y.copy()
    model = scaled_pipeline(Ridge(), target="sales")
    first = model.fit(X, y).predict(X)
    assert model.fit(X, y) is model
    np.testing.assert_array_equal(model.predict(X), first)
    pd.testing.assert_frame_equal(X, X_before)
    pd.testing.assert_series_equal(y, y_before)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(X), first)
    assert model.n_features_in_ == 2
    assert list(model.feature_names_in_) == ["store", "sales"]
    path = tmp_path / "panel.sklstm"
    save(model, path)
    np.testing.assert_array_equal(load(path).predict(X), first)
    fresh = clone(model)
    assert not hasattr(fresh, "estimator_")
    assert isinstance(model.scaler_, SeriesScaler)


def test_panel_search_fits_the_scaling_on_each_fold_s_training_rows():
    X, y = supervised()
    splitter = PanelSplit(3)
    search = GridSearchCV(
        scaled_pipeline(Ridge(), target="sales"),
        {"estimator__regressor__alpha": [1e-3, 10.0]},
        cv=splitter,
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores)) and scores[0] != scores[1]
    folds = cross_validate(
        scaled_pipeline(Ridge(), target="sales"),
        X,
        y,
        cv=splitter,
        return_estimator=True,
    )
    for model, (train, _) in zip(folds["estimator"], splitter.split(X), strict=True):
        rows = X.iloc[train]
        expected = rows.groupby("store", sort=False)["sales"].mean()
        np.testing.assert_allclose(model.target_mean_, expected[model.series_])


def test_conformal_intervals_around_it_are_in_each_series_units():
    from sklstm import ConformalForecaster

    data = panel(n=80)
    X, Y = supervised(horizon=[1, 2], data=data)
    model = ConformalForecaster(
        scaled_pipeline(Ridge(1e-3), target="sales"), coverage=0.8, series_id="store"
    ).fit(X, Y)
    ahead = forecast(model, data, coverage=0.8)
    assert (ahead["lower"] < ahead["forecast"]).all()
    assert (ahead["forecast"] < ahead["upper"]).all()
    width = (ahead["upper"] - ahead["lower"]).groupby(ahead["store"]).mean()
    # The bands scale with the swings (400 : 1 : 0.01).
    assert width["s1"] > 30 * width["s0"] > 30 * 30 * width["s2"]
