"""check-answer's faults of issue 15 (fixed on the checker branch), held here with the others: a
493-letter name gets a verdict, and "invalid" is the JSON on stdout plus one stderr line."""

from __future__ import annotations

import json


def test_a_very_long_name_gets_a_verdict(studyapp):
    result = studyapp("check-answer", "--expected", "a" * 493, "--answer", "x")
    assert result.code == 1 and "Traceback" not in result.err
    assert json.loads(result.out)["verdict"] == "incorrect"


def test_invalid_is_json_on_stdout_and_one_line_on_stderr(studyapp):
    result = studyapp("check-answer", "--expected", "a", "--answer", "(((")
    assert json.loads(result.out)["verdict"] == "invalid"
    line = result.one_error_line()
    assert line.startswith("studyapp check-answer: answer cannot be read")
