from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from eiso.core.views import healthz
from eiso.organizations.forms import LoginForm
from eiso.organizations.views import password_reset
from eiso.organizations.views.people import PasswordChangeView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("eiso.dashboard.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    *password_reset.urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("eiso.api.urls")),
    path("", include("eiso.core.urls")),
    path("", include("eiso.organizations.urls")),
    path("", include("eiso.documents.urls")),
    path("", include("eiso.procedures.urls")),
    path("", include("eiso.dossiers.urls")),
    path("", include("eiso.audits.urls")),
    path("", include("eiso.improvements.urls")),
    path("", include("eiso.feedback.urls")),
    path("", include("eiso.objectives.views")),
    path("", include("eiso.rollout.urls")),
    path("", include("eiso.fives.urls")),
    path("", include("eiso.oversight.views")),
    path("", include("eiso.reviews.views")),
    path("", include("eiso.people.urls")),
    path("reports/", include("eiso.reports.urls")),
    path("", include("eiso.inbox.urls")),
]
