"""The ISO 9001:2015 clause library shipped with eISO (eiso/audits/data/iso9001_2015.json)."""

import json
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "iso9001_2015.json"


def sort_key(code: str) -> int:
    """"4.1" → 401, "10.3" → 1003: clauses in the order of the standard."""
    major, _, minor = code.partition(".")
    return int(major) * 100 + int(minor or 0)


def library() -> list[dict]:
    """The shipped clauses, in order: ``{code, title, title_en, questions}``."""
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return sorted(rows, key=lambda row: sort_key(row["code"]))


def load_library(clause_model) -> int:
    """Create or refresh the clause rows from the shipped data (used by the data migration)."""
    for row in library():
        clause_model.objects.update_or_create(
            code=row["code"],
            defaults={"title": row["title"], "title_en": row["title_en"], "questions": row["questions"],
                      "sort_key": sort_key(row["code"])},
        )
    return len(library())
