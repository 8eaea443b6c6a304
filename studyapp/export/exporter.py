"""``export_cards``: the one entry point the CLI and the TUI use to write flashcards."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from studyapp.errors import UsageError
from studyapp.export import records
from studyapp.export.atomic import atomic_write, atomic_write_text, check_writable

FORMATS: tuple[str, ...] = ("apkg", "tsv", "md", "json", "csv")


def export_cards(
    fmt: str,
    path: str | os.PathLike,
    topic: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cards: Iterable | None = None,
    timestamp: float | None = None,
) -> int:
    """Write the flashcards as ``fmt`` to ``path``; returns the number of cards written.

    ``cards`` defaults to every card of the study material (``build_cards(load_content())``);
    tests and the TUI may pass CardSpecs (or ExportCards) directly. ``progress(done, total)`` is
    called as cards are converted and written. ``timestamp`` (seconds since the epoch) fixes the
    .apkg notes' modification time (default now).

    The file is replaced atomically and a previous file is kept as ``<path>.bak``. ``path`` "-"
    writes a text format to standard output (for pipes: ``--output - | jq``). Raises UsageError
    (one line) for an unknown format or topic or an unwritable path.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    to_stdout = str(path) == "-"
    if to_stdout and fmt == "apkg":
        raise UsageError("an .apkg is a binary file: give --output a file name, not -")
    # Fail on a bad path before loading content and building cards (which takes a moment).
    if not to_stdout:
        check_writable(path)
    selected = records.load_cards(topic) if cards is None else records.select(cards, topic)
    records.check_unique(selected)
    total = len(selected)

    if fmt == "apkg":
        from studyapp.export.apkg import write_apkg

        def write(tmp: Path) -> None:
            write_apkg(selected, tmp, progress=progress, timestamp=timestamp)

        atomic_write(path, write)
        return total

    from studyapp.export import text_formats

    render = {
        "tsv": text_formats.to_anki_tsv,
        "md": text_formats.to_markdown,
        "json": text_formats.to_json,
        "csv": text_formats.to_csv,
    }[fmt]
    text = render(selected)
    if progress is not None:
        progress(total, total)
    write_text_output(path, text)
    return total


def write_text_output(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically (the old file kept as ``.bak``), or to standard
    output when ``path`` is "-"."""
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(path, text)
