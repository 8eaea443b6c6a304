"""Round trips of every export format, written from a fixture list of CardSpec-like cards."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import zipfile

import genanki
import pytest

from studyapp.errors import UsageError
from studyapp.export import export_cards
from studyapp.export.apkg import BASIC_MODEL_ID, BASIC_REVERSED_MODEL_ID, CLOZE_MODEL_ID, DECK_IDS
from studyapp.export.records import BASIC, BASIC_REVERSED, CLOZE, from_spec, plan_notes, select
from studyapp.export.text_formats import html_to_markdown, read_anki_tsv
from tests.export.fixtures import edited, fixture_cards


@pytest.fixture
def cards():
    return fixture_cards()


# ----------------------------------------------------------------------------- records


def test_guid_is_genanki_guid_of_the_card_key(cards):
    card = from_spec(cards[0])
    assert card.id == "act.sigmoid::formula"
    assert card.guid == genanki.guid_for("act.sigmoid::formula")


def _plans(cards, **kw):
    return {p.card.id: p for p in plan_notes(select(cards), **kw)}


def test_note_plan(cards):
    plans = _plans(cards)
    assert plans["act.relu::cloze"].kind == CLOZE
    assert plans["act.sigmoid::derivative"].kind == BASIC  # a derivative does not name its function
    # the content's definition/term pair becomes one two-card note; the term card is not a note
    pair = plans["term.epoch::definition"]
    assert pair.kind == BASIC_REVERSED and pair.reverse.id == "term.epoch::term"
    assert "term.epoch::term" not in plans
    # a short definition without a pair is mirrored
    assert plans["term.bias::definition"].kind == BASIC_REVERSED
    assert plans["term.bias::definition"].reverse is None
    # every card is carried by exactly one note
    carried = [c.id for p in plans.values() for c in p.cards]
    assert sorted(carried) == sorted(c.key for c in cards)


def test_without_merging_pairs_every_card_is_a_note(cards):
    plans = _plans(cards, merge_pairs=False)
    assert len(plans) == len(cards)
    assert plans["term.epoch::definition"].kind == BASIC  # its reverse is a note of its own
    assert plans["term.bias::definition"].kind == BASIC_REVERSED


def test_long_sides_are_not_mirrored(cards):
    long = edited(cards, "term.bias::definition", back="x" * 500)
    assert _plans(long)["term.bias::definition"].kind == BASIC


def test_tags_are_anki_safe_and_include_topic(cards):
    card = from_spec(next(c for c in cards if c.key == "term.epoch::definition"))
    assert card.tags == ("terms", "training_loop")
    assert all(" " not in t for t in card.tags)


def test_select_orders_by_topic_and_filters(cards):
    order = [c.topic for c in select(cards)]
    assert order == ["activations"] * 3 + ["losses"] + ["terms"] * 3 + ["concepts"]
    assert {c.topic for c in select(cards, "losses")} == {"losses"}


@pytest.mark.parametrize(
    "topic,message", [("bogus", "unknown topic"), ("user", "no cards for topic")]
)
def test_select_rejects_bad_topics(cards, topic, message):
    with pytest.raises(UsageError, match=message):
        select(cards, topic)


# ----------------------------------------------------------------------------- JSON / CSV / TSV


def test_json_round_trip(cards, tmp_path):
    out = tmp_path / "cards.json"
    assert export_cards("json", out, cards=cards) == len(cards)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == 1
    assert [c["id"] for c in doc["cards"]] == [c.id for c in select(cards)]
    for item in doc["cards"]:
        assert {"id", "guid", "deck", "front", "back", "tags", "source"} <= item.keys()
        assert item["guid"] == genanki.guid_for(item["id"])
        assert item["deck"].startswith("Deep Learning::")
    sigmoid = next(c for c in doc["cards"] if c["id"] == "act.sigmoid::formula")
    assert sigmoid["front"] == "Sigmoid σ(z)"  # unicode survives (ensure_ascii=False)
    assert sigmoid["tags"] == ["activations", "sigmoid"]


def test_json_ids_and_guids_stable_across_content_edits(cards, tmp_path):
    export_cards("json", tmp_path / "a.json", cards=cards)
    changed = edited(cards, "act.sigmoid::formula", back="σ(z) = 1/(1+exp(-z))", back_html="new")
    export_cards("json", tmp_path / "b.json", cards=changed)
    a = json.loads((tmp_path / "a.json").read_text())["cards"]
    b = json.loads((tmp_path / "b.json").read_text())["cards"]
    assert [(c["id"], c["guid"]) for c in a] == [(c["id"], c["guid"]) for c in b]
    assert a[0]["back"] != b[0]["back"]


def test_csv_round_trip_keeps_tabs_quotes_and_newlines(cards, tmp_path):
    out = tmp_path / "cards.csv"
    export_cards("csv", out, cards=cards)
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(cards)
    by_id = {r["id"]: r for r in rows}
    tricky = by_id["concept.tricky::explain"]
    assert tricky["front"] == 'Why "vanishing"\tgradients?'
    assert tricky["back"] == "Products of many\nsmall factors < 1"
    assert by_id["act.relu::cloze"]["note_type"] == "cloze"
    assert by_id["term.epoch::definition"]["tags"].split() == ["terms", "training_loop"]


def test_tsv_has_anki_headers_and_parses_back(cards, tmp_path):
    out = tmp_path / "cards.txt"
    export_cards("tsv", out, cards=cards)
    text = out.read_text(encoding="utf-8")
    headers, rows = read_anki_tsv(text)
    assert headers == {
        "separator": "tab",
        "html": "true",
        "notetype column": "1",
        "deck column": "2",
        "tags column": "5",
        "guid column": "6",
    }
    assert len(rows) == len(cards)
    assert all(len(r) == 6 for r in rows)
    body = text.split("\n", 6)[6]
    # One note per line: no raw newline inside a field, and no note line looks like a header.
    assert len(body.strip("\n").split("\n")) == len(cards)
    assert not any(line.startswith("#") for line in body.splitlines())
    by_guid = {r[5]: r for r in rows}
    sigmoid = by_guid[genanki.guid_for("act.sigmoid::formula")]
    assert sigmoid[:2] == ["Basic", "Deep Learning::Activations"]
    assert by_guid[genanki.guid_for("term.bias::definition")][0] == "Basic (and reversed card)"
    assert by_guid[genanki.guid_for("term.epoch::term")][0] == "Basic"  # pairs stay two notes
    assert "\\(" in sigmoid[3]
    cloze = by_guid[genanki.guid_for("act.relu::cloze")]
    assert cloze[0] == "Cloze" and "{{c1::" in cloze[2]
    tricky = by_guid[genanki.guid_for("concept.tricky::explain")]
    assert "\t" not in tricky[2]
    assert tricky[4] == "concepts"


# ----------------------------------------------------------------------------- Markdown


def test_markdown_is_grouped_by_topic_with_dollar_math(cards, tmp_path):
    out = tmp_path / "sheet.md"
    export_cards("md", out, cards=cards)
    text = out.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Contents", "## Activations", "## Losses", "## Terms", "## Concepts"]
    assert "$\\sigma(z) = \\frac{1}{1 + e^{-z}}$" in text
    assert "\\(" not in text and "\\)" not in text
    assert "$y a > 1$" in text  # entities decoded inside formulas
    assert "- small factors $< 1$" in text  # HTML list became a Markdown list
    assert "ReLU(z) = […]" in text  # the cloze deletion is blanked in the question


def test_html_to_markdown_basics():
    assert (
        html_to_markdown("<b>bold</b> and <i>it</i><br>x \\[a^2\\]")
        == "**bold** and *it*\nx $$a^2$$"
    )


# ----------------------------------------------------------------------------- apkg


def _read_apkg(path):
    with zipfile.ZipFile(path) as zf:
        assert "collection.anki2" in zf.namelist()
        data = zf.read("collection.anki2")
    db = path.parent / (path.name + ".sqlite")
    db.write_bytes(data)
    conn = sqlite3.connect(db)
    try:
        notes = conn.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY guid").fetchall()
        cards = conn.execute("SELECT nid, did, ord FROM cards").fetchall()
        models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
        decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        conn.close()
    return notes, cards, models, decks


def test_apkg_round_trip(cards, tmp_path):
    out = tmp_path / "deck.apkg"
    assert export_cards("apkg", out, cards=cards, timestamp=1_700_000_000) == len(cards)
    notes, card_rows, models, decks = _read_apkg(out)
    note_keys = [c.key for c in cards if c.key != "term.epoch::term"]  # carried by its pair's note
    assert sorted(g for g, *_ in notes) == sorted(genanki.guid_for(k) for k in note_keys)
    assert {int(k) for k in models} == {BASIC_MODEL_ID, BASIC_REVERSED_MODEL_ID, CLOZE_MODEL_ID}
    deck_names = {d["name"]: int(k) for k, d in decks.items()}
    for name in (
        "Deep Learning::Activations",
        "Deep Learning::Losses",
        "Deep Learning::Terms",
        "Deep Learning::Concepts",
    ):
        assert deck_names[name] == DECK_IDS[name]
    fields = {g: flds.split("\x1f") for g, _mid, flds, _tags in notes}
    sigmoid = fields[genanki.guid_for("act.sigmoid::formula")]
    assert sigmoid[1] == "\\(\\sigma(z) = \\frac{1}{1 + e^{-z}}\\)"  # MathJax kept verbatim
    assert sigmoid[2] == "content/activations.toml:3"
    assert fields[genanki.guid_for("act.relu::cloze")][0] == "ReLU(z) = {{c1::\\(\\max(0, z)\\)}}"
    epoch = fields[genanki.guid_for("term.epoch::definition")]
    assert epoch[:4] == [
        "Epoch",
        "One full pass over the training set",
        "<div>Which term is this?</div><div>One full pass over the training set</div>",
        "<div>Epoch</div>",
    ]
    bias = fields[genanki.guid_for("term.bias::definition")]
    assert bias[2:4] == [bias[1], bias[0]]  # mirrored
    tags = {g: t.split() for g, _mid, _f, t in notes}
    assert tags[genanki.guid_for("term.epoch::definition")] == ["terms", "training_loop", "term"]
    # two reversed notes give two cards each, the others one
    assert len(notes) == len(cards) - 1
    assert len(card_rows) == len(notes) + 2


def test_apkg_guids_stable_across_two_exports(cards, tmp_path):
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export_cards("apkg", first, cards=cards, timestamp=1_700_000_000)
    changed = edited(cards, "term.bias::definition", back_html="One complete pass")
    export_cards("apkg", second, cards=changed, timestamp=1_700_000_500)
    a, _, models_a, decks_a = _read_apkg(first)
    b, _, models_b, decks_b = _read_apkg(second)
    assert [g for g, *_ in a] == [g for g, *_ in b]
    assert [m for _, m, *_ in a] == [m for _, m, *_ in b]
    assert set(models_a) == set(models_b) and set(decks_a) == set(decks_b)
    assert any("One complete pass" in flds for _, _, flds, _ in b)


def test_apkg_topic_filter(cards, tmp_path):
    out = tmp_path / "act.apkg"
    assert export_cards("apkg", out, topic="activations", cards=cards) == 3
    notes, _, _, decks = _read_apkg(out)
    assert len(notes) == 3
    assert "Deep Learning::Losses" not in {d["name"] for d in decks.values()}


# ----------------------------------------------------------------------------- atomic write, paths


def test_existing_file_is_backed_up_and_replaced(cards, tmp_path):
    out = tmp_path / "cards.json"
    out.write_text("old content", encoding="utf-8")
    export_cards("json", out, cards=cards)
    assert (tmp_path / "cards.json.bak").read_text(encoding="utf-8") == "old content"
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == 1
    export_cards("csv", out, cards=cards)  # second replacement: the backup is the JSON now
    assert json.loads((tmp_path / "cards.json.bak").read_text(encoding="utf-8"))["schema"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards.json", "cards.json.bak"]


def test_failed_write_leaves_original_and_no_temp_file(tmp_path):
    from studyapp.export.atomic import atomic_write

    out = tmp_path / "keep.txt"
    out.write_text("precious", encoding="utf-8")

    def explode(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(UsageError, match="no space left on device"):
        atomic_write(out, explode)
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_new_file_gets_normal_permissions(cards, tmp_path):
    out = tmp_path / "cards.csv"
    export_cards("csv", out, cards=cards)
    assert out.stat().st_mode & 0o044  # readable by others (mkstemp's 0600 was not kept)


@pytest.mark.parametrize(
    "make_path,message",
    [
        (lambda d: d / "missing" / "x.json", "does not exist"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "file").write_text("") or d / "file" / "x.json", "is not a directory"),
        (lambda d: "", "output path is empty"),
    ],
)
def test_bad_paths_raise_one_line_usage_errors(cards, tmp_path, make_path, message):
    with pytest.raises(UsageError, match=message) as info:
        export_cards("json", make_path(tmp_path), cards=cards)
    assert "\n" not in str(info.value)


def test_unknown_format(cards, tmp_path):
    with pytest.raises(UsageError, match="unknown export format"):
        export_cards("docx", tmp_path / "x", cards=cards)


def test_duplicate_keys_are_refused(cards, tmp_path):
    from studyapp.errors import DataError

    with pytest.raises(DataError, match="duplicate card key"):
        export_cards("json", tmp_path / "x.json", cards=cards + cards[:1])


# ----------------------------------------------------------------------------- progress


@pytest.mark.parametrize("fmt", ["apkg", "json"])
def test_progress_reaches_total(cards, tmp_path, fmt):
    calls = []
    export_cards(
        fmt, tmp_path / f"x.{fmt}", cards=cards, progress=lambda d, t: calls.append((d, t))
    )
    assert calls and calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_progress_bar_only_on_a_terminal():
    from studyapp.export.progress import render_bar, terminal_progress

    class FakeTTY(io.StringIO):
        def isatty(self):
            return True

    assert terminal_progress("x", io.StringIO()) is None
    stream = FakeTTY()
    bar = terminal_progress("Exporting", stream)
    bar(1, 4)
    bar(4, 4)
    bar.close()
    assert stream.getvalue().startswith("\rExporting [")
    assert stream.getvalue().endswith("4/4 100%\n")
    assert render_bar("L", 2, 4, width=4) == "L [##..] 2/4  50%"


def test_markdown_escapes_markup_outside_formulas_only():
    assert html_to_markdown("costs $5 and \\(a &lt; b\\)") == "costs \\$5 and $a < b$"
    assert html_to_markdown("sigma(z)*(1 - sigma(z)), leaky_relu, \\(a_i^2\\)") == (
        "sigma(z)\\*(1 - sigma(z)), leaky\\_relu, $a_i^2$"
    )
    # a bare "<" splits HTMLParser's text run; the formula must still come out whole
    assert html_to_markdown("\\(a < b\\)") == "$a < b$"


# ----------------------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


@settings(max_examples=40, deadline=None)
@given(fronts=st.lists(st.tuples(_text, _text), min_size=1, max_size=5))
def test_any_text_survives_json_and_csv_and_tsv_keeps_one_line_per_note(tmp_path_factory, fronts):
    from studyapp.core.cards import CardSpec

    specs = [
        CardSpec(
            key=f"x.{i}::t",
            entry_id=f"x.{i}",
            template="t",
            topic="terms",
            deck="Deep Learning::Terms",
            front=f,
            back=b,
            front_html=f,
            back_html=b,
        )
        for i, (f, b) in enumerate(fronts)
    ]
    d = tmp_path_factory.mktemp("prop")
    export_cards("json", d / "c.json", cards=specs)
    export_cards("csv", d / "c.csv", cards=specs)
    export_cards("tsv", d / "c.txt", cards=specs)
    doc = json.loads((d / "c.json").read_text(encoding="utf-8"))
    assert [(c["front"], c["back"]) for c in doc["cards"]] == [(s.front, s.back) for s in specs]
    with open(d / "c.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    norm = lambda t: t.replace("\r\n", "\n").replace("\r", "\n")  # noqa: E731  (csv universal newlines)
    assert [(norm(r["front"]), norm(r["back"])) for r in rows] == [
        (norm(s.front), norm(s.back)) for s in specs
    ]
    _, tsv_rows = read_anki_tsv((d / "c.txt").read_text(encoding="utf-8"))
    assert [r[5] for r in tsv_rows] == [genanki.guid_for(s.key) for s in specs]


def test_unwritable_directory_and_read_only_file(cards, tmp_path, monkeypatch):
    """Permissions are simulated through os.access: tests may run as root, who writes anywhere."""
    import studyapp.export.atomic as atomic

    locked = tmp_path / "locked"
    locked.mkdir()
    read_only = tmp_path / "ro.json"
    read_only.write_text("keep", encoding="utf-8")
    denied = {str(locked), str(read_only)}
    real_access = os.access
    monkeypatch.setattr(
        atomic.os, "access", lambda p, mode: str(p) not in denied and real_access(p, mode)
    )
    with pytest.raises(UsageError, match="permission denied for directory"):
        export_cards("json", locked / "x.json", cards=cards)
    with pytest.raises(UsageError, match="read-only"):
        export_cards("json", read_only, cards=cards)
    assert read_only.read_text(encoding="utf-8") == "keep"
    assert not (tmp_path / "ro.json.bak").exists()
