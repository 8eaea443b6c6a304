"""Questions on the losses table: the formula table's questions (formulas in a and y, the
derivative with respect to a, written per output)."""

from __future__ import annotations

from studyapp.core.content import Content
from studyapp.core.questions.builders.common import Candidate
from studyapp.core.questions.builders.formula_table import FormulaTable, table_candidates


def candidates(content: Content, topic: str = "losses") -> list[Candidate]:
    table = FormulaTable(
        topic=topic,
        entries=tuple(content.topic(topic)),
        noun="loss function",
        var="a",
        lhs={"formula": "L", "derivative": "∂L/∂a"},
        per=" per output",
    )
    return table_candidates(table)
