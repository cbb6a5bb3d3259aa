# SPDX-License-Identifier: BSD-3-Clause
"""numpydoc validation of every public name and of their public methods."""

import importlib
import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

MODULES = [
    "sklstm",
    "sklstm.tuning",
    "sklstm.plotting",
    "sklstm.datasets",
    "sklstm.gates",
]
METHODS = [
    "fit",
    "partial_fit",
    "predict",
    "transform",
    "gate_activations",
    "set_params",
    "get_feature_names_out",
]

# scikit-learn's own choices: a See Also section, an extended summary and an
# example are welcome but not required everywhere, and a method returns
# ``self : object`` in the sklearn dialect, which RT02 reads as a name.
IGNORED = {"SA01", "ES01", "EX01", "RT02"}


def _public_names():
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            yield f"{module_name}.{name}"
            if inspect.isclass(obj):
                for method in METHODS:
                    found = getattr(obj, method, None)
                    if found is not None and found.__module__.startswith("sklstm"):
                        yield f"{module_name}.{name}.{method}"


@pytest.mark.parametrize("name", sorted(set(_public_names())))
def test_docstring_is_valid_numpydoc(name):
    errors = [
        f"{code}: {message}"
        for code, message in numpydoc_validate.validate(name)["errors"]
        if code not in IGNORED
    ]
    assert not errors, "\n".join(errors)
