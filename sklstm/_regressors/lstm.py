"""LSTMRegressor: one recurrent layer (LSTM or GRU) and a linear head."""

# SPDX-License-Identifier: BSD-3-Clause

from .._base import SequenceRegressorBase
from .._params import constructor_arguments
from .._validation import int_at_least

__all__ = ["LSTMRegressor"]


class LSTMRegressor(SequenceRegressorBase):
    """One LSTM layer and a linear head, as a scikit-learn regressor.

    The network reads each window (oldest step first) through an LSTM layer of
    ``units`` cells and maps its last hidden state to the target(s) with a
    Dense layer. Put it after :class:`~sklstm.SequenceWindower` in a
    :class:`~sklearn.pipeline.Pipeline`, or use :func:`~sklstm.make_lstm_pipeline`.

    Parameters
    ----------
    units : int, default=50
        Number of LSTM cells.

    cell : {"lstm", "gru"}, default="lstm"
        The recurrent cell: :class:`keras.layers.LSTM` or
        :class:`keras.layers.GRU` (Keras's default ``reset_after=True``). Both
        run through :mod:`sklstm.gates` for NumPy predictions.

        .. versionadded:: 0.1

    activation : str, default="tanh"
        Activation of the cell candidate (and, for an LSTM, of its output)
        (Keras name). "tanh" is what Keras's fused GPU kernels expect.

    recurrent_activation : str, default="sigmoid"
        Activation of the gates (input, forget and output of an LSTM; update
        and reset of a GRU) (Keras name).

    dropout : float, default=0.0
        Fraction of the inputs dropped at each step, during training only.

    recurrent_dropout : float, default=0.0
        Fraction of the recurrent state dropped at each step, during training
        only. It rules out the fused cuDNN kernel on a GPU.

    linear_skip : {"auto", "last", "window", "relative"} or None, \
            default="auto"
        Also feed the head, linearly, the last step's inputs ("last"), the
        whole window ("window") or the whole window as the recurrent layers
        read it ("relative": relative to its last step, and in its spread
        with ``normalize="window"``), around the recurrent layers (LSTNet's
        autoregressive highway): the network can express a linear
        autoregression exactly, and the recurrent layers learn what is left.
        "auto" is "relative" when the network learns the change from the
        last value of windows in their own units (``normalize="auto"`` or
        "last" with the target's history found), so that the whole network
        stays level-free (the user guide, :doc:`/regressors`, has the
        measurements), and None otherwise (levels, and
        ``normalize="window"``).

    normalize : {"auto", "last", "window"} or None, default="auto"
        "last" makes the network level-free: it reads each window relative to
        its last observed step (every feature), and learns the target as its
        change from the last observed value of the target's own history
        (found among the windows' features, as :func:`~sklstm.make_supervised`
        lays them out), which is added back to its predictions. Trends and
        level shifts beyond the training range then stay in reach. "auto"
        (the default) does the same when the target's history is among the
        features and learns levels otherwise; "last" warns then. "window"
        also divides each window, and the change to learn, by the window's
        spread (per feature; the target's in the units of ``y``), so that one
        network serves series of any scale, as for a panel (see
        :ref:`panels`). None learns levels. Measurements in the user guide
        (:doc:`/regressors`).

        .. versionadded:: 0.1

    quantiles : tuple of float or None, default=None
        Levels of the quantiles to forecast, e.g. ``(0.05, 0.5, 0.95)``:
        sorted, strictly between 0 and 1, with 0.5 among them (the median,
        which :meth:`predict` returns). One network with one head gives them
        all, as a lowest quantile plus softplus gaps, so they never cross; it
        is trained with the pinball loss on the standardised target (on the
        change from the last value with ``normalize``), which replaces
        ``loss``. :meth:`predict_quantiles` returns them. None fits a point
        forecaster.

        .. versionadded:: 0.1

    known_future : bool, default=False
        Whether the last steps of each window are *forecast steps*: one per
        output, holding the covariates known in advance at that output's
        target time (NaN for the other features), as
        ``SequenceWindower(known_future=[...])`` builds them. The recurrent
        layers read the past steps only; at each forecast step a small
        two-layer network reads the recurrent state beside that step's known
        values and adds its output to the head's. See :ref:`known-future`.

        .. versionadded:: 0.1

    optimizer : str or keras.optimizers.Optimizer, default="adam"
        Optimizer name or instance; its arguments can be routed with
        ``optimizer__<name>``.

    learning_rate : float or None, default=0.01
        Learning rate of the optimizer; None keeps the optimizer's own (0.001
        for Adam, or that of an optimizer instance), and a routed
        ``optimizer__learning_rate`` takes precedence.

    loss : str or keras.losses.Loss, default="auto"
        Training loss, on the standardised target when
        ``standardize_target=True``. ``"auto"`` is ``"mae"`` with
        ``normalize="window"`` (a panel's global network, where a few
        series' outlying windows would dominate a squared loss: chosen on
        validation periods of Tourism and M3, see :ref:`panels`) and
        ``"mse"`` otherwise.

        .. versionchanged:: 0.1
           ``"auto"`` (was ``"mse"``).

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

    predict_backend : {"auto", "numpy", "keras"}, default="auto"
        How :meth:`predict` runs the network. "numpy" uses :mod:`sklstm.gates`
        (same values, no Keras overhead per call); "keras" uses
        ``model_.predict``; "auto" uses NumPy for up to 1024 windows when the
        activations allow it.

    **kwargs : dict
        SciKeras's routed parameters: ``model__<name>`` (passed to the network
        builder), ``optimizer__<name>``, ``loss__<name>``, ``compile__<name>``,
        ``fit__<name>``, ``predict__<name>``, ``callbacks__<name>``.

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

    static_features_ : tuple of int
        The features that never change within any training window (such as
        the one-hot series id of ``SequenceWindower(static_id=True)``): with
        ``normalize``, the network reads them as they are rather than
        relative to the last step. Empty for most single series.

    versions_ : dict of str to str
        Versions of sklstm, scikit-learn, NumPy, pandas, Keras and TensorFlow
        that fitted the estimator; unpickling it under others warns with
        :class:`~sklstm.InconsistentVersionWarning`.

    See Also
    --------
    StackedLSTMRegressor : Several LSTM layers.
    BiLSTMRegressor : An LSTM reading each window both ways.
    SequenceWindower : Builds the windows.

    Notes
    -----
    Input: ``X`` of shape ``(n_samples, n_timesteps, n_features)``, or
    ``(n_samples, n_timesteps)`` meaning one feature. Time steps holding NaN
    (the windower's padding, missing values) are masked: the LSTM skips them and
    carries its state over. Every training window needs one observed step.

    With an int ``random_state``, :meth:`fit` calls
    :func:`keras.utils.set_random_seed`, which seeds Python's, NumPy's and
    the backend's global generators: a process-wide side effect.

    The estimator pickles (with the Keras model inside) as long as its
    parameters do: pass named functions or Keras classes, not lambdas, for the
    loss, activations and callbacks.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((64, 5, 2))
    >>> y = X[:, -1, 0]
    >>> reg = LSTMRegressor(units=4, epochs=1, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **SequenceRegressorBase._parameter_constraints,
        "units": [int_at_least(1)],
    }

    def __init__(
        self,
        units=50,
        *,
        cell="lstm",
        activation="tanh",
        recurrent_activation="sigmoid",
        dropout=0.0,
        recurrent_dropout=0.0,
        linear_skip="auto",
        normalize="auto",
        quantiles=None,
        known_future=False,
        optimizer="adam",
        learning_rate=0.01,
        loss="auto",
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
        predict_backend="auto",
        **kwargs,
    ):
        super().__init__(**constructor_arguments(locals()))

    def _network_kwargs(self):
        return {"units": (self.units,)}
