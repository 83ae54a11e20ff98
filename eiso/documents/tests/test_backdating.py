"""A revision approved with an effective date in the past needs the reason (issue 10)."""

# ruff: noqa: F811  (the fixtures imported from the factories are used as parameters)

import datetime

import pytest

from eiso.core.errors import ValidationFailed
from eiso.documents.choices import RevisionStatus
from eiso.documents.services import revisions as svc
from eiso.documents.tests.factories.revisions import procedure  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 20)


def _reviewed(procedure, a_secretary, a_head, effective_date):
    revision = svc.revision_create(actor=a_secretary, document=procedure, change_summary="Ban hành lần đầu",
                                   content="Nội dung", effective_date=effective_date)
    svc.revision_submit(actor=a_secretary, revision=revision)
    svc.revision_approve(actor=a_head, revision=revision, today=TODAY)  # the review
    return revision


def test_backdating_without_a_reason_is_refused_naming_the_comment(procedure, a_secretary, a_head):
    revision = _reviewed(procedure, a_secretary, a_head, datetime.date(2026, 5, 1))
    with pytest.raises(ValidationFailed) as refused:
        svc.revision_approve(actor=a_head, revision=revision, today=TODAY)
    assert list(refused.value.errors) == ["comment"] and "01/05/2026" in refused.value.errors["comment"][0]
    revision.refresh_from_db()
    assert revision.status != RevisionStatus.EFFECTIVE
    svc.revision_approve(actor=a_head, revision=revision, today=TODAY,
                         comment="Áp dụng từ ngày Quyết định 12/QĐ-UBND có hiệu lực")
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.EFFECTIVE and revision.effective_date == datetime.date(2026, 5, 1)


def test_today_or_a_future_date_needs_no_reason(procedure, a_secretary, a_head):
    revision = _reviewed(procedure, a_secretary, a_head, TODAY)
    svc.revision_approve(actor=a_head, revision=revision, today=TODAY)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.EFFECTIVE
