# SPDX-License-Identifier: BSD-3-Clause
"""Tests of ``sklstm._feed``: batches gathered from the rows behind the windows."""

import logging

import numpy as np
from numpy.testing import assert_array_equal

from sklstm import SequenceWindower, _feed
from sklstm._windows import Windows, as_windows


def test_quiet_retracing_filters_only_that_warning_only_inside(caplog):

    logger = logging.getLogger("tensorflow")
    retracing = "5 out of the last 5 calls to <f> triggered tf.function retracing."
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        with _feed.quiet_retracing():
            logger.warning(retracing)
            logger.warning("something else")
        logger.warning(retracing)
    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["something else", retracing]


def _epoch(dataset):
    return [(x.numpy(), y.numpy()) for x, y in dataset]


def test_window_dataset_gathers_windows_and_reshuffles_each_epoch():
    series = np.arange(24.0).reshape(12, 2)
    X = SequenceWindower(3).fit_transform(series)[2:]  # 10 complete windows
    y = np.arange(10.0) * 10
    windows = as_windows(X)
    dataset = _feed.window_dataset(windows, y, batch_size=4, shuffle=True, seed=0)
    assert int(dataset.cardinality()) == 3  # 4 + 4 + 2
    first, second = _epoch(dataset), _epoch(dataset)
    for epoch in (first, second):
        assert [len(yb) for _, yb in epoch] == [4, 4, 2]
        order = np.concatenate([yb for _, yb in epoch]) / 10
        assert sorted(order) == list(range(10))  # each window once per epoch
        for xb, yb in epoch:  # every window with its own target
            assert_array_equal(xb, X[(yb / 10).astype(int)])
    orders = [np.concatenate([yb for _, yb in e]) for e in (first, second)]
    assert not np.array_equal(*orders)  # a new order each epoch
    again = _feed.window_dataset(windows, y, batch_size=4, shuffle=True, seed=0)
    assert_array_equal(np.concatenate([yb for _, yb in _epoch(again)]), orders[0])
    ordered = _feed.window_dataset(windows, y, batch_size=4)
    assert_array_equal(np.concatenate([yb for _, yb in _epoch(ordered)]), y)


def test_window_dataset_reads_windows_taken_out_of_order():
    series = np.arange(20.0).reshape(10, 2)
    windows = as_windows(SequenceWindower(3).fit_transform(series)[2:])
    picked = windows.take(np.array([5, 0, 3]))
    batches = list(_feed.window_dataset(picked, batch_size=2))
    got = np.concatenate([b.numpy() for b in batches])
    assert_array_equal(got, picked.to_array())
    assert_array_equal(got[0], series[5:8])


def test_window_dataset_of_contiguous_windows_equals_the_windows():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 4, 3)).astype(np.float32)
    windows = Windows(X.reshape(-1, 3), np.arange(7) * 4, 4)
    got = np.concatenate(
        [b.numpy() for b in _feed.window_dataset(windows, batch_size=3)]
    )
    assert_array_equal(got, X)


def test_epoch_stream_repeats_whole_epochs_only_when_calls_divide_them():
    series = np.arange(24.0).reshape(12, 2)
    X = SequenceWindower(3).fit_transform(series)[2:]  # 10 windows, 3 batches
    y = np.arange(10.0) * 10
    windows = as_windows(X)

    def dataset():
        return _feed.window_dataset(windows, y, batch_size=4, shuffle=True, seed=3)

    assert _feed.epoch_stream(dataset(), 2)[1] is None  # a call would cross
    stream, steps = _feed.epoch_stream(dataset(), 3)
    assert steps == 3
    batches = iter(stream)
    epochs = [[next(batches)[1].numpy() for _ in range(steps)] for _ in range(4)]
    orders = [np.concatenate(epoch) / 10 for epoch in epochs]
    for epoch, order in zip(epochs, orders, strict=True):
        assert [len(b) for b in epoch] == [4, 4, 2]  # epochs stay aligned
        assert sorted(order) == list(range(10))  # each window once per epoch
    assert len({tuple(order) for order in orders}) == 4  # a new order each
    # The same orders as one new iterator per epoch (what Keras does with a
    # finite dataset), from the same seed.
    finite = dataset()
    for order in orders:
        assert_array_equal(np.concatenate([yb for _, yb in _epoch(finite)]) / 10, order)


def test_a_fit_over_the_repeated_epochs_equals_one_over_an_iterator_per_epoch(
    monkeypatch,
):
    from sklstm import LSTMRegressor

    rng = np.random.default_rng(0)
    X = rng.standard_normal((90, 6, 2))
    y = X[:, -1, 0] + 0.1 * rng.standard_normal(90)
    params = dict(units=3, epochs=3, batch_size=16, random_state=0, shuffle=False)
    streamed = LSTMRegressor(early_stopping=False, **params).fit(X, y)
    used = []
    original = _feed.epoch_stream

    def finite(dataset, steps_per_execution):
        used.append(original(dataset, steps_per_execution)[1])
        return dataset, None

    monkeypatch.setattr(_feed, "epoch_stream", finite)
    per_epoch = LSTMRegressor(early_stopping=False, **params).fit(X, y)
    assert used == [6]  # the streamed fit did repeat: 6 batches, 6 per call
    assert_array_equal(streamed.predict(X), per_epoch.predict(X))
    assert streamed.history_["loss"] == per_epoch.history_["loss"]
