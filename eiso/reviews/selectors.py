"""Scoped reads of management reviews and their outputs, and each agency's last review."""

import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from eiso.core.selectors import by_agency, get_or_404
from eiso.organizations.selectors import visible_agencies
from eiso.reviews.choices import HELD, MAX_MONTHS_BETWEEN_REVIEWS, OPEN_OUTPUTS
from eiso.reviews.models import ManagementReview, ReviewOutput
from eiso.reviews.permissions import policy


def reviews_for_user(user, *, agency: str = "", status: str = "", year: int | None = None,
                     q: str = "") -> QuerySet[ManagementReview]:
    qs = policy.filter(user, "view_review", ManagementReview.objects).select_related("agency", "chair", "approved_by")
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(meeting_on__year=year)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(participants__icontains=q) | Q(conclusions__icontains=q) | Q(location__icontains=q)
                       | Q(outputs__description__icontains=q)).distinct()
    qs = qs.annotate(output_count=Count("outputs", distinct=True),
                     open_output_count=Count("outputs", filter=Q(outputs__status__in=OPEN_OUTPUTS), distinct=True))
    return by_agency(qs, agency).order_by("-meeting_on", "-id")


def review_get_for_user(user, pk) -> ManagementReview:
    return get_or_404(reviews_for_user(user).select_related("created_by"), pk)


def outputs_of(review: ManagementReview) -> QuerySet[ReviewOutput]:
    return review.outputs.select_related("owner", "nonconformity", "objective").order_by("id")


def outputs_for_user(user) -> QuerySet[ReviewOutput]:
    return policy.filter(user, "view_review", ReviewOutput.objects).select_related(
        "review", "review__agency", "owner", "nonconformity", "objective")


def output_get_for_user(user, pk) -> ReviewOutput:
    return get_or_404(outputs_for_user(user), pk)


def review_years(user) -> list[int]:
    qs = policy.filter(user, "view_review", ManagementReview.objects).dates("meeting_on", "year", order="DESC")
    return [d.year for d in qs]


def _months_between(earlier: datetime.date, later: datetime.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def last_reviews(user, *, today: datetime.date | None = None) -> list[dict]:
    """Per agency ``user`` reads (one query for the reviews): the date of its last review held
    (its meeting started) and whether it is more than a year ago (QĐ 19/2014: at least yearly)."""
    today = today or timezone.localdate()
    held = dict(policy.filter(user, "view_review", ManagementReview.objects).filter(
        status__in=HELD, meeting_on__lte=today).order_by().values_list("agency_id").annotate(last=Max("meeting_on")))
    rows = []
    for agency in visible_agencies(user).active().order_by("name"):
        last = held.get(agency.pk)
        rows.append({"agency": agency, "last": last,
                     "late": last is None or _months_between(last, today) >= MAX_MONTHS_BETWEEN_REVIEWS})
    return rows


def last_review_of(user, agency, *, today: datetime.date | None = None) -> ManagementReview | None:
    """The agency's last review held, as ``user`` reads it."""
    today = today or timezone.localdate()
    return reviews_for_user(user, agency=str(agency.pk)).filter(status__in=HELD, meeting_on__lte=today).first()
