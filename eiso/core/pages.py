"""What every page of every area does alike: permission gate, pagination, list pages that htmx
refreshes in place, tabs, and running a service from a form."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.pagination import paginate


def require(request, perm: str, obj=None) -> None:
    """Refuse (403) unless the user holds ``perm`` (on ``obj``). Services check again."""
    if not request.user.has_perm(perm, obj):
        raise Forbidden()


def paged(request, queryset) -> dict:
    page = paginate(request, queryset)
    return {
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
    }


def render_list(request, template: str, context: dict):
    """A list page; an htmx request aimed at ``#results`` gets only that partial."""
    context["is_filtered"] = any(v for k, v in request.GET.items() if k not in ("page", "tab"))
    if request.htmx and request.htmx.target == "results" and not request.htmx.history_restore_request:
        template = f"{template}#results"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def tab_of(request, tabs) -> str:
    """The tab asked for in ``?tab=``, or the first one."""
    keys = [key for key, _label in tabs]
    tab = request.GET.get("tab", keys[0])
    return tab if tab in keys else keys[0]


def run_form(form, call) -> tuple[bool, object]:
    """Call the service when the form is valid; a refusal goes onto the form, nothing changes."""
    if not form.is_valid():
        return False, None
    try:
        return True, call()
    except (ValidationFailed, Conflict) as exc:
        form.apply_domain_error(exc)
        return False, None


def form_page(request, form, *, title, cancel_url, submit_label=None, intro="", template="form.html"):
    """A page holding one form (the shared ``form.html`` unless an area has its own layout)."""
    return render(request, template, {
        "form": form, "title": title, "cancel_url": cancel_url, "intro": intro,
        "submit_label": submit_label or _("Save"),
    })
