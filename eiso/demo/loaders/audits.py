"""Demo internal audits: per demo agency in force with an internal auditor, last year's and this year's audit programme,
each with one audit carried out (last year's closed, this year's reported), its checklist answered
and findings of every kind.

The team is independent of the units audited: the lead is the agency's internal auditor, the member
its ISO secretary (given the internal auditor role here, as agencies usually do); the audits cover
the specialist units and the one-stop desk of neither. Idempotent: an agency with an audit
programme is skipped. Runs before the improvements demo, which knows nothing of these findings:
their nonconformities are left for the secretary to record with one click. The clauses, findings
and texts are in ``eiso/demo/content/audits.json``.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from eiso.audits import services
from eiso.audits.choices import AuditAction, ChecklistAnswer, FindingKind
from eiso.audits.models import AuditProgramme, ChecklistItem, Clause, Finding
from eiso.demo.content import read
from eiso.organizations import services as organization_services
from eiso.organizations.choices import Role, UnitKind
from eiso.organizations.models import Agency, User

_CONTENT = read("audits")
CLAUSES = tuple(_CONTENT["clauses"])
# kind, clause, what was found, the evidence seen
FINDINGS = [(FindingKind(f["kind"]), f["clause"], f["description"], f["evidence"]) for f in _CONTENT["findings"]]
EVIDENCE = _CONTENT["evidence"]  # of the questions without a finding
PROGRAMME, AUDIT = _CONTENT["programme"], _CONTENT["audit"]
# the answer of the first question of a finding's clause
ANSWER_OF_KIND = {
    FindingKind.MAJOR_NC: ChecklistAnswer.NONCONFORM, FindingKind.MINOR_NC: ChecklistAnswer.NONCONFORM,
    FindingKind.OBSERVATION: ChecklistAnswer.OBSERVATION, FindingKind.OPPORTUNITY: ChecklistAnswer.CONFORM,
}


def _with_role(agency, role):
    return (User.objects.filter(memberships__agency=agency, memberships__valid_to__isnull=True,
                                memberships__role_rows__role=role, is_active=True).order_by("pk").first())


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _AgencyAudits:
    def __init__(self, agency: Agency, today: datetime.date):
        self.agency, self.today = agency, today
        self.lead = _with_role(agency, Role.AUDITOR)
        self.secretary = _with_role(agency, Role.QMS_SECRETARY) or _with_role(agency, Role.AGENCY_HEAD)

    def team(self) -> list[User]:
        """The ISO secretary joins the lead (with the internal auditor role) when in another unit."""
        secretary = self.secretary
        if secretary is None or secretary.pk == self.lead.pk:
            return []
        membership = secretary.membership
        if membership.unit_id is None or membership.unit_id == self.lead.membership.unit_id:
            return []
        if Role.AUDITOR not in membership.roles:
            organization_services.membership_change(actor=None, user=secretary,
                                                    roles=[*membership.roles, Role.AUDITOR], unit=membership.unit)
        return [secretary]

    def load(self) -> bool:
        if self.lead is None:
            return False
        members = self.team()
        busy = {self.lead.membership.unit_id, *(m.membership.unit_id for m in members)}
        units = list(self.agency.units.filter(is_active=True, kind__in=[UnitKind.SPECIALIST, UnitKind.ONE_STOP])
                     .exclude(pk__in=[u for u in busy if u]).order_by("code"))
        if not units:
            return False
        year = self.today.year
        last_start = datetime.date(year - 1, 10, 14)
        this_start = max(self.today - datetime.timedelta(days=20), datetime.date(year, 1, 1))
        self.audit(year - 1, last_start, units[:2], members, close=True)
        self.audit(year, this_start, units[1:3] or units[:1], members, close=False)
        return True

    def audit(self, year: int, start: datetime.date, units, members, *, close: bool) -> None:
        programme = services.programme_create(
            actor=None, agency=self.agency, year=year, title=PROGRAMME["title"].format(year=year),
            objectives=PROGRAMME["objectives"])
        for i, unit in enumerate(units):
            services.programme_entry_add(actor=None, programme=programme, unit=unit, planned_month=start.month,
                                         importance="high" if unit.kind == UnitKind.ONE_STOP else "medium",
                                         past_result="minor" if close else "good",
                                         note=PROGRAMME["entry_note"].format(n=i + 1))
        end = min(start + datetime.timedelta(days=1), max(start, self.today))
        audit = services.audit_create(
            actor=None, programme=programme, title=AUDIT["title"].format(year=year, units=", ".join(
                u.name for u in units)), start_date=start, end_date=end, lead_auditor=self.lead,
            members=members, units=units, clauses=list(Clause.objects.filter(edition__code="2015", code__in=CLAUSES)),
            objectives=AUDIT["objectives"])
        services.audit_transition(actor=self.lead, audit=audit, action=AuditAction.START)
        items = {}
        for item in ChecklistItem.objects.filter(audit=audit).select_related("clause", "audit").order_by("position"):
            items.setdefault(item.clause.code if item.clause else "", item)
            services.checklist_answer(actor=self.lead, item=item, answer=ChecklistAnswer.CONFORM, evidence=EVIDENCE)
        for i, (kind, code, description, evidence) in enumerate(FINDINGS):
            item = items.get(code)
            if item is not None and ANSWER_OF_KIND[kind] != ChecklistAnswer.CONFORM:
                services.checklist_answer(actor=self.lead, item=item, answer=ANSWER_OF_KIND[kind], evidence=evidence)
            services.finding_create(actor=self.lead, audit=audit, kind=kind,
                                    clause=Clause.objects.get(edition__code="2015", code=code),
                                    unit=units[i % len(units)], description=description, evidence=evidence,
                                    checklist_item=item)
        ChecklistItem.objects.filter(audit=audit).update(answered_at=_at(start, 9))
        Finding.objects.filter(audit=audit).update(created_at=_at(end, 10))
        services.audit_transition(
            actor=self.lead, audit=audit, action=AuditAction.REPORT, conclusion=AUDIT["conclusion"])
        if close:
            services.audit_transition(actor=None, audit=audit, action=AuditAction.CLOSE)
        audit.__class__.objects.filter(pk=audit.pk).update(reported_at=_at(end, 16))


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    today = timezone.localdate()
    loaded = []
    # every agency in force with an internal auditor (the province's People's Committee has none in the demo)
    agencies = Agency.objects.filter(valid_to__isnull=True).order_by("code")
    for agency in agencies:
        if AuditProgramme.objects.filter(agency=agency).exists():
            continue
        with transaction.atomic():
            if _AgencyAudits(agency, today).load():
                loaded.append(agency.code)
    log(f"Audit programmes, audits and findings of {', '.join(loaded)}." if loaded
        else "Internal audits already loaded: nothing to create.")
    return []
