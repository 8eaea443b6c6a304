"""Loading and validating the study material in ``content/*.toml`` (and the user's imported notes).

Every file is TOML. A topic file has ``topic = "<name>"`` and one ``[[entry]]`` table per entry;
``errata.toml`` holds ``[[erratum]]`` tables and ``recommendations.toml`` ``[[recommendation]]``
tables. Every entry carries a stable ``id`` written in the file (never derived from its text), so a
fixed typo keeps a card's review history.

Validation collects *all* problems, each as ``"<file>:<line>: <message>"``: unknown keys, missing
fields, wrong types, duplicate ids and formulas the answer checker cannot parse. Line numbers come
from scanning the file for the ``[[entry]]`` headers and ``key =`` lines, because tomllib does not
report positions.

Formulas are stored in the checker's input syntax (``1/(1+exp(-z))``, ``sigma(z)*(1 - sigma(z))``).
They are validated with ``studyapp.core.checker.parse`` when that package is importable, otherwise with
the small whitelisting parser below; neither imports sympy, so loading stays fast.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeGuard

from studyapp.core.catalog import DECK_NAMES as DECKS
from studyapp.core.catalog import USER_TOPIC
from studyapp.errors import DataError

# ---------------------------------------------------------------------------------------------
# Data classes
# ---------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One study item. ``fields`` holds every field of its topic (absent optional ones are None)."""

    id: str
    topic: str
    name: str
    fields: dict[str, Any]
    source: str  # "file:line" of the entry's `id = ...` line
    # "file:line" of each field (``"steps[2]"`` for the third element of a list of tables), so
    # checks that run after loading (the maths of ``content check``) can point at the right line
    locations: dict[str, str] = field(default_factory=dict)

    @property
    def deck(self) -> str:
        return DECKS.get(self.topic, DECKS[USER_TOPIC])

    def get(self, key: str, default: Any = None) -> Any:
        value = self.fields.get(key)
        return default if value is None else value

    def where(self, key: str) -> str:
        """``file:line`` of field ``key`` (or of its list element ``key[i]``), else of the entry."""
        return self.locations.get(key) or self.locations.get(key.split("[")[0]) or self.source

    def is_also_true(self, text: str) -> bool:
        """Is ``text`` listed in ``also_true`` (true of this entry too, so never a wrong option
        about it nor a false statement)? Case, spaces and a final full stop do not matter."""
        listed = self.fields.get("also_true") or []
        return _norm(text) in {_norm(t) for t in listed if isinstance(t, str)}


#: What kind of correction an erratum is (``kind`` in errata.toml), most serious first.
ERRATUM_KINDS: dict[str, str] = {
    "error": "the notes are wrong",
    "omission": "something the notes use is never defined or is left out",
    "overclaim": "stated more strongly or more generally than is true or supported",
    "imprecise": "true in substance but loosely worded (a bound, a name, a count)",
    "ambiguous notation": "right in the notes' own notation or convention, but easily misread",
    "convention": "one valid choice among several, presented as the only one",
}


@dataclass
class Erratum:
    """One correction of the course notes: a short title, what kind of correction it is, where,
    what the notes say, what is right, and why."""

    id: str
    location: str
    says: str
    correct: str
    why: str
    entries: list[str] = field(default_factory=list)  # ids of the content entries it concerns
    source: str = ""
    title: str = ""
    kind: str = "error"  # a key of ERRATUM_KINDS

    @property
    def is_error(self) -> bool:
        """Whether what the notes say is false (not merely ambiguous, imprecise or a convention)."""
        return self.kind in ("error", "overclaim")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "location": self.location,
            "says": self.says,
            "correct": self.correct,
            "why": self.why,
            "entries": list(self.entries),
        }


@dataclass
class Content:
    entries: list[Entry]
    errata: list[Erratum]
    recommendations: list[dict[str, Any]]
    files: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id: dict[str, Entry] = {e.id: e for e in self.entries}

    def topic(self, name: str) -> list[Entry]:
        return [e for e in self.entries if e.topic == name]

    def errata_for(self, entry_id: str) -> list[Erratum]:
        """The corrections of the notes that concern entry ``entry_id`` (to show next to it)."""
        return [e for e in self.errata if entry_id in e.entries]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for e in self.entries:
            counts[e.topic] = counts.get(e.topic, 0) + 1
        parts = ", ".join(f"{n} {t}" for t, n in counts.items())
        return (
            f"{len(self.entries)} entries ({parts}), {len(self.errata)} errata, "
            f"{len(self.recommendations)} recommendations in {len(self.files)} files"
        )


class ContentError(DataError):
    """Invalid content. ``problems`` lists every problem as ``file:line: message``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid content"
        more = (
            f" (and {len(self.problems) - 1} more problems; run `studyapp content check`)"
            if len(self.problems) > 1
            else ""
        )
        super().__init__(first + more)


# ---------------------------------------------------------------------------------------------
# Schemas: field -> (type, required). Types: str, bool, number, list[str], formula:<vars>,
# pieces:<vars>, steps, table[number], table[str], formulas, user-columns.
# ---------------------------------------------------------------------------------------------

_PROVENANCE = {"notes_lines": ("str", False)}  # where in the course notes the entry comes from
# Data for fair questions (content/README.md): accepted alternatives of the words a text cloze may
# blank, and texts that are also true of the entry (never offered as a wrong option about it).
_FAIRNESS = {"cloze_accept": ("accept", False), "also_true": ("list[str]", False)}

_ACTIVATION = {
    "id": ("str", True),
    "name": ("str", True),
    "aliases": ("list[str]", False),
    "kind": ("enum:elementwise|vector|piecewise|decision", True),
    "formula": ("formula", False),
    "formula_text": ("str", False),
    "pieces": ("pieces", False),
    "derivative": ("formula", False),
    "derivative_pieces": ("pieces", False),
    "derivative_note": ("str", False),
    "latex": ("str", True),
    "derivative_latex": ("str", True),
    "parameters": ("table[number]", False),
    "learned": ("list[str]", False),
    "range": ("str", True),
    "use": ("list[str]", True),
    "pros": ("list[str]", True),
    "cons": ("list[str]", True),
    "notes": ("str", False),
    "engine": ("str", False),
    **_FAIRNESS,
    **_PROVENANCE,
}
_LOSS = {
    "id": ("str", True),
    "name": ("str", True),
    "aliases": ("list[str]", False),
    "formula": ("formula", False),
    "formula_text": ("str", False),
    "pieces": ("pieces", False),
    "derivative": ("formula", False),
    "derivative_pieces": ("pieces", False),
    "derivative_note": ("str", False),
    "latex": ("str", True),
    "derivative_latex": ("str", True),
    "parameters": ("table[number]", False),
    "targets": ("str", False),
    # how the per-output loss combines over the n outputs: summed, or averaged (÷ n, also the
    # gradient); the maths check compares it with the engine
    "reduction": ("enum:sum|mean", True),
    "use": ("list[str]", True),
    "pros": ("list[str]", True),
    "cons": ("list[str]", True),
    "notes": ("str", False),
    "engine": ("str", False),
    **_FAIRNESS,
    **_PROVENANCE,
}
_OPTIMIZER = {
    "id": ("str", True),
    "name": ("str", True),
    "aliases": ("list[str]", False),
    "gradient": ("str", True),
    "steps": ("steps", True),
    # every hyperparameter with the value this app's examples use (not a claim about defaults)
    "hyperparameters": ("table[number]", True),
    # a standard default, only where one exists, and whose it is (e.g. PyTorch's)
    "defaults": ("table[number]", False),
    "defaults_source": ("str", False),
    "state": ("list[str]", False),
    "engine": ("str", False),
    "symbols": ("table[str]", False),
    "use": ("list[str]", True),
    "pros": ("list[str]", True),
    "cons": ("list[str]", True),
    "notes": ("str", False),
    "extension": ("bool", False),
    **_FAIRNESS,
    **_PROVENANCE,
}
_TERM = {
    "id": ("str", True),
    "name": ("str", True),
    "definition": ("str", True),
    "questions": ("list[str]", True),
    "answers": ("list[str]", False),
    "key_concepts": ("list[str]", True),
    "notes": ("str", False),
    **_FAIRNESS,
    **_PROVENANCE,
}
_CONCEPT = {
    "id": ("str", True),
    "name": ("str", True),
    "title": ("str", False),
    "body": ("str", True),
    "key_points": ("list[str]", True),
    "formulas": ("formulas", False),
    "questions": ("list[str]", False),
    "answers": ("list[str]", False),
    **_FAIRNESS,
    **_PROVENANCE,
}
_USER = {
    "id": ("str", True),
    "name": ("str", True),
    "columns": ("table[str]", True),
    "table": ("str", False),
    "notes": ("str", False),
}
SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = {
    "activations": _ACTIVATION,
    "losses": _LOSS,
    "optimizers": _OPTIMIZER,
    "terms": _TERM,
    "backprop": _CONCEPT,
    "concepts": _CONCEPT,
    "user": _USER,
}
_ERRATUM = {
    "id": ("str", True),
    "title": ("str", True),
    "kind": ("enum:" + "|".join(ERRATUM_KINDS), True),
    "location": ("str", True),
    "says": ("str", True),
    "correct": ("str", True),
    "why": ("str", True),
    "entries": ("list[str]", False),
}
_RECOMMENDATION = {
    "id": ("str", True),
    "scenario": ("str", True),
    "task": ("str", True),
    "activation": ("str", True),
    # the layer whose activation the row names: the notes' column mixes output choices (sigmoid,
    # softmax) with a hidden-layer one (ReLU for CNNs)
    "activation_layer": ("enum:output|hidden", True),
    "loss": ("str", True),
    "optimizer": ("str", True),
    "notes": ("str", False),
}
_PIECE_KEYS = {"when", "value"}
_STEP_KEYS = {"lhs", "rhs", "latex", "note"}
_FORMULA_KEYS = {"label", "latex", "plain"}

# Variables a formula of each topic may use (beyond these, a formula is rejected as a likely typo).
_VARIABLES = {
    "activations": {"z", "alpha", "beta", "lam"},
    "losses": {"a", "y", "delta", "alpha", "c", "n"},
    "optimizers": {
        "theta",
        "g",
        "eta",
        "gamma",
        "rho",
        "eps",
        "beta1",
        "beta2",
        "t",
        "v",
        "m",
        "G",
        "Eg2",
        "Edx2",
        "m_hat",
        "v_hat",
        "delta",
        "wd",
    },
}
ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
TITLE_MAX = 60  # an erratum's title is a list label in the errata screen


# ---------------------------------------------------------------------------------------------
# Formula validation (no sympy)
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _declared(variables: frozenset[str]) -> frozenset[str]:
    """Declared variable names as the checker spells them (``beta1`` → ``beta_1``)."""
    from studyapp.core.checker import CONTENT_LIMITS, parse
    from studyapp.core.checker.nodes import free_symbols

    out: set[str] = set()
    for name in variables:
        out |= set(free_symbols(parse(name, limits=CONTENT_LIMITS)))
    return frozenset(out)


def formula_problem(text: str, variables: set[str]) -> str | None:
    """Why ``text`` is not a valid formula in the checker's syntax using only ``variables``
    (and the checker's functions and constants), or None if it is."""
    from studyapp.core.checker import CONTENT_LIMITS, ParseError, parse
    from studyapp.core.checker.nodes import free_symbols

    if not isinstance(text, str) or not text.strip():
        return "empty formula"
    try:
        node = parse(text, limits=CONTENT_LIMITS)
    except ParseError as exc:
        return f"{text!r} does not parse: {exc}"
    unknown = sorted(set(free_symbols(node)) - _declared(frozenset(variables)))
    if unknown:
        return (
            f"{text!r} uses undeclared name(s) {', '.join(unknown)} "
            f"(allowed: {', '.join(sorted(variables))})"
        )
    return None


_COMPARE_RE = re.compile(r"^(.*?)(<=|>=|!=|<|>|=)(.*)$")


def split_condition(text: str) -> tuple[str, str, str] | None:
    """A piece's condition ``"abs(a - y) <= delta"`` as ``("abs(a - y)", "<=", "delta")``;
    None when it does not compare two expressions."""
    m = _COMPARE_RE.match(text or "")
    if not m or not m.group(1).strip() or not m.group(3).strip():
        return None
    return m.group(1).strip(), m.group(2), m.group(3).strip()


def condition_problem(text: str, variables: set[str]) -> str | None:
    """Validate a piece's condition such as ``z < 0`` or ``abs(a - y) <= delta``."""
    parts = split_condition(text)
    if parts is None:
        return f"condition {text!r} must compare two expressions with <, <=, >, >= or ="
    for side in (parts[0], parts[2]):
        problem = formula_problem(side.strip(), variables)
        if problem:
            return f"condition {text!r}: {problem}"
    return None


# ---------------------------------------------------------------------------------------------
# Line tracking
# ---------------------------------------------------------------------------------------------

_HEADER_RE = re.compile(r"^\s*\[\[\s*([A-Za-z_][A-Za-z0-9_]*)\s*\]\]\s*(#.*)?$")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


class _Lines:
    """Where things are in one TOML file: array-of-tables headers and ``key =`` lines."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        for n, line in enumerate(self.lines, start=1):
            m = _HEADER_RE.match(line)
            if m:
                self.headers.setdefault(m.group(1), []).append(n)
        # every header line, ascending: an item ends where the next header starts (bisect, so
        # finding the ends of all n items is O(n log n), not O(n²))
        self._header_lines = sorted(n for v in self.headers.values() for n in v)
        self.first_header = self._header_lines[0] if self._header_lines else len(self.lines) + 1
        self._key_lines: dict[int, dict[str, int]] = {}

    def item_line(self, table: str, index: int) -> int:
        lines = self.headers.get(table, [])
        return lines[index] if index < len(lines) else 1

    def _item_end(self, start: int) -> int:
        i = bisect.bisect_right(self._header_lines, start)
        return self._header_lines[i] if i < len(self._header_lines) else len(self.lines) + 1

    def element_lines(self, key_line: int, count: int) -> list[int]:
        """Lines of the ``count`` elements of an array of inline tables that starts at
        ``key_line``: one element per line (``{ … },``) as the content writes them, else all on
        the key's line."""
        found: list[int] = []
        for n in range(key_line, len(self.lines) + 1):
            text = self.lines[n - 1].strip()
            if n > key_line and (_KEY_RE.match(text) or _HEADER_RE.match(text)):
                break
            if n > key_line and text.startswith("{"):
                found.append(n)
            if len(found) == count:
                return found
        return [key_line] * count

    def key_line(self, table: str | None, index: int, key: str) -> int:
        """Line of ``key =`` inside the index-th ``[[table]]`` (or at top level if table is None)."""
        start = 0 if table is None else self.item_line(table, index)
        return self._keys(start).get(key, max(start, 1))

    def _keys(self, start: int) -> dict[str, int]:
        """``key -> line`` (its first line) of the item whose header is at line ``start`` (0: the
        top level, before the first header), scanned once per item."""
        if start not in self._key_lines:
            first, end = (1, self.first_header) if start == 0 else (start, self._item_end(start))
            keys: dict[str, int] = {}
            for n in range(first, min(end, len(self.lines) + 1)):
                m = _KEY_RE.match(self.lines[n - 1])
                if m:
                    keys.setdefault(m.group(1).strip('"'), n)
            self._key_lines[start] = keys
        return self._key_lines[start]


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def _nonempty_str(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _str_problem(value: Any, variables: set[str]) -> str | None:
    return None if _nonempty_str(value) else "must be a non-empty string"


def _bool_problem(value: Any, variables: set[str]) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _str_list_problem(value: Any, variables: set[str]) -> str | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of strings"
    return None if all(map(_nonempty_str, value)) else "must contain only non-empty strings"


def _number_table_problem(value: Any, variables: set[str]) -> str | None:
    if not isinstance(value, dict):
        return "must be a table of numbers"
    bad = [k for k, v in value.items() if isinstance(v, bool) or not isinstance(v, (int, float))]
    return f"values must be numbers (not: {', '.join(bad)})" if bad else None


def _accept_problem(value: Any, variables: set[str]) -> str | None:
    if not isinstance(value, dict) or not value:
        return "must be a table: word = [accepted alternatives]"
    for word, alternatives in value.items():
        if not isinstance(alternatives, list) or not alternatives:
            return f"{word!r} must map to a non-empty list of strings"
        if not all(map(_nonempty_str, alternatives)):
            return f"{word!r} must map to a non-empty list of strings"
        if any(_norm(a) == _norm(word) for a in alternatives):
            return f"{word!r} lists itself as an alternative"
    return None


def _str_table_problem(value: Any, variables: set[str]) -> str | None:
    if not isinstance(value, dict) or not value:
        return "must be a non-empty table of strings"
    bad = [k for k, v in value.items() if not isinstance(v, str)]
    return f"values must be strings (not: {', '.join(bad)})" if bad else None


def _formula_field_problem(value: Any, variables: set[str]) -> str | None:
    if not isinstance(value, str):
        return "must be a formula string"
    return formula_problem(value, variables)


def _piece_problem(piece: Any, variables: set[str]) -> str | None:
    if not isinstance(piece, dict):
        return "must be a table"
    if set(piece) != _PIECE_KEYS:
        return f"must have exactly the keys when, value (has {', '.join(sorted(piece))})"
    if not isinstance(piece["when"], str) or not isinstance(piece["value"], str):
        return "when and value must be strings"
    return condition_problem(piece["when"], variables) or formula_problem(piece["value"], variables)


def _pieces_problem(value: Any, variables: set[str]) -> str | None:
    if not isinstance(value, list) or len(value) < 2:
        return "must be a list of at least two {when, value} tables"
    return _first_item_problem("piece", value, _piece_problem, variables)


def _step_problem(step: Any, variables: set[str]) -> str | None:
    if not isinstance(step, dict):
        return "must be a table"
    unknown = set(step) - _STEP_KEYS
    missing = {"lhs", "rhs", "latex"} - set(step)
    if unknown or missing:
        return "; ".join(
            ([f"unknown key(s) {', '.join(sorted(unknown))}"] if unknown else [])
            + ([f"missing {', '.join(sorted(missing))}"] if missing else [])
        )
    if not all(_nonempty_str(step[k]) for k in step):
        return "lhs, rhs, latex and note must be non-empty strings"
    if step["lhs"] not in variables:
        return f"lhs {step['lhs']!r} is not a known symbol"
    return formula_problem(step["rhs"], variables)


def _steps_problem(value: Any, variables: set[str]) -> str | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of {lhs, rhs, latex} tables"
    return _first_item_problem("step", value, _step_problem, variables)


def _formula_item_problem(item: Any, variables: set[str]) -> str | None:
    if (
        not isinstance(item, dict)
        or not {"label", "latex"} <= set(item)
        or set(item) - _FORMULA_KEYS
    ):
        return "must be a table with label, latex and optionally plain"
    return None if all(map(_nonempty_str, item.values())) else "values must be non-empty strings"


def _formulas_problem(value: Any, variables: set[str]) -> str | None:
    if not isinstance(value, list):
        return "must be a list of {label, latex, plain} tables"
    return _first_item_problem("formula", value, _formula_item_problem, variables)


def _first_item_problem(noun: str, items: list, check, variables: set[str]) -> str | None:
    """The first item's problem, as ``"<noun> <n>: <problem>"`` (n counts from 1)."""
    for n, item in enumerate(items, start=1):
        problem = check(item, variables)
        if problem:
            return f"{noun} {n}: {problem}"
    return None


#: field type (as SCHEMAS spell it) -> why a value does not fit it (None when it fits).
_TYPE_CHECKS = {
    "str": _str_problem,
    "bool": _bool_problem,
    "list[str]": _str_list_problem,
    "table[number]": _number_table_problem,
    "accept": _accept_problem,
    "table[str]": _str_table_problem,
    "formula": _formula_field_problem,
    "pieces": _pieces_problem,
    "steps": _steps_problem,
    "formulas": _formulas_problem,
}


def _type_problem(kind: str, value: Any, topic: str) -> str | None:
    """Why ``value`` does not fit field type ``kind`` (None when it fits)."""
    if kind.startswith("enum:"):
        allowed = kind[5:].split("|")
        return None if value in allowed else f"must be one of {', '.join(allowed)}"
    try:
        check = _TYPE_CHECKS[kind]
    except KeyError:
        raise AssertionError(f"unknown field type {kind}") from None  # a bug in SCHEMAS
    return check(value, _VARIABLES.get(topic, set()))


def _check_item(
    item: Any, schema: dict[str, tuple[str, bool]], topic: str, where, problems: list[str]
) -> None:
    """Append one problem per unknown key, missing field and badly typed field of ``item``."""
    if not isinstance(item, dict):
        problems.append(f"{where(None)}: must be a table")
        return
    for key in item:
        if key not in schema:
            problems.append(f"{where(key)}: unknown key {key!r} (allowed: {', '.join(schema)})")
    for key, (kind, required) in schema.items():
        if key not in item:
            if required:
                problems.append(f"{where(None)}: missing field {key!r}")
            continue
        problem = _type_problem(kind, item[key], topic)
        if problem:
            problems.append(f"{where(key)}: {key} {problem}")


def _check_rules(item: dict, topic: str, where, problems: list[str]) -> None:
    """Cross-field rules: every entry must say what its formula and derivative are, somehow."""
    if topic in ("activations", "losses"):
        if not any(k in item for k in ("formula", "pieces", "formula_text")):
            problems.append(f"{where(None)}: needs formula, pieces or formula_text")
        if not any(k in item for k in ("derivative", "derivative_pieces", "derivative_note")):
            problems.append(
                f"{where(None)}: needs derivative, derivative_pieces or derivative_note"
            )
    learned = item.get("learned")
    if isinstance(learned, list) and not set(learned) <= set(item.get("parameters") or {}):
        problems.append(
            f"{where('learned')}: every learned parameter must be listed in parameters "
            "(with its initial value)"
        )
    if topic == "optimizers" and isinstance(item.get("steps"), list):
        if not any(isinstance(s, dict) and s.get("lhs") == "theta" for s in item["steps"]):
            problems.append(f"{where('steps')}: steps never update theta")
    defaults, hyper = item.get("defaults"), item.get("hyperparameters")
    if isinstance(defaults, dict) and isinstance(hyper, dict) and set(defaults) - set(hyper):
        problems.append(
            f"{where('defaults')}: defaults name hyperparameters the entry does not have: "
            + ", ".join(sorted(set(defaults) - set(hyper)))
        )
    if ("defaults" in item) != ("defaults_source" in item):
        problems.append(
            f"{where('defaults' if 'defaults' in item else 'defaults_source')}: defaults and "
            "defaults_source go together (a default is someone's: say whose, e.g. PyTorch's)"
        )
    accept = item.get("cloze_accept")
    if isinstance(accept, dict):
        words = _words(item)
        for word in accept:
            if _norm(word) not in words:
                problems.append(
                    f"{where('cloze_accept')}: cloze_accept: {word!r} is not a word of the "
                    "entry's text, so no cloze can blank it"
                )


def _norm(text: str) -> str:
    """Text compared loosely: case, runs of spaces and a final full stop do not matter."""
    return " ".join(str(text).split()).casefold().rstrip(".")


def _texts(value: Any) -> list[str]:
    """Every string inside a field value (lists and tables included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _words(item: dict) -> set[str]:
    """The (normalised) words of an entry's text, and its runs of two or three words, which a
    text cloze could blank (``cloze_accept`` keys must be among them)."""
    out: set[str] = set()
    for key, value in item.items():
        if key in ("id", "cloze_accept", "also_true"):
            continue
        for text in _texts(value):
            tokens = re.findall(r"[\w'-]+", _norm(text))
            for n in (1, 2, 3):
                out |= {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}
    return out


def _locations(item: dict, lines: _Lines, index: int, label: str) -> dict[str, str]:
    """``file:line`` of every field of the index-th ``[[entry]]`` (and of each element of a list
    of tables, as ``"steps[0]"``)."""
    out: dict[str, str] = {}
    for key, value in item.items():
        n = lines.key_line("entry", index, key)
        out[key] = f"{label}:{n}"
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, m in enumerate(lines.element_lines(n, len(value))):
                out[f"{key}[{i}]"] = f"{label}:{m}"
    return out


def _rel(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.relative_to(base.parent))
        except ValueError:
            pass
    return str(path)


def _load_file(
    path: Path,
    label: str,
    is_user: bool,
    problems: list[str],
    entries: list[Entry],
    errata: list[Erratum],
    recs: list[dict],
) -> None:
    """Parse one TOML file, validating it and appending what it holds (even if it has problems)."""
    parsed = _read_toml(path, label, problems)
    if parsed is None:
        return
    data, lines = parsed
    loader = _FileLoader(label, is_user, lines, problems)
    loader.check_top_keys(data)
    topic = data.get("topic")
    if "entry" in data:
        if loader.topic_allowed(topic):
            entries += loader.entries(data["entry"], topic)
    elif topic is not None and "erratum" not in data and "recommendation" not in data:
        problems.append(f"{label}:1: topic file has no [[entry]] tables")
    for table in ("erratum", "recommendation"):
        if table in data:
            for item, where in loader.notes_items(table, data[table]):
                if table == "erratum":
                    errata.append(loader.erratum(item, where))
                else:
                    recs.append(
                        {**{k: item.get(k) for k in _RECOMMENDATION}, "source": where("id")}
                    )


def _read_toml(path: Path, label: str, problems: list[str]) -> tuple[dict, _Lines] | None:
    """(the parsed TOML, where its lines are), or None after saying why it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{label}:1: cannot read: {exc}")
        return None
    try:
        return tomllib.loads(text), _Lines(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        problems.append(f"{label}:{m.group(1) if m else 1}: invalid TOML: {exc}")
        return None


_TOP_KEYS = {"topic", "entry", "erratum", "recommendation", "schema"}


@dataclass
class _FileLoader:
    """Checks the tables of one content file, appending ``file:line: message`` to ``problems``."""

    label: str
    is_user: bool
    lines: _Lines
    problems: list[str]

    def where(self, table: str, index: int, key: str | None) -> str:
        """``file:line`` of ``key`` in item ``index`` of ``[[table]]`` (the header if no key)."""
        n = self.lines.key_line(table, index, key) if key else self.lines.item_line(table, index)
        return f"{self.label}:{n}"

    def top(self, key: str) -> str:
        """``file:line`` of a top-level ``key``."""
        return f"{self.label}:{self.lines.key_line(None, 0, key)}"

    def check_top_keys(self, data: dict) -> None:
        for key in data:
            if key not in _TOP_KEYS:
                self.problems.append(
                    f"{self.top(key)}: unknown top-level key {key!r} "
                    f"(allowed: {', '.join(sorted(_TOP_KEYS))})"
                )

    def topic_allowed(self, topic) -> TypeGuard[str]:
        """Whether a file with [[entry]] tables names a topic it may hold (says why not)."""
        if topic not in SCHEMAS:
            self.problems.append(
                f"{self.top('topic')}: topic must be one of {', '.join(SCHEMAS)} (got {topic!r})"
            )
            return False
        if self.is_user != (topic == "user"):
            why = (
                "reserved for imported notes"
                if topic == "user"
                else "not allowed in imported notes (use 'user')"
            )
            self.problems.append(f"{self.top('topic')}: topic {topic!r} is {why}")
            return False
        return True

    def tables(self, table: str, value) -> list:
        """The items of ``[[table]]`` (none, after saying so, if it is not an array of tables)."""
        if isinstance(value, list):
            return value
        self.problems.append(f"{self.top(table)}: {table} must be written as [[{table}]] tables")
        return []

    def entries(self, value, topic: str) -> list[Entry]:
        """The entries of a topic file's ``[[entry]]`` tables that have an id and a name."""
        out = []
        for index, item in enumerate(self.tables("entry", value)):

            def where(key, _i=index):
                return self.where("entry", _i, key)

            _check_item(item, SCHEMAS[topic], topic, where, self.problems)
            if not isinstance(item, dict):
                continue
            _check_rules(item, topic, where, self.problems)
            if isinstance(item.get("id"), str) and isinstance(item.get("name"), str):
                fields = _entry_fields(item, topic)
                locations = _locations(item, self.lines, index, self.label)
                out.append(Entry(item["id"], topic, item["name"], fields, where("id"), locations))
        return out

    def notes_items(self, table: str, value):
        """(item, where) of each valid ``[[erratum]]`` or ``[[recommendation]]`` table."""
        if self.is_user:
            self.problems.append(
                f"{self.where(table, 0, None)}: [[{table}]] is not allowed in imported notes"
            )
            return
        schema = _ERRATUM if table == "erratum" else _RECOMMENDATION
        for index, item in enumerate(self.tables(table, value)):

            def where(key, _i=index, _t=table):
                return self.where(_t, _i, key)

            before = len(self.problems)
            _check_item(item, schema, "", where, self.problems)
            if len(self.problems) == before:
                yield item, where

    def erratum(self, item: dict, where) -> Erratum:
        if len(item["title"]) > TITLE_MAX:
            self.problems.append(
                f"{where('title')}: title must be short (at most {TITLE_MAX} "
                f"characters, has {len(item['title'])})"
            )
        return Erratum(
            item["id"],
            item["location"],
            item["says"],
            item["correct"],
            item["why"],
            list(item.get("entries", [])),
            where("id"),
            item["title"],
            item["kind"],
        )


def _entry_fields(item: dict, topic: str) -> dict:
    """An entry's fields: its schema's keys but id and name (a backprop or concepts entry
    without a title is titled by its name)."""
    fields = {k: item.get(k) for k in SCHEMAS[topic] if k not in ("id", "name")}
    if topic in ("backprop", "concepts") and not fields.get("title"):
        fields["title"] = item["name"]
    if topic == "user" and isinstance(item.get("columns"), dict):
        # each column after the first (the name) is also a field of its own, so question
        # generators treat imported columns like any text field
        for header, value in list(item["columns"].items())[1:]:
            if header not in fields and header not in ("id", "name"):
                fields[header] = value
    return fields


def validate(
    content_dir: Path | None = None, user_dir: Path | None = None, include_user: bool = True
) -> tuple[Content, list[str]]:
    """Load everything and return ``(content, problems)``; problems are ``file:line: message``.

    ``content_dir`` defaults to ``paths.content_dir()`` and ``user_dir`` to
    ``paths.user_content_dir()`` (only read when ``include_user``).
    """
    from studyapp import paths

    base = Path(content_dir) if content_dir is not None else paths.content_dir()
    problems: list[str] = []
    entries: list[Entry] = []
    errata: list[Erratum] = []
    recs: list[dict] = []
    files: list[str] = []
    from studyapp.core.symbols import SYMBOLS_FILE, symbol_problems

    sources: list[tuple[Path, bool]] = [
        (p, False) for p in sorted(base.glob("*.toml")) if p.name != SYMBOLS_FILE
    ]
    if not sources:
        problems.append(f"{base}:1: no content files (*.toml) found")
    if include_user:
        udir = Path(user_dir) if user_dir is not None else paths.user_content_dir()
        if udir.is_dir():
            sources += [(p, True) for p in sorted(udir.glob("*.toml"))]
    for path, is_user in sources:
        label = str(path) if is_user else _rel(path, base)
        files.append(label)
        _load_file(path, label, is_user, problems, entries, errata, recs)

    # Ids: well-formed and unique across every file (entries, errata and recommendations).
    seen: dict[str, str] = {}
    for items in (
        [(e.id, e.source) for e in entries],
        [(e.id, e.source) for e in errata],
        [(r["id"], r["source"]) for r in recs],
    ):
        for ident, where in items:
            if not ID_RE.match(ident):
                problems.append(
                    f"{where}: id {ident!r} must look like 'act.sigmoid' "
                    "(lowercase words joined by dots)"
                )
            if ident in seen:
                problems.append(f"{where}: duplicate id {ident!r} (first defined at {seen[ident]})")
            else:
                seen[ident] = where
    known = {e.id for e in entries} | {r["id"] for r in recs}  # rows of the table may be wrong too
    for erratum in errata:
        for ref in erratum.entries:
            if ref not in known:
                problems.append(
                    f"{erratum.source}: erratum {erratum.id!r} refers to unknown entry {ref!r}"
                )
    problems += _also_true_problems(entries, errata, recs)
    symbols = base / SYMBOLS_FILE  # the symbols' domains: core.symbols reads and checks them
    problems += symbol_problems(symbols, _rel(symbols, base), entries)
    problems = sorted(problems, key=problem_order)
    unique: dict[str, Entry] = {}
    for e in entries:
        unique.setdefault(e.id, e)
    content = Content(list(unique.values()), errata, recs, files)
    return content, problems


def _also_true_problems(entries: list[Entry], errata: list[Erratum], recs: list[dict]) -> list[str]:
    """An ``also_true`` text must be a text of the content (an option a question could offer):
    one that matches nothing excludes nothing, and is most likely a typo."""
    known: set[str] = set()
    for e in entries:
        for key, value in e.fields.items():
            if key not in ("also_true", "cloze_accept"):
                known |= {_norm(t) for t in _texts(value)}
    for err in errata:
        known |= {_norm(t) for t in (err.says, err.correct, err.why)}
    for rec in recs:
        known |= {_norm(t) for t in _texts(rec)}
    problems = []
    for e in entries:
        for n, text in enumerate(e.fields.get("also_true") or []):
            if isinstance(text, str) and _norm(text) not in known:
                problems.append(
                    f"{e.where('also_true')}: also_true[{n}] {text!r} is no text of the content "
                    "(it must be an option a question could offer: a pro, a con, an answer …)"
                )
    return problems


def problem_order(problem: str) -> tuple[str, int]:
    """Sort key: file, then line number (problems are reported in reading order)."""
    m = re.match(r"^(.*?):(\d+): ", problem)
    return (m.group(1), int(m.group(2))) if m else (problem, 0)


_CACHE: dict[tuple, Content] = {}


def _signature(base: Path, udir: Path | None) -> tuple:
    """Paths and modification times of every content file, so edits invalidate the cache."""
    sig = []
    for d in (base, udir):
        if d is not None and d.is_dir():
            for p in sorted(d.glob("*.toml")):
                st = p.stat()
                sig.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(sig)


def content_signature(include_user: bool = True) -> tuple:
    """Paths, modification times and sizes of the content files :func:`load_content` reads."""
    from studyapp import paths

    return _signature(paths.content_dir(), paths.user_content_dir() if include_user else None)


def load_content(
    include_user: bool = True, content_dir: Path | None = None, user_dir: Path | None = None
) -> Content:
    """The validated content (cached per process until a file changes).

    Raises :class:`ContentError` listing every problem when anything is invalid.
    """
    from studyapp import paths

    base = Path(content_dir) if content_dir is not None else paths.content_dir()
    udir = (
        (Path(user_dir) if user_dir is not None else paths.user_content_dir())
        if include_user
        else None
    )
    key = (str(base), str(udir), include_user, _signature(base, udir))
    if key in _CACHE:
        return _CACHE[key]
    content, problems = validate(base, udir, include_user)
    if problems:
        raise ContentError(problems)
    _CACHE.clear()
    _CACHE[key] = content
    return content
