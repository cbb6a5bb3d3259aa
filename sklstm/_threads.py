"""TensorFlow's thread pools sized to the cores a worker process was given.

TensorFlow sizes its two thread pools (intra-op: the threads inside one
operation; inter-op: operations run side by side) to every core of the
machine, whatever the process is meant to use. Two worker processes of a
parallel search on two cores then run four busy pools on two cores, and a
search with ``n_jobs=2`` was measured slower than the serial one.

The engines that start worker processes already say how many cores each worker
has, in one variable that every numerical library reads: ``OMP_NUM_THREADS``.
joblib's loky backend sets it to ``cores // n_jobs`` in each worker, Dask's
nanny to 1 (one core per worker thread), Ray to the task's ``num_cpus``.
TensorFlow does not read it (its pools follow ``TF_NUM_INTRAOP_THREADS`` and
``TF_NUM_INTEROP_THREADS``, or :mod:`tf.config.threading`), so
:func:`size_tensorflow_threads` passes it on: when ``OMP_NUM_THREADS`` is lower
than the cores this process may run on, TensorFlow's pools get that many
threads. It must run before TensorFlow starts its runtime in the process (the
first operation, not the import): the pools are fixed from then on. Hence it is
called at the start of every fit of a search (and belongs at the start of the
regressors' ``fit``), a no-op where ``OMP_NUM_THREADS`` is unset, as in a
user's own session, and where the pools were sized explicitly.

NumPy's BLAS is the other thread pool in a fit (the NumPy forward pass that
scores a small network, a linear model in a pipeline). Its results depend, in
their last bits, on its thread count, which the engines set per worker too;
:func:`one_blas_thread` runs a block with one BLAS thread, so that a fit gives
the same numbers in every process.

Nothing here imports TensorFlow.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import os
import sys

__all__ = [
    "available_cores",
    "one_blas_thread",
    "size_tensorflow_threads",
    "worker_cores",
]

#: TensorFlow's own variables for its pools; set by a user, they win.
TF_THREAD_VARIABLES = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")

#: The threads this module gave TensorFlow's pools in this process, if any.
_sized: int | None = None


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where known)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def worker_cores() -> int | None:
    """The cores this process was given, or None when it was given no limit.

    The first number of ``OMP_NUM_THREADS``, when it is lower than
    :func:`available_cores`; None when the variable is unset, not a positive
    integer, or no limit.
    """
    value = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    try:
        cores = int(value)
    except ValueError:
        return None
    if cores < 1 or cores >= available_cores():
        return None
    return cores


def size_tensorflow_threads(cores: int | None = None) -> int | None:
    """Size TensorFlow's intra- and inter-op thread pools to ``cores``.

    Parameters
    ----------
    cores : int or None, default=None
        Threads of each pool; None means :func:`worker_cores`, the limit that
        the engine which started this process set in ``OMP_NUM_THREADS``.

    Returns
    -------
    threads : int or None
        The size the pools will have, or None when this call changed nothing:
        no limit was given; ``TF_NUM_INTRAOP_THREADS`` or
        ``TF_NUM_INTEROP_THREADS`` is set, or :mod:`tf.config.threading` was
        set, by someone else; or TensorFlow's runtime already started in this
        process (its pools are fixed then).
    """
    global _sized
    if _sized is not None:
        return _sized
    cores = worker_cores() if cores is None else int(cores)
    if cores is None or cores < 1:
        return None
    if any(name in os.environ for name in TF_THREAD_VARIABLES):
        return None  # the user's choice
    tf = sys.modules.get("tensorflow")
    if tf is not None and hasattr(tf, "config"):
        threading = tf.config.threading
        if (
            threading.get_intra_op_parallelism_threads()
            or threading.get_inter_op_parallelism_threads()
        ):
            return None  # set explicitly in this process
        try:
            threading.set_intra_op_parallelism_threads(cores)
            threading.set_inter_op_parallelism_threads(cores)
        except RuntimeError:  # "... cannot be modified after initialization"
            return None
    else:  # read when TensorFlow starts its runtime, here and in children
        for name in TF_THREAD_VARIABLES:
            os.environ[name] = str(cores)
    _sized = cores
    return cores


@contextlib.contextmanager
def one_blas_thread():
    """Run the block with one BLAS thread (NumPy's matrix products).

    A BLAS sums a matrix product in an order that depends on its threads, so
    that the same product computed with one and with two threads may differ
    in the last bits: measured here, a search's scores differed by 2e-8 between
    the serial process (two OpenBLAS threads) and its workers (one, as loky
    and Dask set). With one thread everywhere the numbers are the same in
    every process; the NumPy products of sklstm's predictions (at most 1024
    windows) are small enough that one thread was not slower here.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
