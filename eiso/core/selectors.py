"""Helpers every app's selectors share: one object by id inside a scope, one agency's rows."""

from django.db.models import QuerySet

from eiso.core.errors import NotFound
from eiso.core.text import is_id


def get_or_404(queryset: QuerySet, pk):
    """The object of ``queryset`` with id ``pk``, else ``NotFound``: an id outside the user's scope
    reads exactly like an id that does not exist (and "abc", "²" or an id past 64 bits too)."""
    if not is_id(pk):
        raise NotFound()
    try:
        return queryset.get(pk=int(pk))
    except queryset.model.DoesNotExist:
        raise NotFound()


def by_agency(queryset: QuerySet, agency, field: str = "agency") -> QuerySet:
    """``queryset`` narrowed to one agency, given as a list filter gives it: an id or a code
    (empty: unchanged). ``field`` is the path to the agency (``"audit__agency"``; ``""`` for agencies)."""
    if agency is None or agency == "":
        return queryset
    if is_id(agency):
        return queryset.filter(**{f"{field}_id" if field else "pk": int(agency)})
    return queryset.filter(**{f"{field}__code" if field else "code": str(agency)})


def importjobs_recent(user, kind: str, limit: int = 5) -> list:
    """The latest import jobs of ``kind`` the user may follow, newest first."""
    from eiso.core.models import ImportJob
    from eiso.core.policy import permitted

    return list(permitted(user, "organizations.view_importjob", ImportJob.objects.filter(kind=kind))
                .select_related("agency").order_by("-created_at", "-pk")[:limit])


def importjob_get_for_user(user, pk):
    """An import job the user may follow (its agency's readers, or who uploaded it), else ``NotFound``.
    The rule is in the organizations policy, beside the other core models' (``view_auditevent``)."""
    from eiso.core.models import ImportJob
    from eiso.core.policy import permitted

    return get_or_404(permitted(user, "organizations.view_importjob", ImportJob.objects.select_related(
        "agency", "created_by")), pk)
