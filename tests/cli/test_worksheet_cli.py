"""`studyapp worksheet` as a user runs it."""

from __future__ import annotations


def test_same_seed_gives_the_same_file(cli, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    for out in (a, b):
        result = cli(
            "worksheet", "--count", "4", "--seed", "17", "--format", "html", "--output", str(out)
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
    assert a.read_bytes() == b.read_bytes()
    assert b"Answer key" in a.read_bytes()


def test_markdown_sheet(cli, tmp_path):
    out = tmp_path / "sheet.md"
    result = cli("worksheet", "--count", "3", "--seed", "2", "--format", "md", "--output", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "# Answer key — sheet 2" in text


def test_bad_arguments_are_one_line_exit_2(cli, tmp_path):
    cases = [
        (["--count", "0", "--output", str(tmp_path / "x.html")], "--count"),
        (["--count", "three", "--output", str(tmp_path / "x.html")], "integer"),
        (["--count", "2", "--output", str(tmp_path / "nope" / "x.html")], "does not exist"),
        (
            ["--count", "2", "--format", "pdf", "--output", str(tmp_path / "x.pdf")],
            "invalid choice",
        ),
    ]
    for args, message in cases:
        result = cli("worksheet", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
