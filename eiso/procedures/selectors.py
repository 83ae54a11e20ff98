"""Scoped reads of the TTHC catalogue and process definitions.

Every query starts from ``visible_agencies(user)``; ``*_get_for_user`` raise NotFound outside it.
"""

from django.db.models import Prefetch

from eiso.core.errors import NotFound
from eiso.core.text import fold, is_id
from eiso.organizations.selectors import visible_agencies
from eiso.procedures.models import AdminProcedure, ProcessDefinition, ProcessStep


def _get(queryset, pk):
    if not is_id(pk):
        raise NotFound()
    try:
        return queryset.get(pk=int(pk))
    except queryset.model.DoesNotExist:
        raise NotFound()


def admin_procedures_for_user(user, *, q: str = "", field: str = "", agency: str = ""):
    """The TTHC catalogue ``user`` may read; ``q`` matches code and name whatever the diacritics."""
    qs = AdminProcedure.objects.filter(agency__in=visible_agencies(user).values("pk")).select_related(
        "agency", "process_document")
    if q:
        qs = qs.filter(name_folded__contains=fold(q.strip()))
    if field:
        qs = qs.filter(field=field)
    if agency:
        qs = qs.filter(agency_id=int(agency)) if is_id(agency) else qs.filter(agency__code=agency)
    return qs.order_by("agency__name", "field", "code")


def admin_procedure_get_for_user(user, pk) -> AdminProcedure:
    return _get(admin_procedures_for_user(user), pk)


def current_definition(document) -> ProcessDefinition | None:
    """The current process of an operational procedure, with its steps and their units."""
    if document is None:
        return None
    return (ProcessDefinition.objects.filter(document=document, is_current=True)
            .prefetch_related(Prefetch("steps", queryset=ProcessStep.objects.select_related("unit")))
            .first())
