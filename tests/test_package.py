# SPDX-License-Identifier: BSD-3-Clause
"""Package-level promises: the public names, and a cheap ``import sklstm``."""

import subprocess
import sys

import pytest

import sklstm


def _modules_loaded_by(statement):
    code = (
        f"import sys; {statement}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'keras', 'tensorflow', 'scikeras', 'keras_tuner', 'matplotlib'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_import_sklstm_loads_no_keras_or_tensorflow():
    assert _modules_loaded_by("import sklstm") == "[]"


def test_windower_use_loads_no_keras_or_tensorflow():
    statement = (
        "import numpy as np; from sklstm import SequenceWindower, make_supervised; "
        "X, y = make_supervised(np.arange(9.0)); SequenceWindower(3).fit_transform(X)"
    )
    assert _modules_loaded_by(statement) == "[]"


def test_all_names_resolve():
    for name in sklstm.__all__:
        assert getattr(sklstm, name) is not None


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="module 'sklstm' has no attribute 'nope'"):
        sklstm.nope  # noqa: B018
