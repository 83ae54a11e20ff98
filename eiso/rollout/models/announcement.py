"""The conformity announcement (công bố HTQLCL phù hợp TCVN ISO 9001, QĐ 19/2014 Appendix I): a
decision the agency head signs, whose scope (the TTHC, units and internal processes covered) is
frozen at signature; a new announcement supersedes the previous one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.rollout.choices import AnnouncementStatus


class Announcement(models.Model):
    """One announcement of an agency: a draft prepared by the ISO secretary, issued by the head."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="announcements")
    status = models.CharField(_("status"), max_length=12, choices=AnnouncementStatus.choices,
                              default=AnnouncementStatus.DRAFT)
    processes = models.JSONField(_("internal processes covered"), default=list, blank=True)
    review_held_on = models.DateField(
        _("last management review"), null=True, blank=True,
        help_text=_("The date of the last management review meeting (until eISO records the reviews)."))
    effectiveness_confirmed_at = models.DateTimeField(_("effectiveness confirmed"), null=True, blank=True)
    effectiveness_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                   on_delete=models.PROTECT, related_name="+")
    # Frozen at signature: nothing below changes once the announcement is issued.
    number = models.CharField(_("decision number"), max_length=60, blank=True,
                              help_text=_("Number and symbol of the decision, e.g. 15/QĐ-SNV."))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    agency_name = models.CharField(_("agency name at signature"), max_length=300, blank=True)
    edition = models.ForeignKey("audits.ClauseEdition", verbose_name=_("edition"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    scope_procedures = models.JSONField(_("TTHC covered"), default=list, blank=True)  # [{code, name, field}]
    scope_units = models.JSONField(_("units covered"), default=list, blank=True)  # [{id, name}]
    preconditions = models.JSONField(_("preconditions checked"), default=list, blank=True)
    superseded_by = models.ForeignKey("self", verbose_name=_("superseded by"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="supersedes")
    # After signature: where it was posted, and the written notice to the Department of Science and Technology.
    posted_where = models.CharField(_("posted at"), max_length=300, blank=True,
                                    help_text=_("E.g. the office's notice board and the agency's website."))
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=60, blank=True,
                                     help_text=_("The letter notifying the Department of Science and Technology."))
    notice_date = models.DateField(_("notice date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("conformity announcement")
        verbose_name_plural = _("conformity announcements")
        ordering = ["agency", "-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency"], condition=Q(status="issued"), name="one_announcement_in_force",
                                    violation_error_message=_("The agency already has an announcement in force.")),
            models.UniqueConstraint(fields=["agency"], condition=Q(status="draft"), name="one_announcement_draft",
                                    violation_error_message=_("The agency already has an announcement in "
                                                              "preparation.")),
            models.CheckConstraint(condition=Q(status="draft") | (Q(signed_on__isnull=False) & ~Q(number="")),
                                   name="announcement_signed_has_number_and_date"),
        ]

    def __str__(self):
        if self.number:
            return _("Announcement %(number)s") % {"number": self.number}
        return str(_("Announcement in preparation"))

    @property
    def is_draft(self) -> bool:
        return self.status == AnnouncementStatus.DRAFT

    @property
    def notified(self) -> bool:
        return bool(self.notice_number and self.notice_date)
