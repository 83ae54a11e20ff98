"""Imports of registers from files (a system action, audited with no actor):

    eiso import external-documents FILE --agency CODE
    eiso import procedures FILE [--agency CODE]
    eiso import dossiers FILE [--agency CODE] [--actor USERNAME]

Each register is a subcommand whose importer its app adds to ``eiso.core.importers``. Every row is
validated first: a file with any bad row is refused whole, the bad rows and columns are printed,
nothing is written and the command exits with an error.
"""

from django.core.management.base import BaseCommand, CommandError

from eiso.core.errors import DomainError
from eiso.core.importers import importer_get, importers


class Command(BaseCommand):
    help = "Import registers from .xlsx or .csv files."

    def add_arguments(self, parser):
        registered = importers()
        registers = parser.add_subparsers(dest="register", required=True,
                                          metavar="{" + ",".join(i.name for i in registered) + "}")
        for importer in registered:
            sub = registers.add_parser(importer.name, help=importer.help)
            for flags, kwargs in importer.arguments:
                sub.add_argument(*flags, **kwargs)

    def handle(self, *args, register, **options):
        try:
            summary = importer_get(register).handler(self, **options)
        except DomainError as exc:
            for line in exc.errors.get("file", []):
                self.stderr.write(str(line))
            raise CommandError(str(exc.message))
        self.stdout.write(self.style.SUCCESS(summary))
