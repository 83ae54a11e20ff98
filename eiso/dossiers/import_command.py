"""``eiso import dossiers FILE [--agency CODE] [--actor USERNAME]``: the dossiers app's importer,
added to ``eiso.core.importers`` by ``DossiersConfig.ready``.

The file is read twice (check, then write) and never held in memory; a progress bar runs on
stderr. A file with bad rows is refused whole: each bad row is printed and the command fails.
"""

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.importers import importer_register
from eiso.dossiers import importing

PHASES = {"validate": "check", "write": "write", "retime": "timing"}


class ProgressBar:
    """``check [#####.....]  52%  520000/1000000`` on one line, redrawn at most 10 times a second."""

    WIDTH = 30

    def __init__(self, stream, *, total_lines: int = 0):
        self.stream = stream
        self.first_total = total_lines
        self.last = 0.0
        self.phase = None
        self.drawn = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.last < 0.1 and done < total:
            return
        if self.phase is not None and phase != self.phase and self.drawn:
            self.stream.write("\n")
        self.phase, self.last = phase, now
        total = total or (self.first_total if phase == "validate" else 0)
        label = PHASES.get(phase, phase).ljust(6)
        if total:
            share = min(done / total, 1.0)
            filled = int(share * self.WIDTH)
            line = f"\r{label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%}  {done}/{total}"
        else:
            line = f"\r{label} {done}"
        self.stream.write(line)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def handle_dossiers(command, *, file, agency=None, actor=None, quiet=False, **_options) -> str:
    from eiso.organizations.models import Agency

    path = Path(file)
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": file})
    try:
        importing.file_format(path.name)
    except ValidationFailed as exc:
        raise CommandError(str(exc.message))
    only = None
    if agency:
        only = Agency.objects.filter(code__iexact=agency.strip()).first()
        if only is None:
            raise CommandError(_("No agency with the code %(code)s.") % {"code": agency})
    user = None
    if actor:
        user = get_user_model().objects.filter(username__iexact=actor.strip(), is_active=True).first()
        if user is None:
            raise CommandError(_("No active user named %(name)s.") % {"name": actor})
    total = importing.count_lines(path) - 1 if path.suffix.lower() == ".csv" else 0
    stream = getattr(command.stderr, "_out", sys.stderr)
    bar = ProgressBar(stream, total_lines=max(total, 0)) if not quiet else None
    try:
        summary = importing.record_file(actor=user, opener=lambda: path.open("rb"), filename=path.name,
                                        agency=only, progress=bar, source=path.name)
    except ValidationFailed as exc:
        if bar:
            bar.close()
        for line in exc.errors.get("rows", []) + exc.errors.get("file", []):
            command.stderr.write(str(line))
        raise CommandError(str(exc.message))
    if bar:
        bar.close()
    return _("%(name)s: %(rows)s rows, %(created)s dossiers created, %(touched)s dossiers updated, "
             "%(events)s new events, %(duplicates)s duplicates.") % {
        "name": path.name, "rows": summary.rows, "created": summary.dossiers_created,
        "touched": summary.dossiers_touched, "events": summary.events_created,
        "duplicates": summary.events_duplicate}


def register() -> None:
    """Add ``dossiers`` to the importers of ``eiso import``."""
    importer_register(
        "dossiers",
        help="Import dossier events exported by a one-stop system (.csv, .jsonl, .xlsx).",
        handler=handle_dossiers,
        arguments=[
            (("file",), {"help": "The .csv (one row per event), .jsonl (one dossier per line) or .xlsx file."}),
            (("--agency",), {"help": "Import only into this agency (its code)."}),
            (("--actor",), {"help": "Import as this user (their permissions apply); the system by default."}),
            (("--quiet",), {"action": "store_true", "help": "No progress bar."}),
        ],
    )
