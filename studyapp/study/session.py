"""Study sessions: open the database with cards made from content, and run a review session.

:func:`open_study` is what every entry point (TUI, ``studyapp stats``) calls: it opens the
database and makes its cards match the current content (new entries get cards, edited entries
keep theirs, vanished entries leave orphaned cards with their history).

:class:`ReviewSession` is the review loop the UI drives, Anki style: show a card, reveal, rate
(saved before the next card is chosen), undo, suspend, bury, and a summary at the end. The clock
is injected (``clock()`` returns an aware UTC datetime) so whole months can be simulated in tests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from studyapp.core.clock import Clock, utc_now
from studyapp.core.scheduling import Rating, format_interval
from studyapp.core.session_summary import SessionSummary
from studyapp.storage import DB_NAME, CardRow, RecordedReview, Storage
from studyapp.storage.connection import can_write


def load_cardspecs() -> list:
    """Cards built from the shipped and imported content.

    Imported lazily (content loading is only needed when cards are synced). A ContentError
    (a DataError) propagates: broken content is reported, not silently turned into orphaned cards.
    """
    from studyapp.core.cards import build_cards
    from studyapp.core.content import load_content

    return list(build_cards(load_content()))


def content_stamp() -> str:
    """A fingerprint of what the cards are built from: the content files (names, sizes,
    modification times, the user's imported notes included), the code of ``studyapp.core`` that
    turns them into cards, and the version. Cheap (a few dozen ``stat`` calls), so that opening
    the database re-reads and re-builds all content only when one of them changed (a 16,000-row
    import takes seconds to parse and build)."""
    import studyapp
    from studyapp.core import content

    code = Path(content.__file__).parent
    parts = [studyapp.__version__, repr(content.content_signature())]
    for module in sorted(code.glob("*.py")):
        st = module.stat()
        parts.append(f"{module.name}:{st.st_mtime_ns}:{st.st_size}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def open_study(
    now: datetime | None = None,
    path: str | Path | None = None,
    *,
    tz: tzinfo | None = None,
    cardspecs: list | None = None,
    allow_read_only: bool = False,
) -> Storage:
    """Open the database (default ``data_dir()/studyapp.db``) and sync its cards with content.

    ``cardspecs`` overrides the content (tests); otherwise cards come from
    :func:`load_cardspecs`, and only when :func:`content_stamp` differs from the one stored at
    the last sync. With ``allow_read_only`` an existing database that cannot be written (a
    read-only file, folder or disk) is opened read-only, its cards as they were last synced.
    Raises DataError for an unusable database or broken content.
    """
    now = now or utc_now()
    if allow_read_only:
        from studyapp.paths import data_dir

        target = Path(path) if path is not None else data_dir(create=False) / DB_NAME
        if not can_write(target):
            return Storage.open(target, tz=tz, read_only=True)
    storage = Storage.open(path, tz=tz, now=now)
    try:
        if cardspecs is not None:
            storage.sync_cards(cardspecs, now=now)
        else:
            stamp = content_stamp()
            if storage.synced_stamp() != stamp:
                storage.sync_cards(load_cardspecs(), now=now, stamp=stamp)
    except BaseException:
        storage.close()
        raise
    return storage


@dataclass
class ReviewSession:
    """One sitting of reviews over a :class:`Storage`.

    Usage: ``card = s.current`` (None when done) -> ``s.reveal()`` -> ``s.rate(3)`` ... ``s.summary()``.
    ``button_labels()`` gives the interval each rating would give (shown on the buttons).
    """

    storage: Storage
    clock: Clock = utc_now
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
        self.current = self.storage.next_card(now)
        self.revealed = False
        self.shown_at = now

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

    def remaining(self) -> dict[str, int]:
        """Cards still to do today: {"new", "learning", "due"}."""
        return self.storage.totals(self.clock())

    def summary(self) -> SessionSummary:
        seconds = (self.clock() - self.started_at).total_seconds() if self.started_at else 0.0
        return SessionSummary.of((rec.outcome.rating for rec in self.history), seconds)


__all__ = ["open_study", "load_cardspecs", "ReviewSession"]
