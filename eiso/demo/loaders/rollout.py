"""The demo QMS rollout (``eiso/demo/content/rollout.json``): a newly merged ward in the middle of
rebuilding its QMS, phase 2 under way, its registry (filled from its TTHC catalogue, plus the
procedures already issued and three system procedures) half issued, one unit behind its deadlines,
a gap survey done. Dates count from the day of loading. Written through the rollout services.
Idempotent: an agency with a rollout is skipped."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.organizations.models import Agency, Unit
from eiso.procedures.models import AdminProcedure
from eiso.procedures.selectors import with_coverage
from eiso.rollout import services
from eiso.rollout.choices import ItemStatus, PhaseStatus
from eiso.rollout.models import Rollout

_CONTENT = read("rollout")
STEPS = {ItemStatus.NOT_STARTED: (), ItemStatus.DRAFTING: (ItemStatus.DRAFTING,),
         ItemStatus.IN_REVIEW: (ItemStatus.DRAFTING, ItemStatus.IN_REVIEW),
         ItemStatus.ISSUED: (ItemStatus.DRAFTING, ItemStatus.IN_REVIEW, ItemStatus.ISSUED)}


def _move(item, status: str, today: datetime.date, **issue) -> None:
    for step in STEPS[status]:
        services.registry_item_transition(actor=None, item=item, status=step, today=today,
                                          **(issue if step == ItemStatus.ISSUED else {}))


def _result(results: dict, code: str) -> tuple[str, str] | None:
    """The result given for the clause or, failing that, for its nearest parent clause."""
    parts = code.split(".")
    while parts:
        found = results.get(".".join(parts))
        if found:
            return found[0], found[1] if code == ".".join(parts) else ""
        parts.pop()
    return None


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    agency = Agency.objects.filter(code=_CONTENT["agency"]).first()
    if agency is None or Rollout.objects.filter(agency=agency).exists():
        log("QMS rollout already loaded: nothing to create.")
        return []
    today = timezone.localdate()

    def day(offset) -> datetime.date:
        return today + datetime.timedelta(days=int(offset))

    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    with transaction.atomic():
        rollout = services.rollout_create(
            actor=None, agency=agency, title=_CONTENT["title"], started_on=day(_CONTENT["started"]),
            target_on=day(_CONTENT["target"]), consultant=_CONTENT["consultant"],
            consultant_contact=_CONTENT["consultant_contact"])
        phases = list(rollout.phases.order_by("number"))
        for phase in phases[:_CONTENT["phases_done"]]:
            services.phase_transition(actor=None, phase=phase, status=PhaseStatus.IN_PROGRESS, on=phase.planned_start)
            services.phase_transition(actor=None, phase=phase, status=PhaseStatus.DONE, on=phase.planned_end)
        current = phases[_CONTENT["phases_done"]]
        services.phase_transition(actor=None, phase=current, status=PhaseStatus.IN_PROGRESS, on=current.planned_start)

        survey_data = _CONTENT["survey"]
        survey = services.gap_survey_create(actor=None, rollout=rollout, title=survey_data["title"],
                                            surveyed_on=day(survey_data["offset"]), notes=survey_data["notes"])
        answers = {}
        for row in survey.assessments.select_related("clause"):
            found = _result(survey_data["results"], row.clause.code)
            answers[row.pk] = found if found else ("conform", "")
        services.gap_survey_assess(actor=None, survey=survey, answers=answers)

        decision = _CONTENT["decision"]
        services.registry_adopt(actor=None, rollout=rollout, decision_number=decision["number"],
                                decision_date=day(decision["offset"]), signer=decision["signer"])
        # The procedures already issued: TTHC the ward resolves under a procedure in force.
        issued = _CONTENT["issued"]
        covered = (with_coverage(AdminProcedure.objects.filter(agency=agency, is_active=True))
                   .filter(coverage="covered").select_related("process_document").order_by("code"))
        for tthc, offset in zip(covered[:issued["count"]], issued["issued"], strict=False):
            item = services.registry_item_add(
                actor=None, rollout=rollout, title=f"Quy trình giải quyết thủ tục: {tthc.name}"[:500],
                admin_procedure=tthc, drafting_unit=units.get(issued["unit"]), deadline=day(issued["deadline"]))
            _move(item, ItemStatus.ISSUED, today, document=tthc.process_document, issued_on=day(offset))
        # The TTHC with no procedure in force, filled in one step, then shared between two units.
        filled = services.registry_fill(actor=None, rollout=rollout)
        plan = [(group, status) for group in _CONTENT["gaps"] for status in group["statuses"]]
        for item, (group, status) in zip(filled, plan, strict=False):
            services.registry_item_update(actor=None, item=item, drafting_unit=units.get(group["unit"]),
                                          deadline=day(group["deadline"]))
            _move(item, status, today)
        for entry in _CONTENT["system_procedures"]:
            item = services.registry_item_add(actor=None, rollout=rollout, title=entry["title"],
                                              drafting_unit=units.get(entry["unit"]), deadline=day(entry["deadline"]))
            _move(item, entry["status"], today)
    overall = rollout.registry_items.count()
    log(f"QMS rollout of {agency.code}: phase {current.number} under way, {overall} procedures in the registry.")
    return []
