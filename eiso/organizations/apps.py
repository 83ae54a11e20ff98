from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "eiso.organizations"
    label = "organizations"
    verbose_name = _("Organisation")

    def ready(self):
        # Registers the rules permissions (rules' autodiscovery only looks for rules.py).
        # Sign-in: a lockout leaves an audit row; last_login is written without waiting for a busy database.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from eiso.organizations import (
            permissions,  # noqa: F401
            signin,
        )

        user_locked_out.connect(signin.record_lockout, dispatch_uid="eiso_record_lockout")
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(signin.record_last_login, dispatch_uid="eiso_record_last_login")
