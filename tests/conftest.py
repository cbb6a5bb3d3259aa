# SPDX-License-Identifier: BSD-3-Clause
"""Test fixtures: a seeded NumPy for every test and small data."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal


@pytest.fixture(autouse=True)
def _seed_numpy():
    """Seed NumPy's global generator so that every test is repeatable."""
    np.random.seed(0)


@pytest.fixture
def rng():
    """A fresh, seeded NumPy generator."""
    return np.random.default_rng(0)


def _assert_same_cv_results(a, b):
    """Equal ``cv_results_``, but for the times."""
    assert a.keys() == b.keys()
    for key in a:
        if key.endswith(("fit_time", "score_time")):
            continue
        if key == "params" or key.startswith("param_"):
            assert repr(list(a[key])) == repr(list(b[key])), key
        else:
            assert_array_equal(a[key], b[key], err_msg=key)


@pytest.fixture
def assert_same_cv_results():
    """A check that two searches' ``cv_results_`` are equal, but for the times."""
    return _assert_same_cv_results
