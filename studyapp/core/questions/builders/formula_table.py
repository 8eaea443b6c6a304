"""Questions on a table of formulas with derivatives (activations and losses).

Per entry and per formula (``formula``, ``derivative``): which expression is it (mcq: sibling
formulas and slips of this one), type it, true/false, fill in a blank; then "which function is
this formula?" and the entry's pros and cons. Per table: match names to formulas (and to
derivatives) when at least four entries have one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import partial

from studyapp.core.content import Entry
from studyapp.core.notation import REDUCED, reduction_phrase
from studyapp.core.questions import _checking as chk
from studyapp.core.questions.builders.common import (
    Candidate,
    candidates_of,
    formula_of,
    others,
    symbols_in,
)
from studyapp.core.questions.builders.formula_shapes import (
    StoredFormula,
    formula_cloze,
    formula_mcq,
    formula_tf,
    formula_typed,
    wrong_formula,
)
from studyapp.core.questions.builders.pros_cons import pros_cons_candidates
from studyapp.core.questions.builders.shapes import Pair, matching, mcq
from studyapp.core.questions.formulas import display, mutations
from studyapp.core.questions.model import Question, QuestionKind

FIELDS = ("formula", "derivative")


@dataclass(frozen=True)
class FormulaTable:
    """How one table's formulas are named.

    ``noun``: what an entry is ("activation function"); ``var``: the variable formulas are
    written in; ``lhs``: the left-hand side shown per field (``{"formula": "f(z)", ...}``);
    ``labels``: what each field is called, where not "formula" / "derivative with respect to z"
    (a loss's formulas are per output). An entry with a ``reduction`` (a loss) is named with it in
    every prompt: how ℓ combines over the outputs decides what L and ∂L/∂a are.
    """

    topic: str
    entries: tuple[Entry, ...]
    noun: str
    var: str
    lhs: dict[str, str]
    labels: dict[str, str] = dataclass_field(default_factory=dict)

    def label(self, field: str) -> str:
        """``formula`` or ``derivative with respect to z`` (or the table's own label)."""
        if field in self.labels:
            return self.labels[field]
        return "formula" if field == "formula" else f"derivative with respect to {self.var}"

    def subject(self, entry: Entry) -> str:
        """The entry as prompts name it: ``Hinge loss (summed over the n outputs, L = Σᵢ ℓ(aᵢ,
        yᵢ))`` for a loss, else its name."""
        reduction = entry.fields.get("reduction")
        return f"{entry.name} ({reduction_phrase(reduction)})" if reduction else entry.name

    def short_subject(self, entry: Entry) -> str:
        """``Hinge loss (summed)``: a loss in a list (matching) with its reduction in a word."""
        reduction = entry.fields.get("reduction")
        return f"{entry.name} ({REDUCED[reduction]})" if reduction else entry.name

    def siblings(self, entry: Entry, field: str) -> list[Entry]:
        """The other entries with a readable formula in ``field``."""
        return [o for o in others(self.entries, entry) if formula_of(o, field)]


@dataclass(frozen=True)
class FormulaField:
    """One readable formula (``field``: formula or derivative) of one entry of a table."""

    table: FormulaTable
    entry: Entry
    field: str
    value: str

    @property
    def stored(self) -> StoredFormula:
        return StoredFormula(self.entry, self.table.topic, self.field, self.field, self.value)

    @property
    def label(self) -> str:
        return self.table.label(self.field)

    @property
    def subject(self) -> str:
        return self.table.subject(self.entry)

    @property
    def described(self) -> str:
        """``The derivative with respect to z of Sigmoid is σ(z)·(1 − σ(z)).``"""
        return f"The {self.label} of {self.subject} is {display(self.value)}."

    def wrong_siblings(self) -> list[str]:
        return [o.fields[self.field] for o in self.table.siblings(self.entry, self.field)]


#: more questions on one entry of a table (the activations' output range)
Extra = Callable[[FormulaTable, Entry], list[Candidate]]


def table_candidates(table: FormulaTable, extra: Extra | None = None) -> list[Candidate]:
    """Every question on the table: per entry (then ``extra``), then the matching ones."""
    out: list[Candidate] = []
    for entry in table.entries:
        out += entry_candidates(table, entry)
        if extra is not None:
            out += extra(table, entry)
    return out + matching_candidates(table)


def entry_candidates(table: FormulaTable, entry: Entry) -> list[Candidate]:
    """Every question on one entry: its formulas, its name, its pros and cons."""
    out: list[Candidate] = []
    for field in FIELDS:
        value = formula_of(entry, field)
        if value is not None:
            kinds = (
                (QuestionKind.MCQ, _mcq),
                (QuestionKind.TYPED, _typed),
                (QuestionKind.TRUE_FALSE, _tf),
                (QuestionKind.CLOZE, _cloze),
            )
            out += candidates_of(
                table.topic, entry.id, field, FormulaField(table, entry, field, value), kinds
            )
    if formula_of(entry, "formula") is not None:
        build = partial(_name_mcq, table, entry)
        out.append(Candidate(table.topic, QuestionKind.MCQ, entry.id, "name", build))
    return out + pros_cons_candidates(entry, table.topic)


def _mcq(f: FormulaField, rng: random.Random, truth: bool | None) -> Question | None:
    wrong_f = f.wrong_siblings()
    rng.shuffle(wrong_f)
    mut = mutations(f.value)
    rng.shuffle(mut)
    # mix siblings (the wrong function) and slips of this very formula
    pool = [x for pair in zip(wrong_f, mut, strict=False) for x in pair] + wrong_f + mut
    prompt = f"Which expression is the {f.label} of {f.subject}?"
    return formula_mcq(f.stored, prompt, pool, f.described, rng)


def _typed(f: FormulaField, rng: random.Random, truth: bool | None) -> Question | None:
    names = ", ".join(symbols_in(f.value) or [f.table.var])
    prompt = (
        f"Type the {f.label} of {f.subject}, in terms of {names} "
        f"(write e.g. exp(), ln(), sigma(), ^)."
    )
    return formula_typed(f.stored, prompt, f"{f.table.lhs[f.field]} = {display(f.value)}.")


def _tf(f: FormulaField, rng: random.Random, truth: bool | None) -> Question | None:
    if truth:
        shown = f.value
    else:
        wrong = wrong_formula(f.value, mutations(f.value) + f.wrong_siblings(), rng)
        if wrong is None:
            return None
        shown = wrong
    statement = f"The {f.label} of {f.subject} is {display(shown)}."
    return formula_tf(f.stored, statement, shown, truth, f.described)


def _cloze(f: FormulaField, rng: random.Random, truth: bool | None) -> Question | None:
    what = f"{f.label} of {f.subject}"
    return formula_cloze(f.stored, f.table.lhs[f.field], rng, what)


def _name_mcq(
    table: FormulaTable, entry: Entry, rng: random.Random, truth: bool | None
) -> Question | None:
    formula = entry.fields["formula"]
    wrong = [
        o.name
        for o in table.siblings(entry, "formula")
        if not chk.equivalent(formula, o.fields["formula"])
    ]
    reduction = entry.fields.get("reduction")
    asked = (
        f"has the {table.label('formula')} = {display(formula)}, {reduction_phrase(reduction)}"
        if reduction
        else f"is {display(formula)}"
    )
    return mcq(
        entry,
        table.topic,
        "name",
        f"Which {table.noun} {asked}?",
        entry.name,
        wrong,
        f"{entry.name}: {display(formula)}.",
        rng,
    )


def matching_candidates(table: FormulaTable) -> list[Candidate]:
    """Match names to formulas, and names to derivatives (at least four entries each)."""
    out: list[Candidate] = []
    for field in FIELDS:
        usable = [e for e in table.entries if formula_of(e, field)]
        if len(usable) >= 4:
            pairs = tuple(Pair(e, table.short_subject(e), e.fields.get(field)) for e in usable)
            build = partial(_match, table, field, pairs)
            out.append(
                Candidate(table.topic, QuestionKind.MATCHING, table.topic, field + "s", build)
            )
    return out


def _match(
    table: FormulaTable,
    field: str,
    pairs: tuple[Pair, ...],
    rng: random.Random,
    truth: bool | None,
) -> Question | None:
    q = matching(
        table.topic,
        field + "s",
        list(pairs),
        rng,
        f"Match each {table.noun} to its {table.label(field)}.",
        formulas=True,
    )
    if q is not None:
        q.data = {"field": field}
    return q
