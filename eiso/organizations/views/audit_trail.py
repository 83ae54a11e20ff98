"""The audit trail page: every recorded change the user may read, with filters."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from eiso.core.pages import paged, render_list, require
from eiso.organizations import selectors
from eiso.organizations.forms import AuditEventFilterForm


@login_required
def auditevent_list(request):
    require(request, "organizations.view_audit_trail")
    filters = AuditEventFilterForm(request.GET or None, user=request.user)
    events = selectors.audit_events_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request, "organizations/auditevent_list.html", {"filters": filters, **paged(request, events)}
    )


urlpatterns = [path("audit-events/", auditevent_list, name="auditevent-list")]
