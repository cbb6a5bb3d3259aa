"""The feed: windows reach Keras as batches gathered from the rows behind them.

:func:`window_dataset` turns a :class:`~sklstm._windows.Windows` value (and
the matching targets and weights) into a :mod:`tf.data` pipeline that never
materialises all windows; :func:`epoch_stream` lets Keras keep one iterator of
it over every epoch; :func:`quiet_retracing` keeps TensorFlow's retracing
warning, expected here, out of the user's log.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import contextlib
import logging

import numpy as np

__all__ = ["epoch_stream", "quiet_retracing", "window_dataset"]


class _NoRetracingWarning(logging.Filter):
    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def quiet_retracing():
    """Silence TensorFlow's "tf.function retracing" warning for the duration.

    Every fit builds a new network, so its training function is traced anew by
    design; inside cross-validation TensorFlow then warns about "excessive"
    retracing, which here is neither excessive nor actionable.
    """
    logger = logging.getLogger("tensorflow")
    quiet = _NoRetracingWarning()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def window_dataset(windows, *arrays, batch_size, shuffle=False, seed=None):
    """Batches of windows gathered from their rows, for ``fit`` and ``predict``.

    Each batch gathers only its own windows (and the matching entries of
    ``arrays``, e.g. y and sample weights), so memory holds the rows once,
    never all the windows, which Keras would materialise if given them as one
    array. Built like Keras's own array adapter (the data enter once, via
    ``from_tensors``; positions are shuffled afresh each epoch when
    ``shuffle``, reproducibly for a given ``seed``).

    Parameters
    ----------
    windows : Windows
        The windows, as rows and starts.
    *arrays : ndarray
        Per-window arrays to batch alongside (targets, weights).
    batch_size : int
        Windows per batch.
    shuffle : bool, default=False
        A new order of the windows every epoch.
    seed : int or None, default=None
        Seed of that order.

    Returns
    -------
    dataset : tf.data.Dataset
        Batches ``x`` or ``(x, *arrays)``.
    """
    import tensorflow as tf

    rows, starts = windows.rows, windows.starts
    data = tuple(
        tf.convert_to_tensor(np.ascontiguousarray(a))
        for a in (rows.astype(np.float32, copy=False), starts, *arrays)
    )
    offsets = tf.range(windows.length, dtype=data[1].dtype)
    n_windows = len(starts)
    n_batches = -(-n_windows // batch_size)
    if shuffle:
        positions = _shuffled_batches(n_windows, batch_size, n_batches, seed)
    else:  # no function to instantiate per iterator: predict, validation
        positions = _batches(tf.range(n_windows, dtype=tf.int64), batch_size)

    def gather(batch, data):
        rows, starts, *arrays = data
        x = tf.gather(rows, tf.gather(starts, batch)[:, None] + offsets)
        return (x, *(tf.gather(a, batch) for a in arrays)) if arrays else x

    dataset = tf.data.Dataset.zip(
        positions, tf.data.Dataset.from_tensors(data).repeat()
    )
    return dataset.map(gather, num_parallel_calls=tf.data.AUTOTUNE).prefetch(
        tf.data.AUTOTUNE
    )


def _batches(positions, batch_size):
    """Consecutive batches of ``positions`` (a 1-D tensor of static length),
    the last one ragged."""
    import tensorflow as tf

    n_full = positions.shape[0] // batch_size
    batches = tf.data.Dataset.from_tensor_slices(
        tf.reshape(positions[: n_full * batch_size], [n_full, batch_size])
    )
    if positions.shape[0] % batch_size:
        last = tf.data.Dataset.from_tensors(positions[n_full * batch_size :])
        batches = batches.concatenate(last)
    return batches


def _shuffled_batches(n_windows, batch_size, n_batches, seed):
    """The batches of one epoch: a new permutation of the positions per
    iteration (per epoch), reproducibly for a given ``seed``.

    ``Dataset.random`` draws a new seed for each iteration; unlike
    ``Dataset.shuffle``, which keeps a buffer of one tensor per window, this
    holds one int64 per window.
    """
    import tensorflow as tf

    def order(draw):
        seed_pair = tf.stack([draw, tf.constant(0, tf.int64)])
        return tf.random.experimental.stateless_shuffle(
            tf.range(n_windows, dtype=tf.int64), seed=seed_pair
        )

    return (
        tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
        .take(1)
        .map(order)
        .flat_map(lambda positions: _batches(positions, batch_size))
        .apply(tf.data.experimental.assert_cardinality(n_batches))
    )


def epoch_stream(dataset, steps_per_execution):
    """One epoch's ``dataset`` (of :func:`window_dataset`) repeated, and the
    ``steps_per_epoch`` to give Keras; or the dataset as it is and None.

    Keras makes a new iterator of a finite dataset every epoch, and making
    one instantiates the pipeline's functions again: about 40 ms each on 2
    cores, more than the epoch itself on a short series
    (benchmarks/results/epoch_feed.md). Repeated, with ``steps_per_epoch``,
    Keras keeps one iterator, and the epochs see the batches that one new
    iterator per epoch would give, in the same orders (each repetition draws
    the next seed of the shuffle). That needs the epoch's batches to be a
    whole number of Keras's ``steps_per_execution`` (a call reads that many
    batches); otherwise the dataset stays finite.
    """
    n_batches = int(dataset.cardinality())  # known: window_dataset sets it
    if n_batches % steps_per_execution:
        return dataset, None
    return dataset.repeat(), n_batches
