"""Demo 5S: per agency with demo dossiers, the programmes, the areas of each unit, a year of
quarterly inspections with a visible trend (some units improve, some slip), a photo of each
failed item, rewards per closed quarter, one failed item recorded as a nonconformity and one
inspection planned for next week. Deterministic; the texts and profiles are in
``eiso/demo/content/fives.json``. Idempotent: an agency with a 5S programme is skipped."""

import datetime
import struct
import zlib
from collections import defaultdict
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.dossiers.models import Dossier
from eiso.fives import scoring, selectors, services
from eiso.fives.models import FivesProgramme, Inspection
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, User

_CONTENT = read("fives")


def photo_png(seed: int) -> bytes:
    """A small solid-colour PNG (64×48), standing for a phone photo of what failed."""
    width, height = 64, 48
    colour = bytes(((seed * 67) % 200 + 40, (seed * 131) % 200 + 40, (seed * 29) % 200 + 40))
    raw = b"".join(b"\x00" + colour * width for _row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _person(agency, role) -> User | None:
    return User.objects.filter(is_active=True, memberships__agency=agency, memberships__valid_to__isnull=True,
                               memberships__role_rows__role=role).order_by("id").first()


def _programme(agency, year: int) -> FivesProgramme:
    found = FivesProgramme.objects.filter(agency=agency, year=year).first()
    if found:
        return found
    text = _CONTENT["programme"]
    return services.programme_create(actor=None, agency=agency, year=year, title=text["title"].format(year=year),
                                     goals=text["goals"], frequency=text["frequency"])


def _areas(agency) -> list:
    areas = []
    kinds = _CONTENT["areas"]
    units = list(agency.units.filter(is_active=True).exclude(kind="leadership").order_by("name"))
    for i, unit in enumerate(units):
        for name, kind, location in kinds.get(unit.kind, kinds["default"]):
            areas.append(services.area_create(actor=None, agency=agency, unit=unit, name=name, kind=kind,
                                              location=location))
        if i == 0:
            name, kind, location = kinds["archive"]
            areas.append(services.area_create(actor=None, agency=agency, unit=unit, name=name, kind=kind,
                                              location=location))
    return areas


def _load_agency(agency, today: datetime.date) -> None:
    secretary = _person(agency, Role.QMS_SECRETARY) or _person(agency, Role.AGENCY_HEAD)
    if secretary is None:
        return
    areas = _areas(agency)
    checklist_size = len(selectors.checklist_of(agency.pk))
    profiles, remarks = _CONTENT["profiles"], _CONTENT["remarks"]
    periods = [scoring.period_of(today)]
    for _i in range(3):
        periods.insert(0, periods[0].previous())
    unit_order = sorted({a.unit_id for a in areas})
    latest = []
    for q, period in enumerate(periods):
        day = min(period.start + datetime.timedelta(days=31 + _CONTENT["day_of_quarter"]), today)
        _programme(agency, day.year)
        for n, area in enumerate(areas):
            profile = profiles[(unit_order.index(area.unit_id) + agency.pk) % len(profiles)]
            lean = agency.pk % 3 - 1  # an agency fails one item more, the same or one fewer everywhere
            failed = min(max(profile[q] + lean, 0) + (n % 2 if area.kind == "archive" else 0), checklist_size)
            checklist = selectors.checklist_of(agency.pk)
            start = (n * 3 + q * 5) % checklist_size  # the failed items move around the sheet
            failing = {checklist[(start + k * 4) % checklist_size].pk for k in range(failed)}
            answers = [{"item": item.pk, "passed": item.pk not in failing,
                        "remark": remarks[item.s] if item.pk in failing else ""} for item in checklist]
            photos = {pk: SimpleUploadedFile(f"anh-5s-{area.pk}-{pk}.png", photo_png(pk + q)) for pk in failing}
            inspection = services.inspection_plan(actor=None, agency=agency, area=area, planned_on=day,
                                                  inspector=secretary)
            inspection = services.inspection_record(actor=None, inspection=inspection, answers=answers, photos=photos,
                                                    done_on=day, note="" if failed else "Khu vực gọn gàng, sạch sẽ.")
            if q == len(periods) - 1:
                latest.append(inspection)
        closed = period.end < today
        ranked = _ranking(agency, period)
        if closed and len(ranked) > 1:
            for key, (kind, title) in (("first", _CONTENT["rewards"]["first"]), ("last", _CONTENT["rewards"]["last"])):
                row = ranked[0] if key == "first" else ranked[-1]
                services.reward_create(actor=None, agency=agency, unit=row.key, year=period.year,
                                       quarter=period.quarter, kind=kind, title=title,
                                       given_on=min(period.end + datetime.timedelta(days=10), today))
    worst = max(latest, key=lambda i: i.points_max - i.points_scored, default=None)
    failed_answer = worst.answers.filter(passed=False).first() if worst else None
    if failed_answer is not None:
        services.answer_nonconformity(actor=None, answer=failed_answer)
    staff = _person(agency, Role.STAFF)
    next_week = min(today + datetime.timedelta(days=7), datetime.date(today.year, 12, 31))
    if staff is not None and areas and next_week > today:
        services.inspection_plan(actor=None, agency=agency, area=areas[0], planned_on=next_week, inspector=staff)


def _ranking(agency, period):
    """The ranking as everyone of the agency sees it (all its done inspections of the period)."""
    per_unit, units = defaultdict(list), {}
    for i in Inspection.objects.filter(agency=agency, status="done", done_on__range=(period.start, period.end)) \
            .select_related("unit"):
        units[i.unit_id] = i.unit
        per_unit[i.unit_id].append((i.done_on, i.pk, i.percent))
    return scoring.ranking((units[u], units[u].name, rows) for u, rows in per_unit.items())


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    today = timezone.localdate()
    loaded = []
    agency_ids = Dossier.objects.order_by().values("agency_id").distinct()
    for agency in Agency.objects.filter(pk__in=agency_ids, valid_to__isnull=True).order_by("code"):
        if FivesProgramme.objects.filter(agency=agency).exists():
            continue
        with transaction.atomic():
            _load_agency(agency, today)
        loaded.append(agency.code)
    log(f"5S programmes, areas and a year of inspections of {', '.join(loaded)}." if loaded
        else "5S already loaded: nothing to create.")
    return []
