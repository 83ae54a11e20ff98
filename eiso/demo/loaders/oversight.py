"""Demo provincial oversight: this year's inspection plan of the demo province's Department of
Science and Technology (every active agency, a third on site), two inspections done (one with a
finding whose corrective action is running), and last year's plan with its minutes (so last
year's December report has inspection results). Written through the services, read from
``eiso/demo/content/oversight.json``. Idempotent: a year already planned is skipped."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.improvements import services as improvement_services
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, User
from eiso.oversight import services
from eiso.oversight.calculations import answer_due, on_site_minimum
from eiso.oversight.choices import POINTS
from eiso.oversight.models import InspectionPlan
from eiso.oversight.selectors import evidence_for

_CONTENT = read("oversight")


def _plan(dost, year: int, agencies, number: str) -> InspectionPlan:
    minimum = on_site_minimum(len(agencies))
    items = [{"agency": a, "month": 2 + (i * 10) // max(len(agencies), 1), "on_site": i < minimum,
              "team": _CONTENT["team"]} for i, a in enumerate(agencies)]
    plan = services.plan_create(actor=None, agency=dost, year=year, items=items, number=number)
    services.plan_approve(actor=None, plan=plan, number=number, signed_on=datetime.date(year, 1, 15),
                          signer=_CONTENT["signer"])
    return plan


def _carry_out(inspection, *, on: datetime.date, decision: str, representative: str, not_met: dict,
               conclusion: str) -> None:
    inspection.month = on.month
    inspection.save(update_fields=["month"])
    services.inspection_decide(actor=None, inspection=inspection, decision_number=decision,
                               decision_on=on - datetime.timedelta(days=10), team=_CONTENT["team"])
    results = {p.code: ({"result": "not_met", "note": not_met[p.code]} if p.code in not_met else {"result": "met"})
               for p in POINTS}
    services.inspection_checklist_save(actor=None, inspection=inspection, results=results, inspected_on=on,
                                       agency_representative=representative, conclusion=conclusion)
    services.inspection_minutes_issue(actor=None, inspection=inspection, minutes_on=on,
                                      evidence=evidence_for(inspection, today=on))


def _secretary(agency):
    return (User.objects.filter(memberships__agency=agency, memberships__valid_to__isnull=True,
                                memberships__role_rows__role=Role.QMS_SECRETARY).order_by("pk").first())


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    dost = Agency.objects.filter(code=_CONTENT["overseer_agency"]).first()
    if dost is None:
        log("No Department of Science and Technology in the demo: no oversight data.")
        return []
    today = timezone.localdate()
    agencies = list(Agency.objects.active().filter(province=dost.province).exclude(pk=dost.pk).order_by("level",
                                                                                                       "code"))
    done = []
    if not InspectionPlan.objects.filter(agency=dost, year=today.year - 1).exists():
        with transaction.atomic():
            last = list(Agency.objects.active_on(datetime.date(today.year - 1, 12, 31))
                        .filter(code__in=_CONTENT["last_year_done"]).order_by("code"))
            plan = _plan(dost, today.year - 1, last, _CONTENT["plan_number"].replace("125", "118"))
            for i, inspection in enumerate(plan.inspections.order_by("agency__code")):
                _carry_out(inspection, on=datetime.date(today.year - 1, 6 + 2 * i, 12),
                           decision=f"{40 + i}/QĐ-SKHCN", representative="", not_met={},
                           conclusion="Cơ quan duy trì HTQLCL đúng quy định.")
        done.append(str(today.year - 1))
    if not InspectionPlan.objects.filter(agency=dost, year=today.year).exists():
        with transaction.atomic():
            plan = _plan(dost, today.year, agencies, _CONTENT["plan_number"])
            for entry in _CONTENT["done"]:
                inspection = plan.inspections.filter(agency__code=entry["agency"]).first()
                if inspection is None:
                    continue
                on = max(today - datetime.timedelta(days=entry["inspected_days_ago"]), datetime.date(today.year, 1, 20))
                _carry_out(inspection, on=on, decision=entry["decision"], representative=entry["representative"],
                           not_met=entry["not_met"], conclusion=entry["conclusion"])
                answer, owner = entry.get("answered"), _secretary(inspection.agency)
                for finding in inspection.findings.select_related("nonconformity") if answer and owner else []:
                    improvement_services.corrective_action_create(
                        actor=None, nonconformity=finding.nonconformity, root_cause=answer["root_cause"],
                        action_plan=answer["action_plan"], owner=owner, notify=False,
                        due_on=min(on + datetime.timedelta(days=answer["due_in_days"]), answer_due(on)))
        done.append(str(today.year))
    log(f"Inspection plans of {', '.join(done)} with their inspections." if done
        else "Inspection plans already loaded: nothing to create.")
    return []
