"""Shared fixtures: every test gets its own empty data directory."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch) -> Path:
    """``$STUDYAPP_DATA_DIR`` points at a fresh tmp dir (inherited by subprocesses too)."""
    path = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("STUDYAPP_DATA_DIR", str(path))
    return path


def run_cli(*args: str, input: str | None = None, timeout: float = 60, env: dict | None = None):
    """Run ``python -m studyapp ARGS`` the way a user would; returns CompletedProcess (text)."""
    full_env = dict(os.environ)
    full_env.pop("PYTHONWARNINGS", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=REPO,
    )


@pytest.fixture
def cli():
    return run_cli


def pytest_sessionfinish(session):
    """Collect the garbage now, then freeze what survives.

    Under xdist the controller tells a worker to stop as soon as the worker reports its session
    finished (xdist does that after every pytest_sessionfinish hook, this one included), and
    execnet sends the worker a SIGINT if it has not stopped 5 s later. pytest then still runs
    five full garbage collections over the worker's heap (some 370,000 objects after the UI
    tests): on a loaded machine that took more than 5 s, the SIGINT landed in hypothesis's gc
    callback, and the run ended with a PytestUnraisableExceptionWarning (KeyboardInterrupt).
    Collected here, the finalizers run (and any ResourceWarning is reported) before the stop is
    asked for; frozen, the survivors, which no collection could free, are not walked again.
    """
    gc.collect()
    gc.freeze()
