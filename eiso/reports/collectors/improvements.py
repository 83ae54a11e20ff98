"""A corrective action as its request form prints it. The action comes from
``corrective_action_get_for_user``."""

from eiso.reports.collectors.common import agency_head, agency_heading, name
from eiso.reports.content import CorrectiveActionRequest, Signer, VerificationRow
from eiso.reports.vocabulary import NONCONFORMITY_SOURCES, NONCONFORMITY_STATUSES, document_number

SYMBOL = "HĐKP"  # hành động khắc phục: the form's symbol in its number (``06/HĐKP-STP``)


def collect_corrective_action(user, action) -> CorrectiveActionRequest:
    """The request is dated by its nonconformity (not by the day it is printed), numbered in the
    agency's style, and signed by who asked, who acts, who verifies and the head who approves."""
    nc = action.nonconformity
    procedure = ""
    if nc.admin_procedure_id:
        procedure = f"{nc.admin_procedure.code} {nc.admin_procedure.name}"
    elif nc.document_id:
        procedure = f"{nc.document.code} {nc.document.title}"
    verifications = tuple(VerificationRow(v.verified_on, name(v.verified_by), v.effective, v.note)
                          for v in action.verifications.select_related("verified_by").order_by("verified_on", "id"))
    return CorrectiveActionRequest(
        agency=agency_heading(action.agency), on=nc.detected_on,
        number=document_number(nc.code, SYMBOL, action.agency.code), code=nc.code,
        source=NONCONFORMITY_SOURCES.get(nc.source, nc.source), clause=nc.clause,
        unit=nc.unit.name if nc.unit_id else "", procedure=procedure, detected_on=nc.detected_on,
        description=nc.description, status=NONCONFORMITY_STATUSES.get(nc.status, nc.status),
        correction=action.correction, whys=tuple(action.whys or ()), root_cause=action.root_cause,
        action_plan=action.action_plan, owner=name(action.owner), due_on=action.due_on, evidence=action.evidence,
        implemented_on=action.implemented_on, verifier=name(action.verifier),
        verification_due_on=action.verification_due_on, verifications=verifications, closed_on=action.closed_on,
        requested_by=Signer(name=name(action.created_by)), owner_signer=Signer(name=name(action.owner)),
        verifier_signer=Signer(name=name(action.verifier)), approver=agency_head(user, action.agency))
