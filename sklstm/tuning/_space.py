"""Search spaces: :class:`Int`, :class:`Float`, :class:`Choice` and fixed values.

A search space is a dict that maps names (estimator parameters such as
``"windower__window"``, or the knobs of :class:`~sklstm.tuning.LSTMHyperModel`)
to an :class:`Int` or :class:`Float` range, a :class:`Choice` (a plain list or
tuple is shorthand for one), or a fixed value. :func:`declare` turns it into
Keras Tuner hyperparameters (``hp.Int``, ``hp.Float``, ``hp.Choice``,
``hp.Boolean``, ``hp.Fixed``, each under the name it has in the dict) and
returns the values that the trial sampled, decoded; :func:`decode` decodes the
values of a trial that already ran.

Keras Tuner accepts only ``int``, ``float``, ``str`` and ``bool`` choices of
one type. Other choices (tuples of units, None, estimators, mixed types) are
handed to it as their ``repr`` strings and decoded back, so that any value a
``set_params`` accepts can be searched.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from .._validation import is_int

__all__ = [
    "Choice",
    "Float",
    "Int",
    "as_dimension",
    "check_search_space",
    "declare",
    "decode",
]

_PRIMITIVE = (bool, int, float, str)


def _plain(value):
    """A NumPy scalar as the Python scalar Keras Tuner accepts."""
    return value.item() if isinstance(value, np.generic) else value


def _is_real(value):
    return isinstance(value, Real) and not isinstance(value, bool)


class Int:
    """A range of integers to search, from ``low`` to ``high`` inclusive.

    Parameters
    ----------
    low : int
        Smallest value.

    high : int
        Largest value; at least ``low``.

    step : int, default=1
        Distance between the candidates ``low, low + step, ...``. With
        ``log=True``, the factor between them (at least 2, as in Keras
        Tuner), or 1 for every integer.

    log : bool, default=False
        Sample uniformly in ``log(value)``, for ranges that span orders of
        magnitude. Needs ``low >= 1``.

    See Also
    --------
    Float : A range of floats.
    Choice : A list of values.

    Examples
    --------
    >>> from sklstm.tuning import Int
    >>> Int(16, 128, step=16)
    Int(16, 128, step=16)
    """

    def __init__(self, low, high, *, step=1, log=False):
        low, high, step = _plain(low), _plain(high), _plain(step)
        for name, value in (("low", low), ("high", high), ("step", step)):
            if not is_int(value):
                raise TypeError(
                    f"Int expected {name} to be an int; got {value!r} of type "
                    f"{type(value).__name__}. Use Float for a range of floats."
                )
        if low > high:
            raise ValueError(
                f"Int expected low <= high; got low={low!r} and high={high!r}. "
                f"Swap them."
            )
        if step < 1:
            raise ValueError(f"Int expected step >= 1; got step={step!r}.")
        if log and low < 1:
            raise ValueError(
                f"Int expected low >= 1 with log=True (a log scale has no zero "
                f"or negative values); got low={low!r}. Raise low or set "
                f"log=False."
            )
        self.low, self.high, self.step, self.log = int(low), int(high), step, log

    def __repr__(self):
        extra = (f", step={self.step}" if self.step != 1 else "") + (
            ", log=True" if self.log else ""
        )
        return f"Int({self.low}, {self.high}{extra})"

    def __eq__(self, other):
        return type(other) is type(self) and repr(other) == repr(self)

    def __hash__(self):
        return hash(repr(self))

    def _declare(self, hp, name):
        step = None if self.log and self.step == 1 else self.step
        sampling = "log" if self.log else "linear"
        return hp.Int(name, self.low, self.high, step=step, sampling=sampling)

    def _from_raw(self, value, name):
        return int(value)

    def _example(self):
        return self.low


class Float:
    """A range of floats to search, from ``low`` to ``high`` inclusive.

    Parameters
    ----------
    low : float
        Smallest value.

    high : float
        Largest value; at least ``low``.

    step : float or None, default=None
        None searches the whole interval. Otherwise the distance between the
        candidates ``low, low + step, ..., high``; with ``log=True``, the
        factor between them (greater than 1, as in Keras Tuner).

    log : bool, default=False
        Sample uniformly in ``log(value)``, e.g. for a learning rate. Needs
        ``low > 0``.

    See Also
    --------
    Int : A range of integers.
    Choice : A list of values.

    Examples
    --------
    >>> from sklstm.tuning import Float
    >>> Float(1e-4, 1e-2, log=True)
    Float(0.0001, 0.01, log=True)
    """

    def __init__(self, low, high, *, step=None, log=False):
        low, high, step = _plain(low), _plain(high), _plain(step)
        for name, value in (("low", low), ("high", high)):
            if not _is_real(value) or not math.isfinite(value):
                raise TypeError(
                    f"Float expected {name} to be a finite number; got "
                    f"{value!r}. Pass a float such as 0.1."
                )
        if low > high:
            raise ValueError(
                f"Float expected low <= high; got low={low!r} and high={high!r}. "
                f"Swap them."
            )
        if step is not None and (not _is_real(step) or step <= (1 if log else 0)):
            expected = "a factor > 1 with log=True" if log else "> 0"
            raise ValueError(
                f"Float expected step to be None or {expected}; got step={step!r}."
            )
        if log and low <= 0:
            raise ValueError(
                f"Float expected low > 0 with log=True (a log scale has no zero "
                f"or negative values); got low={low!r}. Raise low or set "
                f"log=False."
            )
        self.low, self.high, self.log = float(low), float(high), log
        self.step = None if step is None else float(step)

    def __repr__(self):
        extra = (f", step={self.step!r}" if self.step is not None else "") + (
            ", log=True" if self.log else ""
        )
        return f"Float({self.low!r}, {self.high!r}{extra})"

    def __eq__(self, other):
        return type(other) is type(self) and repr(other) == repr(self)

    def __hash__(self):
        return hash(repr(self))

    def _declare(self, hp, name):
        high = self.high
        if self.step is not None and not self.log:
            # Keras Tuner counts the candidates with a floor division, which
            # drops ``high`` to round-off (0.3 // 0.1 == 2.0): widen by a hair.
            high = self.high + self.step * 1e-6
        sampling = "log" if self.log else "linear"
        return hp.Float(name, self.low, high, step=self.step, sampling=sampling)

    def _from_raw(self, value, name):
        if self.step is not None and not self.log:
            value = self.low + round((value - self.low) / self.step) * self.step
        return float(f"{min(max(value, self.low), self.high):.12g}")

    def _example(self):
        return self.low


class Choice:
    """A list of values to search.

    In a search space, a plain list or tuple means the same.

    Parameters
    ----------
    values : list or tuple
        The candidates, distinct. Any value is allowed: Keras Tuner itself
        takes only ``int``, ``float``, ``str`` and ``bool`` values of one type,
        so others (tuples such as ``(64, 32)``, None, estimators, mixed types)
        are handed to it as their ``repr`` strings and decoded back.

    See Also
    --------
    Int : A range of integers.
    Float : A range of floats.

    Examples
    --------
    >>> from sklstm.tuning import Choice
    >>> Choice([(32,), (64, 32)])
    Choice([(32,), (64, 32)])
    """

    def __init__(self, values):
        if isinstance(values, str) or not isinstance(values, list | tuple):
            raise TypeError(
                f"Choice expected a list or tuple of candidate values; got "
                f"{values!r}. Write e.g. Choice([16, 32, 64])."
            )
        if not values:
            raise ValueError(
                "Choice expected at least one candidate value; got an empty "
                "list. List the values to try, e.g. Choice([16, 32])."
            )
        self.values = [_plain(v) for v in values]
        native = _native_values(self.values)
        self._labels = native if native is not None else [repr(v) for v in values]
        if len(set(self._labels)) != len(self._labels):
            raise ValueError(
                f"Choice expected distinct values; got {list(values)!r}. Remove "
                f"the duplicates."
            )
        self._decode = dict(zip(self._labels, self.values, strict=True))

    def __repr__(self):
        return f"Choice({self.values!r})"

    def __eq__(self, other):
        return type(other) is type(self) and repr(other) == repr(self)

    def __hash__(self):
        return hash(repr(self))

    def _declare(self, hp, name):
        if all(type(v) is bool for v in self._labels):
            # Keras Tuner's Choice stores bools as 0 and 1; Boolean keeps them.
            if len(self._labels) == 1:
                return hp.Fixed(name, self._labels[0])
            return hp.Boolean(name, default=self._labels[0])
        return hp.Choice(name, self._labels)

    def _from_raw(self, label, name):
        try:
            return self._decode[label]
        except KeyError:
            raise ValueError(
                f"Choice of {name!r} got the value {label!r} from Keras Tuner, "
                f"which is not one of its candidates {self.values!r}: the "
                f"saved search was run with another search space. Pass "
                f"overwrite=True or another directory."
            ) from None

    def _example(self):
        return self.values[0]


class _Fixed(Choice):
    """A value that the search keeps fixed (a scalar in a search space)."""

    def __init__(self, value):
        super().__init__([value])

    def __repr__(self):
        return repr(self.values[0])

    def _declare(self, hp, name):
        return hp.Fixed(name, self._labels[0])


def _native_values(values):
    """The values as Keras Tuner takes them (one primitive type), or None."""
    if not all(type(v) in _PRIMITIVE for v in values):
        return None
    types = {type(v) for v in values}
    if types == {int, float}:
        return [float(v) for v in values]
    return list(values) if len(types) == 1 else None


def as_dimension(owner, name, spec):
    """One entry of a search space as an :class:`Int`, :class:`Float` or choice."""
    if not isinstance(name, str) or not name:
        raise TypeError(
            f"{owner} expected search_space keys to be parameter names (str); "
            f"got {name!r}."
        )
    if isinstance(spec, Int | Float | Choice):
        return spec
    if isinstance(spec, list | tuple):
        return Choice(spec)
    if isinstance(spec, set | dict | range | np.ndarray):
        raise TypeError(
            f"{owner} expected the search space of {name!r} to be Int, Float, "
            f"Choice, a list of values or one fixed value; got {spec!r}. Pass "
            f"Choice(list(...)) to search its values."
        )
    return _Fixed(spec)


def check_search_space(owner, search_space):
    """Validate a search-space dict; return ``{name: dimension}``."""
    if not isinstance(search_space, dict):
        raise TypeError(
            f"{owner} expected search_space to be a dict mapping parameter "
            f"names to Int, Float, Choice or a list of values; got "
            f"{search_space!r}."
        )
    if not search_space:
        raise ValueError(
            f"{owner} expected a non-empty search_space; got {{}}. Add the "
            f"parameters to tune, e.g. {{'regressor__units': Int(8, 64)}}."
        )
    return {
        name: as_dimension(owner, name, spec) for name, spec in search_space.items()
    }


def declare(hp, dimensions):
    """Declare ``dimensions`` in ``hp``; return the trial's values, decoded."""
    return {
        name: dim._from_raw(dim._declare(hp, name), name)
        for name, dim in dimensions.items()
    }


def decode(dimensions, values):
    """The decoded values of those ``dimensions`` that ``values`` holds."""
    return {
        name: dim._from_raw(values[name], name)
        for name, dim in dimensions.items()
        if name in values
    }
