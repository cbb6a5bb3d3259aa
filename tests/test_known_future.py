"""Covariates known in advance: alignment, windows, leakage, forecasting, errors."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import Ridge

from sklstm import (
    NaiveRegressor,
    SequenceWindower,
    forecast,
    make_lstm_pipeline,
    make_supervised,
)

HOURS = pd.date_range("2024-01-01", periods=200, freq="h")


def demand_table(n=200, seed=0):
    """A demand that follows the temperature of its own hour."""
    rng = np.random.default_rng(seed)
    temp = np.sin(np.arange(n) * 2 * np.pi / 24) + 0.5 * rng.standard_normal(n)
    demand = np.zeros(n)
    for t in range(1, n):
        demand[t] = 0.8 * demand[t - 1] + 2.0 * temp[t] + 0.1 * rng.standard_normal()
    index = pd.date_range("2024-01-01", periods=n, freq="h")
    return pd.DataFrame({"demand": demand, "temp": temp}, index=index)


def tiny_lstm(**params):
    from sklstm import LSTMRegressor

    defaults = {"units": 4, "epochs": 2, "random_state": 0, "early_stopping": False}
    return LSTMRegressor(**{**defaults, **params})


# --- make_supervised -----------------------------------------------------------


def test_lead_columns_hold_the_value_at_each_target_time():
    data = pd.DataFrame(
        {"y": np.arange(10.0), "t": 10.0 * np.arange(10), "h": np.arange(10) % 3},
        index=HOURS[:10],
    )
    X, Y = make_supervised(data, target="y", horizon=[1, 3], known_future=["t", "h"])
    assert list(X.columns) == ["y", "t", "h", "t_t+1", "h_t+1", "t_t+3", "h_t+3"]
    assert len(X) == len(Y) == 7  # dropped at the end exactly as the targets
    assert X.index.equals(Y.index)
    for step in (1, 3):
        np.testing.assert_array_equal(X[f"t_t+{step}"], data["t"].iloc[step:][:7])
        np.testing.assert_array_equal(X[f"h_t+{step}"], data["h"].iloc[step:][:7])
        # The lead and the target of a step share their target time.
        np.testing.assert_array_equal(X[f"t_t+{step}"] / 10, Y[f"y_t+{step}"])
    pd.testing.assert_frame_equal(X[["y", "t", "h"]], data.iloc[:7])


def test_make_supervised_without_known_future_is_unchanged():
    data = demand_table(30)
    X, y = make_supervised(data, target="demand", horizon=2)
    assert list(X.columns) == ["demand", "temp"]


@pytest.mark.parametrize(
    ("known_future", "error", "match"),
    [
        (["demand"], ValueError, "target 'demand' among the known_future"),
        (["wind"], ValueError, r"\['wind'\] that are not columns"),
        ("temp", TypeError, "list of column names"),
        ([], ValueError, "at least one column"),
        (["temp", "temp"], ValueError, "more than once"),
    ],
)
def test_make_supervised_refuses_bad_declarations(known_future, error, match):
    with pytest.raises(error, match=match):
        make_supervised(demand_table(20), target="demand", known_future=known_future)


def test_make_supervised_refuses_non_numeric_and_all_nan_columns():
    data = demand_table(20).assign(kind="a", empty=np.nan)
    with pytest.raises(ValueError, match="'kind' to be numeric; got dtype"):
        make_supervised(data, target="demand", known_future=["kind"])
    with pytest.raises(ValueError, match="'empty' with no observed value"):
        make_supervised(data, target="demand", known_future=["empty"])


def test_make_supervised_needs_named_columns_for_known_future():
    with pytest.raises(ValueError, match="as a DataFrame with named columns"):
        make_supervised(np.ones((10, 2)), target=0, known_future=[1])


# --- the windower --------------------------------------------------------------


def test_windows_end_with_one_forecast_step_per_horizon():
    data = demand_table(40)
    X, _ = make_supervised(
        data, target="demand", horizon=range(1, 4), known_future=["temp"]
    )
    windower = SequenceWindower(5, known_future=["temp"]).fit(X)
    out = windower.transform(X)
    assert out.shape == (len(X), 5 + 3, 2)
    assert windower.lead_steps_ == (1, 2, 3)
    past = (
        SequenceWindower(5).fit(X[["demand", "temp"]]).transform(X[["demand", "temp"]])
    )
    np.testing.assert_array_equal(out[:, :5], past)
    for j, step in enumerate((1, 2, 3)):
        assert np.isnan(out[:, 5 + j, 0]).all()  # the target's future is unknown
        np.testing.assert_array_equal(out[:, 5 + j, 1], X[f"temp_t+{step}"])


def test_flat_windows_put_the_leads_after_the_lags():
    X, _ = make_supervised(
        demand_table(30), target="demand", horizon=2, known_future=["temp"]
    )
    windower = SequenceWindower(3, known_future=["temp"], flatten=True).fit(X)
    names = list(windower.get_feature_names_out())
    assert names[-1] == "temp_t+2"
    assert names[:-1] == [f"{c}_lag{k}" for k in (2, 1, 0) for c in ("demand", "temp")]
    out = windower.transform(X)
    np.testing.assert_array_equal(out[:, -1], X["temp_t+2"])


def test_a_test_fold_gets_its_history_and_its_own_leads():
    X, _ = make_supervised(
        demand_table(60), target="demand", horizon=[1, 2], known_future=["temp"]
    )
    windower = SequenceWindower(6, known_future=["temp"]).fit(X.iloc[:40])
    whole = SequenceWindower(6, known_future=["temp"]).fit(X).transform(X)
    np.testing.assert_array_equal(windower.transform(X.iloc[40:]), whole[40:])


@settings(max_examples=25, deadline=None)
@given(row=st.integers(0, 29), later=st.integers(1, 10), seed=st.integers(0, 1000))
def test_no_look_ahead_beyond_a_rows_own_leads(row, later, seed):
    """Changing any later row changes a window only through the row's leads."""
    X, _ = make_supervised(
        demand_table(45, seed), target="demand", horizon=[1, 3], known_future=["temp"]
    )
    windower = SequenceWindower(4, known_future=["temp"]).fit(X)
    changed = X.copy()
    changed.iloc[min(row + later, len(X) - 1) :] += 100.0
    if row + later >= len(X):
        return
    before = windower.transform(X)[row]
    after = windower.transform(changed)[row]
    np.testing.assert_array_equal(before, after)


def test_undeclared_lead_columns_warn():
    X, _ = make_supervised(demand_table(30), target="demand", known_future=["temp"])
    with pytest.warns(UserWarning, match=r"look like lead columns .*'temp_t\+1'"):
        SequenceWindower(3).fit(X)


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        (["demand", "temp"], "found no lead column"),
        (
            ["demand", "temp", "temp_t+1", "temp_t+2", "wind", "wind_t+1"],
            r"missing \['wind_t\+2'\]",
        ),
        (["demand", "temp_t+1"], r"\['temp'\] appear only as lead columns"),
    ],
)
def test_windower_refuses_inconsistent_lead_columns(columns, match):
    X = pd.DataFrame(np.ones((10, len(columns))), columns=columns)
    known = ["temp", "wind"] if "wind" in columns else ["temp"]
    with pytest.raises(ValueError, match=match):
        SequenceWindower(3, known_future=known).fit(X)


def test_windower_needs_column_names_for_known_future():
    with pytest.raises(ValueError, match="needs X as a DataFrame whose columns"):
        SequenceWindower(3, known_future=["temp"]).fit(np.ones((10, 3)))


def test_windower_with_known_future_pickles_and_clones():
    X, _ = make_supervised(demand_table(30), target="demand", known_future=["temp"])
    windower = SequenceWindower(3, known_future=["temp"]).fit(X)
    again = pickle.loads(pickle.dumps(windower))
    np.testing.assert_array_equal(again.transform(X), windower.transform(X))
    assert clone(windower).known_future == ["temp"]


# --- pipelines -----------------------------------------------------------------


def test_tabular_regressors_get_the_leads_as_plain_columns():
    X, y = make_supervised(demand_table(120), target="demand", known_future=["temp"])
    pipe = make_lstm_pipeline(4, Ridge(), known_future=["temp"]).fit(X, y)
    names = pipe[:-1].get_feature_names_out()
    assert names[-1] == "temp_t+1"
    # demand[t+1] = 0.8 demand[t] + 2 temp[t+1] + noise: Ridge finds the lead.
    weights = dict(zip(names, pipe[-1].coef_, strict=True))
    assert weights["temp_t+1"] > 0.5 * abs(weights["temp_lag0"])
    assert np.mean(np.abs(pipe.predict(X) - y)) < 0.2


def test_pipeline_refuses_a_window_regressor_without_known_future():
    with pytest.raises(
        ValueError, match="NaiveRegressor takes windows without a known_future"
    ):
        make_lstm_pipeline(4, NaiveRegressor(), known_future=["temp"])


def test_regressor_refuses_windows_without_forecast_steps():
    X = np.random.default_rng(0).standard_normal((20, 5, 2))
    with pytest.raises(ValueError, match="step 4 is fully observed in some windows"):
        tiny_lstm(known_future=True).fit(X, X[:, -1, 0])


@pytest.mark.slow
def test_known_future_covariates_improve_the_forecast():
    data = demand_table(360)
    X, Y = make_supervised(
        data, target="demand", horizon=range(1, 4), known_future=["temp"]
    )
    train, test = slice(0, 280), slice(280, None)
    errors = {}
    for name, columns, known in [
        ("past only", ["demand", "temp"], None),
        ("known", list(X.columns), ["temp"]),
    ]:
        pipe = make_lstm_pipeline(12, tiny_lstm(units=8, epochs=40), known_future=known)
        pipe.fit(X[columns].iloc[train], Y.iloc[train])
        errors[name] = np.mean(
            np.abs(pipe.predict(X[columns].iloc[test]) - Y.iloc[test])
        )
    assert errors["known"] < 0.6 * errors["past only"], errors


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"cell": "gru"},
        {"quantiles": (0.1, 0.5, 0.9)},
        {"linear_skip": "last", "normalize": None},
    ],
)
def test_numpy_forward_matches_keras_with_forecast_steps(params):
    X, Y = make_supervised(
        demand_table(80), target="demand", horizon=[1, 2], known_future=["temp"]
    )
    pipe = make_lstm_pipeline(6, tiny_lstm(**params), known_future=["temp"]).fit(X, Y)
    regressor = pipe[-1]
    regressor.set_params(predict_backend="keras")
    by_keras = pipe.predict(X)
    regressor.set_params(predict_backend="numpy")
    np.testing.assert_allclose(pipe.predict(X), by_keras, atol=1e-5)
    windows = pipe[:-1].transform(X)
    assert regressor.gate_activations(windows)["hidden"].shape[1] == 6  # past only


def test_stacked_and_bidirectional_read_forecast_steps():
    from sklstm import BiLSTMRegressor, StackedLSTMRegressor

    X, y = make_supervised(demand_table(80), target="demand", known_future=["temp"])
    for regressor in (
        StackedLSTMRegressor(units=(3, 2), epochs=2, random_state=0),
        BiLSTMRegressor(units=3, epochs=2, random_state=0),
    ):
        pipe = make_lstm_pipeline(5, regressor, known_future=["temp"]).fit(X, y)
        assert pipe[-1].model_.get_layer("forecast_steps").n_future == 1
        regressor = pipe[-1].set_params(predict_backend="keras")
        by_keras = pipe.predict(X)
        regressor.set_params(predict_backend="numpy")
        np.testing.assert_allclose(pipe.predict(X), by_keras, atol=1e-5)


# --- leakage contract of a fitted pipeline --------------------------------------


@pytest.fixture(scope="module")
def fitted_day_ahead():
    data = demand_table(150)
    X, Y = make_supervised(
        data, target="demand", horizon=[1, 2, 4], known_future=["temp"]
    )
    pipe = make_lstm_pipeline(6, tiny_lstm(), known_future=["temp"]).fit(X, Y)
    return data, pipe


@settings(max_examples=20, deadline=None)
@given(
    origin=st.integers(20, 130),
    later=st.integers(1, 12),
    column=st.sampled_from(["demand", "temp"]),
)
def test_predictions_move_only_through_declared_values_at_target_times(
    fitted_day_ahead, origin, later, column
):
    data, pipe = fitted_day_ahead
    time = origin + later
    if time >= len(data):
        return
    changed = data.copy()
    changed.iloc[time, changed.columns.get_loc(column)] += 5.0
    before = pipe.predict(
        make_supervised(
            data, target="demand", horizon=[1, 2, 4], known_future=["temp"]
        )[0]
    )
    X_after = make_supervised(
        changed, target="demand", horizon=[1, 2, 4], known_future=["temp"]
    )[0]
    after = pipe.predict(X_after)
    moved = not np.array_equal(before[origin], after[origin])
    at_a_target_time = column == "temp" and later in (1, 2, 4)
    assert moved == at_a_target_time


# --- forecast(future=) ----------------------------------------------------------


@pytest.fixture(scope="module")
def day_ahead_ridge():
    data = demand_table(150)
    X, Y = make_supervised(
        data, target="demand", horizon=[1, 2, 3], known_future=["temp"]
    )
    return data, X, make_lstm_pipeline(6, Ridge(), known_future=["temp"]).fit(X, Y)


def test_forecast_with_future_equals_the_prediction_of_that_row(day_ahead_ridge):
    data, X, pipe = day_ahead_ridge
    origin = X.index[-1]
    history = data.loc[:origin]
    future = data.loc[origin:, ["temp"]].iloc[1:4]
    out = forecast(pipe, history, future=future)
    assert out.index.equals(future.index)
    np.testing.assert_allclose(out.to_numpy(), pipe.predict(X)[-1])


def test_forecast_takes_a_callable_future(day_ahead_ridge):
    data, X, pipe = day_ahead_ridge
    history = data.loc[: X.index[-1]]
    seen = []

    def temperatures(times):
        seen.append(times)
        return data.loc[times, ["temp"]]

    out = forecast(pipe, history, future=temperatures)
    assert seen[0].equals(out.index)
    pd.testing.assert_series_equal(
        out, forecast(pipe, history, future=data.loc[out.index, ["temp"]])
    )


def test_forecast_from_origins_reads_known_values_from_the_history(day_ahead_ridge):
    data, X, pipe = day_ahead_ridge
    origins = X.index[[-30, -10]]
    table = forecast(pipe, data, origins=origins)
    for origin in origins:
        got = table.loc[table["origin"] == origin, "forecast"].to_numpy()
        np.testing.assert_allclose(got, pipe.predict(X.loc[:origin])[-1])


@pytest.mark.parametrize(
    ("make_future", "match"),
    [
        (lambda f: f.iloc[:2], r"missing \[2024-01-07 05:00:00\] \(1\)"),
        (lambda f: pd.concat([f, f.iloc[[0]]]).sort_index(), "duplicated"),
        (lambda f: pd.concat([f, f.shift(3, freq="h").iloc[[-1]]]), "extra"),
        (lambda f: f.assign(temp=[1.0, np.nan, 2.0]), "got NaN in future"),
        (lambda f: f.rename(columns={"temp": "t"}), r"missing \['temp'\]"),
        (lambda f: f.asfreq("2h"), "frequency 'h'"),
        (lambda f: f["temp"].to_numpy(), "expected future as a DataFrame"),
    ],
)
def test_forecast_refuses_future_values_that_do_not_fit(
    day_ahead_ridge, make_future, match
):
    data, X, pipe = day_ahead_ridge
    origin = X.index[-1]
    future = data.loc[origin:, ["temp"]].iloc[1:4]
    with pytest.raises((ValueError, TypeError), match=match):
        forecast(pipe, data.loc[:origin], future=make_future(future))


def test_forecast_needs_future_for_a_known_future_model(day_ahead_ridge):
    data, _, pipe = day_ahead_ridge
    with pytest.raises(ValueError, match=r"expected future=.*\['temp'\]"):
        forecast(pipe, data)


def test_forecast_refuses_future_for_a_model_without_covariates():
    data = demand_table(60)
    X, y = make_supervised(data, target="demand")
    pipe = make_lstm_pipeline(4, Ridge()).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(
            ValueError, match="fitted without covariates known in advance"
        ):
            forecast(pipe, data, future=data[["temp"]].iloc[:1])
