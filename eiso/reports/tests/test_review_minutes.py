"""Biên bản họp xem xét của lãnh đạo: the official layout, the meeting, the frozen inputs a–f, the
outputs and the conclusions, in Vietnamese."""

import datetime

import pytest
import time_machine

from eiso.feedback.tests.factories import make_dossiers
from eiso.reports.collectors.reviews import collect_minutes
from eiso.reports.layouts.review_minutes import minutes_docx
from eiso.reports.tests.reading import assert_a4_and_margins, assert_times_new_roman, body_text, open_docx
from eiso.reviews import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_minutes_print_the_meeting_inputs_and_outputs(agency_a, unit_a, a_secretary, a_head, a_staff):
    make_dossiers(agency_a, unit=unit_a, count=3)
    review = services.review_create(actor=a_secretary, agency=agency_a, meeting_on=datetime.date(2026, 4, 28),
                                    period_start=datetime.date(2026, 1, 1), location="Phòng họp tầng 2",
                                    chair=a_head, participants="Ông Nguyễn Văn A\nBà Trần Thị B",
                                    resources_note="Thiếu một máy scan")
    services.review_start(actor=a_secretary, review=review)
    services.output_create(actor=a_secretary, review=review, kind="resources", description="Mua máy scan",
                           due_on=datetime.date(2026, 6, 30), owner=a_staff)
    services.review_close(actor=a_secretary, review=review, conclusions="Hệ thống vận hành phù hợp")
    services.review_approve(actor=a_head, review=review)
    review.refresh_from_db()
    document = open_docx(minutes_docx(collect_minutes(a_head, review)))
    assert_a4_and_margins(document)
    assert_times_new_roman(document)
    text = body_text(document)
    for expected in ("BIÊN BẢN HỌP XEM XÉT CỦA LÃNH ĐẠO", "Phòng họp tầng 2", "Bà Trần Thị B",
                     "a) Tình trạng các hành động từ các cuộc xem xét của lãnh đạo trước",
                     "c) 3. Kết quả thực hiện quá trình và sự phù hợp của dịch vụ",
                     "Hồ sơ đã giải quyết (trước hạn / đúng hạn / trễ hạn): 3",
                     "Thiếu một máy scan", "Mua máy scan", "Nhu cầu nguồn lực", "30/06/2026",
                     "Hệ thống vận hành phù hợp", "đã chốt khi bắt đầu cuộc họp", "phê duyệt ngày 04/05/2026"):
        assert expected in text, expected
