"""The conformity announcement: preconditions, head-only signature, the scope frozen at signature,
superseding, and renewal due computed from the frozen scope against the live catalogue."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from eiso.audits.models import ClauseEdition
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.procedures.services import admin_procedure_create, admin_procedure_update
from eiso.rollout import announcements, renewal
from eiso.rollout.models import Announcement
from eiso.rollout.transitions import transition_complete, transition_start, transition_task_done

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)

@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English (the UI default is Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def issued(a_secretary, a_head, agency, *, number="15/QĐ-SA", signed_on=None):
    draft = announcements.announcement_prepare(actor=a_secretary, agency=agency,
                                               processes="Quản lý văn bản đến\nTiếp nhận hồ sơ",
                                               review_held_on=LAST_WEEK)
    announcements.announcement_confirm_effectiveness(actor=a_head, announcement=draft)
    return announcements.announcement_issue(actor=a_head, announcement=draft, number=number,
                                            signed_on=signed_on or LAST_WEEK)


def kinds(agency):
    return {r["kind"]: r["items"] for r in renewal.renewal_status(agency)["reasons"]}


def test_preconditions_are_listed_and_block_the_signature(a_secretary, a_head, agency_a):
    draft = announcements.announcement_prepare(actor=a_secretary, agency=agency_a)
    with pytest.raises(ValidationFailed) as failed:
        announcements.announcement_issue(actor=a_head, announcement=draft, number="1/QĐ", signed_on=TODAY)
    message = str(failed.value)
    for label in ("Documents issued", "Internal audit", "Management review", "confirmed the QMS effective"):
        assert label in message
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.scope_procedures == []


def test_only_the_head_signs(a_secretary, a_head, a_staff, b_head, ready_a):
    draft = announcements.announcement_prepare(actor=a_secretary, agency=ready_a, review_held_on=LAST_WEEK)
    for actor in (a_secretary, a_staff, b_head):
        with pytest.raises(Forbidden):
            announcements.announcement_confirm_effectiveness(actor=actor, announcement=draft)
        with pytest.raises(Forbidden):
            announcements.announcement_issue(actor=actor, announcement=draft, number="1/QĐ", signed_on=TODAY)
    with pytest.raises(Forbidden):
        announcements.announcement_prepare(actor=a_staff, agency=ready_a)
    announcements.announcement_confirm_effectiveness(actor=a_head, announcement=draft)
    done = announcements.announcement_issue(actor=a_head, announcement=draft, number="1/QĐ-SA", signed_on=TODAY)
    assert done.status == "issued" and done.signed_by == a_head and done.signer_name == a_head.get_full_name()
    assert {c["code"] for c in done.preconditions if c["ok"]} == {
        "documents_issued", "internal_audit", "management_review", "effectiveness_confirmed"}


def test_scope_is_frozen_at_signature(a_secretary, a_head, ready_a):
    announcement = issued(a_secretary, a_head, ready_a)
    assert [p["code"] for p in announcement.scope_procedures] == ["1.004227"]
    assert announcement.processes == ["Quản lý văn bản đến", "Tiếp nhận hồ sơ"]
    assert announcement.edition.code == "2015" and announcement.agency_name == ready_a.name
    admin_procedure_create(actor=None, agency=ready_a, code="2.000001", name="Cấp phép mới", time_limit_days=Decimal(5))
    announcement.refresh_from_db()
    assert [p["code"] for p in announcement.scope_procedures] == ["1.004227"]
    with pytest.raises(Conflict, match="never changes"):
        announcements.announcement_update(actor=a_secretary, announcement=announcement, processes=["Khác"])
    with pytest.raises(Conflict):
        announcements.announcement_issue(actor=a_head, announcement=announcement, number="2/QĐ", signed_on=TODAY)
    announcement.refresh_from_db()
    assert announcement.number == "15/QĐ-SA" and announcement.processes == ["Quản lý văn bản đến", "Tiếp nhận hồ sơ"]


def test_a_new_announcement_supersedes_the_previous(a_secretary, a_head, ready_a):
    first = issued(a_secretary, a_head, ready_a, number="1/QĐ-SA", signed_on=LAST_WEEK)
    second = issued(a_secretary, a_head, ready_a, number="2/QĐ-SA", signed_on=TODAY)
    first.refresh_from_db()
    assert first.status == "superseded" and first.superseded_by == second
    assert renewal.announcement_in_force(ready_a) == second
    draft = announcements.announcement_prepare(actor=a_secretary, agency=ready_a, review_held_on=LAST_WEEK)
    announcements.announcement_confirm_effectiveness(actor=a_head, announcement=draft)
    with pytest.raises(ValidationFailed, match="cannot be before"):
        announcements.announcement_issue(actor=a_head, announcement=draft, number="3/QĐ-SA", signed_on=LAST_WEEK)


def test_adding_a_tthc_makes_renewal_due_naming_it_and_removing_it_clears(a_secretary, a_head, ready_a):
    assert kinds(ready_a) == {"not_announced": []}
    issued(a_secretary, a_head, ready_a)
    assert renewal.renewal_status(ready_a)["due"] is False
    added = admin_procedure_create(actor=None, agency=ready_a, code="2.000001", name="Cấp phép mới",
                                   time_limit_days=Decimal(5))
    status = renewal.renewal_status(ready_a)
    assert status["due"] is True and kinds(ready_a) == {"procedure_added": ["2.000001"]}
    admin_procedure_update(actor=None, procedure=added, is_active=False)
    assert renewal.renewal_status(ready_a) ["due"] is False


def test_removed_tthc_renamed_agency_and_edition_change_are_reasons(a_secretary, a_head, ready_a):
    issued(a_secretary, a_head, ready_a)
    procedure = ready_a.admin_procedures.get()
    admin_procedure_update(actor=None, procedure=procedure, is_active=False)
    old_name = ready_a.name
    ready_a.name = "Sở Tư pháp (tên mới)"
    ready_a.save()
    transition = transition_start(actor=a_secretary, agency=ready_a, to_edition=ClauseEdition.objects.get(code="2026"),
                                  started_on=LAST_WEEK, deadline=TODAY + datetime.timedelta(days=300))
    for task in transition.tasks.all():
        transition_task_done(actor=a_secretary, task=task)
    transition_complete(actor=a_secretary, transition=transition)
    assert kinds(ready_a) == {"procedure_removed": ["1.004227"], "agency_renamed": [old_name, "Sở Tư pháp (tên mới)"],
                              "edition_changed": ["TCVN ISO 9001:2015", "ISO 9001:2026"]}


def test_bad_input_changes_nothing(a_secretary, a_head, ready_a):
    with pytest.raises(ValidationFailed, match="future"):
        announcements.announcement_prepare(actor=a_secretary, agency=ready_a,
                                           review_held_on=TODAY + datetime.timedelta(days=2))
    draft = announcements.announcement_prepare(actor=a_secretary, agency=ready_a, review_held_on=LAST_WEEK)
    with pytest.raises(Conflict, match="already"):
        announcements.announcement_prepare(actor=a_secretary, agency=ready_a)
    announcements.announcement_confirm_effectiveness(actor=a_head, announcement=draft)
    with pytest.raises(ValidationFailed, match="number"):
        announcements.announcement_issue(actor=a_head, announcement=draft, number=" ", signed_on=TODAY)
    with pytest.raises(ValidationFailed, match="future"):
        announcements.announcement_issue(actor=a_head, announcement=draft, number="1/QĐ",
                                         signed_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(Conflict, match="not issued"):
        announcements.announcement_record_notice(actor=a_secretary, announcement=draft, notice_number="5/SA",
                                                 notice_date=TODAY)
    assert Announcement.objects.get(pk=draft.pk).status == "draft"
    done = announcements.announcement_issue(actor=a_head, announcement=draft, number="1/QĐ", signed_on=LAST_WEEK)
    with pytest.raises(ValidationFailed, match="before the signature"):
        announcements.announcement_record_posting(actor=a_secretary, announcement=done, posted_where="Bảng tin",
                                                  posted_on=LAST_WEEK - datetime.timedelta(days=1))
    announcements.announcement_record_posting(actor=a_secretary, announcement=done, posted_where="Bảng tin, cổng TTĐT",
                                              posted_on=TODAY)
    done = announcements.announcement_record_notice(actor=a_secretary, announcement=done, notice_number="5/SA-VP",
                                                    notice_date=TODAY)
    assert done.notified and done.posted_where == "Bảng tin, cổng TTĐT"


def test_a_management_review_held_in_eiso_meets_the_precondition(a_secretary, ready_a):
    from eiso.reviews.models import ManagementReview
    from eiso.rollout.preconditions import management_review

    draft = announcements.announcement_prepare(actor=a_secretary, agency=ready_a)
    assert management_review(draft).ok is False
    ManagementReview.objects.create(agency=ready_a, meeting_on=LAST_WEEK, period_start=LAST_WEEK, status="preparing")
    assert management_review(draft).ok is False  # planned, not held
    ManagementReview.objects.create(agency=ready_a, meeting_on=LAST_WEEK, period_start=LAST_WEEK, status="approved")
    check = management_review(draft)
    assert check.ok and LAST_WEEK.strftime("%d/%m/%Y") in check.detail


def test_renewal_reasons_pure_core():
    assert renewal.renewal_reasons(announced=False) == [{"kind": "not_announced", "items": []}]
    assert renewal.renewal_reasons(announced=True, announced_codes=["1", "2"], live_codes=["2", "1"],
                                   announced_name="A", live_name="A ", announced_edition="X",
                                   live_edition="X") == []
    assert renewal.renewal_reasons(announced=True, announced_codes=["1"], live_codes=["1"],
                                   merged=["Xã B", "Xã A"]) == [{"kind": "agency_merged", "items": ["Xã A", "Xã B"]}]


def test_an_agency_merged_after_the_announcement_needs_a_renewal(a_secretary, a_head, ready_a, province):
    from eiso.organizations.models import Agency

    issued(a_secretary, a_head, ready_a)
    merged = Agency.objects.create(code="OLD-X", name="Sở cũ được sáp nhập", level="department", province=province,
                                   valid_to=TODAY)
    ready_a.predecessors.add(merged)
    assert kinds(ready_a) == {"agency_merged": ["Sở cũ được sáp nhập"]}
