"""Planning and running audits through the services: clause library, clauses not applicable,
programme frequency, one lead auditor, end ≥ start (service and database), independence of
auditors, the status workflow, checklist answers and evidence files, findings."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from eiso.audits import selectors, services
from eiso.audits.models import Audit, ChecklistItem, Clause, Finding
from eiso.audits.planning import finding_statistics, independence_conflicts, suggested_frequency
from eiso.audits.tests.conftest import END, START
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_clause_library_is_shipped_in_order_with_questions():
    codes = list(Clause.objects.filter(edition__code="2015").order_by("sort_key").values_list("code", flat=True))
    assert codes[0] == "4.1" and codes[-1] == "10.3" and len(codes) == 28
    assert codes.index("9.3") < codes.index("10.1")
    design = Clause.objects.get(edition__code="2015", code="8.3")
    assert design.title == "Thiết kế và phát triển sản phẩm và dịch vụ"
    assert all(1 <= len(c.questions) <= 3 for c in Clause.objects.all())  # every edition


def test_clause_declared_not_applicable_needs_a_reason_and_a_planner(a_secretary, a_staff, agency_a):
    design = Clause.objects.get(edition__code="2015", code="8.3")
    with pytest.raises(ValidationFailed, match="why"):
        services.clause_exclusion_create(actor=a_secretary, agency=agency_a, clause=design, justification=" ")
    with pytest.raises(Forbidden):
        services.clause_exclusion_create(actor=a_staff, agency=agency_a, clause=design, justification="x")
    with pytest.raises(ValidationFailed, match="always applies"):
        services.clause_exclusion_create(actor=a_secretary, agency=agency_a,
                                         clause=Clause.objects.get(edition__code="2015", code="9.2"),
                                         justification="x")
    services.clause_exclusion_create(actor=a_secretary, agency=agency_a, clause=design,
                                     justification="Cơ quan không thiết kế dịch vụ mới")
    assert "8.3" not in set(selectors.applicable_clauses(agency_a).values_list("code", flat=True))
    with pytest.raises(ValidationFailed, match="already"):
        services.clause_exclusion_create(actor=a_secretary, agency=agency_a, clause=design, justification="again")


def test_excluded_clause_cannot_be_audited(a_secretary, agency_a, programme, auditor, unit_a):
    design = Clause.objects.get(edition__code="2015", code="8.3")
    services.clause_exclusion_create(actor=a_secretary, agency=agency_a, clause=design, justification="Không áp dụng")
    with pytest.raises(ValidationFailed, match="8.3"):
        services.audit_create(actor=a_secretary, programme=programme, title="x", start_date=START, end_date=END,
                              lead_auditor=auditor, units=[unit_a], clauses=[design])


def test_frequency_follows_importance_and_past_results(programme, a_secretary, unit_a):
    assert suggested_frequency("high", "major") == 4
    assert suggested_frequency("low", "good") == 1
    entry = services.programme_entry_add(actor=a_secretary, programme=programme, unit=unit_a, planned_month=5,
                                         importance="high", past_result="minor")
    assert entry.times_per_year == 2
    with pytest.raises(ValidationFailed, match="month"):
        services.programme_entry_add(actor=a_secretary, programme=programme, unit=unit_a, planned_month=13)
    with pytest.raises(ValidationFailed, match="Name the unit"):
        services.programme_entry_add(actor=a_secretary, programme=programme, planned_month=3)


def test_one_programme_per_year(programme, a_secretary, agency_a, b_head, agency_b):
    with pytest.raises(ValidationFailed, match="already has"):
        services.programme_create(actor=a_secretary, agency=agency_a, year=2026, title="Lần hai")
    with pytest.raises(Forbidden):
        services.programme_create(actor=b_head, agency=agency_a, year=2027, title="Không phải của tôi")
    assert services.programme_create(actor=b_head, agency=agency_b, year=2026, title="SXD").year == 2026


def test_audit_is_planned_with_one_lead_and_a_team(audit, auditor, unit_a):
    assert audit.lead_auditor == auditor and audit.status == "planned" and audit.number == 1
    assert list(audit.units.all()) == [unit_a]
    assert AuditEvent.objects.filter(object_id=str(audit.pk), action="create").exists()


def test_end_before_start_is_refused_by_the_service_and_the_database(programme, a_secretary, auditor, unit_a,
                                                                     audit):
    with pytest.raises(ValidationFailed, match="end date") as caught:
        services.audit_create(actor=a_secretary, programme=programme, title="x", start_date=END, end_date=START,
                              lead_auditor=auditor, units=[unit_a])
    assert "end_date" in caught.value.errors
    with pytest.raises(IntegrityError), transaction.atomic():
        Audit.objects.filter(pk=audit.pk).update(end_date=datetime.date(2026, 1, 1))


def test_lead_auditor_cannot_also_be_a_member(programme, a_secretary, auditor, unit_a):
    with pytest.raises(ValidationFailed, match="exactly one lead"):
        services.audit_create(actor=a_secretary, programme=programme, title="x", start_date=START, end_date=END,
                              lead_auditor=auditor, members=[auditor], units=[unit_a])


def test_team_members_must_be_auditors_of_the_agency(programme, a_secretary, auditor, a_staff, b_staff, unit_a):
    for person in (a_staff, b_staff):
        with pytest.raises(ValidationFailed, match="not an internal auditor"):
            services.audit_create(actor=a_secretary, programme=programme, title="x", start_date=START, end_date=END,
                                  lead_auditor=auditor, members=[person], units=[unit_a])


def test_auditor_never_audits_their_own_unit(programme, a_secretary, auditor, unit_a, one_stop_a):
    # a_secretary is an auditor of unit_a
    with pytest.raises(ValidationFailed) as caught:
        services.audit_create(actor=a_secretary, programme=programme, title="x", start_date=START, end_date=END,
                              lead_auditor=auditor, members=[a_secretary], units=[unit_a])
    assert caught.value.code == "not_independent"
    assert "Trần" in str(caught.value.message) or a_secretary.get_full_name() in str(caught.value.message)
    assert unit_a.name in str(caught.value.message)
    assert caught.value.errors == {"members": [caught.value.message]}
    with pytest.raises(ValidationFailed, match=one_stop_a.name):
        services.audit_create(actor=a_secretary, programme=programme, title="x", start_date=START, end_date=END,
                              lead_auditor=auditor, units=[one_stop_a])
    assert not Audit.objects.exists()


def test_adding_a_member_checks_independence_too(audit, a_secretary):
    with pytest.raises(ValidationFailed, match="cannot audit their own unit"):
        services.team_member_add(actor=a_secretary, audit=audit, user=a_secretary)
    assert not audit.members.exists()


def test_changing_the_units_checks_independence(audit, a_secretary, auditor, one_stop_a):
    with pytest.raises(ValidationFailed, match="cannot audit their own unit"):
        services.audit_update(actor=a_secretary, audit=audit, title=audit.title, start_date=START, end_date=END,
                              lead_auditor=auditor, units=[one_stop_a])
    assert list(audit.units.values_list("name", flat=True)) != [one_stop_a.name]


def test_independence_rule_is_pure():
    conflicts = independence_conflicts([(1, "An"), (2, "Bình")], {1: 10, 2: None}, {10: "Phòng A"})
    assert [(c.person, c.unit) for c in conflicts] == [("An", "Phòng A")]


def test_workflow_allows_only_its_transitions(audit, auditor, a_secretary, a_staff):
    with pytest.raises(Conflict):
        services.audit_transition(actor=a_secretary, audit=audit, action="close")
    with pytest.raises(Forbidden):
        services.audit_transition(actor=a_staff, audit=audit, action="start")
    with pytest.raises(ValidationFailed):
        services.audit_transition(actor=auditor, audit=audit, action="fly")
    audit = services.audit_transition(actor=auditor, audit=audit, action="start")
    assert audit.status == "in_progress"
    assert audit.checklist.count() == 6  # 7.5 and 8.5 have three questions each
    with pytest.raises(ValidationFailed, match="conclusion"):
        services.audit_transition(actor=auditor, audit=audit, action="report")
    audit = services.audit_transition(actor=auditor, audit=audit, action="report", conclusion="Phù hợp")
    assert audit.status == "reported" and audit.reported_at
    with pytest.raises(Forbidden):
        services.audit_transition(actor=auditor, audit=audit, action="close")
    audit = services.audit_transition(actor=a_secretary, audit=audit, action="close")
    assert audit.status == "closed"
    actions = list(AuditEvent.objects.filter(object_id=str(audit.pk)).values_list("action", flat=True))
    assert {"start", "report", "close"} <= set(actions)


def test_plan_cannot_change_once_started(started, a_secretary, auditor, unit_a):
    with pytest.raises(Conflict):
        services.audit_update(actor=a_secretary, audit=started, title="x", start_date=START, end_date=END,
                              lead_auditor=auditor, units=[unit_a])


def test_checklist_comes_from_clauses_and_procedures(programme, a_secretary, auditor, unit_a, agency_a):
    from eiso.procedures.models import AdminProcedure

    procedure = AdminProcedure.objects.create(agency=agency_a, code="1.000001", name="Cấp phép thử",
                                              field="Thử", time_limit_days=5)
    audit = services.audit_create(actor=a_secretary, programme=programme, title="x", start_date=START,
                                  end_date=END, lead_auditor=auditor, units=[unit_a], admin_procedures=[procedure],
                                  clauses=[Clause.objects.get(edition__code="2015", code="9.2")])
    count = services.checklist_generate(actor=a_secretary, audit=audit)
    items = list(audit.checklist.order_by("position"))
    assert count == len(items) == 3
    assert items[0].clause.code == "9.2" and items[-1].admin_procedure == procedure
    assert "1.000001" in items[-1].question


def test_only_the_team_fills_the_checklist_while_in_progress(audit, started, auditor, a_secretary, a_head):
    item = started.checklist.first()
    with pytest.raises(Forbidden):
        services.checklist_answer(actor=a_head, item=item, answer="conform")
    services.checklist_answer(actor=auditor, item=item, answer="nonconform", evidence="Thiếu chữ ký")
    item.refresh_from_db()
    assert item.answer == "nonconform" and item.answered_by == auditor
    assert selectors.checklist_progress(started)["answered"] == 1
    with pytest.raises(ValidationFailed):
        services.checklist_answer(actor=auditor, item=item, answer="maybe")
    services.audit_transition(actor=auditor, audit=started, action="report", conclusion="Xong")
    with pytest.raises(Conflict):
        services.checklist_answer(actor=auditor, item=item, answer="conform")


def test_evidence_files_are_checked_by_content(started, auditor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = started.checklist.first()
    photo = services.checklist_attach(actor=auditor, item=item, uploaded=SimpleUploadedFile("anh.png", PNG))
    assert photo.file_type == "png" and photo.size == len(PNG)
    with pytest.raises(ValidationFailed, match="not a valid"):
        services.checklist_attach(actor=auditor, item=item, uploaded=SimpleUploadedFile("anh.jpg", PNG))
    with pytest.raises(ValidationFailed, match="not a valid"):
        services.checklist_attach(actor=auditor, item=item, uploaded=SimpleUploadedFile("virus.exe", b"MZ" * 40))
    settings.EISO_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationFailed, match="limit"):
        services.checklist_attach(actor=auditor, item=item, uploaded=SimpleUploadedFile("anh.png", PNG))
    assert item.files.count() == 1


def test_finding_is_tied_to_a_clause_and_an_audited_unit(finding, started, auditor, one_stop_a, clause, agency_b,
                                                          b_staff):
    assert finding.number == 1 and finding.kind == "minor_nc" and finding.code.endswith("/01")
    with pytest.raises(ValidationFailed, match="not in the scope"):
        services.finding_create(actor=auditor, audit=started, kind="observation", clause=clause, unit=one_stop_a,
                                description="x")
    with pytest.raises(ValidationFailed, match="kind"):
        services.finding_create(actor=auditor, audit=started, kind="bad", clause=clause, unit=finding.unit,
                                description="x")
    with pytest.raises(Forbidden):
        services.finding_create(actor=b_staff, audit=started, kind="observation", clause=clause, unit=finding.unit,
                                description="x")
    second = services.finding_create(actor=auditor, audit=started, kind="opportunity", clause=clause,
                                     unit=finding.unit, description="Có thể số hóa sổ theo dõi")
    assert second.number == 2 and Finding.objects.count() == 2


def test_findings_cannot_be_raised_before_the_audit_starts(audit, auditor, unit_a, clause):
    with pytest.raises(Conflict):
        services.finding_create(actor=auditor, audit=audit, kind="observation", clause=clause, unit=unit_a,
                                description="x")


def test_who_reads_findings(finding, a_unit_head, a_staff, overseer, q_overseer, b_head, a_head, auditor,
                            agency_a, one_stop_a):
    def visible(user):
        return list(selectors.findings_for_user(user))

    assert visible(a_unit_head) == [finding]  # about their unit
    assert visible(a_head) == [finding] and visible(auditor) == [finding] and visible(overseer) == [finding]
    assert visible(a_staff) == [] and visible(b_head) == [] and visible(q_overseer) == []
    other_head = make_user(agency_a, [Role.UNIT_HEAD], unit=one_stop_a)
    assert visible(other_head) == []
    assert a_unit_head.has_perm("audits.view_finding", finding)
    assert not other_head.has_perm("audits.view_finding", finding)
    assert not b_head.has_perm("audits.view_finding", finding)


def test_statistics_per_kind_clause_and_unit():
    stats = finding_statistics([("minor_nc", "8.5", "A"), ("minor_nc", "10.2", "B"), ("observation", "8.5", "A")])
    assert stats["total"] == 3
    assert dict(stats["by_kind"]) == {"major_nc": 0, "minor_nc": 2, "observation": 1, "opportunity": 0}
    assert stats["by_clause"] == [("8.5", 2), ("10.2", 1)]
    assert stats["by_unit"] == [("A", 2), ("B", 1)]


def test_checklist_items_belong_to_their_audit(started):
    assert ChecklistItem.objects.filter(audit=started).count() > 0
