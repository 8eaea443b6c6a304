"""Import our exports into a fresh collection with the real ``anki`` package.

This is the check that matters to users: a second import of a newer export must update the
notes already in Anki, never add duplicates. ``anki`` is large (~64 MB installed) and not a
project dependency, so the test runs with the first interpreter that can import it: this one,
or the one named by ``$STUDYAPP_ANKI_PYTHON`` (e.g. a throw-away venv). Otherwise it skips.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import genanki
import pytest

from studyapp.export import export_cards
from tests.export.fixtures import edited, fixture_cards

PROBE = Path(__file__).with_name("anki_probe.py")


def _anki_python() -> str | None:
    if importlib.util.find_spec("anki") is not None:
        return sys.executable
    other = os.environ.get("STUDYAPP_ANKI_PYTHON")
    if other and Path(other).exists():
        ok = subprocess.run([other, "-c", "import anki.collection"], capture_output=True)
        if ok.returncode == 0:
            return other
    return None


ANKI_PYTHON = _anki_python()
pytestmark = pytest.mark.skipif(
    ANKI_PYTHON is None, reason="the `anki` package is not importable (set STUDYAPP_ANKI_PYTHON)"
)


def _probe(kind: str, collection: Path, *files: Path) -> dict:
    result = subprocess.run(
        [ANKI_PYTHON, str(PROBE), kind, str(collection), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=collection.parent,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_apkg_second_import_updates_instead_of_duplicating(tmp_path):
    cards = fixture_cards()
    first, second = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    export_cards("apkg", first, cards=cards, timestamp=1_700_000_000)
    changed = edited(
        cards, "term.epoch::definition", back="One complete pass", back_html="One complete pass"
    )
    export_cards("apkg", second, cards=changed, timestamp=1_700_000_600)

    out = _probe("apkg", tmp_path / "collection.anki2", first, second)
    one, two = out["imports"]
    n_notes = len(cards) - 1  # the definition/term pair is one note
    assert one["new"] == n_notes
    assert two["new"] == 0
    assert two["updated"] == n_notes  # newer notes replace the old ones, same GUIDs
    notes = {n["guid"]: n for n in out["notes"]}
    assert len(notes) == n_notes
    epoch = notes[genanki.guid_for("term.epoch::definition")]
    assert epoch["fields"][1] == "One complete pass"
    assert epoch["fields"][3] == "<div>Epoch</div>"  # the term card's own wording, reversed
    assert epoch["notetype"] == "studyapp Basic (and reversed)" and epoch["cards"] == 2
    assert epoch["decks"] == ["Deep Learning::Terms"]
    sigmoid = notes[genanki.guid_for("act.sigmoid::formula")]
    assert "\\(\\sigma(z)" in sigmoid["fields"][1]
    cloze = notes[genanki.guid_for("act.relu::cloze")]
    assert cloze["notetype"] == "studyapp Cloze" and cloze["cards"] == 1


def test_tsv_imports_with_its_headers_and_reimports_without_duplicates(tmp_path):
    cards = fixture_cards()
    first, second = tmp_path / "v1.txt", tmp_path / "v2.txt"
    export_cards("tsv", first, cards=cards)
    export_cards(
        "tsv", second, cards=edited(cards, "term.epoch::definition", back_html="One complete pass")
    )

    out = _probe("tsv", tmp_path / "collection.anki2", first, second)
    one, two = out["imports"]
    assert one["new"] == len(cards)
    assert two["new"] == 0 and two["updated"] == 1
    notes = {n["guid"]: n for n in out["notes"]}
    assert len(notes) == len(cards)
    assert notes[genanki.guid_for("act.relu::cloze")]["notetype"] == "Cloze"
    assert notes[genanki.guid_for("term.epoch::definition")]["tags"] == ["terms", "training_loop"]
    assert notes[genanki.guid_for("term.bias::definition")]["cards"] == 2  # mirrored reverse
    assert notes[genanki.guid_for("loss.hinge::formula")]["decks"] == ["Deep Learning::Losses"]


def test_real_content_imports_cleanly_and_reimports_without_duplicates(tmp_path):
    from studyapp.export.records import load_cards, plan_notes

    first, second = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    count = export_cards("apkg", first, timestamp=1_700_000_000)
    export_cards("apkg", second, timestamp=1_700_000_600)
    plans = plan_notes(load_cards())
    out = _probe("apkg", tmp_path / "collection.anki2", first, second)
    one, two = out["imports"]
    assert one["new"] == len(plans) and count > len(plans) > 100
    assert two["new"] == 0 and two["updated"] == len(plans)
    assert {k: v for k, v in one.items() if k not in ("new",)} == dict.fromkeys(
        [k for k in one if k != "new"], 0
    )
    # Anki cards per note: 2 for a reversed note, one per distinct {{cN::}} for a cloze, else 1
    expected = sum(
        2
        if p.kind == "basic_reversed"
        else len(set(re.findall(r"\{\{c(\d+)::", p.card.cloze)))
        if p.kind == "cloze"
        else 1
        for p in plans
    )
    assert sum(n["cards"] for n in out["notes"]) == expected
    decks = {d for n in out["notes"] for d in n["decks"]}
    assert decks == {
        "Deep Learning::Activations",
        "Deep Learning::Losses",
        "Deep Learning::Optimizers",
        "Deep Learning::Terms",
        "Deep Learning::Backprop",
        "Deep Learning::Concepts",
    }
