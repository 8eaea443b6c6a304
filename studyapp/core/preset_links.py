"""Which playground preset shows which content entry (a card's "watch it" key).

A plain mapping that imports nothing, so the review and browse screens can look up every card
they show without loading NumPy and the engine. The presets themselves live in
``studyapp.core.playground``, which re-exports this map and checks nothing here by itself: the
tests check that every entry and preset named here exists.
"""

from __future__ import annotations

#: Content entry id -> the name of the preset that shows it.
PRESET_FOR_ENTRY: dict[str, str] = {
    "act.sigmoid": "sigmoid-deep",
    "act.tanh": "tanh-vs-sigmoid",
    "act.relu": "relu",
    "act.leaky_relu": "relu",
    "opt.batch_gd": "lr-too-high",
    "opt.sgd": "ravine",
    "opt.minibatch_gd": "ravine",
    "opt.momentum": "ravine",
    "opt.nesterov": "ravine",
    "opt.adagrad": "saddle",
    "opt.adadelta": "saddle",
    "opt.rmsprop": "saddle",
    "opt.adam": "rosenbrock",
    "opt.adamw": "rosenbrock",
    "concept.gradient_descent": "lr-too-high",
    "concept.momentum": "ravine",
}


def preset_name_for_entry(entry_id: str | None) -> str | None:
    """The name of the preset that shows content entry ``entry_id``, or None."""
    return PRESET_FOR_ENTRY.get(entry_id or "")
