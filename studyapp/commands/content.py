"""`studyapp content check|import|errata`: validate the study material, import your own notes.

- ``studyapp content check [--path DIR]``: validates ``content/`` (and the imported notes); prints
  ``file:line: message`` for every problem and exits 1, or prints a one-line summary and exits 0.
- ``studyapp content import notes.md``: turns every Markdown table of the file (a header row, a
  ``|---|`` separator, then rows) into entries of topic ``user`` (deck ``Deep Learning::My notes``),
  written to ``<data dir>/content/<name>.toml``. Importing the file again keeps the id of every row
  whose first column is unchanged, so the cards keep their review history.
- ``studyapp content errata [--format text|json]``: the corrections made to the course notes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
import tempfile
import tomllib
from pathlib import Path

from studyapp.errors import DataError, UsageError, file_kind, os_reason


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "content",
        help="validate the study content or import your own notes",
        description="Validate content/ or import Markdown tables as your own cards.",
    )
    sub = parser.add_subparsers(
        dest="content_command", metavar="SUBCOMMAND", parser_class=type(parser)
    )
    check = sub.add_parser(
        "check", help="validate content/ and imported notes (exit 1 on any problem)"
    )
    check.add_argument("--path", help="content directory to check (default: the shipped content/)")
    check.add_argument(
        "--no-user", action="store_true", help="skip the notes imported into the data directory"
    )
    check.add_argument(
        "--structure-only",
        action="store_true",
        help="check fields and formulas' syntax only, not their maths (faster: no sympy)",
    )
    imp = sub.add_parser(
        "import", help="import the Markdown tables of a notes file as your own cards"
    )
    imp.add_argument("notes", help="Markdown file with tables (a header row naming the columns)")
    imp.add_argument("--name", help="name of the imported collection (default: the file's name)")
    err = sub.add_parser("errata", help="list the corrections made to the course notes")
    err.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "content_command", None)
    if command == "check":
        return _check(args)
    if command == "import":
        return _import(args)
    if command == "errata":
        return _errata(args)
    raise UsageError(
        "choose a sub-command: check, import or errata (e.g. `studyapp content check`)"
    )


# ---------------------------------------------------------------------------------------------
# check / errata
# ---------------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from studyapp.core.content import problem_order, validate

    path = Path(args.path) if args.path else None
    if path is not None and not os.path.isdir(path):
        raise UsageError(f"--path {args.path}: not a directory")
    content, problems = validate(path, include_user=not args.no_user)
    if not args.structure_only:
        from studyapp.core.content_math import maths_problems

        # the maths of formulas that failed to load is not checked (their entries are not there)
        problems = sorted(problems + maths_problems(content), key=problem_order)
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return 1
    print(f"content OK: {content.summary()}")
    return 0


def _errata(args: argparse.Namespace) -> int:
    from studyapp.core.content import load_content

    content = load_content(include_user=False)
    if args.format == "json":
        print(
            json.dumps(
                {"schema": 1, "errata": [e.to_dict() for e in content.errata]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    from studyapp.core.mathtext import prose_to_unicode as show

    for e in content.errata:
        print(
            f"{show(e.title)} [{e.kind}]  ({e.id})\n  where:     {e.location}\n"
            f"  notes say: {show(e.says)}\n  correct:   {show(e.correct)}\n  why:       {show(e.why)}\n"
        )
    return 0


# ---------------------------------------------------------------------------------------------
# Markdown tables -> user content
# ---------------------------------------------------------------------------------------------

_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _split_row(line: str) -> list[str]:
    """Cells of a Markdown table row; ``\\|`` stays a literal bar inside a cell."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = re.split(r"(?<!\\)\|", text)
    return [c.replace("\\|", "|").strip() for c in cells]


def _clean(cell: str) -> str:
    """Markdown cell -> plain text: <br> become new lines, bold markers go."""
    text = re.sub(r"<br\s*/?>", "\n", cell, flags=re.I)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"__(.+?)__", r"\1", text)
    lines = [re.sub(r"^\s*(?:[-•*]\s+)", "", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def parse_markdown_tables(text: str) -> list[dict]:
    """Every table of ``text``: ``{"line": n, "headers": [...], "rows": [(line, [cells])]}``.

    A table is a row line followed by a separator line (``|---|---|``) and more row lines.
    """
    lines = text.splitlines()
    tables = []
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and _SEPARATOR_RE.match(lines[i + 1]) and "-" in lines[i + 1]:
            headers = [_clean(h) for h in _split_row(lines[i])]
            seen: dict[str, int] = {}
            for k, h in enumerate(headers):
                h = h.replace("\n", " ") or f"Column {k + 1}"
                seen[h] = seen.get(h, 0) + 1
                headers[k] = h if seen[h] == 1 else f"{h} ({seen[h]})"
            rows: list[tuple[int, list[str]]] = []
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                cells = [_clean(c) for c in _split_row(lines[j])]
                rows.append((j + 1, cells))
                j += 1
            tables.append({"line": i + 1, "headers": headers, "rows": rows})
            i = j
        else:
            i += 1
    return tables


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "row"


def _toml_str(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; DEL must be escaped in TOML too.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _row_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _existing_ids(path: Path) -> dict[tuple[str, int], str]:
    """(first column, occurrence) -> id, from a previous import of the same notes."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}  # an unreadable previous import is replaced; its ids cannot be recovered
    out: dict[tuple[str, int], str] = {}
    counts: dict[str, int] = {}
    for item in data.get("entry", []) if isinstance(data.get("entry"), list) else []:
        if (
            isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and isinstance(item.get("name"), str)
        ):
            key = _row_key(item["name"])
            n = counts.get(key, 0)
            counts[key] = n + 1
            out[(key, n)] = item["id"]
    return out


def build_user_toml(
    tables: list[dict], collection: str, source_name: str, previous: dict[tuple[str, int], str]
) -> tuple[str, int, int]:
    """The TOML text of the imported rows; returns (text, rows kept with their old id, new rows)."""
    used_ids = set(previous.values())
    out = [
        f"# Imported from {source_name} by `studyapp content import`.",
        "# Re-importing keeps the id of every row whose first column is unchanged; edit the notes",
        "# and import again rather than editing this file.",
        'topic = "user"',
        "",
    ]
    counts: dict[str, int] = {}
    kept = new = 0
    for table in tables:
        headers = table["headers"]
        for line, cells in table["rows"]:
            cells = (cells + [""] * len(headers))[: len(headers)]
            name = cells[0].replace("\n", " ").strip()
            if not name or all(not c for c in cells[1:]):
                continue
            key = _row_key(name)
            n = counts.get(key, 0)
            counts[key] = n + 1
            ident = previous.get((key, n))
            if ident is not None:
                kept += 1
            else:
                new += 1
                base = f"user.{collection}.{_slug(name)}"
                ident, k = base, 2
                while ident in used_ids:
                    ident, k = f"{base}_{k}", k + 1
            used_ids.add(ident)
            # where the row came from, as a comment: string fields would become quiz material
            out.append(f"# {source_name}:{line}, table: {' | '.join(headers)}".replace("\n", " "))
            out.append("[[entry]]")
            out.append(f"id = {_toml_str(ident)}")
            out.append(f"name = {_toml_str(name)}")
            out.append("[entry.columns]")
            for header, cell in zip(headers, cells, strict=True):
                out.append(f"{_toml_str(header)} = {_toml_str(cell)}")
            out.append("")
    return "\n".join(out), kept, new


MAX_NOTES_BYTES = 50 * 1024 * 1024  # a notes file larger than this is not notes (or is a mistake)


def read_notes(name: str, limit: int = MAX_NOTES_BYTES) -> str:
    """The text of the notes file ``name`` (UTF-8, a BOM dropped).

    UsageError (one line) when it is missing, not a regular file (a FIFO, a device such as
    /dev/zero, a directory: reading those may never end), larger than ``limit`` bytes, or not
    UTF-8. At most ``limit`` + 1 bytes are ever read, whatever the file claims its size is.
    """
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot read ({os_reason(exc)})") from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(
            f"{name}: is {file_kind(st.st_mode)}, not a regular file; give a Markdown file"
        )
    cap = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    if st.st_size > limit:
        raise UsageError(f"{name}: too large to import ({st.st_size} bytes; the limit is {cap})")
    try:
        with open(name, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"{name}: cannot read ({os_reason(exc)})") from None
    if len(data) > limit:
        raise UsageError(f"{name}: too large to import (more than the limit of {cap})")
    try:
        return data.decode("utf-8-sig")  # -sig: a BOM must not stick to the first header
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: not UTF-8 text (byte {exc.start})") from None


def _import(args: argparse.Namespace) -> int:
    from studyapp import paths
    from studyapp.core.content import validate
    from studyapp.export.atomic import atomic_write_text

    src = Path(args.notes)
    text = read_notes(args.notes)
    tables = parse_markdown_tables(text)
    if not tables:
        raise UsageError(
            f"{args.notes}: no Markdown tables found (a header row, then a |---| line)"
        )
    collection = _slug(args.name or src.stem)
    out_dir = paths.user_content_dir(create=True)
    try:
        out_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"{out_dir}: cannot create the folder of imported notes ({os_reason(exc)})"
        ) from None
    target = out_dir / f"{collection}.toml"
    toml_text, kept, new = build_user_toml(tables, collection, src.name, _existing_ids(target))
    if kept + new == 0:
        raise UsageError(f"{args.notes}: the tables have no rows with content")

    # Validate exactly as `content check` would, in a scratch directory, before replacing anything.
    try:
        with tempfile.TemporaryDirectory() as scratch:
            trial = Path(scratch) / target.name
            trial.write_text(toml_text, encoding="utf-8")
            others = [p for p in out_dir.glob("*.toml") if p.name != target.name]
            for p in others:
                (Path(scratch) / p.name).write_bytes(p.read_bytes())
            _, problems = validate(include_user=True, user_dir=Path(scratch))
            problems = [p.replace(str(Path(scratch)), str(out_dir)) for p in problems]
    except OSError as exc:
        raise DataError(
            f"cannot check the import of {args.notes} in {tempfile.gettempdir()} ({os_reason(exc)})"
        ) from None
    if problems:
        raise DataError(
            f"import of {args.notes} would make the content invalid: {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )
    atomic_write_text(target, toml_text)  # the previous import is kept as <name>.toml.bak
    print(
        f"imported {kept + new} rows from {len(tables)} tables into {target} "
        f"({kept} kept their ids, {new} new; deck 'Deep Learning::My notes')"
    )
    return 0
