# SPDX-License-Identifier: BSD-3-Clause
"""Test fixtures: a seeded NumPy for every test and small data."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _seed_numpy():
    """Seed NumPy's global generator so that every test is repeatable."""
    np.random.seed(0)


@pytest.fixture
def rng():
    """A fresh, seeded NumPy generator."""
    return np.random.default_rng(0)
