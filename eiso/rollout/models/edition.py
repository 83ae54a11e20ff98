"""The move of an agency's QMS from one ISO 9001 edition to a later one: a transition checklist
generated from the correspondence between editions (eiso/audits/clauses.py), one task per new or
changed clause with its owner and date; completing it records the new edition (audits)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.rollout.choices import TransitionStatus


class EditionTransition(models.Model):
    scope = Scope(agency="agency", transition="")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="edition_transitions")
    from_edition = models.ForeignKey("audits.ClauseEdition", verbose_name=_("from edition"),
                                     on_delete=models.PROTECT, related_name="+")
    to_edition = models.ForeignKey("audits.ClauseEdition", verbose_name=_("to edition"), on_delete=models.PROTECT,
                                   related_name="+")
    started_on = models.DateField(_("started on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=TransitionStatus.choices,
                              default=TransitionStatus.IN_PROGRESS)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("edition transition")
        verbose_name_plural = _("edition transitions")
        ordering = ["agency", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency"], condition=Q(status="in_progress"),
                                    name="one_edition_transition_in_progress",
                                    violation_error_message=_("The agency is already moving to another edition.")),
            models.CheckConstraint(condition=Q(deadline__gte=F("started_on")), name="transition_deadline_after_start",
                                   violation_error_message=_("The deadline cannot come before the start.")),
        ]

    def __str__(self):
        return f"{self.from_edition} → {self.to_edition}"


class TransitionTask(models.Model):
    scope = Scope(agency="transition__agency", transition="transition")

    transition = models.ForeignKey(EditionTransition, on_delete=models.CASCADE, related_name="tasks")
    clause = models.CharField(_("clause"), max_length=10)
    change = models.CharField(_("kind of change"), max_length=10)
    title = models.CharField(_("task"), max_length=300)
    note = models.CharField(_("note"), max_length=500, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = _("transition task")
        verbose_name_plural = _("transition tasks")
        ordering = ["transition", "due_on", "id"]

    def __str__(self):
        return f"{self.clause} {self.title}"
