"""Test data builders for 5S: a programme, an area, and an inspection recorded with answers."""

import datetime

from eiso.fives import selectors, services


def make_area(agency, unit, name="Phòng làm việc 201", **extra):
    return services.area_create(actor=None, agency=agency, unit=unit, name=name, **extra)


def make_programme(agency, year=2026):
    from eiso.fives.models import FivesProgramme

    return FivesProgramme.objects.filter(agency=agency, year=year).first() or services.programme_create(
        actor=None, agency=agency, year=year)


def answers_failing(agency, failed: int = 0) -> list[dict]:
    """An answer for every item of the agency's checklist, the first ``failed`` of them failed."""
    return [{"item": item.pk, "passed": i >= failed} for i, item in enumerate(selectors.checklist_of(agency.pk))]


def make_inspection(agency, area, inspector, *, day=datetime.date(2026, 3, 10), failed: int = 0, photos=None):
    """An inspection of ``area`` planned and recorded on ``day`` with ``failed`` items failed."""
    make_programme(agency, day.year)
    inspection = services.inspection_plan(actor=None, agency=agency, area=area, planned_on=day, inspector=inspector)
    return services.inspection_record(actor=None, inspection=inspection, answers=answers_failing(agency, failed),
                                      photos=photos, done_on=day)
