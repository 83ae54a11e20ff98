"""Services of the catalogue and processes: create/update with validation and permissions,
versioned processes, the allowance gap, coverage."""

import datetime
from decimal import Decimal

import pytest

from eiso.core.errors import Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.documents.services.external import external_document_create
from eiso.documents.services.revisions import document_create, revision_issue_imported
from eiso.procedures import selectors
from eiso.procedures.imports import IMPORTED_SUMMARY
from eiso.procedures.services import (
    admin_procedure_create,
    admin_procedure_update,
    allowance_gap,
    process_definition_set,
)
from eiso.procedures.tests.factories import procedure_with_process

pytestmark = pytest.mark.django_db


def test_create_by_the_secretary_is_audited(a_secretary, agency_a):
    procedure = admin_procedure_create(actor=a_secretary, agency=agency_a, code=" 1.001193 ", name="Kết hôn",
                                       time_limit_days=Decimal(5))
    assert procedure.code == "1.001193"
    assert AuditEvent.objects.filter(action="create", object_id=str(procedure.pk)).exists()


def test_create_is_refused_to_staff_and_other_agencies(a_staff, b_head, agency_a):
    for actor in (a_staff, b_head):
        with pytest.raises(Forbidden):
            admin_procedure_create(actor=actor, agency=agency_a, code="1.1", name="X", time_limit_days=1)


def test_create_validates(a_secretary, agency_a, agency_b):
    with pytest.raises(ValidationFailed):
        admin_procedure_create(actor=a_secretary, agency=agency_a, code="1.1", name="X", time_limit_days=0)
    form = document_create(actor=None, agency=agency_a, code="BM-01", title="Biểu mẫu", kind="form")
    with pytest.raises(ValidationFailed) as caught:
        admin_procedure_create(actor=a_secretary, agency=agency_a, code="1.1", name="X", time_limit_days=1,
                               process_document=form)
    assert "process_document" in caught.value.errors
    foreign = external_document_create(actor=None, agency=agency_b, number="1/2026/QĐ", doc_type="decision",
                                       title="Quyết định B", issuer="UBND")
    with pytest.raises(ValidationFailed):
        admin_procedure_create(actor=a_secretary, agency=agency_a, code="1.1", name="X", time_limit_days=1,
                               legal_basis=[foreign])


def test_update_records_legal_basis_changes(a_head, agency_a):
    procedure = admin_procedure_create(actor=None, agency=agency_a, code="1.1", name="X", time_limit_days=1)
    law = external_document_create(actor=None, agency=agency_a, number="87/2015/NĐ-CP", doc_type="decree",
                                   title="Nghị định", issuer="Chính phủ")
    admin_procedure_update(actor=a_head, procedure=procedure, legal_basis=[law], time_limit_days=Decimal(2))
    events = AuditEvent.objects.filter(object_id=str(procedure.pk), action="update")
    assert any("legal_basis" in e.changes for e in events) and any("time_limit_days" in e.changes for e in events)


def test_process_versions_and_gap(agency_a, unit_a, one_stop_a, a_unit_head, a_staff):
    procedure, definition = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a, days=3)
    assert allowance_gap(definition, procedure) == 0
    document = procedure.process_document
    with pytest.raises(Forbidden):
        process_definition_set(actor=a_staff, document=document, steps=[{"name": "X", "hours": 8}])
    document.owner_unit = unit_a
    document.save()
    new, created = process_definition_set(actor=a_unit_head, document=document,
                                          steps=[{"name": "Tất cả", "hours": 30}])
    assert created and new.version == 2 and allowance_gap(new, procedure) == 6
    definition.refresh_from_db()
    assert not definition.is_current
    assert allowance_gap(None, procedure) is None
    with pytest.raises(ValidationFailed):
        process_definition_set(actor=None, document=document, steps=[{"name": "X", "hours": "0"}])


def test_coverage_summary(agency_a, unit_a, one_stop_a, a_secretary):
    procedure, _definition = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    admin_procedure_create(actor=None, agency=agency_a, code="2.1", name="Trống", time_limit_days=1)
    abolished = admin_procedure_create(actor=None, agency=agency_a, code="2.2", name="Bãi bỏ", time_limit_days=1)
    admin_procedure_update(actor=None, procedure=abolished, is_active=False)

    summary = selectors.coverage_summary(a_secretary, agency=str(agency_a.pk))
    assert (summary["total"], summary["not_effective"], summary["no_procedure"], summary["covered"]) == (2, 1, 1, 0)
    revision_issue_imported(actor=None, document=procedure.process_document, summary=IMPORTED_SUMMARY,
                            on=datetime.date(2026, 1, 5))
    summary = selectors.coverage_summary(a_secretary, agency=str(agency_a.pk))
    assert (summary["covered"], summary["percent"]) == (1, 50)
    # a second call puts nothing more in force
    assert revision_issue_imported(summary=IMPORTED_SUMMARY, actor=None, document=procedure.process_document,
                                             on=datetime.date(2026, 1, 6)) is None

