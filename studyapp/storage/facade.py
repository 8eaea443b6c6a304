"""The study history in one SQLite database: cards, the append-only review log, quiz and exercise
attempts, settings. :class:`Storage` is the one object callers use; its methods hold the lock and
the transactions and delegate the SQL to the modules of this package.

Guarantees (the study history is the user's most valuable data):

- WAL journal, ``synchronous=FULL``, foreign keys on. Every review is one ``BEGIN IMMEDIATE`` ...
  ``COMMIT`` transaction that has finished before :meth:`Storage.record_review` returns, so a
  review the UI acknowledged survives the process being killed.
- Schema migrations are keyed by ``PRAGMA user_version``; each runs in its own transaction together
  with the version bump, so a crash mid-migration leaves the previous version intact.
- Cards are never deleted (a trigger forbids it): a card whose content entry disappeared is marked
  ``orphaned`` and keeps its history. Review-log rows are never updated, and only the latest one may
  be deleted (that is what undo does); triggers enforce both.
- Once a day, on open, the database is checked (``PRAGMA quick_check``) and copied to
  ``backups/`` (the last 7 are kept). A database that is corrupt, locked or from a newer version
  raises :class:`~studyapp.errors.DataError` with one line naming the file; it is never deleted or
  overwritten.

Times are stored as INTEGER milliseconds since the Unix epoch (UTC) so range queries are cheap.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from studyapp.core import scheduling as sch
from studyapp.core.clock import utc_now
from studyapp.core.revlog import LoggedReview
from studyapp.core.scheduling import Rating, Settings
from studyapp.errors import DataError, UsageError
from studyapp.storage import (
    attempts,
    backups,
    cards,
    connection,
    queue,
    reviews,
    schema,
    search,
    stats_queries,
)
from studyapp.storage import settings as stored_settings
from studyapp.storage.errors import backup_error, data_error, guarded
from studyapp.storage.rows import (
    CARD_BY_KEY,
    SELECT_CARDS,
    CardRow,
    RecordedReview,
    card_from_row,
    from_ms,
    to_ms,
)

ALL_CARDS = f"{SELECT_CARDS} ORDER BY id"
SYNCED_FINGERPRINT = "synced_content_fingerprint"
LIVE_CARDS = f"{SELECT_CARDS} WHERE orphaned = 0 ORDER BY id"


class Storage:
    """The open database. Thread-safe (one lock); open with :meth:`Storage.open`."""

    SEARCH_HELP = search.SEARCH_HELP

    def __init__(self, conn: sqlite3.Connection, path: Path, tz: tzinfo | None = None):
        self._conn = conn
        self.path = path
        self.tz = tz  # None = the machine's local time zone (study days follow the user's clock)
        self._lock = threading.RLock()
        self._settings: Settings | None = None
        self.read_only = False  # opened with read_only=True: every write raises DataError
        self._writers = connection.write_lock(path)  # shared by this process's connections

    # -- opening -----------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        tz: tzinfo | None = None,
        backup: bool = True,
        now: datetime | None = None,
        busy_timeout_s: float = 2.0,
        read_only: bool = False,
    ) -> Storage:
        """Open (creating or upgrading if needed) the database at ``path``.

        Default path: ``data_dir()/studyapp.db``. Every open of an existing file checks it
        (``PRAGMA quick_check``: a damaged page is noticed now, not at the next backup). Raises
        DataError (one line naming the file) if the file is corrupt, locked, or was written by a
        newer studyapp. ``backup`` makes the daily copy.

        ``read_only`` opens an existing database for reading only (``mode=ro``: a read-only file
        or data directory is fine): no backup, no upgrade, and any write raises DataError.
        """
        if read_only:
            return cls._open_read_only(connection.database_path(path, create=False), tz)
        path = connection.database_path(path)
        existed = path.exists() and path.stat().st_size > 0
        connection.check_writable(path)
        conn = connection.connect(path, busy_timeout_s)
        with _closed_on_error(conn, path):
            version = schema.check_version(conn, path, existed)
            if version > 0:
                connection.check_sound(conn)
            connection.configure(conn)
            store = cls(conn, path, tz)
            if backup and version > 0:
                store._daily_backup(now or utc_now())
            store._migrate(version)
        return store

    @classmethod
    def _open_read_only(cls, path: Path, tz: tzinfo | None) -> Storage:
        conn = connection.connect_read_only(path)
        with _closed_on_error(conn, path):
            version = schema.check_version(conn, path, True)
            connection.check_sound(conn)
            if version < schema.SCHEMA_VERSION and connection.can_write(path):
                # an older schema is upgraded once (that is a write), then read as asked
                conn.close()
                cls.open(path, backup=False).close()
                return cls._open_read_only(path, tz)
            if version != schema.SCHEMA_VERSION:
                raise DataError(
                    f"{path}: the database has schema v{version} and this studyapp needs "
                    f"v{schema.SCHEMA_VERSION}, but it can only be read (read-only); open it "
                    "once where it can be written, to upgrade it"
                )
        store = cls(conn, path, tz)
        store.read_only = True
        return store

    def _migrate(self, version: int, target: int = schema.SCHEMA_VERSION) -> None:
        schema.migrate(self._conn, version, self._transaction, target)

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error), under the lock."""
        return connection.transaction(self._conn, self._lock, self._writers)

    def _daily_backup(self, now: datetime) -> Path | None:
        """Copy the database to backups/<name>-YYYY-MM-DD.db once per local day; keep the last 7."""
        day = now.astimezone(self.tz).date() if self.tz else now.astimezone().date()
        return backups.daily_backup(self._conn, self.path, day)

    def close(self) -> None:
        with self._lock:
            connection.close(self._conn)

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return schema.user_version(self._conn)

    # -- settings ----------------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = stored_settings.load_settings(self._conn)
        return self._settings

    @guarded
    def get_settings(self) -> dict:
        """All settings with defaults filled in (see :class:`~studyapp.core.scheduling.Settings`)."""
        return self.settings.to_dict()

    @guarded
    def save_settings(self, values: dict) -> dict:
        """Validate and store the given settings (others unchanged); returns all settings.

        Raises UsageError (one line) for an unknown name or a bad value.
        """
        new = stored_settings.merged_settings(self.settings, values)
        with self._transaction() as c:
            stored_settings.write_settings(c, new, values)
        self._settings = new
        return new.to_dict()

    # -- study days --------------------------------------------------------------------------------

    def day_bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """(start, end) in UTC of the study day containing ``now`` (day starts at the rollover hour)."""
        return sch.day_bounds(now, self.settings, self.tz)

    def study_day(self, now: datetime) -> date:
        return sch.study_day(now, self.settings, self.tz)

    # -- cards -------------------------------------------------------------------------------------

    @guarded
    def sync_cards(
        self, cardspecs: Iterable[Any], now: datetime | None = None, fingerprint: str | None = None
    ) -> dict[str, int]:
        """Make the cards match content: add new keys, update edited text, orphan vanished keys.

        ``cardspecs``: objects with attributes key, entry_id, template, topic, deck, front, back,
        tags (e.g. :class:`studyapp.core.cards.CardSpec`). A card's identity is its key, so an
        edited entry keeps its card and history; a key seen again is un-orphaned. The first spec of
        a duplicated key wins. Returns counts {"added", "updated", "orphaned", "restored"}.
        ``fingerprint`` (of the content the specs were built from) is stored with the cards, so
        the next start can skip building them when it is unchanged (:meth:`synced_fingerprint`).
        """
        now_ms = to_ms(now or utc_now())
        plan = cards.plan_sync(cards.stored_content(self._conn), cardspecs, now_ms)
        if not plan.empty or fingerprint is not None:
            with self._transaction() as c:
                if not plan.empty:
                    cards.apply_sync(c, plan)
                if fingerprint is not None:
                    c.execute(cards.SET_META, (SYNCED_FINGERPRINT, fingerprint))
        return plan.counts()

    @guarded
    def synced_fingerprint(self) -> str | None:
        """The content fingerprint given to the last :meth:`sync_cards` (None if never given)."""
        r = self._conn.execute(cards.GET_META, (SYNCED_FINGERPRINT,)).fetchone()
        return None if r is None else r[0]

    @guarded
    def get_card(self, key: str) -> CardRow | None:
        r = self._conn.execute(CARD_BY_KEY, (key,)).fetchone()
        return card_from_row(r) if r else None

    def _card_or_error(self, key: str) -> CardRow:
        card = self.get_card(key)
        if card is None:
            raise UsageError(f"no card with key {key!r}")
        return card

    @guarded
    def all_cards(self, include_orphaned: bool = False) -> list[CardRow]:
        sql = ALL_CARDS if include_orphaned else LIVE_CARDS
        return [card_from_row(r) for r in self._conn.execute(sql)]

    # -- the queue ---------------------------------------------------------------------------------

    @guarded
    def next_card(self, now: datetime, topic: str | None = None) -> CardRow | None:
        """The card to show now from deck ``topic`` (None: all decks), in Anki's order (see
        :func:`scheduling.queue_order`), or None.

        New cards come after the day's reviews and alternate between topics (content order within
        a topic). Respects the daily limits as Anki's v3 scheduler does (see
        :mod:`studyapp.storage.queue`), skips suspended, orphaned and buried cards (siblings of a
        card reviewed today are buried).
        """
        return queue.next_card(self._conn, self.settings, now, self.day_bounds(now), topic)

    @guarded
    def counts(self, now: datetime) -> dict[str, dict[str, int]]:
        """Per topic: {"new": new cards available today, "learning": in (re)learning and due within
        the learn-ahead limit, "due": review cards due today}, new and due capped by what the
        deck's own limits still allow: what studying that deck alone would show.

        Every topic that has a live card appears (with zeros if nothing is due). For all decks
        together use :meth:`totals` (their limit applies on top, so the rows do not add up).
        """
        return queue.counts_by_topic(self._conn, self.settings, now, self.day_bounds(now))

    @guarded
    def totals(self, now: datetime, topic: str | None = None) -> dict[str, int]:
        """{"new", "learning", "due"} for today, of deck ``topic`` or of all decks (None), within
        the limits that studying it applies."""
        return queue.totals(self._conn, self.settings, now, self.day_bounds(now), topic)

    @guarded
    def extend_limits(
        self, now: datetime, topic: str | None = None, new: int = 0, review: int = 0
    ) -> dict[str, int]:
        """Raise today's limits of deck ``topic`` (None: all decks) by ``new`` and ``review``
        cards (custom study); returns the new :meth:`totals` of that deck."""
        if new < 0 or review < 0 or new > 10_000 or review > 10_000:
            raise UsageError("extra cards must be a whole number between 0 and 10000")
        start, _end = self.day_bounds(now)
        with self._transaction() as c:
            queue.extend_limits(c, start, topic, new, review)
        return self.totals(now, topic)

    @guarded
    def outlook(self, now: datetime, topic: str | None = None) -> queue.Outlook:
        """When the next learning card of deck ``topic`` (None: all) comes due, and what the
        next study day brings (studied cards due, new cards within the limit)."""
        day = self.day_bounds(now)
        _, next_end = self.day_bounds(day[1])
        return queue.outlook(self._conn, self.settings, day, next_end, topic)

    @guarded
    def due_ahead(
        self, now: datetime, days: int, topic: str | None = None, limit: int = 1000
    ) -> list[CardRow]:
        """Review cards of deck ``topic`` (None: all) due in the next ``days`` study days after
        today, soonest first (custom study's "review ahead")."""
        day = self.day_bounds(now)
        until = sch.day_start(
            self.study_day(now) + timedelta(days=days + 1), self.settings, self.tz
        )
        return queue.due_ahead(self._conn, now, day, until, topic, limit)

    @guarded
    def cards_by_keys(self, keys: Iterable[str]) -> dict[str, CardRow]:
        """{key: card} for those of ``keys`` that exist (orphaned ones included)."""
        return queue.cards_by_keys(self._conn, list(keys))

    # -- reviews -----------------------------------------------------------------------------------

    @guarded
    def preview_intervals(self, card_key: str, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give this card now (exactly what rating will do)."""
        card = self._card_or_error(card_key)
        return sch.preview_intervals(card.card_state, now, self.settings, card.key)

    @guarded
    def record_review(
        self, card_key: str, rating: Rating | int, now: datetime, duration_s: float | None = None
    ) -> RecordedReview:
        """Rate a card and commit, in one transaction, before returning.

        Appends the log row (time, rating, duration, state before and after), updates the card,
        buries its siblings (same entry) until the next study day, and on the leech threshold tags
        and suspends it. Raises UsageError for an unknown key or a rating outside 1-4.
        """
        parsed = reviews.parse_rating(rating)
        settings = self.settings
        _, end = self.day_bounds(now)
        with self._transaction() as c:
            return reviews.record(c, card_key, parsed, now, end, duration_s, settings)

    @guarded
    def undo_last_review(self) -> CardRow | None:
        """Undo the latest review: restore the card (and its buried siblings) exactly as they were
        and delete that log row. Returns the restored card, or None if there is nothing to undo."""
        with self._transaction() as c:
            return reviews.undo_latest(c)

    @guarded
    def card_history(self, key: str) -> list[dict]:
        """The card's reviews, oldest first: reviewed_at (UTC datetime), rating (1-4), duration_s,
        state_before / state_after (names), interval_days (due after - review time, days),
        stability and difficulty after."""
        return reviews.history(self._conn, self._card_or_error(key).id)

    @guarded
    def review_log(self) -> list[LoggedReview]:
        """The whole review log (orphaned cards' reviews too), by card then time: what the
        FSRS optimizer fits to and ``studyapp export --format revlog`` writes."""
        return reviews.whole_log(self._conn)

    # -- flags -------------------------------------------------------------------------------------

    def _set_flag(self, key: str, sql: str, params: tuple = ()) -> CardRow:
        with self._transaction() as c:
            if c.execute(sql, (*params, key)).rowcount == 0:
                raise UsageError(f"no card with key {key!r}")
        return self._card_or_error(key)

    @guarded
    def suspend(self, key: str) -> CardRow:
        """Take a card out of review until it is unsuspended."""
        return self._set_flag(key, cards.SUSPEND)

    @guarded
    def unsuspend(self, key: str) -> CardRow:
        return self._set_flag(key, cards.UNSUSPEND)

    @guarded
    def bury(self, key: str, now: datetime) -> CardRow:
        """Hide a card until the next study day starts."""
        _, end = self.day_bounds(now)
        return self._set_flag(key, cards.BURY_UNTIL, (to_ms(end),))

    @guarded
    def unbury(self, key: str) -> CardRow:
        return self._set_flag(key, cards.UNBURY)

    @guarded
    def set_flag(self, key: str, flag: int) -> CardRow:
        """Flag a card as Anki does: 1 red, 2 orange, 3 green, 4 blue, 0 takes the flag off."""
        if isinstance(flag, bool) or flag not in (0, 1, 2, 3, 4):
            raise UsageError(
                f"flag must be 0 (none) or 1-4 (red, orange, green, blue), not {flag!r}"
            )
        return self._set_flag(key, cards.SET_FLAG, (int(flag),))

    # -- browsing ----------------------------------------------------------------------------------

    @guarded
    def search_cards(
        self, query: str = "", now: datetime | None = None, limit: int | None = None
    ) -> list[CardRow]:
        """Cards matching every term of ``query`` (see :attr:`SEARCH_HELP`), in content order.

        Orphaned cards are left out unless ``is:orphaned`` is asked for. Raises UsageError for an
        unknown ``is:`` or ``name:`` filter.
        """
        now = now or utc_now()
        _, end = self.day_bounds(now)
        found = search.search_sql(query, to_ms(now), to_ms(end))
        sql = f"{SELECT_CARDS} WHERE {found.where} ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [card_from_row(r) for r in self._conn.execute(sql, found.params)]

    # -- quiz and exercise attempts ----------------------------------------------------------------

    @guarded
    def record_attempt(
        self,
        kind: str,
        question_id: str,
        topic: str,
        correct: bool,
        seconds: float | None,
        step: str | None = None,
        *,
        hints: int = 0,
        revealed: bool = False,
        now: datetime | None = None,
    ) -> int:
        """Store one answered quiz question or exercise step; returns the attempt id.

        kind: "quiz" or "exercise"; step: the exercise step type (e.g. "delta_hidden") or None;
        seconds: time taken; hints: hints used; revealed: the answer was revealed.
        """
        attempts.check_kind(kind)
        at = now or utc_now()
        with self._transaction() as c:
            return attempts.insert_attempt(
                c, kind, question_id, topic, correct, seconds, step, hints, revealed, at
            )

    @guarded
    def topic_accuracy(
        self, kind: str | None = None, since: datetime | None = None
    ) -> dict[str, tuple[int, int]]:
        """{topic: (correct, total)} over attempts (of one kind if given, since a time if given)."""
        return attempts.accuracy_by_topic(self._conn, kind, since)

    @guarded
    def step_accuracy(self, since: datetime | None = None) -> dict[str, tuple[int, int]]:
        """{exercise step type: (correct, total)}."""
        return attempts.accuracy_by_step(self._conn, since)

    # -- raw queries for stats ---------------------------------------------------------------------

    @guarded
    def review_times(self, since: datetime | None = None) -> list[int]:
        """reviewed_at (ms) of every review since ``since`` (all if None), oldest first."""
        return stats_queries.review_times(self._conn, None if since is None else to_ms(since))

    @guarded
    def review_counts_between(self, edges_ms: list[int]) -> list[int]:
        """Reviews in each [edges[i], edges[i+1]) interval (ms, ascending): len(edges) - 1 counts."""
        return stats_queries.review_counts_between(self._conn, edges_ms)

    @guarded
    def studied_between(self, start_ms: int, end_ms: int) -> bool:
        """Whether any review or quiz/exercise attempt happened in [start, end) (UTC ms)."""
        return stats_queries.studied_between(self._conn, start_ms, end_ms)

    @guarded
    def attempt_times(self) -> list[int]:
        return stats_queries.column(self._conn, stats_queries.ATTEMPT_TIMES)

    @guarded
    def due_times(self) -> list[int]:
        """due (ms) of every live card that has been studied (not new, suspended or orphaned)."""
        return stats_queries.column(self._conn, stats_queries.DUE_TIMES)

    @guarded
    def review_retention(self, since: datetime, until: datetime | None = None) -> tuple[int, int]:
        """(passed, total) reviews of cards in the Review state in [since, until) (rating >= Hard passes)."""
        until_ms = None if until is None else to_ms(until)
        return stats_queries.review_retention(self._conn, to_ms(since), until_ms)

    @guarded
    def review_state(self) -> tuple[int, datetime | None]:
        """(cards in the Review state, the earliest due of them) over live unsuspended cards."""
        count, first_due = stats_queries.review_state(self._conn)
        return count, from_ms(first_due)

    @guarded
    def review_count(self, since: datetime | None = None) -> int:
        return stats_queries.review_count(self._conn, None if since is None else to_ms(since))

    @guarded
    def card_count(self) -> dict[str, int]:
        """{"total", "new", "suspended", "leech", "orphaned"} over cards (total excludes orphans)."""
        return stats_queries.card_count(self._conn)

    @guarded
    def leeches(self) -> list[CardRow]:
        return stats_queries.leeches(self._conn)

    @guarded
    def integrity_check(self) -> str:
        """``PRAGMA integrity_check`` result ("ok" when the file is sound)."""
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0]


@contextlib.contextmanager
def _closed_on_error(conn: sqlite3.Connection, path: Path) -> Iterator[None]:
    """While opening: on any error close the connection, and report it as one DataError line."""
    try:
        yield
    except DataError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise data_error(path, exc) from None
    except OSError as exc:  # the daily backup could not be written (permissions, disk full)
        conn.close()
        raise backup_error(path, exc) from None


__all__ = ["Storage"]
