"""sklstm: Keras LSTM time-series forecasting that behaves like scikit-learn.

``import sklstm`` is cheap: the NumPy parts (the windower, the gate math) load
at once, while the names backed by Keras and TensorFlow load on first use.
"""

# SPDX-License-Identifier: BSD-3-Clause

import importlib

from . import gates
from ._backtest import backtest, backtest_report
from ._baselines import NaiveRegressor
from ._calendar import calendar_features
from ._conformal import ConformalForecaster
from ._forecasting import forecast, make_lstm_pipeline, recursive_forecast
from ._frozen import FrozenRegressor
from ._interval_metrics import (
    crps_from_quantiles,
    interval_coverage,
    interval_score,
    interval_width,
    make_interval_scorer,
    pinball_loss,
)
from ._loading import load
from ._panel_split import PanelSplit
from ._panels import SeriesScaler
from ._persistence import save
from ._series_scaled import SeriesScaledRegressor
from ._supervised import make_supervised
from ._versions import InconsistentVersionWarning
from ._windowing import SequenceWindower

__version__ = "0.1.0.dev0"

# Public names whose modules import Keras/TensorFlow (3-5 s): loaded on first access.
_LAZY = {
    "LSTMRegressor": "._regressors",
    "StackedLSTMRegressor": "._regressors",
    "BiLSTMRegressor": "._regressors",
    "SequenceRegressor": "._regressors",
    "NaNMask": "._networks",
}

__all__ = [
    "ConformalForecaster",
    "FrozenRegressor",
    "InconsistentVersionWarning",
    "NaiveRegressor",
    "PanelSplit",
    "SequenceWindower",
    "SeriesScaledRegressor",
    "SeriesScaler",
    "backtest",
    "backtest_report",
    "calendar_features",
    "crps_from_quantiles",
    "forecast",
    "gates",
    "interval_coverage",
    "interval_score",
    "interval_width",
    "load",
    "make_interval_scorer",
    "make_lstm_pipeline",
    "make_supervised",
    "pinball_loss",
    "recursive_forecast",
    "save",
    *_LAZY,
]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sklstm' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
