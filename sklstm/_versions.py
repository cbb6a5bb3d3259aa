"""The versions that made an estimator, and a warning when they differ at load.

A fitted sklstm regressor records the versions of the packages that fitted it
(``versions_``); every sklstm estimator records the versions that pickled it,
and warns with :class:`InconsistentVersionWarning`, naming both sides, when it
is unpickled under others. The safe archives of :mod:`sklstm._persistence`
record and check the same versions. Reading them imports neither Keras nor
TensorFlow: the installed versions come from the package metadata.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import warnings

from sklearn.exceptions import InconsistentVersionWarning as _SklearnVersionWarning

__all__ = [
    "InconsistentVersionWarning",
    "VersionedPickleMixin",
    "check_versions",
    "current_versions",
]

#: The packages whose versions are recorded, by their distribution names.
PACKAGES = ("sklstm", "scikit-learn", "numpy", "pandas", "keras", "tensorflow")

#: The packages a model loaded without Keras depends on.
NUMPY_PACKAGES = ("sklstm", "scikit-learn", "numpy", "pandas")


@functools.cache
def _installed():
    versions = {}
    for name in PACKAGES:
        if name == "sklstm":
            versions[name] = importlib.import_module("sklstm").__version__
            continue
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def current_versions():
    """The installed versions of sklstm and the packages it builds on.

    Returns
    -------
    versions : dict of str to str or None
        Keys ``"sklstm"``, ``"scikit-learn"``, ``"numpy"``, ``"pandas"``,
        ``"keras"`` and ``"tensorflow"`` (the Keras backend sklstm ships with);
        None for a package that is not installed. Read from the package
        metadata, so Keras and TensorFlow are not imported.
    """
    return dict(_installed())


class InconsistentVersionWarning(_SklearnVersionWarning):
    """An estimator is loaded under other versions than those that saved it.

    Raised (as a warning) when an sklstm estimator is unpickled, or a safe
    archive loaded, under versions of sklstm, scikit-learn, NumPy, pandas,
    Keras or TensorFlow that differ from those that wrote it. A subclass of
    scikit-learn's :class:`~sklearn.exceptions.InconsistentVersionWarning`,
    so filters on that one apply to it too.

    Parameters
    ----------
    estimator_name : str
        Name of the estimator's class.
    original_versions : dict of str to str
        Versions that saved the estimator.
    current_versions : dict of str to str
        Versions installed now.

    Attributes
    ----------
    differences : dict of str to tuple of str
        ``{package: (original, current)}`` for each package that differs.
    """

    def __init__(self, *, estimator_name, original_versions, current_versions):
        self.estimator_name = estimator_name
        self.original_versions = dict(original_versions)
        self.current_versions = dict(current_versions)
        self.original_sklearn_version = self.original_versions.get("scikit-learn")
        self.current_sklearn_version = self.current_versions.get("scikit-learn")
        self.differences = _differences(self.original_versions, self.current_versions)

    def __str__(self):
        made = ", ".join(f"{p} {old}" for p, (old, _) in self.differences.items())
        now = ", ".join(f"{p} {new}" for p, (_, new) in self.differences.items())
        return (
            f"Loading {self.estimator_name} saved with {made} under {now}. It "
            f"may fail or give other predictions. Refit it with the installed "
            f"versions, or install those it was saved with; see the 'Saving "
            f"and loading' page of the sklstm documentation."
        )


def _differences(original, current, packages=PACKAGES):
    return {
        name: (original.get(name), current.get(name))
        for name in packages
        if original.get(name) is not None
        and current.get(name) is not None
        and str(original[name]) != str(current[name])
    }


def check_versions(estimator_name, original, *, packages=PACKAGES, stacklevel=2):
    """Warn when ``original`` versions differ from the installed ones.

    Parameters
    ----------
    estimator_name : str
        Named in the warning.
    original : dict of str to str or None
        The recorded versions; None or an empty dict (an estimator pickled
        before versions were recorded) is not checked.
    packages : tuple of str, default=PACKAGES
        The packages compared.
    stacklevel : int, default=2
        Passed to :func:`warnings.warn`.
    """
    if not isinstance(original, dict) or not original:
        return
    current = current_versions()
    if _differences(original, current, packages):
        original = {p: original.get(p) for p in packages}
        current = {p: current.get(p) for p in packages}
        warnings.warn(
            InconsistentVersionWarning(
                estimator_name=estimator_name,
                original_versions=original,
                current_versions=current,
            ),
            stacklevel=stacklevel + 1,
        )


def _unpickle(cls, versions):
    """A new, empty ``cls`` for pickle to fill, after checking ``versions``.

    Pickle calls this before it restores the estimator's state (its Keras
    model included), so the warning comes first even if that fails. Every
    pickle of an sklstm estimator names this function: keep its name, module
    and signature, or old pickles stop loading.
    """
    check_versions(cls.__name__, versions, stacklevel=3)
    return cls.__new__(cls)


class VersionedPickleMixin:
    """Record the versions in every pickle; warn on unpickling under others.

    Put it first among the bases of an sklstm estimator. The pickle keeps the
    state that scikit-learn's ``__getstate__`` gives, and calls
    :func:`_unpickle` with the versions that pickled it.
    """

    def __reduce_ex__(self, protocol):
        reduced = super().__reduce_ex__(protocol)
        if not isinstance(reduced, tuple) or len(reduced) < 3:
            return reduced
        return (_unpickle, (type(self), current_versions()), *reduced[2:])
