"""The export's view of a flashcard, built from the content part's ``CardSpec``.

Every export format (apkg, Anki TSV, Markdown, JSON, CSV) is written from the same
:class:`ExportCard` list, so ids, GUIDs, decks and tags agree across formats: a note exported
as TSV today and as .apkg tomorrow is the same note to Anki.

Stability: ``id`` is the CardSpec ``key`` (``"<entry_id>::<template>"``, written in the content
files, so it survives edits of the wording) and ``guid = genanki.guid_for(key)``. Anki matches
imported notes by GUID, which is what makes a second import update notes instead of adding
duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from studyapp.core.catalog import ALL_TOPICS, DECK_NAMES, ROOT_DECK
from studyapp.errors import DataError, UsageError

#: Topics in display order; ``user`` holds notes imported by the user.
TOPICS = ALL_TOPICS

# Note kinds. A "reversed" note gives Anki two cards (front->back and back->front).
BASIC = "basic"
BASIC_REVERSED = "basic_reversed"
CLOZE = "cloze"

#: Templates that come in explicit pairs: the content writes the back->front card itself (with
#: its own wording), e.g. ``definition`` ("Define: epoch") and ``term`` ("Which term is this?").
#: In an .apkg such a pair becomes ONE two-card note, the way Anki users model it.
REVERSE_PAIRS: dict[str, str] = {"definition": "term"}
#: Templates whose two sides name each other, so a mirrored card (back as the question) is a real
#: question; used only when the content has no explicit reverse card for the entry.
REVERSIBLE_TEMPLATES: frozenset[str] = frozenset({"definition", "name", "symbol", "abbreviation"})
#: A side longer than this (plain-text characters) makes a poor question, so no mirrored card.
MAX_REVERSIBLE_CHARS = 160

_TAG_BAD = re.compile(r"[\s\"]+")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.S)
_TAGS = re.compile(r"<[^>]*>")


def _plain(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace squeezed (for comparisons only)."""
    import html

    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def _tag(text: str) -> str:
    """An Anki-safe tag: Anki splits tags on spaces and rejects quotes."""
    return _TAG_BAD.sub("_", str(text).strip())


def guid_for(key: str) -> str:
    """Anki note GUID for a card key (genanki's base91 of a SHA-256 of the key)."""
    import genanki  # lazy: genanki pulls in yaml, chevron

    return genanki.guid_for(key)


@dataclass(frozen=True)
class ExportCard:
    """One flashcard as exported.

    ``front``/``back`` are unicode text (what the TUI shows); ``front_html``/``back_html`` hold
    HTML with MathJax ``\\( … \\)`` for Anki; ``cloze`` is Anki cloze text (``{{c1::…}}``) or None.
    """

    id: str
    guid: str
    entry_id: str
    template: str
    topic: str
    deck: str
    front: str
    back: str
    front_html: str
    back_html: str
    tags: tuple[str, ...]
    source: str
    cloze: str | None = None

    @property
    def note_kind(self) -> str:
        """``cloze`` or ``basic`` for this card alone (pairs are decided by :func:`plan_notes`)."""
        return CLOZE if self.cloze else BASIC

    @property
    def cloze_extra(self) -> str:
        """For a cloze card, ``back_html`` when it says more than the cloze sentence, else ``""``.

        Content may set the back of a cloze card to the filled-in sentence; showing that again
        under the revealed cloze would only repeat it.
        """
        if not self.cloze or not self.back_html:
            return ""
        filled = _plain(_CLOZE.sub(lambda m: m.group(1), self.cloze))
        back = _plain(self.back_html)
        return "" if back in filled else self.back_html

    def to_dict(self) -> dict:
        """The contract JSON object (``id, guid, deck, front, back, tags, source``) plus extras."""
        return {
            "id": self.id,
            "guid": self.guid,
            "deck": self.deck,
            "front": self.front,
            "back": self.back,
            "tags": list(self.tags),
            "source": self.source,
            "topic": self.topic,
            "entry_id": self.entry_id,
            "template": self.template,
            "note_type": self.note_kind,
            "front_html": self.front_html,
            "back_html": self.back_html,
            "cloze": self.cloze,
        }


def from_spec(spec) -> ExportCard:
    """Adapt a ``studyapp.core.cards.CardSpec`` (or any object with its fields)."""
    key = str(spec.key)
    topic = str(getattr(spec, "topic", "") or key.split(".", 1)[0])
    deck = str(getattr(spec, "deck", "") or DECK_NAMES.get(topic, f"{ROOT_DECK}::{topic.title()}"))
    front = str(spec.front or "")
    back = str(spec.back or "")
    tags: list[str] = []
    for tag in [*(getattr(spec, "tags", None) or ()), topic]:
        tag = _tag(tag)
        if tag and tag not in tags:
            tags.append(tag)
    return ExportCard(
        id=key,
        guid=guid_for(key),
        entry_id=str(getattr(spec, "entry_id", "") or key.split("::", 1)[0]),
        template=str(getattr(spec, "template", "") or key.rsplit("::", 1)[-1]),
        topic=topic,
        deck=deck,
        front=front,
        back=back,
        front_html=str(getattr(spec, "front_html", None) or _escape(front)),
        back_html=str(getattr(spec, "back_html", None) or _escape(back)),
        tags=tuple(tags),
        source=str(getattr(spec, "source", "") or ""),
        cloze=getattr(spec, "cloze", None) or None,
    )


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")


def select(cards: Iterable, topic: str | None = None) -> list[ExportCard]:
    """ExportCards from CardSpecs, filtered by topic, in a stable order (topic order, then input).

    Raises UsageError for an unknown topic or a topic without cards.
    """
    converted = [c if isinstance(c, ExportCard) else from_spec(c) for c in cards]
    if topic is not None:
        known = set(TOPICS) | {c.topic for c in converted}
        if topic not in known:
            raise UsageError(f"unknown topic {topic!r} (choose from {', '.join(TOPICS)})")
        converted = [c for c in converted if c.topic == topic]
        if not converted:
            hint = " (import notes first with `studyapp content import`)" if topic == "user" else ""
            raise UsageError(f"no cards for topic {topic!r}{hint}")
    order = {name: i for i, name in enumerate(TOPICS)}
    # sorted() is stable, so cards keep the content's order within a topic.
    return sorted(converted, key=lambda c: order.get(c.topic, len(order)))


def load_cards(topic: str | None = None) -> list[ExportCard]:
    """All cards of the study material (shipped + imported), optionally one topic."""
    from studyapp.core.cards import build_cards
    from studyapp.core.content import load_content

    return select(build_cards(load_content()), topic)


@dataclass(frozen=True)
class NotePlan:
    """One Anki note: ``card`` gives its GUID and first card; ``reverse`` is the explicit
    back->front card of a pair (None: a ``basic_reversed`` note mirrors ``card``)."""

    kind: str
    card: ExportCard
    reverse: ExportCard | None = None

    @property
    def cards(self) -> tuple[ExportCard, ...]:
        return (self.card,) if self.reverse is None else (self.card, self.reverse)


def _reversible(card: ExportCard) -> bool:
    return (
        card.template in REVERSIBLE_TEMPLATES
        and 0 < len(card.front) <= MAX_REVERSIBLE_CHARS
        and 0 < len(card.back) <= MAX_REVERSIBLE_CHARS
    )


def plan_notes(cards: Sequence[ExportCard], merge_pairs: bool = True) -> list[NotePlan]:
    """Group cards into Anki notes, in card order.

    * a cloze card -> a ``cloze`` note;
    * with ``merge_pairs``, a card of :data:`REVERSE_PAIRS` whose partner exists -> one
      ``basic_reversed`` note carrying both cards' wording (the partner is not a note of its own);
    * a short card of :data:`REVERSIBLE_TEMPLATES` with no explicit partner -> a mirrored
      ``basic_reversed`` note;
    * anything else -> ``basic``.

    Anki's stock "Basic (and reversed card)" (TSV) can only mirror, so TSV passes
    ``merge_pairs=False`` and keeps both cards of a pair as separate notes.
    """
    by_slot = {(c.entry_id, c.template): c for c in cards}
    partners = {v: k for k, v in REVERSE_PAIRS.items()}  # reverse template -> forward template
    plans: list[NotePlan] = []
    for card in cards:
        if card.cloze:
            plans.append(NotePlan(CLOZE, card))
            continue
        forward = partners.get(card.template)
        if merge_pairs and forward and (card.entry_id, forward) in by_slot:
            continue  # carried by its forward card's note
        reverse_template = REVERSE_PAIRS.get(card.template)
        reverse = by_slot.get((card.entry_id, reverse_template)) if reverse_template else None
        if reverse is not None and merge_pairs:
            plans.append(NotePlan(BASIC_REVERSED, card, reverse))
        elif reverse is None and _reversible(card):
            plans.append(NotePlan(BASIC_REVERSED, card))
        else:
            plans.append(NotePlan(BASIC, card))
    return plans


def check_unique(cards: Sequence[ExportCard]) -> None:
    """Two cards with one key would become one note in Anki; refuse rather than lose one."""
    seen: set[str] = set()
    for card in cards:
        if card.id in seen:
            raise DataError(f"duplicate card key {card.id!r} ({card.source})")
        seen.add(card.id)
