"""Demo management reviews: every demo agency in force with a head and an ISO secretary gets last
year's review (inputs frozen on its day, outputs recorded, minutes approved; some outputs done
since, some still open, one past due) and this year's review in preparation, from ``eiso/demo/content/reviews.json``.
Idempotent: an agency with a review is skipped."""

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, User
from eiso.reviews import services
from eiso.reviews.models import ManagementReview

_CONTENT = read("reviews")


def _with_role(agency, role):
    return User.objects.filter(memberships__agency=agency, memberships__valid_to__isnull=True,
                               memberships__role_rows__role=role, is_active=True).order_by("pk").first()


def _day(year: int, pair) -> datetime.date:
    return datetime.date(year, int(pair[0]), int(pair[1]))


def _load_agency(agency, year: int) -> bool:
    head = _with_role(agency, Role.AGENCY_HEAD)
    secretary = _with_role(agency, Role.QMS_SECRETARY) or head
    if head is None or secretary is None:
        return False
    people = {"head": head, "secretary": secretary, "unit_head": _with_role(agency, Role.UNIT_HEAD) or secretary}
    last, this = _CONTENT["last_year"], _CONTENT["this_year"]
    held_on = datetime.date(year - 1, int(last["month"]), int(last["day"]))
    review = services.review_create(
        actor=None, agency=agency, meeting_on=held_on, location=last["location"], chair=head,
        participants="\n".join(last["participants"]), resources_note=last["resources_note"],
        providers_note=last["providers_note"])
    started = datetime.datetime.combine(held_on, datetime.time(8, 30), ZoneInfo(settings.TIME_ZONE))
    services.review_start(actor=secretary, review=review, now=started)
    outputs = []
    for item in last["outputs"]:
        outputs.append((item, services.output_create(
            actor=None, review=review, kind=item["kind"], description=item["description"],
            owner=people[item["owner"]], due_on=_day(year, item["due"]))))
    services.review_close(actor=None, review=review, conclusions=last["conclusions"])
    today = timezone.localdate()
    services.review_approve(actor=head, review=review, today=min(held_on + datetime.timedelta(days=3), today))
    for item, output in outputs:
        if item["status"] == "open":
            continue
        done_on = _day(year, item["done"]) if item.get("done") else None
        if done_on is not None and done_on > today:
            continue  # the demo runs early in the year: not done yet
        services.output_set_status(actor=None, output=output, status=item["status"], done_on=done_on,
                                   note=item.get("note", ""))
    services.review_create(
        actor=None, agency=agency, meeting_on=datetime.date(year, int(this["month"]), int(this["day"])),
        location=this["location"], chair=head, participants="\n".join(this["participants"]),
        resources_note=this["resources_note"], providers_note=this["providers_note"])
    return True


def _reference_year(today: datetime.date) -> int:
    """The year of the review in preparation. Past this year's meeting day, last year's review would
    be more than 12 months old and every agency late on the rule: the demo's last review is then
    this year's, and the one in preparation next year's."""
    last = _CONTENT["last_year"]
    return today.year + 1 if today > datetime.date(today.year, int(last["month"]), int(last["day"])) else today.year


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    year = _reference_year(timezone.localdate())
    loaded = []
    for agency in Agency.objects.filter(valid_to__isnull=True).order_by("code"):  # those with a head and secretary
        if ManagementReview.objects.filter(agency=agency).exists():
            continue
        with transaction.atomic():
            if _load_agency(agency, year):
                loaded.append(agency.code)
    log(f"Management reviews of {', '.join(loaded)}." if loaded
        else "Management reviews already loaded: nothing to create.")
    return []
