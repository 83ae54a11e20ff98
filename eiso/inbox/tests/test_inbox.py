""""Việc của tôi": each person sees what waits for them, it leaves the list once done, another
agency's work never shows, the header's count is one query, and the daily digest is sent once a
day to whoever has not turned it off."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from eiso.documents.services import external as external_services
from eiso.documents.services import revisions as document_services
from eiso.dossiers.models import Dossier
from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.improvements import services as improvement_services
from eiso.inbox.models import InboxSettings
from eiso.inbox.selectors import inbox_count, inbox_for_user
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user
from tests.world import World

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC)


def kinds(user) -> dict[str, list[str]]:
    """Section → the addresses of its lines, for ``user`` now."""
    return {s.section.kind: [t.url for t in s.tasks] for s in inbox_for_user(user)}


def url(name, pk):
    return reverse(name, args=[pk])


@pytest.fixture
def world(agency_a, unit_a, a_staff, a_head, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return World(agency_a, unit_a, a_staff, a_head)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_each_role_sees_its_tasks_and_each_leaves_when_done(frozen, world, a_head, a_secretary, a_unit_head,
                                                            a_staff):
    revision, review_task, finding = world.revision, world.review_task, world.finding
    revision_url = url("documents:revision-detail", revision.pk)

    # The head drafted it; once sent, the secretary and the owning unit's head may review it.
    document_services.revision_submit(actor=a_head, revision=revision)
    assert revision_url in kinds(a_secretary)["review"] and revision_url in kinds(a_unit_head)["review"]
    assert "review" not in kinds(a_head) and "review" not in kinds(a_staff)
    document_services.revision_review(actor=a_secretary, revision=revision)
    assert "review" not in kinds(a_secretary) and "review" not in kinds(a_unit_head)
    assert kinds(a_head)["approve"] == [revision_url]
    document_services.revision_approve(actor=a_head, revision=revision, today=NOW.date())
    assert "approve" not in kinds(a_head)

    # In force: everyone of the agency must read it, until they say they have.
    assert revision_url in kinds(a_staff)["read"]
    entry = revision.distribution.get(user=a_staff)
    document_services.distribution_acknowledge(actor=a_staff, entry=entry)
    assert "read" not in kinds(a_staff)

    # The corrective action: its owner implements, the secretary verifies, the head closes.
    action = world.corrective_action
    action_url = url("improvements:corrective-action-detail", action.pk)
    assert kinds(a_staff)["implement"] == [action_url]
    improvement_services.corrective_action_implement(actor=a_staff, action=action, evidence="Đã sửa",
                                                    implemented_on=datetime.date(2026, 12, 1))
    assert "implement" not in kinds(a_staff) and kinds(a_secretary)["verify"] == [action_url]
    improvement_services.corrective_action_verify(actor=a_secretary, action=action, effective=True,
                                                 verified_on=datetime.date(2026, 12, 3))
    assert "verify" not in kinds(a_secretary) and kinds(a_head)["close"] == [action_url]
    improvement_services.corrective_action_close(actor=a_head, action=action, today=NOW.date())
    assert "close" not in kinds(a_head)

    # An audit finding of nonconformity: the lead auditor records it; then the unit answers it.
    finding_url = url("improvements:finding-nonconformity", finding.pk)
    assert kinds(world.auditor)["findings"] == [finding_url]
    nonconformity = improvement_services.nonconformity_from_finding(actor=world.auditor, finding=finding)
    assert "findings" not in kinds(world.auditor)
    respond_url = url("improvements:nonconformity-respond", nonconformity.pk)
    assert kinds(a_unit_head)["answer"] == [respond_url] and "answer" not in kinds(a_staff)

    # The procedure citing an expired decree is reviewed by its unit's head (or the secretary).
    task_url = url("documents:reviewtask-detail", review_task.pk)
    assert task_url in kinds(a_unit_head)["review_tasks"] and task_url in kinds(a_secretary)["review_tasks"]
    external_services.review_task_complete(actor=a_unit_head, task=review_task, outcome="Đã rà soát, không đổi")
    assert "review_tasks" not in kinds(a_unit_head) and "review_tasks" not in kinds(a_secretary)


def test_overdue_dossiers_of_my_unit(frozen, world, a_staff, a_head):
    received = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
    dossier_events_record(actor=None, source="test", rows=[
        EventRow(row=1, code="STP-LATE-0001", kind="received", at=received, agency_code=world.agency.code,
                 procedure_code="9.999001", applicant="Nguyễn Văn Chờ")])
    dossier = Dossier.objects.get(code="STP-LATE-0001")
    assert dossier.current_unit_id == world.unit.pk and dossier.due_at < NOW  # at its first step, long overdue
    assert kinds(a_staff)["dossiers"] == [url("dossiers:dossier-detail", dossier.pk)]
    assert "dossiers" not in kinds(a_head)  # the head sits in no unit of this process


def test_another_agencys_work_never_shows(frozen, world, a_head, b_head, b_staff, overseer, django_user_model):
    document_services.revision_submit(actor=a_head, revision=world.revision)
    b_secretary = make_user(b_head.membership.agency, [Role.QMS_SECRETARY, Role.AUDITOR], username="b_secretary")
    root = django_user_model.objects.create_superuser("root", "root@example.gov.vn", "x")
    for user in (b_head, b_staff, b_secretary, overseer, root):
        assert inbox_for_user(user) == [] and inbox_count(user) == 0, user


def test_the_header_count_is_one_query_and_matches_the_page(frozen, world, a_head, a_secretary,
                                                            django_assert_num_queries, client_for):
    document_services.revision_submit(actor=a_head, revision=world.revision)
    a_secretary.membership  # noqa: B018  (read once per request by the login machinery anyway)
    with django_assert_num_queries(1):
        count = inbox_count(a_secretary)
    assert count == sum(s.count for s in inbox_for_user(a_secretary)) >= 3
    page = client_for(a_secretary).get(reverse("inbox:inbox")).content.decode()
    assert f'data-inbox-count="{count}"' in page and f'data-total="{count}"' in page
    assert url("documents:revision-detail", world.revision.pk) in page


def test_the_api_lists_the_same_tasks(frozen, world, a_head, a_secretary, api_for):
    document_services.revision_submit(actor=a_head, revision=world.revision)
    data = api_for(a_secretary).get("/api/v1/my-tasks").json()
    assert data["total"] == inbox_count(a_secretary)
    review = next(s for s in data["sections"] if s["kind"] == "review")
    assert review["tasks"][0]["url"] == url("documents:revision-detail", world.revision.pk)


def test_the_daily_digest_once_a_day_and_not_for_who_turned_it_off(frozen, world, a_head, a_secretary, a_staff,
                                                                   client_for):
    document_services.revision_submit(actor=a_head, revision=world.revision)
    for user in (a_head, a_secretary, a_staff):
        user.email = f"{user.username}@example.gov.vn"
        user.save(update_fields=["email"])
    response = client_for(a_staff).post(reverse("inbox:settings"), {})  # unticked: off
    assert response.status_code == 302 and InboxSettings.objects.get(user=a_staff).daily_digest is False

    call_command("inbox", "digest", "--url", "https://eiso.example.gov.vn")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "a_secretary@example.gov.vn" in recipients and "a_head@example.gov.vn" in recipients
    assert "a_staff@example.gov.vn" not in recipients  # she turned it off
    body = next(m.body for m in mail.outbox if m.to == ["a_secretary@example.gov.vn"])
    assert "https://eiso.example.gov.vn" + url("documents:revision-detail", world.revision.pk) in body
    sent = len(mail.outbox)
    call_command("inbox", "digest")
    assert len(mail.outbox) == sent  # once a day


def test_the_digest_is_switched_on_ones_own_profile_only(client_for, a_staff, a_head):
    profile = reverse("organizations:user-detail", args=[a_staff.pk])
    page = client_for(a_staff).get(profile).content.decode()
    assert 'id="profile-digest"' in page and 'name="daily_digest" id="profile-daily-digest" checked' in page
    response = client_for(a_staff).post(reverse("inbox:settings"), {"next": profile})
    assert response["Location"] == profile and InboxSettings.objects.get(user=a_staff).daily_digest is False
    assert 'id="profile-daily-digest">' in client_for(a_staff).get(profile).content.decode()  # unticked now
    assert 'id="profile-digest"' not in client_for(a_head).get(profile).content.decode()  # not someone else's
    evil = client_for(a_staff).post(reverse("inbox:settings"), {"next": "https://evil.example/", "daily_digest": "on"})
    assert evil["Location"] == reverse("inbox:inbox")
