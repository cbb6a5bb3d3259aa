"""Searches in parallel: KerasTunerSearchCV(n_jobs=...) on joblib's loky
processes, on a Dask LocalCluster and on Ray (when installed), and an sklstm
GridSearchCV on Dask. Same seed, same answer, whatever runs the fits.

Small on purpose: tiny networks (2-4 units, 1 epoch), 4 fits a search, two
worker processes, loopback only. The cluster is shared by the module and
closed at its end.
"""

# SPDX-License-Identifier: BSD-3-Clause

import logging
import os
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from joblib.externals.loky import get_reusable_executor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

import sklstm
from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised
from sklstm._threads import available_cores
from sklstm.tuning import Float, Int, KerasTunerSearchCV

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:keras_tuner")

#: Seconds a cluster may take to start, connect or answer.
TIMEOUT = 60


@pytest.fixture(scope="module")
def data():
    """120 rows: a DataFrame X and a pandas Series y."""
    rng = np.random.default_rng(0)
    t = np.arange(121)
    values = np.sin(2 * np.pi * t / 12) + 0.1 * rng.standard_normal(121)
    return make_supervised(pd.Series(values))


@pytest.fixture(scope="module")
def dask_client(request):
    """A Client of a LocalCluster: 2 worker processes of 1 thread on 127.0.0.1."""
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    timeouts = {
        "distributed.comm.timeouts.connect": f"{TIMEOUT}s",
        "distributed.comm.timeouts.tcp": f"{TIMEOUT}s",
    }
    with dask.config.set(timeouts), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        request.addfinalizer(cluster.close)
        client = distributed.Client(cluster, timeout=f"{TIMEOUT}s")
        request.addfinalizer(client.close)
    # The workers import the sklstm under test.
    files = set(client.run(lambda: sklstm.__file__).values())
    assert files == {sklstm.__file__}
    return client


def _lstm_search(**params):
    regressor = LSTMRegressor(units=2, epochs=1, early_stopping=False, random_state=0)
    return KerasTunerSearchCV(
        make_lstm_pipeline(4, regressor),
        {"windower__window": Int(2, 6), "regressor__units": Int(2, 4)},
        tuner="random",
        max_trials=2,
        cv=2,
        refit=False,
        random_state=0,
        **params,
    )


def _threads_of_this_worker():
    """This worker's OMP_NUM_THREADS, cores and TensorFlow's intra-op pool."""
    import tensorflow as tf

    return (
        os.environ.get("OMP_NUM_THREADS"),
        available_cores(),
        tf.config.threading.get_intra_op_parallelism_threads(),
    )


def _check_sized(workers):
    """Each worker's pools follow its OMP_NUM_THREADS, where that is a limit."""
    for omp, cores, intra in workers:
        limit = int(omp) if omp and int(omp) < cores else 0
        assert intra == limit, (omp, cores, intra)


@pytest.fixture(scope="module")
def serial_lstm_search(data):
    return _lstm_search().fit(*data)


def test_lstm_search_on_loky_is_the_serial_search(
    data, serial_lstm_search, assert_same_cv_results
):
    # Fresh workers: one that ran a fit of an earlier test has started
    # TensorFlow's runtime, whose pools can no longer be sized.
    get_reusable_executor().shutdown(wait=True)
    search = _lstm_search(n_jobs=2).fit(*data)
    assert_same_cv_results(search.cv_results_, serial_lstm_search.cv_results_)
    assert search.best_params_ == serial_lstm_search.best_params_
    # loky reuses the workers that ran the fits.
    workers = joblib.Parallel(n_jobs=2)(
        joblib.delayed(_threads_of_this_worker)() for _ in range(4)
    )
    _check_sized(workers)


def test_lstm_search_on_dask_is_the_serial_search(
    data, serial_lstm_search, dask_client, assert_same_cv_results
):
    with joblib.parallel_backend("dask"):
        search = _lstm_search().fit(*data)  # n_jobs=None: every Dask worker
    assert_same_cv_results(search.cv_results_, serial_lstm_search.cv_results_)
    assert search.best_params_ == serial_lstm_search.best_params_
    _check_sized(dask_client.run(_threads_of_this_worker).values())


def test_sklstm_gridsearchcv_on_dask(data, dask_client):
    X, y = data
    regressor = LSTMRegressor(units=2, epochs=1, early_stopping=False, random_state=0)
    grid = GridSearchCV(
        make_lstm_pipeline(4, regressor),
        {"regressor__units": [2, 3]},
        cv=TimeSeriesSplit(2),
        refit=False,
        error_score="raise",
    )
    serial = grid.fit(X, y).cv_results_
    with joblib.parallel_backend("dask"):
        on_dask = grid.fit(X, y).cv_results_
    assert on_dask["params"] == serial["params"]
    assert np.isfinite(on_dask["mean_test_score"]).all()
    # A Dask worker's event loop draws from Python's global random generator
    # while its thread fits; the regressors' fit draws Keras's seeds from a
    # generator of its own thread (sklstm._seeding), so the scores are equal.
    for k in range(2):
        np.testing.assert_array_equal(
            on_dask[f"split{k}_test_score"], serial[f"split{k}_test_score"]
        )


@pytest.fixture(scope="module")
def ray_backend():
    """A local Ray instance of 2 CPUs on 127.0.0.1, registered with joblib."""
    ray = pytest.importorskip("ray")
    from ray.util.joblib import register_ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        logging_level=logging.ERROR,
    )
    register_ray()
    yield
    ray.shutdown()


def test_search_on_ray_is_the_serial_search(data, ray_backend, assert_same_cv_results):
    search = KerasTunerSearchCV(
        make_lstm_pipeline(4, Ridge(), fill_value=0.0),
        {"windower__window": Int(2, 8), "regressor__alpha": Float(0.01, 10.0)},
        tuner="random",
        max_trials=3,
        cv=2,
        refit=False,
        random_state=0,
    )
    serial = search.fit(*data).cv_results_
    with joblib.parallel_backend("ray", n_jobs=2):
        on_ray = search.fit(*data).cv_results_
    assert_same_cv_results(on_ray, serial)
