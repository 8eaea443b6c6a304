"""`studyapp export` as a user runs it: real content, every format, one-line errors."""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile

import pytest


@pytest.mark.parametrize(
    "args,message",
    [
        (["--format", "json", "--output", "{tmp}/missing/cards.json"], "does not exist"),
        (["--format", "json", "--output", "{tmp}"], "is a directory"),
        (["--format", "docx", "--output", "{tmp}/x.docx"], "invalid choice"),
        (["--format", "json", "--output", "{tmp}/x.json", "--topic", "bogus"], "invalid choice"),
        (["--format", "json"], "required"),
        (["--format", "revlog", "--output", "{tmp}/r.csv", "--topic", "losses"], "--topic does"),
        (["--format", "revlog", "--output", "{tmp}/missing/r.csv"], "does not exist"),
    ],
)
def test_bad_usage_is_one_line_exit_2(cli, tmp_path, args, message):
    result = cli("export", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_json_export_of_the_real_content(cli, tmp_path):
    out = tmp_path / "cards.json"
    result = cli("export", "--format", "json", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # messages go to stderr; stdout stays clean for scripts
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == 1 and len(doc["cards"]) > 20
    decks = {c["deck"] for c in doc["cards"]}
    assert {
        "Deep Learning::Activations",
        "Deep Learning::Losses",
        "Deep Learning::Optimizers",
    } <= decks
    ids = [c["id"] for c in doc["cards"]]
    assert len(ids) == len(set(ids))
    # the second export is identical: ids and guids are stable
    again = tmp_path / "again.json"
    assert cli("export", "--format", "json", "--output", str(again)).returncode == 0
    assert json.loads(again.read_text(encoding="utf-8")) == doc


def test_topic_filter_and_every_format(cli, tmp_path):
    for fmt in ("apkg", "tsv", "md", "json", "csv"):
        out = tmp_path / f"act.{fmt}"
        result = cli("export", "--format", fmt, "--output", str(out), "--topic", "activations")
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    doc = json.loads((tmp_path / "act.json").read_text(encoding="utf-8"))
    assert {c["deck"] for c in doc["cards"]} == {"Deep Learning::Activations"}
    with open(tmp_path / "act.csv", newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(doc["cards"])
    with zipfile.ZipFile(tmp_path / "act.apkg") as zf:
        (tmp_path / "col.sqlite").write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "col.sqlite")
    guids = {g for (g,) in conn.execute("SELECT guid FROM notes")}
    flds = [f for (f,) in conn.execute("SELECT flds FROM notes")]
    conn.close()
    assert guids == {c["guid"] for c in doc["cards"]}
    assert any("\\(" in f for f in flds)  # formulas reach Anki as MathJax


def test_existing_output_is_backed_up(cli, tmp_path):
    out = tmp_path / "cards.md"
    out.write_text("my own notes", encoding="utf-8")
    assert cli("export", "--format", "md", "--output", str(out)).returncode == 0
    assert (tmp_path / "cards.md.bak").read_text(encoding="utf-8") == "my own notes"
    assert out.read_text(encoding="utf-8").startswith("# Deep Learning")


def test_user_topic_without_imported_notes(cli, tmp_path):
    result = cli(
        "export", "--format", "json", "--output", str(tmp_path / "u.json"), "--topic", "user"
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no cards for topic 'user'" in result.stderr
    assert not (tmp_path / "u.json").exists()


def test_text_export_to_standard_output(cli, tmp_path):
    result = cli("export", "--format", "json", "--output", "-", "--topic", "losses")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {c["deck"] for c in doc["cards"]} == {"Deep Learning::Losses"}
    refused = cli("export", "--format", "apkg", "--output", "-")
    assert refused.returncode == 2 and "binary" in refused.stderr
