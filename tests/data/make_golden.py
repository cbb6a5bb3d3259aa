# SPDX-License-Identifier: BSD-3-Clause
"""Write the golden files that tests/test_versions.py loads: models saved by one
version of sklstm, which later versions must still load (or warn clearly about).

Run from the repository root, once per release that changes what is saved:

    python tests/data/make_golden.py

It writes, next to this script: ``golden_X.csv`` (the input rows),
``golden_<model>.pkl`` (pickle) and ``golden_<model>.sklstm`` (safe format) for
each model, ``golden_expected.npz`` (their predictions on ``golden_X.csv``) and
``golden_versions.json`` (the versions that wrote them).
"""

import json
import os
import pickle

import numpy as np
import pandas as pd

import sklstm
from sklstm import (
    BiLSTMRegressor,
    ConformalForecaster,
    LSTMRegressor,
    NaiveRegressor,
    make_lstm_pipeline,
    make_supervised,
)

HERE = os.path.dirname(os.path.abspath(__file__))
TINY = dict(epochs=1, early_stopping=False, random_state=0)


def main():
    t = np.arange(48)
    days = pd.date_range("2024-01-01", periods=48, freq="D", name="date")
    data = pd.DataFrame({"y": np.sin(t / 4) + t / 20, "x": np.cos(t / 3)}, index=days)
    X, y = make_supervised(data, target="y")
    X.to_csv(os.path.join(HERE, "golden_X.csv"))
    models = {
        "naive_pipeline": make_lstm_pipeline(5, NaiveRegressor()),
        "lstm_pipeline": make_lstm_pipeline(5, LSTMRegressor(units=2, **TINY)),
        "bigru_pipeline": make_lstm_pipeline(
            5, BiLSTMRegressor(units=2, cell="gru", normalize="last", **TINY)
        ),
        "quantile_conformal": ConformalForecaster(
            make_lstm_pipeline(
                5, LSTMRegressor(units=2, quantiles=(0.1, 0.5, 0.9), **TINY)
            ),
            coverage=0.8,
            refit=False,
        ),
    }
    expected = {}
    for name, model in models.items():
        model.fit(X, y)
        expected[name] = model.predict(X)
        if hasattr(model, "predict_interval"):
            expected[f"{name}_interval"] = np.stack(model.predict_interval(X))
        with open(os.path.join(HERE, f"golden_{name}.pkl"), "wb") as f:
            pickle.dump(model, f, protocol=4)
        sklstm.save(model, os.path.join(HERE, f"golden_{name}.sklstm"))
    np.savez(os.path.join(HERE, "golden_expected.npz"), **expected)
    with open(os.path.join(HERE, "golden_versions.json"), "w") as f:
        json.dump(sklstm._versions.current_versions(), f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
