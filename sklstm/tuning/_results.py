"""What a search leaves behind: its files on disk and ``cv_results_``.

A search of :class:`~sklstm.tuning.KerasTunerSearchCV` keeps, next to Keras
Tuner's own files in its project folder, two kinds of plain JSON:

- ``sklstm_search.json``: a description of the search (tuner, space, CV,
  scoring, estimator, budget). A later ``fit`` with the same ``directory``
  continues the search only when its description is the same
  (:func:`check_resumable`), so that the trials of two searches never mix.
- ``trial_<id>/sklstm_cv.json``: one record per trial, the scores and times
  of its folds, or the error that failed it (:func:`save_json` /
  :func:`load_json`).

:func:`cv_results` turns the records of every trial, those of a resumed search
included, into GridSearchCV's ``cv_results_``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import json
import os
import warnings

import numpy as np
from scipy.stats import rankdata

__all__ = [
    "SEARCH_FILE",
    "TRIAL_FILE",
    "check_resumable",
    "cv_results",
    "load_json",
    "save_json",
]

#: File describing a search, to refuse continuing a different one.
SEARCH_FILE = "sklstm_search.json"
#: File of each trial's cross-validation results, in its Keras Tuner folder.
TRIAL_FILE = "sklstm_cv.json"


def save_json(path, data):
    """Write ``data`` as JSON to ``path``."""
    with open(path, "w", encoding="utf-8") as file:
        json.dump(data, file)


def load_json(path):
    """The JSON data in ``path``, or None when there is no such file."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def check_resumable(project_dir, description, *, overwrite):
    """Raise unless the search saved in ``project_dir`` (if any) is this one.

    ``description`` is what the search must share with a saved one (a dict of
    JSON values); with ``overwrite`` the saved search is not looked at.
    """
    if overwrite:
        return
    saved = load_json(os.path.join(project_dir, SEARCH_FILE))
    if saved is None or saved == description:
        return
    changed = sorted(k for k in description if saved.get(k) != description[k])
    raise ValueError(
        f"KerasTunerSearchCV found a saved search in {project_dir!r} "
        f"whose {', '.join(changed)} differ from this one's, so its "
        f"trials cannot be continued; got {description!r}, saved "
        f"{saved!r}. Pass overwrite=True to start afresh, or another "
        f"directory."
    )


def cv_results(records, n_splits):
    """GridSearchCV's ``cv_results_`` from the trials' records.

    Parameters
    ----------
    records : list of tuple
        ``(trial_id, status, params, record)`` of every trial, in the order
        they ran; ``record`` is the trial's saved JSON (``{}`` if none).

    n_splits : int
        Number of cross-validation splits.

    Returns
    -------
    results : dict
        ``cv_results_``.

    error : str or None
        The first failed trial's error, None if none failed.
    """
    n_trials = len(records)
    splits = np.full((n_trials, n_splits), np.nan)
    fit_time = np.full((n_trials, n_splits), np.nan)
    score_time = np.full((n_trials, n_splits), np.nan)
    status = []
    for i, (_, state, _, record) in enumerate(records):
        scores = record.get("split_test_scores")
        completed = state == "COMPLETED" and scores and len(scores) == n_splits
        status.append("COMPLETED" if completed else str(state))
        if completed:
            splits[i] = scores
            fit_time[i] = record["fit_time"]
            score_time[i] = record["score_time"]
    params = [p for _, _, p, _ in records]
    results = {"params": params}
    for name in dict.fromkeys(name for p in params for name in p):
        column = np.ma.MaskedArray(np.empty(n_trials, dtype=object), mask=True)
        for i, p in enumerate(params):
            if name in p:
                column[i] = p[name]
        results[f"param_{name}"] = column
    for k in range(n_splits):
        results[f"split{k}_test_score"] = splits[:, k]
    with warnings.catch_warnings():  # the all-NaN rows of failed trials
        warnings.simplefilter("ignore", RuntimeWarning)
        for key, values in (
            ("test_score", splits),
            ("fit_time", fit_time),
            ("score_time", score_time),
        ):
            results[f"mean_{key}"] = np.nanmean(values, axis=1)
            results[f"std_{key}"] = np.nanstd(values, axis=1)
    mean = results["mean_test_score"]
    finite = np.isfinite(mean)
    rank = np.full(n_trials, finite.sum() + 1, dtype=np.int32)
    rank[finite] = rankdata(-mean[finite], method="min").astype(np.int32)
    results["rank_test_score"] = rank
    results["status"] = np.asarray(status, dtype=object)
    results["trial_id"] = np.asarray([r[0] for r in records], dtype=object)
    errors = (
        f"trial {trial_id} with {params!r} raised {record['error']}"
        for trial_id, _, params, record in records
        if record.get("error")
    )
    return results, next(errors, None)
