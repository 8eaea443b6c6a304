"""Questions on the optimizers table.

Per update step (``steps``: ``lhs ← rhs`` in checker syntax): which expression is the update
(mcq: the same left-hand side in other optimizers, slips of this one, other updates), type it,
true/false, fill in a blank. Per optimizer: pros and cons, and a standard default where one exists
(``defaults``, named with whose it is: ``defaults_source``).
Per table: match optimizers to their parameter update.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from studyapp.core.content import Content, Entry
from studyapp.core.questions import _checking as chk
from studyapp.core.questions.builders.common import Candidate, candidates_of
from studyapp.core.questions.builders.formula_shapes import (
    StoredFormula,
    formula_cloze,
    formula_mcq,
    formula_tf,
    formula_typed,
    wrong_formula,
)
from studyapp.core.questions.builders.pros_cons import pros_cons_candidates
from studyapp.core.questions.builders.shapes import Pair, matching, true_false
from studyapp.core.questions.formulas import display, mutations
from studyapp.core.questions.model import Question, QuestionKind


def steps_of(entry: Entry) -> list[dict[str, Any]]:
    """The entry's update steps whose right-hand side the checker can read."""
    steps = entry.fields.get("steps") or []
    return [
        s
        for s in steps
        if isinstance(s, dict) and s.get("lhs") and s.get("rhs") and chk.parses(str(s["rhs"]))
    ]


def _step_text(step: dict[str, Any]) -> str:
    return f"{display(str(step['lhs']))} ← {display(str(step['rhs']))}"


def steps_text(entry: Entry) -> str:
    """``Adam: m ← …; v ← …; θ ← ….``"""
    return f"{entry.name}: " + "; ".join(_step_text(s) for s in steps_of(entry)) + "."


def last_step_text(entry: Entry) -> str | None:
    """The parameter update (the last step): what tells optimizers apart at a glance."""
    steps = steps_of(entry)
    return _step_text(steps[-1]) if steps else None


@dataclass(frozen=True)
class Step:
    """Update step ``index`` (0-based) of ``entry``: ``lhs ← rhs``. ``table`` holds every
    readable step of the topic as (entry, step) pairs: where wrong options come from."""

    topic: str
    entry: Entry
    index: int
    lhs: str
    rhs: str
    table: tuple[tuple[Entry, dict[str, Any]], ...]

    @property
    def template(self) -> str:
        return f"step{self.index + 1}"

    @property
    def stored(self) -> StoredFormula:
        """The right-hand side, stored at ``steps[index]``."""
        field = f"steps[{self.index}]"
        return StoredFormula(self.entry, self.topic, self.template, field, self.rhs)

    def other_rhs(self, same_lhs: bool) -> list[str]:
        """Right-hand sides of other optimizers' steps with (or without) the same lhs."""
        return [
            s["rhs"]
            for o, s in self.table
            if o.id != self.entry.id and (s["lhs"] == self.lhs) == same_lhs
        ]


def candidates(content: Content, topic: str = "optimizers") -> list[Candidate]:
    entries = list(content.topic(topic))
    table = tuple((o, s) for o in entries for s in steps_of(o))
    out: list[Candidate] = []
    for e in entries:
        for idx, s in enumerate(steps_of(e)):
            step = Step(topic, e, idx, str(s["lhs"]), str(s["rhs"]), table)
            kinds = (
                (QuestionKind.MCQ, _mcq),
                (QuestionKind.TYPED, _typed),
                (QuestionKind.TRUE_FALSE, _tf),
                (QuestionKind.CLOZE, _cloze),
            )
            out += candidates_of(topic, e.id, step.template, step, kinds)
        out += pros_cons_candidates(e, topic)
        if e.fields.get("defaults") and e.fields.get("defaults_source"):
            build = partial(_hyper_tf, topic, e)
            out.append(Candidate(topic, QuestionKind.TRUE_FALSE, e.id, "hyperparameter", build))
    with_steps = [e for e in entries if steps_of(e)]
    if len(with_steps) >= 4:
        pairs = tuple(Pair(e, e.name, last_step_text(e)) for e in with_steps)
        build = partial(_match, topic, pairs)
        out.append(Candidate(topic, QuestionKind.MATCHING, topic, "updates", build))
    return out


def _mcq(step: Step, rng: random.Random, truth: bool | None) -> Question | None:
    same_lhs = step.other_rhs(same_lhs=True)
    unlike = step.other_rhs(same_lhs=False)
    mut = mutations(step.rhs)
    rng.shuffle(same_lhs)
    rng.shuffle(mut)
    rng.shuffle(unlike)
    pool = same_lhs[:2] + mut + same_lhs[2:] + unlike
    prompt = f"In {step.entry.name}, which expression is the update {display(step.lhs)} ← … ?"
    return formula_mcq(step.stored, prompt, pool, steps_text(step.entry), rng)


def _typed(step: Step, rng: random.Random, truth: bool | None) -> Question | None:
    prompt = (
        f"Type the right-hand side of the {step.entry.name} update {display(step.lhs)} ← … "
        f"(names as in the notes: theta, eta, g, m, v, beta1, beta2, eps, …)."
    )
    return formula_typed(step.stored, prompt, steps_text(step.entry))


def _tf(step: Step, rng: random.Random, truth: bool | None) -> Question | None:
    if truth:
        shown = step.rhs
    else:
        wrong = wrong_formula(step.rhs, mutations(step.rhs), rng)
        if wrong is None:
            return None
        shown = wrong
    statement = f"In {step.entry.name}, the update is {display(step.lhs)} ← {display(shown)}."
    return formula_tf(step.stored, statement, shown, truth, steps_text(step.entry))


def _cloze(step: Step, rng: random.Random, truth: bool | None) -> Question | None:
    q = formula_cloze(step.stored, display(step.lhs), rng, f"{step.entry.name} update")
    if q is not None:  # an update reads θ ← …, not θ = …
        q.prompt = q.prompt.replace(" = ", " ← ", 1)
        q.explanation = q.explanation.replace(" = ", " ← ", 1)
    return q


def _hyper_tf(topic: str, entry: Entry, rng: random.Random, truth: bool | None) -> Question | None:
    """ "By <whose>, the default ε of Adam is 1e-08": only a standard default (``defaults``),
    always naming whose it is (``defaults_source``); a false value is never one the source text
    itself names (PyTorch's other default)."""
    defaults = entry.fields.get("defaults") or {}
    source = str(entry.fields.get("defaults_source") or "").strip()
    if not defaults or not source:
        return None
    name = rng.choice(sorted(defaults))
    value = defaults[name]
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    shown = value
    if not truth:
        named = {float(x) for x in re.findall(r"\d+(?:\.\d+)?(?:e-?\d+)?", source)}
        wrong = [v for v in _wrong_defaults(name, value) if v != value and v not in named]
        if not wrong:
            return None
        shown = rng.choice(wrong)
    # whose it is: the source up to its first remark ("; PyTorch's … instead", "(PyTorch's ε …")
    whose = re.split(r";|\((?!\d{4}\))", source, maxsplit=1)[0].strip().rstrip(",")
    symbol = WORDS.get(name) or display(name)
    q = true_false(
        entry,
        topic,
        "hyperparameter",
        f"By {whose}, the default {symbol} of {entry.name} is {shown:g}.",
        bool(truth),
        f"Defaults of {entry.name} ({source}): "
        + ", ".join(f"{WORDS.get(k) or display(k)} = {v:g}" for k, v in defaults.items())
        + ".",
    )
    q.data = {"name": name, "shown": shown}
    return q


#: hyperparameters better said in words than with their symbol
WORDS = {"wd": "weight decay"}
#: hyperparameters that are decay rates in (0, 1), whose plausible slips are in their 1 − β
DECAY_RATES = ("beta1", "beta2", "rho", "gamma")


def _wrong_defaults(name: str, value: float) -> list[float]:
    """Plausible wrong values for a default: ten times more or less (η, ε); for a decay rate β,
    1 − β and one nine more or less (0.999 → 0.001, 0.99, 0.9999)."""
    if name in DECAY_RATES and 0 < value < 1:
        rest = 1 - value
        return [
            v for v in (round(x, 12) for x in (rest, 1 - rest * 10, 1 - rest / 10)) if 0 < v < 1
        ]
    return [value * 10, value / 10]


def _match(topic: str, pairs: tuple[Pair, ...], rng: random.Random, truth: bool | None):
    return matching(
        topic,
        "updates",
        list(pairs),
        rng,
        "Match each optimizer to its parameter update.",
        formulas=False,
    )
