"""Questions built from content entries: mcq, typed, true_false, cloze and matching.

Every builder returns ``Candidate`` objects: a stable key (entry id, kind, template) plus a
function that builds the question with a given random generator (and, for true/false, the truth
value the quiz wants, so that a quiz can balance true and false statements). A builder returns
``None`` when the content cannot support that question (too few siblings, an unparsable formula).

Wrong options (distractors, false statements) are always checked: formulas with the checker's
equivalence (never equal to the answer), texts by normalized comparison.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from studyapp.core.questions import _checking as chk
from studyapp.core.questions.formulas import (
    display,
    distinct_formulas,
    mutations,
    split_top,
    strip_outer,
)
from studyapp.core.questions.model import Question, digest, make_id

BLANK = "____"
N_CHOICES = 4


@dataclass
class Candidate:
    """A question that can be built on demand."""

    topic: str
    kind: str
    entry_id: str
    template: str
    build: Callable[[random.Random, bool | None], Question | None]

    @property
    def key(self) -> str:
        return make_id(self.entry_id, self.kind, self.template)


# ----------------------------------------------------------------------------- small helpers


def source_of(entry) -> str:
    """``source``: the entry id and where it is written (``act.sigmoid (activations.toml:3)``)."""
    where = getattr(entry, "source", "") or ""
    return f"{entry.id} ({where})" if where else entry.id


def norm_text(text: str) -> str:
    """Lower case, no punctuation or articles, single spaces: for comparing typed words."""
    t = re.sub(r"[^\w\s]", " ", str(text).lower().replace("-", " "))
    words = [w for w in t.split() if w not in ("a", "an", "the")]
    return " ".join(words)


def _as_list(value) -> list[str]:
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


def _formula(entry, field: str) -> str | None:
    value = entry.fields.get(field)
    if not isinstance(value, str) or not value.strip():
        return None
    return value if chk.parses(value) else None


_INTEGER = re.compile(r"\d+")


def _mcq(
    entry,
    topic: str,
    template: str,
    prompt: str,
    answer: str,
    wrong: list[str],
    explanation: str,
    rng: random.Random,
    variant: str | None = None,
) -> Question | None:
    """A multiple-choice question: the answer and N_CHOICES-1 distinct wrong options."""
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
    ]
    if len(wrong) < N_CHOICES - 1:
        return None
    picked = rng.sample(wrong, N_CHOICES - 1)
    choices = picked + [answer]
    rng.shuffle(choices)
    return Question(
        id=make_id(entry.id, "mcq", template, variant),
        kind="mcq",
        topic=topic,
        prompt=prompt,
        choices=choices,
        answer=answer,
        explanation=explanation,
        source=source_of(entry),
        expected_kind="choice",
        expected=answer,
        template=template,
        entry_id=entry.id,
    )


def _with_raw(q: Question | None, field: str, raws: list[str]) -> Question | None:
    """Remember which stored formula is behind each displayed choice."""
    if q is not None:
        q.data = {"field": field, "raw": {display(r): r for r in raws}}
    return q


def _tf(
    entry,
    topic: str,
    template: str,
    statement: str,
    truth: bool,
    explanation: str,
    variant: str | None = None,
) -> Question:
    return Question(
        id=make_id(entry.id, "true_false", template, variant),
        kind="true_false",
        topic=topic,
        prompt=f"True or false? {statement}",
        answer="True" if truth else "False",
        explanation=("True. " if truth else "False. ") + explanation,
        source=source_of(entry),
        expected_kind="boolean",
        expected=truth,
        template=template,
        entry_id=entry.id,
    )


def _formula_cloze(
    entry, topic: str, template: str, lhs: str, formula: str, rng: random.Random, what: str
) -> Question | None:
    """Blank one top-level factor or term of ``formula``; graded by substituting the answer."""
    body = strip_outer(formula)
    # lowest precedence first: terms of a sum, else factors of a product
    pieces = split_top(body, "+-")
    if len(pieces) < 2:
        pieces = split_top(body, "*/")
    if len(pieces) < 2:
        return None
    # blank a piece that carries information (not a bare constant like 1 or 2)
    options = [i for i, (_, p) in enumerate(pieces) if not re.fullmatch(r"[\d.]+", p)]
    if not options:
        return None
    i = rng.choice(options)
    blanked = pieces[i][1]
    template_text = "".join(
        (f" {o} " if o in "+-" else o) + (f"({BLANK})" if j == i else p)
        for j, (o, p) in enumerate(pieces)
    ).strip()
    shown = "".join(
        (f" {o} " if o in "+-" else o) + (BLANK if j == i else display(p))
        for j, (o, p) in enumerate(pieces)
    ).strip()
    return Question(
        id=make_id(entry.id, "cloze", template),
        kind="cloze",
        topic=topic,
        prompt=f"Fill in the blank ({what}): {lhs} = {shown}",
        answer=blanked,
        explanation=f"{lhs} = {display(formula)}; the blank is {display(blanked)}.",
        source=source_of(entry),
        expected_kind="expression",
        expected=formula,
        template=template,
        entry_id=entry.id,
        cloze_template=template_text,
    )


STOP = set(
    """about above after again against also among because been before being below
between both cannot could does doing during each from further having here into itself more
most other over same should some such than that their them then there these they this those
through under until very were what when where which while with would your used using uses
helps allows makes during without""".split()
)


def course_vocabulary(content) -> set[str]:
    """Subject words of the course: words of entry names, aliases and key concepts."""
    words: set[str] = set()
    for e in getattr(content, "entries", []):
        texts = [
            e.name,
            *_as_list(e.fields.get("aliases")),
            *_as_list(e.fields.get("key_concepts")),
        ]
        for t in texts:
            words |= {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z][A-Za-z-]{4,}", t)}
    return words - STOP


def _text_cloze(
    entry,
    topic: str,
    template: str,
    text: str,
    phrases: list[str],
    rng: random.Random,
    lead: str,
    vocabulary: set[str] = frozenset(),
) -> Question | None:
    """Blank a key phrase (from ``phrases`` if one occurs in ``text``, else a long word)."""
    found = [p for p in phrases if len(p) >= 4 and re.search(rf"\b{re.escape(p)}\b", text, re.I)]
    if found:
        phrase = rng.choice(found)
    else:
        words = list(
            dict.fromkeys(
                w
                for w in re.findall(r"[A-Za-z][A-Za-z-]{4,}", text)
                if w.lower() not in STOP and norm_text(w) not in norm_text(entry.name)
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
        phrase = rng.choice(pool)
    m = re.search(rf"\b{re.escape(phrase)}\b", text, re.I)
    if m is None:
        return None
    actual = m.group(0)
    shown = text[: m.start()] + BLANK + text[m.end() :]
    return Question(
        id=make_id(entry.id, "cloze", template),
        kind="cloze",
        topic=topic,
        prompt=f"Fill in the blank. {lead}{shown}",
        answer=actual,
        explanation=f"{lead}{text}",
        source=source_of(entry),
        expected_kind="text",
        expected=[actual],
        template=template,
        entry_id=entry.id,
    )


def _matching(
    topic: str,
    template: str,
    entries: list,
    left: Callable,
    right: Callable,
    rng: random.Random,
    lead: str,
    formulas: bool,
) -> Question | None:
    """Match 4-6 left items to right items; right items pairwise distinct (and, for
    formulas, pairwise not equivalent, so the pairing is unique)."""
    pool = list(entries)
    rng.shuffle(pool)
    chosen: list = []
    for e in pool:
        r = right(e)
        if r is None:
            continue
        clash = any(
            norm_text(right(o)) == norm_text(r)
            or norm_text(left(o)) == norm_text(left(e))
            or (formulas and chk.equivalent(right(o), r))
            for o in chosen
        )
        if not clash:
            chosen.append(e)
        if len(chosen) == 6:
            break
    if len(chosen) < 4:
        return None
    size = rng.randint(4, len(chosen))
    chosen = chosen[:size]
    show = (lambda e: display(right(e))) if formulas else right
    lefts = [left(e) for e in chosen]
    rights = [show(e) for e in chosen]
    order = list(range(size))
    rng.shuffle(order)
    letters = "abcdef"
    lines = [f"{i + 1}. {lefts[i]}" for i in range(size)]
    lines += [f"{letters[k]}) {rights[order[k]]}" for k in range(size)]
    pairs = {lefts[i]: rights[i] for i in range(size)}
    key = {str(i + 1): letters[order.index(i)] for i in range(size)}
    ids = sorted(e.id for e in chosen)
    return Question(
        id=make_id(topic, "matching", template, digest(ids)),
        kind="matching",
        topic=topic,
        prompt=f"{lead} Answer with number-letter pairs, e.g. 1c 2a 3b …\n" + "\n".join(lines),
        answer=json.dumps(pairs, ensure_ascii=False),
        explanation="; ".join(
            f"{i + 1}{key[str(i + 1)]}: {lefts[i]} → {rights[i]}" for i in range(size)
        ),
        source=", ".join(source_of(e) for e in chosen),
        expected_kind="matching",
        expected={
            "pairs": pairs,
            "key": key,
            "lefts": lefts,
            "rights": [rights[order[k]] for k in range(size)],
        },
        template=template,
        entry_id=topic,
    )


# ----------------------------------------------------------------------------- formula tables


def formula_table(content, topic: str) -> list[Candidate]:
    """Activations and losses: formula/derivative mcq, typed, true/false, cloze, matching."""
    entries = list(content.topic(topic))
    noun = {"activations": "activation function", "losses": "loss function"}.get(topic, "entry")
    var = "z" if topic == "activations" else "a"
    out: list[Candidate] = []

    def siblings(e, field):
        return [o for o in entries if o.id != e.id and _formula(o, field)]

    for e in entries:
        f, d = _formula(e, "formula"), _formula(e, "derivative")
        for field, value in (("formula", f), ("derivative", d)):
            if value is None:
                continue
            if topic == "losses":
                lhs = "L" if field == "formula" else "∂L/∂a"
            else:
                lhs = "f(z)" if field == "formula" else "f′(z)"
            label = "formula" if field == "formula" else f"derivative with respect to {var}"

            def mcq(rng, truth, e=e, field=field, value=value, label=label):
                wrong_f = [o.fields[field] for o in siblings(e, field)]
                rng.shuffle(wrong_f)
                mut = mutations(value)
                rng.shuffle(mut)
                # mix siblings (the wrong function) and slips of this very formula
                pool = [x for pair in zip(wrong_f, mut, strict=False) for x in pair] + wrong_f + mut
                wrong = distinct_formulas(value, pool, N_CHOICES - 1)
                q = _mcq(
                    e,
                    topic,
                    field,
                    f"Which expression is the {label} of {e.name}?",
                    display(value),
                    [display(w) for w in wrong],
                    f"The {label} of {e.name} is {display(value)}.",
                    rng,
                )
                return _with_raw(q, field, [value, *wrong])

            def typed(rng, truth, e=e, field=field, value=value, label=label, lhs=lhs):
                names = ", ".join(symbols_in(value) or [var])
                per = " per output" if topic == "losses" else ""
                return Question(
                    id=make_id(e.id, "typed", field),
                    kind="typed",
                    topic=topic,
                    prompt=f"Type the {label} of {e.name}{per}, in terms of {names} "
                    f"(write e.g. exp(), ln(), sigma(), ^).",
                    answer=value,
                    explanation=f"{lhs} = {display(value)}.",
                    source=source_of(e),
                    expected_kind="expression",
                    expected=value,
                    template=field,
                    entry_id=e.id,
                )

            def tf(rng, truth, e=e, field=field, value=value, label=label):
                if truth:
                    shown = value
                else:
                    pool = mutations(value) + [o.fields[field] for o in siblings(e, field)]
                    rng.shuffle(pool)
                    wrong = distinct_formulas(value, pool, 1)
                    if not wrong:
                        return None
                    shown = wrong[0]
                q = _tf(
                    e,
                    topic,
                    field,
                    f"The {label} of {e.name} is {display(shown)}.",
                    truth,
                    f"The {label} of {e.name} is {display(value)}.",
                )
                q.data = {"field": field, "shown": shown, "true": value}
                return q

            def cloze(rng, truth, e=e, field=field, value=value, lhs=lhs, label=label):
                return _formula_cloze(e, topic, field, lhs, value, rng, f"{label} of {e.name}")

            out += [
                Candidate(topic, "mcq", e.id, field, mcq),
                Candidate(topic, "typed", e.id, field, typed),
                Candidate(topic, "true_false", e.id, field, tf),
                Candidate(topic, "cloze", e.id, field, cloze),
            ]

        if f is not None:

            def name_mcq(rng, truth, e=e, f=f):
                wrong = [
                    o.name
                    for o in entries
                    if o.id != e.id
                    and _formula(o, "formula")
                    and not chk.equivalent(f, o.fields["formula"])
                ]
                return _mcq(
                    e,
                    topic,
                    "name",
                    f"Which {noun} is {display(f)}?",
                    e.name,
                    wrong,
                    f"{e.name}: {display(f)}.",
                    rng,
                )

            out.append(Candidate(topic, "mcq", e.id, "name", name_mcq))
        out += _pros_cons(e, topic)
        if topic == "activations" and e.fields.get("range"):
            out.append(_range_tf(e, entries, topic))

    for field in ("formula", "derivative"):
        usable = [e for e in entries if _formula(e, field)]
        if len(usable) >= 4:

            def match(rng, truth, field=field, usable=usable):
                what = "formula" if field == "formula" else "derivative"
                q = _matching(
                    topic,
                    field + "s",
                    usable,
                    lambda x: x.name,
                    lambda x: x.fields.get(field),
                    rng,
                    f"Match each {noun} to its {what}.",
                    formulas=True,
                )
                if q is not None:
                    q.data = {"field": field}
                return q

            out.append(Candidate(topic, "matching", topic, field + "s", match))
    return out


def _pros_cons(e, topic: str) -> list[Candidate]:
    pros, cons = _as_list(e.fields.get("pros")), _as_list(e.fields.get("cons"))
    if not pros or not cons:
        return []

    def tf(rng, truth, e=e):
        # a true statement names a listed advantage as an advantage (or a drawback as a
        # drawback); a false one swaps them: a drawback presented as an advantage
        as_pro = rng.random() < 0.5
        if as_pro:
            item = rng.choice(pros if truth else cons)
        else:
            item = rng.choice(cons if truth else pros)
        if norm_text(item) in {norm_text(p) for p in pros} & {norm_text(c) for c in cons}:
            return None
        what = "an advantage" if as_pro else "a drawback"
        real = "an advantage" if (as_pro == truth) else "a drawback"
        q = _tf(
            e,
            topic,
            "pros_cons",
            f"“{item}” is {what} of {e.name}.",
            truth,
            f"The notes list “{item}” as {real} of {e.name}. Advantages: "
            f"{'; '.join(pros)}. Drawbacks: {'; '.join(cons)}.",
        )
        q.data = {"item": item, "as": "pros" if as_pro else "cons"}
        return q

    def mcq(rng, truth, e=e):
        # which of these is a drawback of X? (the other options are X's own advantages)
        answer = rng.choice(cons)
        wrong = [p for p in pros if norm_text(p) not in {norm_text(c) for c in cons}]
        return _mcq(
            e,
            topic,
            "drawback",
            f"Which of these is a drawback of {e.name}?",
            answer,
            wrong,
            f"Drawbacks of {e.name}: {'; '.join(cons)}. The others are its "
            f"advantages: {'; '.join(pros)}.",
            rng,
        )

    return [
        Candidate(topic, "true_false", e.id, "pros_cons", tf),
        Candidate(topic, "mcq", e.id, "drawback", mcq),
    ]


def _intervals(text: str) -> set[str]:
    """The intervals written in a range, spaces removed: {"(0,1)"}."""
    return {re.sub(r"\s+", "", m) for m in re.findall(r"[(\[][^()\[\]]*[)\]]", text)}


def _range_tf(e, entries, topic) -> Candidate:
    def tf(rng, truth, e=e):
        mine = str(e.fields["range"])
        if truth:
            shown = mine
        else:
            # a range sharing an interval with this one ("(0, 1)" of sigmoid and of each softmax
            # component) would make a "false" statement that is partly true
            mine_iv = _intervals(mine)
            others = sorted(
                {
                    str(o.fields.get("range"))
                    for o in entries
                    if o.fields.get("range")
                    and norm_text(o.fields["range"]) != norm_text(mine)
                    and not (_intervals(str(o.fields["range"])) & mine_iv)
                }
            )
            if not others:
                return None
            shown = rng.choice(others)
        q = _tf(
            e,
            topic,
            "range",
            f"The output range of {e.name} is {shown}.",
            truth,
            f"The range of {e.name} is {mine}.",
        )
        q.data = {"shown": shown}
        return q

    return Candidate(topic, "true_false", e.id, "range", tf)


# ----------------------------------------------------------------------------- optimizers


def _steps(entry) -> list[dict]:
    steps = entry.fields.get("steps") or []
    return [
        s
        for s in steps
        if isinstance(s, dict) and s.get("lhs") and s.get("rhs") and chk.parses(str(s["rhs"]))
    ]


def optimizer_table(content, topic: str = "optimizers") -> list[Candidate]:
    entries = list(content.topic(topic))
    out: list[Candidate] = []
    all_rhs = [(o, s) for o in entries for s in _steps(o)]
    for e in entries:
        for idx, step in enumerate(_steps(e)):
            lhs, rhs = str(step["lhs"]), str(step["rhs"])
            tpl = f"step{idx + 1}"

            def mcq(rng, truth, e=e, lhs=lhs, rhs=rhs, tpl=tpl, idx=idx):
                same_lhs = [s["rhs"] for o, s in all_rhs if o.id != e.id and s["lhs"] == lhs]
                others = [s["rhs"] for o, s in all_rhs if o.id != e.id and s["lhs"] != lhs]
                mut = mutations(rhs)
                rng.shuffle(same_lhs)
                rng.shuffle(mut)
                rng.shuffle(others)
                wrong = distinct_formulas(
                    rhs, same_lhs[:2] + mut + same_lhs[2:] + others, N_CHOICES - 1
                )
                q = _mcq(
                    e,
                    topic,
                    tpl,
                    f"In {e.name}, which expression is the update {display(lhs)} ← … ?",
                    display(rhs),
                    [display(w) for w in wrong],
                    _steps_text(e),
                    rng,
                )
                return _with_raw(q, f"steps[{idx}]", [rhs, *wrong])

            def typed(rng, truth, e=e, lhs=lhs, rhs=rhs, tpl=tpl):
                return Question(
                    id=make_id(e.id, "typed", tpl),
                    kind="typed",
                    topic=topic,
                    prompt=f"Type the right-hand side of the {e.name} update {display(lhs)} ← … "
                    f"(names as in the notes: theta, eta, g, m, v, beta1, beta2, eps, …).",
                    answer=rhs,
                    explanation=_steps_text(e),
                    source=source_of(e),
                    expected_kind="expression",
                    expected=rhs,
                    template=tpl,
                    entry_id=e.id,
                )

            def tf(rng, truth, e=e, lhs=lhs, rhs=rhs, tpl=tpl, idx=idx):
                shown = rhs
                if not truth:
                    pool = mutations(rhs)
                    rng.shuffle(pool)
                    wrong = distinct_formulas(rhs, pool, 1)
                    if not wrong:
                        return None
                    shown = wrong[0]
                q = _tf(
                    e,
                    topic,
                    tpl,
                    f"In {e.name}, the update is {display(lhs)} ← {display(shown)}.",
                    truth,
                    _steps_text(e),
                )
                q.data = {"field": f"steps[{idx}]", "shown": shown, "true": rhs}
                return q

            def cloze(rng, truth, e=e, lhs=lhs, rhs=rhs, tpl=tpl):
                return _fix_arrow(
                    _formula_cloze(e, topic, tpl, display(lhs), rhs, rng, f"{e.name} update")
                )

            out += [
                Candidate(topic, "mcq", e.id, tpl, mcq),
                Candidate(topic, "typed", e.id, tpl, typed),
                Candidate(topic, "true_false", e.id, tpl, tf),
                Candidate(topic, "cloze", e.id, tpl, cloze),
            ]
        out += _pros_cons(e, topic)
        hyper = e.fields.get("hyperparameters") or {}
        if hyper:
            out.append(_hyper_tf(e, topic))

    with_steps = [e for e in entries if _steps(e)]
    if len(with_steps) >= 4:

        def match(rng, truth):
            return _matching(
                topic,
                "updates",
                with_steps,
                lambda e: e.name,
                lambda e: _last_step_text(e),
                rng,
                "Match each optimizer to its parameter update.",
                formulas=False,
            )

        out.append(Candidate(topic, "matching", topic, "updates", match))
    return out


def _fix_arrow(q: Question | None) -> Question | None:
    """Optimizer steps read ``θ ← …`` rather than ``θ = …``."""
    if q is not None:
        q.prompt = q.prompt.replace(" = ", " ← ", 1)
        q.explanation = q.explanation.replace(" = ", " ← ", 1)
    return q


def _steps_text(e) -> str:
    return (
        f"{e.name}: "
        + "; ".join(f"{display(str(s['lhs']))} ← {display(str(s['rhs']))}" for s in _steps(e))
        + "."
    )


def _last_step_text(e) -> str | None:
    """The parameter update (the last step): what tells optimizers apart at a glance."""
    steps = _steps(e)
    if not steps:
        return None
    s = steps[-1]
    return f"{display(str(s['lhs']))} ← {display(str(s['rhs']))}"


def _hyper_tf(e, topic) -> Candidate:
    def tf(rng, truth, e=e):
        hyper = e.fields["hyperparameters"]
        name = rng.choice(sorted(hyper))
        value = hyper[name]
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        shown = value
        if not truth:
            shown = rng.choice(
                [
                    v
                    for v in (value * 10, value / 10, 1 - value if 0 < value < 1 else value + 1)
                    if v != value
                ]
            )
        q = _tf(
            e,
            topic,
            "hyperparameter",
            f"The usual default of {name} in {e.name} is {shown:g}.",
            truth,
            f"Usual defaults for {e.name}: "
            + ", ".join(f"{k} = {v}" for k, v in hyper.items())
            + ".",
        )
        q.data = {"name": name, "shown": shown}
        return q

    return Candidate(topic, "true_false", e.id, "hyperparameter", tf)


# ----------------------------------------------------------------------------- terms


def _mask(text: str, name: str) -> str:
    """Hide the term's own name inside its definition (it would give the answer away)."""
    words = {name, *re.split(r"\s*/\s*|\s+and\s+", name)}
    words |= {w[:-1] for w in words if w.lower().endswith("s")}  # "Epochs" hides "epoch" too
    for word in sorted(words, key=len, reverse=True):
        if len(word) >= 4:
            text = re.sub(re.escape(word), "…", text, flags=re.I)
    return text


def terms_table(content, topic: str = "terms") -> list[Candidate]:
    vocab = course_vocabulary(content)
    entries = [e for e in content.topic(topic) if e.fields.get("definition")]
    out: list[Candidate] = []
    for e in entries:
        definition = str(e.fields["definition"])
        aliases = _as_list(e.fields.get("aliases"))

        def which_term(rng, truth, e=e, definition=definition):
            return _mcq(
                e,
                topic,
                "term",
                f"Which term is defined as: “{_mask(definition, e.name)}”?",
                e.name,
                [o.name for o in entries if o.id != e.id],
                f"{e.name}: {definition}",
                rng,
            )

        def which_def(rng, truth, e=e, definition=definition):
            return _mcq(
                e,
                topic,
                "definition",
                f"What is {e.name}?",
                definition,
                [str(o.fields["definition"]) for o in entries if o.id != e.id],
                f"{e.name}: {definition}",
                rng,
            )

        def typed(rng, truth, e=e, definition=definition, aliases=aliases):
            return Question(
                id=make_id(e.id, "typed", "term"),
                kind="typed",
                topic=topic,
                prompt=f"Name the term: “{_mask(definition, e.name)}”",
                answer=e.name,
                explanation=f"{e.name}: {definition}",
                source=source_of(e),
                expected_kind="text",
                expected=[e.name, *aliases],
                template="term",
                entry_id=e.id,
            )

        def tf(rng, truth, e=e, definition=definition):
            shown = definition
            if not truth:
                other = rng.choice([o for o in entries if o.id != e.id])
                shown = _mask(str(other.fields["definition"]), other.name)
            q = _tf(
                e, topic, "definition", f"{e.name}: “{shown}”", truth, f"{e.name}: {definition}"
            )
            q.data = {"shown": shown}
            return q

        def cloze(rng, truth, e=e, definition=definition):
            return _text_cloze(
                e,
                topic,
                "definition",
                definition,
                _as_list(e.fields.get("key_concepts")),
                rng,
                f"{e.name}: ",
                vocab,
            )

        out += [
            Candidate(topic, "mcq", e.id, "term", which_term),
            Candidate(topic, "mcq", e.id, "definition", which_def),
            Candidate(topic, "typed", e.id, "term", typed),
            Candidate(topic, "true_false", e.id, "definition", tf),
            Candidate(topic, "cloze", e.id, "definition", cloze),
        ]
    if len(entries) >= 4:

        def match(rng, truth):
            return _matching(
                topic,
                "definitions",
                entries,
                lambda e: e.name,
                lambda e: _mask(str(e.fields["definition"]), e.name),
                rng,
                "Match each term to its definition.",
                formulas=False,
            )

        out.append(Candidate(topic, "matching", topic, "definitions", match))
    out += _question_answer(entries, topic)
    return out


# ----------------------------------------------------------------------------- concepts


def concepts_table(content, topic: str) -> list[Candidate]:
    vocab = course_vocabulary(content)
    entries = [e for e in content.topic(topic)]
    out: list[Candidate] = []
    for e in entries:
        title = str(e.fields.get("title") or e.name)
        points = _as_list(e.fields.get("key_points"))
        for idx, point in enumerate(points):
            tpl = f"point{idx + 1}"

            def cloze(rng, truth, e=e, point=point, tpl=tpl, title=title):
                return _text_cloze(e, topic, tpl, point, [], rng, f"({title}) ", vocab)

            out.append(Candidate(topic, "cloze", e.id, tpl, cloze))
        if points:

            def which(rng, truth, e=e, points=points, title=title):
                answer = rng.choice(points)
                wrong = [
                    p for o in entries if o.id != e.id for p in _as_list(o.fields.get("key_points"))
                ]
                return _mcq(
                    e,
                    topic,
                    "key_point",
                    f"Which of these statements comes from the notes' section “{title}”?",
                    answer,
                    wrong,
                    f"“{title}” says: " + "; ".join(points) + ".",
                    rng,
                )

            out.append(Candidate(topic, "mcq", e.id, "key_point", which))
        formulas = [
            f
            for f in (e.fields.get("formulas") or [])
            if isinstance(f, dict) and f.get("plain") and f.get("label")
        ]
        for idx, f in enumerate(formulas):

            def which_formula(rng, truth, e=e, f=f, title=title):
                wrong = [
                    str(g["plain"])
                    for o in entries
                    for g in (o.fields.get("formulas") or [])
                    if isinstance(g, dict)
                    and g.get("plain")
                    and g is not f
                    and norm_text(g.get("plain")) != norm_text(f["plain"])
                ]
                return _mcq(
                    e,
                    topic,
                    "formula",
                    f"{title}: which formula is the {f['label']}?",
                    str(f["plain"]),
                    wrong,
                    f"{f['label']}: {f['plain']}",
                    rng,
                    variant=None,
                )

            if idx == 0:
                out.append(Candidate(topic, "mcq", e.id, "formula", which_formula))
    out += _question_answer(entries, topic)
    return out


def _question_answer(entries, topic: str) -> list[Candidate]:
    """The notes' own "commonly asked questions" with their answers: the answer among the
    answers to the other questions of the topic."""
    pairs = [
        (e, i, str(q), str(a))
        for e in entries
        for i, (q, a) in enumerate(
            zip(
                _as_list(e.fields.get("questions")), _as_list(e.fields.get("answers")), strict=False
            )
        )
    ]
    out = []
    for e, i, question, answer in pairs:

        def build(rng, truth, e=e, i=i, question=question, answer=answer):
            # not the answers of the same entry, nor of an entry the question names ("How does
            # the learning rate affect GD?" must not offer Learning Rate's own answers)
            named = {
                o.id
                for o, _, _, _ in pairs
                if any(
                    len(n) >= 3 and re.search(rf"\b{re.escape(n)}\b", question, re.I)
                    for n in [o.name, *_as_list(o.fields.get("aliases"))]
                )
            }
            wrong = [
                a for o, _, _, a in pairs if a != answer and o.id != e.id and o.id not in named
            ]
            # the notes' questions lean on their row ("How does it help training?")
            return _mcq(
                e,
                topic,
                f"question{i + 1}",
                f"{e.name}: {question}",
                answer,
                wrong,
                f"{question} {answer}",
                rng,
            )

        out.append(Candidate(topic, "mcq", e.id, f"question{i + 1}", build))
    return out


# ----------------------------------------------------------------------------- errata


ERRATA_TOPICS = (
    (
        "activations",
        ("activation", "sigmoid", "tanh", "relu", "softmax", "swish", "softplus", "elu"),
    ),
    ("losses", ("loss", "entropy", "huber", "hinge", "mse", "mae")),
    ("optimizers", ("optimizer", "adam", "rmsprop", "adagrad", "adadelta", "momentum", "sgd")),
    ("backprop", ("backprop", "delta", "chain rule", "worked example", "gradient for")),
    ("terms", ("term",)),
)


def erratum_topic(err) -> str:
    text = f"{getattr(err, 'id', '')} {getattr(err, 'location', '')}".lower()
    for topic, words in ERRATA_TOPICS:
        if any(w in text for w in words):
            return topic
    return "concepts"


def errata_candidates(content) -> list[Candidate]:
    """The notes' own mistakes as true/false traps: what the notes say is false, the
    correction is true."""
    out: list[Candidate] = []
    for err in getattr(content, "errata", []) or []:
        says, correct = str(getattr(err, "says", "")), str(getattr(err, "correct", ""))
        if not says.strip() or not correct.strip() or norm_text(says) == norm_text(correct):
            continue
        topic = erratum_topic(err)

        def tf(rng, truth, err=err, says=says, correct=correct, topic=topic):
            shown = correct if truth else says
            why = str(getattr(err, "why", "")).strip()
            return Question(
                id=make_id(err.id, "true_false", "erratum"),
                kind="true_false",
                topic=topic,
                prompt=f"True or false? ({err.location}) {shown}",
                answer="True" if truth else "False",
                explanation=("True. " if truth else f"False: the notes say “{says}” but ")
                + (f"correct is “{correct}”." if not truth else f"“{correct}”.")
                + (f" {why}" if why else ""),
                source=f"{err.id} ({getattr(err, 'source', '') or 'errata.toml'})",
                expected_kind="boolean",
                expected=truth,
                template="erratum",
                entry_id=err.id,
                data={"shown": shown},
            )

        out.append(Candidate(topic, "true_false", err.id, "erratum", tf))
    return out


# ----------------------------------------------------------------------------- other tables


def generic_table(content, topic: str) -> list[Candidate]:
    """Imported tables (topic ``user``): mcq and true/false on every text column, matching on
    the first one. Column values of sibling rows are the distractors."""
    from studyapp.core.mathtext import text_to_unicode as show  # cells may hold $…$ LaTeX

    entries = list(content.topic(topic))
    out: list[Candidate] = []
    columns = sorted(
        {k for e in entries for k, v in e.fields.items() if isinstance(v, str) and v.strip()}
    )
    for e in entries:
        for col in columns:
            value = e.fields.get(col)
            if not isinstance(value, str) or not value.strip():
                continue

            def mcq(rng, truth, e=e, col=col, value=value):
                wrong = [
                    show(str(o.fields[col]))
                    for o in entries
                    if o.id != e.id and isinstance(o.fields.get(col), str) and o.fields[col].strip()
                ]
                return _mcq(
                    e,
                    topic,
                    col,
                    f"{e.name} — {col}?",
                    show(value),
                    wrong,
                    f"{e.name} — {col}: {show(value)}",
                    rng,
                )

            def tf(rng, truth, e=e, col=col, value=value):
                shown = value
                if not truth:
                    others = [
                        str(o.fields[col])
                        for o in entries
                        if o.id != e.id
                        and isinstance(o.fields.get(col), str)
                        and norm_text(o.fields[col]) != norm_text(value)
                    ]
                    if not others:
                        return None
                    shown = rng.choice(others)
                q = _tf(
                    e,
                    topic,
                    col,
                    f"{e.name} — {col}: {show(shown)}",
                    truth,
                    f"{e.name} — {col}: {show(value)}",
                )
                q.data = {"shown": shown, "column": col}
                return q

            def typed(rng, truth, e=e, col=col, value=value):
                same = [
                    o
                    for o in entries
                    if isinstance(o.fields.get(col), str)
                    and norm_text(o.fields[col]) == norm_text(value)
                ]
                if len(same) != 1:
                    return None  # two rows share this value: the name would be ambiguous
                return Question(
                    id=make_id(e.id, "typed", col),
                    kind="typed",
                    topic=topic,
                    prompt=f"Which entry has {col}: “{show(value)}”?",
                    answer=e.name,
                    explanation=f"{e.name} — {col}: {show(value)}",
                    source=source_of(e),
                    expected_kind="text",
                    expected=[e.name],
                    template=col,
                    entry_id=e.id,
                )

            out += [
                Candidate(topic, "mcq", e.id, col, mcq),
                Candidate(topic, "true_false", e.id, col, tf),
                Candidate(topic, "typed", e.id, col, typed),
            ]
    if columns and len(entries) >= 4:
        col = columns[0]

        def match(rng, truth, col=col):
            return _matching(
                topic,
                col,
                entries,
                lambda e: e.name,
                lambda e: show(e.fields[col]) if isinstance(e.fields.get(col), str) else None,
                rng,
                f"Match each entry to its {col}.",
                formulas=False,
            )

        out.append(Candidate(topic, "matching", topic, col, match))
    return out


REC_COLUMNS = (
    ("activation", "output activation"),
    ("loss", "loss function"),
    ("optimizer", "optimizer"),
)


def _overlap(a: str, b: str) -> bool:
    """One value contains the other ("ReLU" in "None (linear) / ReLU"): not safely different."""
    na, nb = norm_text(a), norm_text(b)
    return na in nb or nb in na


def recommendation_candidates(content, topic: str = "concepts") -> list[Candidate]:
    """The notes' recommendation table (scenario + task -> activation, loss, optimizer):
    true/false on each cell, mcq on the output activation."""
    rows = [
        r
        for r in getattr(content, "recommendations", []) or []
        if isinstance(r, dict) and r.get("id") and r.get("task")
    ]
    out: list[Candidate] = []
    for r in rows:
        entry = SimpleNamespace(
            id=str(r["id"]),
            name=f"{r.get('scenario', '')} / {r['task']}",
            source=str(r.get("source") or "recommendations.toml"),
            fields=r,
        )
        case = f"for “{r['task']}” with “{r.get('scenario', '')}”"
        for col, label in REC_COLUMNS:
            if not r.get(col):
                continue

            def tf(rng, truth, entry=entry, col=col, label=label, case=case):
                mine = str(entry.fields[col])
                shown = mine
                if not truth:
                    others = sorted(
                        {
                            str(o[col])
                            for o in rows
                            if o.get(col) and not _overlap(str(o[col]), mine)
                        }
                    )
                    if not others:
                        return None
                    shown = rng.choice(others)
                q = _tf(
                    entry,
                    topic,
                    f"recommend_{col}",
                    f"The notes' table recommends {shown} as the {label} {case}.",
                    truth,
                    f"The table recommends {mine} as the {label} {case}."
                    + (f" {entry.fields['notes']}" if entry.fields.get("notes") else ""),
                )
                q.data = {"shown": shown, "column": col}
                return q

            out.append(Candidate(topic, "true_false", entry.id, f"recommend_{col}", tf))

        def mcq(rng, truth, entry=entry, case=case):
            mine = str(entry.fields["activation"])
            wrong = sorted(
                {
                    str(o["activation"])
                    for o in rows
                    if o.get("activation") and not _overlap(str(o["activation"]), mine)
                }
            )
            return _mcq(
                entry,
                topic,
                "recommend_activation",
                f"Which output activation does the notes' table recommend {case}?",
                mine,
                wrong,
                f"The table recommends {mine} {case}.",
                rng,
            )

        if r.get("activation"):
            out.append(Candidate(topic, "mcq", entry.id, "recommend_activation", mcq))
    return out


def candidates_for(content, topic: str) -> list[Candidate]:
    """All content-based candidates of one topic."""
    if topic in ("activations", "losses"):
        out = formula_table(content, topic)
    elif topic == "optimizers":
        out = optimizer_table(content, topic)
    elif topic == "terms":
        out = terms_table(content, topic)
    elif topic in ("concepts", "backprop"):
        out = concepts_table(content, topic)
    else:
        out = generic_table(content, topic)
    if topic == "concepts":
        out += recommendation_candidates(content, topic)
    out += [c for c in errata_candidates(content) if c.topic == topic]
    return out
