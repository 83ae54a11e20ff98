"""eISO benchmark (`make bench`): pages under concurrent logged-in load, against a baseline.

For each database (SQLite under var/bench/, then PostgreSQL when 127.0.0.1:5432 answers; or only
BENCH_DATABASE_URL when set) it migrates, loads the demo province (`eiso demo --no-serve --json`)
for its logins, starts gunicorn on loopback, logs BENCH_CLIENTS clients in as different demo
users (dealt round-robin over the roles, so every role is among them), and drives each page (the
main pages of every role; BENCH_PAGES to choose) for BENCH_SECONDS: first at saturation (no think
time: the throughput), then with BENCH_THINK_SECONDS (1 s) of think time (each client's first request at a
random moment within it), with p95 per role.
The baseline is /healthz (plain "ok", no database) served by the same gunicorn in the same run;
pages are reported as ratios of it.
SQL queries per page are counted in-process (bench/queries.py). Then the same pages are driven while
a task worker imports BENCH_IMPORT_DOSSIERS (100,000) dossiers (bench/concurrent_import.py). Then the
Word/PDF layouts are timed on plain data (bench/reports.py). Then a management review's inputs are
compiled for an agency of BENCH_REVIEW_DOSSIERS (1,000,000) dossiers (bench/reviews.py).

``BENCH_ONLY=pages,dossiers`` (any of pages, reports, calendar, search, dossiers, reviews, oversight) runs only those
sections: e.g. ``BENCH_ONLY=pages,dossiers BENCH_IMPORT_DOSSIERS=30000 BENCH_DOSSIERS_SQLITE=20000
BENCH_DOSSIERS_PG=100000`` for the import figures alone, scaled down.

Figures never fail the run: the exit status is non-zero only when the benchmark itself breaks.
"""

import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import concurrent_import
from load import Result, Session, alone, drive

# --- what is measured (edit here) ----------------------------------------------------------------
# The main pages of every role (issue 15): dashboard, dossier list and its tabs, statistics, documents,
# search, audits, what needs attention, "Việc của tôi"; then the older rows. BENCH_PAGES (comma-separated)
# replaces the list, e.g. BENCH_PAGES=/,/dossiers/ for a quick run.
MAIN_PAGES = ["/", "/dossiers/", "/dossiers/?tab=open", "/dossiers/?tab=due_soon", "/dossiers/?tab=overdue",
              "/dossiers/statistics/", "/documents/",
              "/search/?q=th%E1%BB%A7+t%E1%BB%A5c", "/audits/", "/improvements/", "/my-tasks/"]
OTHER_PAGES = ["/people/", "/agencies/", "/fives/", "/fives/inspections/"]
PAGES = ([p.strip() for p in os.environ["BENCH_PAGES"].split(",") if p.strip()] if os.environ.get("BENCH_PAGES")
         else MAIN_PAGES + OTHER_PAGES)
BASELINE = "/healthz"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
THINK_S = float(os.environ.get("BENCH_THINK_SECONDS", "1"))
TARGET_P95_MS = 150.0
# One request alone (nobody else on the server): each role's client in turn, ALONE_REPEATS requests each.
# The target (< 50 ms) is for the dashboard, the dossier list (every tab) and the statistics.
ALONE_REPEATS = int(os.environ.get("BENCH_ALONE_REPEATS", "10"))
ALONE_TARGET_MS = 50.0
ALONE_TARGET_PAGES = {"/", "/dossiers/", "/dossiers/statistics/"}
GUNICORN_WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
GUNICORN_THREADS = int(os.environ.get("BENCH_THREADS", "4"))
# The roles of the clients: they are dealt round-robin over these, so every role is among them; the
# in-process query count uses one user of each role.
CLIENT_ROLES = ["qms_secretary", "staff", "overseer", "unit_head", "agency_head", "auditor", "admin"]
QUERY_KINDS = {"secretary": "qms_secretary", "staff": "staff", "overseer": "overseer", "unit head": "unit_head",
               "agency head": "agency_head", "auditor": "auditor", "admin": "admin"}
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/eiso_bench"

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
HOST = "127.0.0.1"


def main() -> int:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    explicit = os.environ.get("BENCH_DATABASE_URL")
    targets = [explicit] if explicit else [f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"]
    if not explicit:
        if _reachable(HOST, 5432):
            targets.append(POSTGRES_DEFAULT)
        else:
            print("PostgreSQL not reachable on 127.0.0.1:5432: only SQLite is measured.")
    status = 0
    if wanted("pages"):
        for url in targets:
            bench(url)
    if wanted("reports"):
        report_bench()
    if wanted("calendar"):
        calendar_bench()
    if wanted("search"):
        status = search_bench(targets)
    if wanted("dossiers"):
        status = dossier_bench() or status
    if wanted("reviews"):
        status = review_bench() or status
    if wanted("oversight"):
        status = oversight_bench() or status
    return status


def each_target(name: str, bench, targets) -> int:
    """Run ``bench(url)`` for each database URL, printing how long each took; a benchmark that
    breaks (RuntimeError) is reported and makes the status 1, the others still run."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    status = 0
    for url in targets:
        started = time.perf_counter()
        try:
            bench(url)
        except RuntimeError as exc:
            print(f"({name} benchmark failed: {exc})")
            status = 1
        print(f"({name} benchmark: {time.perf_counter() - started:.0f} s in all)", flush=True)
    return status


def wanted(section: str) -> bool:
    """``BENCH_ONLY`` (comma-separated: pages, reports, calendar, search, dossiers, reviews, oversight) runs only those
    sections; unset, all of them. ``pages`` includes the pages while a big import runs."""
    only = {s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()}
    return not only or section in only


def dossier_bench() -> int:
    """Dossier import (1,000,000 on PostgreSQL, 100,000 on SQLite) against a raw load, and the
    statistics over them (bench/dossiers.py), in databases of its own."""
    import dossiers

    return dossiers.main()


def review_bench() -> int:
    """Compiling a management review's inputs for an agency of 1,000,000 dossiers (BENCH_REVIEW_DOSSIERS;
    100,000 on SQLite) from the rollups, never a pass over the dossiers (bench/reviews.py)."""
    import reviews

    return reviews.main()


def oversight_bench() -> int:
    """The province overview over 150 agencies and their dossiers (bench/oversight.py)."""
    import oversight

    return oversight.main()


def calendar_bench() -> None:
    """1,000,000 due-date computations of the working-time engine against a naive day-by-day loop."""
    import calendar_bench as bench_module

    bench_module.main()


def report_bench() -> None:
    """Word/PDF output of procedures and registers (bench/reports.py): pure layouts, no server."""
    import reports

    reports.main()


def search_bench(targets: list[str]) -> int:
    """Full-text search over 100,000 revisions against a LIKE scan (bench/search.py), per database."""
    import search

    return search.main(targets)


# --- one database ---------------------------------------------------------------------------------

def bench(database_url: str) -> None:
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    shown = database_url.split("?")[0] if engine == "PostgreSQL" else database_url.removeprefix("sqlite:///")
    print(f"\n=== eISO benchmark on {engine} ({shown}) ===", flush=True)
    if engine == "PostgreSQL":
        _ensure_postgres_database(database_url)
    env = _environment(database_url)
    _eiso(env, "migrate", "--no-input", "-v", "0")
    started = time.perf_counter()
    demo = _eiso(env, "demo", "--no-serve", "--json", capture=True)
    users = json.loads(demo)["users"]
    print(f"demo province loaded ({len(users)} logins) in {time.perf_counter() - started:.1f} s", flush=True)
    chosen = _pick_clients(users, CLIENTS)

    port = _free_port()
    log_path = BENCH_DIR / f"gunicorn-{engine.lower()}.log"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"{HOST}:{port}",
               "--workers", str(GUNICORN_WORKERS), "--threads", str(GUNICORN_THREADS),
               "--worker-class", "gthread", "--keep-alive", "5", "--timeout", "60",
               "--error-logfile", str(log_path)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                              stderr=subprocess.STDOUT)
    sessions: list[Session] = []
    try:
        _wait_ready(server, port, log_path)
        started = time.perf_counter()
        sessions = _log_in(chosen, port)
        print(f"{len(sessions)} clients logged in in {time.perf_counter() - started:.1f} s", flush=True)
        queries = _count_queries(env, users)
        singles = _one_per_role(sessions)
        print(f"  one request at a time, {len(singles)} clients (one per role) × {ALONE_REPEATS} each …", flush=True)
        lone = [alone(singles, path, ALONE_REPEATS) for path in [BASELINE, *PAGES]]
        results, paced = [], []
        for path in [BASELINE, *PAGES]:
            print(f"  driving {path} for {SECONDS:g} s …", flush=True)
            results.append(drive(sessions, path, SECONDS))
        for path in PAGES:
            print(f"  driving {path} for {SECONDS:g} s with {THINK_S:g} s think time …", flush=True)
            paced.append(drive(sessions, path, SECONDS, think_s=THINK_S))
        _report(engine, port, chosen, results, queries)
        print(f"\nOne request alone: nobody else on the server, one client of each role in turn, "
              f"{ALONE_REPEATS} requests each (target < {ALONE_TARGET_MS:g} ms for the dashboard, the dossier "
              f"list and its tabs, the statistics):")
        _alone_table(lone, queries)
        print(f"\nSame clients and pages, each client pausing {THINK_S:g} s (±50 %) between requests, as a person "
              f"reading the page does, and starting at a random moment within the first {THINK_S:g} s:")
        _table(paced, results[0], queries)
        importers = [u["username"] for u in users if "qms_secretary" in u["roles"]]
        concurrent_import.run(env, ROOT, BENCH_DIR, sessions, PAGES, paced, SECONDS, THINK_S, importers, engine,
                              port)
    finally:
        for session in sessions:
            session.close()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)



def _environment(database_url: str) -> dict:
    key_file = BENCH_DIR / "secret_key"
    if not key_file.exists():  # kept, so the demo passwords stored in a reused database still match
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "SQLITE_TEST_NAME")}
    env.update({
        "DATABASE_URL": database_url,
        "SECRET_KEY": key_file.read_text().strip(),
        "EISO_HTTPS": "0",
        "DEBUG": "0",
        "EISO_VAR_DIR": str(BENCH_DIR),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    })
    return env


def _eiso(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run([sys.executable, "-m", "eiso", *args], cwd=ROOT, env=env, check=False,  # noqa: S603
                          capture_output=capture, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"eiso {' '.join(args)} failed ({done.returncode}):\n{done.stderr or ''}")
    return done.stdout or ""


def _ensure_postgres_database(url: str) -> None:
    """Create the benchmark database when missing (never drops anything)."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres", query="").geturl()
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def _role(user: dict) -> str:
    """The user's first role in CLIENT_ROLES' order (``other`` when none)."""
    return next((r for r in CLIENT_ROLES if r in user["roles"]), "other")


def _pick_clients(users: list[dict], n: int) -> list[dict]:
    """Distinct users dealt round-robin over the roles (a secretary, a staff member, an overseer, a unit
    head…, then a second of each), so every role is among the clients; repeated only if too few."""
    queues: dict[str, list[dict]] = {}
    for user in users:  # keeps the demo's order within a role
        queues.setdefault(_role(user), []).append(user)
    ordered = []
    while any(queues.values()):
        for role in [*CLIENT_ROLES, "other"]:
            if queues.get(role):
                ordered.append(queues[role].pop(0))
    return [ordered[i % len(ordered)] for i in range(n)] if ordered else []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _wait_ready(server: subprocess.Popen, port: int, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{_tail(log_path)}")
        try:
            status, _body = Session(HOST, port, timeout=5).get(BASELINE)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {BASELINE} within {timeout:g} s:\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def _log_in(users: list[dict], port: int) -> list[Session]:
    # Each login checks a PBKDF2 hash (about a second of CPU): a few at a time, with a patient timeout.
    def one(user):
        session = Session(HOST, port, timeout=180)
        session.login(user["username"], user["password"])
        session.close()
        session.timeout = 30
        session.label = _role(user)
        return session

    try:
        with ThreadPoolExecutor(max_workers=min(len(users), GUNICORN_WORKERS * 2)) as pool:
            return list(pool.map(one, users))
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}. If the benchmark database was loaded with another SECRET_KEY, delete "
                           f"{BENCH_DIR / 'secret_key'} together with that database.") from exc


def _count_queries(env: dict, users: list[dict]) -> dict:
    kinds = {}
    for kind, role in QUERY_KINDS.items():
        user = next((u for u in users if role in u["roles"]), None)
        if user:
            kinds[kind] = user["username"]
    spec = json.dumps({"pages": [BASELINE, *PAGES], "users": kinds})
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "queries.py"), spec], cwd=ROOT,  # noqa: S603
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        print(f"(query count failed: {done.stderr.strip().splitlines()[-1:]})")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the report ------------------------------------------------------------------------------------------

def _report(engine: str, port: int, clients: list[dict], results: list[Result], queries: dict) -> None:
    import django

    kinds = {}
    for user in clients:
        kinds[_role(user)] = kinds.get(_role(user), 0) + 1
    print(f"\nserver : gunicorn config.wsgi --workers {GUNICORN_WORKERS} --threads {GUNICORN_THREADS} "
          f"(gthread) on {HOST}:{port}, DEBUG=0, {engine}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, Python {platform.python_version()}, "
          f"Django {django.get_version()}, client and server on the same machine")
    print(f"load   : {len(clients)} concurrent logged-in clients ({len({c['username'] for c in clients})} "
          f"distinct users: " + ", ".join(f"{n} {r}" for r, n in kinds.items()) +
          f"), keep-alive, {SECONDS:g} s per page")
    print(f"target : p95 < {TARGET_P95_MS:g} ms, no errors\n")
    print("Saturation: each client sends its next request as soon as the previous answer arrives.")
    _table(results, results[0], queries)


def _table(results: list[Result], base: Result, queries: dict) -> None:
    width = max(20, *(len(r.path) + 2 for r in results), len(f"{base.path} (baseline)") + 1)
    header = (f"{'page':<{width}}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'errors':>7}"
              f"{'p50/base':>9}{'p95/base':>9}  {'target':<9}SQL queries (per role)")
    print(header)
    print("-" * len(header))
    for r in results:
        per_kind = queries.get(r.path, {})
        sql_text = ", ".join(f"{k} {v['queries']}" + ("" if v["status"] == 200 else f" (HTTP {v['status']})")
                             for k, v in per_kind.items()) or "-"
        met = r.errors == 0 and r.percentile(95) < TARGET_P95_MS
        label = f"{r.path} (baseline)" if r is base else r.path
        print(f"{label:<{width}}{r.requests:>9}{r.rate:>8.1f}{r.percentile(50):>8.1f}{r.percentile(95):>8.1f}"
              f"{r.max_ms:>8.1f}{r.errors:>7}{_ratio(r, base, 50):>9.1f}"
              f"{_ratio(r, base, 95):>9.1f}  {'met' if met else 'NOT met':<9}{sql_text}")
        if r.errors:
            print(f"{'':<{width}}statuses: {r.statuses}")
        if r.resent:
            print(f"{'':<{width}}{r.resent} GET(s) sent again on a new connection: the server had closed the "
                  f"kept-alive one (not counted as errors)")
    _roles_table(results)


def _roles_table(results: list[Result]) -> None:
    """p95 (ms) of each page per role of the clients that asked for it."""
    roles = [r for r in [*CLIENT_ROLES, "other"] if any(r in result.by_label for result in results)]
    if len(roles) < 2:
        return
    short = {r: r.replace("qms_", "").replace("_", " ")[:11] for r in roles}
    width = max(24, *(len(r.path) + 2 for r in results))
    header = f"{'p95 ms by role':<{width}}" + "".join(f"{short[r]:>12}" for r in roles)
    print("\n" + header)
    for result in results:
        print(f"{result.path:<{width}}" + "".join(f"{result.label_percentile(r, 95):>12.1f}" for r in roles))


def _one_per_role(sessions: list[Session]) -> list[Session]:
    """The first client of each role (the clients are dealt round-robin, so every role is there)."""
    seen, chosen = set(), []
    for session in sessions:
        if session.label not in seen:
            seen.add(session.label)
            chosen.append(session)
    return chosen


def _alone_table(results: list[Result], queries: dict) -> None:
    base = results[0]
    width = max(20, *(len(r.path) + 2 for r in results), len(f"{base.path} (baseline)") + 1)
    header = (f"{'page':<{width}}{'requests':>9}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'errors':>7}"
              f"{'p50/base':>9}  {'slowest role (p50 ms)':<24}{'target':<9}SQL queries (per role)")
    print(header)
    print("-" * len(header))
    for r in results:
        per_kind = queries.get(r.path, {})
        sql_text = ", ".join(f"{k} {v['queries']}" for k, v in per_kind.items()) or "-"
        slowest = max(r.by_label, key=lambda label: r.label_percentile(label, 50), default="")
        slow_text = f"{slowest} {r.label_percentile(slowest, 50):.1f}" if slowest else "-"
        if r is base:
            label, target = f"{r.path} (baseline)", ""
        else:
            label = r.path
            aimed = r.path.split("?")[0] in ALONE_TARGET_PAGES
            target = ("met" if r.errors == 0 and r.percentile(95) < ALONE_TARGET_MS else "NOT met") if aimed else "-"
        print(f"{label:<{width}}{r.requests:>9}{r.percentile(50):>8.1f}{r.percentile(95):>8.1f}{r.max_ms:>8.1f}"
              f"{r.errors:>7}{_ratio(r, base, 50):>9.1f}  {slow_text:<24}{target:<9}{sql_text}")
        if r.errors:
            print(f"{'':<{width}}statuses: {r.statuses}")


def _ratio(result: Result, base: Result, p: float) -> float:
    reference = base.percentile(p)
    return result.percentile(p) / reference if reference > 0 else float("nan")


if __name__ == "__main__":
    sys.exit(main())
