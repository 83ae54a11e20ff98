"""Test data builders of the people app: kinds of course, a course with a session, a result."""

import datetime

from eiso.people import services
from eiso.people.models import CourseKind


def kind(code: str) -> CourseKind:
    return CourseKind.objects.get(code=code)


def course(agency, *, code="internal_auditor", title="Chuyên gia đánh giá nội bộ TCVN ISO 9001:2015",
           start=datetime.date(2026, 3, 2), end=None, hours=16, validity_months=None, actor=None):
    return services.course_create(actor=actor, agency=agency, kind=kind(code), title=title,
                                  provider="Trung tâm QUACERT", start_date=start, end_date=end or start, hours=hours,
                                  validity_months=validity_months)


def trained(person, agency, *, code="internal_auditor", issued_on=datetime.date(2026, 3, 2), valid_until=None,
            passed=True, title=None):
    """A passed (or failed) result of a course of ``code`` for ``person``."""
    c = course(agency, code=code, start=issued_on, title=title or f"Khóa {code} {issued_on:%Y}")
    return services.result_record(actor=None, course=c, person=person, issued_on=issued_on, valid_until=valid_until,
                                  passed=passed)
