"""Questions on the activations table: the formula table's questions, plus a true/false on
each function's output range."""

from __future__ import annotations

import random
import re
from functools import partial

from studyapp.core.content import Content, Entry
from studyapp.core.questions.builders.common import Candidate, norm_text
from studyapp.core.questions.builders.formula_table import FormulaTable, table_candidates
from studyapp.core.questions.builders.shapes import true_false
from studyapp.core.questions.model import Question, QuestionKind


def candidates(content: Content, topic: str = "activations") -> list[Candidate]:
    table = FormulaTable(
        topic=topic,
        entries=tuple(content.topic(topic)),
        noun="activation function",
        var="z",
        lhs={"formula": "f(z)", "derivative": "f′(z)"},
    )
    return table_candidates(table, _range_candidates)


def _range_candidates(table: FormulaTable, entry: Entry) -> list[Candidate]:
    if not entry.fields.get("range"):
        return []
    build = partial(_range_tf, table.entries, table.topic, entry)
    return [Candidate(table.topic, QuestionKind.TRUE_FALSE, entry.id, "range", build)]


def intervals(text: str) -> set[str]:
    """The intervals written in a range, spaces removed: {"(0,1)"}."""
    return {re.sub(r"\s+", "", m) for m in re.findall(r"[(\[][^()\[\]]*[)\]]", text)}


def _other_ranges(entries: tuple[Entry, ...], mine: str) -> list[str]:
    """Ranges of other functions that share no interval with ``mine``: a range sharing one
    ("(0, 1)" of sigmoid and of each softmax component) would make a "false" statement that is
    partly true."""
    mine_iv = intervals(mine)
    return sorted(
        {
            str(o.fields.get("range"))
            for o in entries
            if o.fields.get("range")
            and norm_text(o.fields["range"]) != norm_text(mine)
            and not (intervals(str(o.fields["range"])) & mine_iv)
        }
    )


def _range_tf(
    entries: tuple[Entry, ...], topic: str, entry: Entry, rng: random.Random, truth: bool | None
) -> Question | None:
    mine = str(entry.fields["range"])
    shown = mine
    if not truth:
        wrong = _other_ranges(entries, mine)
        if not wrong:
            return None
        shown = rng.choice(wrong)
    q = true_false(
        entry,
        topic,
        "range",
        f"The output range of {entry.name} is {shown}.",
        bool(truth),
        f"The range of {entry.name} is {mine}.",
    )
    q.data = {"shown": shown}
    return q
