"""Benchmark of storage and scheduling.

Builds a database with N cards and 100 000 review-log rows whose histories come from the real
scheduler, then measures (p50 / p95 / max over repeats, milliseconds):

- the dashboard's counts query (``Storage.counts`` per topic and ``Storage.totals``),
- the next-card query (``Storage.next_card``),
- one committed review (``Storage.record_review``, fsync included; for information),
- everything ``studyapp stats`` computes (``compute_stats``; for information),
- ``PRAGMA quick_check``, which every open runs, and a whole ``Storage.open`` (for information),
- replaying 10 000 scheduled reviews through FSRS (``scheduling.replay``), checked against the
  card states stored in the database,

and, as the reference measured in the same run, a full scan of the review log
(``SELECT count(*), sum(rating) FROM review_log``); the ratios say how far the indexed queries
stay from scanning the history.

Targets (issue #6): counts ≤ 20 ms, next card ≤ 20 ms (with 100 k log rows), replay of 10 k
reviews ≤ 1 s. Exit status 1 if a target is missed.

    .venv/bin/python bench/storage.py [--rows 100000] [--cards 2000] [--repeat 50]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studyapp.core import scheduling as sch  # noqa: E402
from studyapp.core.cards import CardSpec  # noqa: E402
from studyapp.core.catalog import TOPICS  # noqa: E402
from studyapp.core.scheduling import Rating, State  # noqa: E402
from studyapp.storage import Storage, to_ms  # noqa: E402
from studyapp.study.stats import compute_stats  # noqa: E402

Spec = CardSpec.plain


def build(path: Path, n_cards: int, n_rows: int, now: datetime, seed: int = 7) -> dict[str, list]:
    """A database whose log has ``n_rows`` reviews spread over ``n_cards`` cards, ending at ``now``.

    Histories are produced by the scheduler itself (a learner who recalls 88 % of the time) and
    written in bulk, exactly as record_review would have written them. Returns {key: [(t, r)]}.
    """
    rng = random.Random(seed)
    settings = sch.Settings()
    store = Storage.open(path, tz=UTC, now=now)
    specs = [
        Spec(
            f"e{i // 2:05d}::t{i % 2}",
            f"e{i // 2:05d}",
            f"t{i % 2}",
            TOPICS[i % len(TOPICS)],
            "Deep Learning::Bench",
            f"front {i}",
            f"back {i}",
            [],
        )
        for i in range(n_cards)
    ]
    start = now - timedelta(days=365)
    store.sync_cards(specs, now=start)
    ids = {c.key: c.id for c in store.all_cards()}
    per_card = n_rows // n_cards
    histories: dict[str, list] = {}
    log_rows, card_rows = [], []
    for spec in specs:
        card = sch.CardState(due=start)
        t = start + timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        hist = []
        for _ in range(per_card):
            rating = Rating.Good if rng.random() < 0.88 else Rating.Again
            out = sch.review(card, rating, t, settings, spec.key)
            before = card
            card = out.after
            hist.append((t, rating))

            def snap(c):
                return {
                    "state": int(c.state),
                    "step": c.step,
                    "stability": c.stability,
                    "difficulty": c.difficulty,
                    "due": to_ms(c.due),
                    "last_review": to_ms(c.last_review) if c.last_review else None,
                    "reps": c.reps,
                    "lapses": c.lapses,
                    "suspended": 0,
                    "leech": 0,
                    "buried_until": None,
                }

            log_rows.append(
                (
                    ids[spec.key],
                    to_ms(t),
                    int(rating),
                    rng.randint(2000, 20000),
                    json.dumps(snap(before)),
                    json.dumps(snap(card)),
                    int(before.state),
                    to_ms(card.due),
                    '{"siblings": []}',
                )
            )
            # Compress time so every history ends before now: review at due, at most a week apart.
            t = min(card.due, t + timedelta(days=7)) + timedelta(minutes=rng.randint(0, 30))
            t = min(t, now - timedelta(minutes=1))
        histories[spec.key] = hist
        card_rows.append(
            (
                int(card.state),
                card.step,
                card.stability,
                card.difficulty,
                to_ms(card.due),
                to_ms(card.last_review),
                card.reps,
                card.lapses,
                ids[spec.key],
            )
        )
    log_rows.sort(key=lambda r: r[1])
    with store._transaction() as c:
        c.executemany(
            "INSERT INTO review_log (card_id, reviewed_at, rating, duration_ms, state_before,"
            " state_after, queue, due_after, undo) VALUES (?,?,?,?,?,?,?,?,?)",
            log_rows,
        )
        c.executemany(
            "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?,"
            " reps=?, lapses=? WHERE id=?",
            card_rows,
        )
    store._conn.execute("ANALYZE")
    store.close()
    return histories


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return sorted(out)


def line(name: str, ms: list[float], ref: float | None = None, target: float | None = None) -> str:
    p50 = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    s = f"{name:<28} p50={p50:8.3f} ms  p95={p95:8.3f} ms  max={ms[-1]:8.3f} ms"
    if ref:
        s += f"  ({p50 / ref:5.2f}x full log scan)"
    if target is not None:
        s += f"  target <= {target:g} ms: {'ok' if p95 <= target else 'MISSED'}"
    return s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--cards", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--replay", type=int, default=10_000)
    args = ap.parse_args()

    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "studyapp.db"
        t0 = time.perf_counter()
        histories = build(db, args.cards, args.rows, now)
        print(
            f"built {args.cards} cards, {sum(map(len, histories.values()))} review-log rows "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        store = Storage.open(db, tz=UTC, now=now, backup=False)
        store.save_settings({"new_per_day": 20, "reviews_per_day": 100_000})
        assert store.review_count() >= args.rows

        ref = timed(
            lambda: store._conn.execute("SELECT count(*), sum(rating) FROM review_log").fetchone(),
            max(5, args.repeat // 5),
        )
        ref50 = statistics.median(ref)
        print(line("reference: full log scan", ref))
        counts = timed(lambda: store.counts(now), args.repeat)
        totals = timed(lambda: store.totals(now), args.repeat)
        nxt = timed(lambda: store.next_card(now), args.repeat)
        print(line("counts (per topic)", counts, ref50, 20))
        print(line("totals", totals, ref50, 20))
        print(line("next card", nxt, ref50, 20))

        def p95(ms):
            return ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]

        ok &= p95(counts) <= 20 and p95(totals) <= 20 and p95(nxt) <= 20
        stats_ms = timed(lambda: compute_stats(store, now), max(5, args.repeat // 5))
        print(line("compute_stats (all stats)", stats_ms, ref50))
        # Every open checks the file (issue 15): its cost, and a whole open's, for information.
        quick = timed(
            lambda: store._conn.execute("PRAGMA quick_check").fetchall(), max(5, args.repeat // 5)
        )
        print(line(f"quick_check ({db.stat().st_size >> 20} MB file)", quick, ref50))
        opens = timed(
            lambda: Storage.open(db, tz=UTC, now=now, backup=False).close(),
            max(5, args.repeat // 5),
        )
        print(line("Storage.open (with the check)", opens, ref50))

        # The new-card queue (topics mixed by a window query): 1000 more cards never studied,
        # reviews switched off so next_card has to reach it.
        extra = [
            Spec(
                f"n{i:05d}::t0",
                f"n{i:05d}",
                "t0",
                TOPICS[i % len(TOPICS)],
                "Deep Learning::Bench",
                f"new {i}",
                "b",
                [],
            )
            for i in range(1000)
        ]
        store.sync_cards(
            [
                *(
                    Spec(c.key, c.entry_id, c.template, c.topic, c.deck, c.front, c.back, [])
                    for c in store.all_cards()
                ),
                *extra,
            ],
            now=now,
        )
        store.save_settings({"reviews_per_day": 0})
        with store._transaction() as c:  # learning cards aside too: next_card walks every queue
            c.execute("UPDATE cards SET suspended = 1 WHERE state IN (1, 3)")
        nxt_new = timed(lambda: store.next_card(now), args.repeat)
        assert store.next_card(now).state == State.New
        print(line("next card (all queues)", nxt_new, ref50, 20))
        ok &= p95(nxt_new) <= 20
        store.save_settings({"reviews_per_day": 100_000})
        with store._transaction() as c:
            c.execute("UPDATE cards SET suspended = 0 WHERE state IN (1, 3)")

        # One committed review (fsync included), on due cards, undone afterwards.
        reviews = []
        for _ in range(min(20, args.repeat)):
            card = store.next_card(now)
            t1 = time.perf_counter()
            store.record_review(card.key, Rating.Good, now, 5.0)
            reviews.append((time.perf_counter() - t1) * 1000)
        for _ in reviews:
            store.undo_last_review()
        print(line("record_review (committed)", sorted(reviews)))

        # Replay: 10 k scheduled reviews recomputed from the log's (time, rating) pairs.
        chosen, n = [], 0
        for key, hist in histories.items():
            if n >= args.replay:
                break
            chosen.append((key, hist))
            n += len(hist)
        settings = store.settings
        created = now - timedelta(days=365)
        t1 = time.perf_counter()
        replayed = {key: sch.replay(hist, settings, key, created=created) for key, hist in chosen}
        replay_s = time.perf_counter() - t1
        mismatches = sum(
            1
            for key, state in replayed.items()
            if (store.get_card(key).reps, store.get_card(key).due) != (state.reps, state.due)
        )
        ok &= replay_s <= 1.0 and mismatches == 0
        print(
            f"{'replay ' + str(n) + ' reviews':<28} {replay_s:8.3f} s ({replay_s / n * 1e6:.1f} us each)"
            f"  target <= 1 s: {'ok' if replay_s <= 1.0 else 'MISSED'};"
            f" states equal to the database: {len(replayed) - mismatches}/{len(replayed)}"
        )
        states = {s.name: 0 for s in State}
        for c in store.all_cards():
            states[c.state.name] += 1
        print(f"cards by state: {states}; due today: {store.totals(now)}")
        store.close()
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
