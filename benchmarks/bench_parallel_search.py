"""Benchmark: one search of 16 fits, serial against two workers (loky, Dask).

An LSTM pipeline on a real series (Seattle's daily maximum temperature,
2012-2015, bundled with sklstm) is searched over 4 configurations x 4
time-ordered folds = 16 fits, each a fresh ``LSTMRegressor`` (10 epochs,
no early stopping, ``random_state=0``), with

- scikit-learn's ``GridSearchCV`` over the window and the units, and
- ``KerasTunerSearchCV`` (random search, 4 trials) over the same two,

each run serially (``n_jobs=None``), on two loky worker processes
(``n_jobs=2``) and on a Dask ``LocalCluster`` of two single-threaded worker
processes on 127.0.0.1 (``joblib.parallel_backend("dask")``). The timer
covers the search's ``fit`` (``refit=False``): for the parallel runs, starting
the workers and importing TensorFlow in them are part of it; the Dask
cluster's own start is reported apart. ``GridSearchCV`` calls the regressors'
``fit`` directly, so its rows use a subclass whose ``fit`` does what the
regressors are to do (size TensorFlow's thread pools to the worker's cores,
draw Keras's seeds in the fitting thread: ``sklstm._threads``,
``sklstm._seeding``); one more row runs the plain ``LSTMRegressor`` on loky to
show the cost of unsized pools. Every case runs in a fresh process, the cases
alternate, and each is repeated; the cross-validation scores of every run are
compared with those of the serial run. Peak memory is each process's peak
resident set size (``ru_maxrss``) at the end. Run from the repository root::

    python benchmarks/bench_parallel_search.py

Prints a markdown table and writes ``benchmarks/results/parallel_search.md``.
``SKLSTM_BENCH_FAST=1`` runs a tiny version and writes nothing;
``SKLSTM_BENCH_REPEATS`` sets the repetitions (default 2);
``SKLSTM_BENCH_RESUME=1`` continues a run that was cut short, from the runs
it saved in ``benchmarks/results/parallel_search.json``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

FAST = os.environ.get("SKLSTM_BENCH_FAST") == "1"
REPEATS = int(os.environ.get("SKLSTM_BENCH_REPEATS", "1" if FAST else "2"))
EPOCHS = 1 if FAST else 10
ROWS = 240 if FAST else None  # None: all 1461 days
SPLITS = 4
GRID = {"windower__window": [7, 14], "regressor__units": [8, 16]}

#: case -> (search, where, wired): ``wired`` uses the regressor subclass.
CASES = {
    "GridSearchCV serial": ("grid", "serial", True),
    "GridSearchCV loky n_jobs=2": ("grid", "loky", True),
    "GridSearchCV loky n_jobs=2, TF pools unsized": ("grid", "loky", False),
    "GridSearchCV Dask 2 workers": ("grid", "dask", True),
    "KerasTunerSearchCV serial": ("tuner", "serial", True),
    "KerasTunerSearchCV loky n_jobs=2": ("tuner", "loky", True),
    "KerasTunerSearchCV Dask 2 workers": ("tuner", "dask", True),
    # Workers already started, with TensorFlow imported (loky reuses its
    # workers from one search to the next; a Dask cluster outlives searches).
    "KerasTunerSearchCV loky n_jobs=2, warm workers": ("tuner", "loky-warm", True),
    "KerasTunerSearchCV Dask 2 workers, warm workers": ("tuner", "dask-warm", True),
}


def _wired_class():
    """``LSTMRegressor`` whose ``fit`` sizes the TF pools and isolates seeds.

    Defined in this module (imported by name in the workers, which share the
    driver's ``sys.path``), as the regressors' own ``fit`` is to do it.
    """
    from sklstm import LSTMRegressor
    from sklstm._seeding import thread_private_keras_seeds
    from sklstm._threads import size_tensorflow_threads

    class WiredLSTMRegressor(LSTMRegressor):
        def fit(self, X, y, sample_weight=None, **kwargs):
            size_tensorflow_threads()
            with thread_private_keras_seeds():
                return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    WiredLSTMRegressor.__module__ = __name__
    WiredLSTMRegressor.__qualname__ = "WiredLSTMRegressor"
    return WiredLSTMRegressor


def __getattr__(name):  # the workers unpickle bench_parallel_search.Wired...
    if name == "WiredLSTMRegressor":
        cls = _wired_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def peak_mib():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_up():
    """Import sklstm's Keras side in a worker (not starting TF's runtime)."""
    import sklstm._regressors  # noqa: F401
    import sklstm.tuning  # noqa: F401

    time.sleep(1.0)  # so that every worker takes one
    return os.getpid()


def _worker_peak():
    time.sleep(0.3)  # so that every worker takes one
    return os.getpid(), peak_mib()


def run_case(case):
    """Run one case in this process; return what it measured."""
    import warnings

    import joblib
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    from sklstm import LSTMRegressor, make_lstm_pipeline, make_supervised
    from sklstm.datasets import load_seattle_weather
    from sklstm.tuning import Int, KerasTunerSearchCV

    warnings.simplefilter("ignore", DeprecationWarning)
    search_kind, where, wired = CASES[case]
    warm = where.endswith("-warm")
    where = where.removesuffix("-warm")
    series = load_seattle_weather()["temp_max"]
    X, y = make_supervised(series if ROWS is None else series.iloc[:ROWS])
    regressor_class = _bench_module().WiredLSTMRegressor if wired else LSTMRegressor
    regressor = regressor_class(
        units=8, epochs=EPOCHS, early_stopping=False, random_state=0
    )
    pipe = make_lstm_pipeline(7, regressor)
    cv = TimeSeriesSplit(SPLITS)
    n_jobs = 2 if where == "loky" else None
    if search_kind == "grid":
        search = GridSearchCV(
            pipe,
            GRID,
            cv=cv,
            scoring="neg_mean_absolute_error",
            refit=False,
            n_jobs=n_jobs,
            error_score="raise",
        )
    else:
        search = KerasTunerSearchCV(
            pipe,
            {
                "windower__window": Int(7, 28, step=7),
                "regressor__units": Int(8, 32, step=8),
            },
            tuner="random",
            max_trials=4,
            cv=cv,
            scoring="neg_mean_absolute_error",
            refit=False,
            random_state=0,
            n_jobs=n_jobs,
        )
    result = {"case": case, "cluster_start_s": None}
    client = cluster = None
    if where == "dask":
        import logging

        from distributed import Client, LocalCluster

        start = time.perf_counter()
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
        result["cluster_start_s"] = time.perf_counter() - start
    if warm and where == "dask":
        client.run(_warm_up)
    elif warm:
        joblib.Parallel(n_jobs=2)(joblib.delayed(_warm_up)() for _ in range(2))
    start = time.perf_counter()
    if where == "dask":
        with joblib.parallel_backend("dask"):
            search.fit(X, y)
    else:
        search.fit(X, y)
    result["wall_s"] = time.perf_counter() - start
    results = search.cv_results_
    result["params"] = repr(list(results["params"]))
    result["scores"] = [results[f"split{k}_test_score"].tolist() for k in range(SPLITS)]
    result["driver_mib"] = peak_mib()
    if where == "loky":
        peaks = joblib.Parallel(n_jobs=2)(
            joblib.delayed(_worker_peak)() for _ in range(6)
        )
        result["worker_mib"] = sorted(dict(peaks).values())
    elif where == "dask":
        result["worker_mib"] = sorted(v for _, v in client.run(_worker_peak).values())
        client.close()
        cluster.close()
    else:
        result["worker_mib"] = []
    result["n_fits"] = len(results["params"]) * SPLITS
    return result


def _bench_module():
    """This file as the importable module ``bench_parallel_search``."""
    import importlib

    return importlib.import_module("bench_parallel_search")


def versions():
    from importlib.metadata import version

    names = ["tensorflow", "keras", "scikit-learn", "keras-tuner", "joblib"]
    names += ["dask", "distributed", "numpy"]
    return ", ".join(f"{name} {version(name)}" for name in names)


def measure():
    runs = []
    partial = Path(__file__).parent / "results" / "parallel_search.json"
    if os.environ.get("SKLSTM_BENCH_RESUME") == "1" and partial.exists():
        runs = json.loads(partial.read_text())  # the runs of a cut-short run
    load_before = os.getloadavg()
    here = Path(__file__).resolve().parent
    for repeat in range(REPEATS):
        for case in CASES:
            if any(r["case"] == case and r["repeat"] == repeat for r in runs):
                continue
            code = (
                f"import json, sys; sys.path.insert(0, {str(here)!r}); "
                f"import bench_parallel_search as b; "
                f"print('RESULT', json.dumps(b.run_case({case!r})))"
            )
            out = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                timeout=900,
            )
            lines = [
                line for line in out.stdout.splitlines() if line.startswith("RESULT ")
            ]
            if out.returncode or not lines:
                print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
                raise RuntimeError(f"case {case!r} failed")
            result = json.loads(lines[0][len("RESULT ") :])
            result["repeat"] = repeat
            if not FAST:  # as it goes, in case the run is cut short
                partial.write_text(json.dumps([*runs, result], indent=1))
            print(
                f"{case}: {result['wall_s']:.1f} s, workers "
                f"{[round(m) for m in result['worker_mib']]} MiB",
                flush=True,
            )
            runs.append(result)
    return runs, load_before, os.getloadavg()


def table(runs):
    import numpy as np

    serial = {}
    for run in runs:
        kind = CASES[run["case"]][0]
        if CASES[run["case"]][1] == "serial" and kind not in serial:
            serial[kind] = run
    rows = []
    medians = {}
    for case, (kind, _, _) in CASES.items():
        mine = [run for run in runs if run["case"] == case]
        if not mine:
            continue
        walls = [run["wall_s"] for run in mine]
        medians[case] = float(np.median(walls))
        same = all(
            run["scores"] == serial[kind]["scores"]
            and run["params"] == serial[kind]["params"]
            for run in mine
        )
        base = next(c for c, v in CASES.items() if v[:2] == (kind, "serial"))
        speedup = medians[base] / medians[case]
        workers = [m for run in mine for m in run["worker_mib"]]
        driver = max(run["driver_mib"] for run in mine)
        starts = [run["cluster_start_s"] for run in mine if run["cluster_start_s"]]
        rows.append(
            f"| {case} | {mine[0]['n_fits']} | {medians[case]:.1f} | "
            f"{min(walls):.1f}-{max(walls):.1f} | {speedup:.2f} | "
            f"{'yes' if same else 'NO'} | "
            f"{round(max(workers)) if workers else '-'} | {round(driver)} | "
            f"{f'{np.median(starts):.1f}' if starts else '-'} |"
        )
    header = (
        "| case | fits | median s | range s | speedup vs serial | same "
        "cv_results_ as serial | peak MiB per worker | peak MiB driver | "
        "Dask cluster start s |\n|---|---:|---:|---:|---:|---|---:|---:|---:|"
    )
    return header + "\n" + "\n".join(rows), medians


def projection(medians):
    """Fits per hour per worker, and a 16-worker cluster on paper."""
    fits = SPLITS * 4  # 4 configurations
    serial = medians["KerasTunerSearchCV serial"]
    parallel = min(
        medians["KerasTunerSearchCV loky n_jobs=2"],
        medians["KerasTunerSearchCV Dask 2 workers"],
    )
    warm = min(
        medians.get("KerasTunerSearchCV loky n_jobs=2, warm workers", parallel),
        medians.get("KerasTunerSearchCV Dask 2 workers, warm workers", parallel),
    )
    per_hour_serial = fits / serial * 3600
    per_hour_worker = fits / (parallel * 2) * 3600
    per_hour_warm = fits / (warm * 2) * 3600
    typical = 50 * 5  # a random search of 50 configurations on 5 folds
    rounds = -(-typical // 16)
    hours_16 = typical / (16 * per_hour_warm)
    return (
        f"Fits per hour, from the KerasTunerSearchCV rows: {per_hour_serial:.0f} "
        f"serially (one process, all cores), {per_hour_worker:.0f} per worker "
        f"in the faster two-worker run (each worker on one core, TensorFlow's "
        f"start in each worker included), {per_hour_warm:.0f} per warm "
        f"worker.\n\n"
        f"Projected, on paper: a random search of 50 configurations on 5 folds "
        f"is {typical} fits of this size, all of them one batch. At "
        f"{per_hour_warm:.0f} fits per hour per warm worker, 16 workers of one "
        f"core each run it in about {hours_16 * 60:.0f} minutes ({rounds} fits "
        f"per worker) plus the workers' start, against "
        f"{typical / per_hour_serial * 60:.0f} minutes serially on this "
        f"machine. Hyperband keeps 16 workers busy only in "
        f"its large rounds (with max_epochs=27, factor 3 and 5 folds: 27 x 5 "
        f"= 135 fits in the first round, then 45, 15 and 5), and Bayesian "
        f"optimisation after its random start only as many workers as folds. "
        f"Each worker holds its own TensorFlow runtime (about 1 GiB here), so a "
        f"16-worker node needs about 16 GiB for the workers.\n"
    )


def main():
    runs, load_before, load_after = measure()
    body, medians = table(runs)
    cores = os.cpu_count()
    text = (
        f"{REPEATS} alternating repetition(s) of each case, each in a fresh "
        f"process; the median and range of the search's wall time. "
        f"{platform.machine()}, {cores} cores, Python "
        f"{platform.python_version()}, {versions()}, "
        f"{time.strftime('%Y-%m-%d')}. Load average (1, 5, 15 min) "
        f"{tuple(round(x, 1) for x in load_before)} before and "
        f"{tuple(round(x, 1) for x in load_after)} after the runs.\n\n"
        f"{body}\n\n{projection(medians)}"
    )
    print(text)
    if not FAST:
        out = Path(__file__).parent / "results" / "parallel_search.md"
        out.write_text(text)
        (out.parent / "parallel_search.json").write_text(json.dumps(runs, indent=1))


if __name__ == "__main__":
    main()
