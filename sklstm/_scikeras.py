"""The adapter over SciKeras: the only module that imports ``scikeras``.

SciKeras 0.13 gives sklstm its routed parameters (``model__``, ``optimizer__``,
``loss__``, ``metrics__``, ``compile__``, ``fit__``, ``predict__``,
``callbacks__``), the conversion of optimizer, loss and metric names into
Keras objects, and the pickling of Keras models. It is no longer maintained,
and its training template (``fit`` -> ``_fit`` -> ``_initialize`` ->
``_fit_keras_model``) validates input in ways that are wrong for sequences
(NaN rejected, features of 3-D input miscounted), seeds by turning TensorFlow's
op determinism on for the whole process, and feeds Keras whole arrays. So the
estimator (:mod:`sklstm._base`) runs its own training and uses SciKeras only
through the four hooks below:

- :meth:`SciKerasAdapter._routed`: the routed parameters of one destination;
- :meth:`SciKerasAdapter._new_network`: build and compile a network from the
  routed ``model__`` and compile parameters, and resolve the callbacks;
- :meth:`SciKerasAdapter._fit_options`: the routed arguments of
  :meth:`keras.Model.fit`;
- parameter storage, ``get_params``/``set_params`` with routing, and the repr.

Replacing SciKeras later means rewriting this file only.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from scikeras._utils import route_params
from scikeras.utils import metric_name
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator

__all__ = ["SciKerasAdapter", "metric_name"]

#: Parameters of SciKeras's BaseWrapper that sklstm does not use. Left at their
#: defaults (the class attributes of SciKerasAdapter), they stay out of
#: get_params() and the repr; set, they are parameters like any other.
_UNUSED_SCIKERAS_PARAMS = ("model", "build_fn", "run_eagerly", "validation_batch_size")

#: Arguments of Keras's fit that sklstm applies itself, to the windows.
_APPLIED_FIT_ARGS = ("epochs", "initial_epoch", "sample_weight", "callbacks")


class SciKerasAdapter(BaseWrapper):
    """SciKeras's parameter routing and model building, for the sklstm base.

    Not part of the public API. The estimator logic lives in
    :class:`sklstm._base.SequenceRegressorBase`.
    """

    # Defaults of _UNUSED_SCIKERAS_PARAMS, read by SciKeras.
    model = None
    build_fn = None
    run_eagerly = False
    validation_batch_size = None

    # Private override forced by SciKeras: its _build_keras_model wraps the
    # build in a context that turns TensorFlow's op determinism on process-wide
    # whenever _random_state is set. The base seeds with
    # keras.utils.set_random_seed instead, so SciKeras must always see None.
    _random_state = None

    def __init__(self, **params):
        super().__init__(**params)
        for name in _UNUSED_SCIKERAS_PARAMS:
            if vars(self)[name] is getattr(SciKerasAdapter, name):
                del vars(self)[name]  # the class attribute stands in for it

    def _routed(self, destination):
        """The parameters routed to ``destination``, e.g. ``"predict"``."""
        return route_params(
            self.get_params(), destination=destination, pass_filter=set()
        )

    def _new_network(self, build):
        """Build and compile ``self.model_`` through SciKeras's routing.

        ``build(model_params, compile_kwargs)`` receives the routed
        ``model__`` parameters and the arguments of :meth:`keras.Model.compile`
        with the optimizer, loss and metrics made Keras objects (routed
        ``optimizer__``, ``loss__``, ``metrics__`` applied), and returns the
        compiled network. The callbacks (``callbacks__`` routed) are resolved
        alongside.
        """
        model_params = route_params(
            self.get_params(),
            destination="model",
            pass_filter=set(),
            strict=True,
        )
        # Private SciKeras methods, the routing itself: no public equivalent.
        self.model_ = build(model_params, self._get_compile_kwargs())
        self._initialize_callbacks()

    def _get_compile_kwargs(self):
        """SciKeras's arguments of :meth:`keras.Model.compile`, with
        ``loss="auto"`` resolved by the base's :meth:`_auto_loss` (SciKeras
        reads the loss from the parameters, and knows no ``"auto"``)."""
        if not (isinstance(self.loss, str) and self.loss == "auto"):
            return super()._get_compile_kwargs()
        self.loss = self._auto_loss()
        try:
            return super()._get_compile_kwargs()
        finally:
            self.loss = "auto"

    def _fit_options(self, **kwargs):
        """Routed arguments of :meth:`keras.Model.fit` (``fit__`` wins), and
        the keyword arguments of this ``fit`` call on top.

        ``batch_size``, ``shuffle``, ``validation_split`` and
        ``validation_batch_size`` are among them, for the base to apply to
        the windows; the callbacks come from :attr:`_fit_callbacks`.
        """
        options = route_params(
            self.get_params(), destination="fit", pass_filter=self._fit_kwargs
        )
        options.update(kwargs)
        return {
            key: value
            for key, value in options.items()
            if not key.startswith(_APPLIED_FIT_ARGS[-1])
            and key not in _APPLIED_FIT_ARGS
        }

    # scikit-learn's repr (only the parameters that differ from their
    # defaults), also inside a Pipeline, rather than SciKeras's full listing.
    __repr__ = BaseEstimator.__repr__
