"""Covariates known in advance: the lead columns and the forecast steps they fill.

A column declared *known-future* (a calendar feature, a planned promotion, a
weather forecast) is known at each forecast step's target time, not only up to
the forecast origin. :func:`make_supervised` adds, for each declared column
``c`` and each horizon ``h``, the lead column ``c_t+h``: the value of ``c`` at
row ``t + h``, aligned (and dropped at the end) exactly as the targets are.
The :class:`~sklstm.SequenceWindower` keeps those columns out of the look-back
windows and appends them as the *forecast steps* of each window: step
``window + j`` holds, at the position of each declared column, its value at
the target time of the ``j``-th horizon, and NaN for every other column (whose
future is unknown). A regressor with ``known_future=True`` reads those last
steps apart from the past (:func:`sklstm._networks.build_network`).

This module holds the naming, the checks and the NumPy arithmetic shared by
``make_supervised``, the windower, ``forecast`` and the Keras-free forward
passes; it imports neither Keras nor TensorFlow.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "LeadLayout",
    "check_declared",
    "check_forecast_steps",
    "future_inputs",
    "future_table",
    "future_term",
    "lead_columns",
    "lead_name",
    "undeclared_leads",
]

_LEAD = re.compile(r"^(?P<column>.+)_t\+(?P<step>[1-9][0-9]*)$")


def lead_name(column, step):
    """The name of the lead column of ``column`` at ``step`` rows ahead."""
    return f"{column}_t+{step}"


def check_declared(owner, known_future, columns, *, target=None):
    """``known_future`` as a list of column names of ``columns``, checked.

    ``owner`` names the caller in messages. Raises for a declaration that is
    not a list of names, a name that is not a column, a duplicate, and the
    target itself.
    """
    if isinstance(known_future, str) or not hasattr(known_future, "__iter__"):
        raise TypeError(
            f"{owner} expected known_future as a list of column names, e.g. "
            f"['temperature', 'holiday']; got {known_future!r}."
        )
    names = list(known_future)
    if not names:
        raise ValueError(
            f"{owner} expected known_future to name at least one column; got "
            f"an empty list. Pass None when no column is known in advance."
        )
    columns = list(columns)
    missing = [name for name in names if name not in columns]
    if missing:
        raise ValueError(
            f"{owner} got known_future column(s) {missing!r} that are not "
            f"columns of the data; its columns are {columns!r}."
        )
    repeated = sorted({name for name in names if names.count(name) > 1}, key=str)
    if repeated:
        raise ValueError(
            f"{owner} got known_future column(s) {repeated!r} more than once; "
            f"name each column once."
        )
    if target is not None and target in names:
        raise ValueError(
            f"{owner} got the target {target!r} among the known_future columns: "
            f"the value to forecast cannot be known in advance. Remove it from "
            f"known_future (its past values are inputs already)."
        )
    return names


def lead_columns(owner, data, known_future, steps, n_rows):
    """The lead columns of ``known_future`` for each of ``steps``: a DataFrame.

    Row ``t`` of column ``c_t+h`` is ``data[c]`` at row ``t + h``; the frame has
    the first ``n_rows`` rows of ``data``'s index. Raises for a declared column
    that is not numeric or never observed.
    """
    for name in known_future:
        column = data[name]
        if not pd.api.types.is_numeric_dtype(column):
            raise ValueError(
                f"{owner} expected the known_future column {name!r} to be "
                f"numeric; got dtype {column.dtype}. Encode it as numbers first "
                f"(e.g. 0/1 flags, or sklstm.calendar_features for dates)."
            )
        if column.isna().all():
            raise ValueError(
                f"{owner} got the known_future column {name!r} with no observed "
                f"value (all NaN); drop it from known_future or fill it."
            )
    leads = {
        lead_name(name, h): data[name].to_numpy(dtype=np.float64)[h : h + n_rows]
        for h in steps
        for name in known_future
    }
    return pd.DataFrame(leads, index=data.index[:n_rows])


def undeclared_leads(columns):
    """Names among ``columns`` that look like lead columns of another column."""
    names = {str(column) for column in columns}
    found = []
    for column in columns:
        match = _LEAD.match(str(column))
        if match and match["column"] in names:
            found.append(column)
    return found


@dataclass(frozen=True)
class LeadLayout:
    """Where the past and the lead columns of a known-future table lie.

    Parameters
    ----------
    past : ndarray of int
        Positions of the columns that are windowed over the past.
    steps : tuple of int
        The horizons of the lead columns, increasing: one forecast step each.
    leads : ndarray of int, shape (n_steps, n_known)
        ``leads[j, k]`` is the position of the lead column of the ``k``-th
        declared column at ``steps[j]``.
    known : ndarray of int, shape (n_known,)
        Position of each declared column among the past columns: the feature
        of the forecast steps its lead values fill.
    """

    past: np.ndarray
    steps: tuple
    leads: np.ndarray
    known: np.ndarray

    @classmethod
    def find(cls, owner, feature_names, known_future):
        """The layout of a table with columns ``feature_names``."""
        if feature_names is None:
            raise ValueError(
                f"{owner} with known_future needs X as a DataFrame whose columns "
                f"are named (the lead columns 'name_t+h' that make_supervised("
                f"..., known_future=...) adds); got X without column names."
            )
        names = [str(name) for name in feature_names]
        bases = [m["column"] for m in map(_LEAD.match, names) if m]
        declared = check_declared(owner, known_future, names + bases)
        by_column = {name: {} for name in declared}
        for position, name in enumerate(names):
            match = _LEAD.match(name)
            if match and match["column"] in by_column:
                by_column[match["column"]][int(match["step"])] = position
        steps = sorted(set().union(*(set(s) for s in by_column.values())))
        if not steps:
            raise ValueError(
                f"{owner} found no lead column of the known_future column(s) "
                f"{declared!r} among the columns of X. Build X with "
                f"make_supervised(..., known_future={declared!r}), which adds "
                f"columns such as {lead_name(declared[0], 1)!r}."
            )
        missing = [
            lead_name(name, h)
            for name in declared
            for h in steps
            if h not in by_column[name]
        ]
        if missing:
            raise ValueError(
                f"{owner} expected a lead column of every known_future column at "
                f"every forecast step {tuple(steps)!r}; missing {missing!r}."
            )
        lead_positions = {p for s in by_column.values() for p in s.values()}
        past = np.array(
            [p for p in range(len(names)) if p not in lead_positions], dtype=np.int64
        )
        past_names = [names[p] for p in past]
        absent = [name for name in declared if name not in past_names]
        if absent:
            raise ValueError(
                f"{owner} expected each known_future column among the columns "
                f"of X as well (its past values); {absent!r} appear only as "
                f"lead columns."
            )
        leads = np.array(
            [[by_column[name][h] for name in declared] for h in steps], dtype=np.int64
        )
        known = np.array([past_names.index(name) for name in declared], np.int64)
        return cls(past, tuple(steps), leads, known)

    def forecast_steps(self, X):
        """The forecast steps of each row: ``(n_samples, n_steps, n_past)``.

        The declared columns hold their lead values; every other feature is
        NaN (its future is unknown).
        """
        steps = np.full(
            (X.shape[0], len(self.steps), len(self.past)), np.nan, dtype=X.dtype
        )
        steps[:, :, self.known] = X[:, self.leads]
        return steps


def future_inputs(past, future, relative, last_observed, spread=None, *, xp=np):
    """The forecast steps as the network reads them.

    ``xp`` is :mod:`numpy` (the NumPy forward passes) or :mod:`keras.ops`
    (the :class:`~sklstm._networks.ForecastSteps` layer): one rule for both.

    With ``relative``, each known value becomes its change from the feature's
    last observed value in the past steps (``last_observed(past)``), divided
    by the feature's spread over the past steps when ``spread`` (a function
    like ``last_observed``) is given; NaN (the unknown features, and missing
    lead values) reads as 0.
    """
    if relative:
        future = future - last_observed(past)[:, None, :]
    if spread is not None:
        future = future / spread(past)[:, None, :]
    return xp.where(xp.isnan(future), xp.zeros_like(future), future)


def future_term(state, future, hidden, out):
    """What the forecast steps add to the head's output: ``(n, n_outputs * q)``.

    ``state`` ``(n, d)`` is what the head reads; ``future`` ``(n, n_steps,
    n_features)`` the forecast steps (:func:`future_inputs`), read whole, so
    that every output sees the known values of every step (an effect may
    carry over from one step to the next); ``hidden`` and ``out`` the
    ``(kernel, bias)`` of the two Dense layers: ReLU on the state beside the
    known values, then linear on its output beside the known values again (a
    linear path for plain effects).
    """
    known = future.reshape(len(future), -1)
    z = np.maximum(np.concatenate([state, known], axis=1) @ hidden[0] + hidden[1], 0)
    return np.concatenate([z, known], axis=1) @ out[0] + out[1]


def check_forecast_steps(owner, windows, n_future):
    """Check that windows end with ``n_future`` forecast steps.

    ``windows`` is a :class:`~sklstm._windows.Windows` value. Its last
    ``n_future`` steps must be forecast steps as the windower builds them: in
    every window, each holds NaN for the features that are not known in
    advance (the target's own history among them).
    """
    name = type(owner).__name__
    if windows.length <= n_future:
        raise ValueError(
            f"{name} with known_future=True expected windows of more than "
            f"{n_future} steps ({n_future} forecast step(s), one per output, "
            f"after at least one past step); got {windows.length} step(s)."
        )
    ends = windows.starts + windows.length
    for k in range(1, n_future + 1):
        step = windows.rows[ends - k]
        if len(step) and not np.isnan(step).any(axis=1).all():
            raise ValueError(
                f"{name} with known_future=True expected each window to end "
                f"with {n_future} forecast step(s) holding NaN for the features "
                f"not known in advance; step {windows.length - k} is fully "
                f"observed in some windows, so they hold no forecast steps. "
                f"Build them with SequenceWindower(known_future=[...]) (or "
                f"make_lstm_pipeline(window, known_future=[...])), or set "
                f"known_future=False."
            )


def future_table(owner, future, declared, times):
    """``future`` checked against the target ``times`` of a forecast.

    ``future`` is a DataFrame indexed by target times (or a callable that
    returns one for ``times``), holding the ``declared`` known-future columns.
    Returns its ``declared`` columns in the order of ``times``; raises, naming
    them, for missing columns, timestamps that are missing, duplicated or
    extra, and NaN values.
    """
    if callable(future):
        future = future(times)
    if isinstance(future, pd.Series):
        future = future.to_frame()
    if not isinstance(future, pd.DataFrame):
        raise TypeError(
            f"{owner} expected future as a DataFrame indexed by the target times "
            f"{_shown(times)} with the known_future columns {declared!r}; got "
            f"{type(future).__name__}."
        )
    absent = [name for name in declared if name not in future.columns]
    if absent:
        raise ValueError(
            f"{owner} expected future to hold the known_future column(s) "
            f"{declared!r}; missing {absent!r} (its columns are "
            f"{list(future.columns)!r})."
        )
    index = future.index
    repeated = index[index.duplicated()].unique()
    missing = times.difference(index) if not times.equals(index) else times[:0]
    extra = index.difference(times) if not times.equals(index) else index[:0]
    if len(repeated) or len(missing) or len(extra):
        problems = []
        if len(missing):
            problems.append(f"missing {_shown(missing)}")
        if len(repeated):
            problems.append(f"duplicated {_shown(repeated)}")
        if len(extra):
            problems.append(f"extra {_shown(extra)}")
        hint = ""
        if isinstance(times, pd.DatetimeIndex) and times.freq is not None:
            hint = (
                f" The forecast steps are {len(times)} step(s) of frequency "
                f"{times.freq.freqstr!r} after the last row of the history."
            )
        raise ValueError(
            f"{owner} expected future indexed by exactly the target times of "
            f"the forecast, {_shown(times)}; got {'; '.join(problems)}.{hint}"
        )
    values = future.loc[times, declared]
    unknown = values.isna()
    if unknown.to_numpy().any():
        where = {
            name: _shown(values.index[unknown[name].to_numpy()])
            for name in declared
            if unknown[name].any()
        }
        raise ValueError(
            f"{owner} got NaN in future, where the values known in advance must "
            f"be given: {where}. Fill them (e.g. with a forecast of the "
            f"covariate) before forecasting."
        )
    for name in declared:
        if not pd.api.types.is_numeric_dtype(values[name]):
            raise ValueError(
                f"{owner} expected the future column {name!r} to be numeric; "
                f"got dtype {values[name].dtype}."
            )
    return values


def _shown(labels, most=4):
    """A short text of index labels for messages."""
    labels = [str(label) for label in labels]
    text = ", ".join(labels[:most])
    return f"[{text}{', ...' if len(labels) > most else ''}] ({len(labels)})"
