"""SQLite storage: cards from content, orphans, the append-only log, undo, Anki habits, backups,
settings, attempts, search and the one-line errors for unusable databases."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from studyapp.core.cards import CardSpec
from studyapp.core.scheduling import Rating, State
from studyapp.errors import DataError, UsageError
from studyapp.storage import SCHEMA_VERSION, Storage

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC (study day starts 04:00)


Spec = CardSpec.plain


def spec(
    entry: str, template: str = "formula", topic: str = "activations", front: str | None = None
) -> Spec:
    return Spec(
        f"{entry}::{template}",
        entry,
        template,
        topic,
        f"Deep Learning::{topic.title()}",
        front or f"{entry} {template}?",
        f"answer of {entry} {template}",
        [topic],
    )


@pytest.fixture
def store(tmp_path):
    s = Storage.open(tmp_path / "studyapp.db", tz=UTC, now=T0)
    yield s
    s.close()


def test_fresh_database_is_wal_with_foreign_keys_at_current_version(store):
    assert store.schema_version == SCHEMA_VERSION
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys really are enforced
        store._conn.execute(
            "INSERT INTO review_log (card_id, reviewed_at, rating, state_before, state_after)"
            " VALUES (999, 0, 3, '{}', '{}')"
        )


def test_sync_adds_updates_orphans_and_restores_keeping_history(store):
    res = store.sync_cards(
        [spec("act.relu"), spec("act.relu", "derivative"), spec("act.tanh")], now=T0
    )
    assert res == {"added": 3, "updated": 0, "orphaned": 0, "restored": 0}
    assert store.sync_cards(
        [spec("act.relu"), spec("act.relu", "derivative"), spec("act.tanh")], now=T0
    ) == {"added": 0, "updated": 0, "orphaned": 0, "restored": 0}
    card_id = store.get_card("act.relu::formula").id
    store.record_review("act.relu::formula", Rating.Good, T0)
    # Edited entry: same key, new text -> same card, history kept.
    edited = spec("act.relu", front="What is ReLU (edited)?")
    res = store.sync_cards([edited, spec("act.relu", "derivative")], now=T0)
    assert res == {"added": 0, "updated": 1, "orphaned": 1, "restored": 0}
    card = store.get_card("act.relu::formula")
    assert card.id == card_id and card.front == "What is ReLU (edited)?" and card.reps == 1
    assert len(store.card_history("act.relu::formula")) == 1
    tanh = store.get_card("act.tanh::formula")
    assert tanh.orphaned
    assert "act.tanh::formula" not in {c.key for c in store.all_cards()}
    assert store.next_card(T0 + timedelta(hours=1)).key != "act.tanh::formula"
    # The entry comes back: the card is restored, not duplicated.
    res = store.sync_cards([edited, spec("act.relu", "derivative"), spec("act.tanh")], now=T0)
    assert res["restored"] == 1 and res["added"] == 0
    assert not store.get_card("act.tanh::formula").orphaned


def test_review_log_is_append_only_and_cards_are_never_deleted(store):
    store.sync_cards([spec("a"), spec("b")], now=T0)
    store.record_review("a::formula", 3, T0)
    store.record_review("b::formula", 3, T0 + timedelta(seconds=5))
    c = store._conn
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        c.execute("UPDATE review_log SET rating = 1")
    first = c.execute("SELECT min(id) FROM review_log").fetchone()[0]
    with pytest.raises(sqlite3.DatabaseError, match="latest review"):
        c.execute("DELETE FROM review_log WHERE id = ?", (first,))
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        c.execute("DELETE FROM cards")
    assert c.execute("SELECT count(*) FROM review_log").fetchone()[0] == 2


def test_record_review_logs_state_before_and_after_and_commits(store, tmp_path):
    store.sync_cards([spec("a")], now=T0)
    rec = store.record_review("a::formula", Rating.Good, T0, duration_s=4.25)
    assert rec.card.state == State.Learning and rec.card.due == T0 + timedelta(minutes=10)
    # Another connection sees it at once: the transaction was committed before returning.
    other = sqlite3.connect(tmp_path / "studyapp.db")
    row = other.execute(
        "SELECT rating, duration_ms, state_before, state_after, reviewed_at FROM review_log"
    ).fetchone()
    other.close()
    assert row[0] == 3 and row[1] == 4250
    assert json.loads(row[2])["state"] == 0 and json.loads(row[3])["state"] == 1
    hist = store.card_history("a::formula")
    assert hist[0]["state_before"] == "new" and hist[0]["state_after"] == "learning"
    assert hist[0]["interval_days"] == pytest.approx(10 / 1440)
    assert hist[0]["reviewed_at"] == T0


def test_undo_restores_card_and_siblings_and_removes_the_log_row(store):
    store.sync_cards(
        [spec("act.relu"), spec("act.relu", "derivative"), spec("act.relu", "use")], now=T0
    )
    before = store.get_card("act.relu::formula")
    store.record_review("act.relu::formula", Rating.Easy, T0)
    assert store.get_card("act.relu::derivative").is_buried(T0)
    assert store.get_card("act.relu::use").is_buried(
        T0 + timedelta(hours=18)
    )  # until 04:00 next day
    assert not store.get_card("act.relu::use").is_buried(T0 + timedelta(hours=19, seconds=1))
    restored = store.undo_last_review()
    assert restored == before
    assert store.get_card("act.relu::formula") == before
    assert not store.get_card("act.relu::derivative").is_buried(T0)
    assert store.card_history("act.relu::formula") == []
    assert store.undo_last_review() is None


def test_siblings_are_not_shown_the_same_day(store):
    store.sync_cards([spec("x"), spec("x", "derivative"), spec("y")], now=T0)
    shown = []
    now = T0
    while (card := store.next_card(now)) is not None:
        shown.append(card.key)
        store.record_review(card.key, Rating.Easy, now)
        now += timedelta(seconds=10)
    assert shown == ["x::formula", "y::formula"]
    nxt = T0 + timedelta(days=1)
    assert store.next_card(nxt).key == "x::derivative"


def test_suspend_and_bury(store):
    store.sync_cards([spec("a"), spec("b")], now=T0)
    store.suspend("a::formula")
    assert store.next_card(T0).key == "b::formula"
    store.bury("b::formula", T0)
    assert store.next_card(T0) is None
    assert store.next_card(T0 + timedelta(days=1)).key == "b::formula"
    store.unsuspend("a::formula")
    assert store.next_card(T0).key == "a::formula"
    with pytest.raises(UsageError, match="no card"):
        store.suspend("nope::x")


def test_daily_new_limit_and_reviews_before_new(store):
    store.save_settings({"new_per_day": 3})
    store.sync_cards([spec(f"e{i}") for i in range(10)], now=T0)
    now = T0
    introduced = []
    while (card := store.next_card(now)) is not None:
        if card.state == State.New:
            introduced.append(card.key)
        store.record_review(card.key, Rating.Easy, now)
        now += timedelta(seconds=30)
    assert len(introduced) == 3
    assert store.totals(now)["new"] == 0
    # Days later, due reviews come before any new card.
    later = T0 + timedelta(days=30)
    order = []
    while (card := store.next_card(later)) is not None:
        order.append(card.state)
        store.record_review(card.key, Rating.Good, later)
        later += timedelta(seconds=30)
    assert order[:3] == [State.Review] * 3
    assert order.count(State.New) == 3  # the next day's new cards, after the reviews


def test_new_cards_alternate_between_topics_in_content_order(store):
    store.sync_cards(
        [
            spec("a1"),
            spec("a2"),
            spec("a3"),
            spec("l1", topic="losses"),
            spec("o1", topic="optimizers"),
            spec("l2", topic="losses"),
        ],
        now=T0,
    )
    order, now = [], T0
    while (card := store.next_card(now)) is not None:
        if card.state == State.New:
            order.append(card.entry_id)
        store.record_review(card.key, Rating.Easy, now)
        now += timedelta(seconds=1)
    assert order == ["a1", "l1", "o1", "a2", "l2", "a3"]


def test_reviews_per_day_limit(store):
    store.sync_cards([spec(f"e{i}") for i in range(6)], now=T0)
    for i in range(6):
        store.record_review(f"e{i}::formula", Rating.Easy, T0 + timedelta(seconds=i))
    store.save_settings({"reviews_per_day": 2})
    later = T0 + timedelta(days=60)
    seen = 0
    while (card := store.next_card(later)) is not None:
        store.record_review(card.key, Rating.Good, later)
        seen += 1
    assert seen == 2
    assert store.counts(later)["activations"]["due"] == 0


def test_counts_per_topic(store):
    store.sync_cards([spec("a"), spec("b"), spec("l", topic="losses")], now=T0)
    store.record_review("a::formula", Rating.Good, T0)
    counts = store.counts(T0)
    assert counts == {
        "activations": {"new": 1, "learning": 1, "due": 0},
        "losses": {"new": 1, "learning": 0, "due": 0},
    }
    assert store.totals(T0) == {"new": 2, "learning": 1, "due": 0}


def test_learning_card_comes_back_after_its_step(store):
    store.sync_cards([spec("a")], now=T0)
    store.record_review("a::formula", Rating.Again, T0)
    assert (
        store.next_card(T0 + timedelta(seconds=5)).key == "a::formula"
    )  # learn-ahead: nothing else left
    store.sync_cards([spec("a"), spec("b")], now=T0)
    assert (
        store.next_card(T0 + timedelta(seconds=5)).key == "b::formula"
    )  # new before learning-ahead
    assert store.next_card(T0 + timedelta(minutes=1)).key == "a::formula"  # due learning first


def test_preview_intervals_match_recorded_intervals(store):
    store.sync_cards([spec("a")], now=T0)
    now = T0
    for rating in [3, 3, 3, 1, 3, 3]:
        preview = store.preview_intervals("a::formula", now)
        rec = store.record_review("a::formula", rating, now)
        assert rec.card.due - now == preview[Rating(rating)]
        now = rec.card.due


def test_bad_rating_and_unknown_card_are_usage_errors(store):
    store.sync_cards([spec("a")], now=T0)
    with pytest.raises(UsageError, match="rating"):
        store.record_review("a::formula", 5, T0)
    with pytest.raises(UsageError, match="no card"):
        store.record_review("zz::formula", 3, T0)
    with pytest.raises(UsageError):
        store.card_history("zz")


def test_settings_persist_and_are_validated(store, tmp_path):
    assert store.get_settings()["desired_retention"] == 0.9
    assert (
        store.get_settings()["new_per_day"] == 20 and store.get_settings()["reviews_per_day"] == 200
    )
    store.save_settings({"desired_retention": 0.85, "theme": "light"})
    with pytest.raises(UsageError, match="desired_retention"):
        store.save_settings({"desired_retention": 2})
    with pytest.raises(UsageError, match="unknown setting"):
        store.save_settings({"colour": "red"})
    store.close()
    again = Storage.open(tmp_path / "studyapp.db", tz=UTC, now=T0)
    assert (
        again.get_settings()["desired_retention"] == 0.85
        and again.get_settings()["theme"] == "light"
    )
    again.close()


def test_attempts_and_accuracy(store):
    store.record_attempt("quiz", "q1", "losses", True, 3.0, now=T0)
    store.record_attempt("quiz", "q2", "losses", False, 5.0, now=T0)
    store.record_attempt(
        "exercise", "ex1", "backprop", False, 20.0, step="delta_hidden", hints=1, now=T0
    )
    store.record_attempt("exercise", "ex1", "backprop", True, 12.0, step="z", now=T0)
    assert store.topic_accuracy() == {"backprop": (1, 2), "losses": (1, 2)}
    assert store.topic_accuracy(kind="quiz") == {"losses": (1, 2)}
    assert store.step_accuracy() == {"delta_hidden": (0, 1), "z": (1, 1)}
    with pytest.raises(UsageError):
        store.record_attempt("exam", "q", "t", True, 1.0)


def test_accuracy_since_a_time_counts_only_later_attempts(store):
    store.record_attempt("quiz", "q1", "losses", False, 3.0, now=T0)
    store.record_attempt("exercise", "ex1", "backprop", False, 9.0, step="z", now=T0)
    later = T0 + timedelta(hours=1)
    store.record_attempt("quiz", "q2", "losses", True, 3.0, now=later)
    store.record_attempt("exercise", "ex2", "backprop", True, 9.0, step="z", now=later)
    assert store.topic_accuracy(since=later) == {"backprop": (1, 1), "losses": (1, 1)}
    assert store.topic_accuracy(kind="exercise", since=later) == {"backprop": (1, 1)}
    assert store.topic_accuracy(kind="quiz") == {"losses": (1, 2)}
    assert store.step_accuracy(since=later) == {"z": (1, 1)}
    assert store.step_accuracy() == {"z": (1, 2)}


def test_search(store):
    store.sync_cards(
        [
            spec("act.relu"),
            spec("act.tanh"),
            spec("loss.mse", topic="losses", front="Mean squared 50% error"),
        ],
        now=T0,
    )
    store.record_review("act.relu::formula", Rating.Good, T0)
    store.suspend("act.tanh::formula")
    keys = lambda q: [c.key for c in store.search_cards(q, now=T0)]  # noqa: E731
    assert keys("topic:losses") == ["loss.mse::formula"]
    assert keys("is:suspended") == ["act.tanh::formula"]
    assert keys("is:due") == ["act.relu::formula"]
    assert keys("is:new") == ["act.tanh::formula", "loss.mse::formula"]
    assert keys("relu") == ["act.relu::formula"]
    assert keys('"50%"') == ["loss.mse::formula"]
    assert keys("50_") == []  # LIKE wildcards in the query are literal
    assert keys("tag:losses") == ["loss.mse::formula"]
    assert keys("is:leech") == []
    with pytest.raises(UsageError, match="is:"):
        store.search_cards("is:bogus")


def test_leech_is_tagged_suspended_and_listed(store):
    store.sync_cards([spec("hard")], now=T0)
    now = T0
    rec = store.record_review("hard::formula", Rating.Easy, now)
    for _ in range(8):
        now = rec.card.due
        rec = store.record_review("hard::formula", Rating.Again, now)
        if rec.card.suspended:
            break
        rec = store.record_review("hard::formula", Rating.Good, now + timedelta(minutes=10))
    assert rec.card.lapses == 8 and rec.card.leech and rec.card.suspended
    assert "leech" in rec.card.tags
    assert [c.key for c in store.search_cards("is:leech")] == ["hard::formula"]
    assert [c.key for c in store.leeches()] == ["hard::formula"]
    # Undo of the leech-making review takes the flag away again.
    undone = store.undo_last_review()
    assert not undone.leech and not undone.suspended and undone.lapses == 7


def test_daily_backup_once_a_day_keeping_seven(tmp_path):
    db = tmp_path / "studyapp.db"
    Storage.open(db, tz=UTC, now=T0).close()  # creation: nothing to back up yet
    for day in range(10):
        for _ in range(2):  # a second start the same day adds nothing
            s = Storage.open(db, tz=UTC, now=T0 + timedelta(days=day))
            s.sync_cards([spec(f"d{day}")], now=T0)
            s.close()
    backups = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert backups == [f"studyapp-2026-03-{d:02d}.db" for d in range(5, 12)]
    # A backup is a complete, openable database (taken at the start of its day).
    b = sqlite3.connect(tmp_path / "backups" / "studyapp-2026-03-11.db")
    assert b.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert b.execute("SELECT count(*) FROM cards").fetchone()[0] == 9
    b.close()


def test_unwritable_backup_folder_is_a_one_line_error(tmp_path):
    db = tmp_path / "studyapp.db"
    Storage.open(db, tz=UTC, now=T0).close()
    (tmp_path / "backups").write_text("a file where the folder should be")
    with pytest.raises(DataError, match="daily backup"):
        Storage.open(db, tz=UTC, now=T0 + timedelta(days=1))


def test_corrupt_database_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "studyapp.db"
    junk = b"this is not a database at all\n" * 200
    db.write_bytes(junk)
    with pytest.raises(DataError) as err:
        Storage.open(db, tz=UTC)
    msg = str(err.value)
    assert str(db) in msg and "corrupt" in msg and "\n" not in msg
    assert db.read_bytes() == junk


def test_database_from_a_newer_version_is_refused(tmp_path):
    db = tmp_path / "studyapp.db"
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE future (x)")
    c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    c.commit()
    c.close()
    before = db.read_bytes()
    with pytest.raises(DataError, match="newer studyapp"):
        Storage.open(db, tz=UTC)
    assert db.read_bytes() == before


def test_foreign_database_is_refused(tmp_path):
    db = tmp_path / "studyapp.db"
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE mine (x)")
    c.commit()
    c.close()
    with pytest.raises(DataError, match="not a studyapp database"):
        Storage.open(db, tz=UTC)


def test_locked_database_gives_a_one_line_error(tmp_path):
    db = tmp_path / "studyapp.db"
    Storage.open(db, tz=UTC, now=T0).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DataError, match="locked") as err:
            Storage.open(db, tz=UTC, now=T0 + timedelta(days=1), busy_timeout_s=0.2)
        assert str(db) in str(err.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_data_directory_default(monkeypatch, data_dir):
    s = Storage.open()
    assert s.path == data_dir / "studyapp.db"
    s.close()


@hsettings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(1, 4), st.integers(0, 3000)),
        min_size=1,
        max_size=25,
    )
)
def test_undoing_every_review_restores_the_initial_database(tmp_path_factory, ops):
    """Any sequence of reviews (on any card, at increasing times), undone one by one, leaves the
    cards exactly as they were, and at every point each card's reps equal its log rows."""
    db = tmp_path_factory.mktemp("undo") / "studyapp.db"
    s = Storage.open(db, tz=UTC, now=T0)
    s._conn.execute("PRAGMA synchronous = OFF")  # not a durability test: skip the fsyncs
    try:
        s.sync_cards(
            [spec("p"), spec("p", "derivative"), spec("q"), spec("r", topic="losses")], now=T0
        )
        keys = [c.key for c in s.all_cards()]
        initial = s.all_cards()
        now = T0
        for card_index, rating, minutes in ops:
            now += timedelta(minutes=minutes)
            s.record_review(keys[card_index], rating, now)
        per_card = dict(
            s._conn.execute("SELECT card_id, count(*) FROM review_log GROUP BY card_id").fetchall()
        )
        assert all(c.reps == per_card.get(c.id, 0) for c in s.all_cards())
        for _ in ops:
            assert s.undo_last_review() is not None
        assert s.undo_last_review() is None
        assert s.all_cards() == initial
        assert s.review_count() == 0
    finally:
        s.close()


def test_a_second_connection_reads_and_writes_while_reviews_go_on(tmp_path):
    """The TUI and `studyapp stats` (or two windows) may have the database open together: WAL lets
    readers run during writes, and writers wait for each other instead of failing."""
    import threading

    from studyapp.study.stats import compute_stats

    db = tmp_path / "studyapp.db"
    a = Storage.open(db, tz=UTC, now=T0)
    a.sync_cards([spec(f"c{i}") for i in range(30)], now=T0)
    b = Storage.open(db, tz=UTC, now=T0)
    errors: list[BaseException] = []

    def review_all():
        try:
            now = T0
            while (card := a.next_card(now)) is not None:
                a.record_review(card.key, Rating.Easy, now)
                now += timedelta(seconds=1)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t = threading.Thread(target=review_all)
    t.start()
    while t.is_alive():
        compute_stats(b, T0)
        b.record_attempt("quiz", "q", "terms", True, 1.0, now=T0)
    t.join()
    assert errors == []
    assert compute_stats(b, T0)["reviews_total"] == 20  # the new-card limit
    a.close()
    b.close()


def test_a_writer_is_not_starved_by_another_of_the_same_process(tmp_path):
    """Commits slowed by a busy disk (here: a writer keeping its transaction 40 ms, again and
    again with no pause) must not starve another connection of the process past its busy
    timeout: SQLite's busy handler polls and lost every race ("database is locked" within the
    0.3 s here; with 300 ms fsyncs the TUI-and-stats test above failed that way under load).
    Writers of one process take turns (connection.write_lock)."""
    import threading
    import time

    db = tmp_path / "studyapp.db"
    a = Storage.open(db, tz=UTC, now=T0, busy_timeout_s=0.3)
    b = Storage.open(db, tz=UTC, now=T0, busy_timeout_s=0.3)
    stop = threading.Event()

    def hog():
        while not stop.is_set():
            with a._transaction() as c:
                c.execute(
                    "INSERT INTO settings(key, value) VALUES ('hog', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = value + 1"
                )
                time.sleep(0.04)

    thread = threading.Thread(target=hog)
    thread.start()
    try:
        time.sleep(0.1)
        for _ in range(5):
            b.record_attempt("quiz", "q", "terms", True, 1.0, now=T0)
    finally:
        stop.set()
        thread.join()
    assert b.topic_accuracy() == {"terms": (5, 5)}
    a.close()
    b.close()
