"""What the oversight documents print: plain data the collectors fill and the layouts read."""

import datetime
from dataclasses import dataclass, field

from eiso.reports.content import AgencyHeading, Signer


@dataclass(frozen=True)
class PlanLine:
    agency: str
    month: int
    on_site: bool
    team: str


@dataclass(frozen=True)
class InspectionPlanDoc:
    issuer: AgencyHeading
    on: datetime.date
    number: str
    year: int
    province: str
    lines: tuple[PlanLine, ...]
    minimum_on_site: int
    signer: Signer


@dataclass(frozen=True)
class TeamMember:
    name: str
    position: str
    role: str


@dataclass(frozen=True)
class DecisionDoc:
    issuer: AgencyHeading
    on: datetime.date
    number: str
    year: int
    plan_number: str
    agency: str
    month: int
    on_site: bool
    team: tuple[TeamMember, ...]
    signer: Signer


@dataclass(frozen=True)
class ChecklistLine:
    point: str
    result: str
    evidence: str
    note: str


@dataclass(frozen=True)
class FindingLine:
    code: str
    description: str
    due_on: datetime.date | None


@dataclass(frozen=True)
class MinutesDoc:
    issuer: AgencyHeading
    on: datetime.date | None
    decision_number: str
    decision_on: datetime.date | None
    inspected_on: datetime.date | None
    agency: str
    on_site: bool
    representative: str
    team: tuple[TeamMember, ...]
    lines: tuple[ChecklistLine, ...]
    conclusion: str
    findings: tuple[FindingLine, ...]
    answer_due: datetime.date | None
    draft: bool = False


@dataclass(frozen=True)
class FigureLine:
    """One figure of a report and the list it comes from (every figure is traceable)."""

    label: str
    value: str
    source: str = ""


@dataclass(frozen=True)
class AnnualReportDoc:
    agency: AgencyHeading
    on: datetime.date
    year: int
    figures: tuple[FigureLine, ...]
    inspections: tuple[str, ...]
    signer: Signer


@dataclass(frozen=True)
class ProvinceAgencyLine:
    agency: str
    level: str
    tthc: str
    procedures: int
    last_audit: str
    objectives: str
    open_actions: int
    overdue_actions: int
    on_time: str
    satisfaction: str
    compliance: str
    inspection: str


@dataclass(frozen=True)
class ProvinceReportDoc:
    issuer: AgencyHeading
    on: datetime.date
    year: int
    province: str
    totals: tuple[FigureLine, ...]
    agencies: tuple[ProvinceAgencyLine, ...]
    inspections: tuple[tuple[str, str, str, str], ...]  # agency, form, date of the minutes, findings
    signer: Signer


@dataclass(frozen=True)
class TthcLine:
    field: str
    carried_over: int
    online: int
    direct: int
    postal: int
    early: int
    on_time: int
    late: int
    within_time: int
    overdue: int

    @property
    def received(self) -> int:
        return self.carried_over + self.online + self.direct + self.postal

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        return self.within_time + self.overdue


@dataclass(frozen=True)
class TthcReportDoc:
    issuer: AgencyHeading
    on: datetime.date
    period: str
    scope: str
    lines: tuple[TthcLine, ...] = field(default=())
    signer: Signer = Signer()
