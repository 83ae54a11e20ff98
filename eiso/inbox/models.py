"""What a person chose about their task list: the daily e-mail digest (on unless they turn it off)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope


class InboxSettings(models.Model):
    """One row per person who changed a setting (no row: the defaults)."""

    scope = Scope(agency="user__memberships__agency", many=True)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                                related_name="inbox_settings")
    daily_digest = models.BooleanField(_("e-mail me a daily digest of my tasks"), default=True)
    digest_sent_on = models.DateField(_("last digest sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("task list settings")
        verbose_name_plural = _("task list settings")

    def __str__(self):
        return str(self.user)
