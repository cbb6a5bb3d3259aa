# SPDX-License-Identifier: BSD-3-Clause
"""Root pytest configuration, shared by the tests, the doctests and the docs.

The project ships on the TensorFlow backend. The library itself never sets
``KERAS_BACKEND``; the test session does, before anything imports Keras.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

# Sphinx's configuration and build output are not tests (the examples it copies
# there would run on import).
collect_ignore = ["docs/conf.py"]
collect_ignore_glob = [
    "docs/_build/*",
    "docs/_templates/*",
    "docs/auto_examples/*",
    "docs/generated/*",
]
