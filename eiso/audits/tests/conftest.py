"""Audit fixtures: an internal auditor of the one-stop desk (independent of unit_a), a programme
of agency A for 2026 and an audit of unit_a led by that auditor."""

import datetime

import pytest

from eiso.audits import services
from eiso.audits.models import Clause
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user

START = datetime.date(2026, 5, 11)
END = datetime.date(2026, 5, 12)


@pytest.fixture
def auditor(agency_a, one_stop_a):
    return make_user(agency_a, [Role.AUDITOR, Role.STAFF], unit=one_stop_a, username="a_auditor",
                     full_name="Lý Thị Đánh Giá")


@pytest.fixture
def clause(db):
    return Clause.objects.get(edition__code="2015", code="8.5")


@pytest.fixture
def programme(a_secretary, agency_a):
    return services.programme_create(actor=a_secretary, agency=agency_a, year=2026,
                                     title="Chương trình đánh giá nội bộ", objectives="Đánh giá HTQLCL")


@pytest.fixture
def audit(programme, a_secretary, auditor, unit_a):
    return services.audit_create(
        actor=a_secretary, programme=programme, title="Đánh giá Phòng Hành chính", start_date=START,
        end_date=END, lead_auditor=auditor, units=[unit_a],
        clauses=list(Clause.objects.filter(edition__code="2015", code__in=["7.5", "8.5"])))


@pytest.fixture
def started(audit, auditor):
    return services.audit_transition(actor=auditor, audit=audit, action="start")


@pytest.fixture
def finding(started, auditor, unit_a, clause):
    return services.finding_create(actor=auditor, audit=started, kind="minor_nc", clause=clause, unit=unit_a,
                                   description="Hồ sơ trễ hạn không có văn bản xin lỗi", evidence="Hồ sơ 000.01")


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English (the UI default is Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
