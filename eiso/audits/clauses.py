"""The ISO 9001 clause library shipped with eISO, by edition, and the correspondence between editions.

Data files in eiso/audits/data: ``iso9001_<edition>.json`` (clause numbers, titles and eISO's own
audit questions: never the standard's text) and ``correspondence_<from>_<to>.json`` (each clause of
the older edition → its clause in the newer one, with the kind of change, and the transition task a
new or changed clause asks for). The 2026 revision is provisional until TCVN adopts it.
Pure functions: no ORM here except ``load_library`` (used by the data migrations).
"""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
DATA_FILE = DATA_DIR / "iso9001_2015.json"
DEFAULT_EDITION = "2015"  # the edition of an agency that recorded none (DOMAIN.md §6)

EDITIONS = (
    {"code": "2008", "name": "TCVN ISO 9001:2008", "provisional": False,
     "note": "Sáu thủ tục bắt buộc; được thay thế bởi TCVN ISO 9001:2015."},
    {"code": "2015", "name": "TCVN ISO 9001:2015", "provisional": False, "note": ""},
    {"code": "2026", "name": "ISO 9001:2026", "provisional": True,
     "note": "Dữ liệu tạm thời: TCVN chưa chấp nhận phiên bản này."},
)

# Kinds of change of a clause between two editions.
SAME, CHANGED, MOVED, NEW = "same", "changed", "moved", "new"
CHANGE_KINDS = (SAME, CHANGED, MOVED, NEW)


def sort_key(code: str) -> int:
    """"4.1" → 40100, "4.2.3" → 40203, "10.3" → 100300: clauses in the order of the standard."""
    parts = [int(p) for p in code.split(".")][:3]
    parts += [0] * (3 - len(parts))
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


@cache
def _library(edition: str) -> tuple:
    rows = json.loads((DATA_DIR / f"iso9001_{edition}.json").read_text(encoding="utf-8"))
    return tuple(sorted(rows, key=lambda row: sort_key(row["code"])))


def library(edition: str = DEFAULT_EDITION) -> list[dict]:
    """The shipped clauses of an edition, in order: ``{code, title, title_en, questions}``."""
    return [dict(row) for row in _library(edition)]


def edition_codes() -> list[str]:
    return [e["code"] for e in EDITIONS]


@cache
def _correspondence_file(older: str, newer: str) -> tuple:
    path = DATA_DIR / f"correspondence_{older}_{newer}.json"
    if not path.exists():
        return ()
    return tuple(json.loads(path.read_text(encoding="utf-8"))["rows"])


def correspondence(older: str, newer: str) -> list[dict]:
    """The rows ``{from, to, change, note, task}`` from edition ``older`` to the later ``newer``.

    Editions next to each other read their data file; farther ones chain them (2008 → 2015 → 2026):
    a clause follows each step, its change is the strongest met on the way, and the tasks of every
    step are kept. Raises ValueError unless ``older`` comes before ``newer``.
    """
    codes = edition_codes()
    if older not in codes or newer not in codes or codes.index(older) >= codes.index(newer):
        raise ValueError(f"no correspondence from {older} to {newer}")
    steps = codes[codes.index(older):codes.index(newer) + 1]
    rows = [dict(row) for row in _correspondence_file(steps[0], steps[1])]
    for a, b in zip(steps[1:], steps[2:], strict=False):
        step = {row["from"]: row for row in _correspondence_file(a, b) if row["from"]}
        chained = []
        for row in rows:
            nxt = step.get(row["to"])
            if nxt is None:
                continue
            change = row["change"] if nxt["change"] == SAME else (
                NEW if row["change"] == NEW else CHANGED if nxt["change"] == CHANGED else row["change"])
            chained.append({**row, "to": nxt["to"], "change": change,
                            "note": " ".join(n for n in (row.get("note"), nxt.get("note")) if n),
                            "task": nxt.get("task") or row.get("task", "")})
        chained += [dict(row) for row in _correspondence_file(a, b) if not row["from"]]
        rows = chained
    return sorted(rows, key=lambda row: (sort_key(row["to"]), sort_key(row["from"] or "0")))


def relink_map(older: str, newer: str) -> dict[str, str]:
    """Old clause number → new clause number, for every clause of ``older``."""
    return {row["from"]: row["to"] for row in correspondence(older, newer) if row["from"]}


def transition_tasks(older: str, newer: str) -> list[dict]:
    """The tasks a move from ``older`` to ``newer`` asks for, one per clause, in the standard's order:
    ``{clause, change, title, note}``."""
    seen: dict[str, dict] = {}
    for row in correspondence(older, newer):
        if row.get("task") and row["to"] not in seen:
            seen[row["to"]] = {"clause": row["to"], "change": row["change"], "title": row["task"],
                               "note": row.get("note", "")}
    return sorted(seen.values(), key=lambda task: sort_key(task["clause"]))


def load_library(clause_model, edition_model=None) -> int:
    """Create or refresh the editions and their clause rows from the shipped data (data migrations)."""
    edition_model = edition_model or clause_model._meta.get_field("edition").related_model
    count = 0
    for data in EDITIONS:
        edition, _created = edition_model.objects.update_or_create(
            code=data["code"], defaults={k: v for k, v in data.items() if k != "code"})
        for row in library(data["code"]):
            clause_model.objects.update_or_create(
                edition=edition, code=row["code"],
                defaults={"title": row["title"], "title_en": row["title_en"], "questions": row["questions"],
                          "sort_key": sort_key(row["code"])},
            )
            count += 1
    return count
