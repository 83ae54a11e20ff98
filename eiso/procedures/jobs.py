"""The TTHC catalogue import as an import job of the task worker (``eiso.core.jobs``)."""

from dataclasses import asdict

from django.urls import reverse
from django.utils.translation import gettext_lazy

from eiso.core.jobs import job_kind_register
from eiso.procedures.imports import FORMATS, FORMATS_MESSAGE, admin_procedures_import, summary

KIND = "admin_procedures"


def run(job, file) -> tuple[str, dict]:
    result = admin_procedures_import(actor=job.created_by, file=file, filename=job.original_name, agency=job.agency)
    return summary(job.original_name, result), asdict(result)


def register() -> None:
    job_kind_register(
        KIND, label=gettext_lazy("Administrative procedures"), permission="procedures.import_adminprocedure",
        run=run, done_url=lambda job: reverse("procedures:adminprocedure-list") + f"?agency={job.agency_id}",
        upload_url=lambda job: reverse("procedures:adminprocedure-import"), formats=FORMATS,
        formats_message=FORMATS_MESSAGE)
