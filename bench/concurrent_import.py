"""Pages while a big import runs (a section of `make bench`, run by bench/run.py on each database).

A one-stop export of ``BENCH_IMPORT_DOSSIERS`` dossiers (100,000 by default; 0 skips the case), two
events each (received, returned), for one demo agency, is uploaded as the upload page does (stored,
queued) and imported by a task worker (``eiso db_worker``) started for the purpose, and ready
before the upload as on a server (its start-up is not the import's). While it runs,
the same logged-in clients drive the same pages, with the same think time, as the run's paced
measurement without the import: the table shows both, with the errors (the target is 0 and p95 under
300 ms) and the ratio of p50/p95 during the import to p50/p95 without it. Meanwhile a writer records one dossier
event a second through the API (``POST /api/v1/dossiers/events``, a write in the same agency): the
README's promise is that writers wait, not fail. The dossiers of an earlier run are deleted first, so
that each run imports the same number of new dossiers.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from load import Result, Session, drive

DOSSIERS = int(os.environ.get("BENCH_IMPORT_DOSSIERS", "100000"))
TIMEOUT_S = float(os.environ.get("BENCH_IMPORT_TIMEOUT", "1800"))
PREFIX = "BENCHLOAD-"

SETUP = """
import json
from django.db import connection
from eiso.dossiers.models import Dossier, DossierEvent
from eiso.organizations.models import User
from eiso.procedures.models import AdminProcedure
found = {"procedures": []}
for username in %(usernames)r:
    user = User.objects.get(username=username)
    codes = list(AdminProcedure.objects.filter(agency=user.agency, process_document__isnull=False)
                 .order_by("code").values_list("code", flat=True)[:10])
    if codes:
        found = {"agency": user.agency.code, "procedures": codes, "username": username}
        break
with connection.cursor() as cursor:  # the dossiers of an earlier run: plain SQL, fast
    ids = f"SELECT id FROM {Dossier._meta.db_table} WHERE code LIKE %%s"
    cursor.execute(f"DELETE FROM {DossierEvent._meta.db_table} WHERE dossier_id IN ({ids})", [%(prefix)r + "%%"])
    cursor.execute(f"DELETE FROM {Dossier._meta.db_table} WHERE code LIKE %%s", [%(prefix)r + "%%"])
print(json.dumps(found))
"""

START = """
import json
from django.core.files import File
from eiso.dossiers.services.imports import dossier_import_start
from eiso.dossiers.tasks import dossier_import_enqueue
from eiso.organizations.models import User
with open(%(path)r, "rb") as f:
    upload = File(f, name=%(name)r)
    record = dossier_import_start(actor=User.objects.get(username=%(username)r), uploaded=upload)
dossier_import_enqueue(record)
print(json.dumps({"id": record.pk}))
"""

def _database(env: dict):
    """A plain connection to the benchmark database, for the import's progress and the worker's
    readiness: read between and during the measurements without starting a Django process (each
    ``eiso shell`` costs a second or two of CPU at the pages' priority, which the pages would pay)."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=60, isolation_level=None)
        return lambda sql, params: conn.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    return lambda sql, params: conn.execute(sql, params).fetchall()


def _status(query, pk: int) -> dict:
    status, done, total, events, errors = query("SELECT status, rows_done, rows_total, events_created, errors "
                                                "FROM dossiers_dossierimport WHERE id = %s", [pk])[0]
    errors = json.loads(errors) if isinstance(errors, str) else errors
    return {"status": status, "rows_done": done, "rows_total": total, "events": events, "errors": (errors or [])[:3]}


def _wait_for_worker(query, worker: subprocess.Popen, timeout: float = 300) -> None:
    """Until the worker has started (its heartbeat row is written once Django is set up)."""
    deadline = time.monotonic() + timeout
    while not query("SELECT 1 FROM core_taskworker WHERE pid = %s", [worker.pid]):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the task worker did not start")
        time.sleep(0.5)


def _shell(env: dict, root: Path, code: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "eiso", "shell", "-c", code], cwd=root, env=env,  # noqa: S603
                          capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"eiso shell failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _write_csv(path: Path, agency: str, procedures: list[str], n: int) -> None:
    import datetime as dt
    import random

    rng = random.Random(20261204)
    start = dt.datetime(2025, 1, 6, 8, 0)
    with path.open("w", encoding="utf-8") as f:
        f.write("dossier_code,agency_code,procedure_code,channel,event,at,step,note\n")
        for i in range(n):
            code = f"{PREFIX}{i:07d}"
            received = start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
            returned = received + dt.timedelta(hours=rng.randrange(2, 24 * 20))
            f.write(f"{code},{agency},{procedures[i % len(procedures)]},online,received,"
                    f"{received:%Y-%m-%d %H:%M},,\n")
            f.write(f"{code},,,,returned,{returned:%Y-%m-%d %H:%M},,\n")


class Writer(threading.Thread):
    """One API write a second until stopped: status and latency of each."""

    def __init__(self, port: int, token: str, agency: str, procedure: str):
        super().__init__(daemon=True)
        self.port, self.token, self.agency, self.procedure = port, token, agency, procedure
        self.stopping = threading.Event()
        self.result = Result("POST /api/v1/dossiers/events")

    def run(self) -> None:
        session = Session("127.0.0.1", self.port, timeout=120)
        n = 0
        while not self.stopping.is_set():
            n += 1
            body = json.dumps([{"code": f"{PREFIX}W{n:06d}", "agency": self.agency, "procedure": self.procedure,
                                "channel": "online", "events": [{"event": "received", "at": "2026-01-05 09:00"}]}])
            t0 = time.perf_counter()
            try:
                status, _body = session.request("POST", "/api/v1/dossiers/events", body=body.encode(), headers={
                    "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                    "Accept": "application/json"})
            except Exception as exc:  # noqa: BLE001 (any failure is a failed write)
                status = type(exc).__name__
            self.result.latencies_ms.append((time.perf_counter() - t0) * 1000)
            self.result.statuses[status] = self.result.statuses.get(status, 0) + 1
            self.result.errors += status != 200
            self.stopping.wait(1.0)
        session.close()


TARGET_P95_MS = 300.0  # the target for the main pages while an import runs


def _verdict(r) -> str:
    """The issue's target while an import runs: no error (no "database is locked") and p95 < 300 ms."""
    if r.errors:
        return "NOT met (errors)"
    return "met" if r.percentile(95) < TARGET_P95_MS else f"NOT met (p95 ≥ {TARGET_P95_MS:g} ms)"


def run(env: dict, root: Path, bench_dir: Path, sessions: list[Session], pages: list[str], paced: list[Result],
        seconds: float, think_s: float, importers: list[str], engine: str, port: int) -> None:
    if DOSSIERS <= 0:
        print("\n(concurrent import skipped: BENCH_IMPORT_DOSSIERS=0)")
        return
    print(f"\n--- pages while {DOSSIERS:,} dossiers are imported by the task worker ({engine}) ---", flush=True)
    setup = _shell(env, root, SETUP % {"usernames": importers, "prefix": PREFIX})
    if not setup["procedures"]:
        print("(no agency of these users has a TTHC with a process: skipped)")
        return
    path = bench_dir / f"concurrent-import-{DOSSIERS}.csv"
    _write_csv(path, setup["agency"], setup["procedures"], DOSSIERS)
    token = subprocess.run([sys.executable, "-m", "eiso", "token", "create", setup["username"]], cwd=root,  # noqa: S603
                           env=env, capture_output=True, text=True, check=True).stdout.strip().split()[-1]
    writer = Writer(port, token, setup["agency"], setup["procedures"][0])
    query = _database(env)
    worker_log = (bench_dir / f"worker-{engine.lower()}.log").open("w")
    # The worker runs already when a file is uploaded, as on a server: it is started and has set
    # itself up before the upload, so that its start-up is not measured as the import's.
    worker = subprocess.Popen([sys.executable, "-m", "eiso", "db_worker", "--no-reload", "--no-startup-delay"],  # noqa: S603
                              cwd=root, env=env, stdout=worker_log, stderr=subprocess.STDOUT)
    try:
        _wait_for_worker(query, worker)
        started = time.perf_counter()
        record = _shell(env, root, START % {"path": str(path), "name": path.name,
                                                 "username": setup["username"]})
        writer.start()
        during, overlapped = [], []
        for page in pages:
            state = _status(query, record["id"])
            if state["status"] in ("done", "failed", "interrupted"):
                break
            print(f"  driving {page} for {seconds:g} s during the import ({state['status']}, "
                  f"{state['rows_done']:,}/{state['rows_total']:,} rows) …", flush=True)
            during.append(drive(sessions, page, seconds, think_s=think_s))
            overlapped.append(_status(query, record["id"])["status"] not in ("done", "failed"))
        while True:
            state = _status(query, record["id"])
            if state["status"] in ("done", "failed", "interrupted") or time.perf_counter() - started > TIMEOUT_S:
                break
            time.sleep(2)
        elapsed = time.perf_counter() - started
    finally:
        writer.stopping.set()
        if writer.is_alive():
            writer.join(150)
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        worker_log.close()
    print(f"import: {state['status']} in {elapsed:.1f} s ({DOSSIERS:,} dossiers, {2 * DOSSIERS:,} events, "
          f"{state['events']:,} new){'' if state['status'] == 'done' else ' ' + str(state['errors'])}")
    if not during:
        print("(the import ended before the first page was driven: raise BENCH_IMPORT_DOSSIERS)")
        return
    by_path = {r.path: r for r in paced}
    header = (f"{'page':<20}{'requests':>9}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>9}{'errors':>7}"
              f"{'p50 idle':>9}{'p95 idle':>9}{'p50 ×':>7}{'p95 ×':>7}  target")
    print(f"Same clients and pages, {think_s:g} s think time; 'idle' is the paced run above, without the import:")
    print(header)
    print("-" * len(header))
    for r, still in zip(during, overlapped, strict=True):
        idle = by_path.get(r.path)
        p50i, p95i = (idle.percentile(50), idle.percentile(95)) if idle else (float("nan"), float("nan"))
        label = r.path + ("" if still else " *")
        print(f"{label:<20}{r.requests:>9}{r.percentile(50):>8.1f}{r.percentile(95):>8.1f}{r.max_ms:>9.1f}"
              f"{r.errors:>7}{p50i:>9.1f}{p95i:>9.1f}{r.percentile(50) / p50i:>7.1f}{r.percentile(95) / p95i:>7.1f}"
              f"  {_verdict(r)}")
        if r.errors:
            print(f"{'':<20}statuses: {r.statuses}")
    if not all(overlapped):
        print("* the import finished while this page was driven")
    w = writer.result
    print(f"writes during the import: {w.requests} (one a second), p50 {w.percentile(50):.0f} ms, "
          f"p95 {w.percentile(95):.0f} ms, max {w.max_ms:.0f} ms, errors {w.errors}"
          + (f" {w.statuses}" if w.errors else "") + f"  {'met' if w.errors == 0 else 'NOT met (writers failed)'}")
