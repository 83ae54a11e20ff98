"""Scoped reads of uploaded one-stop imports and of the agencies' dossier settings."""

from eiso.core.errors import NotFound
from eiso.core.text import is_id
from eiso.dossiers.choices import SupplementMode
from eiso.dossiers.models import DossierImport, DossierSettings
from eiso.dossiers.permissions import policy


def dossier_imports_for_user(user, *, q: str = "", status: str = "", agency=None):
    imports = policy.filter(user, "view_dossierimport", DossierImport.objects).select_related(
        "agency", "created_by")
    if q:
        imports = imports.filter(original_name__icontains=q.strip())
    if status:
        imports = imports.filter(status=status)
    if agency and is_id(agency):
        imports = imports.filter(agency_id=int(agency))
    return imports.order_by("-created_at", "-pk")


def dossier_import_get_for_user(user, pk) -> DossierImport:
    if not is_id(pk):
        raise NotFound()
    record = dossier_imports_for_user(user).filter(pk=int(pk)).first()
    if record is None:
        raise NotFound()
    return record


def dossier_settings_of(agency) -> DossierSettings:
    """The agency's settings, or the defaults (unsaved) when it never changed them."""
    found = DossierSettings.objects.filter(agency=agency).first()
    return found or DossierSettings(agency=agency, supplement_mode=SupplementMode.RESTART)

