"""The content loader: the shipped content is valid, and broken content is reported as
``file:line: message``, every problem at once."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from studyapp.core.content import (
    ERRATUM_KINDS,
    ContentError,
    Entry,
    Erratum,
    formula_problem,
    load_content,
    validate,
)
from studyapp.errors import DataError

TOPICS = {"activations", "losses", "optimizers", "terms", "backprop", "concepts"}


@pytest.fixture(scope="module")
def content():
    return load_content(include_user=False)


def test_shipped_content_has_no_problems():
    content, problems = validate(include_user=False)
    assert problems == []
    assert {e.topic for e in content.entries} == TOPICS


def test_every_table_of_the_notes_is_covered(content):
    by_topic = {t: {e.name for e in content.topic(t)} for t in TOPICS}
    # the 11 activations of the notes' table (+ linear), every loss and optimizer, all 13 terms
    for name in [
        "Sigmoid",
        "Tanh",
        "ReLU",
        "Leaky ReLU",
        "ELU",
        "Softmax",
        "Argmax",
        "PReLU",
        "Swish",
        "Maxout",
        "Softplus",
        "SELU",  # named by the notes (line 755) and defined here
    ]:
        assert name in by_topic["activations"]
    assert len(content.topic("losses")) >= 9
    optimizer_ids = {e.id for e in content.topic("optimizers")}
    assert {
        "opt.batch_gd",
        "opt.sgd",
        "opt.minibatch_gd",
        "opt.momentum",
        "opt.adagrad",
        "opt.adadelta",
        "opt.rmsprop",
        "opt.adam",
        "opt.nesterov",
        "opt.adamw",
    } <= optimizer_ids
    # the 13 terms of the table, and the two it only names as key concepts
    assert len(content.topic("terms")) == 15
    assert {"term.bias_variance_tradeoff", "term.cross_validation"} <= content.by_id.keys()
    assert len(content.recommendations) == 8
    assert "concept.ewa" in content.by_id  # the notes' open question, answered


def test_ids_are_unique_and_well_formed(content):
    ids = (
        [e.id for e in content.entries]
        + [e.id for e in content.errata]
        + [r["id"] for r in content.recommendations]
    )
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", i) for i in ids)


def test_ids_are_written_in_the_files_not_derived(content):
    # every id appears literally as `id = "<id>"` in its file, at the line the entry reports
    for entry in content.entries:
        path, line = entry.source.rsplit(":", 1)
        from studyapp import paths

        text = (paths.content_dir() / Path(path).name).read_text(encoding="utf-8").splitlines()
        assert text[int(line) - 1] == f'id = "{entry.id}"', entry.source


def test_entry_fields_follow_the_interface(content):
    sigmoid = content.by_id["act.sigmoid"]
    assert isinstance(sigmoid, Entry) and sigmoid.topic == "activations"
    for key in (
        "aliases",
        "formula",
        "derivative",
        "latex",
        "derivative_latex",
        "range",
        "use",
        "pros",
        "cons",
        "notes",
    ):
        assert key in sigmoid.fields
    assert content.by_id["act.softmax"].fields["derivative"] is None
    assert content.by_id["act.softmax"].fields["derivative_note"]
    assert content.by_id["act.argmax"].fields["derivative"] is None
    assert sigmoid.deck == "Deep Learning::Activations"
    adam = content.by_id["opt.adam"].fields
    assert [s["lhs"] for s in adam["steps"]] == ["m", "v", "m_hat", "v_hat", "theta"]
    assert adam["hyperparameters"]["beta1"] == 0.9
    term = content.by_id["term.dropout"].fields
    assert term["definition"] and term["questions"] and term["key_concepts"]
    concept = content.by_id["concept.ewa"].fields
    assert concept["title"] and concept["body"] and concept["key_points"]


def test_errata_record_the_known_mistakes(content):
    ids = {e.id for e in content.errata}
    for known in [
        "err.gradient_descent_sign",
        "err.sigmoid_sign",
        "err.squared_error_derivative",
        "err.tanh_derivative",
        "err.example_layer_labels",
        "err.adaptive_loss",
    ]:
        assert known in ids
    assert len(content.errata) >= 20
    rows = {r["id"] for r in content.recommendations}
    for e in content.errata:
        assert isinstance(e, Erratum)
        assert e.title and len(e.title) <= 60 and e.kind in ERRATUM_KINDS
        assert e.location and e.says and e.correct and e.why
        assert e.says != e.correct
        assert all(ref in content.by_id or ref in rows for ref in e.entries)
    assert len({e.title for e in content.errata}) == len(content.errata)


def test_errata_do_not_call_the_notes_wrong_where_they_are_right(content):
    # σ^m is "the nonlinearity of layer m": 1 − (σ^m(z^m))² is right for a tanh layer
    by_id = {e.id: e for e in content.errata}
    assert by_id["err.tanh_derivative"].kind == "ambiguous notation"
    assert not by_id["err.tanh_derivative"].is_error
    assert by_id["err.output_delta_product"].kind == "ambiguous notation"
    assert by_id["err.example_layer_labels"].kind == "ambiguous notation"
    assert by_id["err.relu_derivative_at_zero"].kind == "convention"
    assert by_id["err.sigmoid_sign"].kind == "error" and by_id["err.sigmoid_sign"].is_error
    # the claims the app used to take unchecked now have their errata
    for known in (
        "err.single_neuron_learns",
        "err.example_hidden_error_label",
        "err.optimizer_by_features",
        "err.momentum_local_minima",
        "err.rmsprop_slowing",
    ):
        assert known in by_id


def test_corrected_values_are_the_ones_stored(content):
    assert content.by_id["act.sigmoid"].fields["formula"] == "1/(1 + exp(-z))"
    assert content.by_id["loss.half_sse"].fields["derivative"] == "a - y"
    assert content.by_id["act.tanh"].fields["derivative"] == "1 - tanh(z)^2"
    gd = content.by_id["opt.batch_gd"].fields["steps"]
    assert gd[-1]["rhs"] == "theta - eta*g"


def test_load_content_is_cached_until_a_file_changes(tmp_path):
    src = _write(tmp_path, "a.toml", _GOOD)
    first = load_content(include_user=False, content_dir=src.parent)
    assert load_content(include_user=False, content_dir=src.parent) is first
    src.write_text(_GOOD.replace('name = "Good"', 'name = "Better"'), encoding="utf-8")
    import os

    os.utime(src, ns=(1, 1))  # a different mtime, whatever the clock resolution
    assert (
        load_content(include_user=False, content_dir=src.parent).by_id["act.good"].name == "Better"
    )


# ---------------------------------------------------------------------------------------------
# Broken content
# ---------------------------------------------------------------------------------------------

_GOOD = textwrap.dedent("""\
    topic = "activations"

    [[entry]]
    id = "act.good"
    name = "Good"
    kind = "elementwise"
    formula = "z"
    derivative = "1"
    latex = 'f(z) = z'
    derivative_latex = "f'(z) = 1"
    range = "all reals"
    use = ["tests"]
    pros = ["simple"]
    cons = ["linear"]
""")

_BROKEN = textwrap.dedent("""\
    topic = "activations"

    [[entry]]
    id = "act.one"
    name = "One"
    kind = "elementwise"
    formula = "1/(1 + exp(-z)"
    bogus = 1
    derivative = "sigma(z)*(1 - sigma(z))"
    derivative_latex = "x"
    range = "(0, 1)"
    use = ["a"]
    pros = ["b"]
    cons = ["c"]

    [[entry]]
    id = "act.one"
    name = "Duplicate"
    kind = "sideways"
    formula = "foo(z)"
    derivative = "zz + q"
    latex = "x"
    derivative_latex = "x"
    range = "(0, 1)"
    use = []
    pros = ["b"]
    cons = ["c"]
""")


def _optimizer(steps: str, hyperparameters: str, extra: str = "") -> str:
    """An optimizer file: steps on line 7, hyperparameters on line 8, ``extra`` lines from 9."""
    return (
        'topic = "optimizers"\n\n[[entry]]\nid = "opt.x"\nname = "X"\ngradient = "g"\n'
        f"steps = {steps}\nhyperparameters = {hyperparameters}\n{extra}"
        'use = ["a"]\npros = ["b"]\ncons = ["c"]\n'
    )


def _problem_text(tmp_path: Path) -> str:
    """Every problem of the content written under ``tmp_path``, one per line."""
    return "\n".join(validate(tmp_path / "content", include_user=False)[1])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    d = tmp_path / "content"
    d.mkdir(exist_ok=True)
    path = d / name
    path.write_text(text, encoding="utf-8")
    return path


def test_broken_content_reports_every_problem_with_file_and_line(tmp_path):
    path = _write(tmp_path, "act.toml", _BROKEN)
    _, problems = validate(path.parent, include_user=False)
    text = "\n".join(problems)
    assert all(re.match(r"^content/act\.toml:\d+: \S", p) for p in problems), problems
    assert re.search(r"act\.toml:7: formula .*does not parse|act\.toml:7: formula .*invalid", text)
    assert "act.toml:8: unknown key 'bogus'" in text
    assert "act.toml:3: missing field 'latex'" in text
    assert re.search(
        r"act\.toml:17: duplicate id 'act\.one' \(first defined at content/act\.toml:4\)", text
    )
    assert "act.toml:19: kind must be one of" in text
    assert re.search(r"act\.toml:20: formula 'foo\(z\)'", text)
    assert re.search(r"act\.toml:21: derivative 'zz \+ q' uses undeclared name\(s\) q, zz", text)
    assert "act.toml:25: use must be a non-empty list" in text
    assert len(problems) >= 8


def test_load_content_raises_content_error_listing_problems(tmp_path):
    path = _write(tmp_path, "act.toml", _BROKEN)
    with pytest.raises(ContentError) as info:
        load_content(include_user=False, content_dir=path.parent)
    assert isinstance(info.value, DataError)
    assert len(info.value.problems) >= 8
    assert "\n" not in str(info.value)  # one line for the CLI
    assert str(info.value).startswith("content/act.toml:")


def test_invalid_toml_and_unknown_top_level_keys(tmp_path):
    _write(tmp_path, "bad.toml", 'topic = "terms"\n\n[[entry]]\nid = "term.x\n')
    _write(
        tmp_path,
        "top.toml",
        _GOOD.replace('topic = "activations"', 'topic = "activations"\ncolour = "red"').replace(
            "act.good", "act.good2"
        ),
    )
    _, problems = validate(tmp_path / "content", include_user=False)
    assert any(re.match(r"content/bad\.toml:4: invalid TOML", p) for p in problems), problems
    assert (
        "content/top.toml:2: unknown top-level key 'colour' (allowed: entry, erratum, recommendation, schema, topic)"
        in problems
    )


def test_unknown_topic_and_bad_nested_tables(tmp_path):
    _write(tmp_path, "x.toml", 'topic = "astrology"\n[[entry]]\nid = "x.y"\nname = "n"\n')
    opt = _optimizer(
        '[ { lhs = "theta", rhs = "theta - eta*g", latex = "x", colour = "red" } ]',
        '{ eta = "fast" }',
    )
    _write(tmp_path, "opt.toml", opt)
    text = _problem_text(tmp_path)
    assert "content/x.toml:1: topic must be one of" in text
    assert "content/opt.toml:7: steps step 1: unknown key(s) colour" in text
    assert "content/opt.toml:8: hyperparameters values must be numbers (not: eta)" in text


@pytest.mark.parametrize(
    "formula",
    [
        "1/(1 + exp(-z))",
        "sigma(z)*(1 - sigma(z))",
        "max(0, z)",
        "2z",
        "z(1 - z)",
        "-z^2",
        "abs(z)",
        "beta*z*sigma(beta*z)",
    ],
)
def test_formula_check_accepts_checker_syntax(formula):
    assert formula_problem(formula, {"z", "beta"}) is None


@pytest.mark.parametrize(
    "formula, message",
    [
        ("1/(1 + exp(-z)", "does not parse"),
        ("z +", "does not parse"),
        ("__import__('os')", "does not parse"),
        ("__import__(z)", "does not parse"),
        ("exp", "does not parse"),
        ("z $ 2", "does not parse"),
        ("", "empty"),
        ("y", "undeclared name(s) y"),
        ("(z))", "does not parse"),
        ("beta1*z", "undeclared"),
    ],
)
def test_formula_check_rejects_bad_formulas(formula, message):
    problem = formula_problem(formula, {"z"})
    assert problem is not None and message in problem


def test_learned_parameters_and_honest_shapes(content, tmp_path):
    prelu = content.by_id["act.prelu"].fields
    assert prelu["learned"] == ["alpha"] and "alpha" in prelu["parameters"]
    assert content.by_id["act.softmax"].fields["kind"] == "vector"
    assert content.by_id["act.argmax"].fields["kind"] == "decision"
    assert content.by_id["act.relu"].fields["derivative_pieces"]
    bad = _GOOD.replace('cons = ["linear"]', 'cons = ["linear"]\nlearned = ["beta"]')
    _write(tmp_path, "a.toml", bad)
    _, problems = validate(tmp_path / "content", include_user=False)
    assert problems == [
        "content/a.toml:15: every learned parameter must be listed in parameters (with its initial value)"
    ]
    pieces = _GOOD.replace(
        'derivative = "1"',
        'derivative_pieces = [ { when = "z <", value = "1" }, { when = "z > 0", value = "1" } ]',
    )
    _write(tmp_path, "a.toml", pieces)
    _, problems = validate(tmp_path / "content", include_user=False)
    assert (
        len(problems) == 1
        and "content/a.toml:8: derivative_pieces piece 1: condition 'z <' must compare"
        in problems[0]
    )


def test_wrongly_typed_nested_values_are_problems_not_crashes(tmp_path):
    text = _GOOD.replace(
        'derivative = "1"',
        'derivative_pieces = [ { when = 1, value = "1" }, { when = ["z"], value = 2 } ]',
    )
    _write(tmp_path, "a.toml", text)
    opt = textwrap.dedent("""\
        topic = "optimizers"
        [[entry]]
        id = "opt.x"
        name = "X"
        gradient = "g"
        steps = [ { lhs = ["theta"], rhs = 1, latex = "x" }, "not a table" ]
        hyperparameters = { eta = 0.1 }
        use = ["a"]
        pros = ["b"]
        cons = ["c"]
        """)
    _write(tmp_path, "o.toml", opt)
    _write(tmp_path, "e.toml", '[[erratum]]\nid = "err.x"\nlocation = 3\n')
    _, problems = validate(tmp_path / "content", include_user=False)
    text = "\n".join(problems)
    assert "content/a.toml:8: derivative_pieces piece 1: when and value must be strings" in text
    assert (
        "content/o.toml:6: steps step 1: lhs, rhs, latex and note must be non-empty strings" in text
    )
    assert "content/e.toml:3: location must be a non-empty string" in text
    assert "content/e.toml:1: missing field 'says'" in text


def test_tables_written_as_plain_keys_are_reported(tmp_path):
    _write(tmp_path, "a.toml", 'topic = "terms"\nentry = 3\n')
    _write(tmp_path, "b.toml", 'erratum = "oops"\n')
    _, problems = validate(tmp_path / "content", include_user=False)
    assert "content/a.toml:2: entry must be written as [[entry]] tables" in problems
    assert "content/b.toml:1: erratum must be written as [[erratum]] tables" in problems


def test_errata_for_an_entry(content):
    assert {e.id for e in content.errata_for("act.sigmoid")} >= {
        "err.sigmoid_sign",
        "err.sigmoid_range",
    }
    assert content.errata_for("term.epochs") == []


# ---------------------------------------------------------------------------------------------
# Data for fair questions, loss reductions, defaults, errata titles
# ---------------------------------------------------------------------------------------------


def test_fairness_data_is_there(content):
    mse = content.by_id["loss.mse"].fields
    assert "Penalises large errors more" in mse["also_true"]
    assert content.by_id["term.gradient_descent"].fields["cloze_accept"]["weights"] == [
        "parameters",
        "weight",
    ]
    assert content.by_id["bp.algorithm"].fields["cloze_accept"]["every"] == ["all", "each"]
    reductions = {
        e.fields["engine"]: e.fields["reduction"]
        for e in content.topic("losses")
        if e.fields.get("engine")
    }
    assert reductions == {
        "bce": "sum",
        "cce": "sum",
        "hinge": "sum",
        "half_sse": "sum",
        "mse": "mean",
        "mae": "mean",
        "huber": "mean",
    }
    layers = {r["id"]: r["activation_layer"] for r in content.recommendations}
    assert layers["rec.deep_large"] == "hidden" and layers["rec.binary_small"] == "output"
    # a default only where a standard one exists, always with whose it is
    optimizers = {e.id: e.fields for e in content.topic("optimizers")}
    assert (
        optimizers["opt.sgd"]["defaults"] is None and optimizers["opt.momentum"]["defaults"] is None
    )
    assert optimizers["opt.adam"]["defaults"]["eta"] == 0.001
    assert "PyTorch" in optimizers["opt.adamw"]["defaults_source"]


def test_fairness_fields_are_validated(tmp_path):
    good = _GOOD.replace('cons = ["linear"]', 'cons = ["linear"]\nalso_true = ["simple"]')
    _write(
        tmp_path,
        "a.toml",
        good.replace(
            'also_true = ["simple"]',
            'also_true = ["simple"]\ncloze_accept = { tests = ["checks"] }',
        ),
    )
    assert validate(tmp_path / "content", include_user=False)[1] == []
    bad = good.replace(
        'also_true = ["simple"]',
        'also_true = ["simpel"]\ncloze_accept = { testing = ["checks"], linear = ["linear"], use = [] }',
    )
    _write(tmp_path, "a.toml", bad)
    _, problems = validate(tmp_path / "content", include_user=False)
    text = "\n".join(problems)
    assert "content/a.toml:15: also_true[0] 'simpel' is no text of the content" in text
    assert "content/a.toml:16: cloze_accept 'linear' lists itself as an alternative" in text


def test_unknown_cloze_word_and_unsourced_defaults_are_problems(tmp_path):
    _write(
        tmp_path,
        "a.toml",
        _GOOD.replace('cons = ["linear"]', 'cons = ["linear"]\ncloze_accept = { every = ["all"] }'),
    )
    opt = _optimizer(
        '[ { lhs = "theta", rhs = "theta - eta*g", latex = "x" } ]',
        "{ eta = 0.1 }",
        "defaults = { eta = 0.1, gamma = 0.9 }\n",
    )
    _write(tmp_path, "o.toml", opt)
    text = _problem_text(tmp_path)
    assert "content/a.toml:15: cloze_accept: 'every' is not a word of the entry's text" in text
    assert "content/o.toml:9: defaults name hyperparameters the entry does not have: gamma" in text
    assert "content/o.toml:9: defaults and defaults_source go together" in text


def test_errata_need_a_short_title_and_a_kind(tmp_path):
    erratum = textwrap.dedent("""\
        [[erratum]]
        id = "err.x"
        title = "{title}"
        kind = "{kind}"
        location = "here"
        says = "a"
        correct = "b"
        why = "c"
        """)
    _write(tmp_path, "e.toml", erratum.format(title="t" * 61, kind="wrong"))
    _, problems = validate(tmp_path / "content", include_user=False)
    assert "content/e.toml:4: kind must be one of error, omission, overclaim" in "\n".join(problems)
    _write(tmp_path, "e.toml", erratum.format(title="t" * 61, kind="overclaim"))
    _, problems = validate(tmp_path / "content", include_user=False)
    assert problems == ["content/e.toml:3: title must be short (at most 60 characters, has 61)"]


def test_every_field_knows_its_line(content):
    adam = content.by_id["opt.adam"]
    path, line = adam.where("steps[2]").rsplit(":", 1)
    from studyapp import paths

    text = (paths.content_dir() / Path(path).name).read_text(encoding="utf-8").splitlines()
    assert 'lhs = "m_hat"' in text[int(line) - 1]
    assert adam.where("nonexistent") == adam.source


@pytest.mark.parametrize(
    ("kind", "good", "bad", "why"),
    [
        ("str", "x", "  ", "non-empty string"),
        ("bool", True, "yes", "true or false"),
        ("enum:sum|mean", "sum", "total", "one of sum, mean"),
        ("list[str]", ["a"], ["a", ""], "only non-empty strings"),
        ("table[number]", {"lr": 0.1}, {"lr": "0.1"}, "not: lr"),
        ("accept", {"every": ["all"]}, {"every": ["Every"]}, "lists itself"),
        ("table[str]", {"a": "b"}, {"a": 1}, "not: a"),
        ("formula", "1/(1 + exp(-z))", 3, "formula string"),
        (
            "pieces",
            [{"when": "z > 0", "value": "z"}, {"when": "z <= 0", "value": "0"}],
            [{"when": "z > 0", "value": "z"}, {"when": "z <= 0"}],
            "piece 2: must have exactly the keys when, value",
        ),
        (
            "formulas",
            [{"label": "a", "latex": "b"}],
            [{"label": "a"}],
            "formula 1: must be a table",
        ),
    ],
)
def test_every_field_type_accepts_its_values_and_names_what_is_wrong(kind, good, bad, why):
    from studyapp.core.content import _type_problem

    assert _type_problem(kind, good, "activations") is None
    assert why in (_type_problem(kind, bad, "activations") or "")


def test_an_unknown_field_type_is_a_bug_in_the_schema():
    from studyapp.core.content import _type_problem

    with pytest.raises(AssertionError, match="unknown field type"):
        _type_problem("tuple", 1, "activations")
