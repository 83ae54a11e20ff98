"""Pages of 5S, one module per part: the ranking, inspections (plan, fill on a phone, read), and
the programme's set-up (programmes, areas, checklist, rewards)."""

from django.utils import timezone

from eiso.core.errors import Forbidden
from eiso.core.text import is_id
from eiso.fives import scoring
from eiso.organizations import selectors as org_selectors


def own_agency(request):
    """The agency a manager works in (a page that creates something there)."""
    if request.user.agency is None:
        raise Forbidden()
    return request.user.agency


def chosen_agency(request):
    """The agency a page shows: ``?agency=`` among those the user reads (overseers), else their own."""
    agencies = org_selectors.agencies_for_user(request.user)
    value = request.GET.get("agency", "")
    found = agencies.filter(pk=int(value)).first() if is_id(value) else None
    return found or request.user.agency or agencies.order_by("name").first()


def chosen_period(request) -> scoring.Period:
    return scoring.parse_period(request.GET.get("period", "")) or scoring.period_of(timezone.localdate())


def recent_periods(count: int = 8) -> list[scoring.Period]:
    period = scoring.period_of(timezone.localdate())
    found = []
    for _i in range(count):
        found.append(period)
        period = period.previous()
    return found
