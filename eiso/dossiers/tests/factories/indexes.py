"""The open dossiers' partial index as queries must write its condition.

SQLite reads a partial index only for a query holding the index's condition word for word: the open
statuses in the order of ``dossier_open_due_idx``'s WHERE (sorted), not in a set's order, which
changes from process to process with the hash seed."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from eiso.dossiers.models import Dossier


def open_index_condition() -> str:
    """The condition of ``dossier_open_due_idx`` as the ORM writes it in a query on dossiers."""
    index = next(i for i in Dossier._meta.indexes if i.name == "dossier_open_due_idx")
    with CaptureQueriesContext(connection) as ctx:
        Dossier.objects.filter(index.condition).exists()
    return re.search(r'"dossiers_dossier"\."status" IN \([^)]*\)', ctx.captured_queries[-1]["sql"]).group(0)


def dossier_reads(queries) -> list[str]:
    """The SQL of the captured queries that read dossier rows (FROM the dossier table)."""
    return [q["sql"] for q in queries if re.search(r'\bFROM "dossiers_dossier"', q["sql"])]
