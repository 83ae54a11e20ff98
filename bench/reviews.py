"""Management review benchmark (a section of `make bench`; also `python bench/reviews.py`): the time to
compile a review's inputs (ISO 9001 9.3.2 a–f, ``eiso.reviews.inputs.compile_inputs``) for one agency
holding many dossiers.

For each database (SQLite ``BENCH_REVIEW_SQLITE_URL``, default var/bench/reviews.sqlite3, then
PostgreSQL ``BENCH_REVIEW_PG_URL``, default eiso_bench_reviews, when 127.0.0.1:5432 answers) it:

1. sets up one agency with ``PROCEDURES`` TTHC of 3-step processes, a secretary and a review of
   the last 12 months (kept between runs);
2. fills it with N dossiers received over 18 months, mostly finished (early, on time or late),
   some still open or past due, and the monthly rollups the import keeps beside them (the
   dossiers are bulk-inserted, not imported: the import has its own benchmark, bench/dossiers.py);
   N: ``BENCH_REVIEW_DOSSIERS`` (1,000,000), on SQLite ``BENCH_REVIEW_DOSSIERS_SQLITE`` (100,000);
   the rows are kept and reused while N is unchanged;
3. times ``compile_inputs`` as the secretary (the live preview of the review page, and what
   ``start`` freezes): ``RUNS`` timed runs after 2 warm-ups, p50/p95/max and the SQL queries of
   one run. The baseline, same run: ``SELECT COUNT(*)`` of the agency's dossiers (one scan of the
   index the compile must never do per dossier).

Figures never fail the run: the exit status is non-zero only when the benchmark itself breaks.
"""

import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE] + [str(HERE)]
sys.path.insert(0, str(ROOT))

DOSSIERS = int(os.environ.get("BENCH_REVIEW_DOSSIERS", "1000000"))
SIZES = {"SQLite": int(os.environ.get("BENCH_REVIEW_DOSSIERS_SQLITE", str(min(DOSSIERS, 100_000)))),
         "PostgreSQL": DOSSIERS}
RUNS = int(os.environ.get("BENCH_REVIEW_RUNS", "10"))
PROCEDURES = 50
STEPS = 3
AGENCY_CODE = "RBENCH"
SEED = 20261204
TARGET_S = 2.0
BATCH = 20_000
FIRST_DAY, LAST_DAY = dt.date(2025, 5, 1), dt.date(2026, 10, 31)  # 18 months of receipts
MEETING_ON = dt.date(2026, 11, 30)


def _default_targets() -> list[str]:
    import run

    targets = [os.environ.get("BENCH_REVIEW_SQLITE_URL") or f"sqlite:///{run.BENCH_DIR / 'reviews.sqlite3'}"]
    pg = os.environ.get("BENCH_REVIEW_PG_URL") or "postgres://postgres@127.0.0.1:5432/eiso_bench_reviews"
    if os.environ.get("BENCH_REVIEW_PG_URL") or run._reachable(run.HOST, 5432):
        targets.append(pg)
    else:
        print("PostgreSQL not reachable on 127.0.0.1:5432: the review inputs are measured on SQLite only.")
    if os.environ.get("BENCH_REVIEW_ONLY"):  # "sqlite" or "postgres"
        targets = [t for t in targets if t.startswith(os.environ["BENCH_REVIEW_ONLY"])]
    return targets


# --- the agency, its dossiers and rollups ----------------------------------------------------------------

def setup_agency():
    """One agency, its units, TTHC with processes, a secretary and a review; kept between runs."""
    from eiso.documents.services.revisions import document_create
    from eiso.organizations.choices import AgencyLevel, Role, UnitKind
    from eiso.organizations.models import Agency, Province, Unit, User
    from eiso.organizations.tests.factories import make_user
    from eiso.procedures.models import AdminProcedure
    from eiso.procedures.services import admin_procedure_create, process_definition_set
    from eiso.reviews.models import ManagementReview

    province, _created = Province.objects.get_or_create(code="RBENCH", defaults={"name": "Tỉnh Xem Xét (benchmark)"})
    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        agency = Agency(code=AGENCY_CODE, name="Sở benchmark xem xét của lãnh đạo", province=province,
                        level=AgencyLevel.DEPARTMENT)
        agency.save()
    units = []
    for code, name, kind in [("MC", "Bộ phận Một cửa", UnitKind.ONE_STOP),
                             ("P1", "Phòng Nghiệp vụ", UnitKind.SPECIALIST),
                             ("LD", "Ban Giám đốc", UnitKind.LEADERSHIP)]:
        unit = Unit.objects.filter(agency=agency, code=code).first()
        if unit is None:
            unit = Unit(agency=agency, code=code, name=name, kind=kind)
            unit.save()
        units.append(unit)
    for p in range(PROCEDURES):
        code = f"8.{p + 1:06d}"
        if AdminProcedure.objects.filter(agency=agency, code=code).exists():
            continue
        document = document_create(actor=None, agency=agency, code=f"QT-RB-{p + 1:02d}",
                                   title=f"Quy trình benchmark {p + 1}", kind="operational_procedure",
                                   owner_unit=units[1])
        admin_procedure_create(actor=None, agency=agency, code=code, name=f"Thủ tục benchmark {p + 1}",
                               field="Benchmark", time_limit_days=3, process_document=document)
        process_definition_set(actor=None, document=document, steps=[
            {"name": name, "unit": unit, "hours": 8} for name, unit in
            [("Tiếp nhận", units[0]), ("Thẩm định", units[1]), ("Ký duyệt", units[2])]])
    secretary = User.objects.filter(username="rbench.thuky").first() or make_user(
        agency, [Role.QMS_SECRETARY], username="rbench.thuky", full_name="Thư ký benchmark")
    review = ManagementReview.objects.filter(agency=agency).first()
    if review is None:
        review = ManagementReview.objects.create(agency=agency, meeting_on=MEETING_ON,
                                                 period_start=MEETING_ON - dt.timedelta(days=364))
    procedures = list(AdminProcedure.objects.filter(agency=agency).order_by("code").values_list("pk", flat=True))
    return {"agency": agency.pk, "units": [u.pk for u in units], "procedures": procedures,
            "secretary": secretary.pk, "review": review.pk}


def fill(facts: dict, n: int) -> dict:
    """N dossiers and their rollups, bulk-inserted; reused when the agency already holds N."""
    from django.db import transaction

    from eiso.dossiers.models import Dossier, DossierRollup

    agency_id = facts["agency"]
    held = Dossier.objects.filter(agency_id=agency_id).count()
    if held == n:
        return {"filled_s": None, "dossiers": held}
    started = time.perf_counter()
    with transaction.atomic():
        DossierRollup.objects.filter(agency_id=agency_id).delete()
        Dossier.objects.filter(agency_id=agency_id).delete()
    rng = random.Random(SEED)
    tz = dt.UTC
    days = (LAST_DAY - FIRST_DAY).days
    rollups: Counter = Counter()
    batch = []
    for i in range(n):
        procedure = facts["procedures"][i % len(facts["procedures"])]
        received = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=rng.randrange(days)), dt.time(8), tz) \
            + dt.timedelta(minutes=rng.randrange(480))
        due = received + dt.timedelta(days=5)
        draw = rng.random()
        row = Dossier(agency_id=agency_id, code=f"RB-{i:08d}", admin_procedure_id=procedure, received_at=received,
                      due_at=due, channel="online" if draw < 0.4 else "direct", updated_at=received)
        if received.date() > LAST_DAY - dt.timedelta(days=20) and draw < 0.5:
            row.status = "in_progress"  # still open (some of them past due)
        else:
            result = "early" if draw < 0.55 else "on_time" if draw < 0.93 else "late"
            row.status, row.result = "returned", result
            row.finished_at = due + dt.timedelta(days=2) if result == "late" else due - dt.timedelta(days=1)
            month = row.finished_at.date().replace(day=1)
            rollups[(procedure, month, 0, None, result)] += 1
            for step in range(1, STEPS + 1):
                step_result = "late" if result == "late" and step == 2 else "on_time"
                rollups[(procedure, month, step, facts["units"][step - 1], step_result)] += 1
        batch.append(row)
        if len(batch) == BATCH:
            Dossier.objects.bulk_create(batch)
            batch = []
    if batch:
        Dossier.objects.bulk_create(batch)
    merged: dict = {}
    for (procedure, month, step, unit, result), count in rollups.items():
        counts = merged.setdefault((procedure, month, step, unit), {"early": 0, "on_time": 0, "late": 0})
        counts[result] += count
    DossierRollup.objects.bulk_create(
        [DossierRollup(agency_id=agency_id, admin_procedure_id=p, month=m, step=s, unit_id=u, **c)
         for (p, m, s, u), c in merged.items()], batch_size=5000)
    return {"filled_s": time.perf_counter() - started, "dossiers": n}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * (len(ordered) - 1))))]


def measure(facts: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eiso.dossiers.models import Dossier
    from eiso.organizations.models import User
    from eiso.reviews.inputs import compile_inputs
    from eiso.reviews.models import ManagementReview

    user = User.objects.get(pk=facts["secretary"])
    review = ManagementReview.objects.select_related("agency").get(pk=facts["review"])
    baseline = []
    for _i in range(3):
        started = time.perf_counter()
        Dossier.objects.filter(agency_id=facts["agency"]).count()
        baseline.append(time.perf_counter() - started)
    for _i in range(2):
        inputs = compile_inputs(user, review)
    times = []
    for _i in range(RUNS):
        started = time.perf_counter()
        inputs = compile_inputs(user, review)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        compile_inputs(user, review)
    c3 = inputs["c3_process"]
    return {"p50": _percentile(times, 0.5), "p95": _percentile(times, 0.95), "max": max(times),
            "count_s": min(baseline), "queries": len(queries), "resolved": c3["total"], "open": c3["open"],
            "overdue": c3["overdue"], "on_time_rate": c3["on_time_rate"], "months": f"{c3['from']}…{c3['to']}"}


# --- one database, in child processes --------------------------------------------------------------------

def child(command: str, argument: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if command == "prepare":
        facts = setup_agency()
        result = {**facts, **fill(facts, int(argument))}
    elif command == "measure":
        result = measure(json.loads(argument))
    else:
        raise SystemExit(f"unknown command {command}")
    print("RESULT " + json.dumps(result, default=str), flush=True)
    return 0


def _child(env: dict, command: str, argument: str) -> dict:
    done = subprocess.run([sys.executable, "-P", str(Path(__file__).resolve()), "--child", command, argument],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    result = None
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
        else:
            print(line, flush=True)
    if done.returncode != 0 or result is None:
        raise RuntimeError(f"{command} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return result


def bench(url: str) -> None:
    import django
    import run

    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    n = SIZES[engine]
    print(f"\n=== eISO management review inputs benchmark on {engine} ({n:,} dossiers in one agency) ===",
          flush=True)
    if engine == "PostgreSQL":
        run._ensure_postgres_database(url)
    env = run._environment(url)
    run._eiso(env, "migrate", "--no-input", "-v", "0")
    facts = _child(env, "prepare", str(n))
    figures = _child(env, "measure", json.dumps(facts))
    shown = url.split("?")[0] if engine == "PostgreSQL" else url.removeprefix("sqlite:///")
    filled = (f"inserted in {facts['filled_s']:.0f} s" if facts["filled_s"] else "reused from an earlier run")
    print(f"input   : {n:,} dossiers of {PROCEDURES} TTHC over 18 months, with their monthly rollups; {filled}")
    print("measured: eiso.reviews.inputs.compile_inputs for a 12-month review, as the agency's ISO secretary "
          f"({RUNS} runs after 2 warm-ups, same process)")
    print(f"baseline: SELECT COUNT(*) of the agency's {n:,} dossiers, best of 3")
    print(f"machine : {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, Python "
          f"{sys.version.split()[0]}, Django {django.get_version()}, {engine} ({shown})")
    print(f"target  : under {TARGET_S:g} s (the issue asks it for 1,000,000 dossiers on PostgreSQL)\n")
    header = f"{'request':<34}{'p50 s':>9}{'p95 s':>9}{'max s':>9}{'queries':>9}  target"
    print(header)
    print("-" * len(header))
    print(f"{'count the dossiers (baseline)':<34}{figures['count_s']:>9.3f}{'-':>9}{'-':>9}{1:>9}")
    print(f"{'compile the review inputs':<34}{figures['p50']:>9.3f}{figures['p95']:>9.3f}{figures['max']:>9.3f}"
          f"{figures['queries']:>9}  {'met' if figures['p95'] < TARGET_S else 'NOT met'}")
    print(f"{'':<34}months {figures['months']}: {figures['resolved']:,} resolved, on time "
          f"{figures['on_time_rate']} %; {figures['open']:,} open now, {figures['overdue']:,} past due")


def main(targets: list[str] | None = None) -> int:
    import run

    return run.each_target("review", bench, targets or _default_targets())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(child(sys.argv[2], sys.argv[3]))
    sys.exit(main())
