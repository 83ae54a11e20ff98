"""What improvements shows in earlier apps' pages (``eiso.core.panels``): beside audit findings,
their nonconformity (a link, or the button that records it) and how many are still missing; in
the statistics per process step, the button that records a late step as a nonconformity."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from eiso.audits.choices import NONCONFORMITY_KINDS
from eiso.core.panels import Panel
from eiso.improvements.choices import NOT_CLOSED, NonconformitySource
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.improvements.permissions import policy


@dataclass
class FindingNonconformities:
    """The nonconformities of some audit findings, and how many of their nonconformity findings have
    none yet or no corrective action yet (the gap inspectors keep finding)."""

    by_finding: dict = field(default_factory=dict)  # finding id → Nonconformity (with has_action)
    without_nonconformity: int = 0
    without_action: int = 0

    @property
    def gaps(self) -> int:
        return self.without_nonconformity + self.without_action


def finding_nonconformities(findings) -> FindingNonconformities:
    """Reads the nonconformities of ``findings`` in one query."""
    findings = list(findings)
    result = FindingNonconformities()
    ids = [f.pk for f in findings if f.kind in NONCONFORMITY_KINDS]
    if ids:
        rows = (Nonconformity.objects.filter(finding_id__in=ids)
                .annotate(has_action=Exists(CorrectiveAction.objects.filter(nonconformity=OuterRef("pk"))))
                .only("pk", "code", "status", "finding_id"))
        result.by_finding = {nc.finding_id: nc for nc in rows}
    for pk in ids:
        nc = result.by_finding.get(pk)
        if nc is None:
            result.without_nonconformity += 1
        elif not nc.has_action:
            result.without_action += 1
    return result


def findings_panel(request, *, findings) -> Panel:
    """Slot ``audits.findings``: the nonconformity column and the gaps above the findings."""
    return Panel(title=_("Nonconformity"), cell="improvements/panels/finding_cell.html",
                 summary="improvements/panels/finding_gaps.html", data=finding_nonconformities(findings))


def late_step_nonconformities(user) -> dict[tuple[int, int], Nonconformity]:
    """The open nonconformities recorded from late steps that ``user`` reads, by (procedure id,
    step), in one query: the statistics show the one made instead of the button that makes it."""
    rows = policy.filter(user, "view_nonconformity", Nonconformity.objects.filter(
        source=NonconformitySource.LATE_DOSSIER, status__in=NOT_CLOSED, admin_procedure__isnull=False,
        dossier_step__isnull=False)).only("pk", "code", "admin_procedure_id", "dossier_step").order_by("pk")
    return {(nc.admin_procedure_id, nc.dossier_step): nc for nc in rows}


@dataclass(frozen=True)
class LateSteps:
    """What the late-step cell needs for the whole table, read once (not once per row)."""

    recorded: dict  # (procedure id, step) → the open nonconformity recorded for it
    may_record: bool  # whether the reader may record one (a rules check, the same for every row)


def may_record_late_steps(user) -> bool:
    """Whether ``user`` may turn a late process step of their own agency into a nonconformity."""
    agency = getattr(user, "agency", None)
    return agency is not None and user.has_perm("improvements.add_nonconformity_from_dossiers", agency)


def late_step_panel(request) -> Panel:
    """Slot ``dossiers.statistics.step``: record a step late too often as a nonconformity, or show
    the nonconformity already recorded for it."""
    return Panel(cell="improvements/late_step_button.html",
                 data=LateSteps(recorded=late_step_nonconformities(request.user),
                                may_record=may_record_late_steps(request.user)))
