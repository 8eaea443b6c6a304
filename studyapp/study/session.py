"""Study sessions: open the database with cards made from content, and run a review session.

:func:`open_study` is what every entry point (TUI, ``studyapp stats``) calls: it opens the
database and makes its cards match the current content (new entries get cards, edited entries
keep theirs, vanished entries leave orphaned cards with their history). Building the cards from
content takes a few hundred ms, so it is skipped when the content and the code that builds cards
are unchanged since the last sync (:func:`content_fingerprint`, stored in the database).

:class:`ReviewSession` is the review loop the UI drives, Anki style: show a card, reveal, rate
(saved before the next card is chosen), undo, suspend, bury, flag, counts per queue, and a
summary at the end. It studies a :class:`StudyScope`: the daily queue of one deck or of all decks,
or a fixed set of cards chosen by custom study. The clock is injected (``clock()`` returns an
aware UTC datetime) so whole months can be simulated in tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from studyapp.core import flags
from studyapp.core.clock import Clock, utc_now
from studyapp.core.scheduling import LEARN_AHEAD, Rating, State, format_interval
from studyapp.core.session_summary import SessionSummary, next_due_line
from studyapp.storage import DB_NAME, CardRow, RecordedReview, Storage
from studyapp.storage.connection import can_write

#: The three counts of a review session, in the order Anki shows them.
QUEUES = ("new", "learning", "review")
LEARNING = (State.Learning, State.Relearning)


def load_cardspecs() -> list:
    """Cards built from the shipped and imported content.

    Imported lazily (content loading is only needed when cards are synced). A ContentError
    (a DataError) propagates: broken content is reported, not silently turned into orphaned cards.
    """
    from studyapp.core.cards import build_cards
    from studyapp.core.content import load_content

    return list(build_cards(load_content()))


def _file_stats(folder: Path, suffix: str, recursive: bool = False) -> list[str]:
    """``path:size:mtime_ns`` of every file ending in ``suffix`` in ``folder`` (and its
    subfolders if ``recursive``), sorted; nothing for a missing folder. os.scandir, not pathlib:
    this runs before the first frame."""
    found: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir() and recursive:
            found += _file_stats(Path(entry.path), suffix, recursive)
        elif entry.name.endswith(suffix):
            st = entry.stat()
            found.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
    return sorted(found)


def content_fingerprint() -> str:
    """A fingerprint of what cards are built from: every content file (shipped and imported)
    and the code of ``studyapp.core`` that reads and renders them, each by path, size and
    modification time (stat only: about 1 ms). Any edit, install or upgrade changes it."""
    import hashlib

    from studyapp import __version__, paths

    core = Path(__file__).resolve().parent.parent / "core"
    sources = [
        __version__,
        *_file_stats(core, ".py", recursive=True),
        *_file_stats(paths.content_dir(), ".toml"),
        *_file_stats(paths.user_content_dir(), ".toml"),
    ]
    return hashlib.blake2b(";".join(sources).encode(), digest_size=16).hexdigest()


def open_storage(
    now: datetime | None = None, path: str | Path | None = None, *, tz: tzinfo | None = None
) -> tuple[Storage, bool]:
    """Open the database (default ``data_dir()/studyapp.db``) without building cards:
    (storage, whether its cards already match the current content). Raises DataError."""
    storage = Storage.open(path, tz=tz, now=now or utc_now())
    try:
        return storage, storage.synced_fingerprint() == content_fingerprint()
    except BaseException:
        storage.close()
        raise


def sync_with_content(storage: Storage, now: datetime | None = None) -> dict[str, int]:
    """Build the cards from content and make the database match (see Storage.sync_cards),
    remembering the content's fingerprint. Raises DataError (ContentError) for broken content."""
    fingerprint = content_fingerprint()
    return storage.sync_cards(load_cardspecs(), now=now or utc_now(), fingerprint=fingerprint)


def open_study(
    now: datetime | None = None,
    path: str | Path | None = None,
    *,
    tz: tzinfo | None = None,
    cardspecs: list | None = None,
    allow_read_only: bool = False,
) -> Storage:
    """Open the database (default ``data_dir()/studyapp.db``) with its cards matching content.

    ``cardspecs`` overrides the content (tests); otherwise cards come from
    :func:`load_cardspecs`, unless the content is unchanged since the last sync. With
    ``allow_read_only`` an existing database that cannot be written (a read-only file, folder or
    disk) is opened read-only, its cards as they were last synced. Raises DataError for an
    unusable database or broken content.
    """
    now = now or utc_now()
    if allow_read_only:
        from studyapp.paths import data_dir

        target = Path(path) if path is not None else data_dir(create=False) / DB_NAME
        if not can_write(target):
            return Storage.open(target, tz=tz, read_only=True)
    if cardspecs is not None:
        storage = Storage.open(path, tz=tz, now=now)
        synced = False
    else:
        storage, synced = open_storage(now, path, tz=tz)
    try:
        if cardspecs is not None:
            storage.sync_cards(cardspecs, now=now)
        elif not synced:
            sync_with_content(storage, now)
    except BaseException:
        storage.close()
        raise
    return storage


def queue_of(card: CardRow) -> str:
    """The count a card is in: ``new``, ``learning`` (learning and relearning) or ``review``."""
    if card.state == State.New:
        return "new"
    return "learning" if card.state in LEARNING else "review"


@dataclass(frozen=True)
class StudyScope:
    """What a session studies.

    ``keys`` None: the daily queue of deck ``topic`` (None: all decks), within the daily limits.
    Otherwise a fixed set of cards chosen by custom study, shown in the order of ``keys``; like
    Anki's filtered decks it ignores the daily limits, and a card stays in it until it leaves
    (re)learning, so a card rated Again comes back. ``title`` names the session on screen.
    """

    topic: str | None = None
    keys: tuple[str, ...] | None = None
    title: str = ""

    @property
    def custom(self) -> bool:
        return self.keys is not None


@dataclass
class ReviewSession:
    """One sitting of reviews over a :class:`Storage`.

    Usage: ``card = s.current`` (None when done) -> ``s.reveal()`` -> ``s.rate(3)`` ... ``s.summary()``.
    ``button_labels()`` gives the interval each rating would give (shown on the buttons), and
    ``counts()`` the new / learning / review cards left, the current one included (as Anki).
    """

    storage: Storage
    clock: Clock = utc_now
    scope: StudyScope = field(default_factory=StudyScope)
    current: CardRow | None = None
    revealed: bool = False
    shown_at: datetime | None = None
    started_at: datetime | None = None
    history: list[RecordedReview] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.started_at = self.clock()
        self._advance()

    def _advance(self) -> None:
        now = self.clock()
        if self.scope.custom:
            self.current = self._next_in_set(now)
        else:
            self.current = self.storage.next_card(now, self.scope.topic)
        self.revealed = False
        self.shown_at = now

    # -- a custom study set -------------------------------------------------------------------

    def _set_cards(self, now: datetime) -> tuple[list[CardRow], set[str]]:
        """The set's cards still in it and available now, in the set's order, and the keys
        answered in this session. A card leaves the set when a rating takes it to Review."""
        last = {rec.card.key: rec.card.state for rec in self.history}
        keys = self.scope.keys or ()
        by_key = self.storage.cards_by_keys(keys)
        cards = [by_key[k] for k in keys if k in by_key and last.get(k) != State.Review]
        live = [c for c in cards if not (c.suspended or c.orphaned or c.is_buried(now))]
        return live, set(last)

    def _next_in_set(self, now: datetime) -> CardRow | None:
        """Learning cards of the set that are due, then the cards not answered yet, then
        learning cards due within the learn-ahead limit (Anki's order)."""
        cards, answered = self._set_cards(now)
        waiting = sorted(
            (c for c in cards if c.key in answered and c.state in LEARNING), key=lambda c: c.due
        )
        if waiting and waiting[0].due <= now:
            return waiting[0]
        fresh = next((c for c in cards if c.key not in answered), None)
        if fresh is not None:
            return fresh
        if waiting and waiting[0].due <= now + LEARN_AHEAD:
            return waiting[0]
        return None

    # -- the loop ------------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.current is None

    def refresh(self) -> CardRow | None:
        """Look again for a card (learning cards come due while the user waits)."""
        if self.current is None:
            self._advance()
        return self.current

    def reveal(self) -> None:
        self.revealed = True

    def intervals(self) -> dict[Rating, timedelta]:
        """The interval each rating would give the current card now."""
        if self.current is None:
            return {}
        return self.storage.preview_intervals(self.current.key, self.clock())

    def button_labels(self) -> dict[Rating, str]:
        """{rating: "10m" / "3d" ...} for the current card, as Anki shows above its buttons."""
        return {r: format_interval(d) for r, d in self.intervals().items()}

    def rate(self, rating: Rating | int) -> RecordedReview:
        """Save the rating of the current card (committed before returning), then move on."""
        if self.current is None:
            raise RuntimeError("no card to rate: the session is finished")
        now = self.clock()
        took = (now - self.shown_at).total_seconds() if self.shown_at else None
        # Anki caps the time counted per card (60 s) so a walk away does not skew the stats.
        took = None if took is None else max(0.0, min(took, 60.0))
        recorded = self.storage.record_review(self.current.key, rating, now, took)
        self.history.append(recorded)
        self._advance()
        return recorded

    def undo(self) -> CardRow | None:
        """Undo the last rating of this session: the card comes back, revealed state reset."""
        if not self.history:
            return None
        self.history.pop()
        card = self.storage.undo_last_review()
        if card is not None:
            self.current = card
            self.revealed = False
            self.shown_at = self.clock()
        return card

    def suspend(self) -> None:
        if self.current is not None:
            self.storage.suspend(self.current.key)
            self._advance()

    def bury(self) -> None:
        if self.current is not None:
            self.storage.bury(self.current.key, self.clock())
            self._advance()

    def flag(self, wanted: int) -> int:
        """Set flag ``wanted`` (1-4) on the current card, or take it off if the card has it
        already (Anki); returns the card's flag now. The card stays on screen."""
        if self.current is None:
            return 0
        new = flags.toggled(self.current.flag, wanted)
        revealed = self.revealed
        self.current = self.storage.set_flag(self.current.key, new)
        self.revealed = revealed
        return new

    # -- what is left ----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Cards left now: {"new", "learning", "review"}, the card on screen included; learning
        cards count once due within the learn-ahead limit, so the numbers move as cards do."""
        now = self.clock()
        if not self.scope.custom:
            t = self.storage.totals(now, self.scope.topic)
            return {"new": t["new"], "learning": t["learning"], "review": t["due"]}
        cards, answered = self._set_cards(now)
        counts = dict.fromkeys(QUEUES, 0)
        for card in cards:
            if card.key not in answered:
                counts[queue_of(card)] += 1
            elif card.state in LEARNING and card.due <= now + LEARN_AHEAD:
                counts["learning"] += 1
        return counts

    def next_due(self) -> str:
        """When the next card of this scope comes: ``next card in 9 min`` or ``tomorrow: 23 due
        (18 reviews, 5 new)`` (a custom set's own learning cards first)."""
        now = self.clock()
        _, end = self.storage.day_bounds(now)
        if self.scope.custom:
            cards, answered = self._set_cards(now)
            waiting = [c.due for c in cards if c.key in answered and c.state in LEARNING]
            if waiting and min(waiting) < end:
                return next_due_line(now, end, min(waiting), 0, 0)
        o = self.storage.outlook(now, self.scope.topic)
        return next_due_line(now, end, o.next_learning, o.tomorrow_due, o.tomorrow_new)

    def summary(self) -> SessionSummary:
        seconds = (self.clock() - self.started_at).total_seconds() if self.started_at else 0.0
        return SessionSummary.of((rec.outcome.rating for rec in self.history), seconds)


__all__ = [
    "QUEUES",
    "ReviewSession",
    "StudyScope",
    "content_fingerprint",
    "load_cardspecs",
    "open_storage",
    "open_study",
    "queue_of",
    "sync_with_content",
]
