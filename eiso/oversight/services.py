"""Writes of provincial oversight: the year's inspection plan, each inspection's decision,
checklist and minutes, and the findings the minutes turn into nonconformities of the inspected
agency. One function per use case, atomic, audited."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.improvements.services import nonconformity_from_inspection
from eiso.oversight.calculations import answer_due, on_site_minimum
from eiso.oversight.choices import (
    INSPECTION_TRANSITIONS,
    POINTS,
    REFUSALS,
    InspectionAction,
    InspectionStatus,
    PlanStatus,
    PointResult,
)
from eiso.oversight.models import Inspection, InspectionFinding, InspectionPlan

TEAM_ROLES = ("leader", "member", "secretary")
MAX_TEAM = 15


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(str(message), errors={field: [str(message)]})


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def clean_team(team) -> list[dict]:
    """The team as ``[{"name", "position", "role"}]``: names required, one leader at most first."""
    rows = []
    for member in team or []:
        name = _text(member.get("name"))[:200]
        if not name:
            continue
        role = member.get("role") if member.get("role") in TEAM_ROLES else "member"
        rows.append({"name": name, "position": _text(member.get("position"))[:200], "role": role})
    if len(rows) > MAX_TEAM:
        raise _invalid("team", _("A team has at most %(n)d people.") % {"n": MAX_TEAM})
    if sum(1 for r in rows if r["role"] == "leader") > 1:
        raise _invalid("team", _("A team has one leader."))
    rows.sort(key=lambda r: r["role"] != "leader")
    return rows


def _check_items(plan_agency, items: list[dict]) -> list[dict]:
    """Each line: an active agency of the plan's province, once, a month 1–12; at least a third on site."""
    if not items:
        raise _invalid("items", _("Put at least one agency in the plan."))
    seen, clean = set(), []
    for item in items:
        agency = item.get("agency")
        if agency is None or agency.province_id != plan_agency.province_id:
            raise _invalid("items", _("Only agencies of the province can be inspected."))
        if not agency.is_active:
            raise _invalid("items", _("%(agency)s has ended: it can no longer be inspected.") % {"agency": agency})
        if agency.pk in seen:
            raise _invalid("items", _("%(agency)s is in the plan twice.") % {"agency": agency})
        seen.add(agency.pk)
        month = item.get("month")
        if not isinstance(month, int) or not 1 <= month <= 12:
            raise _invalid("items", _("The month of %(agency)s must be 1 to 12.") % {"agency": agency})
        clean.append({"agency": agency, "month": month, "on_site": bool(item.get("on_site")),
                      "team": clean_team(item.get("team"))})
    on_site, minimum = sum(1 for i in clean if i["on_site"]), on_site_minimum(len(clean))
    if on_site < minimum:
        raise _invalid("items", _(
            "At least a third of the agencies must be inspected on site: %(minimum)d of %(total)d, "
            "the plan has %(on_site)d.") % {"minimum": minimum, "total": len(clean), "on_site": on_site})
    return clean


@transaction.atomic
def plan_create(*, actor, agency, year: int, items: list[dict], number: str = "") -> InspectionPlan:
    """Draft the year's plan (Mẫu 19) of the overseeing ``agency`` with its lines
    (``{"agency", "month", "on_site", "team"}``); refused with fewer than a third on site."""
    require(actor, "oversight.add_inspectionplan", agency)
    if not isinstance(year, int) or not 2000 <= year <= 2999:
        raise _invalid("year", _("Give a year between 2000 and 2999."))
    lines = _check_items(agency, items)
    if InspectionPlan.objects.filter(agency=agency, year=year).exists():
        raise _invalid("year", _("There is already a plan for this year."))
    plan = model_create(model=InspectionPlan, actor=actor, data={
        "agency": agency, "year": year, "number": _text(number),
        "created_by": actor if getattr(actor, "pk", None) else None})
    for line in lines:
        model_create(model=Inspection, actor=actor, data={"plan": plan, **line})
    return plan


@transaction.atomic
def plan_items_set(*, actor, plan: InspectionPlan, items: list[dict]) -> InspectionPlan:
    """Replace the lines of a draft plan (the same checks as at creation)."""
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    require(actor, "oversight.change_inspectionplan", plan)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(_("The plan is approved: its lines no longer change."), code="wrong_status")
    lines = _check_items(plan.agency, items)
    before = list(plan.inspections.values_list("agency_id", flat=True))
    plan.inspections.all().delete()
    for line in lines:
        model_create(model=Inspection, actor=actor, data={"plan": plan, **line})
    audit_record(actor=actor, action="update", obj=plan,
                 changes={"inspections": [before, [line["agency"].pk for line in lines]]})
    return plan


@transaction.atomic
def plan_approve(*, actor, plan: InspectionPlan, number: str, signed_on: datetime.date,
                 signer: str = "") -> InspectionPlan:
    """The plan is signed: its number and date recorded, its lines fixed."""
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    require(actor, "oversight.change_inspectionplan", plan)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(_("This plan is already approved."), code="wrong_status")
    if not _text(number):
        raise _invalid("number", _("Give the plan's number and symbol."))
    if signed_on is None or signed_on.year not in (plan.year - 1, plan.year):
        raise _invalid("signed_on", _("The plan is signed in its year or the year before."))
    plan, _changes = model_update(obj=plan, actor=actor, action="approve", fields=[
        "number", "signed_on", "signer", "status"], data={
        "number": _text(number), "signed_on": signed_on, "signer": _text(signer), "status": PlanStatus.APPROVED})
    return plan


def _lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update(of=("self",)).select_related("plan", "agency").get(pk=inspection.pk)


def _move(*, actor, inspection: Inspection, action: str) -> None:
    sources, target = INSPECTION_TRANSITIONS[action]
    if inspection.status not in sources:
        raise Conflict(REFUSALS[action], code="wrong_status")
    before, inspection.status = inspection.status, target
    inspection.save(update_fields=["status"])
    if before != target:
        audit_record(actor=actor, action=action, obj=inspection, changes={"status": [before, target]})


@transaction.atomic
def inspection_decide(*, actor, inspection: Inspection, decision_number: str, decision_on: datetime.date,
                      team: list[dict]) -> Inspection:
    """The inspection decision (Mẫu 20): its number, date and team (a leader and members)."""
    inspection = _lock(inspection)
    require(actor, "oversight.change_inspection", inspection)
    if inspection.plan.status != PlanStatus.APPROVED:
        raise Conflict(_("Approve the plan before deciding its inspections."), code="wrong_status")
    team = clean_team(team)
    if not team or team[0]["role"] != "leader":
        raise _invalid("team", _("Name the team, with its leader."))
    if not _text(decision_number):
        raise _invalid("decision_number", _("Give the decision's number and symbol."))
    if decision_on is None:
        raise _invalid("decision_on", _("Give the decision's date."))
    if decision_on > timezone.localdate() + datetime.timedelta(days=1):
        raise _invalid("decision_on", _("A decision cannot be dated in the future."))
    if inspection.status not in INSPECTION_TRANSITIONS[InspectionAction.DECIDE][0]:
        raise Conflict(REFUSALS[InspectionAction.DECIDE], code="wrong_status")
    model_update(obj=inspection, actor=actor, fields=["decision_number", "decision_on", "team"], data={
        "decision_number": _text(decision_number), "decision_on": decision_on, "team": team})
    _move(actor=actor, inspection=inspection, action=InspectionAction.DECIDE)
    return inspection


def clean_checklist(results: dict) -> dict:
    """``{point: {"result", "note"}}`` for the law's points only; a point not met needs a note."""
    clean = {}
    for point in POINTS:
        row = results.get(point.code) or {}
        result = row.get("result") or ""
        if result not in PointResult.values:
            raise _invalid(point.code, _("Unknown result."))
        note = _text(row.get("note"))[:2000]
        if result == PointResult.NOT_MET and not note:
            raise _invalid(point.code, _("Say what was found for “%(point)s”.") % {"point": point.label})
        clean[point.code] = {"result": result, "note": note}
    return clean


@transaction.atomic
def inspection_checklist_save(*, actor, inspection: Inspection, results: dict, inspected_on=None,
                              agency_representative: str = "", conclusion: str = "") -> Inspection:
    """The team's answers on each point, confirmed or corrected on site (saved as often as needed
    until the minutes are issued)."""
    inspection = _lock(inspection)
    require(actor, "oversight.change_inspection", inspection)
    if inspection.status != InspectionStatus.DECIDED:
        raise Conflict(_("The checklist is filled in after the decision and before the minutes."),
                       code="wrong_status")
    if inspected_on is not None and inspection.decision_on and inspected_on < inspection.decision_on:
        raise _invalid("inspected_on", _("The inspection cannot come before its decision."))
    if inspected_on is not None and inspected_on > timezone.localdate() + datetime.timedelta(days=1):
        raise _invalid("inspected_on", _("An inspection cannot be dated in the future."))
    model_update(obj=inspection, actor=actor, fields=["checklist", "inspected_on", "agency_representative",
                                                      "conclusion"], data={
        "checklist": clean_checklist(results), "inspected_on": inspected_on,
        "agency_representative": _text(agency_representative)[:200], "conclusion": _text(conclusion)})
    return inspection


@transaction.atomic
def inspection_minutes_issue(*, actor, inspection: Inspection, minutes_on: datetime.date,
                             evidence: dict | None = None) -> Inspection:
    """Issue the minutes (Mẫu 21): every point checked; each point not met becomes a nonconformity
    of the agency (source inspection) whose corrective action is due within 2 months of the
    minutes. ``evidence``: what eISO showed the team, kept with the minutes."""
    inspection = _lock(inspection)
    require(actor, "oversight.change_inspection", inspection)
    if inspection.status != InspectionStatus.DECIDED:
        raise Conflict(REFUSALS[InspectionAction.ISSUE_MINUTES], code="wrong_status")
    checklist = clean_checklist(inspection.checklist or {})
    missing = [p.label for p in POINTS if not checklist[p.code]["result"]]
    if missing:
        raise _invalid("checklist", _("Check every point before issuing the minutes; not yet checked: "
                                      "%(points)s.") % {"points": "; ".join(str(m) for m in missing[:3])})
    if inspection.inspected_on is None:
        raise _invalid("inspected_on", _("Give the date of the inspection."))
    if minutes_on is None or minutes_on < inspection.inspected_on:
        raise _invalid("minutes_on", _("The minutes cannot come before the inspection."))
    if minutes_on > timezone.localdate() + datetime.timedelta(days=1):
        raise _invalid("minutes_on", _("Minutes cannot be dated in the future."))
    due = answer_due(minutes_on)
    for point in POINTS:
        row = checklist[point.code]
        if row["result"] != PointResult.NOT_MET:
            continue
        nc = nonconformity_from_inspection(
            actor=actor, agency=inspection.agency, clause=point.clause,
            description=_("Provincial inspection %(decision)s — %(point)s: %(note)s") % {
                "decision": inspection.decision_number, "point": point.label, "note": row["note"]},
            detected_on=minutes_on, respond_by=due)
        model_create(model=InspectionFinding, actor=actor, data={
            "inspection": inspection, "point": point.code, "nonconformity": nc})
    model_update(obj=inspection, actor=actor, fields=["minutes_on", "evidence"], data={
        "minutes_on": minutes_on, "evidence": evidence or {}})
    _move(actor=actor, inspection=inspection, action=InspectionAction.ISSUE_MINUTES)
    return inspection
