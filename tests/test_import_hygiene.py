"""Layering: heavy or upper layers are not imported where they must not be."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def _top(mods: set[str]) -> set[str]:
    return {m.split(".")[0] for m in mods}


def test_version_fast_path_imports_neither_textual_nor_sympy():
    code = (
        "import sys; sys.argv = ['studyapp', '--version']\n"
        "from studyapp.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()) as f: rc = main()\n"
        "assert rc == 0 and f.getvalue().startswith('studyapp '), f.getvalue()"
    )
    top = _top(_modules_after(code))
    assert "textual" not in top
    assert "sympy" not in top
    assert "numpy" not in top


def test_version_command_prints_version(cli):
    from studyapp import __version__

    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"studyapp {__version__}"


def test_engine_imports_neither_studyapp_textual_nor_sympy():
    mods = _modules_after(
        "import engine, pkgutil, importlib\n"
        "for m in pkgutil.walk_packages(engine.__path__, 'engine.'):\n"
        "    importlib.import_module(m.name)"
    )
    top = _top(mods)
    assert "numpy" in top  # the engine really loaded
    assert "engine.playground.race" in mods  # sub-packages too
    assert not {"studyapp", "textual", "sympy"} & top


def _walk(package: str) -> str:
    """Code that imports every module of ``package``."""
    return (
        f"import importlib, pkgutil, {package} as p\n"
        "for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.'):\n"
        "    importlib.import_module(m.name)"
    )


@pytest.mark.parametrize("package", ["studyapp.core", "studyapp.storage", "studyapp.study"])
def test_core_does_not_import_textual(package):
    assert "textual" not in _top(_modules_after(_walk(package)))


@pytest.mark.parametrize("package", ["studyapp.storage", "studyapp.study"])
def test_storage_and_study_load_sympy_only_when_asked(package):
    # The database and the review session open without the checker's sympy (0.2 s to import).
    top = _top(_modules_after(_walk(package)))
    assert "fsrs" in top  # the walk really loaded the scheduler
    assert "sympy" not in top
