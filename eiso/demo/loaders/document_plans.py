"""What each demo agency keeps (``Plan``): the legal documents, the system and operational
procedures with their forms and records, and the other texts of the documents loader, read from
``eiso/demo/content/documents.json`` into typed values."""

import datetime
from dataclasses import dataclass

from eiso.demo.content import read, text
from eiso.documents.choices import DocumentKind

D = datetime.date
K = DocumentKind

# --- the shape of the data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Legal:
    number: str
    doc_type: str
    title: str
    issuer: str
    issued_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    status: str = "in_force"
    note: str = ""


@dataclass(frozen=True)
class Form:
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Revised:
    """Issue 2 of a procedure: why, from when, and which cited documents it swaps."""

    summary: str
    effective: datetime.date
    swaps: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Proc:
    number: int
    title: str
    unit: str | None  # owning unit code; None: the office
    purpose: str
    scope: str
    content: str
    legal: tuple[str, ...] = ()
    forms: tuple[Form, ...] = ()
    record: tuple[str, int | None] | None = None  # (name, retention years; None: permanent)
    revised: Revised | None = None
    draft_only: bool = False
    kind: str = K.OPERATIONAL_PROCEDURE

    @property
    def code(self) -> str:
        return f"QT-{self.number:02d}"


@dataclass(frozen=True)
class Plan:
    """What one agency keeps. ``start``: when its documented system took effect (issue 1)."""

    start: datetime.date
    procedures: tuple[Proc, ...]
    legal: tuple[str, ...] = ()  # besides COMMON_LEGAL
    office: str = "VP"  # the unit owning the system documents
    old_file_list: int | None = None  # a past year's file list of the office, with files past retention


# --- from the content file ------------------------------------------------------------------------------

_CONTENT = read("documents")
TEXTS = _CONTENT["texts"]
DEFINITIONS = text(_CONTENT["definitions"])


def _date(value: str | None) -> datetime.date | None:
    return D.fromisoformat(value) if value else None


def tthc(*, legal: str, dossier: tuple[str, ...], limit: str, fee: str, steps: tuple[str, ...],
         place: str = _CONTENT["default_place"]) -> str:
    """Section 5 of an operational procedure, as agencies write it."""
    lines = ["5.1 Cơ sở pháp lý", legal, "5.2 Thành phần hồ sơ", *(f"- {d}" for d in dossier),
             "5.3 Số lượng hồ sơ", "01 (một) bộ.", "5.4 Thời hạn giải quyết", limit,
             "5.5 Nơi tiếp nhận và trả kết quả", place, "5.6 Phí, lệ phí", fee,
             "5.7 Trình tự xử lý công việc", *(f"- Bước {i}: {s}" for i, s in enumerate(steps, start=1))]
    return "\n".join(lines)


def _content(entry: dict) -> str:
    if "section5" not in entry:
        return text(entry["content"])
    section = dict(entry["section5"])
    shared = _CONTENT["shared_steps"]
    section["steps"] = tuple(shared[s[1:]] if s.startswith("@") else s for s in section["steps"])
    section["dossier"] = tuple(section["dossier"])
    return tthc(**section)


def _proc(entry: dict, *, system: bool = False) -> Proc:
    record, revised = entry.get("record"), entry.get("revised")
    return Proc(
        entry["number"], entry["title"], None if system else entry["unit"], entry["purpose"],
        _CONTENT["system_scope"] if system else entry["scope"], _content(entry), tuple(entry.get("legal", ())),
        tuple(Form(f["title"], tuple(f["fields"])) for f in entry.get("forms", ())),
        (record["name"], record["years"]) if record else None,
        Revised(revised["summary"], _date(revised["effective"]), tuple(tuple(s) for s in revised["swaps"]))
        if revised else None,
        entry.get("draft_only", False), K.SYSTEM_PROCEDURE if system else K.OPERATIONAL_PROCEDURE)


LEGAL = {doc["number"]: Legal(**{**doc, "issued_on": _date(doc.get("issued_on")),
                                 "effective_on": _date(doc.get("effective_on"))})
         for doc in _CONTENT["legal"]}
# old → new: the old one is replaced (its citing procedures get a review task) when both are registered
REPLACEMENTS = tuple(tuple(pair) for pair in _CONTENT["replacements"])
REPLACED_BY = dict(REPLACEMENTS)
COMMON_LEGAL = tuple(_CONTENT["common_legal"])
# agencies that have not yet reviewed what the replaced legal documents change (overdue on purpose)
LEGAL_BACKLOG = frozenset(_CONTENT["legal_backlog"])
SYSTEM_PROCEDURES = tuple(_proc(p, system=True) for p in _CONTENT["system_procedures"])
_SETS = {name: tuple(_proc(p) for p in procs) for name, procs in _CONTENT["procedure_sets"].items()}
PLANS = {code: Plan(_date(p["start"]), _SETS[p["procedures"]], tuple(p["legal"]), p.get("office", "VP"),
                    p.get("old_file_list"))
         for code, p in _CONTENT["plans"].items()}
