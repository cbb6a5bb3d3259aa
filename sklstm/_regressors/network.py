"""SequenceRegressor: your own Keras network, trained and served as sklstm's."""

# SPDX-License-Identifier: BSD-3-Clause

import keras

from .. import _networks
from .._base import SequenceRegressorBase
from .._params import constructor_arguments

__all__ = ["SequenceRegressor"]


class SequenceRegressor(SequenceRegressorBase):
    """Any Keras network over windows, as a scikit-learn regressor.

    Bring your own architecture (convolutions, attention, several recurrent
    layers of different kinds) and keep what the sklstm regressors do around
    it: the same input validation, NaN steps masked, the target standardised,
    early stopping with a refit on all windows, batches gathered from the rows
    behind the windows, pickling, and one prediction per row inside a
    :class:`~sklearn.pipeline.Pipeline`.

    Parameters
    ----------
    network : callable, default=None
        A function ``network(input_shape, n_outputs, **model_params)``
        returning a :class:`keras.Model` (compiled or not) that maps windows of
        shape ``(n_samples, *input_shape)``, ``input_shape = (n_timesteps,
        n_features)``, to ``(n_samples, n_outputs)``. ``model_params`` are the
        routed ``model__<name>`` parameters. Define it at module level so that
        the estimator pickles. Required; None fails at :meth:`fit`.

        .. versionadded:: 0.1

    mask_missing : bool, default=True
        Put :class:`~sklstm.NaNMask` in front of the network: NaN time steps
        reach it as zeros with a Keras mask, which its recurrent layers use to
        skip them (layers that ignore masks see the zeros).

        .. versionadded:: 0.1

    optimizer : str or keras.optimizers.Optimizer, default="adam"
        Optimizer name or instance; its arguments can be routed with
        ``optimizer__<name>``.

    learning_rate : float or None, default=0.01
        Learning rate of the optimizer; None keeps the optimizer's own (0.001
        for Adam, or that of an optimizer instance), and a routed
        ``optimizer__learning_rate`` takes precedence.

    loss : str or keras.losses.Loss, default="mse"
        Training loss, on the standardised target when
        ``standardize_target=True``.

    metrics : list or None, default=None
        Keras metrics to report per epoch in ``history_``, e.g. ``["mae"]``
        (computed on the standardised target when
        ``standardize_target=True``).

    epochs : int, default=100
        Number of passes over the training windows; the most with
        ``early_stopping=True``.

    batch_size : int, default=32
        Number of windows per gradient step.

    validation_split : float, default=0.0
        Fraction of the training windows held out to report ``val_loss`` when
        ``early_stopping=False``. Keras holds out the *last* windows, the most
        recent ones, which are then never trained on.

    early_stopping : bool, default=True
        Choose the number of epochs on the data: train on all but the last
        ``validation_fraction`` of the windows, stop when their loss
        (``val_loss``) has not improved for ``patience`` epochs, then train
        afresh on all windows, the most recent included, for the best number
        of epochs (``best_epoch_``). Needs at least one held-out window, else
        ``epochs`` are trained. With ``warm_start``, later fits train on
        without it.

    validation_fraction : float, default=0.1
        Fraction of the windows, the most recent ones, held out for early
        stopping.

    patience : int, default=10
        Epochs without improvement before early stopping.

    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks for training.

    shuffle : bool, default=True
        Shuffle the windows between epochs. Each window carries its own
        history, so this does not leak the future; cross-validation splits
        must still be time-ordered.

    random_state : int, RandomState instance or None, default=None
        Seed of the weight initialisation, dropout and shuffling. With an int,
        two fits on the same data give identical predictions on a CPU.

    verbose : int, default=0
        Keras's verbosity: 0 silent, 1 progress bar, 2 one line per epoch.

    warm_start : bool, default=False
        Keep training the fitted network on the next call of ``fit`` instead
        of starting from fresh weights.

    standardize_target : bool, default=True
        Train on ``(y - mean) / std`` (per output, from the training targets)
        and map predictions back, so that unscaled targets such as degrees or
        megawatts train well without a scaler around the estimator.

    steps_per_execution : int, default=32
        Batches that Keras runs per call into the compiled training step. A
        small LSTM's step is dominated by that call's overhead.

    jit_compile : bool or "auto", default="auto"
        Compile the training step with XLA. "auto" uses XLA on a CPU-only
        machine when training runs 500 steps (epochs x batches) or more, where
        it pays for its few seconds of compilation, and leaves it to Keras on
        an accelerator, which keeps the fused cuDNN kernel on a GPU.

    **kwargs : dict
        SciKeras's routed parameters: ``model__<name>`` (passed to
        ``network``), ``optimizer__<name>``, ``loss__<name>``,
        ``compile__<name>``, ``fit__<name>``, ``predict__<name>``,
        ``callbacks__<name>``.

    Attributes
    ----------
    model_ : keras.Model
        The fitted network.

    history_ : dict of str to list of float
        Per-epoch training history: ``loss``, and ``val_loss`` with a
        validation split. With early stopping, the history of the monitored
        run (``loss`` and ``val_loss``).

    best_epoch_ : int
        With early stopping, the number of epochs of the final training on
        all windows. Defined only when early stopping ran.

    n_features_in_ : int
        ``X.shape[1]`` seen during :term:`fit`, scikit-learn's meaning: the
        number of time steps of the windows.

    sequence_shape_ : tuple of int
        ``(n_timesteps, n_features)`` of one window seen during :term:`fit`;
        :meth:`predict` requires the same.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns of a 2-D DataFrame ``X`` seen during :term:`fit`.
        Defined only when `X` has feature names that are all strings.

    n_outputs_ : int
        Number of outputs (columns of ``y``).

    versions_ : dict of str to str
        Versions of sklstm, scikit-learn, NumPy, pandas, Keras and TensorFlow
        that fitted the estimator; unpickling it under others warns with
        :class:`~sklstm.InconsistentVersionWarning`.

    See Also
    --------
    LSTMRegressor : The built-in network: one LSTM or GRU layer.
    sklstm.tuning.KerasTunerSearchCV : Tune ``model__`` parameters of it.

    Notes
    -----
    Predictions always run through Keras: the NumPy forward pass of
    :mod:`sklstm.gates` covers the built-in networks only.

    Examples
    --------
    >>> import keras
    >>> import numpy as np
    >>> from sklstm import SequenceRegressor
    >>> def conv_net(input_shape, n_outputs):
    ...     inputs = keras.Input(input_shape)
    ...     x = keras.layers.Conv1D(4, 3)(inputs)
    ...     x = keras.layers.GlobalAveragePooling1D()(x)
    ...     return keras.Model(inputs, keras.layers.Dense(n_outputs)(x))
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((64, 5, 2))
    >>> reg = SequenceRegressor(conv_net, mask_missing=False, epochs=1,
    ...                         random_state=0).fit(X, X[:, -1, 0])
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **{
            name: constraint
            for name, constraint in SequenceRegressorBase._parameter_constraints.items()
            if name
            in (
                "optimizer",
                "learning_rate",
                "loss",
                "metrics",
                "epochs",
                "batch_size",
                "validation_split",
                "early_stopping",
                "validation_fraction",
                "patience",
                "callbacks",
                "shuffle",
                "random_state",
                "verbose",
                "warm_start",
                "standardize_target",
                "steps_per_execution",
                "jit_compile",
            )
        },
        "network": [callable, None],
        "mask_missing": ["boolean"],
    }

    #: Not a parameter: the NumPy forward pass knows the built-in networks only.
    predict_backend = "keras"

    def __init__(
        self,
        network=None,
        *,
        mask_missing=True,
        optimizer="adam",
        learning_rate=0.01,
        loss="mse",
        metrics=None,
        epochs=100,
        batch_size=32,
        validation_split=0.0,
        early_stopping=True,
        validation_fraction=0.1,
        patience=10,
        callbacks=None,
        shuffle=True,
        random_state=None,
        verbose=0,
        warm_start=False,
        standardize_target=True,
        steps_per_execution=32,
        jit_compile="auto",
        **kwargs,
    ):
        super().__init__(**constructor_arguments(locals()))

    def _make_network(self, input_shape, n_outputs, model_params):
        if self.network is None:
            raise ValueError(
                "SequenceRegressor expected network to be a function "
                "network(input_shape, n_outputs, **model_params) returning a "
                "keras.Model; got None. Pass one, e.g. "
                "SequenceRegressor(network=my_network)."
            )
        model = self.network(tuple(input_shape), n_outputs, **model_params)
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"SequenceRegressor expected network(...) to return a "
                f"keras.Model; got {type(model).__name__}. Return "
                f"keras.Model(inputs, outputs) from your function."
            )
        return _networks.wrap_network(
            model, input_shape, mask_missing=self.mask_missing
        )
