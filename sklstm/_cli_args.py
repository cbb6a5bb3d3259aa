"""The options of the command line: ``build_parser`` and the types it checks.

The commands themselves (``demo``, ``forecast``) run in :mod:`sklstm._cli`.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import argparse

__all__ = ["MODELS", "build_parser"]

#: The networks of --model: the sklstm regressor of each.
MODELS = {
    "lstm": "LSTMRegressor",
    "stacked": "StackedLSTMRegressor",
    "bilstm": "BiLSTMRegressor",
}


def _coverage(text):
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(
            f"expected a coverage strictly between 0 and 1, e.g. 0.9; got {text!r}"
        )
    return value


def _column_list(text):
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"expected column names separated by commas, e.g. temp,holiday; "
            f"got {text!r}"
        )
    return names


def _int_at_least(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected an integer >= {minimum}; got {text!r}"
            )
        return value

    return parse


def build_parser():
    """The parser of ``python -m sklstm``: its commands and their options."""
    parser = argparse.ArgumentParser(
        prog="sklstm",
        description="LSTM forecasting that behaves like scikit-learn.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    formatter = argparse.ArgumentDefaultsHelpFormatter
    demo = sub.add_parser(
        "demo",
        help="forecast Seattle's weather (data bundled with sklstm)",
        formatter_class=formatter,
    )
    forecast = sub.add_parser(
        "forecast", help="forecast a column of a CSV file", formatter_class=formatter
    )
    forecast.add_argument("csv", help="CSV file, one row per time step")
    forecast.add_argument("--target", required=True, help="column to forecast")
    forecast.add_argument(
        "--date-column",
        help="column of dates: rows are sorted on it, duplicated dates and "
        "missing rows are mended (with a warning), and the forecast is dated",
    )
    forecast.add_argument(
        "--window",
        type=_int_at_least(1),
        default=24,
        help="rows of history the network reads for each forecast",
    )
    forecast.add_argument(
        "--horizon",
        type=_int_at_least(1),
        default=1,
        help="steps ahead to forecast (one model output per step)",
    )
    forecast.add_argument(
        "--season",
        type=_int_at_least(1),
        default=None,
        help="rows per seasonal cycle, for the seasonal naive baseline; "
        "by default from the dates' frequency (daily: 7, hourly: 24, "
        "monthly: 12, ...)",
    )
    forecast.add_argument(
        "--splits",
        type=_int_at_least(2),
        default=3,
        help="time-ordered cross-validation folds",
    )
    forecast.add_argument(
        "--interval",
        type=_coverage,
        default=None,
        metavar="COVERAGE",
        help="also give a conformal prediction interval of this coverage, e.g. "
        "0.9: lower and upper columns in the output and a band in the plot",
    )
    forecast.add_argument(
        "--known-future",
        type=_column_list,
        metavar="COL[,COL...]",
        help="columns of the CSV known in advance (a holiday flag, a planned "
        "promotion, a weather forecast): the network also reads their values "
        "at each forecast step's target time, which --future gives for the "
        "forecast; calendar columns can be made with sklstm.calendar_features "
        "before writing the CSV",
    )
    forecast.add_argument(
        "--future",
        metavar="FILE",
        help="CSV of the --known-future columns at the forecast's target times "
        "(the --horizon dates after the CSV's last row, one row each), with "
        "the --date-column; a missing, duplicated or extra date, or an empty "
        "value, is an error. With --model-file: the values the saved model "
        "reads, if trained with --known-future",
    )
    forecast.add_argument(
        "--series-id",
        metavar="COL",
        help="column naming the series of each row, for a CSV of several "
        "series stacked in one long table (a panel; needs --date-column): one "
        "network is trained on all series, cross-validated at common cutoff "
        "dates, and each series is forecast; the output is a long table "
        "(COL, target_time, forecast), --future carries COL too, and --plot "
        "shows the first 6 series",
    )
    forecast.add_argument("--output", help="write the forecast to this CSV file")
    forecast.add_argument(
        "--save",
        help="write the fitted pipeline in sklstm's safe format (e.g. "
        "model.sklstm: plain data, loads without running code or TensorFlow); "
        "a path ending in .pkl, .pickle or .joblib writes a joblib pickle",
    )
    forecast.add_argument(
        "--model-file",
        help="forecast with a model saved by --save (safe format) instead of "
        "training one: no cross-validation, no TensorFlow (the training "
        "options --window, --horizon, --model, --known-future, ... are not "
        "used)",
    )
    forecast.add_argument("--plot", help="write a PNG plot of the forecast")
    for command in (demo, forecast):
        command.add_argument(
            "--model",
            choices=sorted(MODELS),
            default="lstm",
            help="network: one LSTM layer, stacked layers, or bidirectional",
        )
        command.add_argument(
            "--fast", action="store_true", help="tiny network, few epochs (smoke test)"
        )
        command.add_argument(
            "--quiet",
            action="store_true",
            help="print only the results and warnings (no progress)",
        )
    demo.add_argument("--plot", default="sklstm_demo.png", help="PNG plot path")
    return parser
