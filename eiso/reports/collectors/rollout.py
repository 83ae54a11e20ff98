"""The monthly progress report of a rollout to the steering committee, compiled from the plan, the
registry and the last gap survey (through the rollout app's selectors, so in the user's scope)."""

import datetime

from eiso.core.formfields import parse_month as parse
from eiso.organizations.choices import Role
from eiso.organizations.selectors import steering_committees_for_user, users_for_user
from eiso.reports.collectors.common import agency_head, agency_heading, signer, today
from eiso.reports.content import RolloutItemRow, RolloutPhaseRow, RolloutReport, RolloutUnitRow
from eiso.reports.vocabulary import VietnameseLabels
from eiso.rollout import progress, selectors
from eiso.rollout.choices import GapResult, ItemStatus, PhaseStatus

# The statuses as the pages show them (the choices' own labels, in Vietnamese).
PHASE_STATUS = VietnameseLabels(PhaseStatus)
ITEM_STATUS = VietnameseLabels(ItemStatus)
NO_UNIT = "Chưa giao đơn vị"


def _unit_row(t: progress.Tally, label: str) -> RolloutUnitRow:
    return RolloutUnitRow(unit=label, total=t.total, issued=t.issued, in_review=t.in_review, drafting=t.drafting,
                          not_started=t.not_started, overdue=t.overdue)


def _item_row(item, status: str, note: str = "") -> RolloutItemRow:
    return RolloutItemRow(number=item.number, title=item.title, unit=item.drafting_unit.name if item.drafting_unit_id
                          else NO_UNIT, deadline=item.deadline, status=ITEM_STATUS[status], note=note)


def collect_rollout_report(user, rollout, year: int, month: int) -> RolloutReport:
    first, last = progress.month_bounds(year, month)
    as_of = min(last, today())
    phases = selectors.phases_of(rollout)
    current = selectors.current_phase(phases)
    overall, per_unit = selectors.registry_progress(rollout, as_of)
    items = list(selectors.registry_items_for_user(user, rollout=rollout))
    overdue, issued, due_next = [], [], []
    next_first, next_last = progress.month_bounds(year + month // 12, month % 12 + 1)
    for item in items:
        facts = progress.ItemFacts(unit_id=item.drafting_unit_id, unit_name="", status=item.status,
                                   deadline=item.deadline, issued_on=item.issued_on)
        status = progress.status_on(facts, as_of)
        if progress.is_overdue(facts, as_of):
            overdue.append(_item_row(item, status, f"Quá hạn {(as_of - item.deadline).days} ngày"))
        if status == ItemStatus.ISSUED and item.issued_on and first <= item.issued_on <= last:
            issued.append(_item_row(item, status, f"{item.document.code} ban hành {item.issued_on:%d/%m/%Y}"
                                    if item.document_id else ""))
        if status != ItemStatus.ISSUED and item.deadline and next_first <= item.deadline <= next_last:
            due_next.append(_item_row(item, status))
    committee = steering_committees_for_user(user, agency=str(rollout.agency_id), active="1").first()
    decision = ""
    if rollout.registry_adopted:
        decision = (f"Quyết định số {rollout.registry_decision_number} ngày "
                    f"{rollout.registry_decision_date:%d/%m/%Y}"
                    + (f" do {rollout.registry_decision_signer} ký" if rollout.registry_decision_signer else ""))
    surveys = selectors.gap_surveys_of(rollout)
    gap = ""
    if surveys:
        s = surveys[0]
        gap = (f"{s.title} ({s.surveyed_on:%d/%m/%Y}): {getattr(s, 'n_' + GapResult.CONFORM)} điều khoản đáp ứng, "
               f"{getattr(s, 'n_' + GapResult.PARTLY)} đáp ứng một phần, {getattr(s, 'n_' + GapResult.NOT)} chưa đáp "
               f"ứng, {getattr(s, 'n_' + GapResult.UNASSESSED)} chưa đánh giá.")
    secretary = users_for_user(user, agency=str(rollout.agency_id), role=Role.QMS_SECRETARY).first()
    return RolloutReport(
        agency=agency_heading(rollout.agency), on=today(), year=year, month=month, as_of=as_of, title=rollout.title,
        committee=committee.name if committee else "", started_on=rollout.started_on, target_on=rollout.target_on,
        consultant=rollout.consultant, decision=decision, current_phase=str(current) if current else "",
        phases=tuple(RolloutPhaseRow(number=p.number, name=p.name, planned_start=p.planned_start,
                                     planned_end=p.planned_end, finished_on=p.finished_on,
                                     status=PHASE_STATUS[p.status]) for p in phases),
        units=tuple(_unit_row(t, t.label or NO_UNIT) for t in per_unit), total=_unit_row(overall, "Tổng cộng"),
        overdue=tuple(overdue), issued_in_month=tuple(issued), due_next_month=tuple(due_next), gap=gap,
        secretary=signer(secretary), signer=agency_head(user, rollout.agency))


def parse_month(value: str, default: datetime.date) -> tuple[int, int]:
    """``(year, month)`` of ``2026-11`` (the month input's value) or ``11/2026``; else ``default``'s month."""
    parsed = parse(value or "")
    return parsed if parsed else (default.year, default.month)
