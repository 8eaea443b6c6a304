"""The study history in one SQLite database, behind the :class:`Storage` facade.

``from studyapp.storage import Storage, CardRow, RecordedReview, SCHEMA_VERSION, to_ms, from_ms``
is the public surface; the modules hold the parts: ``facade`` (Storage: lock, transactions,
delegation), ``connection`` (opening, pragmas, transactions), ``schema`` (migrations by
user_version), ``rows`` (row types, time conversion), ``backups`` (the daily copy), ``errors``
(one-line DataErrors), ``settings``, ``cards`` (sync with content, flags), ``queue`` (next card,
counts), ``reviews`` (record, undo, history), ``attempts``, ``search`` (the browse language, a pure
function) and ``stats_queries``. Storage may import core's types; it imports no study, export, ui
or commands.
"""

from studyapp.storage.connection import DB_NAME
from studyapp.storage.facade import Storage
from studyapp.storage.rows import CardRow, RecordedReview, from_ms, to_ms
from studyapp.storage.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "Storage",
    "CardRow",
    "RecordedReview",
    "SCHEMA_VERSION",
    "MIGRATIONS",
    "to_ms",
    "from_ms",
    "DB_NAME",
]
