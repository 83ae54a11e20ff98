"""Rollout fixtures: agency A ready to announce (quality policy and a TTHC procedure in force,
an internal audit reported)."""

import datetime

import pytest
from django.utils import timezone

from eiso.audits import services as audit_services
from eiso.audits.models import Clause
from eiso.documents.models import DocumentRevision
from eiso.documents.services.revisions import document_create
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user
from eiso.procedures.tests.factories import procedure_with_process


def in_force(document) -> None:
    DocumentRevision.objects.create(document=document, issue_number=1, status="effective",
                                    effective_date=datetime.date(2026, 1, 5))


@pytest.fixture
def ready_a(agency_a, unit_a, one_stop_a, a_secretary):
    """Agency A with its quality policy and one TTHC procedure in force and an internal audit reported."""
    policy = document_create(actor=None, agency=agency_a, code="CSCL", title="Chính sách chất lượng", kind="policy")
    in_force(policy)
    procedure, _definition = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    in_force(procedure.process_document)
    auditor = make_user(agency_a, [Role.AUDITOR], unit=one_stop_a, username="a_auditor_r")
    programme = audit_services.programme_create(actor=a_secretary, agency=agency_a, year=2026, title="Chương trình")
    today = timezone.localdate()
    audit = audit_services.audit_create(
        actor=a_secretary, programme=programme, title="Đánh giá", start_date=today - datetime.timedelta(days=30),
        end_date=today - datetime.timedelta(days=29), lead_auditor=auditor, units=[unit_a],
        clauses=[Clause.objects.get(edition__code="2015", code="7.5")])
    audit_services.audit_transition(actor=auditor, audit=audit, action="start")
    audit_services.audit_transition(actor=auditor, audit=audit, action="report", conclusion="Phù hợp")
    return agency_a
