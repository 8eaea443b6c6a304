"""Property tests (hypothesis, modest sizes): the renderers and parsers never crash, and imported
cells survive the trip through TOML unchanged."""

from __future__ import annotations

import re
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.commands.content import build_user_toml, parse_markdown_tables
from studyapp.core.content import formula_problem
from studyapp.core.mathtext import latex_to_plain, latex_to_unicode, plain_scripts, prose_to_unicode

LATEXISH = st.lists(
    st.sampled_from(
        list("\\{}^_&$()[]|+-=<>,.;: azxy0129")
        + [
            "\\frac",
            "\\sqrt",
            "\\begin{cases}",
            "\\end{cases}",
            "\\left",
            "\\right",
            "\\text{",
            "\\hat",
            "\\sigma",
            "\\\\",
            "\\mathbb{",
            "\\sum",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(LATEXISH)
def test_latex_renderers_never_raise(latex):
    from studyapp.core.mathtext import _Renderer, _tokenize

    # the renderer itself copes with any input (latex_to_unicode's safety net is not needed)
    assert isinstance(_Renderer(_tokenize(latex)).sequence(), str)
    assert isinstance(latex_to_unicode(latex), str)
    assert isinstance(latex_to_plain(latex), str)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(LATEXISH, st.sampled_from(["word", "the", "derivative"])), max_size=8))
def test_prose_rendering_never_raises_and_keeps_plain_words(pieces):
    text = " ".join(pieces)
    shown = prose_to_unicode(text)
    assert isinstance(shown, str)
    if not re.search(r"\\|[\^_]\{|\$", text):
        assert shown.split() == plain_scripts(text).split()  # no LaTeX: only ASCII scripts change


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("za()+-*/^., 12exp") + ["exp(", "sigma(", "max("]), max_size=30
    ).map("".join)
)
def test_formula_check_never_raises(text):
    problem = formula_problem(text, {"z", "a"})
    assert problem is None or isinstance(problem, str)


CELL = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="|\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=5))
def test_imported_cells_round_trip_through_toml(rows):
    md = "| Name | Value |\n|---|---|\n" + "".join(f"| {a} | {b} |\n" for a, b in rows)
    tables = parse_markdown_tables(md)
    text, kept, new = build_user_toml(tables, "prop", "notes.md", {})
    data = tomllib.loads(text)  # always valid TOML, whatever the cells hold
    parsed_rows = [cells for _, cells in tables[0]["rows"]]
    entries = data.get("entry", [])
    assert kept == 0 and new == len(entries)
    expected = [
        (c[0].replace("\n", " ").strip(), c[1]) for c in parsed_rows if c[0].strip() and c[1]
    ]
    assert [(e["name"], e["columns"]["Value"]) for e in entries] == expected
    assert len({e["id"] for e in entries}) == len(entries)
