"""``studyapp check-answer`` as a user runs it: JSON out, exit 0/1/2, one-line errors."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest


def _run(cli, *args):
    result = cli("check-answer", *args, timeout=30)
    payload = json.loads(result.stdout) if result.stdout.strip() else None
    return result, payload


def test_correct_expression(cli):
    result, payload = _run(cli, "--expected", "exp(-z)/(1+exp(-z))^2", "--answer", "σ(z)(1−σ(z))")
    assert result.returncode == 0, result.stderr
    assert payload["verdict"] == "correct"
    assert set(payload) == {"verdict", "message", "expected", "answer", "diagnosis"}
    assert payload["answer"] == "sigma(z)*(1 - sigma(z))" and payload["diagnosis"] is None


def test_incorrect_with_diagnosis(cli):
    result, payload = _run(cli, "--expected", "a - y", "--answer", "y - a")
    assert result.returncode == 1
    assert payload["verdict"] == "incorrect" and "sign flipped" in payload["diagnosis"]


def test_adam_epsilon_trap(cli):
    result, payload = _run(
        cli, "--expected", "theta - eta*m/(sqrt(v)+eps)", "--answer", "theta - eta*m/sqrt(v)"
    )
    assert result.returncode == 1 and payload["verdict"] == "incorrect"


def test_invalid_prints_json_and_exits_2(cli):
    result, payload = _run(cli, "--expected", "z", "--answer", "__import__('os')")
    assert result.returncode == 2
    assert payload["verdict"] == "invalid" and "position 1" in payload["message"]
    assert "Traceback" not in result.stderr
    # the contract: the same reason as exactly one line on stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and payload["message"] in lines[0]


def test_no_real_value_is_incorrect_not_invalid(cli):
    result, payload = _run(cli, "--expected", "2", "--answer", "(-8)^(1/3)")
    assert result.returncode == 1 and payload["verdict"] == "incorrect"
    assert "no real value" in payload["message"] and result.stderr == ""


def test_a_493_letter_name_gets_a_verdict(cli):
    # issue 15: the diagnosis built a text longer than the limit (LimitError traceback)
    result, payload = _run(cli, "--expected", "q" * 493, "--answer", "x")
    assert result.returncode == 1 and payload["verdict"] == "incorrect", result.stderr
    assert "Traceback" not in result.stderr


def test_assume_states_a_domain(cli):
    # (a^b)^c is a^(bc) only for a positive base; Leaky ReLU's alpha is in (0, 1) by default
    args = ("--expected", "(a^b)^c", "--answer", "a^(b c)")
    result, payload = _run(cli, *args)
    assert result.returncode == 1 and "at a = -" in payload["message"]
    result, payload = _run(cli, *args, "--assume", "a > 0")
    assert result.returncode == 0, payload
    leaky = ("--expected", "max(0, z) + alpha*min(0, z)", "--answer", "max(αz, z)")
    assert _run(cli, *leaky)[0].returncode == 0
    # an assumption narrows the declared domain, it never widens it
    result, payload = _run(cli, *leaky, "--assume", "alpha > 0", "--assume", "alpha < 5")
    assert result.returncode == 0 and payload["verdict"] == "correct"
    result = cli("check-answer", *leaky, "--assume", "alpha > 2")
    assert result.returncode == 2 and "leaves no value" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_values_may_start_with_a_dash(cli):
    result, payload = _run(cli, "--expected", "-0.5", "--answer", "-(0.5)")
    assert result.returncode == 0 and payload["verdict"] == "correct"
    result, payload = _run(cli, "--expected", "a-y", "--answer=-(y-a)")
    assert result.returncode == 0


def test_numeric_tolerance_options(cli):
    result, payload = _run(cli, "--expected", "100", "--answer", "100.6")
    assert result.returncode == 1
    result, payload = _run(cli, "--expected", "100", "--answer", "100.6", "--rel-tol", "0.01")
    assert result.returncode == 0
    result, payload = _run(cli, "--expected", "0.01", "--answer", "0.0106", "--abs-tol", "1e-3")
    assert result.returncode == 0


def test_kind_and_vars(cli):
    result, payload = _run(
        cli, "--expected", "[[1,2],[3,4]]", "--answer", "[[1,3],[2,4]]", "--kind", "matrix"
    )
    assert result.returncode == 1 and "transposed" in payload["diagnosis"]
    result, payload = _run(cli, "--expected", "a*(1-a)", "--answer", "a - a q", "--vars", "a")
    assert result.returncode == 2 and "q" in payload["message"]


@pytest.mark.parametrize(
    "args",
    [
        ("--expected", "z"),
        ("--expected", "z", "--answer", "z", "--kind", "fuzzy"),
        ("--expected", "z", "--answer", "z", "--rel-tol", "-1"),
        ("--expected", "z", "--answer", "z", "--rel-tol", "abc"),
        ("--expected", "z", "--answer", "z", "--vars", "a+b"),
        ("--expected", "z", "--answer", "z", "--assume", "alpha in (0,"),
        ("--expected", "z", "--answer", "z", "--assume", "x > 1", "--assume", "x < 0"),
        ("--expected", "z", "--answer", "z", "--assume", "a+b > 0"),
        ("--expected", "z", "--answer", "z", "--assume", ""),
    ],
)
def test_usage_errors_are_one_line(cli, args):
    result = cli("check-answer", *args, timeout=30)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # a usage error is not a verdict


@pytest.mark.parametrize(
    "hostile",
    [
        "9^9^9^9",
        "()." + "__class__",
        "z" * 100_000,
        "(" * 5000,
        "lambda: 0",
        "\udcff",
        "1e99999",
        "open('pwned', 'w')",
        "__import__('os').system('touch pwned')",
    ],
)
def test_hostile_input_gets_a_verdict_and_leaves_nothing(cli, hostile, data_dir):
    repo = Path(__file__).resolve().parents[2]  # the cli fixture runs there
    start = time.monotonic()
    result = cli("check-answer", "--expected", "z", "--answer", hostile, timeout=10)
    assert time.monotonic() - start < 5  # 3 s for the verdict plus interpreter start-up
    assert result.returncode in (1, 2)
    payload = json.loads(result.stdout)
    assert payload["verdict"] in ("incorrect", "invalid")
    assert "Traceback" not in result.stderr
    assert not (repo / "pwned").exists()  # nothing was executed
    assert os.listdir(data_dir) == []  # and nothing written where the app keeps its data
