"""An uploaded file is parsed (its text extracted) before any write transaction opens, so a slow or
hostile file never holds a database lock: by the service, the page and the API."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from eiso.documents.models import RevisionFile
from eiso.documents.services import revisions as svc
from eiso.documents.tests.test_api_documents import docx_upload, draft, upload

pytestmark = pytest.mark.django_db(transaction=True)  # so a transaction open during the call shows


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def extractions(monkeypatch):
    """For each text extraction, whether a transaction was open while it ran."""
    seen = []
    real = svc.extract_text

    def watched(fileobj, file_type):
        seen.append(connection.in_atomic_block)
        return real(fileobj, file_type)

    monkeypatch.setattr(svc, "extract_text", watched)
    return seen


@pytest.fixture
def procedure(agency_a, unit_a):
    return svc.document_create(actor=None, agency=agency_a, code="QT-05", title="Quy trình đăng ký kinh doanh",
                               kind="operational_procedure", owner_unit=unit_a)


def test_the_service_page_and_api_extract_before_their_transactions(extractions, api_for, procedure,
                                                                    a_unit_head, a_secretary):
    revision = draft(procedure, a_unit_head)
    attached = svc.revision_file_add(actor=a_unit_head, revision=revision, uploaded=docx_upload())
    assert extractions == [False]
    assert "hộ cá thể" in attached.text

    client = Client()
    client.force_login(a_unit_head)
    response = client.post(reverse("documents:revision-upload", args=[revision.pk]), {"file": docx_upload()})
    assert response.status_code == 302
    assert extractions == [False, False]

    other = svc.document_create(actor=None, agency=procedure.agency, code="QT-06", title="Quy trình khác",
                                kind="operational_procedure", owner_unit=procedure.owner_unit)
    response = upload(api_for(a_secretary), other, docx_upload("QT-06.docx"), docx_upload("BM-01.docx"))
    assert response.status_code == 201, response.content
    assert extractions == [False, False, False, False]
    assert RevisionFile.objects.filter(revision__document=other).count() == 2
