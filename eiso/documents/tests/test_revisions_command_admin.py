"""`eiso documents activate` for cron, and the back office of the document models."""

# ruff: noqa: F811  (the fixtures imported from revision_helpers are used as parameters)

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from eiso.documents.choices import RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.documents.services import revisions as svc
from eiso.documents.tests.factories.revisions import media, procedure, publish, upload  # noqa: F401
from eiso.organizations.models import User

pytestmark = pytest.mark.django_db


def approved_for(document, drafter, reviewer, approver, day):
    revision = svc.revision_create(actor=drafter, document=document, content="Nội dung", effective_date=day)
    svc.revision_submit(actor=drafter, revision=revision)
    svc.revision_approve(actor=reviewer, revision=revision)
    svc.revision_approve(actor=approver, revision=revision, today=day - datetime.timedelta(days=10))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    return revision


def test_activate_puts_due_revisions_into_force_and_says_how_many(procedure, a_unit_head, a_secretary,
                                                                  a_head):
    day = datetime.date(2026, 12, 1)
    revision = approved_for(procedure, a_unit_head, a_secretary, a_head, day)
    out = io.StringIO()
    call_command("documents", "activate", "--date", "2026-11-30", stdout=out)
    assert re.findall(r"\d+", out.getvalue()) == ["0"]
    assert DocumentRevision.objects.get(pk=revision.pk).status == "approved"
    out = io.StringIO()
    call_command("documents", "activate", "--date", "2026-12-01", stdout=out)
    assert re.findall(r"\d+", out.getvalue()) == ["1"]
    assert DocumentRevision.objects.get(pk=revision.pk).status == RevisionStatus.EFFECTIVE
    out = io.StringIO()
    call_command("documents", "activate", "--date", "2026-12-02", stdout=out)
    assert re.findall(r"\d+", out.getvalue()) == ["0"]


def test_activate_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("documents", "activate", "--date", "1/12/2026")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.gov.vn", "Mk-quan-tri-2026")


def test_admin_pages_open_and_revision_files_are_read_only(client, superuser, procedure, a_unit_head,
                                                           a_secretary, a_head, media):
    revision = publish(procedure, a_unit_head, a_secretary, a_head)
    draft = svc.revision_create(actor=a_unit_head, document=procedure)
    attached = svc.revision_file_add(actor=a_unit_head, revision=draft, uploaded=upload())
    client.force_login(superuser)
    for model in ("document", "documentrevision", "revisionfile", "changerequest", "distributionentry", "comment",
                  "externaldocument", "reviewtask", "recordtype", "filelist"):
        assert client.get(reverse(f"admin:documents_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:documents_document_change", args=[procedure.pk])).status_code == 200
    assert client.get(reverse("admin:documents_revisionfile_add")).status_code == 403
    response = client.get(reverse("admin:documents_revisionfile_change", args=[attached.pk]))
    assert response.status_code == 200 and b'name="original_name"' not in response.content  # read-only view
    # an effective revision cannot be edited in the back office either
    response = client.get(reverse("admin:documents_documentrevision_change", args=[revision.pk]))
    assert response.status_code == 200 and b'name="content"' not in response.content
    response = client.get(reverse("admin:documents_documentrevision_change", args=[draft.pk]))
    assert b'name="content"' in response.content and b'name="status"' not in response.content
