"""The agency's dossier settings page: supplement timing (restart or pause) and the due-soon window."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from eiso.core.audit import history_for
from eiso.core.errors import Forbidden
from eiso.core.pages import run_form
from eiso.core.policy import permitted
from eiso.core.text import is_id
from eiso.dossiers.forms_imports import DossierSettingsForm
from eiso.dossiers.selectors.imports import dossier_settings_of
from eiso.dossiers.services.settings import dossier_settings_update
from eiso.organizations.selectors import agencies_for_user


def _agency(request):
    """The agency whose settings are shown: ``?agency=`` among those the user may change, else their own."""
    agencies = permitted(request.user, "dossiers.change_settings", agencies_for_user(request.user))
    wanted = request.GET.get("agency", "")
    agency = agencies.filter(pk=int(wanted)).first() if is_id(wanted) else None
    if agency is None and request.user.agency is not None:
        agency = agencies.filter(pk=request.user.agency.pk).first()
    if agency is None:
        agency = agencies.order_by("name").first()
    if agency is None:
        raise Forbidden()
    return agency, agencies


@login_required
def dossiersettings_update(request):
    agency, agencies = _agency(request)
    current = dossier_settings_of(agency)
    form = DossierSettingsForm(request.POST or None, initial={
        "supplement_mode": current.supplement_mode, "due_soon_hours": current.due_soon_hours})
    if request.method == "POST":
        ok, result = run_form(form, lambda: dossier_settings_update(actor=request.user, agency=agency,
                                                                    **form.cleaned_data))
        if ok:
            _settings, retimed = result
            message = _("The dossier settings were saved.")
            if retimed:
                message += " " + _("%(n)s dossiers with a supplement were retimed.") % {"n": retimed}
            messages.success(request, message)
            return redirect(request.get_full_path())
    history = list(history_for(current)[:10]) if current.pk else []
    return render(request, "dossiers/settings.html", {
        "form": form, "agency": agency, "agencies": agencies if agencies.count() > 1 else None,
        "history": history}, status=400 if form.errors else 200)


urlpatterns = [
    path("dossiers/settings/", dossiersettings_update, name="dossiersettings-update"),
]
