"""`studyapp export --format revlog`: the review log as the FSRS tools' CSV, read back the way
those tools read it (fsrs-optimizer's day arithmetic), gives exactly the optimizer's own items."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs_rs_python
import pytest

from studyapp.core.revlog import REVLOG_COLUMNS, training_items
from studyapp.core.scheduling import State
from studyapp.storage import Storage
from studyapp.study.optimize import study_day_numbers
from tests.study.learner import simulate_into

#: UTC+9, where the learner's sessions at 18:55 UTC (03:55 there) cross the 04:00 rollover: a
#: card's 10-minute learning step falls on the next study day there, and delta_t says so.
TZ = "Asia/Tokyo"
START = datetime(2026, 1, 5, 18, 55, tzinfo=UTC)


@pytest.fixture
def store(data_dir):
    """The data directory's database (what the CLI opens) with 15 days of a learner's reviews."""
    with Storage.open(tz=ZoneInfo(TZ)) as s:
        simulate_into(s, cards=30, days=15, seed=5, start=START)
        yield s


def export(cli, path, *more):
    result = cli("export", "--format", "revlog", "--output", str(path), *more, env={"TZ": TZ})
    assert result.returncode == 0, result.stderr
    return result


def read_rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_csv_holds_every_review_with_the_state_before_it(cli, store, tmp_path):
    out = tmp_path / "revlog.csv"
    result = export(cli, out)
    assert result.stdout == ""
    log = store.review_log()
    assert f"wrote {len(log)} reviews to {out}" in result.stderr
    assert f"time zone {TZ}, study days start at 4:00" in result.stderr
    rows = read_rows(out)
    assert tuple(rows[0]) == REVLOG_COLUMNS
    assert [tuple(int(v) for v in row.values()) for row in rows] == [r.row() for r in log]
    # review_state is the card's state when reviewed: New for its first review, then the state
    # its previous review left it in (the card's own history says which).
    for n in (1, 2, 3):
        states = [int(r["review_state"]) for r in rows if r["card_id"] == str(n)]
        after = [State[h["state_after"].title()] for h in store.card_history(f"card{n}")]
        assert states == [State.New, *after[:-1]]
    assert {r["review_rating"] for r in rows} <= {"1", "2", "3", "4"}


def as_fsrs_items(items) -> list[str]:
    """fsrs-rs's own FSRSItems (compared by their repr: they define no equality)."""
    return [
        repr(fsrs_rs_python.FSRSItem([fsrs_rs_python.FSRSReview(r, d) for r, d in item]))
        for item in items
    ]


def items_the_fsrs_tools_way(rows, tz: str, day_start: int) -> list[tuple[tuple[int, int], ...]]:
    """Items from the CSV as fsrs-optimizer and fsrs-rs-python's example build them: a review's
    day is its local date after subtracting the day-start hours; per card from its last learning
    block; one item per review on a later day; items in time order."""
    by_card = defaultdict(list)
    for row in rows:
        by_card[row["card_id"]].append(
            (int(row["review_time"]), int(row["review_rating"]), int(row["review_state"]))
        )
    timed = []
    for reviews in by_card.values():
        reviews.sort()
        start = max(i for i, (_t, _r, state) in enumerate(reviews) if state == 0)
        reviews = reviews[start:]
        days = [
            (
                datetime.fromtimestamp(t / 1000, UTC).astimezone(ZoneInfo(tz))
                - timedelta(hours=day_start)
            ).date()
            for t, _r, _s in reviews
        ]
        steps = [(reviews[0][1], 0)] + [
            (reviews[i][1], (days[i] - days[i - 1]).days) for i in range(1, len(reviews))
        ]
        timed += [
            (reviews[i][0], tuple(steps[: i + 1])) for i in range(1, len(steps)) if steps[i][1] > 0
        ]
    return [item for _t, item in sorted(timed)]


def test_the_csv_round_trips_into_the_optimizers_items(cli, store, tmp_path):
    out = tmp_path / "revlog.csv"
    export(cli, out)
    in_app = [
        i.reviews
        for i in training_items(
            store.review_log(), study_day_numbers(store.settings, store.tz)
        ).items
    ]
    from_csv = items_the_fsrs_tools_way(read_rows(out), TZ, store.settings.day_starts_at_hour)
    assert len(in_app) > 50
    assert as_fsrs_items(from_csv) == as_fsrs_items(in_app)
    # The learner's time zone matters: counted in UTC days, the same reviews give other items.
    assert items_the_fsrs_tools_way(read_rows(out), "UTC", 4) != from_csv


def test_a_second_export_keeps_the_first_as_bak_and_stdout_works(cli, store, tmp_path):
    out = tmp_path / "revlog.csv"
    export(cli, out)
    first = out.read_text(encoding="utf-8")
    store.record_review("card1", 3, datetime(2026, 2, 1, 9, tzinfo=UTC), 4.0)
    export(cli, out)
    assert (tmp_path / "revlog.csv.bak").read_text(encoding="utf-8") == first
    assert out.read_text(encoding="utf-8").startswith(first.splitlines()[0])
    assert len(read_rows(out)) == len(read_rows(tmp_path / "revlog.csv.bak")) + 1
    piped = export(cli, "-")
    assert piped.stdout.replace("\r\n", "\n") == out.read_text(encoding="utf-8").replace(
        "\r\n", "\n"
    )
