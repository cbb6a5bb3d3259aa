"""Tests for sklstm/_threads.py: TensorFlow's thread pools sized to the cores
that the engine which started a worker gave it (OMP_NUM_THREADS)."""

# SPDX-License-Identifier: BSD-3-Clause

import os
import subprocess
import sys
import textwrap
import types

import pytest

from sklstm import _threads


@pytest.fixture
def fresh(monkeypatch):
    """No sizing done yet in this process, and two cores."""
    monkeypatch.setattr(_threads, "_sized", None)
    monkeypatch.setattr(_threads, "available_cores", lambda: 2)
    for name in ("OMP_NUM_THREADS", *_threads.TF_THREAD_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    "value, cores",
    [(None, None), ("1", 1), ("1,1", 1), ("2", None), ("8", None), ("0", None)]
    + [("", None), ("many", None)],
)
def test_worker_cores_reads_the_limit_of_omp_num_threads(fresh, value, cores):
    if value is not None:
        fresh.setenv("OMP_NUM_THREADS", value)
    assert _threads.worker_cores() == cores


class _Threading:
    """Stands for tf.config.threading; ``started`` mimics a started runtime."""

    def __init__(self, intra=0, inter=0, started=False):
        self.intra, self.inter, self.started = intra, inter, started

    def get_intra_op_parallelism_threads(self):
        return self.intra

    def get_inter_op_parallelism_threads(self):
        return self.inter

    def set_intra_op_parallelism_threads(self, n):
        if self.started:
            raise RuntimeError("Intra op parallelism cannot be modified after init")
        self.intra = n

    def set_inter_op_parallelism_threads(self, n):
        if self.started:
            raise RuntimeError("Inter op parallelism cannot be modified after init")
        self.inter = n


def _fake_tensorflow(monkeypatch, threading):
    tf = types.SimpleNamespace(config=types.SimpleNamespace(threading=threading))
    monkeypatch.setitem(sys.modules, "tensorflow", tf)


def test_sizes_an_imported_tensorflow_before_its_runtime_starts(fresh):
    threading = _Threading()
    _fake_tensorflow(fresh, threading)
    fresh.setenv("OMP_NUM_THREADS", "1")
    assert _threads.size_tensorflow_threads() == 1
    assert (threading.intra, threading.inter) == (1, 1)
    assert _threads.size_tensorflow_threads() == 1  # once per process


@pytest.mark.parametrize(
    "threading",
    [_Threading(started=True), _Threading(intra=2), _Threading(inter=3)],
    ids=["runtime started", "intra set", "inter set"],
)
def test_leaves_tensorflow_alone_when_too_late_or_set(fresh, threading):
    _fake_tensorflow(fresh, threading)
    before = (threading.intra, threading.inter)
    assert _threads.size_tensorflow_threads(1) is None
    assert (threading.intra, threading.inter) == before


def test_leaves_tensorflow_alone_without_a_limit_or_with_its_own(fresh):
    threading = _Threading()
    _fake_tensorflow(fresh, threading)
    assert _threads.size_tensorflow_threads() is None  # OMP_NUM_THREADS unset
    fresh.setenv("OMP_NUM_THREADS", "1")
    fresh.setenv("TF_NUM_INTRAOP_THREADS", "2")
    assert _threads.size_tensorflow_threads() is None  # the user's choice
    assert (threading.intra, threading.inter) == (0, 0)


def test_sets_tensorflows_variables_before_it_is_imported():
    # A fresh process: sized before TensorFlow is imported, through the
    # variables it reads when its runtime starts, which then has the pools.
    code = textwrap.dedent(
        """
        import os, sys
        os.environ["OMP_NUM_THREADS"] = "1"
        from sklstm import _threads
        _threads.available_cores = lambda: 2
        assert _threads.size_tensorflow_threads() == 1
        assert "tensorflow" not in sys.modules
        print(os.environ["TF_NUM_INTRAOP_THREADS"],
              os.environ["TF_NUM_INTEROP_THREADS"])
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in _threads.TF_THREAD_VARIABLES}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert out.stdout.split() == ["1", "1"]


def test_one_blas_thread_limits_numpys_blas():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with _threads.one_blas_thread():
        blas = threadpoolctl.threadpool_info()
        assert all(p["num_threads"] == 1 for p in blas if p["user_api"] == "blas")
