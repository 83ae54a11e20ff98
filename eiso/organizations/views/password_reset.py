"""Self-service password reset by e-mail: Django's views with eISO's templates, a rate limit per
client address and per e-mail address, and the new password set through the audited service.

The pages say the same whether or not the e-mail address belongs to someone; an e-mail address over
its limit gets no more mail, silently. A client address over its limit is told to wait.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpResponseRedirect
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.organizations import services
from eiso.organizations.forms import PasswordResetForm, SetPasswordForm
from eiso.organizations.signin import client_address, password_reset_request, signin_unlock


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        verdict = password_reset_request(address=client_address(self.request), email=form.cleaned_data["email"])
        if verdict == "refuse":
            form.add_error(None, _("Too many password reset requests from this address. Try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if verdict == "quiet":
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        user = form.user
        try:
            services.user_set_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
        except ValidationFailed as exc:
            form.add_error("new_password2", str(exc.message))
            return self.form_invalid(form)
        signin_unlock(username=user.get_username(), actor=user)  # a locked-out person can sign in at once
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


urlpatterns = [
    path("accounts/password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
