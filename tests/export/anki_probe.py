"""Import studyapp exports into a fresh Anki collection with the real ``anki`` package.

Run as a script by tests/export/test_anki_import.py, with whatever interpreter has ``anki``
installed (the project venv need not have it):

    python anki_probe.py apkg COLLECTION PACKAGE [PACKAGE ...]
    python anki_probe.py tsv COLLECTION FILE [FILE ...]

Each file is imported in turn into the same collection; prints one JSON object:
``{"imports": [{"new": n, "updated": n, "duplicate": n, ...}], "notes": [...]}`` where notes
lists every note after the last import (guid, note type, deck names, fields, tags).
"""

from __future__ import annotations

import json
import sys


def _log_counts(log) -> dict:
    return {
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "conflicting": len(log.conflicting),
        "missing_notetype": len(log.missing_notetype),
        "missing_deck": len(log.missing_deck),
        "first_field_match": len(log.first_field_match),
        "empty_first_field": len(log.empty_first_field),
    }


def main(argv: list[str]) -> int:
    kind, col_path, *files = argv
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportCsvRequest

    col = Collection(col_path)
    imports = []
    try:
        for path in files:
            if kind == "apkg":
                request = ImportAnkiPackageRequest(
                    package_path=path,
                    options=ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=False),
                )
                result = col.import_anki_package(request)
            else:
                metadata = col.get_csv_metadata(path, None)
                result = col.import_csv(ImportCsvRequest(path=path, metadata=metadata))
            imports.append(_log_counts(result.log))
        notes = []
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            decks = sorted({col.decks.name(card.did) for card in note.cards()})
            notes.append(
                {
                    "guid": note.guid,
                    "notetype": note.note_type()["name"],
                    "decks": decks,
                    "cards": len(note.cards()),
                    "fields": list(note.fields),
                    "tags": list(note.tags),
                }
            )
    finally:
        col.close()
    print(json.dumps({"imports": imports, "notes": notes}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
