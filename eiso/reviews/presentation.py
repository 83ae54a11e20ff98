"""The review's inputs (a live compilation or the frozen snapshot) as the page shows them:
grouped as ISO 9001 9.3.2 a–f, each figure with its label and a link to the list behind it.
The snapshot holds figures only; labels are translated here, when the page is drawn."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits.choices import FindingKind
from eiso.feedback.choices import Grade
from eiso.improvements.choices import NonconformitySource
from eiso.reviews.choices import OutputKind, OutputStatus


@dataclass
class Figure:
    label: str
    value: object
    url: str = ""
    warn: bool = False


@dataclass
class Table:
    headers: list[str]
    rows: list[list]  # each cell a text, or (text, url); stored as {"text", "url"}

    def __post_init__(self):
        self.rows = [[{"text": c[0], "url": c[1]} if isinstance(c, tuple) else {"text": c, "url": ""} for c in row]
                     for row in self.rows]


@dataclass
class Section:
    code: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str | None = None  # entered text (providers, resources)


def _url(name: str, *args, **params) -> str:
    base = reverse(name, args=args)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def _day(text: str | None) -> str:
    return datetime.date.fromisoformat(text).strftime("%d/%m/%Y") if text else "—"


def _value(text) -> str:
    return "—" if text is None else str(text).replace(".", ",")


def _percent(text) -> str:
    return "—" if text is None else f"{_value(text)} %"


def sections(inputs: dict) -> list[Section]:
    agency = inputs["agency_id"]
    end = datetime.date.fromisoformat(inputs["period"]["end"])
    kinds, statuses = dict(OutputKind.choices), dict(OutputStatus.choices)
    out = []

    a = inputs["a_previous"]
    sec = Section("a", _("a) Status of actions from previous management reviews"))
    if a["previous_review_id"]:
        sec.figures.append(Figure(_("Previous review"), _day(a["previous_review_on"]),
                                  reverse("reviews:review-detail", args=[a["previous_review_id"]])))
    else:
        sec.figures.append(Figure(_("Previous review"), _("none recorded")))
    sec.figures += [Figure(_("Outputs carried"), a["total"]), Figure(_("Still open"), a["open"], warn=a["open"] > 0),
                    Figure(_("Open past their due date"), a["overdue"], warn=a["overdue"] > 0)]
    if a["outputs"]:
        sec.tables.append(Table(
            [_("Review"), _("Decision"), _("Owner"), _("Due date"), _("Status")],
            [[(_day(o["review_on"]), reverse("reviews:review-detail", args=[o["review_id"]])),
              f"{kinds.get(o['kind'], o['kind'])}: {o['description']}", o["owner"] or "—", _day(o["due_on"]),
              statuses.get(o["status"], o["status"]) + (f" ({_day(o['done_on'])})" if o["done_on"] else "")
              + (" · " + _("past due") if o["overdue"] else "")] for o in a["outputs"]]))
    out.append(sec)

    b = inputs["b_changes"]
    sec = Section("b", _("b) Changes in external and internal issues relevant to the QMS"))
    sec.figures += [
        Figure(_("Legal documents expired in the period"), b["legal_expired"],
               _url("documents:externaldocument-list", agency=agency, status="expired")),
        Figure(_("Legal documents replaced in the period"), b["legal_replaced"],
               _url("documents:externaldocument-list", agency=agency)),
        Figure(_("Procedure reviews opened by a legal change in the period"), b["review_tasks_opened"],
               _url("documents:reviewtask-list", agency=agency)),
        Figure(_("Procedure reviews still open / past due"), f"{b['review_tasks_open']} / {b['review_tasks_overdue']}",
               _url("documents:reviewtask-list", agency=agency, overdue="1"), warn=b["review_tasks_overdue"] > 0),
        Figure(_("TTHC added to the catalogue"), b["tthc_added"], _url("procedures:adminprocedure-list",
                                                                      agency=agency)),
        Figure(_("TTHC no longer published"), b["tthc_unpublished"],
               _url("procedures:adminprocedure-list", agency=agency, active="0")),
        Figure(_("Agencies merged into this one"), ", ".join(
            f"{m['name']} ({_day(m['on'])})" for m in b["mergers"]) or _("none")),
    ]
    rows = [[(d["number"], reverse("documents:externaldocument-detail", args=[d["id"]])), d["title"],
              _("expired on %(date)s") % {"date": _day(d["on"])}] for d in b["legal_expired_list"]]
    rows += [[(d["number"], reverse("documents:externaldocument-detail", args=[d["id"]])), d["title"],
               _("replaced by %(number)s") % {"number": d["by"]}] for d in b["legal_replaced_list"]]
    if rows:
        sec.tables.append(Table([_("Number"), _("Title"), _("Change")], rows))
    if b["tthc_added_list"]:
        sec.tables.append(Table([_("Code"), _("TTHC added")], [
            [(p["code"], reverse("procedures:adminprocedure-detail", args=[p["id"]])), p["name"]]
            for p in b["tthc_added_list"]]))
    out.append(sec)

    c1 = inputs["c1_satisfaction"]
    grades = dict(Grade.choices)
    complaints = c1["complaints"]
    sec = Section("c1", _("c) 1. Citizen satisfaction and feedback"))
    sec.figures += [
        Figure(_("Satisfaction score (0–18)"), _value(c1["score"]) + (
            f" — {grades.get(c1['grade'], c1['grade'])}" if c1["grade"] else ""),
            _url("feedback:satisfaction", agency=agency, period=str(end.year))),
        Figure(_("Evaluations in the period"), c1["evaluations"]),
        Figure(_("Complaints received in the period"), c1["complaints_received"],
               _url("feedback:complaint-list", agency=agency)),
        Figure(_("Complaints open / past due"), f"{complaints.get('open', 0)} / {complaints.get('overdue', 0)}",
               _url("feedback:complaint-list", agency=agency, state="overdue"), warn=complaints.get("overdue", 0) > 0),
        Figure(_("Complaints answered on time / late"),
               f"{complaints.get('on_time', 0)} / {complaints.get('late', 0)}"),
    ]
    out.append(sec)

    c2 = inputs["c2_objectives"]
    sec = Section("c2", _("c) 2. Quality objectives and their results"))
    sec.figures += [Figure(_("Objectives of %(year)s") % {"year": c2["year"]}, c2["total"],
                           _url("objectives:objective-list", year=c2["year"])),
                    Figure(_("Met at the last measurement"), f"{c2['met']} / {c2['measured']}",
                           warn=c2["met"] < c2["measured"])]
    if c2["rows"]:
        sec.tables.append(Table([_("Objective"), _("Target"), _("Last measured"), _("Periods met")], [
            [(r["title"], reverse("objectives:objective-detail", args=[r["id"]])),
             f"{r['comparator']} {_value(r['target'])} {r['unit_of_measure']}",
             "—" if r["value"] is None else f"{_value(r['value'])} {r['unit_of_measure']} · "
             + (_("met") if r["met"] else _("missed")), f"{r['periods_met']} / {r['periods']}"] for r in c2["rows"]]))
    out.append(sec)

    c3 = inputs["c3_process"]
    stats_url = _url("dossiers:statistics", agency=agency, **{"from": c3["from"], "to": c3["to"]})
    sec = Section("c3", _("c) 3. Process performance and conformity of services"))
    sec.figures += [
        Figure(_("Dossiers resolved (early / on time / late)"),
               f"{c3['total']} ({c3['early']} / {c3['on_time']} / {c3['late']})", stats_url),
        Figure(_("On-time rate"), _percent(c3["on_time_rate"]), stats_url),
        Figure(_("Dossiers open now / past due"), f"{c3['open']} / {c3['overdue']}",
               _url("dossiers:dossier-list", tab="overdue"), warn=c3["overdue"] > 0),
    ]
    if c3["worst_procedures"]:
        sec.tables.append(Table([_("TTHC with late dossiers"), _("Resolved"), _("Late"), _("On-time rate")], [
            [(f"{r['code']} {r['label']}", _url("dossiers:statistics", agency=agency, procedure=r["id"],
                                                **{"from": c3["from"], "to": c3["to"]})),
             r["total"], r["late"], _percent(r["on_time_rate"])] for r in c3["worst_procedures"]]))
    if c3["late_steps"]:
        sec.tables.append(Table([_("Late steps"), _("Unit"), _("Handled"), _("Late")], [
            [f"{r['code']} · {r['label']}", r["unit"] or "—", r["total"], r["late"]] for r in c3["late_steps"]]))
    out.append(sec)

    c4 = inputs["c4_nonconformities"]
    sources = dict(NonconformitySource.choices)
    sec = Section("c4", _("c) 4. Nonconformities and corrective actions"))
    sec.figures += [
        Figure(_("Nonconformities detected in the period"), c4["detected"],
               _url("improvements:nonconformity-list", agency=agency)),
        Figure(_("Nonconformities not closed"), c4["open"], _url("improvements:nonconformity-list", agency=agency)),
        Figure(_("Without a corrective action request"), c4["without_action"],
               _url("improvements:nonconformity-list", agency=agency, without_action="on"),
               warn=c4["without_action"] > 0),
        Figure(_("Corrective actions past due"), c4["overdue"],
               _url("improvements:corrective-action-list", agency=agency, state="overdue"), warn=c4["overdue"] > 0),
        Figure(_("Verifications due"), c4["verification_due"],
               _url("improvements:corrective-action-list", agency=agency, state="verification_due")),
        Figure(_("Repeated nonconformities"), c4["repeats"],
               _url("improvements:nonconformity-list", agency=agency, repeat="on"), warn=c4["repeats"] > 0),
        Figure(_("Actions verified effective / not effective in the period"),
               f"{c4['effective']} / {c4['ineffective']}"),
    ]
    if c4["by_source"]:
        sec.tables.append(Table([_("Source"), _("Detected")], [
            [sources.get(k, k), v] for k, v in sorted(c4["by_source"].items())]))
    out.append(sec)

    c5 = inputs["c5_monitoring"]
    sec = Section("c5", _("c) 5. Monitoring and measurement results"))
    sec.figures += [Figure(_("TTHC covered by a procedure in force"),
                           f"{c5['covered']} / {c5['tthc']} ({c5['percent']} %)",
                           _url("procedures:adminprocedure-list", agency=agency), warn=c5["gap"] > 0)]
    out.append(sec)

    c6 = inputs["c6_audits"]
    finding_kinds = dict(FindingKind.choices)
    sec = Section("c6", _("c) 6. Internal audit results"))
    sec.figures += [Figure(_("Internal audits in the period (reported / planned)"), f"{c6['done']} / {c6['audits']}",
                           reverse("audits:programme-list"))]
    sec.figures += [Figure(finding_kinds.get(k, k), n, _url("audits:finding-list", agency=agency, kind=k))
                    for k, n in c6["findings"].items()]
    out.append(sec)

    out.append(Section("c7", _("c) 7. Performance of the consultant and other external providers"),
                       note=inputs["c7_providers"]["note"]))
    out.append(Section("d", _("d) Adequacy of resources"), note=inputs["d_resources"]["note"]))

    e = inputs["e_risks"]
    sec = Section("e", _("e) Effectiveness of actions taken to address risks and opportunities"))
    sec.figures += [
        Figure(_("Risks recorded (high or very high)"), f"{e['risks']} ({e['high']})",
               _url("improvements:risk-list", agency=agency, kind="risk")),
        Figure(_("Risks and opportunities with linked actions"), e["with_actions"]),
        Figure(_("Linked actions closed"), f"{e['actions_closed']} / {e['actions']}"),
        Figure(_("Linked actions verified effective / not effective"), f"{e['effective']} / {e['ineffective']}"),
        Figure(_("Risks due for review"), e["review_due"], _url("improvements:risk-list", agency=agency,
                                                                review_due="on"), warn=e["review_due"] > 0),
    ]
    out.append(sec)

    f = inputs["f_opportunities"]
    sec = Section("f", _("f) Opportunities for improvement"))
    sec.figures += [
        Figure(_("Opportunities in the register"), f["opportunities"],
               _url("improvements:risk-list", agency=agency, kind="opportunity")),
        Figure(_("Opportunities found by internal audits in the period"), f["audit_opportunities"],
               _url("audits:finding-list", agency=agency, kind="opportunity")),
    ]
    # Where each comes from tells apart the same opportunity seen in several units (snapshots frozen
    # before this column was kept show it empty).
    rows = [[(o["description"], reverse("improvements:risk-detail", args=[o["id"]])), o.get("where", "")]
            for o in f["list"]]
    rows += [[(o["description"], reverse("audits:finding-list") + f"?agency={agency}&kind=opportunity"),
              _("Internal audit")] for o in f["audit_list"]]
    if rows:
        sec.tables.append(Table([_("Opportunity"), _("Source")], rows))
    out.append(sec)
    return out


def period_label(inputs: dict) -> str:
    return f"{_day(inputs['period']['start'])} – {_day(inputs['period']['end'])}"


def compiled_at(inputs: dict) -> str:
    return timezone.localtime(datetime.datetime.fromisoformat(inputs["compiled_at"])).strftime("%d/%m/%Y %H:%M")


def process_chart(inputs: dict) -> dict | None:
    """Early, on time and late dossiers of the period, as a bar chart beside the figures."""
    c3 = inputs["c3_process"]
    if not c3["total"]:
        return None
    return {"labels": [_("Early"), _("On time"), _("Late")],
            "datasets": [{"label": _("Dossiers"), "data": [c3["early"], c3["on_time"], c3["late"]],
                          "color": "#0d6efd"}]}
