"""Tests for sklstm/_seeding.py: a seeded fit draws Keras's default seeds from
a generator of its own thread, whatever other threads (a Dask worker's event
loop) draw from Python's global random generator meanwhile."""

# SPDX-License-Identifier: BSD-3-Clause

import random
import threading

import pytest
from numpy.testing import assert_array_equal

from sklstm import _seeding

keras = pytest.importorskip("keras")


def _kernel(interfere=False):
    """The initial kernel of a Dense layer built after seeding with 0; with
    ``interfere``, another thread draws from Python's generator in between,
    as a Dask worker's event loop does."""
    keras.utils.set_random_seed(0)
    if interfere:
        other = threading.Thread(target=random.random)
        other.start()
        other.join()
    layer = keras.layers.Dense(3)
    layer.build((None, 2))
    return keras.ops.convert_to_numpy(layer.kernel)


def test_this_keras_draws_its_seeds_where_expected():
    # Pins the two Keras internals that the context replaces: a Keras that
    # moved them makes the context a no-op, and this test says so.
    assert _seeding.patchable()


def test_another_threads_draws_change_the_weights_only_outside():
    undisturbed = _kernel()
    assert (_kernel(interfere=True) != undisturbed).any()  # the defect
    with _seeding.thread_private_keras_seeds() as active:
        assert active
        assert_array_equal(_kernel(), undisturbed)  # the same numbers
        assert_array_equal(_kernel(interfere=True), undisturbed)


def test_keras_is_left_as_it_was():
    from keras.src.random import seed_generator
    from keras.src.utils import rng_utils

    with _seeding.thread_private_keras_seeds():
        with _seeding.thread_private_keras_seeds():  # nested
            assert seed_generator.python_random is not random
        assert rng_utils.random is not random
    assert seed_generator.python_random is random
    assert rng_utils.random is random


def test_other_threads_keep_pythons_generator():
    # While one thread fits inside the context, another outside it seeds and
    # draws from Python's global generator, as without sklstm.
    inside, outside = threading.Event(), {}

    def other():
        inside.wait()
        keras.utils.set_random_seed(1)
        from keras.src.random.seed_generator import make_default_seed

        outside["seed"] = make_default_seed()
        outside["next"] = random.random()

    thread = threading.Thread(target=other)
    thread.start()
    with _seeding.thread_private_keras_seeds():
        keras.utils.set_random_seed(0)
        inside.set()
        thread.join()
    expected = random.Random(1)
    assert outside["seed"] == expected.randint(1, int(1e9))
    assert outside["next"] == expected.random()
