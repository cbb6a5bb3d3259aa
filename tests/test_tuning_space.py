"""Tests for the search-space types and their Keras Tuner encoding
(sklstm/tuning/_space.py)."""

# SPDX-License-Identifier: BSD-3-Clause

import re

import keras_tuner as kt
import numpy as np
import pytest

from sklstm.tuning import Choice, Float, Int
from sklstm.tuning._space import check_search_space, declare, decode


def test_search_space_reprs_and_equality():
    assert repr(Int(16, 128, step=16)) == "Int(16, 128, step=16)"
    assert repr(Float(1e-4, 1e-2, log=True)) == "Float(0.0001, 0.01, log=True)"
    assert repr(Choice([(32,), (64, 32)])) == "Choice([(32,), (64, 32)])"
    assert Int(1, 3) == Int(1, 3) and Int(1, 3) != Int(1, 4)
    assert Float(0.0, 1.0) == Float(0, 1)
    assert Choice([1, 2]) != Int(1, 2)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Int(5, 1), ValueError, "Int expected low <= high; got low=5"),
        (lambda: Int(1.5, 3), TypeError, "Int expected low to be an int; got 1.5"),
        (lambda: Int(1, 9, step=0), ValueError, "Int expected step >= 1; got step=0"),
        (lambda: Int(0, 9, log=True), ValueError, "Int expected low >= 1 with log"),
        (lambda: Float(1.0, 0.0), ValueError, "Float expected low <= high"),
        (lambda: Float("a", 1.0), TypeError, "Float expected low to be a finite"),
        (lambda: Float(0.0, 1.0, log=True), ValueError, "Float expected low > 0"),
        (lambda: Float(0.0, 1.0, step=0), ValueError, "Float expected step to be"),
        (lambda: Choice([]), ValueError, "Choice expected at least one candidate"),
        (lambda: Choice("tanh"), TypeError, "Choice expected a list or tuple"),
        (lambda: Choice([1, 1.0]), ValueError, "Choice expected distinct values"),
    ],
)
def test_search_space_rejects_bad_declarations(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()


def test_search_space_declares_keras_tuner_hyperparameters():
    space = check_search_space(
        "test",
        {
            "a": Int(2, 8, step=2),
            "b": Float(1e-3, 1e-1, log=True),
            "c": ["x", "y"],
            "d": Choice([(4,), (4, 2)]),
            "e": [1, 0.5],
            "f": [False, True],
            "g": 3,
        },
    )
    hp = kt.HyperParameters()
    values = declare(hp, space)
    kinds = {p.name: type(p).__name__ for p in hp.space}
    assert kinds == {
        "a": "Int",
        "b": "Float",
        "c": "Choice",
        "d": "Choice",
        "e": "Choice",
        "f": "Boolean",
        "g": "Fixed",
    }
    b = next(p for p in hp.space if p.name == "b")
    assert b.sampling == "log"
    # Tuples go to Keras Tuner as their repr and come back as tuples.
    assert next(p for p in hp.space if p.name == "d").values == ["(4,)", "(4, 2)"]
    assert values == {
        "a": 2,
        "b": 1e-3,
        "c": "x",
        "d": (4,),
        "e": 1.0,
        "f": False,
        "g": 3,
    }
    hp.values["d"] = "(4, 2)"
    assert decode(space, hp.values)["d"] == (4, 2)


def test_search_space_float_step_reaches_high():
    space = check_search_space("test", {"p": Float(0.0, 0.3, step=0.1)})
    hp = kt.HyperParameters()
    declare(hp, space)
    raw = hp.space[0].values
    decoded = [decode(space, {"p": v})["p"] for v in raw]
    assert decoded == [0.0, 0.1, 0.2, 0.3]


def test_search_space_rejects_unsearchable_values():
    with pytest.raises(TypeError, match=re.escape("Pass Choice(list(...))")):
        check_search_space("KerasTunerSearchCV", {"p": {1, 2}})
    with pytest.raises(ValueError, match=re.escape("expected a non-empty")):
        check_search_space("KerasTunerSearchCV", {})


def test_int_takes_numpy_ints_but_not_bools():
    assert Int(np.int64(2), np.int32(5)) == Int(2, 5)
    with pytest.raises(TypeError, match=re.escape("Int expected low to be an int")):
        Int(True, 3)
    with pytest.raises(TypeError, match=re.escape("Int expected step to be an int")):
        Int(1, 3, step=False)


def test_choice_decodes_values_keras_tuner_cannot_hold():
    space = check_search_space("test", {"p": [None, "tanh", (2, 1)]})
    hp = kt.HyperParameters()
    declare(hp, space)
    assert hp.space[0].values == ["None", "'tanh'", "(2, 1)"]
    assert [decode(space, {"p": v})["p"] for v in hp.space[0].values] == [
        None,
        "tanh",
        (2, 1),
    ]
    with pytest.raises(ValueError, match="the saved search was run with another"):
        decode(space, {"p": "'relu'"})
