"""One vocabulary for formula texts: every engine name has its notation, rules follow the engine."""

from __future__ import annotations

import re
from pathlib import Path

from engine.activations import ACTIVATIONS
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS, STAGES
from studyapp.core import notation

ROOT = Path(__file__).resolve().parents[2]


def test_every_engine_function_has_its_notation():
    assert set(notation.ACTIVATION_NOTATION) == set(ACTIVATIONS)
    assert set(notation.LOSS_NOTATION) == set(LOSSES)
    assert set(notation.UPDATE_RULES) == set(OPTIMIZERS)


def test_update_rules_name_the_engines_stages_in_order():
    """A hint is looked up by the engine's stage name: a rule for a stage the engine does not
    compute (or in another order) would show the wrong formula."""
    for name, rules in notation.UPDATE_RULES.items():
        assert [r.key for r in rules] == [key for key, _ in STAGES[name]], name


def test_formula_texts_are_spelled_only_in_notation():
    """The definitions are not copied into other modules (they import them)."""
    samples = [n.definition for n in notation.LOSS_NOTATION.values()]
    samples += [n.quiz_definition for n in notation.LOSS_NOTATION.values()]
    samples += [n.derivative for n in notation.ACTIVATION_NOTATION.values()]
    samples += [r.hint for rules in notation.UPDATE_RULES.values() for r in rules if "E[" in r.hint]
    copies = []
    for path in (ROOT / "studyapp").rglob("*.py"):
        if path.name == "notation.py":
            continue
        text = path.read_text()
        copies += [f"{path.name}: {s}" for s in samples if re.search(re.escape(f'"{s}"'), text)]
    assert copies == []
