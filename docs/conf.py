# SPDX-License-Identifier: BSD-3-Clause
"""Sphinx configuration for the sklstm documentation.

Build (warnings are errors)::

    python -m sphinx -W -b html docs docs/_build/html

Two switches, both off by default so the build is fast and works offline:

* ``SKLSTM_DOCS_PLOT_GALLERY=1`` executes the sphinx-gallery examples (they train
  Keras networks; ``SKLSTM_EXAMPLES_FAST=1`` shortens them). Otherwise the
  gallery is rendered from the sources without running them.
  ``-D plot_gallery=1`` on the command line does the same.
* ``SKLSTM_DOCS_INTERSPHINX=1`` links to the scikit-learn, NumPy, pandas,
  Python and Keras docs through intersphinx. It needs the network: offline, the
  inventory fetch fails with a warning, which ``-W`` turns into an error.
"""

import os
import shutil
import sys
from pathlib import Path

# The library never sets the Keras backend; the docs build does, as the tests do,
# before autodoc imports anything that imports Keras.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

DOCS_DIR = Path(__file__).resolve().parent
ROOT_DIR = DOCS_DIR.parent
sys.path.insert(0, str(ROOT_DIR))

import sklstm  # noqa: E402


def _env_flag(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# -- Project -----------------------------------------------------------------

project = "sklstm"
author = "The sklstm developers"
copyright = "The sklstm developers, BSD-3-Clause"
release = sklstm.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",  # the ".. doctest::" blocks of the docs pages
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "auto_examples/*.json",
]
root_doc = "index"
default_role = "literal"
pygments_style = "sphinx"

# -- autodoc / autosummary / numpydoc ----------------------------------------

autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"
autodoc_default_options = {"members": True}
autodoc_member_order = "groupwise"

# Class pages list their methods through the autosummary template
# (_templates/autosummary/class.rst); numpydoc's own member tables would repeat
# them, and would reach into scikit-learn's and SciKeras's inherited docstrings.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- intersphinx (opt-in: needs the network) ---------------------------------

if _env_flag("SKLSTM_DOCS_INTERSPHINX"):
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable/", None),
        "pandas": ("https://pandas.pydata.org/docs/", None),
        "sklearn": ("https://scikit-learn.org/stable/", None),
        "matplotlib": ("https://matplotlib.org/stable/", None),
        "keras": ("https://keras.io/", None),
    }

# -- sphinx-gallery ----------------------------------------------------------

# sphinx-gallery needs a header file (GALLERY_HEADER.rst or README.txt) in the
# examples directory. Until examples/ has one, the gallery is built from a copy
# of the examples under docs/_build/ (ignored by git) with a default header.
_EXAMPLES_DIR = ROOT_DIR / "examples"
_GALLERY_HEADER = """\
Examples
========

Worked examples on real series. Each is a script that runs top to bottom;
download it as Python source or as a Jupyter notebook at the bottom of its page.
"""


_GALLERY_HEADERS = (
    "GALLERY_HEADER.rst",
    "GALLERY_HEADER.txt",
    "README.rst",
    "README.txt",
)
_HAS_HEADER = any((_EXAMPLES_DIR / name).is_file() for name in _GALLERY_HEADERS)
_GALLERY_SRC = _EXAMPLES_DIR if _HAS_HEADER else DOCS_DIR / "_build" / "gallery_src"


def _stage_examples(app):
    """Copy examples/ to ``_GALLERY_SRC`` with a header (at build time only)."""
    if _HAS_HEADER:
        return
    _GALLERY_SRC.mkdir(parents=True, exist_ok=True)
    for path in _EXAMPLES_DIR.glob("*.py"):
        target = _GALLERY_SRC / path.name
        if not target.is_file() or target.read_bytes() != path.read_bytes():
            shutil.copy2(path, target)
    for path in _GALLERY_SRC.glob("*.py"):
        if not (_EXAMPLES_DIR / path.name).is_file():
            path.unlink()
    header = _GALLERY_SRC / "GALLERY_HEADER.rst"
    if not header.is_file() or header.read_text() != _GALLERY_HEADER:
        header.write_text(_GALLERY_HEADER)


sphinx_gallery_conf = {
    "examples_dirs": os.path.relpath(_GALLERY_SRC, DOCS_DIR),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # Rendered, not executed, unless asked for: the examples train Keras models.
    "plot_gallery": "True" if _env_flag("SKLSTM_DOCS_PLOT_GALLERY") else "False",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    # Without execution there are no times to report (and no
    # sg_execution_times.rst written into docs/).
    "write_computation_times": _env_flag("SKLSTM_DOCS_PLOT_GALLERY"),
}

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklstm {release}"
html_theme_options = {
    "github_url": "https://github.com/sklstm/sklstm",
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []
html_show_sourcelink = False


# -- Hooks -------------------------------------------------------------------

# scikit-learn adds ``set_{method}_request`` setters (metadata routing) to every
# estimator class; their docstrings are scikit-learn's, with references into its
# user guide, and are documented there.
_SKLEARN_REQUEST_SETTERS = {
    "set_fit_request",
    "set_partial_fit_request",
    "set_predict_request",
    "set_predict_proba_request",
    "set_score_request",
    "set_transform_request",
    "set_inverse_transform_request",
    "set_split_request",
}


def _defined_in_sklstm(obj):
    if isinstance(obj, property):
        obj = obj.fget
    obj = getattr(obj, "__func__", obj)
    module = getattr(obj, "__module__", None) or ""
    return module == "sklstm" or module.startswith("sklstm.")


def _skip_member(app, what, name, obj, skip, options):
    """Document a class's own methods and those it inherits from sklstm only.

    Class pages use ``:inherited-members:`` so that the regressors show the
    ``fit``/``predict`` they inherit from sklstm's SciKeras base; the methods
    inherited from scikit-learn and SciKeras (``get_params``, ``score``...) are
    documented there, with references into their own user guides.
    """
    if what != "class" or skip:
        return None
    if name in _SKLEARN_REQUEST_SETTERS or not _defined_in_sklstm(obj):
        return True
    return None


def _scikit_learn_terms(app, env, node, contnode):
    """Render scikit-learn glossary terms (``:term:`fit```) as plain text.

    The docstrings follow scikit-learn's conventions and link words such as
    ``fit`` to its glossary. With intersphinx on, intersphinx resolves them
    first; without it, they render unlinked instead of failing the build.
    """
    if node.get("refdomain") == "std" and node.get("reftype") == "term":
        return contnode
    return None


def setup(app):
    # Before sphinx-gallery reads the examples (its handler has priority 500).
    app.connect("builder-inited", _stage_examples, priority=100)
    app.connect("autodoc-skip-member", _skip_member)
    # After intersphinx (priority 500), so that it gets the first chance.
    app.connect("missing-reference", _scikit_learn_terms, priority=900)
