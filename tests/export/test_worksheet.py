"""Worksheets: determinism, the mix of exercises, the answer key, self-contained HTML with MathML."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from studyapp.errors import UsageError
from studyapp.export import mathml as X
from studyapp.export import write_worksheet
from studyapp.export.worksheet import build_items, generate_numeric, render_worksheet


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_same_seed_same_sheet_byte_for_byte(fmt):
    assert render_worksheet(6, 17, fmt) == render_worksheet(6, 17, fmt)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_other_seed_other_sheet(fmt):
    assert render_worksheet(6, 17, fmt) != render_worksheet(6, 18, fmt)
    assert render_worksheet(3, 5, fmt) != render_worksheet(3, -5, fmt)


@pytest.mark.parametrize("seed", [0, 1, 17, 2024])
def test_every_sheet_of_three_or_more_mixes_all_kinds(seed):
    for count in (3, 7):
        kinds = Counter(item.kind for item in build_items(count, seed))
        assert set(kinds) == {"backprop", "optimizer", "numeric"}
        assert max(kinds.values()) - min(kinds.values()) <= 1
    assert len(build_items(1, seed)) == 1


def test_items_carry_engine_answers():
    from engine import exercises

    for item in build_items(9, 3):
        ex = item.exercise
        if item.kind == "backprop":
            again = exercises.solve_backprop(ex.to_dict())
            assert again["loss"] == pytest.approx(ex.answers.loss, rel=1e-12)
        elif item.kind == "optimizer":
            again = exercises.solve_optimizer(ex.to_dict())
            assert again["params"] == pytest.approx(list(ex.answers.params), rel=1e-12)


@pytest.mark.parametrize("count", [0, -1, 201])
def test_count_out_of_range(count):
    with pytest.raises(UsageError, match="--count"):
        build_items(count, 1)


def test_unknown_format():
    with pytest.raises(UsageError, match="unknown worksheet format"):
        render_worksheet(3, 1, "pdf")


# ----------------------------------------------------------------------------- numeric exercises


@pytest.mark.parametrize("seed", range(12))
def test_numeric_exercises_match_the_engine(seed):
    from engine import activations, losses

    for kind in ("activation", "loss", "softmax"):
        ex = generate_numeric(seed, kind)
        if kind == "activation":
            act = activations.ACTIVATIONS[ex["activation"]]
            z = np.array([ex["z"]])
            assert ex["answers"]["a"] == pytest.approx(act.value(z)[0].tolist())
            assert ex["answers"]["derivative"] == pytest.approx(act.derivative(z)[0].tolist())
        elif kind == "softmax":
            assert sum(ex["answers"]["a"]) == pytest.approx(1.0)
        else:
            loss = losses.LOSSES[ex["loss"]]
            a, y = np.array([ex["a"]]), np.array([ex["y"]])
            assert ex["answers"]["loss"] == pytest.approx(float(loss.value(a, y)[0]))
            if ex["loss"] == "cce":
                assert sum(ex["a"]) == pytest.approx(1.0) and sum(ex["y"]) == 1.0
            if ex["loss"] == "bce":
                assert all(0 < v < 1 for v in ex["a"]) and set(ex["y"]) <= {0.0, 1.0}
            if ex["loss"] == "hinge":
                assert set(ex["y"]) <= {-1.0, 1.0}


# ----------------------------------------------------------------------------- Markdown


def test_markdown_has_exercises_then_key():
    text = render_worksheet(6, 17, "md")
    assert text.startswith("# Deep learning worksheet — sheet 17\n")
    key_at = text.index("# Answer key — sheet 17")
    exercises = re.findall(r"^## Exercise (\d+)", text, re.M)
    answers = re.findall(r"^## Answer (\d+)", text, re.M)
    assert exercises == answers == [str(i) for i in range(1, 7)]
    assert all(
        text.index(f"## Exercise {i} ") < key_at < text.index(f"## Answer {i} ")
        for i in range(1, 7)
    )
    assert "page-break-before: always" in text[:key_at]
    # Problems do not give the answers away: the worked-solution headings live in the key only.
    assert "**Forward pass**" not in text[:key_at]
    assert "**Forward pass**" in text[key_at:]


def test_markdown_key_contains_the_loss_of_each_backprop_exercise():
    items = build_items(6, 17)
    text = render_worksheet(6, 17, "md")
    key = text[text.index("# Answer key") :]
    for item in items:
        if item.kind == "backprop":
            loss = item.exercise.answers.loss
            assert f"{loss:.4g}" in key


# ----------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def html_sheet() -> str:
    return render_worksheet(6, 17, "html")


def test_html_is_self_contained(html_sheet):
    assert html_sheet.startswith("<!DOCTYPE html>")
    lowered = html_sheet.lower()
    for forbidden in ("<script", "<link", "src=", "@import", "url(", "http://", "https://"):
        assert forbidden not in lowered, forbidden


def test_html_prints_with_key_on_a_new_page(html_sheet):
    css = html_sheet[html_sheet.index("<style>") : html_sheet.index("</style>")]
    media = css[css.index("@media print") :]
    assert re.search(r"\.key\s*\{[^}]*break-before:\s*page", media)
    assert "@page" in css
    assert html_sheet.index('<main class="exercises">') < html_sheet.index('<section class="key">')


def test_html_math_is_well_formed_mathml(html_sheet):
    blocks = re.findall(r"<math\b.*?</math>", html_sheet, re.S)
    assert len(blocks) > 50
    for block in blocks:
        root = ET.fromstring(block)  # raises on unbalanced or malformed markup
        assert root.tag == "math"
    assert "<mtable>" in html_sheet and "<mfrac>" in html_sheet


def test_html_key_has_every_answer(html_sheet):
    key = html_sheet[html_sheet.index('<section class="key">') :]
    assert [int(n) for n in re.findall(r'<section id="answer-(\d+)">', key)] == list(range(1, 7))
    items = build_items(6, 17)
    for item in items:
        if item.kind == "backprop":
            for v in item.exercise.answers.updated_biases[-1]:
                assert X.num(v) in key


def test_mathml_numbers():
    assert X.num(-0.0000123456) == (
        "<mrow><mn>−1.235</mn><mo>×</mo><msup><mn>10</mn><mn>−5</mn></msup></mrow>"
    )
    assert X.num(0.5) == "<mn>0.5</mn>"
    assert X.fmt_given(-0.25) == "−0.25" and X.fmt_given(3.0) == "3"
    assert X.num_text(2.5e-9) == "2.5×10^−9"


# ----------------------------------------------------------------------------- writing


def test_write_worksheet_keeps_a_backup(tmp_path):
    out = tmp_path / "sheet.html"
    write_worksheet(3, 1, "html", out)
    first = out.read_text(encoding="utf-8")
    write_worksheet(3, 2, "html", out)
    assert (tmp_path / "sheet.html.bak").read_text(encoding="utf-8") == first
    assert out.read_text(encoding="utf-8") != first


def test_write_worksheet_bad_path(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        write_worksheet(3, 1, "md", tmp_path / "no" / "sheet.md")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_chromium_prints_the_key_on_its_own_page(tmp_path):
    """A one-exercise sheet fits on one page; the key must still start a second page."""
    sheet = tmp_path / "one.html"
    write_worksheet(1, 4, "html", sheet)
    pdf = tmp_path / "one.pdf"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            sheet.as_uri(),
        ],
        capture_output=True,
        timeout=90,
    )
    assert pdf.exists() and pdf.stat().st_size > 1000, result.stderr[-500:]
    pages = len(re.findall(rb"/Type\s*/Page\b", Path(pdf).read_bytes()))
    assert pages == 2
