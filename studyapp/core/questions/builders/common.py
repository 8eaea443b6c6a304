"""What every table's builders share: the ``Candidate`` record and small text helpers.

A ``Candidate`` is a question that can be built on demand: a stable key (entry id, kind,
template) plus ``build(rng, truth)``, which returns the question (or None when the content
cannot support it this time). ``truth`` is the truth value a quiz wants for a true/false
statement (so it can balance true and false ones); other kinds ignore it.

Builders bind their data with ``functools.partial(function, context)``: the context is a
small frozen dataclass (or a content ``Entry``), so nothing is captured from a loop.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from studyapp.core.content import Content, Entry
from studyapp.core.questions import _checking as chk
from studyapp.core.questions.formulas import BLANK
from studyapp.core.questions.model import Question, QuestionKind, make_id

__all__ = ["BLANK"]  # re-exported: the builders' and the grader's blank

N_CHOICES = 4
LETTERS = "abcdef"  # the right-hand items of a matching question (at most six)

#: ``build(rng, truth) -> Question | None``
Build = Callable[[random.Random, bool | None], Question | None]


@dataclass
class Candidate:
    """A question that can be built on demand."""

    topic: str
    kind: QuestionKind
    entry_id: str
    template: str
    build: Build

    @property
    def key(self) -> str:
        return make_id(self.entry_id, self.kind, self.template)


def candidates_of(
    topic: str,
    entry_id: str,
    template: str,
    context: Any,
    builds: Iterable[tuple[QuestionKind, Callable[..., Question | None]]],
) -> list[Candidate]:
    """One candidate per (kind, build) on the same ``context``: ``build(context, rng, truth)``."""
    return [Candidate(topic, kind, entry_id, template, partial(b, context)) for kind, b in builds]


def source_of(entry: Entry) -> str:
    """``source``: the entry id and where it is written (``act.sigmoid (activations.toml:3)``)."""
    where = getattr(entry, "source", "") or ""
    return f"{entry.id} ({where})" if where else entry.id


def norm_text(text: Any) -> str:
    """Lower case, no punctuation or articles, single spaces: for comparing typed words."""
    t = re.sub(r"[^\w\s]", " ", str(text).lower().replace("-", " "))
    words = [w for w in t.split() if w not in ("a", "an", "the")]
    return " ".join(words)


def as_list(value: Any) -> list[str]:
    """A field that may be absent, one string or a list, as a list of non-blank strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if str(v).strip()]


_FUNCTION_NAMES = {
    "exp",
    "ln",
    "log",
    "sqrt",
    "sigma",
    "sigmoid",
    "tanh",
    "sinh",
    "cosh",
    "sech",
    "max",
    "min",
    "abs",
    "relu",
    "softplus",
    "e",
    "pi",
}


def symbols_in(formula: str) -> list[str]:
    """The variable names of a formula in checker syntax, in order of appearance."""
    names = re.findall(r"[A-Za-z_][A-Za-z_0-9]*", formula)
    return list(dict.fromkeys(n for n in names if n not in _FUNCTION_NAMES))


def formula_of(entry: Entry, field: str) -> str | None:
    """The entry's formula in ``field`` when the checker can read it, else None."""
    value = entry.fields.get(field)
    if not isinstance(value, str) or not value.strip():
        return None
    return value if chk.parses(value) else None


STOP = set(
    """about above after again against also among because been before being below
between both cannot could does doing during each from further having here into itself more
most other over same should some such than that their them then there these they this those
through under until very were what when where which while with would your used using uses
helps allows makes during without""".split()
)


def course_vocabulary(content: Content) -> set[str]:
    """Subject words of the course: words of entry names, aliases and key concepts."""
    words: set[str] = set()
    for e in content.entries:
        texts = [e.name, *as_list(e.fields.get("aliases")), *as_list(e.fields.get("key_concepts"))]
        for t in texts:
            words |= {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z][A-Za-z-]{4,}", t)}
    return words - STOP


def others(entries: Iterable[Entry], entry: Entry) -> list[Entry]:
    """The entries of a table other than ``entry`` (where wrong options come from)."""
    return [o for o in entries if o.id != entry.id]
