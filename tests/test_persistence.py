# SPDX-License-Identifier: BSD-3-Clause
"""Tests for the safe format: sklstm.save and sklstm.load (sklstm/_persistence.py,
_archive.py, _frozen.py).

Tiny networks (2-3 units, 1 epoch): they prove the format, not the fit.
"""

import io
import json
import os
import pickle
import re
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler

import sklstm
from sklstm import (
    BiLSTMRegressor,
    ConformalForecaster,
    FrozenRegressor,
    LSTMRegressor,
    NaiveRegressor,
    SequenceRegressor,
    SequenceWindower,
    StackedLSTMRegressor,
    make_lstm_pipeline,
    make_supervised,
)

TINY = dict(epochs=1, early_stopping=False, random_state=0)


def _frame(n=48):
    t = np.arange(n)
    days = pd.date_range("2024-01-01", periods=n, freq="D")
    return pd.DataFrame({"y": np.sin(t / 4) + t / 20, "x": np.cos(t / 3)}, index=days)


@pytest.fixture(scope="module")
def data():
    return make_supervised(_frame(), target="y", horizon=range(1, 3))


def _roundtrip(estimator, tmp_path, **load_kwargs):
    path = tmp_path / "model.sklstm"
    sklstm.save(estimator, path)
    return sklstm.load(path, **load_kwargs)


NETWORKS = {
    "lstm": LSTMRegressor(units=2, **TINY),
    "gru-normalize": LSTMRegressor(units=2, cell="gru", normalize="last", **TINY),
    "stacked-skip": StackedLSTMRegressor(units=(3, 2), linear_skip="window", **TINY),
    "lstm-relative-skip": LSTMRegressor(units=2, linear_skip="relative", **TINY),
    "bilstm-sum-skip": BiLSTMRegressor(
        units=2, merge_mode="sum", linear_skip="last", **TINY
    ),
    "bigru-stacked": BiLSTMRegressor(units=(2, 2), cell="gru", **TINY),
    "lstm-quantiles": LSTMRegressor(units=2, quantiles=(0.1, 0.5, 0.9), **TINY),
}


@pytest.fixture(scope="module")
def fitted(data):
    """Each network in the standard pipeline, fitted once."""
    X, y = data
    return {
        name: make_lstm_pipeline(4, reg).fit(X, y) for name, reg in NETWORKS.items()
    }


@pytest.mark.parametrize("name", NETWORKS)
def test_save_load_predicts_as_the_original(fitted, data, tmp_path, name):
    X, _ = data
    pipe = fitted[name]
    loaded = _roundtrip(pipe, tmp_path)
    assert isinstance(loaded[-1], FrozenRegressor)
    assert loaded[-1].estimator_type == type(pipe[-1]).__name__
    assert_allclose(loaded.predict(X), pipe.predict(X), atol=1e-6)
    # Through Keras's own predict too, not only sklstm's NumPy path.
    keras_pred = (
        pipe[-1].set_params(predict_backend="keras").predict(pipe[:-1].transform(X))
    )
    pipe[-1].set_params(predict_backend="auto")
    assert_allclose(loaded[-1].predict(pipe[:-1].transform(X)), keras_pred, atol=1e-5)
    if pipe[-1].quantiles is not None:
        windows = pipe[:-1].transform(X)
        assert_allclose(
            loaded[-1].predict_quantiles(windows),
            pipe[-1].predict_quantiles(windows),
            atol=1e-6,
        )
    # The windower's memory survives: the last row alone gets its history.
    assert_allclose(loaded.predict(X.iloc[[-1]]), pipe.predict(X.iloc[[-1]]), atol=1e-6)
    assert_allclose(sklstm.forecast(loaded, X), sklstm.forecast(pipe, X), atol=1e-6)


#: Networks that read covariates known in advance (``x``), with the horizons
#: they forecast: one forecast step per horizon ends each window.
KNOWN_FUTURE = {
    "lstm": (LSTMRegressor(units=2, **TINY), 1),
    "gru-levels": (LSTMRegressor(units=2, cell="gru", normalize=None, **TINY), 1),
    "lstm-quantiles": (LSTMRegressor(units=2, quantiles=(0.1, 0.5, 0.9), **TINY), 1),
    "bilstm-skip-multistep": (
        BiLSTMRegressor(units=2, linear_skip="window", **TINY),
        range(1, 3),
    ),
}


def _known_future_data(horizon):
    return make_supervised(_frame(), target="y", horizon=horizon, known_future=["x"])


@pytest.fixture(scope="module")
def fitted_known_future():
    """Each known-future network in its pipeline, fitted once, with its X."""
    fitted = {}
    for name, (reg, horizon) in KNOWN_FUTURE.items():
        X, y = _known_future_data(horizon)
        pipe = make_lstm_pipeline(4, reg, known_future=["x"]).fit(X, y)
        fitted[name] = pipe, X
    return fitted


@pytest.mark.parametrize("name", KNOWN_FUTURE)
def test_save_load_known_future_predicts_as_the_original(
    fitted_known_future, tmp_path, name
):
    pipe, X = fitted_known_future[name]
    loaded = _roundtrip(pipe, tmp_path)
    reg, original = loaded[-1], pipe[-1]
    assert isinstance(reg, FrozenRegressor)
    assert reg.network_.args["future_steps"] == original.n_future_steps_ >= 1
    assert reg.n_future_steps_ == original.n_future_steps_
    windower = loaded.named_steps["windower"]
    assert windower.known_future == ["x"]
    assert windower.lead_steps_ == pipe.named_steps["windower"].lead_steps_
    windows = pipe[:-1].transform(X)
    np.testing.assert_array_equal(loaded[:-1].transform(X), windows)
    assert_allclose(loaded.predict(X), pipe.predict(X), atol=1e-6)
    assert_allclose(loaded.predict(X.iloc[[-1]]), pipe.predict(X.iloc[[-1]]), atol=1e-6)
    if original.quantiles is not None:
        assert_allclose(
            reg.predict_quantiles(windows),
            original.predict_quantiles(windows),
            atol=1e-6,
        )
    # forecast(future=) reads the loaded windower's declaration and leads.
    data = _frame()
    origin = X.index[-1]
    future = data.loc[origin:, ["x"]].iloc[1 : 1 + original.n_future_steps_]
    assert_allclose(
        sklstm.forecast(loaded, data.loc[:origin], future=future),
        sklstm.forecast(pipe, data.loc[:origin], future=future),
        atol=1e-6,
    )


def test_load_trainable_rebuilds_a_known_future_network(fitted_known_future, tmp_path):
    pipe, X = fitted_known_future["bilstm-skip-multistep"]
    loaded = _roundtrip(pipe, tmp_path, trainable=True)
    reg = loaded[-1]
    assert type(reg) is type(pipe[-1])
    assert reg.get_params() == pipe[-1].get_params()
    assert reg.n_future_steps_ == 2
    assert reg.model_.get_layer("forecast_steps").n_future == 2
    windows = pipe[:-1].transform(X)
    keras_out = reg.model_.predict(windows, verbose=0)
    assert_allclose(keras_out, pipe[-1].model_.predict(windows, verbose=0), atol=1e-6)
    assert_allclose(loaded.predict(X), pipe.predict(X), atol=1e-6)
    again = _roundtrip(loaded, tmp_path)  # the thawed regressor saves again
    assert_allclose(again.predict(X), pipe.predict(X), atol=1e-6)


@pytest.mark.parametrize("flatten", [False, True])
def test_save_load_windower_with_known_future(tmp_path, flatten):
    X, _ = _known_future_data(range(1, 3))
    windower = SequenceWindower(3, known_future=["x"], flatten=flatten).fit(X)
    loaded = _roundtrip(windower, tmp_path)
    assert loaded.known_future == ["x"]
    assert loaded.lead_steps_ == (1, 2) and type(loaded.lead_steps_) is tuple
    np.testing.assert_array_equal(loaded.transform(X), windower.transform(X))
    np.testing.assert_array_equal(
        loaded.transform(X.iloc[-2:]), windower.transform(X.iloc[-2:])
    )
    if flatten:  # the leads after the lags, named as before
        assert list(loaded.get_feature_names_out()) == list(
            windower.get_feature_names_out()
        )


@pytest.mark.parametrize("name", ["gru-normalize", "bigru-stacked"])
def test_load_trainable_rebuilds_the_keras_network(fitted, data, tmp_path, name):
    X, y = data
    pipe = fitted[name]
    loaded = _roundtrip(pipe, tmp_path, trainable=True)
    reg = loaded[-1]
    assert type(reg) is type(pipe[-1])
    assert reg.get_params() == pipe[-1].get_params()
    assert_allclose(loaded.predict(X), pipe.predict(X), atol=1e-6)
    windows = pipe[:-1].transform(X)
    keras_out = reg.model_.predict(windows, verbose=0)
    assert_allclose(keras_out, pipe[-1].model_.predict(windows, verbose=0), atol=1e-6)
    if name != "gru-normalize":
        return  # training on: once is enough (compiling costs seconds)
    reg.set_params(warm_start=True)
    loaded.fit(X, y)  # trains on from the saved weights
    assert len(reg.history_["loss"]) == 1
    # ... and saves again.
    again = _roundtrip(loaded, tmp_path)
    assert_allclose(again.predict(X), loaded.predict(X), atol=1e-6)


def test_frozen_regressor_thaws_and_refuses_to_fit(fitted, data, tmp_path):
    X, y = data
    frozen = _roundtrip(fitted["lstm"][-1], tmp_path)
    windows = fitted["lstm"][:-1].transform(X)
    assert frozen.n_outputs_ == 2 and frozen.sequence_shape_ == (4, 2)
    assert frozen.history_["loss"] == fitted["lstm"][-1].history_["loss"]
    assert frozen.versions_ == fitted["lstm"][-1].versions_
    with pytest.raises(TypeError, match=re.escape("FrozenRegressor (a LSTMRegressor")):
        frozen.fit(windows, y)
    thawed = frozen.thaw()
    assert isinstance(thawed, LSTMRegressor)
    assert_allclose(thawed.predict(windows), frozen.predict(windows), atol=1e-6)
    again = _roundtrip(frozen, tmp_path)  # a loaded model saves again
    assert_allclose(again.predict(windows), frozen.predict(windows))
    assert again.get_params() == frozen.get_params()


#: The networks the fresh-process test loads, besides a known-future one.
NO_KERAS = ("stacked-skip", "bilstm-sum-skip", "gru-normalize")


def test_load_predicts_without_importing_keras_or_tensorflow(
    fitted, fitted_known_future, data, tmp_path
):
    models = {name: (fitted[name], data[0]) for name in NO_KERAS}
    models["known-future"] = fitted_known_future["bilstm-skip-multistep"]
    for name, (pipe, X) in models.items():
        sklstm.save(pipe, tmp_path / f"{name}.sklstm")
        np.save(tmp_path / f"{name}.npy", pipe.predict(X))
        X.to_csv(tmp_path / f"{name}.csv")
    script = textwrap.dedent(
        f"""
        import sys
        import numpy as np, pandas as pd
        import sklstm
        for name in {list(models)!r}:
            path = {str(tmp_path)!r} + f"/{{name}}"
            X = pd.read_csv(path + ".csv", index_col=0, parse_dates=True)
            X.index.freq = "D"
            model = sklstm.load(path + ".sklstm")
            expected = np.load(path + ".npy")
            assert np.abs(model.predict(X) - expected).max() < 1e-6, name
        heavy = ("keras", "tensorflow")
        print("heavy:", sorted(m for m in sys.modules if m.split(".")[0] in heavy))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(sklstm.__file__)),
    )
    assert out.returncode == 0, out.stderr
    assert "heavy: []" in out.stdout


@pytest.mark.parametrize(
    "regressor, scaler",
    [
        (NaiveRegressor("seasonal", season=3), "standard"),
        (Ridge(alpha=0.5), MinMaxScaler()),
        (LinearRegression(), RobustScaler()),
        (NaiveRegressor("drift"), MaxAbsScaler()),
        (NaiveRegressor(), None),
    ],
)
def test_save_load_pipelines_without_networks(data, tmp_path, regressor, scaler):
    X, y = data
    fill = np.nan if isinstance(regressor, NaiveRegressor) else 0.0
    pipe = make_lstm_pipeline(6, regressor, scaler=scaler, fill_value=fill).fit(X, y)
    loaded = _roundtrip(pipe, tmp_path)
    assert repr(loaded) == repr(pipe)
    assert_allclose(loaded.predict(X), pipe.predict(X))
    assert_allclose(loaded.predict(X.iloc[-2:]), pipe.predict(X.iloc[-2:]))


def test_save_load_conformal_intervals(fitted, data, tmp_path):
    X, y = data
    base = make_lstm_pipeline(
        4, LSTMRegressor(units=2, quantiles=(0.1, 0.5, 0.9), **TINY)
    )
    conformal = ConformalForecaster(base, coverage=0.8, refit=False).fit(X, y)
    loaded = _roundtrip(conformal, tmp_path)
    assert isinstance(loaded.estimator_[-1], FrozenRegressor)
    assert isinstance(loaded.estimator[-1], FrozenRegressor)  # the unfitted template
    assert_allclose(
        np.stack(loaded.predict_interval(X)),
        np.stack(conformal.predict_interval(X)),
        atol=1e-6,
    )
    assert_allclose(
        sklstm.forecast(loaded, X, coverage=0.8),
        sklstm.forecast(conformal, X, coverage=0.8),
        atol=1e-6,
    )
    ridge = ConformalForecaster(make_lstm_pipeline(4, Ridge()), calibration="cv", cv=3)
    ridge.fit(X, y)
    again = _roundtrip(ridge, tmp_path, trainable=True)
    assert_allclose(again.calibration_scores_, ridge.calibration_scores_)
    again.update(X.iloc[-3:], y.iloc[-3:])  # adaptive conformal inference goes on


def test_save_load_arrays_and_integer_positions(tmp_path):
    """NumPy input: the windower's memory is indexed by integer positions."""
    X, y = make_supervised(np.sin(np.arange(40) / 3))
    pipe = make_lstm_pipeline(5, LSTMRegressor(units=2, **TINY)).fit(X, y)
    loaded = _roundtrip(pipe, tmp_path)
    assert_allclose(loaded.predict(X), pipe.predict(X), atol=1e-6)
    windower = loaded.named_steps["windower"]
    original = pipe.named_steps["windower"]
    assert type(windower.memory_index_) is type(original.memory_index_)
    assert windower.memory_index_.equals(original.memory_index_)


def test_save_load_windower_with_timezone_and_names(tmp_path):
    days = pd.date_range("2024-03-30", periods=12, freq="h", tz="Europe/Paris")
    X = pd.DataFrame({"a": np.arange(12.0), "b": np.ones(12)}, index=days)
    windower = SequenceWindower(3).fit(X)
    loaded = _roundtrip(windower, tmp_path)
    assert loaded.memory_index_.equals(windower.memory_index_)
    assert loaded.memory_index_.freq == windower.memory_index_.freq
    assert str(loaded.memory_index_.tz) == "Europe/Paris"
    assert list(loaded.feature_names_in_) == ["a", "b"]
    np.testing.assert_array_equal(
        loaded.transform(X.iloc[-2:]), windower.transform(X.iloc[-2:])
    )


def test_save_load_unfitted_plain_steps(tmp_path):
    loaded = _roundtrip(make_lstm_pipeline(3, NaiveRegressor()), tmp_path)
    assert [name for name, _ in loaded.steps] == ["scaler", "windower", "regressor"]


# --- what save refuses --------------------------------------------------------


def _conv_net(input_shape, n_outputs):
    import keras

    inputs = keras.Input(input_shape)
    x = keras.layers.GlobalAveragePooling1D()(inputs)
    return keras.Model(inputs, keras.layers.Dense(n_outputs)(x))


def test_save_refuses_a_users_network(data, tmp_path):
    X, y = data
    windows = SequenceWindower(4, fill_value=0.0).fit_transform(X)
    reg = SequenceRegressor(_conv_net, mask_missing=False, **TINY).fit(windows, y)
    with pytest.raises(
        TypeError, match="cannot store a SequenceRegressor: its network"
    ):
        sklstm.save(reg, tmp_path / "m.sklstm")
    assert not (tmp_path / "m.sklstm").exists()


def test_save_refuses_unknown_types_and_non_plain_parameters(data, tmp_path):
    X, y = data
    pipe = make_lstm_pipeline(4, KNeighborsRegressor(2), fill_value=0.0).fit(X, y)
    with pytest.raises(
        TypeError,
        match=re.escape(
            "cannot store a sklearn.neighbors._regression.KNeighborsRegressor"
        ),
    ):
        sklstm.save(pipe, tmp_path / "m.sklstm")
    import keras

    reg = LSTMRegressor(units=2, callbacks=[keras.callbacks.TerminateOnNaN()], **TINY)
    pipe = make_lstm_pipeline(4, reg).fit(X, y)
    with pytest.raises(TypeError, match="parameter 'callbacks'.* is a keras"):
        sklstm.save(pipe, tmp_path / "m.sklstm")
    assert not (tmp_path / "m.sklstm").exists()


def test_save_load_an_unfitted_regressor_keeps_its_parameters(tmp_path):
    reg = StackedLSTMRegressor(units=(3, 2), cell="gru", quantiles=[0.2, 0.5])
    frozen = _roundtrip(reg, tmp_path)
    assert isinstance(frozen, FrozenRegressor) and not hasattr(frozen, "network_")
    assert frozen.thaw().get_params() == reg.get_params()
    assert _roundtrip(reg, tmp_path, trainable=True).get_params() == reg.get_params()


# --- tampered archives ----------------------------------------------------------


@pytest.fixture(scope="module")
def archive(fitted, tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "model.sklstm"
    sklstm.save(fitted["lstm"], path)
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _write(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _description(members):
    return json.loads(members["sklstm.json"])


def _with_description(members, description):
    return {**members, "sklstm.json": json.dumps(description)}


def _weight_refs(description):
    steps = description["estimator"]["steps"]
    return steps[-1][1]["network"]["layers"][0]["weights"]


def _npy(array, allow_pickle=False):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


class _Payload:
    def __reduce__(self):
        return (print, ("pwned",))


def test_load_refuses_a_pickle_payload(archive, tmp_path, capsys):
    description = _description(archive)
    member = _weight_refs(description)[0]["__array__"]
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload()
    path = _write(
        tmp_path / "m.sklstm", {**archive, member: _npy(payload, allow_pickle=True)}
    )
    with pytest.raises(
        ValueError, match="holds Python objects, which only pickle could load; refused"
    ):
        sklstm.load(path)
    # A raw pickle as the archive, or as an extra member, is refused too.
    (tmp_path / "p.sklstm").write_bytes(pickle.dumps(_Payload()))
    with pytest.raises(ValueError, match="is not a complete sklstm archive"):
        sklstm.load(tmp_path / "p.sklstm")
    extra = _write(
        tmp_path / "e.sklstm", {**archive, "model.pkl": pickle.dumps(_Payload())}
    )
    with pytest.raises(ValueError, match=re.escape("does not declare, ['model.pkl']")):
        sklstm.load(extra)
    assert "pwned" not in capsys.readouterr().out


def test_load_refuses_an_unknown_type(archive, tmp_path):
    description = _description(archive)
    description["estimator"]["steps"][0][1]["type"] = "builtins.eval"
    path = _write(tmp_path / "m.sklstm", _with_description(archive, description))
    with pytest.raises(
        ValueError,
        match="is of type 'builtins.eval', which sklstm does not rebuild; refused",
    ):
        sklstm.load(path)


def test_load_refuses_arrays_of_the_wrong_shape_or_dtype(archive, tmp_path):
    description = _description(archive)
    ref = _weight_refs(description)[0]
    kernel = np.load(io.BytesIO(archive[ref["__array__"]]))
    # The member differs from its declaration.
    path = _write(
        tmp_path / "a.sklstm", {**archive, ref["__array__"]: _npy(kernel[:1])}
    )
    with pytest.raises(ValueError, match="its description declares <f4 and"):
        sklstm.load(path)
    # Member and declaration agree, but not with the network's arguments.
    ref["shape"] = [1, kernel.shape[1]]
    members = {
        **_with_description(archive, description),
        ref["__array__"]: _npy(kernel[:1]),
    }
    with pytest.raises(
        ValueError,
        match="does not match its weights; refused.*'lstm_0' has weights of shapes",
    ):
        sklstm.load(_write(tmp_path / "b.sklstm", members))
    # Integers where floats belong.
    ref["shape"], ref["dtype"] = list(kernel.shape), "<i8"
    members = {
        **_with_description(archive, description),
        ref["__array__"]: _npy(kernel.astype(np.int64)),
    }
    with pytest.raises(ValueError, match="has dtype int64, which is not allowed there"):
        sklstm.load(_write(tmp_path / "c.sklstm", members))


def _layer(description, name):
    network = description["estimator"]["steps"][-1][1]["network"]
    return next(layer for layer in network["layers"] if layer["name"] == name)


def test_load_refuses_a_tampered_known_future_network(
    fitted_known_future, archive, tmp_path
):
    # Plain networks store no future_steps: older sklstm versions read them.
    args = _description(archive)["estimator"]["steps"][-1][1]["network"]["args"]
    assert "future_steps" not in args["__dict__"]
    path = tmp_path / "kf.sklstm"
    sklstm.save(fitted_known_future["lstm"][0], path)
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    # A future layer's weights of another shape (member and declaration agree).
    description = _description(members)
    ref = _layer(description, "future_hidden")["weights"][0]
    kernel = np.load(io.BytesIO(members[ref["__array__"]]))
    ref["shape"] = [kernel.shape[0] - 1, kernel.shape[1]]
    tampered = {
        **_with_description(members, description),
        ref["__array__"]: _npy(kernel[1:]),
    }
    with pytest.raises(
        ValueError,
        match=re.escape(
            f"does not match its weights; refused (layer 'future_hidden' has "
            f"weights of shapes [({kernel.shape[0] - 1}, {kernel.shape[1]}), "
            f"({kernel.shape[1]},)]; the network's arguments give "
            f"[{kernel.shape}, ({kernel.shape[1]},)])"
        ),
    ):
        sklstm.load(_write(tmp_path / "a.sklstm", tampered))
    # A future layer left out.
    description = _description(members)
    network = description["estimator"]["steps"][-1][1]["network"]
    network["layers"] = [
        layer for layer in network["layers"] if layer["name"] != "future_head"
    ]
    tampered = _with_description(members, description)
    dropped = [
        w["__array__"] for w in _layer(_description(members), "future_head")["weights"]
    ]
    tampered = {k: v for k, v in tampered.items() if k not in dropped}
    with pytest.raises(ValueError, match="its arguments give .*'future_head'"):
        sklstm.load(_write(tmp_path / "b.sklstm", tampered))
    # The regressor's forecast steps disagree with its network's.
    description = _description(members)
    description["estimator"]["steps"][-1][1]["state"]["n_future_steps_"] = 0
    with pytest.raises(
        ValueError,
        match=re.escape("has n_future_steps_=0, but its network reads 1 forecast"),
    ):
        sklstm.load(
            _write(tmp_path / "c.sklstm", _with_description(members, description))
        )
    description = _description(members)
    network = description["estimator"]["steps"][-1][1]["network"]
    network["args"]["__dict__"]["future_steps"] = True
    with pytest.raises(
        ValueError, match=re.escape("future_steps=True (expected an int")
    ):
        sklstm.load(
            _write(tmp_path / "d.sklstm", _with_description(members, description))
        )


def test_load_refuses_a_missing_member_and_a_truncated_file(archive, tmp_path):
    ref = _weight_refs(_description(archive))[1]["__array__"]
    missing = {name: data for name, data in archive.items() if name != ref}
    with pytest.raises(ValueError, match="is missing from the archive"):
        sklstm.load(_write(tmp_path / "m.sklstm", missing))
    without = {name: data for name, data in archive.items() if name != "sklstm.json"}
    with pytest.raises(ValueError, match="has no sklstm.json member"):
        sklstm.load(_write(tmp_path / "n.sklstm", without))
    whole = _write(tmp_path / "w.sklstm", archive).read_bytes()
    for cut in (len(whole) // 2, len(whole) - 30):
        (tmp_path / "t.sklstm").write_bytes(whole[:cut])
        with pytest.raises(ValueError, match="is not a complete sklstm archive"):
            sklstm.load(tmp_path / "t.sklstm")


def test_load_refuses_bad_parameters_attributes_and_format(archive, tmp_path):
    description = _description(archive)
    windower = description["estimator"]["steps"][1][1]
    windower["params"]["window"] = True
    path = _write(tmp_path / "p.sklstm", _with_description(archive, description))
    with pytest.raises(
        ValueError, match="has invalid parameters: The 'window' parameter"
    ):
        sklstm.load(path)
    description = _description(archive)
    description["estimator"]["steps"][1][1]["state"]["transform"] = 1
    path = _write(tmp_path / "s.sklstm", _with_description(archive, description))
    with pytest.raises(
        ValueError,
        match="sets the attribute 'transform', which is not a fitted attribute",
    ):
        sklstm.load(path)
    description = _description(archive)
    description["format_version"] = 99
    path = _write(tmp_path / "f.sklstm", _with_description(archive, description))
    with pytest.raises(
        ValueError, match="format version 99, written by a newer sklstm"
    ):
        sklstm.load(path)
    description = _description(archive)
    description["estimator"]["steps"][2][1]["network"]["args"]["__dict__"][
        "activation"
    ] = "selu"
    path = _write(tmp_path / "a.sklstm", _with_description(archive, description))
    with pytest.raises(ValueError, match="activation='selu'"):
        sklstm.load(path)


def test_save_replaces_the_file_only_when_complete(fitted, tmp_path):
    path = tmp_path / "m.sklstm"
    path.write_bytes(b"old")
    with pytest.raises(TypeError):
        sklstm.save(make_lstm_pipeline(3, KNeighborsRegressor()), path)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["m.sklstm"]  # no partial file left


def test_pipeline_type_is_checked_exactly(tmp_path):
    class MyPipeline(Pipeline):
        pass

    with pytest.raises(TypeError, match="MyPipeline"):
        sklstm.save(MyPipeline([("r", NaiveRegressor())]), tmp_path / "m.sklstm")
