"""Plots of LSTM training, forecasts and gates, drawn with matplotlib.

Four functions: the training history of a fitted regressor
(:func:`plot_history`), a forecast against the observed series with its
cross-validation folds and horizon (:func:`plot_forecast`), the diagram of the
LSTM cell (:func:`plot_lstm_cell`) and the gates of a fitted network over one
window (:func:`plot_gate_activations`).

``import sklstm.plotting`` imports neither matplotlib nor Keras: matplotlib is
imported when a function draws.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from ._plot_backtest import plot_backtest
from ._plot_cell import _draw_lstm_cell
from ._plot_series import _align, _draw_forecast, _test_folds
from ._validation import check_is_fitted

__all__ = [
    "plot_backtest",
    "plot_forecast",
    "plot_gate_activations",
    "plot_history",
    "plot_lstm_cell",
]

#: Gates that :func:`plot_gate_activations` can draw, with their titles.
_GATE_TITLES = {
    "input": r"input gate $i_t$",
    "forget": r"forget gate $f_t$",
    "candidate": r"candidate $g_t$",
    "output": r"output gate $o_t$",
    "cell": r"cell state $c_t$",
    "hidden": r"hidden state $h_t$",
}


# --- shared helpers -----------------------------------------------------------


def _new_axes(ax, figsize):
    """``ax`` itself, or the axes of a new figure of ``figsize``."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _final_estimator(estimator):
    """The estimator itself, or the last step of a Pipeline."""
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator


def _check_fitted(func, estimator):
    """Raise NotFittedError, naming ``func``, unless ``estimator`` is fitted."""
    check_is_fitted(
        estimator,
        msg=(
            f"{func} expected a fitted estimator; got an unfitted %(name)s. "
            f"Call fit(X, y) on it first."
        ),
    )


# --- plot_history -------------------------------------------------------------


def _history_of(estimator):
    """``(history, best_epoch, name)`` of an estimator, Pipeline, History or dict."""
    final = _final_estimator(estimator)
    if hasattr(final, "history_"):
        name = type(final).__name__
        _check_fitted("plot_history", final)
        return final.history_, getattr(final, "best_epoch_", None), name
    if isinstance(estimator, Mapping):
        return estimator, None, None
    if isinstance(getattr(estimator, "history", None), Mapping):
        return estimator.history, None, None  # keras.callbacks.History
    name = type(final).__name__
    if not hasattr(final, "fit"):
        raise TypeError(
            f"plot_history expected a fitted sklstm regressor, a Pipeline ending "
            f"in one, or a history dict; got {name}. Pass e.g. "
            f"LSTMRegressor().fit(X, y)."
        )
    _check_fitted("plot_history", final)
    raise TypeError(
        f"plot_history expected an estimator that records its training in "
        f"history_, such as LSTMRegressor; got {name}, which has no history_. "
        f"Pass an sklstm regressor or a Pipeline ending in one."
    )


def _history_label(key):
    """'loss' -> 'training loss', 'val_loss' -> 'validation loss'."""
    if key.startswith("val_"):
        return f"validation {key[4:]}"
    return f"training {key}"


def plot_history(estimator, *, ax=None, log_scale=False):
    """Plot the training history of a fitted LSTM regressor, epoch by epoch.

    One line per entry of ``history_``: the training ``loss`` and, when the
    fit held out windows (``validation_split`` or early stopping), the
    validation loss ``val_loss`` dashed in the same colour. With early
    stopping, a dotted vertical line marks ``best_epoch_``, the number of
    epochs of the final training on all windows. A validation loss that keeps
    falling asks for more epochs; one that rises while the training loss
    falls shows overfitting.

    Parameters
    ----------
    estimator : estimator, Pipeline or dict
        A fitted :class:`~sklstm.LSTMRegressor`,
        :class:`~sklstm.StackedLSTMRegressor` or
        :class:`~sklstm.BiLSTMRegressor`, a fitted
        :class:`~sklearn.pipeline.Pipeline` whose last step is one, a
        ``keras.callbacks.History``, or a history dict mapping names to
        per-epoch values.

    ax : matplotlib Axes, default=None
        Axes to draw on. None draws on a new figure.

    log_scale : bool, default=False
        Use a logarithmic y axis, which shows late, small improvements.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on. Epochs count from 1 on the x axis.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the estimator is not fitted.
    TypeError
        If the estimator has no ``history_``.
    ValueError
        If the history holds no epoch.

    See Also
    --------
    LSTMRegressor : Its ``history_`` and ``best_epoch_`` are drawn.

    Examples
    --------
    >>> from sklstm.plotting import plot_history
    >>> ax = plot_history({"loss": [1.0, 0.5, 0.4], "val_loss": [1.1, 0.7, 0.8]})
    >>> [line.get_label() for line in ax.get_lines()]
    ['training loss', 'validation loss']
    """
    history, best_epoch, name = _history_of(estimator)
    history = {key: np.asarray(values, dtype=float) for key, values in history.items()}
    if not history or not any(len(values) for values in history.values()):
        raise ValueError(
            f"plot_history expected a history with at least one epoch; got "
            f"{dict(history)!r}. Fit the estimator with epochs >= 1."
        )
    from matplotlib.ticker import MaxNLocator

    ax = _new_axes(ax, (6.4, 4.0))
    # Training keys first, each validation key in its training key's colour.
    train_keys = [key for key in history if not key.startswith("val_")]
    colors = {key: f"C{i % 10}" for i, key in enumerate(train_keys)}
    next_color = len(train_keys)
    for key, values in history.items():
        base = key[4:] if key.startswith("val_") else key
        if base not in colors:
            colors[base] = f"C{next_color % 10}"
            next_color += 1
        ax.plot(
            np.arange(1, len(values) + 1),
            values,
            color=colors[base],
            linestyle="--" if key.startswith("val_") else "-",
            marker="o" if len(values) == 1 else None,
            label=_history_label(key),
        )
    if best_epoch is not None:
        ax.axvline(
            best_epoch,
            color="0.35",
            linestyle=":",
            label=f"best epoch ({best_epoch})",
            gid="best_epoch",
        )
    if log_scale:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Training history" if name is None else f"Training history of {name}")
    ax.legend()
    return ax


# --- plot_forecast ------------------------------------------------------------


def plot_forecast(
    y_true,
    y_pred,
    *,
    index=None,
    cv=None,
    X=None,
    horizon=None,
    ax=None,
    labels=("actual", "predicted"),
    interval=None,
):
    """Plot a forecast against the observed series.

    ``y_pred`` is drawn against ``y_true`` point by point, starting at the
    first point. It may run further than ``y_true``: its extra points are
    forecasts beyond the data, and they are shaded as the forecast horizon.
    NaN values leave gaps, so predictions for the test rows only are a
    ``y_pred`` that is NaN elsewhere. Optionally the test folds of a
    cross-validation are shaded in alternating tones and numbered.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The observed series. A pandas Series gives the x axis its index.

    y_pred : array-like of shape (n_samples,) or (n_samples + n_future,)
        The predictions, aligned with ``y_true`` from its first point; the
        last ``n_future`` values, if any, are forecasts beyond ``y_true``.
        When both are pandas Series and the first ``n_samples`` labels of
        ``y_pred`` are not those of ``y_true``, the two are aligned on their
        labels instead, so a ``y_pred`` indexed by the test rows only works.

    index : array-like of shape (n_samples + n_future,), default=None
        The x values of the points of ``y_pred`` (those of ``y_true`` are the
        first ``n_samples``). None uses the index of ``y_pred`` if it is a
        Series, else that of ``y_true`` if it is a Series (continued by its
        frequency or step for the forecast points), else ``0, 1, ...``.

    cv : cross-validation splitter or iterable of (train, test), default=None
        Shade the test rows of each split: a splitter with a ``split`` method
        such as :class:`~sklearn.model_selection.TimeSeriesSplit`, or a list
        of ``(train, test)`` index arrays. Indices are positions in
        ``y_true``. None shades no fold.

    X : array-like of shape (n_samples, ...), default=None
        The data that ``cv`` splits. None splits the ``n_samples`` rows of
        ``y_true``, which is all that time-ordered splitters look at.

    horizon : int, default=None
        Number of final points of ``y_pred`` that are forecasts, shaded as the
        forecast horizon; at least ``n_future``. Use it to shade the end of a
        ``y_pred`` that has observed values to compare with. None means
        ``n_future`` (no shading when ``y_pred`` is no longer than
        ``y_true``).

    ax : matplotlib Axes, default=None
        Axes to draw on. None draws on a new figure.

    labels : tuple of (str, str), default=("actual", "predicted")
        Legend labels of ``y_true`` and ``y_pred``.

    interval : array-like of shape (len(y_pred), 2), default=None
        Lower and upper bounds of a prediction interval for each point of
        ``y_pred`` (NaN where there is none), e.g. from
        :meth:`~sklstm.ConformalForecaster.predict_interval` or the
        ``lower`` and ``upper`` columns of :func:`~sklstm.forecast`; drawn as
        a band with the ``gid`` ``"interval"``. A DataFrame is aligned on
        its labels, as ``y_pred``.

        .. versionadded:: 0.1

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on. The shaded spans have the ``gid``
        ``"fold_<k>"`` (k from 0) and ``"horizon"``; each covers its points
        and half the gap to their neighbours.

    Raises
    ------
    ValueError
        If the lengths of ``y_true``, ``y_pred`` and ``index`` do not match,
        if ``horizon`` is out of range, or if ``cv`` splits other rows.
    TypeError
        If ``cv`` is neither a splitter nor an iterable of splits, or
        ``horizon`` is not an int.

    See Also
    --------
    sklstm.recursive_forecast : Forecasts several steps beyond the data.
    sklearn.model_selection.TimeSeriesSplit : Time-ordered test folds.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import TimeSeriesSplit
    >>> from sklstm.plotting import plot_forecast
    >>> y = np.sin(np.arange(40) / 4)
    >>> y_pred = np.concatenate([y + 0.1, [0.5, 0.6, 0.7]])  # 3 steps ahead
    >>> ax = plot_forecast(y, y_pred, cv=TimeSeriesSplit(n_splits=3))
    >>> sorted(patch.get_gid() for patch in ax.patches)
    ['fold_0', 'fold_1', 'fold_2', 'horizon']
    """
    if isinstance(labels, str) or len(labels) != 2:
        raise ValueError(
            f"plot_forecast expected labels to be a pair of strings (for "
            f"y_true and y_pred); got {labels!r}. Pass e.g. labels=('actual', "
            f"'predicted')."
        )
    x, true, pred, true_pos, n_true = _align(y_true, y_pred, index)
    n_points = len(x)
    n_future = n_points - n_true
    if horizon is None:
        horizon = n_future
    elif not isinstance(horizon, Integral) or isinstance(horizon, bool):
        raise TypeError(
            f"plot_forecast expected horizon to be an int (the number of final "
            f"points of y_pred that are forecasts); got {horizon!r}. Pass e.g. "
            f"horizon=7."
        )
    elif not n_future <= horizon <= n_points:
        raise ValueError(
            f"plot_forecast expected horizon between {n_future} (the points of "
            f"y_pred beyond y_true) and {n_points} (all of y_pred); got "
            f"horizon={horizon!r}. Pass the number of final points that are "
            f"forecasts."
        )
    folds = [] if cv is None else _test_folds(cv, X, len(true_pos))

    ax = _new_axes(ax, (8.0, 3.6))
    ax = _draw_forecast(
        ax, x, true, pred, true_pos, n_true, folds, horizon, y_true, labels
    )
    if interval is not None:
        _draw_band(ax, x, y_true, y_pred, interval, index)
    return ax


def _draw_band(ax, x, y_true, y_pred, interval, index):
    """The interval as a band under the forecast, aligned as ``y_pred`` is."""
    bounds = np.asarray(interval, dtype=np.float64)
    if bounds.ndim != 2 or bounds.shape != (len(y_pred), 2):
        raise ValueError(
            f"plot_forecast expected interval of shape ({len(y_pred)}, 2), a "
            f"lower and an upper bound per point of y_pred; got shape "
            f"{bounds.shape}."
        )
    labels = y_pred.index if isinstance(y_pred, pd.Series) else None
    if isinstance(interval, pd.DataFrame):
        labels = interval.index
    lo, hi = (pd.Series(bounds[:, k], index=labels) for k in range(2))
    lo = _align(y_true, lo if labels is not None else bounds[:, 0], index)[2]
    hi = _align(y_true, hi if labels is not None else bounds[:, 1], index)[2]
    x_plot = x.to_timestamp() if isinstance(x, pd.PeriodIndex) else x
    if not (isinstance(x_plot, pd.Index) and pd.api.types.is_numeric_dtype(x_plot)):
        x_plot = np.asarray(x_plot)
    band = ax.fill_between(
        x_plot, lo, hi, color="C1", alpha=0.25, linewidth=0, label="interval"
    )
    band.set_gid("interval")
    ax.legend(loc="best", fontsize="small")


# --- plot_lstm_cell -----------------------------------------------------------


def plot_lstm_cell(*, ax=None):
    """Draw the structure of one LSTM cell: its gates and what flows between.

    The cell state ``c`` runs along the top, touched only by the forget
    product and the input sum; ``x_t`` and ``h_{t-1}`` enter at the bottom,
    feed the four gates (forget ``f``, input ``i`` and output ``o`` through
    the sigmoid ``sigma``, the candidate ``g`` through ``tanh``), and
    ``h_t = o_t * tanh(c_t)`` leaves on the right, to the next step and as
    the output. Yellow boxes are layers with weights, pink circles are
    element-wise operations::

        f_t = sigma(x_t W_f + h_{t-1} U_f + b_f)
        i_t = sigma(x_t W_i + h_{t-1} U_i + b_i)
        g_t = tanh(x_t W_g + h_{t-1} U_g + b_g)
        o_t = sigma(x_t W_o + h_{t-1} U_o + b_o)
        c_t = f_t * c_{t-1} + i_t * g_t
        h_t = o_t * tanh(c_t)

    Parameters
    ----------
    ax : matplotlib Axes, default=None
        Axes to draw on; its axis lines are turned off and its aspect made
        equal. Text and lines are sized to its size when this is called. None
        draws on a new figure.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    See Also
    --------
    sklstm.gates : The same cell in NumPy, gate by gate.
    plot_gate_activations : The gates of a fitted network over a window.

    Examples
    --------
    >>> from sklstm.plotting import plot_lstm_cell
    >>> ax = plot_lstm_cell()
    >>> ax.get_title()
    'The LSTM cell'
    """
    return _draw_lstm_cell(ax)


# --- plot_gate_activations ----------------------------------------------------


def plot_gate_activations(
    estimator,
    X,
    *,
    sample=-1,
    gates=("input", "forget", "output", "cell"),
    fig=None,
):
    """Plot the gates of a fitted LSTM over one window, as heatmaps.

    One heatmap per gate, stacked and sharing the time axis: time steps of
    the window on x (oldest first), units of the first LSTM layer on y, and a
    colour bar each. The sigmoid gates (input, forget, output) lie in [0, 1]:
    a forget gate near 1 keeps the cell state, near 0 erases it. The
    candidate and the hidden state lie in [-1, 1]; the cell state is drawn on
    a scale symmetric around 0. Masked (NaN) steps, such as the windower's
    padding, are left blank.

    Parameters
    ----------
    estimator : estimator or Pipeline
        A fitted :class:`~sklstm.LSTMRegressor`,
        :class:`~sklstm.StackedLSTMRegressor` or
        :class:`~sklstm.BiLSTMRegressor`, or a fitted
        :class:`~sklearn.pipeline.Pipeline` whose last step is one (``X`` is
        then transformed by the steps before it).

    X : array-like of shape (n_samples, n_timesteps) or \
            (n_samples, n_timesteps, n_features)
        Windows shaped as in ``fit``; for a Pipeline, the input of the
        Pipeline.

    sample : int, default=-1
        Which window to draw (negative counts from the end; -1 is the most
        recent).

    gates : tuple of str, default=("input", "forget", "output", "cell")
        What to draw, top to bottom: any of ``"input"``, ``"forget"``,
        ``"candidate"``, ``"output"``, ``"cell"`` and ``"hidden"`` (the keys
        of ``estimator.gate_activations(X)``).

    fig : matplotlib Figure or SubFigure, default=None
        An empty figure to draw into. None draws on a new figure.

    Returns
    -------
    fig : matplotlib Figure
        The figure drawn on; ``fig.axes`` holds the heatmaps, in the order of
        ``gates``, then their colour bars.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the estimator is not fitted.
    TypeError
        If the estimator has no ``gate_activations``.
    ValueError
        If a gate is unknown, ``sample`` is out of range or ``fig`` is not
        empty.

    See Also
    --------
    LSTMRegressor.gate_activations : The values drawn.
    plot_lstm_cell : Where each gate sits in the cell.

    Notes
    -----
    For a stacked network the gates are those of the first layer; for a
    bidirectional one, of its forward direction.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> from sklstm.plotting import plot_gate_activations
    >>> X = np.random.default_rng(0).standard_normal((16, 5, 1))
    >>> reg = LSTMRegressor(units=3, epochs=1, early_stopping=False, random_state=0)
    >>> reg = reg.fit(X, X[:, -1, 0])
    >>> fig = plot_gate_activations(reg, X, gates=("forget", "cell"))
    >>> [ax.get_title(loc="left") for ax in fig.axes[:2]]
    ['forget gate $f_t$', 'cell state $c_t$']
    >>> fig.axes[0].get_images()[0].get_array().shape  # (units, n_timesteps)
    (3, 5)
    """
    final = _final_estimator(estimator)
    name = type(final).__name__
    if not hasattr(final, "gate_activations"):
        raise TypeError(
            f"plot_gate_activations expected an sklstm LSTM regressor (or a "
            f"Pipeline ending in one) with gate_activations; got {name}. Pass "
            f"e.g. a fitted LSTMRegressor."
        )
    _check_fitted("plot_gate_activations", final)
    if isinstance(gates, str):
        gates = (gates,)
    gates = tuple(gates)
    unknown = [gate for gate in gates if gate not in _GATE_TITLES]
    if not gates or unknown:
        raise ValueError(
            f"plot_gate_activations expected gates among {list(_GATE_TITLES)!r}; "
            f"got {gates!r}. Pick one or more of those names."
        )
    windows = estimator[:-1].transform(X) if final is not estimator else X
    n_samples = len(windows)
    if not isinstance(sample, Integral) or isinstance(sample, bool):
        raise TypeError(
            f"plot_gate_activations expected sample to be an int (the index of "
            f"a window); got {sample!r}. Pass e.g. sample=-1 for the last one."
        )
    if not -n_samples <= sample < n_samples:
        raise ValueError(
            f"plot_gate_activations expected sample between {-n_samples} and "
            f"{n_samples - 1} (X holds {n_samples} windows); got sample="
            f"{sample!r}. Pick an existing window."
        )
    if fig is not None and fig.axes:
        raise ValueError(
            f"plot_gate_activations expected an empty figure; got one with "
            f"{len(fig.axes)} axes. Pass a new figure, or call fig.clear() first."
        )
    # Only the chosen window goes through the network.
    one = np.asarray(windows)[[sample]]
    activations = final.gate_activations(one)

    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(7.5, 0.8 + 1.7 * len(gates)), layout="constrained")
    from matplotlib.ticker import MaxNLocator

    axes = np.atleast_1d(fig.subplots(len(gates), 1, sharex=True, squeeze=False))
    axes = axes[:, 0]
    for ax, gate in zip(axes, gates, strict=True):
        values = np.asarray(activations[gate][0], dtype=float).T  # units x time
        if gate in ("input", "forget", "output"):
            vmin, vmax, cmap = 0.0, 1.0, "viridis"
        elif gate in ("candidate", "hidden"):
            vmin, vmax, cmap = -1.0, 1.0, "RdBu_r"
        else:
            peak = np.nanmax(np.abs(values), initial=0.0) or 1.0
            vmin, vmax, cmap = -peak, peak, "RdBu_r"
        image = ax.imshow(
            values, aspect="auto", origin="lower", interpolation="nearest",
            cmap=cmap, vmin=vmin, vmax=vmax,
        )  # fmt: skip
        fig.colorbar(image, ax=ax, pad=0.02)
        ax.set_title(_GATE_TITLES[gate], loc="left", fontsize="medium")
        ax.set_ylabel("unit")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[-1].set_xlabel("time step (oldest first)")
    position = sample if sample >= 0 else n_samples + sample
    fig.suptitle(f"Gate activations of {name}, window {position}")
    return fig
