"""The oversight API (django-ninja), mounted by eiso.api: the province overview's figures per
agency, inspection plans and inspections (decision, checklist, minutes), and the December report's
figures. Reads through the selectors, writes through the services."""

import datetime
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from eiso.core.errors import NotFound
from eiso.core.selectors import by_agency
from eiso.feedback.calculations import parse_period
from eiso.organizations.api import ERRORS, AgencyRef, Body, Day, Text, field_error
from eiso.organizations.choices import AgencyLevel
from eiso.organizations.models import Agency
from eiso.oversight import selectors, services
from eiso.oversight.choices import POINTS, PointResult
from eiso.oversight.figures import agency_figures, overview_agencies, province_totals, tthc_report
from eiso.oversight.models import Inspection

router = Router(tags=["oversight"])


class AgencyFiguresOut(Schema):
    agency: AgencyRef
    year: int
    announced_on: Day | None = Field(description="The signature date of the conformity announcement in force.")
    renewal_due: bool = Field(description="The announcement in force no longer matches the agency (new TTHC, "
                                          "merger, edition…): a new one is due.")
    tthc_total: int
    tthc_covered: int
    procedures_in_force: int
    last_internal_audit: Day | None
    last_management_review: Day | None = Field(description="The last management review held (ISO 9001 9.3).")
    objectives_set: int
    objectives_met: int
    open_corrective_actions: int
    overdue_corrective_actions: int
    dossiers_finished: int
    dossiers_in_time: int
    on_time_rate: float | None = Field(description="(early + on time) / finished, in percent; null without dossiers.")
    satisfaction_score: float | None
    fives_score: float | None = Field(description="5S: the mean of the units' scores of the year (%).")
    legal_reviews_overdue: int
    compliance: str = Field(description="green, amber (cannot be assessed) or red.")
    compliant: bool
    successors: list[str] = Field(description="Codes of the agencies this one was merged into.")
    url: str


def _figures_out(f) -> dict:
    return {
        "agency": f.agency, "year": f.year, "tthc_total": f.tthc_total, "tthc_covered": f.tthc_covered,
        "procedures_in_force": f.procedures_in_force, "last_internal_audit": f.last_internal_audit,
        "last_management_review": f.last_management_review,
        "announced_on": f.announced_on, "renewal_due": f.renewal_due, "fives_score": f.fives_score,
        "objectives_set": f.objectives_set, "objectives_met": f.objectives_met,
        "open_corrective_actions": f.open_corrective_actions,
        "overdue_corrective_actions": f.overdue_corrective_actions, "dossiers_finished": f.dossiers.total,
        "dossiers_in_time": f.dossiers.in_time, "on_time_rate": f.on_time_rate,
        "satisfaction_score": float(f.satisfaction_score) if f.satisfaction_score is not None else None,
        "legal_reviews_overdue": f.legal_reviews_overdue, "compliance": f.compliance, "compliant": f.compliant,
        "successors": [s.code for s in f.successors],
        "url": reverse("oversight:agency", args=[f.agency.pk]) + f"?year={f.year}",
    }


def _year(year: int | None) -> int:
    return year or datetime.date.today().year


@router.get("/oversight/agencies", response={200: list[AgencyFiguresOut], **ERRORS},
            summary="The province overview: each agency's QMS figures (the agencies I may read)")
def oversight_agencies(request, year: Annotated[int | None, Query(None, ge=2000, le=2999)] = None,
                       level: Annotated[AgencyLevel | None, Query(None)] = None,
                       status: Annotated[str, Query("active", pattern="^(active|ended|all)$")] = "active"):
    rows = agency_figures(overview_agencies(request.auth, level=level or "", status=status), year=_year(year))
    return [_figures_out(f) for f in rows]


class TeamMemberIO(Schema):
    name: Text = Field(min_length=1, max_length=200)
    position: Text = Field("", max_length=200)
    role: str = Field("member", pattern="^(leader|member|secretary)$")


class PlanItemIn(Body):
    agency: Text = Field(description="The inspected agency's code.")
    month: int = Field(ge=1, le=12)
    on_site: bool = False


class PlanIn(Body):
    year: int = Field(ge=2000, le=2999)
    number: Text = Field("", max_length=60)
    items: list[PlanItemIn] = Field(max_length=500)


class InspectionOut(Schema):
    id: int
    plan: int
    year: int
    agency: AgencyRef
    month: int
    on_site: bool
    status: str
    decision_number: str
    decision_on: Day | None
    inspected_on: Day | None
    minutes_on: Day | None
    team: list[TeamMemberIO]
    checklist: dict
    findings: int
    url: str

    @staticmethod
    def resolve_plan(obj: Inspection) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_year(obj: Inspection) -> int:
        return obj.plan.year

    @staticmethod
    def resolve_findings(obj: Inspection) -> int:
        return getattr(obj, "findings_count", 0)

    @staticmethod
    def resolve_url(obj: Inspection) -> str:
        return reverse("oversight:oversightinspection-detail", args=[obj.pk])


class PlanOut(Schema):
    id: int
    year: int
    agency: AgencyRef
    number: str
    signed_on: Day | None
    status: str
    inspections: list[InspectionOut]


def _plan_out(user, plan) -> dict:
    return {"id": plan.pk, "year": plan.year, "agency": plan.agency, "number": plan.number,
            "signed_on": plan.signed_on, "status": plan.status,
            "inspections": list(selectors.inspections_for_user(user, plan=plan))}


def _agencies_by_code(plan_agency, codes: list[str]) -> dict[str, Agency]:
    found = {a.code: a for a in Agency.objects.filter(code__in=codes, province_id=plan_agency.province_id)}
    for code in codes:
        if code not in found:
            raise field_error("items", _("No agency of the province has the code %(code)s.") % {"code": code})
    return found


@router.get("/inspection-plans", response={200: list[PlanOut], **ERRORS}, summary="Inspection plans I can read")
def inspectionplan_list(request, year: Annotated[int | None, Query(None, ge=2000, le=2999)] = None):
    return [_plan_out(request.auth, p) for p in selectors.plans_for_user(request.auth, year=year)]


@router.post("/inspection-plans", response={201: PlanOut, **ERRORS},
             summary="Draft the year's inspection plan (at least a third of the agencies on site)")
def inspectionplan_create(request, payload: PlanIn):
    user = request.auth
    if user.agency is None:
        raise field_error("agency", _("You do not belong to an agency, so you cannot plan inspections."))
    agencies = _agencies_by_code(user.agency, [i.agency for i in payload.items])
    plan = services.plan_create(actor=user, agency=user.agency, year=payload.year, number=payload.number,
                                items=[{"agency": agencies[i.agency], "month": i.month, "on_site": i.on_site}
                                       for i in payload.items])
    return Status(201, _plan_out(user, selectors.plan_get_for_user(user, plan.pk)))


@router.get("/inspection-plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="One inspection plan")
def inspectionplan_detail(request, plan_id: int):
    return _plan_out(request.auth, selectors.plan_get_for_user(request.auth, plan_id))


class PlanApproveIn(Body):
    number: Text = Field("", max_length=60, description="Required.")
    signed_on: Day | None = Field(None, description="Required.")
    signer: Text = Field("", max_length=200)


@router.post("/inspection-plans/{plan_id}/approve", response={200: PlanOut, **ERRORS}, summary="Approve a plan")
def inspectionplan_approve(request, plan_id: int, payload: PlanApproveIn):
    plan = selectors.plan_get_for_user(request.auth, plan_id)
    services.plan_approve(actor=request.auth, plan=plan, number=payload.number, signed_on=payload.signed_on,
                          signer=payload.signer)
    return _plan_out(request.auth, selectors.plan_get_for_user(request.auth, plan_id))


@router.get("/inspections", response={200: list[InspectionOut], **ERRORS}, summary="Inspections I can read")
def inspection_list(request, year: Annotated[int | None, Query(None, ge=2000, le=2999)] = None,
                    agency: Annotated[Text, Query("", description="Agency id or code.")] = ""):
    return list(selectors.inspections_for_user(request.auth, year=year, agency=agency))


class InspectionIn(Body):
    plan: int = Field(description="The id of a draft plan.")
    agency: Text = Field(description="The inspected agency's code.")
    month: int = Field(ge=1, le=12)
    on_site: bool = False


@router.post("/inspections", response={201: InspectionOut, **ERRORS},
             summary="Add an agency to a draft plan (the third-on-site rule still holds)")
def inspection_create(request, payload: InspectionIn):
    user = request.auth
    plan = selectors.plan_get_for_user(user, payload.plan)
    agency = _agencies_by_code(plan.agency, [payload.agency])[payload.agency]
    items = [{"agency": i.agency, "month": i.month, "on_site": i.on_site, "team": i.team}
             for i in plan.inspections.select_related("agency")]
    items.append({"agency": agency, "month": payload.month, "on_site": payload.on_site})
    services.plan_items_set(actor=user, plan=plan, items=items)
    return Status(201, selectors.inspections_for_user(user, plan=plan).get(agency=agency))


@router.get("/inspections/{inspection_id}", response={200: InspectionOut, **ERRORS}, summary="One inspection")
def inspection_detail(request, inspection_id: int):
    return selectors.inspection_get_for_user(request.auth, inspection_id)


@router.get("/inspections/{inspection_id}/evidence", response={200: dict, **ERRORS},
            summary="What eISO holds on each point of the minutes (frozen once the minutes are issued)")
def inspection_evidence(request, inspection_id: int):
    return selectors.evidence_for(selectors.inspection_get_for_user(request.auth, inspection_id))


class DecisionIn(Body):
    decision_number: Text = Field("", max_length=60, description="Required.")
    decision_on: Day | None = Field(None, description="Required.")
    team: list[TeamMemberIO] = Field(default_factory=list, max_length=15, description="Required, the leader first.")


@router.post("/inspections/{inspection_id}/decision", response={200: InspectionOut, **ERRORS},
             summary="Issue (or change) the inspection decision with its team")
def inspection_decide(request, inspection_id: int, payload: DecisionIn):
    inspection = selectors.inspection_get_for_user(request.auth, inspection_id)
    services.inspection_decide(actor=request.auth, inspection=inspection, decision_number=payload.decision_number,
                               decision_on=payload.decision_on, team=[m.dict() for m in payload.team])
    return selectors.inspection_get_for_user(request.auth, inspection_id)


class PointIn(Schema):
    result: PointResult = PointResult.UNCHECKED
    note: Text = Field("", max_length=2000)


class ChecklistIn(Body):
    results: dict[str, PointIn] = Field(default_factory=dict,
                                        description=f"Per point: {', '.join(p.code for p in POINTS)}.")
    inspected_on: Day | None = None
    agency_representative: Text = Field("", max_length=200)
    conclusion: Text = Field("", max_length=5000)


@router.post("/inspections/{inspection_id}/checklist", response={200: InspectionOut, **ERRORS},
             summary="Save the team's answers on each point")
def inspection_checklist(request, inspection_id: int, payload: ChecklistIn):
    inspection = selectors.inspection_get_for_user(request.auth, inspection_id)
    unknown = set(payload.results) - {p.code for p in POINTS}
    if unknown:
        raise field_error("results", _("Unknown point: %(code)s.") % {"code": sorted(unknown)[0]})
    services.inspection_checklist_save(
        actor=request.auth, inspection=inspection,
        results={k: {"result": v.result.value, "note": v.note} for k, v in payload.results.items()},
        inspected_on=payload.inspected_on, agency_representative=payload.agency_representative,
        conclusion=payload.conclusion)
    return selectors.inspection_get_for_user(request.auth, inspection_id)


class MinutesIn(Body):
    minutes_on: Day | None = Field(None, description="Required.")


@router.post("/inspections/{inspection_id}/minutes", response={200: InspectionOut, **ERRORS},
             summary="Issue the minutes: each point not met becomes a nonconformity due within 2 months")
def inspection_minutes(request, inspection_id: int, payload: MinutesIn):
    inspection = selectors.inspection_get_for_user(request.auth, inspection_id)
    services.inspection_minutes_issue(actor=request.auth, inspection=inspection, minutes_on=payload.minutes_on,
                                      evidence=selectors.evidence_for(inspection))
    return selectors.inspection_get_for_user(request.auth, inspection_id)


class AnnualReportOut(Schema):
    year: int
    totals: dict = Field(description="The province's totals: each the sum of the agencies' figures below.")
    inspections: int = Field(description="Inspections of the year whose minutes are issued.")
    inspections_on_site: int
    agencies: list[AgencyFiguresOut]


@router.get("/reports/annual", response={200: AnnualReportOut, **ERRORS},
            summary="The December report's figures (QĐ 19/2014 Appendix II) over the agencies I may read")
def report_annual(request, year: Annotated[int | None, Query(None, ge=2000, le=2999)] = None):
    user, year = request.auth, _year(year)
    rows = agency_figures(overview_agencies(user), year=year)
    done = [i for i in selectors.inspections_for_user(user, year=year) if i.status == "minutes"]
    return {"year": year, "totals": province_totals(rows), "inspections": len(done),
            "inspections_on_site": sum(1 for i in done if i.on_site), "agencies": [_figures_out(f) for f in rows]}


class TthcRowOut(Schema):
    field: str
    received: int
    carried_over: int
    online: int
    direct: int
    postal: int
    resolved: int
    early: int
    on_time: int
    late: int
    in_progress: int
    within_time: int
    overdue: int


class TthcReportOut(Schema):
    period: str
    start: Day
    end: Day
    agencies: int
    rows: list[TthcRowOut]


@router.get("/reports/tthc", response={200: TthcReportOut, **ERRORS},
            summary="TTHC handling per field (TT 01/2020/TT-VPCP form 06a), for one agency or all I may read")
def report_tthc(request, period: Annotated[Text, Query("", description="2026, 2026-Q2 or 2026-05.")] = "",
                agency: Annotated[Text, Query("", description="An agency id or code; empty: all I may read.")] = ""):
    try:
        parsed = parse_period(period or str(_year(None)))
    except ValueError:
        raise field_error("period", _("Give the period as 2026, 2026-Q2 or 2026-05.")) from None
    agencies = by_agency(overview_agencies(request.auth, status="all"), agency, field="")
    ids = list(agencies.values_list("pk", flat=True))
    if agency and not ids:
        raise NotFound()
    rows = tthc_report(ids, start=parsed.start, end=parsed.end)
    return {"period": parsed.key, "start": parsed.start, "end": parsed.end, "agencies": len(ids),
            "rows": [{**{k: getattr(r, k) for k in TthcRowOut.model_fields}} for r in rows]}
