"""Anki package (.apkg) export with genanki.

Why the constants below must never change: Anki identifies a note type by its id and a deck by
its id, and a note by its GUID. With fixed ids and ``guid = genanki.guid_for(card key)``,
importing a newer export *updates* the notes already in the user's collection (keeping their
review history) instead of adding a second copy. Changing an id would fork the note type or deck
in every user's collection.

Note types (all carry a ``Source`` field naming the content line the card came from):

* ``studyapp Basic`` — Front, Back, Source; one card.
* ``studyapp Basic (and reversed)`` — Front, Back, Reverse Front, Reverse Back, Source; card 2
  asks Reverse Front -> Reverse Back. It carries a content pair (``definition`` + ``term``: the
  reverse card keeps the content's own wording) or mirrors a short card (Reverse = Back/Front).
  See ``records.plan_notes``.
* ``studyapp Cloze`` — Text, Back Extra, Source; Anki's cloze type.

Formulas stay as MathJax ``\\( … \\)`` (Anki renders MathJax natively on desktop and mobile).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from studyapp.export.records import (
    BASIC,
    BASIC_REVERSED,
    CLOZE,
    DECK_NAMES,
    ROOT_DECK,
    ExportCard,
    NotePlan,
    plan_notes,
)

# Fixed forever: see the module docstring. Drawn once with random.randrange(1 << 30, 1 << 31).
BASIC_MODEL_ID = 1094166082
BASIC_REVERSED_MODEL_ID = 1750312575
CLOZE_MODEL_ID = 2045831195

DECK_IDS: dict[str, int] = {
    ROOT_DECK: 1599745252,
    DECK_NAMES["activations"]: 1153167928,
    DECK_NAMES["losses"]: 1925675398,
    DECK_NAMES["optimizers"]: 1463639914,
    DECK_NAMES["terms"]: 2104079338,
    DECK_NAMES["backprop"]: 1338833542,
    DECK_NAMES["concepts"]: 1712238133,
    DECK_NAMES["user"]: 2045568052,
}

CARD_CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  color: #1f2328;
  background-color: #ffffff;
  text-align: left;
  max-width: 40em;
  margin: 0 auto;
  padding: 0.5em 1em;
}
.front { font-weight: 600; }
.back { margin-top: 0.4em; }
hr#answer { border: none; border-top: 1px solid #d0d7de; margin: 0.8em 0; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; }
ul { padding-left: 1.2em; margin: 0.3em 0; }
.source { margin-top: 1.2em; font-size: 0.65em; color: #6e7781; }
.cloze { font-weight: 700; color: #0969da; }
.nightMode .card, .night_mode .card { color: #e6edf3; background-color: #0d1117; }
.nightMode .cloze, .night_mode .cloze { color: #58a6ff; }
.nightMode .source, .night_mode .source { color: #8b949e; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #30363d; }
"""

_SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'


def _models():
    """The three genanki Models (built lazily: importing genanki costs ~50 ms)."""
    import genanki

    basic_fields = [{"name": "Front"}, {"name": "Back"}, {"name": "Source"}]
    basic = genanki.Model(
        BASIC_MODEL_ID,
        "studyapp Basic",
        fields=basic_fields,
        templates=[
            {
                "name": "Card 1",
                "qfmt": '<div class="front">{{Front}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="back">{{Back}}</div>' + _SOURCE,
            }
        ],
        css=CARD_CSS,
    )
    reversed_ = genanki.Model(
        BASIC_REVERSED_MODEL_ID,
        "studyapp Basic (and reversed)",
        fields=[
            {"name": "Front"},
            {"name": "Back"},
            {"name": "Reverse Front"},
            {"name": "Reverse Back"},
            {"name": "Source"},
        ],
        templates=[
            {
                "name": "Card 1",
                "qfmt": '<div class="front">{{Front}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="back">{{Back}}</div>' + _SOURCE,
            },
            {
                "name": "Card 2",
                "qfmt": '<div class="front">{{Reverse Front}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="back">{{Reverse Back}}</div>'
                + _SOURCE,
            },
        ],
        css=CARD_CSS,
    )
    cloze = genanki.Model(
        CLOZE_MODEL_ID,
        "studyapp Cloze",
        model_type=genanki.Model.CLOZE,
        fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Source"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": '<div class="front">{{cloze:Text}}</div>',
                "afmt": '<div class="front">{{cloze:Text}}</div>'
                '{{#Back Extra}}<hr id="answer"><div class="back">{{Back Extra}}</div>{{/Back Extra}}'
                + _SOURCE,
            }
        ],
        css=CARD_CSS,
    )
    return {BASIC: basic, BASIC_REVERSED: reversed_, CLOZE: cloze}


def deck_id(name: str) -> int:
    """The fixed id of a deck; a deck not in :data:`DECK_IDS` gets one derived from its name.

    Deriving (not drawing) keeps that id stable across exports too.
    """
    if name in DECK_IDS:
        return DECK_IDS[name]
    import hashlib

    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def _escape_source(text: str) -> str:
    import html

    return html.escape(text)


def note_fields(plan: NotePlan) -> list[str]:
    """The note's field values (HTML), in the order of its note type's fields."""
    card = plan.card
    source = _escape_source(card.source)
    if plan.kind == CLOZE:
        # The back of a cloze card shows the whole text already; Back Extra adds the card's
        # back only when it says something beyond the cloze sentence.
        return [card.cloze or "", card.cloze_extra, source]
    if plan.kind == BASIC_REVERSED:
        if plan.reverse is not None:
            reverse_front, reverse_back = plan.reverse.front_html, plan.reverse.back_html
        else:
            reverse_front, reverse_back = card.back_html, card.front_html
        return [card.front_html, card.back_html, reverse_front, reverse_back, source]
    return [card.front_html, card.back_html, source]


def note_tags(plan: NotePlan) -> list[str]:
    """Tags of every card the note carries, first occurrence order."""
    tags: list[str] = []
    for card in plan.cards:
        tags.extend(t for t in card.tags if t not in tags)
    return tags


def write_apkg(
    cards: Sequence[ExportCard],
    path: str | os.PathLike,
    progress: Callable[[int, int], None] | None = None,
    timestamp: float | None = None,
) -> int:
    """Write ``cards`` as an Anki package to ``path`` (the caller handles atomicity).

    Notes as planned by :func:`records.plan_notes` (one per card, except that a content pair
    shares one two-card note); decks from ``card.deck``; tags from the cards. ``timestamp``
    (seconds) becomes the notes' modification time: Anki only updates an existing note from an
    import whose note is newer, so it defaults to now. Returns the number of notes written.
    """
    import warnings

    import genanki

    models = _models()
    decks: dict[str, genanki.Deck] = {}
    plans = plan_notes(cards)
    total = len(plans)
    for done, plan in enumerate(plans, start=1):
        card = plan.card
        deck = decks.get(card.deck)
        if deck is None:
            deck = decks[card.deck] = genanki.Deck(
                deck_id(card.deck),
                card.deck,
                description=f"Flashcards from studyapp ({card.topic}).",
            )
        deck.add_note(
            genanki.Note(
                model=models[plan.kind],
                fields=note_fields(plan),
                tags=note_tags(plan),
                guid=card.guid,
            )
        )
        if progress is not None:
            progress(done, total + 1)  # +1: writing the zip is the last step
    package = genanki.Package(list(decks.values()))
    with warnings.catch_warnings():
        # genanki warns about HTML tags it does not know; the fields are the content's HTML
        # already, so the warning would only be noise on the user's terminal.
        warnings.simplefilter("ignore")
        package.write_to_file(
            str(Path(path)), timestamp=time.time() if timestamp is None else timestamp
        )
    if progress is not None:
        progress(total + 1, total + 1)
    return total
