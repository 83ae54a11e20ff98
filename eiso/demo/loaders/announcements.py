"""Demo conformity announcements and the move of the Department of Science and Technology to the
2026 revision of ISO 9001, from ``eiso/demo/content/announcements.json``: every agency without a
rollout in progress has an announcement (issued on paper before eISO, recorded with its scope),
posted and notified; one announced before its last TTHC was added, so its renewal is due. Runs after
the rollout loader. Idempotent: an agency with an announcement, or with a transition, is skipped."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from eiso.audits.models import ClauseEdition
from eiso.demo.content import read
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, User
from eiso.procedures.models import AdminProcedure
from eiso.rollout import transitions
from eiso.rollout.announcements import announcement_record_past
from eiso.rollout.choices import RolloutStatus
from eiso.rollout.models import Announcement, EditionTransition

_CONTENT = read("announcements")


def _day(offset) -> datetime.date:
    year, month, day = (int(v) for v in offset)
    return datetime.date(timezone.localdate().year + year, month, day)


def _with_role(agency, role):
    return User.objects.filter(memberships__agency=agency, memberships__valid_to__isnull=True,
                               memberships__role_rows__role=role, is_active=True).order_by("pk").first()


def _announce(agency, n: int) -> None:
    head = _with_role(agency, Role.AGENCY_HEAD)
    codes = list(AdminProcedure.objects.filter(agency=agency, is_active=True).order_by("created_at", "pk")
                 .values_list("code", flat=True))
    if agency.code == _CONTENT["renewal_due"] and len(codes) > 1:
        codes = codes[:-1]  # its last TTHC was added to the catalogue after the announcement
    short = agency.code.replace("-", "")
    announcement_record_past(
        actor=None, agency=agency, number=_CONTENT["number"].format(n=n, code=short),
        signed_on=_day(_CONTENT["signed"]),
        signer_name=head.get_full_name() if head else "", procedure_codes=codes, processes=_CONTENT["processes"],
        posted_where=_CONTENT["posted_where"], posted_on=_day(_CONTENT["posted"]),
        notice_number=_CONTENT["notice_number"].format(n=n + 40, code=short), notice_date=_day(_CONTENT["notified"]))


def _transition(spec) -> bool:
    agency = Agency.objects.filter(code=spec["agency"]).first()
    if agency is None or EditionTransition.objects.filter(agency=agency).exists():
        return False
    secretary = _with_role(agency, Role.QMS_SECRETARY) or _with_role(agency, Role.AGENCY_HEAD)
    started = _day(spec["started"])
    transition = transitions.transition_start(
        actor=None, agency=agency, to_edition=ClauseEdition.objects.get(code=spec["to_edition"]), started_on=started,
        deadline=_day(spec["deadline"]), owner=secretary)
    for task in transition.tasks.filter(clause__in=spec["done"]):
        transitions.transition_task_done(actor=secretary, task=task)
    return True


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    announced = []
    in_rollout = set(Agency.objects.filter(rollouts__status=RolloutStatus.IN_PROGRESS).values_list("pk", flat=True))
    for n, agency in enumerate(Agency.objects.active().order_by("code"), start=1):
        if agency.pk in in_rollout or Announcement.objects.filter(agency=agency).exists():
            continue
        with transaction.atomic():
            _announce(agency, n)
        announced.append(agency.code)
    with transaction.atomic():
        moving = _transition(_CONTENT["transition"])
    log(f"Conformity announcements of {', '.join(announced)}." if announced
        else "Conformity announcements already loaded: nothing to create.")
    if moving:
        log(f"{_CONTENT['transition']['agency']} starts its move to ISO 9001:{_CONTENT['transition']['to_edition']}.")
    return []
