"""``eiso import procedures FILE [--agency CODE]``: the procedures app's importer, added to
``eiso.core.importers`` by ``ProceduresConfig.ready``."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from eiso.core.importers import importer_register
from eiso.organizations.models import Agency
from eiso.procedures.imports import admin_procedures_import, summary


def handle_procedures(command, *, file, agency=None, **_options) -> str:
    path = Path(file)
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": file})
    chosen = None
    if agency:
        chosen = Agency.objects.filter(code__iexact=agency.strip()).first()
        if chosen is None:
            raise CommandError(_("No agency with the code %(code)s.") % {"code": agency})
    with path.open("rb") as stream:
        result = admin_procedures_import(actor=None, file=stream, filename=path.name, agency=chosen)
    return summary(path.name, result)


def register() -> None:
    """Add ``procedures`` to the importers of ``eiso import``."""
    importer_register(
        "procedures",
        help="Import an agency's TTHC catalogue and the processes of its operational procedures (.json, .csv, .xlsx).",
        handler=handle_procedures,
        arguments=[
            (("file",), {"help": "The .json, .csv or .xlsx file."}),
            (("--agency",), {"help": "The agency's code (else the one the file names)."}),
        ],
    )
