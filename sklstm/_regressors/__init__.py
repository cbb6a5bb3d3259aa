"""The regressors: defaults and docstrings over one shared base.

Each module holds one regressor. They differ only in the network they build
(``_network_kwargs`` or ``_make_network``), their defaults and their
docstrings; everything else lives in :class:`sklstm._base.SequenceRegressorBase`.
Each writes out its parameters; ``tests/test_regressors.py`` checks that the
shared ones read the same.
"""

# SPDX-License-Identifier: BSD-3-Clause

from .bidirectional import BiLSTMRegressor
from .lstm import LSTMRegressor
from .network import SequenceRegressor
from .stacked import StackedLSTMRegressor

__all__ = [
    "BiLSTMRegressor",
    "LSTMRegressor",
    "SequenceRegressor",
    "StackedLSTMRegressor",
]
