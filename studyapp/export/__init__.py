"""Flashcard exports (Anki .apkg and TSV, Markdown, JSON, CSV) and printable worksheets.

Entry points: :func:`export_cards` and :func:`write_worksheet`. Both write atomically and keep
the replaced file as ``<path>.bak``. Heavy libraries (genanki, numpy, sympy) load only inside
the functions that need them.
"""

from __future__ import annotations


def export_cards(fmt, path, topic=None, progress=None, **kwargs) -> int:
    """See :func:`studyapp.export.exporter.export_cards`."""
    from studyapp.export.exporter import export_cards as _export

    return _export(fmt, path, topic=topic, progress=progress, **kwargs)


def write_worksheet(count, seed, fmt, path, **kwargs):
    """See :func:`studyapp.export.worksheet.write_worksheet`."""
    from studyapp.export.worksheet import write_worksheet as _write

    return _write(count, seed, fmt, path, **kwargs)


__all__ = ["export_cards", "write_worksheet"]
