"""The agency a create form writes into: the agencies a user may choose and which one is chosen
first. Every app's create pages use these."""

from eiso.core.errors import Forbidden
from eiso.core.policy import permitted
from eiso.core.text import is_id
from eiso.organizations.selectors import agencies_for_user


def agencies_for(request, perm: str, *, required: bool = False):
    """Active agencies in which the user may ``perm`` (e.g. ``"documents.add_externaldocument"``): a
    form's agency choices. ``required``: refuse (403) a user who may do it nowhere."""
    agencies = permitted(request.user, perm, agencies_for_user(request.user, status="active"))
    if required and not agencies.exists():
        raise Forbidden()
    return agencies


def initial_agency(request, agencies) -> dict:
    """The form's initial agency: the one asked for in ``?agency=`` if allowed, else the user's own."""
    wanted = request.GET.get("agency", "")
    if is_id(wanted) and agencies.filter(pk=int(wanted)).exists():
        return {"agency": int(wanted)}
    if request.user.agency and agencies.filter(pk=request.user.agency.pk).exists():
        return {"agency": request.user.agency.pk}
    return {}

