"""`studyapp` and `studyapp review` with a database that cannot be opened: one line, exit 2,
the file untouched, and no full-screen app started."""

import pytest


@pytest.mark.parametrize("args", [(), ("review",)])
def test_unusable_database_is_one_line_before_the_screen(cli, data_dir, args):
    db = data_dir / "studyapp.db"
    db.write_bytes(b"not a database at all")
    out = cli(*args, timeout=30)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and str(db) in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert db.read_bytes() == b"not a database at all"


def test_review_of_an_unknown_deck_is_one_line_before_the_screen(cli, data_dir):
    out = cli("review", "--deck", "Transformers", timeout=30)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "no deck called 'Transformers'" in out.stderr
    assert "Activations" in out.stderr and "Traceback" not in out.stderr
    assert not (data_dir / "studyapp.db").exists()  # refused before anything was opened


@pytest.mark.parametrize(
    ("name", "topic"),
    [("losses", "losses"), ("My Notes", "user"), ("deep learning::terms", "terms")],
)
def test_deck_names_by_topic_title_or_full_name(name, topic):
    from studyapp.commands.tui import deck_topic_or_error

    assert deck_topic_or_error(name) == topic
