"""The audit plan and report in Word, downloaded and read back."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document as Docx

from eiso.audits import services
from eiso.audits.models import Clause
from eiso.audits.tests.conftest import END, START
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(agency_a, one_stop_a):
    """An internal auditor of the one-stop desk (independent of unit_a), as in the audits' tests."""
    return make_user(agency_a, [Role.AUDITOR, Role.STAFF], unit=one_stop_a, username="a_auditor",
                     full_name="Lý Thị Đánh Giá")


@pytest.fixture
def audit(a_secretary, agency_a, auditor, unit_a):
    programme = services.programme_create(actor=a_secretary, agency=agency_a, year=2026,
                                          title="Chương trình đánh giá nội bộ", objectives="Đánh giá HTQLCL")
    return services.audit_create(
        actor=a_secretary, programme=programme, title="Đánh giá Phòng Hành chính", start_date=START,
        end_date=END, lead_auditor=auditor, units=[unit_a],
        clauses=list(Clause.objects.filter(edition__code="2015", code__in=["7.5", "8.5"])))


@pytest.fixture
def finding(audit, auditor, unit_a):
    started = services.audit_transition(actor=auditor, audit=audit, action="start")
    return services.finding_create(actor=auditor, audit=started, kind="minor_nc",
                                   clause=Clause.objects.get(edition__code="2015", code="8.5"),
                                   unit=unit_a, description="Hồ sơ trễ hạn không có văn bản xin lỗi",
                                   evidence="Hồ sơ 000.01")


def _docx_text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts).replace("\u00a0", " ")  # a non-breaking space reads as a space


def test_audit_plan_and_report_docx_read_back(client_for, finding, auditor, a_head, unit_a):
    audit = services.audit_transition(actor=auditor, audit=finding.audit, action="report",
                                      conclusion="HTQLCL được duy trì, còn 01 điểm không phù hợp nhẹ.")
    plan = client_for(a_head).get(reverse("reports:audit-plan", args=[audit.pk]))
    assert plan.status_code == 200 and plan["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(plan.content)
    assert "KẾ HOẠCH ĐÁNH GIÁ NỘI BỘ" in text and auditor.full_name in text and unit_a.name in text
    assert START.strftime("%d/%m/%Y") in text and END.strftime("%d/%m/%Y") in text
    report = _docx_text(client_for(a_head).get(reverse("reports:audit-report", args=[audit.pk])).content)
    assert "BÁO CÁO ĐÁNH GIÁ NỘI BỘ" in report and finding.description in report
    assert "Điểm không phù hợp nhẹ\n8.5" in report  # the finding's row: kind, then clause
    assert "Điểm không phù hợp nặng\n0" in report and "Điểm không phù hợp nhẹ\n1" in report  # statistics per kind
    assert "còn 01 điểm" in report


def test_audit_forms_of_another_agency_are_404(client_for, audit, b_head, q_overseer):
    for name in ("reports:audit-plan", "reports:audit-report"):
        url = reverse(name, args=[audit.pk])
        assert client_for(b_head).get(url).status_code == 404
        assert client_for(q_overseer).get(url).status_code == 404


def test_each_audit_form_carries_its_own_date_not_the_print_date(client_for, finding, auditor, a_head):
    """The plan is dated when it was drawn up (at the latest the first audit day), the report when
    it was made; printing them later changes neither."""
    from django.utils import timezone

    from eiso.reports.tests.reading import justified_cells, open_docx, signature_kept_together
    from eiso.reports.vocabulary import dated_line

    audit = services.audit_transition(actor=auditor, audit=finding.audit, action="report",
                                      conclusion="HTQLCL được duy trì.")
    with time_machine.travel(dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        plan = client_for(a_head).get(reverse("reports:audit-plan", args=[audit.pk])).content
        report = client_for(a_head).get(reverse("reports:audit-report", args=[audit.pk])).content
    place = audit.agency.province.name.removeprefix("Tỉnh ").strip()
    assert dated_line(place, START) in _docx_text(plan)  # created after START: dated the first day
    assert dated_line(place, timezone.localdate(audit.reported_at)) in _docx_text(report)
    for content in (plan, report):
        assert "năm 2027" not in _docx_text(content)
        assert justified_cells(open_docx(content)) == []
        assert signature_kept_together(open_docx(content))
