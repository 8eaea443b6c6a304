"""The shapes every table's questions take: mcq, true/false, text cloze, matching.

Each function returns a finished ``Question`` (or None when the material cannot support it:
too few distinct wrong options, nothing worth blanking, fewer than four pairs). Wrong options
are filtered here: never equal to the answer (normalized text), never a bare integer (it could
be read as a choice number).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from typing import Any

from studyapp.core.content import Entry
from studyapp.core.questions import _checking as chk
from studyapp.core.questions.builders.common import (
    BLANK,
    LETTERS,
    N_CHOICES,
    STOP,
    as_list,
    norm_text,
    source_of,
)
from studyapp.core.questions.formulas import display
from studyapp.core.questions.model import (
    ExpectedKind,
    Question,
    QuestionKind,
    digest,
    make_id,
)

_INTEGER = re.compile(r"\d+")


def entry_question(
    entry: Entry, topic: str, kind: QuestionKind, template: str, **fields: Any
) -> Question:
    """A question about ``entry``: its id (``entry::kind::template``), source and entry id
    filled in; ``fields`` are the rest of the ``Question``."""
    return Question(
        id=make_id(entry.id, kind, template),
        kind=kind,
        topic=topic,
        source=source_of(entry),
        template=template,
        entry_id=entry.id,
        **fields,
    )


def mcq(
    entry: Entry,
    topic: str,
    template: str,
    prompt: str,
    answer: str,
    wrong: list[str],
    explanation: str,
    rng: random.Random,
) -> Question | None:
    """A multiple-choice question: the answer and N_CHOICES-1 distinct wrong options, none of
    them listed as also true of ``entry`` (its ``also_true``) nor naming it (an option about the
    subject, "… early stopping picks the number …" for early stopping, is likely true of it)."""
    # an option that reads as a bare number ("1") could be taken for a choice number
    if _INTEGER.fullmatch(answer.strip()):
        return None
    wrong = [
        w
        for w in dict.fromkeys(wrong)
        if w.strip()
        and w != answer
        and norm_text(w) != norm_text(answer)
        and not _INTEGER.fullmatch(w.strip())
        and not entry.is_also_true(w)
        and not names_in(entry, w)
    ]
    if len(wrong) < N_CHOICES - 1:
        return None
    picked = rng.sample(wrong, N_CHOICES - 1)
    choices = picked + [answer]
    rng.shuffle(choices)
    return entry_question(
        entry,
        topic,
        QuestionKind.MCQ,
        template,
        prompt=prompt,
        choices=choices,
        answer=answer,
        explanation=explanation,
        expected_kind=ExpectedKind.CHOICE,
        expected=answer,
    )


def names_of(entry: Entry) -> list[str]:
    """What an entry is called: its name, aliases, and the parts of a name like "Overfitting and
    Underfitting" or "Vanishing/Exploding Gradients" (at least three letters each)."""
    names = [entry.name, *as_list(entry.fields.get("aliases"))]
    parts = [p for n in names for p in re.split(r"\s*/\s*|\s+and\s+", n)]
    return [n for n in dict.fromkeys(names + parts) if len(n.strip()) >= 3]


def names_in(entry: Entry, text: str) -> bool:
    """Does ``text`` name ``entry`` (one of ``names_of``, as whole words)?"""
    return any(re.search(_whole(n), text, re.I) for n in names_of(entry))


def true_false(
    entry: Entry, topic: str, template: str, statement: str, truth: bool, explanation: str
) -> Question:
    """A true/false statement about ``entry``; ``truth`` says which it is."""
    return entry_question(
        entry,
        topic,
        QuestionKind.TRUE_FALSE,
        template,
        prompt=f"True or false? {statement}",
        answer="True" if truth else "False",
        explanation=("True. " if truth else "False. ") + explanation,
        expected_kind=ExpectedKind.BOOLEAN,
        expected=truth,
    )


def text_cloze(
    entry: Entry,
    topic: str,
    template: str,
    text: str,
    phrases: list[str],
    rng: random.Random,
    lead: str,
    vocabulary: set[str] | frozenset[str] = frozenset(),
) -> Question | None:
    """Blank a key phrase (from ``phrases`` if one occurs in ``text``, else a subject word).

    Never a word the rest of the prompt gives away (it occurs again, in the lead or elsewhere in
    ``text``); the entry's ``cloze_accept`` alternatives of the blanked word are accepted too.
    """
    found = [
        p
        for p in phrases
        if len(p) >= 4 and re.search(_whole(p), text, re.I) and not _given_away(p, lead, text)
    ]
    phrase = rng.choice(found) if found else _word_to_blank(entry, text, rng, vocabulary, lead)
    if phrase is None:
        return None
    m = re.search(_whole(phrase), text, re.I)
    if m is None:
        return None
    actual = m.group(0)
    shown = text[: m.start()] + BLANK + text[m.end() :]
    return entry_question(
        entry,
        topic,
        QuestionKind.CLOZE,
        template,
        prompt=f"Fill in the blank. {lead}{shown}",
        answer=actual,
        explanation=f"{lead}{text}",
        expected_kind=ExpectedKind.TEXT,
        expected=[actual, *_accepted(entry, actual)],
    )


def _whole(phrase: str) -> str:
    """A pattern for ``phrase`` as whole words: never inside a hyphenated word ("pre-activation"
    holds no blankable "activation")."""
    return rf"(?<![\w-]){re.escape(phrase)}(?![\w-])"


def _accepted(entry: Entry, word: str) -> list[str]:
    """The entry's ``cloze_accept`` alternatives for ``word`` (keys compared loosely)."""
    accept = entry.fields.get("cloze_accept") or {}
    return [
        alt for key, alts in accept.items() if norm_text(key) == norm_text(word) for alt in alts
    ]


def _stem(word: str) -> str:
    """A word compared loosely: lower case, a plural s dropped ("gradients" gives "gradient")."""
    w = word.lower()
    return w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w


def _given_away(phrase: str, lead: str, text: str) -> bool:
    """Does the prompt show ``phrase`` anyway, once its first occurrence in ``text`` is blanked
    (it occurs again there, or in the lead)? Words compare loosely (case, plural s)."""
    m = re.search(_whole(phrase), text, re.I)
    rest = lead + " " + (text[: m.start()] + " " + text[m.end() :] if m else text)
    words = [_stem(w) for w in re.findall(r"[\w'-]+", phrase)]
    shown = [_stem(w) for w in re.findall(r"[\w'-]+", rest)]
    n = len(words)
    return any(shown[i : i + n] == words for i in range(len(shown) - n + 1))


def _word_to_blank(
    entry: Entry,
    text: str,
    rng: random.Random,
    vocabulary: set[str] | frozenset[str],
    lead: str = "",
) -> str | None:
    """A long word of ``text`` to blank, preferring the course's subject words (None if none);
    never one the rest of the prompt gives away."""
    words = list(
        dict.fromkeys(
            w
            for w in re.findall(r"[A-Za-z][A-Za-z-]{4,}", text)
            if w.lower() not in STOP
            and norm_text(w) not in norm_text(entry.name)
            and not _given_away(w, lead, text)
        )
    )
    if not words:
        return None
    # a blank should hide a subject word (one the course names somewhere), not filler
    first = re.match(r"\W*(\w+)", text)
    first_word = first.group(1) if first else ""
    # not the sentence's first word: "____ paths: sum over the paths" guesses badly
    known = [w for w in words if w.lower().rstrip("s") in vocabulary and w != first_word]
    pool = known or sorted(words, key=len, reverse=True)[:3]
    return rng.choice(pool)


@dataclass(frozen=True)
class Pair:
    """One candidate row of a matching question: ``entry``'s ``left`` item and its ``right``
    item (None: the entry has nothing to match)."""

    entry: Entry
    left: str
    right: str | None


def matching(
    topic: str,
    template: str,
    pairs: list[Pair],
    rng: random.Random,
    lead: str,
    formulas: bool,
) -> Question | None:
    """Match 4-6 left items to right items; right items pairwise distinct (and, for
    formulas, pairwise not equivalent, so the pairing is unique)."""
    chosen = _unambiguous(pairs, rng, formulas)
    if len(chosen) < 4:
        return None
    size = rng.randint(4, len(chosen))
    chosen = chosen[:size]
    lefts = [p.left for p in chosen]
    rights = [display(str(p.right)) if formulas else str(p.right) for p in chosen]
    order = list(range(size))
    rng.shuffle(order)
    lines = [f"{i + 1}. {lefts[i]}" for i in range(size)]
    lines += [f"{LETTERS[k]}) {rights[order[k]]}" for k in range(size)]
    answer = {lefts[i]: rights[i] for i in range(size)}
    shown = [rights[order[k]] for k in range(size)]
    key = matching_key(lefts, shown, answer)
    ids = sorted(p.entry.id for p in chosen)
    return Question(
        id=make_id(topic, QuestionKind.MATCHING, template, digest(ids)),
        kind=QuestionKind.MATCHING,
        topic=topic,
        prompt=f"{lead} Answer with number-letter pairs, e.g. 1c 2a 3b …\n" + "\n".join(lines),
        answer=json.dumps(answer, ensure_ascii=False),
        explanation="; ".join(
            f"{i + 1}{key[str(i + 1)]}: {lefts[i]} → {rights[i]}" for i in range(size)
        ),
        source=", ".join(source_of(p.entry) for p in chosen),
        expected_kind=ExpectedKind.MATCHING,
        expected={"pairs": answer, "key": key, "lefts": lefts, "rights": shown},
        template=template,
        entry_id=topic,
    )


def matching_key(lefts: list[str], rights: list[str], pairs: dict[str, str]) -> dict[str, str]:
    """{left number: letter of its right item}: ``lefts`` and ``rights`` in the order the prompt
    lists them (1., 2., … and a), b), …), ``pairs`` the answer {left: right}."""
    return {str(i + 1): LETTERS[rights.index(pairs[left])] for i, left in enumerate(lefts)}


def _unambiguous(pairs: list[Pair], rng: random.Random, formulas: bool) -> list[Pair]:
    """Up to six pairs in random order, no two with the same left or right item."""
    pool = list(pairs)
    rng.shuffle(pool)
    chosen: list[Pair] = []
    for p in pool:
        if p.right is None:
            continue
        if not any(_clash(o, p, formulas) for o in chosen):
            chosen.append(p)
        if len(chosen) == 6:
            break
    return chosen


def _clash(a: Pair, b: Pair, formulas: bool) -> bool:
    """Would ``a`` and ``b`` in one matching question make its pairing ambiguous?"""
    return (
        norm_text(a.right) == norm_text(b.right)
        or norm_text(a.left) == norm_text(b.left)
        or (formulas and chk.equivalent(str(a.right), str(b.right)))
    )
