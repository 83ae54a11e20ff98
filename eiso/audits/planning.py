"""Pure rules of audit planning: how often to audit, auditor independence, checklist questions,
and the statistics of findings. No database access here."""

from collections import Counter
from dataclasses import dataclass

from eiso.audits.choices import FindingKind, Importance, PastResult

# audits per year by importance (rows) and past results (columns): ISO 9001 9.2.2 a) asks the
# programme to take "the importance of the processes concerned … and the results of previous audits"
# into account.
FREQUENCY = {
    Importance.HIGH: {PastResult.NEW: 2, PastResult.GOOD: 1, PastResult.MINOR: 2, PastResult.MAJOR: 4},
    Importance.MEDIUM: {PastResult.NEW: 1, PastResult.GOOD: 1, PastResult.MINOR: 2, PastResult.MAJOR: 2},
    Importance.LOW: {PastResult.NEW: 1, PastResult.GOOD: 1, PastResult.MINOR: 1, PastResult.MAJOR: 2},
}


def suggested_frequency(importance: str, past_result: str) -> int:
    """Audits per year for a unit or process of this importance with these past results."""
    return FREQUENCY.get(importance, FREQUENCY[Importance.MEDIUM]).get(past_result, 1)


@dataclass(frozen=True)
class Conflict:
    """An auditor who belongs to a unit the audit covers."""

    person: str
    unit: str


def independence_conflicts(auditors, unit_of: dict, audited_units: dict) -> list[Conflict]:
    """Auditors whose own unit is among the audited ones.

    ``auditors``: (user id, name) pairs; ``unit_of``: user id → their unit id (or None);
    ``audited_units``: unit id → unit name."""
    found = []
    for user_id, name in auditors:
        unit_id = unit_of.get(user_id)
        if unit_id is not None and unit_id in audited_units:
            found.append(Conflict(person=name, unit=audited_units[unit_id]))
    return found


@dataclass(frozen=True)
class Question:
    clause_id: int | None
    procedure_id: int | None
    text: str


def checklist_questions(clauses, procedures, procedure_question: str) -> list[Question]:
    """The questions of an audit's checklist: each clause's questions (in the standard's order),
    then one question per administrative procedure in scope. ``clauses``: (id, questions) pairs;
    ``procedures``: (id, label) pairs; ``procedure_question`` a format with ``{procedure}``."""
    items = [Question(clause_id, None, text) for clause_id, questions in clauses for text in questions]
    items += [Question(None, procedure_id, procedure_question.format(procedure=label))
              for procedure_id, label in procedures]
    return items


def finding_statistics(findings) -> dict:
    """Counts of findings per kind, per clause and per unit. ``findings``: (kind, clause code,
    unit name) triples. Kinds in their order, clauses in the standard's order, units by count."""

    def clause_key(code):
        major, _, minor = code.partition(".")
        return (int(major), int(minor or 0)) if major.isdigit() and (minor or "0").isdigit() else (999, 0)

    rows = list(findings)
    kinds = Counter(kind for kind, _c, _u in rows)
    clauses = Counter(code for _k, code, _u in rows)
    units = Counter(unit for _k, _c, unit in rows)
    return {
        "total": len(rows),
        "by_kind": [(kind, kinds.get(kind.value, 0)) for kind in FindingKind],
        "by_clause": sorted(clauses.items(), key=lambda item: clause_key(item[0])),
        "by_unit": sorted(units.items(), key=lambda item: (-item[1], item[0])),
    }


def progress(answers) -> dict:
    """Checklist progress from the answers of its items: total, answered, percent, per answer."""
    counts = Counter(answers)
    total = sum(counts.values())
    answered = total - counts.get("not_checked", 0)
    return {"total": total, "answered": answered, "percent": round(100 * answered / total) if total else 0,
            "counts": dict(counts)}


def finding_charts(statistics: dict, *, kinds_title: str, clauses_title: str) -> dict:
    """Chart.js specs (for static/eiso/charts.js) beside the finding statistics: a doughnut of the
    kinds and a bar per clause. ``statistics`` as ``finding_statistics`` returns it."""
    return {
        "kinds": {"type": "doughnut", "labels": [str(kind.label) for kind, _n in statistics["by_kind"]],
                  "datasets": [{"label": kinds_title, "data": [n for _kind, n in statistics["by_kind"]]}]},
        "clauses": {"type": "bar", "labels": [code for code, _n in statistics["by_clause"]],
                    "datasets": [{"label": clauses_title, "data": [n for _code, n in statistics["by_clause"]]}]},
    }
