"""The external document register as an import job of the task worker (``eiso.core.jobs``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.jobs import job_kind_register
from eiso.documents.services.external_import import external_documents_import

KIND = "external_documents"


def run(job, file) -> tuple[str, dict]:
    result = external_documents_import(actor=job.created_by, agency=job.agency, rows_or_file=file,
                                       filename=job.original_name)
    counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    return _("%(name)s imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % {
        "name": job.original_name, **counts}, counts


def register() -> None:
    job_kind_register(
        KIND, label=gettext_lazy("External documents"), permission="documents.add_externaldocument", run=run,
        done_url=lambda job: reverse("documents:externaldocument-list") + f"?agency={job.agency_id}",
        upload_url=lambda job: reverse("documents:externaldocument-import"))
