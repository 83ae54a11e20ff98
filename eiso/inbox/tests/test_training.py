"""Invitations to training sessions to come are in "Việc của tôi"; once the session is past, or
the attendance recorded, they leave the list."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from eiso.inbox.selectors import inbox_count, inbox_for_user
from eiso.people import services
from eiso.people.models import CourseKind

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-04 09:00 +07:00")
def test_invitation_to_a_session_to_come_is_a_task_of_the_invited(a_secretary, a_staff, a_unit_head, agency_a,
                                                                  b_staff):
    course = services.course_create(actor=a_secretary, agency=agency_a, kind=CourseKind.objects.get(code="awareness"),
                                    title="Nhận thức ISO 9001", start_date=datetime.date(2026, 12, 10),
                                    end_date=datetime.date(2026, 12, 10), hours=4)
    coming = services.session_create(actor=a_secretary, course=course, date=datetime.date(2026, 12, 10),
                                     place="Hội trường")
    past = services.session_create(actor=a_secretary, course=course, date=datetime.date(2026, 12, 1))
    services.attendance_invite(actor=a_secretary, session=coming, people=[a_staff])
    services.attendance_invite(actor=a_secretary, session=past, people=[a_staff, a_unit_head])
    sections = {s.section.kind: s for s in inbox_for_user(a_staff)}
    assert [t.url for t in sections["training"].tasks] == [reverse("people:session-detail", args=[coming.pk])]
    assert sections["training"].tasks[0].detail == "10/12/2026 · Hội trường"
    assert "training" not in {s.section.kind for s in inbox_for_user(a_unit_head)}
    assert inbox_count(a_staff) == sum(s.count for s in inbox_for_user(a_staff))
    assert "training" not in {s.section.kind for s in inbox_for_user(b_staff)}
