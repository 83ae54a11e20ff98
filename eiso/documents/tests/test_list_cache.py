"""The register's rows are kept rendered until the data change (eiso.core.freshness): a repeat view
reads no document row, a new document shows at the next view, each reader gets their own copy."""

# ruff: noqa: F811  (the fixtures imported from revision_helpers are used as parameters)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.documents.choices import DocumentKind
from eiso.documents.services import revisions as svc
from eiso.documents.tests.factories.revisions import procedure  # noqa: F401

pytestmark = pytest.mark.django_db


def rows(response) -> str:
    """The list's results card (the page around it carries a fresh CSRF token each time)."""
    body = response.content.decode()
    return body[body.index('id="results"'):body.index("</table>")]


def test_a_repeat_view_reuses_the_rows_and_a_new_document_shows(client_for, procedure, a_secretary, agency_a,
                                                                 unit_a, agency_b, b_staff):
    client = client_for(a_secretary)
    first = rows(client.get(reverse("documents:document-list")))
    assert "QT-05" in first
    with CaptureQueriesContext(connection) as again:
        assert rows(client.get(reverse("documents:document-list"))) == first
    assert not any('FROM "documents_document"' in q["sql"] and "COUNT" not in q["sql"] for q in again.captured_queries)
    svc.document_create(actor=a_secretary, agency=agency_a, code="QT-06", title="Quy trình chứng thực",
                        kind=DocumentKind.OPERATIONAL_PROCEDURE, owner_unit=unit_a)
    assert "QT-06" in client.get(reverse("documents:document-list")).content.decode()
    assert "QT-0" not in client_for(b_staff).get(reverse("documents:document-list")).content.decode()


def test_the_kept_rows_are_kept_per_language(client_for, procedure, a_secretary, settings):
    """One reader switching language gets the rows in the new language at once, not the copy
    rendered in the other one."""
    client = client_for(a_secretary)
    vietnamese = rows(client.get(reverse("documents:document-list")))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = rows(client.get(reverse("documents:document-list")))
    assert "QT-05" in english and english != vietnamese
    assert "1 document" in english and "1 tài liệu" in vietnamese and "tài liệu" not in english
