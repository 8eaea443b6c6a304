"""Questions on the losses table: the formula table's questions on the per-output loss ℓ(a, y)
and its derivative ∂ℓ/∂a, each prompt naming how the loss combines ℓ over the outputs (its
``reduction``: bce, cce and hinge sum; mse, mae and huber average)."""

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
        lhs={"formula": "ℓ", "derivative": "∂ℓ/∂a"},
        labels={
            "formula": "per-output loss ℓ(a, y)",
            "derivative": "derivative ∂ℓ/∂a of the per-output loss",
        },
    )
    return table_candidates(table)
