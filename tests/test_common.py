# SPDX-License-Identifier: BSD-3-Clause
"""scikit-learn's common estimator checks, with each expected failure explained."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import SequenceWindower

_WINDOWER_INHERENT = (
    "an output row of a windower depends on the rows before it, so no windower "
    "is invariant to reordering the rows or to transforming a subset of them"
)

EXPECTED_FAILED = {
    "SequenceWindower": {
        "check_methods_sample_order_invariance": _WINDOWER_INHERENT,
        "check_methods_subset_invariance": _WINDOWER_INHERENT,
    },
}

ESTIMATORS = [
    SequenceWindower(window=3),
    SequenceWindower(window=3, flatten=True),
]


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
