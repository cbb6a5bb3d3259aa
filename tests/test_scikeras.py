# SPDX-License-Identifier: BSD-3-Clause
"""Pins of what sklstm takes from SciKeras, through ``sklstm._scikeras`` only.

Replacing SciKeras means rewriting ``sklstm/_scikeras.py``; these tests say what
the replacement must keep: parameters stored as given (routed ones included),
routing to each destination, optimizer/loss names made Keras objects, callbacks
resolved, and Keras models that pickle.
"""

import pickle

import keras
import numpy as np
import pytest
from sklearn.base import clone

from sklstm import LSTMRegressor, _scikeras


def test_only_the_adapter_imports_scikeras():
    from pathlib import Path

    import sklstm

    package = Path(sklstm.__file__).parent
    importers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "import scikeras" in path.read_text() or "from scikeras" in path.read_text()
    )
    assert importers == ["_scikeras.py"]


def test_routed_parameters_are_parameters_and_survive_clone():
    est = LSTMRegressor(optimizer__beta_1=0.8, fit__validation_freq=2, model__x=1)
    params = est.get_params()
    assert params["optimizer__beta_1"] == 0.8 and params["model__x"] == 1
    assert clone(est).get_params() == params
    est.set_params(predict__batch_size=7)
    assert est.predict__batch_size == 7


def test_routing_reaches_each_destination():
    est = LSTMRegressor(
        optimizer__beta_1=0.8, fit__validation_freq=2, predict__batch_size=7
    )
    assert est._routed("predict") == {"batch_size": 7}
    assert est._routed("optimizer") == {"beta_1": 0.8}
    options = est._fit_options(verbose=1)
    assert options["validation_freq"] == 2 and options["verbose"] == 1
    assert options["batch_size"] == 32 and options["shuffle"] is True
    assert not {"epochs", "callbacks", "sample_weight"} & set(options)


def test_new_network_gets_keras_objects_and_callbacks():
    stop = keras.callbacks.TerminateOnNaN()
    est = LSTMRegressor(optimizer__beta_1=0.8, loss="mae", callbacks=[stop])
    seen = {}

    def build(model_params, compile_kwargs):
        seen.update(model_params=model_params, **compile_kwargs)
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile(optimizer=compile_kwargs["optimizer"], loss="mse")
        return model

    est.set_params(model__reset_after=False)._new_network(build)
    assert seen["model_params"] == {"reset_after": False}
    assert isinstance(seen["optimizer"], keras.optimizers.Adam)
    assert seen["optimizer"].beta_1 == pytest.approx(0.8)
    assert seen["loss"] is keras.losses.mean_absolute_error
    assert est._fit_callbacks == [stop]
    assert isinstance(est.model_, keras.Model) and est.initialized_


def test_adapter_never_asks_scikeras_to_seed():
    # SciKeras turns TensorFlow's op determinism on process-wide whenever its
    # _random_state is set; the base seeds with keras.utils.set_random_seed.
    assert _scikeras.SciKerasAdapter._random_state is None
    assert LSTMRegressor(random_state=3)._random_state is None


def test_keras_models_pickle():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    again = pickle.loads(pickle.dumps(model))
    x = np.ones((1, 3), np.float32)
    np.testing.assert_array_equal(
        again.predict(x, verbose=0), model.predict(x, verbose=0)
    )


def test_metric_names_are_shortened():
    assert _scikeras.metric_name("mean_absolute_error") == "mean_absolute_error"
    assert _scikeras.metric_name("mae") == "mean_absolute_error"
