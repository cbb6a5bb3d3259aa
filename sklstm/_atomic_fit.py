"""Training that completes or changes nothing: ``all_or_nothing``.

A fit or partial fit interrupted by a KeyboardInterrupt or an error leaves
the regressor as it was before the call (unfitted, or its previous fit with
its weights and optimizer state).
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import copy
import functools

import keras

from ._versions import current_versions

__all__ = ["all_or_nothing"]


def all_or_nothing(method):
    """Run a training method so that it completes or changes nothing.

    If training stops early (a KeyboardInterrupt, an error), the estimator is
    put back as it was before the call: unfitted, or its previous fit intact,
    weights and optimizer state included. On success the versions of the
    packages that fitted it are recorded in ``versions_``.
    """

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        before = dict(vars(self))
        history = copy.deepcopy(before.get("history_"))
        model = before.get("model_")
        weights = optimizer = None
        if model is not None:  # warm training changes the network in place
            weights = model.get_weights()
            if getattr(model, "optimizer", None) is not None:
                optimizer = [
                    keras.ops.convert_to_numpy(v) for v in model.optimizer.variables
                ]
        try:
            result = method(self, *args, **kwargs)
        except BaseException:
            vars(self).clear()
            vars(self).update(before)
            if history is not None:
                self.history_ = history
            if model is not None:
                model.set_weights(weights)
                if optimizer is not None:
                    for variable, value in zip(
                        model.optimizer.variables, optimizer, strict=False
                    ):
                        variable.assign(value)
            raise
        self.versions_ = current_versions()
        return result

    return run
