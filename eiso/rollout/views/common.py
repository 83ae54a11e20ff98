"""What the rollout pages share: the chart of a registry's progress per unit, the units and
procedures a rollout's forms offer, and running a one-button action."""

from django.contrib import messages
from django.utils.translation import gettext as _

from eiso.core.errors import DomainError
from eiso.organizations import selectors as org_selectors
from eiso.procedures.selectors import admin_procedures_for_user
from eiso.rollout.choices import ItemStatus

# The colours of the registry's statuses, the same on the badges, the bars and the chart.
STATUS_COLORS = {
    ItemStatus.NOT_STARTED: "#6c757d",
    ItemStatus.DRAFTING: "#fd7e14",
    ItemStatus.IN_REVIEW: "#0dcaf0",
    ItemStatus.ISSUED: "#198754",
}
STATUS_BADGES = {
    ItemStatus.NOT_STARTED: "text-bg-secondary",
    ItemStatus.DRAFTING: "text-bg-warning",
    ItemStatus.IN_REVIEW: "text-bg-info",
    ItemStatus.ISSUED: "text-bg-success",
}


def unit_label(tally) -> str:
    return tally.label or _("No unit yet")


def progress_chart(per_unit) -> dict | None:
    """Per drafting unit, the procedures in each status as stacked horizontal bars."""
    if not per_unit:
        return None
    return {
        "labels": [unit_label(t) for t in per_unit], "stacked": True, "horizontal": True,
        "datasets": [{"label": str(status.label), "data": [t.counts[status.value] for t in per_unit],
                      "color": STATUS_COLORS[status]} for status in ItemStatus],
    }


def agency_units(user, rollout):
    return org_selectors.units_for_user(user, agency=str(rollout.agency_id), active="1").order_by("name")


def agency_procedures(user, rollout):
    return admin_procedures_for_user(user, agency=str(rollout.agency_id), active="1").order_by("code")


def run_action(request, call, success: str) -> bool:
    """Run a service behind a button; its refusal becomes the page's error message."""
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, success)
    return True
