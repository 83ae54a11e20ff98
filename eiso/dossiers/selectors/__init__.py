"""Scoped reads of dossiers: the gates every dossier read goes through.

``dossiers_for_user`` filters to the agencies ``user`` may read; ``dossier_get_for_user`` and
``dossier_get_by_code_for_user`` raise NotFound outside them. Lists and statistics build on these
(``selectors.lists``, ``selectors.statistics``).
"""

from eiso.core.errors import NotFound
from eiso.core.selectors import get_or_404
from eiso.dossiers.models import Dossier, DossierApology
from eiso.dossiers.permissions import policy
from eiso.dossiers.timing import StepTiming, steps_from_json
from eiso.organizations.models import Unit


def dossiers_for_user(user):
    return policy.filter(user, "view_dossier", Dossier.objects)


def dossier_get_for_user(user, pk) -> Dossier:
    return get_or_404(dossiers_for_user(user).select_related(
        "agency", "admin_procedure", "definition__document", "current_unit"), pk)


def dossier_get_by_code_for_user(user, code: str) -> Dossier:
    code = (code or "").strip()
    if not code or len(code) > 60:
        raise NotFound()
    dossier = dossiers_for_user(user).select_related("agency", "admin_procedure").filter(code=code).order_by(
        "agency_id").first()
    if dossier is None:
        raise NotFound()
    return dossier


def apology_of(dossier: Dossier) -> DossierApology | None:
    """The dossier's apology letter, or None (there is at most one)."""
    try:
        return dossier.apology
    except DossierApology.DoesNotExist:
        return None


def steps_with_units(dossier: Dossier) -> tuple[list[StepTiming], dict[int, str]]:
    """The dossier's stored steps and ``{unit id: name}`` of the units answering for them (one query)."""
    steps = steps_from_json(dossier.steps)
    unit_ids = {s.unit_id for s in steps if s.unit_id}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    return steps, units
