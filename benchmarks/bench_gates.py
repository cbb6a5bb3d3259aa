"""Time the NumPy LSTM of ``sklstm.gates`` against Keras on the same weights.

Run from the repository root::

    python benchmarks/bench_gates.py

It times one window of 30 steps x 4 features through 50 units, and a batch of
100 such windows, with ``sklstm.gates.lstm_forward`` (float32), a Keras
``model.predict``, a direct Keras ``model(x)`` call and a direct ``layer(x)``
call; and ``lstm_forward`` again with BLAS limited to one thread (via
``threadpoolctl``, when installed), because multithreaded BLAS on many tiny
matrix products can be slow on a busy machine. Each figure is the median of many
repeats (``timeit``). The script checks
that all of them give the same numbers, prints a Markdown table and writes it to
``benchmarks/results/gates.md``. Nothing here is asserted in the test suite.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import platform
import timeit
from pathlib import Path

import numpy as np

from sklstm.gates import LSTMWeights, lstm_forward

N_TIMESTEPS, N_FEATURES, UNITS = 30, 4, 50
RESULTS = Path(__file__).parent / "results" / "gates.md"


def median_seconds(func, *, number, repeat):
    """Median over ``repeat`` runs of the mean time of ``number`` calls."""
    func()  # warm up (tracing, caches)
    times = timeit.repeat(func, number=number, repeat=repeat)
    return float(np.median(times)) / number


def main():
    # A script, not the library: choose the backend the project ships with.
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    model = keras.Sequential(
        [keras.Input((N_TIMESTEPS, N_FEATURES)), keras.layers.LSTM(UNITS)]
    )
    layer = model.layers[-1]
    weights = LSTMWeights.from_keras(layer)

    rows = []
    for n_samples, number, repeat, keras_repeat in (
        (1, 200, 25, 30),
        (100, 20, 15, 15),
    ):
        x = rng.standard_normal((n_samples, N_TIMESTEPS, N_FEATURES)).astype(np.float32)
        reference = lstm_forward(x, weights)
        outputs = {
            "model.predict": model.predict(x, verbose=0),
            "model(x)": keras.ops.convert_to_numpy(model(x)),
            "layer(x)": keras.ops.convert_to_numpy(layer(x)),
        }
        diff = max(float(np.abs(out - reference).max()) for out in outputs.values())
        timings = {
            "sklstm.gates.lstm_forward": median_seconds(
                lambda x=x: lstm_forward(x, weights), number=number, repeat=repeat
            ),
            "keras model.predict": median_seconds(
                lambda x=x: model.predict(x, verbose=0), number=1, repeat=keras_repeat
            ),
            "keras model(x)": median_seconds(
                lambda x=x: model(x), number=1, repeat=keras_repeat
            ),
            "keras layer(x)": median_seconds(
                lambda x=x: layer(x), number=1, repeat=keras_repeat
            ),
        }
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # optional: comes with scikit-learn
            pass
        else:
            with threadpool_limits(1, user_api="blas"):
                timings["sklstm.gates.lstm_forward, 1 BLAS thread"] = median_seconds(
                    lambda x=x: lstm_forward(x, weights),
                    number=number,
                    repeat=repeat,
                )
        base = timings["sklstm.gates.lstm_forward"]
        for name, seconds in timings.items():
            rows.append(
                f"| ({n_samples}, {N_TIMESTEPS}, {N_FEATURES}) | {name} | "
                f"{seconds * 1e3:.3f} | {seconds / base:.1f}x | {diff:.1e} |"
            )

    lines = [
        "# sklstm.gates benchmark",
        "",
        f"LSTM with {UNITS} units, float32; median of repeated runs (`timeit`). "
        "Written by `python benchmarks/bench_gates.py`.",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"{platform.system()}; Python {platform.python_version()}; load average "
        f"{os.getloadavg()[0]:.2f} at the end (the machine may be shared)",
        f"- NumPy {np.__version__}, Keras {keras.__version__}, "
        f"TensorFlow {tf.__version__} (backend {keras.backend.backend()})",
        "",
        "| input shape | implementation | time (ms) | vs NumPy | max abs diff |",
        "|---|---|---:|---:|---:|",
        *rows,
        "",
        "`max abs diff` is the largest difference between the Keras outputs and "
        "`lstm_forward` for that input.",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table)


if __name__ == "__main__":
    main()
