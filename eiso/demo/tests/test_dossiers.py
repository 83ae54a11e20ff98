"""The demo dossiers: realistic timing through the recording engine, rollups that match the
dossiers, Tết crossed, the same data for the same day, and nothing created twice."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from eiso.core.models import AuditEvent
from eiso.demo.loaders import documents as documents_demo
from eiso.demo.loaders import dossiers as demo
from eiso.demo.loaders import organizations as organizations_demo
from eiso.demo.loaders import procedures as procedures_demo
from eiso.dossiers.choices import OPEN_STATUSES, DossierStatus, EventKind
from eiso.dossiers.models import Dossier, DossierEvent, DossierRollup
from eiso.dossiers.timing import month_of
from eiso.organizations.models import Agency
from eiso.organizations.selectors import work_calendar_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 3, 20, 10, 30, tzinfo=VN)  # 18 months back crosses Tết 2025 and Tết 2026
TET_2026 = dt.datetime(2026, 2, 14, tzinfo=VN), dt.datetime(2026, 2, 23, tzinfo=VN)


@pytest.fixture
def isolated_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def recount() -> dict[tuple, tuple[int, int, int]]:
    """The rollups as they should be, counted from the dossiers themselves."""
    counts: dict[tuple, Counter] = {}
    for procedure_id, finished, result, steps in Dossier.objects.values_list(
            "admin_procedure_id", "finished_at", "result", "steps"):
        keys = []
        if result:
            keys.append((procedure_id, month_of(finished, VN), 0, None, result))
        for s in steps:
            if s["result"]:
                keys.append((procedure_id, month_of(dt.datetime.fromisoformat(s["finished_at"]), VN), s["step"],
                             s["unit"], s["result"]))
        for *key, result in keys:
            counts.setdefault(tuple(key), Counter())[result] += 1
    return {k: (c["early"], c["on_time"], c["late"]) for k, c in counts.items()}


def test_the_count_comes_from_the_argument_the_environment_or_the_settings(monkeypatch, settings):
    monkeypatch.delenv("DEMO_DOSSIERS", raising=False)
    settings.DEMO_DOSSIERS = None
    assert demo.dossier_count() == 20_000
    settings.DEMO_DOSSIERS = 300
    assert demo.dossier_count() == 300
    monkeypatch.setenv("DEMO_DOSSIERS", "5000")
    assert demo.dossier_count() == 5000
    assert demo.dossier_count(40) == 40
    assert demo.months_before(dt.date(2026, 3, 31), 18) == dt.date(2024, 9, 28)


@pytest.mark.django_db
def test_demo_dossiers_are_realistic_counted_right_and_loaded_once(isolated_storage):
    organizations_demo.load()
    documents_demo.load()
    procedures_demo.load()
    messages = []
    demo.load(messages.append, dossiers=600, now=NOW)

    assert messages[0].startswith("Dossiers (")
    dossiers = Dossier.objects.all()
    assert 590 <= dossiers.count() <= 600
    assert set(dossiers.values_list("agency__code", flat=True)) == set(procedures_demo.CATALOGUES)
    # only since each agency exists: the communes of the 2025 reform start on 1 July 2025
    first = dossiers.filter(agency__code="X-KIMLIEN").order_by("received_at").first()
    assert first.received_at.astimezone(VN).date() >= dt.date(2025, 7, 1)
    assert dossiers.order_by("received_at").first().received_at.astimezone(VN).date() < dt.date(2025, 1, 1)

    # most early or on time, some late; a few refused or withdrawn; some still open, some overdue
    results = Counter(dossiers.values_list("result", flat=True))
    classified = results["early"] + results["on_time"] + results["late"]
    assert results["early"] and results["on_time"]
    assert 0.03 < results["late"] / classified < 0.2
    statuses = Counter(dossiers.values_list("status", flat=True))
    assert statuses[DossierStatus.NOT_ACCEPTED] and statuses[DossierStatus.WITHDRAWN]
    open_ = dossiers.filter(status__in=OPEN_STATUSES)
    assert 0.005 < open_.count() / dossiers.count() < 0.08
    assert open_.filter(due_at__lt=NOW).exists()
    kinds = Counter(DossierEvent.objects.values_list("kind", flat=True))
    assert 0.04 < kinds[EventKind.SUPPLEMENT_REQUESTED] / dossiers.count() < 0.12
    assert not DossierEvent.objects.filter(at__gt=NOW).exists()

    # lateness concentrates on each procedure's bottleneck step
    bottleneck = {t.code: g.bottleneck for groups in procedures_demo.CATALOGUES.values() for g in groups
                  for t in g.tthc}
    late, total = Counter(), Counter()
    for code, steps in dossiers.values_list("admin_procedure__code", "steps"):
        for s in steps:
            if s["result"]:
                where = s["step"] == bottleneck[code]
                total[where] += 1
                late[where] += s["result"] == "late"
    assert late[True] / total[True] > 3 * late[False] / total[False]

    # every event inside office hours of a working day of the agency's calendar
    calendars = {a.pk: work_calendar_for(a) for a in Agency.objects.filter(code__in=procedures_demo.CATALOGUES)}
    for agency_id, at in DossierEvent.objects.values_list("dossier__agency_id", "at"):
        local = at.astimezone(VN)
        assert calendars[agency_id].is_working_day(local.date()), local
        assert dt.time(8) <= local.time() <= dt.time(17), local
    # Tết 2026 crossed: dossiers received before it and due after it
    assert dossiers.filter(received_at__lt=TET_2026[0], due_at__gt=TET_2026[1]).exists()

    # the rollups the statistics read equal a recount from the dossiers
    stored = {(r.admin_procedure_id, r.month, r.step, r.unit_id): (r.early, r.on_time, r.late)
              for r in DossierRollup.objects.all() if r.early or r.on_time or r.late}
    assert stored == recount()

    # the same day gives the same data (what rows_again relies on)
    stp = Agency.objects.get(code="STP")
    plan = demo.AgencyDossiers(stp, 50, NOW)
    first_pass = [(r.code, r.kind, r.at, r.step) for r in plan.rows()]
    assert first_pass == [(r.code, r.kind, r.at, r.step) for r in plan.rows()] and first_pass

    # idempotent: nothing created, nothing audited
    before = (dossiers.count(), DossierEvent.objects.count(), DossierRollup.objects.count(),
              AuditEvent.objects.count())
    messages.clear()
    demo.load(messages.append, dossiers=600, now=NOW)
    assert messages == ["Dossiers already loaded: nothing to create."]
    assert (dossiers.count(), DossierEvent.objects.count(), DossierRollup.objects.count(),
            AuditEvent.objects.count()) == before
