"""The notes' recommendation table (scenario + task → activation, loss, optimizer): a
true/false on the activation and loss of each row, and "which output activation?" as an mcq.
Asked in ``concepts``.

The activation column names the output layer's activation in most rows but a hidden-layer choice
in the CNN/RNN rows (``activation_layer``): a question says which layer it asks about, and compares
a row only with rows about the same layer. The optimizer column is not asked: the table picks it
by the number of features or the dataset size, which no established criterion supports (erratum
err.optimizer_by_features), so a learner should not be drilled on it.

A row is read as a content ``Entry`` (its columns as fields), so it gets the same ids and
sources as any entry.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import partial
from typing import Any

from studyapp.core.content import Content, Entry
from studyapp.core.questions.builders.common import Candidate, norm_text
from studyapp.core.questions.builders.shapes import mcq, true_false
from studyapp.core.questions.model import Question, QuestionKind

#: (column, how the table names it); the activation's name depends on the row's layer
COLUMNS = (
    ("activation", "activation"),
    ("loss", "loss function"),
)
LAYER_LABEL = {"output": "output activation", "hidden": "hidden-layer activation"}


def overlap(a: str, b: str) -> bool:
    """One value contains the other ("ReLU" in "None (linear) / ReLU"): not safely different."""
    na, nb = norm_text(a), norm_text(b)
    return na in nb or nb in na


def row_entry(row: dict[str, Any], topic: str) -> Entry:
    """A recommendation row as an entry: named "scenario / task", its columns as fields."""
    return Entry(
        id=str(row["id"]),
        topic=topic,
        name=f"{row.get('scenario', '')} / {row['task']}",
        fields=row,
        source=str(row.get("source") or "recommendations.toml"),
    )


@dataclass(frozen=True)
class Row:
    """One recommendation (``entry``) among all of them (``rows``, the table's dicts)."""

    topic: str
    entry: Entry
    rows: tuple[dict[str, Any], ...]

    @property
    def case(self) -> str:
        return f"for “{self.entry.fields['task']}” with “{self.entry.fields.get('scenario', '')}”"

    @property
    def layer(self) -> str:
        """Which layer the row's activation is for: "output" or "hidden"."""
        return str(self.entry.fields.get("activation_layer") or "output")

    def label(self, column: str) -> str:
        return LAYER_LABEL[self.layer] if column == "activation" else dict(COLUMNS)[column]

    def other_values(self, column: str) -> list[str]:
        """Values of ``column`` in other rows that do not overlap this row's (sorted); for the
        activation, only rows about the same layer (a hidden-layer ReLU is no output choice)."""
        mine = str(self.entry.fields[column])
        return sorted(
            {
                str(o[column])
                for o in self.rows
                if o.get(column)
                and not overlap(str(o[column]), mine)
                and (
                    column != "activation" or (o.get("activation_layer") or "output") == self.layer
                )
            }
        )


def candidates(content: Content, topic: str = "concepts") -> list[Candidate]:
    rows = tuple(
        r for r in content.recommendations if isinstance(r, dict) and r.get("id") and r.get("task")
    )
    # activation functions the table does not name: more wrong options for "which output
    # activation does it recommend?" (the table itself names only three)
    names = tuple(e.name for e in content.topic("activations"))
    out: list[Candidate] = []
    for r in rows:
        row = Row(topic, row_entry(r, topic), rows)
        for column, _label in COLUMNS:
            if r.get(column):
                build = partial(_cell_tf, row, column)
                template = f"recommend_{column}"
                out.append(Candidate(topic, QuestionKind.TRUE_FALSE, row.entry.id, template, build))
        if r.get("activation") and row.layer == "output":
            build = partial(_activation_mcq, row, names)
            template = "recommend_activation"
            out.append(Candidate(topic, QuestionKind.MCQ, row.entry.id, template, build))
    return out


def _cell_tf(row: Row, column: str, rng: random.Random, truth: bool | None) -> Question | None:
    fields = row.entry.fields
    label = row.label(column)
    mine = str(fields[column])
    shown = mine
    if not truth:
        wrong = row.other_values(column)
        if not wrong:
            return None
        shown = rng.choice(wrong)
    q = true_false(
        row.entry,
        row.topic,
        f"recommend_{column}",
        f"The notes' table recommends {shown} as the {label} {row.case}.",
        bool(truth),
        f"The table recommends {mine} as the {label} {row.case}."
        + (f" {fields['notes']}" if fields.get("notes") else ""),
    )
    q.data = {"shown": shown, "column": column}
    return q


def _activation_mcq(
    row: Row, activations: tuple[str, ...], rng: random.Random, truth: bool | None
) -> Question | None:
    mine = str(row.entry.fields["activation"])
    named = row.other_values("activation")
    # an activation sharing a word with one the table names ("ReLU", "Linear (identity)") would
    # blur the options; the others are no recommendation of the table for any task
    taken = {w for v in [mine, *named] for w in norm_text(v).split()}
    unnamed = [a for a in activations if not set(norm_text(a).split()) & taken]
    return mcq(
        row.entry,
        row.topic,
        "recommend_activation",
        f"Which output activation does the notes' table recommend {row.case}?",
        mine,
        named + unnamed,
        f"The table recommends {mine} {row.case}.",
        rng,
    )
