"""One vocabulary: topics and optimizer names are spelled out once and imported everywhere else."""

from __future__ import annotations

import re
from pathlib import Path

from engine.optimizers import EXTRA_OPTIMIZERS, NOTES_OPTIMIZERS, OPTIMIZERS
from studyapp.core import catalog

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    p
    for d in ("studyapp", "engine", "bench")
    for p in (ROOT / d).rglob("*.py")
    if p.name != "catalog.py"
]


def test_optimizer_lists_are_the_engine_table_split_by_the_notes():
    assert NOTES_OPTIMIZERS == (
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "adadelta",
        "rmsprop",
        "adam",
    )
    assert EXTRA_OPTIMIZERS == ("adamw",)
    assert set(NOTES_OPTIMIZERS) | set(EXTRA_OPTIMIZERS) == set(OPTIMIZERS)


def test_every_topic_has_a_title_and_a_deck():
    assert set(catalog.TOPIC_TITLES) == set(catalog.ALL_TOPICS)
    assert set(catalog.DECK_NAMES) == set(catalog.ALL_TOPICS)
    assert all(d.startswith(catalog.ROOT_DECK + "::") for d in catalog.DECK_NAMES.values())


# Three or more names of the list in a row, quoted: a copy of the list.
_TOPIC_RUN = re.compile(r'"(activations|losses|optimizers)",\s*"(losses|optimizers|terms)",\s*"')
_OPTIMIZER_RUN = re.compile(r'"sgd",\s*"momentum",\s*"nesterov"')


def test_no_module_spells_out_the_lists_again():
    copies = [
        str(p.relative_to(ROOT))
        for p in SOURCES
        if _TOPIC_RUN.search(p.read_text()) or _OPTIMIZER_RUN.search(p.read_text())
    ]
    assert copies == []


def test_random_draws_use_the_notes_seven():
    from studyapp.core import exercise as workspace
    from studyapp.core.questions import numeric
    from studyapp.export import worksheet

    assert numeric.OPTIMIZER_NAMES == NOTES_OPTIMIZERS
    assert workspace.OPTIMIZERS == NOTES_OPTIMIZERS
    assert worksheet.OPTIMIZER_NAMES == NOTES_OPTIMIZERS
