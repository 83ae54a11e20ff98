"""Session pages: an agency's idle timeout, and "sign out everywhere" for oneself or (an
administrator) for a person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.pages import require, run_form
from eiso.organizations import selectors
from eiso.organizations.forms import SessionSettingsForm
from eiso.organizations.sessions import GENERATION_KEY, agency_session_settings_update, user_sign_out_everywhere


@login_required
def agency_session_settings(request, pk):
    agency = selectors.agency_get_for_user(request.user, pk)
    require(request, "organizations.change_session_settings", agency)
    form = SessionSettingsForm(request.POST or None, initial={"session_idle_hours": agency.session_idle_hours})
    if request.method == "POST":
        ok, _result = run_form(form, lambda: agency_session_settings_update(
            actor=request.user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The sign-in settings were saved."))
            return redirect("organizations:agency-detail", pk=agency.pk)
    history = [e for e in history_for(agency)[:50] if "session_idle_hours" in (e.changes or {})][:10]
    return render(request, "organizations/session_settings.html", {
        "form": form, "agency": agency, "history": history}, status=400 if form.errors else 200)


@login_required
@require_POST
def own_sign_out_everywhere(request):
    """Every other browser and device is signed out; this one stays signed in."""
    user_sign_out_everywhere(actor=request.user, user=request.user)
    request.session[GENERATION_KEY] = request.user.session_generation
    messages.success(request, _("You were signed out on every other device."))
    return redirect("dashboard")


@login_required
@require_POST
def user_sign_out(request, pk):
    person = selectors.user_get_for_user(request.user, pk)
    require(request, "organizations.change_user", person)
    user_sign_out_everywhere(actor=request.user, user=person)
    if person.pk == request.user.pk:
        request.session[GENERATION_KEY] = person.session_generation
    messages.success(request, _("%(person)s was signed out on every device.") % {"person": person})
    return redirect(reverse("organizations:user-detail", args=[person.pk]))


urlpatterns = [
    path("agencies/<int:pk>/sign-in/", agency_session_settings, name="agency-sessions"),
    path("people/<int:pk>/sign-out/", user_sign_out, name="user-signout"),
    path("accounts/sign-out-everywhere/", own_sign_out_everywhere, name="sign-out-everywhere"),
]
