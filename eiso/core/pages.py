"""What every page of every area does alike: permission gate, pagination, list pages that htmx
refreshes in place, tabs, running a service from a form, and the page of an import."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from eiso.core import freshness
from eiso.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from eiso.core.pagination import paginate


def require(request, perm: str, obj=None) -> None:
    """Refuse (403) unless the user holds ``perm`` (on ``obj``). Services check again."""
    if not request.user.has_perm(perm, obj):
        raise Forbidden()


def next_url(request, default: str) -> str:
    """Where to go back to: the request's ``next`` when it stays on this site (Django's check, which
    refuses ``//evil``, ``/\\evil``, other schemes and hosts), else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def paged(request, queryset, count: int | None = None) -> dict:
    """The page asked for and its page links; ``count`` as in :func:`paginate`."""
    page = paginate(request, queryset, count=count)
    return {
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
    }


def render_list(request, template: str, context: dict):
    """A list page; an htmx request aimed at ``#results`` gets only that partial. ``results_key``
    lets a list keep its rendered rows (``{% cache results_max_age "…" results_key %}``) until the
    data change (``eiso.core.freshness``)."""
    context["is_filtered"] = any(v for k, v in request.GET.items() if k not in ("page", "tab"))
    if request.user.is_authenticated:
        context["results_key"], context["results_max_age"] = freshness.page_key(request), freshness.MAX_AGE_S
    if request.htmx and request.htmx.target == "results" and not request.htmx.history_restore_request:
        template = f"{template}#results"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


# What a kept fragment ({% cache %}) holds where a form's CSRF token goes: a token belongs to one
# request and is never kept. A "<" never comes from the data (it is escaped), so only this slot matches.
CSRF_SLOT = mark_safe("<eiso-csrf-token>")  # noqa: S308 - a constant, no data
_CSRF_SLOT_BYTES = CSRF_SLOT.encode()


def csrf_slots(request, context: dict) -> None:
    """For a page that keeps a fragment holding a form: the fragment is rendered with the slot as its
    token (``{% include … with csrf_token=csrf_slot %}``), and ``fill_csrf_slots`` puts the page's token
    in afterwards, the same one as the page's other forms (read once, only if the page shows one, as
    Django's ``csrf`` context processor does)."""
    context["csrf_token"] = SimpleLazyObject(lambda: get_token(request))
    context["csrf_slot"] = CSRF_SLOT


def fill_csrf_slots(response, context: dict):
    """The page's token in the slots of ``response`` (rendered with ``csrf_slots``' context)."""
    if _CSRF_SLOT_BYTES in response.content:
        response.content = response.content.replace(_CSRF_SLOT_BYTES, str(context["csrf_token"]).encode())
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


@dataclass(frozen=True)
class ImportExample:
    """An example of the file an import reads, shown under its form: a table (``columns`` and
    ``rows``), the codes a column takes (``codes_label`` and ``codes``), a text (JSON), or several."""

    title: str
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[str]] = ()
    codes_label: str = ""
    codes: Sequence[str] = ()
    text: str = ""


def import_page(request, form, *, title, intro, cancel_url, examples: Sequence[ImportExample],
                refusal: DomainError | None = None, status: int | None = None, columns: Sequence = (),
                template_url: str = "", recent: Sequence = ()):
    """The page of an import (the shared ``import_form.html``): what it does, the upload form,
    the columns it reads (``core.import_templates.ImportColumn``) with a template .xlsx to
    download, examples of the file and, after a ``refusal``, each bad row it names (400);
    ``recent``: the latest import jobs of this kind (``core.selectors.importjobs_recent``), to follow."""
    errors, error_summary = [], ""
    if refusal is not None:
        errors = [str(m) for m in refusal.errors.get("file", [])] or [str(refusal.message)]
        error_summary = str(refusal.message) if len(errors) > 1 else _("The file was not imported.")
    return render(request, "import_form.html", {
        "form": form, "title": title, "intro": intro, "cancel_url": cancel_url, "examples": examples,
        "errors": errors, "error_summary": error_summary, "columns": columns, "template_url": template_url,
        "recent": recent,
    }, status=status or (400 if errors else 200))
