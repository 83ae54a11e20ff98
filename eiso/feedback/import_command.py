"""``eiso import satisfaction FILE --agency CODE``: the feedback app's importer, added to
``eiso.core.importers`` by ``FeedbackConfig.ready``."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from eiso.core.importers import importer_register
from eiso.feedback.imports import satisfaction_import, summary
from eiso.organizations.models import Agency


def handle_satisfaction(command, *, file, agency=None, **_options) -> str:
    path = Path(file)
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": file})
    chosen = Agency.objects.filter(code__iexact=(agency or "").strip()).first()
    if chosen is None:
        raise CommandError(_("No agency with the code %(code)s.") % {"code": agency or ""})
    with path.open("rb") as stream:
        result = satisfaction_import(actor=None, agency=chosen, file=stream, filename=path.name)
    return summary(path.name, result)


def register() -> None:
    """Add ``satisfaction`` to the importers of ``eiso import``."""
    importer_register(
        "satisfaction",
        help="Import citizen satisfaction evaluations (TT 01/2018/TT-VPCP) exported from the one-stop system "
             "(.csv, .xlsx).",
        handler=handle_satisfaction,
        arguments=[
            (("file",), {"help": "The .csv or .xlsx file: dossier_code, indicator, score (or indicator_1 … 9)."}),
            (("--agency",), {"required": True, "help": "The agency's code."}),
        ],
    )
