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
