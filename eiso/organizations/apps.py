from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "eiso.organizations"
    label = "organizations"
    verbose_name = _("Organisation")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        # permissions: registers the rules permissions (rules' autodiscovery only looks for rules.py).
        from eiso.organizations import permissions, sessions, signin  # noqa: F401

        # Sign-in: a lockout leaves an audit row; last_login is written without waiting for a busy
        # database; a new session records its start and the person's session generation.
        user_locked_out.connect(signin.record_lockout, dispatch_uid="eiso_record_lockout")
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(signin.record_last_login, dispatch_uid="eiso_record_last_login")
        user_logged_in.connect(sessions.stamp_session, dispatch_uid="eiso_stamp_session")
