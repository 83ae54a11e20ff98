"""Background work of dossiers (``django.tasks``; the database worker by default: ``eiso db_worker``)."""

from django.tasks import task


@task()
def dossier_import_task(dossier_import_id: int) -> str:
    """Import an uploaded one-stop export; its progress and outcome are kept on the DossierImport row."""
    from eiso.dossiers.services.imports import dossier_import_run

    record = dossier_import_run(dossier_import_id=dossier_import_id)
    return record.status if record is not None else "missing"
