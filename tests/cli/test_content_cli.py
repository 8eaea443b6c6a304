"""`studyapp content check|import|errata` as a user runs them."""

from __future__ import annotations

import re
import shutil
import textwrap
import tomllib
from pathlib import Path

from studyapp import paths
from studyapp.core.cards import build_cards
from studyapp.core.content import load_content

NOTES = textwrap.dedent("""\
    # My notes

    Some prose, then a table:

    | Function | Equation | Use Cases |
    |----------|----------|-----------|
    | **Sigmoid** | σ(x) = 1 / (1 + e^(-x)) | - Binary classification<br>- Gates |
    | Tanh | $\\tanh(x)$ | Hidden layers |
    | ReLU | max(0, x) | CNNs \\| MLPs |

    | Term | Definition |
    |---|---|
    | Epoch | One pass over the data |
    | Sigmoid | the logistic function |
""")


def test_check_passes_on_the_shipped_content(cli):
    result = cli("content", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("content OK: ")
    assert "errata" in lines[0]


def test_check_fails_with_file_line_for_each_problem(cli, tmp_path):
    bad = tmp_path / "content"
    shutil.copytree(paths.content_dir(), bad)
    text = (bad / "activations.toml").read_text(encoding="utf-8")
    text = text.replace('formula = "1/(1 + exp(-z))"', 'formula = "1/(1 + exp(-z)"', 1)
    text = text.replace('id = "act.tanh"', 'id = "act.sigmoid"', 1)
    text = text.replace('range = "(0, 1), never reaching 0 or 1"', 'rnage = "(0, 1)"', 1)
    (bad / "activations.toml").write_text(text, encoding="utf-8")
    result = cli("content", "check", "--path", str(bad))
    assert result.returncode == 1
    problems = result.stdout.strip().splitlines()
    assert len(problems) >= 4
    assert all(re.match(r"^[^:]+\.toml:\d+: \S", p) for p in problems), problems
    joined = "\n".join(problems)
    assert "does not parse" in joined or "is invalid" in joined
    assert "duplicate id 'act.sigmoid'" in joined
    assert "unknown key 'rnage'" in joined and "missing field 'range'" in joined
    assert "Traceback" not in result.stderr


def _line_of(path: Path, text: str, after: str = "") -> int:
    """Number of the first line of ``path`` holding ``text`` (after the line holding ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines[start:], start + 1) if text in line)


def test_check_finds_wrong_maths_in_a_copy_of_the_content(cli, tmp_path):
    # the notes' own slips, a wrong optimizer rule and a wrong loss reduction, in a copy of content/
    bad = tmp_path / "content"
    shutil.copytree(paths.content_dir(), bad)
    edits = {
        "activations.toml": [
            ('formula = "1/(1 + exp(-z))"', 'formula = "1/(1+exp(z))"'),
            ('derivative = "1 - tanh(z)^2"', 'derivative = "1 - sigma(z)^2"'),
        ],
        "optimizers.toml": [('rhs = "m/(1 - beta1^t)"', 'rhs = "m"')],
        "losses.toml": [
            (
                'reduction = "sum"\nuse = ["Binary classification with a sigmoid',
                'reduction = "mean"\nuse = ["Binary classification with a sigmoid',
            )
        ],
    }
    for name, pairs in edits.items():
        text = (bad / name).read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        (bad / name).write_text(text, encoding="utf-8")

    result = cli("content", "check", "--path", str(bad), "--no-user")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    acts, opts, losses = bad / "activations.toml", bad / "optimizers.toml", bad / "losses.toml"
    expected = [
        f"content/activations.toml:{_line_of(acts, 'sigma(z)*(1 - sigma(z))')}: act.sigmoid: "
        "derivative 'sigma(z)*(1 - sigma(z))' is not d/dz of the formula '1/(1+exp(z))'",
        f"content/activations.toml:{_line_of(acts, 'engine =', 'act.sigmoid')}: act.sigmoid: the "
        "function '1/(1+exp(z))' disagrees with the engine's 'sigmoid'",
        f"content/activations.toml:{_line_of(acts, '1 - sigma(z)^2')}: act.tanh: derivative "
        "'1 - sigma(z)^2' is not d/dz of the formula",
        f"content/optimizers.toml:{_line_of(opts, 'm_hat', 'opt.adam')}: opt.adam: "
        "step 3 (m_hat ← m) disagrees with the engine's 'adam'",
        f"content/losses.toml:{_line_of(losses, 'reduction =', 'loss.bce')}: loss.bce: reduction "
        "'mean' disagrees with the engine's 'bce', which takes the sum over the 3 outputs",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert len(lines) == len(expected), lines  # nothing else is blamed
    assert "Traceback" not in result.stderr
    # the structure of the copy is fine: the maths check is what catches these
    structure = cli("content", "check", "--path", str(bad), "--no-user", "--structure-only")
    assert structure.returncode == 0, structure.stdout


def test_usage_errors_are_one_line(cli, tmp_path):
    for args in (
        ("content",),
        ("content", "import", str(tmp_path / "missing.md")),
        ("content", "check", "--path", str(tmp_path / "nope")),
    ):
        result = cli(*args)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    empty = tmp_path / "empty.md"
    empty.write_text("no tables here\n", encoding="utf-8")
    result = cli("content", "import", str(empty))
    assert result.returncode == 2 and "no Markdown tables" in result.stderr


def test_import_then_reimport_keeps_ids(cli, tmp_path, data_dir):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    result = cli("content", "import", str(notes))
    assert result.returncode == 0, result.stderr
    assert "imported 5 rows from 2 tables" in result.stdout
    target = data_dir / "content" / "notes.toml"
    first = tomllib.loads(target.read_text(encoding="utf-8"))
    ids = {(e["name"], tuple(e["columns"])): e["id"] for e in first["entry"]}
    fn, term = ("Function", "Equation", "Use Cases"), ("Term", "Definition")
    assert first["topic"] == "user"
    sigmoid = first["entry"][0]
    assert sigmoid["name"] == "Sigmoid"  # bold markers removed
    assert sigmoid["columns"]["Use Cases"] == "Binary classification\nGates"
    assert first["entry"][2]["columns"]["Use Cases"] == "CNNs | MLPs"

    # edit: change a cell, rename one row, reorder, add a row
    edited = (
        NOTES.replace("Hidden layers", "Hidden layers, RNNs")
        .replace("| ReLU | max(0, x)", "| Rectifier | max(0, x)")
        .replace("| Epoch | One pass over the data |\n", "")
        .replace(
            "| Sigmoid | the logistic function |\n",
            "| Sigmoid | the logistic function |\n| Epoch | One full pass |\n| Batch | a few examples |\n",
        )
    )
    notes.write_text(edited, encoding="utf-8")
    result = cli("content", "import", str(notes))
    assert result.returncode == 0, result.stderr
    assert "4 kept their ids, 2 new" in result.stdout
    second = tomllib.loads(target.read_text(encoding="utf-8"))
    new_ids = {e["name"]: e["id"] for e in second["entry"]}
    assert new_ids["Tanh"] == ids[("Tanh", fn)]
    assert new_ids["Epoch"] == ids[("Epoch", term)]
    sigmoids = [e["id"] for e in second["entry"] if e["name"] == "Sigmoid"]
    assert sigmoids == [ids[("Sigmoid", fn)], ids[("Sigmoid", term)]]
    assert new_ids["Rectifier"] not in ids.values() and new_ids["Batch"] not in ids.values()
    assert len(set(new_ids.values())) == len(new_ids)

    # the imported notes are content like any other: validated, loaded, turned into cards
    assert cli("content", "check").returncode == 0
    content = load_content()
    mine = content.topic("user")
    assert len(mine) == 6 and all(e.deck == "Deep Learning::My notes" for e in mine)
    cards = [c for c in build_cards(content) if c.topic == "user"]
    tanh = next(c for c in cards if c.entry_id == new_ids["Tanh"] and c.template == "col_equation")
    assert tanh.front == "Tanh — Equation?" and tanh.back == "tanh(x)"
    assert tanh.back_html == "<div>\\(\\tanh(x)\\)</div>"
    entry = content.by_id[new_ids["Tanh"]]
    assert (
        entry.fields["Equation"] == "$\\tanh(x)$"
        and entry.fields["Use Cases"] == "Hidden layers, RNNs"
    )
    assert "Function" not in entry.fields  # the first column is the name


def test_broken_user_file_is_reported_with_its_path(cli, data_dir):
    user = data_dir / "content"
    user.mkdir(parents=True, exist_ok=True)
    (user / "mine.toml").write_text(
        'topic = "user"\n\n[[entry]]\nid = "user.x.y"\nname = "Y"\n', encoding="utf-8"
    )
    result = cli("content", "check")
    assert result.returncode == 1
    assert re.search(r"mine\.toml:3: missing field 'columns'", result.stdout)


def test_errata_command_lists_corrections(cli):
    result = cli("content", "errata", "--format", "json")
    assert result.returncode == 0
    import json

    errata = json.loads(result.stdout)["errata"]
    assert any(e["id"] == "err.gradient_descent_sign" for e in errata)
    assert all(
        {"id", "title", "kind", "location", "says", "correct", "why"} <= set(e) for e in errata
    )
    text = cli("content", "errata").stdout
    # listed by title and kind, not by line number; the LaTeX in them rendered, words kept apart
    assert "Gradient descent written with a plus sign [error]  (err.gradient_descent_sign)" in text
    assert "[ambiguous notation]  (err.tanh_derivative)" in text
    assert "xᵢ₊₁ = xᵢ − α∇f(xᵢ)" in text and "a decreasing function whose derivative" in text


def test_import_in_process_validates_before_writing(tmp_path, data_dir):
    import argparse

    from studyapp.commands.content import parse_markdown_tables, run

    tables = parse_markdown_tables(NOTES)
    assert [t["headers"] for t in tables] == [
        ["Function", "Equation", "Use Cases"],
        ["Term", "Definition"],
    ]
    notes = tmp_path / "n.md"
    notes.write_text(NOTES, encoding="utf-8")
    assert (
        run(argparse.Namespace(content_command="import", notes=str(notes), name="Deep Notes!")) == 0
    )
    assert (Path(data_dir) / "content" / "deep_notes.toml").is_file()
    ids = [e.id for e in load_content().topic("user")]
    assert all(i.startswith("user.deep_notes.") for i in ids)


def test_import_accepts_bom_and_crlf(tmp_path, data_dir):
    import argparse

    from studyapp.commands.content import run

    notes = tmp_path / "win.md"
    notes.write_bytes(("\ufeff" + NOTES).replace("\n", "\r\n").encode("utf-8"))
    assert run(argparse.Namespace(content_command="import", notes=str(notes), name=None)) == 0
    entries = tomllib.loads((Path(data_dir) / "content" / "win.toml").read_text(encoding="utf-8"))[
        "entry"
    ]
    assert list(entries[0]["columns"]) == ["Function", "Equation", "Use Cases"]
    assert entries[0]["columns"]["Use Cases"] == "Binary classification\nGates"
