"""Demo quality objectives of this year: per agency with demo dossiers, the objectives of
``eiso/demo/content/objectives.json`` (five computed from its data, one entered with evidence),
approved by the head and measured. Idempotent: an agency with objectives is skipped."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.dossiers.models import Dossier
from eiso.objectives import services
from eiso.objectives.models import QualityObjective
from eiso.organizations.models import Agency

_CONTENT = read("objectives")
PLAN = ("plan_what", "plan_who", "plan_when", "plan_resources")


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    year = timezone.localdate().year
    loaded = []
    agency_ids = Dossier.objects.order_by().values("agency_id").distinct()
    for agency in Agency.objects.filter(pk__in=agency_ids, valid_to__isnull=True).order_by("code"):
        if QualityObjective.objects.filter(agency=agency, year=year).exists():
            continue
        with transaction.atomic():
            for item in _CONTENT["objectives"]:
                objective = services.objective_create(
                    actor=None, agency=agency, year=year, title=item["title"], indicator=item["indicator"],
                    comparator=item["comparator"], target=Decimal(str(item["target"])), frequency=item["frequency"],
                    unit_of_measure=item.get("unit_of_measure", "%"), **{k: item.get(k, "") for k in PLAN})
                services.objective_approve(actor=None, objective=objective)
                if item["indicator"] == "manual":
                    services.measurement_record(actor=None, objective=objective, period_start=datetime.date(year, 1, 1),
                                                value=Decimal(str(item["manual_value"])),
                                                evidence=item["manual_evidence"])
                else:
                    services.measurements_refresh(actor=None, objective=objective)
        loaded.append(agency.code)
    log(f"Quality objectives of {', '.join(loaded)}." if loaded
        else "Quality objectives already loaded: nothing to create.")
    return []
