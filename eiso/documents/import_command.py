"""``eiso import external-documents FILE --agency CODE``: the documents app's importer, added to
``eiso.core.importers`` by ``DocumentsConfig.ready``."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from eiso.core.importers import importer_register
from eiso.documents.services.external_import import external_documents_import
from eiso.organizations.models import Agency


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code__iexact=code.strip()).first()
    if agency is None:
        raise CommandError(_("No agency with the code %(code)s.") % {"code": code})
    return agency


def handle_external_documents(command, *, file, agency, **_options) -> str:
    path = Path(file)
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": file})
    with path.open("rb") as stream:
        result = external_documents_import(actor=None, agency=_agency(agency), rows_or_file=stream, filename=path.name)
    return _("%(name)s imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % {
        "name": path.name,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


def register() -> None:
    """Add ``external-documents`` to the importers of ``eiso import``."""
    importer_register(
        "external-documents",
        help="Import the external (legal) document register of an agency from .xlsx or .csv.",
        handler=handle_external_documents,
        arguments=[
            (("file",), {"help": "The .xlsx or .csv file."}),
            (("--agency",), {"required": True, "help": "The agency's code."}),
        ],
    )
