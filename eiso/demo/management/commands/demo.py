"""``eiso demo``: load the demo data of every area, print the logins, serve the site with its task
worker beside it (one command; Ctrl+C stops both).

Each area has a loader in ``eiso.demo.loaders`` with ``load(out) -> list[dict]`` (the logins it
created or found); they run in the order of ``LOADERS``, a later area adding its own. Loaders are
idempotent: running the command again creates nothing and prints the same logins.
"""

import json
import os
import signal
import subprocess
import sys
from itertools import groupby

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from eiso.demo.loaders import (
    announcements,
    audits,
    documents,
    dossiers,
    feedback,
    fives,
    improvements,
    objectives,
    organizations,
    oversight,
    people,
    procedures,
    reviews,
    rollout,
)
from eiso.organizations.choices import Role

# each reads what the earlier ones wrote (agencies, people, documents, TTHC…)
LOADERS = [organizations.load, documents.load, procedures.load, dossiers.load, audits.load, improvements.load,
           feedback.load, objectives.load, reviews.load, fives.load, rollout.load, announcements.load,
           oversight.load, people.load]

JSON_FIELDS = ("username", "password", "agency", "unit", "roles")


class Command(BaseCommand):
    help = "Load the demo province (idempotent), print the demo logins, then serve the site."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true",
                            help="Load and print the logins, do not serve.")
        parser.add_argument("--json", action="store_true",
                            help='Print only {"users": [...]} as JSON on stdout (progress goes to stderr).')
        parser.add_argument("--port", default=os.environ.get("PORT") or "8000",
                            help="Port to serve on (default $PORT or 8000).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default 127.0.0.1).")
        parser.add_argument("--no-load", action="store_true",
                            help="Serve without loading (the demo data is already there).")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start the task worker beside the server (run `eiso db_worker` yourself).")

    def handle(self, *args, **options):
        progress = self.stderr if options["json"] else self.stdout
        if not options["no_load"]:
            users: list[dict] = []
            for load in LOADERS:
                users.extend(load(progress.write) or [])
            analyze()
            if options["json"]:
                self.print_json(users)
            else:
                self.print_table(users)
        if not options["no_serve"]:
            self.serve(options["host"], options["port"], worker=not options["no_worker"])

    def serve(self, host: str, port: str, *, worker: bool) -> None:
        """The development server, with the task worker as a child process (uploaded imports run
        there). Ctrl+C (SIGINT) or SIGTERM stops the server, then the worker; the worker also dies
        with this process if it is killed outright (Linux), so none is left behind."""
        address = f"[{host}]" if ":" in host else host
        child = start_worker(self.stdout) if worker else None
        # Both signals stop the server, even when SIGINT was ignored at start (a shell's background job).
        previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.stdout.write(self.style.SUCCESS(f"\nServing eISO on http://{address}:{port}/ "
                                                 "(Ctrl+C to stop)"))
            call_command("runserver", f"{address}:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if child is not None:
                stop_worker(child)

    def print_json(self, users: list[dict]) -> None:
        payload = {"users": [{k: u.get(k) for k in JSON_FIELDS} for u in users]}
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def print_table(self, users: list[dict]) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("\nDemo logins (the passwords are derived from this "
                                                     "installation's SECRET_KEY)"))
        width_user = max((len(u["username"]) for u in users), default=8)
        width_pass = max((len(u["password"]) for u in users), default=8)
        width_name = max((len(u.get("full_name", "")) for u in users), default=8)
        by_agency = sorted(users, key=lambda u: u["agency"])
        for (code, name), group in groupby(by_agency, key=lambda u: (u["agency"], u.get("agency_name", ""))):
            self.stdout.write(self.style.HTTP_INFO(f"\n{code} — {name}"))
            for u in group:
                roles = ", ".join(str(Role(r).label) for r in u["roles"])
                unit = u["unit"] or "-"
                self.stdout.write(f"  {u['username']:<{width_user}}  {u['password']:<{width_pass}}  "
                                  f"{u.get('full_name', ''):<{width_name}}  {unit:<8}  {roles}")
        self.stdout.write(f"\n{len(users)} demo users. Log in at /accounts/login/.")


def analyze() -> None:
    """PostgreSQL: the planner's statistics of the freshly loaded tables (ANALYZE reads a sample of
    each; blocks no reader or writer). Autovacuum would gather them a while later (if it is on);
    until then every table is planned as if it were empty."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _die_with_parent() -> None:  # pragma: no cover (runs in the child, between fork and exec)
    """Linux: the worker receives SIGTERM when the demo process dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_worker(out) -> subprocess.Popen:
    """``eiso db_worker`` as a child of this process, with the same settings and environment."""
    command = [sys.executable, "-m", "eiso", "db_worker", "--no-reload", "--no-startup-delay"]
    child = subprocess.Popen(command, preexec_fn=_die_with_parent if sys.platform == "linux" else None)  # noqa: S603, PLW1509 (our own command; prctl only)
    out.write(f"Task worker started beside the server (eiso db_worker, pid {child.pid}).")
    return child


def stop_worker(child: subprocess.Popen, timeout: float = 10) -> None:
    """Ask the worker to finish its task and stop; kill it if it does not within ``timeout`` s."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
