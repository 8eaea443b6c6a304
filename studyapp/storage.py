"""The study history in one SQLite database: cards, the append-only review log, quiz and exercise
attempts, settings.

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
import functools
import json
import shlex
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from studyapp.core import scheduling as sch
from studyapp.core.scheduling import CardState, Rating, ReviewOutcome, Settings, State
from studyapp.errors import DataError, UsageError

DB_NAME = "studyapp.db"
BACKUPS_DIR = "backups"
BACKUPS_KEPT = 7

# ---- schema ---------------------------------------------------------------------------------------
# Each migration is a list of statements run in one transaction with `PRAGMA user_version = N`.
# Never edit a released migration: add a new one (tests/test_storage_migrations.py keeps a frozen
# copy of v1 and checks that it upgrades).

MIGRATION_1 = [
    """CREATE TABLE cards (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        entry_id TEXT NOT NULL,
        template TEXT NOT NULL,
        topic TEXT NOT NULL,
        deck TEXT NOT NULL,
        front TEXT NOT NULL,
        back TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        state INTEGER NOT NULL DEFAULT 0,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due INTEGER NOT NULL,
        last_review INTEGER,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL
    )""",
    """CREATE TABLE review_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        card_id INTEGER NOT NULL REFERENCES cards(id),
        reviewed_at INTEGER NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        duration_ms INTEGER,
        state_before TEXT NOT NULL,
        state_after TEXT NOT NULL
    )""",
    "CREATE INDEX review_log_time ON review_log(reviewed_at)",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

MIGRATION_2 = [
    # Anki habits and orphans.
    "ALTER TABLE cards ADD COLUMN buried_until INTEGER",
    "ALTER TABLE cards ADD COLUMN leech INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cards ADD COLUMN orphaned INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cards ADD COLUMN updated INTEGER",
    # Denormalised columns of the log so the daily-limit and stats queries need no JSON parsing.
    "ALTER TABLE review_log ADD COLUMN queue INTEGER",
    "ALTER TABLE review_log ADD COLUMN due_after INTEGER",
    "ALTER TABLE review_log ADD COLUMN undo TEXT",
    "UPDATE review_log SET queue = json_extract(state_before, '$.state'),"
    " due_after = json_extract(state_after, '$.due')",
    "UPDATE cards SET updated = created",
    """CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('quiz', 'exercise')),
        question_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        step TEXT,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        seconds REAL,
        hints INTEGER NOT NULL DEFAULT 0,
        revealed INTEGER NOT NULL DEFAULT 0,
        at INTEGER NOT NULL
    )""",
    "CREATE INDEX attempts_topic ON attempts(topic)",
    "CREATE INDEX attempts_step ON attempts(step) WHERE step IS NOT NULL",
    "CREATE INDEX review_log_card ON review_log(card_id, id)",
    "CREATE INDEX cards_queue ON cards(state, due) WHERE suspended = 0 AND orphaned = 0",
    "CREATE INDEX cards_entry ON cards(entry_id)",
    """CREATE TRIGGER review_log_append_only BEFORE UPDATE ON review_log
       BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
    """CREATE TRIGGER review_log_undo_last_only BEFORE DELETE ON review_log
       WHEN old.id <> (SELECT max(id) FROM review_log)
       BEGIN SELECT RAISE(ABORT, 'only the latest review can be undone'); END""",
    """CREATE TRIGGER cards_never_deleted BEFORE DELETE ON cards
       BEGIN SELECT RAISE(ABORT, 'cards are never deleted (they become orphaned)'); END""",
]

# Position of a card within its topic (content order), so the new-card queue can mix topics
# round-robin through an index instead of ranking every card on every call.
_RANK_NEW_CARDS = (
    "UPDATE cards SET new_rank = (SELECT r.rn FROM (SELECT id AS rid, row_number() OVER"
    " (PARTITION BY topic ORDER BY id) AS rn FROM cards) AS r WHERE r.rid = cards.id)"
)

MIGRATION_3 = [
    "ALTER TABLE cards ADD COLUMN new_rank INTEGER NOT NULL DEFAULT 0",
    _RANK_NEW_CARDS,
    "CREATE INDEX cards_new ON cards(new_rank, id) WHERE state = 0 AND suspended = 0 AND orphaned = 0",
    "CREATE INDEX attempts_time ON attempts(at)",  # the streak looks up days of attempts too
]

MIGRATIONS: list[list[str]] = [MIGRATION_1, MIGRATION_2, MIGRATION_3]
SCHEMA_VERSION = len(MIGRATIONS)


# ---- time helpers --------------------------------------------------------------------------------


def to_ms(dt: datetime) -> int:
    """UTC milliseconds since the epoch of an aware datetime."""
    if dt.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return int(round(dt.timestamp() * 1000))


def from_ms(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, tz=UTC)


def _utcnow() -> datetime:
    return datetime.now(UTC)


# ---- rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardRow:
    """One card as stored: content fields, scheduling state and flags.

    ``tags`` are the content tags plus ``leech`` when the card is a leech. Times are UTC datetimes.
    """

    id: int
    key: str
    entry_id: str
    template: str
    topic: str
    deck: str
    front: str
    back: str
    tags: list[str]
    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    leech: bool
    orphaned: bool
    buried_until: datetime | None
    created: datetime = field(compare=False)

    @property
    def card_state(self) -> CardState:
        return CardState(
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
            reps=self.reps,
            lapses=self.lapses,
        )

    def is_buried(self, now: datetime) -> bool:
        return self.buried_until is not None and self.buried_until > now

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "entry_id": self.entry_id,
            "template": self.template,
            "topic": self.topic,
            "deck": self.deck,
            "front": self.front,
            "back": self.back,
            "tags": list(self.tags),
            "state": self.state.name.lower(),
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "leech": self.leech,
            "orphaned": self.orphaned,
        }


@dataclass(frozen=True)
class RecordedReview:
    """The result of :meth:`Storage.record_review`: the committed log row id and the card after."""

    log_id: int
    card: CardRow
    outcome: ReviewOutcome


_CARD_COLUMNS = (
    "id, key, entry_id, template, topic, deck, front, back, tags, state, step, stability, difficulty,"
    " due, last_review, reps, lapses, suspended, leech, orphaned, buried_until, created"
)


def _card_from_row(r: sqlite3.Row) -> CardRow:
    tags = json.loads(r["tags"] or "[]")
    if r["leech"] and "leech" not in tags:
        tags = [*tags, "leech"]
    return CardRow(
        id=r["id"],
        key=r["key"],
        entry_id=r["entry_id"],
        template=r["template"],
        topic=r["topic"],
        deck=r["deck"],
        front=r["front"],
        back=r["back"],
        tags=tags,
        state=State(r["state"]),
        step=r["step"],
        stability=r["stability"],
        difficulty=r["difficulty"],
        due=from_ms(r["due"]),
        last_review=from_ms(r["last_review"]),
        reps=r["reps"],
        lapses=r["lapses"],
        suspended=bool(r["suspended"]),
        leech=bool(r["leech"]),
        orphaned=bool(r["orphaned"]),
        buried_until=from_ms(r["buried_until"]),
        created=from_ms(r["created"]),
    )


def _snapshot(r: sqlite3.Row | CardRow) -> dict:
    """Everything undo must restore about a card, JSON-ready (times in ms)."""
    g = (lambda k: getattr(r, k)) if isinstance(r, CardRow) else (lambda k: r[k])

    def ms(v):
        return to_ms(v) if isinstance(v, datetime) else v

    return {
        "state": int(g("state")),
        "step": g("step"),
        "stability": g("stability"),
        "difficulty": g("difficulty"),
        "due": ms(g("due")),
        "last_review": ms(g("last_review")),
        "reps": g("reps"),
        "lapses": g("lapses"),
        "suspended": int(g("suspended")),
        "leech": int(g("leech")),
        "buried_until": ms(g("buried_until")),
    }


# ---- errors --------------------------------------------------------------------------------------


def _data_error(path: Path, exc: BaseException) -> DataError:
    """One line naming the file, what is wrong and what to do."""
    msg = str(exc)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return DataError(
            f"{path}: database is locked by another program (is studyapp already "
            "running?); close it and try again"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low or "disk image" in low:
        backups = path.parent / BACKUPS_DIR
        remedy = (
            f"move it away or restore a copy from {backups}"
            if backups.is_dir()
            else "move it away (studyapp then starts a new one)"
        )
        return DataError(
            f"{path}: database is corrupt or not a studyapp database; it was left "
            f"untouched: {remedy}"
        )
    if "readonly" in low or "read-only" in low or "unable to open" in low or "permission" in low:
        return DataError(
            f"{path}: cannot write the database ({msg}); check the file's permissions "
            "or set STUDYAPP_DATA_DIR"
        )
    return DataError(f"{path}: database error: {msg}")


def _guarded(method):
    """Turn sqlite errors inside a public method into a one-line DataError naming the file."""

    @functools.wraps(method)
    def wrapper(self: Storage, *args, **kwargs):
        try:
            with self._lock:
                return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise _data_error(self.path, exc) from None

    return wrapper


# ---- storage -------------------------------------------------------------------------------------


class Storage:
    """The open database. Thread-safe (one lock); open with :meth:`Storage.open`."""

    def __init__(self, conn: sqlite3.Connection, path: Path, tz: tzinfo | None = None):
        self._conn = conn
        self.path = path
        self.tz = tz  # None = the machine's local time zone (study days follow the user's clock)
        self._lock = threading.RLock()
        self._settings: Settings | None = None

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
    ) -> Storage:
        """Open (creating or upgrading if needed) the database at ``path``.

        Default path: ``data_dir()/studyapp.db``. Raises DataError (one line naming the file) if the
        file is corrupt, locked, or was written by a newer studyapp. ``backup`` makes the daily copy.
        """
        if path is None:
            from studyapp.paths import data_dir

            path = data_dir() / DB_NAME
        path = Path(path)
        if path.is_dir():
            raise DataError(f"{path}: is a directory, not a database")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataError(
                f"{path.parent}: cannot create the data directory ({exc.strerror})"
            ) from None
        existed = path.exists() and path.stat().st_size > 0
        try:
            conn = sqlite3.connect(
                str(path), timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise _data_error(path, exc) from None
        conn.row_factory = sqlite3.Row
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if version > SCHEMA_VERSION:
                raise DataError(
                    f"{path}: database was written by a newer studyapp (schema v{version}, this "
                    f"version knows v{SCHEMA_VERSION}); upgrade studyapp or set STUDYAPP_DATA_DIR "
                    "to another directory"
                )
            if version > 0 or existed:
                # A file that is not ours (a database with other tables and no version) is refused.
                tables = {
                    r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                if version == 0 and tables:
                    raise DataError(
                        f"{path}: is not a studyapp database (unknown tables); it was "
                        "left untouched: move it away or set STUDYAPP_DATA_DIR"
                    )
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"cannot switch to WAL journal (got {mode})")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=FULL")  # a committed review survives power loss too
            store = cls(conn, path, tz)
            if backup and version > 0:
                store._daily_backup(now or _utcnow())
            store._migrate(version)
        except DataError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _data_error(path, exc) from None
        except OSError as exc:  # the daily backup could not be written (permissions, disk full)
            conn.close()
            raise DataError(
                f"{path.parent / BACKUPS_DIR}: cannot write the daily backup "
                f"({exc.strerror or exc}); free some space or fix the permissions"
            ) from None
        return store

    def _migrate(self, version: int, target: int = SCHEMA_VERSION) -> None:
        for number in range(version + 1, target + 1):
            with self._transaction():
                current = self._conn.execute("PRAGMA user_version").fetchone()[0]
                if current >= number:  # another process migrated meanwhile
                    continue
                for statement in MIGRATIONS[number - 1]:
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {number}")

    @contextlib.contextmanager
    def _transaction(self):
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error); the write lock is taken up front so
        two writers never deadlock half-way through."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                # Also when COMMIT itself fails (busy, disk full): never leave a transaction open.
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise

    def _daily_backup(self, now: datetime) -> Path | None:
        """Copy the database to backups/<name>-YYYY-MM-DD.db once per local day; keep the last 7.

        The copy is checked first (a corrupt database must not push good backups out of the
        rotation), written to a temporary name and renamed, so a crash never leaves half a backup.
        """
        day = now.astimezone(self.tz).date() if self.tz else now.astimezone().date()
        folder = self.path.parent / BACKUPS_DIR
        target = folder / f"{self.path.stem}-{day.isoformat()}.db"
        if target.exists():
            return None
        check = self._conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
        folder.mkdir(exist_ok=True)
        tmp = target.with_suffix(".db.tmp")
        tmp.unlink(missing_ok=True)  # left over from a crash during an earlier backup
        dest = sqlite3.connect(str(tmp))
        try:
            self._conn.backup(dest)
        finally:
            dest.close()
        tmp.replace(target)
        backups = sorted(folder.glob(f"{self.path.stem}-????-??-??.db"))
        for old in backups[:-BACKUPS_KEPT]:
            old.unlink()
        return target

    def close(self) -> None:
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                # Let SQLite refresh its planner statistics when they are stale (cheap, documented
                # as the thing to run before closing).
                self._conn.execute("PRAGMA optimize")
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    # -- settings ----------------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            stored = {
                r["key"]: json.loads(r["value"])
                for r in self._conn.execute("SELECT key, value FROM settings")
            }
            try:
                self._settings = Settings.from_dict(stored)
            except (ValueError, TypeError):
                # A hand-edited bad value must not lock the user out: fall back key by key.
                good = {}
                for k, v in stored.items():
                    try:
                        Settings.from_dict({**good, k: v})
                        good[k] = v
                    except (ValueError, TypeError):
                        pass
                self._settings = Settings.from_dict(good)
        return self._settings

    @_guarded
    def get_settings(self) -> dict:
        """All settings with defaults filled in (see :class:`~studyapp.core.scheduling.Settings`)."""
        return self.settings.to_dict()

    @_guarded
    def save_settings(self, values: dict) -> dict:
        """Validate and store the given settings (others unchanged); returns all settings.

        Raises UsageError (one line) for an unknown name or a bad value.
        """
        known = set(Settings.__dataclass_fields__)
        unknown = sorted(set(values) - known)
        if unknown:
            raise UsageError(f"unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
        merged = {**self.settings.to_dict(), **values}
        try:
            new = Settings.from_dict(merged)
        except (ValueError, TypeError) as exc:
            raise UsageError(str(exc)) from None
        with self._transaction() as c:
            for k, v in new.to_dict().items():
                if k in values:
                    c.execute(
                        "INSERT INTO settings(key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (k, json.dumps(v)),
                    )
        self._settings = new
        return new.to_dict()

    # -- study days --------------------------------------------------------------------------------

    def day_bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """(start, end) in UTC of the study day containing ``now`` (day starts at the rollover hour)."""
        return sch.day_bounds(now, self.settings, self.tz)

    def study_day(self, now: datetime) -> date:
        return sch.study_day(now, self.settings, self.tz)

    # -- cards -------------------------------------------------------------------------------------

    @_guarded
    def sync_cards(self, cardspecs: Iterable[Any], now: datetime | None = None) -> dict[str, int]:
        """Make the cards match content: add new keys, update edited text, orphan vanished keys.

        ``cardspecs``: objects with attributes key, entry_id, template, topic, deck, front, back,
        tags (e.g. :class:`studyapp.core.cards.CardSpec`). A card's identity is its key, so an
        edited entry keeps its card and history; a key seen again is un-orphaned. The first spec of
        a duplicated key wins. Returns counts {"added", "updated", "orphaned", "restored"}.
        """
        now_ms = to_ms(now or _utcnow())
        existing = {
            r["key"]: r
            for r in self._conn.execute(
                "SELECT key, entry_id, template, topic, deck, front, back, tags, orphaned FROM cards"
            )
        }
        seen: set[str] = set()
        inserts, updates = [], []
        restored = 0
        for spec in cardspecs:
            key = str(spec.key)
            if key in seen:
                continue
            seen.add(key)
            values = (
                str(spec.entry_id),
                str(spec.template),
                str(spec.topic),
                str(spec.deck),
                str(spec.front),
                str(spec.back),
                json.dumps(list(spec.tags or []), ensure_ascii=False),
            )
            old = existing.get(key)
            if old is None:
                inserts.append((key, *values, now_ms, now_ms, now_ms))
            elif (
                tuple(
                    old[c]
                    for c in ("entry_id", "template", "topic", "deck", "front", "back", "tags")
                )
                != values
                or old["orphaned"]
            ):
                restored += bool(old["orphaned"])
                updates.append((*values, now_ms, key))
        orphans = [(now_ms, k) for k, r in existing.items() if k not in seen and not r["orphaned"]]
        if inserts or updates or orphans:
            with self._transaction() as c:
                c.executemany(
                    "INSERT INTO cards (key, entry_id, template, topic, deck, front, back, tags, due,"
                    " created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    inserts,
                )
                c.executemany(
                    "UPDATE cards SET entry_id=?, template=?, topic=?, deck=?, front=?, back=?, tags=?,"
                    " orphaned=0, updated=? WHERE key=?",
                    updates,
                )
                c.executemany("UPDATE cards SET orphaned=1, updated=? WHERE key=?", orphans)
                c.execute(_RANK_NEW_CARDS)
        return {
            "added": len(inserts),
            "updated": len(updates) - restored,
            "orphaned": len(orphans),
            "restored": restored,
        }

    @_guarded
    def get_card(self, key: str) -> CardRow | None:
        r = self._conn.execute(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE key = ?", (key,)
        ).fetchone()
        return _card_from_row(r) if r else None

    def _card_or_error(self, key: str) -> CardRow:
        card = self.get_card(key)
        if card is None:
            raise UsageError(f"no card with key {key!r}")
        return card

    @_guarded
    def all_cards(self, include_orphaned: bool = False) -> list[CardRow]:
        where = "" if include_orphaned else "WHERE orphaned = 0"
        return [
            _card_from_row(r)
            for r in self._conn.execute(f"SELECT {_CARD_COLUMNS} FROM cards {where} ORDER BY id")
        ]

    def _done_today(self, day_start_ms: int) -> tuple[int, int]:
        """(new cards introduced, review-state cards reviewed) since the day started."""
        r = self._conn.execute(
            "SELECT coalesce(sum(queue = 0), 0), coalesce(sum(queue = 2), 0) FROM review_log "
            "WHERE reviewed_at >= ?",
            (day_start_ms,),
        ).fetchone()
        return int(r[0]), int(r[1])

    _AVAILABLE = "suspended = 0 AND orphaned = 0 AND (buried_until IS NULL OR buried_until <= :now)"

    # New cards are mixed across topics: round-robin by each card's position within its topic
    # (new_rank, content order), so a day's 20 new cards are not all activations.
    _NEW_CARD_SQL = f"SELECT {_CARD_COLUMNS} FROM cards WHERE state = 0 AND {_AVAILABLE} ORDER BY new_rank, id LIMIT 1"

    @_guarded
    def next_card(self, now: datetime) -> CardRow | None:
        """The card to show now, in Anki's order (see :func:`scheduling.queue_order`), or None.

        New cards come after the day's reviews and alternate between topics (content order within
        a topic). Respects the daily limits (new and review cards done today count against them), skips
        suspended, orphaned and buried cards (siblings of a card reviewed today are buried).
        """
        start, end = self.day_bounds(now)
        new_left, rev_left = sch.remaining_limits(self.settings, *self._done_today(to_ms(start)))
        p = {"now": to_ms(now), "end": to_ms(end), "ahead": to_ms(now + sch.LEARN_AHEAD)}
        queries = {
            "learning": "state IN (1, 3) AND due <= :now ORDER BY due, id",
            "review": "state = 2 AND due < :end ORDER BY due, id" if rev_left > 0 else None,
            "new": "state = 0" if new_left > 0 else None,  # served by _NEW_CARD_SQL (topics mixed)
            "learn_ahead": "state IN (1, 3) AND due <= :ahead ORDER BY due, id",
        }
        for queue in sch.queue_order():
            where = queries[queue]
            if where is None:
                continue
            if queue == "new":
                r = self._conn.execute(self._NEW_CARD_SQL, p).fetchone()
            else:
                r = self._conn.execute(
                    f"SELECT {_CARD_COLUMNS} FROM cards WHERE {self._AVAILABLE} AND {where} LIMIT 1",
                    p,
                ).fetchone()
            if r is not None:
                return _card_from_row(r)
        return None

    @_guarded
    def counts(self, now: datetime) -> dict[str, dict[str, int]]:
        """Per topic: {"new": new cards available today, "learning": in (re)learning due today,
        "due": review cards due today}; new and due are capped by what the daily limits still allow.

        Every topic that has a live card appears (with zeros if nothing is due). For the overall
        numbers use :meth:`totals` (the limits are global, so per-topic caps do not add up).
        """
        start, end = self.day_bounds(now)
        new_left, rev_left = sch.remaining_limits(self.settings, *self._done_today(to_ms(start)))
        rows = self._conn.execute(
            "SELECT topic,"
            f" coalesce(sum(state = 0 AND {self._AVAILABLE}), 0),"
            f" coalesce(sum(state IN (1, 3) AND due < :end AND {self._AVAILABLE}), 0),"
            f" coalesce(sum(state = 2 AND due < :end AND {self._AVAILABLE}), 0)"
            " FROM cards WHERE orphaned = 0 GROUP BY topic ORDER BY topic",
            {"now": to_ms(now), "end": to_ms(end)},
        ).fetchall()
        return {
            r[0]: {"new": min(r[1], new_left), "learning": r[2], "due": min(r[3], rev_left)}
            for r in rows
        }

    @_guarded
    def totals(self, now: datetime) -> dict[str, int]:
        """Overall {"new", "learning", "due"} for today, with the daily limits applied once."""
        start, end = self.day_bounds(now)
        new_left, rev_left = sch.remaining_limits(self.settings, *self._done_today(to_ms(start)))
        r = self._conn.execute(
            "SELECT coalesce(sum(state = 0), 0), coalesce(sum(state IN (1, 3) AND due < :end), 0),"
            f" coalesce(sum(state = 2 AND due < :end), 0) FROM cards WHERE {self._AVAILABLE}",
            {"now": to_ms(now), "end": to_ms(end)},
        ).fetchone()
        return {"new": min(r[0], new_left), "learning": r[1], "due": min(r[2], rev_left)}

    @_guarded
    def preview_intervals(self, card_key: str, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give this card now (exactly what rating will do)."""
        card = self._card_or_error(card_key)
        return sch.preview_intervals(card.card_state, now, self.settings, card.key)

    @_guarded
    def record_review(
        self, card_key: str, rating: Rating | int, now: datetime, duration_s: float | None = None
    ) -> RecordedReview:
        """Rate a card and commit, in one transaction, before returning.

        Appends the log row (time, rating, duration, state before and after), updates the card,
        buries its siblings (same entry) until the next study day, and on the leech threshold tags
        and suspends it. Raises UsageError for an unknown key or a rating outside 1-4.
        """
        try:
            rating = Rating(int(rating))
        except (ValueError, TypeError):
            raise UsageError(
                f"rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not {rating!r}"
            ) from None
        settings = self.settings
        _, end = self.day_bounds(now)
        now_ms, end_ms = to_ms(now), to_ms(end)
        with self._transaction() as c:
            r = c.execute(
                f"SELECT {_CARD_COLUMNS} FROM cards WHERE key = ?", (card_key,)
            ).fetchone()
            if r is None:
                raise UsageError(f"no card with key {card_key!r}")
            card = _card_from_row(r)
            outcome = sch.review(card.card_state, rating, now, settings, card.key)
            after = outcome.after
            before = _snapshot(r)
            suspended = 1 if outcome.became_leech else int(card.suspended)
            leech = 1 if outcome.became_leech else int(card.leech)
            after_snap = {
                **_snapshot(r),
                "state": int(after.state),
                "step": after.step,
                "stability": after.stability,
                "difficulty": after.difficulty,
                "due": to_ms(after.due),
                "last_review": now_ms,
                "reps": after.reps,
                "lapses": after.lapses,
                "suspended": suspended,
                "leech": leech,
            }
            # Siblings: new and review cards of the same entry wait until tomorrow (Anki buries
            # them so one card does not give away another's answer the same day).
            siblings = c.execute(
                "SELECT id, buried_until FROM cards WHERE entry_id = ? AND id <> ? AND orphaned = 0"
                " AND state IN (0, 2) AND (buried_until IS NULL OR buried_until < ?)",
                (card.entry_id, card.id, end_ms),
            ).fetchall()
            undo = {"siblings": [[s["id"], s["buried_until"]] for s in siblings]}
            cur = c.execute(
                "INSERT INTO review_log (card_id, reviewed_at, rating, duration_ms, state_before,"
                " state_after, queue, due_after, undo) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    card.id,
                    now_ms,
                    int(rating),
                    None if duration_s is None else max(0, int(round(float(duration_s) * 1000))),
                    json.dumps(before),
                    json.dumps(after_snap),
                    int(card.state),
                    to_ms(after.due),
                    json.dumps(undo),
                ),
            )
            log_id = cur.lastrowid
            c.execute(
                "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?,"
                " reps=?, lapses=?, suspended=?, leech=?, buried_until=NULL, updated=? WHERE id=?",
                (
                    int(after.state),
                    after.step,
                    after.stability,
                    after.difficulty,
                    to_ms(after.due),
                    now_ms,
                    after.reps,
                    after.lapses,
                    suspended,
                    leech,
                    now_ms,
                    card.id,
                ),
            )
            if siblings:
                c.executemany(
                    "UPDATE cards SET buried_until=? WHERE id=?",
                    [(end_ms, s["id"]) for s in siblings],
                )
            new_row = c.execute(
                f"SELECT {_CARD_COLUMNS} FROM cards WHERE id = ?", (card.id,)
            ).fetchone()
        return RecordedReview(log_id=log_id, card=_card_from_row(new_row), outcome=outcome)

    @_guarded
    def undo_last_review(self) -> CardRow | None:
        """Undo the latest review: restore the card (and its buried siblings) exactly as they were
        and delete that log row. Returns the restored card, or None if there is nothing to undo."""
        with self._transaction() as c:
            r = c.execute(
                "SELECT id, card_id, state_before, undo FROM review_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if r is None:
                return None
            s = json.loads(r["state_before"])
            c.execute(
                "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?,"
                " reps=?, lapses=?, suspended=?, leech=?, buried_until=? WHERE id=?",
                (
                    s["state"],
                    s["step"],
                    s["stability"],
                    s["difficulty"],
                    s["due"],
                    s["last_review"],
                    s["reps"],
                    s["lapses"],
                    s.get("suspended", 0),
                    s.get("leech", 0),
                    s.get("buried_until"),
                    r["card_id"],
                ),
            )
            for sib_id, buried in json.loads(r["undo"] or "{}").get("siblings", []):
                c.execute("UPDATE cards SET buried_until=? WHERE id=?", (buried, sib_id))
            c.execute("DELETE FROM review_log WHERE id = ?", (r["id"],))
            row = c.execute(
                f"SELECT {_CARD_COLUMNS} FROM cards WHERE id = ?", (r["card_id"],)
            ).fetchone()
        return _card_from_row(row)

    def _set_flag(self, key: str, sql: str, params: tuple) -> CardRow:
        with self._transaction() as c:
            cur = c.execute(sql, (*params, key))
            if cur.rowcount == 0:
                raise UsageError(f"no card with key {key!r}")
        return self.get_card(key)

    @_guarded
    def suspend(self, key: str) -> CardRow:
        """Take a card out of review until it is unsuspended."""
        return self._set_flag(key, "UPDATE cards SET suspended=1 WHERE key=?", ())

    @_guarded
    def unsuspend(self, key: str) -> CardRow:
        return self._set_flag(key, "UPDATE cards SET suspended=0 WHERE key=?", ())

    @_guarded
    def bury(self, key: str, now: datetime) -> CardRow:
        """Hide a card until the next study day starts."""
        _, end = self.day_bounds(now)
        return self._set_flag(key, "UPDATE cards SET buried_until=? WHERE key=?", (to_ms(end),))

    @_guarded
    def unbury(self, key: str) -> CardRow:
        return self._set_flag(key, "UPDATE cards SET buried_until=NULL WHERE key=?", ())

    # -- browsing ----------------------------------------------------------------------------------

    SEARCH_HELP = (
        "words match front, back or key; topic:NAME deck:PREFIX tag:NAME entry:ID; "
        "is:new is:learn is:review is:due is:suspended is:leech is:buried is:orphaned"
    )

    @_guarded
    def search_cards(
        self, query: str = "", now: datetime | None = None, limit: int | None = None
    ) -> list[CardRow]:
        """Cards matching every term of ``query`` (see :attr:`SEARCH_HELP`), in content order.

        Orphaned cards are left out unless ``is:orphaned`` is asked for. Raises UsageError for an
        unknown ``is:`` or ``name:`` filter.
        """
        now = now or _utcnow()
        try:
            terms = shlex.split(query)
        except ValueError:
            terms = query.split()
        where, params = [], []
        orphans = False
        _, end = self.day_bounds(now)
        is_filters = {
            "new": ("state = 0", ()),
            "learn": ("state IN (1, 3)", ()),
            "review": ("state = 2", ()),
            "due": ("state <> 0 AND due < ?", (to_ms(end),)),
            "suspended": ("suspended = 1", ()),
            "leech": ("leech = 1", ()),
            "buried": ("buried_until > ?", (to_ms(now),)),
            "orphaned": ("orphaned = 1", ()),
        }
        for term in terms:
            name, sep, value = term.partition(":")
            name = name.lower()
            if sep and name == "is":
                v = value.lower()
                if v not in is_filters:
                    raise UsageError(
                        f"unknown filter is:{value}; try {', '.join('is:' + k for k in is_filters)}"
                    )
                orphans |= v == "orphaned"
                sql, ps = is_filters[v]
                where.append(sql)
                params.extend(ps)
            elif sep and name == "topic":
                where.append("lower(topic) = lower(?)")
                params.append(value)
            elif sep and name == "deck":
                where.append("lower(deck) LIKE lower(?) ESCAPE '\\'")
                params.append(_like_escape(value) + "%")
            elif sep and name == "tag":
                where.append("(tags LIKE ? ESCAPE '\\' OR (? = 'leech' AND leech = 1))")
                params.extend(['%"' + _like_escape(value) + '"%', value.lower()])
            elif sep and name in ("entry", "key"):
                where.append("entry_id = ?" if name == "entry" else "key = ?")
                params.append(value)
            elif sep and name.isalpha() and name not in ("http", "https"):
                raise UsageError(f"unknown filter {name}:; {self.SEARCH_HELP}")
            else:
                where.append(
                    "(front LIKE ? ESCAPE '\\' OR back LIKE ? ESCAPE '\\' OR key LIKE ? ESCAPE '\\')"
                )
                pat = "%" + _like_escape(term) + "%"
                params.extend([pat, pat, pat])
        if not orphans:
            where.append("orphaned = 0")
        sql = f"SELECT {_CARD_COLUMNS} FROM cards WHERE {' AND '.join(where) or '1'} ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_card_from_row(r) for r in self._conn.execute(sql, params)]

    @_guarded
    def card_history(self, key: str) -> list[dict]:
        """The card's reviews, oldest first: reviewed_at (UTC datetime), rating (1-4), duration_s,
        state_before / state_after (names), interval_days (due after - review time, days),
        stability and difficulty after."""
        card = self._card_or_error(key)
        out = []
        for r in self._conn.execute(
            "SELECT id, reviewed_at, rating, duration_ms, state_before, state_after FROM review_log"
            " WHERE card_id = ? ORDER BY id",
            (card.id,),
        ):
            before, after = json.loads(r["state_before"]), json.loads(r["state_after"])
            out.append(
                {
                    "id": r["id"],
                    "reviewed_at": from_ms(r["reviewed_at"]),
                    "rating": r["rating"],
                    "duration_s": None if r["duration_ms"] is None else r["duration_ms"] / 1000,
                    "state_before": State(before["state"]).name.lower(),
                    "state_after": State(after["state"]).name.lower(),
                    "interval_days": (after["due"] - r["reviewed_at"]) / 86_400_000,
                    "stability": after.get("stability"),
                    "difficulty": after.get("difficulty"),
                }
            )
        return out

    # -- quiz and exercise attempts ----------------------------------------------------------------

    @_guarded
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
        if kind not in ("quiz", "exercise"):
            raise UsageError(f"attempt kind must be 'quiz' or 'exercise', not {kind!r}")
        with self._transaction() as c:
            cur = c.execute(
                "INSERT INTO attempts (kind, question_id, topic, step, correct, seconds, hints, revealed, at)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    kind,
                    str(question_id),
                    str(topic),
                    step,
                    int(bool(correct)),
                    None if seconds is None else float(seconds),
                    int(hints),
                    int(bool(revealed)),
                    to_ms(now or _utcnow()),
                ),
            )
            return cur.lastrowid

    @_guarded
    def topic_accuracy(
        self, kind: str | None = None, since: datetime | None = None
    ) -> dict[str, tuple[int, int]]:
        """{topic: (correct, total)} over attempts (of one kind if given, since a time if given)."""
        sql, params = "SELECT topic, sum(correct), count(*) FROM attempts WHERE 1", []
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        if since:
            sql += " AND at >= ?"
            params.append(to_ms(since))
        return {
            r[0]: (int(r[1]), int(r[2]))
            for r in self._conn.execute(sql + " GROUP BY topic ORDER BY topic", params)
        }

    @_guarded
    def step_accuracy(self, since: datetime | None = None) -> dict[str, tuple[int, int]]:
        """{exercise step type: (correct, total)}."""
        sql, params = "SELECT step, sum(correct), count(*) FROM attempts WHERE step IS NOT NULL", []
        if since:
            sql += " AND at >= ?"
            params.append(to_ms(since))
        return {
            r[0]: (int(r[1]), int(r[2]))
            for r in self._conn.execute(sql + " GROUP BY step ORDER BY step", params)
        }

    # -- raw queries for stats ---------------------------------------------------------------------

    @_guarded
    def review_times(self, since: datetime | None = None) -> list[int]:
        """reviewed_at (ms) of every review since ``since`` (all if None), oldest first."""
        if since is None:
            return [
                r[0] for r in self._conn.execute("SELECT reviewed_at FROM review_log ORDER BY id")
            ]
        return [
            r[0]
            for r in self._conn.execute(
                "SELECT reviewed_at FROM review_log WHERE reviewed_at >= ? ORDER BY reviewed_at",
                (to_ms(since),),
            )
        ]

    @_guarded
    def review_counts_between(self, edges_ms: list[int]) -> list[int]:
        """Reviews in each [edges[i], edges[i+1]) interval (ms, ascending): len(edges) - 1 counts."""
        sql = "SELECT count(*) FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ?"
        return [
            self._conn.execute(sql, (a, b)).fetchone()[0]
            for a, b in zip(edges_ms, edges_ms[1:], strict=False)
        ]

    @_guarded
    def studied_between(self, start_ms: int, end_ms: int) -> bool:
        """Whether any review or quiz/exercise attempt happened in [start, end) (UTC ms)."""
        return (
            self._conn.execute(
                "SELECT EXISTS (SELECT 1 FROM review_log WHERE reviewed_at >= :a AND reviewed_at < :b)"
                " OR EXISTS (SELECT 1 FROM attempts WHERE at >= :a AND at < :b)",
                {"a": start_ms, "b": end_ms},
            ).fetchone()[0]
            == 1
        )

    @_guarded
    def attempt_times(self) -> list[int]:
        return [r[0] for r in self._conn.execute("SELECT at FROM attempts")]

    @_guarded
    def due_times(self) -> list[int]:
        """due (ms) of every live card that has been studied (not new, suspended or orphaned)."""
        return [
            r[0]
            for r in self._conn.execute(
                "SELECT due FROM cards WHERE state <> 0 AND suspended = 0 AND orphaned = 0"
            )
        ]

    @_guarded
    def review_retention(self, since: datetime, until: datetime | None = None) -> tuple[int, int]:
        """(passed, total) reviews of cards in the Review state in [since, until) (rating >= Hard passes)."""
        r = self._conn.execute(
            "SELECT coalesce(sum(rating >= 2), 0), count(*) FROM review_log WHERE queue = 2"
            " AND reviewed_at >= ? AND reviewed_at < ?",
            (to_ms(since), to_ms(until) if until else 2**62),
        ).fetchone()
        return int(r[0]), int(r[1])

    @_guarded
    def review_count(self, since: datetime | None = None) -> int:
        if since is None:
            return self._conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
        return self._conn.execute(
            "SELECT count(*) FROM review_log WHERE reviewed_at >= ?", (to_ms(since),)
        ).fetchone()[0]

    @_guarded
    def card_count(self) -> dict[str, int]:
        """{"total", "new", "suspended", "leech", "orphaned"} over cards (total excludes orphans)."""
        r = self._conn.execute(
            "SELECT coalesce(sum(orphaned = 0), 0), coalesce(sum(orphaned = 0 AND state = 0), 0),"
            " coalesce(sum(orphaned = 0 AND suspended = 1), 0), coalesce(sum(orphaned = 0 AND leech = 1), 0),"
            " coalesce(sum(orphaned = 1), 0) FROM cards"
        ).fetchone()
        return {"total": r[0], "new": r[1], "suspended": r[2], "leech": r[3], "orphaned": r[4]}

    @_guarded
    def leeches(self) -> list[CardRow]:
        return [
            _card_from_row(r)
            for r in self._conn.execute(
                f"SELECT {_CARD_COLUMNS} FROM cards WHERE leech = 1 AND orphaned = 0 ORDER BY lapses DESC, id"
            )
        ]

    @_guarded
    def integrity_check(self) -> str:
        """``PRAGMA integrity_check`` result ("ok" when the file is sound)."""
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = [
    "Storage",
    "CardRow",
    "RecordedReview",
    "SCHEMA_VERSION",
    "MIGRATIONS",
    "to_ms",
    "from_ms",
    "DB_NAME",
]
