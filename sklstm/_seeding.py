"""Keras's default seeds drawn from a generator of the fitting thread.

A seeded sklstm fit calls :func:`keras.utils.set_random_seed`, which seeds
Python's global :mod:`random` generator (and NumPy's and TensorFlow's); Keras
then draws the seed of every initializer and every ``SeedGenerator`` that was
given none (all the layers of an sklstm network) from that global generator.
That is reproducible only while no other thread of the process draws from it
in between. A Dask worker runs its tasks in a thread beside an event loop
that does (Tornado's jittered periodic callbacks, for one): measured on a
``LocalCluster``, the same seeded search gave other initial weights, other
scores and another best configuration on every run.

:func:`thread_private_keras_seeds` closes that gap for the duration of a fit:
inside it, :func:`keras.utils.set_random_seed` also seeds a generator private
to the calling thread, and Keras draws its default seeds from that one. The
numbers are those of an undisturbed fit (the same seed, the same sequence of
draws), and other threads, the rest of Keras and Python's global generator
behave as before. It replaces two module attributes of Keras's private modules
for as long as any thread is inside it (``keras.src.utils.rng_utils.random``,
through which ``set_random_seed`` seeds, and
``keras.src.random.seed_generator.python_random``, from which default seeds
are drawn); :func:`patchable` says whether this Keras has them, and without
them the context does nothing. It never imports Keras itself.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import random
import sys
import threading

__all__ = ["patchable", "thread_private_keras_seeds"]

#: Keras's modules and the attribute through which each uses :mod:`random`.
_KERAS_USES = (
    ("keras.src.utils.rng_utils", "random"),
    ("keras.src.random.seed_generator", "python_random"),
)

_lock = threading.Lock()
_local = threading.local()
_installed = {"count": 0, "saved": []}


class _ThreadRandom:
    """Stands for :mod:`random` in Keras's modules while a fit runs.

    ``seed`` seeds Python's global generator, as before, and, in a thread
    inside :func:`thread_private_keras_seeds`, a generator of that thread
    too; every other attribute comes from the thread's generator once seeded,
    else from :mod:`random` itself.
    """

    def seed(self, *args, **kwargs):
        random.seed(*args, **kwargs)
        if getattr(_local, "depth", 0):
            _local.rng = random.Random(*args, **kwargs)

    def __getattr__(self, name):
        rng = getattr(_local, "rng", None) if getattr(_local, "depth", 0) else None
        return getattr(random if rng is None else rng, name)


_PROXY = _ThreadRandom()


def _keras_modules():
    """Keras's modules that use :mod:`random`, if loaded and as expected."""
    modules = []
    for module_name, attribute in _KERAS_USES:
        module = sys.modules.get(module_name)
        if module is None or getattr(module, attribute, None) not in (random, _PROXY):
            return None
        modules.append((module, attribute))
    return modules


def patchable():
    """Whether this Keras draws its default seeds where this module expects.

    Imports Keras.
    """
    import keras  # noqa: F401

    return _keras_modules() is not None


@contextlib.contextmanager
def thread_private_keras_seeds():
    """Make Keras's default seeds in this thread immune to other threads.

    Yields
    ------
    active : bool
        False, and nothing is changed, when Keras is not loaded yet (a fit
        that does not use Keras needs nothing) or does not use :mod:`random`
        where expected (see :func:`patchable`).
    """
    with _lock:
        modules = _keras_modules()
        if modules is not None:
            if not _installed["count"]:
                _installed["saved"] = [
                    (module, attribute, getattr(module, attribute))
                    for module, attribute in modules
                ]
                for module, attribute in modules:
                    setattr(module, attribute, _PROXY)
            _installed["count"] += 1
    if modules is None:
        yield False
        return
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield True
    finally:
        _local.depth -= 1
        if not _local.depth:
            _local.rng = None
        with _lock:
            _installed["count"] -= 1
            if not _installed["count"]:
                for module, attribute, value in _installed["saved"]:
                    setattr(module, attribute, value)
                _installed["saved"] = []
