"""Which trials of a search may run together: Keras Tuner's oracles in batches.

Keras Tuner's loop asks its oracle for a trial, runs it, reports its score and
only then asks for the next. A parallel search asks for several trials before
any has ended, and Keras Tuner's oracles answer such requests the way its own
distributed mode needs: Hyperband starts the next bracket while a round runs,
Bayesian optimisation fits its Gaussian process to whatever has ended. The
search would then depend on which worker finished first.

The oracles here are Keras Tuner's with one change: asked for another trial
while trials are running, an oracle answers ``IDLE`` (wait for them) unless
the trial it would propose cannot depend on their scores, and so is the trial
that the one-at-a-time loop proposes next. A *batch* is the trials handed out
before the first ``IDLE``, and the search runs a batch's trials and folds
together. The trials, their ids and their order are those of the serial loop,
whatever runs the batch and in whichever order its fits end, so
``cv_results_`` and ``best_params_`` are the same for every executor:

- random search: a trial's values are drawn from the oracle's seeded
  generator, whatever the scores, so all ``max_trials`` trials are one batch;
- Hyperband: a round of a bracket is a batch. The new configurations of a
  bracket's first round are random draws; each promotion of a later round is
  the best remaining configuration of the previous round, which has ended
  before the round starts. The next round waits for this one, and the next
  bracket for this bracket;
- Bayesian optimisation: the initial random points that are sure to be
  random (``num_initial_points`` minus the trials completed, running ones
  counted as if they will complete) are a batch; after them every proposal
  fits a Gaussian process to all the scores before it, so trials run one at a
  time (a batch of one trial, whose folds still run in parallel).

When no new values can be drawn (a small space, all tried), the serial loop
stops, and so does a batched one after running the trials already handed out.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import keras_tuner as kt

__all__ = [
    "BayesianOptimizationOracle",
    "HyperbandOracle",
    "RandomSearchOracle",
]

_IDLE = {"status": "IDLE"}
_STOPPED = {"status": "STOPPED"}


class RandomSearchOracle(kt.oracles.RandomSearchOracle):
    """Keras Tuner's random search: every trial may run with any other.

    Its proposals never depend on scores, and it stops when no new values can
    be drawn, running trials or not; so it needs no change.
    """


class BayesianOptimizationOracle(kt.oracles.BayesianOptimizationOracle):
    """Keras Tuner's Bayesian optimisation; only sure random points batch."""

    def populate_space(self, trial_id):
        if self.ongoing_trials and not self._surely_random():
            return dict(_IDLE)
        return super().populate_space(trial_id)

    def _surely_random(self):
        """Whether the next proposal is an initial random point for certain.

        The serial loop draws at random while fewer than ``num_initial_points``
        trials completed; the running trials may all complete before it would
        ask, so they count as completed.
        """
        completed = sum(t.status == "COMPLETED" for t in self.trials.values())
        dimensions = len(self.hyperparameters.space)
        initial = self.num_initial_points or max(3 * dimensions, 3)
        return completed + len(self.ongoing_trials) < initial


class HyperbandOracle(kt.oracles.HyperbandOracle):
    """Keras Tuner's Hyperband; a round of a bracket is a batch."""

    def populate_space(self, trial_id):
        if self.ongoing_trials and not self._extends_the_round():
            return dict(_IDLE)
        return super().populate_space(trial_id)

    def _random_trial(self, trial_id, bracket):
        response = super()._random_trial(trial_id, bracket)
        if response["status"] == "IDLE":  # no new values: the serial loop stops
            return dict(_STOPPED)
        return response

    def _extends_the_round(self):
        """Whether the next proposal belongs to the round that is running.

        The running trials all belong to one round of the bracket being
        filled, the last one (a new bracket starts only when no trial runs).
        Keras Tuner fills a first round with random draws up to its size, and
        a later round with the best unpromoted trials of the round before it,
        which has ended, while there are more of them than the rounds' sizes
        differ by: exactly what it would do one trial at a time.
        """
        self._remove_completed_brackets()
        if not self._brackets:
            return False
        bracket = self._brackets[-1]
        number, rounds = bracket["bracket_num"], bracket["rounds"]
        running = {trial.trial_id for trial in self.ongoing_trials.values()}
        round_num = next(
            (
                number_
                for number_, entries in enumerate(rounds)
                if running <= {entry["id"] for entry in entries}
            ),
            None,
        )
        if round_num is None:
            return False
        if round_num == 0:
            return len(rounds[0]) < self._get_size(number, 0)
        promoted = {entry["past_id"] for entry in rounds[round_num]}
        candidates = [
            entry["id"]
            for entry in rounds[round_num - 1]
            if entry["id"] not in promoted
            and self.trials[entry["id"]].status == "COMPLETED"
        ]
        past_size = self._get_size(number, round_num - 1)
        return len(candidates) > past_size - self._get_size(number, round_num)
