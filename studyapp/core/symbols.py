"""The declared domains of the course's symbols: ``content/symbols.toml``.

Each ``[[symbol]]`` gives a symbol's ``name``, ``domain`` (text read by
:func:`studyapp.core.checker.domains.parse_domain`), ``meaning`` and optionally ``entries``, the
content ids where that declaration holds (a declaration without ``entries`` is the default).
The answer checker asks :func:`declared_domains` for the domains of the names in a formula; a
formula that is one of an entry's own formulas (formula, derivative, a piece, an update step)
gets that entry's declarations, so Leaky ReLU's α lies in (0, 1) while ELU's is only positive.

Loading is cheap (one small TOML file); the content entries are read only when a formula uses a
name that has entry-specific declarations.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from studyapp.core.checker.domains import REAL, Domain, DomainError, parse_domain

SYMBOLS_FILE = "symbols.toml"
_KEYS = {"name", "domain", "meaning", "entries"}
# Field types of content entries (core.content SCHEMAS) that hold checker formulas.
_FORMULA_KINDS = ("formula", "pieces", "steps")


@dataclass(frozen=True)
class Declaration:
    """One ``[[symbol]]`` table: ``name`` is the checker's canonical spelling (beta1 -> beta_1)."""

    name: str
    domain: Domain | None  # None: the text could not be read (a problem was reported)
    meaning: str
    entries: tuple[str, ...]
    source: str  # "symbols.toml:LINE"


@dataclass(frozen=True)
class SymbolTable:
    """Declarations by name: the default domain, and the domain per entry id where it differs."""

    defaults: dict[str, Domain]
    scoped: dict[str, dict[str, Domain]]
    declarations: tuple[Declaration, ...]

    def domain(self, name: str, entry_ids: tuple[str, ...] = ()) -> Domain:
        """The domain of ``name`` in the given entries (the hull when they disagree)."""
        default = self.defaults.get(name, REAL)
        per_entry = self.scoped.get(name, {})
        if not entry_ids:
            return default
        out = per_entry.get(entry_ids[0], default)
        for ident in entry_ids[1:]:
            out = out.hull(per_entry.get(ident, default))
        return out


def _canonical_name(raw: str) -> str | None:
    from studyapp.core.checker import ParseError, parse
    from studyapp.core.checker.nodes import Sym

    try:
        node = parse(raw)
    except ParseError:
        return None
    return node.name if isinstance(node, Sym) else None


def read_declarations(path: Path, label: str | None = None) -> tuple[list[Declaration], list[str]]:
    """The declarations in ``path`` and the problems found (``"file:line: message"``).

    A table whose domain cannot be read still declares its name, with ``domain`` None (so
    ``content check`` reports the domain, not also a missing symbol).
    """
    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{label}:1: cannot read: {exc}"]
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return [], [f"{label}:{m.group(1) if m else 1}: invalid TOML: {exc}"]
    headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[symbol]]"]
    problems: list[str] = []
    for key in data:
        if key not in ("schema", "symbol"):
            problems.append(f"{label}:1: unknown top-level key {key!r} (allowed: schema, symbol)")
    tables = data.get("symbol", [])
    if not isinstance(tables, list):
        return [], problems + [f"{label}:1: symbols must be written as [[symbol]] tables"]
    out: list[Declaration] = []
    for index, item in enumerate(tables):
        where = f"{label}:{headers[index] if index < len(headers) else 1}"
        problem = _table_problem(item)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        name = _canonical_name(item["name"])
        if name is None:
            problems.append(f"{where}: {item['name']!r} is not a variable name")
            continue
        try:
            domain = parse_domain(item["domain"])
        except DomainError as exc:
            problems.append(f"{where}: domain of {item['name']}: {exc}")
            domain = None
        entries = tuple(item.get("entries", ()))
        out.append(Declaration(name, domain, item["meaning"], entries, where))
    return out, problems


def _table_problem(item) -> str | None:
    if not isinstance(item, dict):
        return "a symbol must be a table"
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        return f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_KEYS))})"
    for key in ("name", "domain", "meaning"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            return f"{key} must be a non-empty string"
    entries = item.get("entries", [])
    if not isinstance(entries, list) or not all(isinstance(e, str) and e for e in entries):
        return "entries must be a list of content ids"
    if "entries" in item and not entries:
        return "entries must not be empty (leave the key out for the default)"
    return None


def _table(declarations: list[Declaration]) -> tuple[SymbolTable, list[str]]:
    """Index declarations by name; problems for a name declared twice for the same scope."""
    defaults: dict[str, Domain] = {}
    scoped: dict[str, dict[str, Domain]] = {}
    first: dict[tuple[str, str], str] = {}
    problems = []
    for d in declarations:
        for scope in d.entries or ("",):
            key = (d.name, scope)
            if key in first:
                what = f"for entry {scope}" if scope else "as a default"
                problems.append(
                    f"{d.source}: {d.name} is declared twice {what} (first at {first[key]})"
                )
                continue
            first[key] = d.source
            if d.domain is None:
                continue
            if scope:
                scoped.setdefault(d.name, {})[scope] = d.domain
            else:
                defaults[d.name] = d.domain
    return SymbolTable(defaults, scoped, tuple(declarations)), problems


# --------------------------------------------------------------------------- content check


def entry_formulas(topic: str, fields: dict) -> list[str]:
    """The checker formulas of a content entry (its TOML table or ``Entry.fields``): formula,
    derivative, piece values and update steps' right-hand sides - the fields whose type in
    ``core.content.SCHEMAS`` is a formula, pieces or steps."""
    from studyapp.core.content import SCHEMAS

    out: list[str] = []
    for key, (kind, _required) in SCHEMAS.get(topic, {}).items():
        value = fields.get(key)
        if value is None or kind not in _FORMULA_KINDS:
            continue
        if kind == "formula" and isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            field = "value" if kind == "pieces" else "rhs"
            out += [
                v[field] for v in value if isinstance(v, dict) and isinstance(v.get(field), str)
            ]
    return out


def symbol_problems(path: Path, label: str, entries) -> list[str]:
    """``content check``'s view of ``symbols.toml``: well-formed, entries known, and every symbol
    of a shipped formula declared. Nothing when the file does not exist (a partial content dir)."""
    if not path.is_file():
        return []
    declarations, problems = read_declarations(path, label)
    table, more = _table(declarations)
    problems += more
    known = {e.id for e in entries}
    for d in declarations:
        for ident in d.entries:
            if ident not in known:
                problems.append(f"{d.source}: {d.name} refers to unknown entry {ident!r}")
    from studyapp.core.checker import CONTENT_LIMITS, ParseError, parse
    from studyapp.core.checker.nodes import free_symbols

    missing: dict[str, str] = {}
    for entry in entries:
        if entry.topic == "user":
            continue
        for formula in entry_formulas(entry.topic, entry.fields):
            try:
                names = free_symbols(parse(formula, limits=CONTENT_LIMITS))
            except ParseError:
                continue  # content.validate reports it
            for name in sorted(names):
                declared = any(
                    d.name == name and (not d.entries or entry.id in d.entries)
                    for d in declarations
                )
                if not declared and name not in missing:
                    missing[name] = entry.source
    for name, where in missing.items():
        problems.append(
            f"{label}:1: symbol {name} (used at {where}) has no domain: add a [[symbol]] table"
        )
    return problems


# --------------------------------------------------------------------------- the checker's view


@lru_cache(maxsize=1)
def _content_dir() -> Path:
    from studyapp import paths

    return paths.content_dir()  # fixed for the life of the process (a checkout or the wheel)


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> SymbolTable:
    declarations, _problems = read_declarations(path)
    table, _more = _table(declarations)
    return table


def symbol_table(path: Path | None = None) -> SymbolTable:
    """The declarations of ``path`` (default: the shipped ``content/symbols.toml``), cached.

    A missing or unreadable file gives an empty table: every symbol is then real (``content
    check`` reports the problem; grading never fails because of it).
    """
    path = path or _content_dir() / SYMBOLS_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return SymbolTable({}, {}, ())
    return _load(path, mtime)


@lru_cache(maxsize=4)
def _formula_index(path: Path, mtime_ns: int) -> dict[str, tuple[str, ...]]:
    """Canonical text of every formula of an entry with scoped declarations -> entry ids.

    Read straight from the topic files' TOML (a few ms), not through ``load_content``, which
    validates everything (tens of ms): ``check-answer`` pays this once per process.
    """
    from studyapp.core.checker import CONTENT_LIMITS, ParseError, parse, render_text

    table = _load(path, mtime_ns)
    wanted = {ident for per in table.scoped.values() for ident in per}
    index: dict[str, list[str]] = {}
    for topic_file in sorted(path.parent.glob("*.toml")):
        if topic_file.name == SYMBOLS_FILE:
            continue
        try:
            data = tomllib.loads(topic_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # content check reports it
        items = data.get("entry")
        for item in items if isinstance(items, list) else ():
            ident = item.get("id") if isinstance(item, dict) else None
            if ident not in wanted:
                continue
            for formula in entry_formulas(str(data.get("topic")), item):
                try:
                    key = render_text(parse(formula, limits=CONTENT_LIMITS))
                except ParseError:
                    continue
                ids = index.setdefault(key, [])
                if ident not in ids:
                    ids.append(ident)
    return {k: tuple(v) for k, v in index.items()}


def recognised_entries(formula_text: str, path: Path | None = None) -> tuple[str, ...]:
    """Ids of the entries (with entry-specific domains) whose formula ``formula_text`` is.

    ``formula_text`` is canonical checker text (``render_text`` of a parsed formula).
    """
    path = path or _content_dir() / SYMBOLS_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return ()
    return _formula_index(path, mtime).get(formula_text, ())


def declared_domains(
    names, expected_text: str | None = None, context=None, path: Path | None = None
) -> dict[str, Domain]:
    """Domains of ``names`` that are not all of the reals.

    ``context``: content ids the formula belongs to, when the caller knows them; otherwise a
    name with entry-specific declarations is looked up by recognising ``expected_text`` (the
    canonical text of the expected formula) among those entries' formulas.
    """
    table = symbol_table(path)
    names = list(names)
    entry_ids: tuple[str, ...] = ()
    if context:
        entry_ids = (context,) if isinstance(context, str) else tuple(context)
    elif expected_text is not None and any(n in table.scoped for n in names):
        entry_ids = recognised_entries(expected_text, path)
    out = {}
    for name in names:
        domain = table.domain(name, entry_ids)
        if not domain.unrestricted:
            out[name] = domain
    return out
