"""Imports of registers from .xlsx/.csv files (a system action, audited with no actor).

    eiso import external-documents FILE --agency CODE

Each register is a subcommand with its own handler in ``HANDLERS``; later registers (procedures,
dossiers) add theirs. Every row is validated first: a file with any bad row is refused whole, the
bad rows and columns are printed, nothing is written and the command exits with an error.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.core.errors import DomainError
from eiso.organizations.models import Agency


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code__iexact=code.strip()).first()
    if agency is None:
        raise CommandError(_("No agency with the code %(code)s.") % {"code": code})
    return agency


def _external_documents(command, *, file, agency, **_options) -> str:
    from eiso.documents.services.external_import import external_documents_import

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


# subcommand → (help, handler, arguments as (flags, add_argument kwargs))
HANDLERS = {
    "external-documents": (
        "Import the external (legal) document register of an agency from .xlsx or .csv.",
        _external_documents,
        [
            (("file",), {"help": "The .xlsx or .csv file."}),
            (("--agency",), {"required": True, "help": "The agency's code."}),
        ],
    ),
}


class Command(BaseCommand):
    help = "Import registers from .xlsx or .csv files."

    def add_arguments(self, parser):
        registers = parser.add_subparsers(dest="register", required=True, metavar="{" + ",".join(HANDLERS) + "}")
        for name, (help_text, _handler, arguments) in HANDLERS.items():
            sub = registers.add_parser(name, help=help_text)
            for flags, kwargs in arguments:
                sub.add_argument(*flags, **kwargs)

    def handle(self, *args, register, **options):
        _help, handler, _arguments = HANDLERS[register]
        try:
            summary = handler(self, **options)
        except DomainError as exc:
            for line in exc.errors.get("file", []):
                self.stderr.write(str(line))
            raise CommandError(str(exc.message))
        self.stdout.write(self.style.SUCCESS(summary))
