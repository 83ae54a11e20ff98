"""The monthly progress report of a rollout to the steering committee (Word), compiled from the
plan and the registry: the overdue procedures with their delay, those issued in the month."""

import datetime

import pytest
import time_machine
from docx.shared import Mm

from eiso.documents.choices import DocumentKind
from eiso.reports.tests.reading import assert_a4_and_margins, body_text, open_docx
from eiso.rollout import services
from eiso.rollout.choices import ItemStatus
from eiso.rollout.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_monthly_report_is_compiled_from_the_data(agency_a, unit_a, a_secretary, a_head, client_for):
    rollout = f.rollout(agency_a, a_secretary)
    services.registry_adopt(actor=a_secretary, rollout=rollout, decision_number="12/QĐ-UBND",
                            decision_date=datetime.date(2026, 2, 1), signer="Nguyễn Văn Chủ Tịch")
    late = services.registry_item_add(actor=a_secretary, rollout=rollout, title="Quy trình kiểm soát hồ sơ",
                                      drafting_unit=unit_a, deadline=datetime.date(2026, 6, 5))
    issued = services.registry_item_add(actor=a_secretary, rollout=rollout, title="Quy trình đánh giá nội bộ",
                                        drafting_unit=unit_a, deadline=datetime.date(2026, 6, 30))
    for status in (ItemStatus.DRAFTING, ItemStatus.IN_REVIEW):
        services.registry_item_transition(actor=a_secretary, item=issued, status=status)
    services.registry_item_transition(actor=a_secretary, item=issued, status=ItemStatus.ISSUED,
                                      document=f.document_in_force(agency_a, unit_a, a_head, code="QT-ĐGNB",
                                                                   kind=DocumentKind.SYSTEM_PROCEDURE))
    response = client_for(a_head).get(f"/reports/rollouts/{rollout.pk}/monthly-report.docx?month=2026-06")
    assert response.status_code == 200
    text = body_text(open_docx(response.content))
    assert "tháng 06/2026" in text and "12/QĐ-UBND" in text and f"Số: …/BC-{agency_a.code}" in text
    assert late.title in text and "Quá hạn 10 ngày" in text
    assert "QT-ĐGNB ban hành 15/06/2026" in text
    may = body_text(open_docx(client_for(a_head).get(
        f"/reports/rollouts/{rollout.pk}/monthly-report.docx?month=05/2026").content))
    assert "Không có quy trình quá hạn." in may and "Không có quy trình được ban hành trong tháng." in may
    assert_a4_and_margins(open_docx(response.content))
    # A deadline fits its column on one line: "29/12/2026" broke as "29/12/202" + "6" at 22 mm.
    items = [t for t in open_docx(response.content).tables if [c.text for c in t.rows[0].cells][3:4] == ["Thời hạn"]]
    assert items and all(round(t.columns[3].width / Mm(1)) >= 25 for t in items)


def test_another_agencys_rollout_report_is_not_found(agency_a, a_secretary, b_head, client_for):
    rollout = f.rollout(agency_a, a_secretary)
    assert client_for(b_head).get(f"/reports/rollouts/{rollout.pk}/monthly-report.docx").status_code == 404
