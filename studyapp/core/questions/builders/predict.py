"""The quiz's "predict" questions: asked about a playground preset, answered by running it.

"Which reaches f < 10⁻³ first on the ravine?", "Which layer's gradient is smallest at the
start?", "Which diverges at lr 0.11?": each question below names a study of
``studyapp.core.predictions`` (a preset's race or training run) and what to predict about it.
Building the question runs the study (cached per set-up) and keys the answer to what the run
shows, so a question can never be contradicted by its run; when the run gives no clear answer
(a tie, a photo finish, nobody reaching the goal) the build returns None and the question is
not asked. The explanation states the run's figures.

Every question's ``data`` says how to check it without this module:
``playground`` (the preset that shows it: the quiz's "watch it" key opens it), ``runs``
({label: the ``studyapp playground`` arguments that repeat each run}) and ``predict`` (what is
measured on those runs, and the option or statement asked).
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Generic, TypeVar

from studyapp.core.content import Content
from studyapp.core.predictions import (
    ACTIVATION_NAMES,
    DIVERGENCE_TEXT,
    OPTIMIZER_NAMES,
    Goal,
    RaceStudy,
    TrainStudy,
    clear_first,
    clearly_before,
    command,
    power_of_ten,
    start_grad_norms,
    superscript,
)
from studyapp.core.questions.builders.common import Candidate
from studyapp.core.questions.model import (
    ExpectedKind,
    Question,
    QuestionKind,
    format_number,
    make_id,
)

Study = RaceStudy | TrainStudy
S = TypeVar("S", bound=Study)

#: The family label of the numeric ones (numeric questions name where their numbers come from).
FAMILY = "playground"


# ----------------------------------------------------------------------------- what a study says
# The same few words for races and training runs: how a subject (an optimizer, or a hidden
# activation) is named, the set-up sentence, the goal, and the runs that repeat it.


def _label(study: Study, subject: str) -> str:
    names = OPTIMIZER_NAMES if isinstance(study, RaceStudy) else ACTIVATION_NAMES
    return names[subject]


def _setting(study: Study, subjects) -> str:
    if isinstance(study, RaceStudy):
        return f"{study.describe(subjects)}, {study.steps} steps."
    tried = _or([_label(study, s) for s in subjects])
    return (
        f"{study.describe()}, with {tried} in the hidden layers in turn, its accuracy "
        f"checked every {study.every} steps."
    )


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _goal(study: Study) -> str:
    return study.goal.text(study.surface) if isinstance(study, RaceStudy) else study.goal_text


def _runs(study: Study, subjects) -> dict[str, list[str]]:
    if isinstance(study, RaceStudy):
        return {"race": study.argv()}
    return {subject: study.argv(subject) for subject in subjects}


def _figures(study: Study, subjects) -> str:
    """``In the run: momentum: f < 10⁻³ at step 413; Adam: …; SGD: not within 1000 steps.``"""
    order = sorted(subjects, key=lambda s: (study.first(s) is None, study.first(s) or 0))
    noun = "run" if isinstance(study, RaceStudy) else "runs"
    return f"In the {noun}: " + "; ".join(study.figure(s) for s in order) + "."


# ----------------------------------------------------------------------------- the questions


@dataclass(frozen=True)
class Ask(ABC, Generic[S]):
    """One predict question: its topic, the content entry it is about (its id's first part),
    its template (the id's last part), the study it runs, a sentence saying why the run comes
    out as it does, and the optimizers or activations it compares. Subclasses set ``kind`` and
    define ``build`` (the ``Candidate``'s build)."""

    topic: str
    entry_id: str
    template: str
    study: S
    why: str
    subjects: tuple[str, ...] = ()

    kind = QuestionKind.MCQ
    #: what an mcq asks of the runs (``data["predict"]["what"]``)
    what = ""

    def candidate(self) -> Candidate:
        return Candidate(self.topic, self.kind, self.entry_id, self.template, self.build)

    @abstractmethod
    def build(self, rng: random.Random, truth: bool | None) -> Question | None: ...

    def runs(self) -> dict[str, list[str]]:
        """{label: the CLI arguments of each run this question rests on}."""
        return _runs(self.study, self.subjects)

    def question(self, prompt: str, answer: str, explanation: str, predict: dict, **fields):
        """The Question, with the id, source and the data that lets a test repeat the runs."""
        runs = self.runs()
        first, *more = runs.values()
        also = f" (and with --activation {', '.join(list(runs)[1:])})" if more else ""
        return Question(
            id=make_id(self.entry_id, self.kind, self.template),
            kind=self.kind,
            topic=self.topic,
            prompt=prompt,
            answer=answer,
            explanation=f"{explanation} {self.why}",
            source=f"{self.entry_id} · playground preset '{self.study.preset}' · "
            f"{command(first)}{also}",
            template=self.template,
            entry_id=self.entry_id,
            data={
                "playground": self.study.preset,
                "runs": runs,
                "predict": {**predict, "subjects": list(self.subjects)},
            },
            **fields,
        )

    def mcq(self, prompt: str, options: dict[str, str | None], answer: str, explanation: str):
        """An mcq whose ``options`` map each choice to the subject it names (None: nobody)."""
        return self.question(
            prompt,
            answer,
            explanation,
            {"what": self.what, "options": options, **self.measure()},
            choices=list(options),
            expected_kind=ExpectedKind.CHOICE,
            expected=answer,
        )

    def true_false(self, facts: list[tuple[str, bool, dict]], rng, truth) -> Question | None:
        """A statement with the truth the quiz wants, picked from ``facts`` (statement, truth,
        what it claims); None when the run gives no statement with that truth."""
        fitting = [(s, claim) for s, t, claim in facts if t == bool(truth)]
        if not fitting:
            return None
        statement, claim = rng.choice(fitting)
        return self.question(
            f"True or false? {statement}",
            "True" if truth else "False",
            ("True. " if truth else "False. ") + self.explain(),
            {**claim, **self.measure()},
            expected_kind=ExpectedKind.BOOLEAN,
            expected=bool(truth),
        )

    def measure(self) -> dict:
        """What the runs are measured against (the goal), for the data."""
        if isinstance(self.study, RaceStudy):
            return {"goal": self.study.goal.to_dict()}
        return {"accuracy": self.study.threshold}

    def explain(self) -> str:
        return ""


@dataclass(frozen=True)
class First(Ask[Study]):
    """mcq: which of ``subjects`` reaches the study's goal first (asked only if one clearly
    does)."""

    what = "first"

    def build(self, rng, truth):
        study = self.study
        winner = clear_first({s: study.first(s) for s in self.subjects})
        if winner is None:
            return None
        order = list(self.subjects)
        rng.shuffle(order)
        options: dict[str, str | None] = {_label(study, s): s for s in order}
        options[f"none of them within {study.steps} steps"] = None
        prompt = (
            f"Predict: {_setting(study, self.subjects)} Which is first to reach {_goal(study)}?"
        )
        answer = _label(study, winner)
        return self.mcq(prompt, options, answer, _figures(study, self.subjects))


@dataclass(frozen=True)
class Reaches(Ask[Study]):
    """true/false: "X reaches the goal within N steps", "X reaches it before Y" (only pairs
    the run orders clearly)."""

    kind = QuestionKind.TRUE_FALSE

    def build(self, rng, truth):
        study = self.study
        goal = _goal(study)
        facts = []
        for s in self.subjects:
            first = study.first(s)
            claim = f"{_label(study, s)} reaches {goal} within {study.steps} steps."
            facts.append((claim, first is not None, {"what": "reaches", "subject": s}))
            for other in self.subjects:
                before = clearly_before(first, study.first(other)) if other != s else None
                if before is not None:
                    claim = f"{_label(study, s)} reaches {goal} before {_label(study, other)}."
                    facts.append((claim, before, {"what": "before", "subject": s, "than": other}))
        setting = _setting(study, self.subjects)
        q = self.true_false(facts, rng, truth)
        if q is not None:
            q.prompt = f"Predict: {setting} {q.prompt}"
        return q

    def explain(self) -> str:
        return _figures(self.study, self.subjects)


@dataclass(frozen=True)
class Diverges(Ask[RaceStudy]):
    """mcq: which one of ``subjects`` diverges (asked when one or none does)."""

    what = "diverges"

    def build(self, rng, truth):
        study = self.study
        gone = [s for s in self.subjects if study.run(s).diverged]
        if len(gone) > 1:
            return None
        order = list(self.subjects)
        rng.shuffle(order)
        options: dict[str, str | None] = {_label(study, s): s for s in order}
        none = f"none of them within {study.steps} steps"
        options[none] = None
        prompt = (
            f"Predict: {_setting(study, self.subjects)} Which one diverges "
            f"(its path reaches {DIVERGENCE_TEXT})?"
        )
        answer = _label(study, gone[0]) if gone else none
        explanation = "In the run: " + "; ".join(study.figure(s) for s in self.subjects) + "."
        return self.mcq(prompt, options, answer, explanation)


@dataclass(frozen=True)
class DivergesTF(Ask[RaceStudy]):
    """true/false: "X diverges" for each of ``subjects``."""

    kind = QuestionKind.TRUE_FALSE

    def build(self, rng, truth):
        study = self.study
        facts = [
            (
                f"{_label(study, s)} diverges (its path reaches {DIVERGENCE_TEXT}).",
                study.run(s).diverged,
                {"what": "diverged", "subject": s},
            )
            for s in self.subjects
        ]
        q = self.true_false(facts, rng, truth)
        if q is not None:
            q.prompt = f"Predict: {_setting(study, self.subjects)} {q.prompt}"
        return q

    def explain(self) -> str:
        return "In the run: " + "; ".join(self.study.figure(s) for s in self.subjects) + "."


def _layer(m: int) -> str:
    return f"layer {m} (W{superscript(m)})"


def _norms_text(norms) -> str:
    return ", ".join(f"|∂L/∂W{superscript(m)}| = {n:.2g}" for m, n in enumerate(norms, 1))


def start_norms(study: TrainStudy) -> tuple[float, ...]:
    return start_grad_norms(study.config())


@dataclass(frozen=True)
class _AtStart(Ask[TrainStudy]):
    """The questions on the gradients at step 0: one run, ``--steps 0``."""

    def runs(self) -> dict[str, list[str]]:
        return {"start": self.study.argv(steps=0)}

    def measure(self) -> dict:
        return {}


@dataclass(frozen=True)
class SmallestLayer(_AtStart):
    """mcq: which layer's weight gradient is smallest at step 0 (asked if it is under half of
    the next smallest)."""

    what = "smallest_layer"

    def build(self, rng, truth):
        norms = start_norms(self.study)
        ranked = sorted(range(len(norms)), key=lambda i: norms[i])
        if len(norms) < 4 or norms[ranked[0]] * 2 > norms[ranked[1]]:
            return None
        options: dict[str, str | None] = {_layer(m): str(m) for m in range(1, len(norms) + 1)}
        prompt = (
            f"Predict: {self.study.describe(self.study.config().activation)}. "
            "Which layer's weight gradient |∂L/∂Wᵐ| is smallest at the start (step 0)?"
        )
        explanation = f"In the run, at step 0: {_norms_text(norms)}."
        return self.mcq(prompt, options, _layer(ranked[0] + 1), explanation)


@dataclass(frozen=True)
class GradientRatio(_AtStart):
    """mcq: |∂L/∂W¹| / |∂L/∂Wᴸ| at step 0, to the nearest power of ten (asked when the
    ratio's log₁₀ is within 0.3 of a whole number)."""

    what = "gradient_ratio"

    def build(self, rng, truth):
        norms = start_norms(self.study)
        exponent = math.log10(norms[0] / norms[-1])
        k = round(exponent)
        if abs(exponent - k) > 0.3:
            return None
        last = len(norms)
        powers = sorted({k + d for d in (-4, -2, 0, 2, 4) if k + d <= 0}, reverse=True)[:4]
        while len(powers) < 4:
            powers.append(powers[-1] - 2)
        options: dict[str, str | None] = {f"about {power_of_ten(p)}": str(p) for p in powers}
        prompt = (
            f"Predict: {self.study.describe(self.study.config().activation)}. "
            f"At the start (step 0), about how large is the first layer's weight gradient "
            f"|∂L/∂W¹| compared with the last layer's |∂L/∂W{superscript(last)}|?"
        )
        explanation = (
            f"In the run, at step 0: {_norms_text(norms)}; the ratio is "
            f"{norms[0] / norms[-1]:.2g} = 10^{exponent:.2f}."
        )
        return self.mcq(prompt, options, f"about {power_of_ten(k)}", explanation)


@dataclass(frozen=True)
class LayerOrder(_AtStart):
    """true/false: "layer i's gradient is smaller than layer j's at the start" (pairs at least
    a factor 2 apart)."""

    kind = QuestionKind.TRUE_FALSE

    def build(self, rng, truth):
        norms = start_norms(self.study)
        facts = []
        for i, a in enumerate(norms, 1):
            for j, b in enumerate(norms, 1):
                if i != j and max(a, b) >= 2 * min(a, b):
                    facts.append(
                        (
                            f"At the start (step 0), {_layer(i)} has a smaller weight gradient "
                            f"than {_layer(j)}.",
                            a < b,
                            {"what": "smaller", "layer": i, "than": j},
                        )
                    )
        q = self.true_false(facts, rng, truth)
        if q is not None:
            setting = self.study.describe(self.study.config().activation)
            q.prompt = f"Predict: {setting}. {q.prompt}"
        return q

    def explain(self) -> str:
        return f"In the run, at step 0: {_norms_text(start_norms(self.study))}."


@dataclass(frozen=True)
class FirstStep(Ask[RaceStudy]):
    """numeric: how far the first step of the optimizer (``subjects[0]``) moves coordinate
    ``axis`` (0: x, 1: y)."""

    axis: int = 1
    kind = QuestionKind.NUMERIC

    @property
    def optimizer(self) -> str:
        return self.subjects[0]

    def build(self, rng, truth):
        study = self.study
        path = study.run(self.optimizer).path
        if len(path) < 2:
            return None
        (x0, y0), (x1, y1) = path[:2]
        move = abs(path[1][self.axis] - path[0][self.axis])
        gx, gy = study.surface.grad(x0, y0)
        coordinate = "xy"[self.axis]
        name = OPTIMIZER_NAMES[self.optimizer]
        prompt = (
            f"Predict: {study.describe((self.optimizer,))}. At the start the "
            f"gradient is ({_num(gx)}, {_num(gy)}). By how much does {name}'s first step change "
            f"{coordinate}? Give |Δ{coordinate}| as a decimal number."
        )
        explanation = f"In the run: ({_num(x0)}, {_num(y0)}) → ({_num(x1)}, {_num(y1)})."
        return self.numeric(prompt, move, explanation, {"what": "first_move"})

    def numeric(self, prompt: str, value: float, explanation: str, predict: dict):
        if not math.isfinite(value):
            return None
        claim = {**predict, "subject": self.optimizer, "axis": self.axis}
        q = self.question(
            prompt,
            format_number(value),
            explanation,
            claim,
            expected_kind=ExpectedKind.NUMERIC,
            expected=float(format_number(value)),
        )
        q.data["family"] = FAMILY
        return q


@dataclass(frozen=True)
class StepFactor(FirstStep):
    """numeric: the factor every step of the optimizer multiplies coordinate ``axis`` by
    (asked when the run's first two steps use the same factor)."""

    def build(self, rng, truth):
        study = self.study
        path = study.run(self.optimizer).path
        if len(path) < 3 or path[0][self.axis] == 0 or path[1][self.axis] == 0:
            return None
        values = [p[self.axis] for p in path[:3]]
        factor = values[1] / values[0]
        if not math.isclose(values[2] / values[1], factor, rel_tol=1e-9):
            return None
        coordinate = "xy"[self.axis]
        name = OPTIMIZER_NAMES[self.optimizer]
        prompt = (
            f"Predict: {study.describe((self.optimizer,))}. Each {name} step "
            f"multiplies {coordinate} by the same number. Which number? Give a decimal number."
        )
        shown = " → ".join(_num(v) for v in values)
        explanation = f"In the run: {coordinate} goes {shown} → …; {study.figure(self.optimizer)}."
        return self.numeric(prompt, factor, explanation, {"what": "factor"})


def _num(value: float) -> str:
    return format_number(value, 5).replace("-", "−")


# ----------------------------------------------------------------------------- the set-ups

RAVINE = RaceStudy("ravine", Goal("f_below", 1e-3))
TOO_HIGH = RaceStudy("lr-too-high", Goal("f_below", 1e-3))
SADDLE = RaceStudy("saddle", Goal("f_below", -10.0))
ROSENBROCK = RaceStudy("rosenbrock", Goal("near_minimum", 0.05))
DEEP_GRADIENTS = TrainStudy("sigmoid-deep", steps=500, every=10)
DEEP = TrainStudy("tanh-vs-sigmoid", steps=500, every=10)
XOR = TrainStudy("xor-activations", steps=500, every=5)

_MOMENTUM_WHY = (
    "Momentum's velocity adds up the small steps along the shallow x direction (up to "
    "1/(1 − γ) = 10 of them); SGD at lr 0.001 shrinks x by only 0.1 % a step; Adam moves each "
    "coordinate by about its lr a step."
)
_SGD_BLOWS_UP = (
    "∂f/∂y = 20y, so an SGD step multiplies y by 1 − 20·lr = −1.2 and |y| grows every step. "
    "Momentum stays stable while lr·20 < 2(1 + γ) = 3.8, and Adam's steps stay about lr long."
)
_SADDLE_WHY = (
    "On the ridge's side ∂f/∂y = −2y is tiny, so SGD's y grows by only 0.2 % a step; momentum "
    "gathers speed, and RMSprop and Adam divide by the gradient's running size, so even a tiny "
    "slope gives a step of about lr."
)
_ROSENBROCK_WHY = (
    "Both momentum methods gather speed along the curved valley floor; Nesterov takes its "
    "gradient at the look-ahead point, so it brakes before overshooting. RMSprop and Adam take "
    "steps of about lr = 0.01."
)
_VANISHING_WHY = (
    "Going back, every sigmoid layer multiplies δ by σ′(z) ≤ ¼ (and by a weight matrix), so "
    "the gradient shrinks layer by layer: the first layer, furthest from the loss, learns "
    "slowest."
)
_DEEP_WHY = (
    "tanh′(0) = 1 passes the gradient back through six layers, σ′ ≤ ¼ shrinks it at each, and "
    "six linear layers are one linear map, which cannot separate a circle."
)
_XOR_WHY = (
    "tanh is zero-centred with slope 1 at 0; the sigmoid's outputs are all positive and its "
    "slope is at most ¼, so its updates are smaller and more alike."
)

_RACERS = ("sgd", "momentum", "adam")
_ACTIVATIONS = ("sigmoid", "tanh", "linear")

ASKS: tuple[Ask, ...] = (
    First("optimizers", "opt.momentum", "predict_ravine_first", RAVINE, _MOMENTUM_WHY, _RACERS),
    Reaches(
        "optimizers",
        "opt.momentum",
        "predict_ravine_reaches",
        RAVINE,
        _MOMENTUM_WHY,
        RAVINE.setup.optimizers,
    ),
    FirstStep(
        "optimizers",
        "opt.adam",
        "predict_adam_first_step",
        RAVINE,
        "At t = 1, m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr in every coordinate, "
        "however large or small the gradient.",
        ("adam",),
        1,
    ),
    Diverges("optimizers", "opt.sgd", "predict_lr_diverges", TOO_HIGH, _SGD_BLOWS_UP, _RACERS),
    DivergesTF("optimizers", "opt.sgd", "predict_lr_diverges", TOO_HIGH, _SGD_BLOWS_UP, _RACERS),
    StepFactor("optimizers", "opt.sgd", "predict_sgd_factor", TOO_HIGH, _SGD_BLOWS_UP, ("sgd",), 1),
    First(
        "optimizers",
        "opt.adam",
        "predict_lr_first",
        TOO_HIGH,
        "Adam's first steps are about lr = 0.11 in each coordinate; momentum's y and x both "
        "oscillate and shrink by only about √γ ≈ 0.95 a step.",
        _RACERS,
    ),
    First(
        "optimizers",
        "opt.rmsprop",
        "predict_saddle_first",
        SADDLE,
        _SADDLE_WHY,
        ("sgd", "momentum", "rmsprop", "adam"),
    ),
    Reaches(
        "optimizers",
        "opt.rmsprop",
        "predict_saddle_reaches",
        SADDLE,
        _SADDLE_WHY,
        SADDLE.setup.optimizers,
    ),
    First(
        "optimizers",
        "opt.nesterov",
        "predict_rosenbrock_first",
        ROSENBROCK,
        _ROSENBROCK_WHY,
        ("momentum", "nesterov", "rmsprop", "adam"),
    ),
    SmallestLayer(
        "activations", "act.sigmoid", "predict_smallest_layer", DEEP_GRADIENTS, _VANISHING_WHY
    ),
    GradientRatio(
        "activations", "act.sigmoid", "predict_gradient_ratio", DEEP_GRADIENTS, _VANISHING_WHY
    ),
    LayerOrder("activations", "act.sigmoid", "predict_layer_order", DEEP_GRADIENTS, _VANISHING_WHY),
    First("activations", "act.tanh", "predict_deep_first", DEEP, _DEEP_WHY, _ACTIVATIONS),
    Reaches("activations", "act.tanh", "predict_deep_reaches", DEEP, _DEEP_WHY, _ACTIVATIONS),
    First(
        "activations", "act.tanh", "predict_xor_first", XOR, _XOR_WHY, ("sigmoid", "tanh", "relu")
    ),
    Reaches("activations", "act.tanh", "predict_xor_before", XOR, _XOR_WHY, ("sigmoid", "tanh")),
)


def candidates(content: Content, topic: str) -> list[Candidate]:
    """The predict questions of ``topic`` whose content entry is in ``content``."""
    known = getattr(content, "by_id", {})
    return [a.candidate() for a in ASKS if a.topic == topic and a.entry_id in known]
