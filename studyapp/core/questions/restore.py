"""A question as ``studyapp quiz --format json`` printed it, back as a gradable ``Question``.

The printed object holds what the learner saw and the answer, not everything grading needs (the
accepted spellings of a term, the formula around a cloze blank, the entry whose symbol domains
apply). So typed and cloze questions are built again: the id names the content entry, kind and
template, and that candidate is built until it gives the same prompt and answer (a builder's
random choices, such as which term of a formula is blanked, are few). Everything else, and a
question the content no longer makes, is read from the object itself: an mcq's choices, a
true/false or numeric answer, a matching question's items listed in its prompt.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping
from typing import Any

from studyapp.core.questions import _checking as chk
from studyapp.core.questions.model import ExpectedKind, Question, QuestionKind

REBUILD_TRIES = 64

_REQUIRED = ("id", "kind", "topic", "prompt", "answer")


def question_from_dict(d: Any, content=None) -> Question:
    """The Question a quiz printed as ``d`` (one element of its ``questions``), graded exactly as
    the quiz grades it. Raises ValueError with one line naming what is wrong with ``d``."""
    if isinstance(d, Mapping) and "questions" in d and "id" not in d:
        questions = d["questions"]
        if not isinstance(questions, list) or len(questions) != 1:
            raise ValueError("question: give one element of the quiz's questions, not the quiz")
        d = questions[0]
    if not isinstance(d, Mapping):
        raise ValueError("question: expected a JSON object as `studyapp quiz --format json` prints")
    for key in _REQUIRED:
        if not isinstance(d.get(key), str) or not d[key].strip():
            raise ValueError(f"question: missing {key!r}")
    try:
        kind = QuestionKind(d["kind"])
    except ValueError:
        raise ValueError(f"question: unknown kind {d['kind']!r}") from None
    if kind in (QuestionKind.TYPED, QuestionKind.CLOZE):
        rebuilt = _rebuilt(d, kind, content)
        if rebuilt is not None:
            return rebuilt
    return _READERS[kind](d, _plain(d, kind))


def _plain(d: Mapping, kind: QuestionKind) -> Question:
    parts = str(d["id"]).split("::")
    return Question(
        id=str(d["id"]),
        kind=kind,
        topic=str(d["topic"]),
        prompt=str(d["prompt"]),
        answer=str(d["answer"]),
        explanation=str(d.get("explanation") or ""),
        source=str(d.get("source") or ""),
        template=parts[2] if len(parts) > 2 else "",
        entry_id=parts[0],
    )


def _rebuilt(d: Mapping, kind: QuestionKind, content) -> Question | None:
    """The question built again from its content candidate, or None if none gives this one."""
    from studyapp.core.questions.builders import candidates_for
    from studyapp.core.questions.generate import load_content_or_empty

    content = content if content is not None else load_content_or_empty()
    key = "::".join(str(d["id"]).split("::")[:3])
    for candidate in candidates_for(content, str(d["topic"])):
        if candidate.key != key:
            continue
        for i in range(REBUILD_TRIES):
            q = candidate.build(random.Random(f"restore|{i}"), None)
            if q is None:
                return None
            if q.prompt == d["prompt"] and q.answer == d["answer"]:
                q.id = str(d["id"])  # a second round's id ("::r2") names the same question
                return q
    return None


def _choice(d: Mapping, q: Question) -> Question:
    choices = d.get("choices")
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        raise ValueError("question: an mcq needs its 'choices' (a list of texts)")
    if q.answer not in choices:
        raise ValueError("question: its 'answer' is not one of its 'choices'")
    q.choices, q.expected_kind, q.expected = list(choices), ExpectedKind.CHOICE, q.answer
    return q


def _boolean(d: Mapping, q: Question) -> Question:
    if q.answer not in ("True", "False"):
        raise ValueError("question: a true/false answer is 'True' or 'False'")
    q.expected_kind, q.expected = ExpectedKind.BOOLEAN, q.answer == "True"
    return q


def _numeric(d: Mapping, q: Question) -> Question:
    try:
        q.expected = float(q.answer)
    except ValueError:
        raise ValueError(f"question: a numeric answer is a number, not {q.answer!r}") from None
    q.expected_kind = ExpectedKind.NUMERIC
    return q


_LEFT = re.compile(r"(\d+)\. (.*)")
_RIGHT = re.compile(r"([a-f])\) (.*)")


def _matching(d: Mapping, q: Question) -> Question:
    from studyapp.core.questions.builders.shapes import matching_key

    try:
        pairs = json.loads(q.answer)
    except ValueError:
        pairs = None
    lines = q.prompt.splitlines()[1:]
    lefts = [m.group(2) for line in lines if (m := _LEFT.fullmatch(line))]
    rights = [m.group(2) for line in lines if (m := _RIGHT.fullmatch(line))]
    if (
        not isinstance(pairs, dict)
        or sorted(pairs) != sorted(lefts)
        or sorted(pairs.values()) != sorted(rights)
    ):
        raise ValueError("question: its prompt's items do not match its answer's pairs")
    key = matching_key(lefts, rights, pairs)
    q.expected_kind = ExpectedKind.MATCHING
    q.expected = {"pairs": pairs, "key": key, "lefts": lefts, "rights": rights}
    return q


#: how the formula questions' prompts begin (typed formulas and formula clozes); the others ask
#: for words ("Name the term: …", "Fill in the blank. (Title) …")
_FORMULA_PROMPTS = ("Type the ", "Fill in the blank (")


def _written(d: Mapping, q: Question) -> Question:
    """A typed or cloze question the content no longer makes: a formula question's answer is
    graded as a formula (any equivalent one), anything else as the words of the answer."""
    if q.prompt.startswith(_FORMULA_PROMPTS) and chk.parses(q.answer):
        q.expected_kind, q.expected = ExpectedKind.EXPRESSION, q.answer
    else:
        q.expected_kind, q.expected = ExpectedKind.TEXT, [q.answer]
    return q


_READERS = {
    QuestionKind.MCQ: _choice,
    QuestionKind.TRUE_FALSE: _boolean,
    QuestionKind.NUMERIC: _numeric,
    QuestionKind.MATCHING: _matching,
    QuestionKind.TYPED: _written,
    QuestionKind.CLOZE: _written,
}
