"""Helpers of :func:`~sklstm.plotting.plot_forecast`: aligning and drawing series.

``_align`` lines ``y_true`` and ``y_pred`` up on one x axis (by position, by a
given ``index`` or on the labels of pandas Series), ``_test_folds`` turns a
cross-validation splitter into test indices, and ``_draw_forecast`` draws the
two series, the shaded test folds and the forecast horizon. The public function,
with its argument checks, is in :mod:`sklstm.plotting`; matplotlib is imported
only when something is drawn.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np
import pandas as pd


def _as_1d(name, y):
    """A 1-D float array (and the Series, if any) from array-like ``y``."""
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                f"plot_forecast expected {name} of shape (n_samples,); got a "
                f"DataFrame of shape {y.shape}. Select one column, e.g. "
                f"{name}.iloc[:, 0]."
            )
        y = y.iloc[:, 0]
    series = y if isinstance(y, pd.Series) else None
    values = np.asarray(y, dtype=float)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(
            f"plot_forecast expected {name} of shape (n_samples,); got shape "
            f"{values.shape}. Plot one output at a time, e.g. {name}[:, 0]."
        )
    return values, series


def _extend_index(index, n_extra):
    """``index`` continued by ``n_extra`` steps, or None if it cannot be."""
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (
            pd.DatetimeIndex(index, freq="infer").freq if len(index) >= 3 else None
        )
        if freq is None:
            return None
        future = pd.date_range(index[-1], periods=n_extra + 1, freq=freq)[1:]
        return index.append(future).rename(index.name)
    if pd.api.types.is_numeric_dtype(index) and len(index) >= 2:
        steps = np.diff(np.asarray(index, dtype=float))
        if np.allclose(steps, steps[0]) and steps[0] > 0:
            extra = index[-1] + steps[0] * np.arange(1, n_extra + 1)
            values = np.concatenate([np.asarray(index), extra])
            return pd.Index(values, name=index.name)
    return None


def _align(y_true, y_pred, index):
    """Positions, x values and aligned values of the two series.

    Returns ``(x, true, pred, true_pos, n_true)``: the x values of every point,
    y_true and y_pred on those points (NaN where absent), the position in
    ``x`` of each row of y_true, and the number of leading points that y_true
    covers.
    """
    true, true_series = _as_1d("y_true", y_true)
    pred, pred_series = _as_1d("y_pred", y_pred)
    n_true, n_pred = len(true), len(pred)
    if n_pred == 0:
        raise ValueError(
            "plot_forecast expected y_pred with at least one point; got an empty "
            "y_pred. Pass the predictions to plot."
        )
    if index is None and true_series is not None and pred_series is not None:
        t_index, p_index = true_series.index, pred_series.index
        if not p_index[:n_true].equals(t_index):
            # Align on the labels: y_pred may cover the test rows only.
            for name, idx in (("y_true", t_index), ("y_pred", p_index)):
                if not idx.is_unique:
                    raise ValueError(
                        f"plot_forecast expected {name} with a unique index to "
                        f"align y_true and y_pred on; got duplicate labels "
                        f"{list(idx[idx.duplicated()][:3])!r}. Pass arrays "
                        f"aligned by position instead."
                    )
            x = t_index.union(p_index)
            true = true_series.reindex(x).to_numpy(dtype=float)
            pred = pred_series.reindex(x).to_numpy(dtype=float)
            true_pos = x.get_indexer(t_index)
            n_true = int(true_pos.max()) + 1 if n_true else 0
            return x, true[:n_true], pred, true_pos, n_true
    if n_pred < n_true:
        raise ValueError(
            f"plot_forecast expected y_pred at least as long as y_true (aligned "
            f"from the first point, forecasts beyond the data at the end); got "
            f"len(y_true)={n_true} and len(y_pred)={n_pred}. Pad y_pred with NaN "
            f"where there is no prediction, or pass pandas Series to align on "
            f"their index."
        )
    if index is not None:
        x = pd.Index(index)
        if len(x) != n_pred:
            raise ValueError(
                f"plot_forecast expected index with one position per point of "
                f"y_pred ({n_pred}); got {len(x)}. Pass the x values of y_pred, "
                f"forecast points included."
            )
    elif pred_series is not None:
        x = pred_series.index
    elif true_series is not None:
        x = true_series.index
        if n_pred > n_true:
            x = _extend_index(x, n_pred - n_true)
            if x is None:
                raise ValueError(
                    f"plot_forecast cannot extend the index of y_true "
                    f"({type(true_series.index).__name__} without a regular "
                    f"step) to the {n_pred - n_true} forecast point(s) of y_pred; "
                    f"got len(y_true)={n_true} and len(y_pred)={n_pred}. Pass "
                    f"index= with {n_pred} positions, or y_pred as a Series."
                )
    else:
        x = pd.RangeIndex(n_pred)
    return x, true, pred, np.arange(n_true), n_true


def _is_datetime(x):
    return isinstance(x, pd.DatetimeIndex | pd.PeriodIndex) or (
        pd.api.types.is_datetime64_any_dtype(x)
    )


def _numeric_x(x):
    """x values as floats in the units matplotlib plots them in."""
    if isinstance(x, pd.PeriodIndex):
        x = x.to_timestamp()
    if _is_datetime(x):
        from matplotlib.dates import date2num

        x = pd.DatetimeIndex(x)
        if x.tz is not None:  # matplotlib plots aware datetimes in UTC
            x = x.tz_convert("UTC").tz_localize(None)
        return date2num(x.to_numpy())
    if pd.api.types.is_numeric_dtype(x):
        return np.asarray(x, dtype=float)
    return np.arange(len(x), dtype=float)  # categorical axis: 0, 1, ...


def _edges(xnum):
    """Boundaries halfway between neighbouring points, one more than points."""
    if len(xnum) == 1:
        return np.array([xnum[0] - 0.5, xnum[0] + 0.5])
    mid = (xnum[1:] + xnum[:-1]) / 2
    first = xnum[0] - (mid[0] - xnum[0])
    last = xnum[-1] + (xnum[-1] - mid[-1])
    return np.concatenate([[first], mid, [last]])


def _test_folds(cv, X, n_rows):
    """The test indices of each split of ``cv``."""
    if hasattr(cv, "split"):
        rows = np.arange(n_rows) if X is None else X
        try:
            splits = list(cv.split(rows))
        except ValueError as exc:
            raise ValueError(
                f"plot_forecast could not split with cv={cv!r}: {exc} Pass X= "
                f"(the rows that cv splits) or fewer splits."
            ) from None
    elif isinstance(cv, str | bytes) or not hasattr(cv, "__iter__"):
        raise TypeError(
            f"plot_forecast expected cv to be a splitter with a split method "
            f"(e.g. TimeSeriesSplit) or a list of (train, test) index arrays; "
            f"got {cv!r}. Pass one of them."
        )
    else:
        splits = list(cv)
    folds = []
    for fold in splits:
        try:
            _, test = fold
        except (TypeError, ValueError):
            raise ValueError(
                f"plot_forecast expected each split of cv to be a (train, test) "
                f"pair of index arrays; got {fold!r}. Pass cv.split(X) results "
                f"or the splitter itself."
            ) from None
        test = np.asarray(test)
        if test.dtype == bool:
            test = np.flatnonzero(test)
        test = np.sort(test.astype(int, copy=False))
        if len(test) and (test[0] < 0 or test[-1] >= n_rows):
            raise ValueError(
                f"plot_forecast expected test indices between 0 and "
                f"{n_rows - 1} (the rows of y_true); got indices from {test[0]} "
                f"to {test[-1]}. Split the same rows that y_true holds."
            )
        folds.append(test)
    return folds


def _runs(positions):
    """Split sorted positions into runs of consecutive ones."""
    if len(positions) == 0:
        return []
    breaks = np.flatnonzero(np.diff(positions) != 1) + 1
    return np.split(positions, breaks)


def _draw_forecast(ax, x, true, pred, true_pos, n_true, folds, horizon, y_true, labels):
    """Draw the series, test folds and horizon of a forecast on ``ax``."""
    n_points = len(x)
    x_plot = x.to_timestamp() if isinstance(x, pd.PeriodIndex) else x
    if not (isinstance(x_plot, pd.Index) and pd.api.types.is_numeric_dtype(x_plot)):
        x_plot = np.asarray(x_plot)
    ax.plot(x_plot[:n_true], true, color="C0", label=labels[0])
    ax.plot(x_plot, pred, color="C1", linestyle="--", label=labels[1])

    edges = _edges(_numeric_x(x))
    from matplotlib.transforms import blended_transform_factory

    top = blended_transform_factory(ax.transData, ax.transAxes)
    fold_label = "test folds"
    for k, test in enumerate(folds):
        for run in _runs(np.unique(true_pos[test])):
            ax.axvspan(
                edges[run[0]],
                edges[run[-1] + 1],
                color="C2",
                alpha=0.12 if k % 2 == 0 else 0.24,
                linewidth=0,
                label=fold_label,
                gid=f"fold_{k}",
            )
            fold_label = None  # one legend entry for all folds
        if len(test):
            middle = (edges[true_pos[test[0]]] + edges[true_pos[test[-1]] + 1]) / 2
            ax.text(
                middle, 0.97, f"fold {k + 1}", transform=top, ha="center",
                va="top", fontsize="small", color="0.3",
            )  # fmt: skip
    if horizon:
        ax.axvspan(
            edges[n_points - horizon],
            edges[n_points],
            color="C3",
            alpha=0.12,
            linewidth=0,
            label="forecast horizon",
            gid="horizon",
        )
    series = y_true if isinstance(y_true, pd.Series) else None
    name = getattr(x, "name", None)
    if _is_datetime(x):
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_xlabel(str(name) if name is not None else "time")
    if series is not None and series.name is not None:
        ax.set_ylabel(str(series.name))
    ax.legend(loc="best", fontsize="small")
    return ax
