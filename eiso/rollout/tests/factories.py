"""Test data builders of the rollout app: a rollout, TTHC in each coverage state, a procedure
document in force."""

import datetime

from eiso.documents.choices import DocumentKind
from eiso.documents.services import revisions as document_services
from eiso.procedures import services as procedure_services
from eiso.rollout import services


def rollout(agency, actor=None, **extra):
    data = {"title": "Xây dựng HTQLCL theo TCVN ISO 9001:2015", "started_on": datetime.date(2026, 1, 5),
            "target_on": datetime.date(2026, 10, 30)}
    return services.rollout_create(actor=actor, agency=agency, **{**data, **extra})


def document_in_force(agency, unit, head, code="QT-01", title="Quy trình cấp bản sao trích lục hộ tịch",
                      kind=DocumentKind.OPERATIONAL_PROCEDURE, today=None):
    """An operational procedure with a revision in force (taken through the document workflow)."""
    document = document_services.document_create(actor=None, agency=agency, code=code, title=title, kind=kind,
                                                  owner_unit=unit)
    revision = document_services.revision_create(actor=None, document=document, change_summary="Ban hành lần đầu",
                                                 content="Nội dung")
    document_services.revision_submit(actor=None, revision=revision)
    document_services.revision_approve(actor=None, revision=revision)
    document_services.revision_approve(actor=head, revision=revision, today=today)
    return document


def tthc(agency, code, name, **extra):
    return procedure_services.admin_procedure_create(actor=None, agency=agency, code=code, name=name,
                                                     time_limit_days=5, field=extra.pop("field", "Hộ tịch"), **extra)
