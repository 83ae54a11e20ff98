"""A dossier's printed forms (the process control slip, the apology letter) and the rows of the
dossier list. Dossiers come from ``dossier_get_for_user``; times are printed in local time."""

from django.utils import timezone

from eiso.core.errors import NotFound
from eiso.dossiers.choices import DossierStatus
from eiso.dossiers.selectors import apology_of, steps_with_units
from eiso.dossiers.selectors.lists import dossier_list_for_user
from eiso.reports.collectors.common import agency_head, agency_heading
from eiso.reports.content import ApologyLetter, ControlSlip, SlipRow
from eiso.reports.vocabulary import DOSSIER_RESULTS, DOSSIER_STATUSES

APPLICANT_DESK = "Tổ chức, cá nhân (trả kết quả)"
assert set(DOSSIER_STATUSES) == set(DossierStatus.values)  # noqa: S101 (a new status must get its printed name)


def _local(value):
    return timezone.localtime(value) if value is not None else None


def _naive(value):
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def collect_slip(user, dossier) -> ControlSlip:
    """The slip of ``dossier``: one row per hand-over, the giver's unit to the next step's (the
    last step hands the result to the applicant)."""
    steps, units = steps_with_units(dossier)
    rows = []
    for i, step in enumerate(steps):
        following = steps[i + 1] if i + 1 < len(steps) else None
        rows.append(SlipRow(
            number=i + 1,
            giver=units.get(step.unit_id, ""),
            receiver=units.get(following.unit_id, "") if following else APPLICANT_DESK,
            step_name=step.name,
            handed_at=_local(step.finished_at),
            due_at=_local(step.due_at),
            result=step.result,
        ))
    apology = apology_of(dossier)
    return ControlSlip(
        agency=agency_heading(dossier.agency), code=dossier.code, applicant=dossier.applicant,
        procedure=f"{dossier.admin_procedure.name} (mã {dossier.admin_procedure.code})",
        received_at=_local(dossier.received_at), due_at=_local(dossier.due_at), rows=tuple(rows),
        new_due_at=_local(apology.new_due_at) if apology else None)


def collect_apology(user, dossier) -> ApologyLetter:
    """The letter of ``dossier`` (NotFound when none was issued), signed by the agency's head."""
    apology = apology_of(dossier)
    if apology is None:
        raise NotFound()
    return ApologyLetter(
        agency=agency_heading(dossier.agency), code=dossier.code, applicant=dossier.applicant,
        procedure=f"{dossier.admin_procedure.name} (mã {dossier.admin_procedure.code})",
        received_at=_local(dossier.received_at), due_at=_local(dossier.due_at), reason=apology.reason,
        new_due_at=_local(apology.new_due_at), issued_on=_local(apology.issued_at).date(),
        signer=agency_head(user, dossier.agency))


def dossier_list_rows(user, *, now, tab: str, **filters):
    """The dossier list as filtered on its page, one tuple per dossier in the columns of the Excel
    list, read from the database 2,000 at a time."""
    dossiers = dossier_list_for_user(user, now=now, tab=tab, **filters).values_list(
        "code", "agency__name", "admin_procedure__code", "admin_procedure__name", "applicant", "received_at",
        "due_at", "finished_at", "status", "result", "current_step", "current_unit__name")
    return (
        (code, agency, pcode, pname, applicant, _naive(received), _naive(due), _naive(finished),
         DOSSIER_STATUSES.get(status, status), DOSSIER_RESULTS.get(result, ""), step or "", unit or "")
        for code, agency, pcode, pname, applicant, received, due, finished, status, result, step, unit
        in dossiers.iterator(chunk_size=2000)
    )
