"""Keras Tuner integration: tune the window, the architecture and the training together.

Two ways in, both validated in time order (never shuffled):

- :class:`LSTMHyperModel`, a :class:`keras_tuner.HyperModel` that builds the
  networks of the sklstm regressors from a search space, for
  :class:`keras_tuner.Hyperband`, :class:`keras_tuner.BayesianOptimization` and
  :class:`keras_tuner.RandomSearch` on windowed arrays; it trains on the
  standardised target, as the regressors do, and holds out the last part of
  the data for validation.
- :class:`KerasTunerSearchCV`, a scikit-learn meta-estimator that searches any
  estimator's or :class:`~sklearn.pipeline.Pipeline`'s parameters (the window
  together with the network and the training) with Keras Tuner's algorithms,
  scores each trial by time-ordered cross-validation and refits the best.

Search spaces are dicts of :class:`Int`, :class:`Float` and :class:`Choice` (a
list is shorthand for a choice), so no Keras Tuner code is needed.

The package's rooms: ``_space`` (the search-space types and their Keras Tuner
encoding), ``_hypermodel`` (:class:`LSTMHyperModel`), ``_search``
(:class:`KerasTunerSearchCV`), ``_oracle`` (Keras Tuner's oracles, the
Hyperband budget and the trial loop), ``_execution`` (a trial is the
cross-validation of one configuration; every fit runs through one executor,
the seam for running them in parallel) and ``_results`` (the search's files
and ``cv_results_``).
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._hypermodel import LSTMHyperModel
from ._search import KerasTunerSearchCV
from ._space import Choice, Float, Int

__all__ = ["Choice", "Float", "Int", "KerasTunerSearchCV", "LSTMHyperModel"]
