"""The demo TTHC catalogue: 20+ real TTHC per department with processes, a coverage gap in two
agencies (every TTHC covered in the others), one process whose allowances miss the limit, and nothing created twice."""

import re
from collections import Counter
from decimal import Decimal

import pytest

from eiso.core.models import AuditEvent
from eiso.demo.loaders import documents as documents_demo
from eiso.demo.loaders import organizations as organizations_demo
from eiso.demo.loaders import procedures as demo
from eiso.documents.choices import RevisionStatus
from eiso.procedures.models import AdminProcedure, ProcessDefinition, ProcessStep
from eiso.procedures.selectors import current_definition
from eiso.procedures.services import allowance_gap


@pytest.fixture
def isolated_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def test_the_catalogue_is_consistent():
    for agency, groups in demo.CATALOGUES.items():
        codes = [t.code for g in groups for t in g.tthc]
        assert len(codes) == len(set(codes)) >= 20, agency
        assert all(re.fullmatch(r"[12]\.\d{6}", code) for code in codes), agency
        for group in groups:
            assert group.days >= Decimal("0.5") and group.tthc, (agency, group.field)
            steps = group.steps or demo.standard_steps(group.days)
            assert all(days * 8 >= Decimal("0.25") for _name, _unit, days in steps), (agency, group.document)
            assert 1 <= group.bottleneck <= len(steps), (agency, group.document)
            if group.title:  # a procedure this loader adds must not clash with the documents demo's
                plan = documents_demo.PLANS[agency]
                assert group.document not in {p.code for p in plan.procedures}, (agency, group.document)
    # exactly one process deliberately misses its statutory limit
    assert demo.mismatched() == [("STP", "QT-07")]
    for days in (Decimal("0.5"), Decimal(2), Decimal(5), Decimal(15), Decimal(30)):
        assert sum(s[2] for s in demo.standard_steps(days)) == days


@pytest.mark.django_db
def test_every_department_gets_its_catalogue_with_processes_once(isolated_storage):
    organizations_demo.load()
    documents_demo.load()
    messages = []
    demo.load(messages.append)

    total = sum(len(g.tthc) for groups in demo.CATALOGUES.values() for g in groups)
    assert messages == [f"Administrative procedures: {total} TTHC, 51 processes, 25 operational procedures."]
    for code, groups in demo.CATALOGUES.items():
        catalogue = AdminProcedure.objects.filter(agency__code=code).select_related("process_document")
        assert catalogue.count() == sum(len(g.tthc) for g in groups) >= 20
        covered = Counter()
        for procedure in catalogue:
            document = procedure.process_document
            effective = document is not None and document.revisions.filter(
                status=RevisionStatus.EFFECTIVE).exists()
            covered[effective] += 1
            if effective:  # an effective procedure has a current process with units and allowances
                definition = current_definition(document)
                assert definition is not None and definition.steps.count() >= 3, (code, procedure.code)
                assert all(s.unit is not None and s.unit.agency_id == procedure.agency_id
                           for s in definition.steps.all()), (code, procedure.code)
                assert definition.steps.get(number=1).form_code.startswith("BM-01-")
        if code in demo.GAPS:  # most TTHC are covered, deliberately not all: the coverage page shows a gap
            assert covered[True] >= 1.5 * covered[False] > 0, code
        else:  # the others cover every TTHC they handle (QĐ 19/2014)
            assert covered[False] == 0 and covered[True] > 0, code
    assert sorted(demo.GAPS) == ["P-TRUONGVINH", "STP"]
    # a draft procedure covers TTHC without being effective (a gap too)
    draft = AdminProcedure.objects.get(agency__code="STP", code="2.000894").process_document
    assert draft.code == "QT-10" and not draft.revisions.filter(status=RevisionStatus.EFFECTIVE).exists()
    assert not ProcessDefinition.objects.filter(document=draft).exists()

    # the flagship: QT-07 of STP keeps its text's 9 days against a 10-day limit (the warning)
    lltp = AdminProcedure.objects.get(agency__code="STP", code="2.000488")
    definition = current_definition(lltp.process_document)
    assert [s.allowance_hours for s in definition.steps.all()] == [4, 56, 8, 4]
    assert allowance_gap(definition, lltp) == Decimal(-8)
    assert lltp.time_limit_days == 10 and lltp.field == "Lý lịch tư pháp" and lltp.online_level == "full"
    assert set(lltp.legal_basis.values_list("number", flat=True)) == {"28/2009/QH12"}
    gaps = {(p.agency.code, p.process_document.code) for p in AdminProcedure.objects.exclude(
        process_document=None).select_related("agency", "process_document")
        if allowance_gap(current_definition(p.process_document), p) not in (None, 0)}
    assert gaps == {("STP", "QT-07")}

    # a procedure added here reads like the documents demo's and is effective
    transport = AdminProcedure.objects.get(agency__code="SXD", code="1.002856").process_document
    revision = transport.revisions.get(status=RevisionStatus.EFFECTIVE)
    assert transport.code == "QT-11" and "5.7 Trình tự xử lý công việc" in revision.sections["content"]
    assert "Phòng Quản lý vận tải, phương tiện và người lái" in revision.sections["content"]
    # communes: the economic office of a ward and of a commune, both found
    for code, unit in (("P-TRUONGVINH", "KTHTDT"), ("X-KIMLIEN", "KT")):
        permit = AdminProcedure.objects.get(agency__code=code, code="1.009991")
        assert permit.level == "commune"
        assert current_definition(permit.process_document).steps.get(number=2).unit.code == unit

    # idempotent: nothing created, nothing audited
    before = (AdminProcedure.objects.count(), ProcessDefinition.objects.count(), ProcessStep.objects.count(),
              AuditEvent.objects.count())
    messages.clear()
    demo.load(messages.append)
    assert messages == ["Administrative procedures already loaded: nothing to create."]
    assert (AdminProcedure.objects.count(), ProcessDefinition.objects.count(), ProcessStep.objects.count(),
            AuditEvent.objects.count()) == before
