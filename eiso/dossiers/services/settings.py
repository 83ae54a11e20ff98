"""An agency's dossier settings: how supplements are timed, and what counts as due soon.

Changing the supplement mode retimes the agency's dossiers that had a supplement round (their due
instants depend on it) and corrects the statistics in the same transaction.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import Forbidden, ValidationFailed
from eiso.dossiers.choices import EventKind, SupplementMode
from eiso.dossiers.models import DossierEvent, DossierSettings
from eiso.dossiers.services.recording.retiming import dossiers_retime

MAX_DUE_SOON_HOURS = 200


def dossier_settings_update(*, actor, agency, supplement_mode: str, due_soon_hours: int) -> tuple[DossierSettings, int]:
    """Save the agency's settings; returns them and how many dossiers were retimed."""
    if not actor.has_perm("dossiers.change_settings", agency):
        raise Forbidden()
    errors = {}
    if supplement_mode not in SupplementMode.values:
        errors["supplement_mode"] = [_("Choose restart or pause.")]
    if not isinstance(due_soon_hours, int) or not 1 <= due_soon_hours <= MAX_DUE_SOON_HOURS:
        errors["due_soon_hours"] = [_("Enter a number of working hours from 1 to %(n)s.") % {"n": MAX_DUE_SOON_HOURS}]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        current, created = DossierSettings.objects.select_for_update().get_or_create(agency=agency)
        before = {"supplement_mode": current.supplement_mode, "due_soon_hours": current.due_soon_hours}
        after = {"supplement_mode": supplement_mode, "due_soon_hours": due_soon_hours}
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not changes:
            return current, 0
        current.supplement_mode, current.due_soon_hours = supplement_mode, due_soon_hours
        current.save(update_fields=list(changes))
        retimed = 0
        if "supplement_mode" in changes:
            ids = DossierEvent.objects.filter(dossier__agency=agency, kind=EventKind.SUPPLEMENT_RECEIVED).values_list(
                "dossier_id", flat=True).distinct()
            retimed = dossiers_retime(list(ids))
        audit_record(actor=actor, action="update", obj=current, agency=agency, changes=changes,
                     note=_("%(n)s dossiers retimed.") % {"n": retimed} if retimed else "")
    return current, retimed
