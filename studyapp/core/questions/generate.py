"""``generate_quiz``: a deterministic mix of questions over topics, kinds and numeric families.

How a quiz is put together (all randomness from ``random.Random`` seeded by strings, which is
stable across runs and platforms):

1. Topics: the requested one, or every topic with questions. Each topic gets a share of the
   ``count`` slots proportional to its weight (largest-remainder rounding). Without history the
   weights are equal; with history (``weights`` = ``Storage.topic_accuracy()``) a topic's weight
   is its smoothed error rate, so weak topics get proportionally more questions.
2. Within a topic, kinds take turns (mcq, typed, true/false, cloze, matching, numeric) so a
   quiz is varied; each content question (entry, kind, template) is used at most once, then
   numeric families fill the rest with fresh numbers (a numeric turn asks one of the topic's
   fixed numeric questions, the playground's predict ones, now and then). A topic without
   numeric families starts a second round of its content questions (ids suffixed ``::r2``), so
   any count can be served.
3. True/false statements come in pairs, one true and one false in random order, so a quiz is
   half true, half false (±1).
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Callable, Iterator, Mapping
from typing import ParamSpec

from studyapp.core.catalog import TOPICS
from studyapp.core.questions import _checking as chk
from studyapp.core.questions import numeric as num
from studyapp.core.questions.builders import Candidate, candidates_for, source_of
from studyapp.core.questions.model import (
    ExpectedKind,
    Question,
    QuestionKind,
    digest,
    format_number,
    make_id,
)
from studyapp.errors import UsageError

KIND_ORDER = (
    QuestionKind.MCQ,
    QuestionKind.NUMERIC,
    QuestionKind.TYPED,
    QuestionKind.TRUE_FALSE,
    QuestionKind.CLOZE,
    QuestionKind.MATCHING,
)


def load_content_or_empty():
    """The study content (raises its ``ContentError``, a DataError, when invalid)."""
    from studyapp.core.content import load_content

    return load_content()


def valid_topics(content) -> list[str]:
    """The six course topics plus any other topic found in the content (e.g. ``user``)."""
    extra = sorted({e.topic for e in getattr(content, "entries", []) if e.topic not in TOPICS})
    return list(TOPICS) + extra


def check_topic(topic: str | None, content) -> None:
    if topic is None:
        return
    valid = valid_topics(content)
    if topic == "user" and topic not in valid:
        raise UsageError(
            "topic 'user' has no entries yet: import your notes with "
            "`studyapp content import FILE.md`"
        )
    if topic not in valid:
        raise UsageError(f"unknown topic {topic!r}; valid topics: {', '.join(valid)}")


def topic_weights(topics: list[str], weights: Mapping | None) -> dict[str, float]:
    """Relative share of each topic.

    ``weights`` may map a topic to ``(correct, total)`` (as ``Storage.topic_accuracy()``
    returns) or directly to a non-negative number. For accuracy pairs the weight is the error
    rate with Laplace smoothing, (total − correct + 1)/(total + 2): 0.5 for a topic never
    practised, towards 0 for one always answered right, towards 1 for one always missed.
    """
    out = {}
    for t in topics:
        value = (weights or {}).get(t)
        if value is None:
            w = 0.5 if weights else 1.0
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            correct, total = (float(v) for v in value)
            correct = min(max(correct, 0.0), max(total, 0.0))
            w = (max(total, 0.0) - correct + 1.0) / (max(total, 0.0) + 2.0)
        else:
            w = max(float(value), 0.0)
        out[t] = w
    if sum(out.values()) <= 0:
        out = {t: 1.0 for t in topics}
    return out


def allocate(count: int, shares: dict[str, float]) -> dict[str, int]:
    """Largest-remainder apportionment of ``count`` slots to topics by ``shares``."""
    total = sum(shares.values())
    exact = {t: count * w / total for t, w in shares.items()}
    alloc = {t: int(v) for t, v in exact.items()}
    left = count - sum(alloc.values())
    order = sorted(shares, key=lambda t: (-(exact[t] - alloc[t]), list(shares).index(t)))
    for t in order[:left]:
        alloc[t] += 1
    return alloc


def _entry_for(content, topic: str, hint: str):
    """The content entry a numeric family illustrates, or None.

    First an exact match of the hint with an entry's ``engine`` name or id suffix (any topic,
    the family's own first); then the hint as a phrase in a name, alias or title, searched only
    in the family's topic and the prose topics (so "exponential" in an activation's alias
    "exponential linear unit" cannot capture the weighted-average family).
    """
    hint_l = hint.lower().replace("_", " ")
    own = list(content.topic(topic))
    everything = own + [e for e in getattr(content, "entries", []) if e.topic != topic]
    for e in everything:
        suffix = e.id.lower().split(".", 1)[-1].replace("_", " ").replace("-", " ")
        if suffix == hint_l:
            return e
    for e in everything:
        if str(e.fields.get("engine") or "").lower() == hint.lower():
            return e
    prose = own + [e for t in ("concepts", "backprop") if t != topic for e in content.topic(t)]
    for e in prose:
        names = [e.name, str(e.fields.get("title") or "")]
        names += [str(a) for a in (e.fields.get("aliases") or [])]
        text = " ".join(names).lower().replace("-", " ").replace("_", " ")
        if re.search(rf"\b{re.escape(hint_l)}", text):
            return e
    return None


class _Truths:
    """True/false values handed out in pairs (one True, one False, random order)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pending: list[bool] = []

    def __call__(self) -> bool:
        if not self.pending:
            pair = [True, False]
            self.rng.shuffle(pair)
            self.pending.extend(pair)
        return self.pending.pop(0)

    def give_back(self, truth: bool) -> None:
        self.pending.insert(0, truth)


def numeric_distractors(value: float, alts: list, rng: random.Random, need: int = 3) -> list[str]:
    """Up to ``need`` wrong numbers for an mcq: the slips in ``alts`` first (shuffled), then
    generic ones (sign, factor 2, ½). Each is checked with the checker's ``check_value`` at the
    quiz tolerance (never graded right), and options are at least 2 % apart from one another."""
    slips = [float(a) for a in alts if isinstance(a, (int, float)) and math.isfinite(a)]
    rng.shuffle(slips)
    generic = [-value, 2 * value, value / 2, value + 1, value - 1]
    out: list[str] = []
    taken = [value]
    tol = chk.numeric_abs_tol(value)
    for cand in slips + generic:
        text = format_number(cand)
        if any(math.isclose(float(text), t, rel_tol=0.02, abs_tol=max(tol, 1e-9)) for t in taken):
            continue
        if chk.check_value(value, text, rel_tol=0.005, abs_tol=tol).verdict == "correct":
            continue
        out.append(text)
        taken.append(float(text))
        if len(out) == need:
            break
    return out


def _not_integer(text: str) -> str:
    return text + ".0" if re.fullmatch(r"-?\d+", text) else text


class _Numeric:
    """Turns numeric drafts into questions tied to content entries."""

    def __init__(self, content, step_weights: Mapping | None = None):
        self.content = content
        self.step_weights = dict(step_weights) if step_weights else None
        self._entries: dict[tuple[str, str], object] = {}  # (topic, hint) -> _entry_for(...)

    def entry_for(self, topic: str, hint: str):
        """:func:`_entry_for`, remembered: it scans the content, and a long quiz asks it often."""
        if (topic, hint) not in self._entries:
            self._entries[topic, hint] = _entry_for(self.content, topic, hint)
        return self._entries[topic, hint]

    def families(self, topic: str) -> list:
        return list(num.families_for(topic))

    def make(self, family, rng: random.Random, as_choice: bool = False) -> Question | None:
        """A numeric question; with ``as_choice``, the same as an mcq whose wrong options are
        the values of classic slips (never within the grading tolerance of the answer). None
        when the draw asks for an update too small to show (draw again)."""
        template, topic, maker = family
        if maker is num.backprop_quantity and self.step_weights:
            draft = maker(rng, prefer=self.step_weights)
        else:
            draft = maker(rng)
        if draft.before is not None and not num.moves(draft.before, draft.value):
            return None  # the step would not show at the tolerance: draw again
        entry = self.entry_for(topic, draft.entry_hint)
        entry_id = (
            entry.id if entry is not None else f"{topic}.{draft.entry_hint.replace(' ', '_')}"
        )
        source = (
            source_of(entry)
            if entry is not None
            else (f"{entry_id} (numeric family '{draft.template}'; no content entry)")
        )
        answer = format_number(draft.value)
        if as_choice:
            wrong = numeric_distractors(draft.value, draft.alts, rng)
            if len(wrong) == 3:
                # "1.0", not "1": a bare integer could be read as a choice number
                answer, wrong = _not_integer(answer), [_not_integer(w) for w in wrong]
                choices = [answer] + wrong
                rng.shuffle(choices)
                prompt = draft.prompt.replace(" " + num.ANSWER_NOTE, "")
                return Question(
                    id=make_id(entry_id, QuestionKind.MCQ, draft.template, digest(draft.params)),
                    kind=QuestionKind.MCQ,
                    topic=draft.topic,
                    prompt=prompt,
                    choices=choices,
                    answer=answer,
                    explanation=draft.explanation,
                    source=source,
                    expected_kind=ExpectedKind.CHOICE,
                    expected=answer,
                    template=draft.template,
                    entry_id=entry_id,
                    data={**draft.data, "before": draft.before},
                )
        return Question(
            id=make_id(entry_id, QuestionKind.NUMERIC, draft.template, digest(draft.params)),
            kind=QuestionKind.NUMERIC,
            topic=draft.topic,
            prompt=draft.prompt,
            answer=answer,
            explanation=draft.explanation,
            source=source,
            expected_kind=ExpectedKind.NUMERIC,
            expected=float(draft.value),
            template=draft.template,
            entry_id=entry_id,
            data={**draft.data, "before": draft.before},
        )


P = ParamSpec("P")
BLOCK = 1000  # questions made, shuffled and handed out at a time (a quiz of 10⁵ streams)


def quiz_blocks(
    seed: int,
    count: int,
    topic: str | None = None,
    weights: Mapping | None = None,
    content=None,
    step_weights: Mapping | None = None,
) -> Iterator[list[Question]]:
    """``count`` questions for ``seed``, :data:`BLOCK` at a time, each block shuffled (a quiz of
    at most BLOCK questions is one block), so a long quiz is printed as it is made. Same arguments
    and content, same questions and ids.

    topic: one of ``valid_topics`` or None for all. weights: per-topic accuracy
    ``{topic: (correct, total)}`` (or plain numbers) to favour weak topics. step_weights:
    ``Storage.step_accuracy()`` of the exercise workspace, so that backprop questions ask more
    about the steps the learner gets wrong. Raises UsageError for an unknown topic or a count
    < 1 (before the first block).

    Any count is served: a topic whose questions run out (its content used, its numeric families
    out of fresh numbers) hands its remaining slots to the topics that still have questions, in
    proportion to their weights; only when every topic has run out do content questions come back
    as new rounds (ids suffixed ``::r2``, …).
    """
    if count < 1:
        raise UsageError(f"--count must be at least 1, got {count}")
    if content is None:
        content = load_content_or_empty()
    check_topic(topic, content)
    numeric = _Numeric(content, step_weights)
    topics = [topic] if topic else valid_topics(content)
    pools = {t: candidates_for(content, t) for t in topics}
    servable = [t for t in topics if pools[t] or numeric.families(t)]
    if not servable:
        raise UsageError(f"no questions available for topic {topic!r}")
    return _blocks(seed, count, servable, topic_weights(servable, weights), pools, numeric)


def _in_one_list(blocks: Callable[P, Iterator[list[Question]]]) -> Callable[P, list[Question]]:
    """``blocks`` (same arguments) with every block in one list."""

    def in_one_list(*args: P.args, **kwargs: P.kwargs) -> list[Question]:
        return [q for block in blocks(*args, **kwargs) for q in block]

    in_one_list.__doc__ = f"All the questions of :func:`{blocks.__name__}` in one list."
    return in_one_list


generate_quiz = _in_one_list(quiz_blocks)


def _blocks(seed, count, servable, shares, pools, numeric) -> Iterator[list[Question]]:
    rng = random.Random(f"quiz|{seed}")
    next_truth = _Truths(rng)
    seen: set[str] = set()

    def source(t: str, rounds: bool) -> Iterator[Question]:
        return _topic_questions(t, pools[t], numeric, seed, rng, next_truth, seen, rounds)

    # A topic that can only repeat its content does so only when it is all the quiz asks about.
    live = {t: source(t, rounds=len(servable) == 1) for t in servable}
    for start in range(0, count, BLOCK):
        size = min(BLOCK, count - start)
        block: list[Question] = []
        need = allocate(size, {t: shares[t] for t in live})
        while True:
            for t in list(live):
                if _take(live[t], need.get(t, 0), block) < need.get(t, 0):
                    del live[t]  # run out: its remaining slots go to the others
            if len(block) == size:
                break
            if not live:  # every topic has run out of fresh questions: content comes back
                live = {t: source(t, rounds=True) for t in servable if not numeric.families(t)}
                if not live:
                    raise UsageError(
                        f"cannot generate {count} questions (only {start + len(block)} exist)"
                    )
            need = allocate(size - len(block), {t: shares[t] for t in live})
        rng.shuffle(block)
        yield block


def _take(questions: Iterator[Question], n: int, into: list[Question]) -> int:
    """Move up to ``n`` questions from the iterator into ``into``; returns how many there were."""
    before = len(into)
    into.extend(itertools.islice(questions, n))
    return len(into) - before


def _topic_questions(
    topic,
    pool: list[Candidate],
    numeric: _Numeric,
    seed,
    rng,
    next_truth,
    seen: set[str],
    rounds_allowed: bool,
) -> Iterator[Question]:
    """The questions of one topic, as many as it has: kinds take turns; each content question
    once, then fresh numeric variants from the families not yet out of new numbers (a family
    that gives only questions already asked, 25 draws in a row, is out); a topic without numeric
    families starts new rounds of its content only when ``rounds_allowed``. Stops when nothing
    fresh is left. Every question yielded is added to ``seen``."""
    by_kind: dict[QuestionKind, list[Candidate]] = {}
    for c in pool:
        by_kind.setdefault(c.kind, []).append(c)
    for lst in by_kind.values():
        rng.shuffle(lst)
    kinds = [
        k
        for k in KIND_ORDER
        if k in by_kind or (k == QuestionKind.NUMERIC and numeric.families(topic))
    ]
    rng.shuffle(kinds)
    fams = numeric.families(topic)
    rng.shuffle(fams)
    spent: set[str] = set()  # numeric families out of fresh numbers
    cursor = {k: 0 for k in by_kind}
    made = 0
    fam_i = 0
    rounds = 1
    misses = 0
    while True:
        progressed = False
        for kind in kinds:
            if kind == QuestionKind.NUMERIC:
                q = None
                if kind in by_kind and (_pooled_turn(seed, topic, made) or not fams):
                    q = _one_content(by_kind[kind], cursor, kind, seed, rounds, next_truth, seen)
                if q is None:
                    q = _one_numeric(numeric, topic, fams, fam_i, seed, made, seen)
                    if q is None and fams:
                        spent.add(fams[fam_i % len(fams)][2].__name__)
                    fam_i += 1
                    if q is None:
                        fams = _fresh_families(numeric, topic, spent)
            else:
                q = _one_content(by_kind[kind], cursor, kind, seed, rounds, next_truth, seen)
            if q is not None:
                seen.add(q.id)
                made += 1
                progressed = True
                yield q
        if all(cursor[k] >= len(by_kind[k]) for k in by_kind):
            fams = _fresh_families(numeric, topic, spent)
            if fams:
                kinds = [QuestionKind.NUMERIC]  # content used up: fresh numbers from here on
            elif rounds_allowed and by_kind:
                rounds += 1  # no numeric family: serve the content again, new variants
                cursor = {k: 0 for k in by_kind}
            else:
                return
        misses = 0 if progressed else misses + 1
        if misses > 50:
            return


def _fresh_families(numeric: _Numeric, topic: str, spent: set[str]) -> list:
    """The topic's numeric families (in their listed order) that still give new numbers."""
    return [f for f in numeric.families(topic) if f[2].__name__ not in spent]


def _one_content(cands, cursor, kind, seed, rounds, next_truth, seen) -> Question | None:
    truth = next_truth() if kind == QuestionKind.TRUE_FALSE else None
    while cursor[kind] < len(cands):
        c = cands[cursor[kind]]
        cursor[kind] += 1
        rng_q = random.Random(f"{seed}|{c.key}|{rounds}")
        try:
            q = c.build(rng_q, truth)
        except (KeyError, ValueError, TypeError, IndexError):
            q = None  # content too thin for this template: try the next candidate
        if q is None:
            continue
        if rounds > 1:
            q.id = f"{q.id}::r{rounds}" if q.id.count("::") == 2 else f"{q.id}-r{rounds}"
        if q.id in seen:
            continue
        return q
    if truth is not None:
        next_truth.give_back(truth)  # unused: keep the true/false balance
    return None


CHOICE_SHARE = 0.25  # numeric drafts asked as an mcq (the slips as options)
NO_CHOICE = ("mcculloch_pitts",)  # 0 or 1: no four options
POOLED_SHARE = 0.15  # numeric turns that ask a fixed numeric question while any is left


def _pooled_turn(seed, topic, slot) -> bool:
    """Whether numeric turn ``slot`` asks a fixed numeric question (a predict one)."""
    return random.Random(f"{seed}|{topic}|pooled|{slot}").random() < POOLED_SHARE


def _one_numeric(numeric: _Numeric, topic, fams, fam_i, seed, slot, seen) -> Question | None:
    if not fams:
        return None
    family = fams[fam_i % len(fams)]
    as_choice = (
        random.Random(f"{seed}|{topic}|choice|{slot}|{fam_i}").random() < CHOICE_SHARE
        and family[2].__name__ not in NO_CHOICE
    )
    for attempt in range(25):
        rng_q = random.Random(f"{seed}|{topic}|numeric|{slot}|{fam_i}|{attempt}")
        q = numeric.make(family, rng_q, as_choice)
        if q is not None and q.id not in seen:
            return q
    return None
