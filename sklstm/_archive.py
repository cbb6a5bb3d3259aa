"""Plain data in one zip file: a JSON description and ``.npy`` arrays.

The container of the safe format (:mod:`sklstm._persistence`). Writing turns
plain values (None, bools, numbers, strings, lists, tuples, dicts with string
keys, NumPy arrays and scalars, pandas timestamps, offsets and indexes) into
JSON with tagged objects, and every numeric array into a ``.npy`` member.
Reading parses the JSON and loads each array with ``allow_pickle=False``, so
nothing in the file is ever executed; every member, tag, dtype and shape is
checked against what the description declares, and anything else is refused
with an :class:`ArchiveError`. Neither side knows estimators.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import io
import json
import math
import numbers
import zipfile

import numpy as np
import pandas as pd

__all__ = ["DESCRIPTION", "ArchiveError", "Reader", "Writer"]

#: The member holding the JSON description.
DESCRIPTION = "sklstm.json"

#: Array dtypes an archive may hold: bools, integers, floats, fixed-width
#: strings, datetimes and timedeltas. Never objects (they need pickle).
_ARRAY_KINDS = "biufUMm"


class ArchiveError(ValueError):
    """A file that is not a valid sklstm archive, or was tampered with."""


class Writer:
    """Encode plain values as JSON, collecting arrays as ``.npy`` members."""

    def __init__(self):
        self.arrays = {}

    def encode(self, value, where):
        """``value`` as JSON-ready data; ``where`` names it in errors."""
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real):
            value = float(value)
            return value if math.isfinite(value) else {"__float__": repr(value)}
        if isinstance(value, tuple):
            return {
                "__tuple__": [
                    self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)
                ]
            }
        if isinstance(value, list):
            return [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dict):
            bad = [key for key in value if not isinstance(key, str)]
            if bad:
                raise TypeError(
                    f"{where} is a dict with a key that is not a string, "
                    f"{bad[0]!r}; the safe format stores string keys only."
                )
            return {
                "__dict__": {
                    k: self.encode(v, f"{where}[{k!r}]") for k, v in value.items()
                }
            }
        if isinstance(value, np.ndarray):
            return self._array(value, where)
        if isinstance(value, pd.Index):
            return self._index(value, where)
        if isinstance(value, pd.Timestamp):
            return {"__timestamp__": value.isoformat(), "unit": value.unit}
        if isinstance(value, pd.DateOffset | pd.offsets.BaseOffset):
            return {"__offset__": value.freqstr}
        raise TypeError(
            f"{where} is a {type(value).__module__}.{type(value).__qualname__}, "
            f"which the safe format cannot store: it stores plain data only "
            f"(numbers, strings, lists, dicts, NumPy arrays, pandas indexes)."
        )

    def _array(self, array, where):
        if array.dtype.kind == "O":
            values = array.ravel().tolist()
            if not all(isinstance(v, str) for v in values):
                raise TypeError(
                    f"{where} is an object array holding values other than "
                    f"strings; the safe format stores object arrays of strings "
                    f"only."
                )
            return {"__strings__": values, "shape": list(array.shape)}
        if array.dtype.kind not in _ARRAY_KINDS or array.dtype.fields is not None:
            raise TypeError(
                f"{where} is an array of dtype {array.dtype}, which the safe "
                f"format cannot store."
            )
        member = f"arrays/{len(self.arrays)}.npy"
        self.arrays[member] = np.ascontiguousarray(array)
        return {
            "__array__": member,
            "dtype": array.dtype.str,
            "shape": list(array.shape),
        }

    def _index(self, index, where):
        name = index.name
        if not (name is None or isinstance(name, str | int)):
            raise TypeError(f"{where} is an index named {name!r}; names are strings.")
        if isinstance(index, pd.RangeIndex):
            return {
                "__index__": "range",
                "start": int(index.start),
                "stop": int(index.stop),
                "step": int(index.step),
                "name": name,
            }
        if isinstance(index, pd.DatetimeIndex):
            naive = index.tz_convert(None) if index.tz is not None else index
            return {
                "__index__": "datetime",
                "values": self._array(naive.asi8, where),
                "unit": index.unit,
                "tz": None if index.tz is None else str(index.tz),
                "freq": index.freqstr,
                "name": name,
            }
        return {
            "__index__": "values",
            "values": self.encode(index.to_numpy(), where),
            "name": name,
        }

    def write(self, path, description):
        """Write ``description`` (JSON-ready) and the collected arrays to ``path``."""
        text = json.dumps(description, allow_nan=False, indent=1, sort_keys=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(DESCRIPTION, text)
            for member, array in self.arrays.items():
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                archive.writestr(member, buffer.getvalue())


class Reader:
    """Read an archive's description and decode its values, checking them."""

    def __init__(self, path):
        self.path = path
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                self._members = {name: archive.read(name) for name in names}
        except (zipfile.BadZipFile, EOFError) as exc:
            raise ArchiveError(
                f"{path} is not a complete sklstm archive (a zip file): {exc}. "
                f"It may be truncated or corrupted; save the model again."
            ) from None
        if len(set(names)) != len(names):
            raise ArchiveError(f"{path} holds the same member twice; refused.")
        if DESCRIPTION not in self._members:
            raise ArchiveError(
                f"{path} has no {DESCRIPTION} member: it is not an sklstm "
                f"archive, or a member is missing."
            )
        try:
            self.description = json.loads(
                self._members[DESCRIPTION].decode("utf-8"),
                parse_constant=_no_constant,
            )
        except (UnicodeDecodeError, ValueError) as exc:
            raise ArchiveError(
                f"{path}: {DESCRIPTION} is not valid JSON ({exc})."
            ) from None
        self._used = {DESCRIPTION}

    def check_all_used(self):
        """Refuse members that the description never referred to."""
        extra = sorted(set(self._members) - self._used)
        if extra:
            raise ArchiveError(
                f"{self.path} holds member(s) that its description does not "
                f"declare, {extra}; refused (a tampered archive?)."
            )

    def decode(self, data, where):
        """The value encoded by :meth:`Writer.encode`, checked."""
        if data is None or isinstance(data, bool | str):
            return data
        if isinstance(data, int | float):
            return data
        if isinstance(data, list):
            return [self.decode(v, f"{where}[{i}]") for i, v in enumerate(data)]
        if not isinstance(data, dict) or len(data) == 0:
            raise ArchiveError(f"{self.path}: {where} holds {data!r}, not plain data.")
        tag = next(iter(sorted(k for k in data if k.startswith("__"))), None)
        if tag == "__tuple__" and len(data) == 1 and isinstance(data[tag], list):
            return tuple(
                self.decode(v, f"{where}[{i}]") for i, v in enumerate(data[tag])
            )
        if tag == "__dict__" and len(data) == 1 and isinstance(data[tag], dict):
            return {k: self.decode(v, f"{where}[{k!r}]") for k, v in data[tag].items()}
        if tag == "__float__" and data[tag] in ("nan", "inf", "-inf"):
            return float(data[tag])
        if tag == "__array__":
            return self.array(data, where)
        if tag == "__strings__":
            values, shape = data[tag], self._shape(data, where)
            if not (
                isinstance(values, list) and all(isinstance(v, str) for v in values)
            ):
                raise ArchiveError(f"{self.path}: {where} is not a list of strings.")
            if math.prod(shape) != len(values):
                raise ArchiveError(
                    f"{self.path}: {where} declares shape {tuple(shape)} for "
                    f"{len(values)} string(s)."
                )
            array = np.empty(len(values), dtype=object)
            array[:] = values
            return array.reshape(shape)
        if tag == "__index__":
            return self._index(data, where)
        if tag == "__timestamp__":
            return pd.Timestamp(self._text(data[tag], where)).as_unit(
                self._text(data.get("unit"), where)
            )
        if tag == "__offset__":
            return self._offset(data[tag], where)
        raise ArchiveError(
            f"{self.path}: {where} holds an object of unknown kind "
            f"{sorted(data)[:3]}; refused (only plain data is read)."
        )

    def array(self, data, where, *, kinds=_ARRAY_KINDS):
        """The ``.npy`` member that ``data`` declares, with its dtype and shape."""
        member = data.get("__array__")
        if not isinstance(member, str) or member not in self._members:
            raise ArchiveError(
                f"{self.path}: the array {where} ({member!r}) is missing from "
                f"the archive."
            )
        self._used.add(member)
        try:
            array = np.load(io.BytesIO(self._members[member]), allow_pickle=False)
        except ValueError as exc:
            if "allow_pickle" in str(exc):
                raise ArchiveError(
                    f"{self.path}: the array {where} ({member}) holds Python "
                    f"objects, which only pickle could load; refused."
                ) from None
            raise ArchiveError(
                f"{self.path}: the array {where} ({member}) is not a valid "
                f".npy array ({exc})."
            ) from None
        except (OSError, EOFError) as exc:
            raise ArchiveError(
                f"{self.path}: the array {where} ({member}) is not a valid "
                f".npy array ({exc})."
            ) from None
        if not isinstance(array, np.ndarray):
            raise ArchiveError(f"{self.path}: {member} is not a single array.")
        shape = self._shape(data, where)
        if array.dtype.str != data.get("dtype") or list(array.shape) != shape:
            raise ArchiveError(
                f"{self.path}: the array {where} ({member}) has dtype "
                f"{array.dtype.str} and shape {array.shape}; its description "
                f"declares {data.get('dtype')} and {tuple(shape)}. Refused (a "
                f"tampered archive?)."
            )
        if array.dtype.kind not in kinds or array.dtype.fields is not None:
            raise ArchiveError(
                f"{self.path}: the array {where} ({member}) has dtype "
                f"{array.dtype}, which is not allowed there."
            )
        return array

    def _shape(self, data, where):
        shape = data.get("shape")
        if not (
            isinstance(shape, list)
            and all(
                isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
            )
        ):
            raise ArchiveError(f"{self.path}: {where} declares no valid shape.")
        return shape

    def _text(self, value, where):
        if not isinstance(value, str):
            raise ArchiveError(
                f"{self.path}: {where} expected a string; got {value!r}."
            )
        return value

    def _offset(self, value, where):
        try:
            return pd.tseries.frequencies.to_offset(self._text(value, where))
        except ValueError:
            raise ArchiveError(
                f"{self.path}: {where} is not a pandas frequency, {value!r}."
            ) from None

    def _index(self, data, where):
        kind, name = data["__index__"], data.get("name")
        if not (name is None or isinstance(name, str | int)):
            raise ArchiveError(f"{self.path}: {where} has an invalid index name.")
        try:
            if kind == "range":
                start, stop, step = (data.get(k) for k in ("start", "stop", "step"))
                if not all(isinstance(v, int) for v in (start, stop, step)):
                    raise ArchiveError(f"{self.path}: {where} is not a valid range.")
                return pd.RangeIndex(start, stop, step, name=name)
            if kind == "datetime":
                values = self.array(data["values"], where, kinds="i")
                unit = self._text(data.get("unit"), where)
                index = pd.DatetimeIndex(values.astype(f"datetime64[{unit}]"))
                if data.get("tz") is not None:
                    index = index.tz_localize("UTC").tz_convert(
                        self._text(data["tz"], where)
                    )
                freq = data.get("freq")
                freq = None if freq is None else self._offset(freq, where)
                return pd.DatetimeIndex(index, freq=freq, name=name)
            if kind == "values":
                return pd.Index(self.decode(data["values"], where), name=name)
        except (TypeError, ValueError, KeyError) as exc:
            if isinstance(exc, ArchiveError):
                raise
            raise ArchiveError(
                f"{self.path}: {where} is not a valid pandas index ({exc})."
            ) from None
        raise ArchiveError(
            f"{self.path}: {where} is an index of unknown kind {kind!r}."
        )


def _no_constant(name):
    raise ValueError(f"{name} is not allowed in an sklstm archive")
